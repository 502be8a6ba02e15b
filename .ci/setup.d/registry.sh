#!/usr/bin/env bash
# Tools for crates/riskmark/tests/registry.rs: curl registers a device with the running
# `riskmark serve` as the README shows (zbar and Chromium come from label.sh); sqlite3
# ages a dead worker's job claim in the re-evaluation fault loop (tests/faults.rs).
# Idempotent; run as root on Debian.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
if ((${#missing[@]})); then
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi
curl --version | sed -n 1p
sqlite3 --version
