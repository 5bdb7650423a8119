/* lx_net_napi.c: NAPI and the receive path.
 *
 * NAPI: the NAPI_STATE_* bits behave as in Linux (SCHED owned by whoever
 * set it, MISSED re-polls, DISABLE makes napi_schedule_prep fail).  Instead
 * of the NET_RX softirq, one runtime task ("napi") polls the scheduled
 * instances in FIFO order, each with its weight as budget, with the softirq
 * count raised and blocking forbidden (kit atomic region) - the context a
 * poll function expects.  An instance that used its whole budget goes to the
 * back of the list and the task yields once per round, so IRQs, timers and
 * the transmit task run in between, as ksoftirqd lets them.
 *
 * Receive: netif_receive_skb, netif_rx and napi_gro_receive hand the frame
 * (from its MAC header, i.e. undoing eth_type_trans' pull) to the host with
 * kpi_host_net_deliver at once and free the skb: there is no stack above us,
 * so there is nothing to queue or to merge (GRO). */
#include "lx_net.h"
#include <linux/delay.h>

static LIST_HEAD(lx_napi_list); /* scheduled instances, linked by poll_list */
static struct kit_waitq lx_napi_wq = KIT_WAITQ_INIT;
static struct lx_task *lx_napi_task;
static unsigned int lx_napi_next_id = 1;

static void lx_napi_poll_one(struct napi_struct *n)
{
	int work;
	if (!test_bit(NAPI_STATE_SCHED, &n->state))
		return;
	__preempt_count_add(SOFTIRQ_OFFSET);
	kit_atomic_begin();
	work = n->poll(n, n->weight);
	kit_atomic_end();
	__preempt_count_sub(SOFTIRQ_OFFSET);
	if (WARN_ONCE(work > n->weight, "%s: NAPI poll returned %d > budget %d", netdev_name(n->dev), work, n->weight))
		work = n->weight;
	if (work < n->weight)
		return; /* the driver completed (or re-armed) itself */
	/* budget used up: the instance is still ours to poll again */
	if (test_bit(NAPI_STATE_DISABLE, &n->state)) {
		napi_complete(n);
		return;
	}
	if (list_empty(&n->poll_list))
		list_add_tail(&n->poll_list, &lx_napi_list);
}

static void lx_napi_main(void *arg)
{
	(void)arg;
	for (;;) {
		LIST_HEAD(round);
		while (list_empty(&lx_napi_list))
			lx_waitq_wait(&lx_napi_wq, KPI_FOREVER);
		list_splice_init(&lx_napi_list, &round);
		while (!list_empty(&round)) {
			struct napi_struct *n = list_first_entry(&round, struct napi_struct, poll_list);
			list_del_init(&n->poll_list);
			lx_napi_poll_one(n);
		}
		if (!list_empty(&lx_napi_list))
			lx_yield();
	}
}

void lx_net_napi_reset(void)
{
	INIT_LIST_HEAD(&lx_napi_list);
	kit_waitq_init(&lx_napi_wq);
	lx_napi_task = NULL;
}

void netif_napi_add_weight(struct net_device *dev, struct napi_struct *napi, int (*poll)(struct napi_struct *, int),
			   int weight)
{
	if (WARN_ON(test_and_set_bit(NAPI_STATE_LISTED, &napi->state)))
		return;
	INIT_LIST_HEAD(&napi->poll_list);
	INIT_LIST_HEAD(&napi->rx_list);
	napi->rx_count = 0;
	napi->gro_bitmask = 0;
	napi->skb = NULL;
	napi->poll = poll;
	if (weight > NAPI_POLL_WEIGHT)
		netdev_err_once(dev, "netif_napi_add_weight: weight %d above %d\n", weight, NAPI_POLL_WEIGHT);
	napi->weight = weight;
	napi->dev = dev;
	napi->napi_id = lx_napi_next_id++;
	/* disabled until napi_enable, as in Linux */
	set_bit(NAPI_STATE_SCHED, &napi->state);
	set_bit(NAPI_STATE_NPSVC, &napi->state);
	list_add_tail(&napi->dev_list, &dev->napi_list);
	if (!lx_napi_task) {
		lx_napi_task = lx_task_spawn("napi", lx_napi_main, NULL);
		if (!lx_napi_task)
			kpi_host_abort("lx_net: cannot start the NAPI task");
	}
}

void __netif_napi_del(struct napi_struct *napi)
{
	if (!test_and_clear_bit(NAPI_STATE_LISTED, &napi->state))
		return;
	if (!list_empty(&napi->poll_list))
		list_del_init(&napi->poll_list);
	list_del(&napi->dev_list);
	kfree_skb(napi->skb);
	napi->skb = NULL;
}

void lx_napi_del_all(struct net_device *dev)
{
	struct napi_struct *n, *tmp;
	list_for_each_entry_safe(n, tmp, &dev->napi_list, dev_list)
		__netif_napi_del(n);
}

void napi_enable(struct napi_struct *n)
{
	WARN_ON(!test_bit(NAPI_STATE_SCHED, &n->state));
	clear_bit(NAPI_STATE_NPSVC, &n->state);
	clear_bit(NAPI_STATE_THREADED, &n->state);
	clear_bit(NAPI_STATE_SCHED, &n->state);
}

void napi_disable(struct napi_struct *n)
{
	might_sleep();
	set_bit(NAPI_STATE_DISABLE, &n->state);
	/* wait until the poll in flight (or queued) has completed */
	while (test_and_set_bit(NAPI_STATE_SCHED, &n->state))
		msleep(1);
	set_bit(NAPI_STATE_NPSVC, &n->state);
	if (!list_empty(&n->poll_list))
		list_del_init(&n->poll_list);
	clear_bit(NAPI_STATE_DISABLE, &n->state);
}

bool napi_schedule_prep(struct napi_struct *n)
{
	if (test_bit(NAPI_STATE_DISABLE, &n->state))
		return false;
	if (test_and_set_bit(NAPI_STATE_SCHED, &n->state)) {
		set_bit(NAPI_STATE_MISSED, &n->state);
		return false;
	}
	return true;
}

void __napi_schedule(struct napi_struct *n)
{
	if (list_empty(&n->poll_list))
		list_add_tail(&n->poll_list, &lx_napi_list);
	kit_waitq_wake(&lx_napi_wq, 0);
}

void __napi_schedule_irqoff(struct napi_struct *n)
{
	__napi_schedule(n);
}

bool napi_complete_done(struct napi_struct *n, int work_done)
{
	(void)work_done; /* nothing is held back for GRO, so nothing to flush */
	if (n->state & (NAPIF_STATE_NPSVC | NAPIF_STATE_IN_BUSY_POLL))
		return false;
	if (test_and_clear_bit(NAPI_STATE_MISSED, &n->state)) {
		/* an IRQ asked for a poll while this one ran: poll again,
		 * and the driver keeps its interrupt masked */
		__napi_schedule(n);
		return false;
	}
	clear_bit(NAPI_STATE_SCHED, &n->state);
	return true;
}

/* ---- receive: frames to the OS ---------------------------------------------------------------------- */

int lx_net_deliver(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct lx_netif *nif = dev ? lx_netdev_of(dev)->nif : NULL;
	const u8 *frame = skb_mac_header_was_set(skb) ? skb_mac_header(skb) : skb->data;
	int rc = -ENODEV;
	if (dev && lx_net_ptype_rcv(skb, &rc)) /* a packet handler's protocol (dev_add_pack) */
		return rc;
	if (nif && nif->handle >= 0 && frame <= skb->data && !skb_is_nonlinear(skb)) {
		rc = kpi_host_net_deliver(nif->handle, frame, skb->len + (skb->data - frame));
	} else if (nif && nif->handle >= 0 && frame <= skb->data) {
		/* page fragments (napi_gro_frags, skb_add_rx_frag): one copy to the host */
		size_t hdr = skb->data - frame;
		u8 *flat = kmalloc(hdr + skb->len, GFP_ATOMIC);
		rc = -ENOMEM;
		if (flat) {
			memcpy(flat, frame, hdr);
			rc = skb_copy_bits(skb, 0, flat + hdr, skb->len);
			if (!rc)
				rc = kpi_host_net_deliver(nif->handle, flat, hdr + skb->len);
			kfree(flat);
		}
	}
	if (rc < 0 && dev && net_ratelimit())
		netdev_warn(dev, "host refused a received frame: %pe\n", ERR_PTR(rc));
	kfree_skb(skb);
	return rc < 0 ? NET_RX_DROP : NET_RX_SUCCESS;
}

/* netif_napi_del() is inline: __netif_napi_del + this.  No reader can be
 * inside an RCU section while a task runs, so there is nothing to wait for. */
void synchronize_net(void)
{
	might_sleep();
}

int netif_receive_skb(struct sk_buff *skb)
{
	return lx_net_deliver(skb);
}

int netif_rx(struct sk_buff *skb)
{
	return lx_net_deliver(skb);
}

gro_result_t napi_gro_receive(struct napi_struct *napi, struct sk_buff *skb)
{
	(void)napi;
	lx_net_deliver(skb);
	return GRO_NORMAL; /* what Linux says for a frame passed up unmerged */
}

/* Receive into page fragments (net/core/gro.c): the driver fills the skb
 * napi_get_frags() keeps in the NAPI instance with its pages, then
 * napi_gro_frags() passes the frame up - whole, from its first byte (the
 * Ethernet header is in the first fragment), as the runtime passes every
 * frame; no merging, so nothing is ever held for napi_gro_flush(). */
struct sk_buff *napi_get_frags(struct napi_struct *napi)
{
	if (!napi->skb)
		napi->skb = napi_alloc_skb(napi, MAX_HEADER + 128) /* GRO_MAX_HEAD, as Linux sizes it */;
	return napi->skb;
}

gro_result_t napi_gro_frags(struct napi_struct *napi)
{
	struct sk_buff *skb = napi->skb;
	napi->skb = NULL;
	if (!skb)
		return GRO_CONSUMED;
	if (skb->len < ETH_HLEN) {
		kfree_skb(skb); /* Linux: too short for an Ethernet header, dropped */
		return GRO_CONSUMED;
	}
	skb->dev = napi->dev;
	lx_net_deliver(skb);
	return GRO_NORMAL;
}

void napi_gro_flush(struct napi_struct *napi, bool flush_old)
{
	(void)napi, (void)flush_old; /* frames go up as they come: none held */
}
