#!/usr/bin/env bash
# Instruction counts of scimkit's hot paths (filter parse, filter eval, PATCH)
# on the corpus in benches/data/, each workload in its own process under
# valgrind's callgrind, counting only the measured function (the corpus
# loading, filter compiling and resource copying are not counted). Machine
# noise does not move these numbers, so a regression shows in CI's log.
# Report only: prints a table and exits 0 whatever the numbers are; skips
# with a message when valgrind is not installed.
#   bash .ci/instruction_counts.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v valgrind >/dev/null 2>&1; then
  echo "instruction counts: valgrind is not installed, skipped (report only)"
  exit 0
fi

# The bench profile (fat LTO, one codegen unit), as `cargo bench` builds:
# CI's `cargo bench --no-run` has already compiled the dependencies.
cargo build --profile bench --quiet -p scimkit-benches --bin icount
bin=target/release/icount
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

echo "callgrind instruction counts ($(valgrind --version); $(rustc --version))"
echo
echo "| workload | instructions | units | instructions per unit |"
echo "|---|---:|---:|---:|"
while IFS=$'\t' read -r name unit about; do
  if ! units=$(valgrind --tool=callgrind --callgrind-out-file="$out/$name.cg" \
      --collect-atstart=no --toggle-collect='*icount_measured*' \
      "$bin" "$name" 2>"$out/$name.log"); then
    echo "| $name | failed: $(tail -n 3 "$out/$name.log" | tr '\n' ' ') | | |"
    continue
  fi
  # `totals:` (or `summary:`) is the count of the collected events: Ir first.
  total=$(awk '$1 == "totals:" { t = $2 } $1 == "summary:" && t == "" { t = $2 } END { print t }' "$out/$name.cg")
  if [ -z "$total" ] || [ "$total" = 0 ] || [ "$units" -le 0 ]; then
    echo "| $name | no count (is the binary stripped of symbols?) | | |"
    continue
  fi
  per=$(awk -v t="$total" -v u="$units" 'BEGIN { printf "%.0f", t / u }')
  echo "| $name ($about) | $total | $units ${unit}s | $per |"
done < <("$bin" --list)
