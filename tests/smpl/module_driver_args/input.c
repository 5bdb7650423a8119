/* Synthetic test driver: module_driver whose register calls take extra arguments. */
#include <linux/module.h>
#include "slotbus.h"

static struct slot_driver card_driver = {
	.slots = 4,
};

module_driver(card_driver, slot_register, slot_unregister, 2, "card");
