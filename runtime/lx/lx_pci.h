/* lx_pci.h: the runtime's per-function PCI state, shared by lx_pci.c,
 * lx_pci_lookup.c, lx_msi.c, lx_iomap.c and lx_irq.c (kernel-header world,
 * runtime/lx only).  Also compiled without CONFIG_PCI (lx_iomap.c and
 * lx_irq.c then see no function at all). */
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
#ifdef CONFIG_PCI
	struct pci_sysdata sysdata; /* bus->sysdata: pci_domain_nr() reads it */
#endif
	struct list_head node;
	int index;  /* host function index */
	int handle; /* host handle while open; -1 for a sibling */
	int sibling; /* another function, looked up read-only (lx_pci_lookup.c) */
	int sibling_said; /* a config access it cannot answer was logged */
	struct kpi_pci_info info;
	struct kpi_pci_map map[LX_PCI_BARS];
	int mapped[LX_PCI_BARS], pio_enabled[LX_PCI_BARS];
	void __iomem *iomap_table[PCI_STD_NUM_BARS];
	int iomap_managed;
	int irq_type; /* KPI_IRQ_* enabled on the host, 0 none */
	int nvec;
	unsigned int legacy_irq; /* dev->irq of the legacy line, 0 if none (back after MSI) */
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
/* Does any interrupt of the function have a handler? (lx_irq.c) */
int lx_irq_busy(struct pci_dev *pdev);

/* lx_pci.c for lx_pci_lookup.c: does the ID table match the function, and
 * a pci_dev filled from what the host says of function index. */
const struct pci_device_id *lx_pci_match(const struct pci_device_id *ids, const struct kpi_pci_info *in);
void lx_pci_fill(struct lx_pci *p, int index, const struct kpi_pci_info *info);
/* The open function (a driver bound it) with host index, or NULL. */
struct lx_pci *lx_pci_by_index(int index);
/* Config space of a sibling: what kpi_pci_info says (lx_pci_lookup.c). */
int lx_pci_sibling_cfg_read(struct lx_pci *p, int where, int width, u32 *val);

#endif
