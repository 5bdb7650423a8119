/* host_linux_test.c: unit tests of runtime/host/linux that need no device:
 * PCI enumeration, binding, config space, BARs, port I/O, BAR mmap and the
 * UIO interrupt protocol against a fake sysfs tree (KPI_SYSFS_ROOT); the
 * vfio-pci path (the uio/vfio choice, no-IOMMU and type1 containers, DMA
 * pages mapped iova == phys, MSI/MSI-X/INTx eventfds and the emulated
 * per-vector mask) against that tree plus a fake vfio kernel behind
 * lh_vfio_ioctl, interrupts raised by writing the eventfds, and the
 * backend's spelled-out vfio ABI (lh_vfio_abi.h) against the real UAPI
 * header at compile time; plus
 * options, readiness, firmware, the wait loop, pagemap translation (root),
 * the DMA size limit, a TAP interface when /dev/net/tun is usable, and the
 * fatal-signal contract (child processes on the fake function: signals as
 * events, the forced exit, bus mastering off on abort and faults). */
#define _GNU_SOURCE
#include "ktest.h"
#include "lh_internal.h"
#include "lh_vfio_abi.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/vfio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char root[256];

static void put_file(const char *rel, const void *data, size_t len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	if (!f)
		return;
	fwrite(data, 1, len, f);
	fclose(f);
}

static size_t get_file(const char *rel, void *buf, size_t cap)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, cap - 1, f);
	fclose(f);
	((char *)buf)[n] = 0;
	return n;
}

static void mk(const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	CHECK(mkdir(path, 0755) == 0 || errno == EEXIST);
}

static kpi_u32 cfg_byte(const char *dev, unsigned off, unsigned width)
{
	char rel[128];
	unsigned char buf[4096];
	snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/config", dev);
	get_file(rel, buf, sizeof(buf));
	kpi_u32 v = 0;
	for (unsigned i = 0; i < width; i++)
		v |= (kpi_u32)buf[off + i] << (8 * i);
	return v;
}

/* Two functions: an rtl8139 bound to "8139too" and an i6300esb unbound. */
static void make_fake_sysfs(void)
{
	mk("sys");
	mk("sys/bus");
	mk("sys/bus/pci");
	mk("sys/bus/pci/devices");
	mk("sys/bus/pci/drivers");
	mk("sys/bus/pci/drivers/uio_pci_generic");
	mk("sys/bus/pci/drivers/8139too");
	mk("dev");
	put_file("sys/bus/pci/drivers/uio_pci_generic/bind", "", 0);
	put_file("sys/bus/pci/drivers/uio_pci_generic/new_id", "", 0);
	put_file("sys/bus/pci/drivers/8139too/unbind", "", 0);

	const char *d = "sys/bus/pci/devices/0000:00:03.0";
	mk(d);
	unsigned char cfg[256] = {0};
	cfg[0] = 0xec, cfg[1] = 0x10, cfg[2] = 0x39, cfg[3] = 0x81; /* 10ec:8139 */
	cfg[4] = 0x00, cfg[5] = 0x04;                               /* INTx masked by a previous user */
	cfg[6] = 0x10;                                              /* status: capabilities */
	cfg[8] = 0x20, cfg[9] = 0x00, cfg[10] = 0x00, cfg[11] = 0x02; /* rev 0x20, class 020000 */
	cfg[0x2c] = 0xf4, cfg[0x2d] = 0x1a, cfg[0x2e] = 0x00, cfg[0x2f] = 0x11;
	cfg[0x3c] = 11, cfg[0x3d] = 1;
	put_file("sys/bus/pci/devices/0000:00:03.0/config", cfg, sizeof(cfg));
	const char *res = "0x000000000000c000 0x000000000000c0ff 0x0000000000040101\n"
	                  "0x00000000febf1100 0x00000000febf11ff 0x0000000000040200\n"
	                  "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	                  "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	                  "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	                  "0x0000000000000000 0x0000000000000000 0x0000000000000000\n"
	                  "0x00000000feb80000 0x00000000febbffff 0x0000000000046200\n";
	put_file("sys/bus/pci/devices/0000:00:03.0/resource", res, strlen(res));
	static unsigned char zero[4096];
	put_file("sys/bus/pci/devices/0000:00:03.0/resource0", zero, 256);
	put_file("sys/bus/pci/devices/0000:00:03.0/resource1", zero, 4096);
	put_file("sys/bus/pci/devices/0000:00:03.0/driver_override", "", 0);
	put_file("sys/bus/pci/devices/0000:00:03.0/enable", "", 0);
	mk("sys/bus/pci/devices/0000:00:03.0/uio");
	mk("sys/bus/pci/devices/0000:00:03.0/uio/uio3");
	char path[512], target[512];
	snprintf(path, sizeof(path), "%s/%s/driver", root, d);
	snprintf(target, sizeof(target), "%s/sys/bus/pci/drivers/8139too", root);
	CHECK(symlink(target, path) == 0);
	snprintf(path, sizeof(path), "%s/dev/uio3", root);
	CHECK(mkfifo(path, 0600) == 0); /* pollable, like the real /dev/uioN */

	mk("sys/bus/pci/devices/0000:00:04.0");
	memset(cfg, 0, sizeof(cfg));
	cfg[0] = 0x86, cfg[1] = 0x80, cfg[2] = 0xab, cfg[3] = 0x25; /* 8086:25ab */
	cfg[11] = 0x08, cfg[10] = 0x80;
	put_file("sys/bus/pci/devices/0000:00:04.0/config", cfg, sizeof(cfg));
	put_file("sys/bus/pci/devices/0000:00:04.0/resource", res, strlen(res));
	mk("sys/bus/pci/devices/not-a-device");
}

static void test_pci(void)
{
	/* The backend takes --pci= and leaves the rest for lx, in order. */
	char *argv1[] = {"t", "--pci=10ec:8139", "debug=3", "media=", 0};
	int argc1 = 4;
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc1, argv1), 0);
	CHECK_INT(argc1, 3);
	CHECK_STR(argv1[1], "debug=3");
	CHECK_STR(argv1[2], "media=");
	CHECK(argv1[3] == NULL);
	CHECK_INT(kpi_host_pci_count(), 1);
	struct kpi_pci_info in;
	CHECK_INT(kpi_host_pci_info(0, &in), 0);
	CHECK_STR(in.name, "0000:00:03.0");
	CHECK_INT(in.vendor, 0x10ec);
	CHECK_INT(in.device, 0x8139);
	CHECK_INT(in.revision, 0x20);
	CHECK_INT(in.class_code, 0x020000);
	CHECK_INT(in.subvendor, 0x1af4);
	CHECK_INT(in.subdevice, 0x1100);
	CHECK_INT(in.irq_pin, 1);
	CHECK_INT(in.irq_line, 11);
	CHECK_INT(kpi_host_pci_info(1, &in), -KPI_ENODEV);

	int h = kpi_host_pci_open(0);
	CHECK_INT(h, 0);
	char buf[256];
	get_file("sys/bus/pci/drivers/8139too/unbind", buf, sizeof(buf));
	CHECK_STR(buf, "0000:00:03.0");
	get_file("sys/bus/pci/devices/0000:00:03.0/driver_override", buf, sizeof(buf));
	CHECK_STR(buf, "uio_pci_generic");
	get_file("sys/bus/pci/drivers/uio_pci_generic/bind", buf, sizeof(buf));
	CHECK_STR(buf, "0000:00:03.0");
	CHECK_INT(kpi_host_pci_open(0), -KPI_EBUSY);

	/* config space */
	kpi_u32 v = 0;
	CHECK_INT(kpi_host_pci_cfg_read(h, 0, 2, &v), 0);
	CHECK_INT(v, 0x10ec);
	CHECK_INT(kpi_host_pci_cfg_read(h, 0, 4, &v), 0);
	CHECK_INT(v, 0x813910ec);
	CHECK_INT(kpi_host_pci_cfg_read(h, 1, 2, &v), -KPI_EINVAL);
	CHECK_INT(kpi_host_pci_cfg_read(h, 0, 3, &v), -KPI_EINVAL);
	CHECK_INT(kpi_host_pci_cfg_write(h, 0x40, 4, 0x12345678), 0);
	CHECK_INT(kpi_host_pci_cfg_read(h, 0x41, 1, &v), 0);
	CHECK_INT(v, 0x56);
	CHECK_INT(kpi_host_pci_cfg_write(h, 0x42, 2, 0xabcd), 0);
	CHECK_INT(cfg_byte("0000:00:03.0", 0x40, 4), 0xabcd5678);
	CHECK_INT(kpi_host_pci_enable(h), 0);
	CHECK_INT(cfg_byte("0000:00:03.0", 4, 2), 0x407);
	CHECK_INT(cfg_byte("0000:00:03.0", 6, 1), 0x10); /* status untouched */
	get_file("sys/bus/pci/devices/0000:00:03.0/enable", buf, sizeof(buf));
	CHECK_STR(buf, "1");

	/* BARs */
	struct kpi_pci_bar bar;
	CHECK_INT(kpi_host_pci_bar(h, 0, &bar), 0);
	CHECK_INT(bar.addr, 0xc000);
	CHECK_INT(bar.size, 256);
	CHECK_INT(bar.flags, KPI_BAR_IO);
	CHECK_INT(kpi_host_pci_bar(h, 1, &bar), 0);
	CHECK_INT(bar.addr, 0xfebf1100);
	CHECK_INT(bar.flags, KPI_BAR_MEM);
	CHECK_INT(kpi_host_pci_bar(h, 2, &bar), 0);
	CHECK_INT(bar.size, 0);
	CHECK_INT(kpi_host_pci_bar(h, 6, &bar), 0);
	CHECK_INT(bar.size, 0x40000);
	CHECK_INT(bar.flags, KPI_BAR_MEM | KPI_BAR_PREFETCH);

	/* port I/O through resource0 */
	CHECK_INT(kpi_host_pci_pio_enable(h, 1), -KPI_EINVAL);
	CHECK_INT(kpi_host_pci_pio_enable(h, 0), 0);
	kpi_host_pio_out(0xc010, 2, 0xbeef);
	kpi_host_pio_out(0xc0ff, 1, 0x5a);
	CHECK_INT(kpi_host_pio_in(0xc010, 2), 0xbeef);
	CHECK_INT(kpi_host_pio_in(0xc010, 1), 0xef);
	CHECK_INT(kpi_host_pio_in(0xc0ff, 1), 0x5a);
	CHECK_INT(kpi_host_pio_in(0xc0ff, 2), 0xffff); /* crosses the end */
	CHECK_INT(kpi_host_pio_in(0xd000, 4), 0xffffffffu);
	get_file("sys/bus/pci/devices/0000:00:03.0/resource0", buf, sizeof(buf));
	CHECK_INT((unsigned char)buf[0x10], 0xef);
	CHECK_INT((unsigned char)buf[0x11], 0xbe);

	/* MMIO: BAR1 starts 0x100 into its page */
	struct kpi_pci_map map;
	CHECK_INT(kpi_host_pci_map_bar(h, 0, KPI_MAP_UC, &map), -KPI_EINVAL);
	CHECK_INT(kpi_host_pci_map_bar(h, 1, KPI_MAP_UC, &map), 0);
	CHECK(((kpi_uptr)map.addr & 0xfff) == 0x100);
	CHECK_INT(map.size, 256);
	CHECK_INT(map.flags & KPI_MAP_TRAPPED, 0);
	kpi_host_mmio_write((char *)map.addr + 4, 4, 0xcafef00d);
	CHECK_INT(kpi_host_mmio_read((char *)map.addr + 4, 4), 0xcafef00d);
	CHECK_INT(kpi_host_mmio_read((char *)map.addr + 6, 2), 0xcafe);
	kpi_host_pci_unmap_bar(h, 1);
	unsigned char page[4096];
	get_file("sys/bus/pci/devices/0000:00:03.0/resource1", page, sizeof(page));
	CHECK_INT(page[0x104] | page[0x105] << 8 | page[0x106] << 16 | (kpi_u32)page[0x107] << 24, 0xcafef00d);

	/* interrupts: fake /dev/uio3 is a FIFO the test writes counts into */
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSI, 1), -KPI_ENOTSUP);
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSIX, 4), -KPI_ENOTSUP);
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_LEGACY, 1), 1);
	CHECK_INT(cfg_byte("0000:00:03.0", 4, 2), 0x007); /* INTx unmasked */
	CHECK_INT(kpi_host_irq_ack(h, 0), -KPI_EINVAL);
	int cookie;
	CHECK_INT(kpi_host_irq_watch(h, 0, &cookie), 0);
	char fifo[512];
	snprintf(fifo, sizeof(fifo), "%s/dev/uio3", root);
	int wfd = open(fifo, O_WRONLY | O_NONBLOCK);
	CHECK(wfd >= 0);
	struct kpi_host_event ev[4];
	kpi_u64 t0 = kpi_host_now_ns();
	CHECK_INT(kpi_host_wait(t0 + 20000000ull, ev, 4), 0);
	CHECK(kpi_host_now_ns() - t0 >= 20000000ull);
	kpi_u32 count = 1;
	CHECK_INT(write(wfd, &count, 4), 4);
	CHECK_INT(kpi_host_pci_cfg_write(h, 4, 2, 0x407), 0); /* as the kernel masks it */
	CHECK_INT(kpi_host_wait(KPI_FOREVER, ev, 4), 1);
	CHECK_INT(ev[0].kind, KPI_EV_IRQ);
	CHECK_INT(ev[0].handle, h);
	CHECK_INT(ev[0].index, 0);
	CHECK(ev[0].cookie == &cookie);
	count = 2; /* coalesced while unacked */
	CHECK_INT(write(wfd, &count, 4), 4);
	CHECK_INT(kpi_host_wait(kpi_host_now_ns(), ev, 4), 0);
	CHECK_INT(kpi_host_irq_ack(h, 0), 0);
	CHECK_INT(cfg_byte("0000:00:03.0", 4, 2), 0x007);
	CHECK_INT(kpi_host_irq_ack(h, 0), -KPI_EINVAL);
	CHECK_INT(kpi_host_irq_watch(h, 0, 0), 0);
	CHECK_INT(kpi_host_wait(KPI_FOREVER, ev, 4), -KPI_EDEADLK);
	close(wfd);

	kpi_host_pci_close(h);
	CHECK_INT(cfg_byte("0000:00:03.0", 4, 2), 0x407); /* irq_disable left INTx masked */
	CHECK_INT(kpi_host_pio_in(0xc010, 2), 0xffff);    /* port range gone */
	CHECK_INT(kpi_host_pci_cfg_read(h, 0, 2, &v), -KPI_ENODEV);
	CHECK_INT(kpi_host_pci_open(0), 0);
	kpi_host_pci_close(0);

	/* no --pci: every function, sorted; selection by address */
	lh_pci_reset();
	char *argv2[] = {"t", 0};
	int argc2 = 1;
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc2, argv2), 0);
	CHECK_INT(kpi_host_pci_count(), 2);
	CHECK_INT(kpi_host_pci_info(1, &in), 0);
	CHECK_STR(in.name, "0000:00:04.0");
	CHECK_INT(in.irq_line, 0xff);
	CHECK_INT(in.class_code, 0x088000);
	lh_pci_reset();
	char *argv3[] = {"t", "--pci=00:04.0", 0};
	int argc3 = 2;
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc3, argv3), 0);
	CHECK_INT(kpi_host_pci_count(), 1);
	CHECK_INT(kpi_host_pci_open(0), -KPI_ENODEV); /* no uio dir appears */
	lh_pci_reset();
	char *argv4[] = {"t", "--pci=bogus", 0};
	int argc4 = 2;
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc4, argv4), -KPI_EINVAL);
	lh_pci_reset();
	/* a well-formed address no function has: -ENODEV, which lx turns
	 * into KPI_EXIT_NO_DEVICE (issue 8: it used to exit 1) */
	char *argv6[] = {"t", "--pci=0000:00:1f.7", 0};
	int argc6 = 2;
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc6, argv6), -KPI_ENODEV);
	lh_pci_reset();
}

/* ---- vfio-pci: a fake kernel behind lh_vfio_ioctl ---------------------- */

/* lh_vfio_abi.h spells out what linux/vfio.h says (the backend may not
 * include it): every number and layout must be the same. */
#define SAME(a, b) _Static_assert((a) == (b), #a " != " #b)
#define SAME_FIELD(lh, k, f) \
	SAME(offsetof(struct lh, f), offsetof(struct k, f)); \
	SAME(sizeof(((struct lh *)0)->f), sizeof(((struct k *)0)->f))
SAME(LH_VFIO_API_VERSION, VFIO_API_VERSION);
SAME(LH_VFIO_TYPE1_IOMMU, VFIO_TYPE1_IOMMU);
SAME(LH_VFIO_TYPE1v2_IOMMU, VFIO_TYPE1v2_IOMMU);
SAME(LH_VFIO_NOIOMMU_IOMMU, VFIO_NOIOMMU_IOMMU);
SAME(LH_VFIO_GET_API_VERSION, VFIO_GET_API_VERSION);
SAME(LH_VFIO_CHECK_EXTENSION, VFIO_CHECK_EXTENSION);
SAME(LH_VFIO_SET_IOMMU, VFIO_SET_IOMMU);
SAME(LH_VFIO_GROUP_GET_STATUS, VFIO_GROUP_GET_STATUS);
SAME(LH_VFIO_GROUP_SET_CONTAINER, VFIO_GROUP_SET_CONTAINER);
SAME(LH_VFIO_GROUP_GET_DEVICE_FD, VFIO_GROUP_GET_DEVICE_FD);
SAME(LH_VFIO_DEVICE_GET_INFO, VFIO_DEVICE_GET_INFO);
SAME(LH_VFIO_DEVICE_GET_REGION_INFO, VFIO_DEVICE_GET_REGION_INFO);
SAME(LH_VFIO_DEVICE_GET_IRQ_INFO, VFIO_DEVICE_GET_IRQ_INFO);
SAME(LH_VFIO_DEVICE_SET_IRQS, VFIO_DEVICE_SET_IRQS);
SAME(LH_VFIO_IOMMU_MAP_DMA, VFIO_IOMMU_MAP_DMA);
SAME(LH_VFIO_GROUP_FLAGS_VIABLE, VFIO_GROUP_FLAGS_VIABLE);
SAME(LH_VFIO_DEVICE_FLAGS_PCI, VFIO_DEVICE_FLAGS_PCI);
SAME(LH_VFIO_REGION_INFO_FLAG_MMAP, VFIO_REGION_INFO_FLAG_MMAP);
SAME(LH_VFIO_IRQ_INFO_EVENTFD, VFIO_IRQ_INFO_EVENTFD);
SAME(LH_VFIO_IRQ_SET_DATA_NONE, VFIO_IRQ_SET_DATA_NONE);
SAME(LH_VFIO_IRQ_SET_DATA_EVENTFD, VFIO_IRQ_SET_DATA_EVENTFD);
SAME(LH_VFIO_IRQ_SET_ACTION_UNMASK, VFIO_IRQ_SET_ACTION_UNMASK);
SAME(LH_VFIO_IRQ_SET_ACTION_TRIGGER, VFIO_IRQ_SET_ACTION_TRIGGER);
SAME(LH_VFIO_PCI_BAR0_REGION_INDEX, VFIO_PCI_BAR0_REGION_INDEX);
SAME(LH_VFIO_PCI_INTX_IRQ_INDEX, VFIO_PCI_INTX_IRQ_INDEX);
SAME(LH_VFIO_PCI_MSI_IRQ_INDEX, VFIO_PCI_MSI_IRQ_INDEX);
SAME(LH_VFIO_PCI_MSIX_IRQ_INDEX, VFIO_PCI_MSIX_IRQ_INDEX);
SAME(LH_VFIO_DMA_MAP_FLAG_READ, VFIO_DMA_MAP_FLAG_READ);
SAME(LH_VFIO_DMA_MAP_FLAG_WRITE, VFIO_DMA_MAP_FLAG_WRITE);
SAME(sizeof(struct lh_vfio_group_status), sizeof(struct vfio_group_status));
SAME_FIELD(lh_vfio_group_status, vfio_group_status, flags);
SAME(sizeof(struct lh_vfio_device_info), sizeof(struct vfio_device_info));
SAME_FIELD(lh_vfio_device_info, vfio_device_info, flags);
SAME_FIELD(lh_vfio_device_info, vfio_device_info, num_irqs);
SAME(sizeof(struct lh_vfio_region_info), sizeof(struct vfio_region_info));
SAME_FIELD(lh_vfio_region_info, vfio_region_info, index);
SAME_FIELD(lh_vfio_region_info, vfio_region_info, size);
SAME_FIELD(lh_vfio_region_info, vfio_region_info, offset);
SAME(sizeof(struct lh_vfio_irq_info), sizeof(struct vfio_irq_info));
SAME_FIELD(lh_vfio_irq_info, vfio_irq_info, index);
SAME_FIELD(lh_vfio_irq_info, vfio_irq_info, count);
SAME(sizeof(struct lh_vfio_irq_set), sizeof(struct vfio_irq_set));
SAME_FIELD(lh_vfio_irq_set, vfio_irq_set, index);
SAME_FIELD(lh_vfio_irq_set, vfio_irq_set, start);
SAME_FIELD(lh_vfio_irq_set, vfio_irq_set, count);
SAME(sizeof(struct lh_vfio_dma_map), sizeof(struct vfio_iommu_type1_dma_map));
SAME_FIELD(lh_vfio_dma_map, vfio_iommu_type1_dma_map, vaddr);
SAME_FIELD(lh_vfio_dma_map, vfio_iommu_type1_dma_map, iova);
SAME_FIELD(lh_vfio_dma_map, vfio_iommu_type1_dma_map, size);

/* What the fake vfio kernel knows and what it was told. */
static struct {
	int dev_fd;		/* the fd GET_DEVICE_FD handed out */
	int iommu_type;		/* VFIO_SET_IOMMU's */
	int types_ok;		/* bit per VFIO_*_IOMMU CHECK_EXTENSION accepts */
	int viable;
	unsigned count[3];	/* vectors offered: INTx, MSI, MSI-X */
	int grant;		/* at most this many vectors (0: any) */
	int refuse_above;	/* -EINVAL for more than this (0: never) */
	int trig[3][LH_MAX_VEC];
	int ntrig[3];
	int unmasks;
	int nmaps;
	kpi_u64 map_vaddr[8], map_iova[8], map_size[8];
	char device[32];
} fk;

/* Which fake file an fd is: "container", "group" or "device". */
static const char *fk_kind(int fd)
{
	char link[64], path[512];
	if (fd == fk.dev_fd)
		return "device";
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t n = readlink(link, path, sizeof(path) - 1);
	if (n <= 0)
		return "";
	path[n] = 0;
	return strstr(path, "/dev/vfio/vfio") ? "container" : strstr(path, "/dev/vfio/") ? "group" : "";
}

static int fk_index(unsigned index)
{
	return index == VFIO_PCI_INTX_IRQ_INDEX ? 0 : index == VFIO_PCI_MSI_IRQ_INDEX ? 1 : 2;
}

static int fake_ioctl(int fd, unsigned long req, void *arg)
{
	const char *kind = fk_kind(fd);
	if (!strcmp(kind, "container")) {
		switch (req) {
		case VFIO_GET_API_VERSION:
			return VFIO_API_VERSION;
		case VFIO_CHECK_EXTENSION:
			return (unsigned long)arg < 16 && (fk.types_ok >> (unsigned long)arg & 1);
		case VFIO_SET_IOMMU:
			if (!(fk.types_ok >> (unsigned long)arg & 1))
				return -EINVAL;
			fk.iommu_type = (int)(unsigned long)arg;
			return 0;
		case VFIO_IOMMU_MAP_DMA: {
			struct vfio_iommu_type1_dma_map *m = arg;
			if (!fk.iommu_type || fk.iommu_type == VFIO_NOIOMMU_IOMMU || fk.nmaps >= 8)
				return -EINVAL;
			fk.map_vaddr[fk.nmaps] = m->vaddr;
			fk.map_iova[fk.nmaps] = m->iova;
			fk.map_size[fk.nmaps++] = m->size;
			return 0;
		}
		}
	} else if (!strcmp(kind, "group")) {
		switch (req) {
		case VFIO_GROUP_GET_STATUS:
			((struct vfio_group_status *)arg)->flags = fk.viable ? VFIO_GROUP_FLAGS_VIABLE : 0;
			return 0;
		case VFIO_GROUP_SET_CONTAINER:
			return strcmp(fk_kind(*(int *)arg), "container") ? -EINVAL : 0;
		case VFIO_GROUP_GET_DEVICE_FD:
			if (!fk.iommu_type)
				return -EINVAL; /* the kernel wants the IOMMU model first */
			snprintf(fk.device, sizeof(fk.device), "%s", (const char *)arg);
			fk.dev_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
			return fk.dev_fd;
		}
	} else if (!strcmp(kind, "device")) {
		switch (req) {
		case VFIO_DEVICE_GET_INFO:
			((struct vfio_device_info *)arg)->flags = VFIO_DEVICE_FLAGS_PCI;
			return 0;
		case VFIO_DEVICE_GET_IRQ_INFO: {
			struct vfio_irq_info *in = arg;
			in->count = in->index <= VFIO_PCI_MSIX_IRQ_INDEX ? fk.count[fk_index(in->index)] : 0;
			in->flags = VFIO_IRQ_INFO_EVENTFD;
			return 0;
		}
		case VFIO_DEVICE_SET_IRQS: {
			struct vfio_irq_set *set = arg;
			int i = fk_index(set->index);
			if (set->flags & VFIO_IRQ_SET_ACTION_UNMASK) {
				fk.unmasks++;
				return 0;
			}
			if (set->flags & VFIO_IRQ_SET_DATA_NONE) { /* count 0: off */
				fk.ntrig[i] = 0;
				return 0;
			}
			if (set->count > fk.count[i])
				return -EINVAL;
			if (fk.refuse_above && (int)set->count > fk.refuse_above)
				return -EINVAL;
			if (fk.grant && (int)set->count > fk.grant)
				return fk.grant; /* vfio_msi_enable: "this many" */
			for (unsigned v = 0; v < set->count; v++)
				memcpy(&fk.trig[i][v], set->data + v * 4, 4);
			fk.ntrig[i] = (int)set->count;
			return 0;
		}
		}
	}
	return -ENOTTY;
}

static void fk_fire(int i, int v, kpi_u64 times)
{
	CHECK_INT(write(fk.trig[i][v], &times, 8), 8);
}

/* An e1000e-like function: MSI at 0xd0, MSI-X (table of 5) at 0xe0. */
static void make_msi_func(const char *name, int group, int uio)
{
	char d[128], rel[192];
	snprintf(d, sizeof(d), "sys/bus/pci/devices/%s", name);
	mk(d);
	unsigned char cfg[256] = {0};
	cfg[0] = 0x86, cfg[1] = 0x80, cfg[2] = 0xd3, cfg[3] = 0x10; /* 8086:10d3 */
	cfg[6] = 0x10;
	cfg[11] = 0x02;
	cfg[0x34] = 0xd0;
	cfg[0x3c] = 10, cfg[0x3d] = 1;
	cfg[0xd0] = 0x05, cfg[0xd1] = 0xe0, cfg[0xd2] = 0x80; /* MSI, 64-bit, 1 vector */
	cfg[0xe0] = 0x11, cfg[0xe1] = 0x00, cfg[0xe2] = 0x04; /* MSI-X, 5 entries */
	snprintf(rel, sizeof(rel), "%s/config", d);
	put_file(rel, cfg, sizeof(cfg));
	const char *res = "0x00000000febc0000 0x00000000febdffff 0x0000000000040200\n";
	snprintf(rel, sizeof(rel), "%s/resource", d);
	put_file(rel, res, strlen(res));
	static unsigned char zero[4096];
	snprintf(rel, sizeof(rel), "%s/resource0", d);
	put_file(rel, zero, sizeof(zero));
	snprintf(rel, sizeof(rel), "%s/driver_override", d);
	put_file(rel, "", 0);
	if (group >= 0) {
		char path[512], target[64];
		snprintf(path, sizeof(path), "%s/%s/iommu_group", root, d);
		snprintf(target, sizeof(target), "../../../../kernel/iommu_groups/%d", group);
		CHECK(symlink(target, path) == 0);
	}
	if (uio >= 0) {
		snprintf(rel, sizeof(rel), "%s/uio", d);
		mk(rel);
		snprintf(rel, sizeof(rel), "%s/uio/uio%d", d, uio);
		mk(rel);
	}
}

static int open_with(const char *pci, const char *bind)
{
	lh_pci_reset();
	char a[64], b[64];
	snprintf(a, sizeof(a), "--pci=%s", pci);
	snprintf(b, sizeof(b), "--pci-bind=%s", bind);
	char *argv[] = {"t", a, b, 0};
	int argc = 3;
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc, argv), 0);
	CHECK_INT(argc, 1);
	return kpi_host_pci_open(0);
}

static void test_vfio(void)
{
	char buf[256];
	mk("sys/bus/pci/drivers/vfio-pci");
	put_file("sys/bus/pci/drivers/vfio-pci/bind", "", 0);
	mk("sys/module");
	mk("sys/module/vfio");
	mk("sys/module/vfio/parameters");
	put_file("sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "N\n", 2);
	mk("dev/vfio");
	put_file("dev/vfio/vfio", "", 0);
	make_msi_func("0000:00:05.0", -1, 5);
	char fifo[512];
	snprintf(fifo, sizeof(fifo), "%s/dev/uio5", root);
	CHECK(mkfifo(fifo, 0600) == 0);
	int (*real_ioctl)(int, unsigned long, void *) = lh_vfio_ioctl;
	lh_vfio_ioctl = fake_ioctl;
	memset(&fk, 0, sizeof(fk));
	fk.dev_fd = -1;
	fk.viable = 1;
	fk.types_ok = 1 << VFIO_NOIOMMU_IOMMU | 1 << VFIO_TYPE1v2_IOMMU | 1 << VFIO_TYPE1_IOMMU;
	fk.count[0] = 1, fk.count[1] = 1, fk.count[2] = 5;

	/* The choice.  No IOMMU group, no-IOMMU mode off: MSI cannot be had,
	 * so auto takes uio (and MSI-X is -ENOTSUP, lx falls back). */
	int h = open_with("0000:00:05.0", "auto");
	CHECK_INT(h, 0);
	get_file("sys/bus/pci/devices/0000:00:05.0/driver_override", buf, sizeof(buf));
	CHECK_STR(buf, "uio_pci_generic");
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSIX, 3), -KPI_ENOTSUP);
	kpi_host_pci_close(h);
	/* --pci-bind=uio: uio even when vfio could be had */
	put_file("sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "Y\n", 2);
	CHECK_INT(open_with("0000:00:05.0", "uio"), 0);
	get_file("sys/bus/pci/devices/0000:00:05.0/driver_override", buf, sizeof(buf));
	CHECK_STR(buf, "uio_pci_generic");
	kpi_host_pci_close(0);
	/* the rtl8139 (no MSI capability) stays on uio although vfio works */
	CHECK_INT(open_with("0000:00:03.0", "auto"), 0);
	get_file("sys/bus/pci/devices/0000:00:03.0/driver_override", buf, sizeof(buf));
	CHECK_STR(buf, "uio_pci_generic");
	kpi_host_pci_close(0);
	/* --pci-bind=vfio turns the no-IOMMU mode on (explicit consent); the
	 * fake kernel made no group: the open fails after binding vfio-pci */
	put_file("sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "N\n", 2);
	put_file("sys/bus/pci/devices/0000:00:05.0/driver_override", "", 0); /* sysfs files need no O_TRUNC */
	CHECK_INT(open_with("0000:00:05.0", "vfio"), -KPI_ENODEV);
	get_file("sys/module/vfio/parameters/enable_unsafe_noiommu_mode", buf, sizeof(buf));
	CHECK(buf[0] == '1');
	get_file("sys/bus/pci/devices/0000:00:05.0/driver_override", buf, sizeof(buf));
	CHECK_STR(buf, "vfio-pci");
	get_file("sys/bus/pci/drivers/vfio-pci/bind", buf, sizeof(buf));
	CHECK_STR(buf, "0000:00:05.0");
	lh_pci_reset();
	char bad[] = "--pci-bind=maybe", *argv_bad[] = {"t", bad, 0};
	int argc_bad = 2;
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc_bad, argv_bad), -KPI_EINVAL);

	/* No-IOMMU group 0 (vfio made it at bind): auto takes vfio for MSI. */
	char path[512];
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:00:05.0/iommu_group", root);
	CHECK(symlink("../../../../kernel/iommu_groups/0", path) == 0);
	put_file("dev/vfio/noiommu-0", "", 0);
	h = open_with("0000:00:05.0", "auto");
	CHECK_INT(h, 0);
	CHECK_INT(fk.iommu_type, VFIO_NOIOMMU_IOMMU);
	CHECK_STR(fk.device, "0000:00:05.0");
	struct lh_func *f = lh_func_by_handle(h);
	CHECK(f && f->bind == LH_BIND_VFIO && f->vfio_noiommu && f->vfio_dev == fk.dev_fd);
	CHECK_INT(lh_vfio_dma_added(buf, 0x40000000, 4096), 0); /* no-IOMMU: nothing to map */
	CHECK_INT(fk.nmaps, 0);
	/* BARs and config space are sysfs's as with uio */
	struct kpi_pci_map map;
	CHECK_INT(kpi_host_pci_map_bar(h, 0, KPI_MAP_UC, &map), 0);
	kpi_host_mmio_write(map.addr, 4, 0x12345678);
	CHECK_INT(kpi_host_mmio_read(map.addr, 4), 0x12345678);
	kpi_u32 v;
	CHECK_INT(kpi_host_pci_cfg_read(h, 0xe2, 2, &v), 0); /* the capability stays visible */
	CHECK_INT(v & 0x7ff, 4);

	/* MSI-X: 3 vectors asked, table entries 0..2 */
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSIX, 3), 3);
	CHECK_INT(fk.ntrig[2], 3);
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSIX, 3), 3);   /* the same again: no-op */
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSI, 1), -KPI_EBUSY);
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_LEGACY, 1), -KPI_EBUSY);
	CHECK_INT(kpi_host_irq_watch(h, 3, &v), -KPI_EINVAL);
	int c0, c2;
	CHECK_INT(kpi_host_irq_watch(h, 0, &c0), 0);
	CHECK_INT(kpi_host_irq_watch(h, 2, &c2), 0);
	struct kpi_host_event ev[4];
	CHECK_INT(kpi_host_wait(kpi_host_now_ns(), ev, 4), 0);
	fk_fire(2, 2, 1);
	fk_fire(2, 1, 1); /* not watched: never reported */
	CHECK_INT(kpi_host_wait(KPI_FOREVER, ev, 4), 1);
	CHECK_INT(ev[0].kind, KPI_EV_IRQ);
	CHECK_INT(ev[0].handle, h);
	CHECK_INT(ev[0].index, 2);
	CHECK(ev[0].cookie == &c2);
	/* masked from report to ack: more interrupts meanwhile are one report after the ack */
	fk_fire(2, 2, 1);
	fk_fire(2, 2, 1);
	CHECK_INT(kpi_host_wait(kpi_host_now_ns() + 5000000ull, ev, 4), 0);
	CHECK_INT(kpi_host_irq_ack(h, 0), -KPI_EINVAL); /* vector 0 was not reported */
	CHECK_INT(kpi_host_irq_ack(h, 2), 0);
	CHECK_INT(kpi_host_wait(KPI_FOREVER, ev, 4), 1);
	CHECK_INT(ev[0].index, 2);
	CHECK_INT(kpi_host_wait(kpi_host_now_ns(), ev, 4), 0);
	CHECK_INT(kpi_host_irq_ack(h, 2), 0);
	CHECK_INT(kpi_host_irq_ack(h, 2), -KPI_EINVAL);
	CHECK_INT(kpi_host_wait(kpi_host_now_ns() + 5000000ull, ev, 4), 0); /* nothing more */
	/* two vectors at once, each its own event */
	fk_fire(2, 0, 1);
	fk_fire(2, 2, 1);
	int n = kpi_host_wait(KPI_FOREVER, ev, 4);
	if (n == 1) /* epoll may hand them out in two waits */
		n += kpi_host_wait(KPI_FOREVER, ev + 1, 3);
	CHECK_INT(n, 2);
	CHECK_INT(ev[0].index + ev[1].index, 2);
	/* unwatch while unacked, ack, watch again: the interrupt that came
	 * in between is reported at once */
	CHECK_INT(kpi_host_irq_watch(h, 0, 0), 0);
	fk_fire(2, 0, 1);
	CHECK_INT(kpi_host_irq_ack(h, 0), 0);
	CHECK_INT(kpi_host_irq_watch(h, 0, &c0), 0);
	CHECK_INT(kpi_host_wait(KPI_FOREVER, ev, 4), 1);
	CHECK_INT(ev[0].index, 0);
	CHECK(ev[0].cookie == &c0);
	CHECK_INT(f->vec[0].count, 2);
	CHECK_INT(f->vec[2].count, 4);
	/* off (with vector 2 still unacked: the disable forgets it) */
	kpi_host_irq_disable(h);
	CHECK_INT(fk.ntrig[2], 0);
	CHECK_INT(kpi_host_irq_ack(h, 2), -KPI_EINVAL);
	CHECK_INT(kpi_host_wait(kpi_host_now_ns() + 5000000ull, ev, 4), 0);

	/* MSI with 3 asked of a 4-vector capability the kernel grants 1 of
	 * (multiple-message MSI without interrupt remapping) */
	fk.count[1] = 4;
	fk.grant = 1;
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSI, 3), 1);
	CHECK_INT(fk.ntrig[1], 1);
	CHECK_INT(kpi_host_irq_watch(h, 0, &c0), 0);
	fk_fire(1, 0, 1);
	CHECK_INT(kpi_host_wait(KPI_FOREVER, ev, 4), 1);
	kpi_host_irq_disable(h);
	/* ... or refuses more than 2 outright: halving gets 2 */
	fk.grant = 0;
	fk.refuse_above = 2;
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSI, 4), 2);
	kpi_host_irq_disable(h);
	fk.refuse_above = 0;
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSI, 3), 3); /* a 4-block holds 3 */
	kpi_host_irq_disable(h);
	fk.count[1] = 0;
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSI, 1), -KPI_ENOTSUP);

	/* INTx through vfio: eventfd, the ack unmasks through vfio */
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_LEGACY, 1), 1);
	CHECK_INT(fk.ntrig[0], 1);
	CHECK_INT(kpi_host_irq_watch(h, 0, &c0), 0);
	fk_fire(0, 0, 1);
	CHECK_INT(kpi_host_wait(KPI_FOREVER, ev, 4), 1);
	CHECK_INT(fk.unmasks, 0);
	CHECK_INT(kpi_host_irq_ack(h, 0), 0);
	CHECK_INT(fk.unmasks, 1);
	kpi_host_irq_disable(h);
	CHECK_INT(fk.ntrig[0], 0);
	/* and MSI-X again in the same process */
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSIX, 40), 5); /* the table has 5 */
	kpi_host_irq_disable(h);
	kpi_host_pci_close(h);
	CHECK_INT(fcntl(fk.dev_fd, F_GETFD), -1); /* device fd closed */

	/* An IOMMU group (7): type1 container, DMA pages mapped iova == phys,
	 * those there before and those added later. */
	make_msi_func("0000:00:06.0", 7, -1);
	put_file("dev/vfio/7", "", 0);
	memset(fk.map_iova, 0, sizeof(fk.map_iova));
	fk.nmaps = 0;
	fk.iommu_type = 0;
	fk.count[1] = 1;
	struct kpi_dma dma;
	int have_pool = kpi_host_dma_alloc(4096, 0, &dma) == 0;
	put_file("sys/module/vfio/parameters/enable_unsafe_noiommu_mode", "N\n", 2);
	h = open_with("0000:00:06.0", "auto");
	CHECK_INT(h, 0);
	CHECK_INT(fk.iommu_type, VFIO_TYPE1v2_IOMMU);
	f = lh_func_by_handle(h);
	CHECK(f && f->bind == LH_BIND_VFIO && !f->vfio_noiommu && f->vfio_group_num == 7);
	int before = fk.nmaps;
	if (have_pool) {
		CHECK(before >= 1);
		CHECK(fk.map_iova[0] == (dma.bus & ~((2ull << 20) - 1)));
		CHECK_INT(fk.map_size[0], 2u << 20);
		kpi_host_dma_free(&dma);
	} else {
		printf("vfio: no huge pages here, pool pages mapped at open not exercised\n");
		CHECK_INT(before, 0);
	}
	static char page[4096];
	CHECK_INT(lh_vfio_dma_added(page, 0x40000000, sizeof(page)), 0);
	CHECK_INT(fk.nmaps, before + 1);
	CHECK(fk.map_iova[before] == 0x40000000 && fk.map_vaddr[before] == (kpi_u64)(uintptr_t)page);
	CHECK_INT(kpi_host_irq_enable(h, KPI_IRQ_MSIX, 2), 2);
	kpi_host_pci_close(h);
	CHECK_INT(lh_vfio_dma_added(page, 0x40000000, sizeof(page)), 0); /* closed: not mapped again */
	CHECK_INT(fk.nmaps, before + 1);
	/* a group with other functions on kernel drivers is refused; forced
	 * vfio fails, auto falls back to uio (06.0 has no uio: fails too) */
	fk.viable = 0;
	CHECK_INT(open_with("0000:00:06.0", "vfio"), -KPI_EBUSY);
	CHECK(lh_func_by_handle(0) == NULL);
	fk.viable = 1;
	lh_pci_reset();
	lh_vfio_ioctl = real_ioctl;
}

/* ---- fatal signals (kpi_host_core.h), each case in a child process ---- */

enum { SIG_ABORT, SIG_FAULT_ILL, SIG_FAULT_SEGV, SIG_TWICE, SIG_PANIC, SIG_PIPE };

/* Child: claim 0000:00:03.0 and enable it (COMMAND bits 0-2 set). */
static int child_open(void)
{
	lh_pci_reset();
	char a[] = "--pci=0000:00:03.0", *argv[] = {"t", a, 0};
	int argc = 2;
	if (kpi_host_init(KPI_HOST_VERSION, &argc, argv) != 0 || kpi_host_pci_open(0) != 0 ||
	    kpi_host_pci_enable(0) != 0)
		_exit(90);
	return 0;
}

static void child_say(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		_exit(91);
}

static void child(int what, int fd)
{
	static int cookie;
	struct kpi_host_event ev;
	child_open();
	switch (what) {
	case SIG_ABORT:
		kpi_host_abort("host_linux_test: abort with bus mastering on");
	case SIG_FAULT_ILL:
		__builtin_trap();
	case SIG_FAULT_SEGV: {
		static volatile int *volatile nowhere;
		*nowhere = 1;
		_exit(92);
	}
	case SIG_TWICE:
	case SIG_PANIC:
		if (kpi_host_signal_watch(&cookie) != 0)
			_exit(93);
		child_say(fd, 'r');
		if (kpi_host_wait(KPI_FOREVER, &ev, 1) != 1 || ev.kind != KPI_EV_SIGNAL || ev.cookie != &cookie)
			_exit(94);
		child_say(fd, ev.index == KPI_SIG_TERM ? 't' : ev.index == KPI_SIG_PANIC ? 'p' : '?');
		if (what == SIG_PANIC)
			_exit(0);
		for (;;)
			pause(); /* the exit path is stuck, never back in the loop */
	case SIG_PIPE:
		if (kpi_host_signal_watch(&cookie) != 0)
			_exit(93);
		raise(SIGPIPE);
		child_say(fd, 's');
		_exit(0);
	}
	_exit(95);
}

/* Run case what; sig1/sig2 sent after the child said 'r' / its first event. */
static int run_child(int what, int sig1, int sig2, char *said)
{
	int p[2], status = -1;
	CHECK_INT(pipe(p), 0);
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDERR_FILENO); /* the abort's backtrace, a sanitizer's SEGV report */
		child(what, p[1]);
	}
	close(p[1]);
	char c;
	int n = 0;
	if (sig1 && read(p[0], &c, 1) == 1) {
		said[n++] = c;
		kill(pid, sig1);
		if (read(p[0], &c, 1) == 1)
			said[n++] = c;
		if (sig2)
			kill(pid, sig2);
	} else if (!sig1 && read(p[0], &c, 1) == 1) {
		said[n++] = c;
	}
	said[n] = 0;
	waitpid(pid, &status, 0);
	close(p[0]);
	return status;
}

static void test_signals(void)
{
	char said[8];
	int st;
	/* abort: COMMAND bit 2 (bus master) cleared, then death by SIGABRT */
	CHECK_INT(cfg_byte("0000:00:03.0", 4, 2) & 4, 4); /* left on by test_pci */
	st = run_child(SIG_ABORT, 0, 0, said);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
	CHECK_INT(cfg_byte("0000:00:03.0", 4, 2) & 7, 3); /* decoding stays on, mastering off */
	/* fatal faults: the same, then death by the signal (a sanitizer may
	 * report a SEGV and exit 1 instead: it runs after the DMA stop) */
	st = run_child(SIG_FAULT_ILL, 0, 0, said);
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGILL);
	CHECK_INT(cfg_byte("0000:00:03.0", 4, 2) & 7, 3);
	st = run_child(SIG_FAULT_SEGV, 0, 0, said);
	CHECK((WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV) || (WIFEXITED(st) && WEXITSTATUS(st) == 1));
	CHECK_INT(cfg_byte("0000:00:03.0", 4, 2) & 7, 3);
	/* a terminating signal is a TERM event; a second one while the exit
	 * path is stuck forces the exit with 128 + its number, mastering off */
	st = run_child(SIG_TWICE, SIGHUP, SIGQUIT, said);
	CHECK_STR(said, "rt");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == KPI_EXIT_SIGNAL_BASE + SIGQUIT);
	CHECK_INT(cfg_byte("0000:00:03.0", 4, 2) & 7, 3);
	st = run_child(SIG_TWICE, SIGUSR2, SIGTERM, said);
	CHECK_STR(said, "rt");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == KPI_EXIT_SIGNAL_BASE + SIGTERM);
	/* SIGUSR1 is the panic request */
	st = run_child(SIG_PANIC, SIGUSR1, 0, said);
	CHECK_STR(said, "rp");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* SIGPIPE is ignored */
	st = run_child(SIG_PIPE, 0, 0, said);
	CHECK_STR(said, "s");
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void test_process(void)
{
	int p[2];
	CHECK_INT(pipe(p), 0);
	char arg[32];
	snprintf(arg, sizeof(arg), "--ready-fd=%d", p[1]);
	char *argv[] = {"t", arg, 0};
	int argc = 2;
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc, argv), 0);
	CHECK_INT(argc, 1);
	char bad[] = "--ready-fd=x7", *argv5[] = {"t", bad, 0};
	int argc5 = 2;
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc5, argv5), -KPI_EINVAL);
	kpi_host_ready();
	char buf[16] = {0};
	CHECK_INT(read(p[0], buf, sizeof(buf) - 1), 6);
	CHECK_STR(buf, "ready\n");
	close(p[0]);

	mk("fw");
	mk("fw/vendor");
	put_file("fw/vendor/blob.bin", "\x01\x02\x03", 3);
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/fw", root);
	setenv("KPI_FIRMWARE_DIR", dir, 1);
	void *data = 0;
	kpi_size size = 0;
	CHECK_INT(kpi_host_firmware_load("vendor/blob.bin", &data, &size), 0);
	CHECK_INT(size, 3);
	CHECK(data && memcmp(data, "\x01\x02\x03", 3) == 0);
	kpi_host_firmware_release(data, size);
	CHECK_INT(kpi_host_firmware_load("vendor/none.bin", &data, &size), -KPI_ENOENT);
	CHECK_INT(kpi_host_firmware_load("../fw/vendor/blob.bin", &data, &size), -KPI_EINVAL);

	void *m = kpi_host_malloc(100, 4096);
	CHECK(m && ((kpi_uptr)m & 4095) == 0);
	kpi_host_free(m);
}

static void test_memory(void)
{
	/* pagemap: physical addresses are visible to root only */
	static char buf[8192] __attribute__((aligned(4096)));
	buf[0] = 1;
	buf[100] = 1;
	kpi_u64 a = 0, b = 0;
	int rc = lh_pagemap_phys(buf, &a);
	if (geteuid() == 0 && rc == 0) {
		CHECK_INT(lh_pagemap_phys(buf + 100, &b), 0);
		CHECK(a != 0);
		CHECK_INT(a & 4095, 0);
		CHECK_INT(b - a, 100);
	} else {
		printf("pagemap: not permitted here (%d), skipping translation checks\n", rc);
		CHECK(rc == -KPI_EPERM || rc < 0);
	}
	struct kpi_dma dma;
	CHECK_INT(kpi_host_dma_alloc(3u << 20, 0, &dma), -KPI_ENOMEM); /* more than one huge page */
	CHECK_INT(kpi_host_dma_alloc(0, 0, &dma), -KPI_EINVAL);
	kpi_u64 bus;
	CHECK_INT(kpi_host_dma_translate(buf, &bus), -KPI_EFAULT);
	/* With huge pages reserved (and root) the pool works; otherwise the
	 * refusal must be clean. */
	rc = kpi_host_dma_alloc(5000, KPI_DMA_32BIT, &dma);
	if (rc == 0) {
		CHECK_INT(dma.size, 8192);
		CHECK(((unsigned char *)dma.virt)[4999] == 0);
		CHECK_INT(kpi_host_dma_translate((char *)dma.virt + 4097, &bus), 0);
		CHECK(bus == dma.bus + 4097);
		CHECK_INT(lh_pagemap_phys((char *)dma.virt + 4097, &b), 0);
		CHECK(b == bus);
		struct kpi_dma d2;
		CHECK_INT(kpi_host_dma_alloc(100, 0, &d2), 0);
		CHECK(d2.bus == dma.bus + 8192);
		kpi_host_dma_free(&dma);
		kpi_host_dma_free(&d2);
	} else {
		printf("dma: no huge pages here (%d), pool not exercised\n", rc);
		CHECK(rc == -KPI_ENOMEM || rc == -KPI_EPERM);
	}
}

static void test_net(void)
{
	static const kpi_u8 mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
	int cookie;
	int n = kpi_host_net_open("kpit%d", mac, &cookie);
	if (n < 0) {
		printf("net: no usable /dev/net/tun here (%d), skipping\n", n);
		return;
	}
	char frame[2048];
	CHECK_INT(kpi_host_net_take(n, frame, sizeof(frame)), 0); /* interface down: nothing queued */
	kpi_host_net_link(n, 1);
	struct kpi_host_event ev;
	CHECK_INT(kpi_host_wait(kpi_host_now_ns() + 1000000ull, &ev, 1), 0);
	kpi_host_net_close(n);
	CHECK_INT(kpi_host_net_take(n, frame, sizeof(frame)), -KPI_EINVAL);
}

int main(void)
{
	snprintf(root, sizeof(root), "%s/kpi-lh-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	CHECK(mkdtemp(root) != NULL);
	make_fake_sysfs();
	setenv("KPI_SYSFS_ROOT", root, 1);
	test_pci();
	test_vfio();
	test_process();
	test_memory();
	test_net();
	test_signals();
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	CHECK_INT(system(cmd), 0);
	return KTEST_DONE();
}
