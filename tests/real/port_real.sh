#!/usr/bin/env bash
# port_real.sh DRIVER: port a real driver of the default tree twice and check
# what a reviewer relies on: the upstream commit holds the tree's files
# unchanged; at least two rule commits follow; the entry points became a
# main(); every site libclang resolved to a `rename` symbol carries the new
# name; report.json lists the external API; the second port is byte-identical
# with the same commit ids; and the Linux tree was not written to.
set -euo pipefail
drv=$1
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree (run tools/setup.sh)"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
touch "$work/stamp"; sleep 1

"$KPIPORT" port "$drv" -o "$work/a"
a=$work/a
git -C "$a" rev-parse -q --verify upstream >/dev/null
rules=$(git -C "$a" rev-list --count upstream..HEAD)
[ "$rules" -ge 3 ] || { echo "FAIL: expected >= 2 rule commits + records, got $rules commits"; exit 1; }
echo "history: upstream + $rules commits"
git -C "$a" log --format='  %h %s' upstream..HEAD

# The upstream commit is the tree's files, byte for byte.
dir=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["module"]["dir"])' "$a/report.json")
for f in $(git -C "$a" ls-tree -r --name-only upstream); do
  git -C "$a" show "upstream:$f" | cmp -s - "$tree/$dir/$f" || { echo "FAIL: upstream:$f differs from the tree"; exit 1; }
done

# Entry points -> main; renames at every expected site; the API is listed.
python3 - "$a" <<'PY'
import json, os, re, sys
a = sys.argv[1]
r = json.load(open(os.path.join(a, "report.json")))
inv, disp = r["inventory"], r["dispositions"]
assert disp, "no dispositions"
srcs = [os.path.relpath(o[:-2] + ".c", r["module"]["dir"]) for o in r["module"]["objects"]]
text = {f: open(os.path.join(a, f), encoding="latin-1").read() for f in os.listdir(a) if f.endswith((".c", ".h"))}
if inv["entry_points"]:
    assert any("int main(int argc" in text[f] for f in srcs), "no main() in the port"
    assert not any(re.search(r"^\s*module_(init|exit)\s*\(", text[f], re.M) for f in srcs), "module_init/exit left"
syms = {s["name"]: s for s in inv["symbols"]}
renamed = 0
import subprocess
def upstream(f):
    return subprocess.run(["git", "-C", a, "show", "upstream:" + f], capture_output=True,
                          check=True).stdout.decode("latin-1").split("\n")
# Each site: the upstream line with the token at libclang's column replaced
# must be a line of the port (other rules may have moved it, not changed it).
by_line = {}
for d in disp:
    if d["disposition"] != "rename" or d["symbol"] not in syms:
        continue  # (names only imported files need are checked by the golden summary)
    for site in syms[d["symbol"]]["sites"]:
        f = os.path.relpath(site["file"], r["module"]["dir"])
        by_line.setdefault((f, site["line"]), []).append((site["col"], d["symbol"], d["target"]))
cache = {}
for (f, line), edits in sorted(by_line.items()):
    up = cache.setdefault(f, upstream(f))[line - 1]
    want = up
    for col, sym, target in sorted(edits, reverse=True):
        assert want[col - 1:col - 1 + len(sym)] == sym, "%s:%d:%d is not %s" % (f, line, col, sym)
        want = want[:col - 1] + target + want[col - 1 + len(sym):]
        renamed += 1
    assert want in text[f].split("\n"), "%s:%d: expected renamed line not in port: %s" % (f, line, want.strip())
left = [m for m in r["misses"] if m["resolution"] == "NOT renamed"]
assert not left, "sites left unrenamed: %s" % left
kinds = {}
for d in disp:
    kinds[d["disposition"]] = kinds.get(d["disposition"], 0) + 1
ext = [d for d in disp if d["provided"] == "extern"]
assert ext, "no external functions in the inventory"
print("api: %d names, %d out-of-line; dispositions %s; %d rename sites checked; %d misses fixed up"
      % (len(disp), len(ext), kinds, renamed, len(r["misses"])))
PY

# Every symbol the driver's objects leave undefined (compiled with kbuild's
# flags from compile_commands.json, into a temp dir) is in the inventory.
python3 - "$a" "$tree" "$work" <<'PY'
import json, os, subprocess, sys
a, tree, work = sys.argv[1:4]
rep = json.load(open(os.path.join(a, "report.json")))
known = {s["name"] for s in rep["inventory"]["symbols"]}
defined = set(rep["inventory"].get("defines", []))
missing, total = [], 0
for e in json.load(open(os.path.join(a, "compile_commands.json"))):
    rel = os.path.relpath(e["file"], a)
    own = [os.path.relpath(o[:-2] + ".c", rep["module"]["dir"]) for o in rep["module"]["objects"]]
    if rel not in own:
        continue  # imported files (companions too): the inventory describes the driver's objects
    src = os.path.join(tree, rep["module"]["dir"], rel)
    obj = os.path.join(work, os.path.basename(src) + ".o")
    subprocess.run(e["arguments"][:-2] + ["-c", "-o", obj, src], cwd=e["directory"], check=True)
    for line in subprocess.run(["nm", "-u", obj], capture_output=True, text=True, check=True).stdout.split("\n"):
        name = line.split()[-1] if line.strip() else None
        if name and name not in defined:
            total += 1
            if name not in known:
                missing.append(name)
assert not missing, "undefined in the objects but not in the inventory: %s" % sorted(set(missing))
print("nm -u: all %d undefined symbols of the objects are in the inventory" % total)
PY

# Same inputs, same bytes and commit ids.  The second port has an empty
# spatch cache of its own, so its structural groups run ahead, beside the
# analysis (kp_rewrite_ahead.c), whatever the first port found cached.
main_cache=${KPIPORT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpiport}
mkdir -p "$work/cache"
for k in kbuild symindex treeindex analysis kconfig; do
  [ -e "$main_cache/$k" ] && ln -s "$main_cache/$k" "$work/cache/$k"
done
KPIPORT_LINUX=$tree KPIPORT_CACHE=$work/cache "$KPIPORT" port "$drv" -j2 -o "$work/b"
[ "$(git -C "$a" rev-parse HEAD)" = "$(git -C "$work/b" rev-parse HEAD)" ] || { echo "FAIL: commit ids differ"; exit 1; }
diff -r -x .git -x compile_commands.json "$a" "$work/b" >/dev/null || { echo "FAIL: re-port differs"; exit 1; }
echo "re-port: identical (HEAD $(git -C "$a" rev-parse --short HEAD))"

# The tree is never written to.
changed=$(find "$tree" -newer "$work/stamp" -print -quit)
[ -z "$changed" ] || { echo "FAIL: the Linux tree was written: $changed"; exit 1; }
echo "PASS: $drv"
