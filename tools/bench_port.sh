#!/usr/bin/env bash
# bench_port.sh [DRIVER...]: kpiport's port time beside the floor, measured
# side by side in one run.  For each driver:
#   cold-config  empty cache: kernel config + prepare + analysis + spatch + git
#   cold         the tree's own caches kept (this driver's kernel build dir,
#                the tree's exported-symbol and kbuild indexes: what any
#                machine that has ported one driver of the tree has), this
#                driver's analysis and spatch caches empty
#   warm         everything cached (a re-port with unchanged inputs)
#   floor        clang-19 -fsyntax-only on every source with kbuild's flags, plus
#                spatch with every rule group on every file, 2 jobs in parallel
# and prints the ratios cold/floor and warm/floor, and the peak resident
# memory (RSS) of the cold port: the largest of kpiport and every program it
# ran (spatch, make, clang), which is what a machine must have free.
# Defaults: small drivers, the e1000/r8169 size class, and via-rhine, the
# curated corpus's driver with the most imported files.  Needs build/kpiport.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kp=${KPIPORT:-$here/build/kpiport}
drivers=("$@"); [ ${#drivers[@]} -gt 0 ] || drivers=(8139too e1000 r8169 via-rhine i6300esb pvpanic-pci)
main_cache=${KPIPORT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpiport}
export KPIPORT_LINUX=${KPIPORT_LINUX:-$main_cache/linux-source-6.1}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
. "$here/tools/bench_common.sh"
# measured CMD...: runs CMD (stdout dropped), prints its peak RSS in MB
# (the largest process of its tree: ru_maxrss of the reaped children).
measured() {
  python3 -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
print("%.0f" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))
sys.exit(rc)' "$@"
}
secs() { python3 -c "print('%.2f' % ($2 - $1))"; }

printf '%-12s %12s %8s %8s %8s %11s %11s %9s\n' driver cold-config cold warm floor cold/floor warm/floor cold-rss
for drv in "${drivers[@]}"; do
  # cold-config: a brand-new cache.
  c0="$work/c0-$drv"; t0=$(bench_now)
  KPIPORT_CACHE=$c0 "$kp" port "$drv" -o "$work/p0-$drv" >/dev/null; t1=$(bench_now)
  # cold: reuse the kernel build dir and the tree's indexes only.
  c1="$work/c1-$drv"; bench_cold_cache "$c0" "$c1"
  t2=$(bench_now); rss=$(KPIPORT_CACHE=$c1 measured "$kp" port "$drv" -o "$work/p1-$drv"); t3=$(bench_now)
  # warm: same cache again.
  t4=$(bench_now); KPIPORT_CACHE=$c1 "$kp" port "$drv" -o "$work/p2-$drv" >/dev/null; t5=$(bench_now)
  # floor: the same tools alone on the same files with the same flags and rules.
  TREE=${KPIPORT_LINUX:-$main_cache/linux-source-6.1} \
    python3 "$here/tools/bench_floor_cmds.py" "$work/p1-$drv" "$here" > "$work/floor-$drv.txt"
  t6=$(bench_now)
  bench_floor "$work/floor-$drv.txt"
  t7=$(bench_now)
  cc=$(secs $t0 $t1); c=$(secs $t2 $t3); w=$(secs $t4 $t5); f=$(secs $t6 $t7)
  printf '%-12s %11ss %7ss %7ss %7ss %10sx %10sx %7sMB\n' "$drv" "$cc" "$c" "$w" "$f" \
    "$(python3 -c "print('%.2f' % ($c/$f))")" "$(python3 -c "print('%.2f' % ($w/$f))")" "$rss"
done
