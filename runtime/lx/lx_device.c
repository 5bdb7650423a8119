/* lx_device.c: the driver model as far as imported kernel subsystems need
 * it - buses, devices, drivers and their matching, children, reference
 * counts with release, bus notifiers, uevent variables, firmware-node
 * queries.  A PCI daemon's own function never goes through here (lx_pci.c
 * owns it); what does is a core compiled from the tree, e.g. the I2C core
 * (drivers/i2c/i2c-core-base.c) registering i2c_bus_type, its adapters and
 * its dummy driver.
 *
 * Semantics kept from drivers/base: device_add() needs a name, takes a
 * reference on the parent, puts the device on its bus, notifies
 * BUS_NOTIFY_ADD_DEVICE and probes the bus's drivers (bus->match, then
 * bus->probe or drv->probe); driver_register() probes the bus's devices;
 * device_del() unbinds (remove, then the device's devres), notifies and
 * leaves the bus; the last put_device() calls the release of the device,
 * its type or its class - the I2C core waits for exactly that
 * (i2c_del_adapter: dev_released).  Root devices (root_device_register)
 * are such devices without bus or parent.  Iterators hold a reference on
 * each device while its callback runs, so a callback may unregister it
 * (Linux's klists give the same guarantee).
 *
 * Left out because a daemon has none of it: sysfs, kobject hierarchy and
 * uevents (add_uevent_var formats into the buffer, nothing is sent),
 * device links, deferred probing, asynchronous probing, power management,
 * firmware descriptions (ACPI/DT: no fwnode properties). */
#include "lx_internal.h"
#include <linux/device.h>
#include <linux/kobject.h>
#include <linux/notifier.h>
#include <linux/property.h>
#include <linux/slab.h>

/* Opaque in the kernel headers (drivers/base/base.h in Linux); ours. */
struct subsys_private {
	struct list_head devices; /* struct device_private.bus_node, in add order */
	struct list_head drivers; /* struct driver_private.node */
	struct blocking_notifier_head notifier;
	const struct bus_type *bus;
	struct list_head node; /* on lx_buses */
	struct device *dev_root; /* subsys_system_register's root device */
};

struct driver_private {
	struct list_head node;
	struct device_driver *driver;
};

struct device_private {
	struct list_head bus_node; /* on the bus's list */
	struct list_head all_node; /* on lx_devices: children are found here */
	struct device *device;
};

static LIST_HEAD(lx_devices); /* every added device, in add order */

/* ---- buses ------------------------------------------------------------------------------------- */

/* A registered bus's private part, looked up by the bus: Linux found it
 * through bus_type.p until v6.3 and through its own list since; lx keeps
 * a list on every version. */
static LIST_HEAD(lx_buses);

static struct subsys_private *lx_bus_p(const struct bus_type *bus)
{
	struct subsys_private *p;
	if (!bus)
		return NULL;
	list_for_each_entry(p, &lx_buses, node)
		if (p->bus == bus)
			return p;
	return NULL;
}

int bus_register(LX_CONST_BUS struct bus_type *bus)
{
	struct subsys_private *p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	INIT_LIST_HEAD(&p->devices);
	INIT_LIST_HEAD(&p->drivers);
	BLOCKING_INIT_NOTIFIER_HEAD(&p->notifier);
	p->bus = bus;
	list_add_tail(&p->node, &lx_buses);
	return 0;
}

void bus_unregister(LX_CONST_BUS struct bus_type *bus)
{
	struct subsys_private *p = lx_bus_p(bus);
	if (!p)
		return;
	WARN(!list_empty(&p->devices) || !list_empty(&p->drivers), "bus %s unregistered while in use", bus->name);
	list_del(&p->node);
	if (p->dev_root)
		root_device_unregister(p->dev_root);
	kfree(p);
}

/* A system subsystem (drivers/base/bus.c): a bus with a root device of
 * its name, the parent its core hangs its devices on (the EDAC core). */
int subsys_system_register(LX_CONST_BUS struct bus_type *subsys, const struct attribute_group **groups)
{
	struct device *root;
	int rc;
	(void)groups;
	rc = bus_register(subsys);
	if (rc)
		return rc;
	root = __root_device_register(subsys->name, NULL);
	if (IS_ERR(root)) {
		bus_unregister(subsys);
		return PTR_ERR(root);
	}
	lx_bus_p(subsys)->dev_root = root;
#if !LX_HAVE_no_bus_dev_root
	subsys->dev_root = root; /* the field is gone since v6.4: bus_get_dev_root() */
#endif
	return 0;
}

#if LX_HAVE_no_bus_dev_root
struct device *bus_get_dev_root(const struct bus_type *bus)
{
	struct subsys_private *p = lx_bus_p(bus);
	return p ? get_device(p->dev_root) : NULL;
}
#endif

int bus_register_notifier(LX_CONST_BUS struct bus_type *bus, struct notifier_block *nb)
{
	if (!lx_bus_p(bus))
		return -EINVAL;
	return blocking_notifier_chain_register(&lx_bus_p(bus)->notifier, nb);
}

int bus_unregister_notifier(LX_CONST_BUS struct bus_type *bus, struct notifier_block *nb)
{
	if (!lx_bus_p(bus))
		return -EINVAL;
	return blocking_notifier_chain_unregister(&lx_bus_p(bus)->notifier, nb);
}

static void lx_bus_notify(struct device *dev, unsigned long event)
{
	if (dev->bus && lx_bus_p(dev->bus))
		blocking_notifier_call_chain(&lx_bus_p(dev->bus)->notifier, event, dev);
}

/* The devices of a list, each with a reference, so callbacks may remove
 * any of them; NULL-terminated, kfree() it after lx_put_all(). */
static struct device **lx_grab(struct list_head *head, size_t node_off, struct device *start)
{
	struct list_head *pos;
	struct device **v;
	size_t n = 0, i = 0;
	int started = !start;
	list_for_each(pos, head)
		n++;
	v = kcalloc(n + 1, sizeof(*v), GFP_KERNEL);
	if (!v)
		return NULL;
	list_for_each(pos, head) {
		struct device_private *dp = (struct device_private *)((char *)pos - node_off);
		if (started)
			v[i++] = get_device(dp->device);
		else if (dp->device == start)
			started = 1;
	}
	return v;
}

static void lx_put_all(struct device **v)
{
	size_t i;
	for (i = 0; v && v[i]; i++)
		put_device(v[i]);
	kfree(v);
}

int bus_for_each_dev(LX_CONST_BUS struct bus_type *bus, struct device *start, void *data,
		     int (*fn)(struct device *, void *))
{
	struct device **v;
	int i, rc = 0;
	if (!bus || !lx_bus_p(bus))
		return -EINVAL;
	v = lx_grab(&lx_bus_p(bus)->devices, offsetof(struct device_private, bus_node), start);
	if (!v)
		return -ENOMEM;
	for (i = 0; v[i] && !rc; i++)
		if (v[i]->p) /* not deleted by an earlier callback */
			rc = fn(v[i], data);
	lx_put_all(v);
	return rc;
}

struct device *bus_find_device(LX_CONST_BUS struct bus_type *bus, struct device *start, const void *data,
			       int (*match)(struct device *dev, const void *data))
{
	struct device **v, *found = NULL;
	int i;
	if (!bus || !lx_bus_p(bus))
		return NULL;
	v = lx_grab(&lx_bus_p(bus)->devices, offsetof(struct device_private, bus_node), start);
	for (i = 0; v && v[i] && !found; i++)
		if (v[i]->p && match(v[i], data))
			found = get_device(v[i]);
	lx_put_all(v);
	return found;
}

int bus_for_each_drv(LX_CONST_BUS struct bus_type *bus, struct device_driver *start, void *data,
		     int (*fn)(struct device_driver *, void *))
{
	struct driver_private *dp, *next;
	int rc = 0, started = !start;
	if (!bus || !lx_bus_p(bus))
		return -EINVAL;
	/* Drivers come and go only from tasks that hold the bus's users'
	 * locks (Linux: the klist); the next one is taken before the call. */
	list_for_each_entry_safe(dp, next, &lx_bus_p(bus)->drivers, node) {
		if (!started) {
			started = dp->driver == start;
			continue;
		}
		rc = fn(dp->driver, data);
		if (rc)
			break;
	}
	return rc;
}

/* ---- binding ----------------------------------------------------------------------------------- */

static int lx_probe(struct device *dev, struct device_driver *drv)
{
	int rc;
	if (dev->driver || (dev->bus->match && dev->bus->match(dev, drv) <= 0))
		return 0;
	dev->driver = drv;
	lx_bus_notify(dev, BUS_NOTIFY_BIND_DRIVER);
	if (dev->bus->probe)
		rc = dev->bus->probe(dev);
	else
		rc = drv->probe ? drv->probe(dev) : 0;
	if (rc) {
		lx_devres_release_all(dev);
		dev->driver = NULL;
		lx_bus_notify(dev, BUS_NOTIFY_DRIVER_NOT_BOUND);
		if (rc != -ENODEV && rc != -ENXIO)
			dev_warn(dev, "probe with driver %s failed: %pe\n", drv->name, ERR_PTR(rc));
		return 0;
	}
	lx_bus_notify(dev, BUS_NOTIFY_BOUND_DRIVER);
	return 1;
}

static void lx_unbind(struct device *dev)
{
	if (!dev->driver)
		return;
	lx_bus_notify(dev, BUS_NOTIFY_UNBIND_DRIVER);
	if (dev->bus && dev->bus->remove)
		dev->bus->remove(dev);
	else if (dev->driver->remove)
		dev->driver->remove(dev);
	lx_devres_release_all(dev);
	dev->driver = NULL;
	lx_bus_notify(dev, BUS_NOTIFY_UNBOUND_DRIVER);
}

/* ---- devices ----------------------------------------------------------------------------------- */

void device_initialize(struct device *dev)
{
	kref_init(&dev->kobj.kref);
	dev->kobj.state_initialized = 1;
	INIT_LIST_HEAD(&dev->dma_pools);
	mutex_init(&dev->mutex);
	spin_lock_init(&dev->devres_lock);
	INIT_LIST_HEAD(&dev->devres_head);
	INIT_LIST_HEAD(&dev->links.consumers);
	INIT_LIST_HEAD(&dev->links.suppliers);
	INIT_LIST_HEAD(&dev->links.defer_sync);
	dev->links.status = DL_DEV_NO_DRIVER;
}

int device_add(struct device *dev)
{
	struct device_private *p;
	int rc;
	if (!dev || !kref_read(&dev->kobj.kref))
		return -EINVAL;
	if (dev->init_name) {
		rc = dev_set_name(dev, "%s", dev->init_name);
		if (rc)
			return rc;
		dev->init_name = NULL;
	}
	if (!dev_name(dev) && dev->bus && dev->bus->dev_name)
		dev_set_name(dev, "%s%u", dev->bus->dev_name, dev->id);
	if (!dev_name(dev))
		return -EINVAL;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->device = dev;
	INIT_LIST_HEAD(&p->bus_node);
	dev->p = p;
	get_device(dev->parent);
	list_add_tail(&p->all_node, &lx_devices);
	dev->kobj.state_in_sysfs = 1;
	if (dev->bus && lx_bus_p(dev->bus)) {
		list_add_tail(&p->bus_node, &lx_bus_p(dev->bus)->devices);
		lx_bus_notify(dev, BUS_NOTIFY_ADD_DEVICE);
		{
			struct driver_private *dp, *next;
			list_for_each_entry_safe(dp, next, &lx_bus_p(dev->bus)->drivers, node)
				if (lx_probe(dev, dp->driver))
					break;
		}
	}
	return 0;
}

int device_register(struct device *dev)
{
	device_initialize(dev);
	return device_add(dev);
}

void device_del(struct device *dev)
{
	struct device_private *p = dev->p;
	if (!p)
		return;
	lx_bus_notify(dev, BUS_NOTIFY_DEL_DEVICE);
	lx_unbind(dev);
	list_del_init(&p->bus_node);
	list_del(&p->all_node);
	dev->kobj.state_in_sysfs = 0;
	lx_bus_notify(dev, BUS_NOTIFY_REMOVED_DEVICE);
	dev->p = NULL;
	kfree(p);
	put_device(dev->parent);
}

void device_unregister(struct device *dev)
{
	device_del(dev);
	put_device(dev);
}

/* A snapshot of parent's children (referenced), so fn may remove them;
 * `reverse`: last added first (the MFD core removes its cells so). */
static int lx_each_child(struct device *parent, void *data, int (*fn)(struct device *dev, void *data),
			 int reverse)
{
	struct device_private *p;
	struct device **v;
	size_t n = 0, i = 0;
	int rc = 0;
	list_for_each_entry(p, &lx_devices, all_node)
		n += p->device->parent == parent;
	v = kcalloc(n + 1, sizeof(*v), GFP_KERNEL);
	if (!v)
		return -ENOMEM;
	if (reverse) {
		list_for_each_entry_reverse(p, &lx_devices, all_node)
			if (p->device->parent == parent)
				v[i++] = get_device(p->device);
	} else {
		list_for_each_entry(p, &lx_devices, all_node)
			if (p->device->parent == parent)
				v[i++] = get_device(p->device);
	}
	for (i = 0; v[i] && !rc; i++)
		if (v[i]->p)
			rc = fn(v[i], data);
	lx_put_all(v);
	return rc;
}

int device_for_each_child(struct device *parent, void *data, int (*fn)(struct device *dev, void *data))
{
	return lx_each_child(parent, data, fn, 0);
}

int device_for_each_child_reverse(struct device *parent, void *data, int (*fn)(struct device *dev, void *data))
{
	return lx_each_child(parent, data, fn, 1);
}

/* The device's own release, else its type's, else its class's - Linux's
 * device_release() order. */
static void lx_device_release(struct kref *kref)
{
	struct device *dev = container_of(kref, struct device, kobj.kref);
	const char *name = dev->kobj.name;
	/* Linux frees the name after release (kobject_cleanup); release may
	 * free dev, so keep the pointer. */
	if (dev->release)
		dev->release(dev);
	else if (dev->type && dev->type->release)
		dev->type->release(dev);
	else if (dev->class && dev->class->dev_release)
		dev->class->dev_release(dev);
	else
		return; /* a device the runtime owns (lx_pci.c, lx_net.c): nothing to free */
	kfree_const(name);
}

struct device *get_device(struct device *dev)
{
	if (dev)
		kref_get(&dev->kobj.kref);
	return dev;
}

void put_device(struct device *dev)
{
	if (dev)
		kref_put(&dev->kobj.kref, lx_device_release);
}

/* A root device (drivers/base/core.c): a parentless, busless device that
 * test modules and virtual subsystems hang devres allocations or children
 * on.  No sysfs link to its module, so owner is kept only. */
struct lx_root_device {
	struct device dev;
	struct module *owner;
};

static void lx_root_device_release(struct device *dev)
{
	kfree(container_of(dev, struct lx_root_device, dev));
}

struct device *__root_device_register(const char *name, struct module *owner)
{
	struct lx_root_device *root = kzalloc(sizeof(*root), GFP_KERNEL);
	int rc;
	if (!root)
		return ERR_PTR(-ENOMEM);
	rc = dev_set_name(&root->dev, "%s", name);
	if (rc) {
		kfree(root);
		return ERR_PTR(rc);
	}
	root->dev.release = lx_root_device_release;
	root->owner = owner;
	rc = device_register(&root->dev);
	if (rc) {
		put_device(&root->dev);
		return ERR_PTR(rc);
	}
	return &root->dev;
}

void root_device_unregister(struct device *dev)
{
	device_unregister(dev);
}

/* ---- class devices (device_create): what a subsystem core makes for each
 * of its character-device minors (the Comedi core: comedi0, comedi0_subd1).
 * No sysfs and no device node here; the device is a driver-model device
 * like any other (a child of its parent, drvdata, the devt kept), found
 * again by class and devt for device_destroy(). ------------------------------------------------ */

static void lx_class_device_release(struct device *dev)
{
	kfree(dev);
}

static struct device *lx_device_create_vargs(LX_CONST_class struct class *cls, struct device *parent, dev_t devt,
					     void *drvdata, const struct attribute_group **groups,
					     const char *fmt, va_list ap)
{
	struct device *dev;
	int rc;
	if (IS_ERR_OR_NULL(cls))
		return ERR_PTR(-ENODEV);
	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return ERR_PTR(-ENOMEM);
	device_initialize(dev);
	dev->devt = devt;
	dev->class = cls;
	dev->parent = parent;
	dev->groups = groups;
	dev->release = lx_class_device_release;
	dev_set_drvdata(dev, drvdata);
	dev->kobj.name = kvasprintf_const(GFP_KERNEL, fmt, ap); /* lib/kobject.c may be imported: not its setter */
	rc = dev->kobj.name ? device_add(dev) : -ENOMEM;
	if (rc) {
		put_device(dev);
		return ERR_PTR(rc);
	}
	return dev;
}

struct device *device_create(LX_CONST_class struct class *cls, struct device *parent, dev_t devt, void *drvdata,
			     const char *fmt, ...)
{
	struct device *dev;
	va_list ap;
	va_start(ap, fmt);
	dev = lx_device_create_vargs(cls, parent, devt, drvdata, NULL, fmt, ap);
	va_end(ap);
	return dev;
}

struct device *device_create_with_groups(LX_CONST_class struct class *cls, struct device *parent, dev_t devt,
					 void *drvdata, const struct attribute_group **groups, const char *fmt, ...)
{
	struct device *dev;
	va_list ap;
	va_start(ap, fmt);
	dev = lx_device_create_vargs(cls, parent, devt, drvdata, groups, fmt, ap);
	va_end(ap);
	return dev;
}

void device_destroy(LX_CONST_class struct class *cls, dev_t devt)
{
	struct device_private *p;
	struct device *dev = NULL;
	list_for_each_entry(p, &lx_devices, all_node)
		if (p->device->class == cls && p->device->devt == devt) {
			dev = p->device;
			break;
		}
	if (dev)
		device_unregister(dev);
}

/* ---- drivers ----------------------------------------------------------------------------------- */

int driver_register(struct device_driver *drv)
{
	struct driver_private *p;
	struct device **v;
	int i;
	if (!drv->bus || !lx_bus_p(drv->bus))
		return -EINVAL;
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->driver = drv;
	drv->p = p;
	list_add_tail(&p->node, &lx_bus_p(drv->bus)->drivers);
	v = lx_grab(&lx_bus_p(drv->bus)->devices, offsetof(struct device_private, bus_node), NULL);
	for (i = 0; v && v[i]; i++)
		if (v[i]->p)
			lx_probe(v[i], drv);
	lx_put_all(v);
	return 0;
}

/* Binding on request (drivers/base/dd.c), as a subsystem core asks for it
 * (the gameport core binds a port to the driver its connect() chose). */
int driver_attach(LX_CONST_DRIVER struct device_driver *cdrv)
{
	struct device_driver *drv = (struct device_driver *)cdrv;
	struct device **v;
	int i;
	if (!drv->bus || !lx_bus_p(drv->bus))
		return -EINVAL;
	v = lx_grab(&lx_bus_p(drv->bus)->devices, offsetof(struct device_private, bus_node), NULL);
	for (i = 0; v && v[i]; i++)
		if (v[i]->p)
			lx_probe(v[i], drv);
	lx_put_all(v);
	return 0;
}

int device_attach(struct device *dev)
{
	struct driver_private *dp, *next;
	if (dev->driver)
		return 1;
	if (!dev->bus || !lx_bus_p(dev->bus))
		return 0;
	list_for_each_entry_safe(dp, next, &lx_bus_p(dev->bus)->drivers, node)
		if (lx_probe(dev, dp->driver))
			return 1;
	return 0;
}

/* Unbind dev from its driver, then bind it to the first of its bus's
 * drivers that matches and probes (drivers/base/bus.c: the HID core
 * rebinds a device when a more specific driver registers).  0, or a
 * negative device_attach result. */
int device_reprobe(struct device *dev)
{
	int rc;
	if (dev->driver)
		lx_unbind(dev);
	rc = device_attach(dev);
	return rc < 0 ? rc : 0;
}

static int lx_rescan_one(struct device *dev, void *data)
{
	int rc = 0;
	(void)data;
	if (!dev->driver)
		rc = device_attach(dev);
	return rc < 0 ? rc : 0;
}

/* Offer every unbound device of the bus to its drivers again. */
int bus_rescan_devices(LX_CONST_BUS struct bus_type *bus)
{
	return bus_for_each_dev(bus, NULL, NULL, lx_rescan_one);
}

/* dev->driver set by the caller, no probe: the device counts as bound. */
int device_bind_driver(struct device *dev)
{
	if (!dev->driver)
		return -EINVAL;
	lx_bus_notify(dev, BUS_NOTIFY_BOUND_DRIVER);
	return 0;
}

void device_release_driver(struct device *dev)
{
	lx_unbind(dev);
}

struct device_driver *driver_find(const char *name, LX_CONST_BUS struct bus_type *bus)
{
	struct subsys_private *p = lx_bus_p(bus);
	struct driver_private *dp;
	if (!p)
		return NULL;
	list_for_each_entry(dp, &p->drivers, node)
		if (!strcmp(dp->driver->name, name))
			return dp->driver;
	return NULL;
}

static int lx_unbind_from(struct device *dev, void *drv)
{
	if (dev->driver == drv)
		lx_unbind(dev);
	return 0;
}

void driver_unregister(struct device_driver *drv)
{
	struct driver_private *p = drv->p;
	if (!p)
		return;
	bus_for_each_dev(drv->bus, NULL, drv, lx_unbind_from);
	list_del(&p->node);
	drv->p = NULL;
	kfree(p);
}

/* The driver's name, else the bus's, else the class's (dev_printk's prefix). */
const char *dev_driver_string(const struct device *dev)
{
	struct device_driver *drv = READ_ONCE(dev->driver);
	if (drv && drv->name)
		return drv->name;
	if (dev->bus && dev->bus->name)
		return dev->bus->name;
	return dev->class && dev->class->name ? dev->class->name : "";
}

/* ---- uevents: formatted, never sent.  Nothing listens in a daemon (no
 * udev, no uevent helper): kobject_uevent() returns what Linux returns
 * when no listener is there, 0, and says at debug level what it dropped. */
int kobject_uevent_env(struct kobject *kobj, enum kobject_action action, char *envp_ext[])
{
	(void)envp_ext;
	if (!kobj)
		return -EINVAL;
	lx_log(KPI_LOG_DEBUG, "uevent %d for %s: no listener in a daemon", (int)action,
	       kobj->name ? kobj->name : "?");
	return 0;
}

int kobject_uevent(struct kobject *kobj, enum kobject_action action)
{
	return kobject_uevent_env(kobj, action, NULL);
}

/* ---- uevents: formatted, never sent (a daemon has no kobject_uevent) ---------------------------- */

int add_uevent_var(struct kobj_uevent_env *env, const char *format, ...)
{
	va_list args;
	int len;
	if (env->envp_idx >= ARRAY_SIZE(env->envp))
		return -ENOMEM;
	va_start(args, format);
	len = lx_vsnprintf(&env->buf[env->buflen], sizeof(env->buf) - env->buflen, format, args);
	va_end(args);
	if (len >= (int)(sizeof(env->buf) - env->buflen))
		return -ENOMEM;
	env->envp[env->envp_idx++] = &env->buf[env->buflen];
	env->buflen += len + 1;
	return 0;
}

/* ---- firmware nodes: a PCI daemon has no ACPI or device-tree description ----------------------- */

struct fwnode_handle *__dev_fwnode(struct device *dev)
{
	return dev->fwnode;
}

const struct fwnode_handle *__dev_fwnode_const(const struct device *dev)
{
	return dev->fwnode;
}

int device_match_fwnode(struct device *dev, const void *fwnode)
{
	return dev->fwnode && dev->fwnode == fwnode;
}

const void *device_get_match_data(const struct device *dev)
{
	(void)dev;
	return NULL;
}

/* Software nodes (drivers/base/swnode.c): a subsystem core gives a device
 * it creates a node of built-in properties (the I2C core, a client's
 * i2c_board_info.swnode).  lx keeps the node per device and the property
 * queries read it; there is no fwnode graph (no parent/child walks, no
 * references), so dev->fwnode stays unset. */
struct lx_swnode_link {
	struct list_head node;
	struct device *dev;
	const struct software_node *swnode;
};

static LIST_HEAD(lx_swnode_links);

static struct lx_swnode_link *lx_swnode_link(const struct device *dev)
{
	struct lx_swnode_link *l;
	list_for_each_entry(l, &lx_swnode_links, node)
		if (l->dev == dev)
			return l;
	return NULL;
}

int device_add_software_node(struct device *dev, const struct software_node *node)
{
	struct lx_swnode_link *l;
	if (!node)
		return -EINVAL;
	if (lx_swnode_link(dev))
		return -EBUSY;
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	l->dev = dev;
	l->swnode = node;
	list_add_tail(&l->node, &lx_swnode_links);
	return 0;
}

void device_remove_software_node(struct device *dev)
{
	struct lx_swnode_link *l = lx_swnode_link(dev);
	if (l) {
		list_del(&l->node);
		kfree(l);
	}
}

const struct property_entry *lx_device_property(const struct device *dev, const char *propname)
{
	struct lx_swnode_link *l = lx_swnode_link(dev);
	const struct property_entry *p;
	if (!l || !l->swnode->properties || !propname)
		return NULL;
	for (p = l->swnode->properties; p->name; p++)
		if (!strcmp(p->name, propname))
			return p;
	return NULL;
}

/* A firmware node's integer array through its own operations (a node some
 * core made with ops), as drivers/base/property.c; none (NULL): -EINVAL. */
int fwnode_property_read_u32_array(const struct fwnode_handle *fwnode, const char *propname, u32 *val, size_t nval)
{
	if (IS_ERR_OR_NULL(fwnode))
		return -EINVAL;
	if (!fwnode->ops || !fwnode->ops->property_read_int_array)
		return -ENXIO;
	return fwnode->ops->property_read_int_array(fwnode, propname, sizeof(u32), val, nval);
}

/* A software node's string property, else no properties: what Linux
 * answers for a device without a firmware node. */
int device_property_match_string(LX_CONST_PROPERTY_DEV struct device *dev, const char *propname,
				 const char *string)
{
	const struct property_entry *p = lx_device_property(dev, propname);
	const char *const *v;
	size_t i, n;
	if (!p)
		return -EINVAL;
	if (p->type != DEV_PROP_STRING)
		return -EPROTO;
	v = p->is_inline ? p->value.str : p->pointer;
	n = p->length / sizeof(const char *);
	for (i = 0; i < n; i++)
		if (v[i] && !strcmp(v[i], string))
			return (int)i;
	return -ENODATA;
}
