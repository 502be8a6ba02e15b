#!/usr/bin/env bash
# Warm scan benchmark: `riskmark vulns SBOM --db DIR --format json` on the
# largest SBOMs in ../shared/data/sboms, database = 3 OSV archives + KEV.
# Wall time with hyperfine (warm cache, warmup 3), peak RSS with
# /usr/bin/time -v (max over 5 runs).
#   bench/scan.sh [RUNS]        (default 20)
source "$(dirname "$0")/lib.sh"
need_shared osv/Go.zip osv/PyPI.zip osv/crates.io.zip kev/known_exploited_vulnerabilities.json sboms
command -v hyperfine >/dev/null || { echo "error: hyperfine missing (apt-get install -y hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time missing (apt-get install -y time)" >&2; exit 2; }
runs=${1:-20}
build
machine
out="$WORK/results"; mkdir -p "$out"
db="$WORK/db-scan"
rm -rf "$db"
"$RISKMARK" db import "$SHARED"/osv/Go.zip "$SHARED"/osv/PyPI.zip "$SHARED"/osv/crates.io.zip \
  "$SHARED/kev/known_exploited_vulnerabilities.json" --db "$db" 2>&1 | tail -1
S="$SHARED/sboms/in-the-wild"
# The largest by size (maubot-spdx.json, 4.1 MB, is the largest file but is
# an SPDX license list, not an SBOM: riskmark rejects it, exit 2) and by
# component count, across CycloneDX JSON and SPDX JSON / tag-value.
sboms=(
  "$S/spdx/istio-release.spdx"
  "$S/spdx/chartmuseum-v0.14.0.spdx"
  "$S/cyclonedx/redis-commander-sbom-cdx.json"
  "$S/cyclonedx/harp-darwin-amd64.sbom.json"
  "$S/spdx/grype-sbom.spdx"
)
printf '%-40s %9s %6s %6s %9s %9s %9s %9s\n' sbom bytes comps finds median_ms min_ms max_ms rss_MB
for f in "${sboms[@]}"; do
  name=$(basename "$f")
  "$RISKMARK" vulns "$f" --db "$db" --format json >"$out/rm-$name.json" 2>/dev/null || true
  read -r comps finds < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["components"], len(d["findings"]))' "$out/rm-$name.json")
  hyperfine --style none -N --warmup 3 --runs "$runs" --export-json "$out/scan-$name.json" \
    "$RISKMARK vulns $f --db $db --format json" >/dev/null 2>&1
  read -r med lo hi < <(python3 -c '
import json,sys,statistics as st
t=json.load(open(sys.argv[1]))["results"][0]["times"]
print(f"{st.median(t)*1e3:.1f} {min(t)*1e3:.1f} {max(t)*1e3:.1f}")' "$out/scan-$name.json")
  rss=0
  for i in 1 2 3 4 5; do
    /usr/bin/time -v -o "$out/time.txt" "$RISKMARK" vulns "$f" --db "$db" --format json >/dev/null 2>&1 || true
    k=$(awk '/Maximum resident/ {print $6}' "$out/time.txt")
    [ "${k:-0}" -gt "$rss" ] && rss=$k
  done
  printf '%-40s %9s %6s %6s %9s %9s %9s %9.1f\n' "$name" "$(stat -c %s "$f")" "$comps" "$finds" "$med" "$lo" "$hi" "$(echo "$rss/1024" | bc -l)"
done
