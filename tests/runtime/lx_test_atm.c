/* lx_test_atm.c: a test "driver" (written for kpiport, kernel flags, a
 * config with CONFIG_ATM) for lx's ATM device registry (runtime/lx/lx_atm.c):
 * devices get the first free number or the one asked for (a taken one is
 * refused), lookups hold a reference, the class device is named after type
 * and number, and deregistration's last put closes the device (dev_close)
 * once, after the lookup's reference is dropped too. */
#include <linux/atmdev.h>
#include <linux/module.h>
#include <redox/kpi_main.h>
#include "lx_test.h"

static int closes;

static void lxt_close(struct atm_dev *dev)
{
	(void)dev;
	closes++;
}

static const struct atmdev_ops lxt_ops = { .dev_close = lxt_close };

static int test_init(void)
{
	unsigned long flags = 0;
	struct atm_dev *a, *b, *c, *l;

	a = atm_dev_register("lxt", NULL, &lxt_ops, -1, NULL);
	b = atm_dev_register("lxt", NULL, &lxt_ops, -1, &flags);
	LXT_CHECK(a && b);
	if (!a || !b)
		return 0;
	LXT_CHECK_INT(a->number, 0);
	LXT_CHECK_INT(b->number, 1);
	LXT_CHECK(!strcmp(dev_name(&b->class_dev), "lxt1"));
	LXT_CHECK(atm_dev_register("lxt", NULL, &lxt_ops, 1, NULL) == NULL); /* taken */
	c = atm_dev_register("lxt", NULL, &lxt_ops, 7, NULL);
	LXT_CHECK(c && c->number == 7);
	LXT_CHECK_INT(a->signal, ATM_PHY_SIG_UNKNOWN);
	atm_dev_signal_change(a, ATM_PHY_SIG_FOUND);
	LXT_CHECK_INT(a->signal, ATM_PHY_SIG_FOUND);

	l = atm_dev_lookup(1);
	LXT_CHECK(l == b);
	LXT_CHECK(atm_dev_lookup(5) == NULL);
	atm_dev_deregister(b);
	LXT_CHECK_INT(closes, 0); /* the lookup still holds it */
	LXT_CHECK(atm_dev_lookup(1) == NULL);
	atm_dev_put(l);
	LXT_CHECK_INT(closes, 1);
	atm_dev_deregister(a);
	if (c)
		atm_dev_deregister(c);
	LXT_CHECK_INT(closes, 3);
	a = atm_dev_register("lxt", NULL, &lxt_ops, -1, NULL); /* number 0 is free again */
	LXT_CHECK(a && a->number == 0);
	if (a)
		atm_dev_deregister(a);
	return 0;
}

static void test_exit(void)
{
}

int main(int argc, char **argv)
{
	return lxt_result(kpi_module_main(argc, argv, test_init, test_exit), 0);
}
