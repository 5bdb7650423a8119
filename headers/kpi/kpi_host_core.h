/* kpi_host_core.h: the process part of the narrow host interface between
 * the kpiport runtime (runtime/kit + runtime/lx) and the operating system it
 * runs on: start and stop, memory, logging, time, the event wait, signals,
 * task stacks, the sandbox.  kpi_host_pci.h (PCI, interrupts, DMA,
 * firmware) and kpi_host_net.h (network export) are the other two parts;
 * kpi_host.h includes all three.  kit needs only this one.
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
#ifndef KPI_HOST_CORE_H
#define KPI_HOST_CORE_H

/* The interface version lx and kit were built against; kpi_host_init
 * refuses another.  2: kpi_host_init takes the version and consumes its
 * own options; kpi_host_param is gone (lx parses module parameters);
 * stack_alloc/free, sandbox; every fatal signal is reported or handled. */
#define KPI_HOST_VERSION 2

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

/* Called once by main() before any other call.  version is the
 * KPI_HOST_VERSION the caller was built with: a backend of another version
 * logs both and returns -KPI_EINVAL.  The backend takes its own options
 * out of argv (Linux: --pci=, --tap=, --ready-fd=; emulators: theirs): it
 * removes every option it recognises, compacting argv[1..] in order and
 * lowering *argc, and leaves everything else (lx's options, module
 * parameters name=value) for lx, which reports what nobody took.  A
 * malformed option of its own is -KPI_EINVAL, logged with the option.
 * Redox: reads PCID_CLIENT_CHANNEL and INIT_NOTIFY from the environment,
 * opens /scheme/memory/scheme-root (so physmaps keep working after
 * setrens), /scheme/event and the firmware directories, and sends
 * RequestConfig (plus the config reads Config leaves out) on the channel.
 * Options: --ecam (config offsets up to 4095; only where pcid has
 * memory-mapped config space, it crashes on >= 256 otherwise) and
 * --no-sandbox.  Without PCID_CLIENT_CHANNEL it starts with no PCI
 * function (--help works); a channel variable that is no pcid channel
 * ends the process with KPI_EXIT_HOST (headers/redox/kpi_main.h).
 * Linux: option parsing; PCI functions are found by kpi_host_pci_count(). */
int kpi_host_init(int version, int *argc, char **argv);

/* Leave the process with status.  Linux: exit().  Redox: _exit() (the
 * backend writes its log straight to fd 2, nothing is buffered). */
KPI_NORETURN void kpi_host_exit(int status);

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
 * Both backends: log, kpi_host_backtrace(), then, like a fatal fault
 * (SIGSEGV, SIGBUS, SIGILL, SIGFPE, which every backend catches), turn off
 * bus mastering (COMMAND bit 2) of every PCI function it opened, so a dead
 * daemon's device stops DMA into memory that is about to be freed; then
 * abort(). */
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
#define KPI_EV_DISPLAY 4 /* display clients sent requests (kpi_host_display.h) */
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
 * Redox: one /scheme/event queue holding the IRQ fds, the scheme sockets
 * and the signal pipe, read directly; the deadline is the queue's one-shot
 * EVENT_TIMEOUT_ID record in milliseconds, as relibc's epoll_wait does it
 * (relibc's timer_create uses /scheme/time plus a thread instead).  An IRQ
 * fd fires when its count changes, never at subscription: a newly watched
 * one is read at the next wait.  Linux: epoll over /dev/uioN fds and the
 * TAP fd with epoll_wait's timeout. */
int kpi_host_wait(kpi_u64 deadline_ns, struct kpi_host_event *events, int max);

/* Report requests sent to the process as KPI_EV_SIGNAL events carrying
 * cookie (index = what is asked).  Optional: lx calls it through a weak
 * reference, so a backend without it simply has no such requests.
 * Every catchable signal whose default action ends the process is taken:
 * SIGUSR1 -> KPI_SIG_PANIC; SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR2,
 * SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGPWR (where the OS has
 * them) -> KPI_SIG_TERM, once: the driver's exit path runs in the loop.  A
 * second terminating signal after the first was reported means the exit
 * path is stuck: the backend stops DMA as kpi_host_abort does and leaves
 * at once with status KPI_EXIT_SIGNAL_BASE + signal number (the shell's
 * convention).  SIGPIPE is ignored (a closed pipe is an EPIPE error).
 * Redox: sigaction and a non-blocking self-pipe in the event queue (relibc
 * has no signalfd); the fatal-fault handlers run on an alternate signal
 * stack, so a task stack overflow still stops DMA.  Linux: blocked and
 * read through a signalfd.
 * Registering counts as "an event can still come": the loop no longer ends
 * with -KPI_EDEADLK when nothing else is watched. */
#define KPI_SIG_TERM 1	/* stop the daemon: run the driver's exit, then leave */
#define KPI_SIG_PANIC 2 /* run the kernel panic path (notifiers), then abort */
#define KPI_EXIT_SIGNAL_BASE 128
int kpi_host_signal_watch(void *cookie);

/* ---- task stacks and the sandbox --------------------------------------- */

/* Memory for a task stack: size is a multiple of 4096; the backend puts an
 * inaccessible guard page below it where the OS can (an overflow faults
 * instead of corrupting a neighbour).  Returns the lowest usable address,
 * or 0.  Linux and sim: mmap + mprotect.  Redox: mmap of anonymous memory
 * and mprotect of the guard page. */
void *kpi_host_stack_alloc(kpi_size size);
void kpi_host_stack_free(void *stack, kpi_size size);

/* The device is up: from now on the daemon needs no new OS resources
 * beyond those it holds.  Optional (weak); lx calls it once, after the
 * first successful ndo_open of a network interface, or after init for a
 * driver that registers none.  Redox: setrens(0, 0) (only memory and pipe
 * remain openable; held fds keep working); afterwards any call that would
 * need a new open through the namespace (an interrupt type not enabled
 * before, another network scheme) fails with -KPI_EPERM and a log line
 * naming it.  Still working: firmware (its directories were opened at
 * init), re-enabling interrupts after a disable (the IRQ fds are kept once
 * sandboxed), DMA and BARs (the memory root is held).  Linux and sim:
 * nothing (0). */
int kpi_host_sandbox(void);

#endif /* KPI_HOST_CORE_H */
