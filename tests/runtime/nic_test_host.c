/* nic_test_host.c: the "test host" linked into a REAL ported NIC daemon
 * (8139too, e1000) built for the sim or for the emulated Redox on the sim
 * (tests/runtime_nic_models.cmake, nic_test_ported.sh).  The daemon runs
 * its own main(); this file only adds:
 *   - a constructor that, when KPI_NICTEST=rtl8139|e1000 is set, installs
 *     that device model (sm_models.h) as PCI function 0, turns the sim's
 *     virtual clock on and arms a kit timer that waits for the interface
 *     to come up (the daemon's readiness; on Redox: the netstack stand-in
 *     opened the network scheme after the readiness byte);
 *   - the scenario, a kit task that plays the OS (nic_test_os.h: the sim's
 *     netif queues, or the Redox netstack stand-in) and the wire (the
 *     model's), the same on both hosts: MAC, carrier, frames both ways
 *     byte-exact and in order, the hardware address filter, bursts larger
 *     than the RX ring (flow-controlled and lossy), an interrupt storm, a
 *     stalled transmitter, a link flap; then SIGTERM;
 *   - an atexit verdict after the daemon's exit: device stopped, every DMA
 *     allocation freed (sim_dma_live() == 0), interface closed.
 * Output: "nictest: ..." lines on stderr, the last one PASS or FAIL; a
 * failure makes the process exit 1.  Without KPI_NICTEST nothing happens. */
#define _GNU_SOURCE
#include "kpi_kit.h"
#include "nic_test_os.h"
#include "sim.h"
#include "sm_models.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MS 1000000ull
#define ETYPE_HI 0x88 /* IEEE local experimental ethertype 0x88b5 */
#define ETYPE_LO 0xb5

static const uint8_t nt_mac[6] = {0x02, 0x4b, 0x50, 0x00, 0x81, 0x39}; /* the EEPROM's */
static const uint8_t peer[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const uint8_t foreign[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x77};
static const uint8_t mcast[6] = {0x01, 0x00, 0x5e, 0x7f, 0x00, 0x09}; /* a group nobody joined */

static struct {
	struct sm_nic *nic;
	const char *model;
	struct kit_timer start;
	kpi_u64 give_up;
	int started, finished, stop_sent;
	int checks, fails;
	const char *step;
	struct timespec real0;
} nt;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "nictest: %s\n", buf);
}

static int check(int ok, int line, const char *what)
{
	nt.checks++;
	if (!ok) {
		nt.fails++;
		say("FAIL %s:%d [%s] %s", __FILE__, line, nt.step ? nt.step : "-", what);
	}
	return ok;
}
#define CHECK(c) check(!!(c), __LINE__, #c)
#define CHECK_INT(a, b)                                                                                          \
	do {                                                                                                     \
		long long nt_a = (long long)(a), nt_b = (long long)(b);                                          \
		char nt_m[200];                                                                                  \
		snprintf(nt_m, sizeof(nt_m), "%s == %lld, expected %lld", #a, nt_a, nt_b);                       \
		check(nt_a == nt_b, __LINE__, nt_m);                                                             \
	} while (0)

/* Test frames: ethertype 0x88b5, a 32-bit id, then bytes derived from it. */
static void frame(uint8_t *f, size_t len, const uint8_t *dst, const uint8_t *src, uint32_t id)
{
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = ETYPE_HI, f[13] = ETYPE_LO;
	f[14] = (uint8_t)(id >> 24), f[15] = (uint8_t)(id >> 16), f[16] = (uint8_t)(id >> 8), f[17] = (uint8_t)id;
	for (size_t i = 18; i < len; i++)
		f[i] = (uint8_t)(id * 13u + i * 7u + (i >> 8));
}

static uint32_t frame_id(const uint8_t *f, int len)
{
	return len >= 18 ? (uint32_t)f[14] << 24 | (uint32_t)f[15] << 16 | (uint32_t)f[16] << 8 | f[17] : ~0u;
}

static int wait_for(int (*cond)(void), unsigned ms)
{
	kpi_u64 end = kit_now_ns() + ms * MS;
	while (!cond()) {
		if (kit_now_ns() >= end)
			return 0;
		kit_sleep_ns(MS);
	}
	return 1;
}

static int nic_running(void)
{
	return sm_nic_running(nt.nic);
}

static int os_link_up(void)
{
	return nt_os_link() == 1;
}

static int os_link_down(void)
{
	return nt_os_link() == 0;
}

static void drain(void)
{
	static uint8_t b[SM_FRAME_MAX];
	while (sm_wire_pop(nt.nic, b, sizeof(b)) > 0) {
	}
	while (nt_os_recv(b, sizeof(b)) > 0) {
	}
}

/* The loop of the exchanges: while frames move or may soon, let the daemon
 * run one round (yield: a NAPI poll of at most its weight, then the host's
 * queue is emptied again - it holds only 256 frames); after 50 rounds
 * without any, let the (virtual) clock advance. */
static void pace(int progress)
{
	static int idle;
	idle = progress ? 0 : idle + 1;
	if (idle < 50)
		kit_yield();
	else
		kit_sleep_ns(MS);
}

/* ---- OS -> driver -> wire --------------------------------------------------------------------- */

/* n frames from the OS, ids base.., lengths lens[i % nl]: all must leave
 * the wire in order, byte for byte, and nothing else. */
struct txs {
	uint32_t base;
	int n, sent, seen, bad;
	const size_t *lens;
	int nl;
};

static void txs_init(struct txs *s, uint32_t base, int n, const size_t *lens, int nl)
{
	*s = (struct txs){.base = base, .n = n, .lens = lens, .nl = nl};
}

/* Send what the window allows, check what left the wire; 1 if anything moved. */
static int txs_pump(struct txs *s)
{
	static uint8_t f[SM_FRAME_MAX], got[SM_FRAME_MAX];
	int progress = 0, len;
	while (s->sent < s->n && s->sent - s->seen < 128) { /* the OS queue is finite: a window */
		size_t l = s->lens[s->sent % s->nl];
		frame(f, l, peer, nt_mac, s->base + (uint32_t)s->sent);
		if (nt_os_send(f, l) < 0)
			break;
		s->sent++, progress = 1;
	}
	while (s->seen < s->n && (len = sm_wire_pop(nt.nic, got, sizeof(got))) > 0) {
		size_t want = s->lens[s->seen % s->nl];
		frame(f, want, peer, nt_mac, s->base + (uint32_t)s->seen);
		if (((size_t)len != want || memcmp(got, f, want)) && !s->bad++)
			say("[%s] wire frame %d: %d bytes id %u, expected %zu bytes id %u", nt.step, s->seen, len,
			    frame_id(got, len), want, s->base + (uint32_t)s->seen);
		s->seen++, progress = 1;
	}
	return progress;
}

static void txs_check(struct txs *s)
{
	static uint8_t got[SM_FRAME_MAX];
	CHECK_INT(s->seen, s->n);
	CHECK_INT(s->bad, 0);
	kit_sleep_ns(5 * MS);
	CHECK_INT(sm_wire_pop(nt.nic, got, sizeof(got)), 0); /* nothing more */
}

static void tx_stream(uint32_t base, int n, const size_t *lens, int nl, unsigned timeout_ms)
{
	struct txs s;
	kpi_u64 end = kit_now_ns() + timeout_ms * MS;
	txs_init(&s, base, n, lens, nl);
	while (s.seen < n && kit_now_ns() < end)
		pace(txs_pump(&s));
	txs_check(&s);
}

/* ---- wire -> driver -> OS --------------------------------------------------------------------- */

static const uint8_t *rx_dst(long i)
{
	return i % 3 == 1 ? bcast : nt_mac;
}

/* n frames injected on the wire at once (ids base.., lengths lens[i % nl],
 * to our MAC or broadcast): without loss every one must reach the OS in
 * order; lossy (SM_WIRE_DROP) the ring overflows and the model drops what
 * does not fit, so the OS must see an increasing subsequence, byte-exact,
 * and received + lost == n. */
struct rxs {
	uint32_t base;
	int n, got, bad, lossy, quiet;
	long last;
	const size_t *lens;
	int nl;
	struct sm_stats s0;
};

static void rxs_start(struct rxs *s, uint32_t base, int n, const size_t *lens, int nl, int lossy)
{
	static uint8_t f[SM_FRAME_MAX];
	*s = (struct rxs){.base = base, .n = n, .lossy = lossy, .last = -1, .lens = lens, .nl = nl};
	sm_nic_stats(nt.nic, &s->s0);
	for (int i = 0; i < n; i++) {
		size_t l = lens[i % nl];
		frame(f, l, rx_dst(i), peer, base + (uint32_t)i);
		if (sm_wire_inject(nt.nic, f, l) < 0)
			s->bad++;
	}
}

static int rxs_pump(struct rxs *s)
{
	static uint8_t f[SM_FRAME_MAX], got[SM_FRAME_MAX];
	int progress = 0, len;
	while ((len = nt_os_recv(got, sizeof(got))) > 0) {
		uint32_t id = frame_id(got, len);
		long k = (long)id - (long)s->base;
		int ok = k > s->last && k < s->n && (s->lossy || k == s->last + 1);
		if (ok) {
			size_t want = s->lens[k % s->nl];
			frame(f, want, rx_dst(k), peer, id);
			ok = (size_t)len == want && !memcmp(got, f, want);
		}
		if (!ok && !s->bad++)
			say("[%s] OS frame %d: %d bytes id %u after id %ld", nt.step, s->got, len, id, s->base + s->last);
		s->last = k > s->last ? k : s->last;
		s->got++, progress = 1;
	}
	/* lossy: done once the wire is empty and nothing arrived for 20 ms */
	s->quiet = progress || sm_wire_rx_waiting(nt.nic) ? 0 : s->quiet + 1;
	return progress;
}

static int rxs_done(const struct rxs *s)
{
	return s->lossy ? s->quiet >= 20 : s->got >= s->n;
}

static void rxs_check(const struct rxs *s)
{
	struct sm_stats s1;
	sm_nic_stats(nt.nic, &s1);
	if (s->lossy) {
		CHECK_INT(s->got + (int)(s1.rx_overrun - s->s0.rx_overrun), s->n);
		CHECK(s1.rx_overrun > s->s0.rx_overrun); /* the burst really was larger than the ring */
	} else {
		CHECK_INT(s->got, s->n);
		CHECK_INT(s1.rx_overrun, s->s0.rx_overrun);
	}
	CHECK_INT(s->bad, 0);
}

static void rx_stream(uint32_t base, int n, const size_t *lens, int nl, int lossy, unsigned timeout_ms)
{
	struct rxs s;
	kpi_u64 end = kit_now_ns() + timeout_ms * MS;
	rxs_start(&s, base, n, lens, nl, lossy);
	while (!rxs_done(&s) && kit_now_ns() < end)
		pace(rxs_pump(&s));
	rxs_check(&s);
}

/* ---- the scenario -------------------------------------------------------------------------------- */

static double real_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)(ts.tv_sec - nt.real0.tv_sec) * 1e3 + (double)(ts.tv_nsec - nt.real0.tv_nsec) / 1e6;
}

static void step(const char *name)
{
	nt.step = name;
	say("step %s (%.1f ms real, %.1f ms virtual)", name, real_ms(), (double)kit_now_ns() / 1e6);
}

static void scenario(void *arg)
{
	static const size_t tx_lens[] = {60, 61, 64, 65, 100, 128, 255, 256, 577, 1000, 1499, 1500, 1513, 1514};
	static const size_t rx_lens[] = {60, 1514, 61, 64, 100, 1000, 1513, 128, 577, 1500};
	static const size_t big[] = {1514};
	static uint8_t f[SM_FRAME_MAX], got[SM_FRAME_MAX];
	struct sm_stats s0, s1;
	struct sim_irq_stats i0, i1;
	int nl_tx = (int)(sizeof(tx_lens) / sizeof(tx_lens[0])), nl_rx = (int)(sizeof(rx_lens) / sizeof(rx_lens[0]));
	int e1000 = !strcmp(nt.model, "e1000");
	int ring = e1000 ? 256 : 21; /* e1000: 256 descriptors; 8139too: 32 KiB = 21 full frames */
	(void)arg;

	step("up");
	CHECK(nt_os_up());
	CHECK(nt_os_mac() && !memcmp(nt_os_mac(), nt_mac, 6)); /* the EEPROM's MAC reached the OS */
	if (!CHECK(wait_for(nic_running, 5000)) ||		       /* ndo_open enabled RX, TX and interrupts */
	    (nt_os_link() >= 0 && !CHECK(wait_for(os_link_up, 10000)))) { /* e1000: the watchdog sets the carrier */
		say("the device did not come up: no traffic tests");
		goto stop;
	}
	/* Where the OS cannot see the carrier (Redox), the first frame that
	 * leaves the wire says the device is up; resend like an ARP resolver. */
	{
		int seen = 0;
		for (int i = 0; i < 100 && !seen; i++) {
			frame(f, 60, bcast, nt_mac, 0xfffffff0u);
			nt_os_send(f, 60);
			for (int k = 0; k < 100 && !seen; k++) {
				seen = sm_wire_pop(nt.nic, got, sizeof(got)) > 0;
				kit_sleep_ns(MS);
			}
		}
		CHECK(seen);
		kit_sleep_ns(20 * MS);
		drain();
	}

	step("tx");
	tx_stream(0x1000, nl_tx, tx_lens, nl_tx, 2000);

	step("rx");
	rx_stream(0x2000, nl_rx, rx_lens, nl_rx, 0, 2000);

	step("rx-filter"); /* the hardware filter the driver programmed: foreign unicast and unjoined multicast stay out */
	sm_nic_stats(nt.nic, &s0);
	frame(f, 100, foreign, peer, 0x2800);
	sm_wire_inject(nt.nic, f, 100);
	frame(f, 100, mcast, peer, 0x2801);
	sm_wire_inject(nt.nic, f, 100);
	rx_stream(0x2900, 3, rx_lens, nl_rx, 0, 2000);
	sm_nic_stats(nt.nic, &s1);
	CHECK_INT(s1.rx_filtered - s0.rx_filtered, 2);

	step("rx-burst"); /* more than the ring holds; the link partner is paused by flow control */
	rx_stream(0x10000, 3 * ring + 7, rx_lens, nl_rx, 0, 20000);

	step("rx-overrun"); /* the same burst at once with no flow control: the ring overflows */
	sm_wire_mode(nt.nic, SM_WIRE_DROP);
	rx_stream(0x20000, 3 * ring + 7, big, 1, 1, 20000);
	sm_wire_mode(nt.nic, SM_WIRE_FLOW);
	rx_stream(0x28000, 4, rx_lens, nl_rx, 0, 2000); /* and the receiver still works */

	step("tx-burst");
	tx_stream(0x30000, 600, tx_lens, nl_tx, 20000);

	step("irq-storm"); /* a stuck line: each ack raises it again, 2000 times, while frames flow both ways */
	{
		struct txs ts;
		struct rxs rs;
		kpi_u64 end = kit_now_ns() + 20000 * MS;
		sim_irq_stats(sm_nic_dev(nt.nic), 0, &i0);
		txs_init(&ts, 0x40000, 64, tx_lens, nl_tx);
		rxs_start(&rs, 0x48000, 64, rx_lens, nl_rx, 0);
		txs_pump(&ts); /* both directions queued before the storm starts */
		sim_fault_irq_storm(sm_nic_dev(nt.nic), 0, 2000);
		while ((ts.seen < ts.n || !rxs_done(&rs)) && kit_now_ns() < end)
			pace(txs_pump(&ts) | rxs_pump(&rs));
		txs_check(&ts);
		rxs_check(&rs);
		for (int i = 0; i < 100; i++) { /* let the rest of the storm pass */
			sim_irq_stats(sm_nic_dev(nt.nic), 0, &i1);
			if (i1.acked - i0.acked >= 2000)
				break;
			kit_sleep_ns(MS);
		}
		CHECK(i1.acked - i0.acked >= 2000);
	}
	sim_fault_irq_storm(sm_nic_dev(nt.nic), 0, 0);
	tx_stream(0x4c000, 4, tx_lens, nl_tx, 2000);
	rx_stream(0x4d000, 4, rx_lens, nl_rx, 0, 2000);

	step("tx-stall"); /* the transmitter stops: the ring fills, frames wait, then all leave in order */
	sm_tx_pause(nt.nic, 1);
	for (int i = 0; i < 40; i++) {
		frame(f, tx_lens[i % nl_tx], peer, nt_mac, 0x50000u + (uint32_t)i);
		CHECK_INT(nt_os_send(f, tx_lens[i % nl_tx]), 0);
	}
	kit_sleep_ns(200 * MS);
	CHECK_INT(sm_wire_pop(nt.nic, got, sizeof(got)), 0);
	sm_tx_pause(nt.nic, 0);
	{
		int seen = 0, bad = 0, len;
		for (int i = 0; i < 3000 && seen < 40; i++) {
			int progress = 0;
			while ((len = sm_wire_pop(nt.nic, got, sizeof(got))) > 0) {
				size_t want = tx_lens[seen % nl_tx];
				frame(f, want, peer, nt_mac, 0x50000u + (uint32_t)seen);
				bad += (size_t)len != want || memcmp(got, f, want);
				seen++, progress = 1;
			}
			pace(progress);
		}
		CHECK_INT(seen, 40);
		CHECK_INT(bad, 0);
	}

	step("link-flap");
	sm_link(nt.nic, 0);
	if (nt_os_link() >= 0)
		CHECK(wait_for(os_link_down, 10000));
	else
		kit_sleep_ns(3000 * MS); /* Redox: logged by the backend only (the script checks the log) */
	sm_nic_stats(nt.nic, &s0);
	frame(f, 100, nt_mac, peer, 0x60000);
	sm_wire_inject(nt.nic, f, 100); /* no carrier: lost */
	kit_sleep_ns(10 * MS);
	sm_nic_stats(nt.nic, &s1);
	CHECK_INT(s1.rx_disabled - s0.rx_disabled, 1);
	CHECK_INT(nt_os_recv(got, sizeof(got)), 0);
	sm_link(nt.nic, 1);
	if (nt_os_link() >= 0)
		CHECK(wait_for(os_link_up, 10000));
	else
		kit_sleep_ns(3000 * MS);
	tx_stream(0x61000, 4, tx_lens, nl_tx, 2000);
	rx_stream(0x62000, 4, rx_lens, nl_rx, 0, 2000);

stop:
	step("stop");
	sm_nic_stats(nt.nic, &s1);
	say("model %s: tx %u rx %u lost %u filtered %u no-carrier %u irq %u resets %u eeprom %u phy %u bad-dma %u",
	    sm_nic_name(nt.nic), s1.tx_frames, s1.rx_frames, s1.rx_overrun, s1.rx_filtered, s1.rx_disabled,
	    s1.irq_raised, s1.resets, s1.ee_reads, s1.phy_reads, s1.bad_dma);
	CHECK_INT(s1.bad_dma, 0);
	CHECK(s1.ee_reads >= 3); /* the MAC came from the EEPROM */
	nt.finished = 1;
	nt.stop_sent = 1;
	kill(getpid(), SIGTERM); /* the daemon's own signal path runs the driver's exit */
}

/* ---- start and verdict ---------------------------------------------------------------------------- */

static void nt_start(struct kit_timer *t)
{
	if (nt_os_up()) {
		nt.started = 1;
		if (!kit_task_create("nictest", scenario, 0, 256 * 1024)) {
			say("FAIL: no memory for the scenario task");
			nt.fails++;
		}
		return;
	}
	if (!nt.give_up)
		nt.give_up = kit_now_ns() + 30000 * MS;
	if (kit_now_ns() >= nt.give_up) {
		say("FAIL: the interface did not come up on %s within 30 s", nt_os_name());
		nt.fails++;
		kill(getpid(), SIGTERM);
		return;
	}
	kit_timer_arm(t, kit_now_ns() + MS);
}

static void nt_verdict(void)
{
	nt.step = "exit";
	CHECK(nt.started);
	CHECK(nt.finished);
	CHECK(!sm_nic_running(nt.nic)); /* ndo_stop took the device down */
	CHECK_INT(sim_dma_live(), 0);	/* every DMA allocation freed */
	if (nt_os_closed() >= 0)
		CHECK(nt_os_closed());
	say("%s: %s on %s, %d checks, %d failed, %.0f ms", nt.fails ? "FAIL" : "PASS", nt.model, nt_os_name(),
	    nt.checks, nt.fails, real_ms());
	fflush(stderr);
	if (nt.fails)
		_exit(1);
}

__attribute__((constructor)) static void nt_install(void)
{
	const char *m = getenv("KPI_NICTEST");
	if (!m || !*m)
		return;
	clock_gettime(CLOCK_MONOTONIC, &nt.real0);
	nt.model = m;
	if (!strcmp(m, "rtl8139"))
		nt.nic = sm_rtl8139_create(nt_mac);
	else if (!strcmp(m, "e1000"))
		nt.nic = sm_e1000_create(nt_mac);
	if (!nt.nic) {
		say("FAIL: KPI_NICTEST=%s: no such model (rtl8139, e1000) or no memory", m);
		_exit(1);
	}
	if (getenv("KPI_NICTEST_TRACE"))
		sm_trace(1);
	if (getenv("KPI_NICTEST_VERBOSE"))
		sim_log_echo(1);
	/* Timers jump instead of sleeping: a 2 s watchdog costs nothing; each
	 * clock read costs 1 us, so udelay() loops end. */
	sim_clock_virtual(1);
	sim_clock_tick(1000);
	kit_timer_init(&nt.start, nt_start);
	kit_timer_arm(&nt.start, 0);
	atexit(nt_verdict);
	say("%s model installed as PCI function 0 (%s host)", m, nt_os_name());
}
