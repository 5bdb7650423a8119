-- dma.lua: DMA memory and mappings.
--
-- The runtime allocates DMA memory that the device can reach (physically
-- contiguous, IOVA = physical address: hugepages + /proc/self/pagemap on
-- Linux, /scheme/memory on Redox) and translates addresses for streaming
-- mappings.

runtime {
  "dma_alloc_attrs",
  "dma_free_attrs",
  "dmam_alloc_attrs",
  "dmam_free_coherent",
  "dma_unmap_page_attrs",    -- also undoes dma_map_single() (shadow linux/dma-mapping.h)
  "dma_sync_single_for_cpu",
  "dma_sync_single_for_device",
  "dma_set_mask",
  "dma_set_coherent_mask",
  "dma_pool_create",
  "dma_pool_destroy",
  "dma_pool_alloc",
  "dma_pool_free",
}

-- runtime/lx has no struct page model yet: a page or a scatterlist entry
-- (sg_set_buf() goes through virt_to_page()) cannot be turned back into an
-- address.  dma_map_single() works (the shadow header maps the pointer).
stub "runtime/lx has no struct page model yet (see runtime/lx/README.md); dma_map_single works" {
  "dma_map_page_attrs",
  "dma_map_sg_attrs",
  "dma_unmap_sg_attrs",
}

header "inline wrapper in linux/dma-mapping.h over the *_attrs functions" {
  "dma_map_single", "dma_unmap_single", "dma_map_single_attrs", "dma_unmap_single_attrs",
  "dma_alloc_coherent", "dma_free_coherent", "dma_mapping_error",
  "dma_set_mask_and_coherent",
}

unsupported "ISA DMA (the 8237 controller) has no Redox equivalent" {
  "request_dma",
  "free_dma",
}
