/* lh_dma.c: DMA memory for the Linux backend.  Physically contiguous
 * memory comes from 2 MiB huge pages (MAP_HUGETLB, locked), each page's
 * physical address read once from /proc/self/pagemap (root only) and
 * checked for contiguity; allocations are runs of 4 KiB slots inside one
 * huge page.  Bus address == physical address: without an IOMMU that is
 * simply true; a function behind an IOMMU (vfio type1, lh_vfio.c) gets
 * every pool page mapped at iova == its physical address. */
#define _GNU_SOURCE
#include "lh_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define LH_HUGE_SIZE (2u << 20)
#define LH_SLOT 4096u
#define LH_SLOTS (LH_HUGE_SIZE / LH_SLOT)
#define LH_MAX_HUGE 64

static struct lh_huge {
	unsigned char *virt;
	kpi_u64 phys;
	unsigned char used[LH_SLOTS];
} lh_huge[LH_MAX_HUGE];
static int lh_nhuge;

int lh_pagemap_phys(const void *virt, kpi_u64 *phys)
{
	long page = sysconf(_SC_PAGESIZE);
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return lh_neg_errno(errno);
	uint64_t entry = 0;
	uintptr_t v = (uintptr_t)virt;
	ssize_t n = pread(fd, &entry, sizeof(entry), (off_t)(v / (uintptr_t)page * sizeof(entry)));
	close(fd);
	if (n != (ssize_t)sizeof(entry))
		return -KPI_EFAULT;
	if (!(entry >> 63 & 1))
		return -KPI_EFAULT; /* not present */
	uint64_t pfn = entry & ((1ull << 55) - 1);
	if (!pfn)
		return -KPI_EPERM; /* PFNs are hidden without CAP_SYS_ADMIN */
	*phys = pfn * (uint64_t)page + (v & (uintptr_t)(page - 1));
	return 0;
}

/* Map one more huge page into the pool; index or negative error. */
static int lh_huge_grow(void)
{
	if (lh_nhuge >= LH_MAX_HUGE) {
		lh_logf(KPI_LOG_ERR, "kpi linux: DMA pool full (%d huge pages)", LH_MAX_HUGE);
		return -KPI_ENOMEM;
	}
	void *p = mmap(0, LH_HUGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_POPULATE,
	               -1, 0);
	if (p == MAP_FAILED) {
		lh_logf(KPI_LOG_ERR,
		        "kpi linux: DMA memory needs 2 MiB huge pages and none is free (%s); reserve some, "
		        "e.g. echo 16 > /proc/sys/vm/nr_hugepages",
		        strerror(errno));
		return -KPI_ENOMEM;
	}
	if (mlock(p, LH_HUGE_SIZE) < 0)
		lh_logf(KPI_LOG_WARNING, "kpi linux: mlock of a DMA huge page: %s", strerror(errno));
	memset(p, 0, LH_HUGE_SIZE); /* fault it in before asking pagemap */
	kpi_u64 first, last;
	int rc = lh_pagemap_phys(p, &first);
	if (rc == 0)
		rc = lh_pagemap_phys((char *)p + LH_HUGE_SIZE - LH_SLOT, &last);
	if (rc < 0) {
		lh_logf(KPI_LOG_ERR, "kpi linux: cannot read physical addresses from /proc/self/pagemap (%d)%s", rc,
		        rc == -KPI_EPERM ? ": needs root (CAP_SYS_ADMIN)" : "");
		munmap(p, LH_HUGE_SIZE);
		return rc;
	}
	if (last - first != LH_HUGE_SIZE - LH_SLOT || (first & (LH_HUGE_SIZE - 1))) {
		lh_logf(KPI_LOG_ERR, "kpi linux: huge page at phys 0x%llx is not one contiguous 2 MiB page",
		        (unsigned long long)first);
		munmap(p, LH_HUGE_SIZE);
		return -KPI_EIO;
	}
	rc = lh_vfio_dma_added(p, first, LH_HUGE_SIZE);
	if (rc < 0) {
		munmap(p, LH_HUGE_SIZE);
		return rc;
	}
	struct lh_huge *h = &lh_huge[lh_nhuge];
	memset(h, 0, sizeof(*h));
	h->virt = p;
	h->phys = first;
	return lh_nhuge++;
}

int lh_dma_page(int i, void **virt, kpi_u64 *phys, size_t *len)
{
	if (i < 0 || i >= lh_nhuge)
		return -1;
	*virt = lh_huge[i].virt;
	*phys = lh_huge[i].phys;
	*len = LH_HUGE_SIZE;
	return 0;
}

/* First run of n free slots in huge page h, or -1. */
static int lh_huge_find(const struct lh_huge *h, unsigned n)
{
	unsigned run = 0;
	for (unsigned i = 0; i < LH_SLOTS; i++) {
		run = h->used[i] ? 0 : run + 1;
		if (run == n)
			return (int)(i + 1 - n);
	}
	return -1;
}

int kpi_host_dma_alloc(kpi_size size, kpi_u32 flags, struct kpi_dma *out)
{
	if (!size)
		return -KPI_EINVAL;
	if (size > LH_HUGE_SIZE) {
		lh_logf(KPI_LOG_ERR,
		        "kpi linux: DMA request of %zu bytes refused: physically contiguous memory comes from "
		        "single 2 MiB huge pages",
		        (size_t)size);
		return -KPI_ENOMEM;
	}
	unsigned n = (unsigned)((size + LH_SLOT - 1) / LH_SLOT);
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < lh_nhuge; i++) {
			struct lh_huge *h = &lh_huge[i];
			if ((flags & KPI_DMA_32BIT) && h->phys + LH_HUGE_SIZE > (1ull << 32))
				continue;
			int slot = lh_huge_find(h, n);
			if (slot < 0)
				continue;
			memset(h->used + slot, 1, n);
			out->virt = h->virt + (size_t)slot * LH_SLOT;
			out->bus = h->phys + (kpi_u64)slot * LH_SLOT;
			out->size = (kpi_size)n * LH_SLOT;
			out->priv = (kpi_uptr)i << 16 | (kpi_uptr)slot;
			memset(out->virt, 0, out->size);
			return 0;
		}
		if (pass == 0) {
			int rc = lh_huge_grow();
			if (rc < 0)
				return rc;
			if ((flags & KPI_DMA_32BIT) && lh_huge[rc].phys + LH_HUGE_SIZE > (1ull << 32)) {
				lh_logf(KPI_LOG_ERR, "kpi linux: no huge page below 4 GiB for a 32-bit DMA request");
				return -KPI_ENOMEM;
			}
		}
	}
	return -KPI_ENOMEM;
}

void kpi_host_dma_free(struct kpi_dma *dma)
{
	int i = (int)(dma->priv >> 16);
	unsigned slot = (unsigned)(dma->priv & 0xffff);
	unsigned n = (unsigned)(dma->size / LH_SLOT);
	if (i >= lh_nhuge || slot + n > LH_SLOTS || (unsigned char *)dma->virt != lh_huge[i].virt + (size_t)slot * LH_SLOT)
		kpi_host_abort("kpi_host_dma_free: not memory from kpi_host_dma_alloc");
	memset(lh_huge[i].used + slot, 0, n);
	dma->virt = 0;
}

int kpi_host_dma_translate(const void *virt, kpi_u64 *bus)
{
	const unsigned char *p = virt;
	for (int i = 0; i < lh_nhuge; i++) {
		if (p >= lh_huge[i].virt && p < lh_huge[i].virt + LH_HUGE_SIZE) {
			*bus = lh_huge[i].phys + (kpi_u64)(p - lh_huge[i].virt);
			return 0;
		}
	}
	return -KPI_EFAULT;
}
