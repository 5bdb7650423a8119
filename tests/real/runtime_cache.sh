#!/usr/bin/env bash
# runtime_cache.sh: the runtime (lx + kit + host) is compiled once for every
# driver with the same infrastructure config (cmake/KpiRuntimeCache.cmake).
# With an empty runtime cache of its own:
#  1. 8139too and e1000 (PCI + MSI + NET; their configs differ only in the
#     drivers' own symbols) are built at the same time: both succeed, the
#     cache ends with one runtime, which both use (one built it, the other
#     waited on the lock and reused it);
#  2. i6300esb (no NET) gets a runtime of its own;
#  3. e1000 built again in a fresh build dir compiles no runtime source:
#     its configure and build logs show only the driver's objects.
# Cold: two runtime builds for the sim target (1-3 min each on 2 cores).
set -euo pipefail
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export KPIPORT_RUNTIME_CACHE=$work/rt
fail() { echo "FAIL: $*"; exit 1; }
for d in 8139too e1000 i6300esb; do
  "$KPIPORT" port "$d" -o "$work/$d" >/dev/null
done
# The runtime line of a build: "built DIR" or "reused DIR".
rt() { sed -n 's/^-- kpiport-runtime: \(built\|reused\) /\1 /p' "$work/$1/build-sim/configure.log"; }
"$KPIPORT" build "$work/8139too" --target sim -j 1 > "$work/a.out" 2>&1 & a=$!
"$KPIPORT" build "$work/e1000" --target sim -j 1 > "$work/b.out" 2>&1 & b=$!
wait $a || { cat "$work/a.out"; fail "8139too did not build"; }
wait $b || { cat "$work/b.out"; fail "e1000 did not build"; }
r1=$(rt 8139too) r2=$(rt e1000)
echo "8139too: $r1"; echo "e1000:   $r2"
[ "${r1#* }" = "${r2#* }" ] || fail "8139too and e1000 use different runtimes"
[ "$(printf '%s\n%s\n' "$r1" "$r2" | grep -c '^built ')" = 1 ] || fail "want exactly one runtime build for the two"
[ "$(ls "$KPIPORT_RUNTIME_CACHE"/*/*/manifest.cmake | wc -l)" = 1 ] || fail "want one runtime in the cache"
"$KPIPORT" build "$work/i6300esb" --target sim > /dev/null
r3=$(rt i6300esb); echo "i6300esb: $r3"
[ "${r3%% *}" = built ] && [ "${r3#* }" != "${r1#* }" ] || fail "i6300esb (no NET) must get a runtime of its own"
rm -rf "$work/e1000/build-sim"
"$KPIPORT" build "$work/e1000" --target sim > /dev/null
r4=$(rt e1000); echo "e1000 again: $r4"
[ "$r4" = "reused ${r1#* }" ] || fail "e1000 again: want 'reused ${r1#* }'"
! grep -q 'Building C object' "$work/e1000/build-sim/configure.log" || fail "configure compiled something"
grep 'Building C object' "$work/e1000/build-sim/build.log" > "$work/objs" || true
if grep -E 'lx\.dir|kpi_kit|kpi_host|/runtime/' "$work/objs"; then fail "runtime sources compiled again (above)"; fi
[ -s "$work/objs" ] || fail "no driver object compiled"
[ -x "$work/e1000/build-sim/e1000" ] || fail "no e1000 daemon"
echo "PASS: one runtime for 8139too + e1000 (built concurrently), one for i6300esb; e1000 again compiled $(wc -l < "$work/objs") driver objects and no runtime source"
