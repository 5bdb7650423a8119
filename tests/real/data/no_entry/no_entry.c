// SPDX-License-Identifier: MIT
/* no_entry.c: kpiport test module (written here, not Linux code) with
 * neither module_init nor a module_*_driver: the port must refuse it. */
#include <linux/module.h>

int no_entry_answer(void);

int no_entry_answer(void)
{
	return 42;
}
MODULE_LICENSE("GPL");
