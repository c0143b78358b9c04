"""How far any completion of Y moves k-means ARI on a labelled set, as evidence for deepMc's clustering criterion.

Run: /usr/bin/python3 tools/reference/deepmc/ari_ceiling.py [shared/data]
For pbmc_small (labels `ident`) and lung_treutlein (labels `age`): the paper's preprocessing, then k-means (k = the
number of labels, 20 k-means++ starts, seed 1) on Y and on the matrix each completion gives, every entry predicted
("X") and measured entries kept ("filled"). The completions: the rank-r factorisation fitted to Y's non-zeros with a
ridge penalty (deepMc's one-layer objective at r = 5, 10, 20 and penalties 0.3-30), and the same with the zeros
counted at weight w (w = 1 is a plain low-rank approximation, PCA-like denoising).
"""
import csv
import sys
from math import comb

import numpy as np
import scipy.optimize

from ridge_or_not import preprocess


def adjusted_rand(a, b):
    _, a = np.unique(a, return_inverse=True)
    _, b = np.unique(b, return_inverse=True)
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)
    pairs = sum(comb(int(x), 2) for x in table.ravel())
    rows = sum(comb(int(x), 2) for x in table.sum(1))
    columns = sum(comb(int(x), 2) for x in table.sum(0))
    expected = rows * columns / comb(len(a), 2)
    return (pairs - expected) / ((rows + columns) / 2 - expected)


def kmeans(points, k, starts=20, seed=1):
    rng = np.random.default_rng(seed)
    best = None
    for _ in range(starts):
        centres = [points[rng.integers(len(points))]]
        for _ in range(k - 1):
            distance = np.min(((points[:, None] - np.array(centres)[None]) ** 2).sum(2), 1)
            centres.append(points[rng.choice(len(points), p=distance / distance.sum())])
        centres = np.array(centres)
        for _ in range(300):
            labels = ((points[:, None] - centres[None]) ** 2).sum(2).argmin(1)
            moved = np.array([points[labels == j].mean(0) if (labels == j).any() else centres[j] for j in range(k)])
            if np.allclose(moved, centres):
                break
            centres = moved
        inertia = ((points - centres[labels]) ** 2).sum()
        if best is None or inertia < best[0]:
            best = (inertia, labels)
    return best[1]


def weighted_factorisation(y, rank, penalty, zero_weight, seed=1):
    """min ½ Σ w_ij (y_ij − u_i·v_j)² + ½ penalty (‖U‖² + ‖V‖²), w = 1 on non-zeros and zero_weight on zeros."""
    cells, genes = y.shape
    weight = np.where(y != 0, 1.0, zero_weight)

    def loss(theta):
        u, v = theta[:cells * rank].reshape(cells, rank), theta[cells * rank:].reshape(genes, rank)
        residual = u @ v.T - y
        weighted = weight * residual
        value = 0.5 * (weighted * residual).sum() + 0.5 * penalty * (theta ** 2).sum()
        return value, np.concatenate([(weighted @ v).ravel(), (weighted.T @ u).ravel()]) + penalty * theta

    start = 0.1 * np.random.default_rng(seed).normal(size=(cells + genes) * rank)
    theta = scipy.optimize.minimize(loss, start, jac=True, method="L-BFGS-B", options=dict(maxiter=2000)).x
    return theta[:cells * rank].reshape(cells, rank) @ theta[cells * rank:].reshape(genes, rank).T


def main(root):
    for name, key in [("pbmc_small", "ident"), ("lung_treutlein", "age")]:
        y = preprocess(f"{root}/{name}")
        labels = np.array([row[key] for row in csv.DictReader(open(f"{root}/{name}/cells_metadata.csv"))])
        k = len(set(labels))
        print(f"{name}: {y.shape[0]} cells x {y.shape[1]} genes, k = {k}; ARI of Y {adjusted_rand(kmeans(y, k), labels):.3f}")
        for rank in (5, 10, 20):
            for penalty, zero_weight in [(0.3, 0), (1, 0), (3, 0), (10, 0), (30, 0), (1, 0.1), (1, 0.3), (1, 1)]:
                x = weighted_factorisation(y, rank, penalty, zero_weight)
                filled = np.where(y != 0, y, x)
                print(f"  rank {rank:2d}, penalty {penalty:4}, zero weight {zero_weight}: "
                      f"ARI X {adjusted_rand(kmeans(x, k), labels):.3f}, filled {adjusted_rand(kmeans(filled, k), labels):.3f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data")
