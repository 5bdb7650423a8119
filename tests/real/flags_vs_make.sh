#!/usr/bin/env bash
# flags_vs_make.sh: the flags kpiport gives libclang for each source are the
# ones kbuild really uses.  Builds the objects with `make V=1` in a copy of the
# port's kernel build dir (never in the tree) and compares kbuild's recorded
# command (.<obj>.cmd) with compile_commands.json of the port.
set -euo pipefail
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
status=0
for drv in 8139too e1000; do
  "$KPIPORT" port "$drv" -o "$work/$drv" >/dev/null
  python3 - "$work/$drv" "$tree" "$work" <<'PY' || status=1
import json, os, shlex, shutil, subprocess, sys
port, tree, work = sys.argv[1:4]
cc = json.load(open(os.path.join(port, "compile_commands.json")))
bdir = cc[0]["directory"]
copy = os.path.join(work, "kb-" + os.path.basename(port))
# Under the build dir's lock: another kpiport may be running make in it.
subprocess.run(["flock", bdir + ".lock", "cp", "-a", bdir, copy], check=True)
mod = json.load(open(os.path.join(port, "report.json")))["module"]
objs = mod["objects"]
subprocess.run(["make", "-s", "-C", tree, "O=" + copy, "CC=clang-19", "V=1"] + objs, check=True,
               stdout=subprocess.DEVNULL)
for entry, obj in zip(cc, objs):
    d, b = os.path.split(obj)
    cmdfile = os.path.join(copy, d, "." + b + ".cmd")
    line = open(cmdfile).readline()
    cmd = line.split(":=", 1)[1].split(";")[0]
    words = shlex.split(cmd)
    def norm(ws, base):
        out, skip = [], False
        for i, w in enumerate(ws[1:]):
            if skip: skip = False; continue
            if w in ("-c",) or w.startswith("-Wp,-MMD") or w.endswith(".c"): continue
            if w == "-o": skip = True; continue
            if w.startswith("-I") and len(w) > 2: w = "-I" + os.path.normpath(os.path.join(base, w[2:]))
            if w.startswith("-I") and len(w) == 2: out.append(w); continue
            if not w.startswith("-") and i > 0 and ws[i] in ("-I", "-include", "-isystem"): w = os.path.normpath(os.path.join(base, w))
            out.append(w)
        return out
    mine = norm(entry["arguments"], bdir)
    theirs = norm(words, copy)
    theirs = [w.replace(copy, bdir) for w in theirs]
    if mine != theirs:
        print("MISMATCH for", obj)
        print(" kpiport:", [w for w in mine if w not in theirs])
        print(" kbuild :", [w for w in theirs if w not in mine])
        sys.exit(1)
    print("same flags as make V=1: %s (%d args)" % (obj, len(mine)))
PY
done
exit $status
