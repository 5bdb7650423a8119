// SPDX-License-Identifier: MIT
/* lx_stub.c: what the generated stubs of a port (kpiport_stubs.c, see
 * headers/redox/kpi_stub.h) call.  A reached stub is a porting TODO: it
 * names itself and the header that declares it, prints a backtrace and
 * aborts the daemon, so a missing piece never passes silently. */
#include "lx_internal.h"
#include <redox/kpi_stub.h>

void kpi_stub_reached(const char *name, const char *header)
{
	char why[256];
	lx_snprintf(why, sizeof(why), "kpiport stub reached: %s (declared in %s)", name, header);
	kpi_host_log(KPI_LOG_EMERG, why);
	kpi_host_backtrace();
	kpi_host_abort(why);
}

void kpi_stub_note(const char *name, const char *header)
{
	/* Once per stub would need a table; the name in every line is cheap and
	 * a stub with a safe value is rarely on a hot path. */
	lx_log(KPI_LOG_NOTICE, "kpiport stub used (safe value returned): %s (declared in %s)", name,
	       header);
}
