/* Synthetic test driver: a gadget on a made-up bus, registered with module_driver. */
#include <linux/module.h>
#include "gadgetbus.h"
#include <redox/kpi_main.h>

static int widget_probe(struct gadget *g)
{
	return 0;
}

static struct gadget_driver widget_driver = {
	.probe = widget_probe,
};

static int widget_driver_init(void)
{
	return gadget_register_driver(&widget_driver);
}
static void widget_driver_exit(void)
{
	gadget_unregister_driver(&widget_driver);
}
int main(int argc, char **argv)
{
	return kpi_module_main(argc, argv, widget_driver_init,
			       widget_driver_exit);
}

MODULE_LICENSE("GPL");
