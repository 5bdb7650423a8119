/* ktest.h: the tiny assertion harness every C unit test uses.  A failed
 * check prints file:line and the expression and makes main return 1. */
#ifndef KTEST_H
#define KTEST_H
#include <stdio.h>
#include <string.h>

static int ktest_failures;
static int ktest_checks;

#define CHECK(cond) do { ktest_checks++; if (!(cond)) { ktest_failures++; \
	fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } } while (0)
#define CHECK_STR(a, b) do { const char *ka_ = (a), *kb_ = (b); ktest_checks++; \
	if (!ka_ || !kb_ || strcmp(ka_, kb_) != 0) { ktest_failures++; \
	fprintf(stderr, "%s:%d: CHECK_STR failed: %s == \"%s\", expected \"%s\"\n", __FILE__, \
		__LINE__, #a, ka_ ? ka_ : "(null)", kb_ ? kb_ : "(null)"); } } while (0)
#define CHECK_INT(a, b) do { long long ka_ = (long long)(a), kb_ = (long long)(b); ktest_checks++; \
	if (ka_ != kb_) { ktest_failures++; fprintf(stderr, "%s:%d: CHECK_INT failed: %s == %lld, expected %lld\n", \
		__FILE__, __LINE__, #a, ka_, kb_); } } while (0)
#define KTEST_DONE() (printf("%d checks, %d failed\n", ktest_checks, ktest_failures), ktest_failures != 0)
#endif
