#!/usr/bin/env bash
# `db sync` of an OSV ecosystem in which N records changed: the modified-id list and the
# N single records, against the whole archive (`--full`), both into a copy of the same
# database. The mirror is Python's http.server on 127.0.0.1 serving a tree laid out as
# OSV's bucket (all.zip, modified_id.csv newest first, <id>.json), made from the shared
# PyPI archive; the N changed records get a new `modified` time.
#
#   bench/sync-delta.sh [N=100] [RUNS=5]
#
# Environment: RISKMARK (the binary, default target/release/riskmark).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
n=${1:-100}
runs=${2:-5}
bin=${RISKMARK:-$root/target/release/riskmark}
zip=$root/../shared/data/osv/PyPI.zip
[ -x "$bin" ] || { echo "error: $bin is not built (cargo build --release -p riskmark)" >&2; exit 2; }
[ -f "$zip" ] || { echo "error: $zip is absent (../shared beside the repo)" >&2; exit 2; }
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/mirror/PyPI"
cp "$zip" "$work/mirror/PyPI/all.zip"

# The list of the archive as OSV writes it, newest first.
python3 - "$work/mirror/PyPI" <<'PY'
import datetime, json, sys, zipfile
d = sys.argv[1]
rows = []
with zipfile.ZipFile(f"{d}/all.zip") as z:
    for name in z.namelist():
        if name.endswith(".json"):
            r = json.loads(z.read(name))
            t = datetime.datetime.fromisoformat(r["modified"].replace("Z", "+00:00"))
            rows.append((t, r["modified"], r["id"]))
rows.sort(reverse=True)
with open(f"{d}/modified_id.csv", "w") as f:
    f.writelines(f"{m},{i}\n" for _, m, i in rows)
print(f"mirror: {len(rows)} PyPI records")
PY

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# http.server's listen backlog is 5: too few for sync's 8 parallel record downloads
# (refused connections would be retried after a second's backoff).
(cd "$work/mirror" && exec python3 -c '
import http.server, sys
class S(http.server.ThreadingHTTPServer):
    request_queue_size = 128
S(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()
' "$port" >/dev/null 2>&1) &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/PyPI/modified_id.csv" -o /dev/null && break; sleep 0.1; done

sync() { RISKMARK_DB=$1 "$bin" db sync --source osv --ecosystem PyPI --mirror "http://127.0.0.1:$port" "${@:2}"; }
mkdir -p "$work/base"
sync "$work/base" >/dev/null
echo "first sync (whole archive): $(du -b "$work/base/vulndb.sqlite" | cut -f1) bytes of database"

# N records change upstream: new `modified`, listed on top, served one by one, and in a
# new archive.
python3 - "$work/mirror/PyPI" "$n" <<'PY'
import datetime, json, sys, zipfile
d, n = sys.argv[1], int(sys.argv[2])
now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
with zipfile.ZipFile(f"{d}/all.zip") as z:
    names = sorted(x for x in z.namelist() if x.endswith(".json"))
    records = {x: json.loads(z.read(x)) for x in names}
lines = []
for k, name in enumerate(names[:n]):
    r = records[name]
    r["modified"] = (now - datetime.timedelta(seconds=k)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(f"{d}/{r['id']}.json", "w") as f:
        json.dump(r, f)
    lines.append(f"{r['modified']},{r['id']}\n")
with zipfile.ZipFile(f"{d}/all.zip.new", "w", zipfile.ZIP_DEFLATED) as z:
    for name in names:
        z.writestr(name, json.dumps(records[name]))
import os
os.replace(f"{d}/all.zip.new", f"{d}/all.zip")
old = open(f"{d}/modified_id.csv").read()
open(f"{d}/modified_id.csv", "w").write("".join(lines) + old)
print(f"changed: {n} records")
PY

time_one() { # label, extra args
  local best=() t
  for _ in $(seq "$runs"); do
    rm -rf "$work/db"; cp -r "$work/base" "$work/db"
    t=$( { /usr/bin/time -f '%e %M' bash -c 'RISKMARK_DB=$0 "$1" db sync --source osv --ecosystem PyPI --mirror "$2" ${3:+"$3"} >"$0/out.txt"' \
        "$work/db" "$bin" "http://127.0.0.1:$port" "${2:-}"; } 2>&1 | tail -1)
    best+=("$t")
  done
  printf '%s\n' "${best[@]}" | sort -n | awk -v l="$1" -v r="$runs" '{s[NR]=$1; m[NR]=$2} END {printf "%-34s median %.2f s  (min %.2f, max %.2f; %d runs)  max RSS %d MB\n", l, s[int((NR+1)/2)], s[1], s[NR], r, m[NR]/1024}'
  sed -n 1p "$work/db/out.txt"
}
time_one "modified-id list + $n records"
time_one "whole archive (--full)" --full
