/* re_net.c: the emulator's stand-in for Redox's netstack, run from the
 * event loop.  Once the daemon wrote its readiness byte it takes the first
 * /scheme entry starting with "network", opens it O_RDWR|O_NONBLOCK, reads
 * "mac" (6 bytes), subscribes (Fevent READ) and bridges frames: what the
 * daemon makes readable is read and passed to the wire side; frames from
 * the wire side are written to the scheme.  Wire sides: the test API
 * (re_net_inject / re_net_pop) and the backing's TAP (--emu-tap=NAME, the
 * linux backing's kpi_host_net_open), so a guest kernel's stack can run
 * DHCP/TCP over the Redox network scheme.  --emu-arp-probe=IP sends one
 * ARP request from the scheme's MAC and logs the reply.
 * Scheme protocol as redox-api.md section 10 (checked against kernel
 * src/scheme/user.rs: OpenAt args, Read/Write args, Fevent, CloseMsg). */
#define _GNU_SOURCE
#include "re_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RE_NET_BUF 2048
#define RE_NET_Q 256

struct frame {
	struct frame *next;
	size_t len;
	rx_u8 data[];
};
struct fq {
	struct frame *head, *tail;
	int n;
};

static struct {
	int state;
	char scheme[64];
	rx_u64 root, data, mac_h;
	rx_u64 data_off, mac_off; /* ~0 unless opened RX_NEWFD_POSITIONED */
	rx_u8 mac[6];
	rx_u8 rbuf[RE_NET_BUF], macbuf[8];
	int reading, writing, readable;
	struct fq tx, rx; /* to the daemon, from the daemon (test side) */
	int netif;	  /* backing TAP, -1 none */
	int cancel_next;
	rx_u64 retry_at;
	rx_u64 arp_deadline; /* give up then */
	rx_u64 arp_resend;   /* next request (a driver may bring its link up after netstack opens) */
	int arp_done;
} net = {.netif = -1};

static int fq_push(struct fq *q, const void *d, size_t len)
{
	if (q->n >= RE_NET_Q)
		return -RX_ENOSPC;
	struct frame *f = malloc(sizeof(*f) + len);
	if (!f)
		return -RX_ENOMEM;
	f->next = 0;
	f->len = len;
	memcpy(f->data, d, len);
	if (q->tail)
		q->tail->next = f;
	else
		q->head = f;
	q->tail = f;
	q->n++;
	return 0;
}

static void fq_drop(struct fq *q)
{
	struct frame *f = q->head;
	if (!f)
		return;
	q->head = f->next;
	if (!q->head)
		q->tail = 0;
	q->n--;
	free(f);
}

static int is_err(rx_u64 r)
{
	return r > (rx_u64)-4096;
}

static long send_req(rx_u8 op, rx_u64 a0, rx_u64 a1, rx_u64 a2, rx_u64 a3, rx_u64 a4, re_done_fn done)
{
	rx_u64 args[6] = {a0, a1, a2, a3, a4, 0}; /* args[5]: uid | gid << 32 = root */
	long tag = re_sched_send(net.scheme, op, 0, args, done, 0);
	if (tag < 0) {
		re_log("netstack: request %u to '%s' failed (%ld)", op, net.scheme, tag);
		net.state = -1;
	}
	return tag;
}

static void pump(void);

static void on_read(void *ctx, rx_u64 r, rx_u8 extra0)
{
	(void)ctx;
	(void)extra0;
	net.reading = 0;
	if (is_err(r)) {
		long e = -(long)r;
		if (e == RX_EINTR || e == RX_ECANCELED) {
			net.readable = 1; /* cancelled: ask again */
		} else {
			net.readable = 0;
			if (e != RX_EAGAIN)
				re_log("netstack: read from '%s' failed (%ld)", net.scheme, -e);
		}
		pump();
		return;
	}
	size_t len = (size_t)r > RE_NET_BUF ? RE_NET_BUF : (size_t)r;
	const rx_u8 *f = net.rbuf;
	if (re_w.opt.arp_probe && !net.arp_done && len >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 &&
	    f[21] == 2 && !memcmp(f + 28, re_w.opt.arp_ip, 4)) {
		net.arp_done = 1;
		re_log("ARP reply from %u.%u.%u.%u is-at %02x:%02x:%02x:%02x:%02x:%02x", f[28], f[29], f[30], f[31],
		       f[22], f[23], f[24], f[25], f[26], f[27]);
	}
	if (net.netif >= 0)
		kpb_host_net_deliver(net.netif, f, len);
	else if (fq_push(&net.rx, f, len) < 0)
		re_log("netstack: test-side receive queue full, frame dropped");
	net.readable = 1; /* read until EAGAIN */
	pump();
}

static void on_write(void *ctx, rx_u64 r, rx_u8 extra0)
{
	(void)ctx;
	(void)extra0;
	net.writing = 0;
	if (is_err(r) && -(long)r == RX_EAGAIN) {
		net.retry_at = re_now() + 1000000ull; /* tx ring full: try again in 1 ms */
		return;
	}
	if (is_err(r))
		re_log("netstack: write to '%s' failed (%ld)", net.scheme, (long)r);
	fq_drop(&net.tx);
	pump();
}

static void pump(void)
{
	if (net.state != 3)
		return;
	if (net.readable && !net.reading) {
		net.reading = 1;
		long tag = send_req(RE_OP_READ, net.data, (rx_u64)(uintptr_t)net.rbuf, RE_NET_BUF, net.data_off,
				    RX_O_RDWR | RX_O_NONBLOCK, on_read);
		if (tag > 0 && net.cancel_next) {
			net.cancel_next = 0;
			rx_u64 args[6] = {(rx_u64)tag, 0, 0, 0, 0, 0};
			re_sched_send(net.scheme, RE_OP_CANCEL, 0, args, 0, 0);
		}
	}
	if (net.tx.head && !net.writing && !net.retry_at) {
		net.writing = 1;
		send_req(RE_OP_WRITE, net.data, (rx_u64)(uintptr_t)net.tx.head->data, net.tx.head->len, net.data_off,
			 RX_O_RDWR | RX_O_NONBLOCK, on_write);
	}
}

static void on_fevent(const char *scheme, rx_u64 number, rx_size flags)
{
	if (net.state != 3 || strcmp(scheme, net.scheme) || number != net.data)
		return;
	if (flags & RX_EVENT_READ)
		net.readable = 1;
	if (flags & RX_EVENT_WRITE)
		net.retry_at = 0;
	pump();
}

/* One ARP request from the MAC read through `mac`.  Sent again every
 * RE_ARP_RESEND_MS until the reply or the timeout, as an ARP resolver
 * does: a driver resets its hardware and brings the link up in its open,
 * after netstack opened the scheme, and frames written before that are
 * lost on the wire. */
#define RE_ARP_RESEND_MS 1000
static void arp_send(void)
{
	rx_u8 f[42] = {0};
	memset(f, 0xff, 6);
	memcpy(f + 6, net.mac, 6);
	f[12] = 0x08, f[13] = 0x06;		/* ARP */
	f[15] = 1, f[16] = 0x08, f[18] = 6, f[19] = 4; /* Ethernet/IPv4 */
	f[21] = 1;				/* request */
	memcpy(f + 22, net.mac, 6);		/* sender MAC; sender IP 0.0.0.0 (a probe) */
	memcpy(f + 38, re_w.opt.arp_ip, 4);	/* target IP */
	fq_push(&net.tx, f, sizeof(f));
	net.arp_resend = re_now() + RE_ARP_RESEND_MS * 1000000ull;
}

static void arp_probe(void)
{
	arp_send();
	net.arp_deadline = re_now() + (rx_u64)re_w.opt.arp_timeout_ms * 1000000ull;
	re_log("ARP probe for %u.%u.%u.%u sent from %02x:%02x:%02x:%02x:%02x:%02x (again every %d ms)",
	       re_w.opt.arp_ip[0], re_w.opt.arp_ip[1], re_w.opt.arp_ip[2], re_w.opt.arp_ip[3], net.mac[0], net.mac[1],
	       net.mac[2], net.mac[3], net.mac[4], net.mac[5], RE_ARP_RESEND_MS);
}

static void on_subscribed(void *ctx, rx_u64 r, rx_u8 extra0)
{
	(void)ctx;
	(void)extra0;
	net.state = 3;
	net.readable = !is_err(r) && (r & RX_EVENT_READ);
	re_log("netstack: '%s' up, MAC %02x:%02x:%02x:%02x:%02x:%02x", net.scheme, net.mac[0], net.mac[1], net.mac[2],
	       net.mac[3], net.mac[4], net.mac[5]);
	if (re_w.opt.tap[0]) {
		net.netif = kpb_host_net_open(re_w.opt.tap, net.mac, &net);
		if (net.netif < 0)
			re_log("netstack: TAP %s: cannot open (%d)", re_w.opt.tap, net.netif);
		else
			re_log("netstack: bridged to TAP %s", re_w.opt.tap);
	}
	if (re_w.opt.arp_probe)
		arp_probe();
	pump();
}

static void on_mac(void *ctx, rx_u64 r, rx_u8 extra0)
{
	(void)ctx;
	(void)extra0;
	if (is_err(r) || r != 6) {
		re_log("netstack: reading mac of '%s' gave %ld, want 6 bytes", net.scheme, (long)r);
		net.state = -1;
		return;
	}
	memcpy(net.mac, net.macbuf, 6);
	rx_u64 args[6] = {net.mac_h, 0, 0, 0, 0, 0};
	re_sched_send(net.scheme, RE_OP_CLOSE, 0, args, 0, 0); /* CloseMsg: no answer */
	send_req(RE_OP_FEVENT, net.data, RX_EVENT_READ | RX_EVENT_WRITE, 0, 0, 0, on_subscribed);
}

static const char mac_path[] = "mac";

static void on_open_mac(void *ctx, rx_u64 r, rx_u8 extra0)
{
	(void)ctx;
	if (is_err(r)) {
		re_log("netstack: open %s/mac failed (%ld)", net.scheme, (long)r);
		net.state = -1;
		return;
	}
	net.mac_h = r;
	net.mac_off = extra0 & RX_NEWFD_POSITIONED ? 0 : ~0ull;
	send_req(RE_OP_READ, net.mac_h, (rx_u64)(uintptr_t)net.macbuf, 6, net.mac_off, RX_O_RDONLY, on_mac);
}

static void on_open_data(void *ctx, rx_u64 r, rx_u8 extra0)
{
	(void)ctx;
	if (is_err(r)) {
		re_log("netstack: open %s failed (%ld)", net.scheme, (long)r);
		net.state = -1;
		return;
	}
	net.data = r;
	net.data_off = extra0 & RX_NEWFD_POSITIONED ? 0 : ~0ull;
	send_req(RE_OP_OPENAT, net.root, (rx_u64)(uintptr_t)mac_path, 3, RX_O_RDONLY, 0, on_open_mac);
}

void re_net_start(void)
{
	re_sched_on_fevent(on_fevent);
	const char *s = re_scheme_first("network");
	if (!s) {
		net.state = 1;
		if (re_w.opt.verbose || re_w.opt.tap[0] || re_w.opt.arp_probe)
			re_log("netstack: no /scheme/network* entry");
		return;
	}
	snprintf(net.scheme, sizeof(net.scheme), "%s", s);
	net.root = (rx_u64)re_scheme_root(s);
	net.state = 2;
	static const char empty[1] = "";
	send_req(RE_OP_OPENAT, net.root, (rx_u64)(uintptr_t)empty, 0, RX_O_RDWR | RX_O_NONBLOCK, 0, on_open_data);
}

void re_net_backing_event(void)
{
	static rx_u8 buf[65536];
	if (net.netif < 0)
		return;
	for (;;) {
		int n = kpb_host_net_take(net.netif, buf, sizeof(buf));
		if (n <= 0)
			break;
		if (fq_push(&net.tx, buf, (size_t)n) < 0)
			break;
	}
	pump();
}

rx_u64 re_net_deadline(void)
{
	rx_u64 d = ~0ull;
	if (net.retry_at)
		d = net.retry_at;
	if (re_w.opt.arp_probe && !net.arp_done && net.arp_deadline) {
		if (net.arp_deadline < d)
			d = net.arp_deadline;
		if (net.arp_resend < d)
			d = net.arp_resend;
	}
	return d;
}

void re_net_timers(void)
{
	rx_u64 now = re_now();
	if (net.retry_at && now >= net.retry_at) {
		net.retry_at = 0;
		pump();
	}
	if (re_w.opt.arp_probe && !net.arp_done && net.arp_deadline && now < net.arp_deadline &&
	    now >= net.arp_resend) {
		arp_send();
		pump();
	}
	if (re_w.opt.arp_probe && !net.arp_done && net.arp_deadline && now >= net.arp_deadline) {
		net.arp_done = 1;
		re_log("ARP probe for %u.%u.%u.%u: no reply after %d ms", re_w.opt.arp_ip[0], re_w.opt.arp_ip[1],
		       re_w.opt.arp_ip[2], re_w.opt.arp_ip[3], re_w.opt.arp_timeout_ms);
	}
}

/* ---- test API ------------------------------------------------------------------------ */

int re_net_state(void)
{
	return net.state;
}

const rx_u8 *re_net_mac(void)
{
	return net.mac;
}

int re_net_inject(const void *frame, rx_size len)
{
	int rc = fq_push(&net.tx, frame, len);
	if (rc == 0)
		pump();
	return rc;
}

int re_net_pop(void *buf, rx_size cap)
{
	struct frame *f = net.rx.head;
	if (!f)
		return 0;
	if (f->len > cap)
		return -RX_ENOSPC;
	size_t len = f->len;
	memcpy(buf, f->data, len);
	fq_drop(&net.rx);
	return (int)len;
}

void re_net_cancel_next_read(void)
{
	net.cancel_next = 1;
}
