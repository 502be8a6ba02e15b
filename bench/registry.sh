#!/usr/bin/env bash
# Registry benchmark (riskmark serve, SQLite): submissions of a 156-component device end
# to end (curl, median and p99), then N registered devices (the first one's rows copied
# under new ids; default 2000) and wrk on the public page /d/{id} and
# GET /api/v1/devices/{id} (2 threads, 32 connections, 15 s), and the index query that
# turns a changed package into the affected devices.
#   bench/registry.sh [N]      RISKMARK_BIN=path skips the build (use a release binary)
source "$(dirname "$0")/lib.sh"
need_shared osv/Go.zip sboms/in-the-wild/cyclonedx/harp-darwin-amd64.sbom.json
command -v wrk >/dev/null || { echo "error: wrk missing (apt-get install -y wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "error: curl missing" >&2; exit 2; }
n=${1:-2000}
if [ -n "${RISKMARK_BIN:-}" ]; then
  RISKMARK=$RISKMARK_BIN; REV=$(git -C "$ROOT" rev-parse --short HEAD)
else
  build
fi
machine
dir="$WORK/registry"; rm -rf "$dir"; mkdir -p "$dir"
reg="$dir/registry.sqlite"; vdb="$dir/vulndb"
"$RISKMARK" db import "$SHARED"/osv/Go.zip --db "$vdb" >/dev/null 2>&1
"$RISKMARK" registry org create Acme --role manufacturer --database "$reg" 2>/dev/null
token=$("$RISKMARK" registry token create --org Acme --database "$reg" 2>/dev/null)
port=18181; base="http://127.0.0.1:$port"
start() {
  "$RISKMARK" serve --listen 127.0.0.1:$port --database "$reg" --db "$vdb" \
    --rate-limit-ip 0 --rate-limit-writes 0 --reevaluate-every 0 2>"$dir/serve.log" &
  server=$!
  for _ in $(seq 50); do curl -fs "$base/healthz" >/dev/null && return; sleep 0.1; done
  echo "error: the server did not start" >&2; exit 2
}
start
trap 'kill $server 2>/dev/null || true' EXIT
sbom="$SHARED/sboms/in-the-wild/cyclonedx/harp-darwin-amd64.sbom.json"
profile="$ROOT/examples/smart-plug.toml"
echo "== submissions: smart plug + harp-darwin-amd64 SBOM (156 components), 40 versions"
for i in $(seq 40); do
  curl -fs -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" \
    -F "profile=@$profile" -F "sbom=@$sbom" "$base/api/v1/devices"
done | sort -n | awk '{a[NR]=$1} END {printf "median %.1f ms  p99 %.1f ms  (n=%d)\n", a[int(NR/2)+1]*1000, a[int(NR*0.99)+ (NR*0.99>int(NR*0.99))]*1000, NR}'
id=$(curl -fs "$base/api/v1/devices?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["devices"][0]["id"])')
kill $server; wait $server 2>/dev/null || true
echo "== seeding $n devices (copies of $id's current version under new ids)"
python3 - "$reg" "$id" "$n" <<'PY'
import sqlite3, sys, time
db, first, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = sqlite3.connect(db)
t = time.time()
cur = c.execute("SELECT current_version FROM devices WHERE id = ?", (first,)).fetchone()[0]
c.execute("BEGIN")
for i in range(1, n):
    new = f"bench-{i:07d}"
    c.execute("INSERT INTO devices SELECT ?, org_id, manufacturer, name || ' ' || ?, model || '-' || ?, category, tier, score, 1, created, updated FROM devices WHERE id = ?", (new, i, i, first))
    c.execute("INSERT INTO device_versions SELECT ?, 1, firmware_version, profile_name, profile, sbom, vex, tier, score, assessment, label, created, note FROM device_versions WHERE device_id = ? AND version = ?", (new, first, cur))
    c.execute("INSERT INTO device_packages SELECT ?, ecosystem, name FROM device_packages WHERE device_id = ?", (new, first))
c.execute("COMMIT")
pk = c.execute("SELECT count(*) FROM device_packages").fetchone()[0]
print(f"{n} devices, {pk} device-package rows, {time.time()-t:.1f} s")
# A changed package -> the affected devices, through the index.
eco, name = c.execute("SELECT ecosystem, name FROM device_packages LIMIT 1").fetchone()
ts = []
for _ in range(20):
    t = time.perf_counter()
    rows = c.execute("SELECT device_id FROM device_packages WHERE ecosystem = ? AND name = ?", (eco, name)).fetchall()
    ts.append((time.perf_counter() - t) * 1000)
ts.sort()
print(f"affected devices of {eco}/{name}: {len(rows)} rows, median {ts[10]:.2f} ms, max {ts[-1]:.2f} ms")
PY
ls -la "$reg" | awk '{printf "registry file: %.1f MB\n", $5/1e6}'
start
for path in "/d/bench-$(printf %07d $((n / 2)))" "/api/v1/devices/bench-$(printf %07d $((n / 2)))"; do
  echo "== wrk $path"
  wrk -t2 -c32 -d15s --latency "$base$path" | grep -E 'Requests/sec|Latency |  50%|  99%|Non-2xx'
done
