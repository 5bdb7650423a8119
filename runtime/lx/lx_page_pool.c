/* lx_page_pool.c: page_pool (include/net/page_pool.h) on the runtime's
 * page allocator (lx_page.c) - pools of pages, DMA-mapped once for the
 * device and recycled while the driver's RX path hands them back.
 *
 * A pool keeps its recycled pages on one stack (pool_size entries, 1024 by
 * default, as Linux's ring): everything runs on one thread, so the "direct"
 * (NAPI) cache and the ring of Linux are one and the same here.  A page is
 * recycled when the pool holds its only reference, like Linux, and synced
 * for the device first with PP_FLAG_DMA_SYNC_DEV.  Fragments
 * (PP_FLAG_PAGE_FRAG) count their users in pp_frag_count, the pool holding
 * one count on the page it is still carving.  page_pool_destroy() returns
 * the cached pages; pages still out with the driver or the stack keep the
 * pool alive until the last one comes back.  Statistics, XDP memory models
 * and NUMA are not modelled.
 *
 * Two versions of the API (lx_compat.h, LX_PAGE_POOL_NETMEM): 6.1's
 * (pp_frag_count, page_pool_put_defragged_page, page_pool_release_page,
 * page_pool_return_skb_page) and 6.12's, where every pool page carries a
 * reference count of the pool's own (pp_ref_count, 1 while one user holds
 * it), pages are also "netmem" handles, the parameters split into a fast
 * and a slow half, and the skb path returns pages through
 * napi_pp_put_page(). */
#include "lx_internal.h"
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include LX_INC_PAGE_POOL
#include LX_INC_PAGE_POOL_SKB

#ifdef CONFIG_PAGE_POOL

struct lx_page_pool {
	struct page_pool pool; /* what the driver sees */
	struct page **stack;   /* recycled pages, still mapped */
	unsigned int depth, cap;
	unsigned long inflight; /* pages given out and not yet released */
	bool destroyed;
};

static struct lx_page_pool *lx_pp(struct page_pool *pool)
{
	return container_of(pool, struct lx_page_pool, pool);
}

#if LX_PAGE_POOL_NETMEM
static void lx_pp_release(struct page_pool *pool, struct page *page);
#endif
/* The pool's count on a fragment page goes; the page goes back if it was the last. */
static void lx_pp_drop_count(struct page_pool *pool, struct page *page)
{
	if (lx_pp_unref_last(page))
		LX_FN_pp_put_last(pool, page, -1, false);
}

struct page_pool *page_pool_create(const struct page_pool_params *params)
{
	struct lx_page_pool *pp;
	unsigned int cap = params->pool_size ? params->pool_size : 1024;
#if LX_PAGE_POOL_NETMEM
	if (params->flags & (PP_FLAG_ALLOW_UNREADABLE_NETMEM | PP_FLAG_SYSTEM_POOL))
		return ERR_PTR(-EOPNOTSUPP); /* device memory, the core's own pools: none here */
#endif
	if (params->flags & ~PP_FLAG_ALL)
		return ERR_PTR(-EINVAL);
	if (params->flags & PP_FLAG_DMA_MAP) {
		if (!params->dev ||
		    (params->dma_dir != DMA_FROM_DEVICE && params->dma_dir != DMA_BIDIRECTIONAL))
			return ERR_PTR(-EINVAL);
	}
	if ((params->flags & PP_FLAG_DMA_SYNC_DEV) && (!(params->flags & PP_FLAG_DMA_MAP) || !params->max_len))
		return ERR_PTR(-EINVAL);
	if (params->order >= LX_NR_PAGE_ORDERS || cap > 32768)
		return ERR_PTR(-E2BIG);
	pp = kzalloc(sizeof(*pp), GFP_KERNEL);
	if (!pp)
		return ERR_PTR(-ENOMEM);
	pp->stack = kcalloc(cap, sizeof(*pp->stack), GFP_KERNEL);
	if (!pp->stack) {
		kfree(pp);
		return ERR_PTR(-ENOMEM);
	}
	pp->cap = cap;
#if LX_PAGE_POOL_NETMEM
	pp->pool.p = params->fast;
	pp->pool.slow = params->slow;
	pp->pool.has_init_callback = !!params->init_callback;
	pp->pool.dma_map = !!(params->flags & PP_FLAG_DMA_MAP);
	pp->pool.dma_sync = !!(params->flags & PP_FLAG_DMA_SYNC_DEV);
	pp->pool.dma_sync_for_cpu = pp->pool.dma_map; /* a page may be bounced (lx_dma.c) */
#else
	pp->pool.p = *params;
#endif
	refcount_set(&pp->pool.user_cnt, 1);
	if (params->flags & PP_FLAG_DMA_MAP)
		get_device(params->dev);
	return &pp->pool;
}

static void lx_pp_free(struct lx_page_pool *pp)
{
	if (LX_PP_FLAGS(&pp->pool) & PP_FLAG_DMA_MAP)
		put_device(pp->pool.p.dev);
	kfree(pp->stack);
	kfree(pp);
}

static void lx_pp_sync_for_device(struct page_pool *pool, struct page *page, unsigned int len)
{
	len = min(len, pool->p.max_len);
	dma_sync_single_for_device(pool->p.dev, page_pool_get_dma_addr(page) + pool->p.offset, len,
				   pool->p.dma_dir);
}

struct page *page_pool_alloc_pages(struct page_pool *pool, gfp_t gfp)
{
	struct lx_page_pool *pp = lx_pp(pool);
	struct page *page;
	if (pp->depth)
		return pp->stack[--pp->depth];
	page = alloc_pages_node(pool->p.nid, gfp | (pool->p.order ? __GFP_COMP : 0), pool->p.order);
	if (!page)
		return NULL;
	if (LX_PP_FLAGS(pool) & PP_FLAG_DMA_MAP) {
		dma_addr_t dma = dma_map_page_attrs(pool->p.dev, page, 0, PAGE_SIZE << pool->p.order, pool->p.dma_dir,
						    DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_WEAK_ORDERING);
		if (dma_mapping_error(pool->p.dev, dma)) {
			put_page(page);
			return NULL;
		}
		lx_pp_set_dma_addr(page, dma);
		if (LX_PP_FLAGS(pool) & PP_FLAG_DMA_SYNC_DEV)
			lx_pp_sync_for_device(pool, page, pool->p.max_len);
	}
	page->pp_magic |= PP_SIGNATURE;
	page->pp = pool;
#if LX_PAGE_POOL_NETMEM
	page_pool_fragment_page(page, 1); /* the one user's reference */
	if (pool->slow.init_callback)
		pool->slow.init_callback(page_to_netmem(page), pool->slow.init_arg);
#else
	if (pool->p.init_callback)
		pool->p.init_callback(page, pool->p.init_arg);
#endif
	pool->pages_state_hold_cnt++;
	pp->inflight++;
	return page;
}

/* The page leaves the pool: unmapped, no longer marked as the pool's
 * (an API of its own until 6.4; lx_compat.h). */
LX_FN_pp_release_storage void LX_FN_pp_release(struct page_pool *pool, struct page *page)
{
	struct lx_page_pool *pp = lx_pp(pool);
	if (LX_PP_FLAGS(pool) & PP_FLAG_DMA_MAP) {
		dma_unmap_page_attrs(pool->p.dev, page_pool_get_dma_addr(page), PAGE_SIZE << pool->p.order,
				     pool->p.dma_dir, DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_WEAK_ORDERING);
		lx_pp_set_dma_addr(page, 0);
	}
	page->pp_magic = 0;
	page->pp = NULL;
	atomic_inc(&pool->pages_state_release_cnt);
	if (!--pp->inflight && pp->destroyed)
		lx_pp_free(pp);
}

/* The last user let go of the page: back on the stack, or released. */
void LX_FN_pp_put_last(struct page_pool *pool, struct page *page, unsigned int dma_sync_size, bool allow_direct)
{
	struct lx_page_pool *pp = lx_pp(pool);
	(void)allow_direct; /* one thread: every context may recycle */
	if (page_ref_count(page) == 1 && !page_is_pfmemalloc(page) && !pp->destroyed && pp->depth < pp->cap) {
		if (LX_PP_FLAGS(pool) & PP_FLAG_DMA_SYNC_DEV)
			lx_pp_sync_for_device(pool, page, dma_sync_size);
		pp->stack[pp->depth++] = page;
		return;
	}
	LX_FN_pp_release(pool, page);
	put_page(page);
}

#if LX_PAGE_POOL_NETMEM
void page_pool_put_unrefed_netmem(struct page_pool *pool, netmem_ref netmem, unsigned int dma_sync_size,
				  bool allow_direct)
{
	page_pool_put_unrefed_page(pool, netmem_to_page(netmem), dma_sync_size, allow_direct);
}
#endif

void page_pool_put_page_bulk(struct page_pool *pool, void **data, int count)
{
	int i;
	for (i = 0; i < count; i++) {
		struct page *page = virt_to_head_page(data[i]);
		if (lx_pp_bulk_last(pool, page))
			LX_FN_pp_put_last(pool, page, -1, true);
	}
}

/* Fragments: the pool holds one count on the page it is carving, each
 * fragment one more; the page goes back when the last count does. */
struct page *page_pool_alloc_frag(struct page_pool *pool, unsigned int *offset, unsigned int size, gfp_t gfp)
{
	unsigned int max = PAGE_SIZE << pool->p.order;
	struct page *page = lx_pp_frag_page(pool);
	if (WARN_ON(!LX_PP_CAN_FRAG(pool) || size > max))
		return NULL;
	size = ALIGN(size, dma_get_cache_alignment());
	if (page && pool->frag_offset + size > max) {
		/* used up: drop the pool's own count on it */
		lx_pp_set_frag_page(pool, NULL);
		lx_pp_drop_count(pool, page);
		page = NULL;
	}
	if (!page) {
		page = page_pool_alloc_pages(pool, gfp);
		if (!page)
			return NULL;
		lx_pp_set_frag_page(pool, page);
		pool->frag_offset = 0;
		page_pool_fragment_page(page, 1); /* the pool's count */
	}
	atomic_long_inc(lx_pp_count(page));
	*offset = pool->frag_offset;
	pool->frag_offset += size;
	return page;
}

#if LX_PAGE_POOL_NETMEM
netmem_ref page_pool_alloc_netmems(struct page_pool *pool, gfp_t gfp)
{
	struct page *page = page_pool_alloc_pages(pool, gfp);
	return page ? page_to_netmem(page) : 0;
}

netmem_ref page_pool_alloc_frag_netmem(struct page_pool *pool, unsigned int *offset, unsigned int size, gfp_t gfp)
{
	struct page *page = page_pool_alloc_frag(pool, offset, size, gfp);
	return page ? page_to_netmem(page) : 0;
}

/* One CPU: a per-CPU pool is a pool. */
struct page_pool *page_pool_create_percpu(const struct page_pool_params *params, int cpuid)
{
	(void)cpuid;
	return page_pool_create(params);
}

void page_pool_disable_direct_recycling(struct page_pool *pool)
{
	(void)pool; /* one thread: no NAPI instance can race the recycling */
}
#endif

/* skb_pp_recycle(): an skb frag or head that came from a pool goes back. */
#if LX_PAGE_POOL_NETMEM
bool napi_pp_put_page(netmem_ref netmem)
{
	struct page *page = compound_head(netmem_to_page(netmem));
#else
bool page_pool_return_skb_page(struct page *page)
{
	page = compound_head(page);
#endif
	if ((page->pp_magic & ~0x3UL) != PP_SIGNATURE)
		return false;
	page_pool_put_full_page(page->pp, page, false);
	return true;
}

void page_pool_update_nid(struct page_pool *pool, int new_nid)
{
	pool->p.nid = new_nid; /* one node */
}

void page_pool_destroy(struct page_pool *pool)
{
	struct lx_page_pool *pp;
	struct page *frag;
	if (!pool || !refcount_dec_and_test(&pool->user_cnt))
		return;
	pp = lx_pp(pool);
	frag = lx_pp_frag_page(pool);
	lx_pp_set_frag_page(pool, NULL);
	if (frag)
		lx_pp_drop_count(pool, frag);
	while (pp->depth) {
		struct page *page = pp->stack[--pp->depth];
		LX_FN_pp_release(pool, page);
		put_page(page);
	}
	/* from now on a returning page is released, the last one frees pp */
	pp->destroyed = true;
	if (!pp->inflight)
		lx_pp_free(pp);
	else
		lx_log(KPI_LOG_DEBUG, "page_pool_destroy: %lu pages still in use; the pool goes with the last",
		       pp->inflight);
}

#endif /* CONFIG_PAGE_POOL */
