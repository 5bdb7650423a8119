/* lx_sync.c: sleeping locks and completions - mutex, rt_mutex, semaphore,
 * rwsem, completion.  Spinlocks and rwlocks need nothing: on a uniprocessor,
 * non-preemptive kernel they compile to barriers (and to the shadow
 * local_irq_* for the _irq variants).  Waiters queue FIFO on the kernel
 * structure's own list, as entries on the waiting task's stack; ownership is
 * handed to the first waiter, so nobody starves. */
#include "lx_internal.h"
#include <linux/ww_mutex.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/rtmutex.h>
#include <linux/rwsem.h>
#include <linux/semaphore.h>

struct lx_waiter {
	struct list_head node;
	kit_task *task;
	int granted;
	int writer; /* rwsem */
};

/* Queue on list and sleep until granted or deadline; 1 if granted. */
static int lx_wait_granted(struct list_head *list, struct lx_waiter *w, kpi_u64 deadline)
{
	if (!kit_task_current())
		panic("sleeping lock taken outside a task (timer or hard IRQ context)");
	w->task = kit_task_current();
	w->granted = 0;
	list_add_tail(&w->node, list);
	while (!w->granted) {
		if (!lx_block(deadline) && !w->granted && deadline != KPI_FOREVER && kit_now_ns() >= deadline)
			break;
	}
	if (!w->granted)
		list_del(&w->node);
	return w->granted;
}

static struct lx_waiter *lx_grant_first(struct list_head *list)
{
	struct lx_waiter *w;
	if (list_empty(list))
		return NULL;
	w = list_first_entry(list, struct lx_waiter, node);
	list_del(&w->node);
	w->granted = 1;
	kit_task_wake(w->task);
	return w;
}

/* ---- mutex ----------------------------------------------------------------------------- */

void __mutex_init(struct mutex *lock, const char *name, struct lock_class_key *key)
{
	(void)name;
	(void)key;
	atomic_long_set(&lock->owner, 0);
	raw_spin_lock_init(&lock->wait_lock);
	INIT_LIST_HEAD(&lock->wait_list);
}

bool mutex_is_locked(struct mutex *lock)
{
	return atomic_long_read(&lock->owner) != 0;
}

void mutex_lock(struct mutex *lock)
{
	struct lx_waiter w;
	if (!atomic_long_read(&lock->owner)) {
		atomic_long_set(&lock->owner, (long)current);
		return;
	}
	if (atomic_long_read(&lock->owner) == (long)current)
		panic("mutex_lock: %s already holds this mutex (deadlock)", current->comm);
	lx_wait_granted(&lock->wait_list, &w, KPI_FOREVER);
	/* lx_grant_first handed the lock over; record the new owner. */
	atomic_long_set(&lock->owner, (long)current);
}

int mutex_lock_interruptible(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_lock_killable(struct mutex *lock)
{
	mutex_lock(lock);
	return 0;
}

int mutex_trylock(struct mutex *lock)
{
	if (atomic_long_read(&lock->owner))
		return 0;
	atomic_long_set(&lock->owner, (long)current);
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	if (!atomic_long_read(&lock->owner))
		WARN(1, "mutex_unlock of an unlocked mutex");
	/* Keep it owned while handing over: nobody may barge in. */
	if (lx_grant_first(&lock->wait_list))
		atomic_long_set(&lock->owner, -1L);
	else
		atomic_long_set(&lock->owner, 0);
}

/* ---- ww_mutex (the DRM core's modeset locks, dma-buf reservations) -----------------------------
 * Wait-die over the plain mutex: a context that already holds locks and
 * finds one held by an older context backs off with -EDEADLK (the caller
 * drops its locks and retries, as on Linux); otherwise it waits its turn.
 * Taking a lock the context holds already is -EALREADY. */

static int lx_ww_lock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	if (ctx && lock->ctx == ctx)
		return -EALREADY;
	if (ctx && ctx->acquired && lock->ctx && lock->ctx->stamp < ctx->stamp)
		return -EDEADLK;
	mutex_lock(&lock->base);
	lock->ctx = ctx;
	if (ctx)
		ctx->acquired++;
	return 0;
}

int ww_mutex_lock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	return lx_ww_lock(lock, ctx);
}

int ww_mutex_lock_interruptible(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	return lx_ww_lock(lock, ctx); /* no signals reach kernel waits here */
}

int ww_mutex_trylock(struct ww_mutex *lock, struct ww_acquire_ctx *ctx)
{
	if (!mutex_trylock(&lock->base))
		return 0;
	lock->ctx = ctx;
	if (ctx)
		ctx->acquired++;
	return 1;
}

void ww_mutex_unlock(struct ww_mutex *lock)
{
	if (lock->ctx)
		lock->ctx->acquired--;
	lock->ctx = NULL;
	mutex_unlock(&lock->base);
}

/* ---- rt_mutex (the I2C core's bus lock) ------------------------------------------------------
 * A plain sleeping lock: with one cooperative CPU and no priorities there
 * is nothing to inherit.  struct rt_mutex keeps its waiters in an rbtree
 * ordered by priority; here they queue FIFO on one list for all rt_mutexes,
 * each with the lock it wants (contention is rare: the lock is held across
 * one bus transfer). */

struct lx_rt_waiter {
	struct lx_waiter w; /* first: lx_wait_granted queues this */
	struct rt_mutex_base *lock;
};
static LIST_HEAD(lx_rt_waiters);

void __rt_mutex_init(struct rt_mutex *lock, const char *name, struct lock_class_key *key)
{
	(void)name;
	(void)key;
	raw_spin_lock_init(&lock->rtmutex.wait_lock);
	lock->rtmutex.waiters = RB_ROOT_CACHED;
	lock->rtmutex.owner = NULL;
}

void rt_mutex_lock(struct rt_mutex *lock)
{
	struct lx_rt_waiter rw = {.lock = &lock->rtmutex};
	if (!lock->rtmutex.owner) {
		lock->rtmutex.owner = current;
		return;
	}
	if (lock->rtmutex.owner == current)
		panic("rt_mutex_lock: %s already holds this lock (deadlock)", current->comm);
	lx_wait_granted(&lx_rt_waiters, &rw.w, KPI_FOREVER);
	lock->rtmutex.owner = current; /* handed over by rt_mutex_unlock */
}

int rt_mutex_lock_interruptible(struct rt_mutex *lock)
{
	rt_mutex_lock(lock); /* no signals reach kernel waits here */
	return 0;
}

int rt_mutex_trylock(struct rt_mutex *lock)
{
	if (lock->rtmutex.owner)
		return 0;
	lock->rtmutex.owner = current;
	return 1;
}

void rt_mutex_unlock(struct rt_mutex *lock)
{
	struct lx_rt_waiter *rw;
	WARN(!lock->rtmutex.owner, "rt_mutex_unlock of an unlocked rt_mutex");
	list_for_each_entry(rw, &lx_rt_waiters, w.node)
		if (rw->lock == &lock->rtmutex) {
			list_del(&rw->w.node);
			rw->w.granted = 1;
			/* still owned: nobody may barge in before the waiter runs */
			lock->rtmutex.owner = (struct task_struct *)-1L;
			kit_task_wake(rw->w.task);
			return;
		}
	lock->rtmutex.owner = NULL;
}

/* ---- semaphore ------------------------------------------------------------------------- */

static int lx_down_until(struct semaphore *sem, kpi_u64 deadline)
{
	struct lx_waiter w;
	if (sem->count > 0) {
		sem->count--;
		return 0;
	}
	return lx_wait_granted(&sem->wait_list, &w, deadline) ? 0 : -ETIME;
}

void down(struct semaphore *sem)
{
	lx_down_until(sem, KPI_FOREVER);
}

int down_interruptible(struct semaphore *sem)
{
	return lx_down_until(sem, KPI_FOREVER);
}

int down_killable(struct semaphore *sem)
{
	return lx_down_until(sem, KPI_FOREVER);
}

int down_timeout(struct semaphore *sem, long timeout)
{
	return lx_down_until(sem, lx_timeout_deadline(timeout));
}

int down_trylock(struct semaphore *sem)
{
	if (sem->count > 0) {
		sem->count--;
		return 0;
	}
	return 1;
}

void up(struct semaphore *sem)
{
	/* A waiter gets the unit directly. */
	if (!lx_grant_first(&sem->wait_list))
		sem->count++;
}

/* ---- rw_semaphore: count > 0 readers, -1 a writer ---------------------------------------- */

void __init_rwsem(struct rw_semaphore *sem, const char *name, struct lock_class_key *key)
{
	(void)name;
	(void)key;
	atomic_long_set(&sem->count, 0);
	atomic_long_set(&sem->owner, 0);
	raw_spin_lock_init(&sem->wait_lock);
	INIT_LIST_HEAD(&sem->wait_list);
}

static void lx_rwsem_grant(struct rw_semaphore *sem)
{
	struct lx_waiter *w, *n;
	list_for_each_entry_safe(w, n, &sem->wait_list, node) {
		long c = atomic_long_read(&sem->count);
		if (w->writer) {
			if (c != 0)
				return;
			atomic_long_set(&sem->count, -1);
			lx_grant_first(&sem->wait_list);
			return;
		}
		if (c < 0)
			return;
		atomic_long_set(&sem->count, c + 1);
		lx_grant_first(&sem->wait_list);
	}
}

void down_read(struct rw_semaphore *sem)
{
	struct lx_waiter w = {.writer = 0};
	if (atomic_long_read(&sem->count) >= 0 && list_empty(&sem->wait_list)) {
		atomic_long_inc(&sem->count);
		return;
	}
	lx_wait_granted(&sem->wait_list, &w, KPI_FOREVER);
}

int down_read_trylock(struct rw_semaphore *sem)
{
	if (atomic_long_read(&sem->count) < 0 || !list_empty(&sem->wait_list))
		return 0;
	atomic_long_inc(&sem->count);
	return 1;
}

void down_write(struct rw_semaphore *sem)
{
	struct lx_waiter w = {.writer = 1};
	if (atomic_long_read(&sem->count) == 0 && list_empty(&sem->wait_list)) {
		atomic_long_set(&sem->count, -1);
		return;
	}
	lx_wait_granted(&sem->wait_list, &w, KPI_FOREVER);
}

int down_write_trylock(struct rw_semaphore *sem)
{
	if (atomic_long_read(&sem->count) != 0)
		return 0;
	atomic_long_set(&sem->count, -1);
	return 1;
}

void up_read(struct rw_semaphore *sem)
{
	atomic_long_dec(&sem->count);
	lx_rwsem_grant(sem);
}

void up_write(struct rw_semaphore *sem)
{
	atomic_long_set(&sem->count, 0);
	lx_rwsem_grant(sem);
}

void downgrade_write(struct rw_semaphore *sem)
{
	atomic_long_set(&sem->count, 1);
	lx_rwsem_grant(sem);
}

/* ---- completions ------------------------------------------------------------------------ */

void __init_swait_queue_head(struct swait_queue_head *q, const char *name, struct lock_class_key *key)
{
	(void)name;
	(void)key;
	raw_spin_lock_init(&q->lock);
	INIT_LIST_HEAD(&q->task_list);
}

void complete(struct completion *x)
{
	if (x->done != UINT_MAX)
		x->done++;
	/* Wake the first waiter; it takes the count when it runs. */
	if (!list_empty(&x->wait.task_list)) {
		struct lx_waiter *w = list_first_entry(&x->wait.task_list, struct lx_waiter, node);
		list_del_init(&w->node);
		w->granted = 1;
		kit_task_wake(w->task);
	}
}

void complete_all(struct completion *x)
{
	x->done = UINT_MAX;
	while (!list_empty(&x->wait.task_list)) {
		struct lx_waiter *w = list_first_entry(&x->wait.task_list, struct lx_waiter, node);
		list_del_init(&w->node);
		w->granted = 1;
		kit_task_wake(w->task);
	}
}

/* Returns the remaining jiffies (>= 1) or 0 on timeout. */
static long lx_wait_for_completion(struct completion *x, long timeout)
{
	kpi_u64 deadline = timeout == MAX_SCHEDULE_TIMEOUT ? KPI_FOREVER : lx_timeout_deadline(timeout);
	if (!kit_task_current())
		panic("wait_for_completion outside a task");
	while (!x->done) {
		struct lx_waiter w = {.task = kit_task_current()};
		list_add_tail(&w.node, &x->wait.task_list);
		lx_block(deadline);
		if (!list_empty(&w.node) && w.node.next)
			list_del(&w.node);
		if (!x->done && deadline != KPI_FOREVER && kit_now_ns() >= deadline)
			return 0;
	}
	if (x->done != UINT_MAX)
		x->done--;
	if (timeout == MAX_SCHEDULE_TIMEOUT)
		return timeout;
	timeout = lx_deadline_remaining(deadline);
	return timeout ? timeout : 1;
}

void wait_for_completion(struct completion *x)
{
	lx_wait_for_completion(x, MAX_SCHEDULE_TIMEOUT);
}

unsigned long wait_for_completion_timeout(struct completion *x, unsigned long timeout)
{
	return lx_wait_for_completion(x, (long)timeout);
}

int wait_for_completion_interruptible(struct completion *x)
{
	lx_wait_for_completion(x, MAX_SCHEDULE_TIMEOUT);
	return 0;
}

long wait_for_completion_interruptible_timeout(struct completion *x, unsigned long timeout)
{
	return lx_wait_for_completion(x, (long)timeout);
}

int wait_for_completion_killable(struct completion *x)
{
	lx_wait_for_completion(x, MAX_SCHEDULE_TIMEOUT);
	return 0;
}

bool try_wait_for_completion(struct completion *x)
{
	if (!x->done)
		return false;
	if (x->done != UINT_MAX)
		x->done--;
	return true;
}

bool completion_done(struct completion *x)
{
	return x->done != 0;
}

/* ---- rtnl: the networking configuration lock is one mutex ----------------------------------------- */

static DEFINE_MUTEX(lx_rtnl_mutex);

void rtnl_lock(void)
{
	mutex_lock(&lx_rtnl_mutex);
}

void rtnl_unlock(void)
{
	mutex_unlock(&lx_rtnl_mutex);
}

int rtnl_is_locked(void)
{
	return mutex_is_locked(&lx_rtnl_mutex);
}

#ifndef CONFIG_LOCKDEP
/* Without lockdep the kernel declares lockdep_is_held() for the assertions
 * that expand to it (rcu_dereference_protected(p, lockdep_is_held(l)) in
 * imported lib/ code): nothing tracks locks, so every lock counts as held,
 * which is what those assertions assume. */
int lockdep_is_held(const void *lock)
{
	(void)lock;
	return 1;
}
#endif
