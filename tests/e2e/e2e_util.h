/* e2e_util.h: helpers shared by the QEMU end-to-end test programs (static
 * guest binaries that drive QEMU's emulated devices through kpi_host.h on
 * the Linux backend; written from scratch, not Linux drivers).  Markers go
 * to stdout, one line each, flushed, so the harness sees them at once. */
#ifndef E2E_UTIL_H
#define E2E_UTIL_H
#include "kpi_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static void e2e_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void e2e_say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Fail with a marker the harness forbids (one line: the harness stops at it). */
#define E2E_REQUIRE(cond, ...)                                                             \
	do {                                                                               \
		if (!(cond)) {                                                             \
			char e2e_msg_[256];                                                \
			snprintf(e2e_msg_, sizeof(e2e_msg_), __VA_ARGS__);                 \
			e2e_say("KPI-E2E-FAIL %s:%d: %s: %s", __FILE__, __LINE__, #cond, e2e_msg_); \
			exit(1);                                                           \
		}                                                                          \
	} while (0)

/* kpi_host_init + claim the first function selected by --pci=; prints it. */
static int e2e_open_first(int argc, char **argv, struct kpi_pci_info *info)
{
	int rc = kpi_host_init(KPI_HOST_VERSION, &argc, argv);
	E2E_REQUIRE(rc == 0, "kpi_host_init: %d", rc);
	E2E_REQUIRE(kpi_host_pci_count() >= 1, "no PCI function matches the --pci= option");
	E2E_REQUIRE(kpi_host_pci_info(0, info) == 0, "pci_info");
	e2e_say("e2e: found %s [%04x:%04x] class %06x pin %u line %u", info->name, info->vendor, info->device,
	        info->class_code, info->irq_pin, info->irq_line);
	int h = kpi_host_pci_open(0);
	E2E_REQUIRE(h >= 0, "pci_open: %d", h);
	rc = kpi_host_pci_enable(h);
	E2E_REQUIRE(rc == 0, "pci_enable: %d", rc);
	return h;
}

/* Sleep on the host's event wait (no event sources: plain timeout). */
static void e2e_sleep_ms(unsigned ms)
{
	struct kpi_host_event ev;
	kpi_u64 until = kpi_host_now_ns() + (kpi_u64)ms * 1000000ull;
	while (kpi_host_now_ns() < until)
		kpi_host_wait(until, &ev, 1);
}
#endif
