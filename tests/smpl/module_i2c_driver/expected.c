/* Synthetic test driver: a temperature sensor on I2C. */
#include <linux/i2c.h>
#include <linux/module.h>
#include <redox/kpi_main.h>

static int therm_probe(struct i2c_client *client)
{
	return 0;
}

static struct i2c_driver therm_driver = {
	.driver = { .name = "therm" },
	.probe_new = therm_probe,
};

int main(int argc, char **argv)
{
	return kpi_i2c_driver_main(argc, argv, &therm_driver);
}
