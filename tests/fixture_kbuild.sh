#!/usr/bin/env bash
# fixture_kbuild.sh OUTDIR: the kernel build dir and kbuild flags of 8139too
# as kpiport makes them (ctest fixture for tests that parse against the real
# kernel headers).  Writes OUTDIR/builddir (its path) and OUTDIR/8139too.args
# (one compiler argument per line, no -c/-o/source).  Exits 77 without a tree.
set -euo pipefail
out=$1
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
mkdir -p "$out"
"$KPIPORT" port 8139too -o "$out/port" --force >/dev/null
python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
cc = json.load(open(os.path.join(out, "port", "compile_commands.json")))[0]
args = cc["arguments"][1:-2]          # drop the compiler, "-c" and the file
assert cc["arguments"][-2] == "-c"
open(os.path.join(out, "builddir"), "w").write(cc["directory"])
open(os.path.join(out, "8139too.args"), "w").write("".join(a + "\n" for a in args))
PY
echo "fixture: $(cat "$out/builddir")"
