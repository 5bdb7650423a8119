#!/usr/bin/env python3
# tests/unit/test_corpus.py: unit tests of tools/corpus.py's logic that needs
# no Linux tree and no kpiport: the timings `kpiport port -v` prints, the
# first error with -v's log lines around it, the per-stage time totals, and
# the comparison of another tree's results with the default tree's
# (stage counts side by side, drivers that differ, corpus/version-notes.tsv),
# --checkpoint's partial table, and the DRM section (its rows out of the
# manifest's rates, the roadmap rows' progress and top missing symbols).
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


class Drm(unittest.TestCase):
    FIELDS = dict(imports=3, import_symbols=40, first_error="", error_where="", compile_errors=[],
                  undefined_symbols=[], multiple_definitions=[], unsupported=[], stub_symbols=[])

    def row(self, path, stage, sub="drm", **kw):
        f = dict(self.FIELDS, expected=stage, subsystem=sub)
        f.update(kw)
        return result(path, stage, **f)

    def rows(self):
        return [self.row("n/e.c", "links", sub="net"), self.row("n/f.c", "links-stubs", sub="net", stubs=1),
                self.row("d/bochs.c", "links-stubs", stubs=2, stub_symbols=["a", "b"], rss_mb=90),
                self.row("d/i915_pci.c", "links-stubs", note="roadmap", stubs=3, stub_symbols=["x", "y", "z"],
                         stub_top=[["y", 9], ["x", 4], ["z", 0]], rss_mb=256, port_s=1500.0, build_s=200.0,
                         stages_s={"analyze": 900.0, "resolve": 400.0}),
                self.row("d/amdgpu_drv.c", "fails-port", note="roadmap", rss_mb=700, port_s=1800.0,
                         reached_s={"kbuild": 1.0, "config": 60.0},
                         first_error="timeout: kpiport port took over 1800 s, in analyze (done: kbuild 1 s, config 60 s)"),
                self.row("d/qxl_drv.c", "compiles", undefined=2, undefined_symbols=["p", "q"],
                         undefined_top=[["q", 5], ["p", 1]])]

    def test_timeout_says_how_far(self):
        err = ("kpiport: configuring kernel build dir /x\n"
               "kpiport: stage kbuild done: 0.50 s\nkpiport: stage config done: 40.12 s\n")
        done = corpus.stages_done(err)
        self.assertEqual(done, {"kbuild": 0.5, "config": 40.12})
        self.assertEqual(corpus.timeout_text("port", 3000, done),
                         "timeout: kpiport port took over 3000 s, in analyze (done: kbuild 0 s, config 40 s)")
        self.assertEqual(corpus.timeout_text("port", 60, {}), "timeout: kpiport port took over 60 s, in kbuild")
        self.assertEqual(corpus.timeout_text("build", 60, done), "timeout: kpiport build took over 60 s")
        self.assertEqual(corpus.port_error(err + "kpiport: no such driver\n")[0], "no such driver")

    def test_top_counts(self):
        self.assertEqual(corpus.top_counts({"b": 2, "a": 2, "c": 5}, 2), [["c", 5], ["a", 2]])
        rep = {"dispositions": [{"symbol": "s", "disposition": "stub", "sites": 7},
                                {"symbol": "r", "disposition": "runtime", "sites": 3}]}
        self.assertEqual(corpus.report_stub_sites(rep), {"s": 7})

    def test_run_records_peak_rss(self):
        usage = {}
        rc, out, _, _ = corpus.run([sys.executable, "-c", "x = bytearray(64 << 20); print(len(x) >> 20)"], 60,
                                   usage=usage)
        self.assertEqual((rc, out), (0, "64\n"))
        self.assertGreaterEqual(usage["rss_kb"], 64 << 10)
        rc, _, _, secs = corpus.run(["sleep", "5"], 1, usage=usage)
        self.assertIsNone(rc)
        self.assertLess(secs, 4)

    def test_rates_leave_the_sections_out_of_a_curated_manifest(self):
        rt = corpus.rates(self.rows())
        self.assertEqual((rt["applicable"], rt["sectioned"], rt["link_no_stubs"]["drivers"]), (2, 4, 1))
        drawn = corpus.rates(self.rows(), seed=7)  # a drawn sample counts every row
        self.assertEqual((drawn["applicable"], drawn["sectioned"]), (6, 0))
        doc = {"rates": rt, "seed": None}
        self.assertIn("and the 4 of the subsystem sections below", "\n".join(corpus.rates_lines(doc)))

    def test_section_and_roadmap(self):
        md = "\n".join(corpus.subsystem_sections({"results": self.rows(), "seed": None}))
        self.assertIn("## DRM", md)
        self.assertNotIn("| e |", md)  # the net rows stay in the main table
        self.assertIn("Of these 4 drivers (not counted in the Rates above): 3 port, 2 link, 0 link with no stubs.", md)
        self.assertIn("| bochs | links, 2 stubs | 3 (40) | 2 | 0 | 0.0 | 90 | `a`, `b` |", md)
        self.assertIn("| i915_pci (roadmap) | links, 3 stubs | 3 (40) | 3 | 0 | 1700.0 | 256 | `y`, `x`, `z` |", md)
        self.assertIn("| qxl_drv | compiles, 2 undefined | 3 (40) | 0 | 2 | 0.0 |  | `q`, `p` |", md)
        self.assertIn("Gets to **links, 3 stubs** (expected: links-stubs); 1700 s in all "
                      "(analyze 900, resolve 400, build 200); peak RSS 256 MB.", md)
        self.assertIn("| stubs: 3, by the sites that use each | `y` (9), `x` (4), `z` (0) |", md)
        self.assertIn("Gets to **fails-port** (expected: fails-port); 1800 s in all (kbuild 1, config 60); "
                      "peak RSS 700 MB.", md)
        self.assertIn("First error: timeout: kpiport port took over 1800 s, in analyze", md)
        self.assertNotIn("#### qxl_drv", md)  # not a roadmap row


class Render(unittest.TestCase):
    def test_refresh_expected(self):
        """--render takes the expected stages the manifest has now."""
        class Man:
            entries = [{"path": "a/x.c", "expected": "links-stubs", "note": "roadmap"},
                       {"path": "a/y.c", "expected": "links", "note": ""}]
        doc = {"results": [result("a/x.c", "links-stubs", expected="fails-port", first_error=""),
                           result("a/y.c", "compiles", expected="links", first_error="2 undefined")],
               "regressions": ["a/z.c: compiles for sim but not for x86_64-unknown-redox (x)"],
               "improvements": ["a/x.c: links-stubs, expected fails-port"]}
        corpus.refresh_expected(doc, Man)
        self.assertEqual([r["expected"] for r in doc["results"]], ["links-stubs", "links"])
        self.assertEqual(doc["results"][0]["note"], "roadmap")
        self.assertEqual(doc["improvements"], [])
        self.assertEqual(doc["regressions"], ["a/y.c: compiles, expected links (2 undefined)",
                                              "a/z.c: compiles for sim but not for x86_64-unknown-redox (x)"])


if __name__ == "__main__":
    unittest.main()
