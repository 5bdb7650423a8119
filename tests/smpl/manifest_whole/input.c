/* Synthetic test driver: a doorbell register, run through rules.cocci as a whole. */
#include <linux/module.h>
#include <linux/io.h>

static void __iomem *bell;

static int __init bell_start(void)
{
	bell = ioremap(0xfe000000, 4);
	return bell ? 0 : -ENOMEM;
}

static void __exit bell_stop(void)
{
	iounmap(bell);
}

module_init(bell_start);
module_exit(bell_stop);
