/* rx_scheme.h: serving a Redox scheme from C - the generic part under the
 * network scheme (rx_net.c) and, later, disk.* and display.* schemes.
 *
 * A scheme is a socket the kernel writes 64-byte requests to and reads
 * 16-byte answers from (rx_sys.h "serving a scheme"; [S] src/schemev2.rs,
 * [K] src/scheme/user.rs).  This module owns the socket, the name
 * registration, the handle table (id 0 is the root handle the namespace
 * opens through), request decoding, answers, events, parked requests and
 * cancellation; the owner supplies what its files do through ops.
 *
 * Blocking: an op that returns -RX_EAGAIN would block.  If the caller's fd
 * is non-blocking (O_NONBLOCK in the request's fd flags) it gets EAGAIN;
 * otherwise the request is parked - its buffer stays mapped in our space
 * until it is answered - and tried again on rx_scheme_retry (new data or
 * room).  The kernel cancels a parked request when its caller is
 * interrupted: it is answered with EINTR then.
 *
 * Answering later: an open, read, write, call, mmap or munmap op may return
 * RX_SCHEME_LATER (the work runs elsewhere, e.g. in a runtime task); the
 * owner then answers with rx_scheme_answer(s, tag, result), tag from
 * rx_scheme_tag() during the op.  A later open keeps its handle reserved:
 * answer it with rx_scheme_id(s, h) (the id), or with an error after
 * rx_scheme_forget(s, id).  A Cancel of such a request is ignored: the
 * owner's answer comes when the work is done. */
#ifndef RX_SCHEME_H
#define RX_SCHEME_H

#include "rx_sys.h"

#define RX_SCHEME_ROOT 0u /* kind of handle 0 */
#define RX_SCHEME_LATER (-100000L) /* an op's "answered later" (not an errno) */

struct rx_scheme;

struct rx_scheme_handle {
	int used;
	rx_u32 kind;  /* RX_SCHEME_ROOT or what ops->open chose (> 0) */
	rx_u64 flags; /* open flags (O_ACCMODE, O_NONBLOCK, ...) */
	void *priv;
};

/* Every op gets the owner's ctx.  Results are >= 0 or -RX_E*. */
struct rx_scheme_ops {
	/* Open path (not NUL-terminated) below the root: set h->kind (> 0) and
	 * h->priv, and RX_NEWFD_POSITIONED in *newfd_flags for files read at
	 * an offset.  uid is the caller's. */
	long (*open)(void *ctx, const char *path, rx_size len, rx_u64 flags, rx_u32 uid,
		     struct rx_scheme_handle *h, rx_u8 *newfd_flags);
	long (*read)(void *ctx, struct rx_scheme_handle *h, rx_u8 *buf, rx_size len, rx_u64 offset);
	long (*write)(void *ctx, struct rx_scheme_handle *h, const rx_u8 *buf, rx_size len, rx_u64 offset);
	/* RX_EVENT_* the handle is ready for now (Fevent; optional). */
	rx_u32 (*ready)(void *ctx, struct rx_scheme_handle *h);
	/* Fill st (zeroed before the call). */
	long (*fstat)(void *ctx, struct rx_scheme_handle *h, struct rx_stat *st);
	/* The path below the scheme for fpath ("" if NULL). */
	const char *(*path)(void *ctx, struct rx_scheme_handle *h);
	/* SYS_CALL on a handle (display schemes: DRM ioctls); optional. */
	long (*call)(void *ctx, struct rx_scheme_handle *h, rx_u8 *buf, rx_size len, const rx_u64 meta[3]);
	void (*close)(void *ctx, struct rx_scheme_handle *h); /* optional */
	/* MmapPrep: the address in our space of [offset, offset + size) of
	 * the file (the kernel maps those pages into the caller); optional. */
	long (*mmap)(void *ctx, struct rx_scheme_handle *h, rx_u64 offset, rx_size size, rx_u64 flags);
	/* Munmap of a range an mmap handed out; optional. */
	long (*munmap)(void *ctx, struct rx_scheme_handle *h, rx_u64 offset, rx_size size);
};

/* Create the socket (root only), make it non-blocking, register name in our
 * namespace and subscribe the socket to the event queue with tag.  Returns
 * 0 or -KPI_E* (logged). */
int rx_scheme_create(struct rx_scheme **out, const char *name, const struct rx_scheme_ops *ops, void *ctx,
		     rx_size tag);
/* Unsubscribe and close the socket (the kernel drops the scheme). */
void rx_scheme_destroy(struct rx_scheme *s);
/* Serve every request waiting on the socket.  Returns how many, or -1
 * once the kernel closed the scheme. */
int rx_scheme_pump(struct rx_scheme *s);
/* Try the parked requests again (the owner has new data or room). */
void rx_scheme_retry(struct rx_scheme *s);
/* Post an event (RX_EVENT_*) to every open handle. */
void rx_scheme_post(struct rx_scheme *s, rx_u32 flags);
/* Serve one request (rx_scheme_pump's body; tests call it directly). */
void rx_scheme_serve(struct rx_scheme *s, const struct rx_sqe *q);
/* A scheme object without a socket, answering into rx_write(fd, ...): for
 * unit tests and for sockets made elsewhere. */
struct rx_scheme *rx_scheme_new(long sock, const char *name, const struct rx_scheme_ops *ops, void *ctx);
const char *rx_scheme_name(const struct rx_scheme *s);
/* For ops that answer later (RX_SCHEME_LATER above). */
rx_u32 rx_scheme_tag(const struct rx_scheme *s);
long rx_scheme_id(const struct rx_scheme *s, const struct rx_scheme_handle *h);
void rx_scheme_answer(struct rx_scheme *s, rx_u32 tag, long result);
void rx_scheme_forget(struct rx_scheme *s, long id);

#endif /* RX_SCHEME_H */
