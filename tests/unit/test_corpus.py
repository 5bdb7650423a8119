#!/usr/bin/env python3
# tests/unit/test_corpus.py: unit tests of tools/corpus.py's logic that needs
# no Linux tree and no kpiport: the timings `kpiport port -v` prints, the
# first error with -v's log lines around it, the per-stage time totals, and
# the comparison of another tree's results with the default tree's
# (stage counts side by side, drivers that differ, corpus/version-notes.tsv),
# and --checkpoint's partial table.
import os, sys, tempfile, unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tools"))
import corpus  # noqa: E402


def result(path, stage, **kw):
    r = {"path": path, "module": os.path.basename(path)[:-2], "stage": stage, "stubs": 0, "undefined": 0,
         "port_s": 0.0, "build_s": 0.0, "stages_s": {}}
    r.update(kw)
    return r


class Timings(unittest.TestCase):
    ERR = ('kpiport: analysing 2 of 2 sources with libclang (-j2)\n'
           'kpiport: seconds per stage: {"kbuild":0.5,"config":12,"analyze":3.25,"map":0.01,'
           '"resolve":1,"10-pci":2,"20-net":1e+01}\n')

    def test_port_timings(self):
        t = corpus.port_timings(self.ERR, 40.0)
        self.assertEqual(t["config"], 12.0)
        self.assertEqual(t["rewrite"], 12.0)  # the rule groups, summed
        self.assertAlmostEqual(t["git"], 40.0 - (0.5 + 12 + 3.25 + 0.01 + 1 + 12), places=2)
        self.assertEqual(corpus.port_timings("kpiport: no such driver\n", 3.0), {})

    def test_time_totals(self):
        rs = [result("a/x.c", "links", port_s=10.0, build_s=30.0,
                     stages_s={"config": 4.0, "rewrite": 5.0, "git": 1.0}),
              result("a/y.c", "fails-port", port_s=2.0)]
        tm = corpus.time_totals(rs)
        self.assertEqual(tm["stages"]["build"], 30.0)
        self.assertEqual(tm["stages"]["config"], 4.0)
        self.assertEqual(tm["timed_ports"], 1)
        self.assertEqual(tm["drivers_s"], 42.0)
        doc = {"elapsed_s": 25.0, "workers": 2, "time": tm}
        md = "\n".join(corpus.time_lines(doc))
        self.assertIn("0:25 wall time with 2 workers", md)
        self.assertLess(md.index("build ("), md.index("rewrite ("))  # biggest first

    def test_port_error_skips_verbose_lines(self):
        err = ("kpiport: configuring kernel build dir /x\n"
               "kpiport: unsupported APIs:\n  foo_bar (mappings/net.toml)\n")
        first, unsup = corpus.port_error(err)
        self.assertEqual(first, "unsupported APIs: foo_bar (mappings/net.toml)")
        self.assertEqual(unsup, ["foo_bar"])


class Checkpoint(unittest.TestCase):
    def test_partial(self):
        class Opt:
            manifest, target, jobs, kpiport_version, results_dir, results_base = "m.tsv", "sim", 2, "x", "/nonexistent", "results"
        entries = [{"path": "a/x.c"}, {"path": "a/y.c"}, {"path": "a/z.c"}]
        rs = {"a/z.c": result("a/z.c", "links", expected="links", subsystem="net", imports=0, first_error="", error_where="", compile_errors=[],
                              undefined_symbols=[], multiple_definitions=[], unsupported=[], stub_symbols=[])}
        Opt.merge = False
        doc = corpus.partial_doc(rs, entries, Opt, 12.0, {}, None)
        self.assertEqual(doc["partial"], "1 of 3 drivers")
        self.assertEqual(doc["totals"]["links"], 1)
        self.assertIn("**Partial**", corpus.render_md(doc))

    def test_partial_merge_keeps_the_others(self):
        """--merge --checkpoint: a checkpoint keeps the drivers not run (the
        file it rewrites is where the final merge reads them)."""
        class Opt:
            manifest, target, jobs, kpiport_version, results_dir, results_base = "m.tsv", "sim", 2, "x", "/nonexistent", "results"
            merge = True
        class Man:
            entries = [{"path": "a/x.c", "expected": "links"}, {"path": "a/y.c", "expected": "links"},
                       {"path": "a/z.c", "expected": "links"}]
        fields = dict(subsystem="net", imports=0, first_error="", error_where="", compile_errors=[], undefined_symbols=[],
                      multiple_definitions=[], unsupported=[], stub_symbols=[])
        old = {"a/x.c": result("a/x.c", "links", expected="links", **fields),
               "a/y.c": result("a/y.c", "links", expected="links", **fields)}
        rs = {"a/z.c": result("a/z.c", "links", expected="links", **fields)}
        doc = corpus.partial_doc(rs, [Man.entries[2]], Opt, 12.0, old, Man)
        self.assertEqual([r["path"] for r in doc["results"]], ["a/x.c", "a/y.c", "a/z.c"])
        self.assertEqual(doc["totals"]["links"], 3)


class Baseline(unittest.TestCase):
    def test_section(self):
        with tempfile.TemporaryDirectory() as d:
            notes = os.path.join(d, "notes.tsv")
            with open(notes, "w", encoding="utf-8") as f:
                f.write("# series\tpath\twhy\n6.12\ta/x.c\tx.c moved to the new API in 6.5\n"
                        "6.13\ta/y.c\tnot this series\n")
            n = corpus.version_notes("6.12", notes)
        self.assertEqual(n, {"a/x.c": "x.c moved to the new API in 6.5"})
        doc = {"linux": ["6.12.1"], "totals": {"links": 1, "compiles": 1},
               "baseline": {"linux": "6.1.2", "file": "results.json", "same": 0,
                            "totals": {"links": 2},
                            "worse": [["x", "links", "compiles, 3 undefined", "a/x.c"],
                                      ["y", "links", "ported", "a/y.c"]],
                            "better": []}}
        md = "\n".join(corpus.baseline_section(doc, n))
        self.assertIn("| links | 2 | 1 |", md)
        self.assertIn("| x | links | compiles, 3 undefined | x.c moved to the new API in 6.5 |", md)
        self.assertIn("| y | links | ported | **unexplained** |", md)


if __name__ == "__main__":
    unittest.main()
