/* lx_workqueue.c: workqueues, delayed work, tasklets and bottom halves.
 *
 * A workqueue is a FIFO of work items plus one worker task that runs them
 * in order (an ordered queue: on one CPU with no preemption that is what
 * Linux's per-CPU pool does too, as long as items do not sleep waiting for
 * each other on the same queue).  Pending-ness lives in the work's own
 * WORK_STRUCT_PENDING bit, which the kernel's inline work_pending() reads.
 * Cancel functions hold that bit while they wait, so a running item that
 * re-queues itself cannot slip back in (Linux does the same).
 * Tasklets run in the loop context, like softirqs. */
#include "lx_internal.h"
#include <linux/interrupt.h>
#include <linux/workqueue.h>

struct workqueue_struct {
	struct list_head items;
	struct list_head all;
	struct kit_waitq more; /* the worker waits here */
	struct kit_waitq done; /* flushers and cancelers wait here */
	struct work_struct *running;
	struct lx_task *worker;
	unsigned long queued, finished;
	int stopping;
	char name[24];
};

static LIST_HEAD(lx_wqs);
struct workqueue_struct *system_wq, *system_highpri_wq, *system_long_wq, *system_unbound_wq,
	*system_freezable_wq, *system_power_efficient_wq, *system_freezable_power_efficient_wq;
/* Queues newer trees name (lx_compat.h); all are the one queue here. */
#if LX_WANT_system_bh_wq
struct workqueue_struct *system_bh_wq, *system_bh_highpri_wq;
#endif
#if LX_WANT_system_percpu_wq
struct workqueue_struct *system_percpu_wq, *system_dfl_wq;
#endif

#define LX_PENDING(w) ((unsigned long *)&(w)->data)

static void lx_worker(void *arg)
{
	struct workqueue_struct *wq = arg;
	for (;;) {
		struct work_struct *w;
		while (list_empty(&wq->items) && !wq->stopping)
			lx_waitq_wait(&wq->more, KPI_FOREVER);
		if (list_empty(&wq->items))
			break;
		w = list_first_entry(&wq->items, struct work_struct, entry);
		list_del_init(&w->entry);
		clear_bit(WORK_STRUCT_PENDING_BIT, LX_PENDING(w));
		wq->running = w;
		w->func(w);
		wq->running = NULL;
		wq->finished++;
		kit_waitq_wake(&wq->done, 0);
	}
	wq->worker = NULL;
	kit_waitq_wake(&wq->done, 0);
}

struct workqueue_struct *alloc_workqueue(const char *fmt, unsigned int flags, int max_active, ...)
{
	struct workqueue_struct *wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	va_list ap;
	(void)flags;
	(void)max_active;
	if (!wq)
		return NULL;
	va_start(ap, max_active);
	lx_vsnprintf(wq->name, sizeof(wq->name), fmt, ap);
	va_end(ap);
	INIT_LIST_HEAD(&wq->items);
	kit_waitq_init(&wq->more);
	kit_waitq_init(&wq->done);
	wq->worker = lx_task_spawn(wq->name, lx_worker, wq);
	if (!wq->worker) {
		kfree(wq);
		return NULL;
	}
	list_add_tail(&wq->all, &lx_wqs);
	return wq;
}

static void lx_wq_insert(struct workqueue_struct *wq, struct work_struct *work)
{
	list_add_tail(&work->entry, &wq->items);
	wq->queued++;
	kit_waitq_wake(&wq->more, 1);
}

bool queue_work_on(int cpu, struct workqueue_struct *wq, struct work_struct *work)
{
	(void)cpu;
	if (test_and_set_bit(WORK_STRUCT_PENDING_BIT, LX_PENDING(work)))
		return false;
	lx_wq_insert(wq, work);
	return true;
}

void delayed_work_timer_fn(struct timer_list *t)
{
	struct delayed_work *dwork = from_timer(dwork, t, timer);
	lx_wq_insert(dwork->wq, &dwork->work);
}

static void lx_queue_delayed(struct workqueue_struct *wq, struct delayed_work *dwork, unsigned long delay)
{
	if (!delay) {
		lx_wq_insert(wq, &dwork->work);
		return;
	}
	dwork->wq = wq;
	dwork->timer.expires = (unsigned long)jiffies_64 + delay;
	add_timer(&dwork->timer);
}

bool queue_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork, unsigned long delay)
{
	(void)cpu;
	if (test_and_set_bit(WORK_STRUCT_PENDING_BIT, LX_PENDING(&dwork->work)))
		return false;
	lx_jiffies_update();
	lx_queue_delayed(wq, dwork, delay);
	return true;
}

/* Take a pending item off its timer or queue; the PENDING bit stays set
 * (the caller owns it).  1 if it was pending. */
static int lx_grab_pending(struct work_struct *work, struct delayed_work *dwork)
{
	if (dwork && timer_delete(&dwork->timer))
		return 1;
	if (!list_empty(&work->entry)) {
		struct workqueue_struct *wq;
		list_for_each_entry(wq, &lx_wqs, all) {
			struct work_struct *w;
			list_for_each_entry(w, &wq->items, entry)
				if (w == work) {
					wq->queued--;
					break;
				}
		}
		list_del_init(&work->entry);
		return 1;
	}
	return test_and_set_bit(WORK_STRUCT_PENDING_BIT, LX_PENDING(work)) ? 1 : 0;
}

bool mod_delayed_work_on(int cpu, struct workqueue_struct *wq, struct delayed_work *dwork, unsigned long delay)
{
	int was;
	(void)cpu;
	was = lx_grab_pending(&dwork->work, dwork);
	set_bit(WORK_STRUCT_PENDING_BIT, LX_PENDING(&dwork->work));
	lx_jiffies_update();
	lx_queue_delayed(wq, dwork, delay);
	return was;
}

static int lx_work_running(struct work_struct *work, struct workqueue_struct **where)
{
	struct workqueue_struct *wq;
	list_for_each_entry(wq, &lx_wqs, all)
		if (wq->running == work) {
			*where = wq;
			return 1;
		}
	return 0;
}

static void lx_wait_not_running(struct work_struct *work)
{
	struct workqueue_struct *wq;
	while (lx_work_running(work, &wq)) {
		if (wq->worker && current == &wq->worker->ts) {
			WARN(1, "work item waits for itself");
			return;
		}
		lx_waitq_wait(&wq->done, KPI_FOREVER);
	}
}

static bool lx_cancel(struct work_struct *work, struct delayed_work *dwork, int sync)
{
	int was = lx_grab_pending(work, dwork);
	if (sync)
		lx_wait_not_running(work);
	clear_bit(WORK_STRUCT_PENDING_BIT, LX_PENDING(work));
	return was;
}

bool cancel_work(struct work_struct *work)
{
	return lx_cancel(work, NULL, 0);
}

bool cancel_work_sync(struct work_struct *work)
{
	return lx_cancel(work, NULL, 1);
}

bool cancel_delayed_work(struct delayed_work *dwork)
{
	return lx_cancel(&dwork->work, dwork, 0);
}

bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return lx_cancel(&dwork->work, dwork, 1);
}

bool flush_work(struct work_struct *work)
{
	struct workqueue_struct *wq;
	bool waited = false;
	for (;;) {
		int queued = !list_empty(&work->entry);
		if (!queued && !lx_work_running(work, &wq))
			return waited;
		if (queued) {
			/* find its queue */
			struct workqueue_struct *q;
			wq = NULL;
			list_for_each_entry(q, &lx_wqs, all) {
				struct work_struct *w;
				list_for_each_entry(w, &q->items, entry)
					if (w == work)
						wq = q;
			}
			if (!wq)
				return waited;
		}
		if (wq->worker && current == &wq->worker->ts) {
			WARN(1, "flush_work from its own workqueue");
			return waited;
		}
		waited = true;
		lx_waitq_wait(&wq->done, KPI_FOREVER);
	}
}

bool flush_delayed_work(struct delayed_work *dwork)
{
	if (timer_delete(&dwork->timer))
		lx_wq_insert(dwork->wq, &dwork->work);
	return flush_work(&dwork->work);
}

void __flush_workqueue(struct workqueue_struct *wq)
{
	unsigned long target = wq->queued;
	if (wq->worker && current == &wq->worker->ts) {
		WARN(1, "flush_workqueue from its own worker");
		return;
	}
	while ((long)(wq->finished - target) < 0 && wq->worker)
		lx_waitq_wait(&wq->done, KPI_FOREVER);
}

void drain_workqueue(struct workqueue_struct *wq)
{
	while (!list_empty(&wq->items) || wq->running)
		__flush_workqueue(wq);
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	drain_workqueue(wq);
	wq->stopping = 1;
	kit_waitq_wake(&wq->more, 0);
	while (wq->worker)
		lx_waitq_wait(&wq->done, KPI_FOREVER);
	list_del(&wq->all);
	kfree(wq);
}

int lx_workqueue_init(void);
int lx_workqueue_init(void)
{
	system_wq = alloc_workqueue("events", 0, 0);
	if (!system_wq)
		return -ENOMEM;
	system_highpri_wq = system_long_wq = system_unbound_wq = system_freezable_wq = system_wq;
	system_power_efficient_wq = system_freezable_power_efficient_wq = system_wq;
#if LX_WANT_system_bh_wq
	system_bh_wq = system_bh_highpri_wq = system_wq; /* a task, not softirq context: BH items may not sleep anyway */
#endif
#if LX_WANT_system_percpu_wq
	system_percpu_wq = system_dfl_wq = system_wq;
#endif
	return 0;
}

void lx_workqueue_reset(void);
void lx_workqueue_reset(void)
{
	struct workqueue_struct *wq, *n;
	list_for_each_entry_safe(wq, n, &lx_wqs, all) {
		list_del(&wq->all);
		kfree(wq);
	}
	system_wq = NULL;
}

/* ---- tasklets: softirq-like, run from the loop ------------------------------------------------ */

static struct tasklet_struct *lx_tasklets, **lx_tasklets_tail = &lx_tasklets;
static struct kit_timer lx_tasklet_kick;

static void lx_tasklets_run(struct kit_timer *kt)
{
	struct task_struct *prev = lx_enter_loop_ctx();
	struct tasklet_struct *list = lx_tasklets;
	(void)kt;
	lx_tasklets = NULL;
	lx_tasklets_tail = &lx_tasklets;
	__preempt_count_add(SOFTIRQ_OFFSET);
	while (list) {
		struct tasklet_struct *t = list;
		list = t->next;
		if (atomic_read(&t->count)) { /* disabled: try again later */
			t->next = NULL;
			*lx_tasklets_tail = t;
			lx_tasklets_tail = &t->next;
			continue;
		}
		set_bit(TASKLET_STATE_RUN, &t->state);
		clear_bit(TASKLET_STATE_SCHED, &t->state);
		if (t->use_callback)
			t->callback(t);
		else
			t->func(t->data);
		clear_bit(TASKLET_STATE_RUN, &t->state);
	}
	__preempt_count_sub(SOFTIRQ_OFFSET);
	if (lx_tasklets)
		kit_timer_arm(&lx_tasklet_kick, kpi_host_now_ns() + NSEC_PER_MSEC);
	lx_leave_loop_ctx(prev);
}

void __tasklet_schedule(struct tasklet_struct *t)
{
	t->next = NULL;
	*lx_tasklets_tail = t;
	lx_tasklets_tail = &t->next;
	if (!lx_tasklet_kick.fn)
		kit_timer_init(&lx_tasklet_kick, lx_tasklets_run);
	if (!kit_timer_pending(&lx_tasklet_kick))
		kit_timer_arm(&lx_tasklet_kick, 0);
}

void __tasklet_hi_schedule(struct tasklet_struct *t)
{
	__tasklet_schedule(t);
}

void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *))
{
	t->next = NULL;
	t->state = 0;
	atomic_set(&t->count, 0);
	t->callback = callback;
	t->use_callback = true;
	t->data = 0;
}

void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data)
{
	t->next = NULL;
	t->state = 0;
	atomic_set(&t->count, 0);
	t->func = func;
	t->use_callback = false;
	t->data = data;
}

void tasklet_kill(struct tasklet_struct *t)
{
	while (test_bit(TASKLET_STATE_SCHED, &t->state) || test_bit(TASKLET_STATE_RUN, &t->state))
		lx_sleep_until(kpi_host_now_ns() + NSEC_PER_MSEC);
}

/* local_bh_disable() adds SOFTIRQ_DISABLE_OFFSET inline; softirqs (timers,
 * tasklets) only ever run from the loop, so there is nothing to run here. */
void __local_bh_enable_ip(unsigned long ip, unsigned int cnt)
{
	(void)ip;
	__preempt_count_sub(cnt);
}
