# Sourced by the bench scripts. Sets: ROOT (repo), SHARED (../shared/data),
# WORK (scratch, default /work/bench-data), RISKMARK, IMPORT_BENCH, REV.
# Builds riskmark (release) from a snapshot of the committed tree (git archive
# of $BENCH_REV, default HEAD) so that uncommitted edits elsewhere in the
# work tree neither break nor skew the build. Target dir: $CARGO_TARGET_DIR,
# default /work/target-bench.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED="$ROOT/../shared/data"
WORK=${BENCH_WORK:-/work/bench-data}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/work/target-bench}
need_shared() {
  for p in "$@"; do
    if [ ! -e "$SHARED/$p" ]; then
      echo "error: $SHARED/$p is absent: the benchmark data lives in ../shared beside the repo; nothing measured" >&2
      exit 2
    fi
  done
}
build() {
  REV=$(git -C "$ROOT" rev-parse --short "${BENCH_REV:-HEAD}")
  local src="$WORK/src-$REV"
  if [ ! -f "$src/Cargo.toml" ]; then
    mkdir -p "$src"
    git -C "$ROOT" archive "$REV" | tar -x -C "$src"
  fi
  (cd "$src" && cargo build --quiet --release -p riskmark \
     && cargo build --quiet --release -p riskmark-vulndb --example import_bench)
  RISKMARK="$CARGO_TARGET_DIR/release/riskmark"
  IMPORT_BENCH="$CARGO_TARGET_DIR/release/examples/import_bench"
}
machine() {
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  rev: ${REV:-?}"
  echo "nproc: $(nproc)  mem: $(free -g | awk '/Mem:/ {print $2" GiB"}')  $(rustc --version)"
  lscpu | head -n 15 | grep -E 'Model name|Architecture|^CPU\(s\)|Thread|MHz' || true
}
