#!/usr/bin/env bash
# Coverage-guided fuzzing of every input parser (cargo-fuzz, libFuzzer; docs/fuzzing.md).
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# Builds the targets, gathers each one's seed corpus (fuzz/seeds/, the examples, the test
# fixtures, and ../shared/data when present), runs each for SECONDS (default 30) with
# libFuzzer's limits (an input slower than 2 s is a hang, more than 1 GiB is out of
# memory; leaks are not counted: regorus keeps small reference cycles), and prints one line per target: executions, coverage, corpus size. Exits 1
# when a target finds a crash, hang or out-of-memory (the input is kept under
# target/fuzz-artifacts/TARGET/ and named in the output), 2 when it cannot run.
#
# Environment: FUZZ_TARGET_DIR (build directory, default target/fuzz), FUZZ_WORK (corpora,
# artifacts and logs, default target/fuzz-work), FUZZ_TIMEOUT (seconds per input, 2),
# FUZZ_RSS_MB (1024), FUZZ_RUNS (stop a target after this many executions, or after SECONDS,
# whichever comes first).
set -uo pipefail
secs=${1:-30}
[ $# -gt 0 ] && shift
root=$(cd "$(dirname "$0")/.." && pwd)
export CARGO_TARGET_DIR=${FUZZ_TARGET_DIR:-$root/target/fuzz}
work=${FUZZ_WORK:-$root/target/fuzz-work}
all=(profile policy oscal_catalog rego sbom vex osv nvd kev epss purl cpe version label_json attestation evidence probe firmware registry_body)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=("${all[@]}")

command -v cargo-fuzz >/dev/null || { echo "fuzz: cargo-fuzz is not installed (cargo install cargo-fuzz)"; exit 2; }
# libFuzzer's instrumentation needs nightly flags: the nightly toolchain when there is
# one, else the stable compiler told to accept them.
# Without nightly, the stable compiler is told to accept them, and AddressSanitizer
# (whose runtime only nightly ships) is left out: the code is safe Rust, panics, hangs
# and memory limits are still caught.
tc=() san=()
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  tc=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
  san=(--sanitizer none)
fi
cd "$root/fuzz"
mkdir -p "$work"
if ! cargo "${tc[@]}" fuzz build -O "${san[@]}" >"$work.build.log" 2>&1; then
  mkdir -p "$work"; tail -30 "$work.build.log"; echo "fuzz: the targets do not build"; exit 2
fi
bin=$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release

# seeds TARGET DIR: copies the seed files of TARGET into DIR (files up to 256 KiB).
seeds() {
  local t=$1 out=$2 shared=$root/../shared/data
  local -a src=("$root/fuzz/seeds/$t")
  case $t in
    profile) src+=("$root"/examples/*.toml "$root"/examples/*.json "$root/crates/model/tests") ;;
    policy) src+=("$root/crates/risk/policy" "$root/crates/risk/tests") ;;
    oscal_catalog) src+=("$root/examples/catalogs" "$root/crates/frameworks/tests") ;;
    rego) src+=("$root/examples/rules" "$root/crates/rego/tests") ;;
    sbom) src+=("$root/examples/sbom" "$root/examples/fleet/sbom" "$root/crates/sbom/tests/fixtures" "$root/crates/scan/tests/fixtures/fatbom-excerpt.spdx" "$shared/sboms") ;;
    vex) src+=("$root/crates/vex/tests" "$shared/vex" "$shared/csaf") ;;
    osv) src+=("$root/crates/vulndb/tests/fixtures/osv" "$root/crates/scan/tests/fixtures/osv") ;;
    nvd) src+=("$root/crates/vulndb/tests/fixtures/nvd") ;;
    kev) src+=("$root/crates/vulndb/tests/fixtures/kev.json") ;;
  esac
  mkdir -p "$out"
  for s in "${src[@]}"; do
    [ -e "$s" ] || continue
    find "$s" -type f -size -257k ! -name '*.rs' ! -name '*.snap' ! -name '*.md' -print0 2>/dev/null |
      while IFS= read -r -d '' f; do cp -f "$f" "$out/$(sha1sum "$f" | cut -c1-16)"; done
  done
}

# Leaks are not findings here (regorus keeps small reference cycles); libFuzzer and
# the exit-time check both skip them.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
failed=0
printf '%-14s %12s %8s %8s %s\n' target executions cov corpus result
for t in "${targets[@]}"; do
  corpus=$work/corpus/$t art=$work/artifacts/$t log=$work/$t.log
  mkdir -p "$corpus" "$art"
  seeds "$t" "$corpus"
  limit=(-max_total_time="$secs")
  [ -n "${FUZZ_RUNS:-}" ] && limit+=(-runs="$FUZZ_RUNS")
  "$bin/$t" "$corpus" "${limit[@]}" -timeout="${FUZZ_TIMEOUT:-2}" -rss_limit_mb="${FUZZ_RSS_MB:-1024}" \
    -malloc_limit_mb="${FUZZ_RSS_MB:-1024}" -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$art/" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  files=$(find "$corpus" -type f | wc -l)
  if [ $rc -eq 0 ]; then
    result=ok
  else
    failed=1
    result="FOUND (exit $rc): $(grep -m1 -o 'Test unit written to .*' "$log" || echo "see $log")"
  fi
  printf '%-14s %12s %8s %8s %s\n' "$t" "${execs:-?}" "${cov:-?}" "$files" "$result"
done
exit $failed
