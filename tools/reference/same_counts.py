"""Imputation of both implementations on identical corrupted counts (issue 5); not part of the product or its tests.

`scvi_torch.py` corrupts with its own draws, so its figures and `dsl eval scvi`'s differ by the corruption as well as by
the fit. This script writes one corruption to files that both fit:

    /usr/bin/python3 tools/reference/same_counts.py corrupt counts.csv zeroed out/      # or: binomial
    /usr/bin/python3 tools/reference/same_counts.py fit out/counts.csv cells.csv out/entries.csv --seed 1
    dotnet run -c Release --project src/Dsl.Cli -- fit scvi --counts out/counts.csv --metadata cells.csv \\
        --batch-key batch --seed 1 --out fit1
    /usr/bin/python3 tools/reference/same_counts.py score fit1/imputed.csv out/entries.csv

Each prints the median L1 at the corrupted entries of the NB means l·rho at the posterior means (Methods 4.7).
The held-out log-likelihood on the cells `dsl eval scvi --out DIR` held out (listed in DIR/evaluation.json):

    /usr/bin/python3 tools/reference/same_counts.py heldout counts.csv cells.csv DIR/evaluation.json --seed 1
"""
import argparse, csv, os, sys
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))


def read_counts(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    return rows[0], [r[0] for r in rows[1:]], np.array([[float(v) for v in r[1:]] for r in rows[1:]], dtype=np.float32)


def corrupt(args):
    header, cells, x = read_counts(args.counts)
    rng = np.random.default_rng(args.seed)
    if args.scheme == "zeroed":
        rows, cols = np.nonzero(x)
        pick = rng.choice(len(rows), int(0.1 * len(rows)), replace=False)
        rows, cols = rows[pick], cols[pick]
        corrupted = x.copy()
        corrupted[rows, cols] = 0
    else:
        flat = rng.choice(x.size, int(0.1 * x.size), replace=False)
        rows, cols = np.unravel_index(flat, x.shape)
        corrupted = x.copy()
        corrupted[rows, cols] = rng.binomial(x[rows, cols].astype(np.int64), 0.2)
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "counts.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for name, row in zip(cells, corrupted):
            w.writerow([name] + [str(int(v)) for v in row])
    with open(os.path.join(args.out, "entries.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["cell", "gene", "original"])
        for r, c in zip(rows, cols):
            w.writerow([r, c, int(x[r, c])])
    print(f"wrote {len(rows)} corrupted entries ({args.scheme}) to {args.out}")


def entries(path):
    e = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
    return e[:, 0].astype(int), e[:, 1].astype(int), e[:, 2]


def fit(args):
    import torch
    import scvi_torch as ref
    torch.set_num_threads(args.threads)
    x, batch, batches = ref.read(args.counts, args.cells)
    keep = x.sum(1) > 0
    model, _, seconds = ref.fit(x[keep], batch[keep], batches, args.seed, args.epochs)
    mu = ref.imputed(model, x, batch)
    r, c, original = entries(args.entries)
    print(f"reference, seed {args.seed}: median L1 {np.median(np.abs(original - mu[r, c])):.4f} ({seconds:.2f} s per epoch)")


def heldout(args):
    import json
    import torch
    import scvi_torch as ref
    torch.set_num_threads(args.threads)
    x, batch, batches = ref.read(args.counts, args.cells)
    with open(args.counts) as f:
        names = [r[0] for r in list(csv.reader(f))[1:]]
    with open(args.evaluation) as f:
        held = set(json.load(f)["HeldOutCellNames"])
    test = np.array([i for i, name in enumerate(names) if name in held])
    training = np.setdiff1d(np.arange(len(names)), test)
    model, prior, _ = ref.fit(x[training], batch[training], batches, args.seed, args.epochs)
    ll = ref.marginal_ll(model, prior, x[test], batch[test])
    print(f"reference, seed {args.seed}: held-out log p(x) per cell {ll:.2f} on {len(test)} cells")


def score(args):
    _, _, mu = read_counts(args.imputed)
    r, c, original = entries(args.entries)
    print(f"{args.imputed}: median L1 {np.median(np.abs(original - mu[r, c])):.4f}")


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("corrupt")
    p.add_argument("counts")
    p.add_argument("scheme", choices=["zeroed", "binomial"])
    p.add_argument("out")
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(run=corrupt)
    # fit and heldout train the reference: counts, cells, one file of their own, and the training settings.
    for name, last, run in (("fit", "entries", fit), ("heldout", "evaluation", heldout)):
        p = commands.add_parser(name)
        for positional in ("counts", "cells", last):
            p.add_argument(positional)
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--epochs", type=int, default=400)
        p.add_argument("--threads", type=int, default=1)
        p.set_defaults(run=run)
    p = commands.add_parser("score")
    p.add_argument("imputed")
    p.add_argument("entries")
    p.set_defaults(run=score)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
