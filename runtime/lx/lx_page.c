/* lx_page.c: struct page for the runtime's memory - the page allocator
 * (alloc_pages & co., __get_free_pages, compound pages, folio release),
 * and the address <-> struct page mapping that the kernel headers'
 * page_address()/virt_to_page() rely on.
 *
 * The model (README.md, "Pages"):
 *  - struct page is the kernel's own (the port's config).  The config is
 *    SPARSEMEM without VMEMMAP, so page_to_pfn() is the header inline
 *    `page - section_mem_map(mem_section[section bits of page->flags])`
 *    and page_address() is __va() of that pfn.  A "pfn" here is what __pa()
 *    makes of our (userspace) address, so __va() gives the address back.
 *  - Userspace addresses are beyond the physical range the headers'
 *    sections can describe, so the section number in page->flags is not the
 *    address's: it is a slot the runtime hands out, and that slot's
 *    mem_section holds the coded map of one array of struct pages (Linux
 *    encodes map - start_pfn the same way).  page_to_pfn() and
 *    page_address() stay header inlines.
 *  - The other direction cannot be an inline (the headers bound the section
 *    number): the shadow asm-generic/memory_model.h turns pfn_to_page(),
 *    and with it virt_to_page(), into lx_pfn_to_page(), a lookup in a
 *    4-level table from virtual address to struct page.
 *  - Page allocations are blocks of 2^order pages: host DMA memory when the
 *    host has some (so dma_map_page() is a translation, no bounce), else
 *    heap memory aligned to its size.  Each block has its own contiguous
 *    struct page array and slot.  Any other address (kmalloc memory, the
 *    stack, a BAR mapping) gets "foreign" struct pages on demand, one array
 *    per 2 MiB window, never freed, so sg_set_buf() and virt_to_page() work
 *    on any buffer.
 *  - Refcounts are Linux's: the head of a fresh block holds 1 (the other
 *    pages 0, unless split_page()/alloc_pages_exact() gave each one); a
 *    block goes back to the host when all its handed-out pages reached 0. */
#include "lx_internal.h"
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/vmalloc.h>
#include <asm/set_memory.h>

#if !defined(CONFIG_SPARSEMEM) || defined(CONFIG_SPARSEMEM_VMEMMAP) || !defined(SECTION_IN_PAGE_FLAGS)
#error "runtime/lx models struct page for CONFIG_SPARSEMEM without SPARSEMEM_VMEMMAP (x86_64 allnoconfig)"
#endif

/* Read by the header inlines: page_to_pfn() (mem_section) and __pa() of
 * kernel-image addresses (phys_base, never taken for our addresses). */
struct mem_section **mem_section;
unsigned long phys_base;

/* ---- slots: a mem_section per struct page array ----------------------------------------- */

/* What owns an array of struct pages: a page block or a foreign window. */
struct lx_page_map {
	unsigned int slot;
	unsigned int foreign;
	unsigned long npages;
	struct page *pages;
};

struct lx_page_block {
	struct lx_page_map map; /* first */
	void *virt;
	unsigned int order;
	unsigned int live; /* pages handed out and not yet released */
	int split;	   /* split_page(): every page is handed out */
	int is_dma;
	struct kpi_dma dma;
	struct page pages[] __aligned(64);
};

/* Owners by slot, in roots like mem_section's; released slots are reused. */
static struct lx_page_map **lx_slot_owner[NR_SECTION_ROOTS];
static unsigned long lx_slot_next = 1; /* slot 0 stays empty: a zeroed page maps nowhere */
static unsigned int *lx_slots_free;
static unsigned long lx_nslots_free, lx_slots_free_cap;

static struct mem_section *lx_section(unsigned long slot)
{
	return &mem_section[SECTION_NR_TO_ROOT(slot)][slot & SECTION_ROOT_MASK];
}

static struct lx_page_map **lx_owner_ref(unsigned long slot)
{
	return &lx_slot_owner[SECTION_NR_TO_ROOT(slot)][slot & SECTION_ROOT_MASK];
}

/* A slot for map, its mem_section coding pages - start_pfn; 0 if none left. */
static unsigned long lx_slot_get(struct lx_page_map *map, unsigned long start_pfn)
{
	unsigned long slot, root;
	if (!mem_section) {
		mem_section = lx_alloc(sizeof(*mem_section) * NR_SECTION_ROOTS, 16, GFP_KERNEL | __GFP_ZERO);
		if (!mem_section)
			return 0;
	}
	if (lx_nslots_free) {
		slot = lx_slots_free[--lx_nslots_free];
	} else {
		if (lx_slot_next >= NR_MEM_SECTIONS)
			return 0;
		slot = lx_slot_next;
		root = SECTION_NR_TO_ROOT(slot);
		if (!mem_section[root]) {
			mem_section[root] = lx_alloc(sizeof(struct mem_section) * SECTIONS_PER_ROOT, 16,
						     GFP_KERNEL | __GFP_ZERO);
			lx_slot_owner[root] = lx_alloc(sizeof(void *) * SECTIONS_PER_ROOT, 16, GFP_KERNEL | __GFP_ZERO);
			if (!mem_section[root] || !lx_slot_owner[root]) {
				lx_free(mem_section[root]);
				lx_free(lx_slot_owner[root]);
				mem_section[root] = NULL;
				lx_slot_owner[root] = NULL;
				return 0;
			}
		}
		lx_slot_next++;
	}
	/* the coded map: page_to_pfn(pages + i) == start_pfn + i */
	lx_section(slot)->section_mem_map = ((unsigned long)map->pages - start_pfn * sizeof(struct page)) |
					    SECTION_MARKED_PRESENT | SECTION_HAS_MEM_MAP;
	*lx_owner_ref(slot) = map;
	map->slot = slot;
	return slot;
}

static void lx_slot_put(unsigned long slot)
{
	lx_section(slot)->section_mem_map = 0;
	*lx_owner_ref(slot) = NULL;
	if (lx_nslots_free == lx_slots_free_cap) {
		unsigned long cap = lx_slots_free_cap ? 2 * lx_slots_free_cap : 256;
		unsigned int *n = lx_alloc(cap * sizeof(*n), 16, GFP_ATOMIC);
		if (!n)
			return; /* the slot is lost, not reused */
		if (lx_nslots_free)
			memcpy(n, lx_slots_free, lx_nslots_free * sizeof(*n));
		lx_free(lx_slots_free);
		lx_slots_free = n;
		lx_slots_free_cap = cap;
	}
	lx_slots_free[lx_nslots_free++] = slot;
}

static struct lx_page_map *lx_page_owner(const struct page *page)
{
	unsigned long slot = page_to_section(page);
	if (!slot || slot >= lx_slot_next || !mem_section[SECTION_NR_TO_ROOT(slot)])
		return NULL;
	return *lx_owner_ref(slot);
}

/* ---- virtual address -> struct page ---------------------------------------------------------- */

#define LX_VA_BITS 47
#define LX_PT_BITS 9
#define LX_PT_ENTRIES (1 << LX_PT_BITS)
#define LX_WINDOW_SHIFT (PAGE_SHIFT + LX_PT_BITS) /* one leaf: 2 MiB */

struct lx_pt_node {
	void *e[LX_PT_ENTRIES];
};
struct lx_pt_leaf {
	struct page *page[LX_PT_ENTRIES]; /* block pages; NULL: the foreign page */
	struct lx_page_map *foreign;	  /* this window's foreign pages, made on demand */
};
static void *lx_pt_root[1 << (LX_VA_BITS - LX_WINDOW_SHIFT - 2 * LX_PT_BITS)];

/* The leaf of the 2 MiB window holding va (made when create). */
static struct lx_pt_leaf *lx_pt_leaf(unsigned long va, int create)
{
	void **slot = &lx_pt_root[va >> (LX_WINDOW_SHIFT + 2 * LX_PT_BITS)];
	int level;
	for (level = 2; level >= 0; level--) {
		if (!*slot) {
			if (!create)
				return NULL;
			*slot = lx_alloc(level ? sizeof(struct lx_pt_node) : sizeof(struct lx_pt_leaf), 16,
					 GFP_ATOMIC | __GFP_ZERO);
			if (!*slot)
				return NULL;
		}
		if (!level)
			return *slot;
		slot = &((struct lx_pt_node *)*slot)->e[(va >> (LX_WINDOW_SHIFT + (level - 1) * LX_PT_BITS)) &
							 (LX_PT_ENTRIES - 1)];
	}
	return NULL;
}

static void lx_page_init(struct page *page, unsigned long slot, int refs)
{
	memset(page, 0, sizeof(*page));
	set_page_section(page, slot);
	set_page_zone(page, ZONE_NORMAL);
	atomic_set(&page->_mapcount, -1); /* unmapped, what Linux's allocator leaves */
	set_page_count(page, refs);
}

/* Foreign pages: the struct pages of memory the page allocator did not
 * hand out.  They hold one reference that nobody owns, so get_page() and
 * put_page() pairs never free anything. */
static struct lx_page_map *lx_foreign_window(unsigned long va)
{
	struct lx_page_map *m;
	unsigned long base = va & ~((1UL << LX_WINDOW_SHIFT) - 1), i;
	m = lx_alloc(sizeof(*m) + LX_PT_ENTRIES * sizeof(struct page) + 64, 64, GFP_ATOMIC);
	if (!m)
		return NULL;
	m->pages = (struct page *)ALIGN((unsigned long)(m + 1), 64);
	m->npages = LX_PT_ENTRIES;
	m->foreign = 1;
	if (!lx_slot_get(m, __pa(base) >> PAGE_SHIFT)) {
		lx_free(m);
		return NULL;
	}
	for (i = 0; i < LX_PT_ENTRIES; i++)
		lx_page_init(&m->pages[i], m->slot, 1);
	return m;
}

struct page *lx_pfn_to_page(unsigned long pfn)
{
	unsigned long va = (unsigned long)__va(pfn << PAGE_SHIFT);
	struct lx_pt_leaf *leaf;
	unsigned int i = (va >> PAGE_SHIFT) & (LX_PT_ENTRIES - 1);
	if (va >> LX_VA_BITS) {
		WARN_ONCE(1, "pfn_to_page/virt_to_page(%px): not an address of this process", (void *)va);
		return NULL;
	}
	leaf = lx_pt_leaf(va, 1);
	if (!leaf)
		return NULL;
	if (leaf->page[i])
		return leaf->page[i];
	if (!leaf->foreign)
		leaf->foreign = lx_foreign_window(va);
	return leaf->foreign ? &leaf->foreign->pages[i] : NULL;
}

/* x86's virt_addr_valid(): is this directly mapped memory?  Every address
 * of the process is, except the unmapped bottom (NULL and near it). */
bool __virt_addr_valid(unsigned long x)
{
	return x >= LX_USER_MIN && !(x >> LX_VA_BITS);
}

/* ---- the page allocator -------------------------------------------------------------------- */

static void lx_block_map(struct lx_page_block *b, int on)
{
	unsigned long i, n = 1UL << b->order;
	for (i = 0; i < n; i++) {
		unsigned long va = (unsigned long)b->virt + (i << PAGE_SHIFT);
		struct lx_pt_leaf *leaf = lx_pt_leaf(va, on);
		if (leaf)
			leaf->page[(va >> PAGE_SHIFT) & (LX_PT_ENTRIES - 1)] = on ? &b->pages[i] : NULL;
	}
}

static void lx_block_free(struct lx_page_block *b)
{
	lx_block_map(b, 0);
	lx_slot_put(b->map.slot);
	if (b->is_dma)
		kpi_host_dma_free(&b->dma);
	else
		kpi_host_free(b->virt);
	lx_free(b);
}

struct page *LX_FN_ALLOC(__alloc_pages)(gfp_t gfp, unsigned int order, int preferred_nid, nodemask_t *nodemask)
{
	struct lx_page_block *b;
	unsigned long i, n = 1UL << order, size = PAGE_SIZE << order;
	static int heap_said;
	(void)preferred_nid, (void)nodemask;
	if (order >= LX_NR_PAGE_ORDERS) {
		WARN_ON_ONCE(!(gfp & __GFP_NOWARN));
		return NULL;
	}
	b = lx_alloc(sizeof(*b) + n * sizeof(struct page), 64, GFP_ATOMIC);
	if (!b)
		return NULL;
	memset(b, 0, sizeof(*b));
	b->order = order;
	b->map.pages = b->pages;
	b->map.npages = n;
	/* DMA memory first: every page may end up in a dma_map_page() */
	if (kpi_host_dma_alloc(size, (gfp & (GFP_DMA | GFP_DMA32)) ? KPI_DMA_32BIT : 0, &b->dma) == 0) {
		b->is_dma = 1;
		b->virt = b->dma.virt;
	} else {
		b->virt = kpi_host_malloc(size, size);
		if (!b->virt) {
			lx_free(b);
			if (!(gfp & __GFP_NOWARN))
				lx_log(KPI_LOG_WARNING, "page allocation failure: order %u", order);
			return NULL;
		}
		if (!heap_said++)
			lx_log(KPI_LOG_INFO, "pages from the heap: the host has no DMA memory for them "
			       "(dma_map_page() bounces these)");
	}
	if (!lx_slot_get(&b->map, __pa(b->virt) >> PAGE_SHIFT)) {
		if (b->is_dma)
			kpi_host_dma_free(&b->dma);
		else
			kpi_host_free(b->virt);
		lx_free(b);
		return NULL;
	}
	for (i = 0; i < n; i++)
		lx_page_init(&b->pages[i], b->map.slot, i == 0);
	if (order && (gfp & __GFP_COMP))
		lx_prep_compound(b->pages, order);
	b->live = 1;
	if ((gfp & __GFP_ZERO) && !b->is_dma) /* host DMA memory comes zeroed */
		memset(b->virt, 0, size);
	lx_block_map(b, 1);
	return b->pages;
}

struct folio *LX_FN_ALLOC(__folio_alloc)(gfp_t gfp, unsigned int order, int preferred_nid, nodemask_t *nodemask)
{
	struct page *page = LX_FN_ALLOC(__alloc_pages)(gfp | __GFP_COMP, order, preferred_nid, nodemask);
	return page ? page_folio(page) : NULL;
}

/* A page whose last reference went: give its block back once every page
 * that was handed out is released. */
static void lx_page_release(struct page *page)
{
	struct lx_page_map *m = lx_page_owner(page);
	struct lx_page_block *b;
	if (!m || m->foreign) {
		/* memory the page allocator never gave out (kmalloc, stack):
		 * someone put a reference they did not own */
		WARN_ONCE(1, "put_page/__free_pages of %px: not memory from alloc_pages()", page_address(page));
		set_page_count(page, 1);
		return;
	}
	b = container_of(m, struct lx_page_block, map);
	if (page != b->pages && !b->split) {
		/* only the head was handed out: a tail reaching zero is a
		 * get/put on a page nobody held (Linux would free it alone) */
		WARN_ONCE(1, "put_page/__free_pages of a tail page of a block");
		return;
	}
	if (PageHead(b->pages))
		b->live = 0;
	else if (b->live)
		b->live--;
	if (!b->live)
		lx_block_free(b);
}

void __folio_put(struct folio *folio)
{
	lx_page_release(&folio->page);
}

void __free_pages(struct page *page, unsigned int order)
{
	(void)order; /* a block goes back whole, when its last page does */
	if (put_page_testzero(page))
		lx_page_release(page);
}

/* Give every page of a non-compound block its own reference, as if each
 * had been allocated alone; the block goes back when the last one does. */
void split_page(struct page *page, unsigned int order)
{
	struct lx_page_map *m = lx_page_owner(page);
	struct lx_page_block *b;
	unsigned long i;
	if (!m || m->foreign || PageHead(page))
		return;
	b = container_of(m, struct lx_page_block, map);
	for (i = 1; i < (1UL << order) && page + i < b->pages + (1UL << b->order); i++)
		set_page_count(page + i, 1);
	b->live += i - 1;
	b->split = 1;
}

unsigned long LX_FN___get_free_pages(gfp_t gfp_mask, unsigned int order)
{
	struct page *page = alloc_pages(gfp_mask & ~__GFP_HIGHMEM, order);
	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long LX_FN_ALLOC(get_zeroed_page)(gfp_t gfp_mask)
{
	return __get_free_pages(gfp_mask | __GFP_ZERO, 0);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr)
		__free_pages(virt_to_page((void *)addr), order);
}

/* Exact-size allocations: the block of get_order(size), split, and the
 * pages beyond size released at once; free_pages_exact() frees the rest
 * page by page, and the block goes back with the last one. */
void *LX_FN_ALLOC(alloc_pages_exact)(size_t size, gfp_t gfp_mask)
{
	unsigned int order = get_order(size);
	unsigned long i, used = PAGE_ALIGN(size) >> PAGE_SHIFT;
	struct page *page = alloc_pages(gfp_mask & ~__GFP_COMP, order);
	if (!page)
		return NULL;
	split_page(page, order);
	for (i = used; i < (1UL << order); i++)
		__free_page(page + i);
	return page_address(page);
}

void free_pages_exact(void *virt, size_t size)
{
	unsigned long addr = (unsigned long)virt, end = addr + PAGE_ALIGN(size);
	for (; addr < end; addr += PAGE_SIZE)
		free_page(addr);
}

/* ---- for lx_dma.c ------------------------------------------------------------------------------- */

/* Bus address of offset bytes into page when it is host DMA memory. */
int lx_page_bus(struct page *page, unsigned long offset, u64 *bus)
{
	struct lx_page_map *m = lx_page_owner(page);
	struct lx_page_block *b;
	if (!m || m->foreign)
		return -EFAULT;
	b = container_of(m, struct lx_page_block, map);
	if (!b->is_dma)
		return -EFAULT;
	*bus = b->dma.bus + ((unsigned long)(page - b->pages) << PAGE_SHIFT) + offset;
	return 0;
}

/* ---- vmap: one virtual range over given pages ------------------------------------------------
 * Linux maps the pages anew in the vmalloc area.  A daemon cannot alias
 * memory it did not map from a file, so lx maps nothing: when the pages
 * are already consecutive in the runtime's address space (one block of
 * alloc_pages(), or blocks that happen to follow each other) that range
 * is the mapping; otherwise vmap() fails as Linux's does when it cannot map
 * (NULL), naming itself on the log.  Callers that split a buffer into
 * single pages and vmap them (the Comedi core's async buffers) get the
 * failure. */
void *vmap(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot)
{
	char *base;
	unsigned int i;
	(void)flags, (void)prot;
	if (!count)
		return NULL;
	base = page_address(pages[0]);
	for (i = 1; i < count; i++)
		if ((char *)page_address(pages[i]) != base + ((unsigned long)i << PAGE_SHIFT)) {
			lx_log(KPI_LOG_WARNING, "vmap: %u pages not consecutive in the daemon's memory (page %u): "
			       "no remapping here, fails", count, i);
			return NULL;
		}
	return base;
}

void vunmap(const void *addr)
{
	(void)addr; /* vmap() made no mapping of its own */
}

/* ---- page protections (arch/x86/mm/init.c) ------------------------------------------------------
 * The pgprot_*() inlines a driver's mmap handler uses read these; no
 * mapping is ever made with them in a daemon (remap_pfn_range, lx_fs.c).
 * The values are Linux's before PAT is set up: the cache modes in PWT/PCD,
 * every PTE bit allowed. */
pteval_t __default_kernel_pte_mask __read_mostly = ~0ULL;

unsigned long cachemode2protval(enum page_cache_mode pcm)
{
	switch (pcm) {
	case _PAGE_CACHE_MODE_WB:
		return 0;
	case _PAGE_CACHE_MODE_UC:
		return _PAGE_PCD | _PAGE_PWT;
	default: /* WC, UC_MINUS, WT, WP: uncached until PAT is programmed */
		return _PAGE_PCD;
	}
}

/* ---- memory types of the direct map (arch/x86/mm/pat/set_memory.c): a
 * daemon cannot change how its own pages are cached (the host's kernel
 * owns the page tables), so the request fails, naming itself, as Linux's
 * does when it cannot split or change the mapping. */
static int lx_set_memory_refused(const char *what, unsigned long addr, int numpages)
{
	lx_log(KPI_LOG_WARNING, "%s(%#lx, %d pages): a daemon cannot change the caching of its memory", what,
	       addr, numpages);
	return -EINVAL;
}

int set_memory_uc(unsigned long addr, int numpages)
{
	return lx_set_memory_refused("set_memory_uc", addr, numpages);
}

int set_memory_wc(unsigned long addr, int numpages)
{
	return lx_set_memory_refused("set_memory_wc", addr, numpages);
}

int set_memory_wb(unsigned long addr, int numpages)
{
	return lx_set_memory_refused("set_memory_wb", addr, numpages);
}

int set_pages_uc(struct page *page, int numpages)
{
	return lx_set_memory_refused("set_pages_uc", (unsigned long)page_address(page), numpages);
}

int set_pages_wb(struct page *page, int numpages)
{
	return lx_set_memory_refused("set_pages_wb", (unsigned long)page_address(page), numpages);
}
