/* rx_signal.c: signals on Redox, as kpi_host_core.h wants them.  relibc has
 * no signalfd (redox-api.md section 10), so handlers installed with
 * sigaction write the signal number into a non-blocking self-pipe whose
 * read end sits in the event queue; kpi_host_wait turns the bytes into
 * KPI_EV_SIGNAL events.
 *  - SIGUSR1 -> KPI_SIG_PANIC; every other catchable terminating signal ->
 *    KPI_SIG_TERM, reported once.  One arriving after the TERM was reported
 *    means the exit path is stuck: stop DMA, leave with 128 + signal.
 *  - SIGSEGV, SIGBUS, SIGILL, SIGFPE (always caught, from kpi_host_init):
 *    log, stop DMA (bus master off), abort.  They run on an alternate stack
 *    so a task stack overflow into its guard page is still handled.
 *  - SIGPIPE is ignored: a closed pipe is an EPIPE result. */
#include "rx_internal.h"

static const int rx_term_sigs[] = {RX_SIGTERM, RX_SIGINT,    RX_SIGHUP,	 RX_SIGQUIT, RX_SIGUSR2, RX_SIGALRM,
				   RX_SIGVTALRM, RX_SIGPROF, RX_SIGXCPU, RX_SIGXFSZ, RX_SIGPWR};
static const int rx_fatal_sigs[] = {RX_SIGSEGV, RX_SIGBUS, RX_SIGILL, RX_SIGFPE};

static long rx_sig_pipe[2] = {-1, -1};
static void *rx_sig_cookie;
static volatile int rx_term_reported; /* a KPI_SIG_TERM went out */
static int rx_pending_term, rx_pending_panic;

static void rx_sig_handler(int sig)
{
	if (sig != RX_SIGUSR1 && rx_term_reported) {
		kpi_host_log(KPI_LOG_ERR, "kpi redox: second termination signal: the exit path is stuck, leaving");
		rx_pci_stop_dma();
		rx_exit(KPI_EXIT_SIGNAL_BASE + sig);
	}
	rx_u8 b = (rx_u8)sig;
	rx_write(rx_sig_pipe[1], &b, 1); /* non-blocking: a full pipe already says enough */
}

static void rx_fatal_handler(int sig)
{
	char msg[64];
	snprintf(msg, sizeof(msg), "kpi redox: fatal signal %d", sig);
	kpi_host_log(KPI_LOG_EMERG, msg);
	kpi_host_backtrace();
	rx_pci_stop_dma();
	rx_sigaction(RX_SIGABRT, RX_SIG_DFL);
	abort();
}

int rx_sig_init(void)
{
	static rx_u8 altstack[64 * 1024];
	if (rx_sigaltstack(altstack, sizeof(altstack)) < 0)
		kpi_host_log(KPI_LOG_DEBUG, "kpi redox: no alternate signal stack");
	for (unsigned i = 0; i < sizeof(rx_fatal_sigs) / sizeof(rx_fatal_sigs[0]); i++)
		rx_sigaction(rx_fatal_sigs[i], rx_fatal_handler);
	rx_sigaction(RX_SIGPIPE, RX_SIG_IGN);
	return 0;
}

int kpi_host_signal_watch(void *cookie)
{
	unsigned nterm = sizeof(rx_term_sigs) / sizeof(rx_term_sigs[0]);
	rx_sig_cookie = cookie;
	if (!cookie) {
		for (unsigned i = 0; i < nterm; i++)
			rx_sigaction(rx_term_sigs[i], RX_SIG_DFL);
		rx_sigaction(RX_SIGUSR1, RX_SIG_DFL);
		if (rx_sig_pipe[0] >= 0) {
			rx_ev_del(rx_sig_pipe[0]);
			rx_close(rx_sig_pipe[0]);
			rx_close(rx_sig_pipe[1]);
			rx_sig_pipe[0] = rx_sig_pipe[1] = -1;
		}
		return 0;
	}
	if (rx_sig_pipe[0] < 0) {
		long fds[2];
		long rc = rx_pipe(fds);
		if (rc < 0) {
			rx_logf(KPI_LOG_ERR, "kpi redox: signal pipe: error %ld", -rc);
			return rx_kerr(rc);
		}
		rx_fcntl(fds[0], RX_F_SETFL, RX_O_NONBLOCK);
		rx_fcntl(fds[1], RX_F_SETFL, RX_O_NONBLOCK);
		int erc = rx_ev_add(fds[0], RX_TAG(RX_TAG_SIG, 0, 0));
		if (erc < 0) {
			rx_close(fds[0]);
			rx_close(fds[1]);
			return erc;
		}
		rx_sig_pipe[0] = fds[0];
		rx_sig_pipe[1] = fds[1];
	}
	for (unsigned i = 0; i < nterm; i++)
		rx_sigaction(rx_term_sigs[i], rx_sig_handler);
	rx_sigaction(RX_SIGUSR1, rx_sig_handler);
	return 0;
}

/* The pipe is readable: collect what the handlers wrote. */
void rx_sig_fired(void)
{
	rx_u8 buf[64];
	long n;
	while (rx_sig_pipe[0] >= 0 && (n = rx_read(rx_sig_pipe[0], buf, sizeof(buf))) > 0) {
		for (long i = 0; i < n; i++) {
			rx_logf(KPI_LOG_INFO, "kpi redox: got signal %u", buf[i]);
			if (buf[i] == RX_SIGUSR1)
				rx_pending_panic++;
			else
				rx_pending_term = 1; /* TERM is reported once */
		}
		if (n < (long)sizeof(buf))
			break;
	}
}

int rx_sig_collect(struct kpi_host_event *ev, int max)
{
	int n = 0;
	while (n < max && (rx_pending_panic || (rx_pending_term && !rx_term_reported))) {
		memset(&ev[n], 0, sizeof(ev[n]));
		ev[n].kind = KPI_EV_SIGNAL;
		ev[n].cookie = rx_sig_cookie;
		if (rx_pending_panic) {
			rx_pending_panic--;
			ev[n].index = KPI_SIG_PANIC;
		} else {
			rx_pending_term = 0;
			rx_term_reported = 1;
			ev[n].index = KPI_SIG_TERM;
		}
		n++;
	}
	return n;
}
