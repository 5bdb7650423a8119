/* sm_model_bochs.c: a model of QEMU's standard VGA (PCI 1234:1111, the
 * "bochs" display) for the sim host, linked into a ported DRM daemon
 * through cmake/KpiPort.cmake's KPI_PORT_EXTRA_SOURCES.  Written from the
 * documented interface of the device (QEMU's docs/specs/standard-vga.rst and
 * the Bochs VBE "dispi" register set), not from any driver:
 *   BAR 0  VRAM (plain memory, KPI_SMBOCHS_VRAM_MB, default 16 MiB)
 *   BAR 2  MMIO: 0x000-0x3ff EDID blob, 0x400-0x41f the VGA ioports,
 *          0x500-0x517 the dispi registers (16-bit, index * 2), 0x600 the
 *          QEMU extension registers (size 0: none)
 * The EDID (EDID 1.3, built here from the VESA E-EDID layout) names the
 * monitor "kpi sm-bochs", prefers 1024x768@60 (DMT timing in the first
 * detailed descriptor) and lists 640x480, 800x600 and 1024x768 as
 * established timings; KPI_SMBOCHS_EDID=0 leaves the blob empty, as QEMU's
 * edid=off.
 * With KPI_SMBOCHS=1 in the environment a constructor adds the function
 * before the daemon's main() runs; every dispi write is logged as
 * "sm bochs: w REG = VALUE" and an atexit hook prints the mode the driver
 * left programmed: "sm bochs: mode XxYxBPP enabled=E lfb=L offset=X,Y".
 * sm_bochs_screendump(path) writes what the display shows, as QEMU's
 * screendump does: a binary PPM of the programmed mode's visible area read
 * from VRAM at the scanout offset (virt_width, x/y offset), 32 bpp only. */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static kpi_u8 edid[128];
static int installed;
static struct sim_dev *bochs_dev;
static kpi_u64 bochs_vram;

static void edid_build(void)
{
	static const kpi_u8 dtd_1024x768[18] = {
		0x64, 0x19,	  /* 65.00 MHz */
		0x00, 0x40, 0x41, /* 1024 active, 320 blank */
		0x00, 0x26, 0x30, /* 768 active, 38 blank */
		0x18, 0x88, 0x36, 0x00, /* hsync at +24 for 136, vsync at +3 for 6 */
		0x2c, 0xe6, 0x10, /* 300 x 230 mm */
		0x00, 0x00, 0x18, /* no border, digital separate sync, -h -v */
	};
	static const char name[13] = "kpi sm-bochs\n";
	unsigned i, sum = 0;
	memcpy(edid, "\0\xff\xff\xff\xff\xff\xff\0", 8);
	edid[8] = 0x2e, edid[9] = 0x09;	  /* "KPI" */
	edid[10] = 0x11, edid[11] = 0x11; /* product 0x1111 */
	edid[17] = 36;			  /* 2026 */
	edid[18] = 1, edid[19] = 3;	  /* EDID 1.3 */
	edid[20] = 0x80;		  /* digital input */
	edid[21] = 30, edid[22] = 23;	  /* cm */
	edid[23] = 0x78;		  /* gamma 2.2 */
	edid[24] = 0x0a;		  /* RGB colour, preferred timing is the first descriptor */
	edid[35] = 0x21;		  /* 640x480@60, 800x600@60 */
	edid[36] = 0x08;		  /* 1024x768@60 */
	for (i = 38; i < 54; i++)
		edid[i] = 0x01;		  /* no standard timings */
	memcpy(edid + 54, dtd_1024x768, sizeof(dtd_1024x768));
	edid[75] = 0xfc;		  /* monitor name */
	memcpy(edid + 77, name, sizeof(name));
	edid[93] = 0xfd;		  /* range limits: 50-75 Hz, 30-80 kHz, 100 MHz */
	edid[95] = 50, edid[96] = 75, edid[97] = 30, edid[98] = 80, edid[99] = 10, edid[101] = 0x0a;
	memset(edid + 102, ' ', 6);
	edid[111] = 0x10;		  /* dummy descriptor */
	for (i = 0; i < 127; i++)
		sum += edid[i];
	edid[127] = (kpi_u8)(256 - (sum & 255));
}

int sm_bochs_screendump(const char *path)
{
	unsigned w = dispi[DISPI_XRES], h = dispi[DISPI_YRES], bpp = dispi[DISPI_BPP], vw = dispi[DISPI_VIRT_WIDTH];
	kpi_u64 start = ((kpi_u64)dispi[DISPI_Y_OFFSET] * vw + dispi[DISPI_X_OFFSET]) * 4, stride = (kpi_u64)vw * 4;
	const kpi_u8 *vram = bochs_dev ? sim_dev_bar_mem(bochs_dev, 0) : NULL;
	unsigned x, y;
	FILE *f;
	if (!vram || !(dispi[DISPI_ENABLE] & 1) || bpp != 32 || !w || !h || vw < w ||
	    start + (h - 1) * stride + (kpi_u64)w * 4 > bochs_vram) {
		fprintf(stderr, "sm bochs: screendump: no 32 bpp scanout in VRAM (%ux%ux%u enabled=%u)\n", w, h, bpp,
			dispi[DISPI_ENABLE] & 1);
		return -1;
	}
	f = fopen(path, "wb");
	if (!f)
		return -1;
	fprintf(f, "P6\n%u %u\n255\n", w, h);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			const kpi_u8 *px = vram + start + y * stride + x * 4; /* B G R X */
			fputc(px[2], f), fputc(px[1], f), fputc(px[0], f);
		}
	fclose(f);
	fprintf(stderr, "sm bochs: screendump %ux%ux%u virt_width=%u offset=%u,%u -> %s\n", w, h, bpp, vw,
		dispi[DISPI_X_OFFSET], dispi[DISPI_Y_OFFSET], path);
	return 0;
}

static kpi_u64 bochs_read(struct sim_dev *dev, int bar, kpi_u64 off, kpi_u32 width)
{
	(void)dev, (void)bar;
	if (off >= 0x500 && off < 0x500 + 2 * DISPI_NREGS && width == 2)
		return dispi[(off - 0x500) / 2];
	if (off >= 0x400 && off < 0x420 && width == 1)
		return vga[off - 0x400];
	if (off < sizeof(edid) && width == 1)
		return edid[off];
	return 0; /* the rest of the EDID area, QEMU extensions (size 0), holes */
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
	const char *on = getenv("KPI_SMBOCHS"), *mb = getenv("KPI_SMBOCHS_VRAM_MB"), *e = getenv("KPI_SMBOCHS_EDID");
	struct sim_pci_id id = {.vendor = 0x1234, .device = 0x1111, .subvendor = 0x1af4, .subdevice = 0x1100,
				.class_code = 0x030000, .revision = 2};
	kpi_u64 vram = (kpi_u64)(mb ? atoi(mb) : 16) << 20;
	if (!on || installed)
		return;
	installed = 1;
	dispi[DISPI_ID] = 0xb0c5;
	dispi[DISPI_VIDEO_MEMORY_64K] = (kpi_u16)(vram >> 16);
	if (!e || atoi(e))
		edid_build();
	bochs_vram = vram;
	struct sim_dev *dev = bochs_dev = sim_dev_create(&id);
	if (!dev || sim_dev_add_mem_bar(dev, 0, vram, 0, NULL) < 0 || sim_dev_add_mem_bar(dev, 2, 4096, 0, &ops) < 0) {
		fprintf(stderr, "sm bochs: cannot add the device\n");
		exit(1);
	}
	atexit(bochs_report);
}
