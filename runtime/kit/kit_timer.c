/* kit_timer.c: one-shot timers in a list sorted by deadline (monotonic ns).
 * Drivers arm few timers and mostly with growing deadlines, so inserting
 * from the tail is O(1) in the common case; equal deadlines keep arming
 * order.  Callbacks run from kit_run's loop context via kit_timers_run. */
#include "kit_internal.h"

static struct {
	struct kit_timer *head, *tail;
} kt;

void kit_timer_init(struct kit_timer *timer, kit_timer_fn fn)
{
	timer->next = timer->prev = 0;
	timer->expires = 0;
	timer->fn = fn;
	timer->armed = 0;
}

static void unlink_timer(struct kit_timer *t)
{
	if (t->prev)
		t->prev->next = t->next;
	else
		kt.head = t->next;
	if (t->next)
		t->next->prev = t->prev;
	else
		kt.tail = t->prev;
	t->next = t->prev = 0;
	t->armed = 0;
}

void kit_timer_arm(struct kit_timer *timer, kpi_u64 expires_ns)
{
	if (timer->armed)
		unlink_timer(timer);
	timer->expires = expires_ns;
	struct kit_timer *after = kt.tail;
	while (after && after->expires > expires_ns)
		after = after->prev;
	timer->prev = after;
	timer->next = after ? after->next : kt.head;
	if (timer->next)
		timer->next->prev = timer;
	else
		kt.tail = timer;
	if (after)
		after->next = timer;
	else
		kt.head = timer;
	timer->armed = 1;
}

int kit_timer_cancel(struct kit_timer *timer)
{
	if (!timer->armed)
		return 0;
	unlink_timer(timer);
	return 1;
}

int kit_timer_pending(const struct kit_timer *timer)
{
	return timer->armed;
}

void kit_timers_run(kpi_u64 now)
{
	/* A callback may re-arm its own timer for a time <= now; that runs it
	 * again in this pass, as an expired Linux timer would fire at once. */
	while (kt.head && kt.head->expires <= now) {
		struct kit_timer *t = kt.head;
		unlink_timer(t);
		t->fn(t);
	}
}

kpi_u64 kit_timers_next(void)
{
	return kt.head ? kt.head->expires : KPI_FOREVER;
}

void kit_timers_reset(void)
{
	while (kt.head)
		unlink_timer(kt.head);
}
