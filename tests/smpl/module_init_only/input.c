/* Synthetic test driver: registers a notifier once and never unloads. */
#include <linux/module.h>
#include <linux/notifier.h>

static int ping_seen;

static int __init ping_setup(void)
{
	ping_seen = 0;
	return 0;
}
module_init(ping_setup);

MODULE_DESCRIPTION("ping");
