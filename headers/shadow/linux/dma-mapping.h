/* headers/shadow/linux/dma-mapping.h: dma_map_single() maps the pointer.
 *
 * Why: the kernel's dma_map_single_attrs() is an inline that turns the
 * pointer into virt_to_page(ptr) + offset and calls dma_map_page_attrs().
 * virt_to_page() works on any address of the process (lx_page.c, through
 * the shadow asm-generic/memory_model.h), but for a heap pointer it would
 * give the buffer's page a struct page only to turn it back into the same
 * address; the runtime maps the pointer directly (lx_dma.c: translate it
 * when it lies in host DMA memory, else bounce through DMA memory).
 * dma_unmap_single_attrs() needs no change: it passes the bus address to
 * dma_unmap_page_attrs(), which lx implements. */
#ifndef KPI_SHADOW_LINUX_DMA_MAPPING_H
#define KPI_SHADOW_LINUX_DMA_MAPPING_H

#ifdef CONFIG_HAS_DMA /* else the header's stubs fail every mapping: keep them */
#define dma_map_single_attrs __kpi_native_dma_map_single_attrs
#include_next <linux/dma-mapping.h>
#undef dma_map_single_attrs

dma_addr_t lx_dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
				   enum dma_data_direction dir, unsigned long attrs);
static inline dma_addr_t dma_map_single_attrs(struct device *dev, void *ptr, size_t size,
					      enum dma_data_direction dir, unsigned long attrs)
{
	return lx_dma_map_single_attrs(dev, ptr, size, dir, attrs);
}
#else
#include_next <linux/dma-mapping.h>
#endif

#endif
