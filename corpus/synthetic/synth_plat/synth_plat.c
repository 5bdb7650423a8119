// SPDX-License-Identifier: MIT
/* synth_plat.c: a tiny platform driver written from scratch to exercise
 * kpiport's analyzer: module_platform_driver, OF and platform ID tables
 * with string fields, a non-static function whose name is libc's, and a
 * static one (which must not be reported). */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/mod_devicetable.h>
#include <linux/of.h>

#define PLAT_NAME "synth-plat"

static const struct of_device_id synth_plat_of_ids[] = {
	{ .compatible = "kpiport,synth-a" },
	{ .compatible = "kpiport,synth-b", .data = (void *)2 },
	{ }
};
MODULE_DEVICE_TABLE(of, synth_plat_of_ids);

static const struct platform_device_id synth_plat_ids[] = {
	{ PLAT_NAME, 7 },
	{ .name = "synth-plat2", .driver_data = 0x10 },
	{ }
};

void perror(const char *msg)
{
	pr_err("%s\n", msg);
}

static int sleep(int n)
{
	return n;
}

static int synth_plat_probe(struct platform_device *pdev)
{
	dev_info(&pdev->dev, "probed %d\n", sleep(1));
	return 0;
}

static struct platform_driver synth_plat_driver = {
	.probe = synth_plat_probe,
	.id_table = synth_plat_ids,
	.driver = {
		.name = PLAT_NAME,
		.of_match_table = synth_plat_of_ids,
	},
};
module_platform_driver(synth_plat_driver);

MODULE_LICENSE("Dual MIT/GPL");
