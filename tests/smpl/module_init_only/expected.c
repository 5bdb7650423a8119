/* Synthetic test driver: registers a notifier once and never unloads. */
#include <linux/module.h>
#include <linux/notifier.h>
#include <redox/kpi_main.h>

static int ping_seen;

static int __init ping_setup(void)
{
	ping_seen = 0;
	return 0;
}
int main(int argc, char **argv)
{
	return kpi_module_main(argc, argv, ping_setup, NULL);
}

MODULE_DESCRIPTION("ping");
