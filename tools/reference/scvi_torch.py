"""PyTorch reference for the scVI acceptance check (issue 5); not part of the product or its tests.

Re-implements scvi-tools' VAE module (scvi.module.VAE with its defaults: 1 hidden layer of 128, 10 latent dimensions,
batch norm with momentum 0.01 and eps 1e-3, dropout 0.1 in the encoders only, one-hot batch into encoders and decoder,
a log-library latent with the per-batch empirical prior, gene-wise dispersion, ZINB, Adam lr 1e-3 eps 0.01 weight
decay 1e-6, minibatch 128, KL warm-up over 400 epochs, 90/10 train/validation split) and runs the same protocol as
`dsl eval scvi`: held-out log p(x) by 100-sample importance sampling on 10 % of the cells, and imputation median L1
under the two corruptions. Run with Debian's python3-torch:

    /usr/bin/python3 tools/reference/scvi_torch.py counts.csv cells.csv --seed 1 --threads 2
"""
import argparse, csv, math, time
import numpy as np
import torch
from torch import nn
from torch.distributions import Normal, kl_divergence


def read(counts_path, cells_path):
    with open(counts_path) as f:
        rows = list(csv.reader(f))
    x = np.array([[float(v) for v in r[1:]] for r in rows[1:]], dtype=np.float32)
    with open(cells_path) as f:
        meta = list(csv.DictReader(f))
    levels = sorted({m["batch"] for m in meta})
    batch = np.array([levels.index(m["batch"]) for m in meta])
    return x, batch, len(levels)


class FC(nn.Module):
    def __init__(self, n_in, n_cat, n_hidden, dropout):
        super().__init__()
        self.n_cat = n_cat
        self.linear = nn.Linear(n_in + n_cat, n_hidden)
        self.bn = nn.BatchNorm1d(n_hidden, momentum=0.01, eps=0.001)
        self.dropout = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x, b):
        one_hot = nn.functional.one_hot(b, self.n_cat).float()
        return self.dropout(torch.relu(self.bn(self.linear(torch.cat([x, one_hot], 1)))))


class Encoder(nn.Module):
    def __init__(self, n_in, n_cat, n_out):
        super().__init__()
        self.fc = FC(n_in, n_cat, 128, 0.1)
        self.mean = nn.Linear(128, n_out)
        self.var = nn.Linear(128, n_out)

    def forward(self, x, b):
        h = self.fc(x, b)
        return self.mean(h), torch.exp(self.var(h)) + 1e-4


class Vae(nn.Module):
    def __init__(self, genes, batches, latent=10):
        super().__init__()
        self.z_encoder = Encoder(genes, batches, latent)
        self.l_encoder = Encoder(genes, batches, 1)
        self.decoder = FC(latent, batches, 128, 0.0)
        self.scale = nn.Linear(128, genes)
        self.dropout = nn.Linear(128, genes)
        self.px_r = nn.Parameter(torch.randn(genes))

    def forward(self, x, b, sample=True):
        xl = torch.log1p(x)
        qz_m, qz_v = self.z_encoder(xl, b)
        ql_m, ql_v = self.l_encoder(xl, b)
        if sample:
            z = Normal(qz_m, qz_v.sqrt()).rsample()
            log_l = Normal(ql_m, ql_v.sqrt()).rsample()
        else:
            z, log_l = qz_m, ql_m + ql_v / 2  # E[l] = exp(m + v/2)
        h = self.decoder(z, b)
        rho = torch.softmax(self.scale(h), -1)
        return dict(qz_m=qz_m, qz_v=qz_v, ql_m=ql_m, ql_v=ql_v, z=z, log_l=log_l, mu=torch.exp(log_l) * rho, pi=self.dropout(h), theta=torch.exp(self.px_r))


def zinb_log_prob(x, mu, theta, pi, eps=1e-8):
    """scvi-tools' log_zinb_positive (Appendix B's logit form)."""
    softplus_pi = nn.functional.softplus(-pi)
    log_theta_eps = torch.log(theta + eps)
    log_theta_mu_eps = torch.log(theta + mu + eps)
    pi_theta_log = -pi + theta * (log_theta_eps - log_theta_mu_eps)
    case_zero = nn.functional.softplus(pi_theta_log) - softplus_pi
    case_non_zero = (-softplus_pi + pi_theta_log + x * (torch.log(mu + eps) - log_theta_mu_eps)
                     + torch.lgamma(x + theta) - torch.lgamma(theta) - torch.lgamma(x + 1))
    return (torch.where(x < eps, case_zero, 0) + torch.where(x > eps, case_non_zero, 0)).sum(-1)


def fit(x, batch, batches, seed, epochs=400):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    n, genes = x.shape
    log_totals = np.log(x.sum(1))
    l_mean = np.array([log_totals[batch == s].mean() for s in range(batches)], dtype=np.float32)
    l_var = np.array([max(log_totals[batch == s].var(), 1e-4) for s in range(batches)], dtype=np.float32)
    model = Vae(genes, batches)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=0.01, weight_decay=1e-6)
    order = rng.permutation(n)
    train = order[: int(round(0.9 * n))]
    X, B = torch.from_numpy(x), torch.from_numpy(batch)
    LM, LV = torch.from_numpy(l_mean), torch.from_numpy(l_var)
    start = time.time()
    for epoch in range(epochs):
        kl_weight = min(1.0, epoch / 400)
        model.train()
        perm = train[rng.permutation(len(train))]
        for k in range(0, len(perm), 128):
            idx = torch.from_numpy(perm[k:k + 128])
            xb, bb = X[idx], B[idx]
            out = model(xb, bb)
            rec = -zinb_log_prob(xb, out["mu"], out["theta"], out["pi"])
            kl_z = kl_divergence(Normal(out["qz_m"], out["qz_v"].sqrt()), Normal(0, 1)).sum(1)
            kl_l = kl_divergence(Normal(out["ql_m"], out["ql_v"].sqrt()), Normal(LM[bb].unsqueeze(1), LV[bb].sqrt().unsqueeze(1))).sum(1)
            loss = (rec + kl_weight * kl_z + kl_l).mean()  # scvi-tools warms up KL(z) only
            opt.zero_grad()
            loss.backward()
            opt.step()
    seconds = (time.time() - start) / epochs
    return model, (LM, LV), seconds


@torch.no_grad()
def marginal_ll(model, prior, x, batch, samples=100):
    model.eval()
    LM, LV = prior
    X, B = torch.from_numpy(x), torch.from_numpy(batch)
    weights = []
    for _ in range(samples):
        out = model(X, B)
        log_p = zinb_log_prob(X, out["mu"], out["theta"], out["pi"])
        log_p += Normal(0, 1).log_prob(out["z"]).sum(1) - Normal(out["qz_m"], out["qz_v"].sqrt()).log_prob(out["z"]).sum(1)
        lp = Normal(LM[B].unsqueeze(1), LV[B].sqrt().unsqueeze(1)).log_prob(out["log_l"]).sum(1)
        lq = Normal(out["ql_m"], out["ql_v"].sqrt()).log_prob(out["log_l"]).sum(1)
        weights.append(log_p + lp - lq)
    w = torch.stack(weights)
    return (torch.logsumexp(w, 0) - math.log(samples)).mean().item()


@torch.no_grad()
def imputed(model, x, batch):
    model.eval()
    return model(torch.from_numpy(x), torch.from_numpy(batch), sample=False)["mu"].numpy()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("counts")
    parser.add_argument("cells")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=400)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    x, batch, batches = read(args.counts, args.cells)
    rng = np.random.default_rng(args.seed + 100)
    n = x.shape[0]
    order = rng.permutation(n)
    test, training = np.sort(order[: int(round(0.1 * n))]), np.sort(order[int(round(0.1 * n)):])
    model, prior, seconds = fit(x[training], batch[training], batches, args.seed, args.epochs)
    print(f"held-out log p(x) per cell: {marginal_ll(model, prior, x[test], batch[test]):.2f}  ({seconds:.3f} s per epoch)", flush=True)

    rows, cols = np.nonzero(x)
    pick = rng.choice(len(rows), int(0.1 * len(rows)), replace=False)
    zeroed = x.copy()
    zeroed[rows[pick], cols[pick]] = 0
    keep = zeroed.sum(1) > 0
    model, _, _ = fit(zeroed[keep], batch[keep], batches, args.seed, args.epochs)
    mu = imputed(model, zeroed, batch)
    print(f"imputation, zeroed non-zeros: median L1 {np.median(np.abs(x[rows[pick], cols[pick]] - mu[rows[pick], cols[pick]])):.3f}", flush=True)

    flat = rng.choice(x.size, int(0.1 * x.size), replace=False)
    r, c = np.unravel_index(flat, x.shape)
    down = x.copy()
    down[r, c] = rng.binomial(x[r, c].astype(np.int64), 0.2)
    keep = down.sum(1) > 0
    model, _, _ = fit(down[keep], batch[keep], batches, args.seed, args.epochs)
    mu = imputed(model, down, batch)
    print(f"imputation, binomial downsampling: median L1 {np.median(np.abs(x[r, c] - mu[r, c])):.3f}", flush=True)


if __name__ == "__main__":
    main()
