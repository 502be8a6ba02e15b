#!/usr/bin/env bash
# PostgreSQL for the registry's tests on PostgreSQL (crates/testdb): Debian's server,
# its cluster started here, and a `riskmark` role (password `riskmark`) that may create
# databases; each test creates and drops its own. Idempotent; run as root on Debian.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    apt-get update
    apt-get install -y --no-install-recommends postgresql postgresql-contrib
fi
ver=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | grep -q "^$ver "; then
    pg_createcluster "$ver" main
fi
cluster=$(pg_lsclusters -h | awk -v v="$ver" '$1 == v { print $2; exit }')
if ! pg_lsclusters -h | awk -v v="$ver" -v c="$cluster" '$1 == v && $2 == c' | grep -q online; then
    pg_ctlcluster "$ver" "$cluster" start
fi
port=$(pg_lsclusters -h | awk -v v="$ver" -v c="$cluster" '$1 == v && $2 == c { print $3 }')
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 1
done
pg_isready -h 127.0.0.1 -p "$port"
su postgres -c "psql -q -p $port -v ON_ERROR_STOP=1" <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'riskmark') THEN
        CREATE ROLE riskmark LOGIN CREATEDB PASSWORD 'riskmark';
    END IF;
END
$$;
SQL
if [ "$port" != 5432 ]; then
    echo "note: PostgreSQL listens on $port; set RISKMARK_TEST_POSTGRES=postgres://riskmark:riskmark@127.0.0.1:$port/postgres"
fi
echo "PostgreSQL $ver ($cluster) on port $port: $(su postgres -c "psql -tA -p $port -c 'SELECT version()'")"
