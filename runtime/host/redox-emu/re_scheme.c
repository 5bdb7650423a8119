/* re_scheme.c: the namespace manager and user schemes of the emulated
 * Redox.  /scheme/namespace/scheme-creation-cap (bootstrap/src/
 * initnsmgr.rs at [B] 9dd6901d), dup(cap, "create-scheme") -> a scheme
 * socket, dup(socket, NewFdParams) -> a handle of the daemon's own scheme,
 * rx_register_scheme_to_ns -> the name (relibc redox-rt/src/sys.rs).
 *
 * Reading the socket returns 64-byte requests (syscall src/schemev2.rs Sqe
 * {u8 opcode; u8 sqe_flags; u16 _; u32 tag; u64 args[6]; u64 caller}),
 * writing it takes 16-byte Cqe {u8 flags (bits 2:0 CqeOpcode); u8
 * extra[3]; u32 tag; u64 result}: RespondRegular 0 answers the request
 * with that tag, SendFevent 2 posts events (tag = flags, result = handle
 * number), as kernel src/scheme/user.rs ParsedCqe::parse_cqe reads them.
 * The requests come from the netstack client and from tests playing other
 * processes; buffers named in args are real pointers (one address space). */
#define _GNU_SOURCE
#include "re_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RE_SQE 64
#define RE_CQE 16
#define RE_SOCK_Q 256
#define RE_INFLIGHT 256
#define RE_CALLER_PID 1000 /* the "other process" (netstack) as the kernel names it */

struct re_sock {
	int used;
	struct re_handle *h; /* the socket fd, 0 once closed */
	char name[64];	     /* registered name, "" before */
	rx_u64 root;	     /* NewFdParams.number of the registered handle */
	rx_u8 q[RE_SOCK_Q][RE_SQE];
	int head, n;
};

static struct re_sock socks[RE_MAX_SCHEMES];
static struct inflight {
	int used;
	struct re_sock *s;
	rx_u32 tag;
	rx_u8 opcode;
	re_done_fn done;
	void *ctx;
	int answered;
	rx_u64 result;
	rx_u8 extra0;
} inflight[RE_INFLIGHT];
static rx_u32 next_tag = 1;
static re_fevent_fn fevent_fn;
static int nfevents;
static rx_u64 last_fev_number;
static rx_size last_fev_flags;
static struct re_handle *ns_handle;

long re_ns_open(const char *rest, rx_u32 flags)
{
	if (strcmp(rest, "scheme-creation-cap"))
		return -RX_EINVAL; /* initnsmgr.rs: "Unknown special reference" */
	struct re_handle *h = re_handle_new(RE_K_NS_CAP, flags);
	return h ? h->fd : -RX_ENOMEM;
}

long re_scheme_dup(struct re_handle *h, const void *buf, size_t len)
{
	if (h->kind == RE_K_NS_CAP) {
		if (len != 13 || memcmp(buf, "create-scheme", 13))
			return -RX_EINVAL;
		for (int i = 0; i < RE_MAX_SCHEMES; i++) {
			if (socks[i].used)
				continue;
			struct re_handle *s = re_handle_new(RE_K_SOCKET, RX_O_RDWR);
			if (!s)
				return -RX_ENOMEM;
			memset(&socks[i], 0, sizeof(socks[i]));
			socks[i].used = 1;
			socks[i].h = s;
			s->sock = &socks[i];
			return s->fd;
		}
		return -RX_ENOSPC;
	}
	if (h->kind == RE_K_SOCKET) {
		/* NewFdParams {u64 offset; usize number; usize flags; u8 internal_flags} */
		if (len < 25)
			return -RX_EINVAL;
		struct re_handle *r = re_handle_new(RE_K_SCHEME_FD, RX_O_RDWR);
		if (!r)
			return -RX_ENOMEM;
		r->sock = h->sock;
		memcpy(&r->number, (const rx_u8 *)buf + 8, 8);
		return r->fd;
	}
	return -RX_EINVAL;
}

long rx_get_ns(void)
{
	if (!ns_handle)
		ns_handle = re_handle_new(RE_K_NS, RX_O_RDWR);
	return ns_handle ? ns_handle->fd : -RX_ENOMEM;
}

static struct re_sock *sock_by_name(const char *name)
{
	for (int i = 0; i < RE_MAX_SCHEMES; i++)
		if (socks[i].used && socks[i].name[0] && !strcmp(socks[i].name, name))
			return &socks[i];
	return 0;
}

long rx_register_scheme_to_ns(long ns_fd, const char *name, long cap_fd)
{
	struct re_handle *ns = re_handle_get(ns_fd), *cap = re_handle_get(cap_fd);
	if (!ns || ns->kind != RE_K_NS || !cap)
		return -RX_EBADF;
	if (cap->kind != RE_K_SCHEME_FD || !cap->sock->used)
		return -RX_EINVAL;
	if (!name[0] || strlen(name) >= sizeof(cap->sock->name) || strchr(name, '/'))
		return -RX_EINVAL;
	if (sock_by_name(name) || !strcmp(name, "pci") || !strcmp(name, "irq") || !strcmp(name, "memory") ||
	    !strcmp(name, "event") || !strcmp(name, "time") || !strcmp(name, "namespace"))
		return -RX_EEXIST;
	snprintf(cap->sock->name, sizeof(cap->sock->name), "%s", name);
	cap->sock->root = cap->number;
	re_log("scheme '%s' registered", name);
	/* The cap fd went to the namespace manager with CallFlags::FD: it is
	 * no longer in the caller's table. */
	re_event_forget(cap_fd);
	re_handle_free(cap);
	return 0;
}

long re_scheme_root(const char *name)
{
	struct re_sock *s = sock_by_name(name);
	return s ? (long)s->root : -RX_ENODEV;
}

int re_scheme_known(const char *name)
{
	return sock_by_name(name) != 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names a listing of /scheme/ shows, sorted. */
static int list_names(const char **out, int cap)
{
	static const char *const builtin[] = {"event", "file", "irq", "memory", "pci", "pipe", "time"};
	int n = 0;
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]) && n < cap; i++)
		if (!re_w.sandboxed || !strcmp(builtin[i], "memory") || !strcmp(builtin[i], "pipe"))
			out[n++] = builtin[i];
	for (int i = 0; i < RE_MAX_SCHEMES && n < cap && !re_w.sandboxed; i++)
		if (socks[i].used && socks[i].name[0])
			out[n++] = socks[i].name;
	qsort(out, (size_t)n, sizeof(out[0]), cmp_str);
	return n;
}

long re_schemes_getdents(rx_u8 *buf, size_t len, rx_u64 opaque)
{
	const char *names[32];
	int n = list_names(names, 32);
	size_t out = 0;
	for (rx_u64 i = opaque; i < (rx_u64)n; i++) {
		long r = re_dirent(buf + out, len - out, i + 1, RE_DT_DIR, names[i]);
		if (r < 0)
			return out ? (long)out : r;
		out += (size_t)r;
	}
	return (long)out;
}

const char *re_scheme_first(const char *prefix)
{
	const char *names[32];
	int n = list_names(names, 32);
	for (int i = 0; i < n; i++)
		if (!strncmp(names[i], prefix, strlen(prefix)) && sock_by_name(names[i]))
			return names[i];
	return 0;
}

int re_sock_pending(struct re_handle *h)
{
	return h->sock ? h->sock->n : 0;
}

static int sock_has_request(void *arg)
{
	return ((struct re_sock *)arg)->n != 0;
}

long re_sock_read(struct re_handle *h, void *buf, size_t len)
{
	struct re_sock *s = h->sock;
	if (len < RE_SQE)
		return -RX_EINVAL;
	if (!s->n && !(h->oflags & RX_O_NONBLOCK)) {
		int rc = re_world_run(~0ull, sock_has_request, s);
		if (rc < 0 && !s->n)
			return rc;
	}
	if (!s->n)
		return -RX_EAGAIN;
	size_t out = 0;
	while (s->n && len - out >= RE_SQE) {
		memcpy((char *)buf + out, s->q[s->head], RE_SQE);
		s->head = (s->head + 1) % RE_SOCK_Q;
		s->n--;
		out += RE_SQE;
	}
	return (long)out;
}

static void complete(struct inflight *f, rx_u64 result, rx_u8 extra0)
{
	if (f->done) {
		re_done_fn done = f->done;
		void *ctx = f->ctx;
		f->used = 0;
		done(ctx, result, extra0);
	} else {
		f->answered = 1;
		f->result = result;
		f->extra0 = extra0;
	}
}

long re_sock_write(struct re_handle *h, const void *buf, size_t len)
{
	struct re_sock *s = h->sock;
	if (len % RE_CQE)
		return -RX_EINVAL;
	for (size_t off = 0; off < len; off += RE_CQE) {
		const rx_u8 *c = (const rx_u8 *)buf + off;
		rx_u32 tag;
		rx_u64 result;
		memcpy(&tag, c + 4, 4);
		memcpy(&result, c + 8, 8);
		switch (c[0] & 7) {
		case 0: { /* RespondRegular */
			struct inflight *f = 0;
			for (int i = 0; i < RE_INFLIGHT && !f; i++)
				if (inflight[i].used && !inflight[i].answered && inflight[i].s == s && inflight[i].tag == tag)
					f = &inflight[i];
			if (!f) {
				re_log("scheme '%s': answer to unknown tag %u", s->name, tag);
				return -RX_EINVAL;
			}
			complete(f, result, c[1]);
			break;
		}
		case 2: /* SendFevent: tag = EventFlags, result = handle number */
			if (tag & ~3u)
				return -RX_EINVAL; /* EventFlags::from_bits */
			nfevents++;
			last_fev_number = result;
			last_fev_flags = tag;
			if (fevent_fn)
				fevent_fn(s->name, result, tag);
			break;
		default:
			re_log("scheme '%s': Cqe opcode %u is not emulated", s->name, c[0] & 7u);
			return -RX_EINVAL;
		}
	}
	return (long)len;
}

void re_sock_close(struct re_handle *h)
{
	struct re_sock *s = h->sock;
	for (int i = 0; i < RE_INFLIGHT; i++)
		if (inflight[i].used && !inflight[i].answered && inflight[i].s == s)
			complete(&inflight[i], (rx_u64)-RX_EIO, 0);
	if (s->name[0])
		re_log("scheme '%s' gone (socket closed)", s->name);
	memset(s, 0, sizeof(*s));
}

long re_sched_send(const char *scheme, rx_u8 opcode, rx_u8 sqe_flags, const rx_u64 args[6], re_done_fn done, void *ctx)
{
	struct re_sock *s = sock_by_name(scheme);
	if (!s || !s->h)
		return -RX_ENODEV;
	if (s->n == RE_SOCK_Q)
		return -RX_EAGAIN;
	rx_u32 tag = 0;
	rx_u64 a[6];
	memcpy(a, args, sizeof(a));
	if (opcode == RE_OP_CANCEL) {
		tag = (rx_u32)args[0]; /* the request to cancel; ONEWAY, no answer */
		memset(a, 0, sizeof(a));
		sqe_flags |= 1;
	} else if (opcode != RE_OP_CLOSE) {
		struct inflight *f = 0;
		for (int i = 0; i < RE_INFLIGHT && !f; i++)
			if (!inflight[i].used)
				f = &inflight[i];
		if (!f)
			return -RX_EAGAIN;
		tag = next_tag++;
		if (!next_tag)
			next_tag = 1;
		*f = (struct inflight){1, s, tag, opcode, done, ctx, 0, 0, 0};
	}
	rx_u8 *q = s->q[(s->head + s->n++) % RE_SOCK_Q];
	memset(q, 0, RE_SQE);
	q[0] = opcode;
	q[1] = sqe_flags;
	memcpy(q + 4, &tag, 4);
	memcpy(q + 8, a, 48);
	rx_u64 caller = opcode == RE_OP_CLOSE ? 0 : RE_CALLER_PID;
	memcpy(q + 56, &caller, 8);
	re_trigger(s->h->fd, RX_EVENT_READ); /* user.rs: todo.send + event::trigger */
	return tag;
}

long re_sched_request(const char *scheme, rx_u8 opcode, const rx_u64 args[6])
{
	return re_sched_send(scheme, opcode, 0, args, 0, 0);
}

int re_sched_result(rx_u32 tag, rx_u64 *result, rx_u8 *extra0)
{
	for (int i = 0; i < RE_INFLIGHT; i++) {
		struct inflight *f = &inflight[i];
		if (!f->used || f->tag != tag || f->done)
			continue;
		if (!f->answered)
			return 0;
		if (result)
			*result = f->result;
		if (extra0)
			*extra0 = f->extra0;
		f->used = 0;
		return 1;
	}
	return -RX_ENOENT;
}

void re_sched_on_fevent(re_fevent_fn fn)
{
	fevent_fn = fn;
}

int re_fevents(rx_u64 *number, rx_size *flags)
{
	if (number)
		*number = last_fev_number;
	if (flags)
		*flags = last_fev_flags;
	return nfevents;
}
