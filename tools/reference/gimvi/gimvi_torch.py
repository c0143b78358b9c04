"""PyTorch reference for the gimVI acceptance check (issue 21); not part of the product or its tests.

Re-implements scvi-tools' gimVI (scvi.external.GIMVI: the JVAE module and GIMVITrainingPlan) with its defaults:
- encoders: one FC layer of 64 per data set (batch norm, ReLU, dropout 0.2) then one shared FC layer of 64 and shared
  mean and log-variance heads (MultiEncoder); 10 latent dimensions; log(1 + x) inputs;
- a log-library encoder for the sequencing set (1 layer of 128, dropout 0.2, variance + 1e-4) with the empirical prior;
  the spatial set's library is its observed total;
- decoder: a linear map from z to softmax frequencies and to zero-inflation logits (no hidden layer), frequencies
  renormalised over the spatial genes for the spatial set; dispersion per gene and data set ("gene-batch");
- ZINB for the sequencing set, Poisson (or NB) for the spatial one; KL warm-up over 400 epochs;
- Adam lr 1e-3, eps 0.01, weight decay 1e-6; minibatches of 128 from each set per step, the larger set driving the
  epoch and the smaller cycling; 90/10 train/validation split of each set;
- the adversarial classifier (3 layers of 32, batch norm, dropout 0.1) trained by its own Adam on κ times the
  cross-entropy, and κ times its fooling loss added to the VAE's (κ = 5).
It then imputes the held-out spatial genes (get_imputed_values(normalized=True)) and prints the median Spearman over
them and the seconds per epoch. Run with Debian's python3-torch on a pair written by `dsl simulate gimvi`:

    /usr/bin/python3 tools/reference/gimvi/gimvi_torch.py DIR --seed 1 --threads 2 [--spatial-likelihood poisson] [--kappa 5]
"""
import argparse, csv, itertools, math, time
import numpy as np
import torch
from torch import nn
from torch.distributions import Normal, Poisson, kl_divergence


def read(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return rows[0][1:], np.array([[float(v) for v in r[1:]] for r in rows[1:]], dtype=np.float32)


def fc(n_in, n_out, dropout, layers=1):
    modules = []
    for i in range(layers):
        modules += [nn.Linear(n_in if i == 0 else n_out, n_out), nn.BatchNorm1d(n_out, momentum=0.01, eps=0.001), nn.ReLU(), nn.Dropout(dropout)]
    return nn.Sequential(*modules)


def log_zinb(x, mu, theta, pi_logits, eps=1e-8):
    softplus_pi = nn.functional.softplus(-pi_logits)
    log_theta_eps = torch.log(theta + eps)
    log_theta_mu_eps = torch.log(theta + mu + eps)
    pi_theta_log = -pi_logits + theta * (log_theta_eps - log_theta_mu_eps)
    case_zero = nn.functional.softplus(pi_theta_log) - softplus_pi
    mul_case_zero = (x < eps).float() * case_zero
    case_non_zero = (-softplus_pi + pi_theta_log + x * (torch.log(mu + eps) - log_theta_mu_eps)
                     + torch.lgamma(x + theta) - torch.lgamma(theta) - torch.lgamma(x + 1))
    mul_case_non_zero = (x > eps).float() * case_non_zero
    return mul_case_zero + mul_case_non_zero


def log_nb(x, mu, theta, eps=1e-8):
    log_theta_mu_eps = torch.log(theta + mu + eps)
    return (theta * (torch.log(theta + eps) - log_theta_mu_eps) + x * (torch.log(mu + eps) - log_theta_mu_eps)
            + torch.lgamma(x + theta) - torch.lgamma(theta) - torch.lgamma(x + 1))


class Jvae(nn.Module):
    def __init__(self, genes, spatial_index, library_mean, library_var, latent=10):
        super().__init__()
        self.spatial_index = torch.tensor(spatial_index)
        inputs = [genes, len(spatial_index)]
        self.individual = nn.ModuleList([fc(n, 64, 0.2) for n in inputs])
        self.shared = fc(64, 64, 0.2)
        self.mean, self.logvar = nn.Linear(64, latent), nn.Linear(64, latent)
        self.l_trunk = fc(genes, 128, 0.2)
        self.l_mean, self.l_logvar = nn.Linear(128, 1), nn.Linear(128, 1)
        self.scale = nn.Linear(latent, genes)
        self.dropout = nn.Linear(latent, genes)
        self.px_r = nn.Parameter(torch.randn(genes, 2))
        self.library_mean, self.library_var = library_mean, library_var

    def encode(self, x, mode):
        h = self.shared(self.individual[mode](torch.log1p(x)))
        qz = Normal(self.mean(h), torch.exp(self.logvar(h)).sqrt())
        if mode == 0:
            hl = self.l_trunk(torch.log1p(x))
            ql = Normal(self.l_mean(hl), (torch.exp(self.l_logvar(hl)) + 1e-4).sqrt())
            return qz, ql, ql.rsample()
        return qz, None, torch.log(x.sum(1, keepdim=True))

    def frequencies(self, z, mode):
        scale = torch.softmax(self.scale(z), -1)
        if mode == 1:
            scale = scale / scale[:, self.spatial_index].sum(1, keepdim=True)
        return scale

    def loss(self, x, mode, kl_weight, spatial_likelihood):
        qz, ql, library = self.encode(x, mode)
        z = qz.rsample()
        rate = self.frequencies(z, mode) * torch.exp(library)
        theta = torch.exp(self.px_r[:, mode])
        if mode == 0:
            reconstruction = -log_zinb(x, rate, theta, self.dropout(z)).sum(1)
            kl_l = kl_divergence(ql, Normal(torch.full_like(ql.loc, self.library_mean), torch.full_like(ql.scale, math.sqrt(self.library_var)))).sum(1)
        else:
            rate, theta = rate[:, self.spatial_index], theta[self.spatial_index]
            reconstruction = -(Poisson(rate).log_prob(x) if spatial_likelihood == "poisson" else log_nb(x, rate, theta)).sum(1)
            kl_l = torch.zeros_like(reconstruction)
        kl_z = kl_divergence(qz, Normal(torch.zeros_like(qz.loc), torch.ones_like(qz.scale))).sum(1)
        return (reconstruction + kl_weight * (kl_z + kl_l)).sum(), z


def classifier():
    return nn.Sequential(fc(10, 32, 0.1, layers=3), nn.Linear(32, 2))


def adversarial_loss(net, zs, true_class):
    logits = torch.log_softmax(net(torch.cat(zs)), 1)
    labels = torch.cat([torch.full((z.shape[0],), i, dtype=torch.long) for i, z in enumerate(zs)])
    one_hot = nn.functional.one_hot(labels, 2).float()
    target = one_hot if true_class else (1 - one_hot)
    return -(logits * target).sum(1).mean()


def batches(indices, size, generator):
    order = indices[torch.randperm(len(indices), generator=generator)]
    return [order[i:i + size] for i in range(0, len(order), size)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=200)
    parser.add_argument("--kappa", type=float, default=5)
    parser.add_argument("--spatial-likelihood", default="poisson", choices=["poisson", "nb"])
    args = parser.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    genes, seq = read(f"{args.folder}/seq.csv")
    spatial_genes, spatial = read(f"{args.folder}/spatial.csv")
    held_genes, held = read(f"{args.folder}/spatial_heldout.csv")
    spatial_index = [genes.index(g) for g in spatial_genes]
    logs = np.log(seq.sum(1))
    model = Jvae(len(genes), spatial_index, float(logs.mean()), float(logs.var()))
    discriminator = classifier()
    optimiser = torch.optim.Adam(model.parameters(), lr=1e-3, eps=0.01, weight_decay=1e-6)
    optimiser2 = torch.optim.Adam(discriminator.parameters(), lr=1e-3, eps=0.01, weight_decay=1e-6)
    data = [torch.tensor(seq), torch.tensor(spatial)]
    generator = torch.Generator().manual_seed(args.seed)
    train = [torch.randperm(len(d), generator=generator)[int(round(0.1 * len(d))):] for d in data]
    times = []
    for epoch in range(args.epochs):
        start = time.time()
        kl_weight = min(1.0, epoch / 400)
        model.train(); discriminator.train()
        sets = [batches(t, 128, generator) for t in train]
        longest = max(range(2), key=lambda i: len(sets[i]))
        cycled = [sets[i] if i == longest else itertools.cycle(sets[i]) for i in range(2)]
        for step in zip(*cycled):
            losses, zs = zip(*[model.loss(data[mode][rows], mode, kl_weight, args.spatial_likelihood) for mode, rows in enumerate(step)])
            loss = sum(losses) / sum(len(rows) for rows in step)
            if args.kappa > 0:
                loss = loss + args.kappa * adversarial_loss(discriminator, zs, true_class=False)
            optimiser.zero_grad(); loss.backward(); optimiser.step()
            if args.kappa > 0:
                fresh = [model.encode(data[mode][rows], mode)[0].rsample().detach() for mode, rows in enumerate(step)]
                d_loss = args.kappa * adversarial_loss(discriminator, fresh, true_class=True)
                optimiser2.zero_grad(); d_loss.backward(); optimiser2.step()
        times.append(time.time() - start)
    model.eval()
    with torch.no_grad():
        qz, _, _ = model.encode(data[1], 1)
        imputed = model.frequencies(qz.loc, 1).numpy()
    from scipy.stats import spearmanr
    scores = [spearmanr(imputed[:, genes.index(g)], held[:, k]).correlation for k, g in enumerate(held_genes)]
    print(f"median Spearman {np.median(scores):.3f} over {len(scores)} held-out genes {np.round(scores, 3).tolist()}; "
          f"{np.mean(times[1:]):.3f} s per epoch (2nd epoch on), {args.threads} threads")


if __name__ == "__main__":
    main()
