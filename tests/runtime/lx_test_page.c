/* lx_test_page.c: a PCI test "driver" (written for kpiport, kernel flags)
 * for lx's struct page model (runtime/lx/lx_page.c, README "Pages") and the
 * page/scatterlist DMA API, on a sim device that fills and sums DMA memory
 * (lx_test_model.h):
 *   - alloc_pages: page_address <-> virt_to_page/pfn_to_page both ways,
 *     refcounts (get_page/put_page, page_ref_*), compound pages (heads,
 *     tails, folio order), split_page, alloc_pages_exact, __get_free_pages,
 *     get_zeroed_page; every block goes back to the host
 *   - virt_to_page on kmalloc and stack memory ("foreign" pages)
 *   - dma_map_page: a page in host DMA memory is the device's memory as is,
 *     a heap page (host DMA exhausted) bounces
 *   - scatterlists built by the tree's own lib/scatterlist.c (compiled in
 *     here as a port imports it): sg_set_buf/sg_set_page, dma_map_sg,
 *     sg_copy_to_buffer, sg_alloc_table, dma_map_sgtable
 *   - page_pool (configs with CONFIG_PAGE_POOL): DMA-mapped pages, recycling,
 *     release when shared, fragments, destroy with pages still out. */
#include <linux/dma-mapping.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <redox/kpi_main.h>
#include "lx_compat.h" /* where the tree's page_pool API lives, and which one it is */
#ifdef CONFIG_PAGE_POOL
#include LX_INC_PAGE_POOL
#include LX_INC_PAGE_POOL_SKB /* how an skb gives a page back */
#endif
#include "lx_test.h"
#include "lx_test_model.h"

/* lib/scatterlist.c of the port's tree, as a port that uses it imports it */
#include <../lib/scatterlist.c>

/* Newer trees' scatterlist.c also turns iov_iters into scatterlists
 * (extract_iter_to_sg), which this test never does; in a port kpiport
 * stubs what that needs.  Here: weak symbols that trap, whatever their
 * prototypes are in the tree at hand. */
#define LXT_TRAP(sym) ".weak " #sym "\n.type " #sym ", @function\n" #sym ":\n\tud2\n"
asm(".text\n" LXT_TRAP(iov_iter_extract_pages) LXT_TRAP(iov_iter_advance) LXT_TRAP(unpin_user_page)
    LXT_TRAP(is_vmalloc_or_module_addr) LXT_TRAP(vmalloc_to_page) LXT_TRAP(xas_find));

static struct sim_dev *sdev;
static void __iomem *regs;
static int probed;

/* The model fills [bus, bus + len) with 0xa5 + i; -1 if it cannot reach it. */
static int dev_fill(dma_addr_t bus, u32 len)
{
	lxm_regs[6] = 0;
	redox_iowrite32(lower_32_bits(bus), regs + 0x08);
	redox_iowrite32(upper_32_bits(bus), regs + 0x0c);
	redox_iowrite32(len, regs + 0x14);
	redox_iowrite32(1, regs + 0x10);
	return redox_ioread32(regs + 0x18) == 0xdead ? -1 : 0;
}

static bool filled(const u8 *p, u32 len)
{
	u32 i;
	for (i = 0; i < len; i++)
		if (p[i] != (u8)(0xa5 + i))
			return false;
	return true;
}

static void check_alloc(void)
{
	struct page *p = alloc_pages(GFP_KERNEL, 2), *q;
	unsigned long pfn;
	char *va;
	int live = sim_dma_live();
	LXT_CHECK(p != NULL);
	if (!p)
		return;
	va = page_address(p);
	LXT_CHECK(va && offset_in_page(va) == 0);
	LXT_CHECK(live == 1); /* a block of host DMA memory */
	/* both directions, every page of the block */
	LXT_CHECK(virt_to_page(va) == p);
	LXT_CHECK(virt_to_page(va + 3 * PAGE_SIZE + 100) == p + 3);
	LXT_CHECK(page_address(p + 2) == va + 2 * PAGE_SIZE);
	pfn = page_to_pfn(p);
	LXT_CHECK_INT(page_to_pfn(p + 3), pfn + 3);
	LXT_CHECK(pfn_to_page(pfn + 1) == p + 1);
	LXT_CHECK(nth_page(p, 2) == p + 2);
	LXT_CHECK(virt_addr_valid(va));
	LXT_CHECK(!virt_addr_valid(NULL));
	memset(va, 0x5a, 4 * PAGE_SIZE); /* the whole block is ours */
	/* refcounts: the head holds one */
	LXT_CHECK_INT(page_count(p), 1);
	get_page(p);
	page_ref_inc(p);
	LXT_CHECK_INT(page_ref_count(p), 3);
	put_page(p);
	LXT_CHECK(!page_ref_dec_and_test(p));
	LXT_CHECK_INT(sim_dma_live(), 1);
	__free_pages(p, 2);
	LXT_CHECK_INT(sim_dma_live(), 0);

	/* compound: tails point at the head, the folio knows its order, and the
	 * last put on any page of it frees it */
	p = alloc_pages(GFP_KERNEL | __GFP_COMP | __GFP_ZERO, 3);
	LXT_CHECK(p != NULL);
	if (!p)
		return;
	LXT_CHECK(PageHead(p) && PageTail(p + 5));
	LXT_CHECK(compound_head(p + 7) == p);
	LXT_CHECK_INT(folio_order(page_folio(p + 1)), 3);
	LXT_CHECK_INT(compound_nr(p), 8);
	LXT_CHECK(virt_to_head_page((char *)page_address(p) + 6 * PAGE_SIZE + 1) == p);
	LXT_CHECK(((u8 *)page_address(p))[8 * PAGE_SIZE - 1] == 0);
	get_page(p + 4); /* a reference through a tail is the head's */
	LXT_CHECK_INT(page_count(p), 2);
	put_page(p);
	LXT_CHECK_INT(sim_dma_live(), 1);
	put_page(p + 4);
	LXT_CHECK_INT(sim_dma_live(), 0);

	/* split_page: each page its own; the block goes with the last */
	p = alloc_pages(GFP_KERNEL, 1);
	split_page(p, 1);
	q = p + 1;
	LXT_CHECK_INT(page_count(q), 1);
	__free_page(p);
	LXT_CHECK_INT(sim_dma_live(), 1);
	__free_page(q);
	LXT_CHECK_INT(sim_dma_live(), 0);

	/* by address */
	va = (char *)__get_free_pages(GFP_KERNEL, 1);
	LXT_CHECK(va && virt_to_page(va + PAGE_SIZE) == virt_to_page(va) + 1);
	free_pages((unsigned long)va, 1);
	va = (char *)get_zeroed_page(GFP_KERNEL);
	LXT_CHECK(va && va[0] == 0 && va[PAGE_SIZE - 1] == 0);
	free_page((unsigned long)va);
	va = alloc_pages_exact(3 * PAGE_SIZE + 1, GFP_KERNEL); /* 4 of an order-3 block used */
	LXT_CHECK(va != NULL);
	LXT_CHECK_INT(page_count(virt_to_page(va + 3 * PAGE_SIZE)), 1);
	free_pages_exact(va, 3 * PAGE_SIZE + 1);
	LXT_CHECK_INT(sim_dma_live(), 0);
}

/* Memory the page allocator never gave out still has struct pages. */
static void check_foreign(void)
{
	char *buf = kmalloc(300, GFP_KERNEL);
	char stack[64];
	struct page *p = virt_to_page(buf + 200);
	LXT_CHECK((char *)page_address(p) + offset_in_page(buf + 200) == buf + 200);
	LXT_CHECK(virt_to_page(buf + 200) == p); /* the same struct page each time */
	p = virt_to_page(stack);
	LXT_CHECK((char *)page_address(p) + offset_in_page(stack) == stack);
	get_page(p);
	put_page(p); /* a get/put pair on foreign memory frees nothing */
	LXT_CHECK_INT(page_count(p), 1);
	kfree(buf);
}

static void check_dma_page(struct pci_dev *pdev)
{
	struct device *d = &pdev->dev;
	struct page *p = alloc_page(GFP_KERNEL);
	dma_addr_t bus;
	u8 *va = page_address(p);
	/* host DMA memory: the device sees the page itself */
	bus = dma_map_page(d, p, 64, 256, DMA_FROM_DEVICE);
	LXT_CHECK(!dma_mapping_error(d, bus));
	LXT_CHECK(sim_dma_to_virt(bus, 256) == va + 64);
	LXT_CHECK_INT(dev_fill(bus, 256), 0);
	dma_sync_single_for_cpu(d, bus, 256, DMA_FROM_DEVICE);
	LXT_CHECK(filled(va + 64, 256));
	dma_unmap_page(d, bus, 256, DMA_FROM_DEVICE);
	__free_page(p);
	/* no host DMA memory left for pages: a heap page, bounced */
	sim_fault_dma_fail(1);
	p = alloc_page(GFP_KERNEL);
	LXT_CHECK(p != NULL);
	va = page_address(p);
	memset(va, 0, PAGE_SIZE);
	bus = dma_map_page(d, p, 0, 128, DMA_FROM_DEVICE);
	LXT_CHECK(!dma_mapping_error(d, bus));
	LXT_CHECK(sim_dma_to_virt(bus, 128) != va);
	LXT_CHECK_INT(dev_fill(bus, 128), 0);
	LXT_CHECK(va[0] == 0); /* not yet: the bounce buffer has it */
	dma_unmap_page(d, bus, 128, DMA_FROM_DEVICE);
	LXT_CHECK(filled(va, 128));
	__free_page(p);
	LXT_CHECK_INT(sim_dma_live(), 0);
}

static void check_sg(struct pci_dev *pdev)
{
	struct device *d = &pdev->dev;
	struct scatterlist sg[3], *s;
	struct sg_table t;
	u8 *kbuf = kzalloc(100, GFP_KERNEL), out[364];
	struct page *p = alloc_page(GFP_KERNEL | __GFP_ZERO), *p2 = alloc_page(GFP_KERNEL | __GFP_ZERO);
	unsigned int n;
	int i, ok;
	sg_init_table(sg, 3);
	sg_set_buf(&sg[0], kbuf, 100);		 /* kmalloc memory: bounced */
	sg_set_page(&sg[1], p, 200, 16);	 /* a page: the device's own */
	sg_set_buf(&sg[2], (u8 *)page_address(p2) + 8, 64);
	LXT_CHECK(sg_page(&sg[0]) == virt_to_page(kbuf));
	LXT_CHECK(sg_virt(&sg[0]) == kbuf);
	LXT_CHECK_INT(sg_nents(sg), 3);
	LXT_CHECK_INT(dma_map_sg(d, sg, 3, DMA_FROM_DEVICE), 3);
	ok = 1;
	for_each_sg(sg, s, 3, i) {
		ok &= sg_dma_len(s) == s->length;
		ok &= dev_fill(sg_dma_address(s), sg_dma_len(s)) == 0;
	}
	LXT_CHECK(ok);
	LXT_CHECK(sim_dma_to_virt(sg_dma_address(&sg[1]), 200) == (u8 *)page_address(p) + 16);
	dma_unmap_sg(d, sg, 3, DMA_FROM_DEVICE);
	LXT_CHECK(filled(kbuf, 100));
	LXT_CHECK(filled((u8 *)page_address(p) + 16, 200));
	LXT_CHECK(filled((u8 *)page_address(p2) + 8, 64));
	/* the library's page walk (sg_miter) over the same list */
	LXT_CHECK_INT(sg_copy_to_buffer(sg, 3, out, sizeof(out)), 364);
	LXT_CHECK(filled(out, 100) && filled(out + 100, 200) && filled(out + 300, 64));
	/* tables and page-backed lists */
	LXT_CHECK_INT(sg_alloc_table(&t, 5, GFP_KERNEL), 0);
	n = 0;
	for_each_sgtable_sg(&t, s, i) {
		sg_set_page(s, p, 64, 64 * i);
		n++;
	}
	LXT_CHECK_INT(n, 5);
	LXT_CHECK_INT(dma_map_sgtable(d, &t, DMA_TO_DEVICE, 0), 0);
	LXT_CHECK_INT(t.nents, 5);
	dma_unmap_sgtable(d, &t, DMA_TO_DEVICE, 0);
	sg_free_table(&t);
	__free_page(p);
	__free_page(p2);
	kfree(kbuf);
	LXT_CHECK_INT(sim_dma_live(), 0);
}

#ifdef CONFIG_PAGE_POOL
static void check_page_pool(struct pci_dev *pdev)
{
	struct page_pool_params pp = {
		.flags = PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV,
		.order = 0,
		.pool_size = 4,
		.nid = NUMA_NO_NODE,
		.dev = &pdev->dev,
		.dma_dir = DMA_FROM_DEVICE,
		.max_len = PAGE_SIZE,
		.offset = 0,
	};
	struct page_pool *pool = page_pool_create(&pp), *fpool;
	struct page *a, *b, *c, *f1, *f2;
	unsigned int off1, off2;
	LXT_CHECK(!IS_ERR(pool));
	if (IS_ERR(pool))
		return;
	a = page_pool_dev_alloc_pages(pool);
	b = page_pool_dev_alloc_pages(pool);
	LXT_CHECK(a && b && a != b);
	LXT_CHECK(a->pp == pool && b->pp == pool);
	/* mapped once, for the device: the model reaches it at its DMA address */
	LXT_CHECK(sim_dma_to_virt(page_pool_get_dma_addr(a), PAGE_SIZE) == page_address(a));
	LXT_CHECK_INT(dev_fill(page_pool_get_dma_addr(a), 64), 0);
	LXT_CHECK(filled(page_address(a), 64));
	/* recycled while the pool holds the only reference */
	page_pool_recycle_direct(pool, a);
	c = page_pool_dev_alloc_pages(pool);
	LXT_CHECK(c == a);
	LXT_CHECK_INT(sim_dma_live(), 2);
	/* shared (the stack still holds it): released, freed by the last put */
	get_page(b);
	page_pool_put_full_page(pool, b, false);
	LXT_CHECK(b->pp == NULL && page_pool_get_dma_addr(b) == 0);
	put_page(b);
	LXT_CHECK_INT(sim_dma_live(), 1);
	/* an skb frag coming back through skb_pp_recycle() */
#if LX_PAGE_POOL_NETMEM
	LXT_CHECK(napi_pp_put_page(page_to_netmem(c)));
	LXT_CHECK(!napi_pp_put_page(page_to_netmem(virt_to_page(&pp))));
#else
	LXT_CHECK(page_pool_return_skb_page(c));
	LXT_CHECK(!page_pool_return_skb_page(virt_to_page(&pp)));
#endif
	page_pool_destroy(pool);
	LXT_CHECK_INT(sim_dma_live(), 0);

	/* fragments: two users of one page, the page back when both are done */
#if LX_PAGE_POOL_NETMEM
	pp.flags = PP_FLAG_DMA_MAP; /* every pool may fragment */
#else
	pp.flags = PP_FLAG_DMA_MAP | PP_FLAG_PAGE_FRAG;
#endif
	fpool = page_pool_create(&pp);
	LXT_CHECK(!IS_ERR(fpool));
	if (IS_ERR(fpool))
		return;
	f1 = page_pool_dev_alloc_frag(fpool, &off1, 1024);
	f2 = page_pool_dev_alloc_frag(fpool, &off2, 1024);
	LXT_CHECK(f1 && f1 == f2 && off1 == 0 && off2 == 1024);
	page_pool_destroy(fpool); /* both fragments are still out */
	LXT_CHECK_INT(sim_dma_live(), 1);
	page_pool_put_full_page(fpool, f1, false);
	LXT_CHECK_INT(sim_dma_live(), 1);
	page_pool_put_full_page(fpool, f2, false); /* the last user: page and pool go */
	LXT_CHECK_INT(sim_dma_live(), 0);
	/* bad parameters */
	pp.flags = PP_FLAG_DMA_SYNC_DEV;
	LXT_CHECK(PTR_ERR(page_pool_create(&pp)) == -EINVAL);
}
#endif

static int lxt_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	(void)id;
	probed++;
	LXT_CHECK_INT(pci_enable_device(pdev), 0);
	pci_set_master(pdev);
	LXT_CHECK_INT(dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(48)), 0);
	regs = redox_pci_iomap(pdev, 0, 0);
	LXT_CHECK(regs != NULL);
	check_alloc();
	check_foreign();
	check_dma_page(pdev);
	check_sg(pdev);
#ifdef CONFIG_PAGE_POOL
	check_page_pool(pdev);
#endif
	return 0;
}

static void lxt_remove(struct pci_dev *pdev)
{
	pci_disable_device(pdev);
}

static const struct pci_device_id lxt_ids[] = {{PCI_DEVICE(LXM_VENDOR, LXM_DEVICE)}, {0}};

static struct pci_driver lxt_driver = {
	.name = "lxt-page",
	.id_table = lxt_ids,
	.probe = lxt_probe,
	.remove = lxt_remove,
};

int main(int argc, char **argv)
{
	int rc;
	sdev = lxm_create(LXM_VENDOR, LXM_DEVICE, 0x020000);
	rc = kpi_pci_driver_main(argc, argv, &lxt_driver);
	LXT_CHECK_INT(probed, 1);
	LXT_CHECK_INT(sim_dma_live(), 0);
	return lxt_result(rc, 0);
}
