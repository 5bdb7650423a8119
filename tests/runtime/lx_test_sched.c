/* lx_test_sched.c: a test "driver" (kernel flags, written for kpiport) that
 * checks lx's timer, workqueue, wait-queue, completion and lock semantics on
 * the sim host with a virtual clock.  Its module init runs every case in the
 * init task; main checks the counters afterwards. */
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <redox/kpi_main.h>
#include "sim.h"
#include "lx_test.h"

/* ---- mod_timer re-armed fires once, at the new time ----------------------------------------------- */
static struct timer_list t_rearm;
static int rearm_count;
static unsigned long rearm_at;

static void rearm_fn(struct timer_list *t)
{
	(void)t;
	rearm_count++;
	rearm_at = jiffies;
	LXT_CHECK(in_softirq());
}

static void case_mod_timer(void)
{
	unsigned long start = jiffies;
	timer_setup(&t_rearm, rearm_fn, 0);
	LXT_CHECK_INT(mod_timer(&t_rearm, start + 10), 0);
	LXT_CHECK_INT(mod_timer(&t_rearm, start + 50), 1);
	LXT_CHECK(timer_pending(&t_rearm));
	msleep(1000);
	LXT_CHECK_INT(rearm_count, 1);
	LXT_CHECK(time_after_eq(rearm_at, start + 50));
	LXT_CHECK(!timer_pending(&t_rearm));
}

/* ---- del_timer_sync vs a self-rearming handler ----------------------------------------------------- */
static struct timer_list t_self;
static int self_count, self_in_handler;

static void self_fn(struct timer_list *t)
{
	self_in_handler = 1;
	self_count++;
	mod_timer(t, jiffies + 1);
	self_in_handler = 0;
}

static void case_del_timer_sync(void)
{
	int seen;
	timer_setup(&t_self, self_fn, 0);
	mod_timer(&t_self, jiffies + 1);
	msleep(100);
	LXT_CHECK(self_count > 5);
	del_timer_sync(&t_self);
	LXT_CHECK(!self_in_handler);
	LXT_CHECK(!timer_pending(&t_self));
	seen = self_count;
	msleep(100);
	LXT_CHECK_INT(self_count, seen);
	/* shutdown: re-arming afterwards is ignored */
	timer_shutdown_sync(&t_self);
	mod_timer(&t_self, jiffies + 1);
	msleep(20);
	LXT_CHECK_INT(self_count, seen);
}

/* ---- cancel_delayed_work_sync on pending and on running work -------------------------------------- */
static struct delayed_work dw_pending, dw_running;
static int pending_runs, running_runs, running_active;

static void pending_fn(struct work_struct *w)
{
	(void)w;
	pending_runs++;
}

static void running_fn(struct work_struct *w)
{
	running_active = 1;
	msleep(50); /* cancel arrives while we sleep */
	running_runs++;
	queue_delayed_work(system_wq, to_delayed_work(w), 1); /* must not stick */
	running_active = 0;
}

static void case_cancel_delayed_work_sync(void)
{
	INIT_DELAYED_WORK(&dw_pending, pending_fn);
	LXT_CHECK(queue_delayed_work(system_wq, &dw_pending, msecs_to_jiffies(100)));
	LXT_CHECK(!queue_delayed_work(system_wq, &dw_pending, 1)); /* already pending */
	LXT_CHECK(cancel_delayed_work_sync(&dw_pending));
	msleep(300);
	LXT_CHECK_INT(pending_runs, 0);
	LXT_CHECK(!delayed_work_pending(&dw_pending));

	INIT_DELAYED_WORK(&dw_running, running_fn);
	queue_delayed_work(system_wq, &dw_running, 0);
	msleep(10);
	LXT_CHECK(running_active);
	cancel_delayed_work_sync(&dw_running);
	LXT_CHECK(!running_active);
	LXT_CHECK_INT(running_runs, 1);
	LXT_CHECK(!delayed_work_pending(&dw_running));
	msleep(200);
	LXT_CHECK_INT(running_runs, 1);
}

/* ---- wait_event_timeout: expiry and wake ------------------------------------------------------------ */
static DECLARE_WAIT_QUEUE_HEAD(wq_head);
static int wq_cond;

static int waker_fn(void *data)
{
	(void)data;
	msleep(20);
	wq_cond = 1;
	wake_up(&wq_head);
	return 0;
}

static void case_wait_event(void)
{
	u64 t0 = get_jiffies_64();
	long left = wait_event_timeout(wq_head, wq_cond, msecs_to_jiffies(50));
	LXT_CHECK_INT(left, 0);
	LXT_CHECK(get_jiffies_64() - t0 >= msecs_to_jiffies(50));
	kthread_run(waker_fn, NULL, "waker");
	t0 = get_jiffies_64();
	left = wait_event_timeout(wq_head, wq_cond, msecs_to_jiffies(1000));
	LXT_CHECK(left > 0);
	LXT_CHECK(wq_cond);
	LXT_CHECK(get_jiffies_64() - t0 < msecs_to_jiffies(100));
}

/* ---- completions: FIFO waiters, counted completes -------------------------------------------------- */
static DECLARE_COMPLETION(comp);
static char order[8];
static int norder;

static int comp_waiter(void *data)
{
	wait_for_completion(&comp);
	order[norder++] = (char)(long)data;
	return 0;
}

static void case_completion(void)
{
	kthread_run(comp_waiter, (void *)'A', "wA");
	msleep(1);
	kthread_run(comp_waiter, (void *)'B', "wB");
	msleep(1);
	LXT_CHECK_INT(norder, 0);
	complete(&comp);
	msleep(1);
	LXT_CHECK_INT(norder, 1);
	LXT_CHECK_INT(order[0], 'A');
	complete(&comp);
	msleep(1);
	LXT_CHECK_INT(norder, 2);
	LXT_CHECK_INT(order[1], 'B');
	/* a complete before the wait is remembered */
	reinit_completion(&comp);
	complete(&comp);
	LXT_CHECK(wait_for_completion_timeout(&comp, 1) > 0);
	LXT_CHECK_INT(wait_for_completion_timeout(&comp, msecs_to_jiffies(10)), 0);
}

/* kthread_complete_and_exit leaves from inside a call: nothing after it runs */
static int kexit_after;

static void kexit_deep(struct completion *c)
{
	kthread_complete_and_exit(c, 7);
}

static int kexit_fn(void *data)
{
	kexit_deep(data);
	kexit_after = 1;
	return 1;
}

static void case_kthread_exit(void)
{
	struct task_struct *k;
	reinit_completion(&comp);
	k = kthread_run(kexit_fn, &comp, "kexit");
	LXT_CHECK(!IS_ERR(k));
	LXT_CHECK(wait_for_completion_timeout(&comp, msecs_to_jiffies(10)) > 0);
	LXT_CHECK_INT(kthread_stop(k), 7);
	LXT_CHECK_INT(kexit_after, 0);
}

/* ---- flush_workqueue waits for everything queued before it ----------------------------------------- */
static struct work_struct fw[3];
static int fw_done[3], fw_seq;

static void flush_fn(struct work_struct *w)
{
	msleep(5);
	fw_done[w - fw] = ++fw_seq;
}

static void case_flush_workqueue(void)
{
	struct workqueue_struct *wq = alloc_workqueue("lxt", 0, 0);
	int i;
	LXT_CHECK(wq != NULL);
	for (i = 0; i < 3; i++) {
		INIT_WORK(&fw[i], flush_fn);
		queue_work(wq, &fw[i]);
	}
	LXT_CHECK_INT(fw_seq, 0);
	flush_workqueue(wq);
	LXT_CHECK_INT(fw_done[0], 1);
	LXT_CHECK_INT(fw_done[1], 2);
	LXT_CHECK_INT(fw_done[2], 3);
	destroy_workqueue(wq);
}

/* ---- mutex handoff and the interrupt-disabled model ----------------------------------------------- */
static DEFINE_MUTEX(mtx);
static DEFINE_SPINLOCK(slock);
static int mtx_order[4], nmtx;

static int mtx_fn(void *data)
{
	mutex_lock(&mtx);
	mtx_order[nmtx++] = (int)(long)data;
	mutex_unlock(&mtx);
	return 0;
}

static void case_locks(void)
{
	unsigned long flags;
	mutex_lock(&mtx);
	kthread_run(mtx_fn, (void *)1L, "m1");
	kthread_run(mtx_fn, (void *)2L, "m2");
	msleep(5);
	LXT_CHECK_INT(nmtx, 0);
	mtx_order[nmtx++] = 0;
	mutex_unlock(&mtx);
	msleep(5);
	LXT_CHECK_INT(nmtx, 3);
	LXT_CHECK_INT(mtx_order[1], 1);
	LXT_CHECK_INT(mtx_order[2], 2);
	LXT_CHECK(!irqs_disabled());
	spin_lock_irqsave(&slock, flags);
	LXT_CHECK(irqs_disabled());
	spin_unlock_irqrestore(&slock, flags);
	LXT_CHECK(!irqs_disabled());
	LXT_CHECK_INT(strcmp(current->comm, "insmod"), 0);
}

static int test_init(void)
{
	case_mod_timer();
	case_del_timer_sync();
	case_cancel_delayed_work_sync();
	case_wait_event();
	case_completion();
	case_kthread_exit();
	case_flush_workqueue();
	case_locks();
	return 0;
}

static int exit_ran;
static void test_exit(void)
{
	exit_ran = 1;
}

int main(int argc, char **argv)
{
	int rc;
	sim_clock_virtual(1);
	rc = kpi_module_main(argc, argv, test_init, test_exit);
	LXT_CHECK(exit_ran);
	return lxt_result(rc, 0);
}
