/* rx_scheme_test.c: the network scheme the Redox backend serves, driven
 * with hand-made 64-byte requests on a scripted socket (rx_fake_sys.c):
 * registration name and order (before the readiness byte), opens ("", mac,
 * others, non-root callers), one frame per read truncated to the buffer,
 * EAGAIN vs parked reads, Cancel, frames written by netstack becoming
 * edge-triggered KPI_EV_NET, events to every handle, fstat (relibc's
 * StdFsCall form), fpath, close; and what the sandbox refuses or keeps;
 * the display scheme (rx_display.c): opens, fstat, DRM ioctl payloads
 * turned into Linux structs and back, mmap, close. */
#include "rx_internal.h"
#include "rx_test_util.h"

#include <stdint.h>

static int sock = -1, evq = -1;
static size_t answered; /* bytes of sock's output already looked at */
static const rx_u8 mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
static int cookie;

static void send_sqe(rx_u8 op, rx_u8 flags, rx_u32 tag, rx_u64 a0, rx_u64 a1, rx_u64 a2, rx_u64 a3, rx_u64 a4,
		     rx_u64 a5)
{
	rx_u8 raw[64];
	rx_u64 args[6] = {a0, a1, a2, a3, a4, a5};
	memset(raw, 0, sizeof(raw));
	raw[0] = op;
	raw[1] = flags;
	memcpy(raw + 4, &tag, 4);
	memcpy(raw + 8, args, 48);
	fk_feed(sock, raw, 64);
}

/* The next record the backend wrote to the socket: 1, or 0 if none. */
static int next_cqe(struct rx_cqe *c)
{
	if (answered + 16 > fk_fds[sock].out_len)
		return 0;
	memcpy(c, fk_fds[sock].out + answered, 16);
	answered += 16;
	return 1;
}

static int serving_display; /* the display scheme's socket, not the network one */

static void serve(void)
{
	if (serving_display)
		rx_display_fired(0);
	else
		rx_net_scheme_fired(0);
}

static int events_seen; /* SEND_FEVENT records answer_of stepped over */

/* Serve one request and expect exactly one answer for tag (events posted
 * meanwhile are counted, not answers). */
static long answer_of(rx_u32 tag, rx_u8 *extra0)
{
	struct rx_cqe c;
	serve();
	do {
		if (!next_cqe(&c)) {
			CHECK(!"an answer");
			return -9999;
		}
	} while (c.flags == RX_CQE_SEND_FEVENT && ++events_seen);
	CHECK_INT(c.flags, RX_CQE_RESPOND);
	CHECK_INT(c.tag, tag);
	if (extra0)
		*extra0 = c.extra[0];
	return (long)(long long)c.result;
}

static void up(void)
{
	CHECK_INT(bring_up(), 0);
	script_open();
	CHECK_INT(kpi_host_pci_open(0), 0);
	CHECK_INT(kpi_host_net_open("eth0", mac, &cookie), 0);
	sock = fk_find("/scheme/namespace/scheme-creation-cap#create-scheme");
	evq = fk_find("/scheme/event");
	answered = 0;
	CHECK(sock >= 0);
}

static void t_register_and_open(void)
{
	up();
	CHECK_INT(fk_nregistered, 1);
	CHECK_STR(fk_registered[0], "network.pci-0000-00-03.0_8139too");
	CHECK(fk_fds[sock].flags & RX_O_NONBLOCK);
	CHECK(fk_find("/scheme/namespace/scheme-creation-cap#create-scheme#root") >= 0);
	struct rx_event sub;
	memcpy(&sub, fk_fds[evq].out, sizeof(sub));
	CHECK_INT(sub.id, sock);
	/* Readiness only now, after the registration. */
	CHECK_INT(fk_fds[9].out_len, 0);
	kpi_host_ready();
	CHECK_INT(fk_fds[9].out_len, 1);
	CHECK_INT(fk_fds[9].out[0], 0);

	rx_u8 x = 0xff;
	send_sqe(RX_SQE_OPENAT, 0, 1, 0, (rx_u64)(uintptr_t) "", 0, RX_O_RDWR | RX_O_NONBLOCK, 0, 0);
	CHECK_INT(answer_of(1, &x), 1);
	CHECK_INT(x, 0);
	send_sqe(RX_SQE_OPENAT, 0, 2, 0, (rx_u64)(uintptr_t) "mac", 3, RX_O_RDONLY, 0, 0);
	CHECK_INT(answer_of(2, &x), 2);
	CHECK_INT(x, RX_NEWFD_POSITIONED);
	send_sqe(RX_SQE_OPENAT, 0, 3, 0, (rx_u64)(uintptr_t) "link", 4, RX_O_RDONLY, 0, 0);
	CHECK_INT(answer_of(3, 0), -RX_EINVAL);
	send_sqe(RX_SQE_OPENAT, 0, 4, 0, (rx_u64)(uintptr_t) "", 0, RX_O_RDWR, 0, 1000 | 1000ull << 32);
	CHECK_INT(answer_of(4, 0), -RX_EACCES);
	send_sqe(RX_SQE_OPENAT, 0, 5, 1, (rx_u64)(uintptr_t) "", 0, RX_O_RDWR, 0, 0); /* not through the root */
	CHECK_INT(answer_of(5, 0), -RX_EACCES);

	rx_u8 buf[8] = {0};
	send_sqe(RX_SQE_READ, 0, 6, 2, (rx_u64)(uintptr_t)buf, 8, 0, 0, 0);
	CHECK_INT(answer_of(6, 0), 6);
	CHECK(!memcmp(buf, mac, 6));
	send_sqe(RX_SQE_READ, 0, 7, 2, (rx_u64)(uintptr_t)buf, 8, 4, 0, 0);
	CHECK_INT(answer_of(7, 0), 2);
	CHECK_INT(buf[0], 0x34);
	send_sqe(RX_SQE_WRITE, 0, 8, 2, (rx_u64)(uintptr_t)buf, 6, 0, 0, 0);
	CHECK_INT(answer_of(8, 0), -RX_EINVAL);

	struct rx_stat st;
	memset(&st, 0xee, sizeof(st));
	send_sqe(RX_SQE_STDFSCALL, 0, 9, 2, (rx_u64)(uintptr_t)&st, sizeof(st), RX_STDFS_FSTAT, 0, 0);
	CHECK_INT(answer_of(9, 0), 0);
	CHECK_INT(st.st_mode, RX_MODE_FILE | 0400);
	CHECK_INT(st.st_size, 6);
	send_sqe(RX_SQE_FSTAT, 0, 10, 1, (rx_u64)(uintptr_t)&st, sizeof(st), 0, 0, 0);
	CHECK_INT(answer_of(10, 0), 0);
	CHECK_INT(st.st_mode, RX_MODE_FILE | 0700);
	char path[80] = {0};
	send_sqe(RX_SQE_FPATH, 0, 11, 2, (rx_u64)(uintptr_t)path, sizeof(path) - 1, 0, 0, 0);
	long n = answer_of(11, 0);
	CHECK_INT(n, (long)strlen("/scheme/network.pci-0000-00-03.0_8139too/mac"));
	CHECK_STR(path, "/scheme/network.pci-0000-00-03.0_8139too/mac");
	send_sqe(26 /* Getdents */, 0, 12, 1, 0, 0, 0, 0, 0);
	CHECK_INT(answer_of(12, 0), -RX_EOPNOTSUPP);

	send_sqe(RX_SQE_CLOSE, 0, 0, 2, 0, 0, 0, 0, 0);
	serve();
	struct rx_cqe c;
	CHECK(!next_cqe(&c)); /* no answer to a close */
	send_sqe(RX_SQE_READ, 0, 13, 2, (rx_u64)(uintptr_t)buf, 8, 0, 0, 0);
	CHECK_INT(answer_of(13, 0), -RX_EBADF);
}

static void t_frames(void)
{
	struct rx_cqe c;
	struct kpi_host_event ev[4];
	up();
	send_sqe(RX_SQE_OPENAT, 0, 1, 0, (rx_u64)(uintptr_t) "", 0, RX_O_RDWR | RX_O_NONBLOCK, 0, 0);
	CHECK_INT(answer_of(1, 0), 1);
	rx_u8 buf[64], frame[100];
	for (int i = 0; i < 100; i++)
		frame[i] = (rx_u8)i;
	/* Nothing queued: EAGAIN for a non-blocking caller, parked otherwise. */
	send_sqe(RX_SQE_READ, 0, 2, 1, (rx_u64)(uintptr_t)buf, sizeof(buf), ~0ull, RX_O_RDWR | RX_O_NONBLOCK, 0);
	CHECK_INT(answer_of(2, 0), -RX_EAGAIN);
	send_sqe(RX_SQE_READ, 0, 3, 1, (rx_u64)(uintptr_t)buf, sizeof(buf), ~0ull, RX_O_RDWR, 0);
	serve();
	CHECK(!next_cqe(&c));
	/* A delivered frame completes the parked read, truncated to its buffer. */
	CHECK_INT(kpi_host_net_deliver(0, frame, sizeof(frame)), 0);
	CHECK(next_cqe(&c));
	CHECK_INT(c.tag, 3);
	CHECK_INT(c.result, 64);
	CHECK(!memcmp(buf, frame, 64));
	CHECK(!next_cqe(&c)); /* consumed: no event */
	/* Another frame waits: every handle hears EVENT_READ (root and data). */
	CHECK_INT(kpi_host_net_deliver(0, frame, 60), 0);
	int events = 0;
	while (next_cqe(&c)) {
		CHECK_INT(c.flags, RX_CQE_SEND_FEVENT);
		CHECK_INT(c.tag, RX_EVENT_READ);
		events++;
	}
	CHECK_INT(events, 2);
	send_sqe(RX_SQE_FEVENT, 0, 4, 1, RX_EVENT_READ | RX_EVENT_WRITE, 0, 0, 0, 0);
	CHECK_INT(answer_of(4, 0), RX_EVENT_READ | RX_EVENT_WRITE);
	events_seen = 0;
	send_sqe(RX_SQE_READ, 0, 5, 1, (rx_u64)(uintptr_t)buf, sizeof(buf), ~0ull, RX_O_RDWR | RX_O_NONBLOCK, 0);
	CHECK_INT(answer_of(5, 0), 60);
	CHECK_INT(events_seen, 2); /* after serving, frames still queued: told again (driver-network's tick) */
	/* A parked read that the kernel cancels (the caller got a signal). */
	send_sqe(RX_SQE_READ, 0, 6, 1, (rx_u64)(uintptr_t)buf, sizeof(buf), ~0ull, RX_O_RDWR, 0);
	send_sqe(RX_SQE_CANCEL, RX_SQE_ONEWAY, 6, 0, 0, 0, 0, 0, 0);
	CHECK_INT(answer_of(6, 0), -RX_EINTR);
	CHECK(!next_cqe(&c));

	/* netstack writes a frame: one KPI_EV_NET (through the event queue). */
	CHECK_INT(kpi_host_wait(rx_now_ns() + 3000000, ev, 4), 0);
	send_sqe(RX_SQE_WRITE, 0, 7, 1, (rx_u64)(uintptr_t)frame, 42, ~0ull, RX_O_RDWR, 0);
	send_sqe(RX_SQE_WRITE, 0, 8, 1, (rx_u64)(uintptr_t)frame, 50, ~0ull, RX_O_RDWR, 0);
	struct rx_event rec = {(rx_size)sock, RX_EVENT_READ, RX_TAG(RX_TAG_SCHEME, 0, 0)};
	fk_feed(evq, &rec, sizeof(rec));
	CHECK_INT(kpi_host_wait(rx_now_ns() + 20000000, ev, 4), 1);
	CHECK_INT(ev[0].kind, KPI_EV_NET);
	CHECK_INT(ev[0].handle, 0);
	CHECK(ev[0].cookie == &cookie);
	CHECK(next_cqe(&c) && c.tag == 7 && c.result == 42);
	CHECK(next_cqe(&c) && c.tag == 8 && c.result == 50);
	rx_u8 small[16], out[1600];
	CHECK_INT(kpi_host_net_take(0, small, sizeof(small)), -KPI_ENOSPC);
	CHECK_INT(kpi_host_net_take(0, out, sizeof(out)), 42);
	CHECK_INT(kpi_host_net_take(0, out, sizeof(out)), 50);
	/* Edge-triggered: no second event until a take came back empty. */
	send_sqe(RX_SQE_WRITE, 0, 9, 1, (rx_u64)(uintptr_t)frame, 20, ~0ull, RX_O_RDWR, 0);
	serve();
	CHECK_INT(kpi_host_wait(rx_now_ns() + 3000000, ev, 4), 0);
	CHECK_INT(kpi_host_net_take(0, out, sizeof(out)), 20);
	CHECK_INT(kpi_host_net_take(0, out, sizeof(out)), 0);
	send_sqe(RX_SQE_WRITE, 0, 10, 1, (rx_u64)(uintptr_t)frame, 30, ~0ull, RX_O_RDWR, 0);
	serve();
	CHECK_INT(kpi_host_wait(rx_now_ns() + 3000000, ev, 4), 1);
	CHECK_INT(ev[0].kind, KPI_EV_NET);
}

static void t_sandbox(void)
{
	struct kpi_host_event ev[2];
	up();
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_LEGACY, 1), 1);
	int irq = fk_find("/scheme/irq/11");
	CHECK_INT(kpi_host_sandbox(), 0);
	kpi_host_irq_disable(0);
	CHECK(fk_fds[irq].used); /* kept: no new open possible */
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_LEGACY, 1), 1);
	CHECK_INT(kpi_host_irq_watch(0, 0, &cookie), 0);
	rx_u64 count = 3;
	fk_feed(irq, &count, 8);
	CHECK_INT(kpi_host_wait(rx_now_ns() + 20000000, ev, 2), 1);
	CHECK_INT(kpi_host_net_open("eth1", mac, &cookie), -KPI_EPERM);
	CHECK(strstr(fk_stderr(), "refused after the sandbox") != 0);
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_MSI, 1), -KPI_EBUSY); /* legacy still on */
	kpi_host_irq_disable(0);
	struct rxw_resp r;
	memset(&r, 0, sizeof(r));
	r.tag = RXW_RESP_FEATURE_INFO;
	r.feature = RXW_FEAT_MSI;
	fk_chan_reply(&r);
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_MSI, 1), -KPI_EPERM);
}

static rx_u32 rd32(const void *p)
{
	rx_u32 v;
	memcpy(&v, p, 4);
	return v;
}

static rx_u64 rd64(const void *p)
{
	rx_u64 v;
	memcpy(&v, p, 8);
	return v;
}

/* The display scheme (rx_display.c): registration, driver-graphics' open
 * rules and fstat, requests handed to the runtime (take/done) and answered
 * then, the redox-ioctl payload <-> Linux struct translation. */
static void t_display(void)
{
	struct kpi_host_event ev[2];
	struct kpi_display_req req;
	struct rx_cqe c;
	CHECK_INT(bring_up(), 0);
	serving_display = 1;
	CHECK_INT(kpi_host_display_open(KPI_HOST_DISPLAY_VERSION + 1, "bochs-drm", 0, &cookie), -KPI_ENOTSUP);
	CHECK_INT(kpi_host_display_open(KPI_HOST_DISPLAY_VERSION, "bochs-drm", 0, &cookie), 0);
	CHECK_STR(fk_registered[0], "display.bochs-drm");
	sock = fk_find("/scheme/namespace/scheme-creation-cap#create-scheme");
	answered = 0;
	CHECK_INT(kpi_host_display_take(0, &req), 0);

	/* open: queued for the runtime, answered with the handle id when done */
	send_sqe(RX_SQE_OPENAT, 0, 1, 0, (rx_u64)(uintptr_t) "v2/1", 4, RX_O_RDWR, 0, 0);
	serve();
	CHECK(!next_cqe(&c));
	CHECK_INT(kpi_host_wait(rx_now_ns() + 1000000, ev, 2), 1);
	CHECK_INT(ev[0].kind, KPI_EV_DISPLAY);
	CHECK(ev[0].cookie == &cookie);
	CHECK_INT(kpi_host_display_take(0, &req), 1);
	CHECK_INT(req.op, KPI_DISPLAY_OPEN);
	kpi_host_display_done(0, &req, 5, NULL);
	CHECK(next_cqe(&c));
	CHECK_INT(c.tag, 1);
	CHECK_INT(c.result, 1);
	CHECK_INT(kpi_host_display_take(0, &req), 0);

	send_sqe(RX_SQE_OPENAT, 0, 2, 0, (rx_u64)(uintptr_t) "v3/0", 4, RX_O_RDWR, 0, 0);
	CHECK_INT(answer_of(2, 0), -RX_ENOENT);
	send_sqe(RX_SQE_OPENAT, 0, 3, 0, (rx_u64)(uintptr_t) "card0", 5, RX_O_RDWR, 0, 0);
	CHECK_INT(answer_of(3, 0), -RX_EINVAL);
	struct rx_stat st;
	memset(&st, 0xee, sizeof(st));
	send_sqe(RX_SQE_STDFSCALL, 0, 4, 1, (rx_u64)(uintptr_t)&st, sizeof(st), RX_STDFS_FSTAT, 0, 0);
	CHECK_INT(answer_of(4, 0), 0);
	CHECK_INT(st.st_dev, 226 << 8);
	CHECK_INT(st.st_mode, 0);

	/* GETCONNECTOR: 48 plain bytes (count_modes ...), then encoders (1 x 4),
	 * modes (1 x 68), props (1 x 4), prop_values (1 x 8) */
	rx_u64 pl64[24];
	rx_u8 *pl = (rx_u8 *)pl64;
	memset(pl64, 0, sizeof(pl64));
	rx_u32 one = 1, conn = 7;
	memcpy(pl + 0, &one, 4);	/* count_modes */
	memcpy(pl + 4, &one, 4);	/* count_props */
	memcpy(pl + 8, &one, 4);	/* count_encoders */
	memcpy(pl + 16, &conn, 4);	/* connector_id */
	send_sqe(RX_SQE_CALL, 0, 5, 1, (rx_u64)(uintptr_t)pl, 132, 0xA7, 0, 0);
	serve();
	CHECK(!next_cqe(&c));
	CHECK_INT(kpi_host_display_take(0, &req), 1);
	CHECK_INT(req.op, KPI_DISPLAY_IOCTL);
	CHECK_INT(req.file, 5);
	CHECK_INT(req.cmd, 0xC05064A7ul); /* DRM_IOWR(0xA7, struct drm_mode_get_connector) */
	rx_u8 *la = req.arg;
	CHECK(rd64(la + 0) == (rx_u64)(uintptr_t)(pl + 48));  /* encoders_ptr */
	CHECK(rd64(la + 8) == (rx_u64)(uintptr_t)(pl + 52));  /* modes_ptr */
	CHECK(rd64(la + 16) == (rx_u64)(uintptr_t)(pl + 120)); /* props_ptr */
	CHECK(rd64(la + 24) == (rx_u64)(uintptr_t)(pl + 124)); /* prop_values_ptr */
	CHECK_INT(rd32(la + 32), 1);
	CHECK_INT(rd32(la + 48), 7);
	rx_u32 three = 3, enc = 0x31;
	memcpy(la + 32, &three, 4); /* the driver has 3 modes */
	memcpy(pl + 48, &enc, 4);   /* and wrote the encoder id through the pointer */
	kpi_host_display_done(0, &req, 0, NULL);
	CHECK(next_cqe(&c));
	CHECK_INT(c.tag, 5);
	CHECK_INT(c.result, 0);
	CHECK_INT(rd32(pl + 0), 3);
	CHECK_INT(rd32(pl + 16), 7);
	CHECK_INT(rd32(pl + 48), 0x31);
	send_sqe(RX_SQE_CALL, 0, 6, 1, (rx_u64)(uintptr_t)pl, 131, 0xA7, 0, 0);
	CHECK_INT(answer_of(6, 0), -RX_EINVAL); /* not the length the counts say */
	send_sqe(RX_SQE_CALL, 0, 7, 1, (rx_u64)(uintptr_t)pl, 4, 0x42, 0, 0);
	CHECK_INT(answer_of(7, 0), -RX_EINVAL); /* not a DRM command driver-graphics knows */

	/* mmap at MAP_DUMB's offset, munmap, close */
	send_sqe(RX_SQE_MMAP_PREP, 0, 8, 1, 8192, 0, 0x10000, 0, 0);
	serve();
	CHECK_INT(kpi_host_display_take(0, &req), 1);
	CHECK_INT(req.op, KPI_DISPLAY_MMAP);
	CHECK_INT(req.offset, 0x10000);
	CHECK_INT(req.len, 8192);
	kpi_host_display_done(0, &req, 0, (void *)(uintptr_t)0x7000);
	CHECK(next_cqe(&c));
	CHECK_INT(c.result, 0x7000);
	send_sqe(RX_SQE_MUNMAP, 0, 9, 1, 8192, 0, 0x10000, 0, 0);
	serve();
	CHECK_INT(kpi_host_display_take(0, &req), 1);
	CHECK_INT(req.op, KPI_DISPLAY_MUNMAP);
	CHECK(req.addr == (void *)(uintptr_t)0x7000);
	kpi_host_display_done(0, &req, 0, NULL);
	CHECK(next_cqe(&c));
	CHECK_INT(c.result, 0);
	send_sqe(RX_SQE_MUNMAP, 0, 10, 1, 8192, 0, 0x10000, 0, 0);
	CHECK_INT(answer_of(10, 0), -RX_EINVAL);
	send_sqe(RX_SQE_CLOSE, 0, 0, 1, 0, 0, 0, 0, 0);
	serve();
	CHECK_INT(kpi_host_display_take(0, &req), 1);
	CHECK_INT(req.op, KPI_DISPLAY_CLOSE);
	CHECK_INT(req.file, 5);
	kpi_host_display_done(0, &req, 0, NULL);
	CHECK(!next_cqe(&c));
	CHECK_INT(kpi_host_display_take(0, &req), 0);
	kpi_host_display_close(0);
}

int main(void)
{
	int ok = 1;
	ok &= run("network scheme: registration, opens, mac, fstat, fpath, close", t_register_and_open);
	ok &= run("network scheme: frames both ways, parking, cancel, events", t_frames);
	ok &= run("sandbox: refused opens, kept irq fds", t_sandbox);
	ok &= run("display scheme: opens, fstat, ioctl payloads, mmap, close", t_display);
	return ok ? 0 : 1;
}
