/* lx_main.c: the daemon's life - kpi_module_main and the kpi_*_driver_main
 * entry points the generated main() calls (headers/redox/kpi_main.h), and
 * the module object drivers point THIS_MODULE at.
 *
 * Order: start the host (it takes its own options out of argv), apply
 * lx's options and the module parameters (lx_param.c: --help prints them
 * and exits 0, a bad one exits KPI_EXIT_USAGE), run init in a task ("insmod")
 * while the loop runs, report readiness once init succeeded, keep the loop
 * running until kpi_lx_stop() or until the host says no event can ever come
 * (kit_run returns a negative code, e.g. the sim's -EDEADLK), then run exit
 * in a task ("rmmod") until the loop is idle.
 *
 * Modules a driver depends on (pvpanic-pci imports pvpanic.c, whose
 * module_init registers the panic notifier; cb_pcidas imports comedi_8254
 * and comedi_8255) are imports, compiled built in even where kbuild builds
 * them as modules (cmake/KpiPort.cmake, kpi_port_import: -UMODULE): their
 * module_init is an initcall that lx_builtin_init() runs before the
 * driver's init, as for a dependency configured =y, and their module_exit
 * never runs, as for built-in code.  Any number of them links. */
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
	int init_done;
};

int lx_pci_nothing_bound(void);

/* A stop (terminating signal) requested while init still ran: exit runs
 * once init is done, so what init set up is torn down (Linux cannot rmmod
 * a module during its init either). */
static int lx_stop_after_init;
/* --once: a module that only runs code in init (Linux's self-test modules,
 * KUnit suites) stops after init instead of waiting for a signal; exit
 * runs as after SIGTERM.  The last line says what happened, for a test
 * runner: "once: init returned N, W warnings"; the status is 1 when init
 * failed or a WARN fired. */
int lx_once;
static struct lx_main_call *lx_call; /* the running kpi_module_main's */

/* A KUnit test module's suites (.kunit_test_suites, bounds from
 * lx_sections.ld): Linux's module loader hands them to KUnit once the
 * module is live and again when it goes; KUnit (lib/kunit/test.c, imported
 * by the port when the module uses it) runs them and prints KTAP. */
struct kunit_suite;
extern struct kunit_suite *__kpi_kunit_start[] __attribute__((weak));
extern struct kunit_suite *__kpi_kunit_end[] __attribute__((weak));
int __kunit_test_suites_init(struct kunit_suite *const *const suites, int num_suites) __attribute__((weak));
void __kunit_test_suites_exit(struct kunit_suite **suites, int num_suites) __attribute__((weak));
int kunit_suite_has_succeeded(struct kunit_suite *suite) __attribute__((weak)); /* enum kunit_status */
static int lx_kunit_failed; /* suites that ended KUNIT_FAILURE (1) */

/* Module loading events: the daemon is the one module and never loads
 * another, so a notifier (KUnit's) is accepted and not called. */
int register_module_notifier(struct notifier_block *nb)
{
	(void)nb;
	return 0;
}

int unregister_module_notifier(struct notifier_block *nb)
{
	(void)nb;
	return 0;
}

static int lx_kunit_suites(void)
{
	if (!__kpi_kunit_start || !__kunit_test_suites_init)
		return 0;
	return (int)(__kpi_kunit_end - __kpi_kunit_start);
}

static void lx_init_task(void *arg)
{
	struct lx_main_call *c = arg;
	lx_builtin_init();
	c->rc = c->init ? c->init() : 0;
	if (!c->rc && lx_kunit_suites()) {
		int i;
		__kunit_test_suites_init(__kpi_kunit_start, lx_kunit_suites());
		for (i = 0; kunit_suite_has_succeeded && i < lx_kunit_suites(); i++)
			lx_kunit_failed += kunit_suite_has_succeeded(__kpi_kunit_start[i]) == 1;
	}
	c->done = c->init_done = 1;
	if (c->rc) {
		lx_log(KPI_LOG_ERR, "%s: init failed: %pe", THIS_MODULE->name, ERR_PTR(c->rc));
		kit_stop(1);
	} else if (lx_pci_list_ids || lx_once) {
		kit_stop(0);
	} else if (lx_pci_nothing_bound()) {
		c->nodev = 1;
		kit_stop(KPI_EXIT_NO_DEVICE);
	} else if (lx_stop_after_init) {
		lx_log(KPI_LOG_INFO, "%s: init done, running exit (stop requested during init)", THIS_MODULE->name);
		kpi_lx_stop(0);
	} else {
		lx_drm_display_start();
		kpi_host_ready();
		lx_drm_clients_start();
	}
}

static void lx_exit_task(void *arg)
{
	struct lx_main_call *c = arg;
	if (lx_kunit_suites() && __kunit_test_suites_exit)
		__kunit_test_suites_exit(__kpi_kunit_start, lx_kunit_suites());
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

/* Process requests (kpi_host_signal_watch, optional in a backend): TERM
 * (any catchable terminating signal) stops the daemon cleanly - the
 * driver's exit runs once, so a watchdog is stopped, a NIC released, DMA
 * stopped; a second terminating signal is the backend's business (it
 * forces the exit, see kpi_host_core.h).  PANIC (SIGUSR1) is the daemon's
 * sysrq-c: the kernel panic path with its notifiers (pvpanic tells the
 * hypervisor), then abort. */
int kpi_host_signal_watch(void *cookie) __attribute__((weak));
static int lx_term_seen;

static void lx_signal_event(struct kit_evh *evh, const struct kpi_host_event *ev)
{
	(void)evh;
	if (ev->index == KPI_SIG_PANIC) {
		struct task_struct *prev = lx_enter_loop_ctx();
		panic("requested by signal (SIGUSR1)");
		lx_leave_loop_ctx(prev);
	}
	if (lx_term_seen++)
		return;
	if (lx_call && !lx_call->init_done) {
		lx_log(KPI_LOG_INFO, "%s: stop requested during init: exit runs when init is done", THIS_MODULE->name);
		lx_stop_after_init = 1;
		return;
	}
	lx_log(KPI_LOG_INFO, "%s: stop requested, running exit", THIS_MODULE->name);
	kpi_lx_stop(0);
}

static struct kit_evh lx_signal_evh = {lx_signal_event};

void lx_signals_watch(void)
{
	int rc;
	if (!kpi_host_signal_watch)
		return;
	rc = kpi_host_signal_watch(&lx_signal_evh);
	if (rc < 0)
		lx_log(KPI_LOG_WARNING, "no signal handling: %pe", ERR_PTR(rc));
}

static int lx_module_main(struct lx_main_call *c, int argc, char **argv);

static int lx_once_result(int init_rc, int status)
{
	if (!lx_once)
		return status;
	lx_log(KPI_LOG_INFO, "once: init returned %d, %u warnings, %d failed KUnit suites", init_rc, lx_warnings,
	       lx_kunit_failed);
	return status || lx_warnings || lx_kunit_failed ? 1 : 0;
}

int kpi_module_main(int argc, char **argv, int (*init)(void), void (*exit)(void))
{
	struct lx_main_call call = {init, exit, 0, 0, 0, 0};
	int status = lx_module_main(&call, argc, argv);
	lx_call = NULL;
	return status;
}

static int lx_module_main(struct lx_main_call *c, int argc, char **argv)
{
	int rc, status;
	lx_set_module_name(argc > 0 ? argv[0] : NULL);
	rc = kpi_host_init(KPI_HOST_VERSION, &argc, argv);
	if (rc < 0) {
		/* the backend logged what it refused: a --pci= naming no
		 * function, or a malformed option of its own */
		lx_log(KPI_LOG_ERR, "host start failed: %pe", ERR_PTR(rc));
		return rc == -KPI_ENODEV ? KPI_EXIT_NO_DEVICE : rc == -KPI_EINVAL ? KPI_EXIT_USAGE : 1;
	}
	lx_core_init();
	lx_time_init();
	if (lx_args_apply(argc, argv, &status))
		return status;
	lx_stop_requested = lx_stop_after_init = lx_term_seen = 0;
	lx_warnings = 0;
	lx_kunit_failed = 0;
	lx_call = c;
	lx_signals_watch();
	if (lx_workqueue_init() || !lx_task_spawn("insmod", lx_init_task, c)) {
		lx_log(KPI_LOG_ERR, "out of memory starting the driver");
		return 1;
	}
	rc = kit_run(0);
	if (!c->done) {
		lx_log(KPI_LOG_ERR, "init did not finish (loop ended: %d)", rc);
		return 1;
	}
	if (c->rc)
		return lx_once_result(c->rc, 1);
	if (lx_pci_list_ids)
		return 0;
	if (rc < 0 && rc != -KPI_EDEADLK)
		lx_log(KPI_LOG_WARNING, "event loop ended: %pe", ERR_PTR(rc));
	c->done = 0;
	if (!lx_task_spawn("rmmod", lx_exit_task, c))
		return 1;
	kit_run(KIT_RUN_UNTIL_IDLE);
	if (!c->done) {
		lx_log(KPI_LOG_ERR, "exit did not finish: a task waits for something that never comes");
		return 1;
	}
	if (c->nodev)
		return KPI_EXIT_NO_DEVICE;
	if (lx_once)
		return lx_once_result(0, 0);
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
