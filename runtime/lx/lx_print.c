/* lx_print.c: printk and the prefixed loggers (dev_*, netdev_*, pr_*
 * through printk), rate limits.  Messages are formatted by lx_vsnprintf
 * (lx_format.c), assembled into lines (KERN_CONT continues the previous
 * one) and handed to kpi_host_log with their kernel log level. */
#include "lx_internal.h"
#include <linux/console.h>
#include <linux/mutex.h>
#include <linux/pci.h>
#include <linux/vgaarb.h>
#include <linux/netdevice.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>

static char lx_line[1024];
static int lx_line_len = -1; /* -1: no open line */
static int lx_line_level;

static void lx_line_flush(void)
{
	if (lx_line_len < 0)
		return;
	lx_line[lx_line_len] = 0;
	kpi_host_log(lx_line_level, lx_line);
	lx_line_len = -1;
}

/* Emit text at level; cont appends to the open line. */
static void lx_emit(int level, int cont, const char *text)
{
	if (!cont || lx_line_len < 0) {
		lx_line_flush();
		lx_line_len = 0;
		lx_line_level = level;
	}
	for (; *text; text++) {
		if (*text == '\n') {
			lx_line_flush();
			if (text[1]) {
				lx_line_len = 0;
				lx_line_level = level;
			}
			continue;
		}
		if (lx_line_len < (int)sizeof(lx_line) - 1)
			lx_line[lx_line_len++] = *text;
	}
}

/* Parse KERN_SOH prefixes: returns the text after them. */
static const char *lx_parse_level(const char *s, int *level, int *cont)
{
	while (s[0] == KERN_SOH_ASCII && s[1]) {
		if (s[1] >= '0' && s[1] <= '7')
			*level = s[1] - '0';
		else if (s[1] == 'c')
			*cont = 1;
		s += 2;
	}
	return s;
}

void lx_log(int level, const char *fmt, ...)
{
	char buf[768];
	va_list ap;
	va_start(ap, fmt);
	lx_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	lx_emit(level, 0, buf);
	lx_line_flush();
}

int vprintk_emit(int facility, int level, const struct dev_printk_info *dev_info, const char *fmt,
		 va_list args)
{
	char buf[1024];
	int cont = 0, n;
	const char *text;
	(void)facility;
	(void)dev_info;
	n = lx_vsnprintf(buf, sizeof(buf), fmt, args);
	if (level == LOGLEVEL_DEFAULT)
		level = -1;
	text = lx_parse_level(buf, &level, &cont);
	if (level < 0)
		level = cont ? lx_line_level : CONFIG_MESSAGE_LOGLEVEL_DEFAULT;
	lx_emit(level, cont, text);
	return n;
}

int vprintk(const char *fmt, va_list args)
{
	return vprintk_emit(0, LOGLEVEL_DEFAULT, NULL, fmt, args);
}

int _printk(const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* Linux defers the console work to a safe context (printk from the
 * scheduler, lib/ratelimit.c's "callbacks suppressed"); the log here is a
 * host write that is safe anywhere. */
int _printk_deferred(const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* ---- device and netdev prefixes ------------------------------------------------------------ */

static const char *lx_drv_name(const struct device *dev)
{
	if (dev->driver && dev->driver->name)
		return dev->driver->name;
	if (dev->bus && dev->bus->name)
		return dev->bus->name;
	return "";
}

int dev_vprintk_emit(int level, const struct device *dev, const char *fmt, va_list args)
{
	char buf[1024];
	int n;
	if (level < 0)
		level = CONFIG_MESSAGE_LOGLEVEL_DEFAULT;
	n = lx_vsnprintf(buf, sizeof(buf), fmt, args);
	if (dev)
		lx_log(level, "%s %s: %s", lx_drv_name(dev), dev_name(dev) ? dev_name(dev) : "(null)", buf);
	else
		lx_log(level, "(NULL device *): %s", buf);
	return n;
}

int dev_printk_emit(int level, const struct device *dev, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = dev_vprintk_emit(level, dev, fmt, ap);
	va_end(ap);
	return n;
}

void _dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
{
	int lvl = -1, cont = 0;
	va_list ap;
	lx_parse_level(level, &lvl, &cont);
	va_start(ap, fmt);
	dev_vprintk_emit(lvl, dev, fmt, ap);
	va_end(ap);
}

#define LX_DEV_LOGGER(fn, lvl)                                     \
	void fn(const struct device *dev, const char *fmt, ...)    \
	{                                                          \
		va_list ap;                                        \
		va_start(ap, fmt);                                 \
		dev_vprintk_emit(lvl, dev, fmt, ap);               \
		va_end(ap);                                        \
	}
LX_DEV_LOGGER(_dev_emerg, LOGLEVEL_EMERG)
LX_DEV_LOGGER(_dev_alert, LOGLEVEL_ALERT)
LX_DEV_LOGGER(_dev_crit, LOGLEVEL_CRIT)
LX_DEV_LOGGER(_dev_err, LOGLEVEL_ERR)
LX_DEV_LOGGER(_dev_warn, LOGLEVEL_WARNING)
LX_DEV_LOGGER(_dev_notice, LOGLEVEL_NOTICE)
LX_DEV_LOGGER(_dev_info, LOGLEVEL_INFO)

int dev_err_probe(const struct device *dev, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* -EPROBE_DEFER is routine in Linux (debug level); here it is final. */
	dev_vprintk_emit(err == -EPROBE_DEFER ? LOGLEVEL_DEBUG : LOGLEVEL_ERR, dev, fmt, ap);
	va_end(ap);
	return err;
}

static void lx_netdev_vlog(int level, const struct net_device *dev, const char *fmt, va_list args)
{
	char buf[1024];
	lx_vsnprintf(buf, sizeof(buf), fmt, args);
	if (dev && dev->dev.parent)
		lx_log(level, "%s %s %s: %s", lx_drv_name(dev->dev.parent), dev_name(dev->dev.parent),
		       netdev_name(dev), buf);
	else if (dev)
		lx_log(level, "%s: %s", netdev_name(dev), buf);
	else
		lx_log(level, "(NULL net_device): %s", buf);
}

void netdev_printk(const char *level, const struct net_device *dev, const char *fmt, ...)
{
	int lvl = CONFIG_MESSAGE_LOGLEVEL_DEFAULT, cont = 0;
	va_list ap;
	lx_parse_level(level, &lvl, &cont);
	va_start(ap, fmt);
	lx_netdev_vlog(lvl, dev, fmt, ap);
	va_end(ap);
}

#define LX_NETDEV_LOGGER(fn, lvl)                                      \
	void fn(const struct net_device *dev, const char *fmt, ...)    \
	{                                                              \
		va_list ap;                                            \
		va_start(ap, fmt);                                     \
		lx_netdev_vlog(lvl, dev, fmt, ap);                     \
		va_end(ap);                                            \
	}
LX_NETDEV_LOGGER(netdev_emerg, LOGLEVEL_EMERG)
LX_NETDEV_LOGGER(netdev_alert, LOGLEVEL_ALERT)
LX_NETDEV_LOGGER(netdev_crit, LOGLEVEL_CRIT)
LX_NETDEV_LOGGER(netdev_err, LOGLEVEL_ERR)
LX_NETDEV_LOGGER(netdev_warn, LOGLEVEL_WARNING)
LX_NETDEV_LOGGER(netdev_notice, LOGLEVEL_NOTICE)
LX_NETDEV_LOGGER(netdev_info, LOGLEVEL_INFO)

/* ---- rate limits: 10 messages per 5 s, as the kernel's defaults --------------------------------- */

static int lx_ratelimit(unsigned long *begin, int *count)
{
	unsigned long now = (lx_jiffies_update(), (unsigned long)jiffies_64);
	if (!*begin || time_after(now, *begin + 5 * HZ)) {
		*begin = now;
		*count = 0;
	}
	return (*count)++ < 10;
}

int __printk_ratelimit(const char *func)
{
	static unsigned long begin;
	static int count;
	(void)func;
	return lx_ratelimit(&begin, &count);
}

int net_ratelimit(void)
{
	static unsigned long begin;
	static int count;
	return lx_ratelimit(&begin, &count);
}

bool printk_timed_ratelimit(unsigned long *caller_jiffies, unsigned int interval_msecs)
{
	unsigned long now = (lx_jiffies_update(), (unsigned long)jiffies_64);
	if (*caller_jiffies == 0 || !time_in_range(now, *caller_jiffies,
						   *caller_jiffies + msecs_to_jiffies(interval_msecs))) {
		*caller_jiffies = now;
		return true;
	}
	return false;
}

/* ---- the console lock (kernel/printk/printk.c) --------------------------------------------------
 * A daemon drives no console; the lock still serialises what its users
 * (the fbdev core around a framebuffer's registration and mode changes)
 * put under it, as a sleeping lock like Linux's console_sem.
 * is_console_locked() answers for the daemon as a whole, as Linux's does
 * for the system.  oops_in_progress stays 0: the runtime's panic() and
 * BUG() end the daemon instead of printing through a console. */
static DEFINE_MUTEX(lx_console_mtx);
static int lx_console_locked;
int oops_in_progress;
atomic_t ignore_console_lock_warning;

void console_lock(void)
{
	might_sleep();
	mutex_lock(&lx_console_mtx);
	lx_console_locked = 1;
}

int console_trylock(void)
{
	if (!mutex_trylock(&lx_console_mtx))
		return 0;
	lx_console_locked = 1;
	return 1;
}

void console_unlock(void)
{
	lx_console_locked = 0;
	mutex_unlock(&lx_console_mtx);
}

int is_console_locked(void)
{
	return lx_console_locked;
}

#ifdef CONFIG_VGA_ARB /* else linux/vgaarb.h has the inline */
/* The VGA text console is the kernel's, on the host; none runs in the
 * daemon's process, so there is none to take off the device: Linux's
 * answer when vgacon does not drive it. */
int vga_remove_vgacon(struct pci_dev *pdev)
{
	(void)pdev;
	return 0;
}
#endif
