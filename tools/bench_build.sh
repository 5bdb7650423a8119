#!/usr/bin/env bash
# bench_build.sh [-r ROUNDS] [-t TARGET] [DRIVER...]: `kpiport build` time per
# driver with the runtime cache (cmake/KpiRuntimeCache.cmake) and without,
# measured side by side in one run.  Each driver is ported once (warm port
# caches); then every round builds fresh copies of the ports, in order, in
# three modes:
#   percopy  KPIPORT_RUNTIME_CACHE=OFF: the runtime compiled inside every
#            port build (what kpiport did before the runtime cache)
#   cold     an empty runtime cache at the round's start: the first driver
#            of each infrastructure config builds the runtime, later ones
#            with the same config reuse it
#   warm     the cache the cold pass filled: every driver reuses
# ccache is off (CCACHE_DISABLE=1) so that every mode compiles what it
# says.  Prints per mode and driver the median over the rounds, the number
# of runtime builds, and the ratios cold/percopy and warm/percopy.
# With -a TARGET2, two more modes measure what ccache shares (an empty
# ccache and runtime cache per driver and round, ccache on):
#   ccfirst  a copy of the port built for TARGET
#   ccagain  then another copy, in another dir, built for TARGET2 (what the
#            e2e fixtures and the corpus subset do with the same driver)
# and the ratio ccagain/ccfirst.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kp=${KPIPORT:-$here/build/kpiport}
rounds=3 target=linux again=""
while getopts r:t:a: o; do
  case $o in r) rounds=$OPTARG ;; t) target=$OPTARG ;; a) again=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
drivers=("$@"); [ ${#drivers[@]} -gt 0 ] || drivers=(8139too e1000 i6300esb)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export CCACHE_DISABLE=1
now() { date +%s.%N; }
for d in "${drivers[@]}"; do "$kp" port "$d" -o "$work/port-$d" >/dev/null; done

# build MODE ROUND DRIVER -> "seconds built|reused|percopy"
build() {
  local mode=$1 r=$2 d=$3 p="$work/$1-$2-$3" t0 t1 how
  cp -r "$work/port-$d" "$p"
  t0=$(now)
  local t=$target
  case $mode in
    percopy) KPIPORT_RUNTIME_CACHE=OFF "$kp" build "$p" --target "$t" -j 2 >/dev/null ;;
    cc*) [ "$mode" = ccagain ] && t=$again
      env -u CCACHE_DISABLE CCACHE_DIR="$work/cc-$r-$d" KPIPORT_RUNTIME_CACHE="$work/rtcc-$r-$d" \
        "$kp" build "$p" --target "$t" -j 2 >/dev/null ;;
    *) KPIPORT_RUNTIME_CACHE="$work/rt-$r" "$kp" build "$p" --target "$t" -j 2 >/dev/null ;;
  esac
  t1=$(now)
  how=$(sed -n 's/^-- kpiport-runtime: \(built\|reused\) .*/\1/p' "$p/build-$t/configure.log")
  echo "$(python3 -c "print('%.1f' % ($t1 - $t0))") ${how:-percopy}"
  rm -rf "$p"
}
for r in $(seq 1 "$rounds"); do
  for mode in percopy cold warm ${again:+ccfirst ccagain}; do
    for d in "${drivers[@]}"; do
      res=$(build $mode "$r" "$d")
      echo "round $r $mode $d: ${res% *} s (runtime ${res#* })" >&2
      echo "$mode $d $res" >> "$work/results"
    done
  done
done
python3 - "$work/results" "$rounds" "${drivers[@]}" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
rounds, drivers = int(sys.argv[2]), sys.argv[3:]
med = lambda m, d: statistics.median(float(r[2]) for r in rows if r[0] == m and r[1] == d)
built = lambda m: sum(1 for r in rows if r[0] == m and r[3] in ("built", "percopy"))
print("median of %d rounds, seconds per `kpiport build` (ccache off)" % rounds)
print("%-12s %8s %8s %8s %12s %12s" % ("driver", "percopy", "cold", "warm", "cold/percopy", "warm/percopy"))
for d in drivers:
    p, c, w = med("percopy", d), med("cold", d), med("warm", d)
    print("%-12s %8.1f %8.1f %8.1f %11.2fx %11.2fx" % (d, p, c, w, c / p, w / p))
for m in ("percopy", "cold", "warm"):
    print("%-8s runtime compilations: %d for %d driver builds" % (m, built(m), len(drivers) * rounds))
if any(r[0] == "ccagain" for r in rows):
    print("ccache on, empty at each driver's first build: the same port built again in another dir for another target")
    print("%-12s %8s %8s %14s" % ("driver", "ccfirst", "ccagain", "ccagain/first"))
    for d in drivers:
        f, a = med("ccfirst", d), med("ccagain", d)
        print("%-12s %8.1f %8.1f %13.2fx" % (d, f, a, a / f))
PY
