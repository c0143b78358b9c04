#!/usr/bin/env python3
"""URSM data from real single cells: Seurat's 80 PBMCs (data/pbmc_small) as the single-cell part, typed by their
cluster, and pseudo-bulk samples summed from 60 of those cells each, drawn with Dirichlet(1, 1, 1) type shares, so
the true bulk read fractions per type are known.

    /usr/bin/python3 tools/data/make_pseudobulk_ursm.py OUT_DIR [--bulk 12] [--seed 7]

writes OUT_DIR/pbmc_ursm.json (CmdStan-style data for models/Dsl.Models/Ursm/Ursm.cs and its variants: Y, X, G and
the Type plate's size) and OUT_DIR/W_true.csv (types x bulk samples: each sample's read fraction from each type).
"""
import argparse
import csv
import json
import os

import numpy as np
import scipy.io

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--bulk", type=int, default=12)
parser.add_argument("--seed", type=int, default=7)
args = parser.parse_args()
root = os.path.join(os.path.dirname(__file__), "..", "..", "data", "pbmc_small")
counts = scipy.io.mmread(os.path.join(root, "counts.mtx")).toarray().astype(int)  # genes x cells
cells = [line.strip().split("\t")[0] for line in open(os.path.join(root, "cells.tsv"))]
metadata = {row["cell"]: row for row in csv.DictReader(open(os.path.join(root, "cells_metadata.csv")))}
types = np.array([int(metadata[c]["ident"]) for c in cells])
k = types.max() + 1
rng = np.random.default_rng(args.seed)
bulk = np.zeros((counts.shape[0], args.bulk), dtype=int)
fractions = np.zeros((k, args.bulk))
for j in range(args.bulk):
    shares = rng.dirichlet(np.ones(k))
    for t in rng.choice(k, size=60, p=shares):
        cell = rng.choice(np.flatnonzero(types == t))
        bulk[:, j] += counts[:, cell]
        fractions[t, j] += counts[:, cell].sum()
    fractions[:, j] /= fractions[:, j].sum()
os.makedirs(args.out, exist_ok=True)
with open(os.path.join(args.out, "pbmc_ursm.json"), "w") as f:
    json.dump({"Type": int(k), "Y": counts.tolist(), "X": bulk.tolist(), "G": (types + 1).tolist()}, f)
np.savetxt(os.path.join(args.out, "W_true.csv"), fractions, delimiter=",")
