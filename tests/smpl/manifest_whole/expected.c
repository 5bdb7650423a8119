/* Synthetic test driver: a doorbell register, run through rules.cocci as a whole. */
#include <linux/module.h>
#include <linux/io.h>
#include <redox/kpi_main.h>

static void __iomem *bell;

static int __init bell_start(void)
{
	bell = redox_ioremap(0xfe000000, 4);
	return bell ? 0 : -ENOMEM;
}

static void __exit bell_stop(void)
{
	redox_iounmap(bell);
}
int main(int argc, char **argv)
{
	return kpi_module_main(argc, argv, bell_start, bell_stop);
}
