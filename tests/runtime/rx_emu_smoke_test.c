/* rx_emu_smoke_test.c: the Redox backend (runtime/host/redox) unmodified on
 * the emulated Redox (runtime/host/redox-emu, sim backing), driven through
 * kpi_host.h the way lx does: init from pcid-spawner's environment, the
 * function's info, BARs mapped once, enable, legacy interrupt report/ack,
 * MSI, MSI-X in a BAR the driver maps too, DMA translation, the network scheme seen by the emulator's netstack
 * (readiness, mac, frames both ways), the sandbox.  A smoke test of the
 * integration; the emulator's own semantics are tested by redox_emu_test. */
#define _GNU_SOURCE
#include "kpi_host.h"
#include "re_emu.h"
#include "sim.h"

#include "ktest.h"

#include <stdlib.h>

static struct sim_dev *dev;
static int irq_cookie, net_cookie;

/* Wait until an event of kind arrives (up to ~2 s of the world's clock). */
static int wait_for(kpi_u32 kind, struct kpi_host_event *out)
{
	struct kpi_host_event ev[8];
	for (int i = 0; i < 200; i++) {
		int n = kpi_host_wait(kpi_host_now_ns() + 10000000, ev, 8);
		if (n < 0)
			return n;
		for (int k = 0; k < n; k++)
			if (ev[k].kind == kind) {
				*out = ev[k];
				return 1;
			}
	}
	return 0;
}

int main(void)
{
	struct sim_pci_id id = {0x10ec, 0x8139, 0x10ec, 0x8139, 0x020000, 0x20, 1};
	dev = sim_dev_create(&id);
	sim_dev_add_io_bar(dev, 0, 256, 0);
	sim_dev_add_mem_bar(dev, 1, 4096, 0, 0);
	sim_dev_add_mem_bar(dev, 2, 16384, 1, 0);
	sim_dev_set_irq_caps(dev, 1, 4);
	kpi_u8 *cfg = sim_dev_config(dev);
	cfg[0x74] = 2;		      /* MSI-X table: BAR 2, offset 0 */
	cfg[0x78] = 2, cfg[0x79] = 8; /* PBA: BAR 2, offset 0x800 */

	char a0[] = "/usr/lib/drivers/8139too", a1[] = "debug=3";
	char *argv[] = {a0, a1, 0};
	int argc = 2;
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc, argv), 0);
	CHECK_INT(argc, 2);
	CHECK_INT(kpi_host_pci_count(), 1);
	struct kpi_pci_info in;
	CHECK_INT(kpi_host_pci_info(0, &in), 0);
	CHECK_INT(in.vendor, 0x10ec);
	CHECK_INT(in.device, 0x8139);
	CHECK_INT(in.irq_pin, 1);
	CHECK_STR(in.name, "0000:00:03.0");
	CHECK_INT(kpi_host_pci_open(0), 0);

	struct kpi_pci_bar b;
	CHECK_INT(kpi_host_pci_bar(0, 0, &b), 0);
	CHECK_INT(b.flags, KPI_BAR_IO);
	CHECK_INT(b.size, 256);
	CHECK_INT(kpi_host_pci_bar(0, 2, &b), 0);
	CHECK(b.flags & KPI_BAR_64);
	CHECK_INT(b.size, 16384);
	CHECK_INT(kpi_host_pci_enable(0), 0);
	kpi_u32 cmd = 0;
	CHECK_INT(kpi_host_pci_cfg_read(0, 0x04, 2, &cmd), 0);
	CHECK_INT(cmd & 7, 7);

	struct kpi_pci_map m, m2;
	CHECK_INT(kpi_host_pci_map_bar(0, 1, KPI_MAP_UC, &m), 0);
	CHECK_INT(kpi_host_pci_map_bar(0, 1, KPI_MAP_UC, &m2), 0);
	CHECK(m.addr == m2.addr);
	CHECK_INT(re_bar_map_count(1), 1);
	kpi_host_mmio_write((char *)m.addr + 0x10, 4, 0xcafe);
	CHECK_INT(kpi_host_mmio_read((char *)m.addr + 0x10, 4), 0xcafe);
	CHECK_INT(kpi_host_pci_pio_enable(0, 0), 0);

	/* Legacy interrupt: report, ack. */
	struct kpi_host_event ev;
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_LEGACY, 1), 1);
	CHECK_INT(kpi_host_irq_watch(0, 0, &irq_cookie), 0);
	sim_irq_raise(dev, 0);
	CHECK_INT(wait_for(KPI_EV_IRQ, &ev), 1);
	CHECK(ev.cookie == &irq_cookie);
	CHECK_INT(kpi_host_irq_ack(0, 0), 0);
	kpi_host_irq_disable(0);

	/* MSI, one vector. */
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_MSI, 1), 1);
	CHECK_INT(kpi_host_irq_watch(0, 0, &irq_cookie), 0);
	sim_irq_raise(dev, 0);
	CHECK_INT(wait_for(KPI_EV_IRQ, &ev), 1);
	CHECK_INT(kpi_host_irq_ack(0, 0), 0);
	kpi_host_irq_disable(0);

	/* MSI-X, two vectors, the table in BAR 2 which the driver maps too. */
	struct kpi_pci_map m3;
	CHECK_INT(kpi_host_pci_map_bar(0, 2, KPI_MAP_UC, &m3), 0);
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_MSIX, 2), 2);
	CHECK_INT(re_bar_map_count(2), 1); /* the table shares the driver's mapping */
	CHECK_INT(kpi_host_irq_watch(0, 1, &irq_cookie), 0);
	sim_irq_raise(dev, 1);
	CHECK_INT(wait_for(KPI_EV_IRQ, &ev), 1);
	CHECK_INT(ev.index, 1);
	CHECK_INT(kpi_host_irq_ack(0, 1), 0);
	kpi_host_irq_disable(0);
	CHECK_INT(kpi_host_pci_cfg_read(0, 0x04, 2, &cmd), 0);

	/* DMA: the bus address of any byte inside. */
	struct kpi_dma d;
	kpi_u64 bus = 0;
	CHECK_INT(kpi_host_dma_alloc(3 * 4096, 0, &d), 0);
	CHECK_INT(kpi_host_dma_translate((char *)d.virt + 100, &bus), 0);
	CHECK_INT(bus, d.bus + 100);
	kpi_host_dma_free(&d);

	/* The network scheme: netstack finds it after the readiness byte. */
	static const kpi_u8 mac[6] = {0x52, 0x54, 0x00, 0xab, 0xcd, 0xef};
	CHECK_INT(kpi_host_net_open("eth0", mac, &net_cookie), 0);
	kpi_host_ready();
	for (int i = 0; i < 200 && re_net_state() != 3; i++)
		kpi_host_wait(kpi_host_now_ns() + 10000000, &ev, 1);
	CHECK_INT(re_net_state(), 3);
	CHECK(re_net_mac() && !memcmp(re_net_mac(), mac, 6));
	kpi_u8 frame[60], got[1600];
	for (int i = 0; i < 60; i++)
		frame[i] = (kpi_u8)(i * 3);
	CHECK_INT(re_net_inject(frame, sizeof(frame)), 0);
	CHECK_INT(wait_for(KPI_EV_NET, &ev), 1);
	CHECK(ev.cookie == &net_cookie);
	CHECK_INT(kpi_host_net_take(0, got, sizeof(got)), 60);
	CHECK(!memcmp(got, frame, 60));
	CHECK_INT(kpi_host_net_take(0, got, sizeof(got)), 0);
	frame[0] = 0xee;
	CHECK_INT(kpi_host_net_deliver(0, frame, sizeof(frame)), 0);
	int popped = 0;
	for (int i = 0; i < 100 && !popped; i++) {
		kpi_host_wait(kpi_host_now_ns() + 10000000, &ev, 1);
		popped = re_net_pop(got, sizeof(got));
	}
	CHECK_INT(popped, 60);
	CHECK_INT(got[0], 0xee);

	CHECK_INT(kpi_host_sandbox(), 0);
	return KTEST_DONE();
}
