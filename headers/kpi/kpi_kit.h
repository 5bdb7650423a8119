/* kpi_kit.h: the cooperative-task kit that runtime/lx builds Linux's
 * execution contexts on (kthreads, IRQ threads, work items, completions,
 * wait queues, mutexes, sleeping).  Implemented by runtime/kit.
 *
 * Model: one OS thread.  Tasks run on their own stacks and switch only when
 * they block, sleep or yield, so Linux's uniprocessor, non-preemptive
 * locking rules hold exactly.  Besides tasks there is the loop context
 * (kit_run's own stack): timer callbacks and event handlers run there and
 * must not block (like Linux softirq/hardirq context); blocking there, or in
 * a task inside kit_atomic_begin/end, aborts with a message.
 *
 * Self-contained like kpi_host.h: no libc, no Linux headers; structures that
 * lx embeds in its own objects are public, their fields are private to kit.
 */
#ifndef KPI_KIT_H
#define KPI_KIT_H

#include "kpi_host_core.h"

typedef struct kit_task kit_task;
typedef void (*kit_task_fn)(void *arg);

/* ---- loop -------------------------------------------------------------- */

/* Run tasks, timers and host events.  KIT_RUN_UNTIL_IDLE returns 0 as soon
 * as nothing is runnable, no timer is armed and the host reports no event
 * (tests); flags 0 runs until kit_stop().  Returns kit_stop's code, or a
 * negative KPI_E* code from kpi_host_wait (e.g. -KPI_EDEADLK from sim). */
#define KIT_RUN_UNTIL_IDLE 0x1u
int kit_run(kpi_u32 flags);
void kit_stop(int code);

/* Monotonic time (kpi_host_now_ns). */
kpi_u64 kit_now_ns(void);

/* Free every task and timer state; for tests between cases.  Tasks still
 * alive are discarded without running further. */
void kit_reset(void);

/* ---- tasks ------------------------------------------------------------- */

/* Create a runnable task that calls fn(arg) on a fresh stack (stack_size 0:
 * the 64 KiB default; a guard page catches overflow).  Returns 0 if out of
 * memory.  The task is freed when fn returns or it calls kit_task_exit; its
 * pointer is invalid afterwards, so lx tracks lifetime itself (kthread_stop
 * waits on a completion the task signals before returning). */
kit_task *kit_task_create(const char *name, kit_task_fn fn, void *arg, kpi_size stack_size);
KPI_NORETURN void kit_task_exit(void);

/* The running task, or 0 in the loop context / outside kit_run. */
kit_task *kit_task_current(void);
const char *kit_task_name(const kit_task *task);

/* Let every other runnable task run once, then continue. */
void kit_yield(void);

/* Block the current task until kit_task_wake(it) or the deadline
 * (KPI_FOREVER: none).  Returns 1 if woken, 0 on timeout.  A wake that
 * arrives while the task is not blocked (running or queued) is remembered
 * and makes the next block return 1 at once, like wake_up_process after
 * set_current_state(TASK_INTERRUPTIBLE) in Linux; kit_task_clear_wake
 * forgets it (lx calls it from set_current_state).  Either way callers
 * recheck their condition: a 1 may be spurious. */
int kit_task_block(kpi_u64 deadline_ns);
void kit_task_clear_wake(void);
/* Make a blocked task runnable (or remember the wake).  Returns 1 if the
 * task was blocked.  Callable from tasks and from the loop context. */
int kit_task_wake(kit_task *task);

/* Sleep the current task (msleep, usleep_range, schedule_timeout). */
void kit_sleep_until(kpi_u64 deadline_ns);
void kit_sleep_ns(kpi_u64 ns);

/* Mark a region where blocking is a bug (spin_lock, local_irq_disable,
 * rcu_read_lock): nested counter of the current context. */
void kit_atomic_begin(void);
void kit_atomic_end(void);
int kit_in_atomic(void); /* also 1 in the loop context */

/* ---- wait queues -------------------------------------------------------- */

/* FIFO of blocked tasks.  Waiters live on the waiting task's stack. */
struct kit_waiter;
struct kit_waitq {
	struct kit_waiter *head, *tail;
};
#define KIT_WAITQ_INIT {0, 0}
void kit_waitq_init(struct kit_waitq *q);
/* Block the current task on q until woken or the deadline: 1 woken (also
 * by a direct kit_task_wake: recheck the condition), 0 timeout.  Test the condition before calling; nothing can run between the
 * test and the block (cooperative), so no wakeup is lost. */
int kit_waitq_wait(struct kit_waitq *q, kpi_u64 deadline_ns);
/* Wake up to n waiters in FIFO order (n <= 0: all); returns how many. */
int kit_waitq_wake(struct kit_waitq *q, int n);
int kit_waitq_empty(const struct kit_waitq *q);

/* ---- timers ------------------------------------------------------------- */

/* A one-shot timer; fn runs in the loop context when the monotonic clock
 * passes expires.  Arming a pending timer moves it (it fires once, at the
 * new time).  Equal deadlines fire in arming order. */
struct kit_timer;
typedef void (*kit_timer_fn)(struct kit_timer *timer);
struct kit_timer {
	struct kit_timer *next, *prev; /* private */
	kpi_u64 expires;	       /* read-only for users */
	kit_timer_fn fn;
	int armed; /* private */
};
void kit_timer_init(struct kit_timer *timer, kit_timer_fn fn);
void kit_timer_arm(struct kit_timer *timer, kpi_u64 expires_ns);
/* Returns 1 if the timer was pending. */
int kit_timer_cancel(struct kit_timer *timer);
int kit_timer_pending(const struct kit_timer *timer);

/* ---- host events --------------------------------------------------------- */

/* Every cookie the runtime hands to kpi_host_irq_watch / kpi_host_net_open
 * must point at a struct kit_evh: the loop calls fn for each host event
 * carrying it (loop context, must not block). */
struct kit_evh;
typedef void (*kit_evh_fn)(struct kit_evh *evh, const struct kpi_host_event *ev);
struct kit_evh {
	kit_evh_fn fn;
};

/* A ready-made handler: counts events and wakes the tasks waiting for them
 * (an IRQ thread: kit_event_wait, handle, kpi_host_irq_ack, repeat). */
struct kit_event {
	struct kit_evh evh; /* pass &event->evh as the cookie */
	struct kit_waitq waiters;
	kpi_u32 count;
	struct kpi_host_event last;
};
void kit_event_init(struct kit_event *event);
/* Wait until count > 0 or the deadline; returns the count taken (resetting
 * it to 0), 0 on timeout. */
kpi_u32 kit_event_wait(struct kit_event *event, kpi_u64 deadline_ns);

#endif /* KPI_KIT_H */
