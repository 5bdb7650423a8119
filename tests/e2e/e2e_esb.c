/* e2e_esb.c: QEMU end-to-end test of the Linux host backend with
 * -device i6300esb: program the watchdog through config space (sysfs) and
 * BAR0 (resource0 mmap), keep it alive for several timeouts, then stop
 * pinging.  The harness asserts that no WATCHDOG event came while pinging
 * and that QEMU's watchdog action follows the stop. */
#include "e2e_util.h"

/* 6300ESB watchdog (Intel datasheet): config registers ... */
#define ESB_CFG 0x60	   /* bit 5: no reboot, bit 2: 1 MHz clock, bits 0-1: int type */
#define ESB_LOCK 0x68	   /* bit 1: enable, bit 0: lock until reset */
/* ... and memory-mapped ones. */
#define ESB_PRELOAD1 0x00  /* stage-1 count */
#define ESB_PRELOAD2 0x04  /* stage-2 count */
#define ESB_RELOAD 0x0c	   /* unlock sequence 0x80, 0x86; then bit 8 reloads */
#define ESB_RELOAD_BIT 0x100u

static volatile unsigned char *regs;

static void esb_unlock(void)
{
	kpi_host_mmio_write(regs + ESB_RELOAD, 2, 0x80);
	kpi_host_mmio_write(regs + ESB_RELOAD, 2, 0x86);
}

static void esb_ping(void)
{
	esb_unlock();
	kpi_host_mmio_write(regs + ESB_RELOAD, 2, ESB_RELOAD_BIT);
}

int main(int argc, char **argv)
{
	struct kpi_pci_info info;
	int h = e2e_open_first(argc, argv, &info);
	E2E_REQUIRE(info.vendor == 0x8086 && info.device == 0x25ab, "not an i6300esb");
	struct kpi_pci_map map;
	int rc = kpi_host_pci_map_bar(h, 0, KPI_MAP_UC, &map);
	E2E_REQUIRE(rc == 0, "map BAR0: %d", rc);
	regs = map.addr;

	/* 1 kHz-scaled clock (about 1 ms per count), reboot on stage-2 expiry. */
	E2E_REQUIRE(kpi_host_pci_cfg_write(h, ESB_CFG, 2, 0) == 0, "config write");
	kpi_u32 cfg = 0xffff, lock = 0xff;
	kpi_host_pci_cfg_read(h, ESB_CFG, 2, &cfg);
	kpi_host_pci_cfg_read(h, ESB_LOCK, 1, &lock);
	e2e_say("esb: config 0x%04x lock 0x%02x", cfg, lock);
	E2E_REQUIRE(!(lock & 1), "watchdog already locked");
	const unsigned stage_ms = 500;
	esb_unlock();
	kpi_host_mmio_write(regs + ESB_PRELOAD1, 4, stage_ms);
	esb_unlock();
	kpi_host_mmio_write(regs + ESB_PRELOAD2, 4, stage_ms);
	esb_ping();
	E2E_REQUIRE(kpi_host_pci_cfg_write(h, ESB_LOCK, 1, 0x02) == 0, "enable");
	e2e_say("KPI-E2E esb: armed, timeout about %u ms", 2 * stage_ms);

	kpi_u64 t0 = kpi_host_now_ns();
	const unsigned alive_ms = 5000;
	int pings = 0;
	while (kpi_host_now_ns() - t0 < (kpi_u64)alive_ms * 1000000ull) {
		esb_ping();
		pings++;
		e2e_sleep_ms(100);
	}
	e2e_say("KPI-E2E esb: kept alive %u ms with %d pings; stopping", alive_ms, pings);
	e2e_sleep_ms(15000); /* QEMU's watchdog action should end us */
	e2e_say("KPI-E2E-FAIL esb: watchdog did not fire 15 s after the last ping");
	return 1;
}
