/* lx_irqdomain.c: interrupt domains that hold no mappings.  An imported
 * subsystem creates a domain for interrupts it demultiplexes in software -
 * the I2C core's Host Notify domain (one virtual IRQ per client address,
 * raised when a device notifies the SMBus host) - and registering an
 * adapter fails if the domain cannot be created.  Delivering such virtual
 * interrupts would need IRQ descriptors and flow handlers the runtime does
 * not have (its interrupt numbers are host vectors, lx_irq.c), so a domain
 * exists but mapping into it fails: a client asking for a Host Notify IRQ
 * gets none (-ENXIO from the core, as on an adapter without Host Notify)
 * and a notification finds no mapping and is dropped, logged once. */
#include "lx_internal.h"
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/irqdomain.h>
#include <linux/slab.h>

#ifdef CONFIG_IRQ_DOMAIN
static struct irq_domain *lx_domain_new(struct fwnode_handle *fwnode, irq_hw_number_t hwirq_max,
					const struct irq_domain_ops *ops, void *host_data)
{
	struct irq_domain *d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return NULL;
	d->fwnode = fwnode;
	d->ops = ops;
	d->host_data = host_data;
	d->hwirq_max = hwirq_max;
	d->name = "lx";
	INIT_LIST_HEAD(&d->link);
	lx_irq_domain_init_lock(d);
	return d;
}

/* How a domain is made depends on the version (lx_compat.h). */
#if LX_WANT___irq_domain_add
struct irq_domain *__irq_domain_add(struct fwnode_handle *fwnode, unsigned int size, irq_hw_number_t hwirq_max,
				    int direct_max, const struct irq_domain_ops *ops, void *host_data)
{
	(void)size, (void)direct_max;
	return lx_domain_new(fwnode, hwirq_max, ops, host_data);
}
#endif

#if LX_WANT_irq_domain_instantiate
struct irq_domain *irq_domain_instantiate(const struct irq_domain_info *info)
{
	struct irq_domain *d = lx_domain_new(info->fwnode, info->hwirq_max, info->ops, info->host_data);
	int rc;
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->bus_token = info->bus_token;
	d->exit = info->exit;
	if (info->init) {
		rc = info->init(d);
		if (rc) {
			kfree(d);
			return ERR_PTR(rc);
		}
	}
	return d;
}
#endif

void irq_domain_remove(struct irq_domain *domain)
{
	kfree(domain);
}

unsigned int irq_create_mapping_affinity(struct irq_domain *domain, irq_hw_number_t hwirq,
					 const struct irq_affinity_desc *affinity)
{
	static bool said;
	(void)affinity;
	if (!said) {
		said = true;
		lx_log(KPI_LOG_NOTICE, "irq domain: no virtual interrupt for hwirq %lu (software-demultiplexed "
		       "interrupts are not delivered by the runtime)", (unsigned long)hwirq);
	}
	(void)domain;
	return 0;
}

struct irq_desc *__irq_resolve_mapping(struct irq_domain *domain, irq_hw_number_t hwirq, unsigned int *irq)
{
	(void)domain, (void)hwirq;
	if (irq)
		*irq = 0;
	return NULL;
}

void irq_dispose_mapping(unsigned int virq)
{
	(void)virq; /* never mapped */
}
#endif /* CONFIG_IRQ_DOMAIN */

/* ---- interrupt descriptors: lx keeps none (its interrupt numbers are host
 * vectors, lx_irq.c), so the descriptor calls answer as Linux does for a
 * number no descriptor was allocated for: no irq_data, setting a chip or
 * flow handler does nothing, handling it fails with -EINVAL.  A flow
 * handler given a descriptor (by a core that made its own) runs its
 * actions as Linux's handle_simple_irq() does. */
struct irq_data *irq_get_irq_data(unsigned int irq)
{
	(void)irq;
	return NULL;
}

void irq_set_chip_and_handler_name(unsigned int irq, const struct irq_chip *chip, irq_flow_handler_t handle,
				   const char *name)
{
	(void)chip, (void)handle, (void)name;
	lx_log(KPI_LOG_WARNING, "irq %u: no descriptor to set a chip and flow handler on", irq);
}

int generic_handle_irq_safe(unsigned int irq)
{
	(void)irq;
	return -EINVAL;
}

void handle_simple_irq(struct irq_desc *desc)
{
	struct irqaction *a;
	for (a = desc->action; a; a = a->next)
		a->handler(desc->irq_data.irq, a->dev_id);
}

/* kernel/irq/dummychip.c: the chip of interrupts demultiplexed in software
 * (the I2C core's Host Notify mappings); every operation does nothing. */
static void lx_dummy_irq_op(struct irq_data *data)
{
	(void)data;
}

static unsigned int lx_dummy_irq_startup(struct irq_data *data)
{
	(void)data;
	return 0;
}

struct irq_chip dummy_irq_chip = {
	.name = "dummy",
	.irq_startup = lx_dummy_irq_startup,
	.irq_shutdown = lx_dummy_irq_op,
	.irq_enable = lx_dummy_irq_op,
	.irq_disable = lx_dummy_irq_op,
	.irq_ack = lx_dummy_irq_op,
	.irq_mask = lx_dummy_irq_op,
	.irq_unmask = lx_dummy_irq_op,
	.flags = IRQCHIP_SKIP_SET_WAKE,
};
