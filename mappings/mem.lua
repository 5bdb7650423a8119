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
  -- whole pages by address
  "__get_free_pages",
  "get_zeroed_page",
  "free_pages",
  -- managed (devres) memory, released when the device goes away
  "devm_kmalloc",
  "devm_kfree",
  "devm_kmemdup",
  "devm_kstrdup",
  "devm_add_action",
  "devm_remove_action",
  "devm_release_action",
}

-- struct page based allocation (skb fragments, rx buffers): runtime/lx has
-- no struct page model yet (see runtime/lx/README.md).
stub "runtime/lx has no struct page model yet (see runtime/lx/README.md)" {
  "__alloc_pages",
  "__free_pages",
  "__folio_put",
}
-- page_frag_free: runtime/lx/lx_net_frag.c (net.lua), fragments are kmalloc'd.

-- Read by inline page/pfn helpers (virt_to_page, page_to_phys, ...).  The
-- runtime defines them so that its own page model answers consistently.
runtime "data read by inline page<->address helpers; the runtime's page model defines them" {
  "mem_section",
  "phys_base",
}

header "inline wrapper in linux/slab.h or linux/device.h" {
  "kmalloc", "kzalloc", "kcalloc", "kmalloc_array", "kzalloc_node",
  "devm_kzalloc", "devm_kcalloc", "devm_kmalloc_array",
  "kvmalloc", "kvzalloc", "kvcalloc",
}

runtime "runtime/lx: allocator entry points (found by the reverse check)" {
  "__kmalloc_node_track_caller", "kmem_cache_alloc_node",
}
