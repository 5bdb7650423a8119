#!/usr/bin/env bash
# concurrent.sh: two kpiport processes porting the same driver at once into a
# brand-new cache share one kernel build dir safely (its lock), and both give
# the same history.  The cache is private to this test, so the config step
# runs cold here (and both need the seed their build dir starts from).
set -euo pipefail
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export KPIPORT_CACHE=$work/cache KPIPORT_LINUX=$tree
"$KPIPORT" port i6300esb -o "$work/a" -j1 > "$work/a.log" 2>&1 & pa=$!
"$KPIPORT" port i6300esb -o "$work/b" -j1 > "$work/b.log" 2>&1 & pb=$!
ra=0; rb=0; wait $pa || ra=$?; wait $pb || rb=$?
[ $ra -eq 0 ] && [ $rb -eq 0 ] || { echo "FAIL: exit $ra / $rb"; cat "$work/a.log" "$work/b.log"; exit 1; }
# One build dir of the driver's config, and one seed (kp_config_seed.c) the
# two raced to make: the base fragment alone.
dirs=$(ls "$KPIPORT_CACHE/kbuild" | grep -v '\.lock$')
own=$(for d in $dirs; do grep -l I6300ESB "$KPIPORT_CACHE/kbuild/$d/kpiport.fragment" || true; done | wc -l)
[ "$(echo "$dirs" | wc -l)" -eq 2 ] && [ "$own" -eq 1 ] ||
  { echo "FAIL: expected one shared build dir and the seed"; ls "$KPIPORT_CACHE/kbuild"; exit 1; }
[ "$(git -C "$work/a" rev-parse HEAD)" = "$(git -C "$work/b" rev-parse HEAD)" ] || { echo "FAIL: histories differ"; exit 1; }
echo "PASS: two concurrent cold ports share one build dir and agree (HEAD $(git -C "$work/a" rev-parse --short HEAD))"
