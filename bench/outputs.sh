#!/usr/bin/env bash
# The user-visible output contract of `riskmark vulns` (issue #13): runs a
# riskmark binary on every shared SBOM (../shared/data/sboms/**, 89 files;
# the 2 CSV files are not SBOMs) in every output format against a database,
# and writes one line per run: sha256 of stdout, of stderr, the exit code,
# the format and the file. Two binaries agree when their lists are equal:
#
#   bench/outputs.sh OLD_RISKMARK DB_DIR > old.txt
#   bench/outputs.sh NEW_RISKMARK DB_DIR > new.txt
#   diff old.txt new.txt && echo identical
#
# DB_DIR is used as it is (build it with either binary). The database's
# `built_at` (and the path) appear in the outputs; with the same DB_DIR the
# outputs of two binaries compare byte for byte. To compare databases built
# by two binaries, give NORMALIZE=1: every occurrence of the database's
# built_at is then replaced by BUILT_AT before hashing (json, table and
# sarif only; the VEX formats derive ids from it and are left out).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SBOMS=${SBOMS:-$ROOT/../shared/data/sboms}
bin=${1:?usage: bench/outputs.sh RISKMARK DB_DIR}
db=${2:?usage: bench/outputs.sh RISKMARK DB_DIR}
[ -d "$SBOMS" ] || { echo "error: $SBOMS is absent: the SBOMs live in ../shared beside the repo" >&2; exit 2; }
[ -f "$db/vulndb.sqlite" ] || { echo "error: $db/vulndb.sqlite is absent" >&2; exit 2; }
formats="table json sarif cyclonedx-vex openvex"
built=""
if [ "${NORMALIZE:-0}" = 1 ]; then
  formats="table json sarif"
  built=$(sqlite3 "file:$db/vulndb.sqlite?mode=ro" "SELECT value FROM meta WHERE key='built_at'")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$SBOMS" -type f ! -name '*.csv' | LC_ALL=C sort | while read -r f; do
  for fmt in $formats; do
    rc=0
    "$bin" vulns "$f" --db "$db" --format "$fmt" >"$tmp/out" 2>"$tmp/err" || rc=$?
    if [ -n "$built" ]; then
      sed -i "s/$built/BUILT_AT/g" "$tmp/out" "$tmp/err"
    fi
    o=$(sha256sum <"$tmp/out" | cut -c1-16)
    e=$(sha256sum <"$tmp/err" | cut -c1-16)
    echo "$o $e $rc $fmt ${f#"$SBOMS"/}"
  done
done
