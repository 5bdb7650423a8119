/* rx_sys.h: the Redox primitives layer.  Every OS access of the Redox host
 * backend (runtime/host/redox) goes through these calls and nothing else,
 * so the same backend code runs on Redox (rx_sys_relibc.c: relibc's
 * libredox ABI) and, unmodified, on Linux against the emulated Redox
 * (runtime/host/redox-emu: pcid, irq, memory, event, namespace and
 * user-scheme semantics reproduced in-process).
 *
 * The calls mirror relibc's `redox_*_v1` ABI (relibc
 * src/platform/redox/libredox.rs at 6359922): results are `long`, >= 0 on
 * success, -errno on failure (Redox's errno numbers, which equal Linux's for
 * every code used here).  Flag values are Redox's, not the build host's:
 * the RX_* constants below are the only ones the backend uses.  Each one
 * names the source it was checked against: [S] redox-os/syscall 4cc3baa,
 * [R] redox-os/relibc 6359922, [K] redox-os/kernel 663e664, [B] Redox base
 * (Gh0s777tt/eos-base 9dd6901d).
 *
 * Self-contained: includes nothing, so it compiles freestanding for
 * --target=x86_64-unknown-redox and in a glibc translation unit alike.
 * Version: RX_SYS_VERSION changes whenever a call or constant changes
 * meaning; rx_sys_init() refuses a mismatch.
 *   1: first contract.
 *   2: rx_sys_init takes int *argc and compacts argv; rx_fcntl, rx_mprotect,
 *      rx_sigaltstack added; rx_sigaction takes RX_SIG_DFL/RX_SIG_IGN and
 *      installs with SA_ONSTACK; rx_mmap with fd -1 is anonymous memory;
 *      the event-queue timeout record, the user-scheme records, the Redox
 *      `Stat` and the pcid mmap offset encoding are spelled out here. */
#ifndef RX_SYS_H
#define RX_SYS_H

#define RX_SYS_VERSION 2

typedef __SIZE_TYPE__ rx_size;
typedef unsigned char rx_u8;
typedef unsigned short rx_u16;
typedef unsigned int rx_u32;
typedef unsigned long long rx_u64;

/* ---- constants (Redox values; sources in each comment) ------------------- */

/* open flags: [S] src/flag.rs O_* and [R] src/header/bits_open-flags/redox.rs
 * (O_CLOEXEC exists only in relibc; the kernel never sees it). */
#define RX_O_RDONLY 0x00010000u
#define RX_O_WRONLY 0x00020000u
#define RX_O_RDWR 0x00030000u
#define RX_O_ACCMODE 0x00030000u
#define RX_O_NONBLOCK 0x00040000u
#define RX_O_CLOEXEC 0x01000000u
#define RX_O_CREAT 0x02000000u
#define RX_O_EXCL 0x08000000u
#define RX_O_DIRECTORY 0x10000000u

/* fcntl commands: [S] src/flag.rs F_*.  F_SETFL keeps the access mode and
 * replaces the other description flags ([K] src/syscall/fs.rs fcntl). */
#define RX_F_GETFL 3
#define RX_F_SETFL 4

/* mmap: [R] src/header/sys_mman/{mod,redox}.rs.  redox_mmap_v1 shifts prot
 * into the syscall MapFlags ([S] src/flag.rs: PROT_READ 4 -> 0x4_0000). */
#define RX_PROT_NONE 0x0u
#define RX_PROT_READ 0x4u
#define RX_PROT_WRITE 0x2u
#define RX_MAP_SHARED 0x1u
#define RX_MAP_PRIVATE 0x2u
#define RX_PAGE_SIZE 4096u

/* The pcid channel's mmap offset selects a BAR and a memory type ([B]
 * drivers/pcid/src/driver_interface/mod.rs map_bar, scheme.rs mmap_prep;
 * MemoryType in drivers/common/src/lib.rs).  bar must be < 6: pcid indexes
 * its bars[6] with it and crashes otherwise. */
#define RX_MEMTYPE_WB 0u
#define RX_MEMTYPE_UC 1u
#define RX_MEMTYPE_WC 2u
#define RX_PCID_BAR_OFFSET(bar, type) ((rx_u64)(bar) << 61 | (rx_u64)(type) << 59)

/* SYS_CALL flags: [S] src/flag.rs CallFlags. */
#define RX_CALL_WRITE (1ul << 9)
#define RX_CALL_READ (1ul << 10)
#define RX_CALL_FD (1ul << 11)
/* metadata[0] of the SYS_CALL on a thread's "open_via_dup" handle:
 * [S] src/flag.rs ProcSchemeVerb::Iopl ([K] src/scheme/proc.rs kcall). */
#define RX_PROC_VERB_IOPL 255u

/* Event records on /scheme/event: [S] src/data.rs `Event`, [S] src/flag.rs
 * EVENT_*.  Writing {fd, flags, data} subscribes fd (flags 0: unsubscribes);
 * a read returns the records of fds that fired, data as subscribed.  The
 * kernel reports nothing at subscription unless the scheme's fevent says
 * the fd is ready now (the irq scheme never does: [K] src/scheme/irq.rs). */
#define RX_EVENT_READ 1ul
#define RX_EVENT_WRITE 2ul
struct rx_event {
	rx_size id;    /* the fd (subscription) or the fd that fired */
	rx_size flags; /* RX_EVENT_* */
	rx_size data;  /* caller's tag, returned with the event */
};
/* The timeout record ([S] src/flag.rs EVENT_TIMEOUT_ID = usize::MAX - 2;
 * [K] src/event.rs; used by [R] src/platform/redox/epoll.rs): writing
 * {RX_EVENT_TIMEOUT_ID, RX_EVENT_READ, ms} arms a one-shot timeout of ms
 * milliseconds for the next blocking read of the queue (0: that read does
 * not block); flags 0 disarms it.  A read that times out returns one record
 * whose id is RX_EVENT_TIMEOUT_ID. */
#define RX_EVENT_TIMEOUT_ID ((rx_size)-3)

/* getdents records: [S] src/dirent.rs `DirentHeader` (packed: u64 inode,
 * u64 next_opaque_id, u16 record_len, u8 kind = 19 bytes), then the name
 * and a NUL; record_len covers all three. */
#define RX_DIRENT_HDR 19u

/* ---- serving a scheme: [S] src/schemev2.rs, [K] src/scheme/user.rs ------ */

/* A request read from the scheme socket (`Sqe`, 64 bytes, native endian).
 * args[5] carries uid | gid << 32 for the calls the kernel makes through
 * UserInner::call (OpenAt, Read, Write, Fevent, Fpath, Fstat, Dup, ...). */
struct rx_sqe {
	rx_u8 opcode;
	rx_u8 sqe_flags; /* RX_SQE_ONEWAY: no answer expected */
	rx_u16 rsvd;
	rx_u32 tag;
	rx_u64 args[6];
	rx_u64 caller; /* pid */
};
/* An answer (`Cqe`, 16 bytes): flags bits 2:0 are RX_CQE_*; result is the
 * value or -errno; extra[0] carries RX_NEWFD_* flags of an opened handle.
 * RX_CQE_SEND_FEVENT posts an event: tag = event flags, result = handle id. */
struct rx_cqe {
	rx_u8 flags;
	rx_u8 extra[3];
	rx_u32 tag;
	rx_u64 result;
};
#define RX_SQE_ONEWAY 1u
#define RX_CQE_RESPOND 0u
#define RX_CQE_SEND_FEVENT 2u
#define RX_NEWFD_POSITIONED 1u
/* Opcodes ([S] src/schemev2.rs Opcode) with their args as [K] sends them:
 *   Dup 4 (id, buf, len)          Read 5 / Write 6 (id, buf, len, offset, fd flags)
 *   Fcntl 10 (id, cmd, arg)       Fevent 11 (id, flags) -> ready flags now
 *   Fpath 13 (id, buf, len)       Fstat 15 (id, buf, len)     Fsync 17 (id)
 *   MmapPrep 20 (id, size, map flags, offset) -> the address in our space
 *   Munmap 23 (id, size, munmap flags, offset)   ([K] src/scheme/user.rs)
 *   Cancel 25 (tag = the request to cancel; one-way)  CloseMsg 27 (id; no answer)
 *   Call 28 (id, buf, len, meta..)   OpenAt 29 (dir id, path, len, flags, fcntl flags)
 *   StdFsCall 33 (id, buf, len, kind, arg1, arg2)     Detach 34 (id; no answer)
 * Read/Write offset is ~0 unless the handle was opened RX_NEWFD_POSITIONED.
 * A cancelled request is answered -EINTR or -ECANCELED (the kernel turns
 * the latter into EINTR; EINTR without a Cancel becomes EIO). */
#define RX_SQE_DUP 4
#define RX_SQE_READ 5
#define RX_SQE_WRITE 6
#define RX_SQE_FCNTL 10
#define RX_SQE_FEVENT 11
#define RX_SQE_FPATH 13
#define RX_SQE_FSTAT 15
#define RX_SQE_FSYNC 17
#define RX_SQE_MMAP_PREP 20
#define RX_SQE_MUNMAP 23
#define RX_SQE_CANCEL 25
#define RX_SQE_CLOSE 27
#define RX_SQE_CALL 28
#define RX_SQE_OPENAT 29
#define RX_SQE_STDFSCALL 33
#define RX_SQE_DETACH 34
/* StdFsCall kinds ([S] src/flag.rs StdFsCallKind); relibc's fstat is one. */
#define RX_STDFS_FSTAT 4
#define RX_STDFS_FSYNC 6
/* The root handle of a new scheme: dup(socket, &params, 32)
 * ([S] src/data.rs NewFdParams; [K] src/scheme/mod.rs SchemeList::kdup). */
struct rx_newfd_params {
	rx_u64 offset;
	rx_size number; /* the handle id the scheme will see */
	rx_size flags;
	rx_u8 internal_flags; /* RX_NEWFD_* */
};
/* fstat's buffer: [S] src/data.rs `Stat` (repr(C), 104 bytes on x86_64). */
struct rx_stat {
	rx_u64 st_dev, st_ino;
	rx_u16 st_mode;
	rx_u32 st_nlink, st_uid, st_gid;
	rx_u64 st_size;
	rx_u32 st_blksize;
	rx_u64 st_blocks;
	rx_u64 st_mtime;
	rx_u32 st_mtime_nsec;
	rx_u64 st_atime;
	rx_u32 st_atime_nsec;
	rx_u64 st_ctime;
	rx_u32 st_ctime_nsec;
};
#define RX_MODE_DIR 0x4000u /* [S] src/flag.rs MODE_* */
#define RX_MODE_FILE 0x8000u
#define RX_MODE_CHR 0x2000u

/* errno values ([S] src/error.rs). */
#define RX_EPERM 1
#define RX_ENOENT 2
#define RX_EINTR 4
#define RX_EIO 5
#define RX_ENXIO 6
#define RX_EBADF 9
#define RX_EAGAIN 11
#define RX_ENOMEM 12
#define RX_EACCES 13
#define RX_EFAULT 14
#define RX_EBUSY 16
#define RX_EEXIST 17
#define RX_ENODEV 19
#define RX_ENOTDIR 20
#define RX_EISDIR 21
#define RX_EINVAL 22
#define RX_ENOSPC 28
#define RX_EDEADLK 35
#define RX_ENOLCK 37
#define RX_ENOSYS 38
#define RX_EOPNOTSUPP 95
#define RX_ETIMEDOUT 110
#define RX_ECANCELED 125

/* Signals ([R] src/header/signal/constants.rs; same numbers as Linux). */
#define RX_SIGHUP 1
#define RX_SIGINT 2
#define RX_SIGQUIT 3
#define RX_SIGILL 4
#define RX_SIGABRT 6
#define RX_SIGBUS 7
#define RX_SIGFPE 8
#define RX_SIGUSR1 10
#define RX_SIGSEGV 11
#define RX_SIGUSR2 12
#define RX_SIGPIPE 13
#define RX_SIGALRM 14
#define RX_SIGTERM 15
#define RX_SIGXCPU 24
#define RX_SIGXFSZ 25
#define RX_SIGVTALRM 26
#define RX_SIGPROF 27
#define RX_SIGPWR 30
/* Handler values for rx_sigaction ([R] src/header/signal/mod.rs SIG_DFL 0,
 * SIG_IGN 1). */
#define RX_SIG_DFL ((void (*)(int))0)
#define RX_SIG_IGN ((void (*)(int))1)

/* ---- calls ------------------------------------------------------------- */

/* Called first by kpi_host_init with the command line.  Both flavours check
 * version and take their own options out of argv the way kpi_host_init
 * does (compact argv[1..] in order, lower *argc); relibc has none.  emu:
 * builds the emulated world from its --emu-* options (and the backing
 * backend's), sets PCID_CLIENT_CHANNEL and INIT_NOTIFY the way
 * pcid-spawner does.  Returns 0 or -errno. */
int rx_sys_init(int version, int *argc, char **argv);

long rx_open(const char *path, rx_u32 flags);                                 /* redox_open_v1, mode 0 */
long rx_openat(long dirfd, const char *path, rx_u32 flags, rx_u32 fcntl_flags); /* redox_openat_v1 */
long rx_read(long fd, void *buf, rx_size len);                                /* redox_read_v1 */
long rx_write(long fd, const void *buf, rx_size len);                         /* redox_write_v1 */
long rx_close(long fd);                                                       /* redox_close_v1 */
/* dup with a path ("open_via_dup", "create-scheme", NewFdParams bytes). */
long rx_dup(long fd, const void *buf, rx_size len);      /* redox_dup_v1 */
long rx_fpath(long fd, char *buf, rx_size len);          /* redox_fpath_v1 */
/* RX_F_GETFL / RX_F_SETFL (the backend sets O_NONBLOCK this way). */
long rx_fcntl(long fd, int cmd, long arg);               /* redox_fcntl_v0 */
/* Directory records (RX_DIRENT_HDR layout) from opaque position `opaque`
 * (0 first; then the last record's next_opaque_id); 0 at the end.  Note:
 * the kernel's irq cpu-XX listing skips `opaque` entries while handing out
 * vector+1 as next_opaque_id, so the backend reads it in one call. */
long rx_getdents(long fd, void *buf, rx_size len, rx_u64 opaque); /* redox_getdents_v0 */
/* Returns the address (as long) or -errno.  offset is 64-bit: BAR selectors
 * of the pcid channel use the top bits.  len is a page multiple.  fd -1:
 * anonymous zeroed memory (relibc's mmap passes fd !0 to fmap for
 * MAP_ANONYMOUS, [R] src/platform/redox/mod.rs). */
long rx_mmap(void *addr, rx_size len, rx_u32 prot, rx_u32 flags, long fd, rx_u64 offset); /* redox_mmap_v1 */
long rx_munmap(void *addr, rx_size len);                                      /* redox_munmap_v1 */
long rx_mprotect(void *addr, rx_size len, rx_u32 prot);                       /* relibc mprotect */
/* The SYS_CALL entry: translation (flags READ, payload = virtual address in,
 * frame address out), Iopl (meta {255}), DRM ioctls later. */
long rx_sys_call(long fd, void *payload, rx_size len, rx_size flags, const rx_u64 *meta,
		 rx_size nmeta); /* redox_sys_call_v0 */
long rx_pipe(long fds[2]);                         /* relibc pipe2(fds, O_CLOEXEC); blocking ends */
const char *rx_getenv(const char *name);           /* relibc getenv */
/* setrens(0, 0): the null namespace (memory and pipe only). */
long rx_setrens(long rns, long ens);               /* redox_setrens_v1 */
long rx_cur_thrfd(void);                           /* redox_cur_thrfd_v0 */
long rx_get_ns(void);                              /* redox_get_ns_v0 */
/* Registers name; the cap fd is passed with CallFlags::FD and thereby
 * moved out of the caller's table: never close it afterwards. */
long rx_register_scheme_to_ns(long ns_fd, const char *name, long cap_fd); /* redox_register_scheme_to_ns_v0 */
rx_u64 rx_now_ns(void);                            /* clock_gettime(CLOCK_MONOTONIC) */
/* x86 port I/O instructions (after Iopl); width 1, 2 or 4. */
rx_u32 rx_pio_in(rx_u16 port, rx_u32 width);
void rx_pio_out(rx_u16 port, rx_u32 width, rx_u32 value);
/* MMIO on memory from rx_mmap (BARs through the pcid channel, physical@),
 * width 1, 2, 4 or 8.  relibc: a plain volatile access.  emu: the backing's
 * kpi_host_mmio_read/write, so registers a sim device model implements with
 * callbacks (KPI_MAP_TRAPPED BARs) work through the Redox backend too. */
rx_u64 rx_mmio_read(const volatile void *addr, rx_u32 width);
void rx_mmio_write(volatile void *addr, rx_u32 width, rx_u64 value);
/* Does addr lie in a mapping whose accesses must go through rx_mmio_read/
 * write (a device model's registers, not memory)?  relibc: never (0).
 * emu: when the backing mapped that BAR KPI_MAP_TRAPPED (the sim's models
 * with register callbacks).  The backend then flags the BAR the same way
 * for lx, which routes every access of it through kpi_host_mmio_*. */
int rx_mmio_trapped(const volatile void *addr);
/* Install handler for sig (a function, RX_SIG_DFL or RX_SIG_IGN), without
 * SA_RESTART (a blocked read returns EINTR) and with SA_ONSTACK (it runs
 * on the rx_sigaltstack stack, so a stack overflow can still be handled). */
long rx_sigaction(int sig, void (*handler)(int)); /* relibc sigaction */
long rx_sigaltstack(void *base, rx_size size);    /* relibc sigaltstack */
__attribute__((__noreturn__)) void rx_exit(int status); /* relibc _exit */

#endif /* RX_SYS_H */
