#!/usr/bin/env bash
# Import benchmark: the three OSV archives (and, separately, + KEV) into a
# fresh database, release build, hyperfine. Then the import_bench example
# for per-archive MB/s and the time to open the database.
#   bench/import.sh [RUNS]        (default 15)
source "$(dirname "$0")/lib.sh"
need_shared osv/Go.zip osv/PyPI.zip osv/crates.io.zip kev/known_exploited_vulnerabilities.json
command -v hyperfine >/dev/null || { echo "error: hyperfine missing (apt-get install -y hyperfine)" >&2; exit 2; }
runs=${1:-15}
build
machine
out="$WORK/results"; mkdir -p "$out"
osv=("$SHARED"/osv/Go.zip "$SHARED"/osv/PyPI.zip "$SHARED"/osv/crates.io.zip)
kev="$SHARED/kev/known_exploited_vulnerabilities.json"
db="$WORK/db-import"
python3 - "${osv[@]}" <<'PY'
import sys, zipfile, os
tot = 0
for p in sys.argv[1:]:
    z = zipfile.ZipFile(p)
    js = [i for i in z.infolist() if i.filename.endswith('.json')]
    b = sum(i.file_size for i in js); tot += b
    print(f"{os.path.basename(p)}: {os.path.getsize(p)/1e6:.2f} MB zip, {len(js)} JSON entries, {b/1e6:.2f} MB JSON")
print(f"total JSON {tot/1e6:.2f} MB")
PY
hyperfine --style basic -N --warmup 2 --runs "$runs" \
  --prepare "rm -rf $db" \
  --export-json "$out/import-osv.json" \
  -n "import 3 OSV archives" "$RISKMARK db import ${osv[*]} --db $db" \
  -n "import 3 OSV archives + KEV" "$RISKMARK db import ${osv[*]} $kev --db $db"
python3 - "$out/import-osv.json" <<'PY'
import json, sys, statistics as st
for r in json.load(open(sys.argv[1]))["results"]:
    t = r["times"]
    print(f'{r["command"]}: median {st.median(t)*1e3:.1f} ms, min {min(t)*1e3:.1f}, max {max(t)*1e3:.1f}, stddev {st.stdev(t)*1e3:.1f} ms, n={len(t)}')
PY
# Re-import into an existing database (everything unchanged).
rm -rf "$db"; "$RISKMARK" db import "${osv[@]}" "$kev" --db "$db" >/dev/null 2>&1
hyperfine --style basic -N --warmup 1 --runs "$runs" --export-json "$out/reimport.json" \
  -n "re-import (unchanged)" "$RISKMARK db import ${osv[*]} $kev --db $db"
# Opening: a CLI call that only opens the DB and reads stats (process start
# included), then the library figures from import_bench.
hyperfine --style basic -N --warmup 3 --runs 50 --export-json "$out/open-stats.json" \
  -n "riskmark db stats" "$RISKMARK db stats --db $db"
echo "--- import_bench (3 runs) ---"
for i in 1 2 3; do rm -f "$WORK/ib.sqlite"; "$IMPORT_BENCH" "$WORK/ib.sqlite" "${osv[@]}"; echo; done
rm -f "$WORK/ib.sqlite"
