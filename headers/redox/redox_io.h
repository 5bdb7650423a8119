/* headers/redox/redox_io.h: the runtime's Redox-facing device I/O API.
 * The translator renames the kernel's out-of-line I/O functions to these
 * (mappings/io.lua: ioremap -> redox_ioremap, ioread32 -> redox_ioread32,
 * pcim_iomap -> redox_pcim_iomap, ...), so every place a driver maps or
 * touches device memory is visible in the port's diff.  Same prototypes as
 * the kernel functions they replace; implemented by runtime/lx/lx_iomap.c
 * on kpi_host.h (whole-BAR mappings, port I/O by absolute port).
 *
 * Cookies: as in Linux's lib/iomap.c, redox_ioport_map(port) returns a small
 * non-pointer cookie (port + 0x10000); the redox_ioread and redox_iowrite
 * families tell ports
 * from MMIO pointers by it.  Kernel-header translation units only. */
#ifndef REDOX_REDOX_IO_H
#define REDOX_REDOX_IO_H

#include <linux/types.h>
#include <linux/compiler.h>

struct pci_dev;
struct device;

void __iomem *redox_ioremap(resource_size_t offset, unsigned long size);
void __iomem *redox_ioremap_wc(resource_size_t offset, unsigned long size);
void redox_iounmap(volatile void __iomem *addr);
void __iomem *redox_pci_iomap(struct pci_dev *dev, int bar, unsigned long maxlen);
void __iomem *redox_pci_iomap_range(struct pci_dev *dev, int bar, unsigned long offset,
				    unsigned long maxlen);
void __iomem *redox_pci_iomap_wc(struct pci_dev *dev, int bar, unsigned long maxlen);
void __iomem *redox_pci_iomap_wc_range(struct pci_dev *dev, int bar, unsigned long offset,
				       unsigned long maxlen);
void redox_pci_iounmap(struct pci_dev *dev, void __iomem *addr);
void __iomem *redox_ioport_map(unsigned long port, unsigned int nr);
void redox_ioport_unmap(void __iomem *addr);
void __iomem *redox_pci_ioremap_bar(struct pci_dev *pdev, int bar);
void __iomem *redox_pci_ioremap_wc_bar(struct pci_dev *pdev, int bar);

/* managed (devres): undone when the driver is unbound */
void __iomem *redox_pcim_iomap(struct pci_dev *pdev, int bar, unsigned long maxlen);
int redox_pcim_iomap_regions(struct pci_dev *pdev, int mask, const char *name);
void __iomem *const *redox_pcim_iomap_table(struct pci_dev *pdev);
void redox_pcim_iounmap(struct pci_dev *pdev, void __iomem *addr);
void redox_pcim_iounmap_regions(struct pci_dev *pdev, int mask);
void __iomem *redox_devm_ioremap(struct device *dev, resource_size_t offset, resource_size_t size);
void __iomem *redox_devm_ioremap_wc(struct device *dev, resource_size_t offset, resource_size_t size);
void redox_devm_iounmap(struct device *dev, void __iomem *addr);
struct resource;
void __iomem *redox_devm_ioremap_resource(struct device *dev, const struct resource *res);

unsigned int redox_ioread8(const void __iomem *addr);
unsigned int redox_ioread16(const void __iomem *addr);
unsigned int redox_ioread32(const void __iomem *addr);
unsigned int redox_ioread16be(const void __iomem *addr);
unsigned int redox_ioread32be(const void __iomem *addr);
void redox_iowrite8(u8 value, void __iomem *addr);
void redox_iowrite16(u16 value, void __iomem *addr);
void redox_iowrite32(u32 value, void __iomem *addr);
void redox_iowrite16be(u16 value, void __iomem *addr);
void redox_iowrite32be(u32 value, void __iomem *addr);
u64 redox_ioread64_lo_hi(const void __iomem *addr);
u64 redox_ioread64_hi_lo(const void __iomem *addr);
u64 redox_ioread64be_lo_hi(const void __iomem *addr);
u64 redox_ioread64be_hi_lo(const void __iomem *addr);
void redox_iowrite64_lo_hi(u64 val, void __iomem *addr);
void redox_iowrite64_hi_lo(u64 val, void __iomem *addr);
void redox_iowrite64be_lo_hi(u64 val, void __iomem *addr);
void redox_iowrite64be_hi_lo(u64 val, void __iomem *addr);

void redox_ioread8_rep(const void __iomem *addr, void *buf, unsigned long count);
void redox_ioread16_rep(const void __iomem *addr, void *buf, unsigned long count);
void redox_ioread32_rep(const void __iomem *addr, void *buf, unsigned long count);
void redox_iowrite8_rep(void __iomem *addr, const void *buf, unsigned long count);
void redox_iowrite16_rep(void __iomem *addr, const void *buf, unsigned long count);
void redox_iowrite32_rep(void __iomem *addr, const void *buf, unsigned long count);

void redox_memcpy_fromio(void *to, const volatile void __iomem *from, size_t count);
void redox_memcpy_toio(volatile void __iomem *to, const void *from, size_t count);
void redox_memset_io(volatile void __iomem *addr, int value, size_t count);

#endif
