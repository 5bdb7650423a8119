#!/usr/bin/env bash
# run_fuzz.sh HARNESS SEED_DIR SECONDS: one ctest fuzz run (tests/fuzz.cmake).
# Replays every input of SEED_DIR (the committed seeds and regression
# inputs), then fuzzes for SECONDS.  New inputs go to a scratch dir, never
# into the source tree.  Fails on any crash, leak, timeout or out-of-memory
# (libFuzzer's exit status) and prints the offending input in hex.
set -uo pipefail
harness=$1 seeds=$2 secs=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/kpiport-fuzz-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/new"
dict=$(dirname "$0")/$(basename "$harness").dict
args=(-max_total_time="$secs" -timeout=60 -rss_limit_mb=2048 -print_final_stats=1
      -artifact_prefix="$work/")
[ -f "$dict" ] && args+=(-dict="$dict")
"$harness" "${args[@]}" "$work/new" "$seeds" >"$work/log" 2>&1
rc=$?
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::number_of_executed_units|^INFO: seed corpus' "$work/log"
shopt -s nullglob
# (slow-unit-* files only say an input took over 10 s on a loaded machine)
found=("$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*)
if [ $rc -ne 0 ] || [ ${#found[@]} -gt 0 ]; then
  tail -n 60 "$work/log"
  for f in "${found[@]}"; do
    echo "--- $(basename "$f") ($(stat -c %s "$f") bytes); add it to $seeds once fixed:"
    od -An -c "$f" | head -n 20
  done
  echo "FAIL: $(basename "$harness") exit status $rc"
  exit 1
fi
echo "PASS: $(basename "$harness") ran ${secs}s clean"
