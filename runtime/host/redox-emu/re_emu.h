/* re_emu.h: the test-side API of the emulated Redox (runtime/host/redox-emu).
 * The daemon side only ever sees rx_sys.h; tests use these calls to look
 * inside the emulated kernel/pcid/netstack, to play the "other processes"
 * (a netstack wire, a client of a user scheme) and to assert on counters.
 * libc-free like rx_sys.h. */
#ifndef RE_EMU_H
#define RE_EMU_H

#include "rx_sys.h"

/* How often pcid physmapped a BAR for an mmap of the channel (pcid maps on
 * every mmap and never unmaps: a backend should map each BAR once). */
int re_bar_map_count(int bar);

/* Trigger count of emulated IRQ n (kernel COUNTS[n]), -1 if out of range. */
long re_irq_count(int irq);
/* Is vector n reserved on the boot CPU (cpu-00/N)? */
int re_irq_reserved(int irq);

/* The netstack stand-in.  State: 0 waiting for the readiness byte, 1 no
 * network scheme found, 2 opening, 3 up (data handle open, MAC known),
 * -1 failed (an open/read answered with an error). */
int re_net_state(void);
const rx_u8 *re_net_mac(void); /* 6 bytes, once up */
/* The test's wire side: frames to write to the daemon's scheme, frames the
 * daemon delivered (read from the scheme).  pop: length, 0 if none. */
int re_net_inject(const void *frame, rx_size len);
int re_net_pop(void *buf, rx_size cap);
/* The next read request of the client is cancelled right after it is sent
 * (opcode Cancel, same tag, ONEWAY), as the kernel does for a signal. */
void re_net_cancel_next_read(void);

/* Requests to a registered user scheme on behalf of another process, as
 * the kernel forwards them (64-byte Sqe; args as the opcode wants, with
 * real pointers for buffers).  Returns the tag or -errno; the answer is
 * collected with re_sched_result: 1 answered, 0 pending, -RX_ENOENT unknown. */
#define RE_OP_READ 5
#define RE_OP_WRITE 6
#define RE_OP_FEVENT 11
#define RE_OP_FPATH 13
#define RE_OP_CANCEL 25
#define RE_OP_CLOSE 27
#define RE_OP_OPENAT 29
#define RE_OP_STDFSCALL 33
#define RE_OP_FSTAT 15
#define RE_OP_MMAP_PREP 20 /* (id, size, map flags, offset) -> address in the daemon */
#define RE_OP_MUNMAP 23	   /* (id, size, munmap flags, offset) */
#define RE_OP_CALL 28	   /* (id, payload, length, metadata[0..2]) */
/* The handle number a scheme registered as its root (OpenAt's dir id). */
long re_scheme_root(const char *name);
long re_sched_request(const char *scheme, rx_u8 opcode, const rx_u64 args[6]);
int re_sched_result(rx_u32 tag, rx_u64 *result, rx_u8 *extra0);
/* SendFevent records the daemon sent: count so far, last (number, flags). */
int re_fevents(rx_u64 *number, rx_size *flags);

/* Drive the emulated world for ms milliseconds of the backing's clock
 * without an event read (what other processes would do meanwhile). */
void re_run_for(unsigned ms);

#endif
