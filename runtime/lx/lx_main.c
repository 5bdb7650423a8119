/* lx_main.c: the daemon's life - kpi_module_main and the kpi_*_driver_main
 * entry points the generated main() calls (headers/redox/kpi_main.h), and
 * the module object drivers point THIS_MODULE at.
 *
 * Order: start the host (it parses its own options), apply module
 * parameters (--help prints them and exits 0), run init in a task ("insmod")
 * while the loop runs, report readiness once init succeeded, keep the loop
 * running until kpi_lx_stop() or until the host says no event can ever come
 * (kit_run returns a negative code, e.g. the sim's -EDEADLK), then run exit
 * in a task ("rmmod") until the loop is idle. */
#include "lx_internal.h"
#include <linux/module.h>
#include <linux/pci.h>
#include <redox/kpi_main.h>

struct module __this_module = {
	.name = "kpi",
	.state = MODULE_STATE_LIVE,
};

int lx_stop_requested;
int lx_workqueue_init(void);
void lx_workqueue_reset(void);

struct lx_main_call {
	int (*init)(void);
	void (*exit)(void);
	int rc;
	int done;
	int nodev; /* init succeeded but no PCI device matched */
};

int lx_pci_nothing_bound(void);
extern int lx_pci_list_ids;

static void lx_init_task(void *arg)
{
	struct lx_main_call *c = arg;
	c->rc = c->init ? c->init() : 0;
	c->done = 1;
	if (c->rc) {
		lx_log(KPI_LOG_ERR, "%s: init failed: %pe", THIS_MODULE->name, ERR_PTR(c->rc));
		kit_stop(1);
	} else if (lx_pci_list_ids) {
		kit_stop(0);
	} else if (lx_pci_nothing_bound()) {
		c->nodev = 1;
		kit_stop(KPI_EXIT_NO_DEVICE);
	} else {
		kpi_host_ready();
	}
}

static void lx_exit_task(void *arg)
{
	struct lx_main_call *c = arg;
	if (c->exit)
		c->exit();
	c->done = 1;
	kit_stop(0);
}

static void lx_set_module_name(const char *argv0)
{
	const char *base = argv0, *p;
	if (!argv0)
		return;
	for (p = argv0; *p; p++)
		if (*p == '/')
			base = p + 1;
	strscpy(__this_module.name, base, sizeof(__this_module.name));
}

void kpi_lx_stop(int status)
{
	lx_stop_requested = 1;
	kit_stop(status);
}

int kpi_module_main(int argc, char **argv, int (*init)(void), void (*exit)(void))
{
	struct lx_main_call call = {init, exit, 0, 0, 0};
	int rc, i;
	lx_set_module_name(argc > 0 ? argv[0] : NULL);
	rc = kpi_host_init(argc, argv);
	if (rc < 0) {
		lx_log(KPI_LOG_ERR, "host start failed: %pe", ERR_PTR(rc));
		return 1;
	}
	lx_core_init();
	lx_time_init();
	lx_pci_list_ids = 0;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--list-ids"))
			lx_pci_list_ids = 1;
	rc = lx_params_apply(argc, argv);
	if (rc)
		return rc > 0 ? 0 : 1;
	lx_stop_requested = 0;
	if (lx_workqueue_init() || !lx_task_spawn("insmod", lx_init_task, &call)) {
		lx_log(KPI_LOG_ERR, "out of memory starting the driver");
		return 1;
	}
	rc = kit_run(0);
	if (!call.done) {
		lx_log(KPI_LOG_ERR, "init did not finish (loop ended: %d)", rc);
		return 1;
	}
	if (call.rc)
		return 1;
	if (lx_pci_list_ids)
		return 0;
	if (rc < 0 && rc != -KPI_EDEADLK)
		lx_log(KPI_LOG_WARNING, "event loop ended: %pe", ERR_PTR(rc));
	call.done = 0;
	if (!lx_task_spawn("rmmod", lx_exit_task, &call))
		return 1;
	kit_run(KIT_RUN_UNTIL_IDLE);
	if (!call.done) {
		lx_log(KPI_LOG_ERR, "exit did not finish: a task waits for something that never comes");
		return 1;
	}
	if (call.nodev)
		return KPI_EXIT_NO_DEVICE;
	return lx_stop_requested && rc > 0 ? rc : 0;
}

static int lx_unsupported_bus(const char *bus)
{
	lx_log(KPI_LOG_ERR, "%s drivers are not supported by the runtime yet (no %s core)", bus, bus);
	return 1;
}

int kpi_platform_driver_main(int argc, char **argv, struct platform_driver *drv)
{
	(void)argc, (void)argv, (void)drv;
	return lx_unsupported_bus("platform");
}

int kpi_i2c_driver_main(int argc, char **argv, struct i2c_driver *drv)
{
	(void)argc, (void)argv, (void)drv;
	return lx_unsupported_bus("i2c");
}

int kpi_usb_driver_main(int argc, char **argv, struct usb_driver *drv)
{
	(void)argc, (void)argv, (void)drv;
	return lx_unsupported_bus("usb");
}

int kpi_driver_main(int argc, char **argv, struct device_driver *drv)
{
	(void)argc, (void)argv, (void)drv;
	return lx_unsupported_bus("generic device");
}

/* lx_net*.c is optional (kpi_add_lx NO_NET): its reset hook is weak. */
void lx_net_napi_reset(void) __attribute__((weak));

/* For tests that run several daemons in one process. */
void lx_main_reset(void)
{
	if (lx_net_napi_reset)
		lx_net_napi_reset();
	lx_workqueue_reset();
	lx_sched_reset();
	kit_reset();
}
