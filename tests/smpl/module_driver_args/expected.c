/* Synthetic test driver: module_driver whose register calls take extra arguments. */
#include <linux/module.h>
#include "slotbus.h"
#include <redox/kpi_main.h>

static struct slot_driver card_driver = {
	.slots = 4,
};

static int card_driver_init(void)
{
	return slot_register(&card_driver, 2, "card");
}
static void card_driver_exit(void)
{
	slot_unregister(&card_driver, 2, "card");
}
int main(int argc, char **argv)
{
	return kpi_module_main(argc, argv, card_driver_init, card_driver_exit);
}
