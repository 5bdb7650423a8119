/* kpi_host.h: the narrow host interface between the kpiport runtime
 * (runtime/kit + runtime/lx) and the operating system it runs on.
 *
 * One backend per host implements every call: runtime/host/redox (the
 * product), runtime/host/linux (UIO + hugepages + TAP, for testing against
 * QEMU's devices) and runtime/host/sim (in-process device models for unit
 * tests).  Each call below says how the Redox and the Linux backends do it;
 * headers/kpi/README.md explains the conventions in prose.
 *
 * This header must compile in two worlds: a libc translation unit (kit/,
 * host/) and a Linux-kernel-header translation unit (lx/).  So it includes
 * nothing, uses only the kpi_* types defined here, keeps every name under
 * the kpi_ / KPI_ prefix, and avoids parameter names that the kernel
 * defines as macros (current, min, max, ...).
 *
 * Conventions:
 *  - Calls that can fail return int: >= 0 on success, a negative KPI_E*
 *    code on failure.  The KPI_E* values equal the Linux/Redox errno values,
 *    so lx can return them to drivers unchanged.
 *  - Handles (PCI functions, network interfaces) are small ints >= 0.
 *  - Time is monotonic nanoseconds (kpi_u64); KPI_FOREVER means no deadline.
 *  - The runtime is single-threaded: no call may be made from two threads at
 *    once, and no call invokes a runtime function back (no callbacks); events
 *    come out of kpi_host_wait() only.
 */
#ifndef KPI_HOST_H
#define KPI_HOST_H

#define KPI_HOST_VERSION 1

/* ---- types ------------------------------------------------------------- */
typedef unsigned char kpi_u8;
typedef unsigned short kpi_u16;
typedef unsigned int kpi_u32;
typedef unsigned long long kpi_u64;
typedef signed int kpi_s32;
typedef signed long long kpi_s64;
typedef __SIZE_TYPE__ kpi_size;
typedef __UINTPTR_TYPE__ kpi_uptr;

_Static_assert(sizeof(kpi_u16) == 2 && sizeof(kpi_u32) == 4 && sizeof(kpi_u64) == 8,
	       "kpi fixed-width types");
_Static_assert(sizeof(kpi_uptr) == sizeof(void *), "kpi_uptr holds a pointer");

#define KPI_FOREVER ((kpi_u64)~0ULL)
#define KPI_NORETURN __attribute__((__noreturn__))

/* Error codes (negated on return).  Same numbers as errno on Linux/Redox. */
#define KPI_EPERM 1
#define KPI_ENOENT 2
#define KPI_EIO 5
#define KPI_ENXIO 6
#define KPI_EAGAIN 11
#define KPI_ENOMEM 12
#define KPI_EFAULT 14
#define KPI_EBUSY 16
#define KPI_EEXIST 17
#define KPI_ENODEV 19
#define KPI_EINVAL 22
#define KPI_ENOSPC 28
#define KPI_EDEADLK 35
#define KPI_ENOSYS 38
#define KPI_ENOTSUP 95
#define KPI_ETIMEDOUT 110

/* ---- process: start, stop, memory, diagnostics ------------------------- */

/* Called once by main() before any other call.  The backend parses its own
 * options out of argv (e.g. Linux: --pci=0000:00:03.0 --tap=kpi0) and opens
 * what it needs.  Redox: reads PCID_CLIENT_CHANNEL and INIT_NOTIFY from the
 * environment, opens /scheme/memory/scheme-root (so physmaps keep working
 * after setrens) and sends RequestConfig on the channel.  Linux: nothing
 * but option parsing; PCI functions are found by kpi_host_pci_count(). */
int kpi_host_init(int argc, char **argv);

/* Leave the process with status.  Redox/Linux: exit(). */
KPI_NORETURN void kpi_host_exit(int status);

/* Value of a driver parameter "name=value" given on the command line (the
 * pcid.d `command` on Redox, argv on Linux), or 0 if absent.  lx uses it for
 * module_param.  Both backends: scan argv saved by kpi_host_init. */
const char *kpi_host_param(const char *name);

/* Heap memory for the runtime (kmalloc & co.).  align is a power of two,
 * 0 means the natural malloc alignment.  Not zeroed.  Returns 0 if out of
 * memory.  Both backends: aligned_alloc/malloc of libc (relibc on Redox). */
void *kpi_host_malloc(kpi_size size, kpi_size align);
void kpi_host_free(void *ptr);

/* Log one preformatted message (lx formats with the kernel's vsnprintf so
 * %pM etc. work).  level is KPI_LOG_*, the kernel's loglevels.  Redox and
 * Linux: write to stderr with a level prefix (Redox's logd picks stderr up). */
#define KPI_LOG_EMERG 0
#define KPI_LOG_ALERT 1
#define KPI_LOG_CRIT 2
#define KPI_LOG_ERR 3
#define KPI_LOG_WARNING 4
#define KPI_LOG_NOTICE 5
#define KPI_LOG_INFO 6
#define KPI_LOG_DEBUG 7
void kpi_host_log(int level, const char *msg);

/* Print a backtrace of the calling stack to the log (dump_stack, WARN).
 * Both backends: walk frame pointers (the runtime is built with them); the
 * Linux and sim backends may use glibc's backtrace(). */
void kpi_host_backtrace(void);

/* Print why, a backtrace, and abort (BUG, panic, an unported stub).
 * Both backends: log, kpi_host_backtrace(), abort(). */
KPI_NORETURN void kpi_host_abort(const char *why);

/* Tell whoever started us that the driver is up (after probe succeeded).
 * Redox: write one byte 0 to the INIT_NOTIFY fd and close it; pcid-spawner
 * is blocked on it.  Linux: print "ready" to the fd named by --ready-fd if
 * given, else nothing. */
void kpi_host_ready(void);

/* ---- time and events --------------------------------------------------- */

/* Monotonic time in nanoseconds.  Both backends: clock_gettime(CLOCK_MONOTONIC). */
kpi_u64 kpi_host_now_ns(void);

/* An event kpi_host_wait() reports.  cookie is what the runtime passed
 * when it asked for the event (kpi_host_irq_watch, kpi_host_net_open). */
#define KPI_EV_IRQ 1 /* an interrupt vector fired; it stays masked until acked */
#define KPI_EV_NET 2 /* the OS has frames for kpi_host_net_take */
#define KPI_EV_SIGNAL 3 /* a process request: index is KPI_SIG_* (kpi_host_signal_watch) */
struct kpi_host_event {
	kpi_u32 kind;	/* KPI_EV_* */
	kpi_s32 handle; /* PCI handle (IRQ) or netif handle (NET) */
	kpi_u32 index;	/* vector index within the handle (IRQ) */
	kpi_u32 reserved;
	void *cookie;
};

/* Wait until at least one event is ready or the monotonic clock reaches
 * deadline_ns (KPI_FOREVER: no deadline); deadline_ns <= now only polls.
 * Fills up to max events and returns how many (0 on timeout), or a negative
 * code (-KPI_EDEADLK: the backend knows no event can ever come).
 * Redox: one epoll set (relibc epoll over /scheme/event) holding the IRQ
 * fds, the scheme socket and a /scheme/time timer; an IRQ fd is readable
 * when its count changed.  Linux: epoll over /dev/uioN fds and the TAP fd
 * with epoll_wait's timeout. */
int kpi_host_wait(kpi_u64 deadline_ns, struct kpi_host_event *events, int max);

/* Report requests sent to the process as KPI_EV_SIGNAL events carrying
 * cookie (index = what is asked).  Optional: lx calls it through a weak
 * reference, so a backend without it simply has no such requests.
 * Redox and Linux: SIGTERM/SIGINT -> KPI_SIG_TERM, SIGUSR1 -> KPI_SIG_PANIC,
 * blocked and read through one fd in the event set (Linux: signalfd).
 * Registering counts as "an event can still come": the loop no longer ends
 * with -KPI_EDEADLK when nothing else is watched. */
#define KPI_SIG_TERM 1	/* stop the daemon: run the driver's exit, then leave */
#define KPI_SIG_PANIC 2 /* run the kernel panic path (notifiers), then abort */
int kpi_host_signal_watch(void *cookie);

/* ---- PCI functions ----------------------------------------------------- */

struct kpi_pci_info {
	kpi_u16 segment;
	kpi_u8 bus, slot, function;
	kpi_u8 revision;
	kpi_u16 vendor, device;
	kpi_u16 subvendor, subdevice;
	kpi_u32 class_code; /* class << 16 | subclass << 8 | prog-if */
	kpi_u8 irq_line;    /* legacy line, 0xff if none */
	kpi_u8 irq_pin;	    /* 0 none, 1..4 = INTA..INTD */
	char name[32];	    /* "SSSS:BB:DD.F", NUL-terminated */
};

/* Number of PCI functions this process may drive, and their descriptions.
 * Redox: exactly one, the function behind PCID_CLIENT_CHANNEL; the info
 * comes from the Config reply (address, full_device_id, legacy line) plus
 * ReadConfig(0x2c) for the subsystem ids.  Linux: the functions named with
 * --pci=, read from /sys/bus/pci/devices/<name>/{vendor,device,class,...}. */
int kpi_host_pci_count(void);
int kpi_host_pci_info(int index, struct kpi_pci_info *info);

/* Claim a function for exclusive use; returns a handle.  -KPI_EBUSY if
 * someone else owns it.  Redox: the channel fd is already ours (a second
 * open of /scheme/pci/.../channel would give ENOLCK -> -KPI_EBUSY).
 * Linux: bind uio_pci_generic (new_id + bind in sysfs), open /dev/uioN and
 * /sys/.../config.  Release undoes it (Linux: close fds; Redox: nothing). */
int kpi_host_pci_open(int index);
void kpi_host_pci_close(int handle);

/* Turn on memory/IO decoding and bus mastering (pci_enable_device +
 * pci_set_master).  Redox: send EnableDevice (pcid-spawner already did,
 * it is idempotent).  Linux: write "1" to sysfs enable, set COMMAND bits 0-2
 * through the config file. */
int kpi_host_pci_enable(int handle);

/* Config space access, width 1, 2 or 4, offset aligned to width.
 * Redox: ReadConfig/WriteConfig are 32-bit only: narrow reads extract,
 * narrow writes read-modify-write the dword (the backend zeroes the RW1C
 * status bits 0x06..0x07 in the merged value unless the write targets them).
 * Linux: pread/pwrite on /sys/bus/pci/devices/<name>/config. */
int kpi_host_pci_cfg_read(int handle, kpi_u32 offset, kpi_u32 width, kpi_u32 *value);
int kpi_host_pci_cfg_write(int handle, kpi_u32 offset, kpi_u32 width, kpi_u32 value);

/* Describe BAR 0..5 (and 6 = expansion ROM).  size 0 means unused.
 * Redox: from the Config reply's bars[] (Memory32/Memory64 carry address and
 * size; Port carries only the base, so the backend sizes port BARs once by
 * writing all-ones with I/O decoding off and restoring).  Linux: the
 * /sys/.../resource file (start end flags per line). */
#define KPI_BAR_MEM 0x1u
#define KPI_BAR_IO 0x2u
#define KPI_BAR_64 0x4u
#define KPI_BAR_PREFETCH 0x8u
struct kpi_pci_bar {
	kpi_u64 addr; /* bus/physical address, or first I/O port */
	kpi_u64 size;
	kpi_u32 flags; /* KPI_BAR_* */
};
int kpi_host_pci_bar(int handle, int bar, struct kpi_pci_bar *out);

/* Map a whole memory BAR into our address space.  flags in: KPI_MAP_UC
 * (registers) or KPI_MAP_WC (framebuffers).  out->flags gets KPI_MAP_TRAPPED
 * if the mapping is not real memory and every access must go through
 * kpi_host_mmio_read/write (only the sim backend does that).
 * Redox: mmap(chan_fd, offset = bar << 61 | type << 59) with type UC=1,
 * WC=2, MAP_SHARED; pcid physmaps the BAR.  Linux: mmap of
 * /sys/.../resourceN (resourceN_wc for WC).  Unmap: munmap. */
#define KPI_MAP_UC 0x0u
#define KPI_MAP_WC 0x1u
#define KPI_MAP_TRAPPED 0x100u
struct kpi_pci_map {
	void *addr;
	kpi_u64 size;
	kpi_u32 flags;
};
int kpi_host_pci_map_bar(int handle, int bar, kpi_u32 flags, struct kpi_pci_map *out);
void kpi_host_pci_unmap_bar(int handle, int bar);

/* MMIO access for mappings flagged KPI_MAP_TRAPPED (the real backends do a
 * plain volatile access, so lx may call these for every mapping or inline
 * the access when the flag is clear).  width 1, 2, 4 or 8. */
kpi_u64 kpi_host_mmio_read(const volatile void *addr, kpi_u32 width);
void kpi_host_mmio_write(volatile void *addr, kpi_u32 width, kpi_u64 value);

/* Allow port I/O to an I/O BAR, then in/out by absolute port number
 * (width 1, 2, 4).  Redox: acquire_port_io_rights once (dup of
 * redox_cur_thrfd_v0 "open_via_dup", SYS_CALL meta {Iopl=255}; the runtime
 * is one thread), then inb/outb instructions.  Linux: open /sys/.../resourceN
 * and pread/pwrite at port - base (sysfs supports 1/2/4-byte I/O accesses).
 * A port outside every enabled BAR reads all-ones and writes are dropped. */
int kpi_host_pci_pio_enable(int handle, int bar);
kpi_u32 kpi_host_pio_in(kpi_u32 port, kpi_u32 width);
void kpi_host_pio_out(kpi_u32 port, kpi_u32 width, kpi_u32 value);

/* ---- interrupts -------------------------------------------------------- */

/* Enable up to nvec vectors of one type (KPI_IRQ_LEGACY has exactly 1);
 * returns how many were enabled (>= 1), -KPI_ENOTSUP if the type is not
 * available (lx then falls back, as pci_alloc_irq_vectors does).
 * Redox: LEGACY opens /scheme/irq/<legacy line>; MSI/MSI-X read the BSP
 * apic id from /scheme/irq/bsp, open /scheme/irq/cpu-XX/N with O_CREAT per
 * vector (N from the cpu-XX listing), then program address 0xFEE00000 |
 * apic<<12, data N+32: MSI via SetFeatureInfo + EnableFeature(Msi); MSI-X via
 * FeatureInfo, mapping the table BAR, writing the entries, EnableFeature.
 * Linux (uio_pci_generic): LEGACY only, /dev/uioN; MSI/MSI-X -> -KPI_ENOTSUP.
 * Disable closes the IRQ fds and turns MSI/MSI-X off again. */
#define KPI_IRQ_LEGACY 1
#define KPI_IRQ_MSI 2
#define KPI_IRQ_MSIX 4
int kpi_host_irq_enable(int handle, int type, int nvec);
void kpi_host_irq_disable(int handle);

/* Report vector index of handle as KPI_EV_IRQ events carrying cookie;
 * cookie 0 stops reporting.  Redox and Linux: add/remove the IRQ fd in the
 * epoll set with cookie as epoll data. */
int kpi_host_irq_watch(int handle, int index, void *cookie);

/* Acknowledge one reported interrupt: the vector is masked from the moment
 * it is reported until this call, so every reported event needs exactly one
 * ack (-KPI_EINVAL if nothing is pending an ack).  lx acks after the handler
 * ran (IRQ_HANDLED or not) so a level-triggered line does not storm.
 * Redox: write the 8-byte count read at report time back to the IRQ fd (the
 * kernel then unmasks the line).  Linux: write the 4-byte value 1 to
 * /dev/uioN (uio_pci_generic re-enables INTx). */
int kpi_host_irq_ack(int handle, int index);

/* ---- DMA memory -------------------------------------------------------- */

/* Physically contiguous, zeroed, page-aligned memory with its bus address
 * (no IOMMU: bus address == physical address).  size is rounded up to pages.
 * KPI_DMA_32BIT asks for a bus address below 4 GiB (-KPI_ENOMEM if the
 * backend cannot guarantee it).  The backend may use priv.
 * Redox: openat(memroot, "zeroed@wb?phys_contiguous"), mmap MAP_PRIVATE
 * (MAP_SHARED gives EOPNOTSUPP), bus address by redox_sys_call_v0 on the
 * "translation" fd with flags READ; free = munmap.  Linux: carve from 2 MiB
 * hugepages (mmap MAP_HUGETLB, mlock), physical address from
 * /proc/self/pagemap; free returns the chunk to the pool. */
#define KPI_DMA_32BIT 0x1u
struct kpi_dma {
	void *virt;
	kpi_u64 bus;
	kpi_size size;
	kpi_uptr priv;
};
int kpi_host_dma_alloc(kpi_size size, kpi_u32 flags, struct kpi_dma *out);
void kpi_host_dma_free(struct kpi_dma *dma);

/* Bus address of a byte inside memory from kpi_host_dma_alloc (streaming
 * mappings: lx keeps DMA-able buffers there or bounces).  -KPI_EFAULT for an
 * address the backend cannot translate.  Redox: the translation call (valid
 * for any mapped address).  Linux: /proc/self/pagemap. */
int kpi_host_dma_translate(const void *virt, kpi_u64 *bus);

/* ---- firmware ---------------------------------------------------------- */

/* Load a firmware blob by its Linux name ("rtl_nic/rtl8168d-1.fw") into
 * memory owned by the caller until kpi_host_firmware_release.
 * Redox: read /scheme/firmware/<name>, else /lib/firmware/<name> (no upstream
 * convention; Red Bear's firmware-loader serves the first).  Linux:
 * /lib/firmware/<name>.  -KPI_ENOENT if not found. */
int kpi_host_firmware_load(const char *name, void **data, kpi_size *size);
void kpi_host_firmware_release(void *data, kpi_size size);

/* ---- network export ---------------------------------------------------- */

/* Export a network interface carrying Ethernet frames; cookie rides on its
 * KPI_EV_NET events.  Returns a netif handle.
 * Redox: the Rust shim registers scheme network.<pci name>_<name>; reads of
 * path "" return frames we deliver, writes are frames to take, "mac" returns
 * mac.  Linux: open /dev/net/tun (IFF_TAP|IFF_NO_PI) named name, set its MAC
 * peer to mac via SIOCSIFHWADDR on the tap. */
int kpi_host_net_open(const char *name, const kpi_u8 mac[6], void *cookie);
void kpi_host_net_close(int netif);

/* The next frame the OS wants sent on the wire (the driver's xmit path):
 * copies it to buf and returns its length, 0 if none is queued, or
 * -KPI_ENOSPC if buf is too small (the frame stays queued).
 * KPI_EV_NET is edge-triggered: reported once when frames become available,
 * and again only after a take returned 0.  Redox: the next queued scheme
 * write.  Linux: read() on the non-blocking TAP fd (EAGAIN -> 0). */
int kpi_host_net_take(int netif, void *buf, kpi_size cap);

/* Pass a frame received from the wire up to the OS.  Redox: queue it for
 * scheme readers and post EVENT_READ.  Linux: write() on the TAP fd. */
int kpi_host_net_deliver(int netif, const void *frame, kpi_size len);

/* Report carrier up/down (netif_carrier_on/off).  Redox: logged only (no
 * upstream scheme path yet).  Linux: TUNSETCARRIER. */
void kpi_host_net_link(int netif, int up);

#endif /* KPI_HOST_H */
