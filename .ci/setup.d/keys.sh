#!/usr/bin/env bash
# Independent readers of riskmark's signing keys (crates/riskmark/tests/keys.rs): OpenSSL
# (Debian) and pyca/cryptography (PyPI, in /opt/riskmark-ref/keys). Idempotent.
set -euo pipefail
command -v openssl >/dev/null 2>&1 || { apt-get update; apt-get install -y --no-install-recommends openssl; }
venv=/opt/riskmark-ref/keys
if [[ ! -x $venv/bin/python ]] || ! $venv/bin/python -c 'import cryptography' >/dev/null 2>&1; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'cryptography==46.0.3'
fi
openssl version
"$venv/bin/python" -c 'import cryptography; print("cryptography", cryptography.__version__)'
