/* re_init.c: rx_sys_init of the emulated Redox - option parsing (--emu-*,
 * the rest goes to the backing), the backing's start, the emulated world
 * built from its PCI functions, and pcid-spawner's part: open the channel,
 * send EnableDevice, hand PCID_CLIENT_CHANNEL and INIT_NOTIFY over in the
 * environment ([B] drivers/pcid-spawner/src/main.rs, daemon/src/lib.rs).
 * Also the process-level calls of rx_sys.h with no scheme behind them. */
#define _GNU_SOURCE
#include "re_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct re_world re_w = {.notify_rfd = -1, .notify_wfd = -1};
static struct re_handle *thread_handle;

/* The one place that knows kpi_host_init's signature: the backing takes
 * its own options (linux: --pci=...) out of argv as well. */
static int backing_init(int *argc, char **argv)
{
	return kpb_host_init(KPI_HOST_VERSION, argc, argv);
}

static int parse_ip(const char *s, rx_u8 ip[4])
{
	unsigned a, b, c, d;
	char tail;
	if (sscanf(s, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4 || a > 255 || b > 255 || c > 255 || d > 255)
		return -1;
	ip[0] = (rx_u8)a, ip[1] = (rx_u8)b, ip[2] = (rx_u8)c, ip[3] = (rx_u8)d;
	return 0;
}

static int parse_opt(const char *a)
{
	struct re_opts *o = &re_w.opt;
	if (!strcmp(a, "--emu-no-channel"))
		o->no_channel = 1;
	else if (!strcmp(a, "--emu-no-notify"))
		o->no_notify = 1;
	else if (!strcmp(a, "--emu-close-channel"))
		o->close_channel = 1;
	else if (!strcmp(a, "--emu-verbose"))
		o->verbose = 1;
	else if (!strncmp(a, "--emu-tap=", 10))
		snprintf(o->tap, sizeof(o->tap), "%s", a + 10);
	else if (!strncmp(a, "--emu-pci=", 10))
		o->pci_index = atoi(a + 10);
	else if (!strncmp(a, "--emu-arp-timeout=", 18))
		o->arp_timeout_ms = atoi(a + 18);
	else if (!strncmp(a, "--emu-arp-probe=", 16)) {
		if (parse_ip(a + 16, o->arp_ip) < 0)
			return -RX_EINVAL;
		o->arp_probe = 1;
	} else if (!strncmp(a, "--emu-dma=", 10)) {
		const char *m = a + 10;
		o->dma_mode = !strcmp(m, "asis")	? RE_DMA_ASIS
			      : !strcmp(m, "alternate") ? RE_DMA_ALTERNATE
			      : !strcmp(m, "low")	? RE_DMA_LOW
			      : !strcmp(m, "high")	? RE_DMA_HIGH
							: -1;
		if (o->dma_mode < 0)
			return -RX_EINVAL;
	} else {
		re_log("unknown option %s", a);
		return -RX_EINVAL;
	}
	return 0;
}

/* pcid-spawner: open the channel, EnableDevice, read the reply. */
static long spawn_channel(struct re_dev *d)
{
	char path[96];
	snprintf(path, sizeof(path), "/scheme/pci/%s/channel", d->name);
	long fd = rx_open(path, RX_O_RDWR);
	if (fd < 0) {
		re_log("pcid-spawner: %s: %ld", path, fd);
		return fd;
	}
	rx_u8 req[16], resp[64];
	long n = rxw_encode_req(&(struct rxw_req){.tag = RXW_REQ_ENABLE_DEVICE}, req, sizeof(req));
	if (n < 0 || rx_write(fd, req, (rx_size)n) != n || rx_read(fd, resp, sizeof(resp)) != 12 || resp[8] != 0) {
		re_log("pcid-spawner: EnableDevice on %s failed", d->name);
		rx_close(fd);
		return -RX_EIO;
	}
	return fd;
}

int rx_sys_init(int version, int *argc, char **argv)
{
	if (version != RX_SYS_VERSION) {
		re_log("rx_sys_init: version %d, this emulator implements %d", version, RX_SYS_VERSION);
		return -RX_EINVAL;
	}
	if (re_w.up)
		return 0;
#ifdef RE_BACKING_SIM
	re_w.is_sim = 1;
	re_w.opt.dma_mode = RE_DMA_ALTERNATE;
#endif
	re_w.opt.pci_index = -1;
	re_w.opt.arp_timeout_ms = 15000;
	/* Take our options out and compact argv in order, as kpi_host_init does. */
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strncmp(argv[i], "--emu-", 6)) {
			int rc = parse_opt(argv[i]);
			if (rc < 0)
				return rc;
		} else {
			argv[out++] = argv[i];
		}
	}
	if (*argc > 0) {
		*argc = out;
		argv[out] = 0;
	}
#ifdef RE_BACKING_LINUX
	/* Real hardware: only a function the user named is ever claimed (with
	 * no --pci= the linux backing lists every function of the machine, and
	 * claiming the first one would unbind the host bridge's driver). */
	int named = 0;
	for (int i = 1; i < *argc; i++)
		named |= !strncmp(argv[i], "--pci=", 6);
#endif
	int rc = backing_init(argc, argv);
	if (rc < 0) {
		re_log("backing init failed (%d)", rc);
		return rc;
	}
	re_w.up = 1;
	int n = re_pcid_build();
	unsetenv("PCID_CLIENT_CHANNEL");
	unsetenv("INIT_NOTIFY");
	if (!n) {
		re_log("the backing has no PCI function: no channel");
		return 0;
	}
#ifdef RE_BACKING_LINUX
	if (!named) {
		re_log("no --pci=: pcid-spawner starts nothing on this machine's devices (no channel)");
		return 0;
	}
#endif
	int idx = re_w.opt.pci_index >= 0 ? re_w.opt.pci_index : 0;
	if (idx >= n) {
		re_log("--emu-pci=%d: the backing has %d functions", idx, n);
		return -RX_ENODEV;
	}
	long ch = spawn_channel(&re_devs[idx]);
	if (ch < 0) {
		/* As if started by hand: the daemon finds no channel and says so. */
		re_log("pcid-spawner: cannot spawn on %s (%ld): no channel", re_devs[idx].name, ch);
		return 0;
	}
	char val[32], chs[32];
	snprintf(chs, sizeof(chs), "%ld", ch);
	if (re_w.opt.no_channel) {
		rx_close(ch);
	} else {
		snprintf(val, sizeof(val), "%ld", ch);
		setenv("PCID_CLIENT_CHANNEL", val, 1);
		if (re_w.opt.close_channel)
			rx_close(ch);
	}
	if (!re_w.opt.no_notify) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) < 0)
			return (int)re_neg_errno(errno);
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		re_w.notify_rfd = p[0];
		re_w.notify_wfd = p[1];
		snprintf(val, sizeof(val), "%d", p[1]);
		setenv("INIT_NOTIFY", val, 1);
	}
	re_log("pcid-spawner: %s %04x:%04x, channel %s%s", re_devs[idx].name, re_devs[idx].info.vendor,
	       re_devs[idx].info.device, re_w.opt.no_channel ? "withheld" : chs,
	       re_w.opt.close_channel ? " (closed)" : "");
	return 0;
}

long rx_pipe(long fds[2])
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return re_neg_errno(errno);
	fds[0] = p[0];
	fds[1] = p[1];
	return 0;
}

const char *rx_getenv(const char *name)
{
	return getenv(name);
}

long rx_setrens(long rns, long ens)
{
	(void)rns;
	if (ens == 0) /* relibc redox_setrens_v1: mkns(["memory", "pipe"]) + setns */
		re_w.sandboxed = 1;
	return 0;
}

long rx_cur_thrfd(void)
{
	if (!thread_handle)
		thread_handle = re_handle_new(RE_K_THREAD, RX_O_RDWR);
	return thread_handle ? thread_handle->fd : -RX_ENOMEM;
}

rx_u64 rx_now_ns(void)
{
	return re_now();
}

rx_u32 rx_pio_in(rx_u16 port, rx_u32 width)
{
	if (!re_w.iopl)
		re_fail("in%u from port 0x%x without Iopl: a general protection fault on Redox", width, port);
	return kpb_host_pio_in(port, width);
}

void rx_pio_out(rx_u16 port, rx_u32 width, rx_u32 value)
{
	if (!re_w.iopl)
		re_fail("out%u to port 0x%x without Iopl: a general protection fault on Redox", width, port);
	kpb_host_pio_out(port, width, value);
}

rx_u64 rx_mmio_read(const volatile void *addr, rx_u32 width)
{
	return kpb_host_mmio_read(addr, width);
}

void rx_mmio_write(volatile void *addr, rx_u32 width, rx_u64 value)
{
	kpb_host_mmio_write(addr, width, value);
}

int rx_mmio_trapped(const volatile void *addr)
{
	return re_pcid_trapped(addr);
}

#ifdef RE_BACKING_SIM
/* runtime/host/sim/sim.h: the sim traps MMIO to its device models with
 * page faults; the hypervisor sees those before the guest's handler. */
void sim_mmio_trap_install(void);
#endif

long rx_sigaction(int sig, void (*handler)(int))
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler == RX_SIG_DFL ? SIG_DFL : handler == RX_SIG_IGN ? SIG_IGN : handler;
	sa.sa_flags = SA_ONSTACK; /* no SA_RESTART: a blocked read returns EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(sig, &sa, 0) < 0)
		return re_neg_errno(errno);
#ifdef RE_BACKING_SIM
	if (sig == SIGSEGV) /* the daemon's fault handler goes behind the sim's MMIO trap */
		sim_mmio_trap_install();
#endif
	return 0;
}

long rx_sigaltstack(void *base, rx_size size)
{
	stack_t ss = {.ss_sp = base, .ss_size = size, .ss_flags = 0};
	return sigaltstack(&ss, 0) < 0 ? re_neg_errno(errno) : 0;
}

void rx_exit(int status)
{
	fflush(stderr);
	_exit(status);
}
