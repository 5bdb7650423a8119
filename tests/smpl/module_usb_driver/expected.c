/* Synthetic test driver: a USB button. */
#include <linux/module.h>
#include <linux/usb.h>
#include <redox/kpi_main.h>

static struct usb_driver knob_driver = {
	.name = "knob",
};

int main(int argc, char **argv)
{
	return kpi_usb_driver_main(argc, argv, &knob_driver);
}
MODULE_AUTHOR("nobody");
