"""ktap.py: a small KTAP parser for tools/linux_tests.py (Linux's KUnit output).

KTAP (Documentation/dev-tools/ktap.rst) is TAP with nesting: a suite is a
subtest, indented by four spaces, whose own "ok"/"not ok" line follows its
cases at the outer level; parameterised cases nest one level deeper.  Debian
has no maintained KTAP parser (python3-tap parses flat TAP only), so this
one is written here and tested by tests/linux-tests/test_ktap.py.

What it keeps: every leaf result (a case with no subtests of its own) with
its status (pass, fail, skip), its path ("suite/case/param"), and the
diagnostic lines ("# ...") printed at its level just before it, which is
where KUnit puts an expectation's message.  Lines that are not KTAP (other
log output) are ignored; a leading printk level "<N>" is stripped.
"""
import re

_LEVEL = re.compile(r"^<\d>")
_RESULT = re.compile(r"^(ok|not ok)\s+(\d+)(?:\s+-)?(?:\s+([^#]*?))?\s*(?:#\s*(.*))?$")
_PLAN = re.compile(r"^1\.\.(\d+)")
_VERSION = re.compile(r"^(K?TAP) version (\d+)")
_SUBTEST = re.compile(r"^#\s*Subtest:\s*(.*)$")


class Case:
    """One leaf result."""

    def __init__(self, path, status, directive, diagnostics):
        self.path = path              # "suite/case" (names of the enclosing subtests)
        self.status = status          # "pass", "fail" or "skip"
        self.directive = directive    # text after '#', e.g. "SKIP reason", or ""
        self.diagnostics = diagnostics  # "# ..." lines before the result, without '#'

    def __repr__(self):
        return "Case(%r, %r)" % (self.path, self.status)


class Result:
    def __init__(self):
        self.cases = []       # leaf results, in output order
        self.seen_ktap = False  # a "KTAP version"/"TAP version" line was seen
        self.plan_errors = []  # a plan whose count its results do not match

    def count(self, status):
        return sum(1 for c in self.cases if c.status == status)


def _strip(line):
    line = _LEVEL.sub("", line.rstrip("\n"))
    body = line.lstrip(" \t")
    indent = len(line) - len(body)
    return indent, body.rstrip()


def parse(lines):
    """Parse an iterable of output lines; returns a Result."""
    res = Result()
    # one frame per open nesting level: indent, name, whether it had
    # deeper lines since its last result, diagnostics, plan, results seen
    frames = []

    def frame_at(indent):
        closed = False
        while frames and frames[-1]["indent"] > indent:
            _check_plan(frames.pop())
            closed = True
        if not frames or frames[-1]["indent"] < indent:
            # a level first seen here (a module's suites have no top-level
            # header in Linux 6.1): its next result closes what was deeper
            frames.append({"indent": indent, "name": None, "children": False, "diag": [],
                           "plan": None, "results": 0})
        if closed:
            frames[-1]["children"] = True
        return frames[-1]

    def _check_plan(f):
        if f["plan"] is not None and f["plan"] != f["results"]:
            res.plan_errors.append("%s: plan 1..%d, %d results" % (f["name"] or "(top)", f["plan"], f["results"]))

    for raw in lines:
        indent, body = _strip(raw)
        if not body:
            continue
        m = _VERSION.match(body)
        if m:
            res.seen_ktap = True
            f = frame_at(indent)
            continue
        if not frames:
            continue  # log output before any KTAP
        m = _SUBTEST.match(body)
        if m:
            f = frame_at(indent)
            f["name"] = m.group(1).strip()
            continue
        m = _PLAN.match(body)
        if m:
            f = frame_at(indent)
            f["plan"] = int(m.group(1))
            continue
        m = _RESULT.match(body)
        if m:
            f = frame_at(indent)
            name = (m.group(3) or "").strip()
            directive = (m.group(4) or "").strip()
            skip = directive.upper().startswith("SKIP")
            f["results"] += 1
            if f["children"]:
                f["children"] = False  # a subtest's own result: not a leaf
            else:
                names = [x["name"] for x in frames if x["name"]] + [name]
                status = "skip" if skip else "pass" if m.group(1) == "ok" else "fail"
                res.cases.append(Case("/".join(names), status, directive, f["diag"]))
            f["diag"] = []
            continue
        if body.startswith("#"):
            # a diagnostic belongs to the innermost open level at or above
            # its indent; it opens no level itself
            owners = [x for x in frames if x["indent"] <= indent]
            if owners:
                owners[-1]["diag"].append(body[1:].strip())
            continue
    while frames:
        _check_plan(frames.pop())
    return res
