/* lx_net_frag.c: receive buffers as "page fragments" and skbs built around
 * them (netdev_alloc_frag/napi_alloc_frag, build_skb/napi_build_skb,
 * skb_free_frag), which drivers such as e1000 use for RX.
 *
 * There is no struct page model, so a fragment is a kmalloc'd block whose
 * size and alignment are the same power of two (at least 64 bytes): Linux
 * frees a fragment by ANY address inside it (page_frag_free finds the head
 * page), and e1000 indeed frees rx buffers by an address past its headroom.
 * So page_frag_free tries each size class, rounds the address down to it and
 * looks the candidate up in a set of live fragments; only a member is freed,
 * anything else panics loudly.  An skb built around a fragment
 * (skb->head_frag) releases its head with skb_free_frag (lx_net_skb.c).
 * DMA mapping of a fragment (dma_map_single) bounces or translates like
 * any other kmalloc'd buffer (lx_dma.c). */
#include "lx_net.h"
#include <linux/gfp.h>
#include <linux/hash.h>

#define LX_FRAG_MIN_SHIFT 6
#define LX_FRAG_MAX_SHIFT 16 /* Linux's page_frag caches stop at 32 KiB */

/* Open-addressing set of live fragments: key = start | size shift. */
static unsigned long *lx_frag_set;
static unsigned int lx_frag_cap, lx_frag_used, lx_frag_tomb;
#define LX_FRAG_TOMB 1ul /* never a key: keys have a shift >= 6 in the low bits */

static unsigned int lx_frag_slot(unsigned long key)
{
	return (unsigned int)(hash_long(key, 32) & (lx_frag_cap - 1));
}

static int lx_frag_set_grow(void)
{
	unsigned long *old = lx_frag_set;
	unsigned int i, oldcap = lx_frag_cap;
	unsigned int cap = oldcap ? oldcap * 2 : 256;
	if (lx_frag_used * 2 < oldcap)
		cap = oldcap; /* mostly tombstones: rehash in place */
	lx_frag_set = kcalloc(cap, sizeof(*lx_frag_set), GFP_ATOMIC);
	if (!lx_frag_set) {
		lx_frag_set = old;
		return -ENOMEM;
	}
	lx_frag_cap = cap;
	lx_frag_used = lx_frag_tomb = 0;
	for (i = 0; i < oldcap; i++)
		if (old[i] > LX_FRAG_TOMB) {
			unsigned int j = lx_frag_slot(old[i]);
			while (lx_frag_set[j])
				j = (j + 1) & (cap - 1);
			lx_frag_set[j] = old[i];
			lx_frag_used++;
		}
	kfree(old);
	return 0;
}

static int lx_frag_add(unsigned long key)
{
	unsigned int j;
	if ((lx_frag_used + lx_frag_tomb + 1) * 4 > lx_frag_cap * 3 && lx_frag_set_grow())
		return -ENOMEM;
	j = lx_frag_slot(key);
	while (lx_frag_set[j] > LX_FRAG_TOMB)
		j = (j + 1) & (lx_frag_cap - 1);
	if (lx_frag_set[j] == LX_FRAG_TOMB)
		lx_frag_tomb--;
	lx_frag_set[j] = key;
	lx_frag_used++;
	return 0;
}

/* Remove key; 1 if it was there. */
static int lx_frag_del(unsigned long key)
{
	unsigned int j, n;
	if (!lx_frag_cap)
		return 0;
	j = lx_frag_slot(key);
	for (n = 0; n < lx_frag_cap && lx_frag_set[j]; n++, j = (j + 1) & (lx_frag_cap - 1))
		if (lx_frag_set[j] == key) {
			lx_frag_set[j] = LX_FRAG_TOMB;
			lx_frag_used--;
			lx_frag_tomb++;
			return 1;
		}
	return 0;
}

static void *lx_frag_alloc(unsigned int fragsz, unsigned int align_mask)
{
	unsigned int shift = LX_FRAG_MIN_SHIFT;
	size_t align = (size_t)(~align_mask) + 1;
	void *p;
	while (shift < LX_FRAG_MAX_SHIFT && ((1u << shift) < fragsz || (1u << shift) < align))
		shift++;
	if ((1u << shift) < fragsz || (1u << shift) < align) {
		WARN_ONCE(1, "netdev_alloc_frag(%u): larger than the runtime's fragments", fragsz);
		return NULL;
	}
	p = lx_alloc(1u << shift, 1u << shift, GFP_ATOMIC);
	if (p && lx_frag_add((unsigned long)p | shift)) {
		kfree(p);
		p = NULL;
	}
	return p;
}

void *__netdev_alloc_frag_align(unsigned int fragsz, unsigned int align_mask)
{
	return lx_frag_alloc(fragsz, align_mask);
}

void *__napi_alloc_frag_align(unsigned int fragsz, unsigned int align_mask)
{
	return lx_frag_alloc(fragsz, align_mask);
}

void page_frag_free(void *addr)
{
	unsigned long a = (unsigned long)addr;
	unsigned int shift;
	for (shift = LX_FRAG_MIN_SHIFT; shift <= LX_FRAG_MAX_SHIFT; shift++) {
		unsigned long start = a & ~((1ul << shift) - 1);
		if (lx_frag_del(start | shift)) {
			kfree((void *)start);
			return;
		}
	}
	panic("page_frag_free(%px): not inside a fragment from netdev_alloc_frag/napi_alloc_frag", addr);
}

/* An skb whose head is data (frag_size bytes, skb_shared_info at the end;
 * 0: the whole kmalloc block). */
struct sk_buff *build_skb(void *data, unsigned int frag_size)
{
	size_t shinfo_size = SKB_DATA_ALIGN(sizeof(struct skb_shared_info));
	size_t total = frag_size ? frag_size : ksize(data);
	struct skb_shared_info *shinfo;
	struct sk_buff *skb;
	unsigned int size;
	if (total <= shinfo_size)
		return NULL;
	size = total - shinfo_size;
	skb = kzalloc(sizeof(*skb), GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb->truesize = SKB_TRUESIZE(size);
	refcount_set(&skb->users, 1);
	skb->head = data;
	skb->data = data;
	skb_reset_tail_pointer(skb);
	skb_set_end_offset(skb, size);
	skb->mac_header = (typeof(skb->mac_header))~0U;
	skb->transport_header = (typeof(skb->transport_header))~0U;
	skb->head_frag = frag_size != 0;
	shinfo = skb_shinfo(skb);
	memset(shinfo, 0, offsetof(struct skb_shared_info, dataref));
	atomic_set(&shinfo->dataref, 1);
	return skb;
}

struct sk_buff *napi_build_skb(void *data, unsigned int frag_size)
{
	return build_skb(data, frag_size);
}
