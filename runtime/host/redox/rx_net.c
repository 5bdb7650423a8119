/* rx_net.c: kpi_host_net_* on Redox - the network scheme a NIC driver
 * serves to netstack, on the generic scheme server (rx_scheme.c).
 *
 * What netstack expects ([B] drivers/net/driver-network/src/lib.rs, the
 * scheme upstream NIC daemons serve; redox-api.md section 10):
 *  - name network.pci-SSSS-BB-DD.F_<driver>; netstack takes the first
 *    /scheme entry starting with "network", after pcid-spawner is done;
 *  - path "" is the frame pipe: a read returns one frame truncated to the
 *    buffer; with nothing queued EAGAIN for a non-blocking handle, else the
 *    read waits (parked); a write sends one frame;
 *  - path "mac" (positioned) reads the 6 address bytes; other paths EINVAL;
 *    opening needs uid 0;
 *  - EVENT_READ goes to every handle while received frames are queued.
 * Frames netstack writes are queued for the driver (kpi_host_net_take) and
 * reported as an edge-triggered KPI_EV_NET; frames the driver delivers are
 * queued for netstack's reads. */
#include "rx_internal.h"
#include "rx_scheme.h"

#define RX_FQ_MAX 256	    /* frames per direction */
#define RX_FRAME_MAX 65536u /* larger than any Ethernet frame */
#define RX_NET_DATA 1u
#define RX_NET_MAC 2u

struct rx_frame {
	rx_size len;
	rx_u8 data[];
};

struct rx_fq {
	struct rx_frame *f[RX_FQ_MAX];
	int head, n;
};

static struct rx_netif {
	int used;
	struct rx_scheme *s;
	rx_u8 mac[6];
	void *cookie;
	struct rx_fq rxq; /* delivered by the driver, read by netstack */
	struct rx_fq txq; /* written by netstack, taken by the driver */
	int armed;	  /* the next written frame raises KPI_EV_NET */
	int pending;	  /* a KPI_EV_NET to report */
	unsigned long dropped;
} rx_netifs[RX_MAX_NETIFS];

static struct rx_frame *rx_fq_front(struct rx_fq *q)
{
	return q->n ? q->f[q->head] : 0;
}

static void rx_fq_pop(struct rx_fq *q)
{
	free(q->f[q->head]);
	q->f[q->head] = 0;
	q->head = (q->head + 1) % RX_FQ_MAX;
	q->n--;
}

static int rx_fq_push(struct rx_fq *q, const void *data, rx_size len)
{
	if (q->n == RX_FQ_MAX)
		return -RX_EAGAIN;
	struct rx_frame *fr = malloc(sizeof(*fr) + (len ? len : 1));
	if (!fr)
		return -RX_ENOMEM;
	fr->len = len;
	memcpy(fr->data, data, len);
	q->f[(q->head + q->n) % RX_FQ_MAX] = fr;
	q->n++;
	return 0;
}

static void rx_fq_clear(struct rx_fq *q)
{
	while (q->n)
		rx_fq_pop(q);
}

/* ---- scheme ops ---------------------------------------------------------- */

static long rx_net_open(void *ctx, const char *path, rx_size len, rx_u64 flags, rx_u32 uid,
			struct rx_scheme_handle *h, rx_u8 *newfd_flags)
{
	(void)ctx;
	(void)flags;
	if (uid != 0)
		return -RX_EACCES;
	if (len == 0) {
		h->kind = RX_NET_DATA;
	} else if (len == 3 && memcmp(path, "mac", 3) == 0) {
		h->kind = RX_NET_MAC;
		*newfd_flags = RX_NEWFD_POSITIONED;
	} else {
		return -RX_EINVAL;
	}
	return 0;
}

static long rx_net_read(void *ctx, struct rx_scheme_handle *h, rx_u8 *buf, rx_size len, rx_u64 offset)
{
	struct rx_netif *n = ctx;
	if (h->kind == RX_NET_MAC) {
		if (offset >= 6)
			return 0;
		rx_size c = 6 - (rx_size)offset < len ? 6 - (rx_size)offset : len;
		memcpy(buf, n->mac + offset, c);
		return (long)c;
	}
	struct rx_frame *fr = rx_fq_front(&n->rxq);
	if (!fr)
		return -RX_EAGAIN; /* the server parks it or answers EAGAIN (O_NONBLOCK) */
	rx_size c = fr->len < len ? fr->len : len; /* one frame per read, truncated */
	memcpy(buf, fr->data, c);
	rx_fq_pop(&n->rxq);
	return (long)c;
}

static long rx_net_write(void *ctx, struct rx_scheme_handle *h, const rx_u8 *buf, rx_size len, rx_u64 offset)
{
	struct rx_netif *n = ctx;
	(void)offset;
	if (h->kind != RX_NET_DATA)
		return -RX_EINVAL;
	if (len > RX_FRAME_MAX)
		return -RX_EINVAL;
	if (!len)
		return 0;
	long rc = rx_fq_push(&n->txq, buf, len);
	if (rc < 0)
		return rc; /* full: EAGAIN, parked for a blocking writer */
	if (n->armed) {
		n->armed = 0;
		n->pending = 1;
	}
	return (long)len;
}

static rx_u32 rx_net_ready(void *ctx, struct rx_scheme_handle *h)
{
	struct rx_netif *n = ctx;
	if (h->kind == RX_NET_MAC)
		return RX_EVENT_READ;
	if (h->kind != RX_NET_DATA)
		return 0;
	return (n->rxq.n ? RX_EVENT_READ : 0) | (n->txq.n < RX_FQ_MAX ? RX_EVENT_WRITE : 0);
}

static long rx_net_fstat(void *ctx, struct rx_scheme_handle *h, struct rx_stat *st)
{
	(void)ctx;
	if (h->kind == RX_NET_DATA) {
		st->st_mode = RX_MODE_FILE | 0700;
	} else if (h->kind == RX_NET_MAC) {
		st->st_mode = RX_MODE_FILE | 0400;
		st->st_size = 6;
	} else {
		return -RX_EBADF;
	}
	return 0;
}

static const char *rx_net_path(void *ctx, struct rx_scheme_handle *h)
{
	(void)ctx;
	return h->kind == RX_NET_MAC ? "mac" : "";
}

static const struct rx_scheme_ops rx_net_ops = {
	.open = rx_net_open,
	.read = rx_net_read,
	.write = rx_net_write,
	.ready = rx_net_ready,
	.fstat = rx_net_fstat,
	.path = rx_net_path,
};

/* ---- kpi_host_net ------------------------------------------------------- */

static struct rx_netif *rx_netif(int netif)
{
	if (netif < 0 || netif >= RX_MAX_NETIFS || !rx_netifs[netif].used)
		return 0;
	return &rx_netifs[netif];
}

int kpi_host_net_open(const char *name, const kpi_u8 mac[6], void *cookie)
{
	char scheme[96];
	int slot = 0;
	while (slot < RX_MAX_NETIFS && rx_netifs[slot].used)
		slot++;
	if (slot == RX_MAX_NETIFS)
		return -KPI_ENOSPC;
	if (!rx_fn.present) {
		rx_logf(KPI_LOG_ERR, "kpi redox: %s: no PCI function to name a network scheme after", name);
		return -KPI_ENODEV;
	}
	if (rx_net_scheme_name(scheme, sizeof(scheme), &rx_fn.info, rx.driver, slot) < 0)
		return -KPI_EINVAL;
	struct rx_netif *n = &rx_netifs[slot];
	memset(n, 0, sizeof(*n));
	memcpy(n->mac, mac, 6);
	n->cookie = cookie;
	n->armed = 1;
	int rc = rx_scheme_create(&n->s, scheme, &rx_net_ops, n, RX_TAG(RX_TAG_SCHEME, slot, 0));
	if (rc < 0)
		return rc;
	n->used = 1;
	rx_logf(KPI_LOG_INFO, "kpi redox: %s is /scheme/%s (%02x:%02x:%02x:%02x:%02x:%02x)", name, scheme, mac[0],
		mac[1], mac[2], mac[3], mac[4], mac[5]);
	return slot;
}

void kpi_host_net_close(int netif)
{
	struct rx_netif *n = rx_netif(netif);
	if (!n)
		return;
	rx_scheme_destroy(n->s);
	rx_fq_clear(&n->rxq);
	rx_fq_clear(&n->txq);
	memset(n, 0, sizeof(*n));
}

/* The scheme socket is readable: serve netstack, then tell every handle
 * if frames are still waiting for it (as driver-network's tick does). */
void rx_net_scheme_fired(int netif)
{
	struct rx_netif *n = rx_netif(netif);
	if (!n)
		return;
	if (rx_scheme_pump(n->s) > 0 && n->rxq.n)
		rx_scheme_post(n->s, RX_EVENT_READ);
}

int rx_net_collect(struct kpi_host_event *ev, int max)
{
	int k = 0;
	for (int i = 0; i < RX_MAX_NETIFS && k < max; i++) {
		struct rx_netif *n = &rx_netifs[i];
		if (!n->used || !n->pending)
			continue;
		n->pending = 0;
		memset(&ev[k], 0, sizeof(ev[k]));
		ev[k].kind = KPI_EV_NET;
		ev[k].handle = i;
		ev[k].cookie = n->cookie;
		k++;
	}
	return k;
}

int kpi_host_net_take(int netif, void *buf, kpi_size cap)
{
	struct rx_netif *n = rx_netif(netif);
	if (!n)
		return -KPI_EINVAL;
	struct rx_frame *fr = rx_fq_front(&n->txq);
	if (!fr) {
		n->armed = 1; /* edge-triggered: report the next frame */
		return 0;
	}
	if (fr->len > cap)
		return -KPI_ENOSPC;
	int len = (int)fr->len;
	memcpy(buf, fr->data, fr->len);
	int was_full = n->txq.n == RX_FQ_MAX;
	rx_fq_pop(&n->txq);
	if (was_full)
		rx_scheme_retry(n->s); /* a writer may be waiting for room */
	return len;
}

int kpi_host_net_deliver(int netif, const void *frame, kpi_size len)
{
	struct rx_netif *n = rx_netif(netif);
	if (!n)
		return -KPI_EINVAL;
	if (len > RX_FRAME_MAX)
		return -KPI_EINVAL;
	int rc = rx_fq_push(&n->rxq, frame, len);
	if (rc == -RX_EAGAIN) {
		if (!(n->dropped++ % 1024))
			rx_logf(KPI_LOG_WARNING, "kpi redox: /scheme/%s: nobody reads, dropped %lu frame(s)",
				rx_scheme_name(n->s), n->dropped);
		return 0; /* a full ring drops, like the NIC's own */
	}
	if (rc < 0)
		return -KPI_ENOMEM;
	rx_scheme_retry(n->s); /* a blocked reader takes it at once */
	if (n->rxq.n)
		rx_scheme_post(n->s, RX_EVENT_READ);
	return 0;
}

void kpi_host_net_link(int netif, int up)
{
	struct rx_netif *n = rx_netif(netif);
	if (n) /* no upstream scheme path for the link state yet */
		rx_logf(KPI_LOG_INFO, "kpi redox: /scheme/%s: link %s", rx_scheme_name(n->s), up ? "up" : "down");
}
