#!/usr/bin/env bash
# The `oscal` package (PyPI; it loads NIST's OSCAL metaschema) validates riskmark's OSCAL
# outputs and catalogs: structure, data types, allowed values, cardinality
# (scripts/check_oscal.py adds the document-wide uniqueness and reference rules;
# crates/riskmark/tests/oscal.rs). Idempotent; installs into /opt/riskmark-ref/oscal.
set -euo pipefail
venv=/opt/riskmark-ref/oscal
if [[ ! -x $venv/bin/python ]] || ! $venv/bin/python -c 'import oscal.oscal_content' >/dev/null 2>&1; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'oscal==3.2.2'
fi
"$venv/bin/python" -c 'import importlib.metadata as m; print("oscal", m.version("oscal"))'
