#!/usr/bin/env bash
# cargo-fuzz (crates.io) for the smoke fuzzing of fuzz/run.sh; libFuzzer itself is built
# from the libfuzzer-sys crate. Idempotent.
set -euo pipefail
if ! command -v cargo-fuzz >/dev/null; then
  cargo install --locked cargo-fuzz --version 0.13.2
fi
cargo fuzz --version
