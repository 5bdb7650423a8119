#!/usr/bin/env bash
# tools/fuzz.sh [HARNESS|all] [SECONDS]: a long libFuzzer run of one harness
# of tests/fuzz/ (kbuild, kconfig, map, idtable, lx_args, pcid_wire, scheme; default
# all, one after the other), SECONDS each (default 600), at low priority.
# Uses the sanitizer build (KPIPORT_FUZZ_BUILD, default build-asan,
# configured like tools/test.sh does when missing) and keeps a growing
# corpus per harness in KPIPORT_FUZZ_WORK (default BUILD/fuzz-work/HARNESS/
# corpus) seeded from tests/fuzz/corpus/HARNESS.  Runs in libFuzzer's fork
# mode, so a crash is recorded (WORK/crashes/) and fuzzing goes on.
# Prints per harness: executions, coverage (cov: edges, ft: features),
# corpus size, crashes.  A crash input, once fixed, belongs in
# tests/fuzz/corpus/HARNESS/ (a regression input: ctest -L fuzz replays it).
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
all=(kbuild kconfig map idtable lx_args pcid_wire scheme)
want=${1:-all} secs=${2:-600}
build=${KPIPORT_FUZZ_BUILD:-$here/build-asan}
if [ "$want" = all ]; then harnesses=("${all[@]}"); else harnesses=("$want"); fi
[[ "$secs" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz.sh: SECONDS must be a positive number, not '$secs'" >&2; exit 2; }
for h in "${harnesses[@]}"; do
  [[ " ${all[*]} " == *" $h "* ]] || { echo "fuzz.sh: no harness '$h' (have: ${all[*]})" >&2; exit 2; }
done
if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DKPIPORT_SANITIZE=ON -DCMAKE_C_COMPILER=clang-19 >/dev/null
fi
status=0
for h in "${harnesses[@]}"; do
  cmake --build "$build" -j2 --target "fuzz_$h" >/dev/null || { echo "fuzz.sh: building fuzz_$h failed" >&2; exit 1; }
  work=${KPIPORT_FUZZ_WORK:-$build/fuzz-work}/$h
  mkdir -p "$work/corpus" "$work/crashes"
  args=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 -max_total_time="$secs" -timeout=20
        -rss_limit_mb=2048 -artifact_prefix="$work/crashes/")
  dict=$here/tests/fuzz/fuzz_$h.dict
  [ -f "$dict" ] && args+=(-dict="$dict")
  found() { ls "$work/crashes" | grep -cE '^(crash|leak|timeout|oom)-'; } # not slow-unit-*: only slow
  before=$(found)
  log=$work/run-$(date +%Y%m%d-%H%M%S).log
  (cd "$work" && nice -n 10 "$build/tests/fuzz_$h" "${args[@]}" "$work/corpus" "$here/tests/fuzz/corpus/$h") >"$log" 2>&1
  # fork mode: "#EXECS: cov: C ft: F corp: N/Sb exec/s: R oom/timeout/crash: a/b/c time: Ts job: J ..."
  last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -n 1)
  execs=$(sed -nE 's/^#([0-9]+): .*/\1/p' <<<"$last")
  cov=$(sed -nE 's/.* cov: ([0-9]+) .*/\1/p' <<<"$last")
  ft=$(sed -nE 's/.* ft: ([0-9]+) .*/\1/p' <<<"$last")
  oct=$(sed -nE 's/.* oom\/timeout\/crash: ([0-9]+\/[0-9]+\/[0-9]+) .*/\1/p' <<<"$last")
  crashes=$(( $(found) - before ))
  printf '%-10s %ss: %s executions, cov %s, ft %s, corpus %s inputs, oom/timeout/crash %s, new crash files %s (log %s)\n' \
    "$h" "$secs" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$(ls "$work/corpus" | wc -l)" "${oct:-?}" "$crashes" "$log"
  if [ "$crashes" -gt 0 ]; then
    status=1
    ls -t "$work/crashes" | grep -E '^(crash|leak|timeout|oom)-' | head -n "$crashes" | sed "s|^|  $work/crashes/|"
  fi
done
exit $status
