/* lh_vfio.c: PCI functions through vfio-pci, for MSI and MSI-X, which
 * uio_pci_generic cannot deliver.  Which driver a function gets is decided
 * once, at kpi_host_pci_open (lh_vfio_choose): rebinding later would reset
 * a device the driver has already programmed.
 *
 * vfio needs an IOMMU container, and kpiport's DMA model is "bus address
 * == physical address" (hugepages + pagemap, lh_dma.c).  Both kinds of
 * vfio group keep that true:
 *  - no-IOMMU groups (/dev/vfio/noiommu-N; the vfio module's
 *    enable_unsafe_noiommu_mode, kernels built with CONFIG_VFIO_NOIOMMU):
 *    container type LH_VFIO_NOIOMMU_IOMMU, no translation at all;
 *  - IOMMU groups (/dev/vfio/N): a type1 container in which every DMA pool
 *    page is mapped at iova == its physical address (now and whenever the
 *    pool grows), so the device's addresses are the same as without an
 *    IOMMU.  Debian's kernels lack CONFIG_VFIO_NOIOMMU; this is how vfio
 *    works there (and it is the safe mode: the device reaches nothing but
 *    the pool).
 *
 * Everything else stays as with uio: config space through sysfs `config`
 * (the capabilities stay visible: the kernel programs the real ones), BARs
 * through sysfs `resourceN` (the vfio region mmap is the fallback), port
 * I/O through pread/pwrite.  Interrupts: one eventfd per vector, handed to
 * LH_VFIO_DEVICE_SET_IRQS; lh_irq.c owns their masking state machine.
 *
 * The vfio ABI comes from lh_vfio_abi.h (spelled out: no <linux/...>
 * header on the host side). */
#define _GNU_SOURCE
#include "lh_internal.h"
#include "lh_vfio_abi.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define LH_DEV "/sys/bus/pci/devices/%s"
#define LH_NOIOMMU_PARAM "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode"

enum lh_bind lh_bind_mode = LH_BIND_AUTO;

static int lh_sys_ioctl(int fd, unsigned long request, void *arg)
{
	int rc = ioctl(fd, request, arg);
	return rc < 0 ? -errno : rc;
}

int (*lh_vfio_ioctl)(int fd, unsigned long request, void *arg) = lh_sys_ioctl;

/* -errno from lh_vfio_ioctl -> -KPI_E* (results >= 0 pass through). */
static int lh_vfio_rc(int rc)
{
	return rc < 0 ? lh_neg_errno(-rc) : rc;
}

/* IOMMU group number of a function (its iommu_group link), or -1. */
static int lh_group_of(const char *name)
{
	char path[PATH_MAX], link[PATH_MAX];
	if (lh_path(path, sizeof(path), LH_DEV "/iommu_group", name) < 0)
		return -1;
	ssize_t n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -1;
	link[n] = 0;
	const char *base = strrchr(link, '/');
	base = base ? base + 1 : link;
	char *end;
	long g = strtol(base, &end, 10);
	return *base && !*end && g >= 0 && g < INT_MAX ? (int)g : -1;
}

static int lh_exists(const char *sys_path)
{
	char path[PATH_MAX];
	return lh_path(path, sizeof(path), "%s", sys_path) == 0 && access(path, F_OK) == 0;
}

/* vfio's no-IOMMU mode: 1 on, 0 off, -1 absent (vfio not loaded, or a
 * kernel without CONFIG_VFIO_NOIOMMU: Debian's). */
static int lh_noiommu_mode(void)
{
	char path[PATH_MAX], text[8];
	if (lh_path(path, sizeof(path), LH_NOIOMMU_PARAM) < 0 || lh_read_text(path, text, sizeof(text)) < 0)
		return -1;
	return text[0] == 'Y' || text[0] == 'y' || text[0] == '1';
}

/* Does the function have an MSI (0x05) or MSI-X (0x11) capability?  Read
 * from the claimed function's config fd (the list is past 64 bytes). */
static int lh_has_msi(const struct lh_func *f)
{
	kpi_u8 b[2];
	if (pread(f->cfg_fd, b, 2, 0x06) != 2 || !(b[0] & 0x10))
		return 0; /* no capability list */
	kpi_u8 pos;
	if (pread(f->cfg_fd, &pos, 1, 0x34) != 1)
		return 0;
	for (int hops = 0; hops < 48 && pos >= 0x40; hops++) {
		if (pread(f->cfg_fd, b, 2, pos & 0xfc) != 2)
			return 0;
		if (b[0] == 0x05 || b[0] == 0x11)
			return 1;
		pos = b[1];
	}
	return 0;
}

int lh_vfio_choose(struct lh_func *f)
{
	char drv[64];
	lh_driver_of(f->name, drv, sizeof(drv));
	int have_vfio = lh_exists("/sys/bus/pci/drivers/vfio-pci");
	int group = lh_group_of(f->name);
	int noiommu = lh_noiommu_mode();
	int msi = lh_has_msi(f);
	if (lh_bind_mode == LH_BIND_UIO)
		return 0;
	if (lh_bind_mode == LH_BIND_VFIO) {
		if (!have_vfio) {
			lh_logf(KPI_LOG_ERR, "kpi linux: %s: --pci-bind=vfio, but there is no vfio-pci driver (modprobe vfio-pci)",
			        f->name);
			return -KPI_ENODEV;
		}
		if (group < 0 && noiommu == 0) {
			/* Asked for vfio on a function with no IOMMU: that is exactly
			 * what the no-IOMMU mode is for, and the user asked. */
			char path[PATH_MAX];
			lh_path(path, sizeof(path), LH_NOIOMMU_PARAM);
			if (lh_write_text(path, "1") == 0) {
				lh_logf(KPI_LOG_WARNING, "kpi linux: %s: turned on vfio's no-IOMMU mode (%s)", f->name, path);
				noiommu = 1;
			}
		}
		if (group < 0 && noiommu <= 0) {
			lh_logf(KPI_LOG_ERR,
			        "kpi linux: %s: --pci-bind=vfio, but the function has no IOMMU group and vfio has no "
			        "no-IOMMU mode (%s; kernels without CONFIG_VFIO_NOIOMMU have none)",
			        f->name, noiommu < 0 ? "the parameter does not exist" : "enabling it failed");
			return -KPI_ENOTSUP;
		}
		return 1;
	}
	if (strcmp(drv, "vfio-pci") == 0)
		return 1; /* someone bound it for us */
	int usable = have_vfio && (group >= 0 || noiommu == 1);
	if (!usable) {
		if (msi)
			lh_logf(KPI_LOG_INFO,
			        "kpi linux: %s: MSI/MSI-X need vfio-pci (%s); using uio_pci_generic (INTx only)", f->name,
			        !have_vfio ? "modprobe vfio-pci"
			                   : "no IOMMU group here and vfio's enable_unsafe_noiommu_mode is not on");
		return 0;
	}
	/* An IOMMU group means DMA is translated: uio could not work then. */
	if (msi || group >= 0 || !lh_exists("/sys/bus/pci/drivers/uio_pci_generic"))
		return 1;
	return 0;
}

/* The group's character device: /dev/vfio/N, or /dev/vfio/noiommu-N. */
static int lh_group_dev(int group, char *path, size_t cap, int *noiommu)
{
	char num[16];
	snprintf(num, sizeof(num), "%d", group);
	for (int tries = 0; tries < 100; tries++) { /* udev-less: devtmpfs makes it at bind */
		if (lh_path(path, cap, "/dev/vfio/noiommu-%s", num) == 0 && access(path, F_OK) == 0) {
			*noiommu = 1;
			return 0;
		}
		if (lh_path(path, cap, "/dev/vfio/%s", num) == 0 && access(path, F_OK) == 0) {
			*noiommu = 0;
			return 0;
		}
		struct timespec ts = {0, 10000000};
		nanosleep(&ts, 0);
	}
	return -KPI_ENOENT;
}

static int lh_vfio_map_one(struct lh_func *f, void *virt, kpi_u64 phys, size_t len)
{
	struct lh_vfio_dma_map map = {
		.argsz = sizeof(map),
		.flags = LH_VFIO_DMA_MAP_FLAG_READ | LH_VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (kpi_u64)(uintptr_t)virt,
		.iova = phys, /* identity: the bus address stays the physical address */
		.size = len,
	};
	int rc = lh_vfio_ioctl(f->vfio_container, LH_VFIO_IOMMU_MAP_DMA, &map);
	if (rc < 0) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: mapping DMA page 0x%llx into IOMMU group %d: %s", f->name,
		        (unsigned long long)phys, f->vfio_group_num, strerror(-rc));
		return lh_vfio_rc(rc);
	}
	return 0;
}

int lh_vfio_dma_added(void *virt, kpi_u64 phys, size_t len)
{
	for (int i = 0; i < lh_nfuncs; i++) {
		struct lh_func *f = &lh_funcs[i];
		if (f->vfio_container >= 0 && !f->vfio_noiommu) {
			int rc = lh_vfio_map_one(f, virt, phys, len);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

void lh_vfio_close(struct lh_func *f)
{
	int *fds[] = {&f->vfio_dev, &f->vfio_group, &f->vfio_container};
	for (int i = 0; i < 3; i++)
		if (*fds[i] >= 0) {
			close(*fds[i]);
			*fds[i] = -1;
		}
}

/* Container + group + IOMMU type + device fd, once vfio-pci is bound. */
static int lh_vfio_attach(struct lh_func *f)
{
	char path[PATH_MAX];
	int group = -1, rc;
	for (int tries = 0; tries < 100 && group < 0; tries++) { /* a no-IOMMU group appears at bind */
		group = lh_group_of(f->name);
		if (group < 0) {
			struct timespec ts = {0, 10000000};
			nanosleep(&ts, 0);
		}
	}
	if (group < 0) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: bound to vfio-pci, but it has no iommu_group", f->name);
		return -KPI_ENODEV;
	}
	f->vfio_group_num = group;
	if (lh_group_dev(group, path, sizeof(path), &f->vfio_noiommu) < 0) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: no /dev/vfio/%d nor /dev/vfio/noiommu-%d", f->name, group, group);
		return -KPI_ENOENT;
	}
	f->vfio_group = open(path, O_RDWR | O_CLOEXEC);
	if (f->vfio_group < 0) {
		rc = lh_neg_errno(errno);
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: %s: %s", f->name, path, strerror(errno));
		return rc;
	}
	lh_path(path, sizeof(path), "/dev/vfio/vfio");
	f->vfio_container = open(path, O_RDWR | O_CLOEXEC);
	if (f->vfio_container < 0) {
		rc = lh_neg_errno(errno);
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: %s: %s", f->name, path, strerror(errno));
		return rc;
	}
	if (lh_vfio_ioctl(f->vfio_container, LH_VFIO_GET_API_VERSION, 0) != LH_VFIO_API_VERSION) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: unknown vfio API version", f->name);
		return -KPI_ENOTSUP;
	}
	struct lh_vfio_group_status st = {.argsz = sizeof(st)};
	rc = lh_vfio_ioctl(f->vfio_group, LH_VFIO_GROUP_GET_STATUS, &st);
	if (rc < 0)
		return lh_vfio_rc(rc);
	if (!(st.flags & LH_VFIO_GROUP_FLAGS_VIABLE)) {
		lh_logf(KPI_LOG_ERR,
		        "kpi linux: %s: IOMMU group %d is not viable: every function in "
		        "/sys/kernel/iommu_groups/%d/devices must be bound to vfio-pci or to no driver",
		        f->name, group, group);
		return -KPI_EBUSY;
	}
	rc = lh_vfio_ioctl(f->vfio_group, LH_VFIO_GROUP_SET_CONTAINER, &f->vfio_container);
	if (rc < 0) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: LH_VFIO_GROUP_SET_CONTAINER: %s", f->name, strerror(-rc));
		return lh_vfio_rc(rc);
	}
	unsigned long type = LH_VFIO_NOIOMMU_IOMMU;
	if (!f->vfio_noiommu)
		type = lh_vfio_ioctl(f->vfio_container, LH_VFIO_CHECK_EXTENSION, (void *)(uintptr_t)LH_VFIO_TYPE1v2_IOMMU) > 0
		               ? LH_VFIO_TYPE1v2_IOMMU
		               : LH_VFIO_TYPE1_IOMMU;
	if (lh_vfio_ioctl(f->vfio_container, LH_VFIO_CHECK_EXTENSION, (void *)(uintptr_t)type) <= 0) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: vfio offers no %s IOMMU model%s", f->name,
		        f->vfio_noiommu ? "no-IOMMU" : "type1",
		        f->vfio_noiommu ? "" : " (modprobe vfio_iommu_type1)");
		return -KPI_ENOTSUP;
	}
	rc = lh_vfio_ioctl(f->vfio_container, LH_VFIO_SET_IOMMU, (void *)(uintptr_t)type);
	if (rc < 0) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: LH_VFIO_SET_IOMMU: %s%s", f->name, strerror(-rc),
		        rc == -EPERM ? " (no-IOMMU mode needs CAP_SYS_RAWIO)" : "");
		return lh_vfio_rc(rc);
	}
	if (!f->vfio_noiommu) { /* the pool as it is now; lh_vfio_dma_added does the rest */
		void *virt;
		kpi_u64 phys;
		size_t len;
		for (int i = 0; lh_dma_page(i, &virt, &phys, &len) == 0; i++) {
			rc = lh_vfio_map_one(f, virt, phys, len);
			if (rc < 0)
				return rc;
		}
	}
	rc = lh_vfio_ioctl(f->vfio_group, LH_VFIO_GROUP_GET_DEVICE_FD, f->name);
	if (rc < 0) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: LH_VFIO_GROUP_GET_DEVICE_FD: %s", f->name, strerror(-rc));
		return lh_vfio_rc(rc);
	}
	f->vfio_dev = rc;
	struct lh_vfio_device_info info = {.argsz = sizeof(info)};
	rc = lh_vfio_ioctl(f->vfio_dev, LH_VFIO_DEVICE_GET_INFO, &info);
	if (rc < 0 || !(info.flags & LH_VFIO_DEVICE_FLAGS_PCI)) {
		lh_logf(KPI_LOG_ERR, "kpi linux: %s: not a vfio PCI device", f->name);
		return rc < 0 ? lh_vfio_rc(rc) : -KPI_ENODEV;
	}
	return 0;
}

int lh_vfio_open(struct lh_func *f)
{
	f->vfio_container = f->vfio_group = f->vfio_dev = -1;
	int rc = lh_bind_driver(f, "vfio-pci");
	if (rc == 0)
		rc = lh_vfio_attach(f);
	if (rc < 0)
		lh_vfio_close(f);
	return rc;
}

static unsigned lh_vfio_index(int type)
{
	return type == KPI_IRQ_MSIX ? LH_VFIO_PCI_MSIX_IRQ_INDEX
	       : type == KPI_IRQ_MSI ? LH_VFIO_PCI_MSI_IRQ_INDEX
	                             : LH_VFIO_PCI_INTX_IRQ_INDEX;
}

int lh_vfio_irq_count(struct lh_func *f, int type)
{
	struct lh_vfio_irq_info info = {.argsz = sizeof(info), .index = lh_vfio_index(type)};
	if (f->vfio_dev < 0 || lh_vfio_ioctl(f->vfio_dev, LH_VFIO_DEVICE_GET_IRQ_INFO, &info) < 0)
		return 0;
	if (type != KPI_IRQ_LEGACY && !(info.flags & LH_VFIO_IRQ_INFO_EVENTFD))
		return 0;
	return info.count > INT_MAX ? INT_MAX : (int)info.count;
}

int lh_vfio_irq_set(struct lh_func *f, int type, int n, const int *fds)
{
	union {
		struct lh_vfio_irq_set set;
		char bytes[sizeof(struct lh_vfio_irq_set) + LH_MAX_VEC * sizeof(kpi_s32)];
	} u; /* the header, then the eventfds */
	if (n < 0 || n > LH_MAX_VEC)
		return -KPI_EINVAL;
	memset(&u, 0, sizeof(u));
	u.set.argsz = (kpi_u32)(sizeof(u.set) + (size_t)n * sizeof(kpi_s32));
	u.set.flags = (n ? LH_VFIO_IRQ_SET_DATA_EVENTFD : LH_VFIO_IRQ_SET_DATA_NONE) | LH_VFIO_IRQ_SET_ACTION_TRIGGER;
	u.set.index = lh_vfio_index(type);
	u.set.start = 0;
	u.set.count = (kpi_u32)n;
	for (int i = 0; i < n; i++) {
		kpi_s32 fd = fds[i];
		memcpy(u.bytes + sizeof(u.set) + (size_t)i * sizeof(fd), &fd, sizeof(fd));
	}
	return lh_vfio_rc(lh_vfio_ioctl(f->vfio_dev, LH_VFIO_DEVICE_SET_IRQS, &u.set));
}

int lh_vfio_intx_unmask(struct lh_func *f)
{
	struct lh_vfio_irq_set set = {
		.argsz = sizeof(set),
		.flags = LH_VFIO_IRQ_SET_DATA_NONE | LH_VFIO_IRQ_SET_ACTION_UNMASK,
		.index = LH_VFIO_PCI_INTX_IRQ_INDEX,
		.start = 0,
		.count = 1,
	};
	return lh_vfio_rc(lh_vfio_ioctl(f->vfio_dev, LH_VFIO_DEVICE_SET_IRQS, &set));
}

int lh_vfio_map_bar(struct lh_func *f, int bar, void **addr, size_t *len)
{
	struct lh_vfio_region_info ri = {.argsz = sizeof(ri), .index = LH_VFIO_PCI_BAR0_REGION_INDEX + (unsigned)bar};
	int rc = lh_vfio_ioctl(f->vfio_dev, LH_VFIO_DEVICE_GET_REGION_INFO, &ri);
	if (rc < 0)
		return lh_vfio_rc(rc);
	if (!(ri.flags & LH_VFIO_REGION_INFO_FLAG_MMAP) || !ri.size)
		return -KPI_ENOTSUP;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t n = ((size_t)ri.size + page - 1) & ~(page - 1);
	void *p = mmap(0, n, PROT_READ | PROT_WRITE, MAP_SHARED, f->vfio_dev, (off_t)ri.offset);
	if (p == MAP_FAILED)
		return lh_neg_errno(errno);
	*addr = p;
	*len = n;
	return 0;
}
