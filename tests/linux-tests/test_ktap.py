"""test_ktap.py: unit tests of tools/ktap.py (KTAP parsing) and of the
self-test/expectation logic of tools/linux_tests.py, on output written here
in KUnit's and the self-test modules' formats (ctest unit.ktap)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "tools"))
import ktap  # noqa: E402
import linux_tests  # noqa: E402

KUNIT = """\
<6>some log line before
<6>KTAP version 1
<6>1..2
<6>    KTAP version 1
<6>    # Subtest: list-kunit-test
<6>    1..3
<6>    ok 1 - list_test_list_init
<3>    # list_test_list_add: EXPECTATION FAILED at lib/list-test.c:52
<3>    Expected list.next == &b, but
<6>    not ok 2 - list_test_list_add
<6>    ok 3 - list_test_skipped # SKIP not on this arch
<6># list-kunit-test: pass:1 fail:1 skip:1 total:3
<6>not ok 1 - list-kunit-test
<6>    KTAP version 1
<6>    # Subtest: params
<6>    1..1
<6>        KTAP version 1
<6>        # Subtest: case_p
<6>        ok 1 - one
<6>        ok 2 - two
<6>    ok 1 - case_p
<6>ok 2 - params
"""


class KtapTest(unittest.TestCase):
    def test_nested_cases(self):
        r = ktap.parse(KUNIT.splitlines())
        self.assertTrue(r.seen_ktap)
        self.assertEqual([c.path for c in r.cases],
                         ["list-kunit-test/list_test_list_init", "list-kunit-test/list_test_list_add",
                          "list-kunit-test/list_test_skipped", "params/case_p/one", "params/case_p/two"])
        self.assertEqual([c.status for c in r.cases], ["pass", "fail", "skip", "pass", "pass"])
        self.assertEqual(r.count("pass"), 3)
        self.assertIn("list_test_list_add: EXPECTATION FAILED at lib/list-test.c:52", r.cases[1].diagnostics)
        self.assertEqual(r.plan_errors, [])

    def test_module_without_top_header(self):
        # Linux 6.1 prints a module's suites without a top-level header
        text = ("    KTAP version 1\n    # Subtest: s1\n    1..2\n    ok 1 a\n    not ok 2 b\n"
                "# s1: pass:1 fail:1 skip:0 total:2\nnot ok 1 s1\n"
                "    KTAP version 1\n    # Subtest: s2\n    1..1\n    ok 1 c\nok 2 s2\n")
        r = ktap.parse(text.splitlines())
        self.assertEqual([(c.path, c.status) for c in r.cases],
                         [("s1/a", "pass"), ("s1/b", "fail"), ("s2/c", "pass")])
        self.assertEqual(r.plan_errors, [])

    def test_plan_mismatch(self):
        text = "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: s\n    1..2\n    ok 1 - a\nok 1 - s\n"
        r = ktap.parse(text.splitlines())
        self.assertEqual(len(r.plan_errors), 1)

    def test_no_ktap(self):
        r = ktap.parse(["<6>test_printf: all 3 tests passed", "ok 1 - not ktap yet"])
        self.assertFalse(r.seen_ktap)
        self.assertEqual(r.cases, [])

    def test_crash_mid_suite(self):
        text = "KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: s\n    1..2\n    ok 1 - a\n"
        r = ktap.parse(text.splitlines())
        self.assertEqual(r.count("pass"), 1)
        self.assertEqual(len(r.plan_errors), 2)  # the suite's and the top level's


class VerdictTest(unittest.TestCase):
    def run_verdict(self, text, rc, expected=None, name="m"):
        return linux_tests.judge(name, text.splitlines(), rc, expected or [])

    def test_kstm_pass(self):
        v = self.run_verdict("<6>test_x: all 12 tests passed\n<6>once: init returned 0, 0 warnings\n", 0)
        self.assertTrue(v.ok)
        self.assertEqual((v.passed, v.failed, v.skipped), (12, 0, 0))

    def test_kstm_skipped(self):
        v = self.run_verdict("<6>test_x: skipped 2 tests\n<6>test_x: remaining 7 tests passed\n"
                             "<6>once: init returned 0, 0 warnings\n", 0)
        self.assertTrue(v.ok)
        self.assertEqual((v.passed, v.failed, v.skipped), (7, 0, 2))

    def test_kstm_fail_unexpected(self):
        v = self.run_verdict("<4>test_x: wrong thing\n<4>test_x: failed 1 out of 12 tests\n"
                             "<3>test_x: init failed: -EINVAL\n<6>once: init returned -22, 0 warnings\n", 1)
        self.assertFalse(v.ok)
        self.assertEqual((v.passed, v.failed), (11, 1))
        self.assertEqual(v.first_failure, "test_x: wrong thing")

    def test_kstm_fail_expected(self):
        exp = [linux_tests.Expectation("m", "wrong thing", "a reason")]
        v = self.run_verdict("<4>test_x: wrong thing\n<4>test_x: failed 1 out of 12 tests\n"
                             "<3>test_x: init failed: -EINVAL\n<6>once: init returned -22, 0 warnings\n", 1, exp)
        self.assertTrue(v.ok)
        self.assertEqual(v.xfail, 1)

    def test_plain_module_warning(self):
        v = self.run_verdict("<4>WARNING: at x.c:3 (task insmod)\n<6>once: init returned 0, 1 warnings\n", 1)
        self.assertFalse(v.ok)
        self.assertEqual(v.failed, 1)

    def test_init_error_by_design(self):
        exp = [linux_tests.Expectation("m", "init returned -22", "init always fails")]
        v = self.run_verdict("<3>m: init failed: -EINVAL\n<6>once: init returned -22, 0 warnings\n", 1, exp)
        self.assertTrue(v.ok)
        self.assertEqual((v.passed, v.failed), (1, 0))

    def test_n_of_m_summary(self):
        # lib/test_xarray.c: a plain printk (default level 4) with its own wording
        v = self.run_verdict("<4>XArray: 12 of 12 tests passed\n<6>once: init returned 0, 0 warnings\n", 0)
        self.assertTrue(v.ok)
        self.assertEqual((v.passed, v.failed), (12, 0))
        v = self.run_verdict("<4>XArray: 10 of 12 tests passed\n<6>once: init returned 0, 0 warnings\n", 0)
        self.assertFalse(v.ok)
        self.assertEqual((v.passed, v.failed), (10, 2))

    def test_sanitizer_report(self):
        # UBSan continues after some reports: a passing summary does not hide one
        v = self.run_verdict("lib/x.c:3:5: runtime error: shift exponent 64 is too large\n"
                             "<6>test_x: all 12 tests passed\n<6>once: init returned 0, 0 warnings\n", 0)
        self.assertFalse(v.ok)
        self.assertIn("runtime error", v.first_failure)
        v = self.run_verdict(KUNIT.replace("<6>1..2\n", "<6>1..2\n==1==ERROR: AddressSanitizer: heap-use-after-free\n")
                             + "<6>once: init returned 0, 0 warnings\n", 0)
        self.assertFalse(v.ok)

    def test_crash(self):
        v = self.run_verdict("<6>test_x: loaded.\nkpi abort: kpiport stub reached: foo\n", -6)
        self.assertFalse(v.ok)
        self.assertIn("stub reached: foo", v.first_failure)

    def test_ktap_failure(self):
        v = self.run_verdict(KUNIT + "<6>once: init returned 0, 0 warnings\n", 1)
        self.assertFalse(v.ok)
        self.assertEqual((v.passed, v.failed, v.skipped), (3, 1, 1))
        self.assertIn("list_test_list_add", v.first_failure)

    def test_ktap_expected_failure(self):
        exp = [linux_tests.Expectation("m", "list-kunit-test/list_test_list_add", "known")]
        v = self.run_verdict(KUNIT + "<6>once: init returned 0, 0 warnings\n", 1, exp)
        self.assertTrue(v.ok)

    def test_list_file(self):
        self.assertEqual(linux_tests.parse_list(["# c", "lib/a.c", "lib/b.c x.enable=1 # why"], "l"),
                         [("lib/a.c", []), ("lib/b.c", ["x.enable=1"])])
        with self.assertRaises(ValueError):
            linux_tests.parse_list(["lib/a.c junk"], "l")
        with self.assertRaises(ValueError):
            linux_tests.parse_list(["lib/a.h"], "l")

    def test_expectations_file_errors(self):
        with self.assertRaises(ValueError):
            linux_tests.parse_expectations(["m only-two-fields"], "x")
        e = linux_tests.parse_expectations(["# c", "", "m\tpat tern\treason here"], "x")
        self.assertEqual((e[0].module, e[0].pattern, e[0].reason), ("m", "pat tern", "reason here"))


if __name__ == "__main__":
    unittest.main()
