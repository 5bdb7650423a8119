/* kpi_posix_signal.c: the fatal-signal contract of kpi_host_core.h for
 * the POSIX backends (see kpi_posix_signal.h).  Everything a handler runs
 * is async-signal-safe: write(2), the backend's DMA stop (pread/pwrite or
 * plain memory), sigaction, raise, _exit. */
#define _GNU_SOURCE
#include "kpi_posix_signal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const int kpi_posix_terms[] = {
	SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
#ifdef SIGPWR
	SIGPWR,
#endif
};
#define KPI_POSIX_NTERMS ((int)(sizeof kpi_posix_terms / sizeof kpi_posix_terms[0]))

static const int kpi_posix_faults[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE};
#define KPI_POSIX_NFAULTS ((int)(sizeof kpi_posix_faults / sizeof kpi_posix_faults[0]))

static kpi_posix_dma_stop_fn *volatile kpi_posix_stop;
static struct sigaction kpi_posix_prev[NSIG]; /* what a fault handler chains to */
static volatile sig_atomic_t kpi_posix_reported;
static int kpi_posix_fatal_done;

void kpi_posix_term_set(sigset_t *set)
{
	sigemptyset(set);
	for (int i = 0; i < KPI_POSIX_NTERMS; i++)
		sigaddset(set, kpi_posix_terms[i]);
}

int kpi_posix_is_term(int signo)
{
	for (int i = 0; i < KPI_POSIX_NTERMS; i++)
		if (kpi_posix_terms[i] == signo)
			return 1;
	return 0;
}

const char *kpi_posix_num(unsigned int v, char *buf)
{
	char *p = buf + 11;
	*p = 0;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) && p > buf);
	return p;
}

void kpi_posix_say(const char *first, ...)
{
	char line[256];
	size_t n = 0;
	va_list ap;
	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *))
		for (; *s && n < sizeof line; s++)
			line[n++] = *s;
	va_end(ap);
	while (n && write(STDERR_FILENO, line, n) < 0) {
	}
}

/* "TERM" for SIGTERM: glibc's table, safe in a handler (strsignal is not). */
static const char *kpi_posix_abbrev(int sig)
{
	const char *a = sigabbrev_np(sig);
	return a ? a : "?";
}

static void kpi_posix_stop_dma(void)
{
	kpi_posix_dma_stop_fn *stop = kpi_posix_stop;
	if (stop)
		stop();
}

/* A fault: stop DMA first (the memory the device writes to is about to be
 * freed), then let whatever would have handled it handle it. */
static void kpi_posix_fault(int sig, siginfo_t *si, void *uc)
{
	char num[12];
	kpi_posix_say("<0>kpi: fatal signal ", kpi_posix_num((unsigned)sig, num), " (SIG", kpi_posix_abbrev(sig),
		      "): stopping DMA\n", (char *)0);
	kpi_posix_stop_dma();
	const struct sigaction *prev = &kpi_posix_prev[sig];
	if ((prev->sa_flags & SA_SIGINFO) && prev->sa_sigaction)
		prev->sa_sigaction(sig, si, uc);
	else if (!(prev->sa_flags & SA_SIGINFO) && prev->sa_handler != SIG_DFL && prev->sa_handler != SIG_IGN)
		prev->sa_handler(sig);
	/* Die of it: pending until this handler returns (a fault also
	 * re-executes the faulting instruction, which now kills). */
	signal(sig, SIG_DFL);
	raise(sig);
}

void kpi_posix_fatal_init(kpi_posix_dma_stop_fn *stop)
{
	kpi_posix_stop = stop;
	if (kpi_posix_fatal_done)
		return;
	kpi_posix_fatal_done = 1;
	/* The handlers must run on a stack of their own: a task stack
	 * overflow faults on its guard page with no stack left.  A sanitizer
	 * may have set one up already. */
	stack_t old;
	if (sigaltstack(NULL, &old) == 0 && (old.ss_flags & SS_DISABLE)) {
		static char alt[64 * 1024] __attribute__((aligned(16)));
		stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
		sigaltstack(&ss, NULL);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = kpi_posix_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < KPI_POSIX_NFAULTS; i++)
		sigaction(kpi_posix_faults[i], &sa, &kpi_posix_prev[kpi_posix_faults[i]]);
	signal(SIGPIPE, SIG_IGN); /* a closed pipe or socket is an EPIPE error, not death */
}

void kpi_posix_abort(const char *why, kpi_posix_dma_stop_fn *stop)
{
	fprintf(stderr, "kpi abort: %s\n", why);
	kpi_host_backtrace();
	if (stop)
		stop();
	abort();
}

void kpi_posix_force_exit(int signo)
{
	char num[12], code[12];
	kpi_posix_say("<2>kpi: second stop signal ", kpi_posix_num((unsigned)signo, num), " (SIG",
		      kpi_posix_abbrev(signo), ") while the driver's exit ran: stopping DMA, exit status ",
		      kpi_posix_num((unsigned)(KPI_EXIT_SIGNAL_BASE + signo), code), "\n", (char *)0);
	kpi_posix_stop_dma();
	_exit(KPI_EXIT_SIGNAL_BASE + signo);
}

static void kpi_posix_force_handler(int signo)
{
	kpi_posix_force_exit(signo);
}

void kpi_posix_term_reported(void)
{
	struct sigaction sa;
	sigset_t set;
	kpi_posix_reported = 1;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = kpi_posix_force_handler;
	sigfillset(&sa.sa_mask);
	for (int i = 0; i < KPI_POSIX_NTERMS; i++)
		sigaction(kpi_posix_terms[i], &sa, NULL);
	kpi_posix_term_set(&set);
	sigprocmask(SIG_UNBLOCK, &set, NULL); /* a pending one arrives now */
}

int kpi_posix_term_was_reported(void)
{
	return kpi_posix_reported;
}

void kpi_posix_signal_reset(void)
{
	kpi_posix_reported = 0;
	for (int i = 0; i < KPI_POSIX_NTERMS; i++)
		signal(kpi_posix_terms[i], SIG_DFL);
}
