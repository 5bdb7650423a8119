// SPDX-License-Identifier: MIT
/* second.c: kpiport test module (written here, not Linux code): this file and
 * its sibling both declare a module_init, which no module can do. */
#include <linux/init.h>
#include <linux/module.h>

static int __init second_init(void)
{
	return 0;
}
module_init(second_init);
