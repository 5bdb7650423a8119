/* lx_watchdog.c: a minimal watchdog core (what Linux's watchdog_core.c and
 * watchdog_dev.c do for a driver, without /dev/watchdogN).
 *
 * A daemon has no userspace client that opens /dev/watchdog and writes to
 * it, so the daemon itself is the client: when a driver registers its
 * watchdog_device, the core starts it (ops->start) and pings it (ops->ping,
 * else ops->start) from a work item every timeout/2 seconds (or every
 * max_hw_heartbeat_ms/2 when the hardware needs it sooner) for as long as
 * the daemon's event loop runs.  The watchdog therefore fires when the
 * daemon hangs or dies without stopping it, which is what a supervisor on
 * Redox wants from a watchdog daemon.  Daemon options (lx_param.c's table):
 *
 *   --wdt-stop-after=SECONDS  stop the keep-alives SECONDS after the start
 *                             (the hardware then takes its action: a test of
 *                             the wiring, or a deliberate reset)
 *   --wdt-no-start            register only; a watchdog already running in
 *                             hardware (WDOG_HW_RUNNING) is still pinged
 *
 * Stopping the daemon (SIGTERM, kpi_lx_stop) runs the driver's exit, whose
 * watchdog_unregister_device stops the hardware when the driver asked for
 * watchdog_stop_on_unregister and nowayout is off - Linux's "magic close".
 * Not implemented: pretimeout governors, restart handlers (the priority is
 * stored only; watchdog_notify_pretimeout is the header's inline no-op
 * without CONFIG_WATCHDOG_PRETIMEOUT_GOV), reboot notifiers, the WDIOC_* ioctls, sysfs. */
#include "lx_internal.h"
#include <linux/watchdog.h>
#include <linux/workqueue.h>
#include <linux/jiffies.h>

struct watchdog_core_data {
	struct watchdog_device *wdd;
	struct delayed_work ping_work;
	u64 started_ns;
	unsigned long pings;
	int restart_priority;
};

static int lx_wdt_next_id;
static unsigned int lx_wdt_stop_after_s; /* 0: never */
static int lx_wdt_no_start;

/* The daemon's watchdog options, from lx_args_apply (lx_param.c). */
void lx_watchdog_options(unsigned int stop_after_s, int no_start)
{
	lx_wdt_stop_after_s = stop_after_s;
	lx_wdt_no_start = no_start;
	lx_wdt_next_id = 0;
}

static bool lx_wdt_timeout_invalid(struct watchdog_device *wdd, unsigned int t)
{
	return t == 0 || (wdd->min_timeout && t < wdd->min_timeout) ||
	       (wdd->max_timeout && !wdd->max_hw_heartbeat_ms && t > wdd->max_timeout);
}

int watchdog_init_timeout(struct watchdog_device *wdd, unsigned int timeout_parm, struct device *dev)
{
	(void)dev; /* no device tree: no "timeout-sec" property */
	if (timeout_parm && !lx_wdt_timeout_invalid(wdd, timeout_parm)) {
		wdd->timeout = timeout_parm;
		return 0;
	}
	if (timeout_parm)
		lx_log(KPI_LOG_ERR, "watchdog: timeout %u out of range [%u, %u], keeping %u", timeout_parm,
		       wdd->min_timeout, wdd->max_timeout, wdd->timeout);
	return timeout_parm || lx_wdt_timeout_invalid(wdd, wdd->timeout) ? -EINVAL : 0;
}

/* How often to ping: half the timeout, or half the hardware's maximum. */
static unsigned long lx_wdt_period_ms(struct watchdog_device *wdd)
{
	unsigned long ms = wdd->timeout ? wdd->timeout * 1000ul / 2 : 500;
	if (wdd->max_hw_heartbeat_ms && ms > wdd->max_hw_heartbeat_ms / 2)
		ms = wdd->max_hw_heartbeat_ms / 2;
	if (wdd->min_hw_heartbeat_ms && ms < wdd->min_hw_heartbeat_ms)
		ms = wdd->min_hw_heartbeat_ms;
	return ms ? ms : 1;
}

static int lx_wdt_ping_once(struct watchdog_device *wdd)
{
	return wdd->ops->ping ? wdd->ops->ping(wdd) : wdd->ops->start(wdd);
}

static void lx_wdt_ping_fn(struct work_struct *work)
{
	struct watchdog_core_data *wd = container_of(to_delayed_work(work), struct watchdog_core_data, ping_work);
	struct watchdog_device *wdd = wd->wdd;
	int rc;
	if (!watchdog_active(wdd) && !watchdog_hw_running(wdd))
		return;
	if (lx_wdt_stop_after_s && watchdog_active(wdd) &&
	    kpi_host_now_ns() - wd->started_ns >= (u64)lx_wdt_stop_after_s * NSEC_PER_SEC) {
		lx_log(KPI_LOG_WARNING,
		       "watchdog%d: keep-alives stopped after %u s (--wdt-stop-after) and %lu pings; "
		       "the hardware acts in about %u s",
		       wdd->id, lx_wdt_stop_after_s, wd->pings, wdd->timeout);
		return;
	}
	rc = lx_wdt_ping_once(wdd);
	if (rc)
		lx_log(KPI_LOG_ERR, "watchdog%d: ping failed: %pe", wdd->id, ERR_PTR(rc));
	else if (!wd->pings++)
		lx_log(KPI_LOG_INFO, "watchdog%d: first keep-alive; pinging every %lu ms", wdd->id,
		       lx_wdt_period_ms(wdd));
	schedule_delayed_work(&wd->ping_work, msecs_to_jiffies(lx_wdt_period_ms(wdd)));
}

static int lx_wdt_start(struct watchdog_device *wdd)
{
	struct watchdog_core_data *wd = wdd->wd_data;
	int rc;
	if (watchdog_hw_running(wdd) && wdd->ops->ping)
		rc = wdd->ops->ping(wdd);
	else
		rc = wdd->ops->start(wdd);
	if (rc)
		return rc;
	set_bit(WDOG_ACTIVE, &wdd->status);
	wd->started_ns = kpi_host_now_ns();
	lx_log(KPI_LOG_INFO, "watchdog%d: started (%s), timeout %u s%s", wdd->id,
	       wdd->info && wdd->info->identity[0] ? (const char *)wdd->info->identity : "?", wdd->timeout,
	       lx_wdt_stop_after_s ? ", keep-alives end per --wdt-stop-after" : "");
	schedule_delayed_work(&wd->ping_work, 0);
	return 0;
}

static int lx_wdt_stop(struct watchdog_device *wdd)
{
	int rc = 0;
	if (!watchdog_active(wdd))
		return 0;
	if (test_bit(WDOG_NO_WAY_OUT, &wdd->status)) {
		lx_log(KPI_LOG_WARNING, "watchdog%d: nowayout is set, not stopping it", wdd->id);
		return -EBUSY;
	}
	if (wdd->ops->stop) {
		clear_bit(WDOG_HW_RUNNING, &wdd->status);
		rc = wdd->ops->stop(wdd);
	} else {
		set_bit(WDOG_HW_RUNNING, &wdd->status);
	}
	if (!rc) {
		clear_bit(WDOG_ACTIVE, &wdd->status);
		lx_log(KPI_LOG_INFO, "watchdog%d: stopped", wdd->id);
	}
	return rc;
}

int watchdog_register_device(struct watchdog_device *wdd)
{
	struct watchdog_core_data *wd;
	int rc;
	if (!wdd || !wdd->info || !wdd->ops || !wdd->ops->start)
		return -EINVAL;
	if (!wdd->ops->stop && !wdd->max_hw_heartbeat_ms && watchdog_hw_running(wdd))
		lx_log(KPI_LOG_WARNING, "watchdog: running hardware without stop op");
	if (lx_wdt_timeout_invalid(wdd, wdd->timeout)) {
		lx_log(KPI_LOG_ERR, "watchdog: invalid timeout %u", wdd->timeout);
		return -EINVAL;
	}
	wd = kzalloc(sizeof(*wd), GFP_KERNEL);
	if (!wd)
		return -ENOMEM;
	wd->wdd = wdd;
	INIT_DELAYED_WORK(&wd->ping_work, lx_wdt_ping_fn);
	wdd->wd_data = wd;
	wdd->id = lx_wdt_next_id++;
	lx_log(KPI_LOG_INFO, "watchdog%d: registered (%s), timeout %u s", wdd->id,
	       wdd->info->identity[0] ? (const char *)wdd->info->identity : "?", wdd->timeout);
	if (lx_wdt_no_start) {
		if (watchdog_hw_running(wdd))
			schedule_delayed_work(&wd->ping_work, 0);
		return 0;
	}
	rc = lx_wdt_start(wdd);
	if (rc) {
		lx_log(KPI_LOG_ERR, "watchdog%d: start failed: %pe", wdd->id, ERR_PTR(rc));
		wdd->wd_data = NULL;
		kfree(wd);
	}
	return rc;
}

void watchdog_unregister_device(struct watchdog_device *wdd)
{
	struct watchdog_core_data *wd;
	if (!wdd || !wdd->wd_data)
		return;
	wd = wdd->wd_data;
	if (test_bit(WDOG_STOP_ON_UNREGISTER, &wdd->status))
		lx_wdt_stop(wdd);
	else if (watchdog_active(wdd))
		lx_log(KPI_LOG_WARNING, "watchdog%d: left running (the driver did not ask to stop on unregister)",
		       wdd->id);
	cancel_delayed_work_sync(&wd->ping_work);
	wdd->wd_data = NULL;
	kfree(wd);
}

static void lx_wdt_devm_unregister(void *data)
{
	watchdog_unregister_device(data);
}

int devm_watchdog_register_device(struct device *dev, struct watchdog_device *wdd)
{
	int rc = watchdog_register_device(wdd);
	if (rc)
		return rc;
	rc = devm_add_action(dev, lx_wdt_devm_unregister, wdd);
	if (rc)
		watchdog_unregister_device(wdd);
	return rc;
}

void watchdog_set_restart_priority(struct watchdog_device *wdd, int priority)
{
	if (wdd->wd_data)
		wdd->wd_data->restart_priority = priority;
}
