#!/usr/bin/env bash
# Reference implementations used by crates/ecosystem/tests/differential.rs.
# Idempotent; run as root on Debian (bookworm). The tests look for the
# Python and npm packages under /opt/riskmark-ref.
set -euo pipefail

REF=/opt/riskmark-ref
export DEBIAN_FRONTEND=noninteractive

# Debian packages: rpm (rpm.vercmp via `rpm --eval` lua), ruby (Gem::Version),
# php-cli (version_compare, the comparison Composer uses),
# python3-apt (apt_pkg.version_compare, the dpkg ordering), maven's
# maven-artifact jar (ComparableVersion) and a JDK to run it, node + npm,
# Go with golang.org/x/mod (its semver package, built offline in GOPATH mode
# from /usr/share/gocode).
missing=()
command -v rpm >/dev/null 2>&1 || missing+=(rpm)
command -v ruby >/dev/null 2>&1 || missing+=(ruby)
command -v php >/dev/null 2>&1 || missing+=(php-cli)
/usr/bin/python3 -c 'import apt_pkg' >/dev/null 2>&1 || missing+=(python3-apt)
ls /usr/share/maven/lib/maven-artifact-*.jar >/dev/null 2>&1 || missing+=(maven)
command -v java >/dev/null 2>&1 || missing+=(default-jdk-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v go >/dev/null 2>&1 || missing+=(golang-go)
[[ -f /usr/share/gocode/src/golang.org/x/mod/semver/semver.go ]] || missing+=(golang-golang-x-mod-dev)
if ((${#missing[@]})); then
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi

# PEP 440 reference: pypa `packaging`, into its own directory (PYTHONPATH).
if [[ ! -d "$REF/python/packaging" ]]; then
    python3 -m pip install --quiet --disable-pip-version-check \
        --target "$REF/python" 'packaging==26.3'
fi

# node-semver, the npm ordering.
if [[ ! -f "$REF/node/node_modules/semver/package.json" ]]; then
    mkdir -p "$REF/node"
    npm install --silent --no-audit --no-fund --prefix "$REF/node" 'semver@7.8.6'
fi
