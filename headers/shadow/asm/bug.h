/* headers/shadow/asm/bug.h: BUG() and WARN() that report instead of trapping.
 *
 * Why: x86 implements BUG()/WARN() as a ud2 instruction plus a __bug_table
 * entry that the kernel's trap handler looks up.  In a userspace daemon ud2
 * is a plain SIGILL: a WARN_ON() that Linux logs and survives would kill the
 * driver, and a BUG() would die without saying where.
 *
 * How: the real header (and asm-generic/bug.h behind it, which builds
 * WARN_ON(), WARN_ONCE(), BUG_ON() ... on these two) is included unchanged;
 * then the two arch primitives are redefined as calls into runtime/lx
 * (lx_core.c): lx_bug() logs file:line, a backtrace, and aborts; lx_warn()
 * logs file:line and a backtrace and returns.  The generic macros expand
 * BUG()/__WARN_FLAGS() at their use, so they pick these up. */
#ifndef KPI_SHADOW_ASM_BUG_H
#define KPI_SHADOW_ASM_BUG_H

#include_next <asm/bug.h>

#ifndef __ASSEMBLY__
void lx_bug(const char *file, int line) __attribute__((__noreturn__, __cold__));
void lx_warn(const char *file, int line, unsigned int flags) __attribute__((__cold__));

#undef BUG
#define BUG() lx_bug(__FILE__, __LINE__)

#undef __WARN_FLAGS
#define __WARN_FLAGS(flags) lx_warn(__FILE__, __LINE__, BUGFLAG_WARNING | (flags))
#endif

#endif
