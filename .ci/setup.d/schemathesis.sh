#!/usr/bin/env bash
# schemathesis (PyPI) runs property-based tests against the registry's OpenAPI document
# on a live `riskmark serve` (crates/riskmark/tests/registry.rs). Idempotent; installs
# into /opt/riskmark-ref/schemathesis.
set -euo pipefail
venv=/opt/riskmark-ref/schemathesis
if [[ ! -x $venv/bin/schemathesis ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'schemathesis==4.32.5'
fi
"$venv/bin/schemathesis" --version
