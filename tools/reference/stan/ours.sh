#!/usr/bin/env bash
# The same measure for `dsl fit` on the declarations of tests/posteriordb: 4 chains of 1,000 draws after 1,000
# warm-up, --threads 1 (chains in sequence), the fit's sampling seconds (warm-up + sampling, not the model's
# compilation or the summaries) and the smallest bulk ESS over the reference's parameters.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dsl=src/Dsl.Cli/bin/Release/net10.0/dsl
out=$(mktemp -d)
echo "posterior,seconds,min_bulk_ess,ess_per_s"
for m in kidiq-kidscore_momiq earnings-logearn_height mesquite-logmesquite eight_schools-eight_schools_noncentered sblri-blr low_dim_gauss_mix-low_dim_gauss_mix \
    earnings-logearn_interaction_z diamonds-diamonds kidiq-kidscore_interaction mesquite-logmesquite_logvash kidiq_with_mom_work-kidscore_mom_work \
    earnings-log10earn_height kidiq_with_mom_work-kidscore_interaction_z; do
  "$dsl" fit "tests/posteriordb/$m.cs" --data "tests/fixtures/posteriordb/$m/data.json" --out "$out/$m" --quiet --threads 1 > /dev/null
  /usr/bin/python3 - "$m" "$out/$m" <<'PY'
import csv, json, sys
name, folder = sys.argv[1], sys.argv[2]
summary = json.load(open(f"{folder}/summary.json"))
reference = json.load(open(f"tests/fixtures/posteriordb/{name}/reference.json"))
rows = {r["name"]: r for r in csv.DictReader(open(f"{folder}/summary.csv"))}
ess = min(float(rows[k]["ess_bulk"]) for k in reference)
seconds = summary["settings"]["sampling_seconds"]
print(f"{name},{seconds:.3f},{ess:.0f},{ess / seconds:.0f}")
PY
done
rm -rf "$out"
