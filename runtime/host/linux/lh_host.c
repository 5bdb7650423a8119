/* lh_host.c: the process-level part of the Linux backend - option parsing
 * (--pci=, --pci-bind=, --ready-fd=; the rest is left for lx), memory, task stacks, logging to
 * stderr, abort/backtrace, readiness, the monotonic clock, kpi_host_wait
 * (epoll over /dev/uioN or vfio eventfds, TAP fds and a signalfd: kpi_host_signal_watch), firmware from /lib/firmware, and the
 * small path/file helpers the other modules share.  Fatal signals follow
 * kpi_host_core.h through runtime/host/posix/kpi_posix_signal.c; DMA is
 * stopped by lh_pci_stop_dma. */
#define _GNU_SOURCE
#include "lh_internal.h"
#include "../posix/kpi_posix_signal.h"

#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static struct {
	int ready_fd;
	int epfd;
	int nwatched; /* fds in the epoll set */
} lh = {-1, -1, 0};

/* ---- helpers shared by the modules --------------------------------------- */

int lh_neg_errno(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return -KPI_EPERM;
	case ENOENT:
		return -KPI_ENOENT;
	case ENXIO:
		return -KPI_ENXIO;
	case EAGAIN:
		return -KPI_EAGAIN;
	case ENOMEM:
		return -KPI_ENOMEM;
	case EFAULT:
		return -KPI_EFAULT;
	case EBUSY:
		return -KPI_EBUSY;
	case EEXIST:
		return -KPI_EEXIST;
	case ENODEV:
		return -KPI_ENODEV;
	case EINVAL:
		return -KPI_EINVAL;
	case ENOSPC:
		return -KPI_ENOSPC;
	case ENOSYS:
		return -KPI_ENOSYS;
	case EOPNOTSUPP:
		return -KPI_ENOTSUP;
	case ETIMEDOUT:
		return -KPI_ETIMEDOUT;
	default:
		return -KPI_EIO;
	}
}

int lh_path(char *buf, size_t cap, const char *fmt, ...)
{
	const char *root = getenv("KPI_SYSFS_ROOT");
	if (!root)
		root = "";
	int n = snprintf(buf, cap, "%s", root);
	if (n < 0 || (size_t)n >= cap)
		return -KPI_EINVAL;
	va_list ap;
	va_start(ap, fmt);
	int m = vsnprintf(buf + n, cap - (size_t)n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= cap - (size_t)n)
		return -KPI_EINVAL;
	return 0;
}

int lh_read_text(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lh_neg_errno(errno);
	ssize_t n = read(fd, buf, cap - 1);
	int err = errno;
	close(fd);
	if (n < 0)
		return lh_neg_errno(err);
	buf[n] = 0;
	return (int)n;
}

int lh_write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return lh_neg_errno(errno);
	size_t len = strlen(text);
	ssize_t n = write(fd, text, len);
	int err = errno;
	close(fd);
	if (n < 0)
		return lh_neg_errno(err);
	return (size_t)n == len ? 0 : -KPI_EIO;
}

void lh_logf(int level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kpi_host_log(level, buf);
}

static int lh_epoll_ctl(int op, int fd, kpi_u32 tag, int handle, kpi_u32 events)
{
	if (lh.epfd < 0)
		lh.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (lh.epfd < 0)
		return lh_neg_errno(errno);
	struct epoll_event ev = {.events = events, .data.u64 = (kpi_u64)tag << 32 | (kpi_u32)handle};
	if (epoll_ctl(lh.epfd, op, fd, &ev) < 0)
		return lh_neg_errno(errno);
	return 0;
}

int lh_epoll_add(int fd, kpi_u32 tag, int handle, kpi_u32 events)
{
	int rc = lh_epoll_ctl(EPOLL_CTL_ADD, fd, tag, handle, events);
	if (rc == 0)
		lh.nwatched++;
	return rc;
}

int lh_epoll_mod(int fd, kpi_u32 tag, int handle, kpi_u32 events)
{
	return lh_epoll_ctl(EPOLL_CTL_MOD, fd, tag, handle, events);
}

void lh_epoll_del(int fd)
{
	if (lh.epfd >= 0 && epoll_ctl(lh.epfd, EPOLL_CTL_DEL, fd, 0) == 0)
		lh.nwatched--;
}

/* ---- process ----------------------------------------------------------- */

/* --pci-bind= / KPI_PCI_BIND: which driver gives us PCI functions. */
static int lh_parse_bind(const char *text)
{
	if (strcmp(text, "auto") == 0)
		lh_bind_mode = LH_BIND_AUTO;
	else if (strcmp(text, "uio") == 0)
		lh_bind_mode = LH_BIND_UIO;
	else if (strcmp(text, "vfio") == 0)
		lh_bind_mode = LH_BIND_VFIO;
	else {
		lh_logf(KPI_LOG_ERR, "kpi linux: --pci-bind=%s: want auto, uio or vfio", text);
		return -KPI_EINVAL;
	}
	return 0;
}

/* A file descriptor number from an option or the environment: -1 if
 * text is not a whole non-negative decimal number. */
static int lh_parse_fd(const char *text)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(text, &end, 10);
	return errno || end == text || *end || v < 0 || v > INT_MAX ? -1 : (int)v;
}

int kpi_host_init(int version, int *argc, char **argv)
{
	if (version != KPI_HOST_VERSION) {
		lh_logf(KPI_LOG_ERR, "kpi linux: runtime built for host interface %d, backend is %d",
			version, KPI_HOST_VERSION);
		return -KPI_EINVAL;
	}
	/* faults and aborts stop DMA on whatever is opened later */
	kpi_posix_fatal_init(lh_pci_stop_dma);
	const char *env_fd = getenv("KPI_READY_FD");
	if (env_fd) {
		int fd = lh_parse_fd(env_fd);
		if (fd < 0) {
			lh_logf(KPI_LOG_ERR, "kpi linux: KPI_READY_FD=%s is not a file descriptor", env_fd);
			return -KPI_EINVAL;
		}
		lh.ready_fd = fd;
	}
	lh_bind_mode = LH_BIND_AUTO;
	const char *env_bind = getenv("KPI_PCI_BIND");
	if (env_bind && lh_parse_bind(env_bind) < 0)
		return -KPI_EINVAL;
	int kept = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "--pci=", 6) == 0) {
			int rc = lh_pci_select(a + 6);
			if (rc < 0)
				return rc;
		} else if (strncmp(a, "--pci-bind=", 11) == 0) {
			if (lh_parse_bind(a + 11) < 0)
				return -KPI_EINVAL;
		} else if (strncmp(a, "--ready-fd=", 11) == 0) {
			int fd = lh_parse_fd(a + 11);
			if (fd < 0) {
				lh_logf(KPI_LOG_ERR, "kpi linux: %s: want a file descriptor number", a);
				return -KPI_EINVAL;
			}
			lh.ready_fd = fd;
		} else {
			argv[kept++] = argv[i]; /* not ours: lx's option or a module parameter */
		}
	}
	argv[kept] = 0;
	*argc = kept;
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
	if (level < KPI_LOG_EMERG)
		level = KPI_LOG_EMERG;
	if (level > KPI_LOG_DEBUG)
		level = KPI_LOG_DEBUG;
	size_t len = strlen(msg);
	fprintf(stderr, "<%d>%s%s", level, msg, len && msg[len - 1] == '\n' ? "" : "\n");
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
	kpi_posix_abort(why, lh_pci_stop_dma);
}

void kpi_host_ready(void)
{
	kpi_host_log(KPI_LOG_INFO, "kpi: driver ready");
	if (lh.ready_fd >= 0) {
		if (write(lh.ready_fd, "ready\n", 6) != 6)
			lh_logf(KPI_LOG_WARNING, "kpi: ready fd %d: %s", lh.ready_fd, strerror(errno));
		close(lh.ready_fd);
		lh.ready_fd = -1;
	}
}

/* ---- process requests (signals) ------------------------------------------ */

/* The terminating signals and SIGUSR1 are blocked and read through a
 * signalfd in the epoll set, so they arrive as events in the loop.  Once
 * the first terminating one was reported, kpi_posix_term_reported() gives
 * them a handler that forces the exit: a second one must work even while
 * the exit path never returns to the loop. */
static int lh_sig_fd = -1;
static void *lh_sig_cookie;

static void lh_sig_set(sigset_t *set)
{
	kpi_posix_term_set(set);
	sigaddset(set, SIGUSR1);
}

int kpi_host_signal_watch(void *cookie)
{
	sigset_t set;
	lh_sig_set(&set);
	if (lh_sig_fd >= 0) {
		lh_epoll_del(lh_sig_fd);
		close(lh_sig_fd);
		lh_sig_fd = -1;
	}
	lh_sig_cookie = cookie;
	if (!cookie) {
		sigprocmask(SIG_UNBLOCK, &set, 0);
		kpi_posix_signal_reset();
		return 0;
	}
	kpi_posix_fatal_init(lh_pci_stop_dma); /* SIGPIPE ignored, faults caught */
	if (sigprocmask(SIG_BLOCK, &set, 0) < 0)
		return lh_neg_errno(errno);
	lh_sig_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (lh_sig_fd < 0)
		return lh_neg_errno(errno);
	int rc = lh_epoll_add(lh_sig_fd, LH_TAG_SIG, 0, EPOLLIN);
	if (rc < 0) {
		close(lh_sig_fd);
		lh_sig_fd = -1;
	}
	return rc;
}

/* One pending signal -> one event (level-triggered: the rest come later). */
int lh_sig_event(struct kpi_host_event *ev)
{
	struct signalfd_siginfo si;
	if (lh_sig_fd < 0 || read(lh_sig_fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
		return 0;
	int signo = (int)si.ssi_signo;
	if (signo != SIGUSR1 && kpi_posix_term_was_reported())
		kpi_posix_force_exit(signo); /* read after the first: the exit path is stuck */
	memset(ev, 0, sizeof(*ev));
	ev->kind = KPI_EV_SIGNAL;
	ev->index = signo == SIGUSR1 ? KPI_SIG_PANIC : KPI_SIG_TERM;
	ev->cookie = lh_sig_cookie;
	lh_logf(KPI_LOG_INFO, "kpi: got %s", strsignal(signo));
	if (ev->index == KPI_SIG_TERM)
		kpi_posix_term_reported();
	return 1;
}

/* ---- time and events --------------------------------------------------- */

kpi_u64 kpi_host_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (kpi_u64)ts.tv_sec * 1000000000ull + (kpi_u64)ts.tv_nsec;
}

int kpi_host_wait(kpi_u64 deadline_ns, struct kpi_host_event *events, int max)
{
	if (max <= 0)
		return -KPI_EINVAL;
	struct epoll_event evs[16];
	int cap = max < 16 ? max : 16;
	/* Single-threaded: with nothing registered no event can ever come. */
	if (deadline_ns == KPI_FOREVER && lh.nwatched == 0)
		return -KPI_EDEADLK;
	for (;;) {
		int timeout_ms = -1;
		if (deadline_ns != KPI_FOREVER) {
			kpi_u64 now = kpi_host_now_ns();
			kpi_u64 left = deadline_ns > now ? deadline_ns - now : 0;
			kpi_u64 ms = (left + 999999) / 1000000; /* round up: never wake early */
			timeout_ms = ms > INT_MAX ? INT_MAX : (int)ms;
		}
		int n = lh.epfd < 0 ? 0 : epoll_wait(lh.epfd, evs, cap, timeout_ms);
		if (lh.epfd < 0 && timeout_ms > 0) {
			struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000};
			nanosleep(&ts, 0);
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return lh_neg_errno(errno);
		}
		int out = 0;
		for (int i = 0; i < n; i++) {
			kpi_u32 tag = (kpi_u32)(evs[i].data.u64 >> 32);
			int handle = (int)(kpi_u32)evs[i].data.u64;
			int got = tag == LH_TAG_IRQ   ? lh_irq_event((kpi_u32)evs[i].data.u64, &events[out])
			          : tag == LH_TAG_SIG ? lh_sig_event(&events[out])
			                              : lh_net_event(handle, &events[out]);
			if (got > 0)
				out++;
		}
		if (out)
			return out;
		if (deadline_ns != KPI_FOREVER && kpi_host_now_ns() >= deadline_ns)
			return 0;
	}
}

/* ---- firmware ---------------------------------------------------------- */

int kpi_host_firmware_load(const char *name, void **data, kpi_size *size)
{
	const char *dir = getenv("KPI_FIRMWARE_DIR");
	char path[PATH_MAX];
	if (strstr(name, "..") || snprintf(path, sizeof(path), "%s/%s", dir ? dir : "/lib/firmware", name) >=
	                                  (int)sizeof(path))
		return -KPI_EINVAL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -KPI_ENOENT;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -KPI_ENOENT;
	}
	size_t len = (size_t)st.st_size;
	unsigned char *buf = malloc(len ? len : 1);
	size_t got = 0;
	while (buf && got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!buf)
		return -KPI_ENOMEM;
	if (got != len) {
		free(buf);
		return -KPI_EIO;
	}
	*data = buf;
	*size = len;
	return 0;
}

void kpi_host_firmware_release(void *data, kpi_size size)
{
	(void)size;
	free(data);
}
