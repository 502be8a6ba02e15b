#!/usr/bin/env bash
# compliance-trestle (OSCAL models) validates riskmark's OSCAL outputs and catalogs
# (crates/riskmark/tests/oscal.rs). Idempotent; installs into /opt/trestle.
set -euo pipefail
if [[ ! -x /opt/trestle/bin/python ]] || ! /opt/trestle/bin/python -c 'import trestle' >/dev/null 2>&1; then
    python3 -m venv /opt/trestle
    /opt/trestle/bin/pip install --quiet --disable-pip-version-check 'compliance-trestle==5.2.0'
fi
/opt/trestle/bin/python -c 'import trestle; print("compliance-trestle", trestle.__version__)'
