/* lx_mempool.c: memory pools (what Linux's mm/mempool.c gives a driver): a
 * pool keeps min_nr elements in reserve, allocated up front with the
 * pool's own allocator; mempool_alloc tries that allocator first and takes
 * from the reserve when it fails, and when the reserve is empty and the
 * caller may sleep, waits (5 s at a time, as Linux's) for an element to come
 * back; mempool_free refills the reserve before freeing.  The slab, kmalloc
 * and page allocators of mempool.h are here too.  Linux's KASAN poisoning
 * and slab debugging of reserved elements have no equivalent in lx. */
#include "lx_internal.h"
#include <linux/gfp.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/wait.h>

static void lx_mempool_add(mempool_t *pool, void *element)
{
	BUG_ON(pool->curr_nr >= pool->min_nr);
	pool->elements[pool->curr_nr++] = element;
}

void mempool_exit(mempool_t *pool)
{
	while (pool->curr_nr > 0) {
		void *element = pool->elements[--pool->curr_nr];
		pool->free(element, pool->pool_data);
	}
	kfree(pool->elements);
	pool->elements = NULL;
}

void mempool_destroy(mempool_t *pool)
{
	if (!pool)
		return;
	mempool_exit(pool);
	kfree(pool);
}

int mempool_init_node(mempool_t *pool, int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
		      void *pool_data, gfp_t gfp_mask, int node_id)
{
	(void)node_id;
	spin_lock_init(&pool->lock);
	pool->min_nr = min_nr;
	pool->curr_nr = 0;
	pool->pool_data = pool_data;
	pool->alloc = alloc_fn;
	pool->free = free_fn;
	init_waitqueue_head(&pool->wait);
	pool->elements = kmalloc_array(min_nr > 0 ? min_nr : 1, sizeof(void *), gfp_mask);
	if (!pool->elements)
		return -ENOMEM;
	while (pool->curr_nr < pool->min_nr) {
		void *element = pool->alloc(gfp_mask, pool->pool_data);
		if (!element) {
			mempool_exit(pool);
			return -ENOMEM;
		}
		lx_mempool_add(pool, element);
	}
	return 0;
}

int LX_FN_ALLOC(mempool_init)(mempool_t *pool, int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
			      void *pool_data)
{
	return mempool_init_node(pool, min_nr, alloc_fn, free_fn, pool_data, GFP_KERNEL, NUMA_NO_NODE);
}

mempool_t *LX_FN_ALLOC(mempool_create_node)(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn,
					    void *pool_data, gfp_t gfp_mask, int node_id)
{
	mempool_t *pool = kzalloc(sizeof(*pool), gfp_mask);
	if (!pool)
		return NULL;
	if (mempool_init_node(pool, min_nr, alloc_fn, free_fn, pool_data, gfp_mask, node_id)) {
		kfree(pool);
		return NULL;
	}
	return pool;
}

#if !LX_HAVE_alloc_noprof /* since 6.10 a macro over mempool_create_node_noprof */
mempool_t *mempool_create(int min_nr, mempool_alloc_t *alloc_fn, mempool_free_t *free_fn, void *pool_data)
{
	return mempool_create_node(min_nr, alloc_fn, free_fn, pool_data, GFP_KERNEL, NUMA_NO_NODE);
}
#endif

int mempool_resize(mempool_t *pool, int new_min_nr)
{
	void **elements;
	unsigned long flags;
	might_sleep();
	if (new_min_nr <= 0)
		return -EINVAL;
	spin_lock_irqsave(&pool->lock, flags);
	if (new_min_nr <= pool->min_nr) {
		while (new_min_nr < pool->curr_nr) {
			void *element = pool->elements[--pool->curr_nr];
			spin_unlock_irqrestore(&pool->lock, flags);
			pool->free(element, pool->pool_data);
			spin_lock_irqsave(&pool->lock, flags);
		}
		pool->min_nr = new_min_nr;
		spin_unlock_irqrestore(&pool->lock, flags);
		return 0;
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	elements = kmalloc_array(new_min_nr, sizeof(*elements), GFP_KERNEL);
	if (!elements)
		return -ENOMEM;
	spin_lock_irqsave(&pool->lock, flags);
	memcpy(elements, pool->elements, pool->curr_nr * sizeof(*elements));
	kfree(pool->elements);
	pool->elements = elements;
	pool->min_nr = new_min_nr;
	while (pool->curr_nr < pool->min_nr) {
		void *element;
		spin_unlock_irqrestore(&pool->lock, flags);
		element = pool->alloc(GFP_KERNEL, pool->pool_data);
		if (!element)
			return 0; /* Linux's: the reserve fills up as elements are freed */
		spin_lock_irqsave(&pool->lock, flags);
		if (pool->curr_nr < pool->min_nr) {
			lx_mempool_add(pool, element);
		} else {
			spin_unlock_irqrestore(&pool->lock, flags);
			pool->free(element, pool->pool_data);
			return 0;
		}
	}
	spin_unlock_irqrestore(&pool->lock, flags);
	return 0;
}

void *LX_FN_ALLOC(mempool_alloc)(mempool_t *pool, gfp_t gfp_mask)
{
	for (;;) {
		unsigned long flags;
		void *element = pool->alloc(gfp_mask | __GFP_NOWARN, pool->pool_data);
		if (element)
			return element;
		spin_lock_irqsave(&pool->lock, flags);
		if (pool->curr_nr > 0) {
			element = pool->elements[--pool->curr_nr];
			spin_unlock_irqrestore(&pool->lock, flags);
			return element;
		}
		spin_unlock_irqrestore(&pool->lock, flags);
		if (!(gfp_mask & __GFP_DIRECT_RECLAIM))
			return NULL;
		wait_event_timeout(pool->wait, READ_ONCE(pool->curr_nr) > 0, 5 * HZ);
	}
}

void mempool_free(void *element, mempool_t *pool)
{
	unsigned long flags;
	if (!element)
		return;
	if (READ_ONCE(pool->curr_nr) < pool->min_nr) {
		spin_lock_irqsave(&pool->lock, flags);
		if (pool->curr_nr < pool->min_nr) {
			lx_mempool_add(pool, element);
			spin_unlock_irqrestore(&pool->lock, flags);
			wake_up(&pool->wait);
			return;
		}
		spin_unlock_irqrestore(&pool->lock, flags);
	}
	pool->free(element, pool->pool_data);
}

void *mempool_alloc_slab(gfp_t gfp_mask, void *pool_data)
{
	return kmem_cache_alloc(pool_data, gfp_mask);
}

void mempool_free_slab(void *element, void *pool_data)
{
	kmem_cache_free(pool_data, element);
}

void *mempool_kmalloc(gfp_t gfp_mask, void *pool_data)
{
	return kmalloc((size_t)pool_data, gfp_mask);
}

void mempool_kfree(void *element, void *pool_data)
{
	(void)pool_data;
	kfree(element);
}

void *mempool_alloc_pages(gfp_t gfp_mask, void *pool_data)
{
	return alloc_pages(gfp_mask, (unsigned int)(unsigned long)pool_data);
}

void mempool_free_pages(void *element, void *pool_data)
{
	__free_pages(element, (unsigned int)(unsigned long)pool_data);
}
