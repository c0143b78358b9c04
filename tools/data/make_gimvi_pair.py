"""Builds a real pseudo-spatial pair for gimVI from one real count matrix (a fixture, not part of the product).

The cells are split at random (seeded) into a sequencing half, which keeps every gene, and a spatial half, which
keeps only the most variable genes (ranked on the sequencing half) with its counts binomially thinned to mimic a
lower capture. A share of those spatial genes is held out as the truth an imputation is scored against. Spatial cells
left with no count are dropped. Writes seq.csv, spatial.csv, spatial_heldout.csv (cells as rows, genes as columns).

    /usr/bin/python3 tools/data/make_gimvi_pair.py ../shared/data/pbmc_small OUT --spatial-genes 40 --held-out 10 --capture 0.5 --seed 1
    /usr/bin/python3 tools/data/make_gimvi_pair.py ../shared/data/lung_treutlein OUT --round --spatial-genes 80 --seed 1
"""
import argparse, csv, os
import numpy as np


def read_mtx(folder, rounded):
    genes = [l.strip() for l in open(os.path.join(folder, "genes.tsv"))]
    cells = [l.strip() for l in open(os.path.join(folder, "cells.tsv"))]
    x = np.zeros((len(cells), len(genes)), dtype=np.int64)
    with open(os.path.join(folder, "counts.mtx")) as f:
        header = f.readline()
        if "integer" not in header and not rounded:
            raise SystemExit(f"{folder}/counts.mtx holds non-integer values; gimVI needs counts (--round rounds them, e.g. FPKM)")
        f.readline()
        for line in f:
            g, c, v = line.split()
            x[int(c) - 1, int(g) - 1] = int(round(float(v)))
    return genes, cells, x


def write(path, cells, genes, x):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["cell"] + list(genes))
        for name, row in zip(cells, x):
            w.writerow([name] + [int(v) for v in row])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("source")
    p.add_argument("out")
    p.add_argument("--spatial-genes", type=int, default=40)
    p.add_argument("--held-out", type=int, default=10)
    p.add_argument("--capture", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--round", action="store_true", help="round non-integer values (FPKM, TPM) to the nearest integer")
    a = p.parse_args()
    genes, cells, x = read_mtx(a.source, a.round)
    rng = np.random.default_rng(a.seed)
    order = rng.permutation(len(cells))
    seq, spatial = np.sort(order[: len(cells) // 2]), np.sort(order[len(cells) // 2:])
    normalised = x[seq] / np.maximum(x[seq].sum(1, keepdims=True), 1)
    variation = normalised.std(0) / np.maximum(normalised.mean(0), 1e-12)
    chosen = np.sort(np.argsort(-variation)[: a.spatial_genes])
    held = np.sort(rng.choice(chosen, a.held_out, replace=False))
    kept = np.array([g for g in chosen if g not in set(held)])
    thinned = rng.binomial(x[np.ix_(spatial, chosen)], a.capture)
    columns = {g: k for k, g in enumerate(chosen)}
    observed = thinned[:, [columns[g] for g in kept]]
    alive = observed.sum(1) > 0
    os.makedirs(a.out, exist_ok=True)
    write(os.path.join(a.out, "seq.csv"), [cells[c] for c in seq], genes, x[seq])
    write(os.path.join(a.out, "spatial.csv"), [cells[c] for c in spatial[alive]], [genes[g] for g in kept], observed[alive])
    write(os.path.join(a.out, "spatial_heldout.csv"), [cells[c] for c in spatial[alive]], [genes[g] for g in held], thinned[alive][:, [columns[g] for g in held]])
    print(f"{len(seq)} sequencing cells x {len(genes)} genes; {alive.sum()} spatial cells x {len(kept)} genes (capture {a.capture}), {len(held)} held out")


if __name__ == "__main__":
    main()
