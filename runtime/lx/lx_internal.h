/* lx_internal.h: what the runtime/lx files share.  Kernel-header world:
 * included only by the runtime/lx sources, which see Linux headers (+ the shadows)
 * and headers/kpi, never libc.
 *
 * Execution model (see README.md): every driver context is a kit task on one
 * thread; timer callbacks and hard IRQ handlers run in kit's loop context.
 * `current` (the per-cpu lx_current_task, lx_compat.h) is kept right by hand: tasks set it
 * when they start and after every blocking call (lx_block & co. below, the
 * only places an lx task can be switched out); loop-context entry points
 * (timers, IRQs) set it to lx_loop_task. */
#ifndef LX_INTERNAL_H
#define LX_INTERNAL_H

#include <linux/kernel.h>
#include <linux/sched.h>
#include <linux/device.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "kpi_kit.h"
#include "kpi_host.h"
#include "lx_compat.h" /* what differs between kernel versions */

/* A definition of lx that tree code may also bring: lx's library helpers
 * (lx_string.c's kstrto*, strscpy, memchr_inv, strim, hweight ...) exist
 * because a port that does not import their tree file needs them, but the
 * import closure may still bring that file (lib/string.c, lib/string_helpers.c,
 * lib/kstrtox.c ...) for another name it defines.  Then the tree's own
 * definition wins at link time and lx's copy gives way (README, "Tree code
 * beside lx"): no port has to choose, and no duplicate symbol. */
#define LX_YIELDS __weak

/* ---- tasks (lx_sched.c) ---------------------------------------------------- */
struct lx_task {
	struct task_struct ts; /* first: `current` points here */
	kit_task *kt;
	int (*threadfn)(void *data);
	void *data;
	int started, should_stop, exited, exit_code;
	struct kit_waitq exit_wq;
	struct list_head all;
	void (*body)(void *arg); /* plain task body (lx_task_spawn) */
};
extern struct lx_task lx_loop_task; /* `current` in the loop context ("swapper") */

static inline struct lx_task *lx_task_of(struct task_struct *ts)
{
	return container_of(ts, struct lx_task, ts);
}
static inline struct lx_task *lx_self(void)
{
	return lx_task_of(current);
}
/* Start fn(arg) as a new task with its own task_struct (named name). */
struct lx_task *lx_task_spawn(const char *name, void (*fn)(void *arg), void *arg);
/* Block the current task until woken or deadline (KPI_FOREVER); 1 woken. */
int lx_block(kpi_u64 deadline_ns);
int lx_waitq_wait(struct kit_waitq *q, kpi_u64 deadline_ns);
void lx_yield(void);
void lx_sleep_until(kpi_u64 deadline_ns);
/* Loop-context entry: `current` becomes lx_loop_task; returns the previous. */
static inline struct task_struct *lx_enter_loop_ctx(void)
{
	struct task_struct *prev = lx_current_task;
	lx_current_task = &lx_loop_task.ts;
	return prev;
}
static inline void lx_leave_loop_ctx(struct task_struct *prev)
{
	lx_current_task = prev;
}
void lx_sched_reset(void);

/* ---- time (lx_time.c) ---------------------------------------------------------- */
void lx_time_init(void);
void lx_jiffies_update(void);
kpi_u64 lx_jiffies_to_deadline(unsigned long expires);
kpi_u64 lx_timeout_deadline(long timeout); /* jiffies from now, MAX_SCHEDULE_TIMEOUT: forever */
long lx_deadline_remaining(kpi_u64 deadline_ns);

/* ---- memory (lx_mem.c) --------------------------------------------------------- */
void *lx_alloc(size_t size, size_t align, gfp_t gfp);
void lx_free(const void *p);
/* devres: release runs when the device is unbound (or the action removed) */
int lx_devres_add(struct device *dev, void (*action)(void *data), void *data);
/* Find the entry (action, data); drop it, running action first if run. */
int lx_devres_remove(struct device *dev, void (*action)(void *data), void *data, int run);
void lx_devres_release_all(struct device *dev);

/* ---- pages (lx_page.c) ---------------------------------------------------------- */
/* The lowest address that counts as memory: below it (NULL and the pages
 * after it, as Linux's mmap_min_addr) uaccess and virt_addr_valid fail. */
#define LX_USER_MIN 0x10000UL
struct page;
/* Bus address of offset bytes into page when it is host DMA memory; -EFAULT if not. */
int lx_page_bus(struct page *page, unsigned long offset, u64 *bus);

/* ---- software nodes (lx_device.c) ------------------------------------------------- */
struct device;
struct property_entry;
/* The property propname of the software node the device was given, or NULL. */
const struct property_entry *lx_device_property(const struct device *dev, const char *propname);

/* ---- character devices (lx_chardev.c) ---------------------------------------------- */
/* The next dynamic major (254 down), shared by __register_chrdev and
 * alloc_chrdev_region; 0 when the range is used up. */
unsigned int lx_chrdev_dynamic_major(void);

/* ---- log (lx_print.c) ------------------------------------------------------------ */
int lx_vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int lx_snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
void lx_log(int level, const char *fmt, ...) __printf(2, 3);

/* ---- the command line (lx_param.c) ------------------------------------------------ */
/* Apply lx's options and the module parameters (what the host backend left
 * in argv); 0 to go on, or 1 with *status the exit status: 0 after --help,
 * KPI_EXIT_USAGE after an error (logged, naming the argument). */
int lx_args_apply(int argc, char **argv, int *status);
extern int lx_pci_list_ids; /* --list-ids (lx_pci.c) */
extern int lx_once;              /* --once: init, then exit, then stop (lx_main.c) */
extern unsigned int lx_warnings; /* WARNINGs so far (lx_core.c) */
/* --wdt-stop-after=SECONDS (0: never), --wdt-no-start (lx_watchdog.c) */
void lx_watchdog_options(unsigned int stop_after_s, int no_start);

/* ---- PCI, IRQ, DMA ------------------------------------------------------------------ */
struct pci_dev;
int lx_pci_handle(struct pci_dev *pdev); /* host handle, -1 if not open */
void lx_irq_release_dev(struct pci_dev *pdev);
int lx_irq_setup_legacy(struct pci_dev *pdev);
void lx_main_reset(void);

/* ---- character devices (lx_fs.c), DRM clients (lx_drm.c) ------------------------- */
struct file;
/* open(2) of the node (major, minor): the registered fops' open; -ENXIO if none */
int lx_chrdev_open(unsigned int major, unsigned int minor, unsigned int flags, struct file **out);
void lx_chrdev_close(struct file *file); /* the last close: release, then free */
void lx_drm_display_start(void); /* the OS's display clients, before readiness */
void lx_drm_clients_start(void);	  /* once the driver's init succeeded */
/* request_region() of ports inside an I/O BAR of an open function opens
 * that BAR for raw inb()/outw() & co. (lx_iomap.c) */
void lx_pio_claim(unsigned long long start, unsigned long long n);
/* Built-in initcalls of imported tree code (lx_initcall.c), once, in the
 * task that runs the module's init, before it. */
void lx_builtin_init(void);
/* --i2c-dump=PATHS / --i2c-set=PATH:OFFSET=HEX (lx_i2c.c, CONFIG_I2C only):
 * queue client requests for adapters yet to register; -EINVAL if malformed. */
int lx_i2c_option(bool set, const char *value);
/* The request layer a Redox scheme i2c.<pci name> will call (lx_i2c.c):
 * "ADAPTER/ADDR" -> numbers; bytes at an offset (the command byte) through
 * SMBus transactions; the count done or a negative errno. */
struct i2c_adapter;
int lx_i2c_path(const char *path, int *nr, u16 *addr);
int lx_i2c_read(struct i2c_adapter *adap, u16 addr, u8 offset, u8 *buf, int len, bool block);
int lx_i2c_write(struct i2c_adapter *adap, u16 addr, u8 offset, const u8 *buf, int len);

/* ---- core (lx_core.c) ---------------------------------------------------------------- */
void lx_core_init(void);
extern int lx_stop_requested;

#endif
