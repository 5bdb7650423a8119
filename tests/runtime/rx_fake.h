/* rx_fake.h: a scripted stand-in for rx_sys.h, so the Redox backend's
 * protocol logic (pcid channel client, irq report/ack, scheme serving)
 * can be unit-tested without the emulated Redox: every fd is a pair of
 * byte queues (what the backend will read, what it wrote), the pcid
 * channel answers each write with the next scripted reply, rx_exit jumps
 * back into the test.  Only tests/runtime/rx_*_test.c use it. */
#ifndef RX_FAKE_H
#define RX_FAKE_H

#include "rx_pcid_wire.h"
#include "rx_sys.h"

#include <setjmp.h>
#include <stddef.h>

#define FK_MAX_FDS 64

struct fk_fd {
	int used;
	char path[128];
	long flags;	      /* open flags, then F_SETFL */
	unsigned char in[65536]; /* bytes the backend will read */
	size_t in_len, in_pos;
	unsigned char out[65536]; /* bytes the backend wrote */
	size_t out_len;
	long write_ret; /* nonzero: what the next write returns (once) */
	int chan;	/* the pcid channel: a write queues the next reply */
	unsigned char dents[8192];
	size_t dents_len;
};
extern struct fk_fd fk_fds[FK_MAX_FDS];

/* Start over: no fds but stderr (2, captured), the usual paths openable. */
void fk_reset(void);
/* Paths rx_open accepts: exact, or every path under prefix/ (err 0 = ok). */
void fk_allow(const char *path, int err);
/* The newest fd opened with this path, -1 if none. */
int fk_find(const char *path);
/* Bytes for the backend to read next from fd. */
void fk_feed(int fd, const void *data, size_t len);
/* Make fd the pcid channel and queue encoded replies for its next writes. */
void fk_chan(int fd);
void fk_chan_reply(const struct rxw_resp *resp);
void fk_chan_reply_raw(const void *framed, size_t len);
/* The requests written to the channel, decoded in order. */
int fk_chan_requests(struct rxw_req *out, int max);
void fk_setenv(const char *name, const char *value); /* value 0: unset */
/* The scheme names registered, in order. */
extern char fk_registered[8][96];
extern int fk_nregistered;
/* rx_exit jumps here with status + 1 when armed. */
extern jmp_buf fk_exit_jmp;
extern int fk_exit_armed;
/* Called after every successful rx_open/rx_openat (tests fill fds here). */
extern void (*fk_on_open)(int fd, const char *path);
/* What stderr (fd 2) received, NUL-terminated. */
const char *fk_stderr(void);

#endif /* RX_FAKE_H */
