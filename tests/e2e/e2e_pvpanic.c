/* e2e_pvpanic.c: QEMU end-to-end test of the Linux host backend with
 * -device pvpanic-pci: claim it through sysfs + uio_pci_generic, map BAR0,
 * read the supported-events register and write the "panicked" bit.  The
 * harness asserts QEMU's GUEST_PANICKED event. */
#include "e2e_util.h"

#define PVPANIC_PANICKED 0x1u
#define PVPANIC_CRASH_LOADED 0x2u

int main(int argc, char **argv)
{
	struct kpi_pci_info info;
	int h = e2e_open_first(argc, argv, &info);
	E2E_REQUIRE(info.vendor == 0x1b36 && info.device == 0x0011, "not a pvpanic-pci device");
	struct kpi_pci_bar bar;
	E2E_REQUIRE(kpi_host_pci_bar(h, 0, &bar) == 0 && (bar.flags & KPI_BAR_MEM) && bar.size, "BAR0");
	struct kpi_pci_map map;
	int rc = kpi_host_pci_map_bar(h, 0, KPI_MAP_UC, &map);
	E2E_REQUIRE(rc == 0, "map BAR0: %d", rc);
	kpi_u32 events = (kpi_u32)kpi_host_mmio_read(map.addr, 1);
	e2e_say("pvpanic: BAR0 0x%llx size %llu, supported events 0x%x", bar.addr, bar.size, events);
	E2E_REQUIRE(events & PVPANIC_PANICKED, "device does not offer the panicked event");
	e2e_say("KPI-E2E pvpanic: writing the panicked bit");
	kpi_host_mmio_write(map.addr, 1, PVPANIC_PANICKED);
	e2e_sleep_ms(10000); /* QEMU acts on the event; we should not get here */
	e2e_say("KPI-E2E-FAIL pvpanic: still running 10 s after the panic write");
	return 1;
}
