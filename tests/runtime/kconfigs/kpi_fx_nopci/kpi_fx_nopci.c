// SPDX-License-Identifier: MIT
/* kpi_fx_nopci.c: an empty module; kpiport ports it only so that its kernel build
 * dir (config: see Kconfig) and kbuild flags become a test fixture for
 * building runtime/lx under that configuration (tests/runtime_lx_configs.cmake). */
#include <linux/module.h>

static int __init kpi_fx_init(void)
{
	return 0;
}

static void __exit kpi_fx_exit(void)
{
}

module_init(kpi_fx_init);
module_exit(kpi_fx_exit);
MODULE_LICENSE("Dual MIT/GPL");
