/* bench_runtime.c: microbenchmarks of runtime/kit on the sim host, each
 * next to a baseline measured in the same run: task switch vs. a plain call
 * and a pthread mutex/condvar handoff; timer fire latency vs. a bare
 * clock_nanosleep; sim IRQ-to-handler latency vs. the same two baselines.
 * Build: cmake --build B --target bench_runtime; run: B/tests/bench_runtime [iters] */
#define _GNU_SOURCE
#include "kpi_kit.h"
#include "sim.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long iters = 200000;

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* ---- baselines ---------------------------------------------------------- */

static volatile long sink;
static void __attribute__((noinline)) plain_fn(long i)
{
	sink += i;
}
static void (*volatile plain_ptr)(long) = plain_fn;

static double bench_plain_call(void)
{
	double t = now_ns();
	for (long i = 0; i < iters; i++)
		plain_ptr(i);
	return (now_ns() - t) / (double)iters;
}

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	long turn; /* even: main, odd: worker */
	long n;
} pc = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0};

static void *pingpong_worker(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&pc.mu);
	while (pc.turn < 2 * pc.n) {
		while (!(pc.turn & 1))
			pthread_cond_wait(&pc.cv, &pc.mu);
		pc.turn++;
		pthread_cond_signal(&pc.cv);
	}
	pthread_mutex_unlock(&pc.mu);
	return NULL;
}

/* One handoff = one thread waking the other (a threaded IRQ handler's cost). */
static double bench_condvar_handoff(void)
{
	long n = iters / 10;
	pthread_t th;
	pc.turn = 0;
	pc.n = n;
	pthread_create(&th, NULL, pingpong_worker, NULL);
	double t = now_ns();
	pthread_mutex_lock(&pc.mu);
	while (pc.turn < 2 * n) {
		pc.turn++;
		pthread_cond_signal(&pc.cv);
		while ((pc.turn & 1) && pc.turn < 2 * n)
			pthread_cond_wait(&pc.cv, &pc.mu);
	}
	pthread_mutex_unlock(&pc.mu);
	double dt = now_ns() - t;
	pthread_join(th, NULL);
	return dt / (double)(2 * n);
}

static double bench_nanosleep_overshoot(long n, long delay_ns)
{
	double total = 0;
	for (long i = 0; i < n; i++) {
		double target = now_ns() + (double)delay_ns;
		struct timespec ts = {(time_t)(target / 1e9), (long)((long long)target % 1000000000LL)};
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		total += now_ns() - target;
	}
	return total / (double)n;
}

/* ---- kit: task switch ---------------------------------------------------- */

static long yields_left;
static void yielder(void *arg)
{
	(void)arg;
	while (yields_left-- > 0)
		kit_yield();
}

/* Two tasks yielding in turn: one yield = task -> loop -> other task. */
static double bench_task_switch(void)
{
	kit_reset();
	yields_left = iters;
	kit_task_create("y1", yielder, NULL, 0);
	kit_task_create("y2", yielder, NULL, 0);
	double t = now_ns();
	kit_run(KIT_RUN_UNTIL_IDLE);
	return (now_ns() - t) / (double)iters;
}

/* ---- kit: timers ------------------------------------------------------------ */

static struct kit_timer btimer;
static double fire_total;
static long fires_left;
static long timer_delay;

static void timer_cb(struct kit_timer *t)
{
	fire_total += (double)kit_now_ns() - (double)t->expires;
	if (--fires_left > 0)
		kit_timer_arm(t, kit_now_ns() + (kpi_u64)timer_delay);
}

static double bench_timer_latency(long n, long delay_ns)
{
	kit_reset();
	fire_total = 0;
	fires_left = n;
	timer_delay = delay_ns;
	kit_timer_init(&btimer, timer_cb);
	kit_timer_arm(&btimer, kit_now_ns() + (kpi_u64)delay_ns);
	kit_run(KIT_RUN_UNTIL_IDLE);
	return fire_total / (double)n;
}

/* ---- kit + sim: IRQ to handler ---------------------------------------------- */

static struct {
	struct sim_dev *dev;
	int h;
	struct kit_event ev;
	double raised_at, total;
	long left;
} irq;

static void irq_thread(void *arg)
{
	(void)arg;
	irq.raised_at = now_ns();
	sim_irq_raise(irq.dev, 0);
	while (irq.left > 0) {
		kit_event_wait(&irq.ev, KPI_FOREVER);
		irq.total += now_ns() - irq.raised_at;
		kpi_host_irq_ack(irq.h, 0);
		if (--irq.left > 0) {
			irq.raised_at = now_ns();
			sim_irq_raise(irq.dev, 0);
		}
	}
	kit_stop(0);
}

static double bench_irq_latency(void)
{
	kit_reset();
	sim_reset();
	struct sim_pci_id id = {0x1234, 0x1, 0, 0, 0x020000, 0, 1};
	irq.dev = sim_dev_create(&id);
	irq.h = kpi_host_pci_open(0);
	kpi_host_irq_enable(irq.h, KPI_IRQ_LEGACY, 1);
	kit_event_init(&irq.ev);
	kpi_host_irq_watch(irq.h, 0, &irq.ev.evh);
	irq.total = 0;
	irq.left = iters;
	kit_task_create("irq", irq_thread, NULL, 0);
	kit_run(0);
	kpi_host_pci_close(irq.h);
	return irq.total / (double)iters;
}

int main(int argc, char **argv)
{
	if (argc > 1)
		iters = atol(argv[1]) > 0 ? atol(argv[1]) : iters;
	double call = bench_plain_call();
	double cv = bench_condvar_handoff();
	double sw = bench_task_switch();
	double t0 = bench_timer_latency(iters / 10, 0);
	double t100 = bench_timer_latency(2000, 100000);
	double ns100 = bench_nanosleep_overshoot(2000, 100000);
	double irq_ns = bench_irq_latency();

	printf("baseline  plain indirect call         %8.1f ns\n", call);
	printf("baseline  pthread condvar handoff     %8.1f ns\n", cv);
	printf("kit       task switch (yield)         %8.1f ns   = %6.1fx call, %5.3fx condvar\n", sw, sw / call,
	       sw / cv);
	printf("kit       timer due now, fire latency %8.1f ns\n", t0);
	printf("kit       100us timer, fire lateness  %8.1f ns   = %5.2fx bare clock_nanosleep lateness (%.1f ns)\n",
	       t100, t100 / ns100, ns100);
	printf("kit+sim   IRQ raise -> handler task   %8.1f ns   = %6.1fx call, %5.3fx condvar\n", irq_ns,
	       irq_ns / call, irq_ns / cv);
	kit_reset();
	sim_reset();
	return 0;
}
