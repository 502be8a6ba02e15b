#!/usr/bin/env bash
# Validators for riskmark's disclosure files (crates/riskmark/tests/disclose.rs), all
# offline: sectxt (RFC 9116 security.txt), jsonschema + referencing (CSAF 2.0 and
# provider-metadata JSON schemas), pyang (ships the ietf-mud, ietf-acldns and
# ietf-access-control-list YANG modules) and yangson (validates the MUD JSON against
# them). Idempotent; installs into /opt/riskmark-ref/disclose.
set -euo pipefail
venv=/opt/riskmark-ref/disclose
pins=('sectxt==0.9.8' 'jsonschema[format-nongpl]==4.26.0' 'referencing==0.37.0' 'pyang==2.7.1' 'yangson==1.7.9')
check='import sectxt, jsonschema, referencing, pyang, yangson, rfc3339_validator'
if [[ ! -x $venv/bin/python ]] || ! $venv/bin/python -c "$check" >/dev/null 2>&1 \
    || [[ ! -f $venv/share/yang/modules/ietf/ietf-mud.yang ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${pins[@]}"
fi
"$venv/bin/python" -c "$check; print('sectxt', sectxt.__version__, '/ pyang', pyang.__version__)"
