/* lx_net_notify.c: netdevice notifiers and packet handlers, as Linux's
 * net/core/dev.c has them for code layered over a driver's net_device (the
 * generic HDLC layer drivers/net/wan/hdlc.c, imported from the tree, bonding-
 * style helpers, drivers watching their own or sibling ports).
 *
 * Notifiers: register_netdevice_notifier replays NETDEV_REGISTER (and
 * NETDEV_UP for a running device) for every registered device, as Linux's
 * does; lx_net.c then raises NETDEV_REGISTER, NETDEV_UP, NETDEV_GOING_DOWN +
 * NETDEV_DOWN and NETDEV_UNREGISTER from the paths that make them, and a
 * carrier change raises NETDEV_CHANGE from a work item (Linux's linkwatch
 * runs later in process context too, so notifiers may sleep).
 * Packet handlers (dev_add_pack): a received frame whose protocol a handler
 * names (and whose device it matches, or any device) goes to that handler
 * instead of the OS, as Linux's protocol dispatch does; ETH_P_ALL taps get
 * a clone of every frame.  Frames no handler takes go to the OS as before. */
#include "lx_net.h"
#include <linux/notifier.h>
#include <linux/workqueue.h>

static BLOCKING_NOTIFIER_HEAD(lx_netdev_chain);
static LIST_HEAD(lx_netdevs);  /* registered devices (struct lx_netif.node) */
static LIST_HEAD(lx_ptypes);   /* packet handlers (struct packet_type.list) */

int call_netdevice_notifiers(unsigned long val, struct net_device *dev)
{
	struct netdev_notifier_info info = { .dev = dev };
	return notifier_to_errno(blocking_notifier_call_chain(&lx_netdev_chain, val, &info));
}

static int lx_net_call_one(struct notifier_block *nb, unsigned long val, struct net_device *dev)
{
	struct netdev_notifier_info info = { .dev = dev };
	return notifier_to_errno(nb->notifier_call(nb, val, &info));
}

int register_netdevice_notifier(struct notifier_block *nb)
{
	struct lx_netif *nif;
	int rc = blocking_notifier_chain_register(&lx_netdev_chain, nb);
	if (rc)
		return rc;
	list_for_each_entry(nif, &lx_netdevs, node) {
		rc = lx_net_call_one(nb, NETDEV_REGISTER, nif->dev);
		if (!rc && netif_running(nif->dev))
			rc = lx_net_call_one(nb, NETDEV_UP, nif->dev);
		if (rc) {
			blocking_notifier_chain_unregister(&lx_netdev_chain, nb);
			return rc;
		}
	}
	return 0;
}

/* Linux's replays the teardown of every device to the leaving notifier. */
int unregister_netdevice_notifier(struct notifier_block *nb)
{
	struct lx_netif *nif;
	int rc = blocking_notifier_chain_unregister(&lx_netdev_chain, nb);
	if (rc)
		return rc;
	list_for_each_entry(nif, &lx_netdevs, node) {
		if (netif_running(nif->dev)) {
			lx_net_call_one(nb, NETDEV_GOING_DOWN, nif->dev);
			lx_net_call_one(nb, NETDEV_DOWN, nif->dev);
		}
		lx_net_call_one(nb, NETDEV_UNREGISTER, nif->dev);
	}
	return 0;
}

static void lx_net_linkwatch(struct work_struct *work)
{
	struct lx_netif *nif = container_of(work, struct lx_netif, linkwatch);
	if (nif->dev)
		call_netdevice_notifiers(NETDEV_CHANGE, nif->dev);
}

void lx_net_notify_registered(struct lx_netif *nif)
{
	INIT_WORK(&nif->linkwatch, lx_net_linkwatch);
	list_add_tail(&nif->node, &lx_netdevs);
	call_netdevice_notifiers(NETDEV_REGISTER, nif->dev);
}

void lx_net_notify_unregistering(struct lx_netif *nif)
{
	cancel_work_sync(&nif->linkwatch);
	list_del(&nif->node);
	call_netdevice_notifiers(NETDEV_UNREGISTER, nif->dev);
}

void lx_net_notify_carrier(struct net_device *dev)
{
	struct lx_netif *nif = lx_netdev_of(dev)->nif;
	if (nif && dev->reg_state == NETREG_REGISTERED)
		schedule_work(&nif->linkwatch);
}

void dev_add_pack(struct packet_type *pt)
{
	list_add(&pt->list, &lx_ptypes);
}

void __dev_remove_pack(struct packet_type *pt)
{
	struct packet_type *p;
	list_for_each_entry(p, &lx_ptypes, list)
		if (p == pt) {
			list_del(&pt->list);
			return;
		}
	pr_warn("dev_remove_pack: %p not found\n", pt);
}

void dev_remove_pack(struct packet_type *pt)
{
	__dev_remove_pack(pt); /* no reader is inside the list while a task runs */
}

bool lx_net_ptype_rcv(struct sk_buff *skb, int *rc)
{
	struct net_device *dev = skb->dev;
	struct packet_type *pt, *deliver = NULL;
	list_for_each_entry(pt, &lx_ptypes, list) {
		if (pt->dev && pt->dev != dev)
			continue;
		if (pt->type == htons(ETH_P_ALL)) {
			struct sk_buff *c = skb_clone(skb, GFP_ATOMIC);
			if (c)
				pt->func(c, dev, pt, dev);
		} else if (pt->type == skb->protocol && !deliver) {
			deliver = pt;
		}
	}
	if (!deliver)
		return false;
	*rc = deliver->func(skb, dev, deliver, dev);
	return true;
}
