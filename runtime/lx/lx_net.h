/* lx_net.h: what the runtime/lx net files share (lx_net.c: net_device
 * lifetime, host export, queues, carrier; lx_net_skb.c: socket buffers and
 * Ethernet helpers; lx_net_napi.c: NAPI and the receive path;
 * lx_net_notify.c: netdevice notifiers and packet handlers).
 * Kernel-header world, runtime/lx only.
 *
 * One registered net_device is one kpi_host network export.  Frames the OS
 * wants sent arrive as KPI_EV_NET events; a per-device "xmit" task takes
 * them with kpi_host_net_take and hands each to ndo_start_xmit (bottom
 * halves off, as the stack does), while the TX queue is awake.  Frames the
 * driver receives (netif_receive_skb & co.) go out with kpi_host_net_deliver
 * at once.  NAPI polls run in one "napi" task with the softirq count raised. */
#ifndef LX_NET_H
#define LX_NET_H

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/skbuff.h>
#include "lx_internal.h"

/* The host side of one net_device, allocated apart from it: the xmit task
 * frees it when it sees `stop`, so unregister never has to wait for it. */
struct lx_netif {
	struct kit_evh evh; /* first: the KPI_EV_NET cookie */
	struct net_device *dev; /* NULL once unregistered */
	int handle;		/* kpi_host netif handle, -1 if none */
	int tx_ready;		/* host may hold frames: take until it says 0 */
	int stop;
	int link_reported;	/* last kpi_host_net_link value, -1 none */
	struct kit_waitq wq;	/* the xmit task sleeps here */
	struct lx_task *task;
	struct sk_buff *held;	/* refused with NETDEV_TX_BUSY, sent first next time */
	struct kit_timer watchdog;
	struct list_head node;	/* lx_net_notify.c: the registered devices */
	struct work_struct linkwatch; /* NETDEV_CHANGE after a carrier change */
};

/* Placed in front of every net_device allocation (alloc_netdev_mqs). */
struct lx_netdev {
	struct lx_netif *nif;	 /* while registered */
	u8 addr[MAX_ADDR_LEN];	 /* what dev->dev_addr points at */
	int opened;
};

struct lx_netdev *lx_netdev_of(const struct net_device *dev);
/* Report running && carrier to the host if it changed. */
void lx_net_link_update(struct net_device *dev);
/* Make the xmit task look at the host queue again (queue woken). */
void lx_net_kick(struct net_device *dev);
/* A frame the driver received goes to the OS; consumes skb. */
int lx_net_deliver(struct sk_buff *skb);
/* Notifiers and packet handlers (lx_net_notify.c): a device joins the
 * registered list (NETDEV_REGISTER), leaves it (NETDEV_UNREGISTER), its
 * carrier changed (NETDEV_CHANGE, from a work item); a received frame goes
 * to the packet handler of its protocol (true, *rc its verdict), else false. */
void lx_net_notify_registered(struct lx_netif *nif);
void lx_net_notify_unregistering(struct lx_netif *nif);
void lx_net_notify_carrier(struct net_device *dev);
bool lx_net_ptype_rcv(struct sk_buff *skb, int *rc);
/* NAPI (lx_net_napi.c) */
void lx_napi_del_all(struct net_device *dev);
/* Forget the NAPI task and list: for tests that reset the runtime between
 * daemons (lx_main_reset frees every task). */
void lx_net_napi_reset(void);

#endif
