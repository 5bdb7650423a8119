-- mem.lua: memory allocation.
--
-- The runtime's allocator sits on libc malloc; GFP flags only matter for
-- GFP_DMA/GFP_DMA32, which the runtime honours by using its DMA pool.

runtime {
  -- slab; kmalloc()/kzalloc() are inline and end in these
  "__kmalloc",
  "__kmalloc_node",
  "kmalloc_trace",
  "kmalloc_node_trace",
  "kmalloc_large",
  "kmalloc_large_node",
  "kmalloc_caches",        -- data: read by the inline kmalloc() fast path
  "kfree",
  "kfree_sensitive",
  "krealloc",
  "ksize",
  "kmemdup",
  "kstrdup",
  "kstrndup",
  "kstrdup_const",
  "kfree_const",
  "kmem_cache_create",
  "kmem_cache_destroy",
  "kmem_cache_alloc",
  "kmem_cache_free",
  "kvmalloc_node",
  "kvfree",
  "kvfree_sensitive",
  "vmalloc",
  "vzalloc",
  "vfree",
  "is_vmalloc_addr",
  -- managed (devres) memory, released when the device goes away
  "devm_kmalloc",
  "devm_kfree",
  "devm_kmemdup",
  "devm_kstrdup",
  "devm_add_action",
  "devm_remove_action",
  "devm_release_action",
}

-- The page allocator and struct page (runtime/lx/lx_page.c; the model is in
-- runtime/lx/README.md, "Pages"): blocks of 2^order pages in host DMA memory
-- (else heap), the kernel's own struct page with Linux's refcounts, and
-- page_address()/virt_to_page() for any address of the process.
runtime "runtime/lx/lx_page.c: struct page for the runtime's memory, Linux's refcounting" {
  "__alloc_pages",
  "__folio_alloc",
  "__free_pages",
  "__folio_put",
  "split_page",
  "__get_free_pages",
  "get_zeroed_page",
  "free_pages",
  "alloc_pages_exact",
  "free_pages_exact",
  "__virt_addr_valid",     -- virt_addr_valid(): any mapped address of the process
}
-- page_frag_free: runtime/lx/lx_net_frag.c (net.lua), fragments are kmalloc'd.

-- Read by inline page/pfn helpers (page_to_pfn, page_address, ...).  The
-- runtime defines them so that its own page model answers consistently
-- (pfn_to_page/virt_to_page go through the shadow asm-generic/memory_model.h).
runtime "data read by inline page<->address helpers; the runtime's page model defines them" {
  "mem_section",
  "phys_base",
}

header "inline in linux/gfp.h, linux/mm.h, linux/page_ref.h, linux/highmem.h (no NUMA, no HIGHMEM)" {
  "alloc_pages", "alloc_page", "alloc_pages_node", "__alloc_pages_node", "folio_alloc", "__get_free_page",
  "__free_page", "free_page", "page_address", "virt_to_page", "virt_to_head_page", "pfn_to_page",
  "page_to_pfn", "page_to_virt", "get_page", "put_page", "folio_get", "folio_put", "page_count",
  "page_ref_count", "page_ref_inc", "page_ref_add", "page_ref_sub", "page_ref_dec_and_test",
  "page_ref_sub_and_test", "set_page_count", "compound_head", "page_folio", "get_order",
  "kmap", "kunmap", "kmap_atomic", "kunmap_atomic", "kmap_local_page", "kunmap_local",
  "dev_alloc_page", "dev_alloc_pages",
}

header "inline wrapper in linux/slab.h or linux/device.h" {
  "kmalloc", "kzalloc", "kcalloc", "kmalloc_array", "kzalloc_node",
  "devm_kzalloc", "devm_kcalloc", "devm_kmalloc_array",
  "kvmalloc", "kvzalloc", "kvcalloc",
}

runtime "runtime/lx: allocator entry points (found by the reverse check)" {
  "__kmalloc_node_track_caller", "kmem_cache_alloc_node",
  "kmem_cache_alloc_lru",     -- no shrinkers in a daemon: the list_lru is not used
}

-- Per-CPU memory on a uniprocessor kernel: this_cpu_*() are plain accesses
-- and per_cpu_ptr() is the pointer, so an allocation is one zeroed block.
runtime "runtime/lx/lx_mem.c: one CPU, one zeroed copy" {
  "__alloc_percpu", "__alloc_percpu_gfp", "free_percpu", "__devm_alloc_percpu", "devm_free_percpu",
}
