/* lx_net_skb.c: socket buffers and Ethernet helpers for drivers.
 *
 * Every skb the runtime makes is linear: one kmalloc'd head holding the
 * data and, at its end, the skb_shared_info (the layout the kernel's inline
 * helpers - skb_shinfo, skb_tailroom, skb_reserve ... - compute with).  The
 * host hands whole frames, so nothing ever builds page fragments; helpers
 * that would have to walk fragments warn and fail instead.  Clones share the
 * head through shinfo->dataref as in Linux.  Freeing from IRQ context frees
 * at once: nothing here takes a lock an interrupt could hold. */
#include "lx_net.h"
#include <net/sock.h>
#include <linux/if_vlan.h>
#include <net/checksum.h>
#if __has_include(<net/gso.h>) /* 6.5 moved the GSO entry points out of netdevice.h */
#include <net/gso.h>
#endif

static void lx_skb_panic(const struct sk_buff *skb, const char *what, unsigned int len, void *here)
{
	char why[160];
	lx_snprintf(why, sizeof(why), "skb_%s: len %u put:%u head:%px data:%px tail:%#x end:%#x caller %pS", what,
		    skb->len, len, skb->head, skb->data, (unsigned int)skb->tail, (unsigned int)skb->end, here);
	kpi_host_abort(why);
}

/* ---- allocation and freeing ------------------------------------------------------------------ */

struct sk_buff *__alloc_skb(unsigned int size, gfp_t gfp_mask, int flags, int node)
{
	struct skb_shared_info *shinfo;
	struct sk_buff *skb;
	u8 *data;
	(void)flags, (void)node;
	size = SKB_DATA_ALIGN(size);
	skb = kzalloc(sizeof(*skb), gfp_mask);
	if (!skb)
		return NULL;
	data = kmalloc(size + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)), gfp_mask);
	if (!data) {
		kfree(skb);
		return NULL;
	}
	skb->truesize = SKB_TRUESIZE(size);
	refcount_set(&skb->users, 1);
	skb->head = data;
	skb->data = data;
	skb_reset_tail_pointer(skb);
	skb_set_end_offset(skb, size);
	skb->mac_header = (typeof(skb->mac_header))~0U;
	skb->transport_header = (typeof(skb->transport_header))~0U;
	shinfo = skb_shinfo(skb);
	memset(shinfo, 0, offsetof(struct skb_shared_info, dataref));
	atomic_set(&shinfo->dataref, 1);
	return skb;
}

struct sk_buff *__netdev_alloc_skb(struct net_device *dev, unsigned int len, gfp_t gfp_mask)
{
	struct sk_buff *skb = __alloc_skb(len + NET_SKB_PAD, gfp_mask, SKB_ALLOC_RX, NUMA_NO_NODE);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	skb->dev = dev;
	return skb;
}

LX_DEFINE_NAPI_ALLOC_SKB(napi, len, gfp_mask) /* the name depends on the version: lx_compat.h */
{
	struct sk_buff *skb = __alloc_skb(len + NET_SKB_PAD + NET_IP_ALIGN, LX_NAPI_ALLOC_GFP(gfp_mask), SKB_ALLOC_RX,
					  NUMA_NO_NODE);
	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD + NET_IP_ALIGN);
	skb->dev = napi->dev;
	return skb;
}

/* ---- page fragments of received frames ---------------------------------------------------------
 * A driver that receives into pages adds them to an skb as fragments
 * (skb_add_rx_frag, napi_get_frags): the skb then holds the driver's
 * reference on each page (lx_page.c's struct page, Linux's refcounting)
 * and drops it when its data goes.  Pages of a page_pool (skb->pp_recycle)
 * would go back to their pool; the runtime does not recycle through skbs,
 * so such a page is kept (a leak, said once) rather than freed under the
 * pool.  Delivery to the host copies the fragments out (lx_net_napi.c). */
static void lx_skb_frags_release(struct sk_buff *skb)
{
	struct skb_shared_info *sh = skb_shinfo(skb);
	int i;
	if (sh->nr_frags && skb->pp_recycle) {
		WARN_ONCE(1, "lx_net: page_pool fragments are not recycled through skbs (kept)");
		sh->nr_frags = 0;
		return;
	}
	for (i = 0; i < sh->nr_frags; i++)
		put_page(skb_frag_page(&sh->frags[i]));
	sh->nr_frags = 0;
}

#if LX_HAVE_skb_add_rx_frag_netmem
void skb_add_rx_frag_netmem(struct sk_buff *skb, int i, netmem_ref netmem, int off, int size, unsigned int truesize)
{
	skb_fill_netmem_desc(skb, i, netmem, off, size);
#else
void skb_add_rx_frag(struct sk_buff *skb, int i, struct page *page, int off, int size, unsigned int truesize)
{
	skb_fill_page_desc(skb, i, page, off, size);
#endif
	skb->len += size;
	skb->data_len += size;
	skb->truesize += truesize;
}

/* Drop this skb's hold on its head (shared by clones). */
static void lx_skb_release_data(struct sk_buff *skb)
{
	if (skb->cloned && atomic_dec_return(&skb_shinfo(skb)->dataref) != 0)
		return;
	lx_skb_frags_release(skb);
	kfree_skb_list(skb_shinfo(skb)->frag_list);
	if (skb->head_frag)
		skb_free_frag(skb->head); /* build_skb around a fragment (lx_net_frag.c) */
	else
		kfree(skb->head);
}

static void lx_skb_free(struct sk_buff *skb)
{
	if (skb->destructor)
		skb->destructor(skb);
	lx_skb_release_data(skb);
	kfree(skb);
}

LX_DEFINE_KFREE_SKB_REASON(skb, reason) /* the name depends on the version: lx_compat.h */
{
	(void)reason;
	if (skb && skb_unref(skb))
		lx_skb_free(skb);
}

void kfree_skb_list_reason(struct sk_buff *segs, enum skb_drop_reason reason)
{
	while (segs) {
		struct sk_buff *next = segs->next;
		kfree_skb_reason(segs, reason);
		segs = next;
	}
}

#ifdef CONFIG_TRACEPOINTS /* otherwise consume_skb is an inline kfree_skb */
void consume_skb(struct sk_buff *skb)
{
	if (skb && skb_unref(skb))
		lx_skb_free(skb);
}
#endif

void LX_FN_dev_kfree_skb_irq(struct sk_buff *skb, LX_SKB_FREE_REASON_T reason)
{
	(void)reason;
	kfree_skb(skb);
}

void LX_FN_dev_kfree_skb_any(struct sk_buff *skb, LX_SKB_FREE_REASON_T reason)
{
	(void)reason;
	kfree_skb(skb);
}

void napi_consume_skb(struct sk_buff *skb, int budget)
{
	(void)budget;
	kfree_skb(skb);
}

/* ---- head and tail ----------------------------------------------------------------------------- */

void *skb_put(struct sk_buff *skb, unsigned int len)
{
	void *tmp = skb_tail_pointer(skb);
	if (WARN_ON(skb_is_nonlinear(skb)))
		return tmp;
	skb->tail += len;
	skb->len += len;
	if (unlikely(skb->tail > skb->end))
		lx_skb_panic(skb, "over_panic", len, __builtin_return_address(0));
	return tmp;
}

void *skb_push(struct sk_buff *skb, unsigned int len)
{
	skb->data -= len;
	skb->len += len;
	if (unlikely(skb->data < skb->head))
		lx_skb_panic(skb, "under_panic", len, __builtin_return_address(0));
	return skb->data;
}

void *skb_pull(struct sk_buff *skb, unsigned int len)
{
	return skb_pull_inline(skb, len);
}

void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (skb->len > len)
		__skb_trim(skb, len);
}

int ___pskb_trim(struct sk_buff *skb, unsigned int len)
{
	if (WARN_ON(skb_is_nonlinear(skb)))
		return -EINVAL;
	__skb_trim(skb, len);
	return 0;
}

void *__pskb_pull_tail(struct sk_buff *skb, int delta)
{
	/* only reached when more than the linear part is wanted: a linear
	 * skb simply does not have it */
	(void)skb, (void)delta;
	return NULL;
}

/* Header offsets count from head: a head that grew by off in front moves them. */
static void lx_skb_headers_moved(struct sk_buff *skb, int off)
{
	if (skb_mac_header_was_set(skb))
		skb->mac_header += off;
	skb->network_header += off;
	if (skb_transport_header_was_set(skb))
		skb->transport_header += off;
	skb->inner_mac_header += off;
	skb->inner_network_header += off;
	skb->inner_transport_header += off;
}

int pskb_expand_head(struct sk_buff *skb, int nhead, int ntail, gfp_t gfp_mask)
{
	unsigned int size = SKB_DATA_ALIGN(nhead + skb_end_offset(skb) + ntail);
	u8 *data;
	long off;
	if (WARN_ON(nhead < 0 || skb_shared(skb) || skb_is_nonlinear(skb)))
		return -EINVAL;
	data = kmalloc(size + SKB_DATA_ALIGN(sizeof(struct skb_shared_info)), gfp_mask);
	if (!data)
		return -ENOMEM;
	memcpy(data + nhead, skb->head, skb_tail_pointer(skb) - skb->head);
	memcpy(data + size, skb_shinfo(skb), offsetof(struct skb_shared_info, frags));
	skb_shinfo(skb)->frag_list = NULL; /* moved to the new head */
	lx_skb_release_data(skb);
	off = (data + nhead) - skb->head;
	skb->head = data;
	skb->head_frag = 0;
	skb->data += off;
	skb_set_end_offset(skb, size);
	skb->tail += nhead; /* an offset from head (NET_SKBUFF_DATA_USES_OFFSET) */
	lx_skb_headers_moved(skb, nhead);
	skb->cloned = 0;
	skb->hdr_len = 0;
	skb->nohdr = 0;
	atomic_set(&skb_shinfo(skb)->dataref, 1);
	return 0;
}

int __skb_pad(struct sk_buff *skb, int pad, bool free_on_error)
{
	int ntail, rc;
	if (!skb_cloned(skb) && skb_tailroom(skb) >= pad) {
		memset(skb->data + skb->len, 0, pad);
		return 0;
	}
	ntail = pad - skb_tailroom(skb);
	rc = pskb_expand_head(skb, 0, ntail > 0 ? ntail : 0, GFP_ATOMIC);
	if (rc) {
		if (free_on_error)
			kfree_skb(skb);
		return rc;
	}
	memset(skb->data + skb->len, 0, pad);
	return 0;
}

/* ---- copies and clones ----------------------------------------------------------------------------- */

int skb_copy_bits(const struct sk_buff *skb, int offset, void *to, int len)
{
	const struct skb_shared_info *sh = skb_shinfo(skb);
	int headlen = (int)skb_headlen(skb), i, end = headlen;
	char *out = to;
	if (offset < 0 || len < 0 || offset + len > (int)skb->len)
		return -EFAULT;
	if (offset < headlen) {
		int n = min(len, headlen - offset);
		memcpy(out, skb->data + offset, n);
		out += n, offset += n, len -= n;
	}
	for (i = 0; i < sh->nr_frags && len > 0; i++) {
		const skb_frag_t *f = &sh->frags[i];
		int start = end;
		end += (int)skb_frag_size(f);
		if (offset < end) {
			int n = min(len, end - offset);
			memcpy(out, (char *)skb_frag_address(f) + (offset - start), n);
			out += n, offset += n, len -= n;
		}
	}
	return len ? -EFAULT : 0; /* the rest is on frag_list: not kept by the runtime */
}

struct sk_buff *skb_clone(struct sk_buff *skb, gfp_t gfp_mask)
{
	struct sk_buff *n = kmalloc(sizeof(*n), gfp_mask);
	if (!n)
		return NULL;
	memcpy(n, skb, sizeof(*n));
	n->next = n->prev = NULL;
	n->sk = NULL;
	n->destructor = NULL;
	refcount_set(&n->users, 1);
	n->nohdr = 0;
	skb->cloned = 1;
	n->cloned = 1;
	atomic_inc(&skb_shinfo(skb)->dataref);
	return n;
}

struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp_mask)
{
	unsigned int headroom = skb_headroom(skb);
	struct sk_buff *n = __alloc_skb(headroom + skb->len + skb_tailroom(skb), gfp_mask, 0, NUMA_NO_NODE);
	if (!n)
		return NULL;
	if (WARN_ON(skb_is_nonlinear(skb))) {
		kfree_skb(n);
		return NULL;
	}
	skb_reserve(n, headroom);
	skb_put_data(n, skb->data, skb->len);
	memcpy(n->head, skb->head, headroom); /* same offsets: mac/network headers stay valid */
	n->dev = skb->dev;
	n->protocol = skb->protocol;
	n->pkt_type = skb->pkt_type;
	n->ip_summed = skb->ip_summed;
	n->csum = skb->csum;
	n->priority = skb->priority;
	n->queue_mapping = skb->queue_mapping;
	n->mac_header = skb->mac_header;
	n->network_header = skb->network_header;
	n->transport_header = skb->transport_header;
	n->mac_len = skb->mac_len;
	return n;
}

/* ---- checksums (plain C: arch/x86's csum code drags in user-copy code) ---------------------------- */

static u64 lx_csum_add_bytes(u64 acc, const u8 *p, int len)
{
	for (; len >= 2; p += 2, len -= 2)
		acc += get_unaligned((const u16 *)p); /* memory-order 16-bit words */
	if (len)
		acc += *p; /* little endian: the odd byte is the low half of a word */
	return acc;
}

static __wsum lx_csum_fold64(u64 acc)
{
	while (acc >> 32)
		acc = (acc & 0xffffffffu) + (acc >> 32);
	return (__force __wsum)(u32)acc;
}

__wsum csum_partial(const void *buff, int len, __wsum sum)
{
	return lx_csum_fold64(lx_csum_add_bytes((__force u32)sum, buff, len));
}

__sum16 csum_ipv6_magic(const struct in6_addr *saddr, const struct in6_addr *daddr, __u32 len, __u8 proto,
			__wsum sum)
{
	u64 acc = (__force u32)sum;
	acc = lx_csum_add_bytes(acc, (const u8 *)saddr, 16);
	acc = lx_csum_add_bytes(acc, (const u8 *)daddr, 16);
	acc += (__force u32)htonl(len);
	acc += (__force u32)htonl(proto);
	return csum_fold(lx_csum_fold64(acc));
}

int skb_checksum_help(struct sk_buff *skb)
{
	int offset, rc;
	__wsum csum;
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	offset = skb_checksum_start_offset(skb);
	if (WARN_ON(offset < 0 || offset + skb->csum_offset + 2 > (int)skb_headlen(skb)))
		return -EINVAL;
	if (skb_cloned(skb) && (rc = pskb_expand_head(skb, 0, 0, GFP_ATOMIC)))
		return rc;
	csum = csum_partial(skb->data + offset, skb->len - offset, 0);
	*(__sum16 *)(skb->data + offset + skb->csum_offset) = csum_fold(csum) ?: CSUM_MANGLED_0;
	skb->ip_summed = CHECKSUM_NONE;
	return 0;
}

/* Software segmentation of a GSO frame: the frames the host hands the
 * daemon's stack are whole MTU-sized frames, never GSO ones, so a driver's
 * own segmentation path (skb_gso_segment for a frame its hardware cannot
 * offload) has nothing to cut.  A GSO frame reaching here is an error the
 * caller handles (it drops the frame), reported once. */
struct sk_buff *__skb_gso_segment(struct sk_buff *skb, netdev_features_t features, bool tx_path)
{
	(void)features, (void)tx_path;
	WARN_ONCE(1, "lx: a frame to segment (gso_size %u): the daemon's stack makes no GSO frames\n",
		  skb_shinfo(skb)->gso_size);
	return ERR_PTR(-EPROTONOSUPPORT);
}

void skb_copy_and_csum_dev(const struct sk_buff *skb, u8 *to)
{
	unsigned int start = skb->ip_summed == CHECKSUM_PARTIAL ? skb_checksum_start_offset(skb) : skb_headlen(skb);
	if (WARN_ON(skb_is_nonlinear(skb) || start > skb->len))
		return;
	memcpy(to, skb->data, skb->len);
	if (start < skb->len) {
		__wsum csum = csum_partial(to + start, skb->len - start, 0);
		*(__sum16 *)(to + start + skb->csum_offset) = csum_fold(csum);
	}
}

/* ---- Ethernet ------------------------------------------------------------------------------------------ */

__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	const struct ethhdr *eth;
	skb->dev = dev;
	skb_reset_mac_header(skb);
	eth = (const struct ethhdr *)skb->data;
	skb_pull_inline(skb, ETH_HLEN);
	if (is_multicast_ether_addr(eth->h_dest))
		skb->pkt_type = ether_addr_equal(eth->h_dest, dev->broadcast) ? PACKET_BROADCAST : PACKET_MULTICAST;
	else if (!ether_addr_equal(eth->h_dest, dev->dev_addr))
		skb->pkt_type = PACKET_OTHERHOST;
	if (eth_proto_is_802_3(eth->h_proto))
		return eth->h_proto;
	/* below 1536 it is a length: raw 802.3 (Novell's 0xFFFF) or 802.2 LLC */
	if (skb->len >= 2 && *(const u16 *)skb->data == 0xFFFF)
		return htons(ETH_P_802_3);
	return htons(ETH_P_802_2);
}

int eth_validate_addr(struct net_device *dev)
{
	return is_valid_ether_addr(dev->dev_addr) ? 0 : -EADDRNOTAVAIL;
}

int eth_prepare_mac_addr_change(struct net_device *dev, void *p)
{
	const struct sockaddr *addr = p;
	if (!(dev->priv_flags & IFF_LIVE_ADDR_CHANGE) && netif_running(dev))
		return -EBUSY;
	return is_valid_ether_addr((const u8 *)addr->sa_data) ? 0 : -EADDRNOTAVAIL;
}

void eth_commit_mac_addr_change(struct net_device *dev, void *p)
{
	const struct sockaddr *addr = p;
	eth_hw_addr_set(dev, (const u8 *)addr->sa_data);
}

int eth_mac_addr(struct net_device *dev, void *p)
{
	int rc = eth_prepare_mac_addr_change(dev, p);
	if (!rc)
		eth_commit_mac_addr_change(dev, p);
	return rc;
}

/* ---- locked skb queues (net/core/skbuff.c): the __skb_* helpers under the list's lock ---- */

struct sk_buff *skb_dequeue(struct sk_buff_head *list)
{
	unsigned long flags;
	struct sk_buff *skb;
	spin_lock_irqsave(&list->lock, flags);
	skb = __skb_dequeue(list);
	spin_unlock_irqrestore(&list->lock, flags);
	return skb;
}

struct sk_buff *skb_dequeue_tail(struct sk_buff_head *list)
{
	unsigned long flags;
	struct sk_buff *skb;
	spin_lock_irqsave(&list->lock, flags);
	skb = __skb_dequeue_tail(list);
	spin_unlock_irqrestore(&list->lock, flags);
	return skb;
}

void skb_queue_head(struct sk_buff_head *list, struct sk_buff *newsk)
{
	unsigned long flags;
	spin_lock_irqsave(&list->lock, flags);
	__skb_queue_head(list, newsk);
	spin_unlock_irqrestore(&list->lock, flags);
}

void skb_queue_tail(struct sk_buff_head *list, struct sk_buff *newsk)
{
	unsigned long flags;
	spin_lock_irqsave(&list->lock, flags);
	__skb_queue_tail(list, newsk);
	spin_unlock_irqrestore(&list->lock, flags);
}

void skb_unlink(struct sk_buff *skb, struct sk_buff_head *list)
{
	unsigned long flags;
	spin_lock_irqsave(&list->lock, flags);
	__skb_unlink(skb, list);
	spin_unlock_irqrestore(&list->lock, flags);
}

void skb_append(struct sk_buff *old, struct sk_buff *newsk, struct sk_buff_head *list)
{
	unsigned long flags;
	spin_lock_irqsave(&list->lock, flags);
	__skb_queue_after(list, old, newsk);
	spin_unlock_irqrestore(&list->lock, flags);
}

/* No socket in a daemon asks for transmit timestamps (nothing sets
 * SKBTX_SW_TSTAMP without one): Linux's __skb_tstamp_tx returns at once for
 * an skb without a socket, and so does this. */
void skb_tstamp_tx(struct sk_buff *orig_skb, struct skb_shared_hwtstamps *hwtstamps)
{
	(void)orig_skb, (void)hwtstamps;
}

/* Emptying a locked queue (net/core/skbuff.c); 6.7 gave it a drop reason
 * (skb_queue_purge() is an inline over skb_queue_purge_reason(): lx_compat.h). */
#if LX_HAVE_skb_queue_purge_reason
void skb_queue_purge_reason(struct sk_buff_head *list, enum skb_drop_reason reason)
#else
void skb_queue_purge(struct sk_buff_head *list)
#endif
{
	struct sk_buff *skb;
	while ((skb = skb_dequeue(list)) != NULL)
#if LX_HAVE_skb_queue_purge_reason
		kfree_skb_reason(skb, reason);
#else
		kfree_skb(skb);
#endif
}

/* The destructor of an skb a socket owns (net/core/sock.c): a daemon has no
 * sockets, so no skb it frees has an owner; one that had would be a bug. */
void sock_efree(struct sk_buff *skb)
{
	WARN_ONCE(skb->sk, "sock_efree: an skb owned by a socket in a daemon");
}
