#!/usr/bin/env bash
# The BSI/secvisogram CSAF validator (npm @secvisogram/csaf-validator-lib): the strict
# CSAF 2.0 schema, every mandatory test and the optional tests, run by
# scripts/validate_csaf.mjs (crates/riskmark/tests/csaf.rs). Idempotent; installs into
# /opt/riskmark-ref/csaf.
set -euo pipefail
dir=/opt/riskmark-ref/csaf
lib=$dir/node_modules/@secvisogram/csaf-validator-lib
if [[ ! -f $lib/validateStrict.js ]]; then
    command -v npm >/dev/null 2>&1 || { apt-get update; apt-get install -y --no-install-recommends nodejs npm; }
    mkdir -p "$dir"
    npm install --silent --no-audit --no-fund --prefix "$dir" '@secvisogram/csaf-validator-lib@2.0.10'
fi
node -e "console.log('csaf-validator-lib', require('$lib/package.json').version)"
