/* lx_test_dynid.c: a PCI test "driver" (written for kpiport, kernel flags)
 * with no ID table of its own, the way pci-stub binds what its ids=
 * parameter names: pci_add_dynid (runtime/lx/lx_pci.c) on sim devices.
 * Registering binds nothing; an added ID probes at once the function it
 * matches, with the ID (driver_data included) as probe's argument; an ID
 * matching a function the driver already holds probes nothing again; one
 * matching no function probes nothing; unregistering removes every bound
 * function and frees the IDs (ASan's leak check). */
#include <linux/module.h>
#include <linux/pci.h>
#include <redox/kpi_main.h>
#include "lx_test.h"
#include "lx_test_model.h"

static struct sim_dev *own, *other;
static int probes, removes;
static unsigned long last_data;

static int lxt_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	probes++;
	last_data = id->driver_data;
	LXT_CHECK(id->vendor == PCI_ANY_ID || id->vendor == pdev->vendor);
	return 0;
}

static void lxt_remove(struct pci_dev *pdev)
{
	(void)pdev;
	removes++;
}

static struct pci_driver lxt_driver = {
	.name = "lxt-dynid",
	.probe = lxt_probe,
	.remove = lxt_remove,
};

static int lxt_init(void)
{
	LXT_CHECK_INT(pci_register_driver(&lxt_driver), 0);
	LXT_CHECK_INT(probes, 0); /* no table: nothing bound */
	LXT_CHECK_INT(pci_add_dynid(&lxt_driver, 0x1af4, 0x10f0, PCI_ANY_ID, PCI_ANY_ID, 0, 0, 7), 0);
	LXT_CHECK_INT(probes, 1);
	LXT_CHECK_INT(last_data, 7);
	/* the same function again (by class this time): already held */
	LXT_CHECK_INT(pci_add_dynid(&lxt_driver, PCI_ANY_ID, PCI_ANY_ID, PCI_ANY_ID, PCI_ANY_ID, 0x0c0500,
				    0xffffff, 8), 0);
	LXT_CHECK_INT(probes, 1);
	/* no such function */
	LXT_CHECK_INT(pci_add_dynid(&lxt_driver, 0xdead, 0xbeef, PCI_ANY_ID, PCI_ANY_ID, 0, 0, 9), 0);
	LXT_CHECK_INT(probes, 1);
	/* the other one */
	LXT_CHECK_INT(pci_add_dynid(&lxt_driver, LXM_VENDOR, LXM_DEVICE, PCI_ANY_ID, PCI_ANY_ID, 0, 0, 10), 0);
	LXT_CHECK_INT(probes, 2);
	LXT_CHECK_INT(last_data, 10);
	return 0;
}

static void lxt_exit(void)
{
	pci_unregister_driver(&lxt_driver);
	LXT_CHECK_INT(removes, 2);
}

int main(int argc, char **argv)
{
	int rc;
	other = lxm_create(0x1af4, 0x10f0, 0x0c0500);
	own = lxm_create(LXM_VENDOR, LXM_DEVICE, 0x020000);
	rc = kpi_module_main(argc, argv, lxt_init, lxt_exit);
	LXT_CHECK_INT(probes, 2);
	return lxt_result(rc, 0);
}
