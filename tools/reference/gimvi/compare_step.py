"""One gimVI joint minibatch step, ours against PyTorch autograd (issue 21); not part of the product or its tests.

step_check/ dumps a generated training-mode step of the bundled Gimvi (both cell plates, the adversarial penalty) in
float64 with its noise and dropout masks; this recomputes the loss
    [-(log p(x) + log p(x')) + w (KL(z) + KL(z') + KL(l)) + kappa * sum of the fooling losses] / rows
(gimVI warms up the library's KL with the cell state's, unlike scVI)
independently from the declaration's math (eqs 1-6, 10), with autograd, and prints both sets of terms and the largest
relative difference of every parameter's gradient:

    dotnet run -c Release --project tools/reference/gimvi/step_check -- step.json 5 0.3
    /usr/bin/python3 tools/reference/gimvi/compare_step.py step.json
"""
import json, sys
import numpy as np
import torch
from torch.distributions import Normal, kl_divergence

torch.set_default_dtype(torch.float64)
softplus = torch.nn.functional.softplus


def main(step_path):
    d = json.load(open(step_path))
    P = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in d["values"].items()}
    A = {k: torch.tensor(v, dtype=torch.float64) for k, v in d["adversary"].items()}
    x, xs = torch.tensor(d["x"], dtype=torch.float64), torch.tensor(d["xSpatial"], dtype=torch.float64)
    n, genes = x.shape
    m = xs.shape[0]
    gene_of = torch.tensor(d["geneOf"])
    latent = len(d["zNoise"]) // n

    def linear(h, name, out, params=P):  # our weights are stored inputs x outputs
        return h @ params[name + ".weight"].view(h.shape[1], out) + params[name + ".bias"]

    def layer(h, name, width, mask, params=P):  # Linear -> BatchNorm (batch statistics) -> ReLU -> dropout, with our mask
        pre = linear(h, name, width, params)
        y = (pre - pre.mean(0)) / torch.sqrt(pre.var(0, unbiased=False) + 1e-3)
        y = y * params[name + ".norm.scale"] + params[name + ".norm.shift"]
        return torch.relu(y) * torch.tensor(mask).view(h.shape[0], width)

    def encoder(h, first, masks):  # its own first layer, then the layer and heads shared under "joint"
        h = layer(h, first + ".layer0", 64, masks[0])
        h = layer(h, "joint.layer1", 64, masks[1])
        return linear(h, "joint.mean", latent), torch.exp(linear(h, "joint.var", latent)) + 1e-4

    # Sequenced cells: z and log l from their encoders, rho and the zero-inflation logits from z, ZINB (eq 4).
    qz_m, qz_v = encoder(torch.log1p(x), "z.encoder", d["zMasks"])
    z = qz_m + qz_v.sqrt() * torch.tensor(d["zNoise"]).view(n, latent)
    hl = layer(torch.log1p(x), "l.encoder.layer0", 128, d["lMasks"][0])
    ql_m, ql_v = linear(hl, "l.encoder.mean", 1), torch.exp(linear(hl, "l.encoder.var", 1)) + 1e-4
    log_l = ql_m + ql_v.sqrt() * torch.tensor(d["lNoise"]).view(n, 1)
    rho = torch.softmax(linear(layer(z, "rho.layer0", 128, d["rhoMasks"][0]), "rho.output", genes), -1)
    pi = linear(layer(z, "dropoutLogit.layer0", 128, d["dropoutMasks"][0]), "dropoutLogit.output", genes)
    mu, theta = torch.exp(log_l) * rho, torch.exp(P["theta"])
    nb_zero = theta * (torch.log(theta) - torch.log(theta + mu))
    nb = nb_zero + x * (torch.log(mu) - torch.log(theta + mu)) + torch.lgamma(x + theta) - torch.lgamma(theta) - torch.lgamma(x + 1)
    ll = torch.where(x == 0, softplus(nb_zero - pi) - softplus(-pi), -pi - softplus(-pi) + nb).sum()
    kl_z = kl_divergence(Normal(qz_m, qz_v.sqrt()), Normal(0.0, 1.0)).sum()
    kl_l = kl_divergence(Normal(ql_m, ql_v.sqrt()), Normal(d["libraryLogMean"], d["libraryLogVar"] ** 0.5)).sum()

    # Spatial cells: z' from their encoder, the same decoder, frequencies renormalised over the measured genes, Poisson (eqs 5-6).
    qs_m, qs_v = encoder(torch.log1p(xs), "zSpatial.encoder", d["zSpatialMasks"])
    zs = qs_m + qs_v.sqrt() * torch.tensor(d["zSpatialNoise"]).view(m, latent)
    rho_s = torch.softmax(linear(layer(zs, "rho.layer0", 128, d["rhoSpatialMasks"][0]), "rho.output", genes), -1)[:, gene_of]
    rate = torch.tensor(d["spatialLibrary"]).view(m, 1) * rho_s / rho_s.sum(1, keepdim=True)
    ll_s = (xs * torch.log(rate) - rate - torch.lgamma(xs + 1)).sum()
    kl_zs = kl_divergence(Normal(qs_m, qs_v.sqrt()), Normal(0.0, 1.0)).sum()

    # The discriminator (its weights fixed here) on both sets' samples; each row pays -log p(the other set) (eq 10).
    w, kappa = d["klWeight"], d["kappa"]
    h = torch.cat([z, zs])
    for i, mask in enumerate(d["adversaryMasks"] if kappa > 0 else [None] * 3):
        h = layer(h, f"modality.discriminator.layer{i}", 32, mask if mask is not None else np.ones(h.shape[0] * 32), A)
    log_p = torch.log_softmax(linear(h, "modality.discriminator.logits", 2, A), -1)
    other = torch.cat([torch.ones(n, dtype=torch.long), torch.zeros(m, dtype=torch.long)])
    fool = -log_p[torch.arange(n + m), other].sum() if kappa > 0 else torch.zeros(())

    ((-ll - ll_s + w * (kl_z + kl_zs + kl_l) + kappa * fool) / (n + m)).backward()
    print("terms, ours: ", d["sums"])
    print("terms, torch:", [ll.item(), kl_z.item(), kl_l.item(), ll_s.item(), kl_zs.item(), kappa * fool.item()])
    worst = 0.0
    for name, p in P.items():
        ours, theirs = np.array(d["grads"][name]), p.grad.numpy().ravel()
        scale = np.abs(theirs).max()
        relative = np.abs(ours - theirs).max() / max(scale, 1e-300)
        note = "  (zero up to rounding: a bias before batch norm)" if scale < 1e-12 else ""
        if scale >= 1e-12: worst = max(worst, relative)
        print(f"{name:36s} max |gradient| {scale:9.3e}  largest difference / max |gradient| {relative:8.1e}{note}")
    print(f"largest relative difference over all parameters: {worst:.1e}")


if __name__ == "__main__":
    main(sys.argv[1])
