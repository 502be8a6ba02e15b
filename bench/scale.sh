#!/usr/bin/env bash
# The database at its real size (issue #13): fresh import, re-import of the
# unchanged inputs, a delta, and the warm 20,000-component scan at 1x, 16x
# and 64x the shared OSV archives, each run RUNS times (default 3).
#
#   bench/scale.py /work/bench-data/scale        # once: the corpus (~3 min, 2.6 GB)
#   bench/scale.sh /work/bench-data/scale [RUNS] [SCALES]
#
# RISKMARK=path/to/riskmark uses that binary instead of building HEAD
# (bench/lib.sh). Each measurement prints wall seconds and peak RSS
# (/usr/bin/time) and the 1-minute load average before it. Databases go to
# $WORK/scale-db-<scale>x.
source "$(dirname "$0")/lib.sh"
corpus=${1:?usage: bench/scale.sh CORPUS_DIR [RUNS] [SCALES]}
runs=${2:-3}
scales=${3:-1 16 64}
[ -d "$corpus/1x" ] || { echo "error: $corpus/1x is absent: run bench/scale.py $corpus first" >&2; exit 2; }
if [ -z "${RISKMARK:-}" ]; then build; fi
machine
echo "riskmark: $RISKMARK"
mkdir -p "$WORK"
# The database copies (up to 2 GB each at 64x) go even when a step fails.
trap 'rm -f "$WORK/nvd-base.sqlite" "$WORK/delta-base.sqlite"' EXIT

# run LABEL CMD...: one timed run, "LABEL wall=S rss=MB load=L"
run() {
  local label=$1; shift
  local load; load=$(cut -d' ' -f1-3 /proc/loadavg)
  /usr/bin/time -f '%e %M' -o "$WORK/time.txt" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" \
    || { echo "$label: FAILED"; cat "$WORK/err.txt"; return 1; }
  read -r wall rss <"$WORK/time.txt"
  printf '%-34s wall=%6.2f s  rss=%5d MB  load=%s\n' "$label" "$wall" $((rss / 1024)) "$load"
}

for s in $scales; do
  d="$corpus/${s}x"
  osv=("$d"/Go.zip "$d"/PyPI.zip "$d"/crates.io.zip)
  nvd=("$d"/nvd/*.json)
  db="$WORK/scale-db-${s}x"
  mb=$(python3 -c "import sys,zipfile; print(round(sum(i.file_size for p in sys.argv[1:] for i in zipfile.ZipFile(p).infolist() if i.filename.endswith('.json'))/1e6,1))" "${osv[@]}")
  nmb=$(du -cb "${nvd[@]}" | tail -1 | awk '{printf "%.1f", $1/1e6}')
  echo "== ${s}x: OSV ${mb} MB of JSON, NVD ${nmb} MB of JSON (${#nvd[@]} files)"
  for i in $(seq "$runs"); do
    rm -rf "$db"
    run "fresh import OSV ($i)" "$RISKMARK" db import "${osv[@]}" --db "$db"
  done
  grep '^database' "$WORK/out.txt"
  for i in $(seq "$runs"); do
    cp "$db/vulndb.sqlite" "$WORK/nvd-base.sqlite"
    run "then NVD import ($i)" "$RISKMARK" db import "${nvd[@]}" --db "$db"
    [ "$i" = "$runs" ] || { rm -f "$db"/vulndb.sqlite-*; cp "$WORK/nvd-base.sqlite" "$db/vulndb.sqlite"; }
  done
  rm -f "$WORK/nvd-base.sqlite"
  for i in $(seq "$runs"); do
    run "re-import unchanged OSV+NVD ($i)" "$RISKMARK" db import "${osv[@]}" "${nvd[@]}" --db "$db"
  done
  grep -E '^imported .*Go.zip' "$WORK/out.txt"
  bytes=$(stat -c %s "$db/vulndb.sqlite")
  adv=$(sqlite3 "file:$db/vulndb.sqlite?mode=ro" "SELECT count(*) FROM advisories")
  cves=$(sqlite3 "file:$db/vulndb.sqlite?mode=ro" "SELECT count(*) FROM nvd_cves")
  echo "size: $((bytes / 1000000)) MB, $adv advisories + $cves NVD CVEs: $((bytes / (adv + cves))) bytes per record"
  "$RISKMARK" vulns "$corpus/sbom20k.cdx.json" --db "$db" --format json >/dev/null || true
  for i in $(seq "$runs"); do
    run "warm scan sbom20k json ($i)" sh -c "'$RISKMARK' vulns '$corpus/sbom20k.cdx.json' --db '$db' --format json >/dev/null; test \$? -le 1"
  done
  if [ "$s" = 64 ] && [ -d "$corpus/64x-changed" ]; then
    "$RISKMARK" vulns "$corpus/sbom20k-spread.cdx.json" --db "$db" --format json >/dev/null || true
    run "warm scan sbom20k-spread json" sh -c "'$RISKMARK' vulns '$corpus/sbom20k-spread.cdx.json' --db '$db' --format json >/dev/null; test \$? -le 1"
    ch=("$corpus"/64x-changed/Go.zip "$corpus"/64x-changed/PyPI.zip "$corpus"/64x-changed/crates.io.zip)
    cp "$db/vulndb.sqlite" "$WORK/delta-base.sqlite"
    for i in $(seq "$runs"); do
      rm -f "$db"/vulndb.sqlite-*; cp "$WORK/delta-base.sqlite" "$db/vulndb.sqlite"
      run "64x archives, ~1000 changed ($i)" "$RISKMARK" db import "${ch[@]}" --db "$db"
    done
    grep -E '^imported' "$WORK/out.txt"
    for i in $(seq "$runs"); do
      rm -f "$db"/vulndb.sqlite-*; cp "$WORK/delta-base.sqlite" "$db/vulndb.sqlite"
      run "delta.zip, ~1000 advisories ($i)" "$RISKMARK" db import "$corpus"/delta-*/delta.zip --db "$db"
    done
    grep -E '^imported' "$WORK/out.txt"
    rm -f "$db"/vulndb.sqlite-*; mv "$WORK/delta-base.sqlite" "$db/vulndb.sqlite"
  fi
done
