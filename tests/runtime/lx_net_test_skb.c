/* lx_net_test_skb.c: socket buffers, Ethernet and netdev helpers of
 * runtime/lx/lx_net*.c without a device (written for kpiport, compiled with
 * the kernel flags): head/tail arithmetic, padding that grows the head,
 * clones sharing data, copies, eth_type_trans' packet types and protocols,
 * checksums against hand-computed values, software GSO refused, address changes, carrier bits,
 * stats conversion and byte queue limits; page fragments added to an skb,
 * copied out across head and fragments, their pages released with it. */
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/checksum.h>
#if __has_include(<net/gso.h>) /* skb_gso_segment since 6.5 */
#include <net/gso.h>
#endif
#include <redox/kpi_main.h>
#include "lx_test.h"
#include "sim.h"

static const u8 mac[ETH_ALEN] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};

static void check_skb(void)
{
	struct sk_buff *skb = alloc_skb(128, GFP_KERNEL), *c, *cp;
	u8 *p;
	LXT_CHECK(skb != NULL);
	skb_reserve(skb, 32);
	LXT_CHECK_INT(skb_headroom(skb), 32);
	p = skb_put(skb, 10);
	memset(p, 0x11, 10);
	LXT_CHECK_INT(skb->len, 10);
	p = skb_push(skb, 4);
	LXT_CHECK_INT(skb_headroom(skb), 28);
	memset(p, 0x22, 4);
	LXT_CHECK_INT(skb->len, 14);
	skb_pull(skb, 4);
	LXT_CHECK_INT(skb->data[0], 0x11);
	skb_trim(skb, 6);
	LXT_CHECK_INT(skb->len, 6);
	LXT_CHECK_INT(skb_headroom(skb), 32);
	LXT_CHECK_INT(skb_tailroom(skb), 128 - 32 - 6);
	/* padding beyond the tailroom reallocates the head, keeping data */
	LXT_CHECK_INT(skb_padto(skb, 1000), 0);
	LXT_CHECK(skb_tailroom(skb) >= 1000 - 6);
	LXT_CHECK_INT(skb->len, 6);
	LXT_CHECK_INT(skb->data[5], 0x11);
	LXT_CHECK_INT(skb_headroom(skb), 32);
	/* clones share the data until freed */
	c = skb_clone(skb, GFP_KERNEL);
	LXT_CHECK(c && c->data == skb->data && skb_cloned(skb) && skb_cloned(c));
	LXT_CHECK_INT(atomic_read(&skb_shinfo(skb)->dataref), 2);
	kfree_skb(c);
	LXT_CHECK_INT(atomic_read(&skb_shinfo(skb)->dataref), 1);
	cp = skb_copy(skb, GFP_KERNEL);
	LXT_CHECK(cp && cp->data != skb->data && cp->len == 6 && !memcmp(cp->data, skb->data, 6));
	LXT_CHECK_INT(skb_headroom(cp), 32);
	consume_skb(cp);
	skb_get(skb);
	kfree_skb(skb); /* one reference left */
	LXT_CHECK_INT(refcount_read(&skb->users), 1);
	dev_kfree_skb_any(skb);
}

static void check_eth(struct net_device *dev)
{
	struct sk_buff *skb = netdev_alloc_skb_ip_align(dev, 64);
	u8 *f;
	LXT_CHECK(skb && skb->dev == dev);
	LXT_CHECK_INT(skb_headroom(skb), NET_SKB_PAD + NET_IP_ALIGN);
	f = skb_put_zero(skb, 60);
	memcpy(f, mac, ETH_ALEN);
	f[12] = 0x08;
	LXT_CHECK_INT(ntohs(eth_type_trans(skb, dev)), ETH_P_IP);
	LXT_CHECK_INT(skb->pkt_type, PACKET_HOST);
	LXT_CHECK_INT(skb->len, 60 - ETH_HLEN);
	LXT_CHECK(skb_mac_header(skb) == f);
	kfree_skb(skb);
	skb = netdev_alloc_skb(dev, 64);
	f = skb_put_zero(skb, 60);
	eth_broadcast_addr(f);
	f[12] = 0x00, f[13] = 0x40; /* a length: 802.2 */
	LXT_CHECK_INT(ntohs(eth_type_trans(skb, dev)), ETH_P_802_2);
	LXT_CHECK_INT(skb->pkt_type, PACKET_BROADCAST);
	kfree_skb(skb);
	skb = netdev_alloc_skb(dev, 64);
	f = skb_put_zero(skb, 60);
	f[0] = 0x01, f[1] = 0x00, f[2] = 0x5e, f[5] = 0x01;
	eth_type_trans(skb, dev);
	LXT_CHECK_INT(skb->pkt_type, PACKET_MULTICAST);
	kfree_skb(skb);
	skb = netdev_alloc_skb(dev, 64);
	f = skb_put_zero(skb, 60);
	f[0] = 0x02, f[5] = 0x77;
	eth_type_trans(skb, dev);
	LXT_CHECK_INT(skb->pkt_type, PACKET_OTHERHOST);
	kfree_skb(skb);
}

static void check_csum(void)
{
	/* RFC 1071's example words 0001 f203 f4f5 f6f7: sum ddf2, checksum 220d */
	static const u8 data[8] = {0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7};
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	u8 out[64];
	LXT_CHECK_INT(ntohs((__force __be16)csum_fold(csum_partial(data, 8, 0))), 0x220d);
	LXT_CHECK_INT(ntohs((__force __be16)csum_fold(csum_partial(data + 1, 7, 0))),
		      0x0d22); /* 01f2+03f4+f5f6+f700 = 1f2dc -> f2dd */
	/* CHECKSUM_PARTIAL: checksum from byte 4, stored at 4 + 2 */
	memset(skb_put(skb, 12), 0, 12);
	memcpy(skb->data + 4, data, 8);
	skb->data[6] = skb->data[7] = 0;
	skb->ip_summed = CHECKSUM_PARTIAL;
	skb->csum_start = skb_headroom(skb) + 4;
	skb->csum_offset = 2;
	skb_copy_and_csum_dev(skb, out);
	LXT_CHECK_INT(out[6] << 8 | out[7], (u16)~(0x0001 + 0xf4f5 + 0xf6f7 + 1));
	LXT_CHECK_INT(skb_checksum_help(skb), 0);
	LXT_CHECK_INT(skb->data[6] << 8 | skb->data[7], out[6] << 8 | out[7]);
	LXT_CHECK_INT(skb->ip_summed, CHECKSUM_NONE);
	/* software GSO: the stack makes no GSO frames, so one is an error the driver drops */
	skb_shinfo(skb)->gso_size = 4;
	skb_shinfo(skb)->gso_type = SKB_GSO_TCPV4;
	LXT_CHECK_INT(PTR_ERR(skb_gso_segment(skb, 0)), -EPROTONOSUPPORT);
	skb_shinfo(skb)->gso_size = 0;
	kfree_skb(skb);
}

static void check_netdev(void)
{
	struct net_device *dev = alloc_etherdev(100);
	struct sockaddr sa;
	struct rtnl_link_stats64 st;
#ifdef CONFIG_BQL /* an option of its own since 6.12's config: allnoconfig leaves it off */
	struct dql *dql;
#endif
	LXT_CHECK(dev != NULL);
	LXT_CHECK(((unsigned long)netdev_priv(dev) & (NETDEV_ALIGN - 1)) == 0);
	LXT_CHECK_INT(dev->mtu, ETH_DATA_LEN);
	LXT_CHECK_INT(dev->addr_len, ETH_ALEN);
	LXT_CHECK(is_broadcast_ether_addr(dev->broadcast));
	LXT_CHECK_INT(eth_validate_addr(dev), -EADDRNOTAVAIL);
	eth_hw_addr_set(dev, mac);
	LXT_CHECK_INT(eth_validate_addr(dev), 0);
	LXT_CHECK(ether_addr_equal(dev->dev_addr, mac));
	memcpy(sa.sa_data, "\x02\x01\x02\x03\x04\x05", ETH_ALEN);
	LXT_CHECK_INT(eth_mac_addr(dev, &sa), 0);
	LXT_CHECK_INT(dev->dev_addr[5], 5);
	sa.sa_data[0] = 1; /* multicast: refused */
	LXT_CHECK_INT(eth_mac_addr(dev, &sa), -EADDRNOTAVAIL);
	eth_hw_addr_set(dev, mac);
	check_eth(dev);
	LXT_CHECK(netif_carrier_ok(dev));
	netif_carrier_off(dev);
	LXT_CHECK(!netif_carrier_ok(dev));
	LXT_CHECK_INT(ethtool_op_get_link(dev), 0);
	netif_carrier_on(dev);
	LXT_CHECK_INT(ethtool_op_get_link(dev), 1);
	dev->stats.rx_packets = 7;
	dev->stats.tx_errors = 3;
	dev->stats.rx_compressed = 9; /* the last legacy counter */
	LXT_CHECK(dev_get_stats(dev, &st) == &st);
	LXT_CHECK_INT(st.rx_packets, 7);
	LXT_CHECK_INT(st.tx_errors, 3);
	LXT_CHECK_INT(st.rx_compressed, 9);
	LXT_CHECK_INT(st.rx_nohandler, 0);
	/* byte queue limits: completing what was queued keeps the queue open */
	netif_tx_start_all_queues(dev);
	netdev_sent_queue(dev, 1500);
	LXT_CHECK(!netif_xmit_stopped(netdev_get_tx_queue(dev, 0)));
	netdev_completed_queue(dev, 1, 1500);
#ifdef CONFIG_BQL
	dql = &netdev_get_tx_queue(dev, 0)->dql;
	LXT_CHECK_INT(dql->num_completed, 1500);
	LXT_CHECK(dql_avail(dql) > 0);
	netdev_reset_queue(dev);
	LXT_CHECK_INT(dql->num_queued, 0);
#else
	netdev_reset_queue(dev);
#endif
	free_netdev(dev);
}

static void check_frags(void)
{
	struct page *p = alloc_page(GFP_KERNEL);
	struct sk_buff *skb = alloc_skb(64, GFP_KERNEL);
	char out[12];
	LXT_CHECK(p && skb);
	memcpy(skb_put(skb, 4), "head", 4);
	memcpy((char *)page_address(p) + 100, "fragment", 8);
	get_page(p); /* the test keeps one reference, the skb takes the other */
	skb_add_rx_frag(skb, 0, p, 100, 8, PAGE_SIZE);
	LXT_CHECK_INT(skb->len, 12);
	LXT_CHECK_INT(skb->data_len, 8);
	LXT_CHECK(skb_is_nonlinear(skb));
	LXT_CHECK_INT(skb_copy_bits(skb, 0, out, 12), 0);
	LXT_CHECK(!memcmp(out, "headfragment", 12));
	LXT_CHECK_INT(skb_copy_bits(skb, 2, out, 6), 0);
	LXT_CHECK(!memcmp(out, "adfrag", 6));
	LXT_CHECK_INT(skb_copy_bits(skb, 8, out, 5), -EFAULT);
	LXT_CHECK_INT(page_ref_count(p), 2);
	kfree_skb(skb);
	LXT_CHECK_INT(page_ref_count(p), 1); /* the skb's reference went with it */
	put_page(p);
	{ /* a locked queue emptied */
		struct sk_buff_head q;
		skb_queue_head_init(&q);
		skb_queue_tail(&q, alloc_skb(32, GFP_KERNEL));
		skb_queue_tail(&q, alloc_skb(32, GFP_KERNEL));
		LXT_CHECK_INT(skb_queue_len(&q), 2);
		skb_queue_purge(&q);
		LXT_CHECK(skb_queue_empty(&q));
	}
}

static int lxt_skb_init(void)
{
	check_skb();
	check_csum();
	check_netdev();
	check_frags();
	return 0;
}

int main(int argc, char **argv)
{
	int rc = kpi_module_main(argc, argv, lxt_skb_init, NULL);
	return lxt_result(rc, 0);
}
