/* lx_pci.h: the runtime's per-function PCI state, shared by lx_pci.c,
 * lx_iomap.c and lx_irq.c (kernel-header world, runtime/lx only). */
#ifndef LX_PCI_H
#define LX_PCI_H

#include <linux/pci.h>
#include "lx_internal.h"

#define LX_PCI_BARS 6
#define LX_IRQ_BASE 16	/* Linux numbers below 16 are ISA lines */
#define LX_IRQ_PER_DEV 32

struct lx_pci {
	struct pci_dev pdev;
	struct pci_bus bus;
	struct list_head node;
	int index;  /* host function index */
	int handle; /* host handle while open */
	struct kpi_pci_info info;
	struct kpi_pci_map map[LX_PCI_BARS];
	int mapped[LX_PCI_BARS], pio_enabled[LX_PCI_BARS];
	void __iomem *iomap_table[PCI_STD_NUM_BARS];
	int iomap_managed;
	int irq_type; /* KPI_IRQ_* enabled on the host, 0 none */
	int nvec;
};

static inline struct lx_pci *lx_pci_of(const struct pci_dev *pdev)
{
	return container_of(pdev, struct lx_pci, pdev);
}

extern struct list_head lx_pci_devs; /* every open function */
/* The function whose interrupt number irq is, and the vector index. */
struct lx_pci *lx_pci_by_irq(unsigned int irq, int *index);
/* Make sure the host delivers the function's interrupts (legacy by default). */
int lx_pci_irq_ensure(struct lx_pci *p);

#endif
