/* headers/shadow/linux/dma-mapping.h: dma_map_single() without struct page.
 *
 * Why: the kernel's dma_map_single_attrs() is an inline that turns the
 * pointer into virt_to_page(ptr) + offset and calls dma_map_page_attrs().
 * virt_to_page() is address arithmetic on the kernel's direct map plus a
 * mem_section lookup; on a userspace heap pointer it computes garbage.  The
 * runtime maps the pointer itself (lx_dma.c: translate it when it lies in
 * host DMA memory, else bounce through DMA memory), so the inline is moved
 * aside and replaced by a call.  dma_unmap_single_attrs() needs no change:
 * it passes the bus address to dma_unmap_page_attrs(), which lx implements. */
#ifndef KPI_SHADOW_LINUX_DMA_MAPPING_H
#define KPI_SHADOW_LINUX_DMA_MAPPING_H

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

#endif
