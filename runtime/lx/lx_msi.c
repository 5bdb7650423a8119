/* lx_msi.c: MSI and MSI-X - pci_alloc_irq_vectors() and the older
 * pci_enable_msi()/pci_enable_msix_range() API, vector numbers, teardown.
 *
 * The host programs the capability and the vectors (kpi_host_irq_enable
 * with KPI_IRQ_MSI or KPI_IRQ_MSIX; on Redox pcid and /scheme/irq, on Linux
 * vfio-pci): lx never writes the MSI-X table.  Each vector is an event of
 * its own, masked by the host from the moment it is reported until lx acks
 * it (lx_irq.c), which is also how disable_irq() on a vector holds it.
 *
 * Interrupt numbers stay virtual (lx_pci.h): vector v of a function is
 * LX_IRQ_BASE + LX_IRQ_PER_DEV * index + v, MSI-X table entry v, so a
 * function has at most LX_IRQ_PER_DEV vectors; dev->irq becomes vector 0
 * while MSI/MSI-X is on, as in Linux, and the legacy line again after.
 * One type at a time (the host's rule and Linux's): enabling MSI/MSI-X
 * releases an unused legacy line and refuses while the legacy line still
 * has a handler.  Fallbacks are Linux's: pci_alloc_irq_vectors() tries
 * MSI-X, then MSI, then the legacy line as its flags allow; a device
 * without the capability, or a host that cannot deliver that type
 * (-KPI_ENOTSUP), makes that step fail.
 *
 * get_cached_msi_msg() reads a vector's message back from the capability
 * or the MSI-X table, for devices that write it themselves (dw-edma).
 *
 * Without CONFIG_PCI_MSI linux/pci.h has inline fallbacks for all of this
 * (legacy only), so the file is empty. */
#include "lx_pci.h"
#include <linux/interrupt.h>
#include <linux/msi.h>
#include <redox/redox_io.h>

#if defined(CONFIG_PCI) && defined(CONFIG_PCI_MSI)

int pci_msi_vec_count(struct pci_dev *dev)
{
	u16 ctrl;
	if (!dev->msi_cap)
		return -EINVAL;
	pci_read_config_word(dev, dev->msi_cap + PCI_MSI_FLAGS, &ctrl);
	return 1 << ((ctrl & PCI_MSI_FLAGS_QMASK) >> 1);
}

int pci_msix_vec_count(struct pci_dev *dev)
{
	u16 ctrl;
	if (!dev->msix_cap)
		return -EINVAL;
	pci_read_config_word(dev, dev->msix_cap + PCI_MSIX_FLAGS, &ctrl);
	return (ctrl & PCI_MSIX_FLAGS_QSIZE) + 1;
}

int pci_msi_enabled(void)
{
	return 1;
}

/* The legacy line gives way to message interrupts: 0, or -EBUSY while a
 * handler is still on it (Linux would leave that handler deaf). */
static int lx_msi_take_over(struct lx_pci *p)
{
	if (p->irq_type == KPI_IRQ_MSI || p->irq_type == KPI_IRQ_MSIX)
		return -EINVAL; /* already on: Linux refuses a second enable too */
	if (p->irq_type == KPI_IRQ_LEGACY) {
		if (lx_irq_busy(&p->pdev)) {
			lx_log(KPI_LOG_ERR, "%s: MSI/MSI-X requested while the legacy interrupt has a handler",
			       pci_name(&p->pdev));
			return -EBUSY;
		}
		kpi_host_irq_disable(p->handle);
		p->irq_type = 0;
		p->nvec = 0;
	}
	return 0;
}

static void lx_msi_on(struct lx_pci *p, int type, int nvec)
{
	struct pci_dev *dev = &p->pdev;
	p->irq_type = type;
	p->nvec = nvec;
	if (type == KPI_IRQ_MSIX)
		dev->msix_enabled = 1;
	else
		dev->msi_enabled = 1;
	dev->irq = LX_IRQ_BASE + LX_IRQ_PER_DEV * p->index;
	pci_intx(dev, 0); /* a function using messages must not signal INTx */
}

static void lx_msi_off(struct lx_pci *p)
{
	struct pci_dev *dev = &p->pdev;
	if (lx_irq_busy(dev))
		WARN(1, "%s: MSI/MSI-X disabled while a vector still has a handler", pci_name(dev));
	kpi_host_irq_disable(p->handle);
	p->irq_type = 0;
	p->nvec = 0;
	dev->msi_enabled = 0;
	dev->msix_enabled = 0;
	dev->irq = p->legacy_irq;
	if (dev->irq)
		pci_intx(dev, 1);
}

/* Enable `want` vectors of type (never fewer than min): the count, or
 * -ENOSPC / -EINVAL / -EBUSY.  Linux retries with fewer vectors when the
 * platform has not enough; here the host says how many it enabled. */
static int lx_msi_enable(struct lx_pci *p, int type, int min, int want)
{
	int rc, got;
	if (want > LX_IRQ_PER_DEV)
		want = LX_IRQ_PER_DEV;
	if (want < min)
		return -ENOSPC;
	rc = lx_msi_take_over(p);
	if (rc)
		return rc;
	got = kpi_host_irq_enable(p->handle, type, want);
	if (got < 0)
		return got == -KPI_ENOTSUP ? -EINVAL : got;
	if (got < min) {
		kpi_host_irq_disable(p->handle);
		return -ENOSPC;
	}
	lx_msi_on(p, type, got);
	return got;
}

static int lx_msi_range(struct pci_dev *dev, int min, int max)
{
	int n = pci_msi_vec_count(dev);
	if (n < 0)
		return n;
	if (max > n)
		max = n;
	if (max < min)
		return -ENOSPC;
	return lx_msi_enable(lx_pci_of(dev), KPI_IRQ_MSI, min, max);
}

/* MSI-X: entries (optional) name table entries; vector v of the host is
 * table entry v, so the host enables up to the highest entry named. */
static int lx_msix_range(struct pci_dev *dev, struct msix_entry *entries, int min, int max)
{
	struct lx_pci *p = lx_pci_of(dev);
	int n = pci_msix_vec_count(dev), i, j, need = max, got, use;
	if (n < 0)
		return n;
	if (max < min || min < 1)
		return -ERANGE;
	if (entries) {
		need = 0;
		for (i = 0; i < max; i++) {
			if (entries[i].entry >= n)
				return -EINVAL;
			for (j = i + 1; j < max; j++)
				if (entries[i].entry == entries[j].entry)
					return -EINVAL;
			need = max_t(int, need, entries[i].entry + 1);
		}
	} else if (max > n) {
		max = need = n;
		if (max < min)
			return -ENOSPC;
	}
	got = lx_msi_enable(p, KPI_IRQ_MSIX, entries ? 1 : min, need);
	if (got < 0)
		return got;
	if (!entries)
		return got;
	/* the most of entries[0..max) whose table entries the host enabled */
	for (use = 0; use < max && entries[use].entry < got; use++)
		entries[use].vector = LX_IRQ_BASE + LX_IRQ_PER_DEV * p->index + entries[use].entry;
	if (use < min) {
		lx_msi_off(p);
		return -ENOSPC;
	}
	return use;
}

int pci_enable_msi(struct pci_dev *dev)
{
	int rc = lx_msi_range(dev, 1, 1);
	return rc < 0 ? rc : 0;
}

void pci_disable_msi(struct pci_dev *dev)
{
	if (dev->msi_enabled)
		lx_msi_off(lx_pci_of(dev));
}

int pci_enable_msix_range(struct pci_dev *dev, struct msix_entry *entries, int minvec, int maxvec)
{
	return lx_msix_range(dev, entries, minvec, maxvec);
}

void pci_disable_msix(struct pci_dev *dev)
{
	if (dev->msix_enabled)
		lx_msi_off(lx_pci_of(dev));
}

#if LX_WANT_pci_alloc_irq_vectors /* out of line in newer trees (lx_compat.h) */
int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs, unsigned int max_vecs, unsigned int flags)
{
	return pci_alloc_irq_vectors_affinity(dev, min_vecs, max_vecs, flags, NULL);
}
#endif

static void lx_msi_devres(void *data)
{
	pci_free_irq_vectors(data);
}

int pci_alloc_irq_vectors_affinity(struct pci_dev *dev, unsigned int min_vecs, unsigned int max_vecs,
				   unsigned int flags, struct irq_affinity *affd)
{
	int rc = -ENOSPC;
	(void)affd; /* one CPU */
	if (min_vecs < 1 || max_vecs < min_vecs)
		return -EINVAL;
	if (flags & PCI_IRQ_MSIX) {
		rc = lx_msix_range(dev, NULL, min_vecs, max_vecs);
		if (rc > 0)
			goto out;
	}
	if (flags & PCI_IRQ_MSI) {
		rc = lx_msi_range(dev, min_vecs, max_vecs);
		if (rc > 0)
			goto out;
	}
	if ((flags & LX_PCI_IRQ_INTX) && min_vecs == 1 && dev->irq) {
		pci_intx(dev, 1);
		return 1;
	}
	return rc;
out:
	/* a managed device (pcim_enable_device) gets its vectors freed with it */
	if (dev->is_managed && lx_devres_add(&dev->dev, lx_msi_devres, dev)) {
		pci_free_irq_vectors(dev);
		return -ENOMEM;
	}
	return rc;
}

void pci_free_irq_vectors(struct pci_dev *dev)
{
	if (dev->is_managed && (dev->msi_enabled || dev->msix_enabled))
		lx_devres_remove(&dev->dev, lx_msi_devres, dev, 0);
	pci_disable_msix(dev);
	pci_disable_msi(dev);
}

int pci_irq_vector(struct pci_dev *dev, unsigned int nr)
{
	struct lx_pci *p = lx_pci_of(dev);
	if (dev->msi_enabled || dev->msix_enabled) {
		if (nr >= (unsigned int)p->nvec)
			return -EINVAL;
		return LX_IRQ_BASE + LX_IRQ_PER_DEV * p->index + nr;
	}
	if (WARN_ON_ONCE(nr > 0))
		return -EINVAL;
	return dev->irq;
}

/* Every vector is on the one CPU (a mask of its own: the kernel's cpumask
 * globals are not part of the runtime). */
static const struct cpumask lx_msi_cpu0 = {.bits = {1}};

const struct cpumask *pci_irq_get_affinity(struct pci_dev *dev, int nr)
{
	(void)dev, (void)nr;
	return &lx_msi_cpu0;
}

/* No suspend/resume: the host keeps the vectors programmed. */
void pci_restore_msi_state(struct pci_dev *dev)
{
	(void)dev;
}

#ifdef CONFIG_GENERIC_MSI_IRQ
/* The message (address and data) a vector's device writes, as the host
 * programmed it: read back from the MSI capability, or from the vector's
 * MSI-X table entry, for a device that must write the message itself (a
 * DMA engine signalling completion: dw-edma).  All zero for a number that
 * is not an enabled vector. */
void get_cached_msi_msg(unsigned int irq, struct msi_msg *msg)
{
	int v = 0;
	struct lx_pci *p = lx_pci_by_irq(irq, &v);
	struct pci_dev *dev;
	memset(msg, 0, sizeof(*msg));
	if (!p || v >= p->nvec)
		return;
	dev = &p->pdev;
	if (p->irq_type == KPI_IRQ_MSI && dev->msi_cap) {
		u16 flags, data;
		int pos = dev->msi_cap;
		pci_read_config_word(dev, pos + PCI_MSI_FLAGS, &flags);
		pci_read_config_dword(dev, pos + PCI_MSI_ADDRESS_LO, &msg->address_lo);
		if (flags & PCI_MSI_FLAGS_64BIT) {
			pci_read_config_dword(dev, pos + PCI_MSI_ADDRESS_HI, &msg->address_hi);
			pci_read_config_word(dev, pos + PCI_MSI_DATA_64, &data);
		} else {
			pci_read_config_word(dev, pos + PCI_MSI_DATA_32, &data);
		}
		msg->data = data | v; /* multiple MSI: vector v sets the low bits */
	} else if (p->irq_type == KPI_IRQ_MSIX && dev->msix_cap) {
		u32 table;
		void __iomem *bar;
		pci_read_config_dword(dev, dev->msix_cap + PCI_MSIX_TABLE, &table);
		bar = redox_pci_iomap(dev, table & PCI_MSIX_TABLE_BIR, 0);
		if (bar) {
			void __iomem *e = (u8 __iomem *)bar + (table & PCI_MSIX_TABLE_OFFSET) + v * PCI_MSIX_ENTRY_SIZE;
			msg->address_lo = readl((u8 __iomem *)e + PCI_MSIX_ENTRY_LOWER_ADDR);
			msg->address_hi = readl((u8 __iomem *)e + PCI_MSIX_ENTRY_UPPER_ADDR);
			msg->data = readl((u8 __iomem *)e + PCI_MSIX_ENTRY_DATA);
			redox_pci_iounmap(dev, bar);
		}
	}
}
#endif

#endif /* CONFIG_PCI && CONFIG_PCI_MSI */
