#!/usr/bin/env bash
# Validators for riskmark's VEX outputs (crates/riskmark/tests/vex_outputs.rs, run by
# scripts/validate_vex.py): cyclonedx-python-lib's strict JSON validator (CycloneDX 1.6)
# and jsonschema with format checks for the vendored OpenVEX 0.2.0 schema.
# Idempotent; installs into /opt/riskmark-ref/vex.
set -euo pipefail
venv=/opt/riskmark-ref/vex
pins=('cyclonedx-python-lib[json-validation]==11.12.0' 'jsonschema[format-nongpl]==4.26.0')
check='import cyclonedx.validation.json, jsonschema, rfc3987_syntax'
if [[ ! -x $venv/bin/python ]] || ! $venv/bin/python -c "$check" >/dev/null 2>&1; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
fi
"$venv/bin/python" -c 'import importlib.metadata as m; print("cyclonedx-python-lib", m.version("cyclonedx-python-lib"), "/ jsonschema", m.version("jsonschema"))'
