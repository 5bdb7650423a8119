#!/usr/bin/env bash
# kill_port.sh: a port killed with SIGKILL at any point never leaves OUT
# missing or half-written, and the next run succeeds and removes what the
# killed one left (issue 8).  50 kills at random points of a `--force`
# re-port of 8139too (imports, renames, stubs: every stage), spread over
# the whole run.  Label real.
set -uo pipefail
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
K=$KPIPORT
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
out=$work/p
kills=${KILL_PORT_ROUNDS:-50}

complete() { # is $out a whole port, as the last successful run made it?
  [ -f "$out/kpiport.record" ] && [ -f "$out/report.json" ] && [ -f "$out/CMakeLists.txt" ] &&
    git -C "$out" log --format=%s -1 2>/dev/null | grep -q "^kpiport: report" &&
    [ "$(git -C "$out" rev-parse HEAD)" = "$head" ]
}

"$K" port 8139too -o "$out" >/dev/null 2>"$work/err" || { cat "$work/err"; echo "FAIL: first port"; exit 1; }
head=$(git -C "$out" rev-parse HEAD)
t0=$(date +%s%N)
"$K" port 8139too -o "$out" --force >/dev/null 2>"$work/err" || { cat "$work/err"; echo "FAIL: warm port"; exit 1; }
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "a warm --force port takes ${ms} ms; killing $kills runs at random points in 0..$((ms * 11 / 10)) ms"

bad=0 killed_mid=0
for i in $(seq 1 "$kills"); do
  "$K" port 8139too -o "$out" --force >/dev/null 2>&1 &
  pid=$!
  delay=$(( RANDOM % (ms * 11 / 10 + 1) ))
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  if kill -9 "$pid" 2>/dev/null; then killed_mid=$((killed_mid + 1)); fi
  wait "$pid" 2>/dev/null
  pkill -9 -f "$work/" 2>/dev/null # what it had started (spatch, git: their paths are ours) goes too
  if ! complete; then
    echo "FAIL round $i (killed after ${delay} ms): $out is not the whole port"; ls -a "$work"; bad=$((bad + 1))
  fi
done
echo "$killed_mid of $kills runs were killed while running"

"$K" port 8139too -o "$out" --force >/dev/null 2>"$work/err" || { cat "$work/err"; echo "FAIL: the run after the kills"; exit 1; }
grep "left by an earlier run" "$work/err" | head -n 3
if ls -a "$work" | grep -q "kpiport-tmp\|kpiport-old"; then
  echo "FAIL: debris left after the clean-up run:"; ls -a "$work"; bad=$((bad + 1))
fi
complete || { echo "FAIL: the last port is not whole"; bad=$((bad + 1)); }
[ $bad -eq 0 ] && echo "PASS: OUT was the old or the new port at every kill; the next run cleaned up" || exit 1
