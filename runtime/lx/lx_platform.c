/* lx_platform.c: the platform bus (drivers/base/platform.c) on the runtime's
 * driver model (lx_device.c).  A PCI driver registers platform devices for
 * its functions' sub-blocks (an SMBus controller's watchdog, a south
 * bridge's hardware monitor: vt8231 and via686a create "vt8231"/"via686a"
 * devices from their PCI probe and drive them from a platform driver of
 * the same module), and MFD cores do it for every cell.
 *
 * Kept from Linux: device names (name, name.id, name.N.auto), resources
 * and platform data copied into the device, matching by the driver's ID
 * table then by driver name, probe/remove through the bus, the last
 * put_device() freeing what platform_device_alloc() made.  A device no
 * driver of the daemon matches stays registered and unbound, as in Linux
 * when the module that would drive it is not loaded.
 * Left out: resources are not inserted into the system's resource tree
 * (the driver's own request_region() claims them, lx_resource.c), no DMA
 * masks, no driver_override, no software-node properties from
 * platform_device_info.properties (refused: the runtime has no
 * property sets to attach), no power management. */
#include "lx_internal.h"
#include <linux/device.h>
#include <linux/ioport.h>
#include <linux/mod_devicetable.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

static const struct platform_device_id *lx_platform_match_id(const struct platform_device_id *id,
							     struct platform_device *pdev)
{
	for (; id && id->name[0]; id++)
		if (!strcmp(pdev->name, id->name)) {
			pdev->id_entry = id;
			return id;
		}
	return NULL;
}

static int lx_platform_match(struct device *dev, struct device_driver *drv)
{
	struct platform_device *pdev = to_platform_device(dev);
	struct platform_driver *pdrv = to_platform_driver(drv);
	if (pdrv->id_table)
		return lx_platform_match_id(pdrv->id_table, pdev) != NULL;
	return !strcmp(pdev->name, drv->name);
}

static int lx_platform_probe(struct device *dev)
{
	struct platform_driver *drv = to_platform_driver(dev->driver);
	return drv->probe ? drv->probe(to_platform_device(dev)) : 0;
}

static void lx_platform_remove(struct device *dev)
{
	struct platform_driver *drv = to_platform_driver(dev->driver);
	struct platform_device *pdev = to_platform_device(dev);
	/* v6.11 made .remove return void (one union with .remove_new) */
	if (drv->remove_new)
		drv->remove_new(pdev);
	else if (drv->remove)
		drv->remove(pdev);
}

LX_CONST_PLATFORM_BUS struct bus_type platform_bus_type = { /* const since v6.4: lx_compat.h */
	.name = "platform",
	/* the driver argument is const since v6.11: whatever this tree declares */
	.match = (__typeof__(((struct bus_type *)0)->match))lx_platform_match,
	.probe = lx_platform_probe,
	.remove = (__typeof__(((struct bus_type *)0)->remove))lx_platform_remove,
};

static int lx_platform_bus_ready(void)
{
	static int done;
	int rc;
	if (done)
		return 0;
	rc = bus_register(&platform_bus_type);
	if (!rc)
		done = 1;
	return rc;
}

/* ---- devices ------------------------------------------------------------------------------------ */

struct lx_platform_object {
	struct platform_device pdev;
	char name[];
};

static int lx_platform_next_auto_id; /* Linux reuses freed ids (an IDA); lx counts up */

static void lx_platform_release(struct device *dev)
{
	struct lx_platform_object *o = container_of(dev, struct lx_platform_object, pdev.dev);
	kfree(o->pdev.dev.platform_data);
	kfree(o->pdev.mfd_cell);
	kfree(o->pdev.resource);
	kfree(o);
}

struct platform_device *platform_device_alloc(const char *name, int id)
{
	size_t n = strlen(name) + 1;
	struct lx_platform_object *o = kzalloc(sizeof(*o) + n, GFP_KERNEL);
	if (!o)
		return NULL;
	memcpy(o->name, name, n);
	o->pdev.name = o->name;
	o->pdev.id = id;
	device_initialize(&o->pdev.dev);
	o->pdev.dev.release = lx_platform_release;
	return &o->pdev;
}

int platform_device_add_resources(struct platform_device *pdev, const struct resource *res, unsigned int num)
{
	struct resource *r = NULL;
	if (res && num) {
		r = kmemdup(res, sizeof(*res) * num, GFP_KERNEL);
		if (!r)
			return -ENOMEM;
	}
	kfree(pdev->resource);
	pdev->resource = r;
	pdev->num_resources = r ? num : 0;
	return 0;
}

int platform_device_add_data(struct platform_device *pdev, const void *data, size_t size)
{
	void *d = NULL;
	if (data && size) {
		d = kmemdup(data, size, GFP_KERNEL);
		if (!d)
			return -ENOMEM;
	}
	kfree(pdev->dev.platform_data);
	pdev->dev.platform_data = d;
	return 0;
}

int platform_device_add(struct platform_device *pdev)
{
	int rc = lx_platform_bus_ready();
	if (rc)
		return rc;
	pdev->dev.bus = &platform_bus_type;
	switch (pdev->id) {
	case PLATFORM_DEVID_NONE:
		rc = dev_set_name(&pdev->dev, "%s", pdev->name);
		break;
	case PLATFORM_DEVID_AUTO:
		pdev->id = lx_platform_next_auto_id++;
		pdev->id_auto = true;
		rc = dev_set_name(&pdev->dev, "%s.%d.auto", pdev->name, pdev->id);
		break;
	default:
		rc = dev_set_name(&pdev->dev, "%s.%d", pdev->name, pdev->id);
		break;
	}
	if (!rc)
		rc = device_add(&pdev->dev);
	if (rc && pdev->id_auto) {
		pdev->id = PLATFORM_DEVID_AUTO;
		pdev->id_auto = false;
	}
	return rc;
}

void platform_device_del(struct platform_device *pdev)
{
	if (IS_ERR_OR_NULL(pdev))
		return;
	device_del(&pdev->dev);
	if (pdev->id_auto) {
		pdev->id = PLATFORM_DEVID_AUTO;
		pdev->id_auto = false;
	}
}

void platform_device_put(struct platform_device *pdev)
{
	if (!IS_ERR_OR_NULL(pdev))
		put_device(&pdev->dev);
}

int platform_device_register(struct platform_device *pdev)
{
	device_initialize(&pdev->dev);
	return platform_device_add(pdev);
}

void platform_device_unregister(struct platform_device *pdev)
{
	if (IS_ERR_OR_NULL(pdev))
		return;
	platform_device_del(pdev);
	platform_device_put(pdev);
}

struct platform_device *platform_device_register_full(const struct platform_device_info *info)
{
	struct platform_device *pdev;
	int rc;
	if (info->properties) {
		lx_log(KPI_LOG_WARNING, "platform device %s: property sets are not supported here", info->name);
		return ERR_PTR(-EOPNOTSUPP);
	}
	pdev = platform_device_alloc(info->name, info->id);
	if (!pdev)
		return ERR_PTR(-ENOMEM);
	pdev->dev.parent = info->parent;
	pdev->dev.fwnode = info->fwnode;
	rc = platform_device_add_resources(pdev, info->res, info->num_res);
	if (!rc)
		rc = platform_device_add_data(pdev, info->data, info->size_data);
	if (!rc)
		rc = platform_device_add(pdev);
	if (rc) {
		platform_device_put(pdev);
		return ERR_PTR(rc);
	}
	return pdev;
}

/* ---- resources ---------------------------------------------------------------------------------- */

struct resource *platform_get_resource(struct platform_device *dev, unsigned int type, unsigned int num)
{
	u32 i;
	for (i = 0; i < dev->num_resources; i++) {
		struct resource *r = &dev->resource[i];
		if (type == resource_type(r) && num-- == 0)
			return r;
	}
	return NULL;
}

struct resource *platform_get_resource_byname(struct platform_device *dev, unsigned int type, const char *name)
{
	u32 i;
	for (i = 0; i < dev->num_resources; i++) {
		struct resource *r = &dev->resource[i];
		if (type == resource_type(r) && r->name && !strcmp(r->name, name))
			return r;
	}
	return NULL;
}

int platform_get_irq_optional(struct platform_device *dev, unsigned int num)
{
	struct resource *r = platform_get_resource(dev, IORESOURCE_IRQ, num);
	if (!r)
		return -ENXIO;
	return r->flags & IORESOURCE_DISABLED ? -ENXIO : (int)r->start;
}

int platform_get_irq(struct platform_device *dev, unsigned int num)
{
	int irq = platform_get_irq_optional(dev, num);
	if (irq < 0)
		dev_err(&dev->dev, "IRQ index %u not found\n", num);
	return irq;
}

/* ---- drivers ------------------------------------------------------------------------------------ */

int __platform_driver_register(struct platform_driver *drv, struct module *owner)
{
	int rc = lx_platform_bus_ready();
	if (rc)
		return rc;
	drv->driver.owner = owner;
	drv->driver.bus = &platform_bus_type;
	return driver_register(&drv->driver);
}

void platform_driver_unregister(struct platform_driver *drv)
{
	driver_unregister(&drv->driver);
}
