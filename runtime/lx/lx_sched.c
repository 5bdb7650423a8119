/* lx_sched.c: tasks and sleeping - `current`, kthreads, schedule() and
 * schedule_timeout(), wake_up_process(), wait queues (the wait_event()
 * machinery), and RCU under a uniprocessor, non-preemptive kernel.
 * Every lx task is a kit task; see lx_internal.h for how `current` is kept. */
#include "lx_internal.h"
#include <linux/srcu.h>
#include <linux/kthread.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>

/* `current` and the preempt count (where they live depends on the version: lx_compat.h) */
LX_DEFINE_CPU_STATE(&lx_loop_task.ts);
struct lx_task lx_loop_task = {.ts = {.comm = "swapper", .pid = 0}};
static LIST_HEAD(lx_tasks);
static int lx_next_pid = 1;

/* ---- blocking primitives: restore `current` when the task runs again ----------- */

int lx_block(kpi_u64 deadline_ns)
{
	struct task_struct *me = current;
	int r = kit_task_block(deadline_ns);
	lx_current_task = me;
	lx_jiffies_update();
	return r;
}

int lx_waitq_wait(struct kit_waitq *q, kpi_u64 deadline_ns)
{
	struct task_struct *me = current;
	int r = kit_waitq_wait(q, deadline_ns);
	lx_current_task = me;
	lx_jiffies_update();
	return r;
}

void lx_yield(void)
{
	struct task_struct *me = current;
	kit_yield();
	lx_current_task = me;
	lx_jiffies_update();
}

void lx_sleep_until(kpi_u64 deadline_ns)
{
	struct task_struct *me = current;
	kit_sleep_until(deadline_ns);
	lx_current_task = me;
	lx_jiffies_update();
}

/* ---- tasks ------------------------------------------------------------------------------ */

static void lx_task_entry(void *arg)
{
	struct lx_task *t = arg;
	lx_current_task = &t->ts;
	lx_jiffies_update();
	if (t->threadfn) {
		/* kthread_create: created stopped until wake_up_process(). */
		while (!t->started && !t->should_stop)
			lx_block(KPI_FOREVER);
		t->exit_code = t->should_stop && !t->started ? -EINTR : t->threadfn(t->data);
	} else {
		t->body(t->data);
	}
	t->exited = 1;
	t->kt = 0;
	kit_waitq_wake(&t->exit_wq, 0);
	/* The struct stays until kthread_stop/lx_sched_reset: callers may
	 * still hold the task_struct pointer. */
}

static struct lx_task *lx_task_new(const char *name)
{
	/* task_struct has cacheline-aligned members: kzalloc's 16 bytes are not
	 * enough (the kernel takes it from a kmem_cache with its alignment). */
	struct lx_task *t = lx_alloc(sizeof(*t), __alignof__(struct lx_task), GFP_KERNEL | __GFP_ZERO);
	if (!t)
		return NULL;
	strscpy(t->ts.comm, name, sizeof(t->ts.comm));
	t->ts.pid = lx_next_pid++;
	t->ts.__state = TASK_RUNNING;
	refcount_set(&t->ts.usage, 1); /* as fork does: get/put_task_struct balance around it */
	kit_waitq_init(&t->exit_wq);
	list_add_tail(&t->all, &lx_tasks);
	return t;
}

static void lx_task_free(struct lx_task *t)
{
	list_del(&t->all);
	kfree(t);
}

struct lx_task *lx_task_spawn(const char *name, void (*fn)(void *arg), void *arg)
{
	struct lx_task *t = lx_task_new(name);
	if (!t)
		return NULL;
	t->body = fn;
	t->data = arg;
	t->kt = kit_task_create(t->ts.comm, lx_task_entry, t, 0);
	if (!t->kt) {
		lx_task_free(t);
		return NULL;
	}
	return t;
}

struct task_struct *kthread_create_on_node(int (*threadfn)(void *data), void *data, int node,
					   const char namefmt[], ...)
{
	char name[TASK_COMM_LEN];
	va_list ap;
	struct lx_task *t;
	(void)node;
	va_start(ap, namefmt);
	lx_vsnprintf(name, sizeof(name), namefmt, ap);
	va_end(ap);
	t = lx_task_new(name);
	if (!t)
		return ERR_PTR(-ENOMEM);
	t->threadfn = threadfn;
	t->data = data;
	t->kt = kit_task_create(t->ts.comm, lx_task_entry, t, 0);
	if (!t->kt) {
		lx_task_free(t);
		return ERR_PTR(-ENOMEM);
	}
	return &t->ts;
}

int wake_up_process(struct task_struct *p)
{
	struct lx_task *t = lx_task_of(p);
	int was_sleeping = p->__state != TASK_RUNNING || !t->started;
	t->started = 1;
	p->__state = TASK_RUNNING;
	if (t->kt)
		kit_task_wake(t->kt);
	return was_sleeping;
}

/* A kthread ends from anywhere in its call chain (KUnit's try-catch
 * leaves a failed test case this way): the task is gone, the struct stays
 * for kthread_stop as after a return. */
void kthread_exit(long result)
{
	struct lx_task *t = lx_self();
	t->exit_code = (int)result;
	t->exited = 1;
	t->kt = 0;
	kit_waitq_wake(&t->exit_wq, 0);
	kit_task_exit();
}

void kthread_complete_and_exit(struct completion *comp, long code)
{
	if (comp)
		complete(comp);
	kthread_exit(code);
}

/* The last reference to a task: lx's task structs are freed by
 * kthread_stop or the runtime's reset, never by a put. */
void __put_task_struct(struct task_struct *t)
{
	(void)t;
}

void __put_task_struct_rcu_cb(struct rcu_head *rhp)
{
	(void)rhp;
}

bool kthread_should_stop(void)
{
	return lx_self()->should_stop;
}

int kthread_stop(struct task_struct *k)
{
	struct lx_task *t = lx_task_of(k);
	int ret;
	t->should_stop = 1;
	k->__state = TASK_RUNNING;
	if (t->kt)
		kit_task_wake(t->kt);
	while (!t->exited)
		lx_waitq_wait(&t->exit_wq, KPI_FOREVER);
	ret = t->exit_code;
	lx_task_free(t);
	return ret;
}

/* ---- schedule() ------------------------------------------------------------------------- */

/* Linux: a task sets its state, checks its condition, calls schedule(); a
 * wake in between sets TASK_RUNNING and schedule() returns at once.  Here
 * nothing runs between the check and the call (cooperative), the state
 * says whether a wake already came, and kit_task_block sleeps otherwise. */
static int lx_schedule_until(kpi_u64 deadline)
{
	struct task_struct *me = current;
	int woken = 1;
	if (!kit_task_current())
		panic("schedule() outside a task (loop context: timer or hard IRQ)");
	if (READ_ONCE(me->__state) == TASK_RUNNING) {
		lx_yield();
		return 1;
	}
	kit_task_clear_wake();
	woken = lx_block(deadline);
	me->__state = TASK_RUNNING;
	return woken;
}

asmlinkage __visible void schedule(void)
{
	lx_schedule_until(KPI_FOREVER);
}

signed long schedule_timeout(signed long timeout)
{
	kpi_u64 deadline;
	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		current->__state = TASK_RUNNING;
		return 0;
	}
	deadline = lx_timeout_deadline(timeout);
	lx_schedule_until(deadline);
	return lx_deadline_remaining(deadline);
}

signed long schedule_timeout_interruptible(signed long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

signed long schedule_timeout_killable(signed long timeout)
{
	__set_current_state(TASK_KILLABLE);
	return schedule_timeout(timeout);
}

signed long schedule_timeout_uninterruptible(signed long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

int __cond_resched(void)
{
	if (kit_task_current() && !kit_in_atomic()) {
		lx_yield();
		return 1;
	}
	return 0;
}

/* ---- wait queues ------------------------------------------------------------------------- */

void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name, struct lock_class_key *key)
{
	(void)name;
	(void)key;
	spin_lock_init(&wq_head->lock);
	INIT_LIST_HEAD(&wq_head->head);
}

static int lx_try_to_wake_up(struct task_struct *p, unsigned int state)
{
	struct lx_task *t = lx_task_of(p);
	if (!(READ_ONCE(p->__state) & state))
		return 0;
	p->__state = TASK_RUNNING;
	if (t->kt)
		kit_task_wake(t->kt);
	return 1;
}

int default_wake_function(struct wait_queue_entry *curr, unsigned mode, int wake_flags, void *key)
{
	(void)wake_flags;
	(void)key;
	return lx_try_to_wake_up(curr->private, mode);
}

int autoremove_wake_function(struct wait_queue_entry *wq_entry, unsigned mode, int sync, void *key)
{
	int ret = default_wake_function(wq_entry, mode, sync, key);
	if (ret)
		list_del_init(&wq_entry->entry);
	return ret;
}

/* Returns how many waiters were woken. */
static int lx_wake_common(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive, int wake_flags,
			  void *key)
{
	wait_queue_entry_t *curr, *next;
	int woken = 0;
	list_for_each_entry_safe(curr, next, &wq_head->head, entry) {
		unsigned flags = curr->flags;
		int ret = curr->func(curr, mode, wake_flags, key);
		if (ret < 0)
			break;
		woken += ret > 0;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr_exclusive)
			break;
	}
	return woken;
}

int __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr_exclusive, void *key)
{
	return lx_wake_common(wq_head, mode, nr_exclusive, 0, key);
}

void __wake_up_locked(struct wait_queue_head *wq_head, unsigned int mode, int nr)
{
	lx_wake_common(wq_head, mode, nr, 0, NULL);
}

void __wake_up_locked_key(struct wait_queue_head *wq_head, unsigned int mode, void *key)
{
	lx_wake_common(wq_head, mode, 1, 0, key);
}

void __wake_up_sync_key(struct wait_queue_head *wq_head, unsigned int mode, void *key)
{
	lx_wake_common(wq_head, mode, 1, 0, key);
}

void __wake_up_sync(struct wait_queue_head *wq_head, unsigned int mode)
{
	lx_wake_common(wq_head, mode, 1, 0, NULL);
}

void add_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	__add_wait_queue(wq_head, wq_entry);
}

void add_wait_queue_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	__add_wait_queue_entry_tail(wq_head, wq_entry);
}

void remove_wait_queue(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	(void)wq_head;
	list_del_init(&wq_entry->entry);
}

void init_wait_entry(struct wait_queue_entry *wq_entry, int flags)
{
	wq_entry->flags = flags;
	wq_entry->private = current;
	wq_entry->func = autoremove_wake_function;
	INIT_LIST_HEAD(&wq_entry->entry);
}

void prepare_to_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state)
{
	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	if (list_empty(&wq_entry->entry))
		__add_wait_queue(wq_head, wq_entry);
	set_current_state(state);
}

bool prepare_to_wait_exclusive(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state)
{
	bool was_empty = list_empty(&wq_head->head);
	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	if (list_empty(&wq_entry->entry))
		__add_wait_queue_entry_tail(wq_head, wq_entry);
	set_current_state(state);
	return was_empty;
}

/* No signals reach a driver task, so this never returns -ERESTARTSYS. */
long prepare_to_wait_event(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry, int state)
{
	if (list_empty(&wq_entry->entry)) {
		if (wq_entry->flags & WQ_FLAG_EXCLUSIVE)
			__add_wait_queue_entry_tail(wq_head, wq_entry);
		else
			__add_wait_queue(wq_head, wq_entry);
	}
	set_current_state(state);
	return 0;
}

void finish_wait(struct wait_queue_head *wq_head, struct wait_queue_entry *wq_entry)
{
	(void)wq_head;
	__set_current_state(TASK_RUNNING);
	if (!list_empty(&wq_entry->entry))
		list_del_init(&wq_entry->entry);
}

int woken_wake_function(struct wait_queue_entry *wq_entry, unsigned mode, int sync, void *key)
{
	wq_entry->flags |= WQ_FLAG_WOKEN;
	return default_wake_function(wq_entry, mode, sync, key);
}

long wait_woken(struct wait_queue_entry *wq_entry, unsigned mode, long timeout)
{
	set_current_state(mode);
	if (!(wq_entry->flags & WQ_FLAG_WOKEN))
		timeout = schedule_timeout(timeout);
	__set_current_state(TASK_RUNNING);
	wq_entry->flags &= ~WQ_FLAG_WOKEN;
	return timeout;
}

/* No task has a struct pid (task_pid() reads NULL, get_pid(NULL) is NULL);
 * the last reference to one that exists frees it. */
void put_pid(struct pid *pid)
{
	if (pid && refcount_dec_and_test(&pid->count))
		kfree(pid);
}

/* ---- RCU: one CPU, no preemption ----------------------------------------------------------
 * A reader cannot block (rcu_read_lock is preempt_disable), so whenever a
 * task calls synchronize_rcu no reader is inside a critical section: the
 * grace period is already over.  call_rcu callbacks run from the loop
 * (softirq-like), after the current context has finished; a "callback"
 * below 4096 is kfree_rcu()'s offset of the rcu_head in the object. */

static struct rcu_head *lx_rcu_head, **lx_rcu_tail = &lx_rcu_head;
static struct kit_timer lx_rcu_timer;
static struct kit_waitq lx_rcu_waiters = KIT_WAITQ_INIT;

static void lx_rcu_run(struct kit_timer *timer)
{
	struct task_struct *prev = lx_enter_loop_ctx();
	(void)timer;
	while (lx_rcu_head) {
		struct rcu_head *h = lx_rcu_head;
		lx_rcu_head = h->next;
		if (!lx_rcu_head)
			lx_rcu_tail = &lx_rcu_head;
		/* kfree_rcu(p, field) queues the field's offset as the callback
		 * (TINY_RCU's kvfree_call_rcu): free the object, as Linux's
		 * rcu_reclaim_tiny() does */
		if (__is_kvfree_rcu_offset((unsigned long)h->func))
			kvfree((void *)h - (unsigned long)h->func);
		else
			h->func(h);
	}
	kit_waitq_wake(&lx_rcu_waiters, 0);
	lx_leave_loop_ctx(prev);
}

void synchronize_rcu(void)
{
	might_sleep();
}

void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	head->func = func;
	head->next = NULL;
	*lx_rcu_tail = head;
	lx_rcu_tail = &head->next;
	if (!lx_rcu_timer.fn)
		kit_timer_init(&lx_rcu_timer, lx_rcu_run);
	if (!kit_timer_pending(&lx_rcu_timer))
		kit_timer_arm(&lx_rcu_timer, 0);
}

void rcu_barrier(void)
{
	while (lx_rcu_head)
		lx_waitq_wait(&lx_rcu_waiters, KPI_FOREVER);
}

/* ---- SRCU (Tiny SRCU's srcu_struct) -------------------------------------------------------------
 * Unlike RCU readers, SRCU readers may sleep inside their section (the DRM
 * core's drm_dev_enter() spans an ioctl), so a grace period waits for
 * them: synchronize_srcu() moves new readers to the other counter (the
 * reader index is bit 1 of srcu_idx + 1, as the inline read lock computes
 * it) and waits until the old counter drains; the last reader out wakes
 * it.  Grace periods of one srcu_struct serialize on srcu_gp_running. */

static struct kit_waitq lx_srcu_waiters = KIT_WAITQ_INIT;

void __srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	short n = READ_ONCE(ssp->srcu_lock_nesting[idx]) - 1;
	WRITE_ONCE(ssp->srcu_lock_nesting[idx], n);
	if (!n && READ_ONCE(ssp->srcu_gp_waiting))
		kit_waitq_wake(&lx_srcu_waiters, 0);
}

void synchronize_srcu(struct srcu_struct *ssp)
{
	int old;
	might_sleep();
	while (READ_ONCE(ssp->srcu_gp_running))
		lx_waitq_wait(&lx_srcu_waiters, KPI_FOREVER);
	WRITE_ONCE(ssp->srcu_gp_running, 1);
	old = (int)(((READ_ONCE(ssp->srcu_idx) + 1) & 0x2) >> 1);
	WRITE_ONCE(ssp->srcu_idx, ssp->srcu_idx + 2);
	while (READ_ONCE(ssp->srcu_lock_nesting[old])) {
		WRITE_ONCE(ssp->srcu_gp_waiting, 1);
		lx_waitq_wait(&lx_srcu_waiters, KPI_FOREVER);
	}
	WRITE_ONCE(ssp->srcu_gp_waiting, 0);
	WRITE_ONCE(ssp->srcu_gp_running, 0);
	kit_waitq_wake(&lx_srcu_waiters, 0);
}

/* The work function static srcu_structs are initialized with
 * (__SRCU_STRUCT_INIT); call_srcu() would queue it, and nothing here
 * queues it: grace periods are synchronous. */
void srcu_drive_gp(struct work_struct *wp)
{
	(void)wp;
}

void lx_sched_reset(void)
{
	struct lx_task *t, *n;
	list_for_each_entry_safe(t, n, &lx_tasks, all)
		lx_task_free(t);
	lx_rcu_head = NULL;
	lx_rcu_tail = &lx_rcu_head;
	lx_rcu_timer.fn = NULL;
	kit_waitq_init(&lx_rcu_waiters);
	lx_current_task = &lx_loop_task.ts;
}
