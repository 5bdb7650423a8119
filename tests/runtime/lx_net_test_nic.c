/* lx_net_test_nic.c: a NIC "driver" written for kpiport (never Linux code),
 * compiled with the kernel flags like a port, on the sim NIC model of
 * lx_net_model.h, run by kpi_module_main.  Its init registers the PCI
 * driver, then plays the OS and the wire: frames injected on the host side
 * must leave the device's TX ring, frames the model receives must reach the
 * host through NAPI (budget 8, IRQ masked until the poll completes), carrier
 * changes must reach the host link, and a full TX ring must stop the queue
 * and wake it again without losing or reordering frames; netdevice
 * notifiers see registration replayed, carrier changes and the teardown, and
 * a packet handler (dev_add_pack) takes the frames of its protocol. */
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/net_namespace.h>
#include <linux/pci.h>
#include <redox/kpi_main.h>
#include "lx_test.h"
#include "lx_net_model.h"

#define TX_N 8
#define RX_N 16
#define BUF 2048
#define WEIGHT 8
#define ETYPE 0x88b5

struct nic {
	void __iomem *regs;
	struct pci_dev *pdev;
	struct net_device *dev;
	struct napi_struct napi;
	struct lxn_desc *tx, *rx;
	u8 *txbuf, *rxbuf;
	dma_addr_t tx_bus, rx_bus, txbuf_bus, rxbuf_bus;
	unsigned int tx_head, tx_tail, rx_next, rx_tail;
};

static struct net_device *the_dev;
static int opens, stops, removes, queue_stops, queue_wakes, busy;
static int irqs, polls, max_work, bcast_seen, proto_ok, poll_in_softirq;
static int seq, first_irq_seq, first_poll_seq;

static u32 rd(struct nic *n, u32 off)
{
	return redox_ioread32(n->regs + off);
}
static void wr(struct nic *n, u32 off, u32 v)
{
	redox_iowrite32(v, n->regs + off);
}

static netdev_tx_t nic_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nic *n = netdev_priv(dev);
	unsigned int slot = n->tx_tail;
	if ((n->tx_tail + 1) % TX_N == n->tx_head) {
		busy++;
		netif_stop_queue(dev);
		return NETDEV_TX_BUSY;
	}
	skb_copy_bits(skb, 0, n->txbuf + slot * BUF, skb->len);
	n->tx[slot].addr = n->txbuf_bus + slot * BUF;
	n->tx[slot].len = skb->len;
	n->tx[slot].flags = 0;
	n->tx_tail = (slot + 1) % TX_N;
	wr(n, 0x1c, n->tx_tail);
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	dev_kfree_skb_any(skb);
	if ((n->tx_tail + 1) % TX_N == n->tx_head) {
		queue_stops++;
		netif_stop_queue(dev);
	}
	return NETDEV_TX_OK;
}

static irqreturn_t nic_irq(int irq, void *data)
{
	struct net_device *dev = data;
	struct nic *n = netdev_priv(dev);
	u32 isr = rd(n, 0x04);
	(void)irq;
	if (!isr)
		return IRQ_NONE;
	wr(n, 0x04, isr);
	if (!irqs++)
		first_irq_seq = ++seq;
	if (isr & LXN_ISR_LINK) {
		if (rd(n, 0x0c) & 1)
			netif_carrier_on(dev);
		else
			netif_carrier_off(dev);
	}
	if ((isr & (LXN_ISR_RX | LXN_ISR_TX)) && napi_schedule_prep(&n->napi)) {
		wr(n, 0x08, LXN_ISR_LINK); /* RX/TX masked until the poll completes */
		__napi_schedule(&n->napi);
	}
	return IRQ_HANDLED;
}

static int nic_poll(struct napi_struct *napi, int budget)
{
	struct nic *n = container_of(napi, struct nic, napi);
	struct net_device *dev = n->dev;
	unsigned int hw_head = rd(n, 0x20);
	int work = 0;
	if (!polls++) {
		first_poll_seq = ++seq;
		poll_in_softirq = in_softirq() && !in_hardirq();
	}
	while (n->tx_head != hw_head)
		n->tx_head = (n->tx_head + 1) % TX_N;
	if (netif_queue_stopped(dev) && (n->tx_tail + 1) % TX_N != n->tx_head) {
		queue_wakes++;
		netif_wake_queue(dev);
	}
	while (work < budget && (n->rx[n->rx_next].flags & LXN_DESC_DONE)) {
		struct lxn_desc *d = &n->rx[n->rx_next];
		struct sk_buff *skb = napi_alloc_skb(napi, d->len);
		if (!skb)
			break;
		skb_put_data(skb, n->rxbuf + n->rx_next * BUF, d->len);
		skb->protocol = eth_type_trans(skb, dev);
		proto_ok += skb->protocol == htons(ETYPE);
		bcast_seen += skb->pkt_type == PACKET_BROADCAST;
		dev->stats.rx_packets++;
		napi_gro_receive(napi, skb);
		d->flags = 0;
		n->rx_next = (n->rx_next + 1) % RX_N;
		n->rx_tail = (n->rx_tail + 1) % RX_N;
		wr(n, 0x3c, n->rx_tail);
		work++;
	}
	if (work > max_work)
		max_work = work;
	if (work < budget && napi_complete_done(napi, work))
		wr(n, 0x08, LXN_ISR_RX | LXN_ISR_TX | LXN_ISR_LINK);
	return work;
}

static int nic_open(struct net_device *dev)
{
	struct nic *n = netdev_priv(dev);
	struct device *d = &n->pdev->dev;
	int i, rc;
	opens++;
	n->tx = dma_alloc_coherent(d, TX_N * sizeof(*n->tx), &n->tx_bus, GFP_KERNEL);
	n->rx = dma_alloc_coherent(d, RX_N * sizeof(*n->rx), &n->rx_bus, GFP_KERNEL);
	n->txbuf = dma_alloc_coherent(d, TX_N * BUF, &n->txbuf_bus, GFP_KERNEL);
	n->rxbuf = dma_alloc_coherent(d, RX_N * BUF, &n->rxbuf_bus, GFP_KERNEL);
	if (!n->tx || !n->rx || !n->txbuf || !n->rxbuf)
		return -ENOMEM;
	for (i = 0; i < RX_N; i++)
		n->rx[i].addr = n->rxbuf_bus + i * BUF;
	n->tx_head = n->tx_tail = n->rx_next = 0;
	n->rx_tail = RX_N - 1;
	wr(n, 0x10, lower_32_bits(n->tx_bus));
	wr(n, 0x14, upper_32_bits(n->tx_bus));
	wr(n, 0x18, TX_N);
	wr(n, 0x30, lower_32_bits(n->rx_bus));
	wr(n, 0x34, upper_32_bits(n->rx_bus));
	wr(n, 0x38, RX_N);
	wr(n, 0x3c, n->rx_tail);
	rc = request_irq(n->pdev->irq, nic_irq, IRQF_SHARED, dev->name, dev);
	if (rc)
		return rc;
	napi_enable(&n->napi);
	if (rd(n, 0x0c) & 1)
		netif_carrier_on(dev);
	else
		netif_carrier_off(dev);
	netif_start_queue(dev);
	wr(n, 0x08, LXN_ISR_RX | LXN_ISR_TX | LXN_ISR_LINK);
	return 0;
}

static int nic_stop(struct net_device *dev)
{
	struct nic *n = netdev_priv(dev);
	struct device *d = &n->pdev->dev;
	stops++;
	wr(n, 0x08, 0);
	netif_stop_queue(dev);
	napi_disable(&n->napi);
	free_irq(n->pdev->irq, dev);
	dma_free_coherent(d, TX_N * sizeof(*n->tx), n->tx, n->tx_bus);
	dma_free_coherent(d, RX_N * sizeof(*n->rx), n->rx, n->rx_bus);
	dma_free_coherent(d, TX_N * BUF, n->txbuf, n->txbuf_bus);
	dma_free_coherent(d, RX_N * BUF, n->rxbuf, n->rxbuf_bus);
	return 0;
}

static const struct net_device_ops nic_ops = {
	.ndo_open = nic_open,
	.ndo_stop = nic_stop,
	.ndo_start_xmit = nic_xmit,
	.ndo_validate_addr = eth_validate_addr,
};

static int nic_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *dev;
	struct nic *n;
	u8 mac[ETH_ALEN];
	u32 lo, hi;
	int rc;
	(void)id;
	rc = pcim_enable_device(pdev);
	if (rc)
		return rc;
	pci_set_master(pdev);
	dev = alloc_etherdev(sizeof(*n));
	if (!dev)
		return -ENOMEM;
	SET_NETDEV_DEV(dev, &pdev->dev);
	n = netdev_priv(dev);
	n->pdev = pdev;
	n->dev = dev;
	n->regs = redox_pci_iomap(pdev, 0, 0);
	lo = rd(n, 0x50);
	hi = rd(n, 0x54);
	mac[0] = lo, mac[1] = lo >> 8, mac[2] = lo >> 16, mac[3] = lo >> 24, mac[4] = hi, mac[5] = hi >> 8;
	eth_hw_addr_set(dev, mac);
	dev->netdev_ops = &nic_ops;
	netif_napi_add_weight(dev, &n->napi, nic_poll, WEIGHT);
	rc = register_netdev(dev);
	if (rc) {
		free_netdev(dev);
		return rc;
	}
	LXT_CHECK_INT(opens, 0); /* the open comes after probe */
	pci_set_drvdata(pdev, dev);
	the_dev = dev;
	return 0;
}

static void nic_remove(struct pci_dev *pdev)
{
	struct net_device *dev = pci_get_drvdata(pdev);
	removes++;
	unregister_netdev(dev);
	free_netdev(dev);
}

static const struct pci_device_id nic_ids[] = {{PCI_DEVICE(LXN_VENDOR, LXN_DEVICE)}, {0}};
static struct pci_driver nic_driver = {.name = "lxnic", .id_table = nic_ids, .probe = nic_probe, .remove = nic_remove};

/* ---- the OS and the wire ----------------------------------------------------------------------- */

static void make_frame(u8 *f, int id, int len, const u8 *dst)
{
	int i;
	memcpy(f, dst, ETH_ALEN);
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x99", ETH_ALEN);
	f[12] = ETYPE >> 8;
	f[13] = ETYPE & 0xff;
	for (i = 14; i < len; i++)
		f[i] = (u8)(id * 7 + i);
	f[14] = (u8)id;
}

static int wire_has(int index, int id, int len)
{
	static u8 f[LXN_FRAME_MAX];
	make_frame(f, id, len, lxn_mac);
	return index < lxn_wire_count && lxn_wire[index].len == (u32)len && !memcmp(lxn_wire[index].data, f, len);
}

/* netdevice notifiers and a packet handler (lx_net_notify.c) */
static int ev_count[NETDEV_CHANGE_TX_QUEUE_LEN + 1], ev_seq[NETDEV_CHANGE_TX_QUEUE_LEN + 1], ev_n;
static int ptype_hits, ptype_dev_ok;

static int nb_call(struct notifier_block *nb, unsigned long event, void *ptr)
{
	(void)nb;
	if (netdev_notifier_info_to_dev(ptr) == the_dev && event < ARRAY_SIZE(ev_count)) {
		ev_count[event]++;
		ev_seq[event] = ++ev_n;
	}
	return NOTIFY_DONE;
}
static struct notifier_block nb = { .notifier_call = nb_call };

static int ptype_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt, struct net_device *orig)
{
	(void)pt;
	ptype_hits++;
	ptype_dev_ok += dev == the_dev && orig == the_dev && skb->protocol == htons(ETYPE);
	kfree_skb(skb);
	return NET_RX_SUCCESS;
}
static struct packet_type ptype = { .type = htons(ETYPE), .func = ptype_rcv };

static void scenario(void)
{
	static const int tx_len[3] = {60, 100, 1514};
	static u8 f[LXN_FRAME_MAX], got[LXN_FRAME_MAX];
	struct rtnl_link_stats64 st;
	int i, ok, rx_ok = 0;
	msleep(10);
	/* open happened, the host sees the device with its MAC and carrier */
	LXT_CHECK(the_dev != NULL);
	LXT_CHECK_INT(opens, 1);
	LXT_CHECK(netif_running(the_dev));
	LXT_CHECK(!strcmp(the_dev->name, "eth0"));
	LXT_CHECK(dev_net(the_dev) == &init_net); /* the only namespace (lx_net.c) */
	LXT_CHECK(sim_net_mac(0) && !memcmp(sim_net_mac(0), lxn_mac, ETH_ALEN));
	LXT_CHECK_INT(sim_net_link(0), 1);

	/* OS -> driver -> device TX */
	for (i = 0; i < 3; i++) {
		make_frame(f, i, tx_len[i], lxn_mac);
		LXT_CHECK_INT(sim_net_inject(0, f, tx_len[i]), 0);
	}
	msleep(10);
	LXT_CHECK_INT(lxn_wire_count, 3);
	for (i = 0, ok = 1; i < 3; i++)
		ok &= wire_has(i, i, tx_len[i]);
	LXT_CHECK(ok);

	/* device RX -> IRQ -> NAPI (budget 8, ring of 15) -> OS */
	for (i = 0; i < 20; i++) {
		make_frame(f, 100 + i, 64 + i, i % 2 ? the_dev->broadcast : lxn_mac);
		lxn_model_rx(f, 64 + i);
	}
	msleep(10);
	for (i = 0; i < 20; i++) {
		int len = sim_net_pop(0, got, sizeof(got));
		make_frame(f, 100 + i, 64 + i, i % 2 ? the_dev->broadcast : lxn_mac);
		rx_ok += len == 64 + i && !memcmp(got, f, len);
	}
	LXT_CHECK_INT(rx_ok, 20);
	LXT_CHECK_INT(sim_net_pop(0, got, sizeof(got)), 0);
	LXT_CHECK_INT(proto_ok, 20);
	LXT_CHECK_INT(bcast_seen, 10);
	LXT_CHECK(polls >= 3);
	LXT_CHECK_INT(max_work, WEIGHT);
	LXT_CHECK(first_irq_seq > 0 && first_poll_seq > first_irq_seq);
	LXT_CHECK(poll_in_softirq);
	LXT_CHECK_INT(rd(netdev_priv(the_dev), 0x08), LXN_ISR_RX | LXN_ISR_TX | LXN_ISR_LINK);
	LXT_CHECK(!test_bit(NAPI_STATE_SCHED, &((struct nic *)netdev_priv(the_dev))->napi.state));

	/* a notifier registered now sees the device's registration and open replayed */
	LXT_CHECK_INT(register_netdevice_notifier(&nb), 0);
	LXT_CHECK_INT(ev_count[NETDEV_REGISTER], 1);
	LXT_CHECK_INT(ev_count[NETDEV_UP], 1);
	LXT_CHECK(ev_seq[NETDEV_UP] > ev_seq[NETDEV_REGISTER]);
	/* a packet handler for the frames' protocol takes them from the OS */
	dev_add_pack(&ptype);
	for (i = 0; i < 2; i++) {
		make_frame(f, 200 + i, 80, lxn_mac);
		lxn_model_rx(f, 80);
	}
	msleep(10);
	LXT_CHECK_INT(ptype_hits, 2);
	LXT_CHECK_INT(ptype_dev_ok, 2);
	LXT_CHECK_INT(sim_net_pop(0, got, sizeof(got)), 0);
	dev_remove_pack(&ptype);
	make_frame(f, 202, 80, lxn_mac);
	lxn_model_rx(f, 80);
	msleep(10);
	LXT_CHECK_INT(ptype_hits, 2);
	LXT_CHECK_INT(sim_net_pop(0, got, sizeof(got)), 80);

	/* carrier reaches the host link (and the notifiers, from a work item) */
	lxn_model_link(0);
	msleep(10);
	LXT_CHECK_INT(ev_count[NETDEV_CHANGE], 1);
	LXT_CHECK(!netif_carrier_ok(the_dev));
	LXT_CHECK_INT(sim_net_link(0), 0);
	LXT_CHECK_INT(ethtool_op_get_link(the_dev), 0);
	lxn_model_link(1);
	msleep(10);
	LXT_CHECK_INT(sim_net_link(0), 1);
	LXT_CHECK_INT(ev_count[NETDEV_CHANGE], 2);

	/* a stalled device fills the ring: the queue stops, frames wait on the
	 * host side, then all leave in order once the device moves again */
	lxn_tx_paused = 1;
	for (i = 0; i < 20; i++) {
		make_frame(f, 10 + i, 60 + i, lxn_mac);
		LXT_CHECK_INT(sim_net_inject(0, f, 60 + i), 0);
	}
	msleep(10);
	LXT_CHECK_INT(lxn_wire_count, 3);
	LXT_CHECK(netif_queue_stopped(the_dev));
	LXT_CHECK_INT(queue_stops, 1);
	LXT_CHECK_INT(the_dev->stats.tx_packets, 3 + TX_N - 1);
	lxn_tx_paused = 0;
	msleep(50);
	LXT_CHECK_INT(lxn_wire_count, 23);
	for (i = 0, ok = 1; i < 20; i++)
		ok &= wire_has(3 + i, 10 + i, 60 + i);
	LXT_CHECK(ok);
	LXT_CHECK(queue_wakes >= 2);
	LXT_CHECK(!netif_queue_stopped(the_dev));
	LXT_CHECK_INT(busy, 0);

	dev_get_stats(the_dev, &st);
	LXT_CHECK_INT(st.tx_packets, 23);
	LXT_CHECK_INT(st.rx_packets, 23); /* 20, then 3 through the packet handler test */
}

static int nic_init(void)
{
	int rc = pci_register_driver(&nic_driver);
	LXT_CHECK_INT(rc, 0);
	if (!rc)
		scenario();
	kpi_lx_stop(0);
	return rc;
}

static void nic_exit(void)
{
	pci_unregister_driver(&nic_driver);
}

int main(int argc, char **argv)
{
	int rc;
	sim_clock_virtual(1);
	lxn_create();
	rc = kpi_module_main(argc, argv, nic_init, nic_exit);
	LXT_CHECK_INT(removes, 1);
	LXT_CHECK_INT(stops, 1);
	LXT_CHECK_INT(sim_net_link(0), -KPI_ENODEV); /* export closed */
	LXT_CHECK_INT(sim_dma_live(), 0);
	/* removal: down, then unregistered, in Linux's order */
	LXT_CHECK_INT(ev_count[NETDEV_GOING_DOWN], 1);
	LXT_CHECK_INT(ev_count[NETDEV_DOWN], 1);
	LXT_CHECK_INT(ev_count[NETDEV_UNREGISTER], 1);
	LXT_CHECK(ev_seq[NETDEV_GOING_DOWN] < ev_seq[NETDEV_DOWN] && ev_seq[NETDEV_DOWN] < ev_seq[NETDEV_UNREGISTER]);
	LXT_CHECK_INT(unregister_netdevice_notifier(&nb), 0);
	return lxt_result(rc, 0);
}
