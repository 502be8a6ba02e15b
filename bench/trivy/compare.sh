#!/usr/bin/env bash
# riskmark vs Trivy, side by side, offline, same SBOMs, same OSV advisories.
# Builds the Trivy DB first (build-db.sh), then for each SBOM: warm wall time
# (hyperfine), peak RSS (/usr/bin/time -v, max of 5) and a findings diff
# (compare.py). riskmark's DB here holds the 3 OSV archives (no KEV: Trivy has
# no KEV data, and KEV does not change which advisories match).
#   bench/trivy/compare.sh [RUNS]        (default 15)
source "$(dirname "$0")/../lib.sh"
need_shared osv/Go.zip osv/PyPI.zip osv/crates.io.zip sboms
command -v hyperfine >/dev/null || { echo "error: hyperfine missing (apt-get install -y hyperfine)" >&2; exit 2; }
runs=${1:-15}
tw="$WORK/trivy"
"$ROOT/bench/trivy/build-db.sh" "$tw" >/dev/null
build
machine
"$tw/trivy" --version | sed -n 1p
out="$WORK/results"; mkdir -p "$out"
db="$WORK/db-compare"; rm -rf "$db"
"$RISKMARK" db import "$SHARED"/osv/*.zip --db "$db" >/dev/null 2>&1
S="$SHARED/sboms/in-the-wild"
# grype-sbom.spdx: Trivy rejects it ("invalid subvalue format for Georg
# Brandl <georg@python.org> (no colon found)": syft wrote PackageOriginator
# without "Person:"). Both tools get the same copy with those 3 lines fixed.
python3 - "$S/spdx/grype-sbom.spdx" "$WORK/grype-sbom-fixed.spdx" <<'PY'
import re, sys
out = []
for l in open(sys.argv[1]):
    m = re.match(r'^(PackageOriginator|PackageSupplier): (.*)$', l.rstrip('\n'))
    if m and not re.match(r'(Person|Organization|Tool):|NOASSERTION', m.group(2)):
        l = f'{m.group(1)}: Person: {m.group(2)}\n'
    out.append(l)
open(sys.argv[2], 'w').writelines(out)
PY
sboms=(
  "$S/cyclonedx/harp-darwin-amd64.sbom.json"
  "$WORK/grype-sbom-fixed.spdx"
  "$S/spdx/chronicle-sbom.spdx.json"
  "$S/cyclonedx/redis-commander-sbom-cdx.json"
  "$S/spdx/istio-release.spdx"
)
trivy=("$tw/trivy" sbom --skip-db-update --offline-scan --skip-version-check --cache-dir "$tw/cache" --format json --quiet)
peak() { # peak RSS in MB, max of 5 runs
  local m=0 k
  for i in 1 2 3 4 5; do
    /usr/bin/time -v -o "$out/time.txt" "$@" >/dev/null 2>&1 || true
    k=$(awk '/Maximum resident/ {print $6}' "$out/time.txt"); [ "$k" -gt "$m" ] && m=$k
  done
  echo "scale=1; $m/1024" | bc
}
for f in "${sboms[@]}"; do
  name=$(basename "$f")
  echo "=== $name ($(stat -c %s "$f") bytes)"
  "$RISKMARK" vulns "$f" --db "$db" --format json >"$out/cmp-rm-$name.json" 2>/dev/null || true
  "${trivy[@]}" "$f" >"$out/cmp-tv-$name.json"
  python3 "$ROOT/bench/trivy/compare.py" "$out/cmp-rm-$name.json" "$out/cmp-tv-$name.json" "$SHARED"/osv/*.zip
  hyperfine --style basic -N --warmup 3 --runs "$runs" --export-json "$out/cmp-time-$name.json" \
    -n riskmark "$RISKMARK vulns $f --db $db --format json" \
    -n trivy "${trivy[*]} $f" 2>&1 | grep -E 'Benchmark|Time|Range|faster|±' || true
  echo "peak RSS: riskmark $(peak "$RISKMARK" vulns "$f" --db "$db" --format json) MB, trivy $(peak "${trivy[@]}" "$f") MB"
done
