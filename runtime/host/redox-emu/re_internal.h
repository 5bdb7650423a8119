/* re_internal.h: state shared by the modules of the emulated Redox
 * (runtime/host/redox-emu, prefix re_): the fd table of virtual handles,
 * the emulated pcid functions, IRQ counters, event queues, user-scheme
 * sockets and the netstack client.  Only the re_*.c files include it.
 *
 * The backing kpi_host backend (sim or linux) is compiled with every
 * kpi_host_* function renamed kpb_host_* (kpb_rename.h, generated from the
 * kpi_host headers at build time), so this file sees the backing's API as
 * kpb_host_* while the Redox backend linked beside it defines kpi_host_*. */
#ifndef RE_INTERNAL_H
#define RE_INTERNAL_H

#include "kpb_rename.h"
#include "kpi_host.h"
#include "re_emu.h"
#include "rx_pcid_wire.h"
#include "rx_sys.h"

#include <stddef.h>
#include <stdint.h>

#define RE_FD_BASE 0x4000 /* virtual fds: far above what Linux hands out here */
#define RE_MAX_FDS 1024
#define RE_MAX_DEVS 32
#define RE_NIRQ 224 /* kernel src/scheme/irq.rs TOTAL_IRQ_COUNT */
#define RE_BASE_IRQ 16
#define RE_PAGE 4096u
#define RE_MAX_QUEUES 32
#define RE_MAX_SCHEMES 16

enum re_kind {
	RE_K_SCHEMES = 1, /* "/scheme/" listing */
	RE_K_PCI_TOP,	  /* /scheme/pci/ */
	RE_K_PCI_DEV,	  /* /scheme/pci/<addr>/ */
	RE_K_CHANNEL,	  /* /scheme/pci/<addr>/channel */
	RE_K_IRQ_TOP,	  /* /scheme/irq/ */
	RE_K_IRQ_AVAIL,	  /* /scheme/irq/cpu-XX */
	RE_K_IRQ,	  /* /scheme/irq/N, cpu-XX/N */
	RE_K_IRQ_BSP,	  /* /scheme/irq/bsp */
	RE_K_MEM_ROOT,	  /* /scheme/memory/scheme-root */
	RE_K_MEM,	  /* physical@, zeroed@, translation */
	RE_K_EVENT,	  /* /scheme/event queue */
	RE_K_TIME,	  /* /scheme/time/<clock> */
	RE_K_NS_CAP,	  /* /scheme/namespace/scheme-creation-cap */
	RE_K_SOCKET,	  /* dup(cap, "create-scheme") */
	RE_K_SCHEME_FD,	  /* dup(socket, NewFdParams): a handle of the daemon's own scheme */
	RE_K_NS,	  /* rx_get_ns() */
	RE_K_THREAD,	  /* rx_cur_thrfd() */
	RE_K_PROC,	  /* dup(thread, "open_via_dup") */
};

enum re_memty { RE_MEM_ZEROED, RE_MEM_PHYS, RE_MEM_TRANSLATION };

struct re_dev;
struct re_queue;
struct re_sock;

struct re_handle {
	int kind;	 /* RE_K_* */
	int fd;		 /* its virtual fd */
	rx_u32 oflags;	 /* Redox open flags */
	struct re_dev *dev; /* PCI_DEV, CHANNEL */
	/* CHANNEL: one reply pending at most (pcid ChannelState) */
	rx_u8 *reply;
	size_t reply_len, reply_pos;
	/* IRQ */
	int irq, cpu;
	rx_u64 ack;
	/* MEM */
	int memty, cachety, contiguous;
	/* EVENT, TIME */
	struct re_queue *queue;
	int clock;
	rx_u64 timer_ns; /* armed absolute deadline, 0 = none */
	/* SOCKET, SCHEME_FD */
	struct re_sock *sock;
	rx_u64 number;
};

/* ---- fd table (re_fd.c) -------------------------------------------------- */

struct re_handle *re_handle_new(int kind, rx_u32 oflags); /* 0 when the table is full */
struct re_handle *re_handle_get(long fd);		   /* 0 for a real or closed fd */
void re_handle_free(struct re_handle *h);
int re_handle_count(int kind);
/* Every live handle, for scans (irq fds of a line, armed timers). */
struct re_handle *re_handle_at(int slot);

/* Logging and test failures. */
void re_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void re_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One DirentHeader record into buf (RX_DIRENT_HDR + name + NUL, padded to
 * 8 like syscall dirent.rs DirentBuf::entry): bytes written, or -RX_EINVAL
 * when it does not fit (DirentBuf reports EINVAL, the caller fails whole). */
long re_dirent(rx_u8 *buf, size_t cap, rx_u64 next_opaque, rx_u8 kind, const char *name);
#define RE_DT_UNSPEC 0
#define RE_DT_CHR 2
#define RE_DT_DIR 4

/* ---- options and world (re_init.c) ------------------------------------------ */

struct re_opts {
	int no_channel, no_notify, close_channel;
	int dma_mode; /* RE_DMA_* */
	int verbose;
	char tap[32];
	int arp_probe;
	rx_u8 arp_ip[4];
	int arp_timeout_ms;
	int pci_index; /* -1: first function */
};
#define RE_DMA_ASIS 0	   /* what the backing gives */
#define RE_DMA_ALTERNATE 1 /* sim: high (>4 GiB) and low pools alternately, high first */
#define RE_DMA_LOW 2
#define RE_DMA_HIGH 3

struct re_world {
	int up;
	int sandboxed; /* after rx_setrens(0,0) */
	struct re_opts opt;
	int notify_rfd, notify_wfd; /* INIT_NOTIFY pipe, our end and the daemon's */
	int ready;
	int iopl;
	int is_sim;
};
extern struct re_world re_w;

/* ---- pcid (re_pcid.c) ------------------------------------------------------- */

struct re_dev {
	int index;  /* backing function index */
	int handle; /* backing handle once claimed, else -1 */
	struct kpi_pci_info info;
	char name[16]; /* SSSS--BB--DD.F */
	int enabled;   /* a channel is open (pcid Func.enabled) */
	struct kpi_pci_bar bars[7];
	struct kpi_pci_map map[6];
	int mapped[6];
	int map_count[6];
	int msi_cap, msix_cap; /* config offsets, 0 = none */
	int msi_ok, msix_ok;   /* the backing can deliver them */
	int irq_type, irq_nvec; /* what the backing has enabled now */
	int legacy_irq;	       /* line given in Config, -1 none */
	int pio_enabled;
	rx_u32 msix_pending; /* MSI-X vectors that fired while masked */
};
extern struct re_dev re_devs[RE_MAX_DEVS];
extern int re_ndevs;

int re_pcid_build(void);		    /* devices from the backing */
int re_pcid_claim(struct re_dev *d);	    /* kpb open */
long re_pcid_open(const char *rest, rx_u32 flags); /* path after /scheme/pci */
long re_pcid_read(struct re_handle *h, void *buf, size_t len);
long re_pcid_write(struct re_handle *h, const void *buf, size_t len);
long re_pcid_getdents(struct re_handle *h, rx_u8 *buf, size_t len, rx_u64 opaque);
long re_pcid_mmap(struct re_handle *h, size_t len, rx_u64 offset);
int re_pcid_trapped(const volatile void *addr);
void re_pcid_close(struct re_handle *h);
rx_u32 re_cfg_read(struct re_dev *d, rx_u32 off);
void re_cfg_write(struct re_dev *d, rx_u32 off, rx_u32 v);
int re_pcid_respond(struct re_dev *d, const struct rxw_req *req, struct rxw_resp *resp);

/* ---- irq (re_irq.c) ------------------------------------------------------------ */

long re_irq_open(const char *rest, rx_u32 flags);
long re_irq_read(struct re_handle *h, void *buf, size_t len);
long re_irq_write(struct re_handle *h, const void *buf, size_t len);
long re_irq_getdents(struct re_handle *h, rx_u8 *buf, size_t len, rx_u64 opaque);
void re_irq_close(struct re_handle *h);
/* Make the backing deliver what config space asks for (legacy / MSI / MSI-X). */
void re_irq_sync(struct re_dev *d);
/* A backing KPI_EV_IRQ event. */
void re_irq_event(const struct kpi_host_event *ev);
void re_irq_poll_masked(void); /* MSI-X vectors unmasked since they fired */

/* ---- memory (re_mem.c) --------------------------------------------------------- */

long re_mem_open(const char *name, rx_u32 flags);
long re_mem_mmap(struct re_handle *h, size_t len, rx_u32 prot, rx_u32 flags, rx_u64 offset);
int re_mem_munmap(void *addr, size_t len); /* 1 if it was ours */
long re_mem_call(struct re_handle *h, void *payload, size_t len, rx_size flags);
/* Virtual address of physical range [phys, phys+len) in a BAR or DMA block, or 0. */
void *re_phys_to_virt(rx_u64 phys, size_t len);

/* ---- events and time (re_event.c) ------------------------------------------------ */

long re_event_open(rx_u32 flags);
long re_event_write(struct re_handle *h, const void *buf, size_t len);
long re_event_read(struct re_handle *h, void *buf, size_t len);
void re_event_close_queue(struct re_handle *h);
/* An fd is closing: drop its subscriptions (the kernel unregisters the file). */
void re_event_forget(long fd);
/* Post flags to every subscription of fd (kernel event::trigger). */
void re_trigger(long fd, rx_size flags);
long re_time_open(const char *rest, rx_u32 flags);
long re_time_read(struct re_handle *h, void *buf, size_t len);
long re_time_write(struct re_handle *h, const void *buf, size_t len);
/* Run the emulated world until deadline (monotonic ns of the backing) or
 * until done(arg) is true; returns 0, or -RX_EDEADLK when nothing could
 * ever happen (nothing watched, no timer), or -RX_EIO. */
int re_world_run(rx_u64 deadline, int (*done)(void *), void *arg);

/* ---- namespace and user schemes (re_scheme.c) ------------------------------------- */

long re_ns_open(const char *rest, rx_u32 flags);
long re_scheme_dup(struct re_handle *h, const void *buf, size_t len);
long re_sock_read(struct re_handle *h, void *buf, size_t len);
long re_sock_write(struct re_handle *h, const void *buf, size_t len);
void re_sock_close(struct re_handle *h);
int re_sock_pending(struct re_handle *h); /* requests waiting to be read */
long re_schemes_getdents(rx_u8 *buf, size_t len, rx_u64 opaque);
/* Name of the first registered scheme starting with prefix (sorted), or 0. */
const char *re_scheme_first(const char *prefix);
int re_scheme_known(const char *name);
/* Send a request; done(ctx, result, extra0) runs when it is answered. */
typedef void (*re_done_fn)(void *ctx, rx_u64 result, rx_u8 extra0);
long re_sched_send(const char *scheme, rx_u8 opcode, rx_u8 sqe_flags, const rx_u64 args[6], re_done_fn done,
		   void *ctx);
/* SendFevent records from the daemon: (scheme, number, flags). */
typedef void (*re_fevent_fn)(const char *scheme, rx_u64 number, rx_size flags);
void re_sched_on_fevent(re_fevent_fn fn);

/* ---- netstack client (re_net.c) ------------------------------------------------------ */

void re_net_start(void);	  /* the daemon wrote its readiness byte */
void re_net_backing_event(void);  /* KPI_EV_NET from the backing's TAP */
rx_u64 re_net_deadline(void);	  /* next timer of the client, or ~0 */
void re_net_timers(void);

/* ---- misc -------------------------------------------------------------------------- */
long re_neg_errno(int err); /* Linux errno -> -RX_E* (same numbers here) */
rx_u64 re_now(void);	    /* the backing's monotonic clock */

#endif
