/* lx_dma.c: the DMA API on kpi_host dma memory.
 *
 * Coherent memory is kpi_host_dma_alloc memory (32-bit bus addresses when
 * the device's coherent mask says so; the bus address is what the device
 * model / hardware sees).  Streaming mappings of a pointer translate it when
 * it already lies in DMA memory (kpi_host_dma_translate), and otherwise
 * bounce: the data is copied into fresh DMA memory for the device, and back
 * on unmap/sync for the CPU, as swiotlb does (DMA_ATTR_SKIP_CPU_SYNC skips
 * those copies, as there).  Pages (lx_page.c) are host DMA memory when the
 * host has some, so dma_map_page() of them is a translation; a scatterlist
 * maps entry by entry (no merging: sg_dma_len() == length).  dma_pool carves
 * fixed-size blocks out of DMA pages. */
#include "lx_internal.h"
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/scatterlist.h>

#ifdef CONFIG_HAS_DMA /* else linux/dma-mapping.h has inline stubs of all this */

struct lx_dma_block {
	struct list_head node;
	struct kpi_dma dma;
	/* streaming bounce: where the CPU's data lives */
	void *orig;
	size_t len;
	enum dma_data_direction dir;
};

static LIST_HEAD(lx_coherent);
static LIST_HEAD(lx_bounces);

static u64 lx_dev_mask(struct device *dev, int coherent)
{
	if (!dev)
		return DMA_BIT_MASK(32);
	if (coherent)
		return dev->coherent_dma_mask ? dev->coherent_dma_mask : DMA_BIT_MASK(32);
	return dev->dma_mask && *dev->dma_mask ? *dev->dma_mask : DMA_BIT_MASK(32);
}

static struct lx_dma_block *lx_dma_get(size_t size, u64 mask)
{
	struct lx_dma_block *b = kzalloc(sizeof(*b), GFP_KERNEL);
	int rc;
	if (!b)
		return NULL;
	rc = kpi_host_dma_alloc(size, mask <= DMA_BIT_MASK(32) ? KPI_DMA_32BIT : 0, &b->dma);
	if (rc < 0 || b->dma.bus + size - 1 > mask) {
		if (rc >= 0)
			kpi_host_dma_free(&b->dma);
		kfree(b);
		return NULL;
	}
	return b;
}

static void lx_dma_put(struct lx_dma_block *b)
{
	list_del(&b->node);
	kpi_host_dma_free(&b->dma);
	kfree(b);
}

void *dma_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t flag, unsigned long attrs)
{
	struct lx_dma_block *b = lx_dma_get(size, lx_dev_mask(dev, 1));
	(void)flag;
	(void)attrs;
	if (!b)
		return NULL;
	list_add(&b->node, &lx_coherent);
	*dma_handle = b->dma.bus;
	return b->dma.virt;
}

void dma_free_attrs(struct device *dev, size_t size, void *cpu_addr, dma_addr_t dma_handle, unsigned long attrs)
{
	struct lx_dma_block *b;
	(void)dev, (void)size, (void)dma_handle, (void)attrs;
	if (!cpu_addr)
		return;
	list_for_each_entry(b, &lx_coherent, node)
		if (b->dma.virt == cpu_addr) {
			lx_dma_put(b);
			return;
		}
	WARN(1, "dma_free_attrs: %px was not allocated by dma_alloc_attrs", cpu_addr);
}

struct lx_dmam {
	struct device *dev;
	size_t size;
	void *vaddr;
	dma_addr_t bus;
};

static void lx_dmam_release(void *data)
{
	struct lx_dmam *m = data;
	dma_free_attrs(m->dev, m->size, m->vaddr, m->bus, 0);
	kfree(m);
}

void *dmam_alloc_attrs(struct device *dev, size_t size, dma_addr_t *dma_handle, gfp_t gfp, unsigned long attrs)
{
	struct lx_dmam *m = kmalloc(sizeof(*m), GFP_KERNEL);
	if (!m)
		return NULL;
	m->vaddr = dma_alloc_attrs(dev, size, &m->bus, gfp, attrs);
	if (!m->vaddr || lx_devres_add(dev, lx_dmam_release, m)) {
		if (m->vaddr)
			dma_free_attrs(dev, size, m->vaddr, m->bus, attrs);
		kfree(m);
		return NULL;
	}
	m->dev = dev;
	m->size = size;
	*dma_handle = m->bus;
	return m->vaddr;
}

void dmam_free_coherent(struct device *dev, size_t size, void *vaddr, dma_addr_t dma_handle)
{
	struct list_head *pos;
	(void)size, (void)dma_handle;
	list_for_each(pos, &dev->devres_head) {
		struct {
			struct list_head node;
			void (*action)(void *data);
			void *data;
		} *r = (void *)pos;
		if (r->action == lx_dmam_release && ((struct lx_dmam *)r->data)->vaddr == vaddr) {
			lx_devres_remove(dev, lx_dmam_release, r->data, 1);
			return;
		}
	}
	WARN(1, "dmam_free_coherent: %px is not managed DMA memory", vaddr);
}

/* ---- streaming ------------------------------------------------------------------------------------ */

dma_addr_t lx_dma_map_single_attrs(struct device *dev, void *ptr, size_t size, enum dma_data_direction dir,
				   unsigned long attrs)
{
	u64 bus, mask = lx_dev_mask(dev, 0);
	struct lx_dma_block *b;
	if (kpi_host_dma_translate(ptr, &bus) == 0 && bus + size - 1 <= mask)
		return bus;
	b = lx_dma_get(size ? size : 1, mask);
	if (!b)
		return DMA_MAPPING_ERROR;
	b->orig = ptr;
	b->len = size;
	b->dir = dir;
	if ((dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		memcpy(b->dma.virt, ptr, size);
	list_add(&b->node, &lx_bounces);
	return b->dma.bus;
}

static struct lx_dma_block *lx_bounce_of(dma_addr_t addr)
{
	struct lx_dma_block *b;
	list_for_each_entry(b, &lx_bounces, node)
		if (addr >= b->dma.bus && addr < b->dma.bus + (b->len ? b->len : 1))
			return b;
	return NULL;
}

void dma_unmap_page_attrs(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir,
			  unsigned long attrs)
{
	struct lx_dma_block *b = lx_bounce_of(addr);
	(void)dev, (void)size;
	if (!b)
		return; /* translated in place: nothing to undo */
	if ((dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL) && !(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		memcpy(b->orig, b->dma.virt, b->len);
	lx_dma_put(b);
}

void LX_FN_DMA_SYNC(dma_sync_single_for_cpu)(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	struct lx_dma_block *b = lx_bounce_of(addr);
	size_t off;
	(void)dev;
	if (!b || !(dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL))
		return;
	off = addr - b->dma.bus;
	memcpy((char *)b->orig + off, (char *)b->dma.virt + off, min(size, b->len - off));
}

void LX_FN_DMA_SYNC(dma_sync_single_for_device)(struct device *dev, dma_addr_t addr, size_t size, enum dma_data_direction dir)
{
	struct lx_dma_block *b = lx_bounce_of(addr);
	size_t off;
	(void)dev;
	if (!b || !(dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL))
		return;
	off = addr - b->dma.bus;
	memcpy((char *)b->dma.virt + off, (char *)b->orig + off, min(size, b->len - off));
}

/* Pages: a translation when the page is host DMA memory the device can
 * reach, else what dma_map_single() does with its address. */
dma_addr_t dma_map_page_attrs(struct device *dev, struct page *page, size_t offset, size_t size,
			      enum dma_data_direction dir, unsigned long attrs)
{
	u64 bus;
	if (lx_page_bus(page, offset, &bus) == 0 && bus + (size ? size : 1) - 1 <= lx_dev_mask(dev, 0))
		return bus;
	return lx_dma_map_single_attrs(dev, (char *)page_address(page) + offset, size, dir, attrs);
}

/* ---- scatterlists: entry by entry ------------------------------------------------------------ */

/* sg_next() is lib/scatterlist.c's (imported by the ports that use it); the
 * runtime walks the list itself so that it needs no import. */
static struct scatterlist *lx_sg_next(struct scatterlist *sg)
{
	if (sg_is_last(sg))
		return NULL;
	sg++;
	if (unlikely(sg_is_chain(sg)))
		sg = sg_chain_ptr(sg);
	return sg;
}

#define lx_for_each_sg(sglist, sg, nr, i) for (i = 0, sg = (sglist); i < (nr); i++, sg = lx_sg_next(sg))

unsigned int dma_map_sg_attrs(struct device *dev, struct scatterlist *sgl, int nents, enum dma_data_direction dir,
			      unsigned long attrs)
{
	struct scatterlist *sg;
	int i, j;
	lx_for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = dma_map_page_attrs(dev, sg_page(sg), sg->offset, sg->length, dir, attrs);
		if (sg->dma_address == DMA_MAPPING_ERROR) {
			struct scatterlist *u;
			lx_for_each_sg(sgl, u, i, j)
				dma_unmap_page_attrs(dev, sg_dma_address(u), sg_dma_len(u), dir, attrs);
			return 0;
		}
		sg_dma_len(sg) = sg->length;
	}
	return nents;
}

void dma_unmap_sg_attrs(struct device *dev, struct scatterlist *sgl, int nents, enum dma_data_direction dir,
			unsigned long attrs)
{
	struct scatterlist *sg;
	int i;
	lx_for_each_sg(sgl, sg, nents, i)
		dma_unmap_page_attrs(dev, sg_dma_address(sg), sg_dma_len(sg), dir, attrs);
}

int dma_map_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir, unsigned long attrs)
{
	unsigned int n = dma_map_sg_attrs(dev, sgt->sgl, sgt->orig_nents, dir, attrs);
	if (!n)
		return -EIO;
	sgt->nents = n;
	return 0;
}

void LX_FN_DMA_SYNC(dma_sync_sg_for_cpu)(struct device *dev, struct scatterlist *sgl, int nelems, enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;
	lx_for_each_sg(sgl, sg, nelems, i)
		dma_sync_single_for_cpu(dev, sg_dma_address(sg), sg_dma_len(sg), dir);
}

void LX_FN_DMA_SYNC(dma_sync_sg_for_device)(struct device *dev, struct scatterlist *sgl, int nelems, enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;
	lx_for_each_sg(sgl, sg, nelems, i)
		dma_sync_single_for_device(dev, sg_dma_address(sg), sg_dma_len(sg), dir);
}

int dma_set_mask(struct device *dev, u64 mask)
{
	if (!dev->dma_mask || mask < DMA_BIT_MASK(24))
		return -EIO;
	*dev->dma_mask = mask;
	return 0;
}

int dma_set_coherent_mask(struct device *dev, u64 mask)
{
	if (mask < DMA_BIT_MASK(24))
		return -EIO;
	dev->coherent_dma_mask = mask;
	return 0;
}

/* ---- dma_pool: blocks carved from DMA chunks, never returned until destroy -------------------------- */

struct dma_pool {
	struct device *dev;
	size_t size, chunk;
	struct list_head chunks; /* lx_dma_block, node */
	void *free;		 /* free list threaded through the blocks */
	char name[32];
};

struct dma_pool *dma_pool_create(const char *name, struct device *dev, size_t size, size_t align, size_t boundary)
{
	struct dma_pool *pool;
	(void)boundary;
	if (!align)
		align = 8;
	if (!size || !is_power_of_2(align))
		return NULL;
	pool = kzalloc(sizeof(*pool), GFP_KERNEL);
	if (!pool)
		return NULL;
	pool->dev = dev;
	pool->size = ALIGN(max_t(size_t, size, sizeof(void *)), align);
	pool->chunk = max_t(size_t, PAGE_SIZE, pool->size);
	INIT_LIST_HEAD(&pool->chunks);
	strscpy(pool->name, name, sizeof(pool->name));
	return pool;
}

void *dma_pool_alloc(struct dma_pool *pool, gfp_t mem_flags, dma_addr_t *handle)
{
	struct lx_dma_block *b;
	void *p;
	if (!pool->free) {
		size_t off;
		b = lx_dma_get(pool->chunk, lx_dev_mask(pool->dev, 1));
		if (!b)
			return NULL;
		list_add(&b->node, &pool->chunks);
		for (off = 0; off + pool->size <= pool->chunk; off += pool->size) {
			void **blk = (void **)((char *)b->dma.virt + off);
			*blk = pool->free;
			pool->free = blk;
		}
	}
	p = pool->free;
	pool->free = *(void **)p;
	list_for_each_entry(b, &pool->chunks, node)
		if ((char *)p >= (char *)b->dma.virt && (char *)p < (char *)b->dma.virt + pool->chunk)
			*handle = b->dma.bus + ((char *)p - (char *)b->dma.virt);
	if (mem_flags & __GFP_ZERO)
		memset(p, 0, pool->size);
	return p;
}

void dma_pool_free(struct dma_pool *pool, void *vaddr, dma_addr_t dma)
{
	(void)dma;
	if (!vaddr)
		return;
	*(void **)vaddr = pool->free;
	pool->free = vaddr;
}

void dma_pool_destroy(struct dma_pool *pool)
{
	if (!pool)
		return;
	while (!list_empty(&pool->chunks))
		lx_dma_put(list_first_entry(&pool->chunks, struct lx_dma_block, node));
	kfree(pool);
}

static void lx_dmam_pool_release(void *pool)
{
	dma_pool_destroy(pool);
}

/* A pool destroyed with its device (devres), as Linux's dmam_pool_create. */
struct dma_pool *dmam_pool_create(const char *name, struct device *dev, size_t size, size_t align, size_t allocation)
{
	struct dma_pool *pool = dma_pool_create(name, dev, size, align, allocation);
	if (pool && lx_devres_add(dev, lx_dmam_pool_release, pool)) {
		dma_pool_destroy(pool);
		return NULL;
	}
	return pool;
}

void dmam_pool_destroy(struct dma_pool *pool)
{
	if (pool && lx_devres_remove(pool->dev, lx_dmam_pool_release, pool, 1))
		dma_pool_destroy(pool); /* not managed: destroyed all the same */
}

/* Mapping coherent memory into a process (a driver's mmap handler): the
 * process would be a client of the host front end, which maps nothing of
 * the daemon's yet (lx_fs.c: remap_pfn_range). */
int dma_mmap_attrs(struct device *dev, struct vm_area_struct *vma, void *cpu_addr, dma_addr_t dma_addr, size_t size,
		   unsigned long attrs)
{
	(void)vma, (void)cpu_addr, (void)dma_addr, (void)attrs;
	dev_warn_once(dev, "dma_mmap_attrs: no client address space to map %zu bytes into\n", size);
	return -ENXIO;
}

#endif /* CONFIG_HAS_DMA */
