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

/* Parse module parameters (name=value; --help lists them), start the host
 * backend, run init in a task, report readiness when it succeeded, run the
 * event loop until the runtime is asked to stop (kpi_lx_stop) or the host
 * reports that nothing can happen any more, then run exit.  Returns the
 * process status: 0, or 1 when init failed or exit did not finish. */
int kpi_module_main(int argc, char **argv, int (*init)(void), void (*exit)(void));

/* The daemon's exit status:
 *   0  stopped cleanly (or --help / --list-ids printed what was asked)
 *   1  init or exit failed, bad parameter, host backend failed to start
 *   3  KPI_EXIT_NO_DEVICE: init registered PCI drivers, but no function the
 *      host offers matched their ID tables (or every probe failed); the log
 *      names each driver.  `--list-ids` prints the ID tables instead of
 *      probing, and exits 0. */
#define KPI_EXIT_NO_DEVICE 3

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
