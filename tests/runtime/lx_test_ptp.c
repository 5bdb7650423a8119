/* lx_test_ptp.c: a test "driver" (written for kpiport, kernel flags, a
 * config with CONFIG_PTP_1588_CLOCK) for lx's PTP clock core
 * (runtime/lx/lx_ptp.c): registration reads the clock once and gives
 * indexes in order, invalid clocks are refused with ERR_PTR, pin lookups
 * read pin_config, the auxiliary worker runs on its schedule and stops when
 * it returns a negative delay or is cancelled, events are counted, and a
 * NULL or error clock is harmless, as Linux's. */
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/ptp_clock_kernel.h>
#include <redox/kpi_main.h>
#include "lx_test.h"

static int reads, aux_runs;

static int lxt_gettime(struct ptp_clock_info *info, struct timespec64 *ts)
{
	(void)info;
	reads++;
	ts->tv_sec = 1700000000;
	ts->tv_nsec = 42;
	return 0;
}

static long lxt_aux(struct ptp_clock_info *info)
{
	(void)info;
	return ++aux_runs < 3 ? 1 : -1; /* run three times, a jiffy apart */
}

static struct ptp_pin_desc lxt_pins[2] = {
	{ .name = "SDP0", .index = 0, .func = PTP_PF_EXTTS, .chan = 0 },
	{ .name = "SDP1", .index = 1, .func = PTP_PF_PEROUT, .chan = 1 },
};

static struct ptp_clock_info lxt_clock = {
	.name = "lxt clock",
	.n_pins = 2,
	.pin_config = lxt_pins,
	.gettime64 = lxt_gettime,
	.do_aux_work = lxt_aux,
};

static struct ptp_clock_info lxt_plain = { .name = "plain" };
static struct ptp_clock_info lxt_bad_pins = { .name = "bad", .n_pins = 1 };
static struct ptp_clock_info lxt_bad_alarms = { .name = "alarms", .n_alarm = 5 };

static int test_init(void)
{
	struct ptp_clock *a, *b;
	struct ptp_clock_event ev = { .type = PTP_CLOCK_EXTTS, .index = 0, .timestamp = 5 };

	a = ptp_clock_register(&lxt_clock, NULL);
	LXT_CHECK(!IS_ERR_OR_NULL(a));
	LXT_CHECK_INT(reads, 1);
	b = ptp_clock_register(&lxt_plain, NULL);
	LXT_CHECK(!IS_ERR_OR_NULL(b));
	LXT_CHECK_INT(ptp_clock_index(b), ptp_clock_index(a) + 1);
	LXT_CHECK_INT(PTR_ERR(ptp_clock_register(&lxt_bad_pins, NULL)), -EINVAL);
	LXT_CHECK_INT(PTR_ERR(ptp_clock_register(&lxt_bad_alarms, NULL)), -EINVAL);

	LXT_CHECK_INT(ptp_find_pin(a, PTP_PF_PEROUT, 1), 1);
	LXT_CHECK_INT(ptp_find_pin_unlocked(a, PTP_PF_EXTTS, 0), 0);
	LXT_CHECK_INT(ptp_find_pin(a, PTP_PF_EXTTS, 1), -1);
	LXT_CHECK_INT(ptp_find_pin(b, PTP_PF_EXTTS, 0), -1);

	/* the worker: three runs, then it stops itself */
	LXT_CHECK_INT(ptp_schedule_worker(a, 0), 0);
	msleep(100);
	LXT_CHECK_INT(aux_runs, 3);
	msleep(20);
	LXT_CHECK_INT(aux_runs, 3);
	/* scheduled far ahead, then cancelled: never runs */
	LXT_CHECK_INT(ptp_schedule_worker(a, HZ * 10), 0);
	ptp_cancel_worker_sync(a);
	LXT_CHECK_INT(aux_runs, 3);
	LXT_CHECK_INT(ptp_schedule_worker(b, 0), -EINVAL); /* no do_aux_work */

	ptp_clock_event(a, &ev);
	ptp_clock_event(a, &ev);
	ptp_clock_event(NULL, &ev);
	LXT_CHECK_INT(ptp_clock_index(NULL), -1);
	LXT_CHECK_INT(ptp_clock_unregister(a), 0);
	LXT_CHECK_INT(ptp_clock_unregister(b), 0);
	LXT_CHECK_INT(ptp_clock_unregister(ERR_PTR(-ENODEV)), 0);
	return 0;
}

static void test_exit(void)
{
}

int main(int argc, char **argv)
{
	return lxt_result(kpi_module_main(argc, argv, test_init, test_exit), 0);
}
