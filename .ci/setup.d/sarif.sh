#!/usr/bin/env bash
# The SARIF Multitool (npm @microsoft/sarif-multitool, its self-contained Linux build)
# validates riskmark's SARIF against the SARIF 2.1.0 schema and the GitHub Advanced
# Security rules (crates/riskmark/tests/sarif.rs). Idempotent; installs into
# /opt/riskmark-ref/sarif.
set -euo pipefail
dir=/opt/riskmark-ref/sarif
bin=$dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [[ ! -x $bin ]]; then
    command -v npm >/dev/null 2>&1 || { apt-get update; apt-get install -y --no-install-recommends nodejs npm; }
    mkdir -p "$dir"
    npm install --silent --no-audit --no-fund --prefix "$dir" '@microsoft/sarif-multitool@5.7.0'
fi
"$bin" --version 2>/dev/null | sed -n 1p || true
