/* sm_model_bochs.c: a model of QEMU's standard VGA (PCI 1234:1111, the
 * "bochs" display) for the sim host, linked into a ported DRM daemon
 * through cmake/KpiPort.cmake's KPI_PORT_EXTRA_SOURCES.  Written from the
 * documented interface of the device (QEMU's docs/specs/standard-vga.rst and
 * the Bochs VBE "dispi" register set), not from any driver:
 *   BAR 0  VRAM (plain memory, KPI_SMBOCHS_VRAM_MB, default 16 MiB)
 *   BAR 2  MMIO: 0x000-0x3ff EDID blob (empty here), 0x400-0x41f the VGA
 *          ioports, 0x500-0x517 the dispi registers (16-bit, index * 2),
 *          0x600 the QEMU extension registers (size 0: none)
 * With KPI_SMBOCHS=1 in the environment a constructor adds the function
 * before the daemon's main() runs; every dispi write is logged as
 * "sm bochs: w REG = VALUE" and an atexit hook prints the mode the driver
 * left programmed: "sm bochs: mode XxYxBPP enabled=E lfb=L offset=X,Y". */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>

enum {
	DISPI_ID,
	DISPI_XRES,
	DISPI_YRES,
	DISPI_BPP,
	DISPI_ENABLE,
	DISPI_BANK,
	DISPI_VIRT_WIDTH,
	DISPI_VIRT_HEIGHT,
	DISPI_X_OFFSET,
	DISPI_Y_OFFSET,
	DISPI_VIDEO_MEMORY_64K,
	DISPI_NREGS
};

static const char *const reg_names[DISPI_NREGS] = {
	"id", "xres", "yres", "bpp", "enable", "bank", "virt_width", "virt_height", "x_offset", "y_offset",
	"video_memory_64k",
};

static kpi_u16 dispi[DISPI_NREGS];
static kpi_u8 vga[0x20];
static int installed;

static kpi_u64 bochs_read(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width)
{
	(void)dev, (void)bar;
	if (off >= 0x500 && off < 0x500 + 2 * DISPI_NREGS && width == 2)
		return dispi[(off - 0x500) / 2];
	if (off >= 0x400 && off < 0x420 && width == 1)
		return vga[off - 0x400];
	return 0; /* EDID (none), QEMU extensions (size 0), holes */
}

static void bochs_write(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width, kpi_u64 value)
{
	(void)dev, (void)bar;
	if (off >= 0x500 && off < 0x500 + 2 * DISPI_NREGS && width == 2) {
		unsigned idx = (unsigned)(off - 0x500) / 2;
		fprintf(stderr, "sm bochs: w %s = %#x\n", reg_names[idx], (unsigned)value);
		if (idx != DISPI_ID && idx != DISPI_VIDEO_MEMORY_64K)
			dispi[idx] = (kpi_u16)value;
		return;
	}
	if (off >= 0x400 && off < 0x420 && width == 1) {
		vga[off - 0x400] = (kpi_u8)value;
		return;
	}
	fprintf(stderr, "sm bochs: w %#llx (%u bytes) = %#llx ignored\n", (unsigned long long)off, width,
		(unsigned long long)value);
}

static void bochs_report(void)
{
	fprintf(stderr, "sm bochs: mode %ux%ux%u enabled=%u lfb=%u offset=%u,%u\n", dispi[DISPI_XRES],
		dispi[DISPI_YRES], dispi[DISPI_BPP], dispi[DISPI_ENABLE] & 1, !!(dispi[DISPI_ENABLE] & 0x40),
		dispi[DISPI_X_OFFSET], dispi[DISPI_Y_OFFSET]);
}

__attribute__((constructor)) static void bochs_install(void)
{
	static const struct sim_bar_ops ops = {.read = bochs_read, .write = bochs_write};
	const char *on = getenv("KPI_SMBOCHS"), *mb = getenv("KPI_SMBOCHS_VRAM_MB");
	struct sim_pci_id id = {.vendor = 0x1234, .device = 0x1111, .subvendor = 0x1af4, .subdevice = 0x1100,
				.class_code = 0x030000, .revision = 2};
	kpi_u64 vram = (kpi_u64)(mb ? atoi(mb) : 16) << 20;
	if (!on || installed)
		return;
	installed = 1;
	dispi[DISPI_ID] = 0xb0c5;
	dispi[DISPI_VIDEO_MEMORY_64K] = (kpi_u16)(vram >> 16);
	struct sim_dev *dev = sim_dev_create(&id);
	if (!dev || sim_dev_add_mem_bar(dev, 0, vram, 0, NULL) < 0 || sim_dev_add_mem_bar(dev, 2, 4096, 0, &ops) < 0) {
		fprintf(stderr, "sm bochs: cannot add the device\n");
		exit(1);
	}
	atexit(bochs_report);
}
