"""Summarise posteriordb's reference draws as tests/fixtures/posteriordb/<folder>/reference.json.

posteriordb ships each gold-standard posterior as a list of chains, each a map from Stan's parameter name to its
draws (reference_posteriors/draws/draws/<posterior>.json.zip). The tests hold a fit to every parameter's mean and
standard deviation, so the fixture keeps those and the 5 % / 95 % quantiles, as ../shared/posteriordb does.

    /usr/bin/python3 tools/data/posteriordb_reference.py DRAWS.json > reference.json
"""
import json
import sys

import numpy as np

chains = json.load(open(sys.argv[1]))
summary = {}
for name in chains[0]:
    draws = np.concatenate([np.asarray(chain[name], dtype=float) for chain in chains])
    summary[name] = {
        "mean": float(draws.mean()),
        "sd": float(draws.std(ddof=1)),
        "q05": float(np.quantile(draws, 0.05)),
        "q95": float(np.quantile(draws, 0.95)),
        "draws": int(draws.size),
    }
json.dump(summary, sys.stdout, indent=1)
print()
