#!/usr/bin/env bash
# Fleet benchmark (#10): a synthetic estate (bench/fleet/gen.py: 5,000 models of 150 real
# components each from ../shared/data/sboms, firmware drift, a long tail of models) at
# 10k, 100k and 1M instances; `riskmark fleet --format json` (every device, every action)
# against a database of the shared OSV archives and the KEV catalog. Wall time and peak
# RSS from /usr/bin/time -v.
#   bench/fleet.sh [INSTANCES...]   default: 10000 100000 1000000
#   RISKMARK_BIN=path skips the build (use a release binary).
source "$(dirname "$0")/lib.sh"
need_shared osv/Go.zip osv/PyPI.zip osv/crates.io.zip kev/known_exploited_vulnerabilities.json sboms
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time missing (apt-get install -y time)" >&2; exit 2; }
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
if [ -n "${RISKMARK_BIN:-}" ]; then
  RISKMARK=$RISKMARK_BIN; REV=$(git -C "$ROOT" rev-parse --short HEAD)
else
  build
fi
machine
dir="$WORK/fleet"; db="$WORK/fleet-db"
if [ ! -f "$dir/inventory-${sizes[-1]}.csv" ]; then
  python3 "$ROOT/bench/fleet/gen.py" "$dir" --models 5000 --components 150 --instances "${sizes[@]}"
fi
if [ ! -f "$db/vulndb.sqlite" ]; then
  "$RISKMARK" db import "$SHARED"/osv/Go.zip "$SHARED"/osv/PyPI.zip "$SHARED"/osv/crates.io.zip \
    "$SHARED"/kev/known_exploited_vulnerabilities.json --db "$db" >/dev/null 2>&1
fi
for n in "${sizes[@]}"; do
  echo "== riskmark fleet inventory-$n.csv --format json"
  /usr/bin/time -v "$RISKMARK" fleet "$dir/inventory-$n.csv" --db "$db" --as-of 2026-12-05 \
    --format json >"$dir/out-$n.json" 2>"$dir/time-$n.txt" || true
  grep -E 'Elapsed \(wall|Maximum resident|Exit status|Percent of CPU' "$dir/time-$n.txt" | sed 's/^\s*/  /'
  python3 - "$dir/out-$n.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
s = f["summary"]
print(f"  {s['devices']} devices, {s['models']} models, KEV on {s['kev_devices']}, "
      f"tiers {s['tiers']}, {len(f['actions'])} actions; output {round(len(open(sys.argv[1]).read())/1e6)} MB")
PY
done
