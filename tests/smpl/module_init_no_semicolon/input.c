/* Synthetic test driver: entry macros written without a trailing ';'. */
#include <linux/module.h>

static int __init chime_start(void)
{
	return 0;
}

static void __exit chime_stop(void)
{
}

module_init(chime_start)
module_exit(chime_stop)

MODULE_LICENSE("GPL");
