#!/usr/bin/env bash
# dsl fit on the wide regression with stan.R's settings (4 chains x (1,000 + 1,000), --threads 1): seconds of
# warm-up and sampling, the smallest bulk ESS over b, Intercept and sigma, and ESS/s.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../../../.."
[ -f "$here/data.json" ] || /usr/bin/python3 "$here/make_data.py"
out=$(mktemp -d)
src/Dsl.Cli/bin/Release/net10.0/dsl fit "$here/WideRegression.cs" --data "$here/data.json" --out "$out" --quiet --threads 1 > /dev/null
/usr/bin/python3 - "$out" <<'PY'
import csv, json, sys
folder = sys.argv[1]
seconds = json.load(open(f"{folder}/summary.json"))["settings"]["sampling_seconds"]
ess = min(float(r["ess_bulk"]) for r in csv.DictReader(open(f"{folder}/summary.csv")))
print(f"ours: {seconds:.2f} s, min bulk ESS {ess:.0f}, ESS/s {ess / seconds:.0f}")
PY
rm -rf "$out"
