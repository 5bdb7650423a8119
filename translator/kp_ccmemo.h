/* kp_ccmemo.h (prefix kccm_): the environment kbuild's make runs in, so
 * that its compiler probes are answered from a memo by kpiport-ccmemo
 * (translator/ccmemo/ccmemo.c says which calls count as probes and why the
 * answers are the compiler's own). */
#ifndef KP_CCMEMO_H
#define KP_CCMEMO_H

/* Extra "NAME=value" entries for make (NULL-terminated, owned here; the
 * first call of a process decides), the memo kept in <cache>/ccmemo; or
 * NULL: no memo (KPIPORT_CCMEMO=0, no kpiport-ccmemo beside kpiport, no
 * compiler, or the cache cannot hold it), and make runs as it always did. */
const char *const *kccm_env(const char *compiler, const char *cache);

#endif
