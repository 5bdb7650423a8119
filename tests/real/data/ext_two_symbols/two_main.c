// SPDX-License-Identifier: MIT
/* two_main.c: kpiport test module (written here, not Linux code): its
 * helper symbol must be defined when it is compiled. */
#include <linux/module.h>
#include <linux/printk.h>

#ifndef CONFIG_KPI_TWO_HELPER
#error "CONFIG_KPI_TWO_HELPER did not reach the compiler"
#endif

int two_helper(void);

static int __init two_init(void)
{
	pr_info("two: helper says %d\n", two_helper());
	return 0;
}

static void __exit two_exit(void)
{
}

module_init(two_init);
module_exit(two_exit);
MODULE_LICENSE("GPL");
