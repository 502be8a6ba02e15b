#!/usr/bin/env bash
# Tools for crates/riskmark/tests/label.rs: zbarimg (zbar-tools) decodes the QR code in
# label.png, pdftoppm/pdftotext/pdffonts (poppler-utils) render and read label.pdf, and
# headless Chromium opens label.html and reports console errors; OpenSSL and python3
# check the signature format independently. Idempotent; run as root
# on Debian.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
# groff renders the man pages (crates/riskmark/tests/ux.rs).
command -v groff >/dev/null 2>&1 || missing+=(groff-base)
if ((${#missing[@]})); then
    apt-get update
    apt-get install -y --no-install-recommends "${missing[@]}"
fi
zbarimg --version
# sed reads all of its input: `head -1` would close the pipe early and, under pipefail,
# the SIGPIPE that pdftoppm gets would fail the whole CI run (exit 141).
pdftoppm -v 2>&1 | sed -n 1p
chromium --version 2>/dev/null || true
