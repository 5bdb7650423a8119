/* lx_net_model.h: a small sim NIC model for the lx_net tests (written for
 * kpiport).  BAR0 = 4 KiB of trapped registers, descriptor rings in DMA
 * memory, one legacy interrupt:
 *   0x00 ID   0x04 ISR (1 RX, 2 TX, 4 LINK; write 1s to clear)  0x08 IMR
 *   0x0c LINK (bit 0)   0x50/0x54 MAC bytes 0-3 / 4-5
 *   0x10/0x14 TX ring bus address lo/hi, 0x18 TX ring entries,
 *   0x1c TX tail (driver: next slot it fills; writing it is the kick),
 *   0x20 TX head (device: next slot it sends)
 *   0x30/0x34 RX ring, 0x38 entries, 0x3c RX tail (device fills while
 *   head != tail), 0x40 RX head
 * Descriptor: u64 buffer bus address, u32 length, u32 flags (1 = done).
 * Sending and receiving happen in the sim poll hook (each kpi_host_wait):
 * sent frames are kept in lxn_wire[], lxn_model_rx() queues frames to
 * receive.  Included by one test translation unit (static state). */
#ifndef LX_NET_MODEL_H
#define LX_NET_MODEL_H

#include "sim.h"

#define LXN_VENDOR 0x1234
#define LXN_DEVICE 0x8139
#define LXN_ISR_RX 1u
#define LXN_ISR_TX 2u
#define LXN_ISR_LINK 4u
#define LXN_DESC_DONE 1u
#define LXN_MAX_FRAMES 64
#define LXN_FRAME_MAX 1536

struct lxn_desc {
	kpi_u64 addr;
	kpi_u32 len;
	kpi_u32 flags;
};

struct lxn_frame {
	kpi_u32 len;
	kpi_u8 data[LXN_FRAME_MAX];
};

static struct sim_dev *lxn_dev;
static kpi_u32 lxn_regs[32];
static int lxn_tx_paused;
static struct lxn_frame lxn_wire[LXN_MAX_FRAMES]; /* frames the device sent */
static int lxn_wire_count;
static struct lxn_frame lxn_rxq[LXN_MAX_FRAMES]; /* frames waiting to be received */
static int lxn_rxq_head, lxn_rxq_count;
static const kpi_u8 lxn_mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};

#define LXN_R(off) lxn_regs[(off) / 4]

static void lxn_update_irq(void)
{
	if (LXN_R(0x04) & LXN_R(0x08))
		sim_irq_raise(lxn_dev, 0);
}

static void lxn_set_isr(kpi_u32 bits)
{
	LXN_R(0x04) |= bits;
	lxn_update_irq();
}

static struct lxn_desc *lxn_ring(kpi_u32 base_off, kpi_u32 index)
{
	kpi_u64 bus = LXN_R(base_off) | (kpi_u64)LXN_R(base_off + 4) << 32;
	struct lxn_desc *ring = sim_dma_to_virt(bus, sizeof(struct lxn_desc) * LXN_R(base_off + 8));
	return ring ? &ring[index] : 0;
}

static kpi_u64 lxn_read(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width)
{
	(void)dev, (void)bar, (void)width;
	switch (off) {
	case 0x00:
		return 0x4e1c0001u;
	case 0x50:
		return lxn_mac[0] | lxn_mac[1] << 8 | lxn_mac[2] << 16 | (kpi_u32)lxn_mac[3] << 24;
	case 0x54:
		return lxn_mac[4] | lxn_mac[5] << 8;
	}
	return off < sizeof(lxn_regs) ? lxn_regs[off / 4] : 0;
}

static void lxn_write(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width, kpi_u64 value)
{
	(void)dev, (void)bar, (void)width;
	if (off >= sizeof(lxn_regs) || off == 0x20 || off == 0x40 || off == 0x0c)
		return; /* read-only for the driver */
	if (off == 0x04) {
		LXN_R(0x04) &= ~(kpi_u32)value;
		return;
	}
	lxn_regs[off / 4] = (kpi_u32)value;
	if (off == 0x08)
		lxn_update_irq();
}

/* The device's asynchronous side: send what the driver queued, receive
 * what the test queued, raise the interrupt. */
static void lxn_poll(struct sim_dev *dev)
{
	kpi_u32 bits = 0;
	(void)dev;
	while (!lxn_tx_paused && LXN_R(0x18) && LXN_R(0x20) != LXN_R(0x1c)) {
		struct lxn_desc *d = lxn_ring(0x10, LXN_R(0x20));
		void *p = d ? sim_dma_to_virt(d->addr, d->len) : 0;
		if (p && d->len <= LXN_FRAME_MAX && lxn_wire_count < LXN_MAX_FRAMES) {
			lxn_wire[lxn_wire_count].len = d->len;
			__builtin_memcpy(lxn_wire[lxn_wire_count].data, p, d->len);
			lxn_wire_count++;
		}
		if (d)
			d->flags = LXN_DESC_DONE;
		LXN_R(0x20) = (LXN_R(0x20) + 1) % LXN_R(0x18);
		bits |= LXN_ISR_TX;
	}
	while (lxn_rxq_count && LXN_R(0x38) && LXN_R(0x40) != LXN_R(0x3c)) {
		struct lxn_desc *d = lxn_ring(0x30, LXN_R(0x40));
		struct lxn_frame *f = &lxn_rxq[lxn_rxq_head];
		void *p = d ? sim_dma_to_virt(d->addr, f->len) : 0;
		if (!p)
			break;
		__builtin_memcpy(p, f->data, f->len);
		d->len = f->len;
		d->flags = LXN_DESC_DONE;
		lxn_rxq_head = (lxn_rxq_head + 1) % LXN_MAX_FRAMES;
		lxn_rxq_count--;
		LXN_R(0x40) = (LXN_R(0x40) + 1) % LXN_R(0x38);
		bits |= LXN_ISR_RX;
	}
	if (bits)
		lxn_set_isr(bits);
}

static void lxn_model_rx(const void *frame, kpi_u32 len)
{
	struct lxn_frame *f = &lxn_rxq[(lxn_rxq_head + lxn_rxq_count) % LXN_MAX_FRAMES];
	f->len = len;
	__builtin_memcpy(f->data, frame, len);
	lxn_rxq_count++;
}

static void lxn_model_link(int up)
{
	LXN_R(0x0c) = up ? 1 : 0;
	lxn_set_isr(LXN_ISR_LINK);
}

static const struct sim_bar_ops lxn_ops = {lxn_read, lxn_write};

static struct sim_dev *lxn_create(void)
{
	struct sim_pci_id id = {LXN_VENDOR, LXN_DEVICE, 0x1af4, 0x1100, 0x020000, 1, 1};
	lxn_dev = sim_dev_create(&id);
	if (lxn_dev) {
		sim_dev_add_mem_bar(lxn_dev, 0, 4096, 0, &lxn_ops);
		sim_dev_set_poll(lxn_dev, lxn_poll);
		LXN_R(0x0c) = 1;
	}
	return lxn_dev;
}

#endif
