/* redox_emu_test.c: semantics of the emulated Redox (runtime/host/redox-emu)
 * tested through rx_sys.h directly, on the sim backing, without the Redox
 * backend: pcid channel rules and crashes, EnableDevice, BAR maps, the irq
 * protocol (legacy, MSI, acks, reservations, listings), the memory scheme,
 * setrens, event timeouts and the time scheme, and a user scheme served by
 * this test against the emulator's netstack client.  Every case runs in a
 * forked child (the emulated world is process-global); crash cases expect
 * the child to die with SIGABRT. */
#define _GNU_SOURCE
#include "re_emu.h"
#include "rx_pcid_wire.h"
#include "rx_sys.h"
#include "sim.h"

#include "ktest.h"

#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEV "0000--00--03.0"
static struct sim_dev *dev;

/* A function like an 8139 with MSI (1 vector) and MSI-X (4, table in BAR 2). */
static void make_dev(void)
{
	struct sim_pci_id id = {0x10ec, 0x8139, 0x10ec, 0x8139, 0x020000, 0x20, 1};
	dev = sim_dev_create(&id);
	sim_dev_add_io_bar(dev, 0, 256, 0);
	sim_dev_add_mem_bar(dev, 1, 4096, 0, 0);
	sim_dev_add_mem_bar(dev, 2, 16384, 1, 0);
	sim_dev_set_irq_caps(dev, 1, 4);
	kpi_u8 *cfg = sim_dev_config(dev);
	cfg[0x74] = 2;		    /* MSI-X table: BAR 2, offset 0 */
	cfg[0x78] = 2, cfg[0x79] = 8; /* PBA: BAR 2, offset 0x800 */
}

static void boot(const char *opt)
{
	make_dev();
	char a0[] = "redox_emu_test", a1[64];
	snprintf(a1, sizeof(a1), "%s", opt ? opt : "");
	char *argv[] = {a0, opt ? a1 : 0, 0};
	int argc = opt ? 2 : 1;
	int rc = rx_sys_init(RX_SYS_VERSION, &argc, argv);
	CHECK_INT(rc, 0);
}

static long chan(void)
{
	const char *c = rx_getenv("PCID_CLIENT_CHANNEL");
	return c ? atol(c) : -1;
}

/* One request/response on the channel. */
static struct rxw_resp resp;
static int call(long ch, struct rxw_req q)
{
	rx_u8 b[2048];
	long n = rxw_encode_req(&q, b, sizeof(b));
	if (rx_write(ch, b, (rx_size)n) != n)
		return -1;
	long got = rx_read(ch, b, sizeof(b));
	const char *why = 0;
	if (got < 8 || rxw_decode_resp_framed(b, (rx_size)got, &resp, &why) != got) {
		fprintf(stderr, "bad reply (%ld): %s\n", got, why ? why : "");
		return -1;
	}
	return (int)resp.tag;
}

static rx_u32 rdcfg(long ch, rx_u16 off)
{
	call(ch, (struct rxw_req){.tag = RXW_REQ_READ_CONFIG, .offset = off});
	return resp.value;
}

static struct rx_event ev[8];
static long ev_read(long q)
{
	long n = rx_read(q, ev, sizeof(ev));
	return n < 0 ? n : n / (long)sizeof(struct rx_event);
}

static void subscribe(long q, long fd, rx_size data)
{
	struct rx_event e = {(rx_size)fd, RX_EVENT_READ, data};
	CHECK_INT(rx_write(q, &e, sizeof(e)), sizeof(e));
}

static void set_timeout(long q, rx_size ms)
{
	struct rx_event e = {RX_EVENT_TIMEOUT_ID, RX_EVENT_READ, ms};
	CHECK_INT(rx_write(q, &e, sizeof(e)), sizeof(e));
}

static int dirents_have(long fd, const char *name, rx_u64 *count)
{
	rx_u8 buf[8192];
	long n = rx_getdents(fd, buf, sizeof(buf), 0);
	int found = 0;
	*count = 0;
	for (long off = 0; off + RX_DIRENT_HDR <= n;) {
		rx_u16 rec = (rx_u16)(buf[off + 16] | buf[off + 17] << 8);
		found |= !strcmp((char *)buf + off + RX_DIRENT_HDR, name);
		(*count)++;
		off += rec;
	}
	return found;
}

/* ---- cases ----------------------------------------------------------------------- */

static void t_channel(void)
{
	boot(0);
	long ch = chan();
	CHECK(ch >= 0x4000);
	CHECK_INT(call(ch, (struct rxw_req){.tag = RXW_REQ_REQUEST_CONFIG}), RXW_RESP_CONFIG);
	CHECK(resp.config.vendor == 0x10ec && resp.config.device == 0x8139 && resp.config.dev == 3);
	CHECK_INT(resp.config.bars[0].tag, RXW_BAR_PORT);
	CHECK_INT(resp.config.bars[1].tag, RXW_BAR_MEM32);
	CHECK_INT(resp.config.bars[2].tag, RXW_BAR_MEM64);
	CHECK_INT(resp.config.bars[3].tag, RXW_BAR_NONE);
	CHECK(resp.config.has_legacy_irq && resp.config.legacy_irq == 10);
	rx_u8 b[64];
	CHECK_INT(rx_read(ch, b, sizeof(b)), -RX_EINVAL); /* nothing pending */
	rx_u8 q[4] = {1, 0, 0, 0};
	CHECK_INT(rx_write(ch, q, 4), 4);
	CHECK_INT(rx_write(ch, q, 4), -RX_EINVAL); /* reply still unread */
	CHECK_INT(rx_read(ch, b, 8), 8);	     /* the reply can be read in pieces */
	CHECK(rx_read(ch, b, sizeof(b)) > 8);
	rx_u8 bad[4] = {42, 0, 0, 0};
	CHECK_INT(rx_write(ch, bad, 4), -RX_EINVAL);
	CHECK_INT(rx_open("/scheme/pci/" DEV "/channel", RX_O_RDWR), -RX_ENOLCK);
	CHECK_INT(rx_open("/scheme/pci/" DEV "/nothing", RX_O_RDWR), -RX_ENOENT);
	CHECK_INT(rx_open("/scheme/pci/", RX_O_RDONLY), -RX_EISDIR);
	long top = rx_open("/scheme/pci/", RX_O_RDONLY | RX_O_DIRECTORY);
	rx_u64 n;
	CHECK(dirents_have(top, DEV, &n) && n == 1);
	/* after close the channel can be opened again (scheme.rs on_close) */
	CHECK_INT(rx_close(ch), 0);
	long ch2 = rx_open("/scheme/pci/" DEV "/channel", RX_O_RDWR);
	CHECK(ch2 >= 0);
	CHECK_INT(rdcfg(ch2, 0), 0x813910ec);
	/* Features: MSI and MSI-X from the capability list */
	CHECK_INT(call(ch2, (struct rxw_req){.tag = RXW_REQ_REQUEST_FEATURES}), RXW_RESP_ALL_FEATURES);
	CHECK_INT(resp.nfeatures, 2);
	CHECK_INT(call(ch2, (struct rxw_req){.tag = RXW_REQ_FEATURE_INFO, .feature = RXW_FEAT_MSIX}),
		  RXW_RESP_FEATURE_INFO);
	CHECK(resp.msix_table_bar == 2 && resp.msix_table_size == 4 && resp.msix_pba_offset == 0x800);
}

static void t_enable_clears_msi(void)
{
	boot(0);
	long ch = chan();
	struct rxw_req set = {.tag = RXW_REQ_SET_FEATURE_INFO,
			      .set = {.feature = RXW_FEAT_MSI, .has_mme = 1, .has_addr_data = 1, .addr = 0xfee00000u, .data = 0x50}};
	CHECK_INT(call(ch, set), RXW_RESP_SET_FEATURE_INFO);
	for (int round = 0; round < 2; round++) {
		CHECK_INT(call(ch, (struct rxw_req){.tag = RXW_REQ_ENABLE_FEATURE, .feature = RXW_FEAT_MSI}),
			  RXW_RESP_FEATURE_ENABLED);
		CHECK(rdcfg(ch, 0x50) >> 16 & 1);
		CHECK_INT(call(ch, (struct rxw_req){.tag = RXW_REQ_ENABLE_DEVICE}), RXW_RESP_ENABLED_DEVICE);
		CHECK(!(rdcfg(ch, 0x50) >> 16 & 1)); /* every EnableDevice turns MSI off */
		CHECK((rdcfg(ch, 0x04) & 7) == 7);
	}
	/* data not aligned to the enabled vector count -> InvalidBitPattern */
	set.set.mme = 1;
	CHECK_INT(call(ch, set), RXW_RESP_ERROR);
	CHECK_INT(resp.error, RXW_ERR_INVALID_BIT_PATTERN);
}

static void t_bar_maps(void)
{
	boot(0);
	long ch = chan();
	long a = rx_mmap(0, 4096, RX_PROT_READ | RX_PROT_WRITE, RX_MAP_SHARED, ch, RX_PCID_BAR_OFFSET(1, RX_MEMTYPE_UC));
	CHECK(a > 0);
	CHECK(a > 0 && (void *)a == sim_dev_bar_mem(dev, 1));
	CHECK_INT(re_bar_map_count(1), 1);
	rx_mmap(0, 4096, RX_PROT_READ | RX_PROT_WRITE, RX_MAP_SHARED, ch, RX_PCID_BAR_OFFSET(1, RX_MEMTYPE_UC));
	CHECK_INT(re_bar_map_count(1), 2); /* pcid maps again on every mmap */
	CHECK_INT(rx_mmap(0, 4096, RX_PROT_READ, RX_MAP_SHARED, ch, RX_PCID_BAR_OFFSET(0, RX_MEMTYPE_UC)), -RX_EINVAL);
	CHECK_INT(rx_mmap(0, 4096, RX_PROT_READ, RX_MAP_SHARED, ch, RX_PCID_BAR_OFFSET(3, RX_MEMTYPE_UC)), -RX_EINVAL);
}

static void t_crash_offset(void) { boot(0); rdcfg(chan(), 0x2d); }
static void t_crash_big_offset(void) { boot(0); rdcfg(chan(), 4096); }
static void t_crash_bar6(void)
{
	boot(0);
	rx_mmap(0, 4096, RX_PROT_READ, RX_MAP_SHARED, chan(), RX_PCID_BAR_OFFSET(6, RX_MEMTYPE_UC));
}
static void t_crash_vcap(void)
{
	make_dev();
	kpi_u8 *cfg = sim_dev_config(dev);
	cfg[0x90] = 0x09, cfg[0x91] = 0, cfg[0x92] = 5; /* vendor cap of length 5 */
	cfg[0x70 + 1] = 0x90;				   /* chained after MSI -> MSI-X */
	char a0[] = "t", *argv[] = {a0, 0};
	int argc = 1;
	rx_sys_init(RX_SYS_VERSION, &argc, argv);
	call(chan(), (struct rxw_req){.tag = RXW_REQ_REQUEST_VENDOR_CAPS});
}

static void t_irq_legacy(void)
{
	boot(0);
	long irq = rx_open("/scheme/irq/10", RX_O_RDWR), q = rx_open("/scheme/event", RX_O_RDWR);
	CHECK(irq >= 0 && q >= 0);
	subscribe(q, irq, 77);
	set_timeout(q, 0);
	CHECK_INT(ev_read(q), 1);
	CHECK(ev[0].id == RX_EVENT_TIMEOUT_ID); /* nothing at registration */
	sim_irq_raise(dev, 0);
	CHECK_INT(ev_read(q), 1);
	CHECK(ev[0].id == (rx_size)irq && ev[0].flags == RX_EVENT_READ && ev[0].data == 77);
	rx_u64 c = 0;
	CHECK_INT(rx_read(irq, &c, 8), 8);
	CHECK_INT(c, 1);
	CHECK_INT(rx_read(irq, &c, 8), 8); /* still unacked: still reported */
	sim_irq_raise(dev, 0);		   /* masked until the ack: coalesces */
	re_run_for(5);
	CHECK_INT(re_irq_count(10), 1);
	CHECK_INT(rx_write(irq, &c, 4), -RX_EINVAL);
	CHECK_INT(rx_write(irq, &c, 8), 8);
	CHECK_INT(rx_read(irq, &c, 8), 0);
	re_run_for(5); /* unmasked: the coalesced one comes through */
	CHECK_INT(re_irq_count(10), 2);
	CHECK_INT(rx_open("/scheme/irq/16", RX_O_RDWR), -RX_ENOENT);
	long bsp = rx_open("/scheme/irq/bsp", RX_O_RDONLY);
	rx_u64 v = ~0ull;
	CHECK_INT(rx_read(bsp, &v, 8), 8);
	CHECK_INT(v & 0xffffffffu, 0);
	CHECK_INT(v >> 32, 0xffffffffu); /* a u32 is stored, 8 returned */
}

static long setup_msi(long ch, int vector)
{
	struct rxw_req set = {.tag = RXW_REQ_SET_FEATURE_INFO,
			      .set = {.feature = RXW_FEAT_MSI, .has_mme = 1, .has_addr_data = 1, .addr = 0xfee00000u,
				      .data = (rx_u32)vector}};
	CHECK_INT(call(ch, set), RXW_RESP_SET_FEATURE_INFO);
	return call(ch, (struct rxw_req){.tag = RXW_REQ_ENABLE_FEATURE, .feature = RXW_FEAT_MSI});
}

static void t_irq_msi(void)
{
	boot(0);
	long ch = chan();
	long cpu = rx_open("/scheme/irq/cpu-00", RX_O_RDONLY | RX_O_DIRECTORY);
	rx_u64 n;
	CHECK(dirents_have(cpu, "18", &n) && !dirents_have(cpu, "17", &n) && !dirents_have(cpu, "33", &n));
	CHECK_INT(n, 14 + 187); /* 18..31 and 36..222 */
	CHECK_INT(rx_open("/scheme/irq/cpu-00/40", RX_O_RDWR), -RX_EINVAL); /* O_CREAT needed */
	long irq = rx_open("/scheme/irq/cpu-00/40", RX_O_RDWR | RX_O_CREAT);
	CHECK(irq >= 0);
	CHECK_INT(rx_open("/scheme/irq/cpu-00/40", RX_O_RDWR | RX_O_CREAT), -RX_EEXIST);
	CHECK(!dirents_have(cpu, "40", &n));
	CHECK_INT(setup_msi(ch, 40 + 32), RXW_RESP_FEATURE_ENABLED);
	long q = rx_open("/scheme/event", RX_O_RDWR);
	subscribe(q, irq, 1);
	sim_irq_raise(dev, 0);
	CHECK_INT(ev_read(q), 1);
	rx_u64 c = 0;
	CHECK_INT(rx_read(irq, &c, 8), 8);
	CHECK_INT(c, 1);
	sim_irq_raise(dev, 0); /* MSI is not masked: a newer one arrives before the ack */
	CHECK_INT(ev_read(q), 1);
	CHECK_INT(rx_write(irq, &c, 8), 0); /* ack of 1 while the count is 2 */
	CHECK_INT(rx_read(irq, &c, 8), 8);
	CHECK_INT(c, 2);
	CHECK_INT(rx_write(irq, &c, 8), 8);
	CHECK_INT(rx_read(irq, &c, 8), 0);
	rx_close(irq); /* the kernel never frees a reservation (idt.rs set_reserved ORs) */
	CHECK(re_irq_reserved(40));
}

static void t_msi_unreserved(void)
{
	boot(0);
	setup_msi(chan(), 0x90); /* vector 0x90 = irq 112, never reserved */
	sim_irq_raise(dev, 0);
	re_run_for(5);
}

static void t_memory(void)
{
	boot(0);
	long root = rx_open("/scheme/memory/scheme-root", RX_O_RDWR);
	long z = rx_openat(root, "zeroed@wb?phys_contiguous", RX_O_RDWR, 0);
	long tr = rx_openat(root, "translation", RX_O_RDWR, 0);
	CHECK(root >= 0 && z >= 0 && tr >= 0);
	CHECK_INT(rx_openat(root, "zeroed@xx", RX_O_RDWR, 0), -RX_ENOENT);
	CHECK_INT(rx_mmap(0, 8192, RX_PROT_READ | RX_PROT_WRITE, RX_MAP_SHARED, z, 0), -RX_EOPNOTSUPP);
	CHECK_INT(rx_mmap(0, 100, RX_PROT_READ | RX_PROT_WRITE, RX_MAP_PRIVATE, z, 0), -RX_EINVAL);
	long a = rx_mmap(0, 8192, RX_PROT_READ | RX_PROT_WRITE, RX_MAP_PRIVATE, z, 0);
	long b = rx_mmap(0, 4096, RX_PROT_READ | RX_PROT_WRITE, RX_MAP_PRIVATE, z, 0);
	CHECK(a > 0 && b > 0);
	CHECK(a > 0 && ((unsigned char *)a)[100] == 0);
	rx_u64 p = (rx_u64)a + 4096 + 0x123;
	CHECK_INT(rx_sys_call(tr, &p, 8, RX_CALL_READ, 0, 0), 0);
	CHECK((p & 0xfff) == 0 && p >= 0x100000000ull); /* frame address, first one above 4 GiB */
	p = (rx_u64)b;
	CHECK_INT(rx_sys_call(tr, &p, 8, RX_CALL_READ, 0, 0), 0);
	CHECK(p < 0x100000000ull); /* alternating: the next one below */
	rx_u64 stack = (rx_u64)(uintptr_t)&p;
	CHECK_INT(rx_sys_call(tr, &stack, 8, RX_CALL_READ, 0, 0), -RX_ENOENT);
	CHECK_INT(rx_sys_call(tr, &stack, 8, 0, 0, 0), -RX_EINVAL);
	CHECK_INT(rx_munmap((void *)a, 8192), 0);
	long phys = rx_openat(root, "physical@uc", RX_O_RDWR, 0);
	long m = rx_mmap(0, 4096, RX_PROT_READ | RX_PROT_WRITE, RX_MAP_SHARED, phys, 0xfe000000ull);
	CHECK(m > 0 && (void *)m == sim_dev_bar_mem(dev, 1));
	CHECK_INT(rx_mmap(0, 4096, RX_PROT_READ, RX_MAP_SHARED, phys, 0xfe000010ull), -RX_EINVAL);
}

static void t_setrens(void)
{
	boot(0);
	long irq = rx_open("/scheme/irq/10", RX_O_RDWR);
	long q = rx_open("/scheme/event", RX_O_RDWR);
	CHECK_INT(rx_setrens(0, 0), 0);
	CHECK_INT(rx_open("/scheme/irq/10", RX_O_RDWR), -RX_ENODEV);
	CHECK_INT(rx_open("/scheme/pci/" DEV "/channel", RX_O_RDWR), -RX_ENODEV);
	CHECK_INT(rx_open("/scheme/event", RX_O_RDWR), -RX_ENODEV);
	CHECK_INT(rx_open("/scheme/namespace/scheme-creation-cap", RX_O_RDWR), -RX_EACCES);
	CHECK_INT(rx_open("/etc/hostname", RX_O_RDONLY), -RX_ENODEV);
	CHECK(rx_open("/scheme/memory/translation", RX_O_RDWR) >= 0);
	subscribe(q, irq, 5); /* held fds keep working */
	sim_irq_raise(dev, 0);
	CHECK_INT(ev_read(q), 1);
	rx_u64 c;
	CHECK_INT(rx_read(irq, &c, 8), 8);
	CHECK_INT(rdcfg(chan(), 0), 0x813910ec);
}

static void t_timeouts(void)
{
	boot(0);
	long q = rx_open("/scheme/event", RX_O_RDWR);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	set_timeout(q, 30);
	CHECK_INT(ev_read(q), 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CHECK(ev[0].id == RX_EVENT_TIMEOUT_ID && ev[0].data == 30);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(ms >= 29 && ms < 1000);
	/* the timeout is one-shot; a blocking read with nothing watched ends */
	CHECK_INT(ev_read(q), -RX_EDEADLK);
	long nb = rx_open("/scheme/event", RX_O_RDWR | RX_O_NONBLOCK);
	CHECK_INT(ev_read(nb), -RX_EAGAIN);
	/* /scheme/time/4 timer fd */
	long tf = rx_open("/scheme/time/4", RX_O_RDWR);
	long long ts[2];
	CHECK_INT(rx_read(tf, ts, 16), 16);
	ts[0] += (ts[1] + 20000000) / 1000000000, ts[1] = (ts[1] + 20000000) % 1000000000;
	subscribe(q, tf, 9);
	CHECK_INT(rx_write(tf, ts, 16), 16);
	CHECK_INT(ev_read(q), 1);
	CHECK(ev[0].id == (rx_size)tf && ev[0].data == 9);
	CHECK_INT(rx_open("/scheme/time/2", RX_O_RDWR), -RX_ENOENT);
	/* a pipe in the queue (the backend's signal self-pipe) */
	long p[2];
	CHECK_INT(rx_pipe(p), 0);
	subscribe(q, p[0], 3);
	CHECK_INT(rx_write(p[1], "x", 1), 1);
	set_timeout(q, 1000);
	CHECK_INT(ev_read(q), 1);
	CHECK(ev[0].id == (rx_size)p[0] && ev[0].data == 3);
}

/* ---- a tiny network scheme served here, against the netstack client ------------------ */

static const rx_u8 mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
static int served[40];

static void serve(long sock, rx_u8 *rx_frame, size_t *rx_len, const rx_u8 *frame, size_t flen, int *frames_out)
{
	struct rx_sqe s[4];
	long n;
	while ((n = rx_read(sock, s, sizeof(s))) > 0) {
		for (long i = 0; i < n / 64; i++) {
			struct rx_cqe c = {RX_CQE_RESPOND, {0}, s[i].tag, 0};
			served[s[i].opcode]++;
			switch (s[i].opcode) {
			case RX_SQE_OPENAT: {
				const char *path = (const char *)(uintptr_t)s[i].args[1];
				c.result = s[i].args[2] == 0 ? 1 : !strncmp(path, "mac", 3) ? 2 : (rx_u64)-RX_EINVAL;
				CHECK(s[i].args[0] == 7); /* the root handle number we registered */
				break;
			}
			case RX_SQE_READ:
				if (s[i].args[0] == 2) {
					memcpy((void *)(uintptr_t)s[i].args[1], mac, 6);
					c.result = 6;
				} else if (*frames_out) {
					memcpy((void *)(uintptr_t)s[i].args[1], frame, flen);
					c.result = flen;
					(*frames_out)--;
				} else {
					c.result = (rx_u64)-RX_EAGAIN;
				}
				break;
			case RX_SQE_WRITE:
				memcpy(rx_frame, (void *)(uintptr_t)s[i].args[1], s[i].args[2]);
				*rx_len = s[i].args[2];
				c.result = s[i].args[2];
				break;
			case RX_SQE_FEVENT: c.result = 0; break;
			case RX_SQE_CLOSE: continue; /* no answer */
			default: c.result = (rx_u64)-RX_ENOSYS;
			}
			CHECK_INT(rx_write(sock, &c, sizeof(c)), sizeof(c));
		}
	}
}

static void t_scheme_net(void)
{
	boot(0);
	long cap = rx_open("/scheme/namespace/scheme-creation-cap", RX_O_RDWR);
	long sock = rx_dup(cap, "create-scheme", 13);
	struct rx_newfd_params np = {0, 7, RX_O_RDWR, 0};
	long root = rx_dup(sock, &np, 32);
	CHECK(cap >= 0 && sock >= 0 && root >= 0);
	CHECK_INT(rx_register_scheme_to_ns(rx_get_ns(), "network.pci-0000-00-03.0_test", root), 0);
	CHECK_INT(rx_fcntl(sock, RX_F_SETFL, RX_O_NONBLOCK), 0);
	long q = rx_open("/scheme/event", RX_O_RDWR);
	subscribe(q, sock, 1);
	CHECK_INT(re_net_state(), 0);
	const char *nfd = rx_getenv("INIT_NOTIFY");
	CHECK(nfd != 0);
	CHECK_INT(rx_write(atol(nfd), "", 1), 1); /* readiness byte: the netstack starts */
	rx_u8 got[2048], frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 0x08, 0x06};
	size_t got_len = 0;
	int frames_out = 0;
	for (int i = 0; i < 10 && re_net_state() != 3; i++) {
		set_timeout(q, 100);
		ev_read(q);
		serve(sock, got, &got_len, frame, sizeof(frame), &frames_out);
	}
	CHECK_INT(re_net_state(), 3);
	CHECK(!memcmp(re_net_mac(), mac, 6));
	CHECK(served[RX_SQE_OPENAT] == 2 && served[RX_SQE_CLOSE] == 1 && served[RX_SQE_FEVENT] == 1);
	/* the wire side sends a frame: one Write request */
	CHECK_INT(re_net_inject(frame, sizeof(frame)), 0);
	set_timeout(q, 100);
	ev_read(q);
	serve(sock, got, &got_len, frame, sizeof(frame), &frames_out);
	CHECK(got_len == sizeof(frame) && !memcmp(got, frame, sizeof(frame)));
	/* the daemon has a frame: SendFevent READ -> Read, then Read -> EAGAIN */
	frames_out = 1;
	struct rx_cqe fe = {RX_CQE_SEND_FEVENT, {0}, RX_EVENT_READ, 1};
	CHECK_INT(rx_write(sock, &fe, sizeof(fe)), sizeof(fe));
	for (int i = 0; i < 3; i++) {
		set_timeout(q, 50);
		ev_read(q);
		serve(sock, got, &got_len, frame, sizeof(frame), &frames_out);
	}
	rx_u8 popped[2048];
	CHECK_INT(re_net_pop(popped, sizeof(popped)), sizeof(frame));
	CHECK_INT(re_net_pop(popped, sizeof(popped)), 0);
	CHECK(served[RX_SQE_READ] >= 3);
	/* a request on behalf of another process, answered by hand */
	char path[64];
	rx_u64 args[6] = {1, (rx_u64)(uintptr_t)path, sizeof(path), 0, 0, 0};
	long tag = re_sched_request("network.pci-0000-00-03.0_test", RE_OP_FPATH, args);
	CHECK(tag > 0);
	struct rx_sqe s;
	CHECK_INT(rx_read(sock, &s, sizeof(s)), 64);
	CHECK(s.opcode == RX_SQE_FPATH && s.tag == (rx_u32)tag && s.args[0] == 1 && s.caller != 0);
	rx_u64 res;
	CHECK_INT(re_sched_result((rx_u32)tag, &res, 0), 0);
	struct rx_cqe c = {RX_CQE_RESPOND, {0}, (rx_u32)tag, 5};
	CHECK_INT(rx_write(sock, &c, sizeof(c)), sizeof(c));
	CHECK_INT(re_sched_result((rx_u32)tag, &res, 0), 1);
	CHECK_INT(res, 5);
	CHECK_INT(rx_write(sock, &c, sizeof(c)), -RX_EINVAL); /* answered already */
	long sd = rx_open("/scheme/", RX_O_RDONLY | RX_O_DIRECTORY);
	rx_u64 n;
	CHECK(dirents_have(sd, "network.pci-0000-00-03.0_test", &n) && dirents_have(sd, "irq", &n));
}

static void t_spawner_options(void)
{
	boot("--emu-no-channel");
	CHECK(rx_getenv("PCID_CLIENT_CHANNEL") == 0);
	CHECK(rx_getenv("INIT_NOTIFY") != 0);
}

static void t_closed_channel(void)
{
	boot("--emu-close-channel");
	rx_u8 b[8];
	CHECK_INT(rx_read(chan(), b, 8), -RX_EBADF);
}

/* ---- driver -------------------------------------------------------------------- */

static int run(const char *name, void (*fn)(void), int want_abort)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		exit(want_abort ? 0 : KTEST_DONE());
	}
	int st = 0;
	waitpid(pid, &st, 0);
	int ok = want_abort ? WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT : WIFEXITED(st) && WEXITSTATUS(st) == 0;
	printf("%s %s\n", ok ? "ok  " : "FAIL", name);
	return !ok;
}

int main(void)
{
	int fails = 0;
	fails += run("channel", t_channel, 0);
	fails += run("enable_clears_msi", t_enable_clears_msi, 0);
	fails += run("bar_maps", t_bar_maps, 0);
	fails += run("crash: unaligned config offset", t_crash_offset, 1);
	fails += run("crash: config offset 4096", t_crash_big_offset, 1);
	fails += run("crash: BAR 6 in the mmap offset", t_crash_bar6, 1);
	fails += run("crash: vendor capability length 5", t_crash_vcap, 1);
	fails += run("irq_legacy", t_irq_legacy, 0);
	fails += run("irq_msi", t_irq_msi, 0);
	fails += run("crash: MSI with an unreserved vector", t_msi_unreserved, 1);
	fails += run("memory", t_memory, 0);
	fails += run("setrens", t_setrens, 0);
	fails += run("timeouts", t_timeouts, 0);
	fails += run("scheme_net", t_scheme_net, 0);
	fails += run("spawner_options", t_spawner_options, 0);
	fails += run("closed_channel", t_closed_channel, 0);
	printf("%d failed\n", fails);
	return fails != 0;
}
