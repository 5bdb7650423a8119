/* Synthetic test driver: a gadget on a made-up bus, registered with module_driver. */
#include <linux/module.h>
#include "gadgetbus.h"

static int widget_probe(struct gadget *g)
{
	return 0;
}

static struct gadget_driver widget_driver = {
	.probe = widget_probe,
};

module_driver(widget_driver, gadget_register_driver,
	      gadget_unregister_driver);

MODULE_LICENSE("GPL");
