/* sim_signal.c: kpi_host_signal_watch for the sim, the way the Redox
 * backend does it (relibc has no signalfd): handlers write the signal
 * number into a non-blocking self-pipe and kpi_host_wait turns the bytes
 * into KPI_EV_SIGNAL events - SIGUSR1 -> KPI_SIG_PANIC, every catchable
 * terminating signal -> KPI_SIG_TERM once; after that any terminating
 * signal forces the exit (runtime/host/posix/kpi_posix_signal.c).  DMA
 * stop for faults, aborts and forced exits: COMMAND bit 2 off in the
 * config space of every claimed function, which a model sees.
 * Tests choose whether a watched signal keeps an idle wait waiting
 * (sim_signal_wait; off by default, so tests still end by themselves). */
#define _GNU_SOURCE
#include "sim_internal.h"
#include "../posix/kpi_posix_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
	int pipe[2];
	void *cookie;
	int wait; /* sim_signal_wait */
} sg = {{-1, -1}, 0, 0};

void sim_stop_dma(void)
{
	char num[12];
	for (int i = 0; i < sim_ndevs; i++) {
		struct sim_dev *d = sim_devs[i];
		if (!d || !d->claimed || !(d->cfg[4] & 0x04))
			continue;
		d->cfg[4] &= (kpi_u8)~0x04;
		kpi_posix_say("<2>kpi sim: function ", kpi_posix_num((unsigned)i, num), ": bus mastering turned off\n",
			      (char *)0);
	}
}

static void sim_sig_handler(int signo)
{
	int err = errno;
	unsigned char b = (unsigned char)signo;
	if (signo != SIGUSR1 && kpi_posix_term_was_reported())
		kpi_posix_force_exit(signo);
	if (write(sg.pipe[1], &b, 1) < 0) {
		/* full: enough bytes are already waiting */
	}
	errno = err;
}

static void sim_signal_set(sigset_t *set)
{
	kpi_posix_term_set(set);
	sigaddset(set, SIGUSR1);
}

int kpi_host_signal_watch(void *cookie)
{
	if (!cookie) {
		int keep = sg.wait;
		sim_signal_reset();
		sg.wait = keep;
		return 0;
	}
	if (sg.pipe[0] < 0 && pipe2(sg.pipe, O_NONBLOCK | O_CLOEXEC) < 0)
		return -KPI_EIO;
	sg.cookie = cookie;
	kpi_posix_fatal_init(sim_stop_dma);
	struct sigaction sa;
	sigset_t set;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = sim_sig_handler;
	sa.sa_flags = SA_RESTART;
	sigfillset(&sa.sa_mask);
	sim_signal_set(&set);
	for (int s = 1; s < NSIG; s++)
		if (sigismember(&set, s) == 1)
			sigaction(s, &sa, 0);
	sigprocmask(SIG_UNBLOCK, &set, 0);
	return 0;
}

int sim_signal_collect(struct kpi_host_event *evs, int max)
{
	int n = 0;
	unsigned char b;
	while (n < max && sg.pipe[0] >= 0 && read(sg.pipe[0], &b, 1) == 1) {
		if (b != SIGUSR1 && kpi_posix_term_was_reported())
			kpi_posix_force_exit(b); /* read after the first: the exit path is stuck */
		memset(&evs[n], 0, sizeof(evs[n]));
		evs[n].kind = KPI_EV_SIGNAL;
		evs[n].index = b == SIGUSR1 ? KPI_SIG_PANIC : KPI_SIG_TERM;
		evs[n].cookie = sg.cookie;
		sim_logf(KPI_LOG_INFO, "kpi sim: got SIG%s", sigabbrev_np(b) ? sigabbrev_np(b) : "?");
		if (evs[n].index == KPI_SIG_TERM)
			kpi_posix_term_reported();
		n++;
	}
	return n;
}

int sim_signal_waitable(void)
{
	return sg.cookie && sg.wait;
}

int sim_signal_sleep(kpi_u64 deadline_ns)
{
	int timeout = -1;
	if (deadline_ns != KPI_FOREVER) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		kpi_u64 now = (kpi_u64)ts.tv_sec * 1000000000ull + (kpi_u64)ts.tv_nsec;
		kpi_u64 ms = deadline_ns > now ? (deadline_ns - now + 999999) / 1000000 : 0;
		timeout = ms > 0x7fffffff ? 0x7fffffff : (int)ms;
	}
	struct pollfd p = {sg.pipe[0], POLLIN, 0};
	int rc = poll(&p, 1, timeout);
	return rc > 0 || (rc < 0 && errno == EINTR);
}

void sim_signal_wait(int on)
{
	sg.wait = on;
}

void sim_signal_reset(void)
{
	signal(SIGUSR1, SIG_DFL);
	kpi_posix_signal_reset();
	if (sg.pipe[0] >= 0) {
		close(sg.pipe[0]);
		close(sg.pipe[1]);
	}
	sg.pipe[0] = sg.pipe[1] = -1;
	sg.cookie = 0;
	sg.wait = 0;
}
