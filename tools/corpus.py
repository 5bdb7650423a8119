#!/usr/bin/env python3
# corpus.py: port and build every driver of corpus/manifest.tsv (real PCI
# drivers of the Linux tree, named by path, never copied), classify how far
# each gets, and print/write the stage table with the most common failure
# causes -- the list engineers use to fix the general mechanisms (mapping
# tables, runtime) rather than one driver at a time.
#
#   tools/corpus.py [-j N] [--target sim|linux] [--only RE]   run, print, write corpus/results.*
#   tools/corpus.py --check    ... and exit 1 when a driver falls below its manifest stage
#   tools/corpus.py --update   ... and rewrite the manifest's expected stages from this run
#   tools/corpus.py --render   rewrite results.md from results.json (no ports; e.g. after
#                              tests/e2e/matrix.tsv changed, or the manifest's expected stages)
#   tools/corpus.py --only RE --merge   run some drivers, keep the others' results
#   tools/corpus.py --checkpoint        rewrite results.* after every driver, marked partial
#                              until the run ends: an interrupted batch keeps what it finished
#   tools/corpus.py --linux TREE        the same on another Linux tree: results-<version>.*
#                              (e.g. corpus/results-6.12.md), compared with the default
#                              tree's results.json, so the table shows what a newer kernel costs
#                              (stage counts side by side; each driver that differs, with
#                              its note from corpus/version-notes.tsv)
#
# Subsystems with a section of their own (SUBSYSTEM_SECTIONS: drm) repeat
# their rows with what blocks each, have their own rates (out of a curated
# manifest's), and list the `roadmap` rows' progress, peak RSS and top
# missing symbols.
#
# Every table also has the time: wall time, and the seconds per stage
# summed over the drivers (kbuild, config, analyze, map, resolve, rewrite,
# git from `kpiport port -v`; build is `kpiport build`), biggest first.
#
# The table also says which drivers are proven on a device: the ones with a
# line in tests/e2e/matrix.tsv (ctest -L e2e runs a ported daemon against
# QEMU's model of the device), read when the table is written.
#
# Stages, worst to best: not-applicable (kpiport says "not for x86_64: needs
# X": the driver's Kconfig needs another architecture; left out of the rates),
# fails-port (kpiport port failed: first error),
# ported (the port dir builds no daemon: a compile error, first error),
# compiles (every object compiles, the link fails: N undefined symbols),
# links-stubs (links, N generated stubs), links (links, no stubs).
# Python 3 standard library only.  Each driver is ported into its own temp
# dir outside the repository; nothing is written into the Linux tree.
import argparse, collections, concurrent.futures, json, os, re, shutil, signal
import subprocess, sys, tempfile, threading, time

STAGES = ["not-applicable", "fails-port", "ported", "compiles", "links-stubs", "links"]
NOT_FOR_ARCH = re.compile(r"^not for \S+: needs ")
# not-applicable ranks with fails-port: neither is a regression of the other
# (a driver recorded as failing that is now known to be for another
# architecture has not got worse), but both are below every other stage.
RANK = dict({s: i for i, s in enumerate(STAGES)}, **{"not-applicable": 1})
SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("KPIPORT_CACHE") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "kpiport")
# The Linux trees tools/setup.sh installs (tools/linux-versions), the default first.
with open(os.path.join(SRC, "tools", "linux-versions"), encoding="utf-8") as _f:
    VERSIONS = [l.strip() for l in _f if l.strip() and not l.startswith("#")]
DEFAULT_TREE = os.path.join(CACHE, "linux-source-" + VERSIONS[0])


def tree_series(tree):
    """"6.12" for a tree whose top Makefile says VERSION = 6, PATCHLEVEL = 12."""
    v = {}
    try:
        with open(os.path.join(tree, "Makefile"), encoding="utf-8", errors="replace") as f:
            for line in f.read().splitlines()[:10]:
                m = re.match(r"(VERSION|PATCHLEVEL)\s*=\s*(\d+)", line)
                if m:
                    v[m.group(1)] = m.group(2)
    except OSError:
        pass
    return "%s.%s" % (v["VERSION"], v["PATCHLEVEL"]) if len(v) == 2 else None


def results_base(tree, manifest=None):
    """results for the default tree's series, results-<series> for another;
    another manifest than manifest.tsv adds its name (results-random for
    random.tsv)."""
    series = tree_series(tree)
    base = "results" if series in (None, VERSIONS[0]) else "results-" + series
    stem = os.path.basename(manifest or "manifest.tsv").rsplit(".", 1)[0]
    return base if stem == "manifest" else base + "-" + stem


def version_notes(series, path=None):
    """{driver path: why} from corpus/version-notes.tsv for this series: why a
    driver reaches another stage on this tree than on the default one (the
    driver itself changed between the versions)."""
    notes = {}
    try:
        with open(path or os.path.join(SRC, "corpus", "version-notes.tsv"), encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                if len(cols) >= 3 and cols[0] == series:
                    notes[cols[1]] = cols[2]
    except OSError:
        pass
    return notes


def baseline_section(doc, notes=None):
    """Markdown: this tree's stages against the default tree's (doc["baseline"]):
    the stage counts side by side, then every driver whose stage differs, with
    its note from corpus/version-notes.tsv."""
    b = doc.get("baseline")
    if not b:
        return []
    here = "/".join(doc.get("linux", [])) or "here"
    if notes is None:  # by series: 6.12 for 6.12.57
        notes = version_notes(".".join(here.split(".")[:2]))
    out = ["", "## Linux %s against Linux %s" % (here, b["linux"]), "",
           "The same drivers on the default tree (`%s`): %d reach a better stage here, %d a worse one, "
           "%d the same." % (b["file"], len(b["better"]), len(b["worse"]), b["same"]), ""]
    if b.get("totals"):
        out += ["| stage | Linux %s | Linux %s |" % (b["linux"], here), "|---|---|---|"]
        mine = b.get("totals_here") or doc["totals"]
        out += ["| %s | %d | %d |" % (s, b["totals"].get(s, 0), mine.get(s, 0)) for s in reversed(STAGES)]
        out.append("")
    if b["better"] or b["worse"]:
        out += ["| driver | Linux %s | Linux %s | why (corpus/version-notes.tsv) |" % (b["linux"], here),
                "|---|---|---|---|"]
        for row in b["worse"] + b["better"]:
            m, old, new = row[:3]
            why = notes.get(row[3], "") if len(row) > 3 else ""
            out.append("| %s | %s | %s | %s |" % (m, old, new, md_escape(why) or
                                                  ("**unexplained**" if row in b["worse"] else "")))
    return out


def add_baseline(doc, opt):
    """For a tree other than the default: how each driver fared on the default
    tree (its committed results.json in the results dir)."""
    default = results_base(DEFAULT_TREE, opt.manifest)
    if opt.results_base == default:
        return
    path = os.path.join(opt.results_dir, default + ".json")
    try:
        with open(path, encoding="utf-8") as f:
            base = json.load(f)
    except (OSError, ValueError):
        return
    old = {r["path"]: r for r in base.get("results", [])}
    better, worse, same = [], [], 0
    totals = {s: 0 for s in STAGES}  # the default tree's, over the drivers both tables have
    here = {s: 0 for s in STAGES}
    for r in doc["results"]:
        o = old.get(r["path"])
        if not o:
            continue
        totals[o["stage"]] += 1
        here[r["stage"]] += 1
        if RANK[r["stage"]] > RANK[o["stage"]]:
            better.append([r["module"], stage_text(o), stage_text(r), r["path"]])
        elif RANK[r["stage"]] < RANK[o["stage"]]:
            worse.append([r["module"], stage_text(o), stage_text(r), r["path"]])
        else:
            same += 1
    doc["baseline"] = {"linux": "/".join(base.get("linux", [])) or VERSIONS[0], "file": os.path.basename(path),
                       "better": better, "worse": worse, "same": same, "totals": totals, "totals_here": here}


# ---- manifest -------------------------------------------------------------

class Manifest:
    """corpus/manifest.tsv: `#` comments, a `#! target=T` directive (the
    target the expected stages were recorded for), then one driver a line:
    path<TAB>subsystem<TAB>expected stage[<TAB>note]."""

    def __init__(self, path):
        self.path, self.lines, self.entries, self.target, self.seed = path, [], [], None, None
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f.read().splitlines(), 1):
                self.lines.append(line)
                m = re.match(r"#!\s*target\s*=\s*(\S+)", line)
                if m:
                    self.target = m.group(1)
                m = re.match(r"#!\s*seed\s*=\s*(\d+)", line)
                if m:
                    self.seed = int(m.group(1))
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                cols = line.split("\t")
                if len(cols) < 3 or cols[2] not in RANK:
                    sys.exit("%s:%d: want path<TAB>subsystem<TAB>stage (%s), got %r"
                             % (path, n, " | ".join(STAGES), line))
                self.entries.append({"path": cols[0], "subsystem": cols[1], "expected": cols[2],
                                     "note": cols[3] if len(cols) > 3 else "", "lineno": n})

    def rewrite(self, stages, target):
        """Write the expected stages (path -> stage) and the target back,
        keeping every comment and note."""
        out, saw_target = [], False
        by_line = {e["lineno"]: e for e in self.entries}
        for n, line in enumerate(self.lines, 1):
            if re.match(r"#!\s*target\s*=", line):
                line, saw_target = "#! target=%s" % target, True
            elif n in by_line and by_line[n]["path"] in stages:
                cols = line.split("\t")
                cols[2] = stages[by_line[n]["path"]]
                line = "\t".join(cols)
            out.append(line)
        if not saw_target:
            out.insert(0, "#! target=%s" % target)
        with open(self.path, "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")


# ---- drawing the random part ----------------------------------------------

# The selection rule of the random part (corpus/random.tsv): every .c file
# under drivers/ and sound/ of the tree, outside drivers/staging/, that
# defines a `struct pci_driver` object with an initializer (the definition a
# module registers with pci_register_driver or module_pci_driver and their
# wrappers) and names a MODULE_* macro (so it belongs to something that can
# be a module).  The candidates are sorted by path, then random.Random(seed)
# draws N of them (random.sample), written in the order drawn: the same tree,
# seed and N give the same drivers, and any prefix is a random sample.  Entries of the curated manifest are not excluded (the random part
# is a sample of the tree, curated drivers included).
PCI_DRIVER_DEF = re.compile(r"\bstruct\s+pci_driver\s+\w+(?:\s+__\w+)*\s*=\s*\{")


def pci_driver_files(tree):
    """Every candidate of the selection rule above, sorted, tree-relative."""
    found = []
    for top in ("drivers", "sound"):
        for d, subdirs, files in os.walk(os.path.join(tree, top)):
            rel = os.path.relpath(d, tree)
            if rel == os.path.join("drivers", "staging"):
                subdirs[:] = []
                continue
            subdirs.sort()
            for f in sorted(files):
                if not f.endswith(".c"):
                    continue
                try:
                    with open(os.path.join(d, f), encoding="utf-8", errors="replace") as fh:
                        text = fh.read()
                except OSError:
                    continue
                if PCI_DRIVER_DEF.search(text) and "MODULE_" in text:
                    found.append(os.path.join(rel, f))
    return sorted(found)


def subsystem_of(path):
    """A short subsystem label: sound/... -> sound, drivers/net/... -> net."""
    parts = path.split("/")
    if parts[0] == "sound":
        return "sound"
    return parts[1] if len(parts) > 2 else parts[0]


def draw(tree, seed, n, out):
    """Write corpus/random.tsv: n drivers drawn with `seed` by the rule above."""
    import random
    cands = pci_driver_files(tree)
    if n > len(cands):
        sys.exit("corpus: only %d candidates in %s, cannot draw %d" % (len(cands), tree, n))
    picked = random.Random(seed).sample(cands, n)  # in drawn order: every prefix is a random sample too
    series = tree_series(tree) or "?"
    lines = [
        "# corpus/random.tsv: the random part of the corpus, %d PCI drivers drawn by" % n,
        "# `tools/corpus.py --draw %d --seed %d` from the Linux %s tree (%d candidates)." % (n, seed, series, len(cands)),
        "# Selection rule (tools/corpus.py, pci_driver_files): every .c file under",
        "# drivers/ and sound/, outside drivers/staging/, that defines a struct pci_driver",
        "# with an initializer and names a MODULE_* macro; sorted by path, then",
        "# random.Random(seed).sample(candidates, N), kept in drawn order (so the first",
        "# K lines are a random sample as well).  Same columns as manifest.tsv",
        "# (path, subsystem, expected stage, note); a note `ci` marks the fixed subset",
        "# ctest runs (corpus.random-ci).  Expected stages are recorded with --update.",
        "#! target=sim",
        "#! seed=%d" % seed,
    ]
    lines += ["%s\t%s\tfails-port" % (p, subsystem_of(p)) for p in picked]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    print("drew %d of %d candidates with seed %d into %s" % (n, len(cands), seed, out))


# ---- running one driver ---------------------------------------------------

ACTIVE, ACTIVE_LOCK = set(), threading.Lock()  # process groups running now (killed on ^C)
STOPPING = threading.Event()


def kill_active():
    STOPPING.set()
    with ACTIVE_LOCK:
        for pid in list(ACTIVE):
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def run(argv, timeout, cwd=None, usage=None):
    """Run argv in its own process group; on timeout kill the whole group
    (kpiport's make, spatch and clang children too).  -> (rc, out, err, secs);
    rc None means it timed out.  `usage` (a dict) gets rss_kb raised to the
    run's peak resident set: wait4's ru_maxrss, the biggest single process
    among argv and the children it waited for (kpiport, make, clang, spatch),
    the memory the step needed at once."""
    t0 = time.monotonic()
    if STOPPING.is_set():
        return (None, "", "interrupted", 0.0)
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=cwd,
                         start_new_session=True)
    with ACTIVE_LOCK:
        ACTIVE.add(p.pid)
    bufs = {}

    def drain(name, f):
        with f:
            bufs[name] = f.read()
    readers = [threading.Thread(target=drain, args=(n, f), daemon=True)
               for n, f in (("out", p.stdout), ("err", p.stderr))]
    for t in readers:
        t.start()
    rc = None
    try:
        # wait4 rather than communicate: only wait4 hands back the rusage.
        while True:
            pid, status, ru = os.wait4(p.pid, os.WNOHANG)
            if pid:
                rc = p.returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - t0 >= timeout:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                _, status, ru = os.wait4(p.pid, 0)
                p.returncode = os.waitstatus_to_exitcode(status)
                break
            time.sleep(0.1)
        for t in readers:
            t.join()
    finally:
        with ACTIVE_LOCK:
            ACTIVE.discard(p.pid)
    if usage is not None:
        usage["rss_kb"] = max(usage.get("rss_kb", 0), ru.ru_maxrss)
    return (rc, bufs.get("out", b"").decode("utf-8", "replace"), bufs.get("err", b"").decode("utf-8", "replace"),
            time.monotonic() - t0)


# The lines `kpiport port -v` adds to stderr (ku_log in translator/, and the
# timings kpiport.c prints): never a port's first error.
VERBOSE_RE = re.compile(r"kpiport: (analysing \d+ of|analyze \S+: parse|configuring kernel build dir|stage \S+ done: |"
                        r"kbuild could not build every|indexing the tree's|seconds per stage: )")
TIMINGS_RE = re.compile(r"^kpiport: seconds per stage: (\{.*\})\s*$", re.M)
# `kpiport port -v` says each pipeline stage as it ends (kp_pipeline.c):
# what a port stopped by the timeout got through.
STAGE_DONE_RE = re.compile(r"^kpiport: stage (\S+) done: ([0-9.]+) s\s*$", re.M)
# kpiport's pipeline stages (translator/kp_pipeline.c); the other keys of
# its timings are rule groups (spatch), summed as "rewrite".
PORT_STAGES = ["kbuild", "config", "analyze", "map", "resolve"]
TIME_KEYS = PORT_STAGES + ["rewrite", "git", "build"]


def port_timings(err, port_s):
    """{stage: seconds} of one `kpiport port -v`: its pipeline stages, the
    rule groups summed as rewrite, and the rest of the port's wall time
    (upstream import, stub and emit commits: git) as git.  {} when kpiport
    printed no timings (it failed)."""
    m = TIMINGS_RE.search(err)
    if not m:
        return {}
    try:
        raw = json.loads(m.group(1))
    except ValueError:
        return {}
    t = {k: float(raw.get(k, 0.0)) for k in PORT_STAGES}
    t["rewrite"] = sum(float(v) for k, v in raw.items() if k not in PORT_STAGES)
    t["git"] = max(0.0, port_s - sum(t.values()))
    return {k: round(v, 2) for k, v in t.items()}


def stages_done(err):
    """{stage: seconds} of the pipeline stages a port finished, from its
    `stage X done` lines: how far a port the timeout stopped got."""
    return {k: round(float(v), 2) for k, v in STAGE_DONE_RE.findall(err)}


def timeout_text(step, secs, done):
    """The first error of a step the timeout stopped, with how far a port got:
    the stages it finished and the one it was in."""
    text = "timeout: kpiport %s took over %d s" % (step, secs)
    if step != "port":
        return text
    order = PORT_STAGES + ["rewrite", "git"]
    last = max((order.index(k) for k in done if k in order), default=-1)
    if last < 0:
        return text + ", in kbuild"
    return text + ", in %s (done: %s)" % (order[last + 1], ", ".join(
        "%s %.0f s" % (k, done[k]) for k in order[:last + 1] if k in done))


def top_counts(counter, n=20):
    """[[name, count]] biggest first, then by name: the first n."""
    return [[k, c] for k, c in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


def report_stub_sites(rep):
    """{stub name: sites} from report.json's dispositions: how often the
    driver and its imports use each name left a stub (the bigger, the more
    of the port waits on it)."""
    return {d["symbol"]: d.get("sites", 0) for d in rep.get("dispositions", [])
            if d.get("disposition") == "stub"}


def time_totals(results):
    """Seconds per stage summed over the drivers (TIME_KEYS; build is
    `kpiport build`), and the drivers the port stages cover (those that ported)."""
    tot = {k: 0.0 for k in TIME_KEYS}
    n = 0
    for r in results:
        st = r.get("stages_s") or {}
        n += bool(st)
        for k in TIME_KEYS[:-1]:
            tot[k] += st.get(k, 0.0)
        tot["build"] += r.get("build_s", 0.0)
    return {"stages": {k: round(v, 1) for k, v in tot.items()}, "timed_ports": n,
            "drivers_s": round(sum(r.get("port_s", 0.0) + r.get("build_s", 0.0) for r in results), 1)}


def port_error(err):
    """kpiport's first error as one line (a trailing ':' pulls in the next
    line, which holds the detail) and the unsupported APIs it lists."""
    lines = [l for l in err.splitlines() if l.strip() and not VERBOSE_RE.match(l)]
    first = ""
    for i, l in enumerate(lines):
        if l.startswith("kpiport: ") or i == 0:
            first = l[len("kpiport: "):] if l.startswith("kpiport: ") else l
            if first.endswith(":") and i + 1 < len(lines):
                first += " " + lines[i + 1].strip()
            break
    unsupported = re.findall(r"^\s+(\w+) \((mappings/[^)]*)\)", err, re.M)
    return first.strip() or "kpiport port failed (no message)", [u[0] for u in unsupported]


ERROR_RE = re.compile(r"^(?:(\S+?):(\d+):(?:\d+:)?\s+)?(?:fatal )?error:\s*(.*)$")
UNDEF_RE = re.compile(r"undefined (?:reference to [`']([^'`]+)'|symbol: (\S+))")
MULTI_RE = re.compile(r"multiple definition of [`']([^'`]+)'")
LINKFAIL_RE = re.compile(r"error: linker command failed|^\S*ld(?:\.\w+)?: ", re.M)


def build_errors(log, portdir):
    """Compile errors of build.log: [(where, file, message)] once each, where
    is driver / import / runtime / header (whose file the error is in)."""
    seen, errs = set(), []
    for line in log.splitlines():
        m = ERROR_RE.match(line.strip())
        if not m:
            continue
        f, msg = m.group(1) or "", m.group(3).strip()
        if f.startswith(portdir + "/imports/"):
            where, f = "import", os.path.relpath(f, portdir)
        elif f.startswith(portdir + "/") or (f and not f.startswith("/")):
            where, f = "driver", os.path.relpath(f, portdir) if f.startswith("/") else f
        elif f.startswith(os.path.join(SRC, "runtime")) or f.startswith(os.path.join(SRC, "headers")):
            where, f = "runtime", os.path.relpath(f, SRC)
        elif f:
            where = "header"
            f = re.sub(r"^.*?/(include|arch)/", r"\1/", f)
        else:
            where = "build"
        if (where, f, msg) not in seen:
            seen.add((where, f, msg))
            errs.append((where, f, msg))
    return errs


def stub_names(portdir):
    try:
        text = open(os.path.join(portdir, "kpiport_stubs.c"), encoding="utf-8", errors="replace").read()
    except OSError:
        return []
    return sorted(set(re.findall(r"^KPI_STUB(?:_RET)?\((\w+),", text, re.M)))


def redox_check(port, opt, cwd):
    """`kpiport build --target redox`: every object compiled for
    x86_64-unknown-redox (linked too when a Redox toolchain is installed).
    -> "compiles", "links" or the first error."""
    argv = [opt.kpiport, "build", port, "--target", "redox", "-j", str(opt.jobs_per_driver)]
    rc, out, err, _ = run(argv, opt.timeout, cwd=cwd)
    if rc == 0:
        return "compiles" if "compile-checked" in out else "links"
    if rc is None:
        return "timeout"
    try:
        log = open(os.path.join(port, "build-redox", "build.log"), encoding="utf-8", errors="replace").read()
    except OSError:
        log = err or ""
    errs = build_errors(log, port)
    return "fails: " + (("%s: %s" % (errs[0][1], errs[0][2])) if errs else (err.strip().splitlines() or ["?"])[-1])


def do_driver(e, opt, workroot):
    """Port and build one manifest entry; -> its result record."""
    r = {"path": e["path"], "subsystem": e["subsystem"], "expected": e["expected"], "note": e["note"],
         "module": os.path.basename(e["path"]).rsplit(".", 1)[0], "stage": "fails-port",
         "first_error": "", "error_where": "", "imports": 0, "import_symbols": 0, "stubs": 0,
         "undefined": 0, "undefined_symbols": [], "multiple_definitions": [], "stub_symbols": [], "unsupported": [],
         "compile_errors": [], "port_s": 0.0, "build_s": 0.0, "stages_s": {}, "runtime": "", "rss_mb": 0}
    usage = {}
    w = tempfile.mkdtemp(prefix=re.sub(r"\W", "_", e["path"])[-40:] + ".", dir=workroot)
    port = os.path.join(w, "port")
    try:
        argv = [opt.kpiport, "port", e["path"], "-o", port, "-j", str(opt.jobs_per_driver), "-v"]
        if opt.linux:
            argv += ["--linux", opt.linux]
        rc, out, err, r["port_s"] = run(argv, opt.timeout, cwd=w, usage=usage)
        if rc != 0:
            # How far a failed port got (stages_s stays the finished ports'
            # own: the Time section sums those).
            r["reached_s"] = stages_done(err)
            if rc is None:
                r["first_error"] = timeout_text("port", opt.timeout, r["reached_s"])
            else:
                r["first_error"], r["unsupported"] = port_error(err)
                if NOT_FOR_ARCH.match(r["first_error"]):
                    r["stage"] = "not-applicable"
            r["error_where"] = "port"
            return r
        r["stage"] = "ported"
        r["stages_s"] = port_timings(err, r["port_s"])
        rep = json.load(open(os.path.join(port, "report.json"), encoding="utf-8"))
        r["module"] = rep["module"]["name"]
        r["linux"] = rep.get("tree", {}).get("version", "")
        r["imports"] = len(rep.get("imports", []))
        r["import_symbols"] = sum(len(i.get("symbols", [])) for i in rep.get("imports", []))
        r["stub_symbols"] = stub_names(port)
        r["stubs"] = len(r["stub_symbols"])
        sites = report_stub_sites(rep)
        r["stub_top"] = top_counts({k: sites.get(k, 0) for k in r["stub_symbols"]})
        if opt.redox_check:
            r["redox"] = redox_check(port, opt, w)
        argv = [opt.kpiport, "build", port, "--target", opt.target, "-j", str(opt.jobs_per_driver)]
        rc, out, err, r["build_s"] = run(argv, opt.timeout, cwd=w, usage=usage)
        bdir = os.path.join(port, "build-" + opt.target)
        log = ""
        for name in ("configure.log", "build.log"):
            try:
                log += open(os.path.join(bdir, name), encoding="utf-8", errors="replace").read()
            except OSError:
                pass
        # cmake/KpiRuntimeCache.cmake: "built DIR" (this build compiled the runtime) or "reused DIR"
        m = re.search(r"^-- kpiport-runtime: (built|reused) (\S+)", log, re.M)
        r["runtime"] = m.group(1) if m else ""
        if rc == 0 and os.path.isfile(os.path.join(bdir, r["module"])):
            r["stage"] = "links-stubs" if r["stubs"] else "links"
            return r
        refs = collections.Counter(a or b for a, b in UNDEF_RE.findall(log))
        undef = sorted(refs)
        multi = sorted(set(MULTI_RE.findall(log)))
        linked = undef or multi or LINKFAIL_RE.search(log)
        if rc is None:
            r["first_error"], r["error_where"] = timeout_text("build", opt.timeout, {}), "build"
        elif linked:
            # Every object compiled (make links only then); the link failed.
            r["stage"], r["undefined"], r["undefined_symbols"] = "compiles", len(undef), undef
            r["undefined_top"] = top_counts(refs)  # by the link's references to each
            r["multiple_definitions"] = multi
            parts = []
            if undef:
                parts.append("%d undefined: %s" % (len(undef), ", ".join(undef[:8]) +
                                                  (", ..." if len(undef) > 8 else "")))
            if multi:
                parts.append("%d defined twice: %s" % (len(multi), ", ".join(multi[:8])))
            if not parts:
                ld = [l for l in log.splitlines() if re.match(r"\S*ld(\.\w+)?: ", l)]
                parts.append(ld[0] if ld else "the link failed")
            r["first_error"], r["error_where"] = "; ".join(parts), "link"
        else:
            errs = build_errors(log, port)
            r["compile_errors"] = [list(x) for x in errs]
            if errs:
                where, f, msg = errs[0]
                r["first_error"], r["error_where"] = ("%s: %s" % (f, msg) if f else msg), where
            elif "CMake Error" in log:
                ls = [l.strip() for l in log[log.index("CMake Error"):].splitlines() if l.strip()]
                r["first_error"] = " ".join(ls[:2])
                r["error_where"] = "configure"
            else:
                tail = [l for l in (err or log).splitlines() if l.strip()]
                r["first_error"] = (tail[0] if tail else "kpiport build failed").replace("kpiport: ", "")
                r["error_where"] = "build"
        return r
    except (OSError, ValueError, KeyError) as x:
        r["first_error"], r["error_where"] = "corpus runner: %s" % x, "runner"
        return r
    finally:
        r["rss_mb"] = round(usage.get("rss_kb", 0) / 1024)
        # Machine-specific paths out of the message (results are committed).
        tree = os.path.realpath(opt.linux or DEFAULT_TREE) + "/"
        r["first_error"] = re.sub(r"/\S*/kbuild/[0-9a-f]+/", "<kbuild dir>/",
                                  r["first_error"].replace(port, "<port>")).replace(tree, "")
        if opt.keep:
            dst = os.path.join(opt.keep, r["module"])
            shutil.rmtree(dst, ignore_errors=True)
            if os.path.isdir(port):
                shutil.move(port, dst)
        shutil.rmtree(w, ignore_errors=True)


# ---- progress -------------------------------------------------------------

class Progress:
    """One updating line on a tty; a plain line per finished driver otherwise."""

    def __init__(self, total):
        self.total, self.done, self.running = total, 0, []
        self.counts = collections.Counter()
        self.tty = sys.stderr.isatty()
        self.t0 = time.monotonic()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        if self.tty:  # keep the clock moving while drivers run
            threading.Thread(target=self._tick, daemon=True).start()

    def _tick(self):
        while not self.stop.wait(1.0):
            with self.lock:
                sys.stderr.write("\r\033[K" + self._line())
                sys.stderr.flush()

    def _line(self):
        width = 24
        fill = int(width * self.done / max(self.total, 1))
        el = int(time.monotonic() - self.t0)
        good = self.counts["links"] + self.counts["links-stubs"]
        s = "[%s%s] %d/%d %d:%02d links %d, compiles %d, fail %d, n/a %d | %s" % (
            "#" * fill, "." * (width - fill), self.done, self.total, el // 60, el % 60, good,
            self.counts["compiles"], self.counts["ported"] + self.counts["fails-port"],
            self.counts["not-applicable"], " ".join(self.running))
        cols = shutil.get_terminal_size((100, 20)).columns
        return s[:cols - 1]

    def start(self, name):
        with self.lock:
            self.running.append(name)
            if self.tty:
                sys.stderr.write("\r\033[K" + self._line())
                sys.stderr.flush()

    def finish(self, name, r):
        with self.lock:
            self.running.remove(name)
            self.done += 1
            self.counts[r["stage"]] += 1
            if self.tty:
                sys.stderr.write("\r\033[K" + self._line())
            else:
                sys.stderr.write("corpus: [%d/%d] %-14s %-11s %5.1f s %s\n" % (
                    self.done, self.total, r["module"], r["stage"], r["port_s"] + r["build_s"],
                    r["first_error"][:100]))
            sys.stderr.flush()

    def close(self):
        self.stop.set()
        with self.lock:
            if self.tty:
                sys.stderr.write("\r\033[K")
                sys.stderr.flush()


# ---- reporting ------------------------------------------------------------

def stage_text(r):
    if r["stage"] == "links-stubs":
        return "links, %d stubs" % r["stubs"]
    if r["stage"] == "compiles":
        return "compiles, %d undefined" % r["undefined"] if r["undefined"] else "compiles, link fails"
    return r["stage"]


def normalize_error(r):
    """A first error as a cause shared across drivers: the message without
    the file it happened in (kept: where -- driver, header, runtime, ...)."""
    if r["error_where"] == "port":
        return "port: " + re.sub(r"/\S+/", "", r["first_error"])
    if r["compile_errors"]:
        where, _, msg = r["compile_errors"][0]
        return "%s: %s" % (where, msg)
    if r["error_where"] == "link":
        return None
    return "%s: %s" % (r["error_where"], r["first_error"])


def causes(results):
    """Counters across the corpus, each entry (name, drivers count, drivers)."""
    def rank(pairs):
        by = collections.defaultdict(list)
        for key, mod in pairs:
            by[key].append(mod)
        return [[k, len(v), sorted(v)] for k, v in
                sorted(by.items(), key=lambda kv: (-len(kv[1]), kv[0]))]
    return {
        "undefined_symbols": rank((s, r["module"]) for r in results for s in r["undefined_symbols"]),
        "first_errors": rank((c, r["module"]) for r in results
                             for c in [normalize_error(r)] if c and r["stage"] in ("fails-port", "ported")),
        "compile_errors": rank(("%s: %s" % (w, m), r["module"]) for r in results
                               for w, m in sorted({(x[0], x[2]) for x in r["compile_errors"]})),
        "multiple_definitions": rank((s, r["module"]) for r in results for s in r["multiple_definitions"]),
        "unsupported_apis": rank((s, r["module"]) for r in results for s in r["unsupported"]),
        "stubs": rank((s, r["module"]) for r in results for s in r["stub_symbols"]),
    }


def in_section(r):
    """A row of a subsystem with a section of its own (SUBSYSTEM_SECTIONS)."""
    return r.get("subsystem") in SUBSYSTEM_SECTIONS


def rates(results, seed=None):
    """Over the applicable drivers (all but not-applicable): how many port,
    link, link with no stubs, as counts and percentages.  A curated manifest
    (no seed) leaves the rows of a sectioned subsystem out: the DRM rows
    carry the DRM core they import and the roadmap's targets (i915, amdgpu),
    so they measure the DRM core, not the mechanisms the rates follow; their
    own section gives their rates (section_rates).  A drawn manifest counts
    every row: leaving any out would bias the sample."""
    kept = results if seed is not None else [r for r in results if not in_section(r)]
    app = [r for r in kept if r["stage"] != "not-applicable"]
    n = len(app)

    def share(k):
        return {"drivers": k, "percent": round(100.0 * k / n, 1) if n else 0.0}
    return {"applicable": n, "not_applicable": len(kept) - n, "sectioned": len(results) - len(kept),
            "port": share(sum(1 for r in app if RANK[r["stage"]] >= RANK["ported"])),
            "link": share(sum(1 for r in app if r["stage"] in ("links-stubs", "links"))),
            "link_no_stubs": share(sum(1 for r in app if r["stage"] == "links"))}


def rates_lines(doc):
    """Markdown lines of the rates (and, for a drawn manifest, its seed)."""
    rt = doc.get("rates")
    if not rt:
        return []
    seed = doc.get("seed")
    head = ("Over the drivers of this manifest drawn at random (seed %d, `tools/corpus.py --draw`; "
            "the selection rule is in the manifest's header)" % seed) if seed is not None else \
        "Over the drivers of this manifest"
    return ["", "## Rates", "",
            "%s, leaving out the %d that are not for this architecture%s:" % (
                head, rt["not_applicable"], " and the %d of the subsystem sections below (their rates are "
                "there)" % rt["sectioned"] if rt.get("sectioned") else ""), "",
            "| applicable | port | link | link with no stubs |", "|---|---|---|---|",
            "| %d | %d (%.1f%%) | %d (%.1f%%) | %d (%.1f%%) |" % (
                rt["applicable"], rt["port"]["drivers"], rt["port"]["percent"], rt["link"]["drivers"],
                rt["link"]["percent"], rt["link_no_stubs"]["drivers"], rt["link_no_stubs"]["percent"])]


def summarize(results, opt, elapsed, regressions, improvements):
    totals = collections.Counter(r["stage"] for r in results)
    return {
        "rates": rates(results, getattr(opt, "seed_of_manifest", None)), "seed": getattr(opt, "seed_of_manifest", None),
        "manifest": os.path.basename(getattr(opt, "manifest", "manifest.tsv")),
        "target": opt.target, "workers": opt.jobs, "drivers": len(results),
        "linux": sorted({r.get("linux") for r in results if r.get("linux")}),
        "kpiport": opt.kpiport_version,
        "elapsed_s": round(elapsed, 1), "time": time_totals(results),
        "totals": {s: totals.get(s, 0) for s in STAGES},
        "regressions": regressions, "improvements": improvements,
        "causes": causes(results),
        "results": [{k: (round(v, 1) if isinstance(v, float) else v) for k, v in r.items()
                     if k != "linux"} for r in results],
    }


def e2e_proofs():
    """module -> [(scenario names, QEMU device, kind, note)] from tests/e2e/matrix.tsv."""
    sys.path.insert(0, os.path.join(SRC, "tests", "e2e"))
    try:
        import e2e_matrix
        lines = e2e_matrix.load()
    except (ImportError, OSError, SystemExit) as e:
        sys.stderr.write("corpus: no e2e matrix (%s): the device column stays empty\n" % e)
        return {}
    proofs = collections.defaultdict(list)
    for l in lines:
        proofs[l.driver].append(([n for n, _ in l.scenarios()], l.qemu, l.kind, l.note))
    return proofs


def proof_text(proofs):
    """The table cell: each scenario group, with what it asserts for `script` lines."""
    cells = []
    for names, qemu, kind, note in proofs:
        dev = "`-M q35`" if qemu == "q35" else "`-device %s`" % qemu
        text = "%s on %s" % (", ".join("`%s`" % n for n in names), dev)
        if kind == "script":
            text += ": " + note.split(";")[0][:90]
        cells.append(text)
    return "; ".join(cells)


def fmt_time(s):
    return "%d:%02d" % (int(s) // 60, int(s) % 60)


def md_escape(s):
    return s.replace("|", "\\|").replace("\n", " ")


# Subsystems whose drivers get a section of their own in results.md: the
# rows again, with what each needs next (the missing symbols), their own
# rates (they are left out of the manifest's: see rates), and for the rows
# whose manifest note says `roadmap` how far they get and what blocks them.
SUBSYSTEM_SECTIONS = {
    "drm": ("DRM", "Issue 15: DRM PCI drivers ported with the DRM core, its KMS/GEM helpers, TTM and dma-buf "
                   "imported from the tree (`mappings/drm.lua`: `import_tree`).  *Missing* is what blocks the "
                   "next stage: the undefined symbols of a failed link, else the generated stubs (porting "
                   "TODOs, imports' included), else the first error.  *Peak RSS* is the biggest single "
                   "process of the driver's port and build (kpiport, make, clang, spatch; wait4's "
                   "ru_maxrss).  i915 and amdgpu are the roadmap rows (manifest note `roadmap`): the "
                   "seeds' targets, with how far each gets and its top missing symbols below."),
}


def missing_text(r, n=12):
    """The names that block the next stage, the most used first (the
    counts of undefined_top / stub_top) when the run recorded them."""
    top = r.get("undefined_top") if r["undefined_symbols"] else r.get("stub_top")
    names = r["undefined_symbols"] or r["stub_symbols"]
    if top:
        names = [k for k, _ in top] + sorted(set(names) - {k for k, _ in top})
    if not names:
        return md_escape(r["first_error"][:160])
    return ", ".join("`%s`" % x for x in names[:n]) + (", ... (%d)" % len(names) if len(names) > n else "")


def is_roadmap(r):
    return "roadmap" in r.get("note", "").split()


def seconds_text(r):
    """The driver's seconds per stage: the port's pipeline stages (those a
    port the timeout stopped got through) and the build."""
    st = dict(r.get("stages_s") or r.get("reached_s") or {})
    if r.get("build_s"):
        st["build"] = r["build_s"]
    parts = ["%s %.0f" % (k, st[k]) for k in TIME_KEYS if st.get(k)]
    return "%.0f s in all%s" % (r["port_s"] + r["build_s"], " (%s)" % ", ".join(parts) if parts else "")


def counted(pairs, n):
    return ", ".join("`%s` (%d)" % (k, c) for k, c in pairs[:n])


def roadmap_lines(r, n=15):
    """Markdown: one roadmap row -- its stage, the seconds per stage, the peak
    RSS, the first error, then the top missing symbols of each kind with
    their counts: stubs by the sites that use them (driver and imports),
    undefined symbols by the link's references, unsupported APIs."""
    out = ["", "#### %s (`%s`)" % (r["module"], r["path"]), "",
           "Gets to **%s** (expected: %s); %s; peak RSS %s." % (
               stage_text(r), r["expected"], seconds_text(r),
               "%d MB" % r["rss_mb"] if r.get("rss_mb") else "not recorded")]
    if r["first_error"]:
        out += ["", "First error: %s" % md_escape(r["first_error"][:300])]
    rows = []
    if r["stub_symbols"]:
        top = r.get("stub_top") or [[x, 0] for x in r["stub_symbols"]]
        rows.append("| stubs: %d, by the sites that use each | %s |" % (r["stubs"], counted(top, n)))
    if r["undefined_symbols"]:
        top = r.get("undefined_top") or [[x, 1] for x in r["undefined_symbols"]]
        rows.append("| undefined at link: %d, by the references the link names | %s |" % (
            r["undefined"], counted(top, n)))
    if r.get("unsupported"):
        rows.append("| unsupported APIs: %d | %s |" % (
            len(r["unsupported"]), ", ".join("`%s`" % x for x in r["unsupported"][:n])))
    if rows:
        out += ["", "| what blocks it | top missing symbols (count) |", "|---|---|"] + rows
    return out


def section_rates(rows):
    """One line: how many of a section's rows port, link, link with no stubs."""
    app = [r for r in rows if r["stage"] != "not-applicable"]
    n = sum(1 for r in app if RANK[r["stage"]] >= RANK["ported"])
    link = sum(1 for r in app if r["stage"] in ("links-stubs", "links"))
    clean = sum(1 for r in app if r["stage"] == "links")
    return ("Of these %d drivers (not counted in the Rates above): %d port, %d link, %d link with no stubs."
            % (len(app), n, link, clean))


def subsystem_sections(doc):
    out = []
    for sub, (title, intro) in SUBSYSTEM_SECTIONS.items():
        rows = [r for r in doc["results"] if r["subsystem"] == sub]
        if not rows:
            continue
        out += ["", "## %s" % title, "", intro, ""]
        if doc.get("seed") is None:
            out += [section_rates(rows), ""]
        out += ["| driver | stage | imports (symbols) | stubs | undefined | time (s) | peak RSS (MB) | missing |",
                "|---|---|---|---|---|---|---|---|"]
        for r in rows:
            out.append("| %s | %s | %d (%d) | %d | %d | %.1f | %s | %s |" % (
                r["module"] + (" (roadmap)" if is_roadmap(r) else ""), stage_text(r), r["imports"],
                r.get("import_symbols", 0), r["stubs"], r["undefined"], r["port_s"] + r["build_s"],
                r.get("rss_mb") or "", missing_text(r)))
        road = [r for r in rows if is_roadmap(r)]
        if road:
            out += ["", "### Roadmap", "",
                    "How far each roadmap driver gets and what blocks it (the runner's `--timeout` bounds each "
                    "kpiport step; a port it stops says the stage it was in)."]
            for r in road:
                out += roadmap_lines(r)
    return out


TIME_LABELS = {"kbuild": "kbuild (find the module)", "config": "config (kernel build dir)",
               "analyze": "analyze (libclang)", "map": "map", "resolve": "resolve (imports)",
               "rewrite": "rewrite (spatch rule groups)", "git": "git (upstream, stubs, emit) and the rest",
               "build": "build (`kpiport build`: cmake, runtime, compile, link)"}


def time_lines(doc):
    """Markdown: wall time, and the seconds each stage took summed over the
    drivers, biggest first: where the next bottleneck is."""
    tm = doc.get("time")
    if not tm:
        return []
    st = tm["stages"]
    total = sum(st.values()) or 1.0
    out = ["", "## Time", "",
           "%s wall time with %d workers; %s summed over the drivers (each driver's port and build).  "
           "Seconds per stage, summed over the drivers (the port stages from `kpiport port -v`, for the "
           "%d drivers that ported; a failed port counts in no stage):" % (
               fmt_time(doc["elapsed_s"]), doc["workers"], fmt_time(tm["drivers_s"]), tm["timed_ports"]), "",
           "| stage | seconds | share |", "|---|---|---|"]
    for k in sorted(st, key=lambda k: -st[k]):
        out.append("| %s | %.1f | %.1f%% |" % (TIME_LABELS.get(k, k), st[k], 100.0 * st[k] / total))
    return out


def render_md(doc, top=15):
    t = doc["totals"]
    if "rates" not in doc:
        doc["rates"] = rates(doc["results"], doc.get("seed"))
    out = ["# Corpus results", "",
           "Generated by `tools/corpus.py` (do not edit by hand): %d real PCI drivers of "
           "Linux %s named in `%s`, ported with `kpiport port` and built with "
           "`kpiport build --target %s`; %d workers, %s wall time." % (
               doc["drivers"], "/".join(doc["linux"]) or "?", doc.get("manifest", "manifest.tsv"),
               doc["target"], doc["workers"],
               fmt_time(doc["elapsed_s"])) + (
           "  The last run (`--merge`) ported %d of them; the others' rows, and the per-stage "
           "seconds below, come from earlier runs." % doc["merged_ran"] if doc.get("merged_ran") else ""), ""]
    if doc.get("partial"):
        out += ["**Partial**: the run was stopped or is still going; %s finished (`--checkpoint`)." %
                doc["partial"], ""]
    out += ["| stage | drivers |", "|---|---|"]
    proofs = e2e_proofs()
    labels = {"links": "links cleanly (no stubs)", "links-stubs": "links with stubs",
              "compiles": "compiles, link fails (undefined symbols)",
              "ported": "ported, does not compile", "fails-port": "fails to port",
              "not-applicable": "not for this architecture (left out of the rates)"}
    for s in reversed(STAGES):
        out.append("| %s | %d |" % (labels[s], t.get(s, 0)))
    out.append("| **total** | **%d** |" % doc["drivers"])
    out += rates_lines(doc)
    out += time_lines(doc)
    stubs = doc["causes"]["stubs"][:20]
    if stubs and doc.get("seed") is not None:
        out += ["", "### The 20 most common stubs and the drivers each one keeps from linking with no stubs", "",
                "| stub | drivers | which |", "|---|---|---|"]
        out += ["| `%s` | %d | %s |" % (name, n, ", ".join(mods)) for name, n, mods in stubs]
    proven = [r["module"] for r in doc["results"]
              if any(not note.startswith("no:") for _, _, _, note in proofs.get(r["module"], []))]
    refused = [r["module"] for r in doc["results"] if r["module"] in proofs and r["module"] not in proven]
    out += ["", "%d of them drive a QEMU device in `ctest -L e2e` (column *proven on a device*: the "
            "scenarios of `tests/e2e/matrix.tsv`, `e2e.ported.<name>`; `-redox` ones run the Redox backend "
            "on the emulated Redox)%s." % (len(proven), "; for %s the scenario asserts why QEMU's model cannot "
                                           "be driven" % ", ".join(refused) if refused else "")]
    out += ["", "## Drivers", "",
            "| driver | path | subsystem | stage | expected | proven on a device | imports | stubs | undefined "
            "| time (s) | first error |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in doc["results"]:
        mark = ""
        if RANK[r["stage"]] < RANK[r["expected"]]:
            mark = " **(below)**"
        elif RANK[r["stage"]] > RANK[r["expected"]]:
            mark = " (above)"
        err = r["first_error"]
        out.append("| %s | `%s` | %s | %s%s | %s | %s | %d | %d | %d | %.1f | %s |" % (
            r["module"], r["path"], r["subsystem"], stage_text(r), mark, r["expected"],
            md_escape(proof_text(proofs.get(r["module"], []))), r["imports"],
            r["stubs"], r["undefined"], r["port_s"] + r["build_s"], md_escape(err[:160])))
    out += subsystem_sections(doc)
    redox = [r for r in doc["results"] if "redox" in r]
    if redox:
        ok = sum(1 for r in redox if r["redox"] in ("compiles", "links"))
        out += ["", "## Redox target", "",
                "`kpiport build --target redox` of every port: %d of %d compile for x86_64-unknown-redox "
                "(clang-19's redox target; linking needs a Redox toolchain, see each port's "
                "`redox/recipe.toml`)." % (ok, len(redox)), ""]
        bad = [r for r in redox if r["redox"] not in ("compiles", "links")]
        if bad:
            out += ["| driver | redox build |", "|---|---|"]
            out += ["| %s | %s |" % (r["module"], md_escape(r["redox"][:160])) for r in bad]
    c = doc["causes"]
    sections = [("Undefined symbols at link (drivers that need each)", "undefined_symbols"),
                ("First errors of drivers that do not compile or port", "first_errors"),
                ("Symbols defined twice at link (runtime and stubs or imports)", "multiple_definitions"),
                ("Compile errors (each counted once per driver)", "compile_errors"),
                ("APIs the mapping tables mark unsupported (port failures)", "unsupported_apis"),
                ("Generated stubs (drivers whose port carries each)", "stubs")]
    out += ["", "## Most common failure causes", ""]
    for title, key in sections:
        rows = c[key]
        out += ["### " + title, ""]
        if not rows:
            out += ["(none)", ""]
            continue
        out += ["| count | cause | drivers |", "|---|---|---|"]
        for name, n, mods in rows[:top]:
            more = ", ..." if len(mods) > 8 else ""
            out.append("| %d | `%s` | %s%s |" % (n, md_escape(name[:140]), ", ".join(mods[:8]), more))
        if len(rows) > top:
            out.append("| | (%d more in results.json) | |" % (len(rows) - top))
        out.append("")
    out += baseline_section(doc)
    return "\n".join(out) + "\n"


def print_table(doc, top):
    w = sys.stdout.write
    w("%-16s %-10s %-24s %-11s %4s %5s %5s %7s  %s\n" % (
        "driver", "subsystem", "stage", "expected", "imp", "stubs", "undef", "time", "first error"))
    for r in doc["results"]:
        flag = "<" if RANK[r["stage"]] < RANK[r["expected"]] else (">" if RANK[r["stage"]] > RANK[r["expected"]] else " ")
        w("%-16s %-10s %-24s%s%-11s %4d %5d %5d %6.1fs  %s\n" % (
            r["module"][:16], r["subsystem"][:10], stage_text(r), flag, r["expected"], r["imports"],
            r["stubs"], r["undefined"], r["port_s"] + r["build_s"],
            r["first_error"][:90]))
    t = doc["totals"]
    w("\ntotals: %s; %d drivers, target %s, %s wall time with %d workers\n" % (
        ", ".join("%s %d" % (s, t.get(s, 0)) for s in reversed(STAGES)), doc["drivers"], doc["target"],
        fmt_time(doc["elapsed_s"]), doc["workers"]))
    tm = doc.get("time")
    if tm:
        w("seconds per stage summed over the drivers: %s\n" % ", ".join(
            "%s %.0f" % (k, v) for k, v in sorted(tm["stages"].items(), key=lambda kv: -kv[1])))
    rt = doc.get("rates")
    if rt:
        w("rates over %d applicable drivers (%d not for this architecture, %d in subsystem sections): "
          "port %.1f%%, link %.1f%%, link with no stubs %.1f%%\n" % (
              rt["applicable"], rt["not_applicable"], rt.get("sectioned", 0), rt["port"]["percent"],
              rt["link"]["percent"], rt["link_no_stubs"]["percent"]))
    for title, key in (("undefined symbols", "undefined_symbols"), ("first errors", "first_errors"),
                       ("symbols defined twice", "multiple_definitions"),
                       ("unsupported APIs", "unsupported_apis"), ("stubs", "stubs")):
        rows = doc["causes"][key][:top]
        if rows:
            w("\nmost common %s:\n" % title)
            for name, n, mods in rows:
                w("  %3d  %s  (%s%s)\n" % (n, name[:110], ", ".join(mods[:5]), ", ..." if len(mods) > 5 else ""))
    b = doc.get("baseline")
    if b:
        w("\nagainst Linux %s (%s): %d better, %d worse, %d the same\n" % (
            b["linux"], b["file"], len(b["better"]), len(b["worse"]), b["same"]))
        for row in b["worse"]:
            w("  worse: %-16s %s -> %s\n" % tuple(row[:3]))
    redox = [r for r in doc["results"] if "redox" in r]
    if redox:
        bad = [r for r in redox if r["redox"] not in ("compiles", "links")]
        w("\nredox target: %d of %d compile for x86_64-unknown-redox\n" % (len(redox) - len(bad), len(redox)))
        for r in bad:
            w("  %-16s %s\n" % (r["module"], r["redox"][:110]))


def write_results(doc, opt, quiet=False):
    os.makedirs(opt.results_dir, exist_ok=True)
    base = os.path.join(opt.results_dir, opt.results_base)
    for ext, text in ((".json", json.dumps(doc, indent=1, sort_keys=True) + "\n"), (".md", render_md(doc, opt.top))):
        with open(base + ext + ".tmp", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(base + ext + ".tmp", base + ext)
    if not quiet:
        print("\nwrote %s/%s.md and %s.json" % (opt.results_dir, opt.results_base, opt.results_base))


def load_old_results(opt):
    """The results file's drivers by path ({} when there is none)."""
    try:
        with open(os.path.join(opt.results_dir, opt.results_base + ".json"), encoding="utf-8") as f:
            return {r["path"]: r for r in json.load(f)["results"]}
    except (OSError, ValueError, KeyError):
        return {}


def merged(ran_list, old, man):
    """--merge: the drivers run, and the others' earlier results, in manifest
    order, each with the manifest's expected stage."""
    ran = {r["path"]: r for r in ran_list}
    out = [ran.get(e["path"]) or old[e["path"]] for e in man.entries if e["path"] in ran or e["path"] in old]
    for r in out:
        e = next(e for e in man.entries if e["path"] == r["path"])
        r["expected"], r["note"] = e["expected"], e.get("note", "")
    return out


def partial_doc(results, entries, opt, elapsed, old, man):
    """--checkpoint: the table of the drivers finished so far, in manifest
    order, marked partial (an interrupted batch keeps them); with --merge,
    beside the earlier results of the others."""
    done = [results[e["path"]] for e in entries if e["path"] in results]
    if opt.merge:
        done = merged(done, old, man)
    doc = summarize(done, opt, elapsed, [], [])
    doc["partial"] = "%d of %d drivers" % (len(done), len(entries))
    add_baseline(doc, opt)
    return doc


def stage_changes(rows):
    """(regressions, improvements): the rows below and above their expected stage."""
    def text(r, err):
        return "%s: %s, expected %s%s" % (r["path"], r["stage"], r["expected"],
                                          " (%s)" % r["first_error"] if err and r["first_error"] else "")
    return ([text(r, True) for r in rows if RANK[r["stage"]] < RANK[r["expected"]]],
            [text(r, False) for r in rows if RANK[r["stage"]] > RANK[r["expected"]]])


def refresh_expected(doc, man):
    """--render: each row's expected stage and note as the manifest has them
    now (an --update or a manual edit after the run), and the stage changes
    against them; the Redox regressions of the run are kept."""
    by = {e["path"]: e for e in man.entries}
    for r in doc["results"]:
        e = by.get(r["path"])
        if e:
            r["expected"], r["note"] = e["expected"], e["note"]
    regs, doc["improvements"] = stage_changes(doc["results"])
    doc["regressions"] = regs + [x for x in doc.get("regressions", []) if "x86_64-unknown-redox" in x]


# ---- main -----------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description="Port and build the driver corpus; print the stage table.")
    ap.add_argument("--manifest", default=os.path.join(SRC, "corpus", "manifest.tsv"))
    ap.add_argument("--kpiport", default=os.environ.get("KPIPORT", os.path.join(SRC, "build", "kpiport")))
    ap.add_argument("--linux", default=os.environ.get("KPIPORT_LINUX"), help="Linux tree (default: kpiport's)")
    ap.add_argument("--target", help="kpiport build target (default: the manifest's `#! target=`, else sim)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="drivers in parallel (default 2)")
    ap.add_argument("--jobs-per-driver", type=int, help="kpiport -j (default: CPUs / workers)")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per kpiport step (default 900)")
    ap.add_argument("--only", help="regex: only drivers whose path or subsystem matches")
    ap.add_argument("--ci", action="store_true",
                    help="only the manifest's fixed CI subset (lines whose note is `ci`)")
    ap.add_argument("--results-dir", default=os.path.join(SRC, "corpus"),
                    help="where results.md/results.json go (default corpus/)")
    ap.add_argument("--no-write", action="store_true", help="print only; write no results files")
    ap.add_argument("--checkpoint", action="store_true",
                    help="rewrite the results after every driver (marked partial until the run ends), "
                         "so an interrupted batch keeps the drivers it finished")
    ap.add_argument("--keep", help="keep the port dirs under this directory")
    ap.add_argument("--check", action="store_true", help="exit 1 when a driver falls below its expected stage")
    ap.add_argument("--redox-check", action="store_true",
                    help="also `kpiport build --target redox` each port (compile-check for x86_64-unknown-redox)")
    ap.add_argument("--update", action="store_true", help="rewrite the manifest's expected stages from this run")
    ap.add_argument("--top", type=int, default=15, help="rows per failure-cause list (default 15)")
    ap.add_argument("--render", action="store_true",
                    help="only rewrite results.md from results.json (e.g. after tests/e2e/matrix.tsv changed; "
                         "another tree's comparison is made again against the default tree's results.json; "
                         "the expected stages are the manifest's as it is now)")
    ap.add_argument("--merge", action="store_true",
                    help="keep results.json's other drivers: the run replaces only the drivers it ran")
    ap.add_argument("--draw", type=int, metavar="N",
                    help="draw N drivers at random by the selection rule into --manifest (see pci_driver_files)")
    ap.add_argument("--seed", type=int, default=20261201, help="seed of --draw (default 20261201)")
    opt = ap.parse_args()
    if opt.draw:
        return draw(opt.linux or DEFAULT_TREE, opt.seed, opt.draw, opt.manifest)
    opt.results_base = results_base(opt.linux or DEFAULT_TREE, opt.manifest)
    if opt.render:
        with open(os.path.join(opt.results_dir, opt.results_base + ".json"), encoding="utf-8") as f:
            doc = json.load(f)
        add_baseline(doc, opt)  # against the default tree's table as it is now
        if os.path.isfile(opt.manifest):
            refresh_expected(doc, Manifest(opt.manifest))
        with open(os.path.join(opt.results_dir, opt.results_base + ".json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write("\n")
        with open(os.path.join(opt.results_dir, opt.results_base + ".md"), "w", encoding="utf-8") as f:
            f.write(render_md(doc, opt.top))
        print("wrote %s/%s.md from %s.json" % (opt.results_dir, opt.results_base, opt.results_base))
        return 0

    man = Manifest(opt.manifest)
    opt.seed_of_manifest = man.seed
    opt.target = opt.target or man.target or "sim"
    tree = opt.linux or DEFAULT_TREE
    if not os.path.isdir(os.path.join(tree, "drivers")):
        print("SKIP: no Linux tree at %s (run tools/setup.sh)" % tree)
        return 77
    if not os.access(opt.kpiport, os.X_OK):
        sys.exit("corpus: no kpiport at %s (cmake --build build --target kpiport, or --kpiport)" % opt.kpiport)
    opt.kpiport = os.path.abspath(opt.kpiport)
    opt.jobs = max(1, opt.jobs)
    opt.jobs_per_driver = opt.jobs_per_driver or max(1, (os.cpu_count() or 1) // opt.jobs)
    opt.kpiport_version = run([opt.kpiport, "version"], 30)[1].strip()
    if opt.keep:
        opt.keep = os.path.abspath(opt.keep)
        os.makedirs(opt.keep, exist_ok=True)
    entries = [e for e in man.entries
               if (not opt.only or re.search(opt.only, e["path"]) or re.search(opt.only, e["subsystem"]))
               and (not opt.ci or "ci" in e["note"].split())]
    if not entries:
        sys.exit("corpus: no driver matches")

    # --merge: the drivers not run keep their last results, read before any
    # --checkpoint write replaces the file.
    old = load_old_results(opt) if opt.merge else {}
    workroot = tempfile.mkdtemp(prefix="kpiport-corpus-")
    prog = Progress(len(entries))
    t0 = time.monotonic()
    results = {}

    def one(e):
        name = os.path.basename(e["path"]).rsplit(".", 1)[0]
        prog.start(name)
        r = do_driver(e, opt, workroot)
        prog.finish(name, r)
        return r

    pool = concurrent.futures.ThreadPoolExecutor(max_workers=opt.jobs)
    try:
        futs = {pool.submit(one, e): e["path"] for e in entries}
        for f in concurrent.futures.as_completed(futs):
            results[futs[f]] = f.result()
            if opt.checkpoint and not opt.no_write and len(results) < len(entries):
                write_results(partial_doc(results, entries, opt, time.monotonic() - t0, old, man), opt, quiet=True)
        pool.shutdown(wait=True)
    except KeyboardInterrupt:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # one ^C is enough; clean up undisturbed
        kill_active()
        pool.shutdown(wait=False, cancel_futures=True)
        prog.close()
        sys.stderr.write("corpus: interrupted\n")
        return 130
    finally:
        shutil.rmtree(workroot, ignore_errors=True)
    prog.close()
    elapsed = time.monotonic() - t0
    ordered = [results[e["path"]] for e in entries]

    regressions, improvements = stage_changes(ordered)
    # A port that compiles for its own target must compile for Redox too:
    # the same sources, another OS under the runtime.
    regressions += ["%s: compiles for %s but not for x86_64-unknown-redox (%s)" % (r["path"], opt.target, r["redox"])
                    for r in ordered if "redox" in r and RANK[r["stage"]] >= RANK["compiles"]
                    and r["redox"] not in ("compiles", "links")]
    ran_now = len(ordered)
    if opt.merge:
        ordered = merged(ordered, old, man)
    doc = summarize(ordered, opt, elapsed, regressions, improvements)
    if opt.merge and ran_now < len(ordered):
        doc["merged_ran"] = ran_now
    add_baseline(doc, opt)
    print_table(doc, opt.top)
    if not opt.no_write:
        write_results(doc, opt)
    if opt.update:
        man.rewrite({r["path"]: r["stage"] for r in ordered}, opt.target)
        print("updated the expected stages in %s (target %s)" % (opt.manifest, opt.target))
    print("corpus: %d drivers in %s (%d workers, kpiport -j%d, target %s)" % (
        len(ordered), fmt_time(elapsed), opt.jobs, opt.jobs_per_driver, opt.target))
    built = sum(1 for r in ordered if r.get("runtime") == "built")
    reused = sum(1 for r in ordered if r.get("runtime") == "reused")
    print("runtime: %d builds for %d drivers built (%d reused a cached runtime)" % (built, built + reused, reused))
    if improvements and not opt.update:
        print("\n%d drivers got further than the manifest says (record it with --update):" % len(improvements))
        for s in improvements:
            print("  " + s)
    if regressions:
        print("\n%d drivers fell below their expected stage:" % len(regressions))
        for s in regressions:
            print("  " + s)
        if opt.check and not opt.update:
            return 1
    elif opt.check:
        print("check: every driver reached its expected stage")
    return 0


if __name__ == "__main__":
    sys.exit(main())
