#!/usr/bin/env bash
# build_real.sh DRIVER [PARAM]: port a real driver and build it for the
# linux target (or $KPI_BUILD_TARGET: redox-emu, the Redox backend on the
# emulated Redox over the linux backend) into one static daemon; check that --help lists its module
# parameters (PARAM, when given, by name), that --list-ids prints the first
# ID of report.json's table, and that with no matching device the daemon
# says so and exits 3 (KPI_EXIT_NO_DEVICE).  The daemon is only ever pointed
# at a PCI vendor:device that does not exist: it never touches this machine's devices.
set -euo pipefail
drv=$1 param=${2:-}
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$KPIPORT" port "$drv" -o "$work/p" >/dev/null
target=${KPI_BUILD_TARGET:-linux}
"$KPIPORT" build "$work/p" --target "$target"
mod=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["module"]["name"])' "$work/p/report.json")
d=$work/p/build-$target/$mod
[[ "$(file "$d")" == *"statically linked"* ]] || { echo "FAIL: $d is not static: $(file "$d")"; exit 1; }
"$d" --help > "$work/help" 2>&1
if [ -n "$param" ]; then
  grep -q "^<6>  $param (" "$work/help" || { echo "FAIL: --help does not list $param:"; cat "$work/help"; exit 1; }
fi
first=$(python3 - "$work/p/report.json" <<'PY'
import json, sys
tabs = [t for t in json.load(open(sys.argv[1]))["inventory"]["id_tables"] if t["bus"] == "pci"]
i = tabs[0]["ids"][0] if tabs and tabs[0]["ids"] else None
print("%04x:%04x" % (i["vendor"] & 0xffff, i["device"] & 0xffff) if i else "")
PY
)
if [ -n "$first" ]; then
  "$d" --list-ids > "$work/ids" 2>&1
  grep -q "$first" "$work/ids" || { echo "FAIL: --list-ids lacks $first:"; cat "$work/ids"; exit 1; }
fi
set +e
"$d" --pci=ffff:fffe > "$work/run" 2>&1; rc=$?
set -e
[ $rc -eq 3 ] && grep -q "no matching device" "$work/run" ||
  { echo "FAIL: with no device expected exit 3 and 'no matching device', got $rc:"; cat "$work/run"; exit 1; }
# Driver globals named like libc's are renamed for the link (kpi_drv_NAME).
for n in $(python3 -c 'import json,sys; print(" ".join(c["name"] for c in json.load(open(sys.argv[1]))["inventory"]["libc_collisions"]))' "$work/p/report.json"); do
  syms=$(nm "$d")
  grep -qw "kpi_drv_$n" <<<"$syms" || { echo "FAIL: libc collision $n not renamed to kpi_drv_$n"; exit 1; }
done
stubs=$(grep -c '^KPI_STUB' "$work/p/kpiport_stubs.c" 2>/dev/null || true)
echo "PASS: $mod builds for $target ($(du -k "$d" | cut -f1) KiB static daemon, ${stubs:-0} stubs); --help, --list-ids, no-device exit 3"
