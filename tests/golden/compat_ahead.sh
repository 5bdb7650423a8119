#!/usr/bin/env bash
# compat_ahead.sh DRIVER: the runtime-compat probe run ahead (a worker
# started once the config stage is done, beside the analysis; kp_pipeline.c)
# gives the port the very report it had when the probe ran only at the end.
# Two cold ports of DRIVER, each with a cache of its own (the tree's kernel
# build dirs and indexes linked in, as tools/bench_port.sh's "cold"): -j1
# (no worker starts) and -j2 (the worker probes, then the report's own call
# finds its record).  report.md and report.json must be the same bytes, and
# -v must show both ways taken.
set -euo pipefail
drv=$1
src=$KPIPORT_SRC
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
export KPIPORT_LINUX=$tree
main_cache=${KPIPORT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpiport}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
. "$src/tools/bench_common.sh"
for j in 1 2; do
  bench_cold_cache "$main_cache" "$work/cache$j"
  KPIPORT_CACHE=$work/cache$j "$KPIPORT" port "$drv" -o "$work/j$j" -j$j -v > /dev/null 2> "$work/j$j.log" ||
    { cat "$work/j$j.log"; echo "FAIL: port $drv -j$j"; exit 1; }
done
# -j1 probes once, at the end; -j2 probes in the worker and then reuses it.
grep -q 'runtime-compat probe compat/[0-9a-f]*: probed' "$work/j1.log" &&
  ! grep -q 'runtime-compat probe compat/[0-9a-f]*: record reused' "$work/j1.log" ||
  { cat "$work/j1.log"; echo "FAIL: -j1 should probe once, at the end"; exit 1; }
[ "$(grep -c 'runtime-compat probe compat/[0-9a-f]*: probed' "$work/j2.log")" = 1 ] &&
  grep -q 'runtime-compat probe compat/[0-9a-f]*: record reused' "$work/j2.log" ||
  { cat "$work/j2.log"; echo "FAIL: -j2 should probe ahead and reuse that record"; exit 1; }
for f in report.md report.json; do
  cmp "$work/j1/$f" "$work/j2/$f" || { diff -u "$work/j1/$f" "$work/j2/$f" | head -40; echo "FAIL: $f differs"; exit 1; }
done
grep -q '"adaptations": *\[' "$work/j2/report.json" ||
  { echo "FAIL: report.json has no adaptations"; exit 1; }
echo "PASS: $drv: the compat probe run ahead (-j2) and at the end (-j1) give the same report.md and report.json"
