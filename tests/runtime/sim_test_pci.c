/* sim_test_pci.c: round trips through the sim backend's kpi_host.h -
 * discovery and claiming, config space (read-only fields, writable command,
 * BAR sizing protocol, capabilities), BAR description and mapping, plain and
 * trapped MMIO, port I/O, DMA with bus-address translation both ways,
 * firmware, parameters, logging and readiness. */
#define _GNU_SOURCE
#include "kpi_host.h"
#include "ktest.h"
#include "sim.h"

#include <string.h>

static kpi_u32 io_regs[16];
static int io_writes;

static kpi_u64 io_read(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width)
{
	(void)dev;
	(void)bar;
	(void)width;
	return io_regs[(off / 4) % 16];
}

static void io_write(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width, kpi_u64 value)
{
	(void)dev;
	(void)bar;
	(void)width;
	io_regs[(off / 4) % 16] = (kpi_u32)value;
	io_writes++;
}

static const struct sim_bar_ops io_ops = {io_read, io_write};

static kpi_u32 cfg(int h, kpi_u32 off, kpi_u32 width)
{
	kpi_u32 v = 0xdeadbeef;
	CHECK_INT(kpi_host_pci_cfg_read(h, off, width, &v), 0);
	return v;
}

static void test_discovery_and_config(void)
{
	sim_reset();
	struct sim_pci_id id = {0x10ec, 0x8139, 0x1af4, 0x1100, 0x020000, 0x20, 1};
	struct sim_dev *dev = sim_dev_create(&id);
	struct sim_pci_id id2 = {0x8086, 0x25ab, 0, 0, 0x088000, 2, 0};
	CHECK(sim_dev_create(&id2) != NULL);
	CHECK_INT(kpi_host_pci_count(), 2);

	struct kpi_pci_info info;
	CHECK_INT(kpi_host_pci_info(0, &info), 0);
	CHECK_INT(info.vendor, 0x10ec);
	CHECK_INT(info.device, 0x8139);
	CHECK_INT(info.subvendor, 0x1af4);
	CHECK_INT(info.class_code, 0x020000);
	CHECK_INT(info.revision, 0x20);
	CHECK_INT(info.irq_pin, 1);
	CHECK_STR(info.name, "0000:00:03.0");
	CHECK_INT(kpi_host_pci_info(1, &info), 0);
	CHECK_INT(info.irq_line, 0xff);
	CHECK_INT(kpi_host_pci_info(2, &info), -KPI_ENODEV);

	CHECK_INT(sim_dev_add_mem_bar(dev, 1, 4096, 0, NULL), 0);
	CHECK_INT(sim_dev_add_io_bar(dev, 0, 256, &io_ops), 0);
	CHECK_INT(sim_dev_add_mem_bar(dev, 2, 1 << 20, 1, NULL), 0);
	CHECK_INT(sim_dev_add_mem_bar(dev, 3, 4096, 0, NULL), -KPI_EINVAL); /* upper half of BAR2 */
	CHECK_INT(sim_dev_add_mem_bar(dev, 4, 3000, 0, NULL), -KPI_EINVAL); /* not a power of two */

	/* Unclaimed: no access. Claimed twice: busy. */
	kpi_u32 v;
	CHECK_INT(kpi_host_pci_cfg_read(0, 0, 4, &v), -KPI_ENODEV);
	int h = kpi_host_pci_open(0);
	CHECK_INT(h, 0);
	CHECK_INT(kpi_host_pci_open(0), -KPI_EBUSY);

	CHECK_INT(cfg(h, 0x00, 4), 0x813910ec);
	CHECK_INT(cfg(h, 0x02, 2), 0x8139);
	CHECK_INT(cfg(h, 0x0b, 1), 0x02);
	CHECK_INT(cfg(h, 0x2c, 4), 0x11001af4);
	CHECK_INT(cfg(h, 0x3d, 1), 1);
	CHECK_INT(kpi_host_pci_cfg_read(h, 0x03, 2, &v), -KPI_EINVAL); /* misaligned */
	CHECK_INT(kpi_host_pci_cfg_read(h, 4096, 1, &v), -KPI_EINVAL);

	/* Vendor id is read-only, command is writable; enable sets decode+master. */
	CHECK_INT(kpi_host_pci_cfg_write(h, 0x00, 2, 0xffff), 0);
	CHECK_INT(cfg(h, 0x00, 2), 0x10ec);
	CHECK_INT(cfg(h, 0x04, 2), 0);
	CHECK_INT(kpi_host_pci_enable(h), 0);
	CHECK_INT(cfg(h, 0x04, 2), 0x7);
	CHECK_INT(kpi_host_pci_cfg_write(h, 0x3c, 1, 5), 0);
	CHECK_INT(cfg(h, 0x3c, 1), 5);

	/* BAR sizing: write all-ones, read the mask, restore. */
	kpi_u32 bar1 = cfg(h, 0x14, 4);
	CHECK_INT(bar1 & 0xf, 0);
	CHECK_INT(kpi_host_pci_cfg_write(h, 0x14, 4, 0xffffffff), 0);
	CHECK_INT(cfg(h, 0x14, 4), 0xfffff000);
	CHECK_INT(kpi_host_pci_cfg_write(h, 0x14, 4, bar1), 0);
	CHECK_INT(cfg(h, 0x14, 4), bar1);
	kpi_u32 bar0 = cfg(h, 0x10, 4);
	CHECK_INT(bar0 & 1, 1); /* I/O */
	CHECK_INT(kpi_host_pci_cfg_write(h, 0x10, 4, 0xffffffff), 0);
	CHECK_INT(cfg(h, 0x10, 4), 0xffffff01);
	CHECK_INT(kpi_host_pci_cfg_write(h, 0x10, 4, bar0), 0);
	CHECK_INT(cfg(h, 0x18, 4) & 0x6, 0x4); /* 64-bit memory BAR */
	CHECK_INT(kpi_host_pci_cfg_write(h, 0x1c, 4, 0xffffffff), 0);
	CHECK_INT(cfg(h, 0x1c, 4), 0xffffffff); /* upper half of a 1 MiB BAR: all address bits */

	/* Capabilities appear with MSI/MSI-X support. */
	CHECK_INT(cfg(h, 0x06, 2) & 0x10, 0);
	CHECK_INT(sim_dev_set_irq_caps(dev, 4, 8), 0);
	CHECK_INT(cfg(h, 0x06, 2) & 0x10, 0x10);
	kpi_u32 cap = cfg(h, 0x34, 1), ids = 0;
	for (int guard = 0; cap && guard < 8; guard++) {
		ids = ids << 8 | cfg(h, cap, 1);
		cap = cfg(h, cap + 1, 1);
	}
	CHECK_INT(ids, 0x0511); /* MSI, then MSI-X */
	kpi_host_pci_close(h);
	CHECK_INT(kpi_host_pci_open(0), 0); /* closing released the claim */
}

static void test_bars_mmio_pio(void)
{
	int h = 0; /* still claimed from the previous test */
	struct kpi_pci_bar bar;
	CHECK_INT(kpi_host_pci_bar(h, 0, &bar), 0);
	CHECK_INT(bar.flags, KPI_BAR_IO);
	CHECK_INT(bar.size, 256);
	kpi_u32 port = (kpi_u32)bar.addr;
	CHECK(port >= 0xc000);
	CHECK_INT(kpi_host_pci_bar(h, 1, &bar), 0);
	CHECK_INT(bar.flags, KPI_BAR_MEM);
	CHECK_INT(bar.size, 4096);
	CHECK_INT(bar.addr, 0xfe000000);
	CHECK_INT(kpi_host_pci_bar(h, 2, &bar), 0);
	CHECK_INT(bar.flags, KPI_BAR_MEM | KPI_BAR_64);
	CHECK(bar.addr >= 0x100000000ull);
	CHECK_INT(kpi_host_pci_bar(h, 5, &bar), 0);
	CHECK_INT(bar.size, 0);
	CHECK_INT(kpi_host_pci_bar(h, 7, &bar), -KPI_EINVAL);

	/* Plain memory BAR: the driver's pointer and the model's are the same bytes. */
	struct kpi_pci_map map;
	CHECK_INT(kpi_host_pci_map_bar(h, 0, KPI_MAP_UC, &map), -KPI_EINVAL); /* I/O BAR */
	CHECK_INT(kpi_host_pci_map_bar(h, 1, KPI_MAP_UC, &map), 0);
	CHECK_INT(map.flags & KPI_MAP_TRAPPED, 0);
	CHECK_INT(map.size, 4096);
	volatile kpi_u32 *regs = map.addr;
	regs[2] = 0xcafef00d;
	kpi_host_mmio_write((char *)map.addr + 16, 2, 0xbeef);
	CHECK_INT(kpi_host_mmio_read((char *)map.addr + 8, 4), 0xcafef00d);
	CHECK_INT(regs[4], 0xbeef);

	/* Port I/O needs pio_enable; then goes to the callbacks. */
	CHECK_INT(kpi_host_pio_in(port + 4, 4), 0xffffffff); /* not enabled yet: floating bus */
	CHECK_INT(kpi_host_pci_pio_enable(h, 1), -KPI_EINVAL);
	CHECK_INT(kpi_host_pci_pio_enable(h, 0), 0);
	kpi_host_pio_out(port + 4, 4, 0x12345678);
	CHECK_INT(io_regs[1], 0x12345678);
	CHECK_INT(io_writes, 1);
	CHECK_INT(kpi_host_pio_in(port + 4, 4), 0x12345678);
	CHECK_INT(kpi_host_pio_in(port + 4, 1), 0x78); /* width-masked */
	CHECK_INT(kpi_host_pio_in(port + 256, 1), 0xff);  /* past the BAR */
	kpi_host_pci_close(h);
}

static void test_dma(void)
{
	sim_reset();
	struct kpi_dma a, b, c;
	CHECK_INT(kpi_host_dma_alloc(0, 0, &a), -KPI_EINVAL);
	CHECK_INT(kpi_host_dma_alloc(100, 0, &a), 0);
	CHECK_INT(a.size, 4096);
	CHECK(a.bus >= 0x100000000ull); /* above 4 GiB by default */
	CHECK_INT((kpi_uptr)a.virt % 4096, 0);
	CHECK_INT(((unsigned char *)a.virt)[99], 0); /* zeroed */
	CHECK_INT(kpi_host_dma_alloc(3 * 4096, KPI_DMA_32BIT, &b), 0);
	CHECK(b.bus < 0x100000000ull && b.bus + b.size <= 0x100000000ull);
	CHECK_INT(kpi_host_dma_alloc(8192, 0, &c), 0);
	CHECK(c.bus >= a.bus + a.size); /* no overlap */
	CHECK_INT(sim_dma_live(), 3);

	/* Driver side: virtual -> bus. Model side: bus -> virtual. */
	kpi_u64 bus = 0;
	CHECK_INT(kpi_host_dma_translate((char *)b.virt + 5000, &bus), 0);
	CHECK_INT(bus, b.bus + 5000);
	int stack_var = 0;
	CHECK_INT(kpi_host_dma_translate(&stack_var, &bus), -KPI_EFAULT);
	memcpy((char *)c.virt + 100, "frame", 5);
	char *model = sim_dma_to_virt(c.bus + 100, 5);
	CHECK(model != NULL && memcmp(model, "frame", 5) == 0);
	memcpy(sim_dma_to_virt(a.bus, 4), "desc", 4);
	CHECK(memcmp(a.virt, "desc", 4) == 0);
	CHECK(sim_dma_to_virt(c.bus + 8000, 500) == NULL); /* runs past the end */
	CHECK(sim_dma_to_virt(0x1000, 4) == NULL);
	kpi_host_dma_free(&b);
	CHECK(sim_dma_to_virt(bus, 1) == NULL); /* freed */
	kpi_host_dma_free(&a);
	kpi_host_dma_free(&c);
	CHECK_INT(sim_dma_live(), 0);
}

static void test_misc(void)
{
	sim_reset();
	static const unsigned char blob[] = {0xde, 0xad, 0xbe, 0xef, 1};
	CHECK_INT(sim_firmware_add("vendor/fw.bin", blob, sizeof(blob)), 0);
	void *data = NULL;
	kpi_size size = 0;
	CHECK_INT(kpi_host_firmware_load("vendor/fw.bin", &data, &size), 0);
	CHECK_INT(size, 5);
	CHECK(data && memcmp(data, blob, 5) == 0);
	kpi_host_firmware_release(data, size);
	CHECK_INT(kpi_host_firmware_load("vendor/none.bin", &data, &size), -KPI_ENOENT);

	/* The sim has no options: everything is left for lx, in order. */
	char *argv[] = {"drv", "--flag", "debug=3", "media=auto", NULL};
	int argc = 4;
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc, argv), 0);
	CHECK_INT(argc, 4);
	CHECK_STR(argv[1], "--flag");
	CHECK_STR(argv[3], "media=auto");
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION - 1, &argc, argv), -KPI_EINVAL);

	kpi_host_log(KPI_LOG_INFO, "hello from the driver");
	CHECK_INT(sim_log_count(KPI_LOG_INFO), 1);
	CHECK_STR(sim_log_last(), "hello from the driver");
	kpi_host_ready();
	CHECK_INT(sim_ready_count(), 1);

	void *p = kpi_host_malloc(100, 64);
	CHECK(p && (kpi_uptr)p % 64 == 0);
	kpi_host_free(p);
	p = kpi_host_malloc(0, 0);
	CHECK(p != NULL);
	kpi_host_free(p);

	/* The real clock moves forward; the virtual one only when told or waited. */
	kpi_u64 t1 = kpi_host_now_ns(), t2 = kpi_host_now_ns();
	CHECK(t2 >= t1 && t1 > 0);
	struct kpi_host_event ev;
	CHECK_INT(kpi_host_wait(t2 + 1000000, &ev, 1), 0);
	CHECK(kpi_host_now_ns() >= t2 + 1000000);
	sim_clock_virtual(1);
	kpi_u64 v1 = kpi_host_now_ns();
	sim_clock_advance(500);
	CHECK_INT(kpi_host_now_ns(), v1 + 500);
	CHECK_INT(kpi_host_wait(v1 + 10000, &ev, 1), 0);
	CHECK_INT(kpi_host_now_ns(), v1 + 10000);
	CHECK_INT(kpi_host_wait(KPI_FOREVER, &ev, 1), -KPI_EDEADLK);
	sim_reset();
}

int main(void)
{
	test_discovery_and_config();
	test_bars_mmio_pio();
	test_dma();
	test_misc();
	return KTEST_DONE();
}
