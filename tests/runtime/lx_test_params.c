/* lx_test_params.c: module parameters become daemon options (written for
 * kpiport).  Run as `lx_test_params debug=3 name=eth9 expect` (values applied
 * before init), plain (defaults), or with --help (lists the parameters with
 * descriptions; the ctest checks the output). */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <redox/kpi_main.h>
#include "sim.h"
#include "lx_test.h"

static int debug = 1;
module_param(debug, int, 0644);
MODULE_PARM_DESC(debug, "Debug level (0-7)");
static char *name = "eth0";
module_param(name, charp, 0);
MODULE_PARM_DESC(name, "Interface name");
static bool fast;
module_param(fast, bool, 0);
MODULE_DESCRIPTION("lx parameter test driver");
MODULE_LICENSE("GPL");

static int expect_set;
static int init_ran;

static int params_init(void)
{
	init_ran = 1;
	if (expect_set) {
		LXT_CHECK_INT(debug, 3);
		LXT_CHECK_INT(strcmp(name, "eth9"), 0);
		LXT_CHECK(fast);
	} else {
		LXT_CHECK_INT(debug, 1);
		LXT_CHECK_INT(strcmp(name, "eth0"), 0);
		LXT_CHECK(!fast);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i, help = 0, rc;
	for (i = 1; i < argc; i++) {
		expect_set |= !strcmp(argv[i], "expect");
		help |= !strcmp(argv[i], "--help");
	}
	sim_log_echo(1);
	rc = kpi_module_main(argc, argv, params_init, NULL);
	LXT_CHECK_INT(init_ran, !help);
	return lxt_result(rc, 0);
}
