# tools/bench_common.sh: what the port benchmarks (bench_port.sh,
# bench_port_ab.sh) share, sourced by them, so "cold" and "the floor" mean
# the same thing in both.
#   bench_now                 seconds since the epoch, with nanoseconds
#   bench_cold_cache MAIN DIR a cache dir DIR for a "cold" port: the tree's
#                             own caches from MAIN linked in (kernel build
#                             dirs, the exported-symbol and kbuild indexes:
#                             what any machine that has ported one driver of
#                             the tree has), everything else empty
#   bench_floor FILE          run the floor's commands (bench_floor_cmds.py's
#                             output), 2 jobs in parallel
bench_now() { date +%s.%N; }
bench_cold_cache() {
  local k
  mkdir -p "$2"
  for k in kbuild symindex treeindex; do [ -e "$1/$k" ] && ln -s "$1/$k" "$2/$k"; done
  return 0
}
# (spatch exits 255 on a rule that changes nothing: the time is what counts)
bench_floor() { tr '\n' '\0' < "$1" | xargs -0 -P2 -n1 bash -c >/dev/null 2>&1 || true; }
