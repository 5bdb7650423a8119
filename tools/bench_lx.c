/* bench_lx.c: runtime/lx micro-benchmarks (a kernel-flags program like a
 * port, run on the sim host with the real clock).  Not a test; build with
 * `cmake --build B --target bench_lx` and run B/tests/lx-testproj/bench_lx.
 *   - kmalloc/kfree next to malloc/free (kpi_host_malloc/free is libc's
 *     malloc/free; the difference is lx's header and bookkeeping)
 *   - timer_list and hrtimer fire latency: time from the due moment to the
 *     handler, through kit's loop and kpi_host_wait. */
#include <linux/delay.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <redox/kpi_main.h>
#include "kpi_host.h"
#include "sim.h"

#define N_ALLOC 200000
#define N_TIMER 50

static void *ptrs[64];

static u64 bench_alloc(int use_kmalloc, size_t size)
{
	u64 t0 = ktime_get_mono_fast_ns();
	int i;
	for (i = 0; i < N_ALLOC; i++) {
		int slot = i & 63;
		if (use_kmalloc) {
			kfree(ptrs[slot]);
			ptrs[slot] = kmalloc(size, GFP_KERNEL);
		} else {
			kpi_host_free(ptrs[slot]);
			ptrs[slot] = kpi_host_malloc(size, 0);
		}
	}
	for (i = 0; i < 64; i++) {
		if (use_kmalloc)
			kfree(ptrs[i]);
		else
			kpi_host_free(ptrs[i]);
		ptrs[i] = NULL;
	}
	return (ktime_get_mono_fast_ns() - t0) / N_ALLOC;
}

static struct timer_list tl;
static struct hrtimer hrt;
static u64 due_ns, lat_sum, lat_max;
static int fired;

static void tl_fn(struct timer_list *t)
{
	u64 lat = ktime_get_mono_fast_ns() - due_ns;
	(void)t;
	lat_sum += lat;
	lat_max = max(lat_max, lat);
	fired++;
}

static enum hrtimer_restart hrt_fn(struct hrtimer *t)
{
	tl_fn(NULL);
	(void)t;
	return HRTIMER_NORESTART;
}

static int bench_init(void)
{
	static const size_t sizes[] = {32, 256, 2048};
	int i;
	for (i = 0; i < 3; i++) {
		u64 k = bench_alloc(1, sizes[i]), m = bench_alloc(0, sizes[i]);
		pr_info("alloc+free %4zu B: kmalloc/kfree %3llu ns, malloc/free %3llu ns\n", sizes[i], k, m);
	}
	timer_setup(&tl, tl_fn, 0);
	for (i = 0; i < N_TIMER; i++) {
		/* jiffies+1 is due at the next jiffy boundary: 0..1 jiffy from now */
		due_ns = ktime_get_mono_fast_ns();
		mod_timer(&tl, jiffies + 1);
		msleep(10);
	}
	pr_info("timer_list jiffies+1: %d fired, arm-to-fire avg %llu us, max %llu us (jiffy = %u us)\n", fired,
		fired ? lat_sum / fired / 1000 : 0, lat_max / 1000, jiffies_to_usecs(1));
	fired = 0;
	lat_sum = lat_max = 0;
	hrtimer_init(&hrt, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	hrt.function = hrt_fn;
	for (i = 0; i < N_TIMER; i++) {
		due_ns = ktime_get_mono_fast_ns() + 200000;
		hrtimer_start(&hrt, ns_to_ktime(200000), HRTIMER_MODE_REL);
		msleep(2);
	}
	pr_info("hrtimer 200 us: %d fired, latency avg %llu us, max %llu us\n", fired,
		fired ? lat_sum / fired / 1000 : 0, lat_max / 1000);
	return 0;
}

int main(int argc, char **argv)
{
	sim_log_echo(1);
	return kpi_module_main(argc, argv, bench_init, NULL);
}
