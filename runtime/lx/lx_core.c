/* lx_core.c: the CPU-ish state of the emulated uniprocessor (interrupt
 * flag, preempt count, system_state), BUG/WARN/panic/dump_stack, notifier
 * chains, randomness and the few device-model helpers drivers call. */
#include "lx_internal.h"
#include <linux/kmod.h>
#include <linux/bug.h>
#include <linux/capability.h>
#include <linux/jump_label.h>
#include <linux/smp.h>
#include <linux/notifier.h>
#include <linux/panic.h>
#include <linux/panic_notifier.h>
#include <linux/preempt.h>
#include <linux/random.h>
#include <linux/reboot.h>
#include <linux/property.h>
#include <linux/ctype.h>
#include <linux/refcount.h>

/* ---- interrupt flag (headers/shadow/asm/irqflags.h) ------------------------------ */

/* X86_EFLAGS_IF while interrupts are "enabled".  Disabling opens a kit
 * atomic region, so blocking with interrupts off aborts loudly; host
 * interrupts are loop events and cannot arrive while code runs anyway. */
unsigned long lx_irq_flags = X86_EFLAGS_IF;

void lx_irq_disable(void)
{
	if (lx_irq_flags & X86_EFLAGS_IF) {
		lx_irq_flags = 0;
		kit_atomic_begin();
	}
}

void lx_irq_enable(void)
{
	if (!(lx_irq_flags & X86_EFLAGS_IF)) {
		lx_irq_flags = X86_EFLAGS_IF;
		kit_atomic_end();
	}
}

enum system_states system_state = SYSTEM_RUNNING;

/* ---- BUG, WARN, panic ---------------------------------------------------------------- */

void lx_bug(const char *file, int line)
{
	char why[256];
	lx_snprintf(why, sizeof(why), "kernel BUG at %s:%d!", file, line);
	kpi_host_abort(why);
}

unsigned int lx_warnings;

/* Taint flags (kernel/panic.c): recorded, nothing else; self-test modules
 * and KUnit mark the kernel TAINT_TEST. */
static unsigned long lx_tainted_mask;

void add_taint(unsigned int flag, enum lockdep_ok lockdep_ok)
{
	(void)lockdep_ok;
	if (flag < BITS_PER_LONG)
		lx_tainted_mask |= 1UL << flag;
}

int test_taint(unsigned int flag)
{
	return flag < BITS_PER_LONG && (lx_tainted_mask >> flag) & 1;
}

unsigned long get_taint(void)
{
	return lx_tainted_mask;
}

void lx_warn(const char *file, int line, unsigned int flags)
{
	(void)flags;
	lx_warnings++;
	lx_log(KPI_LOG_WARNING, "WARNING: at %s:%d (task %s)", file, line, current->comm);
	kpi_host_backtrace();
}

void __warn_printk(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	lx_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kpi_host_log(KPI_LOG_WARNING, buf);
}

#ifdef CONFIG_PRINTK /* else linux/printk.h makes it an empty inline */
void dump_stack(void)
{
	kpi_host_backtrace();
}
#endif

ATOMIC_NOTIFIER_HEAD(panic_notifier_list);

void panic(const char *fmt, ...)
{
	static int in_panic;
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	lx_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!in_panic++) {
		lx_log(KPI_LOG_EMERG, "Kernel panic - not syncing: %s", buf);
		atomic_notifier_call_chain(&panic_notifier_list, 0, buf);
	}
	kpi_host_abort(buf);
}

/* ---- notifier chains: one thread, so no locking is needed ----------------------------- */

static int chain_register(struct notifier_block **list, struct notifier_block *n)
{
	while (*list && (*list)->priority >= n->priority)
		list = &(*list)->next;
	n->next = *list;
	*list = n;
	return 0;
}

static int chain_unregister(struct notifier_block **list, struct notifier_block *n)
{
	for (; *list; list = &(*list)->next)
		if (*list == n) {
			*list = n->next;
			return 0;
		}
	return -ENOENT;
}

static int chain_call(struct notifier_block **list, unsigned long val, void *v)
{
	int ret = NOTIFY_DONE;
	struct notifier_block *nb = *list, *next;
	while (nb) {
		next = nb->next;
		ret = nb->notifier_call(nb, val, v);
		if (ret & NOTIFY_STOP_MASK)
			break;
		nb = next;
	}
	return ret;
}

int atomic_notifier_chain_register(struct atomic_notifier_head *nh, struct notifier_block *n)
{
	return chain_register(&nh->head, n);
}
int atomic_notifier_chain_unregister(struct atomic_notifier_head *nh, struct notifier_block *n)
{
	return chain_unregister(&nh->head, n);
}
int atomic_notifier_call_chain(struct atomic_notifier_head *nh, unsigned long val, void *v)
{
	return chain_call(&nh->head, val, v);
}
int blocking_notifier_chain_register(struct blocking_notifier_head *nh, struct notifier_block *n)
{
	return chain_register(&nh->head, n);
}
int blocking_notifier_chain_unregister(struct blocking_notifier_head *nh, struct notifier_block *n)
{
	return chain_unregister(&nh->head, n);
}
int blocking_notifier_call_chain(struct blocking_notifier_head *nh, unsigned long val, void *v)
{
	return chain_call(&nh->head, val, v);
}

/* A daemon never sees the system reboot: the chain is kept but never called. */
static BLOCKING_NOTIFIER_HEAD(lx_reboot_chain);
int register_reboot_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&lx_reboot_chain, nb);
}
int unregister_reboot_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_unregister(&lx_reboot_chain, nb);
}

/* ---- randomness: xorshift seeded from the clock; drivers use it for MAC
 * addresses and jitter, never for cryptography in the ported set ------------------------ */

static u64 lx_rand_state;
static u64 lx_rand_next(void)
{
	if (!lx_rand_state)
		lx_rand_state = kpi_host_now_ns() * 0x9E3779B97F4A7C15ull | 1;
	lx_rand_state ^= lx_rand_state << 13;
	lx_rand_state ^= lx_rand_state >> 7;
	lx_rand_state ^= lx_rand_state << 17;
	return lx_rand_state;
}

/* An input event (HID, keyboards) perturbs the generator with its values
 * and arrival time, as Linux mixes it into its pool; no entropy is
 * credited because nothing here waits for entropy. */
void add_input_randomness(unsigned int type, unsigned int code, unsigned int value)
{
	lx_rand_next(); /* seeded first */
	lx_rand_state ^= (((u64)type << 48) ^ ((u64)code << 32) ^ value ^ kpi_host_now_ns()) * 0x9E3779B97F4A7C15ull;
	if (!lx_rand_state)
		lx_rand_state = 1;
}

void get_random_bytes(void *buf, size_t len)
{
	u8 *p = buf;
	while (len) {
		u64 r = lx_rand_next();
		size_t n = len < sizeof(r) ? len : sizeof(r);
		memcpy(p, &r, n);
		p += n;
		len -= n;
	}
}

u32 get_random_u32(void)
{
	return (u32)lx_rand_next();
}

u8 get_random_u8(void)
{
	return (u8)lx_rand_next();
}

u16 get_random_u16(void)
{
	return (u16)lx_rand_next();
}

u64 get_random_u64(void)
{
	return lx_rand_next();
}

/* A uniform value in [0, ceil) (ceil > 0), by rejection as random.c does. */
u32 __get_random_u32_below(u32 ceil)
{
	u64 mult = (u64)ceil * get_random_u32();
	if ((u32)mult < ceil) {
		u32 bound = -ceil % ceil;
		while ((u32)mult < bound)
			mult = (u64)ceil * get_random_u32();
	}
	return mult >> 32;
}

bool rng_is_initialized(void)
{
	return true;
}

/* ---- CPU hotplug: one CPU, always online ----------------------------------------------------
 * A state's startup runs for CPU 0 when the caller asks (invoke), as Linux
 * runs it for every online CPU; a dynamic state gets the next number. */

#include <linux/cpuhotplug.h>

static int lx_cpuhp_dyn_ap = CPUHP_AP_ONLINE_DYN, lx_cpuhp_dyn_bp = CPUHP_BP_PREPARE_DYN;

int __cpuhp_setup_state(enum cpuhp_state state, const char *name, bool invoke, int (*startup)(unsigned int cpu),
			int (*teardown)(unsigned int cpu), bool multi_instance)
{
	int ret = 0, rc;
	(void)name, (void)teardown;
	if (state == CPUHP_AP_ONLINE_DYN)
		ret = state = lx_cpuhp_dyn_ap < CPUHP_AP_ONLINE_DYN_END ? lx_cpuhp_dyn_ap++ : -ENOSPC;
	else if (state == CPUHP_BP_PREPARE_DYN)
		ret = state = lx_cpuhp_dyn_bp < CPUHP_BP_PREPARE_DYN_END ? lx_cpuhp_dyn_bp++ : -ENOSPC;
	if (ret < 0)
		return ret;
	/* multi-instance states run their callbacks per instance, added later */
	if (invoke && startup && !multi_instance) {
		rc = startup(0);
		if (rc < 0)
			return rc;
	}
	return ret;
}

void __cpuhp_remove_state(enum cpuhp_state state, bool invoke)
{
	(void)state, (void)invoke; /* the teardown is not kept: CPU 0 never goes */
}

/* ---- device model bits ------------------------------------------------------------------ */

int dev_set_name(struct device *dev, const char *fmt, ...)
{
	char buf[64];
	va_list ap;
	va_start(ap, fmt);
	lx_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kfree_const(dev->kobj.name);
	dev->kobj.name = kstrdup(buf, GFP_KERNEL);
	return dev->kobj.name ? 0 : -ENOMEM;
}

/* get_device()/put_device(): lx_device.c (the last reference releases). */

/* No firmware description (ACPI/DT) for a PCI daemon: properties are
 * absent, unless a subsystem core gave the device a software node
 * (lx_device.c).  Linux's answers: the count when val is NULL, -EOVERFLOW
 * when fewer values than asked for, -EPROTO for another type. */
int device_property_read_u32_array(LX_CONST_PROPERTY_DEV struct device *dev, const char *propname, u32 *val,
				   size_t nval)
{
	const struct property_entry *p = lx_device_property(dev, propname);
	size_t n;
	if (!p)
		return -EINVAL;
	if (p->type != DEV_PROP_U32)
		return -EPROTO;
	n = p->length / sizeof(u32);
	if (!val)
		return (int)n;
	if (nval > n)
		return -EOVERFLOW;
	memcpy(val, p->is_inline ? (const void *)p->value.u32_data : p->pointer, nval * sizeof(u32));
	return 0;
}

void lx_core_init(void)
{
	lx_irq_flags = X86_EFLAGS_IF;
}

/* ---- small out-of-line helpers the kernel's inlines call ------------------------------------------ */

/* Character classes for <linux/ctype.h> (Latin-1 upper half left empty). */
const unsigned char _ctype[256] = {
	[0 ... 31] = _C,
	['\t'] = _C | _S, ['\n'] = _C | _S, ['\v'] = _C | _S, ['\f'] = _C | _S, ['\r'] = _C | _S,
	[' '] = _S | _SP,
	['!' ... '/'] = _P,
	['0' ... '9'] = _D,
	[':' ... '@'] = _P,
	['A' ... 'F'] = _U | _X,
	['G' ... 'Z'] = _U,
	['[' ... '`'] = _P,
	['a' ... 'f'] = _L | _X,
	['g' ... 'z'] = _L,
	['{' ... '~'] = _P,
	[127] = _C,
};

void refcount_warn_saturate(refcount_t *r, enum refcount_saturation_type t)
{
	refcount_set(r, REFCOUNT_SATURATED);
	WARN(1, "refcount_t: misuse (%d)", (int)t);
}

#ifdef CONFIG_MULTIUSER
/* Capabilities: the daemon is the one process that drives its device and
 * it answers to the host's privileged clients only, so every capability a
 * driver checks (CAP_SYS_ADMIN for a private ioctl, CAP_NET_ADMIN) holds -
 * what Linux without CONFIG_MULTIUSER answers too. */
bool capable(int cap)
{
	(void)cap;
	return true;
}

bool ns_capable(struct user_namespace *ns, int cap)
{
	(void)ns, (void)cap;
	return true;
}
#endif

/* Static keys without CONFIG_JUMP_LABEL read their count; the header
 * inlines that change one warn unless jump_label_init() ran, which in
 * Linux happens early at boot.  Here too: before any driver code. */
bool static_key_initialized = true;

/* One CPU: call func on CPU 0 when it is in the mask and cond (if any)
 * says so, with interrupts off as a cross-call would run (kernel/up.c). */
void on_each_cpu_cond_mask(smp_cond_func_t cond_func, smp_call_func_t func, void *info, bool wait,
			   const struct cpumask *mask)
{
	unsigned long flags;
	(void)wait;
	if (!cpumask_test_cpu(0, mask) || (cond_func && !cond_func(0, info)))
		return;
	local_irq_save(flags);
	func(info);
	local_irq_restore(flags);
}

/* ---- module loading: a daemon is one static executable; it loads no modules.
 * Linux's request_module() fails the same way when there is no modprobe
 * helper to run; the caller goes on without the module. */
#ifdef CONFIG_MODULES /* else linux/kmod.h has the inline */
int __request_module(bool wait, const char *fmt, ...)
{
	char name[64];
	va_list ap;
	(void)wait;
	va_start(ap, fmt);
	lx_vsnprintf(name, sizeof(name), fmt, ap);
	va_end(ap);
	lx_log(KPI_LOG_INFO, "request_module(%s): a daemon loads no modules", name);
	return -ENOENT;
}
#endif
