/* rx_scheme.c: the generic scheme server declared in rx_scheme.h.
 * Socket and registration as [B] redox-scheme does it for Rust daemons
 * (drivers/net/driver-network/src/lib.rs, daemon/src/lib.rs
 * ready_sync_scheme): /scheme/namespace/scheme-creation-cap dup'd with
 * "create-scheme" ([K] src/scheme/mod.rs SchemeList::kdup), the root handle
 * as dup(socket, NewFdParams{0, root id, 0, 0}), then
 * redox_register_scheme_to_ns on our namespace.  Request layouts and
 * answer rules: rx_sys.h, from [S] src/schemev2.rs and [K] src/scheme/
 * user.rs. */
#include "rx_internal.h"
#include "rx_scheme.h"

#define RX_PARKED_MAX 64
#define RX_SQE_BATCH 16

struct rx_scheme {
	long sock;
	int dead;
	char name[64];
	const struct rx_scheme_ops *ops;
	void *ctx;
	struct rx_scheme_handle *h;
	int nh; /* table size; id = index, 0 = root */
	struct rx_sqe parked[RX_PARKED_MAX];
	int nparked;
	int answer_errors;
	int subscribed; /* the socket is in the event queue */
	rx_u32 cur_tag;	/* the request being served */
};

struct rx_scheme *rx_scheme_new(long sock, const char *name, const struct rx_scheme_ops *ops, void *ctx)
{
	struct rx_scheme *s = malloc(sizeof(*s));
	if (!s)
		return 0;
	memset(s, 0, sizeof(*s));
	s->sock = sock;
	snprintf(s->name, sizeof(s->name), "%s", name);
	s->ops = ops;
	s->ctx = ctx;
	s->nh = 8;
	s->h = malloc(sizeof(*s->h) * (rx_size)s->nh);
	if (!s->h) {
		free(s);
		return 0;
	}
	memset(s->h, 0, sizeof(*s->h) * (rx_size)s->nh);
	s->h[0].used = 1;
	s->h[0].kind = RX_SCHEME_ROOT;
	return s;
}

const char *rx_scheme_name(const struct rx_scheme *s)
{
	return s->name;
}

static void rx_answer(struct rx_scheme *s, rx_u32 tag, long result, rx_u8 extra0);

rx_u32 rx_scheme_tag(const struct rx_scheme *s)
{
	return s->cur_tag;
}

long rx_scheme_id(const struct rx_scheme *s, const struct rx_scheme_handle *h)
{
	return (long)(h - s->h);
}

void rx_scheme_answer(struct rx_scheme *s, rx_u32 tag, long result)
{
	rx_answer(s, tag, result, 0);
}

void rx_scheme_forget(struct rx_scheme *s, long id)
{
	if (id > 0 && id < s->nh)
		memset(&s->h[id], 0, sizeof(s->h[id]));
}

static void rx_answer(struct rx_scheme *s, rx_u32 tag, long result, rx_u8 extra0)
{
	rx_u8 raw[16];
	rx_cqe_encode(raw, RX_CQE_RESPOND, extra0, tag, (rx_u64)(long long)result);
	long n = rx_write(s->sock, raw, sizeof(raw));
	if (n != (long)sizeof(raw) && s->answer_errors++ < 8)
		rx_logf(KPI_LOG_WARNING, "kpi redox: scheme %s: answer to request %u: error %ld", s->name, tag, -n);
}

void rx_scheme_post(struct rx_scheme *s, rx_u32 flags)
{
	rx_u8 raw[16];
	for (int id = 0; id < s->nh; id++) {
		if (!s->h[id].used)
			continue;
		rx_cqe_encode(raw, RX_CQE_SEND_FEVENT, 0, flags, (rx_u64)id);
		rx_write(s->sock, raw, sizeof(raw));
	}
}

static struct rx_scheme_handle *rx_handle(struct rx_scheme *s, rx_u64 id)
{
	return id < (rx_u64)s->nh && s->h[id].used ? &s->h[id] : 0;
}

static long rx_new_handle(struct rx_scheme *s)
{
	for (int id = 1; id < s->nh; id++)
		if (!s->h[id].used)
			return id;
	int nh = s->nh * 2;
	struct rx_scheme_handle *h = realloc(s->h, sizeof(*h) * (rx_size)nh);
	if (!h)
		return -RX_ENOMEM;
	memset(h + s->nh, 0, sizeof(*h) * (rx_size)(nh - s->nh));
	s->h = h;
	s->nh = nh;
	return nh / 2;
}

static long rx_do_open(struct rx_scheme *s, const struct rx_sqe *q, rx_u8 *extra0)
{
	struct rx_scheme_handle *dir = rx_handle(s, q->args[0]);
	if (!dir || dir->kind != RX_SCHEME_ROOT)
		return -RX_EACCES;
	long id = rx_new_handle(s);
	if (id < 0)
		return id;
	struct rx_scheme_handle *h = &s->h[id];
	memset(h, 0, sizeof(*h));
	h->flags = q->args[3];
	long rc = s->ops->open(s->ctx, (const char *)(kpi_uptr)q->args[1], (rx_size)q->args[2], q->args[3],
			       (rx_u32)q->args[5], h, extra0);
	if (rc == RX_SCHEME_LATER) {
		h->used = 1; /* reserved until the owner answers */
		return rc;
	}
	if (rc < 0)
		return rc;
	h->used = 1;
	return id;
}

static long rx_do_fstat(struct rx_scheme *s, struct rx_scheme_handle *h, rx_u64 buf, rx_u64 len)
{
	struct rx_stat st;
	if (len < sizeof(st))
		return -RX_EINVAL;
	memset(&st, 0, sizeof(st));
	long rc = s->ops->fstat ? s->ops->fstat(s->ctx, h, &st) : -RX_EOPNOTSUPP;
	if (rc < 0)
		return rc;
	memcpy((void *)(kpi_uptr)buf, &st, sizeof(st));
	return 0;
}

static long rx_do_fpath(struct rx_scheme *s, struct rx_scheme_handle *h, rx_u64 buf, rx_u64 len)
{
	char full[160];
	const char *sub = s->ops->path ? s->ops->path(s->ctx, h) : "";
	int n = snprintf(full, sizeof(full), "/scheme/%s/%s", s->name, sub ? sub : "");
	if (n < 0)
		return -RX_EIO;
	rx_size copy = (rx_size)n < len ? (rx_size)n : (rx_size)len;
	memcpy((void *)(kpi_uptr)buf, full, copy);
	return (long)copy;
}

/* Read or Write; returns 1 if the request was parked (no answer yet). */
static int rx_do_io(struct rx_scheme *s, const struct rx_sqe *q, int parked_retry)
{
	struct rx_scheme_handle *h = rx_handle(s, q->args[0]);
	long rc;
	if (!h || h->kind == RX_SCHEME_ROOT)
		rc = -RX_EBADF;
	else if (q->opcode == RX_SQE_READ)
		rc = s->ops->read ? s->ops->read(s->ctx, h, (rx_u8 *)(kpi_uptr)q->args[1], (rx_size)q->args[2],
						 q->args[3])
				  : -RX_EBADF;
	else
		rc = s->ops->write ? s->ops->write(s->ctx, h, (const rx_u8 *)(kpi_uptr)q->args[1],
						   (rx_size)q->args[2], q->args[3])
				   : -RX_EBADF;
	if (rc == RX_SCHEME_LATER)
		return 0; /* the owner answers (rx_scheme_answer) */
	if (rc == -RX_EAGAIN && !(q->args[4] & RX_O_NONBLOCK)) {
		if (parked_retry)
			return 1;
		if (s->nparked < RX_PARKED_MAX) {
			s->parked[s->nparked++] = *q;
			return 1;
		}
		rc = -RX_EAGAIN; /* too many sleepers: let the caller retry */
	}
	rx_answer(s, q->tag, rc, 0);
	return 0;
}

/* The handle goes away: its parked requests cannot complete. */
static void rx_do_close(struct rx_scheme *s, rx_u64 id)
{
	struct rx_scheme_handle *h = rx_handle(s, id);
	if (!h || id == 0)
		return;
	for (int i = 0; i < s->nparked;) {
		if (s->parked[i].args[0] == id) {
			rx_answer(s, s->parked[i].tag, -RX_EBADF, 0);
			s->parked[i] = s->parked[--s->nparked];
		} else {
			i++;
		}
	}
	if (s->ops->close)
		s->ops->close(s->ctx, h);
	memset(h, 0, sizeof(*h));
}

static void rx_do_cancel(struct rx_scheme *s, rx_u32 tag)
{
	for (int i = 0; i < s->nparked; i++)
		if (s->parked[i].tag == tag) {
			rx_answer(s, tag, -RX_EINTR, 0);
			for (int k = i + 1; k < s->nparked; k++) /* keep FIFO order */
				s->parked[k - 1] = s->parked[k];
			s->nparked--;
			return;
		}
	/* Already answered: the kernel takes that answer instead. */
}

void rx_scheme_serve(struct rx_scheme *s, const struct rx_sqe *q)
{
	struct rx_scheme_handle *h = 0;
	long rc = -RX_EOPNOTSUPP;
	rx_u8 extra0 = 0;
	s->cur_tag = q->tag;
	switch (q->opcode) {
	case RX_SQE_OPENAT:
		rc = rx_do_open(s, q, &extra0);
		break;
	case RX_SQE_READ:
	case RX_SQE_WRITE:
		rx_do_io(s, q, 0);
		return;
	case RX_SQE_CLOSE:
		rx_do_close(s, q->args[0]);
		return; /* no answer */
	case RX_SQE_DETACH:
		return; /* no answer */
	case RX_SQE_CANCEL:
		rx_do_cancel(s, q->tag);
		return;
	case RX_SQE_FEVENT:
		h = rx_handle(s, q->args[0]);
		rc = !h ? -RX_EBADF : s->ops->ready ? (long)(s->ops->ready(s->ctx, h) & q->args[1]) : 0;
		break;
	case RX_SQE_FPATH:
		h = rx_handle(s, q->args[0]);
		rc = h ? rx_do_fpath(s, h, q->args[1], q->args[2]) : -RX_EBADF;
		break;
	case RX_SQE_FSTAT:
		h = rx_handle(s, q->args[0]);
		rc = h ? rx_do_fstat(s, h, q->args[1], q->args[2]) : -RX_EBADF;
		break;
	case RX_SQE_STDFSCALL: /* relibc's fstat/fsync arrive this way */
		h = rx_handle(s, q->args[0]);
		if (!h)
			rc = -RX_EBADF;
		else if ((q->args[3] & 0xff) == RX_STDFS_FSTAT)
			rc = rx_do_fstat(s, h, q->args[1], q->args[2]);
		else if ((q->args[3] & 0xff) == RX_STDFS_FSYNC)
			rc = 0;
		break;
	case RX_SQE_FSYNC:
	case RX_SQE_FCNTL:
		rc = rx_handle(s, q->args[0]) ? 0 : -RX_EBADF;
		break;
	case RX_SQE_CALL:
		h = rx_handle(s, q->args[0]);
		if (!h)
			rc = -RX_EBADF;
		else if (s->ops->call)
			rc = s->ops->call(s->ctx, h, (rx_u8 *)(kpi_uptr)q->args[1], (rx_size)q->args[2], &q->args[3]);
		break;
	case RX_SQE_MMAP_PREP:
		h = rx_handle(s, q->args[0]);
		if (!h)
			rc = -RX_EBADF;
		else if (s->ops->mmap)
			rc = s->ops->mmap(s->ctx, h, q->args[3], (rx_size)q->args[1], q->args[2]);
		break;
	case RX_SQE_MUNMAP:
		h = rx_handle(s, q->args[0]);
		if (!h)
			rc = -RX_EBADF;
		else if (s->ops->munmap)
			rc = s->ops->munmap(s->ctx, h, q->args[3], (rx_size)q->args[1]);
		break;
	default: /* Dup with a path, getdents, ...: not for these files */
		break;
	}
	if (rc == RX_SCHEME_LATER)
		return; /* the owner answers (rx_scheme_answer) */
	if (!(q->sqe_flags & RX_SQE_ONEWAY))
		rx_answer(s, q->tag, rc, extra0);
}

void rx_scheme_retry(struct rx_scheme *s)
{
	for (int i = 0; i < s->nparked;) {
		struct rx_sqe q = s->parked[i];
		if (rx_do_io(s, &q, 1)) {
			i++; /* still nothing: stays parked, in order */
			continue;
		}
		for (int k = i + 1; k < s->nparked; k++)
			s->parked[k - 1] = s->parked[k];
		s->nparked--;
	}
}

int rx_scheme_pump(struct rx_scheme *s)
{
	rx_u8 raw[RX_SQE_BATCH * 64];
	int served = 0;
	while (!s->dead) {
		long n = rx_read(s->sock, raw, sizeof(raw));
		if (n == -RX_EAGAIN || n == -RX_EINTR)
			break;
		if (n == 0) {
			rx_logf(KPI_LOG_WARNING, "kpi redox: scheme %s was closed by the kernel", s->name);
			s->dead = 1;
			break;
		}
		if (n < 0) {
			rx_logf(KPI_LOG_ERR, "kpi redox: scheme %s: reading requests: error %ld", s->name, -n);
			break;
		}
		for (long off = 0; off + 64 <= n; off += 64) {
			struct rx_sqe q;
			rx_sqe_decode(raw + off, &q);
			rx_scheme_serve(s, &q);
			served++;
		}
		if (n < (long)sizeof(raw))
			break;
	}
	return s->dead ? -1 : served;
}

int rx_scheme_create(struct rx_scheme **out, const char *name, const struct rx_scheme_ops *ops, void *ctx,
		     rx_size tag)
{
	int rc = rx_may_open("registering a scheme");
	if (rc < 0)
		return rc;
	long cap = rx_open("/scheme/namespace/scheme-creation-cap", RX_O_RDONLY | RX_O_CLOEXEC);
	if (cap < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: scheme %s: /scheme/namespace/scheme-creation-cap: error %ld", name,
			-cap);
		return rx_kerr(cap);
	}
	long sock = rx_dup(cap, "create-scheme", 13);
	rx_close(cap);
	if (sock < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: scheme %s: create-scheme: error %ld (root only)", name, -sock);
		return rx_kerr(sock);
	}
	/* Non-blocking: an event may be stale, and a blocking read of an empty
	 * socket would stop the whole daemon. */
	rx_fcntl(sock, RX_F_SETFL, RX_O_NONBLOCK);
	struct rx_newfd_params params;
	memset(&params, 0, sizeof(params));
	params.number = 0; /* the root handle */
	long root = rx_dup(sock, &params, sizeof(params));
	long reg = root < 0 ? root : rx_get_ns();
	if (reg >= 0)
		reg = rx_register_scheme_to_ns(reg, name, root); /* moves root into the namespace */
	if (reg < 0) {
		rx_logf(KPI_LOG_ERR, "kpi redox: registering scheme %s: error %ld", name, -reg);
		rx_close(sock);
		return rx_kerr(reg);
	}
	struct rx_scheme *s = rx_scheme_new(sock, name, ops, ctx);
	if (!s) {
		rx_close(sock);
		return -KPI_ENOMEM;
	}
	rc = rx_ev_add(sock, tag);
	if (rc < 0) {
		rx_scheme_destroy(s);
		return rc;
	}
	s->subscribed = 1;
	*out = s;
	rx_logf(KPI_LOG_INFO, "kpi redox: serving scheme %s", name);
	return 0;
}

void rx_scheme_destroy(struct rx_scheme *s)
{
	if (!s)
		return;
	while (s->nparked > 0)
		rx_answer(s, s->parked[--s->nparked].tag, -RX_EIO, 0);
	if (s->subscribed)
		rx_ev_del(s->sock);
	rx_close(s->sock);
	free(s->h);
	free(s);
}
