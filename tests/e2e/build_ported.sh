#!/usr/bin/env bash
# build_ported.sh OUTDIR DRIVER[:TARGET]...: the e2e fixture for ported
# daemons.  Ports each DRIVER with the kpiport under test ($KPIPORT) into
# OUTDIR/ports/DRIVER (replacing an earlier port; once per driver), builds
# it for TARGET (default linux: `kpiport build --target linux`) and copies
# the static daemon to OUTDIR/bin/<module> (linux) or
# OUTDIR/bin/<module>.<target> (e.g. e1000.redox-emu: the Redox backend on
# the emulated Redox), where tests/e2e/e2e_ported.sh puts it into the guest
# image.  Exit 77 (skip) without the Linux tree.  Nothing here runs a daemon.
set -euo pipefail
out=$1; shift
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
mkdir -p "$out/ports" "$out/bin"
# ccache across the build dirs of this fixture: kpiport builds with -g, for
# which ccache hashes the working directory, so the same sources with the
# same flags (kit and the host backends of every port; lx and the driver for
# a port's second target) would miss only because the build dir differs.
# Paths under OUT become relative (every build dir has the same depth).
export CCACHE_BASEDIR=$out CCACHE_NOHASHDIR=1
ported=" "
for spec in "$@"; do
  t0=$(date +%s)
  drv=${spec%%:*} target=linux
  [ "$spec" != "$drv" ] && target=${spec#*:}
  p="$out/ports/$drv"
  # DRIVER@VERSION: ported from that Linux tree of tools/linux-versions (daemon MODULE@VERSION)
  ver="" linux=()
  if [[ "$drv" == *@* ]]; then
    ver=${drv#*@} vtree=$(dirname "$tree")/linux-source-${drv#*@}
    [ -d "$vtree/drivers" ] || { echo "SKIP: $drv: no Linux tree at $vtree"; continue; }
    linux=(--linux "$vtree")
  fi
  if [[ "$ported" != *" $drv "* ]]; then
    "$KPIPORT" port "${drv%@*}" "${linux[@]}" -o "$p" --force >"$out/ports/$drv.port.log" 2>&1 ||
      { cat "$out/ports/$drv.port.log"; echo "FAIL: kpiport port $drv"; exit 1; }
    ported="$ported$drv "
  fi
  "$KPIPORT" build "$p" --target "$target" >"$out/ports/$drv.$target.build.log" 2>&1 ||
    { tail -n 40 "$out/ports/$drv.$target.build.log"; echo "FAIL: kpiport build $drv --target $target"; exit 1; }
  mod=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["module"]["name"])' "$p/report.json")
  d="$p/build-$target/$mod"
  [[ "$(file "$d")" == *"statically linked"* ]] || { echo "FAIL: $d is not static"; exit 1; }
  name=$mod${ver:+@$ver}
  [ "$target" = linux ] || name=$name.$target
  cp "$d" "$out/bin/$name.tmp" && mv "$out/bin/$name.tmp" "$out/bin/$name"
  echo "ported+built $drv for $target -> $out/bin/$name ($(du -k "$d" | cut -f1) KiB) in $(($(date +%s) - t0)) s"
done
