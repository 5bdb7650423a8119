/* lx_power.c: power-off and restart handlers (register_sys_off_handler &
 * co., kernel/reboot.c in Linux).  A daemon never powers the machine off or
 * restarts it, so a handler is registered and kept until it is
 * unregistered (or its device goes, for the devm_ form) but never called:
 * drivers that offer one (6.12's pvpanic reports a shutdown through its
 * device) work on without it. */
#include "lx_internal.h"
#include <linux/err.h>
#include <linux/reboot.h>
#include <linux/slab.h>

/* Opaque in the headers; ours. */
struct sys_off_handler {
	int (*callback)(struct sys_off_data *data);
	void *cb_data;
	enum sys_off_mode mode;
	int priority;
};

struct sys_off_handler *register_sys_off_handler(enum sys_off_mode mode, int priority,
						 int (*callback)(struct sys_off_data *data), void *cb_data)
{
	struct sys_off_handler *h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return ERR_PTR(-ENOMEM);
	h->mode = mode;
	h->priority = priority;
	h->callback = callback;
	h->cb_data = cb_data;
	return h;
}

void unregister_sys_off_handler(struct sys_off_handler *handler)
{
	if (!IS_ERR_OR_NULL(handler))
		kfree(handler);
}

static void lx_sys_off_release(void *handler)
{
	unregister_sys_off_handler(handler);
}

int devm_register_sys_off_handler(struct device *dev, enum sys_off_mode mode, int priority,
				  int (*callback)(struct sys_off_data *data), void *cb_data)
{
	struct sys_off_handler *h = register_sys_off_handler(mode, priority, callback, cb_data);
	if (IS_ERR(h))
		return PTR_ERR(h);
	return lx_devres_add(dev, lx_sys_off_release, h);
}
