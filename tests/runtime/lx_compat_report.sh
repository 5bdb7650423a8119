#!/usr/bin/env bash
# lx_compat_report.sh FIXTURE LXDIR: the port's report and the runtime's
# build agree on the version adaptations.  FIXTURE is a kbuild fixture
# (fixture_kbuild.sh: a port of 8139too, FIXTURE/port/report.json), LXDIR
# the lx sub-build made with the same flags (lx_build.sh); the adaptations
# report.json lists as applied (tree.adaptations, kpiport's run of
# cmake/KpiLxCompat.cmake) must be exactly the LX_HAVE_* that are 1 in
# LXDIR/lx-compat/lx_compat_probed.h (the build's run), and every probe must
# appear in both.  Exits 77 without the fixture.
set -euo pipefail
fx=$1 lx=$2
[ -f "$fx/port/report.json" ] || { echo "SKIP: no kbuild fixture in $fx"; exit 77; }
hdr=$lx/lx-compat/lx_compat_probed.h
[ -f "$hdr" ] || { echo "FAIL: no $hdr (runtime_lx_build)"; exit 1; }
python3 - "$fx/port/report.json" "$hdr" <<'PY'
import json, re, sys
rep = json.load(open(sys.argv[1]))
tree = rep["tree"]
if "adaptations" not in tree:
    sys.exit("FAIL: report.json has no tree.adaptations (%s)" % tree.get("adaptations_error", "no error given"))
reported = {a["name"]: a["applied"] for a in tree["adaptations"]}
built = {m.group(1): m.group(2) == "1"
         for m in re.finditer(r"^#define LX_HAVE_(\w+) ([01])", open(sys.argv[2]).read(), re.M)}
if reported != built:
    for n in sorted(set(reported) | set(built)):
        if reported.get(n) != built.get(n):
            print("DIFFERS: %s: report.json %s, the build %s" % (n, reported.get(n), built.get(n)))
    sys.exit("FAIL: the report and the build disagree on runtime/lx's version adaptations")
applied = sorted(n for n, a in built.items() if a)
print("PASS: Linux %s: %d of %d adaptations apply (%s), the same in report.json and the build"
      % (tree["version"], len(applied), len(built), " ".join(applied) or "none"))
PY
