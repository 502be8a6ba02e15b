#!/usr/bin/env bash
# Tools for crates/riskmark/tests/registry.rs: curl registers a device with the running
# `riskmark serve` as the README shows (zbar and Chromium come from label.sh).
# Idempotent; run as root on Debian.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
if ((${#missing[@]})); then
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi
curl --version | sed -n 1p
