/* kit_test_tasks.c: runtime/kit on the sim host - task switching and yield
 * order, sleep and timer order on the virtual clock, re-armed timers, wait
 * queues with timeout and wake, wake-before-block, stack alignment, and the
 * aborts for blocking where Linux forbids it. */
#define _GNU_SOURCE
#include "kpi_kit.h"
#include "ktest.h"
#include "sim.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define MS 1000000ull

static char order[64];
static int norder;

static void note(char c)
{
	if (norder < (int)sizeof(order) - 1)
		order[norder++] = c;
	order[norder] = 0;
}

static void fresh(void)
{
	kit_reset();
	sim_reset();
	sim_clock_virtual(1);
	norder = 0;
	order[0] = 0;
}

/* ---- yield order ---------------------------------------------------------- */

static void yielder(void *arg)
{
	for (int i = 0; i < 3; i++) {
		note(*(const char *)arg);
		kit_yield();
	}
}

static void test_yield_order(void)
{
	fresh();
	CHECK(kit_task_create("a", yielder, "A", 0) != NULL);
	CHECK(kit_task_create("b", yielder, "B", 0) != NULL);
	CHECK(kit_task_create("c", yielder, "C", 16384) != NULL);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_STR(order, "ABCABCABC");
}

/* ---- sleep order ------------------------------------------------------------ */

static kpi_u64 t0;
static kpi_u64 woke_at[3];

static void sleeper(void *arg)
{
	int i = (int)(intptr_t)arg;
	static const kpi_u64 delay[3] = {30 * MS, 10 * MS, 20 * MS};
	kit_sleep_ns(delay[i]);
	woke_at[i] = kit_now_ns() - t0;
	note((char)('A' + i));
}

static void test_sleep_order(void)
{
	fresh();
	t0 = kit_now_ns();
	for (int i = 0; i < 3; i++)
		kit_task_create("sleeper", sleeper, (void *)(intptr_t)i, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_STR(order, "BCA");
	CHECK_INT(woke_at[0], 30 * MS);
	CHECK_INT(woke_at[1], 10 * MS);
	CHECK_INT(woke_at[2], 20 * MS);
}

/* ---- timers ----------------------------------------------------------------------- */

static struct kit_timer tm[3];
static int fired[3];
static kpi_u64 fired_at[3];

static void timer_fn(struct kit_timer *t)
{
	int i = (int)(t - tm);
	fired[i]++;
	fired_at[i] = kit_now_ns() - t0;
	note((char)('1' + i));
	CHECK(kit_task_current() == NULL); /* loop context */
	CHECK(kit_in_atomic());
}

static void test_timers(void)
{
	fresh();
	t0 = kit_now_ns();
	for (int i = 0; i < 3; i++) {
		kit_timer_init(&tm[i], timer_fn);
		fired[i] = 0;
	}
	kit_timer_arm(&tm[0], t0 + 50 * MS);
	kit_timer_arm(&tm[1], t0 + 20 * MS);
	kit_timer_arm(&tm[2], t0 + 20 * MS); /* same deadline: after tm[1] */
	kit_timer_arm(&tm[0], t0 + 10 * MS); /* re-arm earlier: fires once, at 10 */
	CHECK(kit_timer_pending(&tm[0]));
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_STR(order, "123");
	CHECK_INT(fired[0], 1);
	CHECK_INT(fired_at[0], 10 * MS);
	CHECK_INT(fired_at[1], 20 * MS);
	CHECK_INT(fired_at[2], 20 * MS);
	CHECK(!kit_timer_pending(&tm[0]));

	/* Re-arm later, cancel, and re-arm a pending timer to a later time. */
	fresh();
	t0 = kit_now_ns();
	fired[0] = fired[1] = 0;
	kit_timer_arm(&tm[0], t0 + 5 * MS);
	kit_timer_arm(&tm[0], t0 + 40 * MS);
	kit_timer_arm(&tm[1], t0 + 7 * MS);
	CHECK_INT(kit_timer_cancel(&tm[1]), 1);
	CHECK_INT(kit_timer_cancel(&tm[1]), 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(fired[0], 1);
	CHECK_INT(fired[1], 0);
	CHECK_INT(fired_at[0], 40 * MS);
}

/* ---- wait queues ------------------------------------------------------------------ */

static struct kit_waitq wq;
static int wait_result[3];
static kpi_u64 wait_end[3];

static void waiter(void *arg)
{
	int i = (int)(intptr_t)arg;
	kpi_u64 deadline = i == 0 ? kit_now_ns() + 100 * MS : KPI_FOREVER;
	wait_result[i] = kit_waitq_wait(&wq, deadline);
	wait_end[i] = kit_now_ns() - t0;
	note((char)('A' + i));
}

static int woken_count[2];

static void waker(void *arg)
{
	(void)arg;
	kit_sleep_ns(5 * MS);
	woken_count[0] = kit_waitq_wake(&wq, 1); /* FIFO: A, queued first */
	kit_sleep_ns(5 * MS);
	woken_count[1] = kit_waitq_wake(&wq, 0);
	note('W');
}

static void test_waitq(void)
{
	fresh();
	kit_waitq_init(&wq);
	t0 = kit_now_ns();
	/* A waits with a 100 ms timeout, B and C forever; the waker wakes one
	 * at 5 ms, then all at 10 ms. */
	kit_task_create("A", waiter, (void *)(intptr_t)0, 0);
	kit_task_create("B", waiter, (void *)(intptr_t)1, 0);
	kit_task_create("C", waiter, (void *)(intptr_t)2, 0);
	kit_task_create("W", waker, NULL, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	/* First wake(1) at 5 ms takes A (head of the FIFO); wake(all) at 10 ms
	 * takes B and C. */
	CHECK_STR(order, "AWBC"); /* W runs on after waking, B and C next */
	CHECK_INT(woken_count[0], 1);
	CHECK_INT(woken_count[1], 2);
	CHECK_INT(wait_result[0], 1);
	CHECK_INT(wait_end[0], 5 * MS);
	CHECK_INT(wait_result[1], 1);
	CHECK_INT(wait_end[2], 10 * MS);
	CHECK(kit_waitq_empty(&wq));

	/* Timeout expiry: nobody wakes. */
	fresh();
	kit_waitq_init(&wq);
	t0 = kit_now_ns();
	kit_task_create("A", waiter, (void *)(intptr_t)0, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_INT(wait_result[0], 0);
	CHECK_INT(wait_end[0], 100 * MS);
	CHECK(kit_waitq_empty(&wq)); /* the timed-out waiter left the queue */

	/* A forever-waiter with nothing to wake it: the loop goes idle, the task
	 * stays blocked; kit_reset discards it. */
	fresh();
	kit_waitq_init(&wq);
	kit_task_create("B", waiter, (void *)(intptr_t)1, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_STR(order, "");
	CHECK(!kit_waitq_empty(&wq));
	kit_reset();
	kit_waitq_init(&wq);
}

/* ---- block / wake / wake-before-block ------------------------------------------------ */

static kit_task *blocked_task;
static int block_results[3];

static void blocker(void *arg)
{
	(void)arg;
	block_results[0] = kit_task_block(KPI_FOREVER); /* woken by the other task */
	kit_task_wake(kit_task_current());		/* wake while running: remembered */
	block_results[1] = kit_task_block(KPI_FOREVER); /* returns at once */
	block_results[2] = kit_task_block(kit_now_ns() + 3 * MS); /* times out */
	note('b');
}

static void wakes_blocker(void *arg)
{
	(void)arg;
	CHECK_INT(kit_task_wake(blocked_task), 1);
	note('w');
}

static void test_block_wake(void)
{
	fresh();
	blocked_task = kit_task_create("blocker", blocker, NULL, 0);
	kit_task_create("waker", wakes_blocker, NULL, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK_STR(order, "wb");
	CHECK_INT(block_results[0], 1);
	CHECK_INT(block_results[1], 1);
	CHECK_INT(block_results[2], 0);
}

/* ---- stacks, registers, many tasks, stop ------------------------------------------------ */

static int aligned_ok, float_ok;

static void __attribute__((noinline)) check_alignment(void)
{
	_Alignas(16) volatile char buf[16];
	buf[0] = 1;
	aligned_ok = ((uintptr_t)__builtin_frame_address(0) % 16) == 0 && ((uintptr_t)buf % 16) == 0;
}

static void float_task(void *arg)
{
	volatile double x = *(double *)arg;
	check_alignment();
	kit_yield();
	char s[32];
	snprintf(s, sizeof(s), "%.3f", x * 2.0);
	float_ok = strcmp(s, "3.000") == 0;
}

static int counter;
static void count_task(void *arg)
{
	(void)arg;
	counter++;
	if (counter == 500)
		kit_stop(42);
}

static void test_stacks_and_stop(void)
{
	fresh();
	double d = 1.5;
	kit_task_create("float", float_task, &d, 0);
	CHECK_INT(kit_run(KIT_RUN_UNTIL_IDLE), 0);
	CHECK(aligned_ok);
	CHECK(float_ok);

	fresh();
	counter = 0;
	for (int i = 0; i < 1000; i++)
		CHECK(kit_task_create("n", count_task, NULL, 8192) != NULL);
	/* kit_stop ends the loop after the current batch: all 1000 ran. */
	CHECK_INT(kit_run(0), 42);
	CHECK_INT(counter, 1000);
}

/* ---- forbidden blocking aborts --------------------------------------------------------------- */

static void sleep_in_timer(struct kit_timer *t)
{
	(void)t;
	kit_sleep_ns(MS);
}

static void sleep_while_atomic(void *arg)
{
	(void)arg;
	kit_atomic_begin();
	kit_sleep_ns(MS);
}

static int aborts_in_child(int which)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		fresh();
		static struct kit_timer t;
		if (which == 0) {
			kit_timer_init(&t, sleep_in_timer);
			kit_timer_arm(&t, kit_now_ns());
		} else {
			kit_task_create("atomic", sleep_while_atomic, NULL, 0);
		}
		kit_run(KIT_RUN_UNTIL_IDLE);
		_exit(0);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

int main(void)
{
	test_yield_order();
	test_sleep_order();
	test_timers();
	test_waitq();
	test_block_wake();
	test_stacks_and_stop();
	CHECK(aborts_in_child(0));
	CHECK(aborts_in_child(1));
	kit_reset();
	sim_reset();
	return KTEST_DONE();
}
