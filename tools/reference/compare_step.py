"""One scVI minibatch step, ours against PyTorch autograd (issue 5); not part of the product or its tests.

step_check/ dumps a generated training-mode step in float64 with its noise and dropout masks; this recomputes the
loss -(log p(x) - w KL(z) - KL(l)) / rows with the reference's architecture (scvi_torch.py) and autograd, and prints
both ELBO terms and the largest relative difference of every parameter's gradient:

    head -129 counts.csv > batch.csv   # 128 cells
    dotnet run -c Release --project tools/reference/step_check -- batch.csv cells.csv step.json zinb
    /usr/bin/python3 tools/reference/compare_step.py batch.csv step.json

The ZINB is written without scvi-tools' eps = 1e-8 inside its logs, which moves log p(x) by about 2e-6 relative.
"""
import csv, json, sys
import numpy as np
import torch
from torch.distributions import Normal, kl_divergence

torch.set_default_dtype(torch.float64)
softplus = torch.nn.functional.softplus


def main(counts_path, step_path):
    d = json.load(open(step_path))
    with open(counts_path) as f:
        x = torch.tensor([[float(v) for v in r[1:]] for r in list(csv.reader(f))[1:]])
    n, genes = x.shape
    b = torch.tensor(d["batch"])
    one_hot = torch.nn.functional.one_hot(b, len(d["libraryLogMean"])).double()
    P = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in d["values"].items()}

    def linear(h, name, out):  # our weights are stored inputs x outputs
        return h @ P[name + ".weight"].view(h.shape[1], out) + P[name + ".bias"]

    def hidden(h, name, mask):  # Linear -> BatchNorm (batch statistics) -> ReLU -> dropout, with our masks
        pre = linear(torch.cat([h, one_hot], 1), name + ".layer0", 128)
        y = (pre - pre.mean(0)) / torch.sqrt(pre.var(0, unbiased=False) + 1e-3)
        y = y * P[name + ".layer0.norm.scale"] + P[name + ".layer0.norm.shift"]
        return torch.relu(y) * torch.tensor(mask).view(n, 128)

    xl = torch.log1p(x)
    hz = hidden(xl, "z.encoder", d["zMask"])
    qz_m, qz_v = linear(hz, "z.encoder.mean", 10), torch.exp(linear(hz, "z.encoder.var", 10)) + 1e-4
    hl = hidden(xl, "l.encoder", d["lMask"])
    ql_m, ql_v = linear(hl, "l.encoder.mean", 1), torch.exp(linear(hl, "l.encoder.var", 1)) + 1e-4
    z = qz_m + qz_v.sqrt() * torch.tensor(d["zNoise"]).view(n, 10)
    log_l = ql_m + ql_v.sqrt() * torch.tensor(d["lNoise"]).view(n, 1)
    hd = hidden(z, "rho", d["rhoMask"])
    mu = torch.exp(log_l) * torch.softmax(linear(hd, "rho.output", genes), -1)
    if d["likelihood"] == "poisson":
        ll = (x * torch.log(mu) - mu - torch.lgamma(x + 1)).sum(-1)
    else:
        theta = torch.exp(P["theta"])
        nb_zero = theta * (torch.log(theta) - torch.log(theta + mu))
        nb = nb_zero + x * (torch.log(mu) - torch.log(theta + mu)) + torch.lgamma(x + theta) - torch.lgamma(theta) - torch.lgamma(x + 1)
        if d["likelihood"] == "nb":
            ll = nb.sum(-1)
        else:
            pi = linear(hd, "dropoutLogit.output", genes)
            ll = torch.where(x == 0, softplus(nb_zero - pi) - softplus(-pi), -pi - softplus(-pi) + nb).sum(-1)
    LM, LV = torch.tensor(d["libraryLogMean"]), torch.tensor(d["libraryLogVar"])
    kl_z = kl_divergence(Normal(qz_m, qz_v.sqrt()), Normal(0, 1)).sum(1)
    kl_l = kl_divergence(Normal(ql_m, ql_v.sqrt()), Normal(LM[b].unsqueeze(1), LV[b].sqrt().unsqueeze(1))).sum(1)
    ((-ll + d["klWeight"] * kl_z + kl_l).mean()).backward()
    print("ELBO terms, ours:  ", d["sums"])
    print("ELBO terms, torch: ", [ll.sum().item(), kl_z.sum().item(), kl_l.sum().item()])
    for name, p in P.items():
        ours, theirs = np.array(d["grads"][name]), p.grad.numpy().ravel()
        scale = np.abs(theirs).max()
        note = "  (zero up to rounding: a bias before batch norm)" if scale < 1e-12 else ""
        print(f"{name:30s} max |gradient| {scale:9.3e}  largest difference / max |gradient| {np.abs(ours - theirs).max() / max(scale, 1e-300):8.1e}{note}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
