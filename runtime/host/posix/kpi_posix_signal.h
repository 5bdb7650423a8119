/* kpi_posix_signal.h: the fatal-signal contract of kpi_host_core.h
 * (kpi_host_signal_watch, kpi_host_abort) for the backends on a POSIX libc
 * (linux, sim), in one place: which signals terminate, the fatal-fault
 * handlers that stop DMA before the process dies, the forced exit on a
 * second terminating signal, and kpi_host_abort's body.  The backend
 * supplies how DMA is stopped (bus mastering off on every function it
 * opened: async-signal-safe, no locks, no malloc) and how the first
 * terminating signal reaches its event loop (linux: signalfd; sim: a
 * self-pipe).  Included by runtime/host/linux and runtime/host/sim only. */
#ifndef KPI_POSIX_SIGNAL_H
#define KPI_POSIX_SIGNAL_H

#include "kpi_host_core.h"

#include <signal.h>

/* Bus mastering off on every PCI function the backend opened. */
typedef void kpi_posix_dma_stop_fn(void);

/* The catchable signals whose default action ends the process (SIGTERM,
 * SIGINT, SIGHUP, SIGQUIT, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
 * SIGXFSZ, SIGPWR), without SIGUSR1 (the panic request). */
void kpi_posix_term_set(sigset_t *set);
int kpi_posix_is_term(int signo);

/* Once per process (later calls only update stop): SIGSEGV, SIGBUS, SIGILL
 * and SIGFPE run stop, say so on stderr, then go where they would have
 * gone (a handler installed before, e.g. the sanitizer's report, else the
 * default action: the process dies of the signal), on an alternate stack
 * so a task stack overflow is caught too.  SIGPIPE is ignored. */
void kpi_posix_fatal_init(kpi_posix_dma_stop_fn *stop);

/* kpi_host_abort: log why, a backtrace (kpi_host_backtrace), stop DMA,
 * abort(). */
KPI_NORETURN void kpi_posix_abort(const char *why, kpi_posix_dma_stop_fn *stop);

/* The backend reported the first terminating signal to the runtime (a
 * KPI_SIG_TERM event): the driver's exit path now runs.  From here on any
 * terminating signal - also one already pending - forces the exit
 * (kpi_posix_force_exit) from a handler, so even an exit path that spins
 * without returning to the loop can be ended. */
void kpi_posix_term_reported(void);
int kpi_posix_term_was_reported(void);
/* Stop DMA, say why, _exit(KPI_EXIT_SIGNAL_BASE + signo).  Async-signal-safe. */
KPI_NORETURN void kpi_posix_force_exit(int signo);

/* For tests that start several daemons in one process: forget the
 * reported TERM and give the terminating signals their default action. */
void kpi_posix_signal_reset(void);

/* Async-signal-safe stderr output: the strings in order (NULL ends), and
 * an unsigned number as text in buf (at least 12 bytes). */
void kpi_posix_say(const char *first, ...);
const char *kpi_posix_num(unsigned int v, char *buf);

#endif
