/* lx_test_lookup.c: a PCI test "driver" (written for kpiport, kernel flags)
 * for lx's lookups of other functions (runtime/lx/lx_pci_lookup.c) on sim
 * devices: the driver binds 1234:5678 and, from its probe, finds an ISA
 * bridge (1039:0008) and another bridge (1039:0018) the way sis900 does,
 * walks the bus (for_each_pci_dev), looks functions up by subsystem, class,
 * slot and domain/bus/slot, and reads config by bus/devfn.  A looked-up
 * function is read-only: its identity reads as the host describes it, other
 * registers as all-ones, writes and enabling are refused, and it is never
 * claimed.  Its own function comes back as the very pci_dev it was given.
 * A lookup that finds nothing is NULL and logged once. */
#include <linux/module.h>
#include <linux/pci.h>
#include <redox/kpi_main.h>
#include "lx_test.h"
#include "lx_test_model.h"

static struct sim_dev *own, *isa, *bridge2, *other;
static int probes;

static void check_sibling(struct pci_dev *pdev)
{
	struct pci_dev *sib, *again;
	u16 w;
	u8 b;
	u32 d;
	sib = pci_get_device(0x1039, 0x0008, NULL);
	LXT_CHECK(sib != NULL);
	if (!sib)
		return;
	LXT_CHECK(sib != pdev);
	LXT_CHECK_INT(sib->vendor, 0x1039);
	LXT_CHECK_INT(sib->device, 0x0008);
	LXT_CHECK_INT(sib->class, 0x060100);
	LXT_CHECK_INT(sib->revision, 1);
	LXT_CHECK_INT(sib->subsystem_vendor, 0x1af4);
	LXT_CHECK_INT(sib->bus->number, 0);
	LXT_CHECK_INT(PCI_SLOT(sib->devfn), 3 + sim_dev_index(isa));
	LXT_CHECK_INT(pci_domain_nr(sib->bus), 0);
	LXT_CHECK_INT(sib->irq, 0); /* no interrupts of another function */
	LXT_CHECK_INT(pci_resource_len(sib, 0), 0);
	/* config: the identity reads, the rest is all-ones */
	LXT_CHECK_INT(pci_read_config_word(sib, PCI_VENDOR_ID, &w), PCIBIOS_SUCCESSFUL);
	LXT_CHECK_INT(w, 0x1039);
	LXT_CHECK_INT(pci_read_config_dword(sib, PCI_VENDOR_ID, &d), PCIBIOS_SUCCESSFUL);
	LXT_CHECK_INT(d, 0x00081039);
	LXT_CHECK_INT(pci_read_config_word(sib, PCI_CLASS_DEVICE, &w), PCIBIOS_SUCCESSFUL);
	LXT_CHECK_INT(w, 0x0601);
	LXT_CHECK_INT(pci_read_config_word(sib, PCI_SUBSYSTEM_ID, &w), PCIBIOS_SUCCESSFUL);
	LXT_CHECK_INT(w, 0x1100);
	LXT_CHECK_INT(pci_read_config_byte(sib, 0x48, &b), PCIBIOS_DEVICE_NOT_FOUND);
	LXT_CHECK_INT(b, 0xff);
	LXT_CHECK_INT(pci_read_config_byte(sib, 0x49, &b), PCIBIOS_DEVICE_NOT_FOUND); /* logged once */
	LXT_CHECK_INT(pci_find_capability(sib, PCI_CAP_ID_MSI), 0);
	/* read-only */
	LXT_CHECK_INT(pci_write_config_byte(sib, 0x48, 0x40), PCIBIOS_SET_FAILED);
	LXT_CHECK(pci_enable_device(sib) != 0);
	/* the same function again is the same pci_dev; iterating on ends the walk */
	again = pci_get_device(0x1039, 0x0008, NULL);
	LXT_CHECK(again == sib);
	pci_dev_put(again);
	/* never claimed: its own driver (another daemon) could still open it */
	{
		int h = kpi_host_pci_open(sim_dev_index(isa));
		LXT_CHECK(h >= 0);
		if (h >= 0)
			kpi_host_pci_close(h);
	}
	LXT_CHECK(pci_get_device(0x1039, 0x0008, sib) == NULL); /* puts sib */
}

static void check_walks(struct pci_dev *pdev)
{
	struct pci_dev *d = NULL, *x;
	int n = 0, saw_own = 0;
	u32 v;
	u8 b;
	for_each_pci_dev(d) {
		n++;
		saw_own += d == pdev;
	}
	LXT_CHECK_INT(n, 4);
	LXT_CHECK_INT(saw_own, 1);
	/* its own function is the pci_dev it was given */
	x = pci_get_device(LXM_VENDOR, LXM_DEVICE, NULL);
	LXT_CHECK(x == pdev);
	pci_dev_put(x);
	/* by vendor alone: two functions, in bus order */
	x = pci_get_device(0x1039, PCI_ANY_ID, NULL);
	LXT_CHECK(x && x->device == 0x0008);
	x = pci_get_device(0x1039, PCI_ANY_ID, x);
	LXT_CHECK(x && x->device == 0x0018);
	x = pci_get_device(0x1039, PCI_ANY_ID, x);
	LXT_CHECK(x == NULL);
	x = pci_get_subsys(0x1039, PCI_ANY_ID, 0x1af4, 0x1100, NULL);
	LXT_CHECK(x && x->device == 0x0008);
	pci_dev_put(x);
	x = pci_get_subsys(0x1039, PCI_ANY_ID, 0x1af4, 0x2222, NULL);
	LXT_CHECK(x == NULL);
	x = pci_get_class(0x060400, NULL);
	LXT_CHECK(x && x->device == 0x0018);
	pci_dev_put(x);
	x = pci_get_slot(pdev->bus, PCI_DEVFN(3 + sim_dev_index(other), 0));
	LXT_CHECK(x && x->vendor == 0x8086);
	pci_dev_put(x);
	x = pci_get_domain_bus_and_slot(0, 0, PCI_DEVFN(3 + sim_dev_index(bridge2), 0));
	LXT_CHECK(x && x->device == 0x0018);
	pci_dev_put(x);
	LXT_CHECK(pci_get_domain_bus_and_slot(1, 0, pdev->devfn) == NULL);
	/* nothing there: NULL, said once */
	LXT_CHECK(pci_get_device(0xdead, 0xbeef, NULL) == NULL);
	LXT_CHECK(sim_log_last() && strstr(sim_log_last(), "dead:beef"));
	/* config by bus and devfn: its own function for real, a sibling's identity */
	LXT_CHECK_INT(pci_bus_read_config_dword(pdev->bus, pdev->devfn, PCI_VENDOR_ID, &v), 0);
	LXT_CHECK_INT(v, LXM_DEVICE << 16 | LXM_VENDOR);
	LXT_CHECK_INT(pci_bus_write_config_byte(pdev->bus, pdev->devfn, PCI_LATENCY_TIMER, 0x20), 0);
	LXT_CHECK_INT(pci_bus_read_config_byte(pdev->bus, pdev->devfn, PCI_LATENCY_TIMER, &b), 0);
	LXT_CHECK_INT(b, 0x20);
	LXT_CHECK_INT(pci_bus_read_config_dword(pdev->bus, PCI_DEVFN(3 + sim_dev_index(isa), 0), 0, &v), 0);
	LXT_CHECK_INT(v, 0x00081039);
	LXT_CHECK_INT(pci_bus_write_config_byte(pdev->bus, PCI_DEVFN(3 + sim_dev_index(isa), 0), 0x48, 1),
		      PCIBIOS_SET_FAILED);
	LXT_CHECK_INT(pci_bus_read_config_dword(pdev->bus, PCI_DEVFN(30, 0), 0, &v), PCIBIOS_DEVICE_NOT_FOUND);
	LXT_CHECK_INT(v, 0xffffffff);
}

static const struct pci_device_id lxt_isa_ids[] = {{PCI_DEVICE(0x1039, 0x0008)}, {0}};
static const struct pci_device_id lxt_none_ids[] = {{PCI_DEVICE(0x1039, 0x0042)}, {0}};

static int lxt_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	(void)id;
	probes++;
	LXT_CHECK_INT(pci_domain_nr(pdev->bus), 0);
	check_sibling(pdev);
	check_walks(pdev);
	LXT_CHECK_INT(pci_dev_present(lxt_isa_ids), 1);
	LXT_CHECK_INT(pci_dev_present(lxt_none_ids), 0);
	LXT_CHECK(pci_match_id(lxt_isa_ids, pdev) == NULL);
	LXT_CHECK(pci_match_id(id, pdev) == id);
	return 0;
}

static void lxt_remove(struct pci_dev *pdev)
{
	(void)pdev;
}

static const struct pci_device_id lxt_ids[] = {{PCI_DEVICE(LXM_VENDOR, LXM_DEVICE)}, {0}};

static struct pci_driver lxt_driver = {
	.name = "lxt-lookup",
	.id_table = lxt_ids,
	.probe = lxt_probe,
	.remove = lxt_remove,
};

int main(int argc, char **argv)
{
	int rc;
	own = lxm_create(LXM_VENDOR, LXM_DEVICE, 0x020000);
	isa = lxm_create(0x1039, 0x0008, 0x060100);
	bridge2 = lxm_create(0x1039, 0x0018, 0x060400);
	other = lxm_create(0x8086, 0x1234, 0x0c0500);
	rc = kpi_pci_driver_main(argc, argv, &lxt_driver);
	LXT_CHECK_INT(probes, 1);
	return lxt_result(rc, 0);
}
