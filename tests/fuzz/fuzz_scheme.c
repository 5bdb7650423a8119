/* fuzz_scheme.c: libFuzzer harness for the Redox scheme server's request
 * handling (runtime/host/redox/rx_scheme.c; rx_sqe_decode in rx_util.c):
 * the 64-byte requests the kernel forwards from any process that opens the
 * daemon's scheme.  The input is a sequence of raw requests, decoded by the
 * real decoder and served one by one (rx_scheme_serve) against a scheme
 * whose files answer from the input (EAGAIN to park, data, errors).  The
 * kernel guarantees that a buffer a request names is mapped and as long as
 * it says, so the harness points every buffer argument into its own buffer
 * and keeps the length within it; opcodes, handle ids, flags, tags, offsets
 * and ordering stay the fuzzer's.  The reserved field picks a retry of the
 * parked requests or an event post between requests.  OS calls are
 * stubbed here (rx_write records the answers).  Oracles: every request that
 * expects an answer gets exactly one (now, or once parked, at the latest
 * when its handle closes), requests that expect none get none, and no
 * answer names a tag nobody asked for. */
#include "rx_internal.h"
#include "rx_scheme.h"
/* after the rx headers: glibc's stat macros would rename rx_stat fields */
#include "fuzz_util.h"

#define FUZZ_BUF 256
static rx_u8 fz_buf[FUZZ_BUF];
static rx_u32 fz_answers, fz_events, fz_bad_tag;
static rx_u32 fz_tags[4096];
static int fz_ntags;
static int fz_room; /* read/write succeed (1) or would block (0) */

/* ---- the OS, stubbed: answers are counted, nothing else happens ---- */
long rx_write(long fd, const void *buf, rx_size len)
{
	const rx_u8 *c = buf;
	(void)fd;
	FUZZ_CHECK(len == 16);
	if ((c[0] & 7) == RX_CQE_RESPOND) {
		rx_u32 tag = (rx_u32)c[4] | (rx_u32)c[5] << 8 | (rx_u32)c[6] << 16 | (rx_u32)c[7] << 24;
		int known = 0;
		for (int i = 0; i < fz_ntags && !known; i++)
			known = fz_tags[i] == tag;
		fz_bad_tag += !known;
		fz_answers++;
	} else {
		fz_events++;
	}
	return 16;
}
long rx_read(long fd, void *buf, rx_size len) { (void)fd, (void)buf, (void)len; return -RX_EAGAIN; }
long rx_close(long fd) { (void)fd; return 0; }
long rx_dup(long fd, const void *buf, rx_size len) { (void)fd, (void)buf, (void)len; return -RX_EPERM; }
long rx_open(const char *path, rx_u32 flags) { (void)path, (void)flags; return -RX_EPERM; }
long rx_fcntl(long fd, int cmd, long arg) { (void)fd, (void)cmd, (void)arg; return 0; }
long rx_get_ns(void) { return -RX_EPERM; }
long rx_register_scheme_to_ns(long ns, const char *name, long cap) { (void)ns, (void)name, (void)cap; return -RX_EPERM; }
int rx_ev_add(long fd, rx_size tag) { (void)fd, (void)tag; return 0; }
void rx_ev_del(long fd) { (void)fd; }
int rx_kerr(long rc) { return (int)rc; }
int rx_may_open(const char *what) { (void)what; return 0; }
void rx_logf(int level, const char *fmt, ...) { (void)level, (void)fmt; }

/* ---- the scheme's files ---- */
static long fz_open(void *ctx, const char *path, rx_size len, rx_u64 flags, rx_u32 uid,
		    struct rx_scheme_handle *h, rx_u8 *newfd_flags)
{
	(void)ctx, (void)flags, (void)uid;
	rx_u32 sum = 0;
	for (rx_size i = 0; i < len; i++)
		sum += (rx_u8)path[i]; /* reads the whole path: ASan checks it is there */
	if (len && path[0] == 'x')
		return -RX_ENOENT;
	h->kind = 1 + sum % 3;
	*newfd_flags = sum & 1 ? RX_NEWFD_POSITIONED : 0;
	return 0;
}
static long fz_read(void *ctx, struct rx_scheme_handle *h, rx_u8 *buf, rx_size len, rx_u64 off)
{
	(void)ctx, (void)off;
	if (!fz_room)
		return -RX_EAGAIN;
	rx_size n = len < 8 ? len : 8;
	memset(buf, (int)h->kind, n);
	return (long)n;
}
static long fz_write(void *ctx, struct rx_scheme_handle *h, const rx_u8 *buf, rx_size len, rx_u64 off)
{
	(void)ctx, (void)off;
	rx_u32 sum = 0;
	for (rx_size i = 0; i < len; i++)
		sum += buf[i];
	return h->kind == 2 ? -RX_EIO : !fz_room ? -RX_EAGAIN : (long)(len + (sum & 0));
}
static rx_u32 fz_ready(void *ctx, struct rx_scheme_handle *h) { (void)ctx; return fz_room ? RX_EVENT_READ | RX_EVENT_WRITE : h->kind & 1; }
static long fz_fstat(void *ctx, struct rx_scheme_handle *h, struct rx_stat *st) { (void)ctx, (void)h, (void)st; return 0; }
static const char *fz_path(void *ctx, struct rx_scheme_handle *h) { (void)ctx; return h->kind == 3 ? NULL : "eth0/data"; }
static long fz_call(void *ctx, struct rx_scheme_handle *h, rx_u8 *buf, rx_size len, const rx_u64 meta[3])
{
	(void)ctx, (void)h;
	if (len)
		buf[len - 1] = (rx_u8)meta[0];
	return (long)len;
}
static void fz_close(void *ctx, struct rx_scheme_handle *h) { (void)ctx, (void)h; }
/* MmapPrep/Munmap (the display scheme's dumb buffers): an address inside
 * fz_buf for a range that fits, -EINVAL otherwise. */
static long fz_mmap(void *ctx, struct rx_scheme_handle *h, rx_u64 offset, rx_size size, rx_u64 flags)
{
	(void)ctx, (void)h, (void)flags;
	if (offset > sizeof fz_buf || size > sizeof fz_buf - offset)
		return -RX_EINVAL;
	return (long)(fz_buf + offset);
}
static long fz_munmap(void *ctx, struct rx_scheme_handle *h, rx_u64 offset, rx_size size)
{
	(void)ctx, (void)h;
	return offset > sizeof fz_buf || size > sizeof fz_buf - offset ? -RX_EINVAL : 0;
}
static const struct rx_scheme_ops fz_ops = {.open = fz_open, .read = fz_read, .write = fz_write, .ready = fz_ready,
					    .fstat = fz_fstat, .path = fz_path, .call = fz_call, .close = fz_close,
					    .mmap = fz_mmap, .munmap = fz_munmap};

/* Point a buffer argument into fz_buf, within it. */
static void fz_buffer(struct rx_sqe *q)
{
	rx_size off = (rx_size)(q->args[1] % FUZZ_BUF);
	q->args[1] = (rx_u64)(kpi_uptr)(fz_buf + off);
	if (q->args[2] > FUZZ_BUF - off)
		q->args[2] = FUZZ_BUF - off;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rx_scheme *s = rx_scheme_new(3, "network.fuzz", &fz_ops, 0);
	rx_u32 expect = 0;
	FUZZ_CHECK(s);
	fz_answers = fz_events = fz_bad_tag = 0;
	fz_ntags = 0;
	fz_room = 0;
	for (size_t at = 0; at + 64 <= size && fz_ntags < 4096; at += 64) {
		struct rx_sqe q;
		rx_sqe_decode(data + at, &q);
		switch (q.opcode) {
		case RX_SQE_OPENAT: case RX_SQE_READ: case RX_SQE_WRITE: case RX_SQE_FPATH:
		case RX_SQE_FSTAT: case RX_SQE_STDFSCALL: case RX_SQE_CALL:
			fz_buffer(&q);
			break;
		}
		if (q.opcode == RX_SQE_READ || q.opcode == RX_SQE_WRITE)
			expect++; /* answered now, or parked and answered later */
		else if (q.opcode != RX_SQE_CLOSE && q.opcode != RX_SQE_DETACH && q.opcode != RX_SQE_CANCEL &&
			 !(q.sqe_flags & RX_SQE_ONEWAY))
			expect++;
		fz_tags[fz_ntags++] = q.tag;
		fz_room = q.rsvd >> 15; /* the top bit: the files have data/room now */
		rx_scheme_serve(s, &q);
		if (q.rsvd & 1)
			rx_scheme_retry(s);
		if (q.rsvd & 2)
			rx_scheme_post(s, RX_EVENT_READ);
	}
	/* every handle closes: what is still parked is answered (EBADF) */
	for (rx_u64 id = 1; id <= (rx_u64)fz_ntags; id++) {
		struct rx_sqe q = {.opcode = RX_SQE_CLOSE, .args = {id}};
		rx_scheme_serve(s, &q);
	}
	FUZZ_CHECK(fz_bad_tag == 0);
	FUZZ_CHECK(fz_answers == expect);
	rx_scheme_destroy(s);
	return 0;
}
