/* drm_client.c: a test client of a ported DRM driver, written here from
 * scratch against Linux's DRM UAPI (<drm/drm.h>, <drm/drm_mode.h>); linked
 * into the daemon (KPI_PORT_EXTRA_SOURCES) and run in it through
 * headers/kpi/kpi_drm.h, as a process would use /dev/dri/card0:
 *
 *   GET_RESOURCES, GET_CONNECTOR (the connected one: its modes, and its
 *   EDID property blob, checked and named), GET_ENCODER, CREATE_DUMB x2
 *   (WxH, 32 bpp), ADDFB2 x2 (XRGB8888), SETCRTC WxH on buffer A, MAP_DUMB
 *   + mmap A and draw frame 1, PAGE_FLIP to B with an event (read back
 *   from the file), map B and draw frame 2, then RMFB, DESTROY_DUMB, close.
 *
 * Frame f's pixel (x, y) is XRGB r = (x + 37f) & 255, g = (y * f) & 255,
 * b = ((x ^ y) + 101f) & 255: two frames differ at every pixel;
 * tests/runtime/drm_pattern.py checks a screendump against the same rule.
 *
 * Enabled by KPI_DRM_CLIENT=WxH (e.g. 1024x768) in the environment.  After
 * each frame it logs "drm-client: frame F shown" and waits for the
 * harness: with KPI_DRM_CLIENT_DUMP=PREFIX and a device model that can dump
 * its display (the sim's sm_bochs_screendump), it writes PREFIX<F>.ppm
 * itself; with KPI_DRM_CLIENT_ACK=PATH it waits (60 s at most) until the
 * file PATH<F> exists (the QEMU harness took its screendump).  Exit status
 * of the daemon: 0 when every step succeeded (runtime/lx/lx_drm.c). */
#include "kpi_drm.h"
#include "kpi_kit.h"

/* the tree's include/uapi as is: headers_install would strip __user */
#define __user
#include <drm/drm.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_mode.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The sim's bochs model (tests/runtime/sm_model_bochs.c) when linked in. */
int sm_bochs_screendump(const char *path) __attribute__((weak));

struct dc_buf {
	uint32_t handle, pitch, fb;
	uint64_t size;
};

static int dc_width, dc_height;

#define DC_FAIL(...)                                                                                                   \
	do {                                                                                                           \
		fprintf(stderr, "drm-client: FAIL: " __VA_ARGS__);                                                     \
		fputc('\n', stderr);                                                                                   \
		return -1;                                                                                             \
	} while (0)

static int dc_ioctl(int fd, unsigned long cmd, void *arg, const char *what)
{
	int rc = kpi_drm_ioctl(fd, cmd, arg);
	if (rc < 0)
		fprintf(stderr, "drm-client: FAIL: %s: %s\n", what, strerror(-rc));
	return rc;
}

static uint32_t dc_pixel(int x, int y, int f)
{
	uint32_t r = (uint32_t)(x + 37 * f) & 255, g = (uint32_t)(y * f) & 255, b = (uint32_t)((x ^ y) + 101 * f) & 255;
	return r << 16 | g << 8 | b;
}

static int dc_draw(int fd, struct dc_buf *b, int f)
{
	struct drm_mode_map_dumb map = {.handle = b->handle};
	void *p;
	int rc, x, y;
	if (dc_ioctl(fd, DRM_IOCTL_MODE_MAP_DUMB, &map, "MAP_DUMB") < 0)
		return -1;
	rc = kpi_drm_mmap(fd, map.offset, b->size, &p);
	if (rc < 0)
		DC_FAIL("mmap of dumb buffer %u at offset %#llx: %s", b->handle, (unsigned long long)map.offset,
			strerror(-rc));
	for (y = 0; y < dc_height; y++) {
		volatile uint32_t *row = (volatile uint32_t *)((char *)p + (size_t)y * b->pitch);
		for (x = 0; x < dc_width; x++)
			row[x] = dc_pixel(x, y, f);
	}
	rc = kpi_drm_munmap(fd, p);
	if (rc < 0)
		DC_FAIL("munmap: %s", strerror(-rc));
	return 0;
}

static int dc_shown(int f)
{
	const char *dump = getenv("KPI_DRM_CLIENT_DUMP"), *ack = getenv("KPI_DRM_CLIENT_ACK");
	char path[512];
	printf("drm-client: frame %d shown\n", f);
	fflush(stdout);
	if (dump && sm_bochs_screendump) {
		snprintf(path, sizeof(path), "%s%d.ppm", dump, f);
		if (sm_bochs_screendump(path) < 0)
			DC_FAIL("screendump %s", path);
	}
	if (ack) {
		struct stat st;
		int i;
		snprintf(path, sizeof(path), "%s%d", ack, f);
		for (i = 0; stat(path, &st) != 0; i++) {
			if (i == 600)
				DC_FAIL("no %s after 60 s", path);
			kit_sleep_ns(100000000ull);
		}
	}
	return 0;
}

/* The connector's EDID blob: header, checksum, monitor name (0xfc). */
static int dc_edid(int fd, const struct drm_mode_get_connector *c, const uint32_t *props, const uint64_t *values)
{
	uint32_t i;
	for (i = 0; i < c->count_props; i++) {
		struct drm_mode_get_property prop = {.prop_id = props[i]};
		if (dc_ioctl(fd, DRM_IOCTL_MODE_GETPROPERTY, &prop, "GETPROPERTY") < 0)
			return -1;
		if (strcmp(prop.name, "EDID") || !values[i])
			continue;
		struct drm_mode_get_blob blob = {.blob_id = (uint32_t)values[i]};
		uint8_t edid[512];
		char name[14] = "";
		unsigned sum = 0, k, d;
		if (dc_ioctl(fd, DRM_IOCTL_MODE_GETPROPBLOB, &blob, "GETPROPBLOB") < 0)
			return -1;
		if (blob.length < 128 || blob.length > sizeof(edid))
			DC_FAIL("EDID blob of %u bytes", blob.length);
		blob.data = (uint64_t)(uintptr_t)edid;
		if (dc_ioctl(fd, DRM_IOCTL_MODE_GETPROPBLOB, &blob, "GETPROPBLOB") < 0)
			return -1;
		for (k = 0; k < 128; k++)
			sum += edid[k];
		if (memcmp(edid, "\0\xff\xff\xff\xff\xff\xff\0", 8) || (sum & 255))
			DC_FAIL("EDID blob: bad header or checksum");
		for (d = 54; d < 126; d += 18)
			if (!edid[d] && !edid[d + 1] && edid[d + 3] == 0xfc)
				for (k = 0; k < 13 && edid[d + 5 + k] != '\n'; k++)
					name[k] = (char)edid[d + 5 + k];
		printf("drm-client: connector %u EDID: %u bytes, version %u.%u, monitor \"%s\"\n", c->connector_id,
		       blob.length, edid[18], edid[19], name);
		return 1;
	}
	return 0;
}

static int dc_run(int fd)
{
	struct drm_mode_card_res res = {0};
	uint32_t crtcs[8], conns[8], encs[8], fbs[8];
	struct drm_mode_modeinfo modes[64], mode;
	uint32_t props[32], cenc[8];
	uint64_t values[32];
	struct drm_mode_get_connector c = {0};
	struct drm_mode_get_encoder enc = {0};
	struct dc_buf b[2];
	uint32_t i, conn_id = 0;
	int found = 0, k;

	if (dc_ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &res, "GETRESOURCES") < 0)
		return -1;
	if (!res.count_crtcs || !res.count_connectors || res.count_crtcs > 8 || res.count_connectors > 8 ||
	    res.count_encoders > 8 || res.count_fbs > 8)
		DC_FAIL("GETRESOURCES: %u crtcs, %u connectors, %u encoders", res.count_crtcs, res.count_connectors,
			res.count_encoders);
	res.crtc_id_ptr = (uintptr_t)crtcs;
	res.connector_id_ptr = (uintptr_t)conns;
	res.encoder_id_ptr = (uintptr_t)encs;
	res.fb_id_ptr = (uintptr_t)fbs;
	if (dc_ioctl(fd, DRM_IOCTL_MODE_GETRESOURCES, &res, "GETRESOURCES") < 0)
		return -1;
	printf("drm-client: %u crtc(s), %u connector(s), %u encoder(s), modes %ux%u to %ux%u\n", res.count_crtcs,
	       res.count_connectors, res.count_encoders, res.min_width, res.min_height, res.max_width,
	       res.max_height);

	for (i = 0; i < res.count_connectors && !conn_id; i++) {
		memset(&c, 0, sizeof(c));
		c.connector_id = conns[i];
		/* the first call probes the connector (modes from EDID) and counts */
		if (dc_ioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &c, "GETCONNECTOR") < 0)
			return -1;
		if (c.connection != 1 /* connected */)
			continue;
		if (c.count_modes > 64 || c.count_props > 32 || c.count_encoders > 8)
			DC_FAIL("GETCONNECTOR: %u modes, %u props", c.count_modes, c.count_props);
		c.modes_ptr = (uintptr_t)modes;
		c.props_ptr = (uintptr_t)props;
		c.prop_values_ptr = (uintptr_t)values;
		c.encoders_ptr = (uintptr_t)cenc;
		if (dc_ioctl(fd, DRM_IOCTL_MODE_GETCONNECTOR, &c, "GETCONNECTOR") < 0)
			return -1;
		conn_id = c.connector_id;
	}
	if (!conn_id)
		DC_FAIL("no connected connector");
	printf("drm-client: connector %u (type %u) connected, %u mode(s):", conn_id, c.connector_type, c.count_modes);
	for (i = 0; i < c.count_modes; i++) {
		printf(" %s%s@%u", modes[i].name, modes[i].type & DRM_MODE_TYPE_PREFERRED ? "*" : "",
		       modes[i].vrefresh);
		if (!found && modes[i].hdisplay == dc_width && modes[i].vdisplay == dc_height) {
			mode = modes[i];
			found = 1;
		}
	}
	printf("\n");
	k = dc_edid(fd, &c, props, values);
	if (k < 0)
		return -1;
	if (!k)
		printf("drm-client: connector %u has no EDID\n", conn_id);
	if (!found)
		DC_FAIL("no %dx%d mode on connector %u", dc_width, dc_height, conn_id);

	enc.encoder_id = c.encoder_id ? c.encoder_id : (c.count_encoders ? cenc[0] : 0);
	if (dc_ioctl(fd, DRM_IOCTL_MODE_GETENCODER, &enc, "GETENCODER") < 0)
		return -1;
	for (i = 0; i < res.count_crtcs && !(enc.possible_crtcs & (1u << i)); i++)
		;
	if (i == res.count_crtcs)
		DC_FAIL("encoder %u drives no crtc", enc.encoder_id);
	uint32_t crtc_id = crtcs[i];

	for (k = 0; k < 2; k++) {
		struct drm_mode_create_dumb cd = {.width = (uint32_t)dc_width, .height = (uint32_t)dc_height, .bpp = 32};
		struct drm_mode_fb_cmd2 fb = {.width = (uint32_t)dc_width, .height = (uint32_t)dc_height,
					      .pixel_format = DRM_FORMAT_XRGB8888};
		if (dc_ioctl(fd, DRM_IOCTL_MODE_CREATE_DUMB, &cd, "CREATE_DUMB") < 0)
			return -1;
		b[k] = (struct dc_buf){.handle = cd.handle, .pitch = cd.pitch, .size = cd.size};
		fb.handles[0] = cd.handle;
		fb.pitches[0] = cd.pitch;
		if (dc_ioctl(fd, DRM_IOCTL_MODE_ADDFB2, &fb, "ADDFB2") < 0)
			return -1;
		b[k].fb = fb.fb_id;
		printf("drm-client: dumb buffer %u: pitch %u, %llu bytes, framebuffer %u\n", cd.handle, cd.pitch,
		       (unsigned long long)cd.size, fb.fb_id);
	}

	struct drm_mode_crtc set = {.set_connectors_ptr = (uintptr_t)&conn_id, .count_connectors = 1,
				    .crtc_id = crtc_id, .fb_id = b[0].fb, .mode_valid = 1, .mode = mode};
	if (dc_ioctl(fd, DRM_IOCTL_MODE_SETCRTC, &set, "SETCRTC") < 0)
		return -1;
	printf("drm-client: crtc %u set to %s on connector %u\n", crtc_id, mode.name, conn_id);
	/* the buffer is in place (VRAM) once it is scanned out: map and draw */
	if (dc_draw(fd, &b[0], 1) < 0 || dc_shown(1) < 0)
		return -1;

	struct drm_mode_crtc_page_flip flip = {.crtc_id = crtc_id, .fb_id = b[1].fb,
					       .flags = DRM_MODE_PAGE_FLIP_EVENT, .user_data = 0x6b7069};
	if (dc_ioctl(fd, DRM_IOCTL_MODE_PAGE_FLIP, &flip, "PAGE_FLIP") < 0)
		return -1;
	union {
		struct drm_event base;
		struct drm_event_vblank vbl;
		char raw[128];
	} ev;
	long n = kpi_drm_read(fd, &ev, sizeof(ev));
	if (n < (long)sizeof(ev.vbl) || ev.base.type != DRM_EVENT_FLIP_COMPLETE || ev.vbl.user_data != 0x6b7069)
		DC_FAIL("no flip-complete event (read %ld, type %u)", n, n > 0 ? ev.base.type : 0);
	printf("drm-client: flipped to framebuffer %u (event on crtc %u)\n", b[1].fb, ev.vbl.crtc_id);
	if (dc_draw(fd, &b[1], 2) < 0 || dc_shown(2) < 0)
		return -1;

	for (k = 0; k < 2; k++) {
		struct drm_mode_destroy_dumb dd = {.handle = b[k].handle};
		if (dc_ioctl(fd, DRM_IOCTL_MODE_RMFB, &b[k].fb, "RMFB") < 0 ||
		    dc_ioctl(fd, DRM_IOCTL_MODE_DESTROY_DUMB, &dd, "DESTROY_DUMB") < 0)
			return -1;
	}
	printf("drm-client: buffers destroyed\n");
	return 0;
}

static int dc_main(void *arg)
{
	int fd, rc;
	(void)arg;
	fd = kpi_drm_open(0);
	if (fd < 0)
		DC_FAIL("open of minor 0: %s", strerror(-fd));
	rc = dc_run(fd);
	if (kpi_drm_close(fd) < 0)
		DC_FAIL("close");
	if (!rc)
		printf("drm-client: done\n");
	fflush(stdout);
	return rc ? 1 : 0;
}

__attribute__((constructor)) static void dc_install(void)
{
	const char *spec = getenv("KPI_DRM_CLIENT");
	if (!spec || sscanf(spec, "%dx%d", &dc_width, &dc_height) != 2 || dc_width <= 0 || dc_height <= 0)
		return;
	kpi_drm_client_add("drm-client", dc_main, NULL);
}
