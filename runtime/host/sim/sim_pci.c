/* sim_pci.c: the sim backend's PCI functions - registry, config space with
 * BAR sizing, BAR mapping, trapped MMIO and port I/O routed to the models'
 * callbacks, and surprise-removal faults.  Interrupts live in sim_irq.c. */
#define _GNU_SOURCE
#include "sim_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sim_dev *sim_devs[SIM_MAX_DEVS];
int sim_ndevs;

static kpi_u64 next_mem32 = 0xfe000000ull, next_mem64 = 0x800000000ull;
static kpi_u32 next_port = 0xc000;

static void cfg_put(kpi_u8 *cfg, kpi_u32 off, kpi_u32 width, kpi_u64 v)
{
	for (kpi_u32 i = 0; i < width; i++)
		cfg[off + i] = (kpi_u8)(v >> (8 * i));
}

static kpi_u64 cfg_get(const kpi_u8 *cfg, kpi_u32 off, kpi_u32 width)
{
	kpi_u64 v = 0;
	for (kpi_u32 i = 0; i < width; i++)
		v |= (kpi_u64)cfg[off + i] << (8 * i);
	return v;
}

kpi_u64 sim_all_ones(kpi_u32 width)
{
	return width >= 8 ? ~0ull : (1ull << (8 * width)) - 1;
}

struct sim_dev *sim_dev_by_handle(int handle)
{
	if (handle < 0 || handle >= sim_ndevs || !sim_devs[handle]->claimed)
		return 0;
	return sim_devs[handle];
}

/* ---- test-side API ----------------------------------------------------- */

struct sim_dev *sim_dev_create(const struct sim_pci_id *id)
{
	if (sim_ndevs >= SIM_MAX_DEVS)
		return 0;
	struct sim_dev *d = calloc(1, sizeof(*d));
	if (!d)
		return 0;
	d->index = sim_ndevs;
	d->id = *id;
	cfg_put(d->cfg, 0x00, 2, id->vendor);
	cfg_put(d->cfg, 0x02, 2, id->device);
	cfg_put(d->cfg, 0x08, 1, id->revision);
	cfg_put(d->cfg, 0x09, 3, id->class_code);
	cfg_put(d->cfg, 0x2c, 2, id->subvendor);
	cfg_put(d->cfg, 0x2e, 2, id->subdevice);
	cfg_put(d->cfg, 0x3c, 1, id->irq_pin ? 10 + (kpi_u32)sim_ndevs % 2 : 0xff);
	cfg_put(d->cfg, 0x3d, 1, id->irq_pin);
	sim_devs[sim_ndevs++] = d;
	return d;
}

int sim_dev_index(const struct sim_dev *dev)
{
	return dev->index;
}

void sim_dev_set_priv(struct sim_dev *dev, void *priv)
{
	dev->priv = priv;
}

void *sim_dev_priv(const struct sim_dev *dev)
{
	return dev->priv;
}

kpi_u8 *sim_dev_config(struct sim_dev *dev)
{
	return dev->cfg;
}

void sim_dev_set_poll(struct sim_dev *dev, void (*poll)(struct sim_dev *dev))
{
	dev->poll = poll;
}

static int is_pow2(kpi_u64 v)
{
	return v && !(v & (v - 1));
}

static int add_bar(struct sim_dev *dev, int bar, kpi_u64 size, kpi_u32 flags, const struct sim_bar_ops *ops)
{
	if (bar < 0 || bar > 5 || dev->bars[bar].used || ((flags & KPI_BAR_64) && (bar == 5 || dev->bars[bar + 1].used)))
		return -KPI_EINVAL;
	struct sim_bar *b = &dev->bars[bar];
	size_t alloc = (size_t)(size < 4096 ? 4096 : size);
	if (posix_memalign(&b->mem, 4096, alloc) != 0)
		return -KPI_ENOMEM;
	memset(b->mem, 0, alloc);
	b->used = 1;
	b->size = size;
	b->flags = flags;
	b->ops = ops;
	if (ops && (flags & KPI_BAR_MEM))
		b->view = sim_mmio_view(alloc); /* 0 where faults cannot be decoded: mem is the view */
	kpi_u32 reg = 0x10 + 4 * (kpi_u32)bar;
	if (flags & KPI_BAR_IO) {
		next_port = (next_port + (kpi_u32)size - 1) & ~((kpi_u32)size - 1);
		b->addr = next_port;
		next_port += (kpi_u32)size;
		cfg_put(dev->cfg, reg, 4, b->addr | 0x1);
	} else {
		kpi_u64 *next = (flags & KPI_BAR_64) ? &next_mem64 : &next_mem32;
		*next = (*next + size - 1) & ~(size - 1);
		b->addr = *next;
		*next += size;
		cfg_put(dev->cfg, reg, 4, (b->addr & 0xfffffff0u) | ((flags & KPI_BAR_64) ? 0x4 : 0));
		if (flags & KPI_BAR_64) {
			cfg_put(dev->cfg, reg + 4, 4, b->addr >> 32);
			dev->bars[bar + 1].used = -1; /* upper half */
		}
	}
	return 0;
}

int sim_dev_add_mem_bar(struct sim_dev *dev, int bar, kpi_u64 size, int is64, const struct sim_bar_ops *ops)
{
	if (!is_pow2(size) || size < 4096)
		return -KPI_EINVAL;
	return add_bar(dev, bar, size, KPI_BAR_MEM | (is64 ? KPI_BAR_64 : 0), ops);
}

int sim_dev_add_io_bar(struct sim_dev *dev, int bar, kpi_u32 size, const struct sim_bar_ops *ops)
{
	if (!is_pow2(size) || size < 16 || size > 256)
		return -KPI_EINVAL;
	return add_bar(dev, bar, size, KPI_BAR_IO, ops);
}

void *sim_dev_bar_mem(struct sim_dev *dev, int bar)
{
	if (bar < 0 || bar >= SIM_NBARS || dev->bars[bar].used != 1)
		return 0;
	return dev->bars[bar].mem;
}

void sim_fault_removed(struct sim_dev *dev, int removed)
{
	dev->removed = removed;
	if (!removed)
		return;
	for (int i = 0; i < SIM_NBARS; i++) {
		struct sim_bar *b = &dev->bars[i];
		if (b->used == 1 && !b->ops && (b->flags & KPI_BAR_MEM))
			memset(b->mem, 0xff, (size_t)b->size);
	}
}

void sim_pci_poll_models(void)
{
	for (int i = 0; i < sim_ndevs; i++)
		if (sim_devs[i]->poll && !sim_devs[i]->removed)
			sim_devs[i]->poll(sim_devs[i]);
}

void sim_pci_reset(void)
{
	for (int i = 0; i < sim_ndevs; i++) {
		for (int b = 0; b < SIM_NBARS; b++)
			if (sim_devs[i]->bars[b].used == 1) {
				struct sim_bar *bb = &sim_devs[i]->bars[b];
				free(bb->mem);
				sim_mmio_view_free(bb->view, bb->size < 4096 ? 4096 : bb->size);
			}
		free(sim_devs[i]);
		sim_devs[i] = 0;
	}
	sim_ndevs = 0;
	next_mem32 = 0xfe000000ull;
	next_mem64 = 0x800000000ull;
	next_port = 0xc000;
}

/* ---- kpi_host.h: discovery, claiming, config ------------------------------ */

int kpi_host_pci_count(void)
{
	return sim_ndevs;
}

int kpi_host_pci_info(int index, struct kpi_pci_info *info)
{
	if (index < 0 || index >= sim_ndevs)
		return -KPI_ENODEV;
	const struct sim_dev *d = sim_devs[index];
	memset(info, 0, sizeof(*info));
	info->segment = 0;
	info->bus = 0;
	info->slot = (kpi_u8)(3 + index);
	info->function = 0;
	info->revision = d->id.revision;
	info->vendor = d->id.vendor;
	info->device = d->id.device;
	info->subvendor = d->id.subvendor;
	info->subdevice = d->id.subdevice;
	info->class_code = d->id.class_code;
	info->irq_line = d->cfg[0x3c];
	info->irq_pin = d->id.irq_pin;
	snprintf(info->name, sizeof(info->name), "0000:00:%02x.0", info->slot);
	return 0;
}

int kpi_host_pci_open(int index)
{
	if (index < 0 || index >= sim_ndevs)
		return -KPI_ENODEV;
	if (sim_devs[index]->claimed)
		return -KPI_EBUSY;
	sim_devs[index]->claimed = 1;
	return index;
}

void kpi_host_pci_close(int handle)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (!d)
		return;
	kpi_host_irq_disable(handle);
	for (int b = 0; b < SIM_NBARS; b++)
		d->bars[b].mapped = d->bars[b].pio_enabled = 0;
	d->claimed = 0;
}

int kpi_host_pci_enable(int handle)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (!d)
		return -KPI_ENODEV;
	if (d->removed)
		return 0;
	cfg_put(d->cfg, 0x04, 2, cfg_get(d->cfg, 0x04, 2) | 0x7);
	return 0;
}

static int cfg_args_ok(kpi_u32 offset, kpi_u32 width)
{
	return (width == 1 || width == 2 || width == 4) && offset % width == 0 && offset + width <= SIM_CFG_SIZE;
}

int kpi_host_pci_cfg_read(int handle, kpi_u32 offset, kpi_u32 width, kpi_u32 *value)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (!d)
		return -KPI_ENODEV;
	if (!cfg_args_ok(offset, width))
		return -KPI_EINVAL;
	*value = d->removed ? (kpi_u32)sim_all_ones(width) : (kpi_u32)cfg_get(d->cfg, offset, width);
	return 0;
}

/* A dword write to a BAR register keeps only the address bits the BAR's
 * size allows, so writing all-ones reads back the size mask. */
static void bar_reg_write(struct sim_dev *d, kpi_u32 reg, kpi_u32 value)
{
	int idx = (int)(reg - 0x10) / 4;
	struct sim_bar *b = &d->bars[idx];
	if (b->used == 0)
		return;
	if (b->used == -1) { /* upper half of a 64-bit BAR */
		struct sim_bar *lo = &d->bars[idx - 1];
		kpi_u32 mask = (kpi_u32)(~(lo->size - 1) >> 32);
		cfg_put(d->cfg, reg, 4, value & mask);
		lo->addr = (lo->addr & 0xffffffffull) | ((kpi_u64)(value & mask) << 32);
		return;
	}
	kpi_u32 mask = (kpi_u32)~(b->size - 1);
	kpi_u32 low = (kpi_u32)cfg_get(d->cfg, reg, 4) & ((b->flags & KPI_BAR_IO) ? 0x3u : 0xfu);
	kpi_u32 v = (value & mask & ((b->flags & KPI_BAR_IO) ? ~0x3u : ~0xfu)) | low;
	cfg_put(d->cfg, reg, 4, v);
	b->addr = (b->addr & ~0xffffffffull) | (v & ((b->flags & KPI_BAR_IO) ? ~0x3u : ~0xfu));
}

static int byte_writable(kpi_u32 off)
{
	return (off >= 0x04 && off <= 0x05) || off == 0x0c || off == 0x0d || off == 0x3c || off >= 0x40;
}

int kpi_host_pci_cfg_write(int handle, kpi_u32 offset, kpi_u32 width, kpi_u32 value)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (!d)
		return -KPI_ENODEV;
	if (!cfg_args_ok(offset, width))
		return -KPI_EINVAL;
	if (d->removed)
		return 0;
	if (offset >= 0x10 && offset < 0x28) {
		if (width == 4)
			bar_reg_write(d, offset, value);
		return 0;
	}
	for (kpi_u32 i = 0; i < width; i++)
		if (byte_writable(offset + i))
			d->cfg[offset + i] = (kpi_u8)(value >> (8 * i));
	return 0;
}

/* ---- BARs, MMIO, port I/O ------------------------------------------------- */

int kpi_host_pci_bar(int handle, int bar, struct kpi_pci_bar *out)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (!d)
		return -KPI_ENODEV;
	if (bar < 0 || bar >= SIM_NBARS)
		return -KPI_EINVAL;
	const struct sim_bar *b = &d->bars[bar];
	out->addr = b->used == 1 ? b->addr : 0;
	out->size = b->used == 1 ? b->size : 0;
	out->flags = b->used == 1 ? b->flags : 0;
	return 0;
}

int kpi_host_pci_map_bar(int handle, int bar, kpi_u32 flags, struct kpi_pci_map *out)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (!d)
		return -KPI_ENODEV;
	if (bar < 0 || bar >= SIM_NBARS || d->bars[bar].used != 1 || !(d->bars[bar].flags & KPI_BAR_MEM))
		return -KPI_EINVAL;
	struct sim_bar *b = &d->bars[bar];
	b->mapped = 1;
	out->addr = b->view ? b->view : b->mem;
	out->size = b->size;
	out->flags = (flags & KPI_MAP_WC) | (b->ops ? KPI_MAP_TRAPPED : 0);
	return 0;
}

void kpi_host_pci_unmap_bar(int handle, int bar)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (d && bar >= 0 && bar < SIM_NBARS)
		d->bars[bar].mapped = 0;
}

/* The trapped, mapped BAR holding addr (in the driver's view), if any. */
static struct sim_bar *trapped_bar(const volatile void *addr, struct sim_dev **dev, int *bar, kpi_u64 *off)
{
	const char *p = (const char *)(kpi_uptr)addr;
	for (int i = 0; i < sim_ndevs; i++) {
		for (int n = 0; n < SIM_NBARS; n++) {
			struct sim_bar *b = &sim_devs[i]->bars[n];
			const char *base = b->view ? (const char *)b->view : (const char *)b->mem;
			if (b->used == 1 && b->ops && b->mapped && p >= base && p < base + b->size) {
				*dev = sim_devs[i];
				*bar = n;
				*off = (kpi_u64)(p - base);
				return b;
			}
		}
	}
	return 0;
}

int sim_mmio_is_view(const void *addr)
{
	const char *p = addr;
	for (int i = 0; i < sim_ndevs; i++)
		for (int n = 0; n < SIM_NBARS; n++) {
			const struct sim_bar *b = &sim_devs[i]->bars[n];
			if (b->used == 1 && b->view && p >= (const char *)b->view && p < (const char *)b->view + b->size)
				return 1;
		}
	return 0;
}

int sim_mmio_access(const void *addr, int write, kpi_u32 width, kpi_u64 *value)
{
	struct sim_dev *d;
	int bar;
	kpi_u64 off;
	struct sim_bar *b = trapped_bar(addr, &d, &bar, &off);
	if (!b)
		return -1;
	if (write) {
		if (!d->removed && b->ops->write)
			b->ops->write(d, bar, off, width, *value & sim_all_ones(width));
	} else {
		*value = d->removed || !b->ops->read ? sim_all_ones(width)
						     : b->ops->read(d, bar, off, width) & sim_all_ones(width);
	}
	return 0;
}

kpi_u64 kpi_host_mmio_read(const volatile void *addr, kpi_u32 width)
{
	struct sim_dev *d;
	int bar;
	kpi_u64 off;
	struct sim_bar *b = trapped_bar(addr, &d, &bar, &off);
	if (b) {
		if (d->removed || !b->ops->read)
			return sim_all_ones(width);
		return b->ops->read(d, bar, off, width) & sim_all_ones(width);
	}
	switch (width) {
	case 1: return *(const volatile kpi_u8 *)addr;
	case 2: return *(const volatile kpi_u16 *)addr;
	case 4: return *(const volatile kpi_u32 *)addr;
	default: return *(const volatile kpi_u64 *)addr;
	}
}

void kpi_host_mmio_write(volatile void *addr, kpi_u32 width, kpi_u64 value)
{
	struct sim_dev *d;
	int bar;
	kpi_u64 off;
	struct sim_bar *b = trapped_bar(addr, &d, &bar, &off);
	if (b) {
		if (!d->removed && b->ops->write)
			b->ops->write(d, bar, off, width, value & sim_all_ones(width));
		return;
	}
	switch (width) {
	case 1: *(volatile kpi_u8 *)addr = (kpi_u8)value; break;
	case 2: *(volatile kpi_u16 *)addr = (kpi_u16)value; break;
	case 4: *(volatile kpi_u32 *)addr = (kpi_u32)value; break;
	default: *(volatile kpi_u64 *)addr = value; break;
	}
}

int kpi_host_pci_pio_enable(int handle, int bar)
{
	struct sim_dev *d = sim_dev_by_handle(handle);
	if (!d)
		return -KPI_ENODEV;
	if (bar < 0 || bar > 5 || d->bars[bar].used != 1 || !(d->bars[bar].flags & KPI_BAR_IO))
		return -KPI_EINVAL;
	d->bars[bar].pio_enabled = 1;
	return 0;
}

static struct sim_bar *port_bar(kpi_u32 port, kpi_u32 width, struct sim_dev **dev, int *bar)
{
	for (int i = 0; i < sim_ndevs; i++) {
		for (int n = 0; n < 6; n++) {
			struct sim_bar *b = &sim_devs[i]->bars[n];
			if (b->used == 1 && (b->flags & KPI_BAR_IO) && b->pio_enabled && port >= b->addr &&
			    port + width <= b->addr + b->size) {
				*dev = sim_devs[i];
				*bar = n;
				return b;
			}
		}
	}
	return 0;
}

kpi_u32 kpi_host_pio_in(kpi_u32 port, kpi_u32 width)
{
	struct sim_dev *d;
	int bar;
	struct sim_bar *b = port_bar(port, width, &d, &bar);
	if (!b) {
		sim_logf(KPI_LOG_WARNING, "sim: in%u from port 0x%x outside every enabled I/O BAR", width, port);
		return (kpi_u32)sim_all_ones(width);
	}
	kpi_u64 off = port - b->addr;
	if (d->removed)
		return (kpi_u32)sim_all_ones(width);
	if (b->ops && b->ops->read)
		return (kpi_u32)(b->ops->read(d, bar, off, width) & sim_all_ones(width));
	return (kpi_u32)cfg_get(b->mem, (kpi_u32)off, width);
}

void kpi_host_pio_out(kpi_u32 port, kpi_u32 width, kpi_u32 value)
{
	struct sim_dev *d;
	int bar;
	struct sim_bar *b = port_bar(port, width, &d, &bar);
	if (!b) {
		sim_logf(KPI_LOG_WARNING, "sim: out%u to port 0x%x outside every enabled I/O BAR", width, port);
		return;
	}
	kpi_u64 off = port - b->addr;
	if (d->removed)
		return;
	if (b->ops && b->ops->write)
		b->ops->write(d, bar, off, width, value & sim_all_ones(width));
	else
		cfg_put(b->mem, (kpi_u32)off, width, value);
}
