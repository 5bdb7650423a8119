/* Synthetic test driver: a character counter with init and exit functions. */
#include <linux/module.h>
#include <linux/init.h>
#include "counter.h"
#ifdef CONFIG_COUNTER_DEBUG
#include <linux/debugfs.h>
#endif

static int counter_value;

static int __init counter_start(void)
{
	counter_value = 1;
	return 0;
}

static void __exit counter_stop(void)
{
	counter_value = 0;
}

module_init(counter_start);
module_exit(counter_stop);

MODULE_LICENSE("GPL");
