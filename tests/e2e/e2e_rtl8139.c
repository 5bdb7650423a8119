/* e2e_rtl8139.c: QEMU end-to-end test of the Linux host backend with
 * -device rtl8139 on QEMU's user-mode network.  Reads the MAC through port
 * I/O (BAR0, sysfs resource0) and MMIO (BAR1 mmap), takes DMA memory from
 * the hugepage pool, checks its bus address against our own reading of
 * /proc/self/pagemap, programs it as RX buffer, transmits an ARP request
 * for the slirp gateway from a second DMA buffer, and waits for INTx
 * through UIO (each acked) until the ARP reply lands in the RX buffer. */
#define _GNU_SOURCE
#include "e2e_util.h"

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* RTL8139 registers (Realtek datasheet). */
#define R_IDR 0x00
#define R_TSD0 0x10
#define R_TSAD0 0x20
#define R_RBSTART 0x30
#define R_CR 0x37
#define R_CAPR 0x38
#define R_IMR 0x3c
#define R_ISR 0x3e
#define R_TCR 0x40
#define R_RCR 0x44
#define CR_RST 0x10
#define CR_RE 0x08
#define CR_TE 0x04
#define ISR_ROK 0x01
#define ISR_TOK 0x04
#define TSD_TOK 0x8000u
#define RCR_AAP 0x01
#define RCR_APM 0x02
#define RCR_AM 0x04
#define RCR_AB 0x08
#define RCR_WRAP 0x80
#define RX_RING 8192

static volatile unsigned char *regs;

static kpi_u32 rd(unsigned off, unsigned w)
{
	return (kpi_u32)kpi_host_mmio_read(regs + off, w);
}

static void wr(unsigned off, unsigned w, kpi_u32 v)
{
	kpi_host_mmio_write(regs + off, w, v);
}

/* Independent check of the backend's translation. */
static uint64_t pagemap_phys(const void *p)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	uint64_t e = 0;
	uintptr_t v = (uintptr_t)p;
	if (fd < 0 || pread(fd, &e, 8, (off_t)(v / 4096 * 8)) != 8)
		e = 0;
	if (fd >= 0)
		close(fd);
	return (e >> 63) ? (e & ((1ull << 55) - 1)) * 4096 + (v & 4095) : 0;
}

static const unsigned char my_ip[4] = {10, 0, 2, 15};
static unsigned char want_ip[4]; /* whose ARP reply we wait for */

static size_t build_arp(unsigned char *f, const unsigned char mac[6])
{
	memset(f, 0, 60);
	memset(f, 0xff, 6);
	memcpy(f + 6, mac, 6);
	f[12] = 0x08, f[13] = 0x06;		    /* ARP */
	f[14] = 0, f[15] = 1, f[16] = 8, f[17] = 0; /* Ethernet, IPv4 */
	f[18] = 6, f[19] = 4, f[20] = 0, f[21] = 1; /* request */
	memcpy(f + 22, mac, 6);
	memcpy(f + 28, my_ip, 4);
	memcpy(f + 38, want_ip, 4);
	return 60;
}

/* Walk received packets from *off; 1 when an ARP reply for us is found. */
static int scan_rx(const unsigned char *ring, kpi_u64 bus, unsigned *off, const unsigned char mac[6])
{
	int found = 0;
	while (!(rd(R_CR, 1) & 0x01)) { /* BUFE clear: packets pending */
		const unsigned char *p = ring + *off;
		unsigned status = p[0] | p[1] << 8, len = p[2] | p[3] << 8;
		const unsigned char *f = p + 4;
		e2e_say("rtl8139: rx at ring+%u (bus 0x%llx): status 0x%04x len %u type %02x%02x", *off,
		        (unsigned long long)(bus + *off), status, len, f[12], f[13]);
		if (!(status & 1) || len < 64 || len > 1518)
			break;
		if (f[12] == 0x08 && f[13] == 0x06 && f[21] == 2 && memcmp(f, mac, 6) == 0 &&
		    memcmp(f + 28, want_ip, 4) == 0) {
			e2e_say("KPI-E2E rtl8139: ARP reply: 10.0.2.%u is-at %02x:%02x:%02x:%02x:%02x:%02x, "
			        "DMA'd into our buffer at bus 0x%llx",
			        want_ip[3], f[22], f[23], f[24], f[25], f[26], f[27], (unsigned long long)(bus + *off));
			found = 1;
		}
		*off = (*off + len + 4 + 3) & ~3u;
		*off %= RX_RING;
		wr(R_CAPR, 2, (*off - 16) & 0xffff);
	}
	return found;
}

int main(int argc, char **argv)
{
	struct kpi_pci_info info;
	int h = e2e_open_first(argc, argv, &info);
	E2E_REQUIRE(info.vendor == 0x10ec && info.device == 0x8139, "not an rtl8139");
	struct kpi_pci_bar iobar;
	E2E_REQUIRE(kpi_host_pci_bar(h, 0, &iobar) == 0 && (iobar.flags & KPI_BAR_IO), "BAR0 is not I/O");
	E2E_REQUIRE(kpi_host_pci_pio_enable(h, 0) == 0, "pio_enable");
	struct kpi_pci_map map;
	int rc = kpi_host_pci_map_bar(h, 1, KPI_MAP_UC, &map);
	E2E_REQUIRE(rc == 0, "map BAR1: %d", rc);
	regs = map.addr;

	unsigned char mac[6], mac_pio[6];
	for (int i = 0; i < 6; i++) {
		mac[i] = (unsigned char)rd(R_IDR + (unsigned)i, 1);
		mac_pio[i] = (unsigned char)kpi_host_pio_in((kpi_u32)iobar.addr + (kpi_u32)i, 1);
	}
	e2e_say("KPI-E2E rtl8139: mac %02x:%02x:%02x:%02x:%02x:%02x (mmio), pio %s", mac[0], mac[1], mac[2],
	        mac[3], mac[4], mac[5], memcmp(mac, mac_pio, 6) == 0 ? "agrees" : "DIFFERS");
	E2E_REQUIRE(memcmp(mac, mac_pio, 6) == 0, "MAC via port I/O differs");

	wr(R_CR, 1, CR_RST);
	for (int i = 0; i < 1000 && (rd(R_CR, 1) & CR_RST); i++)
		e2e_sleep_ms(1);
	E2E_REQUIRE(!(rd(R_CR, 1) & CR_RST), "reset did not complete");

	struct kpi_dma rx, tx;
	rc = kpi_host_dma_alloc(RX_RING + 16 + 1536, KPI_DMA_32BIT, &rx);
	E2E_REQUIRE(rc == 0, "dma_alloc rx: %d", rc);
	rc = kpi_host_dma_alloc(2048, KPI_DMA_32BIT, &tx);
	E2E_REQUIRE(rc == 0, "dma_alloc tx: %d", rc);
	kpi_u64 tr = 0;
	E2E_REQUIRE(kpi_host_dma_translate((char *)rx.virt + 100, &tr) == 0 && tr == rx.bus + 100, "translate");
	uint64_t pm = pagemap_phys(rx.virt);
	e2e_say("KPI-E2E rtl8139: rx dma virt %p bus 0x%llx, pagemap says 0x%llx", rx.virt,
	        (unsigned long long)rx.bus, (unsigned long long)pm);
	E2E_REQUIRE(pm == rx.bus && pagemap_phys(tx.virt) == tx.bus, "bus address differs from pagemap");

	wr(R_RBSTART, 4, (kpi_u32)rx.bus);
	E2E_REQUIRE(rd(R_RBSTART, 4) == (kpi_u32)rx.bus, "RBSTART readback");
	wr(R_CR, 1, CR_RE | CR_TE);
	wr(R_TCR, 4, 0x00000600);
	wr(R_RCR, 4, RCR_APM | RCR_AM | RCR_AB | RCR_WRAP);
	wr(R_CAPR, 2, (kpi_u32)(0 - 16) & 0xffff);
	wr(R_ISR, 2, 0xffff);
	wr(R_IMR, 2, ISR_ROK | ISR_TOK);

	rc = kpi_host_irq_enable(h, KPI_IRQ_MSI, 1);
	E2E_REQUIRE(rc == -KPI_ENOTSUP, "MSI should be unsupported on uio: %d", rc);
	rc = kpi_host_irq_enable(h, KPI_IRQ_LEGACY, 1);
	E2E_REQUIRE(rc == 1, "irq_enable: %d", rc);
	static int cookie;
	E2E_REQUIRE(kpi_host_irq_watch(h, 0, &cookie) == 0, "irq_watch");

	/* Two rounds (gateway, then DNS): the second interrupt can only come if
	 * the first ack re-enabled INTx.  Round r uses TX descriptor r. */
	int irqs = 0;
	unsigned off = 0;
	for (unsigned r = 0; r < 2; r++) {
		memcpy(want_ip, (unsigned char[4]){10, 0, 2, (unsigned char)(2 + r)}, 4);
		unsigned char *buf = (unsigned char *)tx.virt + r * 1024;
		size_t len = build_arp(buf, mac);
		wr(R_TSAD0 + 4 * r, 4, (kpi_u32)(tx.bus + r * 1024));
		wr(R_TSD0 + 4 * r, 4, (kpi_u32)len); /* OWN clear: transmit */
		e2e_say("rtl8139: ARP request for 10.0.2.%u queued from bus 0x%llx", want_ip[3],
		        (unsigned long long)(tx.bus + r * 1024));
		int tx_ok = 0, got_reply = 0, round_irqs = 0;
		kpi_u64 deadline = kpi_host_now_ns() + 10000000000ull;
		while (!(tx_ok && got_reply)) {
			struct kpi_host_event ev[4];
			int n = kpi_host_wait(deadline, ev, 4);
			E2E_REQUIRE(n > 0, "no interrupt within 10 s (wait %d, irqs %d, tx %d, rx %d, ISR 0x%04x)", n,
			            irqs, tx_ok, got_reply, rd(R_ISR, 2));
			for (int i = 0; i < n; i++) {
				E2E_REQUIRE(ev[i].kind == KPI_EV_IRQ && ev[i].cookie == &cookie, "odd event");
				kpi_u32 isr = rd(R_ISR, 2);
				wr(R_ISR, 2, isr); /* write-1-to-clear: the line drops */
				irqs++, round_irqs++;
				e2e_say("rtl8139: INTx #%d via uio, ISR 0x%04x", irqs, isr);
				if (isr & ISR_TOK) {
					kpi_u32 tsd = rd(R_TSD0 + 4 * r, 4);
					e2e_say("rtl8139: tx done, TSD%u 0x%08x", r, tsd);
					tx_ok = (tsd & TSD_TOK) != 0;
				}
				if (isr & ISR_ROK)
					got_reply |= scan_rx(rx.virt, rx.bus, &off, mac);
				E2E_REQUIRE(kpi_host_irq_ack(h, 0) == 0, "irq_ack");
				E2E_REQUIRE(kpi_host_irq_ack(h, 0) == -KPI_EINVAL, "double ack accepted");
			}
		}
		E2E_REQUIRE(round_irqs >= 1, "round %u completed without an interrupt", r);
	}
	e2e_say("KPI-E2E rtl8139: PASS (%d interrupts, all acked)", irqs);
	wr(R_IMR, 2, 0);
	wr(R_CR, 1, 0);
	kpi_host_dma_free(&rx);
	kpi_host_dma_free(&tx);
	kpi_host_pci_close(h);
	return 0;
}
