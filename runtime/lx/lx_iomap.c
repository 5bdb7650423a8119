/* lx_iomap.c: the redox_* device I/O API (headers/redox/redox_io.h) that
 * the mapping tables rename ioremap/pci_iomap/ioread32/... to, and the
 * string port I/O of the shadow asm/io.h.
 *
 * Memory BARs are mapped whole (kpi_host_pci_map_bar) on first use and
 * stay mapped until the function is released; ioremap of a range inside a
 * BAR returns a pointer into that mapping, iounmap does nothing.  Port BARs
 * are enabled with kpi_host_pci_pio_enable and addressed by cookies
 * port + LX_PIO_OFFSET, below LX_PIO_LIMIT - never a valid pointer, as in
 * Linux's lib/iomap.c.  Accesses to mappings the host flags KPI_MAP_TRAPPED
 * (sim register models) go through kpi_host_mmio_read/write; the others are
 * volatile loads and stores. */
#include "lx_pci.h"
#include <linux/io.h>
#include <redox/redox_io.h>

#define LX_PIO_OFFSET 0x10000UL
#define LX_PIO_LIMIT 0x40000UL
#define LX_MAX_TRAPPED 32

static struct {
	const volatile char *lo, *hi;
} lx_trapped[LX_MAX_TRAPPED];
static int lx_ntrapped;

static int lx_is_trapped(const volatile void *addr)
{
	int i;
	for (i = 0; i < lx_ntrapped; i++)
		if ((const volatile char *)addr >= lx_trapped[i].lo && (const volatile char *)addr < lx_trapped[i].hi)
			return 1;
	return 0;
}

static void __iomem *lx_map_bar(struct lx_pci *p, int bar, u32 flags)
{
	if (bar < 0 || bar >= LX_PCI_BARS || !(p->pdev.resource[bar].flags & IORESOURCE_MEM))
		return NULL;
	if (!p->mapped[bar]) {
		int rc = kpi_host_pci_map_bar(p->handle, bar, flags, &p->map[bar]);
		if (rc < 0) {
			lx_log(KPI_LOG_ERR, "%s: cannot map BAR %d: %pe", p->info.name, bar, ERR_PTR(rc));
			return NULL;
		}
		p->mapped[bar] = 1;
		if ((p->map[bar].flags & KPI_MAP_TRAPPED) && lx_ntrapped < LX_MAX_TRAPPED) {
			lx_trapped[lx_ntrapped].lo = p->map[bar].addr;
			lx_trapped[lx_ntrapped].hi = (char *)p->map[bar].addr + p->map[bar].size;
			lx_ntrapped++;
		}
	}
	return (void __iomem *)p->map[bar].addr;
}

static struct lx_pci *lx_find_bar(resource_size_t addr, unsigned long flags, int *bar)
{
	struct lx_pci *p;
	list_for_each_entry(p, &lx_pci_devs, node) {
		int i;
		for (i = 0; i < LX_PCI_BARS; i++) {
			struct resource *r = &p->pdev.resource[i];
			if ((r->flags & flags) && r->end > r->start && addr >= r->start && addr <= r->end) {
				*bar = i;
				return p;
			}
		}
	}
	return NULL;
}

static void __iomem *lx_ioremap(resource_size_t offset, unsigned long size, u32 flags)
{
	int bar;
	struct lx_pci *p = lx_find_bar(offset, IORESOURCE_MEM, &bar);
	char __iomem *base;
	if (!p || offset + size - 1 > p->pdev.resource[bar].end) {
		lx_log(KPI_LOG_ERR, "ioremap %#llx+%#lx: not inside a memory BAR of this daemon's device",
		       (unsigned long long)offset, size);
		return NULL;
	}
	base = lx_map_bar(p, bar, flags);
	return base ? base + (offset - p->pdev.resource[bar].start) : NULL;
}

void __iomem *redox_ioremap(resource_size_t offset, unsigned long size)
{
	return lx_ioremap(offset, size, KPI_MAP_UC);
}

/* Write-combining (framebuffers, VRAM): the host maps the BAR so when it
 * first maps it (lx_map_bar keeps one mapping per BAR). */
void __iomem *redox_ioremap_wc(resource_size_t offset, unsigned long size)
{
	return lx_ioremap(offset, size, KPI_MAP_WC);
}

void redox_iounmap(volatile void __iomem *addr)
{
	(void)addr; /* whole BARs stay mapped until the function is released */
}

static void lx_pio_enable(struct lx_pci *p, int bar)
{
	if (!p->pio_enabled[bar]) {
		int rc = kpi_host_pci_pio_enable(p->handle, bar);
		if (rc < 0)
			lx_log(KPI_LOG_ERR, "%s: port I/O on BAR %d refused: %pe", p->info.name, bar, ERR_PTR(rc));
		else
			p->pio_enabled[bar] = 1;
	}
}

/* Drivers that address ports by number (pci_resource_start() + inw(), no
 * pci_iomap: pcnet32, ne2k-pci's 8390 core) claim them with request_region
 * first.  In Linux the ports are reachable anyway; here the host must open
 * the BAR (a sysfs resource file, Redox's I/O privilege) or every access
 * reads all-ones and writes vanish.  So the claim opens the BAR. */
void lx_pio_claim(unsigned long long start, unsigned long long n)
{
	int bar;
	struct lx_pci *p = lx_find_bar(start, IORESOURCE_IO, &bar);
	if (p && n && start + n - 1 <= p->pdev.resource[bar].end)
		lx_pio_enable(p, bar);
}

void __iomem *redox_ioport_map(unsigned long port, unsigned int nr)
{
	int bar;
	struct lx_pci *p = lx_find_bar(port, IORESOURCE_IO, &bar);
	(void)nr;
	if (port > 0xffff)
		return NULL;
	if (p)
		lx_pio_enable(p, bar);
	return (void __iomem *)(port + LX_PIO_OFFSET);
}

void redox_ioport_unmap(void __iomem *addr)
{
	(void)addr;
}

void __iomem *redox_pci_iomap_range(struct pci_dev *dev, int bar, unsigned long offset, unsigned long maxlen)
{
	resource_size_t start = pci_resource_start(dev, bar), len = pci_resource_len(dev, bar);
	unsigned long flags = pci_resource_flags(dev, bar);
	if (!len || offset >= len)
		return NULL;
	len -= offset;
	if (maxlen && maxlen < len)
		len = maxlen;
	if (flags & IORESOURCE_IO) {
		lx_pio_enable(lx_pci_of(dev), bar);
		return redox_ioport_map(start + offset, len);
	}
	if (flags & IORESOURCE_MEM)
		return lx_ioremap(start + offset, len, KPI_MAP_UC);
	return NULL;
}

void __iomem *redox_pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen)
{
	return redox_pci_iomap_range(dev, bar, 0, maxlen);
}

/* Write-combining BAR mappings: memory BARs only, as Linux's (an I/O BAR
 * gives NULL). */
void __iomem *redox_pci_iomap_wc_range(struct pci_dev *dev, int bar, unsigned long offset, unsigned long maxlen)
{
	resource_size_t start = pci_resource_start(dev, bar), len = pci_resource_len(dev, bar);
	if (!len || offset >= len || !(pci_resource_flags(dev, bar) & IORESOURCE_MEM))
		return NULL;
	len -= offset;
	if (maxlen && maxlen < len)
		len = maxlen;
	return lx_ioremap(start + offset, len, KPI_MAP_WC);
}

void __iomem *redox_pci_iomap_wc(struct pci_dev *dev, int bar, unsigned long maxlen)
{
	return redox_pci_iomap_wc_range(dev, bar, 0, maxlen);
}

void redox_pci_iounmap(struct pci_dev *dev, void __iomem *addr)
{
	(void)dev;
	(void)addr;
}

void __iomem *redox_pci_ioremap_bar(struct pci_dev *pdev, int bar)
{
	if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM))
		return NULL;
	return lx_ioremap(pci_resource_start(pdev, bar), pci_resource_len(pdev, bar), KPI_MAP_UC);
}

void __iomem *redox_pci_ioremap_wc_bar(struct pci_dev *pdev, int bar)
{
	if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM))
		return NULL;
	return lx_ioremap(pci_resource_start(pdev, bar), pci_resource_len(pdev, bar), KPI_MAP_WC);
}

/* ---- managed mappings ---------------------------------------------------------------------------- */

static void lx_pcim_table_clear(void *data)
{
	struct lx_pci *p = container_of(data, struct lx_pci, iomap_table);
	memset(p->iomap_table, 0, sizeof(p->iomap_table));
	p->iomap_managed = 0;
}

void __iomem *const *redox_pcim_iomap_table(struct pci_dev *pdev)
{
	struct lx_pci *p = lx_pci_of(pdev);
	/* one devres entry clears the table when the driver goes away */
	if (!p->iomap_managed && !lx_devres_add(&pdev->dev, lx_pcim_table_clear, p->iomap_table))
		p->iomap_managed = 1;
	return p->iomap_table;
}

void __iomem *redox_pcim_iomap(struct pci_dev *pdev, int bar, unsigned long maxlen)
{
	struct lx_pci *p = lx_pci_of(pdev);
	if (bar < 0 || bar >= PCI_STD_NUM_BARS)
		return NULL;
	redox_pcim_iomap_table(pdev);
	if (p->iomap_table[bar])
		return NULL; /* Linux: "duplicate mappings not allowed" */
	p->iomap_table[bar] = redox_pci_iomap(pdev, bar, maxlen);
	return p->iomap_table[bar];
}

int redox_pcim_iomap_regions(struct pci_dev *pdev, int mask, const char *name)
{
	int bar;
	(void)name;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++) {
		if (!(mask & (1 << bar)) || !pci_resource_len(pdev, bar))
			continue;
		if (!redox_pcim_iomap(pdev, bar, 0))
			return -ENOMEM;
	}
	return 0;
}

void redox_pcim_iounmap(struct pci_dev *pdev, void __iomem *addr)
{
	struct lx_pci *p = lx_pci_of(pdev);
	int bar;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if (p->iomap_table[bar] == addr)
			p->iomap_table[bar] = NULL;
}

/* The managed mappings of the BARs in mask, dropped (redox_pcim_iomap_regions'
 * counterpart; its regions are not claimed, so none to release). */
void redox_pcim_iounmap_regions(struct pci_dev *pdev, int mask)
{
	struct lx_pci *p = lx_pci_of(pdev);
	int bar;
	for (bar = 0; bar < PCI_STD_NUM_BARS; bar++)
		if ((mask & (1 << bar)) && p->iomap_table[bar])
			redox_pcim_iounmap(pdev, p->iomap_table[bar]);
}

void __iomem *redox_devm_ioremap(struct device *dev, resource_size_t offset, resource_size_t size)
{
	(void)dev;
	return lx_ioremap(offset, size, KPI_MAP_UC);
}

/* Write-combining, as redox_ioremap_wc (lib/devres.c's devm_ioremap_wc:
 * switchtec's GAS window); unmapped with the function, as every BAR. */
void __iomem *redox_devm_ioremap_wc(struct device *dev, resource_size_t offset, resource_size_t size)
{
	(void)dev;
	return lx_ioremap(offset, size, KPI_MAP_WC);
}

/* A device's memory resource, claimed for the device and mapped
 * (lib/devres.c's devm_ioremap_resource): errors as ERR_PTR, as Linux's. */
void __iomem *redox_devm_ioremap_resource(struct device *dev, const struct resource *res)
{
	resource_size_t size;
	void __iomem *p;
	if (!res || resource_type(res) != IORESOURCE_MEM) {
		dev_err(dev, "invalid resource %pR\n", res);
		return IOMEM_ERR_PTR(-EINVAL);
	}
	size = resource_size(res);
	if (!devm_request_mem_region(dev, res->start, size, res->name ? res->name : dev_name(dev))) {
		dev_err(dev, "can't request region for resource %pR\n", res);
		return IOMEM_ERR_PTR(-EBUSY);
	}
	p = redox_devm_ioremap(dev, res->start, size);
	return p ? p : IOMEM_ERR_PTR(-ENOMEM);
}

void redox_devm_iounmap(struct device *dev, void __iomem *addr)
{
	(void)dev;
	(void)addr;
}

/* ---- accessors ------------------------------------------------------------------------------------- */

static inline int lx_is_port(const volatile void __iomem *addr)
{
	return (unsigned long)addr >= LX_PIO_OFFSET && (unsigned long)addr < LX_PIO_LIMIT;
}

static u64 lx_io_read(const volatile void __iomem *addr, unsigned int width)
{
	if (lx_is_port(addr))
		return kpi_host_pio_in((unsigned long)addr - LX_PIO_OFFSET, width);
	if (lx_ntrapped && lx_is_trapped(addr))
		return kpi_host_mmio_read((const volatile void *)addr, width);
	switch (width) {
	case 1:
		return *(const volatile u8 __force *)addr;
	case 2:
		return *(const volatile u16 __force *)addr;
	case 4:
		return *(const volatile u32 __force *)addr;
	default:
		return *(const volatile u64 __force *)addr;
	}
}

static void lx_io_write(volatile void __iomem *addr, unsigned int width, u64 v)
{
	if (lx_is_port(addr)) {
		kpi_host_pio_out((unsigned long)addr - LX_PIO_OFFSET, width, (u32)v);
		return;
	}
	if (lx_ntrapped && lx_is_trapped(addr)) {
		kpi_host_mmio_write((volatile void *)addr, width, v);
		return;
	}
	switch (width) {
	case 1:
		*(volatile u8 __force *)addr = (u8)v;
		break;
	case 2:
		*(volatile u16 __force *)addr = (u16)v;
		break;
	case 4:
		*(volatile u32 __force *)addr = (u32)v;
		break;
	default:
		*(volatile u64 __force *)addr = v;
		break;
	}
}

unsigned int redox_ioread8(const void __iomem *addr) { return (unsigned int)lx_io_read(addr, 1); }
unsigned int redox_ioread16(const void __iomem *addr) { return (unsigned int)lx_io_read(addr, 2); }
unsigned int redox_ioread32(const void __iomem *addr) { return (unsigned int)lx_io_read(addr, 4); }
unsigned int redox_ioread16be(const void __iomem *addr) { return swab16((u16)lx_io_read(addr, 2)); }
unsigned int redox_ioread32be(const void __iomem *addr) { return swab32((u32)lx_io_read(addr, 4)); }
void redox_iowrite8(u8 value, void __iomem *addr) { lx_io_write(addr, 1, value); }
void redox_iowrite16(u16 value, void __iomem *addr) { lx_io_write(addr, 2, value); }
void redox_iowrite32(u32 value, void __iomem *addr) { lx_io_write(addr, 4, value); }
void redox_iowrite16be(u16 value, void __iomem *addr) { lx_io_write(addr, 2, swab16(value)); }
void redox_iowrite32be(u32 value, void __iomem *addr) { lx_io_write(addr, 4, swab32(value)); }

/* 64-bit accesses as two 32-bit ones, in the order the name gives (lib/iomap.c's
 * non-atomic helpers, which io-64-nonatomic-*.h make ioread64/iowrite64). */
u64 redox_ioread64_lo_hi(const void __iomem *addr)
{
	u32 lo = redox_ioread32(addr);
	return lo | (u64)redox_ioread32((const u8 __iomem *)addr + 4) << 32;
}

u64 redox_ioread64_hi_lo(const void __iomem *addr)
{
	u32 hi = redox_ioread32((const u8 __iomem *)addr + 4);
	return redox_ioread32(addr) | (u64)hi << 32;
}

u64 redox_ioread64be_lo_hi(const void __iomem *addr)
{
	u32 lo = redox_ioread32be((const u8 __iomem *)addr + 4);
	return lo | (u64)redox_ioread32be(addr) << 32;
}

u64 redox_ioread64be_hi_lo(const void __iomem *addr)
{
	u32 hi = redox_ioread32be(addr);
	return redox_ioread32be((const u8 __iomem *)addr + 4) | (u64)hi << 32;
}

void redox_iowrite64_lo_hi(u64 val, void __iomem *addr)
{
	redox_iowrite32((u32)val, addr);
	redox_iowrite32((u32)(val >> 32), (u8 __iomem *)addr + 4);
}

void redox_iowrite64_hi_lo(u64 val, void __iomem *addr)
{
	redox_iowrite32((u32)(val >> 32), (u8 __iomem *)addr + 4);
	redox_iowrite32((u32)val, addr);
}

void redox_iowrite64be_lo_hi(u64 val, void __iomem *addr)
{
	redox_iowrite32be((u32)val, (u8 __iomem *)addr + 4);
	redox_iowrite32be((u32)(val >> 32), addr);
}

void redox_iowrite64be_hi_lo(u64 val, void __iomem *addr)
{
	redox_iowrite32be((u32)(val >> 32), addr);
	redox_iowrite32be((u32)val, (u8 __iomem *)addr + 4);
}

#define LX_REP(name_r, name_w, type, width)                                               \
	void name_r(const void __iomem *addr, void *buf, unsigned long count)             \
	{                                                                                 \
		type *b = buf;                                                            \
		while (count--)                                                           \
			*b++ = (type)lx_io_read(addr, width);                             \
	}                                                                                 \
	void name_w(void __iomem *addr, const void *buf, unsigned long count)             \
	{                                                                                 \
		const type *b = buf;                                                      \
		while (count--)                                                           \
			lx_io_write(addr, width, *b++);                                   \
	}
LX_REP(redox_ioread8_rep, redox_iowrite8_rep, u8, 1)
LX_REP(redox_ioread16_rep, redox_iowrite16_rep, u16, 2)
LX_REP(redox_ioread32_rep, redox_iowrite32_rep, u32, 4)

void redox_memcpy_fromio(void *to, const volatile void __iomem *from, size_t count)
{
	u8 *d = to;
	const volatile u8 __iomem *s = from;
	while (count--)
		*d++ = (u8)lx_io_read(s++, 1);
}

void redox_memcpy_toio(volatile void __iomem *to, const void *from, size_t count)
{
	const u8 *s = from;
	volatile u8 __iomem *d = to;
	while (count--)
		lx_io_write(d++, 1, *s++);
}

void redox_memset_io(volatile void __iomem *addr, int value, size_t count)
{
	volatile u8 __iomem *d = addr;
	while (count--)
		lx_io_write(d++, 1, (u8)value);
}

/* headers/shadow/asm/io.h: insb/outsl & co. */
void lx_pio_ins(u16 port, void *addr, unsigned long count, unsigned int width)
{
	u8 *p = addr;
	for (; count; count--, p += width) {
		u32 v = kpi_host_pio_in(port, width);
		memcpy(p, &v, width);
	}
}

void lx_pio_outs(u16 port, const void *addr, unsigned long count, unsigned int width)
{
	const u8 *p = addr;
	for (; count; count--, p += width) {
		u32 v = 0;
		memcpy(&v, p, width);
		kpi_host_pio_out(port, width, v);
	}
}

/* ---- the Linux names of the renamed I/O API -------------------------------------------------
 * kpiport renames the driver's own calls (ioread32 -> redox_ioread32) so a
 * reviewer sees every hardware access; but kernel header inlines compiled
 * into the driver (io-64-nonatomic-lo-hi.h, ...) and imported tree files
 * call the Linux names too.  They are the same functions. */
#define LX_LINUX_NAME(linux_name, redox_name) \
	extern __typeof__(redox_name) linux_name __attribute__((alias(#redox_name)));
LX_LINUX_NAME(ioremap, redox_ioremap)
LX_LINUX_NAME(ioremap_wc, redox_ioremap_wc) /* io-mapping.h's io_mapping_init_wc() inline: qxl */
LX_LINUX_NAME(iounmap, redox_iounmap)
LX_LINUX_NAME(ioport_map, redox_ioport_map)
LX_LINUX_NAME(ioport_unmap, redox_ioport_unmap)
#ifdef CONFIG_PCI /* else asm-generic/pci_iomap.h has them inline (NULL) */
LX_LINUX_NAME(pci_iomap, redox_pci_iomap)
LX_LINUX_NAME(pci_iomap_range, redox_pci_iomap_range)
LX_LINUX_NAME(pci_iomap_wc, redox_pci_iomap_wc)
LX_LINUX_NAME(pci_iomap_wc_range, redox_pci_iomap_wc_range)
LX_LINUX_NAME(pci_iounmap, redox_pci_iounmap)
#endif
LX_LINUX_NAME(ioread8, redox_ioread8)
LX_LINUX_NAME(ioread16, redox_ioread16)
LX_LINUX_NAME(ioread32, redox_ioread32)
LX_LINUX_NAME(ioread16be, redox_ioread16be)
LX_LINUX_NAME(ioread32be, redox_ioread32be)
LX_LINUX_NAME(iowrite8, redox_iowrite8)
LX_LINUX_NAME(iowrite16, redox_iowrite16)
LX_LINUX_NAME(iowrite32, redox_iowrite32)
LX_LINUX_NAME(iowrite16be, redox_iowrite16be)
LX_LINUX_NAME(iowrite32be, redox_iowrite32be)
LX_LINUX_NAME(ioread64_lo_hi, redox_ioread64_lo_hi)
LX_LINUX_NAME(ioread64_hi_lo, redox_ioread64_hi_lo)
LX_LINUX_NAME(ioread64be_lo_hi, redox_ioread64be_lo_hi)
LX_LINUX_NAME(ioread64be_hi_lo, redox_ioread64be_hi_lo)
LX_LINUX_NAME(iowrite64_lo_hi, redox_iowrite64_lo_hi)
LX_LINUX_NAME(iowrite64_hi_lo, redox_iowrite64_hi_lo)
LX_LINUX_NAME(iowrite64be_lo_hi, redox_iowrite64be_lo_hi)
LX_LINUX_NAME(iowrite64be_hi_lo, redox_iowrite64be_hi_lo)
LX_LINUX_NAME(devm_ioremap_resource, redox_devm_ioremap_resource)
LX_LINUX_NAME(devm_ioremap_wc, redox_devm_ioremap_wc)
LX_LINUX_NAME(ioread8_rep, redox_ioread8_rep)
LX_LINUX_NAME(ioread16_rep, redox_ioread16_rep)
LX_LINUX_NAME(ioread32_rep, redox_ioread32_rep)
LX_LINUX_NAME(iowrite8_rep, redox_iowrite8_rep)
LX_LINUX_NAME(iowrite16_rep, redox_iowrite16_rep)
LX_LINUX_NAME(iowrite32_rep, redox_iowrite32_rep)
LX_LINUX_NAME(memcpy_fromio, redox_memcpy_fromio)
LX_LINUX_NAME(memcpy_toio, redox_memcpy_toio)
LX_LINUX_NAME(memset_io, redox_memset_io)

#ifdef CONFIG_MTRR
/* Write-combining ranges: with PAT (every x86_64 CPU lx runs on) Linux adds
 * no MTRR and returns 0, the mapping's page attributes doing the work. */
int arch_phys_wc_add(unsigned long base, unsigned long size)
{
	(void)base, (void)size;
	return 0;
}

void arch_phys_wc_del(int handle)
{
	(void)handle;
}

int arch_phys_wc_index(int handle)
{
	(void)handle;
	return -1;
}
#endif
