#!/usr/bin/env bash
# riskmark vs Trivy on the scale corpus of issue #13 (bench/scale.py): the
# 20,000-component SBOM against the 64x database, both tools offline, both
# databases built from the same 64x OSV archives (522,112 records).
#
#   bench/trivy/scale.sh [RUNS] [SCALE]      (defaults 5, 64)
#
# Env: CORPUS (default $WORK/scale), RISKMARK (a release binary; default:
# build HEAD, bench/lib.sh), KEEP=1 keeps the databases and a corpus this
# script generated (by default they are deleted at the end: about 2.5 GB of
# Trivy DB, 0.6 GB of riskmark DB and 1 GB of corpus at 64x).
#
# Steps, each printed with its result:
#  1. the corpus, if $CORPUS/<SCALE>x is absent:
#     bench/scale.py $CORPUS --scales SCALE --no-nvd (no NVD: Trivy has none)
#  2. the Trivy DB: bench/trivy/build-db.sh $WORK/trivy $CORPUS/<SCALE>x
#     $WORK/trivy/cache-<SCALE>x (time, size, peak RSS of the writer)
#  3. riskmark's database: `db import` of the same 3 archives into an empty
#     directory, 3 runs (time, peak RSS), then its size
#  4. findings, both tools, on sbom20k.cdx.json (replica 0, the SBOM of the
#     scale section) and sbom20k-spread.cdx.json (the same draw spread over
#     all replicas, so the renamed packages and ids must be found):
#     bench/trivy/compare.py reduces both to (package, version, issue)
#  5. warm scan of sbom20k.cdx.json: hyperfine -N, riskmark warm-up 3 and
#     3*RUNS runs, Trivy RUNS runs (its first scan in step 4 is the warm-up,
#     one Trivy scan takes about a minute); peak RSS the max of 3 (riskmark)
#     and 2 (Trivy) /usr/bin/time runs; the spread SBOM the same with
#     /usr/bin/time only (median wall, max RSS).
# Raw outputs go to $WORK/results/trivy-scale-<SCALE>x-*.
source "$(dirname "$0")/../lib.sh"
command -v hyperfine >/dev/null || { echo "error: hyperfine missing (apt-get install -y hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "error: /usr/bin/time missing (apt-get install -y time)" >&2; exit 2; }
runs=${1:-5}
s=${2:-64}
corpus=${CORPUS:-$WORK/scale}
tw="$WORK/trivy"
cache="$tw/cache-${s}x"
db="$WORK/trivy-scale-db-${s}x"
out="$WORK/results"; mkdir -p "$out"
pre="$out/trivy-scale-${s}x"

free_gb() { df -BG --output=avail "$WORK" | tail -1 | tr -dc 0-9; }
# The shared disk keeps >= 15 GB free; at 64x this needs about 5 GB.
need=$((15 + s * 5 / 64 + 1))
if [ "$(free_gb)" -lt "$need" ]; then
  echo "error: $(free_gb) GB free on $WORK, need $need GB (15 GB kept free for others)" >&2
  exit 2
fi

made_corpus=
cleanup() {
  [ "${KEEP:-}" = 1 ] && return
  rm -rf "$cache" "$db"
  if [ -n "$made_corpus" ]; then
    rm -rf "$corpus/${s}x" "$corpus/${s}x-changed" "$corpus"/delta-* "$corpus"/sbom20k*.cdx.json
    rmdir "$corpus" 2>/dev/null || true
  fi
}
trap cleanup EXIT

if [ -z "${RISKMARK:-}" ]; then build; fi
machine
echo "riskmark: $RISKMARK"
"$tw/trivy" --version 2>/dev/null | sed -n 1p || true
echo "disk: $(free_gb) GB free on $WORK"

# 1. Corpus.
if [ ! -f "$corpus/${s}x/Go.zip" ] || [ ! -f "$corpus/sbom20k.cdx.json" ]; then
  made_corpus=1
  echo "== corpus: bench/scale.py $corpus --scales $s --no-nvd"
  /usr/bin/time -f 'corpus: %e s, peak RSS %M KB' python3 "$ROOT/bench/scale.py" "$corpus" --scales "$s" --no-nvd
  # The changed copy and the delta are for bench/scale.sh, not needed here.
  rm -rf "$corpus/${s}x-changed" "$corpus"/delta-*
fi
osv=("$corpus/${s}x/Go.zip" "$corpus/${s}x/PyPI.zip" "$corpus/${s}x/crates.io.zip")
sbom="$corpus/sbom20k.cdx.json"
spread="$corpus/sbom20k-spread.cdx.json"
mb=$(python3 -c "import sys,zipfile; print(round(sum(i.file_size for p in sys.argv[1:] for i in zipfile.ZipFile(p).infolist() if i.filename.endswith('.json'))/1e6,1))" "${osv[@]}")
echo "== ${s}x: $(du -cb "${osv[@]}" | tail -1 | awk '{printf "%.0f", $1/1e6}') MB of zip, $mb MB of JSON; disk $(free_gb) GB free"

# 2. Trivy DB.
echo "== Trivy DB"
"$ROOT/bench/trivy/build-db.sh" "$tw" "$corpus/${s}x" "$cache" | grep -E 'OSV records|^trivy-db:'
echo "disk: $(free_gb) GB free"

# 3. riskmark DB.
echo "== riskmark DB (OSV only, the same 3 archives)"
for i in 1 2 3; do
  rm -rf "$db"
  load=$(cut -d' ' -f1 /proc/loadavg)
  /usr/bin/time -f '%e %M' -o "$pre-import-time.txt" "$RISKMARK" db import "${osv[@]}" --db "$db" >"$pre-import.txt" 2>&1
  read -r secs rss <"$pre-import-time.txt"
  echo "riskmark import ($i): $secs s, peak RSS $((rss / 1024)) MB, load $load"
done
grep '^database' "$pre-import.txt" || true
echo "riskmark-db: $(stat -c %s "$db/vulndb.sqlite") bytes ($(du -cb "$db"/vulndb.sqlite* | tail -1 | cut -f1) with WAL/SHM)"
echo "disk: $(free_gb) GB free"

trivy=("$tw/trivy" sbom --skip-db-update --offline-scan --skip-version-check --cache-dir "$cache" --format json --quiet)
rmscan=("$RISKMARK" vulns --db "$db" --format json)

# 4. Findings (each tool's first scan of the SBOM; wall time and peak RSS
# printed as "first run").
for f in "$sbom" "$spread"; do
  n=$(basename "$f" .cdx.json)
  echo "== findings: $n"
  /usr/bin/time -f '%e %M' -o "$pre-t.txt" "${rmscan[@]}" "$f" >"$pre-rm-$n.json" 2>"$pre-rm-$n.err" || [ $? -le 1 ]
  read -r secs rss < <(grep -E '^[0-9]' "$pre-t.txt")
  echo "riskmark first run: $secs s, peak RSS $((rss / 1024)) MB"
  /usr/bin/time -f '%e %M' -o "$pre-t.txt" "${trivy[@]}" "$f" >"$pre-tv-$n.json"
  read -r secs rss <"$pre-t.txt"
  echo "trivy first run: $secs s, peak RSS $((rss / 1024)) MB"
  python3 "$ROOT/bench/trivy/compare.py" "$pre-rm-$n.json" "$pre-tv-$n.json" "${osv[@]}" >"$pre-diff-$n.txt"
  sed -n 1,3p "$pre-diff-$n.txt"
done

# 5. Time and memory.
peak() { # "median_s peak_MB" over N runs of /usr/bin/time
  local n=$1; shift
  : >"$pre-t.txt"
  for i in $(seq "$n"); do
    /usr/bin/time -f '%e %M' -a -o "$pre-t.txt" "$@" >/dev/null 2>&1 || true
  done
  python3 -c '
import statistics as st, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip() and l[0].isdigit()]
print(f"{st.median(float(r[0]) for r in rows):.2f} {max(int(r[1]) for r in rows) / 1024:.0f}")' "$pre-t.txt"
}
hf() { # NAME WARMUP RUNS CMD...: hyperfine, prints median, min-max
  local name=$1 w=$2 n=$3; shift 3
  hyperfine --style none -N -i --warmup "$w" --runs "$n" --export-json "$pre-hf-$name.json" "$*" >/dev/null 2>&1
  python3 -c '
import json, statistics as st, sys
t = json.load(open(sys.argv[1]))["results"][0]["times"]
print(f"{sys.argv[2]}: median {st.median(t):.3f} s, min {min(t):.3f}, max {max(t):.3f} ({len(t)} runs)")' "$pre-hf-$name.json" "$name"
}
echo "== warm scan, sbom20k.cdx.json (load $(cut -d' ' -f1-3 /proc/loadavg))"
hf riskmark 3 $((runs * 3)) "${rmscan[@]}" "$sbom"
hf trivy 0 "$runs" "${trivy[@]}" "$sbom"
read -r m r < <(peak 3 "${rmscan[@]}" "$sbom"); echo "riskmark peak RSS: $r MB (3 runs, median $m s)"
read -r m r < <(peak 2 "${trivy[@]}" "$sbom"); echo "trivy peak RSS: $r MB (2 runs, median $m s)"
echo "== warm scan, sbom20k-spread.cdx.json (load $(cut -d' ' -f1-3 /proc/loadavg))"
read -r m r < <(peak 3 "${rmscan[@]}" "$spread"); echo "riskmark: median $m s, peak RSS $r MB (3 runs)"
read -r m r < <(peak 2 "${trivy[@]}" "$spread"); echo "trivy: median $m s, peak RSS $r MB (2 runs)"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ), load $(cut -d' ' -f1-3 /proc/loadavg), disk $(free_gb) GB free"
