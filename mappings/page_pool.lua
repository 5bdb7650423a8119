-- page_pool.lua: net/page_pool.h (net/page_pool/{types,helpers}.h since
-- 6.6), pools of DMA-mapped pages for RX rings.
--
-- runtime/lx/lx_page_pool.c on the runtime's page allocator: pages mapped
-- once for the device, recycled while the pool holds the only reference
-- (one thread: NAPI's direct cache and Linux's ring are one stack here).
-- Only with CONFIG_PAGE_POOL, which the drivers that use it select.
-- lx implements two versions of the API, 6.1's and 6.12's netmem-based one
-- (runtime/lx/lx_compat.h: page_pool_netmem); the entries say which.

runtime "runtime/lx/lx_page_pool.c: recycled, DMA-mapped pages; no statistics or XDP memory models" {
  "page_pool_create",
  "page_pool_destroy",
  "page_pool_alloc_pages",
  "page_pool_alloc_frag",
  "page_pool_put_page_bulk",
  "page_pool_update_nid",
}
runtime "runtime/lx/lx_page_pool.c: 6.1's API" { before = "6.12",
  "page_pool_put_defragged_page",
  "page_pool_release_page",
  "page_pool_return_skb_page",
}
runtime "runtime/lx/lx_page_pool.c: 6.12's API, pages as netmem handles too" { since = "6.12",
  "page_pool_put_unrefed_page", "page_pool_put_unrefed_netmem",
  "page_pool_alloc_netmems", "page_pool_alloc_frag_netmem",
  "page_pool_create_percpu",            -- one CPU: a pool
  "page_pool_disable_direct_recycling", -- one thread: nothing to disable
  "napi_pp_put_page",                   -- skb_pp_recycle(): a pool page goes back
}

header "inline in net/page_pool.h over the functions above and the page's pool fields" {
  "page_pool_dev_alloc_pages", "page_pool_dev_alloc_frag", "page_pool_put_page", "page_pool_put_full_page",
  "page_pool_recycle_direct", "page_pool_get_dma_addr", "page_pool_get_dma_dir",
  "page_pool_nid_changed", "page_pool_fragment_page",
}
header { before = "6.12", "page_pool_set_dma_addr", "page_pool_defrag_page" }
header { since = "6.12", "page_pool_unref_page", "page_pool_ref_page", "page_pool_put_netmem" }
