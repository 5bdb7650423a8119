/* lx_test_model.h: a small sim device model for the lx PCI tests (written
 * for kpiport): BAR0 = 4 KiB of trapped registers, BAR1 = 32 I/O ports.
 *   0x00 ID (0xc0ffee01)    0x04 write: raise the interrupt
 *   0x08/0x0c DMA bus address lo/hi, 0x14 length
 *   0x10 command: 1 = fill [bus, bus+len) with 0xa5+i, 2 = sum it into 0x18
 *   0x20 control: bit 0 "reset in progress", clears at once
 * Included by one test translation unit each (static state). */
#ifndef LX_TEST_MODEL_H
#define LX_TEST_MODEL_H

#include "sim.h"

#define LXM_VENDOR 0x1234
#define LXM_DEVICE 0x5678
#define LXM_ID 0xc0ffee01u

static kpi_u32 lxm_regs[64];

static kpi_u64 lxm_read(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width)
{
	(void)dev, (void)bar, (void)width;
	if (off == 0)
		return LXM_ID;
	return off / 4 < 64 ? lxm_regs[off / 4] : 0;
}

static void lxm_write(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width, kpi_u64 value)
{
	kpi_u64 bus;
	unsigned char *p;
	kpi_u32 i, sum = 0, len;
	(void)bar, (void)width;
	if (off / 4 >= 64)
		return;
	lxm_regs[off / 4] = (kpi_u32)value;
	bus = lxm_regs[2] | (kpi_u64)lxm_regs[3] << 32;
	len = lxm_regs[5];
	switch (off) {
	case 0x04:
		sim_irq_raise(dev, 0);
		break;
	case 0x10:
		p = sim_dma_to_virt(bus, len);
		if (!p) {
			lxm_regs[6] = 0xdeadu; /* the device cannot reach that address */
			break;
		}
		for (i = 0; i < len; i++) {
			if (value == 1)
				p[i] = (unsigned char)(0xa5 + i);
			else
				sum += p[i];
		}
		if (value == 2)
			lxm_regs[6] = sum;
		break;
	case 0x20:
		lxm_regs[8] = (kpi_u32)value & ~1u; /* reset completes at once */
		break;
	}
}

static const struct sim_bar_ops lxm_ops = {lxm_read, lxm_write};

static struct sim_dev *lxm_create(kpi_u16 vendor, kpi_u16 device, kpi_u32 class_code)
{
	struct sim_pci_id id = {vendor, device, 0x1af4, 0x1100, class_code, 1, 1};
	struct sim_dev *d = sim_dev_create(&id);
	if (d) {
		sim_dev_add_mem_bar(d, 0, 4096, 0, &lxm_ops);
		sim_dev_add_io_bar(d, 1, 32, 0);
	}
	return d;
}

#endif
