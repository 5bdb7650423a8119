/* rx_internal.h: state and helpers shared by the modules of the Redox host
 * backend (runtime/host/redox).  Only the backend's .c files and its unit
 * tests include it.  Prefix: rx_.
 *
 * The backend is freestanding: it includes the compiler's stddef/stdarg,
 * kpi_host.h, rx_sys.h (every OS access), rx_libc.h (ISO C functions) and
 * rx_pcid_wire.h (the pcid message codec); nothing else. */
#ifndef RX_INTERNAL_H
#define RX_INTERNAL_H

#include "kpi_host.h"
#include "rx_libc.h"
#include "rx_pcid_wire.h"
#include "rx_sys.h"

#include <stdarg.h>
#include <stddef.h>

#define RX_NBARS 7     /* 0..5 + expansion ROM (6) */
#define RX_MAX_VEC 32  /* MSI's maximum; also our cap for MSI-X */
#define RX_MAX_NETIFS 4

/* The daemon's exit status when the OS side broke its protocol or went
 * away at run time (= KPI_EXIT_HOST in headers/redox/kpi_main.h). */
#define RX_EXIT_HOST 4

/* ---- process state (rx_host.c) ------------------------------------------- */
struct rx_proc {
	long chan;	 /* pcid channel (PCID_CLIENT_CHANNEL), -1: none */
	long notify_fd;	 /* INIT_NOTIFY pipe, -1: none */
	long memroot;	 /* /scheme/memory/scheme-root, -1: none */
	long evq;	 /* /scheme/event, -1: none */
	long fwdir[2];	 /* /scheme/firmware, /lib/firmware directories, -1: none */
	int sandboxed;	 /* setrens(0, 0) done */
	int no_sandbox;	 /* --no-sandbox: kpi_host_sandbox does nothing */
	int ecam;	 /* --ecam: config offsets up to 4095 (pcid has memory-mapped config) */
	char driver[32]; /* argv[0]'s basename: the _<driver> of scheme names */
};
extern struct rx_proc rx;

void rx_logf(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* -errno from rx_sys -> -KPI_E* (the numbers agree; a few are folded). */
int rx_kerr(long rc);
/* A call that needs a new open through the namespace: -KPI_EPERM with a
 * log line naming `what` once the sandbox is on, else 0. */
int rx_may_open(const char *what);
/* Stop DMA of every opened function (bus master off) for abort and fatal
 * signals: best effort, never exits, safe in a signal handler. */
void rx_pci_stop_dma(void);
/* Log and leave with RX_EXIT_HOST (pcid broke its protocol, ...). */
__attribute__((__noreturn__)) void rx_host_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- pure helpers (rx_util.c; unit-tested directly) ---------------------- */
/* A decimal file descriptor number (env vars); -1 if text is not one. */
long rx_parse_fd(const char *text);
/* Config offset pcid can take without crashing: dword-aligned, below 256,
 * or below 4096 with memory-mapped config space (ecam). */
int rx_cfg_offset_ok(rx_u32 offset, int ecam);
/* Width 1/2/4, aligned to width, within config space of that size. */
int rx_cfg_access_ok(rx_u32 offset, rx_u32 width, int ecam);
rx_u32 rx_cfg_extract(rx_u32 dword, rx_u32 offset, rx_u32 width);
/* The dword to write for a narrow write of val at offset into the dword
 * old: the other bytes kept, except the RW1C status bits (0x06..0x07),
 * which are written as zero unless the write targets them. */
rx_u32 rx_cfg_merge(rx_u32 old, rx_u32 offset, rx_u32 width, rx_u32 val);
/* Size of a port BAR from the value read back after writing all-ones. */
rx_u32 rx_port_bar_size(rx_u32 readback);
/* x86 MSI message for an irq-scheme number (vector = number + 32) on the
 * CPU with this APIC id: fixed delivery, edge, physical destination. */
rx_u64 rx_msi_address(rx_u32 apic_id);
rx_u32 rx_msi_data(rx_u32 irq_number);
/* First block of n consecutive free irq numbers (n a power of two <= 32)
 * starting at a multiple of n, among the sorted free[0..nfree).  Blocks
 * holding 16 are taken last (the kernel never frees a reservation of 16).
 * Returns the first number or -1. */
int rx_msi_pick_block(const rx_u8 *free_nums, int nfree, int n);
/* Largest power of two <= n (n >= 1), capped at 32. */
int rx_pow2_floor(int n);
/* Pages of a phys_contiguous allocation: the kernel rounds the page count
 * up to a power of two ([K] src/context/memory.rs zeroed_phys_contiguous),
 * so map exactly that much.  0 if size is 0 or absurd. */
rx_size rx_dma_map_len(rx_size size);
/* "network.pci-SSSS-BB-DD.F_<driver>" (suffix "-N" for netif N > 0);
 * -1 if it does not fit. */
int rx_net_scheme_name(char *buf, rx_size cap, const struct kpi_pci_info *in, const char *driver, int n);
/* The 64-byte request and 16-byte answer of a user scheme, as bytes
 * (native = little endian on every Redox target). */
void rx_sqe_decode(const rx_u8 raw[64], struct rx_sqe *out);
void rx_cqe_encode(rx_u8 raw[16], rx_u8 op, rx_u8 extra0, rx_u32 tag, rx_u64 result);
/* Walk getdents records: the next name at *pos (advanced), 0 at the end
 * or on a malformed record. */
const char *rx_dirent_next(const rx_u8 *buf, rx_size len, rx_size *pos);
/* A firmware name is relative and has no "." or ".." component. */
int rx_fw_name_ok(const char *name);
/* MSI-X table placement inside its BAR (table_size entries of 16 bytes). */
int rx_msix_table_ok(rx_u32 table_offset, rx_u32 table_size, rx_u64 bar_size);

/* ---- the pcid channel (rx_chan.c) --------------------------------------- */
/* One request, one reply.  Refuses (without sending) what pcid would crash
 * on or must never see: EnableDevice, RequestVendorCapabilities, a config
 * offset rx_cfg_offset_ok rejects.  A reply that is not the expected one
 * (length, tag, undecodable body) ends the daemon via rx_host_fail.
 * Returns 0; -KPI_ENOTSUP for pcid's Error(NonexistentFeature);
 * -KPI_EINVAL for Error(InvalidBitPattern) or a refused request. */
int rx_chan_call(const struct rxw_req *req, struct rxw_resp *resp);
int rx_chan_read(rx_u32 offset, rx_u32 *value);	      /* ReadConfig */
int rx_chan_write(rx_u32 offset, rx_u32 value);	      /* WriteConfig */
/* In a signal handler: reads away a reply the interrupted code was waiting
 * for, then sends nothing that could fail the process. */
int rx_chan_emergency(void);

/* ---- PCI function (rx_pci.c, rx_bar.c) ----------------------------------- */
struct rx_vec {
	long fd;	/* /scheme/irq/... handle, -1 */
	int number;	/* irq-scheme number (vector - 32); legacy: the line */
	int watched;	/* in the event queue */
	int check;	/* read the fd at the next wait (registration, stale ack) */
	int unacked;	/* reported, not yet acked */
	rx_u64 count;	/* count read at report time (the ack value) */
	void *cookie;
};
struct rx_func {
	int present, opened;
	struct kpi_pci_info info;
	struct rxw_config cfg;
	struct kpi_pci_bar bars[RX_NBARS];
	int ports_sized;
	void *map[6];	 /* the single mapping of each memory BAR (never unmapped) */
	rx_size map_len[6];
	rx_u32 map_in_page[6];
	rx_u32 map_type[6];
	/* interrupts */
	int irq_type, nvec;
	struct rx_vec vec[RX_MAX_VEC];
	int kept_type, nkept; /* fds kept after disable once sandboxed (re-enable) */
	long kept_fd[RX_MAX_VEC];
	int kept_number[RX_MAX_VEC];
	rx_u32 apic; /* CPU the MSI/MSI-X vectors were reserved on */
	volatile rx_u32 *msix_table;
	int msix_size;
};
extern struct rx_func rx_fn; /* Redox: exactly the one function behind the channel */
struct rx_func *rx_func_by_handle(int handle);
/* Called by kpi_host_init: RequestConfig and the config reads for the info. */
int rx_pci_init(void);
/* The single mapping of a memory BAR (the MSI-X table shares it). */
int rx_bar_map(struct rx_func *f, int bar, rx_u32 memtype, void **addr);
/* Capability offset of id in the standard list, 0 if none. */
rx_u32 rx_pci_find_cap(rx_u8 id);

/* ---- events (rx_event.c) ------------------------------------------------- */
enum { RX_TAG_IRQ = 1, RX_TAG_SCHEME = 2, RX_TAG_SIG = 3, RX_TAG_DISPLAY = 4 };
#define RX_TAG(kind, a, b) ((rx_size)(kind) << 48 | (rx_size)(rx_u32)(a) << 16 | (rx_size)(b))
int rx_ev_add(long fd, rx_size tag); /* subscribe for EVENT_READ; counts as a watcher */
void rx_ev_del(long fd);
/* Producers of kpi_host_event: called by kpi_host_wait (collect) and by the
 * event dispatch (fired). */
void rx_irq_fired(int handle, int index);
int rx_irq_collect(struct kpi_host_event *ev, int max);
void rx_irq_close_all(struct rx_func *f);
void rx_net_scheme_fired(int netif);
int rx_net_collect(struct kpi_host_event *ev, int max);
void rx_display_fired(int disp); /* rx_display.c */
int rx_display_collect(struct kpi_host_event *ev, int max);
void rx_sig_fired(void);
int rx_sig_collect(struct kpi_host_event *ev, int max);
/* Fatal-signal handlers and SIGPIPE (installed by kpi_host_init). */
int rx_sig_init(void);

/* ---- MSI / MSI-X (rx_msi.c) ---------------------------------------------- */
int rx_msi_enable(struct rx_func *f, int type, int nvec);
void rx_msi_disable(struct rx_func *f);
/* The cpu-XX reservations: n fds for irq numbers (aligned block if align). */
int rx_irq_reserve(struct rx_func *f, int n, int aligned, rx_u32 *apic_id);
/* Close or (sandboxed) keep the vector fds after a disable. */
void rx_irq_release_fds(struct rx_func *f);

#endif /* RX_INTERNAL_H */
