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
  "dma_set_mask",
  "dma_set_coherent_mask",
  "dma_pool_create",
  "dma_pool_destroy",
  "dma_pool_alloc",
  "dma_pool_free",
  "dmam_pool_create", "dmam_pool_destroy", -- released with the device (devres)
}

-- Pages and scatterlists (runtime/lx/lx_dma.c on the page model of
-- lx_page.c): a page in host DMA memory maps by translation, anything else
-- bounces like dma_map_single(); a scatterlist maps entry by entry.
runtime "runtime/lx: pages are host DMA memory (a translation), other memory bounces; scatterlists entry by entry" {
  "dma_map_page_attrs",
  "dma_map_sg_attrs",
  "dma_unmap_sg_attrs",
  "dma_map_sgtable",
}

-- lib/scatterlist.c builds and walks the lists: self-contained, its page
-- walks (sg_miter, sgl_alloc) go through the runtime's struct page model.
import "lib/scatterlist.c: the tree's own scatterlist library; pages come from the runtime's page model" {
  sg_init_table = "lib/scatterlist.c", sg_init_one = "lib/scatterlist.c", sg_next = "lib/scatterlist.c",
  sg_nents = "lib/scatterlist.c", sg_nents_for_len = "lib/scatterlist.c", sg_last = "lib/scatterlist.c",
  sg_alloc_table = "lib/scatterlist.c", sg_free_table = "lib/scatterlist.c",
  __sg_alloc_table = "lib/scatterlist.c", __sg_free_table = "lib/scatterlist.c",
  sg_alloc_table_from_pages_segment = "lib/scatterlist.c", sg_alloc_append_table_from_pages = "lib/scatterlist.c",
  sg_free_append_table = "lib/scatterlist.c",
  sg_copy_buffer = "lib/scatterlist.c", sg_copy_from_buffer = "lib/scatterlist.c", sg_copy_to_buffer = "lib/scatterlist.c",
  sg_pcopy_from_buffer = "lib/scatterlist.c", sg_pcopy_to_buffer = "lib/scatterlist.c", sg_zero_buffer = "lib/scatterlist.c",
  sg_miter_start = "lib/scatterlist.c", sg_miter_next = "lib/scatterlist.c", sg_miter_skip = "lib/scatterlist.c",
  sg_miter_stop = "lib/scatterlist.c",
  __sg_page_iter_start = "lib/scatterlist.c", __sg_page_iter_next = "lib/scatterlist.c",
  __sg_page_iter_dma_next = "lib/scatterlist.c",
  sgl_alloc = "lib/scatterlist.c", sgl_alloc_order = "lib/scatterlist.c", sgl_free = "lib/scatterlist.c",
  sgl_free_order = "lib/scatterlist.c", sgl_free_n_order = "lib/scatterlist.c",
}

header "inline in linux/scatterlist.h over the entries' fields" {
  "sg_set_page", "sg_set_buf", "sg_page", "sg_virt", "sg_phys", "sg_assign_page", "sg_mark_end",
  "sg_unmark_end", "sg_chain", "sg_is_last", "sg_is_chain", "sg_dma_address", "sg_dma_len", "for_each_sg",
  "for_each_sgtable_sg", "for_each_sgtable_dma_sg",
}

header "inline wrapper in linux/dma-mapping.h over the *_attrs functions" {
  "dma_map_single", "dma_unmap_single", "dma_map_single_attrs", "dma_unmap_single_attrs",
  "dma_alloc_coherent", "dma_free_coherent", "dma_mapping_error",
  "dma_set_mask_and_coherent",
  "dma_map_page", "dma_unmap_page", "dma_map_sg", "dma_unmap_sg", "dma_unmap_sgtable",
  "dma_sync_sgtable_for_cpu", "dma_sync_sgtable_for_device",
}

unsupported "ISA DMA (the 8237 controller) has no Redox equivalent" {
  "request_dma",
  "free_dma",
}

-- Syncs of streaming mappings (the bounce copies).  6.11 made the
-- dma_sync_*() inlines that skip devices needing no sync and call
-- __dma_sync_*() (runtime/lx/lx_compat.h: dma_dev_need_sync).
runtime "runtime/lx/lx_dma.c: copies a bounced mapping's data" { before = "6.11",
  "dma_sync_single_for_cpu", "dma_sync_single_for_device", "dma_sync_sg_for_cpu", "dma_sync_sg_for_device",
}
runtime "runtime/lx/lx_dma.c: copies a bounced mapping's data" { since = "6.11",
  "__dma_sync_single_for_cpu", "__dma_sync_single_for_device", "__dma_sync_sg_for_cpu", "__dma_sync_sg_for_device",
}
header "inline in linux/dma-mapping.h over __dma_sync_*()" { since = "6.11",
  "dma_sync_single_for_cpu", "dma_sync_single_for_device", "dma_sync_sg_for_cpu", "dma_sync_sg_for_device",
}

-- A driver's mmap handler mapping coherent memory into the calling process:
-- no process calls a daemon's file operations (runtime/lx/lx_dma.c: -ENXIO).
runtime { dma_mmap_attrs = { note = "runtime/lx/lx_dma.c: -ENXIO, no client address space to map into" } }

-- DMA controller drivers (drivers/dma/): the PCI glue of a controller family
-- (dw_dmac_pci, dw-edma-pcie, ptdma) hands its device to the family's core
-- (drivers/dma/dw/core.c, ...), which registers with the dmaengine core
-- (drivers/dma/dmaengine.c, virt-dma.c): all compiled from the tree.  Only
-- names exported under drivers/dma/ come from here; the memory pools and
-- debugfs files they use are lx's (lx_mempool.c, lx_seq.c).
import_tree {
  ["drivers/dma/"] = "the dmaengine core and the DMA controller family cores, imported from the tree",
}
