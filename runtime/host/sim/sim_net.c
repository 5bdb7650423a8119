/* sim_net.c: frame-level network export for the sim backend - per netif a
 * queue of frames from the "OS" (the test) to the driver and one back, with
 * the edge-triggered KPI_EV_NET of kpi_host.h. */
#include "sim_internal.h"

#include <stdlib.h>
#include <string.h>

#define SIM_MAX_NETIFS 8
#define SIM_NET_QMAX 256

struct sim_frame {
	struct sim_frame *next;
	kpi_size len;
	unsigned char data[];
};

struct sim_queue {
	struct sim_frame *head, *tail;
	int len;
};

static struct sim_netif {
	int used;
	kpi_u8 mac[6];
	void *cookie;
	int armed, link;
	struct sim_queue to_driver, to_os;
} netifs[SIM_MAX_NETIFS];

static int q_push(struct sim_queue *q, const void *data, kpi_size len)
{
	if (q->len >= SIM_NET_QMAX)
		return -KPI_ENOSPC;
	struct sim_frame *f = malloc(sizeof(*f) + len);
	if (!f)
		return -KPI_ENOMEM;
	f->next = 0;
	f->len = len;
	memcpy(f->data, data, len);
	if (q->tail)
		q->tail->next = f;
	else
		q->head = f;
	q->tail = f;
	q->len++;
	return 0;
}

/* Copy the head frame out and drop it: length, 0 if empty, -KPI_ENOSPC. */
static int q_pop(struct sim_queue *q, void *buf, kpi_size cap)
{
	struct sim_frame *f = q->head;
	if (!f)
		return 0;
	if (f->len > cap)
		return -KPI_ENOSPC;
	memcpy(buf, f->data, f->len);
	q->head = f->next;
	if (!q->head)
		q->tail = 0;
	q->len--;
	int len = (int)f->len;
	free(f);
	return len;
}

static void q_clear(struct sim_queue *q)
{
	while (q->head) {
		struct sim_frame *f = q->head;
		q->head = f->next;
		free(f);
	}
	q->tail = 0;
	q->len = 0;
}

static struct sim_netif *netif_get(int netif)
{
	if (netif < 0 || netif >= SIM_MAX_NETIFS || !netifs[netif].used)
		return 0;
	return &netifs[netif];
}

int kpi_host_net_open(const char *name, const kpi_u8 mac[6], void *cookie)
{
	for (int i = 0; i < SIM_MAX_NETIFS; i++) {
		if (!netifs[i].used) {
			struct sim_netif *n = &netifs[i];
			memset(n, 0, sizeof(*n));
			n->used = 1;
			memcpy(n->mac, mac, 6);
			n->cookie = cookie;
			n->armed = 1;
			sim_logf(KPI_LOG_INFO, "sim: netif %d '%s' open", i, name ? name : "");
			return i;
		}
	}
	return -KPI_ENOSPC;
}

void kpi_host_net_close(int netif)
{
	struct sim_netif *n = netif_get(netif);
	if (!n)
		return;
	q_clear(&n->to_driver);
	q_clear(&n->to_os);
	n->used = 0;
}

int kpi_host_net_take(int netif, void *buf, kpi_size cap)
{
	struct sim_netif *n = netif_get(netif);
	if (!n)
		return -KPI_ENODEV;
	int len = q_pop(&n->to_driver, buf, cap);
	if (len == 0)
		n->armed = 1;
	return len;
}

int kpi_host_net_deliver(int netif, const void *frame, kpi_size len)
{
	struct sim_netif *n = netif_get(netif);
	if (!n)
		return -KPI_ENODEV;
	return q_push(&n->to_os, frame, len);
}

void kpi_host_net_link(int netif, int up)
{
	struct sim_netif *n = netif_get(netif);
	if (n)
		n->link = up;
}

int sim_net_collect(struct kpi_host_event *evs, int max)
{
	int count = 0;
	for (int i = 0; i < SIM_MAX_NETIFS && count < max; i++) {
		struct sim_netif *n = &netifs[i];
		if (n->used && n->cookie && n->armed && n->to_driver.head) {
			n->armed = 0;
			evs[count++] = (struct kpi_host_event){KPI_EV_NET, i, 0, 0, n->cookie};
		}
	}
	return count;
}

int sim_net_inject(int netif, const void *frame, kpi_size len)
{
	struct sim_netif *n = netif_get(netif);
	return n ? q_push(&n->to_driver, frame, len) : -KPI_ENODEV;
}

int sim_net_pop(int netif, void *buf, kpi_size cap)
{
	struct sim_netif *n = netif_get(netif);
	return n ? q_pop(&n->to_os, buf, cap) : -KPI_ENODEV;
}

const kpi_u8 *sim_net_mac(int netif)
{
	struct sim_netif *n = netif_get(netif);
	return n ? n->mac : 0;
}

int sim_net_link(int netif)
{
	struct sim_netif *n = netif_get(netif);
	return n ? n->link : -KPI_ENODEV;
}

void sim_net_reset(void)
{
	for (int i = 0; i < SIM_MAX_NETIFS; i++)
		if (netifs[i].used)
			kpi_host_net_close(i);
}
