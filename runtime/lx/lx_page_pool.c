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
 * and NUMA are not modelled. */
#include "lx_internal.h"
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/poison.h>
#include <net/page_pool.h>

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

struct page_pool *page_pool_create(const struct page_pool_params *params)
{
	struct lx_page_pool *pp;
	unsigned int cap = params->pool_size ? params->pool_size : 1024;
	if (params->flags & ~PP_FLAG_ALL)
		return ERR_PTR(-EINVAL);
	if (params->flags & PP_FLAG_DMA_MAP) {
		if (!params->dev ||
		    (params->dma_dir != DMA_FROM_DEVICE && params->dma_dir != DMA_BIDIRECTIONAL))
			return ERR_PTR(-EINVAL);
	}
	if ((params->flags & PP_FLAG_DMA_SYNC_DEV) && (!(params->flags & PP_FLAG_DMA_MAP) || !params->max_len))
		return ERR_PTR(-EINVAL);
	if (params->order >= MAX_ORDER || cap > 32768)
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
	pp->pool.p = *params;
	refcount_set(&pp->pool.user_cnt, 1);
	if (params->flags & PP_FLAG_DMA_MAP)
		get_device(params->dev);
	return &pp->pool;
}

static void lx_pp_free(struct lx_page_pool *pp)
{
	if (pp->pool.p.flags & PP_FLAG_DMA_MAP)
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
	if (pool->p.flags & PP_FLAG_DMA_MAP) {
		dma_addr_t dma = dma_map_page_attrs(pool->p.dev, page, 0, PAGE_SIZE << pool->p.order, pool->p.dma_dir,
						    DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_WEAK_ORDERING);
		if (dma_mapping_error(pool->p.dev, dma)) {
			put_page(page);
			return NULL;
		}
		page_pool_set_dma_addr(page, dma);
		if (pool->p.flags & PP_FLAG_DMA_SYNC_DEV)
			lx_pp_sync_for_device(pool, page, pool->p.max_len);
	}
	page->pp_magic |= PP_SIGNATURE;
	page->pp = pool;
	if (pool->p.init_callback)
		pool->p.init_callback(page, pool->p.init_arg);
	pool->pages_state_hold_cnt++;
	pp->inflight++;
	return page;
}

/* The page leaves the pool: unmapped, no longer marked as the pool's. */
void page_pool_release_page(struct page_pool *pool, struct page *page)
{
	struct lx_page_pool *pp = lx_pp(pool);
	if (pool->p.flags & PP_FLAG_DMA_MAP) {
		dma_unmap_page_attrs(pool->p.dev, page_pool_get_dma_addr(page), PAGE_SIZE << pool->p.order,
				     pool->p.dma_dir, DMA_ATTR_SKIP_CPU_SYNC | DMA_ATTR_WEAK_ORDERING);
		page_pool_set_dma_addr(page, 0);
	}
	page->pp_magic = 0;
	page->pp = NULL;
	atomic_inc(&pool->pages_state_release_cnt);
	if (!--pp->inflight && pp->destroyed)
		lx_pp_free(pp);
}

void page_pool_put_defragged_page(struct page_pool *pool, struct page *page, unsigned int dma_sync_size,
				  bool allow_direct)
{
	struct lx_page_pool *pp = lx_pp(pool);
	(void)allow_direct; /* one thread: every context may recycle */
	if (page_ref_count(page) == 1 && !page_is_pfmemalloc(page) && !pp->destroyed && pp->depth < pp->cap) {
		if (pool->p.flags & PP_FLAG_DMA_SYNC_DEV)
			lx_pp_sync_for_device(pool, page, dma_sync_size);
		pp->stack[pp->depth++] = page;
		return;
	}
	page_pool_release_page(pool, page);
	put_page(page);
}

void page_pool_put_page_bulk(struct page_pool *pool, void **data, int count)
{
	int i;
	for (i = 0; i < count; i++) {
		struct page *page = virt_to_head_page(data[i]);
		if (page_pool_is_last_frag(pool, page))
			page_pool_put_defragged_page(pool, page, -1, true);
	}
}

struct page *page_pool_alloc_frag(struct page_pool *pool, unsigned int *offset, unsigned int size, gfp_t gfp)
{
	unsigned int max = PAGE_SIZE << pool->p.order;
	struct page *page = pool->frag_page;
	if (WARN_ON(!(pool->p.flags & PP_FLAG_PAGE_FRAG) || size > max))
		return NULL;
	size = ALIGN(size, dma_get_cache_alignment());
	if (page && pool->frag_offset + size > max) {
		/* used up: drop the pool's own count on it */
		pool->frag_page = NULL;
		if (page_pool_defrag_page(page, 1) == 0)
			page_pool_put_defragged_page(pool, page, -1, false);
		page = NULL;
	}
	if (!page) {
		page = page_pool_alloc_pages(pool, gfp);
		if (!page)
			return NULL;
		pool->frag_page = page;
		pool->frag_offset = 0;
		page_pool_fragment_page(page, 1); /* the pool's count */
	}
	atomic_long_inc(&page->pp_frag_count);
	*offset = pool->frag_offset;
	pool->frag_offset += size;
	return page;
}

/* skb_pp_recycle(): an skb frag or head that came from a pool goes back. */
bool page_pool_return_skb_page(struct page *page)
{
	page = compound_head(page);
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
	frag = pool->frag_page;
	pool->frag_page = NULL;
	if (frag && page_pool_defrag_page(frag, 1) == 0)
		page_pool_put_defragged_page(pool, frag, -1, false);
	while (pp->depth) {
		struct page *page = pp->stack[--pp->depth];
		page_pool_release_page(pool, page);
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
