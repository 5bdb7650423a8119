#!/usr/bin/env bash
# stubs_compile.sh [DRIVER]: the generated kpiport_stubs.c of a port compiles
# with kbuild's flags and defines every name report.json marks `stub`
# (functions as aliases, variables zeroed), and each stub names itself.
set -euo pipefail
drv=${1:-pcnet32}
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
"$KPIPORT" port "$drv" -o "$work/p" >/dev/null
[ -f "$work/p/kpiport_stubs.c" ] || { echo "FAIL: $drv has no generated stubs"; exit 1; }
subjects=$(git -C "$work/p" log --format=%s)
grep -q '^generated stubs: ' <<<"$subjects" || { echo "FAIL: no stubs commit"; exit 1; }
python3 - "$work" "$KPIPORT_SRC" <<'PY'
import json, os, subprocess, sys
work, src = sys.argv[1:3]
p = os.path.join(work, "p")
e = json.load(open(os.path.join(p, "compile_commands.json")))[0]
obj = os.path.join(work, "stubs.o")
subprocess.run(e["arguments"][:-2] + ["-I" + os.path.join(src, "headers"), "-c", "-o", obj,
               os.path.join(p, "kpiport_stubs.c")], cwd=e["directory"], check=True)
nm = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
defined = {l.split()[-1] for l in nm.splitlines() if len(l.split()) == 3 and l.split()[1] in "TtBbDdRr"}
stubs = [d["symbol"] for d in json.load(open(os.path.join(p, "report.json")))["dispositions"]
         if d["disposition"] == "stub" and d["provided"] == "extern"]
missing = [s for s in stubs if s not in defined]
assert stubs and not missing, "stubs not defined by kpiport_stubs.o: %s" % missing
text = open(os.path.join(p, "kpiport_stubs.c")).read()
for s in stubs:
    assert s in text
print("PASS: %d stubs compile and are defined: %s" % (len(stubs), ", ".join(stubs)))
PY
