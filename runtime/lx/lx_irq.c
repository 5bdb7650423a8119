/* lx_irq.c: request_threaded_irq and friends on the host's interrupt events.
 *
 * A host interrupt (KPI_EV_IRQ) reaches the descriptor's kit_evh in the loop
 * context.  There the hard handlers of every action on the line run with
 * interrupts "disabled" (lx_irq_flags clear) and HARDIRQ_OFFSET in the
 * preempt count (in_irq() is true); an action returning IRQ_WAKE_THREAD
 * wakes its thread, a task.  Then the host vector is acked - unless an
 * IRQF_ONESHOT thread was woken: the line stays masked until that thread
 * has run, as Linux does.  disable_irq() holds an arriving event (unacked,
 * so the host keeps the line masked) and enable_irq() replays it.  MSI and
 * MSI-X vectors (lx_msi.c) are events of their own and work the same way:
 * the host masks a reported vector until its ack. */
#include "lx_pci.h"
#include <linux/interrupt.h>

struct lx_irq_action {
	struct lx_irq_action *next;
	struct lx_irq_desc *desc;
	irq_handler_t handler, thread_fn;
	unsigned long flags;
	const char *name;
	void *dev_id;
	struct lx_task *thread;
	struct kit_waitq thread_wq;
	int thread_wake, thread_stop;
};

struct lx_irq_desc {
	struct kit_evh evh; /* first: the host event cookie */
	struct list_head node;
	unsigned int irq;
	struct lx_pci *pci;
	int index;
	struct lx_irq_action *actions;
	int depth;	  /* disable_irq nesting */
	int held;	  /* an event arrived while disabled, not acked yet */
	int oneshot;	  /* oneshot threads to run before the ack */
	int ack_pending;  /* an event is being handled and not yet acked */
	int threads_busy; /* woken or running threads */
	struct kit_waitq idle;
	struct kit_timer replay;
	char namebuf[32];
};

static LIST_HEAD(lx_irq_descs);

static struct lx_irq_desc *lx_irq_desc(unsigned int irq)
{
	struct lx_irq_desc *d;
	list_for_each_entry(d, &lx_irq_descs, node)
		if (d->irq == irq)
			return d;
	return NULL;
}

static void lx_irq_ack(struct lx_irq_desc *d)
{
	if (d->ack_pending) {
		d->ack_pending = 0;
		kpi_host_irq_ack(d->pci->handle, d->index);
	}
}

static void lx_irq_handle(struct lx_irq_desc *d)
{
	struct lx_irq_action *a;
	lx_jiffies_update();
	lx_irq_disable();
	__preempt_count_add(HARDIRQ_OFFSET);
	for (a = d->actions; a; a = a->next) {
		irqreturn_t ret = a->handler ? a->handler(d->irq, a->dev_id) : IRQ_WAKE_THREAD;
		if ((ret & IRQ_WAKE_THREAD) && a->thread && !a->thread_wake) {
			a->thread_wake = 1;
			d->threads_busy++;
			if (a->flags & IRQF_ONESHOT)
				d->oneshot++;
			kit_waitq_wake(&a->thread_wq, 0);
		}
	}
	__preempt_count_sub(HARDIRQ_OFFSET);
	lx_irq_enable();
	if (!d->oneshot)
		lx_irq_ack(d);
}

static void lx_irq_event(struct kit_evh *evh, const struct kpi_host_event *ev)
{
	struct lx_irq_desc *d = container_of(evh, struct lx_irq_desc, evh);
	struct task_struct *prev = lx_enter_loop_ctx();
	(void)ev;
	d->ack_pending = 1;
	if (d->depth > 0 || !d->actions)
		d->held = 1;
	else
		lx_irq_handle(d);
	lx_leave_loop_ctx(prev);
}

static void lx_irq_replay(struct kit_timer *t)
{
	struct lx_irq_desc *d = container_of(t, struct lx_irq_desc, replay);
	struct task_struct *prev = lx_enter_loop_ctx();
	if (d->held && d->depth == 0) {
		d->held = 0;
		lx_irq_handle(d);
	}
	lx_leave_loop_ctx(prev);
}

static void lx_irq_thread(void *arg)
{
	struct lx_irq_action *a = arg;
	struct lx_irq_desc *d = a->desc;
	for (;;) {
		while (!a->thread_wake && !a->thread_stop)
			lx_waitq_wait(&a->thread_wq, KPI_FOREVER);
		if (!a->thread_wake)
			break;
		a->thread_fn(d->irq, a->dev_id);
		a->thread_wake = 0;
		d->threads_busy--;
		if ((a->flags & IRQF_ONESHOT) && --d->oneshot == 0)
			lx_irq_ack(d);
		kit_waitq_wake(&d->idle, 0);
	}
}

static irqreturn_t lx_irq_default_primary(int irq, void *dev_id)
{
	(void)irq;
	(void)dev_id;
	return IRQ_WAKE_THREAD;
}

int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn, unsigned long irqflags,
			 const char *devname, void *dev_id)
{
	struct lx_irq_desc *d = lx_irq_desc(irq);
	struct lx_irq_action *a, **pp;
	int index, rc;
	struct lx_pci *p = lx_pci_by_irq(irq, &index);
	if (!p || (!handler && !thread_fn))
		return -EINVAL;
	if (!handler) {
		if (!(irqflags & IRQF_ONESHOT))
			return -EINVAL; /* Linux refuses a default primary without ONESHOT */
		handler = lx_irq_default_primary;
	}
	if ((irqflags & IRQF_SHARED) && !dev_id)
		return -EINVAL;
	if (d && d->actions && !(d->actions->flags & irqflags & IRQF_SHARED))
		return -EBUSY;
	if (!d) {
		d = kzalloc(sizeof(*d), GFP_KERNEL);
		if (!d)
			return -ENOMEM;
		d->evh.fn = lx_irq_event;
		d->irq = irq;
		d->pci = p;
		d->index = index;
		kit_waitq_init(&d->idle);
		kit_timer_init(&d->replay, lx_irq_replay);
		list_add_tail(&d->node, &lx_irq_descs);
	}
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return -ENOMEM;
	a->desc = d;
	a->handler = handler;
	a->thread_fn = thread_fn;
	a->flags = irqflags;
	a->name = devname;
	a->dev_id = dev_id;
	kit_waitq_init(&a->thread_wq);
	if (thread_fn) {
		char name[TASK_COMM_LEN];
		lx_snprintf(name, sizeof(name), "irq/%u-%s", irq, devname ? devname : "");
		a->thread = lx_task_spawn(name, lx_irq_thread, a);
		if (!a->thread) {
			kfree(a);
			return -ENOMEM;
		}
	}
	if (!d->actions) {
		rc = lx_pci_irq_ensure(p);
		if (!rc)
			rc = kpi_host_irq_watch(p->handle, index, &d->evh);
		if (rc < 0) {
			if (a->thread) {
				a->thread_stop = 1;
				kit_waitq_wake(&a->thread_wq, 0);
			}
			kfree(a);
			return rc;
		}
		if (irqflags & IRQF_NO_AUTOEN)
			d->depth = 1;
	}
	for (pp = &d->actions; *pp; pp = &(*pp)->next)
		;
	*pp = a;
	return 0;
}

const void *free_irq(unsigned int irq, void *dev_id)
{
	struct lx_irq_desc *d = lx_irq_desc(irq);
	struct lx_irq_action *a, **pp;
	const char *name;
	if (!d)
		return NULL;
	for (pp = &d->actions; *pp && (*pp)->dev_id != dev_id; pp = &(*pp)->next)
		;
	a = *pp;
	if (!a) {
		WARN(1, "free_irq %u: no action with this dev_id", irq);
		return NULL;
	}
	*pp = a->next;
	if (a->thread) {
		struct lx_task *t = a->thread;
		a->thread_stop = 1;
		kit_waitq_wake(&a->thread_wq, 0);
		/* a woken thread still runs its handler once, as in Linux */
		while (!t->exited)
			lx_waitq_wait(&t->exit_wq, KPI_FOREVER);
	}
	if (!d->actions) {
		kpi_host_irq_watch(d->pci->handle, d->index, NULL);
		kit_timer_cancel(&d->replay);
		d->held = 0;
		lx_irq_ack(d);
	}
	name = a->name;
	kfree(a);
	return name;
}

void synchronize_irq(unsigned int irq)
{
	struct lx_irq_desc *d = lx_irq_desc(irq);
	/* hard handlers never run while a task does; wait for the threads */
	while (d && d->threads_busy)
		lx_waitq_wait(&d->idle, KPI_FOREVER);
}

void disable_irq_nosync(unsigned int irq)
{
	struct lx_irq_desc *d = lx_irq_desc(irq);
	if (d)
		d->depth++;
}

void disable_irq(unsigned int irq)
{
	disable_irq_nosync(irq);
	synchronize_irq(irq);
}

bool disable_hardirq(unsigned int irq)
{
	disable_irq_nosync(irq);
	return true;
}

void enable_irq(unsigned int irq)
{
	struct lx_irq_desc *d = lx_irq_desc(irq);
	if (!d || d->depth <= 0) {
		WARN(1, "unbalanced enable_irq %u", irq);
		return;
	}
	if (--d->depth == 0 && d->held)
		kit_timer_arm(&d->replay, 0);
}

/* ---- managed and PCI wrappers --------------------------------------------------------------------- */

struct lx_devm_irq {
	unsigned int irq;
	void *dev_id;
};

static void lx_devm_irq_release(void *data)
{
	struct lx_devm_irq *r = data;
	free_irq(r->irq, r->dev_id);
	kfree(r);
}

int devm_request_threaded_irq(struct device *dev, unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			      unsigned long irqflags, const char *devname, void *dev_id)
{
	struct lx_devm_irq *r = kmalloc(sizeof(*r), GFP_KERNEL);
	int rc;
	if (!r)
		return -ENOMEM;
	rc = request_threaded_irq(irq, handler, thread_fn, irqflags, devname ? devname : dev_name(dev), dev_id);
	if (rc) {
		kfree(r);
		return rc;
	}
	r->irq = irq;
	r->dev_id = dev_id;
	rc = lx_devres_add(dev, lx_devm_irq_release, r);
	if (rc)
		lx_devm_irq_release(r);
	return rc;
}

void devm_free_irq(struct device *dev, unsigned int irq, void *dev_id)
{
	struct list_head *pos;
	/* find our record by (irq, dev_id) among the device's devres */
	struct lx_devres_view {
		struct list_head node;
		void (*action)(void *data);
		void *data;
	} *r;
	list_for_each(pos, &dev->devres_head) {
		r = list_entry(pos, struct lx_devres_view, node);
		if (r->action == lx_devm_irq_release && ((struct lx_devm_irq *)r->data)->irq == irq &&
		    ((struct lx_devm_irq *)r->data)->dev_id == dev_id) {
			lx_devres_remove(dev, lx_devm_irq_release, r->data, 1);
			return;
		}
	}
	WARN(1, "devm_free_irq %u: not a managed interrupt", irq);
}

#ifdef CONFIG_PCI
/* Vector nr of the function: the legacy line, or an MSI/MSI-X vector. */
int pci_request_irq(struct pci_dev *dev, unsigned int nr, irq_handler_t handler, irq_handler_t thread_fn,
		    void *dev_id, const char *fmt, ...)
{
	va_list ap;
	char *name;
	unsigned long flags = IRQF_SHARED;
	int irq = pci_irq_vector(dev, nr), rc;
	if (irq <= 0)
		return -EINVAL;
	if (!handler)
		flags |= IRQF_ONESHOT;
	va_start(ap, fmt);
	name = kvasprintf(GFP_KERNEL, fmt, ap);
	va_end(ap);
	if (!name)
		return -ENOMEM;
	rc = request_threaded_irq(irq, handler, thread_fn, flags, name, dev_id);
	if (rc)
		kfree(name);
	return rc;
}

void pci_free_irq(struct pci_dev *dev, unsigned int nr, void *dev_id)
{
	int irq = pci_irq_vector(dev, nr);
	if (irq > 0)
		kfree(free_irq(irq, dev_id));
}
#endif

int lx_irq_busy(struct pci_dev *pdev)
{
	struct lx_irq_desc *d;
	list_for_each_entry(d, &lx_irq_descs, node)
		if (&d->pci->pdev == pdev && d->actions)
			return 1;
	return 0;
}

/* The function goes away: drop whatever the driver left registered. */
void lx_irq_release_dev(struct pci_dev *pdev)
{
	struct lx_irq_desc *d, *n;
	list_for_each_entry_safe(d, n, &lx_irq_descs, node) {
		if (&d->pci->pdev != pdev)
			continue;
		while (d->actions) {
			lx_log(KPI_LOG_WARNING, "%s: irq %u still requested at release", pci_name(pdev), d->irq);
			free_irq(d->irq, d->actions->dev_id);
		}
		list_del(&d->node);
		kfree(d);
	}
}
