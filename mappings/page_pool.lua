-- page_pool.lua: net/page_pool.h, pools of DMA-mapped pages for RX rings.
--
-- runtime/lx/lx_page_pool.c on the runtime's page allocator: pages mapped
-- once for the device, recycled while the pool holds the only reference
-- (one thread: NAPI's direct cache and Linux's ring are one stack here).
-- Only with CONFIG_PAGE_POOL, which the drivers that use it select.

runtime "runtime/lx/lx_page_pool.c: recycled, DMA-mapped pages; no statistics or XDP memory models" {
  "page_pool_create",
  "page_pool_destroy",
  "page_pool_alloc_pages",
  "page_pool_alloc_frag",
  "page_pool_put_defragged_page",
  "page_pool_release_page",
  "page_pool_put_page_bulk",
  "page_pool_return_skb_page",
  "page_pool_update_nid",
}

header "inline in net/page_pool.h over the functions above and the page's pool fields" {
  "page_pool_dev_alloc_pages", "page_pool_dev_alloc_frag", "page_pool_put_page", "page_pool_put_full_page",
  "page_pool_recycle_direct", "page_pool_get_dma_addr", "page_pool_set_dma_addr", "page_pool_get_dma_dir",
  "page_pool_nid_changed", "page_pool_fragment_page", "page_pool_defrag_page",
}
