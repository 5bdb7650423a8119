/* lh_vfio_abi.h: the part of Linux's vfio userspace ABI (the UAPI header
 * linux/vfio.h) that lh_vfio.c uses, spelled out with an LH_ prefix: the
 * host side of the runtime includes no <linux/...> header (the layering
 * rule that tests/runtime/kit_test_headers.c enforces; lh_net.c spells the
 * tun ioctls out the same way).  The ABI is stable (vfio's type1 since
 * Linux 3.6, no-IOMMU since 4.5); tests/runtime/host_linux_test.c checks
 * every number and every layout here against the real header. */
#ifndef LH_VFIO_ABI_H
#define LH_VFIO_ABI_H

#include <stdint.h>
#include <sys/ioctl.h>

#define LH_VFIO_API_VERSION 0
#define LH_VFIO_TYPE1_IOMMU 1
#define LH_VFIO_TYPE1v2_IOMMU 3
#define LH_VFIO_NOIOMMU_IOMMU 8

#define LH_VFIO_IO(n) _IO(';', 100 + (n)) /* VFIO_TYPE, VFIO_BASE + n */
#define LH_VFIO_GET_API_VERSION LH_VFIO_IO(0)
#define LH_VFIO_CHECK_EXTENSION LH_VFIO_IO(1)
#define LH_VFIO_SET_IOMMU LH_VFIO_IO(2)
#define LH_VFIO_GROUP_GET_STATUS LH_VFIO_IO(3)
#define LH_VFIO_GROUP_SET_CONTAINER LH_VFIO_IO(4)
#define LH_VFIO_GROUP_GET_DEVICE_FD LH_VFIO_IO(6)
#define LH_VFIO_DEVICE_GET_INFO LH_VFIO_IO(7)
#define LH_VFIO_DEVICE_GET_REGION_INFO LH_VFIO_IO(8)
#define LH_VFIO_DEVICE_GET_IRQ_INFO LH_VFIO_IO(9)
#define LH_VFIO_DEVICE_SET_IRQS LH_VFIO_IO(10)
#define LH_VFIO_IOMMU_MAP_DMA LH_VFIO_IO(13)

struct lh_vfio_group_status {
	uint32_t argsz;
	uint32_t flags;
};
#define LH_VFIO_GROUP_FLAGS_VIABLE (1u << 0)

struct lh_vfio_device_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t num_regions;
	uint32_t num_irqs;
	uint32_t cap_offset;
};
#define LH_VFIO_DEVICE_FLAGS_PCI (1u << 1)

struct lh_vfio_region_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t cap_offset;
	uint64_t size;
	uint64_t offset;
};
#define LH_VFIO_REGION_INFO_FLAG_MMAP (1u << 2)

struct lh_vfio_irq_info {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t count;
};
#define LH_VFIO_IRQ_INFO_EVENTFD (1u << 0)

struct lh_vfio_irq_set {
	uint32_t argsz;
	uint32_t flags;
	uint32_t index;
	uint32_t start;
	uint32_t count;
	/* then count 32-bit eventfds with DATA_EVENTFD */
};
#define LH_VFIO_IRQ_SET_DATA_NONE (1u << 0)
#define LH_VFIO_IRQ_SET_DATA_EVENTFD (1u << 2)
#define LH_VFIO_IRQ_SET_ACTION_UNMASK (1u << 4)
#define LH_VFIO_IRQ_SET_ACTION_TRIGGER (1u << 5)

/* vfio-pci's region and interrupt indexes */
#define LH_VFIO_PCI_BAR0_REGION_INDEX 0u
#define LH_VFIO_PCI_INTX_IRQ_INDEX 0u
#define LH_VFIO_PCI_MSI_IRQ_INDEX 1u
#define LH_VFIO_PCI_MSIX_IRQ_INDEX 2u

struct lh_vfio_dma_map {
	uint32_t argsz;
	uint32_t flags;
	uint64_t vaddr;
	uint64_t iova;
	uint64_t size;
};
#define LH_VFIO_DMA_MAP_FLAG_READ (1u << 0)
#define LH_VFIO_DMA_MAP_FLAG_WRITE (1u << 1)

#endif
