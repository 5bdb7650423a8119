/* rx_host.c: the process part of the Redox backend - kpi_host_init (the
 * environment pcid-spawner sets up, the handles a sandboxed driver must
 * open early), exit, memory, logging to stderr, backtrace and abort,
 * readiness on INIT_NOTIFY, the clock, task stacks and the sandbox.
 * Sources: [B] daemon/src/lib.rs (readiness), drivers/common/src/lib.rs
 * (memory root), drivers/pcid/src/driver_interface/mod.rs (the channel);
 * /work/shared/redox-api.md sections 6 and 10. */
#include "rx_internal.h"

struct rx_proc rx = {.chan = -1, .notify_fd = -1, .memroot = -1, .evq = -1, .fwdir = {-1, -1}};

/* ---- helpers shared by the modules --------------------------------------- */

void rx_logf(int level, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kpi_host_log(level, buf);
}

int rx_kerr(long rc)
{
	switch (-rc) {
	case RX_EPERM:
	case RX_EACCES:
		return -KPI_EPERM;
	case RX_ENOENT:
	case RX_ENOTDIR:
	case RX_EISDIR:
		return -KPI_ENOENT;
	case RX_ENXIO:
	case RX_EAGAIN:
	case RX_ENOMEM:
	case RX_EFAULT:
	case RX_EBUSY:
	case RX_EEXIST:
	case RX_ENODEV:
	case RX_EINVAL:
	case RX_ENOSPC:
	case RX_EDEADLK:
	case RX_ENOSYS:
	case RX_ETIMEDOUT:
		return (int)rc; /* same number on both sides */
	case RX_ENOLCK:
		return -KPI_EBUSY; /* pcid: the channel is owned by someone else */
	case RX_EOPNOTSUPP:
		return -KPI_ENOTSUP;
	default:
		return -KPI_EIO;
	}
}

int rx_may_open(const char *what)
{
	if (!rx.sandboxed)
		return 0;
	rx_logf(KPI_LOG_ERR, "kpi redox: %s needs a new open, refused after the sandbox (setrens)", what);
	return -KPI_EPERM;
}

void rx_host_fail(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	kpi_host_log(KPI_LOG_CRIT, buf);
	rx_exit(RX_EXIT_HOST);
}

/* ---- process ----------------------------------------------------------- */

/* The backend's own options (kpi_host_core.h: taken out of argv). */
static int rx_take_option(const char *a)
{
	if (strcmp(a, "--ecam") == 0)
		rx.ecam = 1;
	else if (strcmp(a, "--no-sandbox") == 0)
		rx.no_sandbox = 1;
	else
		return 0;
	return 1;
}

static void rx_set_driver_name(const char *argv0)
{
	const char *base = argv0 ? argv0 : "kpi";
	for (const char *p = base; *p; p++)
		if (*p == '/')
			base = p + 1;
	snprintf(rx.driver, sizeof(rx.driver), "%s", *base ? base : "kpi");
}

/* /scheme/firmware (Red Bear's firmware-loader) then /lib/firmware, opened
 * now because the sandbox leaves no namespace to open them in later;
 * openat on a held directory keeps working ([B] book: scheme-operation). */
static void rx_open_firmware_dirs(void)
{
	static const char *const dirs[2] = {"/scheme/firmware", "/lib/firmware"};
	for (int i = 0; i < 2; i++) {
		long fd = rx_open(dirs[i], RX_O_RDONLY | RX_O_DIRECTORY | RX_O_CLOEXEC);
		rx.fwdir[i] = fd >= 0 ? fd : -1;
	}
}

int kpi_host_init(int version, int *argc, char **argv)
{
	if (version != KPI_HOST_VERSION) {
		rx_logf(KPI_LOG_ERR, "kpi redox: runtime built for host interface %d, backend is %d", version,
			KPI_HOST_VERSION);
		return -KPI_EINVAL;
	}
	int rc = rx_sys_init(RX_SYS_VERSION, argc, argv);
	if (rc < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: the primitives layer refused to start (%d)", rc);
		return rx_kerr(rc);
	}
	rx_set_driver_name(*argc > 0 ? argv[0] : 0);
	int kept = 1;
	for (int i = 1; i < *argc; i++)
		if (!rx_take_option(argv[i]))
			argv[kept++] = argv[i]; /* lx's option or a module parameter */
	if (*argc > 0) {
		argv[kept] = 0;
		*argc = kept;
	}
	/* The memory root keeps physmaps and DMA allocations working after
	 * setrens ([B] drivers/common/src/lib.rs init). */
	rx.memroot = rx_open("/scheme/memory/scheme-root", RX_O_CLOEXEC);
	if (rx.memroot < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: /scheme/memory/scheme-root: error %ld (the daemon must run as root)",
			-rx.memroot);
		return rx_kerr(rx.memroot);
	}
	rx.evq = rx_open("/scheme/event", RX_O_RDWR | RX_O_CLOEXEC);
	if (rx.evq < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: /scheme/event: error %ld", -rx.evq);
		return rx_kerr(rx.evq);
	}
	const char *notify = rx_getenv("INIT_NOTIFY");
	if (notify) {
		rx.notify_fd = rx_parse_fd(notify);
		if (rx.notify_fd < 0)
			rx_logf(KPI_LOG_WARNING, "kpi redox: INIT_NOTIFY=%s is not a file descriptor; ignored", notify);
	}
	rx_open_firmware_dirs();
	rc = rx_sig_init();
	if (rc < 0)
		return rc;
	return rx_pci_init(); /* PCID_CLIENT_CHANNEL; exits RX_EXIT_HOST if it is not a channel */
}

void kpi_host_exit(int status)
{
	rx_exit(status);
}

void *kpi_host_malloc(kpi_size size, kpi_size align)
{
	if (!size)
		size = 1;
	if (align <= 16)
		return malloc(size);
	/* C11 aligned_alloc wants size to be a multiple of the alignment. */
	return aligned_alloc(align, (size + align - 1) & ~(align - 1));
}

void kpi_host_free(void *ptr)
{
	free(ptr);
}

void kpi_host_log(int level, const char *msg)
{
	char buf[1024];
	if (level < KPI_LOG_EMERG)
		level = KPI_LOG_EMERG;
	if (level > KPI_LOG_DEBUG)
		level = KPI_LOG_DEBUG;
	rx_size len = strlen(msg);
	int n = snprintf(buf, sizeof(buf), "<%d>%s%s", level, msg, len && msg[len - 1] == '\n' ? "" : "\n");
	if (n < 0)
		return;
	if ((rx_size)n >= sizeof(buf)) { /* long message: keep the newline */
		n = sizeof(buf) - 1;
		buf[n - 1] = '\n';
	}
	rx_write(2, buf, (rx_size)n); /* stderr: Redox's logd collects it */
}

/* Frame-pointer walk (runtime/kit and the backend are built with frame
 * pointers).  A frame must lie above the previous one and not far from
 * it, which stops the walk at the bottom of a kit task stack. */
void kpi_host_backtrace(void)
{
	void **fp = __builtin_frame_address(0);
	for (int depth = 0; fp && depth < 32; depth++) {
		void *ret = fp[1];
		void **next = fp[0];
		if (!ret)
			break;
		rx_logf(KPI_LOG_ERR, "  #%d %p", depth, ret);
		if (next <= fp || (char *)next - (char *)fp > (1 << 20) || ((kpi_uptr)next & 7))
			break;
		fp = next;
	}
}

void kpi_host_abort(const char *why)
{
	rx_logf(KPI_LOG_EMERG, "kpi abort: %s", why ? why : "(no reason)");
	kpi_host_backtrace();
	rx_pci_stop_dma();
	rx_sigaction(RX_SIGABRT, RX_SIG_DFL);
	abort();
}

/* pcid-spawner blocks until this byte (or our exit): [B] daemon/src/lib.rs
 * Daemon::ready writes one byte 0.  The caller (lx) reports readiness after
 * probe, and a network driver's scheme is registered in probe
 * (register_netdev -> kpi_host_net_open), so it exists before the byte. */
void kpi_host_ready(void)
{
	kpi_host_log(KPI_LOG_INFO, "kpi: driver ready");
	if (rx.notify_fd < 0)
		return;
	rx_u8 zero = 0;
	long n = rx_write(rx.notify_fd, &zero, 1);
	if (n != 1)
		rx_logf(KPI_LOG_WARNING, "kpi redox: INIT_NOTIFY fd %ld: write gave %ld", rx.notify_fd, n);
	rx_close(rx.notify_fd);
	rx.notify_fd = -1;
}

kpi_u64 kpi_host_now_ns(void)
{
	return rx_now_ns();
}

/* ---- task stacks and the sandbox --------------------------------------- */

void *kpi_host_stack_alloc(kpi_size size)
{
	if (!size || size % RX_PAGE_SIZE)
		return 0;
	long base = rx_mmap(0, size + RX_PAGE_SIZE, RX_PROT_READ | RX_PROT_WRITE, RX_MAP_PRIVATE, -1, 0);
	if (base < 0)
		return 0;
	/* The guard page below the stack: an overflow faults here. */
	if (rx_mprotect((void *)base, RX_PAGE_SIZE, RX_PROT_NONE) < 0)
		rx_logf(KPI_LOG_DEBUG, "kpi redox: no guard page for a task stack");
	return (char *)base + RX_PAGE_SIZE;
}

void kpi_host_stack_free(void *stack, kpi_size size)
{
	if (stack)
		rx_munmap((char *)stack - RX_PAGE_SIZE, size + RX_PAGE_SIZE);
}

int kpi_host_sandbox(void)
{
	if (rx.sandboxed)
		return 0;
	if (rx.no_sandbox) {
		kpi_host_log(KPI_LOG_INFO, "kpi redox: --no-sandbox: staying in the full namespace");
		return 0;
	}
	long rc = rx_setrens(0, 0);
	if (rc < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: setrens(0, 0) failed: error %ld", -rc);
		return rx_kerr(rc);
	}
	rx.sandboxed = 1;
	kpi_host_log(KPI_LOG_INFO, "kpi redox: sandboxed (null namespace: memory and pipe only)");
	return 0;
}
