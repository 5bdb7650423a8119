/* kit_test_events.c: the event loop delivering sim host events to tasks -
 * an IRQ thread waits on a kit_event, handles the device's interrupt and
 * acks it explicitly; the vector stays masked until the ack; MSI vectors;
 * network frames in and out with the edge-triggered KPI_EV_NET. */
#define _GNU_SOURCE
#include "kpi_kit.h"
#include "ktest.h"
#include "sim.h"

#include <string.h>

#define MS 1000000ull

/* A tiny device: register 0 = interrupt status (read clears), 4 = count of
 * handled interrupts the driver writes back. */
struct toy {
	kpi_u32 isr;
	kpi_u32 handled;
};

static kpi_u64 toy_read(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width)
{
	struct toy *t = sim_dev_priv(dev);
	(void)bar;
	(void)width;
	if (off == 0) {
		kpi_u32 v = t->isr;
		t->isr = 0;
		return v;
	}
	return off == 4 ? t->handled : 0;
}

static void toy_write(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width, kpi_u64 value)
{
	struct toy *t = sim_dev_priv(dev);
	(void)bar;
	(void)width;
	if (off == 4)
		t->handled = (kpi_u32)value;
}

static const struct sim_bar_ops toy_ops = {toy_read, toy_write};

static struct {
	int handle;
	struct kpi_pci_map map;
	struct kit_event ev;
	int runs, acked_ok, ack_again_rc;
	kpi_u32 isr_seen;
	int stop;
} drv;

static void irq_thread(void *arg)
{
	(void)arg;
	while (!drv.stop) {
		if (!kit_event_wait(&drv.ev, KPI_FOREVER))
			continue;
		drv.runs++;
		CHECK_INT(drv.ev.last.kind, KPI_EV_IRQ);
		CHECK_INT(drv.ev.last.handle, drv.handle);
		drv.isr_seen |= (kpi_u32)kpi_host_mmio_read(drv.map.addr, 4);
		kpi_host_mmio_write((char *)drv.map.addr + 4, 4, (kpi_u64)drv.runs);
		drv.acked_ok += kpi_host_irq_ack(drv.handle, (int)drv.ev.last.index) == 0;
		drv.ack_again_rc = kpi_host_irq_ack(drv.handle, (int)drv.ev.last.index);
	}
}

static void test_legacy_irq(void)
{
	kit_reset();
	sim_reset();
	sim_clock_virtual(1);
	memset(&drv, 0, sizeof(drv));
	struct toy toy = {0, 0};
	struct sim_pci_id id = {0x1234, 0x5678, 0x1af4, 0x1100, 0x020000, 1, 1};
	struct sim_dev *dev = sim_dev_create(&id);
	CHECK(dev != NULL);
	sim_dev_set_priv(dev, &toy);
	CHECK_INT(sim_dev_add_mem_bar(dev, 0, 4096, 0, &toy_ops), 0);

	drv.handle = kpi_host_pci_open(0);
	CHECK_INT(drv.handle, 0);
	CHECK_INT(kpi_host_pci_map_bar(drv.handle, 0, KPI_MAP_UC, &drv.map), 0);
	CHECK(drv.map.flags & KPI_MAP_TRAPPED);
	CHECK_INT(kpi_host_irq_enable(drv.handle, KPI_IRQ_MSI, 4), -KPI_ENOTSUP);
	CHECK_INT(kpi_host_irq_enable(drv.handle, KPI_IRQ_LEGACY, 1), 1);
	kit_event_init(&drv.ev);
	CHECK_INT(kpi_host_irq_watch(drv.handle, 0, &drv.ev.evh), 0);
	CHECK(kit_task_create("irq/toy", irq_thread, NULL, 0) != NULL);

	/* Nothing raised: the IRQ task blocks, the loop goes idle. */
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(drv.runs, 0);

	/* One interrupt reaches the task, which reads the device and acks. */
	toy.isr = 0x5;
	sim_irq_raise(dev, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(drv.runs, 1);
	CHECK_INT(drv.isr_seen, 0x5);
	CHECK_INT(toy.handled, 1);
	CHECK_INT(drv.acked_ok, 1);
	CHECK_INT(drv.ack_again_rc, -KPI_EINVAL); /* one ack per report */
	struct sim_irq_stats st;
	sim_irq_stats(dev, 0, &st);
	CHECK_INT(st.raised, 1);
	CHECK_INT(st.reported, 1);
	CHECK_INT(st.acked, 1);
	CHECK_INT(st.masked, 0);

	/* Masked from report to ack: a handler that has not acked yet sees no
	 * second event; raises in between coalesce into one report after the ack. */
	struct kit_event raw;
	kit_event_init(&raw);
	CHECK_INT(kpi_host_irq_watch(drv.handle, 0, &raw.evh), 0); /* nobody acks raw */
	sim_irq_raise(dev, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(raw.count, 1);
	sim_irq_raise(dev, 0);
	sim_irq_raise(dev, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(raw.count, 1); /* still masked */
	sim_irq_stats(dev, 0, &st);
	CHECK_INT(st.masked, 1);
	CHECK_INT(st.pending, 1);
	CHECK_INT(kpi_host_irq_watch(drv.handle, 0, &drv.ev.evh), 0);
	CHECK_INT(kpi_host_irq_ack(drv.handle, 0), 0); /* unmask: the coalesced raise comes */
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(drv.runs, 2);
	sim_irq_stats(dev, 0, &st);
	CHECK_INT(st.raised, 4);
	CHECK_INT(st.reported, 3);
	CHECK_INT(st.acked, 3);

	/* Stop the IRQ thread the way lx's free_irq will: flag, wake, run. */
	drv.stop = 1;
	kit_waitq_wake(&drv.ev.waiters, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	kpi_host_irq_disable(drv.handle);
	CHECK_INT(kpi_host_irq_ack(drv.handle, 0), -KPI_EINVAL);
	kpi_host_pci_close(drv.handle);
}

/* ---- MSI-X: several vectors, each its own event ------------------------------- */

static void test_msix(void)
{
	kit_reset();
	sim_reset();
	sim_clock_virtual(1);
	struct sim_pci_id id = {0x8086, 0x10d3, 0, 0, 0x020000, 0, 0};
	struct sim_dev *dev = sim_dev_create(&id);
	CHECK_INT(sim_dev_set_irq_caps(dev, 1, 3), 0);
	int h = kpi_host_pci_open(0);
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_LEGACY, 1), -KPI_ENOTSUP); /* no pin */
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSIX, 8), 3);		       /* clamped */
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSI, 1), -KPI_EBUSY);
	struct kit_event ev[3];
	for (int i = 0; i < 3; i++) {
		kit_event_init(&ev[i]);
		CHECK_INT(kpi_host_irq_watch(h, i, &ev[i].evh), 0);
	}
	CHECK_INT(kpi_host_irq_watch(h, 3, &ev[0].evh), -KPI_EINVAL);
	sim_irq_raise(dev, 2);
	sim_irq_raise(dev, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(ev[0].count, 1);
	CHECK_INT(ev[1].count, 0);
	CHECK_INT(ev[2].count, 1);
	CHECK_INT(ev[2].last.index, 2);
	CHECK_INT(kpi_host_irq_ack(h, 2), 0);
	CHECK_INT(kpi_host_irq_ack(h, 1), -KPI_EINVAL);
	kpi_host_pci_close(h);
}

/* ---- network frames ------------------------------------------------------------ */

static struct {
	int netif;
	struct kit_event ev;
	int frames;
	int done;
} nd;

static void xmit_task(void *arg)
{
	(void)arg;
	unsigned char buf[1600];
	while (!nd.done) {
		kit_event_wait(&nd.ev, KPI_FOREVER);
		int len;
		while ((len = kpi_host_net_take(nd.netif, buf, sizeof(buf))) > 0) {
			nd.frames++;
			buf[0] ^= 0xff; /* "loop back" a modified frame */
			CHECK_INT(kpi_host_net_deliver(nd.netif, buf, (kpi_size)len), 0);
		}
		nd.done = nd.frames >= 3;
	}
}

static void test_net(void)
{
	kit_reset();
	sim_reset();
	sim_clock_virtual(1);
	memset(&nd, 0, sizeof(nd));
	static const kpi_u8 mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
	kit_event_init(&nd.ev);
	nd.netif = kpi_host_net_open("toy0", mac, &nd.ev.evh);
	CHECK(nd.netif >= 0);
	CHECK(memcmp(sim_net_mac(nd.netif), mac, 6) == 0);
	kit_task_create("xmit", xmit_task, NULL, 0);
	unsigned char f[60] = {1, 2, 3};
	CHECK_INT(sim_net_inject(nd.netif, f, sizeof(f)), 0);
	CHECK_INT(sim_net_inject(nd.netif, f, sizeof(f)), 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(nd.frames, 2);
	CHECK_INT(nd.ev.count, 0);
	unsigned char out[64];
	CHECK_INT(sim_net_pop(nd.netif, out, sizeof(out)), 60);
	CHECK_INT(out[0], 0xfe);
	CHECK_INT(sim_net_pop(nd.netif, out, 10), -KPI_ENOSPC);
	CHECK_INT(sim_net_pop(nd.netif, out, sizeof(out)), 60);
	CHECK_INT(sim_net_pop(nd.netif, out, sizeof(out)), 0);
	/* Edge-triggered: after the queue was drained, a new frame re-arms. */
	CHECK_INT(sim_net_inject(nd.netif, f, sizeof(f)), 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(nd.frames, 3);
	CHECK(nd.done);
	kpi_host_net_link(nd.netif, 1);
	CHECK_INT(sim_net_link(nd.netif), 1);
	kpi_host_net_close(nd.netif);
}

/* A host wait that can never return is reported, not hung. */
static void forever(void *arg)
{
	(void)arg;
	kit_task_block(KPI_FOREVER);
}

int main(void)
{
	test_legacy_irq();
	test_msix();
	test_net();
	kit_reset();
	sim_reset();
	kit_task_create("forever", forever, NULL, 0);
	CHECK_INT(kit_run(0), -KPI_EDEADLK);
	kit_reset();
	return KTEST_DONE();
}
