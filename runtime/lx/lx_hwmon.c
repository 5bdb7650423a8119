/* lx_hwmon.c: the hardware-monitoring core as a daemon has it.  A chip
 * registers as in Linux (hwmon_device_register_with_info and the older
 * forms, devm_ ones released with their parent) and gets a class device
 * "hwmonN" whose drvdata is the driver's; there is no sysfs, so at
 * registration the core reads every visible input channel of a chip that
 * describes itself (hwmon_chip_info) once, as a sysfs read would, and logs
 * the values by their sysfs names (temp1_input = 45000, in0_input = 1200).
 * Chips that register attribute groups only are listed by name.  Thermal
 * zones and notifications go nowhere (hwmon_notify_event succeeds). */
#include "lx_internal.h"
#include <linux/hwmon.h>
#include <linux/slab.h>

struct lx_hwmon {
	struct device dev; /* first: the class device the driver gets */
	const char *name;
	const struct hwmon_chip_info *chip;
};

static int lx_hwmon_next;

static void lx_hwmon_release(struct device *dev)
{
	kfree(container_of(dev, struct lx_hwmon, dev));
}

/* The input attribute of a sensor type and its sysfs prefix; -1 if none. */
static int lx_hwmon_input(enum hwmon_sensor_types type, const char **prefix, int *first)
{
	*first = 1;
	switch (type) {
	case hwmon_temp: *prefix = "temp"; return hwmon_temp_input;
	case hwmon_in: *prefix = "in"; *first = 0; return hwmon_in_input;
	case hwmon_curr: *prefix = "curr"; return hwmon_curr_input;
	case hwmon_power: *prefix = "power"; return hwmon_power_input;
	case hwmon_fan: *prefix = "fan"; return hwmon_fan_input;
	case hwmon_humidity: *prefix = "humidity"; return hwmon_humidity_input;
	default: return -1;
	}
}

static void lx_hwmon_report(struct lx_hwmon *h, void *drvdata)
{
	const struct hwmon_chip_info *chip = h->chip;
	int i;
	if (!chip || !chip->ops || !chip->info || !chip->ops->read)
		return;
	for (i = 0; chip->info[i]; i++) {
		const struct hwmon_channel_info *ci = chip->info[i];
		const char *prefix;
		int ch, first, attr = lx_hwmon_input(ci->type, &prefix, &first);
		if (attr < 0 || !ci->config)
			continue;
		for (ch = 0; ci->config[ch]; ch++) {
			long val = 0;
			int rc;
			if (!(ci->config[ch] & BIT(attr)))
				continue;
			if (chip->ops->is_visible && !chip->ops->is_visible(drvdata, ci->type, attr, ch))
				continue;
			rc = chip->ops->read(&h->dev, ci->type, attr, ch, &val);
			if (rc)
				lx_log(KPI_LOG_INFO, "%s (%s): %s%d_input: %pe", dev_name(&h->dev), h->name, prefix,
				       ch + first, ERR_PTR(rc));
			else
				lx_log(KPI_LOG_INFO, "%s (%s): %s%d_input = %ld", dev_name(&h->dev), h->name, prefix,
				       ch + first, val);
		}
	}
}

static struct device *lx_hwmon_register(struct device *parent, const char *name, void *drvdata,
					const struct hwmon_chip_info *chip)
{
	struct lx_hwmon *h;
	if (name && (!*name || strpbrk(name, "-* \t\n")))
		return ERR_PTR(-EINVAL); /* Linux's rule for hwmon names */
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return ERR_PTR(-ENOMEM);
	h->name = name ? name : "hwmon";
	h->chip = chip;
	h->dev.parent = parent;
	h->dev.release = lx_hwmon_release;
	INIT_LIST_HEAD(&h->dev.devres_head);
	kref_init(&h->dev.kobj.kref);
	dev_set_name(&h->dev, "hwmon%d", lx_hwmon_next++);
	dev_set_drvdata(&h->dev, drvdata);
	lx_log(KPI_LOG_INFO, "%s: %s registered (no sysfs here: input channels read once below)",
	       dev_name(&h->dev), h->name);
	lx_hwmon_report(h, drvdata);
	return &h->dev;
}

struct device *hwmon_device_register_with_info(struct device *dev, const char *name, void *drvdata,
					       const struct hwmon_chip_info *info,
					       const struct attribute_group **extra_groups)
{
	(void)extra_groups;
	if (!name || (info && (!info->ops || !info->info)))
		return ERR_PTR(-EINVAL);
	return lx_hwmon_register(dev, name, drvdata, info);
}

struct device *hwmon_device_register_with_groups(struct device *dev, const char *name, void *drvdata,
						 const struct attribute_group **groups)
{
	(void)groups;
	if (!name)
		return ERR_PTR(-EINVAL);
	return lx_hwmon_register(dev, name, drvdata, NULL);
}

struct device *hwmon_device_register_for_thermal(struct device *dev, const char *name, void *drvdata)
{
	return lx_hwmon_register(dev, name, drvdata, NULL);
}

struct device *hwmon_device_register(struct device *dev)
{
	return lx_hwmon_register(dev, NULL, NULL, NULL);
}

void hwmon_device_unregister(struct device *dev)
{
	if (IS_ERR_OR_NULL(dev))
		return;
	lx_devres_release_all(dev);
	put_device(dev);
}

static void lx_hwmon_devm_release(void *data)
{
	hwmon_device_unregister(data);
}

static struct device *lx_hwmon_devm(struct device *parent, struct device *hw)
{
	if (IS_ERR(hw))
		return hw;
	if (lx_devres_add(parent, lx_hwmon_devm_release, hw)) {
		hwmon_device_unregister(hw);
		return ERR_PTR(-ENOMEM);
	}
	return hw;
}

struct device *devm_hwmon_device_register_with_info(struct device *dev, const char *name, void *drvdata,
						    const struct hwmon_chip_info *info,
						    const struct attribute_group **extra_groups)
{
	if (!dev)
		return ERR_PTR(-EINVAL);
	return lx_hwmon_devm(dev, hwmon_device_register_with_info(dev, name, drvdata, info, extra_groups));
}

struct device *devm_hwmon_device_register_with_groups(struct device *dev, const char *name, void *drvdata,
						      const struct attribute_group **groups)
{
	if (!dev)
		return ERR_PTR(-EINVAL);
	return lx_hwmon_devm(dev, hwmon_device_register_with_groups(dev, name, drvdata, groups));
}

int hwmon_notify_event(struct device *dev, enum hwmon_sensor_types type, u32 attr, int channel)
{
	(void)dev, (void)type, (void)attr, (void)channel;
	return 0; /* no sysfs readers or thermal zones to notify */
}

/* A name hwmon accepts: '-', '*' and blanks become '_' (drivers/hwmon/hwmon.c). */
char *hwmon_sanitize_name(const char *name)
{
	char *out, *p;
	if (!name)
		return ERR_PTR(-EINVAL);
	out = kstrdup(name, GFP_KERNEL);
	if (!out)
		return ERR_PTR(-ENOMEM);
	for (p = out; *p; p++)
		if (strchr("-* \t\n", *p))
			*p = '_';
	return out;
}

static void lx_hwmon_kfree(void *p)
{
	kfree(p);
}

char *devm_hwmon_sanitize_name(struct device *dev, const char *name)
{
	char *out;
	if (!dev)
		return ERR_PTR(-EINVAL);
	out = hwmon_sanitize_name(name);
	if (!IS_ERR(out) && devm_add_action_or_reset(dev, lx_hwmon_kfree, out))
		return ERR_PTR(-ENOMEM);
	return out;
}
