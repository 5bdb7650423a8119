/* Synthetic test driver: an LED block on a platform bus. */
#include <linux/module.h>
#include <linux/platform_device.h>

static int lamp_probe(struct platform_device *pdev)
{
	return 0;
}

static struct platform_driver lamp_driver = {
	.probe = lamp_probe,
	.driver = {
		.name = "lamp",
	},
};
module_platform_driver(lamp_driver);
