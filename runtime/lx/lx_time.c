/* lx_time.c: jiffies, ktime, delays and sleeps, timer_list and hrtimer.
 *
 * jiffies follows the host's monotonic clock (kpi_host_now_ns), starting at
 * INITIAL_JIFFIES like Linux (it wraps 5 minutes after start, which catches
 * drivers that compare jiffies without time_after()).  Drivers read the
 * variable directly, so it is refreshed whenever lx code runs: after every
 * block, in every timer/IRQ dispatch, in delays and in ktime_get().
 *
 * Timers run in kit's loop context, like Linux's softirq: they cannot sleep,
 * and a task never observes a handler half-way (handlers are never
 * preempted), so del_timer_sync() from a task has nothing to wait for.
 * Pending timer_lists are kept on one hlist sorted by expiry (entry.pprev
 * != NULL is what the kernel's inline timer_pending() tests); hrtimers on a
 * list threaded through their unused rb_node.  One kit timer each fires the
 * earliest. */
#include "lx_internal.h"
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/timer.h>

#define LX_NS_PER_JIFFY (NSEC_PER_SEC / HZ)

u64 jiffies_64 = INITIAL_JIFFIES;
/* x86-64 Linux makes jiffies an alias of jiffies_64 in its linker script. */
asm(".globl jiffies\n.set jiffies, jiffies_64");

static kpi_u64 lx_t0; /* host ns at INITIAL_JIFFIES */

void lx_time_init(void)
{
	if (!lx_t0)
		lx_t0 = kpi_host_now_ns();
	lx_jiffies_update();
}

void lx_jiffies_update(void)
{
	kpi_u64 now = kpi_host_now_ns();
	if (!lx_t0)
		lx_t0 = now;
	WRITE_ONCE(jiffies_64, (u64)INITIAL_JIFFIES + (now - lx_t0) / LX_NS_PER_JIFFY);
}

kpi_u64 lx_jiffies_to_deadline(unsigned long expires)
{
	long delta;
	lx_jiffies_update();
	delta = (long)(expires - (unsigned long)jiffies_64);
	if (delta <= 0)
		return 0;
	/* the start of jiffy number `expires` */
	return lx_t0 + (kpi_u64)(expires - (unsigned long)INITIAL_JIFFIES) * LX_NS_PER_JIFFY;
}

kpi_u64 lx_timeout_deadline(long timeout)
{
	if (timeout == MAX_SCHEDULE_TIMEOUT)
		return KPI_FOREVER;
	if (timeout < 0)
		timeout = 0;
	lx_jiffies_update();
	return lx_jiffies_to_deadline((unsigned long)jiffies_64 + (unsigned long)timeout);
}

long lx_deadline_remaining(kpi_u64 deadline_ns)
{
	kpi_u64 now = kpi_host_now_ns();
	if (deadline_ns == KPI_FOREVER)
		return MAX_SCHEDULE_TIMEOUT;
	if (now >= deadline_ns)
		return 0;
	return (long)DIV_ROUND_UP(deadline_ns - now, LX_NS_PER_JIFFY);
}

unsigned int jiffies_to_msecs(const unsigned long j)
{
	return (unsigned int)(j * (MSEC_PER_SEC / HZ));
}

unsigned int jiffies_to_usecs(const unsigned long j)
{
	return (unsigned int)(j * (USEC_PER_SEC / HZ));
}

unsigned long __msecs_to_jiffies(const unsigned int m)
{
	if ((int)m < 0)
		return MAX_JIFFY_OFFSET;
	return DIV_ROUND_UP((unsigned long)m, MSEC_PER_SEC / HZ);
}

unsigned long __usecs_to_jiffies(const unsigned int u)
{
	if (u > jiffies_to_usecs(MAX_JIFFY_OFFSET))
		return MAX_JIFFY_OFFSET;
	return DIV_ROUND_UP((unsigned long)u, USEC_PER_SEC / HZ);
}

unsigned long nsecs_to_jiffies(u64 n)
{
	return (unsigned long)(n / LX_NS_PER_JIFFY);
}

u64 nsecs_to_jiffies64(u64 n)
{
	return n / LX_NS_PER_JIFFY;
}

/* Whole seconds, as Linux does for timers that need no precision. */
unsigned long round_jiffies(unsigned long j)
{
	unsigned long r = roundup(j, HZ);
	return r;
}

unsigned long round_jiffies_relative(unsigned long j)
{
	unsigned long now;
	lx_jiffies_update();
	now = (unsigned long)jiffies_64;
	return round_jiffies(j + now) - now;
}


/* ---- ktime: monotonic; the host interface has no wall clock, so "real"
 * time is monotonic time too (drivers use it for timestamps only) ------------------- */

ktime_t ktime_get(void)
{
	lx_jiffies_update();
	return (ktime_t)kpi_host_now_ns();
}

ktime_t ktime_get_with_offset(enum tk_offsets offs)
{
	(void)offs;
	return ktime_get();
}

/* A monotonic time on another clock: every clock here is the monotonic
 * one (above), so every offset is 0 and the time is unchanged. */
ktime_t ktime_mono_to_any(ktime_t tmono, enum tk_offsets offs)
{
	(void)offs;
	return tmono;
}

u64 ktime_get_mono_fast_ns(void)
{
	return kpi_host_now_ns();
}

void ktime_get_real_ts64(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(ktime_get());
}

void ktime_get_ts64(struct timespec64 *ts)
{
	*ts = ns_to_timespec64(ktime_get());
}

time64_t ktime_get_seconds(void)
{
	return div_u64(ktime_get(), NSEC_PER_SEC);
}

time64_t ktime_get_real_seconds(void)
{
	return ktime_get_seconds(); /* no wall clock: monotonic, as ktime_get_real_ts64 */
}

/* ---- delays: busy-wait (hardware timing) and sleeps (yield) ------------------------------ */

static void lx_spin_ns(kpi_u64 ns)
{
	kpi_u64 end = kpi_host_now_ns() + ns;
	while (kpi_host_now_ns() < end)
		asm volatile("pause" ::: "memory");
	lx_jiffies_update();
}

void __udelay(unsigned long usecs)
{
	lx_spin_ns((kpi_u64)usecs * NSEC_PER_USEC);
}

void __ndelay(unsigned long nsecs)
{
	lx_spin_ns(nsecs);
}

/* xloops = usecs * 2^32 / 10^6 (asm-generic/delay.h) */
void __const_udelay(unsigned long xloops)
{
	lx_spin_ns(((kpi_u64)xloops * NSEC_PER_USEC) >> 32);
}

/* loops of a calibrated delay loop: take one loop as one nanosecond */
void __delay(unsigned long loops)
{
	lx_spin_ns(loops);
}

/* slow_down_io() after port I/O on the _p accessors */
void native_io_delay(void)
{
	lx_spin_ns(1000);
}

void msleep(unsigned int msecs)
{
	lx_sleep_until(kpi_host_now_ns() + (kpi_u64)msecs * NSEC_PER_MSEC);
}

unsigned long msleep_interruptible(unsigned int msecs)
{
	msleep(msecs);
	return 0;
}

void usleep_range_state(unsigned long min, unsigned long max, unsigned int state)
{
	(void)max;
	(void)state;
	lx_sleep_until(kpi_host_now_ns() + (kpi_u64)min * NSEC_PER_USEC);
}

/* ---- timer_list ---------------------------------------------------------------------------- */

static HLIST_HEAD(lx_timers);
static struct kit_timer lx_timer_kick;
static struct timer_list *lx_running_timer;

static void lx_timers_fire(struct kit_timer *kt);

static void lx_timers_rearm(void)
{
	if (!lx_timer_kick.fn)
		kit_timer_init(&lx_timer_kick, lx_timers_fire);
	if (hlist_empty(&lx_timers)) {
		kit_timer_cancel(&lx_timer_kick);
		return;
	}
	kit_timer_arm(&lx_timer_kick,
		      lx_jiffies_to_deadline(hlist_entry(lx_timers.first, struct timer_list, entry)->expires));
}

static void lx_timer_enqueue(struct timer_list *timer)
{
	struct hlist_node *pos, *last = NULL;
	hlist_for_each(pos, &lx_timers) {
		if (time_before(timer->expires, hlist_entry(pos, struct timer_list, entry)->expires))
			break;
		last = pos;
	}
	if (last)
		hlist_add_behind(&timer->entry, last);
	else
		hlist_add_head(&timer->entry, &lx_timers);
}

static int lx_timer_detach(struct timer_list *timer)
{
	if (!timer_pending(timer))
		return 0;
	hlist_del_init(&timer->entry);
	return 1;
}

static void lx_timers_fire(struct kit_timer *kt)
{
	struct task_struct *prev = lx_enter_loop_ctx();
	(void)kt;
	lx_jiffies_update();
	__preempt_count_add(SOFTIRQ_OFFSET);
	while (!hlist_empty(&lx_timers)) {
		struct timer_list *t = hlist_entry(lx_timers.first, struct timer_list, entry);
		if (time_before((unsigned long)jiffies_64, t->expires))
			break;
		hlist_del_init(&t->entry);
		lx_running_timer = t;
		t->function(t);
		lx_running_timer = NULL;
		lx_jiffies_update();
	}
	__preempt_count_sub(SOFTIRQ_OFFSET);
	lx_timers_rearm();
	lx_leave_loop_ctx(prev);
}

void init_timer_key(struct timer_list *timer, void (*func)(struct timer_list *), unsigned int flags,
		    const char *name, struct lock_class_key *key)
{
	(void)name;
	(void)key;
	timer->entry.pprev = NULL;
	timer->entry.next = NULL;
	timer->function = func;
	timer->flags = flags;
}

static int lx_mod_timer(struct timer_list *timer, unsigned long expires, int pending_only)
{
	int was_pending;
	if (!timer->function)
		return 0; /* shut down: re-arming is silently ignored, as in Linux */
	if (pending_only && !timer_pending(timer))
		return 0;
	was_pending = lx_timer_detach(timer);
	timer->expires = expires;
	lx_timer_enqueue(timer);
	lx_timers_rearm();
	return was_pending;
}

int mod_timer(struct timer_list *timer, unsigned long expires)
{
	return lx_mod_timer(timer, expires, 0);
}

int mod_timer_pending(struct timer_list *timer, unsigned long expires)
{
	return lx_mod_timer(timer, expires, 1);
}

int timer_reduce(struct timer_list *timer, unsigned long expires)
{
	if (timer_pending(timer) && !time_before(expires, timer->expires))
		return 1;
	return lx_mod_timer(timer, expires, 0);
}

void add_timer(struct timer_list *timer)
{
	BUG_ON(timer_pending(timer));
	lx_mod_timer(timer, timer->expires, 0);
}

int timer_delete(struct timer_list *timer)
{
	int was = lx_timer_detach(timer);
	if (was)
		lx_timers_rearm();
	return was;
}

int try_to_del_timer_sync(struct timer_list *timer)
{
	if (lx_running_timer == timer)
		return -1;
	return timer_delete(timer);
}

int timer_delete_sync(struct timer_list *timer)
{
	/* A handler never runs while a task does; only the handler itself can
	 * be "running" here, and Linux would deadlock on that. */
	WARN_ON(lx_running_timer == timer);
	return timer_delete(timer);
}

int timer_shutdown(struct timer_list *timer)
{
	int was = timer_delete(timer);
	timer->function = NULL;
	return was;
}

int timer_shutdown_sync(struct timer_list *timer)
{
	int was = timer_delete_sync(timer);
	timer->function = NULL;
	return was;
}

/* ---- hrtimer (CLOCK_MONOTONIC; REL or ABS) --------------------------------------------------- */

#define LX_HRT_NEXT(t) (*(struct hrtimer **)&(t)->node.node.rb_right)
static struct hrtimer *lx_hrtimers;
static struct kit_timer lx_hrt_kick;
static struct hrtimer_clock_base lx_hrt_base = {.get_time = ktime_get};

static void lx_hrt_fire(struct kit_timer *kt);

static void lx_hrt_rearm(void)
{
	if (!lx_hrt_kick.fn)
		kit_timer_init(&lx_hrt_kick, lx_hrt_fire);
	if (lx_hrtimers)
		kit_timer_arm(&lx_hrt_kick, (kpi_u64)lx_hrtimers->node.expires);
	else
		kit_timer_cancel(&lx_hrt_kick);
}

static int lx_hrt_unlink(struct hrtimer *timer)
{
	struct hrtimer **pp;
	if (!(timer->state & HRTIMER_STATE_ENQUEUED))
		return 0;
	for (pp = &lx_hrtimers; *pp; pp = &LX_HRT_NEXT(*pp))
		if (*pp == timer) {
			*pp = LX_HRT_NEXT(timer);
			break;
		}
	timer->state &= ~HRTIMER_STATE_ENQUEUED;
	return 1;
}

static void lx_hrt_link(struct hrtimer *timer)
{
	struct hrtimer **pp = &lx_hrtimers;
	while (*pp && (*pp)->node.expires <= timer->node.expires)
		pp = &LX_HRT_NEXT(*pp);
	LX_HRT_NEXT(timer) = *pp;
	*pp = timer;
	timer->state |= HRTIMER_STATE_ENQUEUED;
}

static void lx_hrt_fire(struct kit_timer *kt)
{
	struct task_struct *prev = lx_enter_loop_ctx();
	(void)kt;
	lx_jiffies_update();
	while (lx_hrtimers && (kpi_u64)lx_hrtimers->node.expires <= kpi_host_now_ns()) {
		struct hrtimer *t = lx_hrtimers;
		lx_hrt_unlink(t);
		if (t->function(t) == HRTIMER_RESTART)
			lx_hrt_link(t);
	}
	lx_hrt_rearm();
	lx_leave_loop_ctx(prev);
}

void hrtimer_init(struct hrtimer *timer, clockid_t which_clock, enum hrtimer_mode mode)
{
	(void)which_clock;
	memset(timer, 0, sizeof(*timer));
	timer->base = &lx_hrt_base;
	timer->is_rel = !!(mode & HRTIMER_MODE_REL);
}

void hrtimer_start_range_ns(struct hrtimer *timer, ktime_t tim, u64 range_ns, const enum hrtimer_mode mode)
{
	(void)range_ns;
	lx_hrt_unlink(timer);
	if (mode & HRTIMER_MODE_REL)
		tim = ktime_add_safe(ktime_get(), tim);
	timer->node.expires = tim;
	timer->_softexpires = tim;
	lx_hrt_link(timer);
	lx_hrt_rearm();
}

int hrtimer_try_to_cancel(struct hrtimer *timer)
{
	int was = lx_hrt_unlink(timer);
	lx_hrt_rearm();
	return was;
}

int hrtimer_cancel(struct hrtimer *timer)
{
	return hrtimer_try_to_cancel(timer);
}

bool hrtimer_active(const struct hrtimer *timer)
{
	return timer->state & HRTIMER_STATE_ENQUEUED;
}

u64 hrtimer_forward(struct hrtimer *timer, ktime_t now, ktime_t interval)
{
	u64 orun = 0;
	ktime_t delta = ktime_sub(now, timer->node.expires);
	if (delta < 0 || interval <= 0)
		return 0;
	orun = (u64)(delta / interval) + 1;
	timer->node.expires = ktime_add_ns(timer->node.expires, orun * (u64)interval);
	timer->_softexpires = timer->node.expires;
	return orun;
}

ktime_t ktime_add_safe(const ktime_t lhs, const ktime_t rhs)
{
	ktime_t res = ktime_add_unsafe(lhs, rhs);
	if (res < 0 || res < lhs || res < rhs)
		res = ktime_set(KTIME_SEC_MAX, 0);
	return res;
}

struct timespec64 ns_to_timespec64(const s64 nsec)
{
	struct timespec64 ts = {0, 0};
	s64 rem;
	if (!nsec)
		return ts;
	ts.tv_sec = div64_s64(nsec, NSEC_PER_SEC);
	rem = nsec - ts.tv_sec * NSEC_PER_SEC;
	if (rem < 0) {
		ts.tv_sec--;
		rem += NSEC_PER_SEC;
	}
	ts.tv_nsec = (long)rem;
	return ts;
}
