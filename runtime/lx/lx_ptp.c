/* lx_ptp.c: the PTP hardware clock core as a daemon has it (what Linux's
 * drivers/ptp/ptp_clock.c does for a driver, without /dev/ptpN).
 *
 * A network driver registers its clock (ptp_clock_register) and reports its
 * index in ethtool's timestamping info; there is no character device, no
 * posix clock and no PPS source here, so registration gives the clock an
 * index ("ptpN"), reads it once (gettimex64, else gettime64) and logs the
 * time, as a first clock_gettime() on /dev/ptpN would.  The auxiliary
 * worker (do_aux_work, ptp_schedule_worker) runs on the system workqueue,
 * rescheduled by the delay it returns, as Linux's kthread worker is.
 * Events (ptp_clock_event: alarms, external timestamps, PPS) have no reader:
 * they are counted, the first one logged.  Pin lookups read the driver's
 * pin_config as Linux's do.  Without CONFIG_PTP_1588_CLOCK the header's
 * inline stubs stand in, so nothing here is compiled. */
#include "lx_internal.h"
#include <linux/ptp_clock_kernel.h>
#include <linux/workqueue.h>
#include <linux/slab.h>

#if IS_ENABLED(CONFIG_PTP_1588_CLOCK)

struct ptp_clock {
	struct ptp_clock_info *info;
	struct device *parent;
	int index;
	unsigned long events;
	struct delayed_work aux_work;
	bool aux_live; /* aux_work was initialised */
};

#define LX_PTP_MAX_ALARMS 4 /* drivers/ptp/ptp_clock.c's PTP_MAX_ALARMS */

static int lx_ptp_next;

static void lx_ptp_aux(struct work_struct *work)
{
	struct ptp_clock *ptp = container_of(to_delayed_work(work), struct ptp_clock, aux_work);
	long delay = ptp->info->do_aux_work(ptp->info);
	if (delay >= 0)
		schedule_delayed_work(&ptp->aux_work, (unsigned long)delay);
}

/* The clock's time read once, logged under its index. */
static void lx_ptp_report(struct ptp_clock *ptp)
{
	struct ptp_clock_info *info = ptp->info;
	struct timespec64 ts = {0};
	int rc = -EOPNOTSUPP;
	if (info->gettimex64)
		rc = info->gettimex64(info, &ts, NULL);
	else if (info->gettime64)
		rc = info->gettime64(info, &ts);
	if (rc)
		lx_log(KPI_LOG_INFO, "ptp%d (%s): registered (no /dev/ptp%d here); reading the time: %pe", ptp->index,
		       info->name, ptp->index, ERR_PTR(rc));
	else
		lx_log(KPI_LOG_INFO, "ptp%d (%s): registered (no /dev/ptp%d here); time %lld.%09ld", ptp->index,
		       info->name, ptp->index, (long long)ts.tv_sec, ts.tv_nsec);
}

struct ptp_clock *ptp_clock_register(struct ptp_clock_info *info, struct device *parent)
{
	struct ptp_clock *ptp;
	if (!info || info->n_alarm > LX_PTP_MAX_ALARMS)
		return ERR_PTR(-EINVAL);
	if (info->n_pins && !info->pin_config)
		return ERR_PTR(-EINVAL);
	ptp = kzalloc(sizeof(*ptp), GFP_KERNEL);
	if (!ptp)
		return ERR_PTR(-ENOMEM);
	ptp->info = info;
	ptp->parent = parent;
	ptp->index = lx_ptp_next++;
	if (info->do_aux_work) {
		INIT_DELAYED_WORK(&ptp->aux_work, lx_ptp_aux);
		ptp->aux_live = true;
	}
	lx_ptp_report(ptp);
	return ptp;
}

int ptp_clock_unregister(struct ptp_clock *ptp)
{
	if (IS_ERR_OR_NULL(ptp))
		return 0;
	if (ptp->aux_live)
		cancel_delayed_work_sync(&ptp->aux_work);
	if (ptp->events)
		lx_log(KPI_LOG_INFO, "ptp%d (%s): %lu events had no reader", ptp->index, ptp->info->name,
		       ptp->events);
	kfree(ptp);
	return 0;
}

void ptp_clock_event(struct ptp_clock *ptp, struct ptp_clock_event *event)
{
	if (IS_ERR_OR_NULL(ptp) || !event)
		return;
	if (!ptp->events++)
		lx_log(KPI_LOG_INFO, "ptp%d (%s): event type %d index %d has no reader here (counted from now on)",
		       ptp->index, ptp->info->name, event->type, event->index);
}

int ptp_clock_index(struct ptp_clock *ptp)
{
	return IS_ERR_OR_NULL(ptp) ? -1 : ptp->index;
}

int ptp_find_pin(struct ptp_clock *ptp, enum ptp_pin_function func, unsigned int chan)
{
	struct ptp_clock_info *info;
	int i;
	if (IS_ERR_OR_NULL(ptp))
		return -1;
	info = ptp->info;
	for (i = 0; i < info->n_pins; i++)
		if (info->pin_config[i].func == func && info->pin_config[i].chan == chan)
			return i;
	return -1;
}

int ptp_find_pin_unlocked(struct ptp_clock *ptp, enum ptp_pin_function func, unsigned int chan)
{
	return ptp_find_pin(ptp, func, chan); /* no pin ioctls here: nothing to lock against */
}

int ptp_schedule_worker(struct ptp_clock *ptp, unsigned long delay)
{
	if (IS_ERR_OR_NULL(ptp) || !ptp->aux_live)
		return -EINVAL;
	return mod_delayed_work(system_wq, &ptp->aux_work, delay) ? 1 : 0;
}

void ptp_cancel_worker_sync(struct ptp_clock *ptp)
{
	if (!IS_ERR_OR_NULL(ptp) && ptp->aux_live)
		cancel_delayed_work_sync(&ptp->aux_work);
}

#endif /* CONFIG_PTP_1588_CLOCK */
