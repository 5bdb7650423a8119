/* lx_test_params.c: the daemon's command line - module parameters as Linux
 * has them and lx's options (written for kpiport).  Run plain (every
 * parameter keeps its default), with values and `expect` (a bool given
 * alone: init checks the values were applied), with --help, or with a
 * bad command line (the daemon must exit KPI_EXIT_USAGE before init; main
 * then returns that status, and tests/runtime_lx.cmake checks it and the
 * message).  Linked with the sim backend, and with the linux backend as
 * lx_test_params_linux (its own options: --pci=, --ready-fd=). */
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <redox/kpi_main.h>
#include "sim.h"
#include "lx_test.h"

#pragma weak sim_log_echo /* absent when linked with the linux backend */

static int debug = 1;
module_param(debug, int, 0644);
MODULE_PARM_DESC(debug, "Debug level (0-7)");
static char *name = "eth0";
module_param(name, charp, 0);
MODULE_PARM_DESC(name, "Interface name");
static bool fast;
module_param(fast, bool, 0);
static int heartbeat = 30;
module_param(heartbeat, int, 0);
MODULE_PARM_DESC(heartbeat, "Watchdog heartbeat in seconds");
static int tx_ring = 16;
module_param(tx_ring, int, 0);
static bool expect;
module_param(expect, bool, 0);
MODULE_PARM_DESC(expect, "test: init checks debug=3 name=eth9 fast heartbeat=10 tx_ring=32");
MODULE_DESCRIPTION("lx parameter test driver");
MODULE_LICENSE("GPL");

static int init_ran;

static int params_init(void)
{
	init_ran = 1;
	if (expect) {
		LXT_CHECK_INT(debug, 3);
		LXT_CHECK_INT(strcmp(name, "eth9"), 0);
		LXT_CHECK(fast);
		LXT_CHECK_INT(heartbeat, 10);
		LXT_CHECK_INT(tx_ring, 32);
	} else {
		LXT_CHECK_INT(debug, 1);
		LXT_CHECK_INT(strcmp(name, "eth0"), 0);
		LXT_CHECK(!fast);
		LXT_CHECK_INT(heartbeat, 30);
		LXT_CHECK_INT(tx_ring, 16);
	}
	return 0;
}

int main(int argc, char **argv)
{
	int i, help = 0, rc;
	for (i = 1; i < argc; i++)
		help |= !strcmp(argv[i], "--help");
	if (sim_log_echo)
		sim_log_echo(1);
	rc = kpi_module_main(argc, argv, params_init, NULL);
	if (rc) {
		/* an expected failure (the test checks status and log), or a real one */
		LXT_CHECK(!init_ran);
		pr_warn("kpi_module_main: exit status %d, init %s\n", rc, init_ran ? "ran" : "did not run");
		return lxt_failures ? 1 : rc;
	}
	LXT_CHECK_INT(init_ran, !help);
	return lxt_result(rc, 0);
}
