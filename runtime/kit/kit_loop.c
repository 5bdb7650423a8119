/* kit_loop.c: the event loop (kit_run), wait queues and kit_event.
 * The loop alternates: fire expired timers, run one batch of runnable
 * tasks, then ask the host for events - polling if work is left, else
 * sleeping until the next timer - and hand each event to its kit_evh. */
#include "kit_internal.h"

#define KIT_EVENTS_PER_WAIT 16

static struct {
	int stop_requested;
	int stop_code;
} kl;

kpi_u64 kit_now_ns(void)
{
	return kpi_host_now_ns();
}

void kit_stop(int code)
{
	kl.stop_requested = 1;
	kl.stop_code = code;
}

/* Reading the clock costs more than the rest of a loop pass; skip it when
 * no timer is armed. */
static void run_due_timers(void)
{
	if (kit_timers_next() != KPI_FOREVER)
		kit_timers_run(kpi_host_now_ns());
}

static int loop_once(kpi_u32 flags, int *idle)
{
	struct kpi_host_event evs[KIT_EVENTS_PER_WAIT];
	run_due_timers();
	kit_sched_run_batch();
	if (kl.stop_requested)
		return 0;
	run_due_timers();
	int busy = kit_sched_has_runnable();
	kpi_u64 next = kit_timers_next();
	kpi_u64 deadline = busy ? 0 : next;
	if ((flags & KIT_RUN_UNTIL_IDLE) && !busy && next == KPI_FOREVER)
		deadline = 0;
	int n = kpi_host_wait(deadline, evs, KIT_EVENTS_PER_WAIT);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		struct kit_evh *evh = evs[i].cookie;
		if (!evh || !evh->fn)
			kpi_host_abort("kit: host event without a kit_evh cookie");
		evh->fn(evh, &evs[i]);
	}
	*idle = n == 0 && !kit_sched_has_runnable() && kit_timers_next() == KPI_FOREVER;
	return 0;
}

int kit_run(kpi_u32 flags)
{
	kit_sched_enter_loop();
	kl.stop_requested = 0;
	int rc = 0;
	for (;;) {
		int idle = 0;
		rc = loop_once(flags, &idle);
		if (kl.stop_requested) {
			rc = kl.stop_code;
			break;
		}
		if (rc < 0)
			break;
		if ((flags & KIT_RUN_UNTIL_IDLE) && idle)
			break;
	}
	kl.stop_requested = 0;
	kit_sched_leave_loop();
	return rc;
}

void kit_reset(void)
{
	kit_sched_reset();
	kit_timers_reset();
	kl.stop_requested = 0;
}

/* ---- wait queues --------------------------------------------------------- */

void kit_waitq_init(struct kit_waitq *q)
{
	q->head = q->tail = 0;
}

static void waiter_unlink(struct kit_waitq *q, struct kit_waiter *w)
{
	if (w->prev)
		w->prev->next = w->next;
	else
		q->head = w->next;
	if (w->next)
		w->next->prev = w->prev;
	else
		q->tail = w->prev;
	w->next = w->prev = 0;
	w->queued = 0;
}

int kit_waitq_wait(struct kit_waitq *q, kpi_u64 deadline_ns)
{
	kit_task *self = kit_task_current();
	if (!self || kit_in_atomic())
		return kit_task_block(deadline_ns); /* aborts with the reason */
	struct kit_waiter w = {0, q->tail, self, 1};
	if (q->tail)
		q->tail->next = &w;
	else
		q->head = &w;
	q->tail = &w;
	int woken = kit_task_block(deadline_ns);
	if (w.queued)
		waiter_unlink(q, &w);
	return woken;
}

int kit_waitq_wake(struct kit_waitq *q, int n)
{
	int woken = 0;
	while (q->head && (n <= 0 || woken < n)) {
		struct kit_waiter *w = q->head;
		waiter_unlink(q, w);
		kit_task_wake(w->task);
		woken++;
	}
	return woken;
}

int kit_waitq_empty(const struct kit_waitq *q)
{
	return q->head == 0;
}

/* ---- kit_event ------------------------------------------------------------ */

static void event_fire(struct kit_evh *evh, const struct kpi_host_event *ev)
{
	struct kit_event *e = KIT_CONTAINER_OF(evh, struct kit_event, evh);
	e->count++;
	e->last = *ev;
	kit_waitq_wake(&e->waiters, 0);
}

void kit_event_init(struct kit_event *event)
{
	event->evh.fn = event_fire;
	kit_waitq_init(&event->waiters);
	event->count = 0;
	event->last = (struct kpi_host_event){0, 0, 0, 0, 0};
}

kpi_u32 kit_event_wait(struct kit_event *event, kpi_u64 deadline_ns)
{
	while (event->count == 0) {
		if (!kit_waitq_wait(&event->waiters, deadline_ns) && event->count == 0)
			return 0;
	}
	kpi_u32 n = event->count;
	event->count = 0;
	return n;
}
