#!/usr/bin/env python3
"""linux_tests.py: run Linux's own test modules (KUnit suites, lib/test_*.c
self-tests) on the runtime.

For every module of a list file (one tree path a line, e.g. lib/test_printf.c,
optionally followed by name=value module parameters for the run; '#'
comments), it ports the module with kpiport (`kpiport port PATH -o
WORK/ports/NAME --force`, cached by kpiport), builds it for the sim target
(`kpiport build DIR --target sim`), runs the daemon with `--once` (init,
then exit, then stop) and KPI_SIM_LOG=all (every log line), and judges the
output:

- KUnit modules print KTAP: every leaf case is counted (tools/ktap.py);
  a "not ok" case is a failure named by its path and first diagnostic.
- Self-test modules: the kselftest summary ("all N tests passed", "failed F
  out of N tests", "skipped S tests", "remaining N tests passed", test_xarray's "P of N tests passed") gives the
  counts, and every
  warning-or-worse line the module printed is a failure message; a plain
  module_init without a summary passes when it printed no such line.
- Always: a WARN, a non-zero init result (unless a kselftest summary
  explains it), a crash or a timeout is a failure.

The expectations file (tests/linux-tests/expected.txt) lists divergences the
runtime keeps on purpose: MODULE<TAB>SUBSTRING<TAB>REASON.  A failure whose
message contains SUBSTRING counts as expected (column xfail, still shown);
any other failure fails the module, and so does an expectation that
matched nothing (the runtime was fixed: remove the line).

--sanitize builds each port with ASan+UBSan instead (clang-19, KPI_SANITIZE:
the runtime too, linked dynamically: tests/runtime/nic_test_ported.sh does
the same) into DIR/build-sim-asan; then a sanitizer report in the output
is a failure as well (ctest's linux-tests in a KPIPORT_SANITIZE build).

Prints one table (module, stages, passed/failed/skipped/xfail, time, first
failure) and exits 0 when every module passed, 1 otherwise, 2 on bad
usage or a bad list, 77 when the Linux tree is missing.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ktap  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ONCE = re.compile(r"once: init returned (-?\d+), (\d+) warnings")
KSTM_PASSED = re.compile(r"(?:all|remaining) (\d+) tests passed")
KSTM_FAILED = re.compile(r"failed (\d+) out of (\d+) tests")
KSTM_SKIPPED = re.compile(r"skipped (\d+) tests")
N_OF_M = re.compile(r"(\d+) of (\d+) tests passed")  # lib/test_xarray.c's summary (printk's default level)
LEVEL = re.compile(r"^<(\d)>(.*)$")
RUNTIME_OWN = re.compile(r": init failed: |^once: ")
SANITIZER = re.compile(r"ERROR: (?:AddressSanitizer|LeakSanitizer)|runtime error:")


class Expectation:
    def __init__(self, module, pattern, reason):
        self.module, self.pattern, self.reason = module, pattern, reason
        self.used = False


def parse_expectations(lines, where):
    out = []
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise ValueError("%s:%d: want MODULE<TAB>SUBSTRING<TAB>REASON, got %r" % (where, n, line))
        out.append(Expectation(*(p.strip() for p in parts)))
    return out


def parse_list(lines, where):
    out = []
    for n, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        if not words[0].endswith(".c") or any("=" not in w for w in words[1:]):
            raise ValueError("%s:%d: want a tree path to a .c file, then name=value module parameters, got %r"
                             % (where, n, line))
        out.append((words[0], words[1:]))
    return out


class Verdict:
    def __init__(self):
        self.ok = False
        self.passed = self.failed = self.skipped = self.xfail = 0
        self.first_failure = ""
        self.failures = []  # (message, expectation or None)


def judge(name, lines, rc, expectations):
    """The verdict on one run: its output lines and exit status."""
    v = Verdict()
    exp = [e for e in expectations if e.module == name]
    once = None
    msgs = []  # (level or None, text)
    for raw in lines:
        raw = raw.rstrip("\n")
        m = LEVEL.match(raw)
        msgs.append((int(m.group(1)), m.group(2)) if m else (None, raw))
        m = ONCE.search(raw)
        if m:
            once = (int(m.group(1)), int(m.group(2)))
    failures = [t for lvl, t in msgs if lvl is None and SANITIZER.search(t)]
    res = ktap.parse(lines)
    if res.seen_ktap:
        for c in res.cases:
            if c.status == "fail":
                failures.append(c.path + (": " + c.diagnostics[0] if c.diagnostics else ""))
        failures += ["KTAP: " + e for e in res.plan_errors]
        failures += [t for lvl, t in msgs if lvl is not None and lvl <= 4 and t.startswith("WARNING:")]
        v.passed, v.skipped = res.count("pass"), res.count("skip")
        kstm_failed = None
    else:
        passed = total = kstm_failed = None
        for lvl, t in msgs:
            if lvl is None:
                continue
            m = KSTM_PASSED.search(t)
            if m:
                passed, kstm_failed = int(m.group(1)), 0
                continue
            m = KSTM_FAILED.search(t)
            if m:
                kstm_failed, total = int(m.group(1)), int(m.group(2))
                continue
            m = KSTM_SKIPPED.search(t)
            if m:
                v.skipped = int(m.group(1))
                continue
            m = N_OF_M.search(t)
            if m:
                passed, total = int(m.group(1)), int(m.group(2))
                kstm_failed = total - passed
                if kstm_failed:
                    failures.append(t)
                continue
            if lvl <= 4 and not RUNTIME_OWN.search(t):
                failures.append(t)
        if passed is not None:
            v.passed = passed
        elif total is not None:
            v.passed = max(total - kstm_failed - v.skipped, 0)
    if once is None:
        why = [t for lvl, t in msgs if lvl is None and ("abort" in t or "stub reached" in t)]
        last = why[0] if why else (msgs[-1][1] if msgs else "no output")
        failures.append("no clean end (status %d): %s" % (rc, last))
    elif once[0] and not kstm_failed:
        failures.append("init returned %d" % once[0])
    for f in failures:
        e = next((e for e in exp if e.pattern in f), None)
        if e:
            e.used = True
        v.failures.append((f, e))
    unexpected = [f for f, e in v.failures if e is None]
    v.xfail = len(v.failures) - len(unexpected)
    stale = [e for e in exp if not e.used]
    if res.seen_ktap:
        v.failed = len([c for c in res.cases if c.status == "fail"]) - \
            len([1 for f, e in v.failures if e and not f.startswith(("KTAP:", "WARNING:", "init", "no clean"))])
    elif kstm_failed is not None:
        v.failed = max(kstm_failed - v.xfail, 0) if not unexpected else max(kstm_failed - v.xfail, 1)
    else:
        v.failed = len(unexpected)
        v.passed = 0 if unexpected else 1
    for e in stale:
        v.failures.append(("expected failure did not happen (fixed? remove it from the list): " + e.pattern, None))
    unexpected = [f for f, e in v.failures if e is None]
    v.ok = not unexpected
    v.first_failure = unexpected[0] if unexpected else (v.failures[0][0] + " (expected)" if v.failures else "")
    return v


def module_name(portdir):
    with open(os.path.join(portdir, "report.json")) as fh:
        return json.load(fh)["module"]["name"]


def run_one(path, params, args, expectations, log):
    """Port, build, run one module: (row dict, Verdict or None)."""
    base = os.path.splitext(os.path.basename(path))[0]
    portdir = os.path.join(args.work, "ports", base)
    row = {"module": base, "port": "-", "build": "-", "run": "-", "time": 0.0}
    env = dict(os.environ)
    if args.linux:
        env["KPIPORT_LINUX"] = args.linux
    if shutil.which("ccache") and "CMAKE_C_COMPILER_LAUNCHER" not in env:
        env["CMAKE_C_COMPILER_LAUNCHER"] = "ccache"  # lx is compiled once per port: share the objects

    def step(what, cmd, timeout):
        with open(os.path.join(args.work, "logs", "%s.%s.log" % (base, what)), "w") as fh:
            try:
                p = subprocess.run(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, timeout=timeout)
                return p.returncode
            except subprocess.TimeoutExpired:
                return "timeout"

    rc = step("port", [args.kpiport, "port", path, "-o", portdir, "--force", "-j", str(args.jobs)], 1800)
    row["port"] = "ok" if rc == 0 else "FAIL"
    if rc != 0:
        return row, None, "port failed (%s): %s" % (rc, os.path.join(args.work, "logs", base + ".port.log"))
    for stale in ("build", "run"):  # a log of an earlier run must not pass for this one's
        try:
            os.remove(os.path.join(args.work, "logs", "%s.%s.log" % (base, stale)))
        except FileNotFoundError:
            pass
    name = module_name(portdir)
    row["module"] = name
    if args.sanitize:
        bdir = os.path.join(portdir, "build-sim-asan")
        conf = ["cmake", "-S", portdir, "-B", bdir, "-DKPI_HOST=sim", "-DCMAKE_BUILD_TYPE=Debug", "-DKPI_SANITIZE=ON",
                "-DCMAKE_C_FLAGS=-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"]
        if "CMAKE_C_COMPILER_LAUNCHER" in env:
            conf.append("-DCMAKE_C_COMPILER_LAUNCHER=" + env["CMAKE_C_COMPILER_LAUNCHER"])
        rc = step("configure", conf, 600)
        if rc == 0:
            rc = step("build", ["cmake", "--build", bdir, "-j", str(args.jobs)], 1800)
    else:
        bdir = os.path.join(portdir, "build-sim")
        rc = step("build", [args.kpiport, "build", portdir, "--target", "sim", "-j", str(args.jobs)], 1800)
    row["build"] = "ok" if rc == 0 else "FAIL"
    if rc != 0:
        return row, None, "build failed: %s" % os.path.join(args.work, "logs", base + ".build.log")
    exe = os.path.join(bdir, name)
    env["KPI_SIM_LOG"] = "all"
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    try:
        p = subprocess.run([exe, "--once"] + params, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                           timeout=args.timeout)
        out, rc = p.stdout.decode("utf-8", "replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out, rc = (e.stdout or b"").decode("utf-8", "replace") + "\ntimeout after %ds" % args.timeout, -9
    with open(os.path.join(args.work, "logs", base + ".run.log"), "w") as fh:
        fh.write(out)
    log.write(out if args.verbose else "")
    row["run"] = "ok" if rc == 0 else "rc=%d" % rc
    return row, judge(name, out.splitlines(), rc, expectations), None


def main():
    ap = argparse.ArgumentParser(description="Port, build and run Linux test modules on the runtime (sim target).")
    ap.add_argument("list", nargs="?", default=os.path.join(ROOT, "tests", "linux-tests", "modules.txt"),
                    help="list file: one tree path (lib/test_printf.c) a line")
    ap.add_argument("--expect", default=os.path.join(ROOT, "tests", "linux-tests", "expected.txt"),
                    help="expected failures: MODULE<TAB>SUBSTRING<TAB>REASON a line")
    ap.add_argument("--only", action="append", default=[], help="run only this module (file name without .c)")
    ap.add_argument("--work", default=os.path.join(ROOT, "build", "linux-tests"), help="ports, builds and logs")
    ap.add_argument("--kpiport", default=os.path.join(ROOT, "build", "kpiport"))
    ap.add_argument("--linux", default=None, help="Linux tree (default: kpiport's)")
    ap.add_argument("--timeout", type=int, default=120, help="seconds one test run may take")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("-v", "--verbose", action="store_true", help="echo each module's output")
    ap.add_argument("--sanitize", action="store_true",
                    help="build with ASan+UBSan (clang-19); a sanitizer report fails the module")
    args = ap.parse_args()
    try:
        with open(args.list) as fh:
            mods = parse_list(fh, args.list)
        exps = []
        if os.path.exists(args.expect):
            with open(args.expect) as fh:
                exps = parse_expectations(fh, args.expect)
    except (OSError, ValueError) as e:
        print("linux_tests: %s" % e, file=sys.stderr)
        return 2
    if args.only:
        unknown = [o for o in args.only if o not in [os.path.splitext(os.path.basename(m))[0] for m, _ in mods]]
        if unknown:
            print("linux_tests: not in %s: %s" % (args.list, ", ".join(unknown)), file=sys.stderr)
            return 2
        mods = [m for m in mods if os.path.splitext(os.path.basename(m[0]))[0] in args.only]
    if not os.access(args.kpiport, os.X_OK):
        print("linux_tests: no kpiport at %s (build it, or --kpiport)" % args.kpiport, file=sys.stderr)
        return 2
    tree = args.linux or os.environ.get("KPIPORT_LINUX") or \
        os.path.join(os.path.expanduser("~"), ".cache", "kpiport", "linux-source-6.1")
    if not os.path.isdir(tree):
        print("linux_tests: no Linux tree at %s: skipped" % tree, file=sys.stderr)
        return 77
    os.makedirs(os.path.join(args.work, "logs"), exist_ok=True)
    rows, all_ok = [], True
    for m, params in mods:
        t0 = time.monotonic()
        row, v, err = run_one(m, params, args, exps, sys.stdout)
        row["time"] = time.monotonic() - t0  # port + build + run
        if v is None:
            all_ok = False
            rows.append([row["module"], row["port"], row["build"], row["run"], "", "", "", "", "FAIL",
                         "%.0fs" % row["time"], err])
            continue
        all_ok &= v.ok
        rows.append([row["module"], row["port"], row["build"], row["run"], str(v.passed), str(v.failed),
                     str(v.skipped), str(v.xfail), "ok" if v.ok else "FAIL", "%.0fs" % row["time"],
                     v.first_failure[:160]])
        if not v.ok or args.verbose:
            for f, e in v.failures:
                print("  %s: %s%s" % (row["module"], f, "  [expected: %s]" % e.reason if e else ""))
    head = ["module", "port", "build", "run", "passed", "failed", "skipped", "xfail", "result", "time",
            "first failure"]
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head) - 1)]
    for r in [head] + rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1])
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
