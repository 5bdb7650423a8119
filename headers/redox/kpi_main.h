/* headers/redox/kpi_main.h: the entry points a ported driver's generated
 * main() calls (rules/module_entry.cocci, rules/module_driver.cocci add
 * `#include <redox/kpi_main.h>` and `return kpi_*_main(argc, argv, ...)`),
 * and, through redox_io.h, the whole redox_* API that the `rename` entries
 * of mappings/io.lua name.  Kernel-header translation units only; the
 * implementation is runtime/lx (lx_main.c, lx_iomap.c). */
#ifndef REDOX_KPI_MAIN_H
#define REDOX_KPI_MAIN_H

#include <redox/lx_libc.h>
#include <redox/redox_io.h>

struct pci_driver;
struct platform_driver;
struct device_driver;
struct i2c_driver;
struct usb_driver;

/* Start the host backend (it takes its own options out of argv), apply
 * lx's options and the module parameters (name=value; --help lists them),
 * run init in a task, report readiness when it succeeded, run the event
 * loop until the runtime is asked to stop (kpi_lx_stop, a terminating
 * signal) or the host reports that nothing can happen any more, then run
 * exit.  Returns the process status below. */
int kpi_module_main(int argc, char **argv, int (*init)(void), void (*exit)(void));

/* The daemon's exit status:
 *   0    stopped cleanly: the loop ended and the driver's exit path ran to
 *        its end - after kpi_lx_stop(0), when nothing could happen any
 *        more, or after one catchable terminating signal (SIGTERM, SIGINT,
 *        SIGHUP, SIGQUIT, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
 *        SIGXFSZ, SIGPWR: the exit path runs once, in the loop, even when
 *        the signal arrives during init); or --help / --list-ids printed
 *        what was asked
 *   1    init failed, the exit path did not finish, or the host backend
 *        failed to start for a reason other than those below
 *   2    KPI_EXIT_USAGE: the command line, before init: an unknown --option
 *        (the log lists the valid ones), an option or parameter value that
 *        does not parse (named), `name` alone for a parameter that is not a
 *        bool, an unknown parameter under --strict (without it: a warning,
 *        "unknown parameter 'x' ignored (did you mean 'y'?)"), or a
 *        malformed option of the host backend (e.g. --ready-fd=x)
 *   3    KPI_EXIT_NO_DEVICE: --pci= names a PCI function the host does not
 *        have, or init registered PCI drivers but no function the host
 *        offers matched their ID tables (or every probe failed); the log
 *        names each driver.  `--list-ids` prints the ID tables instead of
 *        probing, and exits 0.  Redox: also when PCID_CLIENT_CHANNEL is not
 *        set (started by hand, not by pcid-spawner: the host offers no
 *        function, and its log says so).
 *   4    KPI_EXIT_HOST: the OS side broke its protocol or went away and the
 *        host backend stopped the daemon, naming what in the log.  Redox
 *        (runtime/host/redox/rx_chan.c): PCID_CLIENT_CHANNEL is set but is
 *        not an open pcid channel, or pcid answered a request with a wrong
 *        length or an unknown or wrong message.
 *   128+N  KPI_EXIT_SIGNAL_BASE + N (kpi_host_core.h): a second terminating
 *        signal N arrived while the exit path of the first still ran (a
 *        stuck exit): bus mastering was turned off on every opened PCI
 *        function, then the process left at once.
 * The process dies by SIGSEGV, SIGBUS, SIGILL or SIGFPE (a fatal fault)
 * or SIGABRT (kpi_host_abort: BUG, panic, an unported stub reached;
 * SIGUSR1 is the daemon's sysrq-c: panic() with its notifiers), which a
 * shell shows as 128+N too; in each case bus mastering was turned off on
 * every opened PCI function first, so the device stops DMA into memory
 * that is about to be freed.  SIGPIPE is ignored.  SIGKILL cannot be
 * caught: nothing runs. */
#define KPI_EXIT_USAGE 2
#define KPI_EXIT_NO_DEVICE 3
#define KPI_EXIT_HOST 4

/* kpi_module_main with init = pci_register_driver(drv) (fails with -ENODEV
 * when no function the host offers matched drv->id_table or every probe
 * failed) and exit = pci_unregister_driver(drv). */
int kpi_pci_driver_main(int argc, char **argv, struct pci_driver *drv);

/* Buses the runtime has no core for yet: they log why and return 1. */
int kpi_platform_driver_main(int argc, char **argv, struct platform_driver *drv);
int kpi_i2c_driver_main(int argc, char **argv, struct i2c_driver *drv);
int kpi_usb_driver_main(int argc, char **argv, struct usb_driver *drv);
int kpi_driver_main(int argc, char **argv, struct device_driver *drv);

/* Ask the event loop to end; the exit function runs, then main returns
 * status.  Callable from any context (a driver, a test, the host glue). */
void kpi_lx_stop(int status);

#endif
