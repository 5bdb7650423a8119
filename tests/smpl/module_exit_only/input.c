/* Synthetic test driver: only cleans up, nothing to start. */
#include <linux/module.h>

static void __exit sweep_cleanup(void)
{
}
module_exit(sweep_cleanup);
