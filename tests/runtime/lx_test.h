/* lx_test.h: assertions for lx tests, which are kernel-header translation
 * units (compiled with the port's kernel flags like a ported driver), so
 * tests/unit/ktest.h (libc) cannot be used.  Failures are logged through
 * printk; lxt_result() gives main's exit status. */
#ifndef LX_TEST_H
#define LX_TEST_H

#include <linux/printk.h>

static int lxt_failures, lxt_checks;

#define LXT_CHECK(cond)                                                              \
	do {                                                                         \
		lxt_checks++;                                                        \
		if (!(cond)) {                                                       \
			lxt_failures++;                                              \
			pr_err("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);       \
		}                                                                    \
	} while (0)

#define LXT_CHECK_INT(a, b)                                                          \
	do {                                                                         \
		long long lxt_a = (long long)(a), lxt_b = (long long)(b);            \
		lxt_checks++;                                                        \
		if (lxt_a != lxt_b) {                                                \
			lxt_failures++;                                              \
			pr_err("FAIL %s:%d: %s == %lld, expected %lld\n", __FILE__,  \
			       __LINE__, #a, lxt_a, lxt_b);                          \
		}                                                                    \
	} while (0)

static inline int lxt_result(int main_rc, int expected_rc)
{
	LXT_CHECK_INT(main_rc, expected_rc);
	pr_warn("%s: %d checks, %d failures\n", lxt_failures ? "FAILED" : "PASSED", lxt_checks, lxt_failures);
	return lxt_failures ? 1 : 0;
}

#endif
