# bench_floor_cmds.py PORTDIR SRCDIR: print, one per line, the shell commands
# of the benchmark floor for a port: `clang-19 -fsyntax-only` of every source
# with the flags kpiport used (compile_commands.json: the driver's sources and
# the files it imports), and spatch with every rule group of rules.cocci on
# every source of the driver in the tree ($TREE), or in $DRIVER_DIR for an
# external module.
import json, os, shlex, sys

port, here = sys.argv[1:3]
tree = os.environ["TREE"]
cc = json.load(open(os.path.join(port, "compile_commands.json")))
mod = json.load(open(os.path.join(port, "report.json")))["module"]
sources = []
for e in cc:
    args = [a for a in e["arguments"] if a != "-c"][:-1]
    rel = os.path.relpath(e["file"], port)
    if rel.startswith("imports/"):  # kpiport parses imported files too
        src = os.path.join(tree, rel[len("imports/"):])
    else:
        src = os.path.join(os.environ.get("DRIVER_DIR") or os.path.join(tree, mod["dir"]), rel)
        sources.append(src)
    print("cd %s && %s -fsyntax-only %s" % (shlex.quote(e["directory"]),
          " ".join(shlex.quote(a) for a in args), shlex.quote(src)))
rules = [l.split('"')[1] for l in open(os.path.join(here, "rules.cocci")) if l.startswith("#include")]
# The interpreter kpiport gives spatch (translator/kp_spatch.h, ksp_python):
# the floor runs spatch as kpiport does.
py = os.environ.get("KPIPORT_SPATCH_PYTHON")
if py is None:
    py = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else ""
pyopt = "--python %s " % shlex.quote(py) if py else ""
for r in rules:
    # As kpiport runs a group: in rules.cocci's dir (SmPL #include paths start
    # there), with the options of the group's `// Options:` line.
    opts = [l.split(":", 1)[1].split() for l in open(os.path.join(here, r)) if l.startswith("// Options:")]
    for src in sources:
        print("cd %s && spatch --very-quiet --no-show-diff %s%s --sp-file %s %s -o /dev/null"
              % (shlex.quote(here), pyopt, " ".join(opts[0] if opts else []), shlex.quote(os.path.join(here, r)),
                 shlex.quote(src)))
