#!/usr/bin/env bash
# bench_config.sh [-r ROUNDS] [-b BASE] [DRIVER...]: the config stage (a
# port's kernel build dir: `make allnoconfig prepare` for its fragment) made
# the way kpiport makes it - from the prepared seed
# (translator/kp_config_seed.c), kbuild's compiler probes answered from the
# memo (translator/ccmemo/) - against BASE, side by side in one run:
#   -b nothing  from nothing, without the seed (the default)
#   -b nomemo   from the seed, every compiler probe asked of clang
# Every round ports each driver twice, interleaved, with caches that hold
# everything but the port's build dirs (the tree's indexes, the analysis
# cache and the probe memo are shared and warm; the seed is made once,
# before the rounds, and its one-off cost printed).  Prints per driver the
# medians of the config stage's wall time (`kpiport port -v`) and of the
# whole port's CPU time (user+sys of every program it ran: what two workers
# on two cores compete for), with the ratios kpiport/BASE.  Both modes must
# give the same port (the same commit id): the benchmark fails otherwise.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
kp=${KPIPORT:-$here/build/kpiport}
rounds=3 base=nothing
while [ $# -gt 0 ]; do
  case $1 in
    -r) rounds=$2; shift 2;;
    -b) base=$2; shift 2;;
    *) break;;
  esac
done
case $base in nothing|nomemo) ;; *) echo "bench_config.sh: -b $base: want nothing or nomemo" >&2; exit 2;; esac
drivers=("$@"); [ ${#drivers[@]} -gt 0 ] || drivers=(8139too e1000 i6300esb)
main_cache=${KPIPORT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpiport}
export KPIPORT_LINUX=${KPIPORT_LINUX:-$main_cache/linux-source-6.1}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

# port MODE DRIVER OUT: one port with a fresh kbuild dir; prints
# "<config-seconds> <cpu-seconds> <commit>".
port() {
  local mode=$1 drv=$2 out=$3 c="$work/cache-$1-$RANDOM"
  mkdir -p "$c/kbuild"
  for e in "$warm"/*; do [ "$(basename "$e")" = kbuild ] || ln -s "$e" "$c/"; done
  [ "$mode" != nothing ] && ln -s "$seed" "$seed.lock" "$c/kbuild/"
  local seedenv=1 memoenv=1
  [ "$mode" = nothing ] && seedenv=0
  [ "$mode" = nomemo ] && memoenv=0
  python3 - "$kp" "$drv" "$out" "$c" "$seedenv" "$memoenv" <<'PY'
import json, os, re, resource, subprocess, sys
kp, drv, out, cache, seed, memo = sys.argv[1:]
env = dict(os.environ, KPIPORT_CACHE=cache, KPIPORT_KBUILD_SEED=seed, KPIPORT_CCMEMO=memo)
r = subprocess.run([kp, "port", "-v", drv, "-o", out], env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE, text=True)
if r.returncode:
    sys.exit("kpiport port %s failed:\n%s" % (drv, r.stderr[-2000:]))
m = re.search(r"seconds per stage: (\{.*\})", r.stderr)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
head = subprocess.run(["git", "-C", out, "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
print("%.2f %.2f %s" % (json.loads(m.group(1)).get("config", 0.0), ru.ru_utime + ru.ru_stime, head))
PY
  rm -rf "$c" "$out"
}

# The warm cache: one port of each driver (tree indexes, analysis).
warm="$work/warm"
for drv in "${drivers[@]}"; do
  KPIPORT_CACHE=$warm "$kp" port "$drv" -o "$work/warm-$drv" >/dev/null 2>&1 ||
    { echo "kpiport port $drv failed" >&2; exit 1; }
  rm -rf "$work/warm-$drv"
done
rm -rf "$warm/kbuild"; mkdir -p "$warm/kbuild"
# The seed alone, once: what the first port on a machine pays extra.
t0=$(date +%s.%N)
KPIPORT_CACHE=$warm "$kp" port "${drivers[0]}" -o "$work/seeded" >/dev/null 2>&1
t1=$(date +%s.%N)
seed=$(find "$warm/kbuild" -maxdepth 1 -mindepth 1 -type d | while read -r d; do
  [ -f "$d/kpiport.fragment" ] && ! grep -q '^CONFIG_[A-Z0-9_]*=m' "$d/kpiport.fragment" && echo "$d"; done | head -1)
[ -n "$seed" ] || { echo "no seed build dir in $warm/kbuild" >&2; exit 1; }
echo "seed build dir made once: $(basename "$seed") (the first port with it: $(python3 -c "print('%.1f' % ($t1 - $t0))") s)"

printf '%-10s %11s %11s %9s %11s %11s %9s\n' driver "cfg-$base" cfg-kpiport ratio "cpu-$base" cpu-kpiport ratio
fail=0
for drv in "${drivers[@]}"; do
  : >"$work/none" ; : >"$work/seed"
  for ((i = 0; i < rounds; i++)); do
    port "$base" "$drv" "$work/p-none" >>"$work/none"
    port seed "$drv" "$work/p-seed" >>"$work/seed"
  done
  python3 - "$drv" "$work/none" "$work/seed" <<'PY' || fail=1
import statistics, sys
drv, a, b = sys.argv[1:]
rows = lambda f: [l.split() for l in open(f) if l.strip()]
na, sb = rows(a), rows(b)
med = lambda rs, k: statistics.median(float(r[k]) for r in rs)
ca, cb, ua, ub = med(na, 0), med(sb, 0), med(na, 1), med(sb, 1)
print("%-10s %10.1fs %10.1fs %8.2fx %10.1fs %10.1fs %8.2fx" % (drv, ca, cb, cb / ca, ua, ub, ub / ua))
heads = {r[2] for r in na + sb}
if len(heads) != 1:
    sys.exit("%s: the two modes gave different ports: %s" % (drv, sorted(heads)))
PY
done
exit $fail
