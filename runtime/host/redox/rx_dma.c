/* rx_dma.c: DMA memory and firmware files on Redox.
 *
 * DMA ([B] drivers/common/src/dma.rs; [K] src/scheme/memory.rs):
 * openat(memory root, "zeroed@wb?phys_contiguous") and a MAP_PRIVATE mmap
 * (MAP_SHARED gives EOPNOTSUPP) give zeroed, physically contiguous pages;
 * the kernel rounds their count up to a power of two, so we map exactly
 * that.  The physical address comes from SYS_CALL(READ) on a "translation"
 * handle: the payload's virtual address is replaced by the page's frame
 * address (add the offset in the page).  No allocation below 4 GiB exists:
 * a 32-bit request checks the result and retries a few times.
 *
 * Firmware: the /scheme/firmware and /lib/firmware directories were opened
 * by kpi_host_init, before any sandbox; openat below them keeps working. */
#include "rx_internal.h"

#define RX_DMA_TRIES 4

static long rx_zeroed_fd = -1, rx_transl_fd = -1;

static int rx_dma_handles(void)
{
	if (rx_zeroed_fd < 0) {
		rx_zeroed_fd = rx_openat(rx.memroot, "zeroed@wb?phys_contiguous", RX_O_CLOEXEC, 0);
		if (rx_zeroed_fd < 0) {
			rx_logf(KPI_LOG_ERR, "kpi redox: memory:zeroed@wb?phys_contiguous: error %ld", -rx_zeroed_fd);
			return rx_kerr(rx_zeroed_fd);
		}
	}
	if (rx_transl_fd < 0) {
		rx_transl_fd = rx_openat(rx.memroot, "translation", RX_O_CLOEXEC, 0);
		if (rx_transl_fd < 0) {
			rx_logf(KPI_LOG_ERR, "kpi redox: memory:translation: error %ld", -rx_transl_fd);
			return rx_kerr(rx_transl_fd);
		}
	}
	return 0;
}

/* Frame address of the page holding virt, plus virt's offset in it. */
static int rx_translate(const void *virt, kpi_u64 *phys)
{
	rx_u64 word = (rx_u64)(kpi_uptr)virt & ~(rx_u64)(RX_PAGE_SIZE - 1);
	int rc = rx_dma_handles();
	if (rc < 0)
		return rc;
	long r = rx_sys_call(rx_transl_fd, &word, sizeof(word), RX_CALL_READ, 0, 0);
	if (r < 0)
		return -KPI_EFAULT; /* ENOENT: not mapped */
	*phys = (word & ~(rx_u64)(RX_PAGE_SIZE - 1)) + ((kpi_uptr)virt & (RX_PAGE_SIZE - 1));
	return 0;
}

int kpi_host_dma_alloc(kpi_size size, kpi_u32 flags, struct kpi_dma *out)
{
	rx_size len = rx_dma_map_len(size);
	void *rejected[RX_DMA_TRIES];
	int nrejected = 0, rc = -KPI_ENOMEM;
	if (!len)
		return -KPI_EINVAL;
	rc = rx_dma_handles();
	if (rc < 0)
		return rc;
	rc = -KPI_ENOMEM;
	for (int tries = 0; tries < RX_DMA_TRIES; tries++) {
		long p = rx_mmap(0, len, RX_PROT_READ | RX_PROT_WRITE, RX_MAP_PRIVATE, rx_zeroed_fd, 0);
		if (p < 0) {
			rx_logf(KPI_LOG_ERR, "kpi redox: DMA allocation of %zu bytes: error %ld", (size_t)len, -p);
			rc = rx_kerr(p);
			break;
		}
		kpi_u64 bus;
		if (rx_translate((void *)p, &bus) < 0) {
			rx_munmap((void *)p, len);
			rc = -KPI_EFAULT;
			break;
		}
		if ((flags & KPI_DMA_32BIT) && bus + len > (1ull << 32)) {
			rejected[nrejected++] = (void *)p; /* held until we are done, so it is not handed back */
			continue;
		}
		out->virt = (void *)p;
		out->bus = bus;
		out->size = (size + RX_PAGE_SIZE - 1) & ~(kpi_size)(RX_PAGE_SIZE - 1);
		out->priv = len;
		rc = 0;
		break;
	}
	for (int i = 0; i < nrejected; i++)
		rx_munmap(rejected[i], len);
	if (rc == -KPI_ENOMEM && nrejected)
		rx_logf(KPI_LOG_ERR, "kpi redox: no DMA memory below 4 GiB for a 32-bit device after %d tries "
				     "(Redox has no below-4G allocation)",
			nrejected);
	return rc;
}

void kpi_host_dma_free(struct kpi_dma *dma)
{
	if (dma && dma->virt)
		rx_munmap(dma->virt, (rx_size)dma->priv);
}

int kpi_host_dma_translate(const void *virt, kpi_u64 *bus)
{
	return rx_translate(virt, bus);
}

/* ---- firmware ------------------------------------------------------------ */

static int rx_fw_read(long fd, void **data, kpi_size *size)
{
	rx_size cap = 65536, len = 0;
	rx_u8 *buf = malloc(cap);
	while (buf) {
		if (len == cap) {
			rx_u8 *bigger = realloc(buf, cap * 2);
			if (!bigger)
				break;
			buf = bigger;
			cap *= 2;
		}
		long n = rx_read(fd, buf + len, cap - len);
		if (n == -RX_EINTR)
			continue;
		if (n < 0) {
			free(buf);
			return rx_kerr(n);
		}
		if (n == 0) {
			*data = buf;
			*size = len;
			return 0;
		}
		len += (rx_size)n;
	}
	free(buf);
	return -KPI_ENOMEM;
}

int kpi_host_firmware_load(const char *name, void **data, kpi_size *size)
{
	if (!rx_fw_name_ok(name))
		return -KPI_EINVAL;
	for (int i = 0; i < 2; i++) {
		if (rx.fwdir[i] < 0)
			continue;
		long fd = rx_openat(rx.fwdir[i], name, RX_O_RDONLY | RX_O_CLOEXEC, 0);
		if (fd < 0)
			continue;
		int rc = rx_fw_read(fd, data, size);
		rx_close(fd);
		return rc;
	}
	if (rx.fwdir[0] < 0 && rx.fwdir[1] < 0)
		rx_logf(KPI_LOG_ERR, "kpi redox: firmware %s: neither /scheme/firmware nor /lib/firmware could be "
				     "opened at start",
			name);
	return -KPI_ENOENT;
}

void kpi_host_firmware_release(void *data, kpi_size size)
{
	(void)size;
	free(data);
}
