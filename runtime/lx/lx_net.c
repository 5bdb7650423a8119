/* lx_net.c: struct net_device under the runtime - allocation, registration
 * as a kpi_host network export, opening, the transmit path from the host
 * into ndo_start_xmit, TX queue state, carrier, statistics, byte queue
 * limits and the ethtool helpers drivers link against.
 *
 * Life of a device (see lx_net.h for the pieces):
 *   register_netdev  names it (eth%d), opens the host export with its MAC,
 *                    and spawns the "xmit" task, whose first act is the
 *                    open the OS would do when the interface comes up
 *                    (ndo_open under rtnl, then ndo_set_rx_mode) - so the
 *                    rest of probe runs first, as in Linux.
 *   xmit task        while running, present and the queue awake: take a
 *                    frame from the host into an skb, call ndo_start_xmit
 *                    with bottom halves off; sleep until the next KPI_EV_NET
 *                    or netif_wake_queue.
 *   unregister       closes (ndo_stop), closes the export, tells the task
 *                    to end (it frees the host-side state itself).
 * The host's link is "up" while the device is open and has carrier. */
#include "lx_net.h"
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/net_tstamp.h>
#include <net/net_namespace.h>
#include <net/rtnetlink.h>
#include <linux/netlink.h>
#include <net/pkt_sched.h>

/* NETDEV_ALIGN, or more where struct net_device asks for it (6.12's
 * cache-line aligned member groups need 64). */
#define LX_NETDEV_ALIGN (NETDEV_ALIGN > __alignof__(struct net_device) ? NETDEV_ALIGN : __alignof__(struct net_device))
#define LX_NETDEV_HDR ALIGN(sizeof(struct lx_netdev), LX_NETDEV_ALIGN)
#define LX_XMIT_BATCH 64 /* frames per turn before letting other tasks run */

DEFINE_PER_CPU_ALIGNED(struct softnet_data, softnet_data);

/* The initial network namespace, the only one (no CONFIG_NET_NS): what
 * dev_net() of every device is and what drivers name when they look up by
 * namespace.  The runtime keeps no per-namespace state in it (no device
 * lists, sysctls or proc dirs): it is an identity to compare against. */
struct net init_net;
static int lx_netdev_next_index;

struct lx_netdev *lx_netdev_of(const struct net_device *dev)
{
	return (struct lx_netdev *)((char *)dev - LX_NETDEV_HDR);
}

/* ---- allocation ------------------------------------------------------------------------------ */

void ether_setup(struct net_device *dev)
{
	dev->type = ARPHRD_ETHER;
	dev->hard_header_len = ETH_HLEN;
	dev->min_header_len = ETH_HLEN;
	dev->mtu = ETH_DATA_LEN;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->addr_len = ETH_ALEN;
	dev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	dev->priv_flags |= IFF_TX_SKB_SHARING;
	eth_broadcast_addr(dev->broadcast);
}

struct net_device *alloc_netdev_mqs(int sizeof_priv, const char *name, unsigned char name_assign_type,
				    void (*setup)(struct net_device *), unsigned int txqs, unsigned int rxqs)
{
	size_t size = LX_NETDEV_HDR + ALIGN(sizeof(struct net_device), LX_NETDEV_ALIGN) + sizeof_priv;
	struct lx_netdev *ln;
	struct net_device *dev;
	unsigned int i;
	if (txqs < 1 || rxqs < 1)
		return NULL;
	ln = lx_alloc(size, LX_NETDEV_ALIGN, GFP_KERNEL | __GFP_ZERO);
	if (!ln)
		return NULL;
	dev = (struct net_device *)((char *)ln + LX_NETDEV_HDR);
	dev->_tx = kcalloc(txqs, sizeof(*dev->_tx), GFP_KERNEL);
	if (!dev->_tx) {
		lx_free(ln);
		return NULL;
	}
	spin_lock_init(&dev->tx_global_lock);
	for (i = 0; i < txqs; i++) {
		dev->_tx[i].dev = dev;
		spin_lock_init(&dev->_tx[i]._xmit_lock);
		dev->_tx[i].xmit_lock_owner = -1;
#ifdef CONFIG_BQL /* struct netdev_queue has dql only with byte queue limits */
		dql_init(&dev->_tx[i].dql, HZ);
#endif
	}
	dev->num_tx_queues = dev->real_num_tx_queues = txqs;
	dev->num_rx_queues = dev->real_num_rx_queues = rxqs;
	dev->dev_addr = ln->addr;
	INIT_LIST_HEAD(&dev->napi_list);
	INIT_LIST_HEAD(&dev->dev_addrs.list);
	INIT_LIST_HEAD(&dev->uc.list);
	INIT_LIST_HEAD(&dev->mc.list);
	INIT_LIST_HEAD(&dev->unreg_list);
	INIT_LIST_HEAD(&dev->link_watch_list);
	dev->gso_max_size = GSO_LEGACY_MAX_SIZE;
	dev->gso_max_segs = GSO_MAX_SEGS;
	dev->gro_max_size = GRO_LEGACY_MAX_SIZE;
	dev->tso_max_size = TSO_LEGACY_MAX_SIZE;
	dev->tso_max_segs = TSO_MAX_SEGS;
	dev->upper_level = 1;
	dev->lower_level = 1;
	dev->watchdog_timeo = 0;
	INIT_LIST_HEAD(&dev->dev.devres_head);
	kref_init(&dev->dev.kobj.kref);
	setup(dev);
	if (!dev->tx_queue_len)
		dev->tx_queue_len = DEFAULT_TX_QUEUE_LEN;
	strscpy(dev->name, name, sizeof(dev->name));
	dev->name_assign_type = name_assign_type;
	return dev;
}

struct net_device *alloc_etherdev_mqs(int sizeof_priv, unsigned int txqs, unsigned int rxqs)
{
	return alloc_netdev_mqs(sizeof_priv, "eth%d", NET_NAME_ENUM, ether_setup, txqs, rxqs);
}

static void lx_devm_free_netdev(void *dev)
{
	free_netdev(dev);
}

/* Managed: freed with the driver's other devres (after remove, which has
 * unregistered it), as Linux's devres does. */
struct net_device *devm_alloc_etherdev_mqs(struct device *dev, int sizeof_priv, unsigned int txqs,
					   unsigned int rxqs)
{
	struct net_device *ndev = alloc_etherdev_mqs(sizeof_priv, txqs, rxqs);
	if (ndev && lx_devres_add(dev, lx_devm_free_netdev, ndev)) {
		free_netdev(ndev);
		return NULL;
	}
	return ndev;
}

void free_netdev(struct net_device *dev)
{
	if (!dev)
		return;
	if (dev->reg_state == NETREG_REGISTERED || dev->reg_state == NETREG_UNREGISTERING) {
		WARN(1, "free_netdev(%s) while registered", dev->name);
		return;
	}
	lx_napi_del_all(dev);
	kfree(dev->_tx);
	kfree_const(dev->dev.kobj.name);
	dev->dev.kobj.name = NULL;
	dev->reg_state = NETREG_RELEASED;
	lx_free(lx_netdev_of(dev));
}

void dev_addr_mod(struct net_device *dev, unsigned int offset, const void *addr, size_t len)
{
	if (WARN_ON(offset + len > MAX_ADDR_LEN))
		return;
	memcpy(lx_netdev_of(dev)->addr + offset, addr, len);
	memcpy(dev->dev_addr_shadow + offset, addr, len);
}

/* ---- open and close -------------------------------------------------------------------------- */

/* The device is up once a netdev opened: from now on the daemon needs no
 * new OS resources (its IRQs are requested in ndo_open, its firmware
 * loaded), so the host may close its namespace (Redox: setrens).  Weak: a
 * host without a sandbox has nothing to do. */
int kpi_host_sandbox(void) __attribute__((weak));

static void lx_sandbox_once(struct net_device *dev)
{
	static bool done;
	int rc;
	if (done || !kpi_host_sandbox)
		return;
	done = true;
	rc = kpi_host_sandbox();
	if (rc < 0)
		netdev_warn(dev, "host sandbox not entered: %pe\n", ERR_PTR(rc));
}

static int lx_dev_open(struct net_device *dev)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	int rc = 0;
	if (dev->flags & IFF_UP)
		return 0;
	if (!netif_device_present(dev))
		return -ENODEV;
	rc = call_netdevice_notifiers(NETDEV_PRE_UP, dev);
	if (rc)
		return rc;
	set_bit(__LINK_STATE_START, &dev->state);
	if (ops && ops->ndo_validate_addr)
		rc = ops->ndo_validate_addr(dev);
	if (!rc && ops && ops->ndo_open)
		rc = ops->ndo_open(dev);
	if (rc) {
		clear_bit(__LINK_STATE_START, &dev->state);
		netdev_err(dev, "open failed: %pe\n", ERR_PTR(rc));
		return rc;
	}
	dev->flags |= IFF_UP;
	if (ops && ops->ndo_set_rx_mode)
		ops->ndo_set_rx_mode(dev);
	lx_netdev_of(dev)->opened = 1;
	lx_sandbox_once(dev);
	call_netdevice_notifiers(NETDEV_UP, dev);
	return 0;
}

static void lx_dev_close(struct net_device *dev)
{
	const struct net_device_ops *ops = dev->netdev_ops;
	if (!(dev->flags & IFF_UP))
		return;
	call_netdevice_notifiers(NETDEV_GOING_DOWN, dev);
	clear_bit(__LINK_STATE_START, &dev->state);
	if (ops && ops->ndo_stop)
		ops->ndo_stop(dev);
	dev->flags &= ~IFF_UP;
	lx_netdev_of(dev)->opened = 0;
	call_netdevice_notifiers(NETDEV_DOWN, dev);
}

/* What `ip link set up/down` does; drivers call dev_close() to take a
 * device down from a reset path or after a fatal error. */
int dev_open(struct net_device *dev, struct netlink_ext_ack *extack)
{
	int rc;
	(void)extack;
	rc = lx_dev_open(dev);
	lx_net_link_update(dev);
	return rc;
}

void dev_close(struct net_device *dev)
{
	lx_dev_close(dev);
	lx_net_link_update(dev);
}

void lx_net_link_update(struct net_device *dev)
{
	struct lx_netif *nif = lx_netdev_of(dev)->nif;
	int up = netif_running(dev) && netif_carrier_ok(dev) && netif_device_present(dev);
	if (!nif || nif->handle < 0 || nif->link_reported == up)
		return;
	nif->link_reported = up;
	kpi_host_net_link(nif->handle, up);
}

/* ---- transmit: host frames into ndo_start_xmit ------------------------------------------------ */

static int lx_tx_blocked(struct net_device *dev)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	return !netif_running(dev) || !netif_device_present(dev) || netif_xmit_frozen_or_stopped(txq);
}

/* One frame to the driver.  0 sent (or dropped), 1 refused (held). */
static int lx_xmit_one(struct lx_netif *nif, struct net_device *dev, struct sk_buff *skb)
{
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	netdev_tx_t rc;
	skb->dev = dev;
	skb_set_queue_mapping(skb, 0);
	local_bh_disable();
	kit_atomic_begin(); /* ndo_start_xmit must not sleep */
	rc = dev->netdev_ops->ndo_start_xmit(skb, dev);
	kit_atomic_end();
	local_bh_enable();
	if (rc == NETDEV_TX_BUSY) {
		nif->held = skb;
		return 1;
	}
	if (dev_xmit_complete(rc))
		txq->trans_start = jiffies;
	return 0;
}

static struct sk_buff *lx_take_frame(struct lx_netif *nif, struct net_device *dev)
{
	unsigned int cap = max_t(unsigned int, dev->mtu + dev->hard_header_len + VLAN_HLEN, ETH_FRAME_LEN + VLAN_HLEN);
	struct sk_buff *skb = __netdev_alloc_skb(dev, cap + NET_SKB_PAD, GFP_KERNEL);
	int n;
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	n = kpi_host_net_take(nif->handle, skb->data, cap);
	if (n == -KPI_ENOSPC) { /* larger than the MTU allows: take it out and drop it */
		void *big = kmalloc(65536, GFP_KERNEL);
		if (big)
			kpi_host_net_take(nif->handle, big, 65536);
		kfree(big);
		dev->stats.tx_dropped++;
		netdev_warn(dev, "dropped an oversized frame from the host\n");
		n = -EMSGSIZE;
	}
	if (n <= 0) {
		kfree_skb(skb);
		if (n == 0 || n == -KPI_ENODEV)
			nif->tx_ready = 0;
		return n == -EMSGSIZE ? ERR_PTR(-EMSGSIZE) : NULL;
	}
	skb_put(skb, n);
	skb->protocol = ((struct ethhdr *)skb->data)->h_proto;
	return skb;
}

static void lx_xmit_task(void *arg)
{
	struct lx_netif *nif = arg;
	struct net_device *dev = nif->dev;
	int sent = 0;
	rtnl_lock();
	if (!nif->stop)
		lx_dev_open(dev);
	if (!nif->stop)
		lx_net_link_update(dev);
	rtnl_unlock();
	while (!nif->stop) {
		struct sk_buff *skb;
		if ((!nif->tx_ready && !nif->held) || lx_tx_blocked(dev)) {
			lx_waitq_wait(&nif->wq, KPI_FOREVER);
			sent = 0;
			continue;
		}
		if (sent >= LX_XMIT_BATCH) {
			lx_yield();
			sent = 0;
			continue;
		}
		skb = nif->held;
		nif->held = NULL;
		if (!skb)
			skb = lx_take_frame(nif, dev);
		if (IS_ERR_OR_NULL(skb))
			continue;
		lx_xmit_one(nif, dev, skb);
		sent++;
	}
	kfree_skb(nif->held);
	kfree(nif);
}

static void lx_net_event(struct kit_evh *evh, const struct kpi_host_event *ev)
{
	struct lx_netif *nif = container_of(evh, struct lx_netif, evh);
	(void)ev;
	nif->tx_ready = 1;
	kit_waitq_wake(&nif->wq, 0);
}

void lx_net_kick(struct net_device *dev)
{
	struct lx_netif *nif = lx_netdev_of(dev)->nif;
	if (nif)
		kit_waitq_wake(&nif->wq, 0);
}

/* dev_watchdog: a queue stopped for longer than watchdog_timeo calls
 * ndo_tx_timeout (timer context, like Linux). */
static void lx_net_watchdog(struct kit_timer *t)
{
	struct lx_netif *nif = container_of(t, struct lx_netif, watchdog);
	struct net_device *dev = nif->dev;
	struct task_struct *prev;
	struct netdev_queue *txq;
	if (!dev)
		return;
	prev = lx_enter_loop_ctx();
	lx_jiffies_update();
	txq = netdev_get_tx_queue(dev, 0);
	if (netif_running(dev) && netif_carrier_ok(dev) && netif_device_present(dev) &&
	    netif_xmit_stopped(txq) && time_after(jiffies, txq->trans_start + dev->watchdog_timeo)) {
		netdev_warn(dev, "transmit queue 0 timed out\n");
		atomic_long_inc(&txq->trans_timeout);
		__preempt_count_add(SOFTIRQ_OFFSET);
		dev->netdev_ops->ndo_tx_timeout(dev, 0);
		__preempt_count_sub(SOFTIRQ_OFFSET);
		txq->trans_start = jiffies;
	}
	kit_timer_arm(t, kpi_host_now_ns() + (u64)jiffies_to_msecs(dev->watchdog_timeo) * NSEC_PER_MSEC);
	lx_leave_loop_ctx(prev);
}

/* ---- registration ------------------------------------------------------------------------------ */

int register_netdevice(struct net_device *dev)
{
	struct lx_netdev *ln = lx_netdev_of(dev);
	struct lx_netif *nif;
	int rc;
	if (dev->reg_state != NETREG_UNINITIALIZED || !dev->netdev_ops || !dev->netdev_ops->ndo_start_xmit)
		return -EINVAL;
	if (strchr(dev->name, '%')) {
		char fmt[IFNAMSIZ];
		strscpy(fmt, dev->name, sizeof(fmt));
		lx_snprintf(dev->name, sizeof(dev->name), fmt, lx_netdev_next_index++);
	}
	if (dev->netdev_ops->ndo_init && (rc = dev->netdev_ops->ndo_init(dev)))
		return rc;
	/* Linux names the netdev's struct device after the interface
	 * (netdev_register_kobject): dev_info(&netdev->dev, ...) says "eth0". */
	if ((rc = dev_set_name(&dev->dev, "%s", dev->name)))
		return rc;
	nif = kzalloc(sizeof(*nif), GFP_KERNEL);
	if (!nif)
		return -ENOMEM;
	nif->evh.fn = lx_net_event;
	nif->dev = dev;
	nif->link_reported = -1;
	kit_waitq_init(&nif->wq);
	kit_timer_init(&nif->watchdog, lx_net_watchdog);
	nif->handle = kpi_host_net_open(dev->name, dev->dev_addr, &nif->evh);
	if (nif->handle < 0) {
		rc = nif->handle;
		kfree(nif);
		return rc;
	}
	dev->hw_features |= NETIF_F_SOFT_FEATURES;
	dev->wanted_features = dev->features & dev->hw_features;
	dev->ifindex = lx_netdev_next_index + 1;
	if (!is_valid_ether_addr(dev->perm_addr) && dev->addr_len == ETH_ALEN)
		memcpy(dev->perm_addr, dev->dev_addr, ETH_ALEN);
	set_bit(__LINK_STATE_PRESENT, &dev->state);
	ln->nif = nif;
	dev->reg_state = NETREG_REGISTERED;
	nif->task = lx_task_spawn(dev->name, lx_xmit_task, nif);
	if (!nif->task) {
		ln->nif = NULL;
		dev->reg_state = NETREG_UNINITIALIZED;
		kpi_host_net_close(nif->handle);
		kfree(nif);
		return -ENOMEM;
	}
	if (dev->netdev_ops->ndo_tx_timeout) {
		if (dev->watchdog_timeo <= 0)
			dev->watchdog_timeo = 5 * HZ;
		kit_timer_arm(&nif->watchdog,
			      kpi_host_now_ns() + (u64)jiffies_to_msecs(dev->watchdog_timeo) * NSEC_PER_MSEC);
	}
	netdev_info(dev, "registered, address %pM\n", dev->dev_addr);
	lx_net_notify_registered(nif);
	return 0;
}

int register_netdev(struct net_device *dev)
{
	int rc;
	rtnl_lock();
	rc = register_netdevice(dev);
	rtnl_unlock();
	return rc;
}

void unregister_netdevice_queue(struct net_device *dev, struct list_head *head)
{
	struct lx_netdev *ln = lx_netdev_of(dev);
	struct lx_netif *nif = ln->nif;
	(void)head; /* no batching: each device goes at once */
	if (dev->reg_state != NETREG_REGISTERED) {
		WARN(1, "unregister_netdevice(%s): not registered", dev->name);
		return;
	}
	dev->reg_state = NETREG_UNREGISTERING;
	lx_dev_close(dev);
	lx_net_link_update(dev);
	lx_net_notify_unregistering(nif);
	if (dev->netdev_ops->ndo_uninit)
		dev->netdev_ops->ndo_uninit(dev);
	kit_timer_cancel(&nif->watchdog);
	kpi_host_net_close(nif->handle);
	nif->handle = -1;
	nif->dev = NULL;
	nif->stop = 1;
	kit_waitq_wake(&nif->wq, 0);
	ln->nif = NULL;
	dev->reg_state = NETREG_UNREGISTERED;
}

void unregister_netdev(struct net_device *dev)
{
	rtnl_lock();
	unregister_netdevice_queue(dev, NULL);
	rtnl_unlock();
}

/* ---- queue, carrier and presence state ----------------------------------------------------------- */

void netif_tx_wake_queue(struct netdev_queue *dev_queue)
{
	if (test_and_clear_bit(__QUEUE_STATE_DRV_XOFF, &dev_queue->state))
		lx_net_kick(dev_queue->dev);
}

void netif_schedule_queue(struct netdev_queue *txq)
{
	if (!netif_xmit_stopped(txq))
		lx_net_kick(txq->dev);
}

void netif_tx_stop_all_queues(struct net_device *dev)
{
	unsigned int i;
	for (i = 0; i < dev->num_tx_queues; i++)
		netif_tx_stop_queue(netdev_get_tx_queue(dev, i));
}

void netif_carrier_on(struct net_device *dev)
{
	if (test_and_clear_bit(__LINK_STATE_NOCARRIER, &dev->state)) {
		atomic_inc(&dev->carrier_up_count);
		lx_net_link_update(dev);
		lx_net_notify_carrier(dev);
	}
}

void netif_carrier_off(struct net_device *dev)
{
	if (!test_and_set_bit(__LINK_STATE_NOCARRIER, &dev->state)) {
		atomic_inc(&dev->carrier_down_count);
		lx_net_link_update(dev);
		lx_net_notify_carrier(dev);
	}
}

void netif_device_detach(struct net_device *dev)
{
	if (test_and_clear_bit(__LINK_STATE_PRESENT, &dev->state) && netif_running(dev))
		netif_tx_stop_all_queues(dev);
	lx_net_link_update(dev);
}

void netif_device_attach(struct net_device *dev)
{
	unsigned int i;
	if (!test_and_set_bit(__LINK_STATE_PRESENT, &dev->state) && netif_running(dev)) {
		for (i = 0; i < dev->num_tx_queues; i++)
			netif_tx_wake_queue(netdev_get_tx_queue(dev, i));
	}
	lx_net_link_update(dev);
}

int netif_set_real_num_tx_queues(struct net_device *dev, unsigned int txq)
{
	if (txq < 1 || txq > dev->num_tx_queues)
		return -EINVAL;
	dev->real_num_tx_queues = txq;
	return 0;
}

int netif_set_real_num_rx_queues(struct net_device *dev, unsigned int rxq)
{
	if (rxq < 1 || rxq > dev->num_rx_queues)
		return -EINVAL;
	dev->real_num_rx_queues = rxq;
	return 0;
}

void netdev_update_features(struct net_device *dev)
{
	netdev_features_t features = (dev->features & ~dev->hw_features) | dev->wanted_features;
	if (!dev->netdev_ops)
		return;
	if (dev->netdev_ops->ndo_fix_features)
		features = dev->netdev_ops->ndo_fix_features(dev, features);
	if (features == dev->features)
		return;
	if (dev->netdev_ops->ndo_set_features && dev->netdev_ops->ndo_set_features(dev, features) < 0)
		return;
	dev->features = features;
}

/* The latest transmit start over all queues (ndo_tx_timeout handlers log it). */
unsigned long dev_trans_start(struct net_device *dev)
{
	unsigned long res = READ_ONCE(netdev_get_tx_queue(dev, 0)->trans_start);
	unsigned int i;
	for (i = 1; i < dev->num_tx_queues; i++) {
		unsigned long v = READ_ONCE(netdev_get_tx_queue(dev, i)->trans_start);
		if (time_after(v, res))
			res = v;
	}
	return res;
}

/* ---- statistics ------------------------------------------------------------------------------------ */

void netdev_stats_to_stats64(struct rtnl_link_stats64 *stats64, const struct net_device_stats *netdev_stats)
{
	/* both start with the same counters in the same order */
	const unsigned long *src = (const unsigned long *)netdev_stats;
	u64 *dst = (u64 *)stats64;
	size_t i, n = sizeof(*netdev_stats) / sizeof(unsigned long);
	BUILD_BUG_ON(sizeof(*netdev_stats) / sizeof(unsigned long) > sizeof(*stats64) / sizeof(u64));
	for (i = 0; i < n; i++)
		dst[i] = src[i];
	memset(dst + n, 0, sizeof(*stats64) - n * sizeof(u64));
}

struct rtnl_link_stats64 *dev_get_stats(struct net_device *dev, struct rtnl_link_stats64 *storage)
{
	static const struct net_device_ops none;
	const struct net_device_ops *ops = dev->netdev_ops ? dev->netdev_ops : &none;
	if (ops->ndo_get_stats64) {
		memset(storage, 0, sizeof(*storage));
		ops->ndo_get_stats64(dev, storage);
	} else if (ops->ndo_get_stats) {
		netdev_stats_to_stats64(storage, ops->ndo_get_stats(dev));
	} else {
		netdev_stats_to_stats64(storage, &dev->stats);
	}
	return storage;
}

/* ---- byte queue limits: a fixed limit (no adaptation) is enough to stop a
 * runaway queue; drivers only see whether the inline helpers say "full" ---- */

#define LX_DQL_LIMIT (256 * 1024)

void dql_reset(struct dql *dql)
{
	dql->limit = LX_DQL_LIMIT;
	dql->num_queued = 0;
	dql->adj_limit = LX_DQL_LIMIT;
	dql->last_obj_cnt = 0;
	dql->num_completed = 0;
	dql->prev_num_queued = 0;
	dql->prev_last_obj_cnt = 0;
	dql->prev_ovlimit = 0;
	dql->lowest_slack = UINT_MAX;
	dql->slack_start_time = jiffies;
}

void dql_init(struct dql *dql, unsigned int hold_time)
{
	dql->max_limit = DQL_MAX_LIMIT;
	dql->min_limit = 0;
	dql->slack_hold_time = hold_time;
	dql_reset(dql);
}

void dql_completed(struct dql *dql, unsigned int count)
{
	if (WARN_ON_ONCE(count > dql->num_queued - dql->num_completed))
		count = dql->num_queued - dql->num_completed;
	dql->num_completed += count;
	dql->adj_limit = dql->limit + dql->num_completed;
	dql->prev_num_queued = dql->num_queued;
}

/* ---- ethtool helpers ------------------------------------------------------------------------------- */

u32 ethtool_op_get_link(struct net_device *dev)
{
	return netif_carrier_ok(dev) ? 1 : 0;
}

int ethtool_op_get_ts_info(struct net_device *dev, LX_ETHTOOL_TS_INFO_T *info)
{
	(void)dev;
	info->so_timestamping = SOF_TIMESTAMPING_TX_SOFTWARE | SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
	info->phc_index = -1;
	return 0;
}

/* One ETH_GSTRING_LEN slot of an ethtool string table, then the next. */
void ethtool_sprintf(u8 **data, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lx_vsnprintf((char *)*data, ETH_GSTRING_LEN, fmt, ap);
	va_end(ap);
	*data += ETH_GSTRING_LEN;
}

#if LX_WANT_ethtool_puts /* v6.8 (lx_compat.h) */
void ethtool_puts(u8 **data, const char *str)
{
	strscpy((char *)*data, str, ETH_GSTRING_LEN);
	*data += ETH_GSTRING_LEN;
}
#endif

void ethtool_convert_legacy_u32_to_link_mode(unsigned long *dst, u32 legacy_u32)
{
	bitmap_zero(dst, __ETHTOOL_LINK_MODE_MASK_NBITS);
	dst[0] = legacy_u32;
}

bool ethtool_convert_link_mode_to_legacy_u32(u32 *legacy_u32, const unsigned long *src)
{
	unsigned int bit;
	bool fits = true;
	for (bit = 32; bit < __ETHTOOL_LINK_MODE_MASK_NBITS; bit++)
		if (test_bit(bit, src))
			fits = false;
	*legacy_u32 = (u32)src[0];
	return fits;
}

/* The RSS hash key: random, one for every device of the daemon, as
 * Linux's netdev_rss_key (e1000e, most multi-queue NICs). */
void netdev_rss_key_fill(void *buffer, size_t len)
{
	static u8 key[NETDEV_RSS_KEY_LEN];
	static bool filled;
	if (!filled) {
		get_random_bytes(key, sizeof(key));
		filled = true;
	}
	BUG_ON(len > sizeof(key));
	memcpy(buffer, key, len);
}

/* ndo_features_check for drivers that take every offload as it comes. */
netdev_features_t passthru_features_check(struct sk_buff *skb, struct net_device *dev, netdev_features_t features)
{
	(void)skb;
	(void)dev;
	return features;
}

/* ---- the rest of net/core/dev.c and net/ethernet/eth.c drivers call ---- */

/* Every transmit queue frozen under the device's global lock, as Linux
 * does around a reset: the transmit task sees netif_xmit_frozen_or_stopped. */
void netif_tx_lock(struct net_device *dev)
{
	unsigned int i;
	spin_lock(&dev->tx_global_lock);
	for (i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);
		__netif_tx_lock(txq, smp_processor_id());
		set_bit(__QUEUE_STATE_FROZEN, &txq->state);
		__netif_tx_unlock(txq);
	}
}

void netif_tx_unlock(struct net_device *dev)
{
	unsigned int i;
	for (i = 0; i < dev->num_tx_queues; i++) {
		struct netdev_queue *txq = netdev_get_tx_queue(dev, i);
		clear_bit(__QUEUE_STATE_FROZEN, &txq->state);
		if (!netif_tx_queue_stopped(txq))
			netif_tx_wake_queue(txq); /* what netif_schedule_queue() does: wake the transmit task */
	}
	spin_unlock(&dev->tx_global_lock);
}

/* The TSO limits; a smaller one lowers the GSO limit with it (the IPv4
 * limit of newer trees aside: nothing here builds GSO super-packets). */
void netif_set_tso_max_size(struct net_device *dev, unsigned int size)
{
	dev->tso_max_size = min_t(unsigned int, GSO_MAX_SIZE, size);
	if (size < READ_ONCE(dev->gso_max_size))
		WRITE_ONCE(dev->gso_max_size, size);
}

void netif_set_tso_max_segs(struct net_device *dev, unsigned int segs)
{
	dev->tso_max_segs = segs;
	if (segs < READ_ONCE(dev->gso_max_segs))
		WRITE_ONCE(dev->gso_max_segs, segs);
}

/* The per-CPU software counters summed (one CPU here). */
void dev_fetch_sw_netstats(struct rtnl_link_stats64 *s, const struct pcpu_sw_netstats __percpu *netstats)
{
	int cpu;
	for_each_possible_cpu(cpu) {
		const struct pcpu_sw_netstats *stats = per_cpu_ptr(netstats, cpu);
		u64 rx_packets, rx_bytes, tx_packets, tx_bytes;
		unsigned int start;
		do {
			start = u64_stats_fetch_begin(&stats->syncp);
			rx_packets = u64_stats_read(&stats->rx_packets);
			rx_bytes = u64_stats_read(&stats->rx_bytes);
			tx_packets = u64_stats_read(&stats->tx_packets);
			tx_bytes = u64_stats_read(&stats->tx_bytes);
		} while (u64_stats_fetch_retry(&stats->syncp, start));
		s->rx_packets += rx_packets;
		s->rx_bytes += rx_bytes;
		s->tx_packets += tx_packets;
		s->tx_bytes += tx_bytes;
	}
}

/* No device tree and no platform MAC on x86: Linux answers -ENODEV, and the
 * driver reads the address from its device (EEPROM, registers). */
int eth_platform_get_mac_address(struct device *dev, u8 *mac_addr)
{
	(void)dev, (void)mac_addr;
	return -ENODEV;
}

/* One CPU: one RSS queue by default (net/core/dev.c counts online cores). */
int netif_get_num_default_rss_queues(void)
{
	return 1;
}

/* ---- link types and netlink errors: a daemon has no rtnetlink socket, so
 * a link type (the CAN core's "can") is kept and nobody creates links of it
 * through netlink; the extended-ack tracepoint has no tracer attached. */
static LIST_HEAD(lx_link_ops);

int rtnl_link_register(struct rtnl_link_ops *ops)
{
	struct rtnl_link_ops *o;
	rtnl_lock();
	list_for_each_entry(o, &lx_link_ops, list)
		if (!strcmp(o->kind, ops->kind)) {
			rtnl_unlock();
			return -EEXIST;
		}
	list_add_tail(&ops->list, &lx_link_ops);
	rtnl_unlock();
	return 0;
}

void rtnl_link_unregister(struct rtnl_link_ops *ops)
{
	rtnl_lock();
	list_del_init(&ops->list);
	rtnl_unlock();
}

void do_trace_netlink_extack(const char *msg)
{
	(void)msg;
}
