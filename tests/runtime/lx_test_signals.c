/* lx_test_signals.c: a daemon stopped by signals (written for kpiport).  A
 * PCI test driver on one sim device (bus mastering on after probe) whose
 * exit path says what it does; tests/runtime/lx_signal_test.sh sends the
 * signals and checks the log and the exit status (headers/redox/kpi_main.h):
 *  - any terminating signal: remove and exit run once, status 0;
 *  - stuck=1 (remove sleeps forever, waiting for the hardware) or stuck=2
 *    (remove spins, never back in the loop), in either case with bus
 *    mastering still on: a second signal forces the exit, status 128+N,
 *    after the sim turned bus mastering off;
 *  - init_ms=N: init sleeps N ms first; a signal then stops the daemon once
 *    init is done (exit still runs once);
 *  - fault=1: a fatal fault (SIGILL) after probe: bus mastering off, then
 *    the process dies of it; SIGUSR1: panic, abort, bus mastering off.
 * Prints "lx_test_signals: up" when ready for signals. */
#include <linux/delay.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <redox/kpi_main.h>
#include "lx_test.h"
#include "lx_test_model.h"

static int stuck;
module_param(stuck, int, 0);
MODULE_PARM_DESC(stuck, "remove: 0 returns, 1 sleeps forever, 2 spins forever");
static int init_ms;
module_param(init_ms, int, 0);
MODULE_PARM_DESC(init_ms, "init sleeps this long first (ms)");
static bool fault;
module_param(fault, bool, 0);
MODULE_PARM_DESC(fault, "execute an illegal instruction after probe");
MODULE_LICENSE("GPL");

static int removes, exits;
static volatile int spin = 1;

static int lxs_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	u16 cmd;
	(void)id;
	if (pci_enable_device(pdev))
		return -EIO;
	pci_set_master(pdev);
	pci_read_config_word(pdev, PCI_COMMAND, &cmd);
	pr_info("lx_test_signals: probe: bus mastering %s\n", cmd & PCI_COMMAND_MASTER ? "on" : "off");
	return 0;
}

/* A stuck remove leaves bus mastering on: the backend's forced exit must
 * turn it off. */
static void lxs_remove(struct pci_dev *pdev)
{
	if (stuck == 1) {
		pr_info("lx_test_signals: remove stuck waiting\n");
		for (;;)
			msleep(100); /* polling hardware for a bit that never comes */
	} else if (stuck == 2) {
		pr_info("lx_test_signals: remove stuck spinning\n");
		while (spin)
			cpu_relax(); /* never back in the event loop */
	}
	pr_info("lx_test_signals: remove ran (%d)\n", ++removes);
	pci_clear_master(pdev);
	pci_disable_device(pdev);
}

static const struct pci_device_id lxs_ids[] = {{PCI_DEVICE(LXM_VENDOR, LXM_DEVICE)}, {}};
static struct pci_driver lxs_driver = {.name = "lxs", .id_table = lxs_ids, .probe = lxs_probe,
				       .remove = lxs_remove};

static int lxs_init(void)
{
	int rc;
	if (init_ms) {
		pr_info("lx_test_signals: init sleeping %d ms\n", init_ms);
		msleep(init_ms);
	}
	rc = pci_register_driver(&lxs_driver);
	if (fault) {
		pr_info("lx_test_signals: faulting\n");
		__builtin_trap();
	}
	pr_info("lx_test_signals: up\n");
	return rc;
}

static void lxs_exit(void)
{
	pci_unregister_driver(&lxs_driver);
	pr_info("lx_test_signals: exit ran (%d)\n", ++exits);
}

int main(int argc, char **argv)
{
	int rc;
	sim_log_echo(1);
	sim_signal_wait(1); /* a daemon: wait for signals, not for the end of work */
	lxm_create(LXM_VENDOR, LXM_DEVICE, 0x088000);
	rc = kpi_module_main(argc, argv, lxs_init, lxs_exit);
	LXT_CHECK_INT(removes, 1);
	LXT_CHECK_INT(exits, 1);
	return lxt_result(rc, 0);
}
