#!/usr/bin/env bash
# bench_port_ab.sh A B MODE ROUNDS DRIVER...: two kpiport binaries (A: the
# one before a change, B: after) port the same drivers in interleaved rounds
# beside the floor of tools/bench_port.sh (clang-19 -fsyntax-only and spatch
# on the same files, 2 jobs), so a change's effect is a ratio measured on the
# same machine in the same minutes - a shared machine's load moves all three
# alike.  MODE:
#   warm  each binary's caches warm (a first port of each is not counted):
#         the port into a new dir, what a re-port costs
#   cold  a new cache per port with the tree's own caches linked in, as
#         bench_port.sh's "cold" (tools/bench_common.sh, bench_cold_cache)
# Prints each round's seconds and, per driver, the medians with A/floor,
# B/floor and B/A.  Needs the default Linux tree (or KPIPORT_LINUX).
set -euo pipefail
[ $# -ge 5 ] || { sed -n '2,15p' "$0"; exit 2; }
a=$1 b=$2 mode=$3 rounds=$4; shift 4
here=$(cd "$(dirname "$0")/.." && pwd)
main_cache=${KPIPORT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpiport}
export KPIPORT_LINUX=${KPIPORT_LINUX:-$main_cache/linux-source-6.1}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
. "$here/tools/bench_common.sh"
port() { # port BIN DRIVER OUT: the seconds it took
  local c=""
  if [ "$mode" = cold ]; then
    c=$(mktemp -d "$work/cache.XXXXXX")
    bench_cold_cache "$main_cache" "$c"
  fi
  local s e; s=$(bench_now)
  KPIPORT_CACHE=${c:-$main_cache} "$1" port "$2" -o "$3" >/dev/null 2>&1 || { echo "bench_port_ab: $1 port $2 failed" >&2; exit 1; }
  e=$(bench_now); python3 -c "print('%.3f' % ($e - $s))"
}
for drv in "$@"; do
  "$b" port "$drv" -o "$work/ref-$drv" >/dev/null 2>&1
  [ "$mode" = warm ] && "$a" port "$drv" -o "$work/warmup-a-$drv" >/dev/null 2>&1
  TREE=$KPIPORT_LINUX python3 "$here/tools/bench_floor_cmds.py" "$work/ref-$drv" "$here" > "$work/floor-$drv.txt"
  : > "$work/times-$drv.txt"
  for r in $(seq "$rounds"); do
    echo "A $(port "$a" "$drv" "$work/a-$drv-$r")" >> "$work/times-$drv.txt"
    echo "B $(port "$b" "$drv" "$work/b-$drv-$r")" >> "$work/times-$drv.txt"
    s=$(bench_now); bench_floor "$work/floor-$drv.txt"; e=$(bench_now)
    echo "floor $(python3 -c "print('%.3f' % ($e - $s))")" >> "$work/times-$drv.txt"
  done
  python3 - "$drv" "$mode" "$work/times-$drv.txt" <<'PY'
import collections, statistics, sys
drv, mode, path = sys.argv[1:]
t = collections.defaultdict(list)
for line in open(path):
    k, v = line.split()
    t[k].append(float(v))
m = {k: statistics.median(v) for k, v in t.items()}
print("%-12s %s  A %s  B %s  floor %s" % (drv, mode, *(" ".join("%.2f" % x for x in t[k]) for k in ("A", "B", "floor"))))
print("%-12s %s  medians A %.3f s  B %.3f s  floor %.3f s  A/floor %.2fx  B/floor %.2fx  B/A %.2fx"
      % (drv, mode, m["A"], m["B"], m["floor"], m["A"] / m["floor"], m["B"] / m["floor"], m["B"] / m["A"]))
PY
done
