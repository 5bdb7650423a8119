/* Synthetic test driver: a USB button. */
#include <linux/module.h>
#include <linux/usb.h>

static struct usb_driver knob_driver = {
	.name = "knob",
};

module_usb_driver(knob_driver);
MODULE_AUTHOR("nobody");
