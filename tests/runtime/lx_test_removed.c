/* lx_test_removed.c: a surprise-removed device (sim: all-ones reads) must
 * send the driver down its error path - a register poll with a jiffies
 * timeout ends with -ETIMEDOUT - and the daemon exits (KPI_EXIT_NO_DEVICE: its
 * only device failed to probe), never ready, instead
 * of hanging.  Real clock: udelay() busy-waits on it. */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <redox/kpi_main.h>
#include "lx_test.h"
#include "lx_test_model.h"

static u32 seen_id;
static int probe_rc = 1;

static int lxr_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	void __iomem *regs;
	unsigned long timeout;
	(void)id;
	if (pci_enable_device(pdev))
		return -EIO;
	regs = redox_pci_iomap(pdev, 0, 0);
	seen_id = redox_ioread32(regs);
	redox_iowrite32(1, regs + 0x20); /* start a reset, poll for its end */
	timeout = jiffies + msecs_to_jiffies(20);
	probe_rc = 0;
	while (redox_ioread32(regs + 0x20) & 1) {
		if (time_after(jiffies, timeout)) {
			probe_rc = -ETIMEDOUT;
			break;
		}
		udelay(10);
	}
	return probe_rc;
}

static const struct pci_device_id lxr_ids[] = {{PCI_DEVICE(LXM_VENDOR, LXM_DEVICE)}, {0}};
static struct pci_driver lxr_driver = {.name = "lxr", .id_table = lxr_ids, .probe = lxr_probe};

int main(int argc, char **argv)
{
	struct sim_dev *d = lxm_create(LXM_VENDOR, LXM_DEVICE, 0x020000);
	int rc;
	sim_fault_removed(d, 1);
	rc = kpi_pci_driver_main(argc, argv, &lxr_driver);
	LXT_CHECK_INT(seen_id, 0xffffffffu);
	LXT_CHECK_INT(probe_rc, -ETIMEDOUT);
	LXT_CHECK_INT(sim_ready_count(), 0);
	/* its only device failed to probe: "no matching device" (kpi_main.h) */
	return lxt_result(rc, KPI_EXIT_NO_DEVICE);
}
