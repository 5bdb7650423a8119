/* kit_test_kernel_tu.c: compiled (never run) with the kernel's own flags
 * and headers, to prove kpi_host.h and kpi_kit.h coexist with them in one
 * translation unit, as they must in runtime/lx. */
#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/pci.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <linux/interrupt.h>
#include "kpi_kit.h"

int kit_test_kernel_tu(struct pci_dev *pdev);
int kit_test_kernel_tu(struct pci_dev *pdev)
{
	struct kpi_host_event ev;
	struct kit_event e;
	kit_event_init(&e);
	(void)pdev;
	return kpi_host_wait(KPI_FOREVER, &ev, 1) + (int)sizeof(size_t) - (int)sizeof(kpi_size);
}
