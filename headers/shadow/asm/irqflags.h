/* headers/shadow/asm/irqflags.h: local_irq_*() without cli/sti/pushf.
 *
 * Why: the kernel's version executes cli, sti and pushf; cli/sti fault in
 * userspace and pushf would report the process's IF, which is always set.
 * Drivers reach these through local_irq_save(), spin_lock_irqsave(), ...
 *
 * How: the real header is included with its function names moved aside
 * (macros rename them to __kpi_native_*, never called), then the arch_*
 * entry points the generic code uses are defined again on runtime/lx's model
 * of the uniprocessor "interrupts disabled" state (lx_core.c): host
 * interrupts are events of the runtime's loop, delivered only between tasks,
 * so the state is a flag plus an atomic region (blocking with interrupts
 * disabled aborts with "scheduling while atomic", as Linux would BUG).
 * Saved flags use X86_EFLAGS_IF like the real ones, so code that inspects
 * them (irqs_disabled_flags) keeps working. */
#ifndef KPI_SHADOW_ASM_IRQFLAGS_H
#define KPI_SHADOW_ASM_IRQFLAGS_H

#define native_save_fl __kpi_native_save_fl
#define native_irq_disable __kpi_native_irq_disable
#define native_irq_enable __kpi_native_irq_enable
#define native_safe_halt __kpi_native_safe_halt
#define native_halt __kpi_native_halt
#define arch_local_save_flags __kpi_native_arch_local_save_flags
#define arch_local_irq_disable __kpi_native_arch_local_irq_disable
#define arch_local_irq_enable __kpi_native_arch_local_irq_enable
#define arch_safe_halt __kpi_native_arch_safe_halt
#define halt __kpi_native_halt_
#define arch_local_irq_save __kpi_native_arch_local_irq_save
#define arch_irqs_disabled_flags __kpi_native_arch_irqs_disabled_flags
#define arch_irqs_disabled __kpi_native_arch_irqs_disabled
#define arch_local_irq_restore __kpi_native_arch_local_irq_restore

#include_next <asm/irqflags.h>

#undef native_save_fl
#undef native_irq_disable
#undef native_irq_enable
#undef native_safe_halt
#undef native_halt
#undef arch_local_save_flags
#undef arch_local_irq_disable
#undef arch_local_irq_enable
#undef arch_safe_halt
#undef halt
#undef arch_local_irq_save
#undef arch_irqs_disabled_flags
#undef arch_irqs_disabled
#undef arch_local_irq_restore

#ifndef __ASSEMBLY__
/* runtime/lx/lx_core.c */
extern unsigned long lx_irq_flags;   /* X86_EFLAGS_IF while "enabled" */
void lx_irq_disable(void);
void lx_irq_enable(void);

static __always_inline unsigned long arch_local_save_flags(void)
{
	return lx_irq_flags;
}

static __always_inline void arch_local_irq_disable(void)
{
	lx_irq_disable();
}

static __always_inline void arch_local_irq_enable(void)
{
	lx_irq_enable();
}

static __always_inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = lx_irq_flags;
	lx_irq_disable();
	return flags;
}

static __always_inline int arch_irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_EFLAGS_IF);
}

static __always_inline int arch_irqs_disabled(void)
{
	return arch_irqs_disabled_flags(lx_irq_flags);
}

static __always_inline void arch_local_irq_restore(unsigned long flags)
{
	if (!arch_irqs_disabled_flags(flags))
		lx_irq_enable();
}

/* Idle/halt: a driver never idles the CPU; waiting is the runtime's loop. */
static inline void arch_safe_halt(void)
{
	lx_irq_enable();
}
static inline void halt(void)
{
}
#endif /* __ASSEMBLY__ */

#endif
