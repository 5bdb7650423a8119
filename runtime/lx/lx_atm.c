/* lx_atm.c: the ATM core's device registry as a daemon has it (what
 * net/atm/resources.c does for an ATM adapter's driver: nicstar, he, ...).
 * A daemon has no ATM sockets, so no VCC can ever be open on a device:
 * registration numbers the device (the first free number, or the one asked
 * for), gives it its class device "<type><number>" (no sysfs, no
 * /proc/net/atm) and logs it; deregistration marks it removed and drops the
 * registry's reference, whose last put closes the device (ops->dev_close)
 * and frees it, as Linux's atm_dev_put does.  The accounting helpers
 * (atm_charge, atm_pcr_goal, ...) are net/atm/atm_misc.c, imported from the
 * tree (mappings/net.lua).  Without CONFIG_ATM nothing here is compiled. */
#include "lx_internal.h"
#include <linux/atmdev.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#if IS_ENABLED(CONFIG_ATM)

static LIST_HEAD(lx_atm_devs);
static DEFINE_MUTEX(lx_atm_mutex);

static void lx_atm_release(struct device *cdev)
{
	kfree(container_of(cdev, struct atm_dev, class_dev));
}

static struct atm_dev *lx_atm_find(int number)
{
	struct atm_dev *dev;
	list_for_each_entry(dev, &lx_atm_devs, dev_list)
		if (dev->number == number)
			return dev;
	return NULL;
}

struct atm_dev *atm_dev_lookup(int number)
{
	struct atm_dev *dev;
	mutex_lock(&lx_atm_mutex);
	dev = lx_atm_find(number);
	if (dev)
		atm_dev_hold(dev);
	mutex_unlock(&lx_atm_mutex);
	return dev;
}

struct atm_dev *atm_dev_register(const char *type, struct device *parent, const struct atmdev_ops *ops,
				 int number, unsigned long *flags)
{
	struct atm_dev *dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return NULL;
	dev->type = type;
	dev->signal = ATM_PHY_SIG_UNKNOWN;
	dev->link_rate = ATM_OC3_PCR;
	spin_lock_init(&dev->lock);
	INIT_LIST_HEAD(&dev->local);
	INIT_LIST_HEAD(&dev->lecs);
	mutex_lock(&lx_atm_mutex);
	if (number != -1) {
		if (lx_atm_find(number)) {
			mutex_unlock(&lx_atm_mutex);
			kfree(dev);
			return NULL;
		}
		dev->number = number;
	} else {
		while (lx_atm_find(dev->number))
			dev->number++;
	}
	dev->ops = ops;
	if (flags)
		dev->flags = *flags;
	refcount_set(&dev->refcnt, 1);
	device_initialize(&dev->class_dev);
	dev->class_dev.parent = parent;
	dev->class_dev.release = lx_atm_release;
	dev_set_name(&dev->class_dev, "%s%d", type, dev->number);
	list_add_tail(&dev->dev_list, &lx_atm_devs);
	mutex_unlock(&lx_atm_mutex);
	lx_log(KPI_LOG_INFO, "%s: ATM device registered (no ATM sockets in a daemon: no VCC can open)",
	       dev_name(&dev->class_dev));
	return dev;
}

void atm_dev_deregister(struct atm_dev *dev)
{
	BUG_ON(test_bit(ATM_DF_REMOVED, &dev->flags));
	set_bit(ATM_DF_REMOVED, &dev->flags);
	mutex_lock(&lx_atm_mutex);
	list_del(&dev->dev_list);
	mutex_unlock(&lx_atm_mutex);
	atm_dev_put(dev); /* no VCC to release: none can be open */
}

void atm_dev_signal_change(struct atm_dev *dev, char signal)
{
	WARN_ON(signal < ATM_PHY_SIG_LOST || signal > ATM_PHY_SIG_FOUND); /* as Linux: warned, kept */
	dev->signal = signal; /* Linux also tells the signalling daemon's sockets: none here */
}

#endif /* CONFIG_ATM */
