/* Synthetic test driver: a character counter with init and exit functions. */
#include <linux/module.h>
#include <linux/init.h>
#include "counter.h"
#include <redox/kpi_main.h>
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
int main(int argc, char **argv)
{
	return kpi_module_main(argc, argv, counter_start, counter_stop);
}

MODULE_LICENSE("GPL");
