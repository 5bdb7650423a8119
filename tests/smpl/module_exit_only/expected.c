/* Synthetic test driver: only cleans up, nothing to start. */
#include <linux/module.h>
#include <redox/kpi_main.h>

static void __exit sweep_cleanup(void)
{
}
int main(int argc, char **argv)
{
	return kpi_module_main(argc, argv, NULL, sweep_cleanup);
}
