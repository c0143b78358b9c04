#!/usr/bin/env bash
# Exact Gibbs against NUTS on three conjugate models of tests/declarations/Conjugate.cs, each simulated once (seed 3)
# and fitted by both engines at the defaults (4 chains x (1,000 + 1,000)) on one thread: sampling seconds, the smallest
# bulk ESS over every latent entry, and ESS per second.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../../.."
dsl=src/Dsl.Cli/bin/Release/net10.0/dsl
model=tests/declarations/Conjugate.cs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run() {
  local name=$1; shift
  "$dsl" simulate "$model" --model "$name" "$@" --seed 3 --out "$work/$name" > /dev/null
  for method in gibbs nuts; do
    "$dsl" fit "$model" --model "$name" --data "$work/$name/data.json" --method "$method" --threads 1 --out "$work/$name-$method" --quiet > /dev/null
    /usr/bin/python3 - "$work/$name-$method" "$name" "$method" <<'PY'
import csv, json, sys
folder, name, method = sys.argv[1:]
seconds = json.load(open(f"{folder}/summary.json"))["settings"]["sampling_seconds"]
ess = min(float(r["ess_bulk"]) for r in csv.DictReader(open(f"{folder}/summary.csv")))
print(f"{name:22} {method:6} {seconds:7.2f} s  min bulk ESS {ess:6.0f}  ESS/s {ess / seconds:8.0f}")
PY
  done
}
run NormalPrecisions --plate Observation=5000 --plate Group=50
run GammaPoissonExposure --plate Region=2000 --set exposure=2
run DesignRegression --plate Observation=5000 --plate Feature=24
