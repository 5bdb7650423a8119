/* lx_initcall.c: what start_kernel() and do_initcalls() do for kernel code
 * that a port imports as built-in (obj-y, compiled without -DMODULE): the
 * I2C core's postcore_initcall(i2c_init) registers i2c_bus_type, and
 * without it no adapter can be added.  The driver's module_init is its
 * main(); every import is built in (a module the driver depends on too:
 * cmake/KpiPort.cmake compiles it with -UMODULE), and a built-in
 * file's initcalls land in .initcall<level>.init sections, which
 * lx_sections.ld gathers between __kpi_initcall_start/end in level order
 * (early, 0-5, rootfs, 6, 7, each with its sync variant), as the kernel's
 * linker script does.  lx_builtin_init() runs them once, in the task that
 * runs the module's init, before it.
 *
 * Some library code is initialised by start_kernel() itself rather than by
 * an initcall: lib/radix-tree.c (radix_tree_init creates the node cache that
 * idr and xarray allocate from).  Referenced weakly: only ports that import
 * the file have it. */
#include "lx_internal.h"
#include <linux/init.h>

extern initcall_entry_t __kpi_initcall_start[], __kpi_initcall_end[];
void radix_tree_init(void) __attribute__((weak));

static int lx_builtin_done;

void lx_builtin_init(void)
{
	initcall_entry_t *e;
	if (lx_builtin_done)
		return;
	lx_builtin_done = 1;
	if (radix_tree_init)
		radix_tree_init();
	for (e = __kpi_initcall_start; e < __kpi_initcall_end; e++) {
		initcall_t fn = initcall_from_entry(e);
		int rc = fn();
		/* do_one_initcall() only reports a failure: the system goes on */
		if (rc)
			lx_log(KPI_LOG_WARNING, "built-in initcall %ps returned %d", fn, rc);
	}
}
