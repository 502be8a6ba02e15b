#!/usr/bin/env bash
# Registry benchmark (riskmark serve) on SQLite or PostgreSQL:
#  1. submissions of a 156-component device end to end (curl; median and p99);
#  2. N registered devices (the first one's rows copied under new ids in SQL; default
#     100000) plus one device with a package no other has;
#  3. the index query that turns a changed package into the affected devices, for a
#     package every device has and for one only one device has;
#  4. wrk (2 threads, 32 connections, 15 s) on the public page /d/{id} and on
#     GET /api/v1/devices/{id}: one hot device (served from the per-version cache), and
#     ids drawn uniformly from all N (mostly cache misses: read, decompress, render).
#   bench/registry.sh [N]                 SQLite file in the scratch directory
#   BACKEND=postgres bench/registry.sh [N]  a fresh database `riskmark_bench` on the
#       server RISKMARK_TEST_POSTGRES names (default: the CI one, see .ci/setup.d/postgres.sh)
#   RISKMARK_BIN=path skips the build (use a release binary).
source "$(dirname "$0")/lib.sh"
need_shared osv/Go.zip sboms/in-the-wild/cyclonedx/harp-darwin-amd64.sbom.json
command -v wrk >/dev/null || { echo "error: wrk missing (apt-get install -y wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "error: curl missing" >&2; exit 2; }
n=${1:-100000}
backend=${BACKEND:-sqlite}
if [ -n "${RISKMARK_BIN:-}" ]; then
  RISKMARK=$RISKMARK_BIN; REV=$(git -C "$ROOT" rev-parse --short HEAD)
else
  build
fi
machine
dir="$WORK/registry"; rm -rf "$dir"; mkdir -p "$dir"
vdb="$dir/vulndb"
case "$backend" in
  sqlite) reg="$dir/registry.sqlite" ;;
  postgres)
    command -v psql >/dev/null || { echo "error: psql missing" >&2; exit 2; }
    admin=${RISKMARK_TEST_POSTGRES:-postgres://riskmark:riskmark@127.0.0.1:5432/postgres}
    psql -q "$admin" -c "DROP DATABASE IF EXISTS riskmark_bench WITH (FORCE)" -c "CREATE DATABASE riskmark_bench"
    reg="${admin%/*}/riskmark_bench"
    echo "postgres: $(psql -tA "$reg" -c 'SELECT version()')" ;;
  *) echo "error: BACKEND is sqlite or postgres" >&2; exit 2 ;;
esac
echo "backend: $backend"
"$RISKMARK" db import "$SHARED"/osv/Go.zip --db "$vdb" >/dev/null 2>&1
"$RISKMARK" registry org create Acme --role manufacturer --database "$reg" 2>/dev/null
token=$("$RISKMARK" registry token create --org Acme --database "$reg" 2>/dev/null)
port=18181; base="http://127.0.0.1:$port"
start() {
  "$RISKMARK" serve --listen 127.0.0.1:$port --database "$reg" --db "$vdb" \
    --rate-limit-ip 0 --rate-limit-writes 0 --reevaluate-every 0 2>"$dir/serve.log" &
  server=$!
  for _ in $(seq 100); do curl -fs "$base/healthz" >/dev/null && return; sleep 0.1; done
  echo "error: the server did not start" >&2; cat "$dir/serve.log" >&2; exit 2
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
# One device with a package nobody else has (the best case of the index query).
lone="$dir/lone.cdx.json"
printf '{"bomFormat":"CycloneDX","specVersion":"1.5","version":1,"components":[{"type":"library","name":"bench-lone","version":"1.0","purl":"pkg:pypi/bench-lone@1.0"}]}' >"$lone"
curl -fs -o /dev/null -H "Authorization: Bearer $token" \
  -F "profile=@$ROOT/examples/smart-bulb.toml" -F "sbom=@$lone" "$base/api/v1/devices"
id=$(curl -fs "$base/api/v1/devices?q=smart+plug&per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["devices"][0]["id"])')
for path in "/d/$id" "/api/v1/devices/$id"; do
  curl -fs -o /dev/null -w "$path: %{size_download} bytes\n" "$base$path"
done
kill $server; wait $server 2>/dev/null || true
echo "== seeding $n devices (copies of $id's current version under new ids)"
t0=$(date +%s.%N)
if [ "$backend" = sqlite ]; then
  python3 - "$reg" "$id" "$n" <<'PY'
import sqlite3, sys
db, first, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = sqlite3.connect(db)
cur = c.execute("SELECT current_version FROM devices WHERE id = ?", (first,)).fetchone()[0]
c.executescript(f"""
BEGIN;
CREATE TEMP TABLE seq AS WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {n - 1}) SELECT i FROM s;
INSERT INTO devices (id, org_id, manufacturer, name, model, category, tier, score, current_version, created, updated, package_set)
  SELECT printf('bench-%07d', i), org_id, manufacturer, name || ' ' || i, model || '-' || i, category, tier, score, 1, created, updated, package_set
  FROM devices, seq WHERE id = '{first}';
INSERT INTO device_versions (device_id, version, firmware_version, profile_name, profile, sbom, sbom_sha256, vex, tier, score, assessment, assessment_zstd, label, created, note)
  SELECT printf('bench-%07d', i), 1, firmware_version, profile_name, profile, sbom, sbom_sha256, vex, tier, score, assessment, assessment_zstd, label, created, note
  FROM device_versions, seq WHERE device_id = '{first}' AND version = {cur};
COMMIT;
ANALYZE;
""")
PY
else
  cur=$(psql -tA "$reg" -c "SELECT current_version FROM devices WHERE id = '$id'")
  psql -q -v ON_ERROR_STOP=1 "$reg" <<SQL
BEGIN;
INSERT INTO devices (id, org_id, manufacturer, name, model, category, tier, score, current_version, created, updated, package_set)
  SELECT 'bench-' || lpad(i::text, 7, '0'), org_id, manufacturer, name || ' ' || i, model || '-' || i, category, tier, score, 1, created, updated, package_set
  FROM devices, generate_series(1, $n - 1) i WHERE id = '$id';
INSERT INTO device_versions (device_id, version, firmware_version, profile_name, profile, sbom, sbom_sha256, vex, tier, score, assessment, assessment_zstd, label, created, note)
  SELECT 'bench-' || lpad(i::text, 7, '0'), 1, firmware_version, profile_name, profile, sbom, sbom_sha256, vex, tier, score, assessment, assessment_zstd, label, created, note
  FROM device_versions, generate_series(1, $n - 1) i WHERE device_id = '$id' AND version = $cur;
COMMIT;
ANALYZE;
SQL
fi
t1=$(date +%s.%N)
echo "seeded in $(echo "$t1 - $t0" | bc) s"
# What the registry does (store/mod.rs `affected`): the package sets holding the package,
# then the devices on each set; two index probes.
pkg_all="ecosystem = 'Go' AND name = 'golang.org/x/crypto'"
pkg_one="ecosystem = 'PyPI' AND name = 'bench-lone'"
if [ "$backend" = sqlite ]; then
  python3 - "$reg" "$pkg_all" "$pkg_one" <<'PY'
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1])
print("devices:", c.execute("SELECT count(*) FROM devices").fetchone()[0],
      " package-set rows:", c.execute("SELECT count(*) FROM package_sets").fetchone()[0],
      " blobs:", c.execute("SELECT count(*) FROM blobs").fetchone()[0])
for label, where in (("a package every device has", sys.argv[2]), ("a package one device has", sys.argv[3])):
    ts = []
    for _ in range(21):
        t = time.perf_counter()
        ids = []
        for (s,) in c.execute(f"SELECT set_id FROM package_sets WHERE {where}").fetchall():
            ids += c.execute("SELECT id FROM devices WHERE package_set = ?", (s,)).fetchall()
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    print(f"affected devices, {label}: {len(ids)} devices, median {ts[10]:.2f} ms, max {ts[-1]:.2f} ms")
PY
  ls -la "$reg" | awk '{printf "registry file: %.1f MB\n", $5/1e6}'
else
  echo "devices: $(psql -tA "$reg" -c 'SELECT count(*) FROM devices')  package-set rows: $(psql -tA "$reg" -c 'SELECT count(*) FROM package_sets')  blobs: $(psql -tA "$reg" -c 'SELECT count(*) FROM blobs')"
  for where in "$pkg_all" "$pkg_one"; do
    # EXPLAIN ANALYZE of both statements: the server's own time (median of 21).
    for _ in $(seq 21); do
      total=0; rows=0
      for set in $(psql -tA "$reg" -c "SELECT set_id FROM package_sets WHERE $where"); do
        read -r t n < <(psql -tA "$reg" -c "EXPLAIN (ANALYZE, FORMAT JSON) SELECT id FROM devices WHERE package_set = '$set'" | python3 -c 'import json,sys; p=json.load(sys.stdin)[0]; print(p["Execution Time"], p["Plan"]["Actual Rows"])')
        total=$(echo "$total + $t" | bc); rows=$((rows + n))
      done
      t1=$(psql -tA "$reg" -c "EXPLAIN (ANALYZE, FORMAT JSON) SELECT set_id FROM package_sets WHERE $where" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Execution Time"])')
      echo "$(echo "$total + $t1" | bc) $rows"
    done | sort -n | awk '{a[NR]=$1; r=$2} END {printf "affected devices: %d devices, median %.2f ms, max %.2f ms\n", r, a[11], a[NR]}'
  done
  echo "database size: $(psql -tA "$reg" -c 'SELECT pg_size_pretty(pg_database_size(current_database()))')"
fi
start
cat >"$dir/random.lua" <<'LUA'
-- Ids drawn uniformly from the N seeded devices; PREFIX is /d/ or /api/v1/devices/.
local n = tonumber(os.getenv("BENCH_N")) - 1
local prefix = os.getenv("BENCH_PREFIX")
math.randomseed(42)
request = function()
  return wrk.format("GET", string.format("%sbench-%07d", prefix, math.random(1, n)))
end
LUA
hot=$(printf 'bench-%07d' $((n / 2)))
for prefix in /d/ /api/v1/devices/; do
  echo "== wrk $prefix$hot (one device)"
  wrk -t2 -c32 -d15s --latency "$base$prefix$hot" | grep -E 'Requests/sec|Latency |  50%|  99%|Non-2xx|Socket errors'
  echo "== wrk $prefix{uniform over $n devices}"
  BENCH_N=$n BENCH_PREFIX=$prefix wrk -t2 -c32 -d15s --latency -s "$dir/random.lua" "$base" | grep -E 'Requests/sec|Latency |  50%|  99%|Non-2xx|Socket errors'
done
