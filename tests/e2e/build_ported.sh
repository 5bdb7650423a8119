#!/usr/bin/env bash
# build_ported.sh OUTDIR DRIVER...: the e2e fixture for ported daemons.
# Ports each DRIVER with the kpiport under test ($KPIPORT) into
# OUTDIR/ports/DRIVER (replacing an earlier port), builds it for the linux
# target (`kpiport build --target linux`) and copies the static daemon to
# OUTDIR/bin/<module>, where tests/e2e/e2e_ported.sh puts it into the guest
# image.  Exit 77 (skip) without the Linux tree.  Nothing here runs a daemon.
set -euo pipefail
out=$1; shift
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
mkdir -p "$out/ports" "$out/bin"
for drv in "$@"; do
  t0=$(date +%s)
  p="$out/ports/$drv"
  "$KPIPORT" port "$drv" -o "$p" --force >"$out/ports/$drv.port.log" 2>&1 ||
    { cat "$out/ports/$drv.port.log"; echo "FAIL: kpiport port $drv"; exit 1; }
  "$KPIPORT" build "$p" --target linux >"$out/ports/$drv.build.log" 2>&1 ||
    { tail -n 40 "$out/ports/$drv.build.log"; echo "FAIL: kpiport build $drv"; exit 1; }
  mod=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["module"]["name"])' "$p/report.json")
  d="$p/build-linux/$mod"
  [[ "$(file "$d")" == *"statically linked"* ]] || { echo "FAIL: $d is not static"; exit 1; }
  cp "$d" "$out/bin/$mod.tmp" && mv "$out/bin/$mod.tmp" "$out/bin/$mod"
  echo "ported+built $drv -> $out/bin/$mod ($(du -k "$d" | cut -f1) KiB) in $(($(date +%s) - t0)) s"
done
