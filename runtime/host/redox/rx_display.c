/* rx_display.c: kpi_host_display_* on Redox - the display.<name> scheme a
 * ported DRM driver serves, on the generic scheme server (rx_scheme.c),
 * with the DRM ioctls themselves run by the runtime (kpi_host_display.h).
 *
 * What clients expect, as Redox's own display drivers serve it ([B]
 * drivers/graphics/driver-graphics/src/lib.rs and src/ioctl/mod.rs at
 * 9dd6901d; redox-api.md section 6, "Display"):
 *  - open "v2/<vt>" (decimal vt): "" and other names EINVAL, "v..." not
 *    "v2/" ENOENT; fpath "v2/<vt>"; fstat: st_dev = 226 << 8 (DRM_MAJOR),
 *    the rest zero;
 *  - SYS_CALL with the DRM command number (the ioctl's nr, 0xA0 for
 *    GETRESOURCES) in metadata[0] and the ioctl's data as the payload,
 *    rewritten in place; unknown numbers EINVAL;
 *  - mmap (MmapPrep: id, size, flags, offset) at the offset MAP_DUMB gave.
 * Beyond driver-graphics: read returns the file's DRM events (a flip's
 * completion; it waits for one, as a blocking read(2) of the DRM file
 * does), Munmap releases a mapping.
 * The payload is relibc's redox-ioctl encoding ([R] redox-os/relibc
 * 6359922 redox-ioctl/src/ioctl_data.rs define_ioctl_data, drm.rs): the
 * struct's non-pointer fields as a repr(C) struct in declaration order,
 * then each array a pointer field names, in declaration order, of (its
 * count as the client sent it) x (element size) bytes; the length must be
 * exact (else EINVAL).  The server fills arrays up to that room and sets
 * the counts to the full numbers.  Linux's DRM core does the same with
 * user pointers, so each request becomes the Linux UAPI struct with its
 * pointers aimed into the payload, the ioctl number Linux's _IOC(dir,
 * 'd', nr, size), and the non-pointer fields are copied back afterwards.
 * The layouts below are x86_64's, written out as offsets (no Linux header
 * here); tests/runtime/drm_scheme_client.c builds the same payloads from
 * the UAPI headers with offsetof.
 *
 * Differences from driver-graphics, which keeps its own KMS objects: the
 * driver's DRM core answers (its object ids, its fake mmap offsets, its
 * checks), there are no VTs (every vt is the same device; driver-graphics
 * applies a mode only on the active VT), and requests are answered when
 * the runtime's task has run them, in order. */
#include "rx_internal.h"
#include "rx_scheme.h"

#define RX_DISP_MAX 2
#define RX_DFILE_MAPS 16
#define RX_DRM_MAJOR 226u

/* ---- the redox-ioctl <-> Linux UAPI layouts ------------------------------- */
struct rx_drm_seg { /* plain bytes: Linux offset, payload offset, length */
	rx_u8 loff, roff, len;
};
struct rx_drm_arr { /* Linux offsets of the pointer and its count; count width, element size */
	rx_u8 ptr, cnt, cnt_size, el;
};
struct rx_drm_wire {
	rx_u8 nr, dir; /* dir: 3 = _IOWR, 1 = _IOW */
	rx_u8 lsize, rsize;
	rx_u8 nseg, narr;
	struct rx_drm_seg seg[4];
	struct rx_drm_arr arr[4];
};
#define RX_PLAIN(nr, dir, size) {nr, dir, size, size, 1, 0, {{0, 0, size}}, {{0}}}
static const struct rx_drm_wire rx_drm_wires[] = {
	/* drm_version: 3 ints; name_len, date_len, desc_len (size_t) -> name, date, desc */
	{0x00, 3, 64, 40, 4, 3, {{0, 0, 12}, {16, 16, 8}, {32, 24, 8}, {48, 32, 8}},
	 {{24, 16, 8, 1}, {40, 32, 8, 1}, {56, 48, 8, 1}}},
	{0x01, 3, 16, 8, 1, 1, {{0, 0, 8}}, {{8, 0, 8, 1}}}, /* drm_unique */
	RX_PLAIN(0x07, 3, 16),				      /* drm_set_version */
	RX_PLAIN(0x0c, 3, 16),				      /* drm_get_cap */
	RX_PLAIN(0x0d, 1, 16),				      /* drm_set_client_cap (_IOW) */
	/* drm_mode_card_res: fbs, crtcs, connectors, encoders (u32 ids) */
	{0xa0, 3, 64, 32, 1, 4, {{32, 0, 32}}, {{0, 32, 4, 4}, {8, 36, 4, 4}, {16, 40, 4, 4}, {24, 44, 4, 4}}},
	{0xa1, 3, 104, 96, 1, 1, {{8, 0, 96}}, {{0, 8, 4, 4}}}, /* drm_mode_crtc (GETCRTC) */
	{0xa2, 3, 104, 96, 1, 1, {{8, 0, 96}}, {{0, 8, 4, 4}}}, /* drm_mode_crtc (SETCRTC) */
	RX_PLAIN(0xa3, 3, 28),					 /* drm_mode_cursor */
	RX_PLAIN(0xa6, 3, 20),					 /* drm_mode_get_encoder */
	/* drm_mode_get_connector: encoders (u32), modes (drm_mode_modeinfo, 68),
	 * props (u32), prop_values (u64; the last two counted by count_props) */
	{0xa7, 3, 80, 48, 1, 4, {{32, 0, 48}}, {{0, 40, 4, 4}, {8, 32, 4, 68}, {16, 36, 4, 4}, {24, 36, 4, 8}}},
	/* drm_mode_get_property: values (u64), enum_blob (drm_mode_property_enum, 40) */
	{0xaa, 3, 64, 48, 1, 2, {{16, 0, 48}}, {{0, 56, 4, 8}, {8, 60, 4, 40}}},
	RX_PLAIN(0xab, 3, 16),					   /* drm_mode_connector_set_property */
	{0xac, 3, 16, 8, 1, 1, {{0, 0, 8}}, {{8, 4, 4, 1}}}, /* drm_mode_get_blob: data (length bytes) */
	RX_PLAIN(0xad, 3, 28),				   /* drm_mode_fb_cmd (GETFB) */
	RX_PLAIN(0xae, 3, 28),				   /* drm_mode_fb_cmd (ADDFB) */
	RX_PLAIN(0xaf, 3, 4),				   /* RMFB: unsigned int */
	RX_PLAIN(0xb0, 3, 24),				   /* drm_mode_crtc_page_flip(_target) */
	{0xb1, 3, 24, 16, 1, 1, {{0, 0, 16}}, {{16, 12, 4, 8}}}, /* drm_mode_fb_dirty_cmd: clips */
	RX_PLAIN(0xb2, 3, 32),					 /* drm_mode_create_dumb */
	RX_PLAIN(0xb3, 3, 16),					 /* drm_mode_map_dumb */
	RX_PLAIN(0xb4, 3, 4),					 /* drm_mode_destroy_dumb */
	{0xb5, 3, 16, 4, 1, 1, {{8, 0, 4}}, {{0, 8, 4, 4}}},	 /* drm_mode_get_plane_res */
	{0xb6, 3, 32, 24, 1, 1, {{0, 0, 24}}, {{24, 20, 4, 4}}}, /* drm_mode_get_plane: format types */
	RX_PLAIN(0xb7, 3, 48),					 /* drm_mode_set_plane */
	RX_PLAIN(0xb8, 3, 104),					 /* drm_mode_fb_cmd2 (ADDFB2) */
	/* drm_mode_obj_get_properties: props (u32), prop_values (u64) */
	{0xb9, 3, 32, 12, 1, 2, {{16, 0, 12}}, {{0, 16, 4, 4}, {8, 16, 4, 8}}},
	RX_PLAIN(0xbb, 3, 36),	/* drm_mode_cursor2 */
	RX_PLAIN(0xce, 3, 104), /* drm_mode_fb_cmd2 (GETFB2) */
};

static const struct rx_drm_wire *rx_drm_wire(rx_u64 nr)
{
	for (rx_size i = 0; i < sizeof(rx_drm_wires) / sizeof(rx_drm_wires[0]); i++)
		if (rx_drm_wires[i].nr == nr)
			return &rx_drm_wires[i];
	return 0;
}

/* The payload offset of the Linux field at loff (a count: always plain). */
static int rx_drm_roff(const struct rx_drm_wire *w, rx_u8 loff)
{
	for (int i = 0; i < w->nseg; i++)
		if (loff >= w->seg[i].loff && loff < w->seg[i].loff + w->seg[i].len)
			return w->seg[i].roff + (loff - w->seg[i].loff);
	return -1;
}

static rx_u64 rx_get_count(const rx_u8 *p, rx_u8 size)
{
	rx_u64 v = 0;
	if (size == 8) {
		memcpy(&v, p, 8);
	} else {
		rx_u32 v32;
		memcpy(&v32, p, 4);
		v = v32;
	}
	return v;
}

/* Payload -> Linux struct in larg (zeroed, lsize bytes), pointers into the
 * payload.  -RX_EINVAL for a length that is not exactly what the counts
 * say (redox-ioctl's `with`). */
static long rx_drm_in(const struct rx_drm_wire *w, rx_u8 *payload, rx_size len, rx_u8 *larg)
{
	rx_u64 off = w->rsize;
	if (len < w->rsize)
		return -RX_EINVAL;
	memset(larg, 0, w->lsize);
	for (int i = 0; i < w->nseg; i++)
		memcpy(larg + w->seg[i].loff, payload + w->seg[i].roff, w->seg[i].len);
	for (int i = 0; i < w->narr; i++) {
		const struct rx_drm_arr *a = &w->arr[i];
		int ro = rx_drm_roff(w, a->cnt);
		rx_u64 n = ro < 0 ? 0 : rx_get_count(payload + ro, a->cnt_size);
		if (n > (rx_u64)len / (a->el ? a->el : 1))
			return -RX_EINVAL;
		rx_u64 bytes = n * a->el;
		if (off + bytes > len)
			return -RX_EINVAL;
		rx_u64 ptr = n ? (rx_u64)(kpi_uptr)(payload + off) : 0;
		memcpy(larg + a->ptr, &ptr, 8);
		off += bytes;
	}
	return off == len ? 0 : -RX_EINVAL;
}

/* Linux struct -> the payload's plain fields (arrays were written in place). */
static void rx_drm_out(const struct rx_drm_wire *w, rx_u8 *payload, const rx_u8 *larg)
{
	for (int i = 0; i < w->nseg; i++)
		memcpy(payload + w->seg[i].roff, larg + w->seg[i].loff, w->seg[i].len);
}

/* ---- state --------------------------------------------------------------- */
struct rx_dfile { /* one open v2/<vt> handle */
	long id;
	int file; /* the runtime's, once its OPEN is done */
	unsigned vt;
	char path[24];
	struct {
		rx_u64 offset;
		rx_size size;
		void *addr;
	} maps[RX_DFILE_MAPS];
};

struct rx_dreq {
	struct rx_dreq *next;
	struct kpi_display_req r;
	struct rx_dfile *f;
	rx_u32 tag;
	int taken;
	const struct rx_drm_wire *w;
	rx_u8 *payload;
	rx_u64 larg[16]; /* the Linux struct (104 bytes at most) */
};

static struct rx_display {
	int used;
	struct rx_scheme *s;
	void *cookie;
	int minor;
	struct rx_dreq *head, *tail;
	int armed, pending;
} rx_displays[RX_DISP_MAX];

static struct rx_dreq *rx_dnew(struct rx_display *d, struct rx_dfile *f, rx_u32 op)
{
	struct rx_dreq *q = malloc(sizeof(*q));
	if (!q)
		return 0;
	memset(q, 0, sizeof(*q));
	q->f = f;
	q->r.op = op;
	q->r.file = f->file;
	q->r.tag = (rx_u64)(kpi_uptr)q;
	q->tag = rx_scheme_tag(d->s);
	return q;
}

static long rx_dpush(struct rx_display *d, struct rx_dreq *q)
{
	if (d->tail)
		d->tail->next = q;
	else
		d->head = q;
	d->tail = q;
	if (d->armed) {
		d->armed = 0;
		d->pending = 1;
	}
	return RX_SCHEME_LATER;
}

static long rx_dqueue(struct rx_display *d, struct rx_dfile *f, rx_u32 op)
{
	struct rx_dreq *q = rx_dnew(d, f, op);
	return q ? rx_dpush(d, q) : -RX_ENOMEM;
}

/* ---- scheme ops ---------------------------------------------------------- */
static long rx_disp_open(void *ctx, const char *path, rx_size len, rx_u64 flags, rx_u32 uid,
			 struct rx_scheme_handle *h, rx_u8 *newfd_flags)
{
	struct rx_display *d = ctx;
	unsigned long vt = 0;
	(void)flags, (void)uid, (void)newfd_flags;
	if (!len)
		return -RX_EINVAL;
	if (path[0] == 'v' && (len < 3 || memcmp(path, "v2/", 3)))
		return -RX_ENOENT;
	if (path[0] != 'v' || len == 3 || len > 3 + 9)
		return -RX_EINVAL;
	for (rx_size i = 3; i < len; i++) {
		if (path[i] < '0' || path[i] > '9')
			return -RX_EINVAL;
		vt = vt * 10 + (unsigned long)(path[i] - '0');
	}
	struct rx_dfile *f = malloc(sizeof(*f));
	if (!f)
		return -RX_ENOMEM;
	memset(f, 0, sizeof(*f));
	f->id = rx_scheme_id(d->s, h);
	f->file = -1;
	f->vt = (unsigned)vt;
	snprintf(f->path, sizeof(f->path), "v2/%u", f->vt);
	h->kind = 1;
	h->priv = f;
	long rc = rx_dqueue(d, f, KPI_DISPLAY_OPEN);
	if (rc != RX_SCHEME_LATER)
		free(f);
	return rc;
}

static long rx_disp_fstat(void *ctx, struct rx_scheme_handle *h, struct rx_stat *st)
{
	(void)ctx, (void)h;
	st->st_dev = RX_DRM_MAJOR << 8; /* driver-graphics: nothing else */
	return 0;
}

static const char *rx_disp_path(void *ctx, struct rx_scheme_handle *h)
{
	(void)ctx;
	return h->priv ? ((struct rx_dfile *)h->priv)->path : "";
}

static long rx_disp_call(void *ctx, struct rx_scheme_handle *h, rx_u8 *buf, rx_size len, const rx_u64 meta[3])
{
	struct rx_display *d = ctx;
	struct rx_dfile *f = h->priv;
	const struct rx_drm_wire *w = rx_drm_wire(meta[0]);
	if (!f)
		return -RX_EOPNOTSUPP; /* the root handle */
	if (!w)
		return -RX_EINVAL; /* driver-graphics: unknown ioctl */
	struct rx_dreq *q = rx_dnew(d, f, KPI_DISPLAY_IOCTL);
	if (!q)
		return -RX_ENOMEM;
	long rc = rx_drm_in(w, buf, len, (rx_u8 *)q->larg);
	if (rc < 0) {
		free(q);
		return rc;
	}
	q->w = w;
	q->payload = buf;
	q->r.cmd = (unsigned long)w->dir << 30 | (unsigned long)w->lsize << 16 | 0x64ul << 8 | w->nr;
	q->r.arg = q->larg;
	return rx_dpush(d, q);
}

/* Read: the file's DRM events (a flip's completion), as read(2) of
 * /dev/dri/cardN gives them - not in driver-graphics, which has no events. */
static long rx_disp_read(void *ctx, struct rx_scheme_handle *h, rx_u8 *buf, rx_size len, rx_u64 offset)
{
	struct rx_display *d = ctx;
	struct rx_dfile *f = h->priv;
	(void)offset;
	if (!f)
		return -RX_EBADF;
	struct rx_dreq *q = rx_dnew(d, f, KPI_DISPLAY_READ);
	if (!q)
		return -RX_ENOMEM;
	q->r.addr = buf;
	q->r.len = len;
	return rx_dpush(d, q);
}

static long rx_disp_mmap(void *ctx, struct rx_scheme_handle *h, rx_u64 offset, rx_size size, rx_u64 flags)
{
	struct rx_display *d = ctx;
	struct rx_dfile *f = h->priv;
	(void)flags;
	if (!f)
		return -RX_EOPNOTSUPP;
	struct rx_dreq *q = rx_dnew(d, f, KPI_DISPLAY_MMAP);
	if (!q)
		return -RX_ENOMEM;
	q->r.offset = offset;
	q->r.len = size;
	return rx_dpush(d, q);
}

static long rx_disp_munmap(void *ctx, struct rx_scheme_handle *h, rx_u64 offset, rx_size size)
{
	struct rx_display *d = ctx;
	struct rx_dfile *f = h->priv;
	int i;
	(void)size;
	if (!f)
		return -RX_EOPNOTSUPP;
	for (i = 0; i < RX_DFILE_MAPS && !(f->maps[i].addr && f->maps[i].offset == offset); i++)
		;
	if (i == RX_DFILE_MAPS)
		return -RX_EINVAL;
	struct rx_dreq *q = rx_dnew(d, f, KPI_DISPLAY_MUNMAP);
	if (!q)
		return -RX_ENOMEM;
	q->r.addr = f->maps[i].addr;
	q->r.offset = offset;
	return rx_dpush(d, q);
}

/* CloseMsg: the runtime closes its file; the record goes with the CLOSE. */
static void rx_disp_close(void *ctx, struct rx_scheme_handle *h)
{
	struct rx_display *d = ctx;
	struct rx_dfile *f = h->priv;
	if (!f)
		return;
	h->priv = 0;
	if (rx_dqueue(d, f, KPI_DISPLAY_CLOSE) == -RX_ENOMEM) {
		rx_logf(KPI_LOG_WARNING, "kpi redox: /scheme/%s: no memory to close a file", rx_scheme_name(d->s));
		free(f);
	}
}

static const struct rx_scheme_ops rx_disp_ops = {
	.open = rx_disp_open,
	.read = rx_disp_read,
	.fstat = rx_disp_fstat,
	.path = rx_disp_path,
	.call = rx_disp_call,
	.close = rx_disp_close,
	.mmap = rx_disp_mmap,
	.munmap = rx_disp_munmap,
};

/* ---- kpi_host_display ------------------------------------------------------ */
static struct rx_display *rx_display(int disp)
{
	if (disp < 0 || disp >= RX_DISP_MAX || !rx_displays[disp].used)
		return 0;
	return &rx_displays[disp];
}

int kpi_host_display_open(int version, const char *name, int minor, void *cookie)
{
	char scheme[96];
	int slot = 0;
	if (version != KPI_HOST_DISPLAY_VERSION)
		return -KPI_ENOTSUP;
	while (slot < RX_DISP_MAX && rx_displays[slot].used)
		slot++;
	if (slot == RX_DISP_MAX)
		return -KPI_ENOSPC;
	int n = snprintf(scheme, sizeof(scheme), "display.%s", name);
	if (n < 0 || n >= (int)sizeof(scheme))
		return -KPI_EINVAL;
	struct rx_display *d = &rx_displays[slot];
	memset(d, 0, sizeof(*d));
	d->cookie = cookie;
	d->minor = minor;
	d->armed = 1;
	int rc = rx_scheme_create(&d->s, scheme, &rx_disp_ops, d, RX_TAG(RX_TAG_DISPLAY, slot, 0));
	if (rc < 0)
		return rc;
	d->used = 1;
	rx_logf(KPI_LOG_INFO, "kpi redox: DRM minor %d is /scheme/%s", minor, scheme);
	return slot;
}

void kpi_host_display_close(int disp)
{
	struct rx_display *d = rx_display(disp);
	if (!d)
		return;
	rx_scheme_destroy(d->s); /* answers nothing more: the socket goes */
	while (d->head) {
		struct rx_dreq *q = d->head;
		d->head = q->next;
		if (q->r.op == KPI_DISPLAY_CLOSE)
			free(q->f);
		free(q);
	}
	memset(d, 0, sizeof(*d));
}

int kpi_host_display_take(int disp, struct kpi_display_req *req)
{
	struct rx_display *d = rx_display(disp);
	struct rx_dreq *q;
	if (!d)
		return -KPI_EINVAL;
	for (q = d->head; q && q->taken; q = q->next)
		;
	if (!q) {
		d->armed = 1; /* edge-triggered: report the next request */
		return 0;
	}
	q->taken = 1;
	q->r.file = q->f->file; /* the OPEN before it is done by now */
	*req = q->r;
	return 1;
}

void kpi_host_display_done(int disp, const struct kpi_display_req *req, long result, void *addr)
{
	struct rx_display *d = rx_display(disp);
	struct rx_dreq *q, **pp;
	if (!d)
		return;
	for (pp = &d->head; *pp && (kpi_uptr)*pp != (kpi_uptr)req->tag; pp = &(*pp)->next)
		;
	if (!(q = *pp) || !q->taken)
		return;
	*pp = q->next;
	if (d->tail == q) {
		struct rx_dreq *t = d->head;
		while (t && t->next)
			t = t->next;
		d->tail = t;
	}
	struct rx_dfile *f = q->f;
	switch (q->r.op) {
	case KPI_DISPLAY_OPEN:
		if (result >= 0) {
			f->file = (int)result;
			rx_scheme_answer(d->s, q->tag, f->id);
		} else {
			rx_scheme_forget(d->s, f->id);
			free(f);
			rx_scheme_answer(d->s, q->tag, result);
		}
		break;
	case KPI_DISPLAY_IOCTL:
		rx_drm_out(q->w, q->payload, (const rx_u8 *)q->larg);
		rx_scheme_answer(d->s, q->tag, result < 0 ? result : 0);
		break;
	case KPI_DISPLAY_MMAP: {
		int i;
		for (i = 0; i < RX_DFILE_MAPS && f->maps[i].addr; i++)
			;
		if (result >= 0 && i == RX_DFILE_MAPS)
			result = -RX_ENOMEM; /* cannot be unmapped later: still answered */
		if (result >= 0 && addr) {
			f->maps[i].offset = q->r.offset;
			f->maps[i].size = q->r.len;
			f->maps[i].addr = addr;
		}
		rx_scheme_answer(d->s, q->tag, result < 0 ? result : (long)(kpi_uptr)addr);
		break;
	}
	case KPI_DISPLAY_MUNMAP:
		for (int i = 0; i < RX_DFILE_MAPS; i++)
			if (f->maps[i].addr == q->r.addr && f->maps[i].offset == q->r.offset) {
				f->maps[i].addr = 0;
				break;
			}
		rx_scheme_answer(d->s, q->tag, result < 0 ? result : 0);
		break;
	case KPI_DISPLAY_READ:
		rx_scheme_answer(d->s, q->tag, result);
		break;
	case KPI_DISPLAY_CLOSE:
		free(f); /* no answer: CloseMsg takes none */
		break;
	}
	free(q);
}

/* The scheme socket is readable: serve the requests (queued for the
 * runtime, or answered here). */
void rx_display_fired(int disp)
{
	struct rx_display *d = rx_display(disp);
	if (d)
		rx_scheme_pump(d->s);
}

int rx_display_collect(struct kpi_host_event *ev, int max)
{
	int k = 0;
	for (int i = 0; i < RX_DISP_MAX && k < max; i++) {
		struct rx_display *d = &rx_displays[i];
		if (!d->used || !d->pending)
			continue;
		d->pending = 0;
		memset(&ev[k], 0, sizeof(ev[k]));
		ev[k].kind = KPI_EV_DISPLAY;
		ev[k].handle = i;
		ev[k].cookie = d->cookie;
		k++;
	}
	return k;
}
