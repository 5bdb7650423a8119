/* sim_host.c: the process-level part of the sim backend - init,
 * memory, logging with counters for tests, abort/backtrace, readiness,
 * the real or virtual clock, kpi_host_wait, firmware blobs and sim_reset. */
#define _GNU_SOURCE
#include "sim_internal.h"
#include "../posix/kpi_posix_signal.h"

#include <errno.h>
#include <execinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
	int virtual_clock;
	kpi_u64 vclock, vtick;
	int log_counts[8];
	char log_last[512];
	int log_echo_all;
	int ready;
	struct sim_blob {
		struct sim_blob *next;
		char *name;
		kpi_size len;
		unsigned char data[];
	} *blobs;
} sh;

/* ---- process ----------------------------------------------------------- */

int kpi_host_init(int version, int *argc, char **argv)
{
	(void)argc, (void)argv; /* the sim has no options of its own: all are lx's */
	if (version != KPI_HOST_VERSION)
		return -KPI_EINVAL;
	/* KPI_SIM_LOG=all: echo every level (a test module's pr_info/KTAP
	 * output, the --once summary), not only WARNING and worse */
	if (getenv("KPI_SIM_LOG") && !strcmp(getenv("KPI_SIM_LOG"), "all"))
		sh.log_echo_all = 1;
	kpi_posix_fatal_init(sim_stop_dma); /* faults and aborts stop DMA */
	sim_mmio_trap_install();	    /* MMIO faults first, the fatal handler for the rest */
	return 0;
}

void kpi_host_exit(int status)
{
	exit(status);
}

void *kpi_host_malloc(kpi_size size, kpi_size align)
{
	if (align <= sizeof(void *) * 2)
		return malloc(size ? size : 1);
	void *p = 0;
	return posix_memalign(&p, align, size ? size : 1) == 0 ? p : 0;
}

void kpi_host_free(void *ptr)
{
	free(ptr);
}

void kpi_host_log(int level, const char *msg)
{
	if (level < 0)
		level = 0;
	if (level > 7)
		level = 7;
	sh.log_counts[level]++;
	snprintf(sh.log_last, sizeof(sh.log_last), "%s", msg);
	if (sh.log_echo_all || level <= KPI_LOG_WARNING) {
		size_t len = strlen(msg);
		fprintf(stderr, "<%d>%s%s", level, msg, len && msg[len - 1] == '\n' ? "" : "\n");
	}
}

void sim_logf(int level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kpi_host_log(level, buf);
}

void kpi_host_backtrace(void)
{
	void *frames[64];
	int n = backtrace(frames, 64);
	fflush(stderr);
	backtrace_symbols_fd(frames, n, STDERR_FILENO);
}

void kpi_host_abort(const char *why)
{
	kpi_posix_abort(why, sim_stop_dma);
}

void kpi_host_ready(void)
{
	sh.ready++;
}

/* ---- time and events ------------------------------------------------------ */

void sim_clock_virtual(int on)
{
	sh.virtual_clock = on;
	if (on && !sh.vclock)
		sh.vclock = 1000000000ull;
}

void sim_clock_advance(kpi_u64 ns)
{
	sh.vclock += ns;
}

void sim_clock_tick(kpi_u64 ns)
{
	sh.vtick = ns;
}

kpi_u64 kpi_host_now_ns(void)
{
	if (sh.virtual_clock) {
		kpi_u64 t = sh.vclock;
		sh.vclock += sh.vtick; /* busy-waits see time pass (sim_clock_tick) */
		return t;
	}
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (kpi_u64)ts.tv_sec * 1000000000ull + (kpi_u64)ts.tv_nsec;
}

int kpi_host_wait(kpi_u64 deadline_ns, struct kpi_host_event *events, int max)
{
	if (max <= 0)
		return -KPI_EINVAL;
	for (;;) {
		sim_pci_poll_models();
		int n = sim_irq_collect(events, max);
		n += sim_net_collect(events + n, max - n);
		n += sim_signal_collect(events + n, max - n);
		if (n)
			return n;
		if (deadline_ns <= kpi_host_now_ns())
			return 0;
		/* Single-threaded: if nothing is ready now, nothing arrives while
		 * we sleep but a signal, so an endless wait is a deadlock the test
		 * should see - unless it asked to wait for signals. */
		if (deadline_ns == KPI_FOREVER && !sim_signal_waitable())
			return -KPI_EDEADLK;
		if (sh.virtual_clock && deadline_ns != KPI_FOREVER) {
			sh.vclock = deadline_ns;
			return 0;
		}
		if (sim_signal_waitable()) {
			if (sim_signal_sleep(deadline_ns))
				continue; /* a signal (or EINTR): collect it */
			return 0;
		}
		struct timespec ts = {(time_t)(deadline_ns / 1000000000ull), (long)(deadline_ns % 1000000000ull)};
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, 0) == EINTR) {
		}
		return 0;
	}
}

/* ---- firmware ------------------------------------------------------------------ */

int sim_firmware_add(const char *name, const void *data, kpi_size len)
{
	struct sim_blob *b = malloc(sizeof(*b) + len);
	if (!b)
		return -KPI_ENOMEM;
	b->name = strdup(name);
	if (!b->name) {
		free(b);
		return -KPI_ENOMEM;
	}
	b->len = len;
	memcpy(b->data, data, len);
	b->next = sh.blobs;
	sh.blobs = b;
	return 0;
}

int kpi_host_firmware_load(const char *name, void **data, kpi_size *size)
{
	for (struct sim_blob *b = sh.blobs; b; b = b->next) {
		if (strcmp(b->name, name) == 0) {
			void *copy = malloc(b->len ? b->len : 1);
			if (!copy)
				return -KPI_ENOMEM;
			memcpy(copy, b->data, b->len);
			*data = copy;
			*size = b->len;
			return 0;
		}
	}
	return -KPI_ENOENT;
}

void kpi_host_firmware_release(void *data, kpi_size size)
{
	(void)size;
	free(data);
}

/* ---- observation and reset -------------------------------------------------------- */

int sim_log_count(int level)
{
	return level >= 0 && level <= 7 ? sh.log_counts[level] : 0;
}

const char *sim_log_last(void)
{
	return sh.log_last;
}

void sim_log_echo(int on)
{
	sh.log_echo_all = on;
}

int sim_ready_count(void)
{
	return sh.ready;
}

void sim_reset(void)
{
	sim_pci_reset();
	sim_dma_reset();
	sim_net_reset();
	sim_signal_reset();
	while (sh.blobs) {
		struct sim_blob *b = sh.blobs;
		sh.blobs = b->next;
		free(b->name);
		free(b);
	}
	memset(&sh, 0, sizeof(sh));
}
