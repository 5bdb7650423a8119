#!/usr/bin/env bash
# fixture_kbuild_config.sh NAME OUTDIR: a kernel build dir and kbuild flags
# with another configuration than 8139too's (fixture_kbuild.sh), made the
# way kpiport makes every port's: `kpiport port` of the empty external
# module tests/runtime/kconfigs/NAME, whose Kconfig `depends on` line is the
# configuration (kpi_fx_nopci: no PCI, no NET; kpi_fx_nonet: PCI + PCI_MSI,
# no NET; kpi_fx_full: PCI + PCI_MSI + NET + PAGE_POOL).  Writes
# OUTDIR/builddir (its path) and OUTDIR/kbuild.args (one compiler argument
# per line, no -c/-o/source).  Exits 77 without a Linux tree.
set -euo pipefail
name=$1 out=$2
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
src=$(cd "$(dirname "$0")/runtime/kconfigs/$name" && pwd)
mkdir -p "$out"
"$KPIPORT" port "$src" -o "$out/port" --force >/dev/null
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
cc = json.load(open(os.path.join(out, "port", "compile_commands.json")))[0]
args = cc["arguments"][1:-2]          # drop the compiler, "-c" and the file
assert cc["arguments"][-2] == "-c"
open(os.path.join(out, "builddir"), "w").write(cc["directory"])
open(os.path.join(out, "kbuild.args"), "w").write("".join(a + "\n" for a in args))
PY
echo "fixture $name: $(cat "$out/builddir")"
grep -E '^(# )?CONFIG_(PCI|PCI_MSI|NET|PAGE_POOL|HAS_DMA)[= ]' "$(cat "$out/builddir")/.config" || true
