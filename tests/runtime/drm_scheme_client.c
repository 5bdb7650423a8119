/* drm_scheme_client.c: a test client of a ported DRM driver's Redox display
 * scheme (runtime/host/redox/rx_display.c), written here from scratch: it
 * plays another Redox process on the emulated Redox (runtime/host/
 * redox-emu, re_emu.h "requests to user schemes") and speaks the protocol
 * of Redox's display drivers - OpenAt "v2/<vt>", SYS_CALL (Call) with the
 * DRM command number in metadata[0] and relibc's redox-ioctl payload (the
 * struct's non-pointer fields, then the arrays; built here from Linux's DRM
 * UAPI headers with offsetof), MmapPrep of a dumb buffer, Fstat, Fpath,
 * Read (DRM events), CloseMsg.  Same sequence as drm_client.c:
 *
 *   GETRESOURCES (counts, then arrays), GETCONNECTOR (probe, then modes,
 *   props and values; EDID blob through GETPROPERTY + GETPROPBLOB),
 *   GETENCODER, CREATE_DUMB x2, ADDFB2 x2, SETCRTC WxH on A, MAP_DUMB +
 *   MmapPrep of A, frame 1, PAGE_FLIP to B with an event read back through
 *   the scheme, frame 2 on B, RMFB, DESTROY_DUMB, CloseMsg.
 *
 * Linked into the daemon (KPI_PORT_EXTRA_SOURCES, tests/runtime/
 * drm_scheme_test.sh) and run as one of its DRM clients (kpi_drm.h) only to
 * have a task: every DRM call goes through the scheme.  Enabled by
 * KPI_DRM_SCHEME_CLIENT=WxH; the scheme is display.<driver>
 * (KPI_DRM_SCHEME, default display.bochs-drm).  After each frame the sim's
 * bochs model dumps its display to KPI_DRM_CLIENT_DUMP<F>.ppm. */
#include "kpi_drm.h"
#include "kpi_kit.h"
#include "re_emu.h"

#define __user
#include <drm/drm.h>
#include <drm/drm_fourcc.h>
#include <drm/drm_mode.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sm_bochs_screendump(const char *path) __attribute__((weak));

/* redox-ioctl puts the non-pointer fields first; in these structs they are
 * one contiguous range of the Linux struct (checked here). */
_Static_assert(offsetof(struct drm_mode_card_res, count_fbs) == 4 * 8, "card_res: 4 pointers first");
_Static_assert(sizeof(struct drm_mode_card_res) == 4 * 8 + 8 * 4, "card_res: 8 u32 after");
_Static_assert(offsetof(struct drm_mode_get_connector, count_modes) == 4 * 8, "get_connector");
_Static_assert(offsetof(struct drm_mode_get_property, prop_id) == 2 * 8, "get_property");
_Static_assert(offsetof(struct drm_mode_get_blob, data) == 8, "get_blob");
_Static_assert(offsetof(struct drm_mode_crtc, count_connectors) == 8, "crtc");
_Static_assert(sizeof(struct drm_mode_modeinfo) == 68, "modeinfo");
_Static_assert(sizeof(struct drm_mode_property_enum) == 40, "property_enum");

#define DS_FAIL(...)                                                                                                   \
	do {                                                                                                           \
		fprintf(stderr, "drm-scheme-client: FAIL: " __VA_ARGS__);                                              \
		fputc('\n', stderr);                                                                                   \
		return -1;                                                                                             \
	} while (0)

static const char *ds_scheme;
static int ds_width, ds_height;

/* One request as the kernel forwards it; waits (letting the daemon run)
 * for the answer.  Returns the result (-errno on error) or -ETIMEDOUT. */
static long ds_req(rx_u8 op, rx_u64 a0, rx_u64 a1, rx_u64 a2, rx_u64 a3, rx_u64 a4)
{
	rx_u64 args[6] = {a0, a1, a2, a3, a4, 0}, res = 0;
	long tag = re_sched_request(ds_scheme, op, args);
	int i;
	if (tag < 0)
		return tag;
	for (i = 0; i < 20000; i++) {
		int r = re_sched_result((rx_u32)tag, &res, NULL);
		if (r == 1)
			return (long)res;
		if (r < 0)
			return r;
		kit_sleep_ns(1000000ull);
	}
	return -ETIMEDOUT;
}

/* A payload: plain fields, then arrays, in an aligned buffer. */
struct ds_pl {
	union {
		uint64_t align;
		uint8_t b[16384];
	};
	size_t n;
};

static void *ds_put(struct ds_pl *p, const void *src, size_t n)
{
	void *at = p->b + p->n;
	if (src)
		memcpy(at, src, n);
	else
		memset(at, 0, n);
	p->n += n;
	return at;
}

static long ds_call(rx_u64 id, unsigned nr, struct ds_pl *p, const char *what)
{
	long rc = ds_req(RE_OP_CALL, id, (rx_u64)(uintptr_t)p->b, p->n, nr, 0);
	if (rc < 0)
		fprintf(stderr, "drm-scheme-client: FAIL: %s: %s\n", what, strerror((int)-rc));
	return rc;
}

/* A struct without pointers travels whole. */
static long ds_plain(rx_u64 id, unsigned nr, void *s, size_t size, const char *what)
{
	struct ds_pl p = {.n = 0};
	ds_put(&p, s, size);
	long rc = ds_call(id, nr, &p, what);
	memcpy(s, p.b, size);
	return rc;
}

static uint32_t ds_pixel(int x, int y, int f)
{
	uint32_t r = (uint32_t)(x + 37 * f) & 255, g = (uint32_t)(y * f) & 255, b = (uint32_t)((x ^ y) + 101 * f) & 255;
	return r << 16 | g << 8 | b;
}

struct ds_buf {
	uint32_t handle, pitch, fb;
	uint64_t size;
};

static int ds_draw(rx_u64 id, const struct ds_buf *b, int f)
{
	struct drm_mode_map_dumb map = {.handle = b->handle};
	char path[512];
	const char *dump = getenv("KPI_DRM_CLIENT_DUMP");
	long addr, rc;
	int x, y;
	if (ds_plain(id, 0xB3, &map, sizeof(map), "MAP_DUMB") < 0)
		return -1;
	addr = ds_req(RE_OP_MMAP_PREP, id, b->size, RX_PROT_READ | RX_PROT_WRITE | RX_MAP_SHARED, map.offset, 0);
	if (addr < 0 && addr > -4096)
		DS_FAIL("MmapPrep of dumb buffer %u at %#llx: %s", b->handle, (unsigned long long)map.offset,
			strerror((int)-addr));
	for (y = 0; y < ds_height; y++) {
		volatile uint32_t *row = (volatile uint32_t *)((uintptr_t)addr + (size_t)y * b->pitch);
		for (x = 0; x < ds_width; x++)
			row[x] = ds_pixel(x, y, f);
	}
	rc = ds_req(RE_OP_MUNMAP, id, b->size, 0, map.offset, 0);
	if (rc < 0)
		DS_FAIL("Munmap: %s", strerror((int)-rc));
	printf("drm-scheme-client: frame %d drawn through the mapping at %#lx\n", f, (unsigned long)addr);
	fflush(stdout);
	if (dump && sm_bochs_screendump) {
		snprintf(path, sizeof(path), "%s%d.ppm", dump, f);
		if (sm_bochs_screendump(path) < 0)
			DS_FAIL("screendump %s", path);
	}
	return 0;
}

static long ds_open(const char *path)
{
	long root = re_scheme_root(ds_scheme);
	if (root < 0)
		return root;
	return ds_req(RE_OP_OPENAT, (rx_u64)root, (rx_u64)(uintptr_t)path, strlen(path), RX_O_RDWR, 0);
}

/* The protocol's edges, before the sequence. */
static int ds_edges(rx_u64 id)
{
	struct rx_stat st;
	char path[128] = "";
	long rc;
	if ((rc = ds_open("v3/0")) != -ENOENT)
		DS_FAIL("open v3/0 answered %ld, not ENOENT", rc);
	if ((rc = ds_open("card0")) != -EINVAL)
		DS_FAIL("open card0 answered %ld, not EINVAL", rc);
	memset(&st, 0, sizeof(st));
	rc = ds_req(RE_OP_FSTAT, id, (rx_u64)(uintptr_t)&st, sizeof(st), 0, 0);
	if (rc < 0 || st.st_dev != 226u << 8)
		DS_FAIL("fstat: %ld, st_dev %#llx (want 226 << 8)", rc, (unsigned long long)st.st_dev);
	rc = ds_req(RE_OP_FPATH, id, (rx_u64)(uintptr_t)path, sizeof(path) - 1, 0, 0);
	if (rc < 0 || !strstr(path, "/v2/1"))
		DS_FAIL("fpath: %ld '%s'", rc, path);
	struct ds_pl p = {.n = 0};
	ds_put(&p, NULL, 31); /* GETRESOURCES' plain part is 32 bytes */
	if ((rc = ds_req(RE_OP_CALL, id, (rx_u64)(uintptr_t)p.b, p.n, 0xA0, 0)) != -EINVAL)
		DS_FAIL("a 31-byte GETRESOURCES answered %ld, not EINVAL", rc);
	if ((rc = ds_req(RE_OP_CALL, id, (rx_u64)(uintptr_t)p.b, 4, 0x42, 0)) != -EINVAL)
		DS_FAIL("DRM command 0x42 answered %ld, not EINVAL", rc);
	printf("drm-scheme-client: fstat st_dev %#llx, fpath %s, bad opens and payloads refused\n",
	       (unsigned long long)st.st_dev, path);
	return 0;
}

/* The EDID property of connector c: 1 found and checked, 0 none. */
static int ds_edid(rx_u64 id, uint32_t conn, uint32_t nprops, const uint32_t *props, const uint64_t *values)
{
	for (uint32_t i = 0; i < nprops; i++) {
		struct drm_mode_get_property prop = {.prop_id = props[i]};
		struct ds_pl p = {.n = 0};
		ds_put(&p, &prop.prop_id, sizeof(prop) - offsetof(struct drm_mode_get_property, prop_id));
		if (ds_call(id, 0xAA, &p, "GETPROPERTY") < 0)
			return -1;
		memcpy(&prop.prop_id, p.b, p.n);
		if (strcmp(prop.name, "EDID") || !values[i])
			continue;
		struct drm_mode_get_blob blob = {.blob_id = (uint32_t)values[i]};
		p.n = 0;
		ds_put(&p, &blob, offsetof(struct drm_mode_get_blob, data));
		if (ds_call(id, 0xAC, &p, "GETPROPBLOB") < 0)
			return -1;
		memcpy(&blob, p.b, offsetof(struct drm_mode_get_blob, data));
		if (blob.length < 128 || blob.length > 4096)
			DS_FAIL("EDID blob of %u bytes", blob.length);
		p.n = 0;
		ds_put(&p, &blob, offsetof(struct drm_mode_get_blob, data));
		uint8_t *edid = ds_put(&p, NULL, blob.length);
		if (ds_call(id, 0xAC, &p, "GETPROPBLOB") < 0)
			return -1;
		char name[14] = "";
		unsigned sum = 0, k, d;
		for (k = 0; k < 128; k++)
			sum += edid[k];
		if (memcmp(edid, "\0\xff\xff\xff\xff\xff\xff\0", 8) || (sum & 255))
			DS_FAIL("EDID blob: bad header or checksum");
		for (d = 54; d < 126; d += 18)
			if (!edid[d] && !edid[d + 1] && edid[d + 3] == 0xfc)
				for (k = 0; k < 13 && edid[d + 5 + k] != '\n'; k++)
					name[k] = (char)edid[d + 5 + k];
		printf("drm-scheme-client: connector %u EDID: %u bytes, version %u.%u, monitor \"%s\"\n", conn,
		       blob.length, edid[18], edid[19], name);
		return 1;
	}
	return 0;
}

static int ds_run(rx_u64 id)
{
	struct drm_mode_card_res res = {0};
	const size_t res_plain = sizeof(res) - offsetof(struct drm_mode_card_res, count_fbs);
	struct ds_pl p = {.n = 0};
	uint32_t crtcs[8], conns[8], conn_id = 0, i;
	struct drm_mode_get_connector c;
	const size_t conn_plain = sizeof(c) - offsetof(struct drm_mode_get_connector, count_modes);
	struct drm_mode_modeinfo modes[64], mode;
	uint32_t props[64], cenc[8];
	uint64_t values[64];
	struct ds_buf b[2];
	int found = 0, k;

	ds_put(&p, &res.count_fbs, res_plain);
	if (ds_call(id, 0xA0, &p, "GETRESOURCES") < 0)
		return -1;
	memcpy(&res.count_fbs, p.b, res_plain);
	if (!res.count_crtcs || !res.count_connectors || res.count_crtcs > 8 || res.count_connectors > 8 ||
	    res.count_encoders > 8 || res.count_fbs > 8)
		DS_FAIL("GETRESOURCES: %u crtcs, %u connectors", res.count_crtcs, res.count_connectors);
	p.n = 0;
	ds_put(&p, &res.count_fbs, res_plain);
	ds_put(&p, NULL, 4 * (size_t)res.count_fbs);
	uint32_t *pcrtc = ds_put(&p, NULL, 4 * (size_t)res.count_crtcs);
	uint32_t *pconn = ds_put(&p, NULL, 4 * (size_t)res.count_connectors);
	ds_put(&p, NULL, 4 * (size_t)res.count_encoders);
	if (ds_call(id, 0xA0, &p, "GETRESOURCES") < 0)
		return -1;
	memcpy(crtcs, pcrtc, 4 * res.count_crtcs);
	memcpy(conns, pconn, 4 * res.count_connectors);
	memcpy(&res.count_fbs, p.b, res_plain);
	printf("drm-scheme-client: %u crtc(s), %u connector(s), %u encoder(s), modes %ux%u to %ux%u\n",
	       res.count_crtcs, res.count_connectors, res.count_encoders, res.min_width, res.min_height,
	       res.max_width, res.max_height);

	for (i = 0; i < res.count_connectors && !conn_id; i++) {
		memset(&c, 0, sizeof(c));
		c.connector_id = conns[i];
		p.n = 0; /* counts 0: the connector is probed (modes from EDID) */
		ds_put(&p, &c.count_modes, conn_plain);
		if (ds_call(id, 0xA7, &p, "GETCONNECTOR") < 0)
			return -1;
		memcpy(&c.count_modes, p.b, conn_plain);
		if (c.connection != 1)
			continue;
		if (c.count_modes > 64 || c.count_props > 64 || c.count_encoders > 8)
			DS_FAIL("GETCONNECTOR: %u modes, %u props", c.count_modes, c.count_props);
		p.n = 0; /* arrays: encoders, modes, props, prop_values */
		ds_put(&p, &c.count_modes, conn_plain);
		uint32_t *penc = ds_put(&p, NULL, 4 * (size_t)c.count_encoders);
		struct drm_mode_modeinfo *pmodes = ds_put(&p, NULL, sizeof(modes[0]) * c.count_modes);
		uint32_t *pprops = ds_put(&p, NULL, 4 * (size_t)c.count_props);
		uint64_t *pvals = ds_put(&p, NULL, 8 * (size_t)c.count_props);
		if (ds_call(id, 0xA7, &p, "GETCONNECTOR") < 0)
			return -1;
		memcpy(&c.count_modes, p.b, conn_plain);
		memcpy(cenc, penc, 4 * (size_t)c.count_encoders);
		memcpy(modes, pmodes, sizeof(modes[0]) * c.count_modes);
		memcpy(props, pprops, 4 * (size_t)c.count_props);
		memcpy(values, pvals, 8 * (size_t)c.count_props);
		conn_id = c.connector_id;
	}
	if (!conn_id)
		DS_FAIL("no connected connector");
	printf("drm-scheme-client: connector %u (type %u) connected, %u mode(s):", conn_id, c.connector_type,
	       c.count_modes);
	for (i = 0; i < c.count_modes; i++) {
		printf(" %s%s@%u", modes[i].name, modes[i].type & DRM_MODE_TYPE_PREFERRED ? "*" : "",
		       modes[i].vrefresh);
		if (!found && modes[i].hdisplay == ds_width && modes[i].vdisplay == ds_height) {
			mode = modes[i];
			found = 1;
		}
	}
	printf("\n");
	k = ds_edid(id, conn_id, c.count_props, props, values);
	if (k < 0)
		return -1;
	if (!k)
		DS_FAIL("connector %u has no EDID", conn_id);
	if (!found)
		DS_FAIL("no %dx%d mode on connector %u", ds_width, ds_height, conn_id);

	struct drm_mode_get_encoder enc = {.encoder_id = c.encoder_id ? c.encoder_id : cenc[0]};
	if (ds_plain(id, 0xA6, &enc, sizeof(enc), "GETENCODER") < 0)
		return -1;
	for (i = 0; i < res.count_crtcs && !(enc.possible_crtcs & (1u << i)); i++)
		;
	if (i == res.count_crtcs)
		DS_FAIL("encoder %u drives no crtc", enc.encoder_id);
	uint32_t crtc_id = crtcs[i];

	for (k = 0; k < 2; k++) {
		struct drm_mode_create_dumb cd = {.width = (uint32_t)ds_width, .height = (uint32_t)ds_height, .bpp = 32};
		struct drm_mode_fb_cmd2 fb = {.width = (uint32_t)ds_width, .height = (uint32_t)ds_height,
					      .pixel_format = DRM_FORMAT_XRGB8888};
		if (ds_plain(id, 0xB2, &cd, sizeof(cd), "CREATE_DUMB") < 0)
			return -1;
		b[k] = (struct ds_buf){.handle = cd.handle, .pitch = cd.pitch, .size = cd.size};
		fb.handles[0] = cd.handle;
		fb.pitches[0] = cd.pitch;
		if (ds_plain(id, 0xB8, &fb, sizeof(fb), "ADDFB2") < 0)
			return -1;
		b[k].fb = fb.fb_id;
		printf("drm-scheme-client: dumb buffer %u: pitch %u, %llu bytes, framebuffer %u\n", cd.handle, cd.pitch,
		       (unsigned long long)cd.size, fb.fb_id);
	}

	struct drm_mode_crtc set = {.count_connectors = 1, .crtc_id = crtc_id, .fb_id = b[0].fb, .mode_valid = 1,
				    .mode = mode};
	p.n = 0;
	ds_put(&p, &set.count_connectors, sizeof(set) - offsetof(struct drm_mode_crtc, count_connectors));
	ds_put(&p, &conn_id, 4);
	if (ds_call(id, 0xA2, &p, "SETCRTC") < 0)
		return -1;
	printf("drm-scheme-client: crtc %u set to %s on connector %u\n", crtc_id, mode.name, conn_id);
	if (ds_draw(id, &b[0], 1) < 0)
		return -1;

	struct drm_mode_crtc_page_flip flip = {.crtc_id = crtc_id, .fb_id = b[1].fb,
					       .flags = DRM_MODE_PAGE_FLIP_EVENT, .user_data = 0x6b7069};
	if (ds_plain(id, 0xB0, &flip, sizeof(flip), "PAGE_FLIP") < 0)
		return -1;
	union {
		struct drm_event base;
		struct drm_event_vblank vbl;
		char raw[128];
	} ev;
	long n = ds_req(RE_OP_READ, id, (rx_u64)(uintptr_t)&ev, sizeof(ev), ~0ull, 0);
	if (n < (long)sizeof(ev.vbl) || ev.base.type != DRM_EVENT_FLIP_COMPLETE || ev.vbl.user_data != 0x6b7069)
		DS_FAIL("no flip-complete event through the scheme (read %ld, type %u)", n, n > 0 ? ev.base.type : 0);
	printf("drm-scheme-client: flipped to framebuffer %u (event on crtc %u)\n", b[1].fb, ev.vbl.crtc_id);
	if (ds_draw(id, &b[1], 2) < 0)
		return -1;

	for (k = 0; k < 2; k++) {
		struct drm_mode_destroy_dumb dd = {.handle = b[k].handle};
		uint32_t fb_id = b[k].fb;
		if (ds_plain(id, 0xAF, &fb_id, sizeof(fb_id), "RMFB") < 0 ||
		    ds_plain(id, 0xB4, &dd, sizeof(dd), "DESTROY_DUMB") < 0)
			return -1;
	}
	printf("drm-scheme-client: buffers destroyed\n");
	return 0;
}

static int ds_main(void *arg)
{
	long id, id2, rc;
	(void)arg;
	id = ds_open("v2/1");
	if (id < 0)
		DS_FAIL("open %s:v2/1: %s", ds_scheme, strerror((int)-id));
	printf("drm-scheme-client: opened /scheme/%s/v2/1 (handle %ld)\n", ds_scheme, id);
	rc = ds_edges((rx_u64)id);
	if (!rc)
		rc = ds_run((rx_u64)id);
	/* CloseMsg takes no answer; an open queued behind it is answered after
	 * the runtime closed the file (requests run in order). */
	rx_u64 args[6] = {(rx_u64)id, 0, 0, 0, 0, 0};
	re_sched_request(ds_scheme, RE_OP_CLOSE, args);
	id2 = ds_open("v2/2");
	if (id2 < 0)
		DS_FAIL("open after close: %s", strerror((int)-id2));
	args[0] = (rx_u64)id2;
	re_sched_request(ds_scheme, RE_OP_CLOSE, args);
	kit_sleep_ns(100000000ull);
	if (!rc)
		printf("drm-scheme-client: done\n");
	fflush(stdout);
	return rc ? 1 : 0;
}

__attribute__((constructor)) static void ds_install(void)
{
	const char *spec = getenv("KPI_DRM_SCHEME_CLIENT");
	if (!spec || sscanf(spec, "%dx%d", &ds_width, &ds_height) != 2 || ds_width <= 0 || ds_height <= 0)
		return;
	ds_scheme = getenv("KPI_DRM_SCHEME") ? getenv("KPI_DRM_SCHEME") : "display.bochs-drm";
	kpi_drm_client_add("drm-scheme-client", ds_main, NULL);
}
