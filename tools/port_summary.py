#!/usr/bin/env python3
# port_summary.py PORTDIR [--code]: a port's history as a reviewable edit
# summary: each rule commit with its sites, the changed line ranges per file
# (from `git diff -U0` hunk headers) and every rename (file:line symbol ->
# target), then the disposition counts.  Without --code it holds no source
# text, so summaries of real Linux drivers can be committed as golden files;
# with --code (synthetic drivers written here) it adds the full diffs.
import json, os, re, subprocess, sys

def git(port, *args):
    return subprocess.run(["git", "-C", port] + list(args), check=True, capture_output=True,
                          text=True, errors="replace").stdout

def main():
    port = sys.argv[1]
    code = "--code" in sys.argv[2:]
    rep = json.load(open(os.path.join(port, "report.json")))
    out = []
    out.append("module %s (%s) from %s" % (rep["module"]["name"], rep["module"]["symbol"],
                                          rep["module"]["dir"]))
    syms = {s["name"]: s for s in rep["inventory"]["symbols"]}
    for imp in rep.get("imports", []):
        out.append("import %s (%s)" % (imp["file"], ", ".join(sorted(imp["symbols"]))))
    for r in rep["rules"]:
        out.append("rule %s: %s -- %d sites%s" % (r["group"], r["title"], r["sites"],
                                                  "" if r["commit"] else " (no commit)"))
        if not r["commit"]:
            continue
        diff = git(port, "show", "-U0", "--format=", r["commit"])
        fname = None
        for line in diff.splitlines():
            if line.startswith("+++ b/"):
                fname = line[6:]
            m = re.match(r"@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", line)
            if m and not code:
                old_n = int(m.group(2)) if m.group(2) is not None else 1
                new_n = int(m.group(4)) if m.group(4) is not None else 1
                out.append("  %s:%s -%d +%d" % (fname, m.group(1), old_n, new_n))
        if code:
            out.extend("  " + l for l in diff.splitlines())
        if r["group"] == "rename":
            for d in rep["dispositions"]:
                if d["disposition"] != "rename":
                    continue
                for s in syms.get(d["symbol"], {}).get("sites", []):
                    out.append("  rename %s:%d:%d %s -> %s" % (os.path.basename(s["file"]), s["line"],
                                                               s["col"], d["symbol"], d["target"]))
    for m in rep["misses"]:
        out.append("miss %s:%d:%d %s -> %s: %s" % (m["file"], m["line"], m["col"], m["symbol"],
                                                   m["target"], m["resolution"]))
    stubs = sorted(d["symbol"] for d in rep["dispositions"]
                   if d["disposition"] == "stub" and d["provided"] == "extern")
    out.append("stubs %d: %s" % (len(stubs), " ".join(stubs)))
    out.append("dispositions " + " ".join("%s=%d" % kv for kv in sorted(rep["summary"].items())))
    for kind in ("entry_points", "params", "id_tables"):
        out.append("%s %d" % (kind, len(rep["inventory"][kind])))
    print("\n".join(out))

main()
