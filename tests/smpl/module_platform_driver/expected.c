/* Synthetic test driver: an LED block on a platform bus. */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <redox/kpi_main.h>

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
int main(int argc, char **argv)
{
	return kpi_platform_driver_main(argc, argv, &lamp_driver);
}
