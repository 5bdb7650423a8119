-- mem.lua: memory allocation.
--
-- The runtime's allocator sits on libc malloc; GFP flags only matter for
-- GFP_DMA/GFP_DMA32, which the runtime honours by using its DMA pool.

runtime {
  -- slab; kmalloc()/kzalloc() are inline and end in the entry points of
  -- the versioned blocks below
  "kmalloc_caches",        -- data: read by the inline kmalloc() fast path
  "kfree",
  "kfree_sensitive",
  "ksize",
  "kstrdup",
  "kstrndup",
  "kstrdup_const",
  si_meminfo = { note = "runtime/lx/lx_mem.c: a fixed 1 GiB, all free (a daemon has no view of system RAM)" },
  "kfree_const",
  "kmem_cache_destroy",
  "kmem_cache_free",
  "kvfree",
  "kvfree_sensitive",
  "vfree",
  "is_vmalloc_addr",
  -- managed (devres) memory, released when the device goes away
  "devm_kmalloc",
  "devm_kfree",
  "devm_kmemdup",
  "devm_kstrdup",
  "devm_kasprintf",
  "devm_kvasprintf",
  "devm_remove_action",
  "devm_release_action",
}

-- The page allocator and struct page (runtime/lx/lx_page.c; the model is in
-- runtime/lx/README.md, "Pages"): blocks of 2^order pages in host DMA memory
-- (else heap), the kernel's own struct page with Linux's refcounts, and
-- page_address()/virt_to_page() for any address of the process.
runtime "runtime/lx/lx_page.c: struct page for the runtime's memory, Linux's refcounting" {
  "__free_pages",
  "__folio_put",
  "split_page",
  "free_pages",
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

-- Per-CPU memory on a uniprocessor kernel: this_cpu_*() are plain accesses
-- and per_cpu_ptr() is the pointer, so an allocation is one zeroed block.
runtime "runtime/lx/lx_mem.c: one CPU, one zeroed copy" {
  "free_percpu", "__devm_alloc_percpu", "devm_free_percpu",
}

-- The allocator entry points by Linux version (runtime/lx/lx_compat.h names
-- the same releases for its probes alloc_noprof, kmalloc_cache,
-- kmalloc_buckets, kmem_cache_args, devm_action_name).
-- Until 6.10 the plain names are the functions.
runtime "runtime/lx: the allocator's entry points" { before = "6.10",
  "__kmalloc", "__kmalloc_node", "__kmalloc_node_track_caller", "krealloc", "kmemdup",
  "kmem_cache_alloc", "kmem_cache_alloc_node",
  "kmem_cache_alloc_lru",     -- no shrinkers in a daemon: the list_lru is not used
  "vmalloc", "vzalloc", "__vmalloc", "__alloc_percpu", "__alloc_percpu_gfp",
  "__alloc_pages", "__folio_alloc", "__get_free_pages", "get_zeroed_page", "alloc_pages_exact",
}
runtime "runtime/lx: the allocator's entry points" { before = "6.11",
  "kmalloc_trace", "kmalloc_node_trace", "kmalloc_large", "kmalloc_large_node", "kvmalloc_node",
}
-- 6.10 (memory allocation profiling): each is a macro (alloc_hooks) over a
-- *_noprof function; __alloc_percpu{,_gfp}() over pcpu_alloc_noprof().
runtime "runtime/lx: the allocator's entry points (the names are macros over these)" { since = "6.10",
  "__kmalloc_noprof", "__kmalloc_node_noprof", "__kmalloc_node_track_caller_noprof", "krealloc_noprof",
  "kmemdup_noprof", "kmem_cache_alloc_noprof", "kmem_cache_alloc_node_noprof",
  "kmem_cache_alloc_lru_noprof", "vmalloc_noprof", "vzalloc_noprof", "__vmalloc_noprof", "pcpu_alloc_noprof",
  "__alloc_pages_noprof", "__folio_alloc_noprof", "get_free_pages_noprof", "get_zeroed_page_noprof",
  "alloc_pages_exact_noprof",
}
runtime { since = "6.10", before = "6.11",
  "kmalloc_trace_noprof", "kmalloc_node_trace_noprof", "kmalloc_large_noprof", "kmalloc_large_node_noprof",
  "kvmalloc_node_noprof",
}
-- 6.11: the kmalloc_trace/kmalloc_large family became __kmalloc_cache*/
-- __kmalloc_large*; kvmalloc_node() a macro over __kvmalloc_node_noprof().
runtime "runtime/lx: the allocator's entry points (the names are macros over these)" { since = "6.11",
  "__kmalloc_cache_noprof", "__kmalloc_cache_node_noprof", "__kmalloc_large_noprof",
  "__kmalloc_large_node_noprof", "__kvmalloc_node_noprof",
}
-- 6.12: kmem_cache_create() is a macro over __kmem_cache_create_args().
runtime { kmem_cache_create = { before = "6.12" }, __kmem_cache_create_args = { since = "6.12" } }
-- 6.7: devm_add_action() is a macro over __devm_add_action(), which takes a name.
runtime { devm_add_action = { before = "6.7" }, __devm_add_action = { since = "6.7" } }

-- 6.7 replaced register_shrinker() by shrinker_alloc()/shrinker_register().
stub "a daemon gets no memory-pressure callbacks: shrinkers are accepted and never called" {
  register_shrinker = { ret = 0, before = "6.7" },
  unregister_shrinker = { noop = true, before = "6.7" },
  synchronize_shrinkers = { noop = true },
}

-- vmap (runtime/lx/lx_page.c): pages already consecutive in the daemon's
-- memory are their own mapping; others cannot be aliased here and vmap()
-- fails (NULL), naming itself.  The page protections a driver's mmap
-- handler computes (pgprot_noncached, pgprot_writecombine) are Linux's
-- before PAT; remap_pfn_range and dma_mmap_attrs (dma.lua) fail: a daemon's
-- files have no calling process whose memory they could map into.
runtime "runtime/lx/lx_page.c, lx_fs.c: vmap of consecutive pages; no mapping into clients" {
  "vmap", "vunmap", "cachemode2protval", "__default_kernel_pte_mask", "remap_pfn_range", "zap_vma_ptes",
}

-- Memory types of the direct map (runtime/lx/lx_page.c): a daemon cannot
-- change how its pages are cached; the request fails (-EINVAL), logged.
runtime "runtime/lx/lx_page.c: the caching of the daemon's memory cannot be changed" {
  "set_memory_uc", "set_memory_wc", "set_memory_wb", "set_pages_uc", "set_pages_wb",
}

-- Memory pools (runtime/lx/lx_mempool.c): a reserve of min_nr elements that
-- mempool_alloc falls back on; 6.10 made the allocating entry points macros
-- over *_noprof functions (runtime/lx/lx_compat.h: alloc_noprof).
runtime "runtime/lx/lx_mempool.c: memory pools with a reserve, as Linux's" {
  "mempool_exit", "mempool_destroy", "mempool_init_node", "mempool_resize", "mempool_free",
  "mempool_alloc_slab", "mempool_free_slab", "mempool_kmalloc", "mempool_kfree",
  "mempool_alloc_pages", "mempool_free_pages",
}
runtime { before = "6.10", "mempool_init", "mempool_create", "mempool_create_node", "mempool_alloc" }
runtime { since = "6.10", "mempool_init_noprof", "mempool_create_node_noprof", "mempool_alloc_noprof" }
