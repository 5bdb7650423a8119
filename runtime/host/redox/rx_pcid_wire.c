/* rx_pcid_wire.c: the bincode-1 codec of the pcid channel messages
 * declared in rx_pcid_wire.h.  Layout follows the serde derives of Redox
 * base's pcid driver_interface at 9dd6901d (drivers/pcid/src/
 * driver_interface/{mod,bar,msi,cap,id}.rs): fields in declaration order,
 * little-endian fixed-width integers, u32 enum variant tags, u8 Option
 * tags (0 None, 1 Some), bool as one byte 0/1, Vec as a u64 count then
 * the elements, usize as u64.  Checked byte-exact against
 * /work/shared/redox/pcid-bincode-vectors.txt by tests/runtime/rx_wire_test.c.
 *
 * Freestanding on purpose (no libc header, no memcpy): the same object is
 * linked into the relibc build of the Redox backend and into the emulated
 * pcid.  Decoding is strict where bincode 1 is strict (bad Option tag, bad
 * bool, unknown variant, short body) and stricter where a lax decoder would
 * hide a bug: trailing bytes are an error, and a FeatureInfo whose info
 * variant differs from its feature is refused (pcid never sends one). */
#include "rx_pcid_wire.h"

/* ---- writer ------------------------------------------------------------ */

struct wr {
	rx_u8 *buf;
	rx_size cap, len;
	int full; /* a put did not fit */
};

static void put_le(struct wr *w, rx_u64 v, unsigned bytes)
{
	if (w->full || w->cap - w->len < bytes) {
		w->full = 1;
		return;
	}
	for (unsigned i = 0; i < bytes; i++)
		w->buf[w->len++] = (rx_u8)(v >> (8 * i));
}

static void put8(struct wr *w, rx_u64 v) { put_le(w, v, 1); }
static void put16(struct wr *w, rx_u64 v) { put_le(w, v, 2); }
static void put32(struct wr *w, rx_u64 v) { put_le(w, v, 4); }
static void put64(struct wr *w, rx_u64 v) { put_le(w, v, 8); }

/* ---- reader ------------------------------------------------------------ */

struct rd {
	const rx_u8 *buf;
	rx_size len, pos;
	const char *err; /* first error, a static message */
};

/* Read `bytes` little-endian bytes; on a short body record `what` (which
 * names the message and the field being read) and return 0. */
static rx_u64 get_le(struct rd *r, unsigned bytes, const char *what)
{
	if (r->err)
		return 0;
	if (r->len - r->pos < bytes) {
		r->err = what;
		return 0;
	}
	rx_u64 v = 0;
	for (unsigned i = 0; i < bytes; i++)
		v |= (rx_u64)r->buf[r->pos++] << (8 * i);
	return v;
}

static rx_u8 get8(struct rd *r, const char *what) { return (rx_u8)get_le(r, 1, what); }
static rx_u16 get16(struct rd *r, const char *what) { return (rx_u16)get_le(r, 2, what); }
static rx_u32 get32(struct rd *r, const char *what) { return (rx_u32)get_le(r, 4, what); }
static rx_u64 get64(struct rd *r, const char *what) { return get_le(r, 8, what); }

static void fail(struct rd *r, const char *why)
{
	if (!r->err)
		r->err = why;
}

/* An Option tag or a bool: bincode 1 accepts exactly 0 and 1. */
static rx_u8 get01(struct rd *r, const char *shortmsg, const char *badmsg)
{
	rx_u8 v = get8(r, shortmsg);
	if (v > 1)
		fail(r, badmsg);
	return v;
}

static void zero(void *p, rx_size n)
{
	volatile rx_u8 *b = p; /* volatile: keep the compiler from emitting memset */
	for (rx_size i = 0; i < n; i++)
		b[i] = 0;
}

/* Finish a decode: the whole body must have been consumed. */
static long finish(struct rd *r, const char **why, const char *trailing)
{
	if (!r->err && r->pos != r->len)
		r->err = trailing ? trailing : "pcid message: trailing bytes";
	if (r->err) {
		if (why)
			*why = r->err;
		return -RX_EINVAL;
	}
	return (long)r->pos;
}

static long done(const struct wr *w)
{
	return w->full ? -RX_ENOSPC : (long)w->len;
}

/* ---- names ------------------------------------------------------------- */

const char *rxw_req_name(rx_u32 tag)
{
	static const char *const names[] = {"EnableDevice", "RequestConfig", "RequestFeatures",
					    "RequestVendorCapabilities", "EnableFeature", "FeatureInfo",
					    "SetFeatureInfo", "ReadConfig", "WriteConfig"};
	return tag < sizeof(names) / sizeof(names[0]) ? names[tag] : "(unknown request)";
}

const char *rxw_resp_name(rx_u32 tag)
{
	static const char *const names[] = {"EnabledDevice", "Config", "AllFeatures", "VendorCapabilities",
					    "FeatureEnabled", "FeatureStatus", "Error", "FeatureInfo",
					    "SetFeatureInfo", "ReadConfig", "WriteConfig"};
	return tag < sizeof(names) / sizeof(names[0]) ? names[tag] : "(unknown response)";
}

/* finish() messages for bytes left over after a complete message. */
static const char *const req_trailing[] = {
	"EnableDevice: trailing bytes after the message", "RequestConfig: trailing bytes after the message",
	"RequestFeatures: trailing bytes after the message",
	"RequestVendorCapabilities: trailing bytes after the message",
	"EnableFeature: trailing bytes after the message", "FeatureInfo: trailing bytes after the message",
	"SetFeatureInfo: trailing bytes after the message", "ReadConfig: trailing bytes after the message",
	"WriteConfig: trailing bytes after the message",
};
static const char *const resp_trailing[] = {
	"EnabledDevice: trailing bytes after the message", "Config: trailing bytes after the message",
	"AllFeatures: trailing bytes after the message", "VendorCapabilities: trailing bytes after the message",
	"FeatureEnabled: trailing bytes after the message", "FeatureStatus: trailing bytes after the message",
	"Error: trailing bytes after the message", "FeatureInfo: trailing bytes after the message",
	"SetFeatureInfo: trailing bytes after the message", "ReadConfig: trailing bytes after the message",
	"WriteConfig: trailing bytes after the message",
};

/* ---- requests ---------------------------------------------------------- */

static int bad01(rx_u8 v)
{
	return v > 1;
}

long rxw_encode_req(const struct rxw_req *req, rx_u8 *buf, rx_size cap)
{
	struct wr w = {buf, cap, 0, 0};
	put32(&w, req->tag);
	switch (req->tag) {
	case RXW_REQ_ENABLE_DEVICE:
	case RXW_REQ_REQUEST_CONFIG:
	case RXW_REQ_REQUEST_FEATURES:
	case RXW_REQ_REQUEST_VENDOR_CAPS:
		break;
	case RXW_REQ_ENABLE_FEATURE:
	case RXW_REQ_FEATURE_INFO:
		if (req->feature > RXW_FEAT_MSIX)
			return -RX_EINVAL;
		put32(&w, req->feature);
		break;
	case RXW_REQ_SET_FEATURE_INFO: {
		const struct rxw_set_feature *s = &req->set;
		if (s->feature == RXW_FEAT_MSI) {
			if (bad01(s->has_mme) || bad01(s->has_addr_data) || bad01(s->has_mask))
				return -RX_EINVAL;
			put32(&w, RXW_FEAT_MSI);
			put8(&w, s->has_mme);
			if (s->has_mme)
				put8(&w, s->mme);
			put8(&w, s->has_addr_data);
			if (s->has_addr_data) {
				put64(&w, s->addr);
				put32(&w, s->data);
			}
			put8(&w, s->has_mask);
			if (s->has_mask)
				put32(&w, s->mask);
		} else if (s->feature == RXW_FEAT_MSIX) {
			if (bad01(s->has_fmask) || (s->has_fmask && bad01(s->fmask)))
				return -RX_EINVAL;
			put32(&w, RXW_FEAT_MSIX);
			put8(&w, s->has_fmask);
			if (s->has_fmask)
				put8(&w, s->fmask);
		} else {
			return -RX_EINVAL;
		}
		break;
	}
	case RXW_REQ_READ_CONFIG:
		put16(&w, req->offset);
		break;
	case RXW_REQ_WRITE_CONFIG:
		put16(&w, req->offset);
		put32(&w, req->value);
		break;
	default:
		return -RX_EINVAL;
	}
	return done(&w);
}

static rx_u32 get_feature(struct rd *r, const char *shortmsg, const char *badmsg)
{
	rx_u32 f = get32(r, shortmsg);
	if (f > RXW_FEAT_MSIX)
		fail(r, badmsg);
	return f;
}

long rxw_decode_req(const rx_u8 *buf, rx_size len, struct rxw_req *req, const char **why)
{
	struct rd r = {buf, len, 0, 0};
	zero(req, sizeof(*req));
	req->tag = get32(&r, "request: body shorter than the u32 variant tag");
	switch (req->tag) {
	case RXW_REQ_ENABLE_DEVICE:
	case RXW_REQ_REQUEST_CONFIG:
	case RXW_REQ_REQUEST_FEATURES:
	case RXW_REQ_REQUEST_VENDOR_CAPS:
		break;
	case RXW_REQ_ENABLE_FEATURE:
		req->feature = get_feature(&r, "EnableFeature: body ends inside the PciFeature tag",
					   "EnableFeature: unknown PciFeature tag (0 Msi, 1 MsiX)");
		break;
	case RXW_REQ_FEATURE_INFO:
		req->feature = get_feature(&r, "FeatureInfo: body ends inside the PciFeature tag",
					   "FeatureInfo: unknown PciFeature tag (0 Msi, 1 MsiX)");
		break;
	case RXW_REQ_SET_FEATURE_INFO: {
		struct rxw_set_feature *s = &req->set;
		s->feature = get_feature(&r, "SetFeatureInfo: body ends inside the SetFeatureInfo tag",
					 "SetFeatureInfo: unknown SetFeatureInfo tag (0 Msi, 1 MsiX)");
		if (r.err)
			break;
		if (s->feature == RXW_FEAT_MSI) {
			s->has_mme = get01(&r, "SetFeatureInfo(Msi): body ends before multi_message_enable",
					   "SetFeatureInfo(Msi): multi_message_enable Option tag is not 0 or 1");
			if (s->has_mme)
				s->mme = get8(&r, "SetFeatureInfo(Msi): body ends inside multi_message_enable");
			s->has_addr_data =
				get01(&r, "SetFeatureInfo(Msi): body ends before message_address_and_data",
				      "SetFeatureInfo(Msi): message_address_and_data Option tag is not 0 or 1");
			if (s->has_addr_data) {
				s->addr = get64(&r, "SetFeatureInfo(Msi): body ends inside message_address_and_data.addr");
				s->data = get32(&r, "SetFeatureInfo(Msi): body ends inside message_address_and_data.data");
			}
			s->has_mask = get01(&r, "SetFeatureInfo(Msi): body ends before mask_bits",
					    "SetFeatureInfo(Msi): mask_bits Option tag is not 0 or 1");
			if (s->has_mask)
				s->mask = get32(&r, "SetFeatureInfo(Msi): body ends inside mask_bits");
		} else {
			s->has_fmask = get01(&r, "SetFeatureInfo(MsiX): body ends before function_mask",
					     "SetFeatureInfo(MsiX): function_mask Option tag is not 0 or 1");
			if (s->has_fmask)
				s->fmask = get01(&r, "SetFeatureInfo(MsiX): body ends inside function_mask",
						 "SetFeatureInfo(MsiX): function_mask bool is not 0 or 1");
		}
		break;
	}
	case RXW_REQ_READ_CONFIG:
		req->offset = get16(&r, "ReadConfig: body ends inside the u16 offset");
		break;
	case RXW_REQ_WRITE_CONFIG:
		req->offset = get16(&r, "WriteConfig: body ends inside the u16 offset");
		req->value = get32(&r, "WriteConfig: body ends inside the u32 value");
		break;
	default:
		fail(&r, "request: unknown PcidClientRequest variant tag (0..8)");
	}
	return finish(&r, why, req->tag <= RXW_REQ_WRITE_CONFIG ? req_trailing[req->tag] : 0);
}

/* ---- responses: Config (PciFunction) ------------------------------------ */

static int encode_config(struct wr *w, const struct rxw_config *c)
{
	put16(w, c->segment);
	put8(w, c->bus);
	put8(w, c->dev);
	put8(w, c->func);
	for (int i = 0; i < 6; i++) {
		const struct rxw_bar *b = &c->bars[i];
		put32(w, b->tag);
		switch (b->tag) {
		case RXW_BAR_NONE:
			break;
		case RXW_BAR_MEM32:
			if (b->addr > 0xffffffffull || b->size > 0xffffffffull)
				return -RX_EINVAL;
			put32(w, b->addr);
			put32(w, b->size);
			break;
		case RXW_BAR_MEM64:
			put64(w, b->addr);
			put64(w, b->size);
			break;
		case RXW_BAR_PORT:
			if (b->addr > 0xffff)
				return -RX_EINVAL;
			put16(w, b->addr);
			break;
		default:
			return -RX_EINVAL;
		}
	}
	if (bad01(c->has_rom) || bad01(c->has_legacy_irq) || bad01(c->has_irq_phandle))
		return -RX_EINVAL;
	put8(w, c->has_rom);
	if (c->has_rom) {
		if (bad01(c->rom_enabled))
			return -RX_EINVAL;
		put32(w, c->rom_addr);
		put32(w, c->rom_size);
		put8(w, c->rom_enabled);
	}
	put8(w, c->has_legacy_irq);
	if (c->has_legacy_irq) {
		put8(w, c->legacy_irq);
		put8(w, c->has_irq_phandle);
		if (c->has_irq_phandle) {
			put32(w, c->phandle);
			for (int i = 0; i < 3; i++)
				put32(w, c->phandle_spec[i]);
			put64(w, c->phandle_extra);
		}
	}
	put16(w, c->vendor);
	put16(w, c->device);
	put8(w, c->class_code);
	put8(w, c->subclass);
	put8(w, c->interface);
	put8(w, c->revision);
	return 0;
}

static const char *const bar_short[6] = {
	"Config: body ends inside bars[0]", "Config: body ends inside bars[1]", "Config: body ends inside bars[2]",
	"Config: body ends inside bars[3]", "Config: body ends inside bars[4]", "Config: body ends inside bars[5]",
};
static const char *const bar_badtag[6] = {
	"Config: bars[0] has an unknown PciBar tag (0..3)", "Config: bars[1] has an unknown PciBar tag (0..3)",
	"Config: bars[2] has an unknown PciBar tag (0..3)", "Config: bars[3] has an unknown PciBar tag (0..3)",
	"Config: bars[4] has an unknown PciBar tag (0..3)", "Config: bars[5] has an unknown PciBar tag (0..3)",
};

static void decode_config(struct rd *r, struct rxw_config *c)
{
	c->segment = get16(r, "Config: body ends inside addr.segment");
	c->bus = get8(r, "Config: body ends inside addr.bus");
	c->dev = get8(r, "Config: body ends inside addr.device");
	c->func = get8(r, "Config: body ends inside addr.function");
	for (int i = 0; i < 6 && !r->err; i++) {
		struct rxw_bar *b = &c->bars[i];
		b->tag = get32(r, bar_short[i]);
		switch (b->tag) {
		case RXW_BAR_NONE:
			break;
		case RXW_BAR_MEM32:
			b->addr = get32(r, bar_short[i]);
			b->size = get32(r, bar_short[i]);
			break;
		case RXW_BAR_MEM64:
			b->addr = get64(r, bar_short[i]);
			b->size = get64(r, bar_short[i]);
			break;
		case RXW_BAR_PORT:
			b->addr = get16(r, bar_short[i]);
			break;
		default:
			fail(r, bar_badtag[i]);
		}
	}
	c->has_rom = get01(r, "Config: body ends before rom", "Config: rom Option tag is not 0 or 1");
	if (c->has_rom) {
		c->rom_addr = get32(r, "Config: body ends inside rom.addr");
		c->rom_size = get32(r, "Config: body ends inside rom.size");
		c->rom_enabled = get01(r, "Config: body ends inside rom.enabled", "Config: rom.enabled bool is not 0 or 1");
	}
	c->has_legacy_irq = get01(r, "Config: body ends before legacy_interrupt_line",
				  "Config: legacy_interrupt_line Option tag is not 0 or 1");
	if (c->has_legacy_irq) {
		c->legacy_irq = get8(r, "Config: body ends inside legacy_interrupt_line.irq");
		c->has_irq_phandle = get01(r, "Config: body ends before legacy_interrupt_line.phandled",
					   "Config: legacy_interrupt_line.phandled Option tag is not 0 or 1");
		if (c->has_irq_phandle) {
			c->phandle = get32(r, "Config: body ends inside legacy_interrupt_line.phandled");
			for (int i = 0; i < 3; i++)
				c->phandle_spec[i] = get32(r, "Config: body ends inside legacy_interrupt_line.phandled");
			c->phandle_extra = get64(r, "Config: body ends inside legacy_interrupt_line.phandled");
		}
	}
	c->vendor = get16(r, "Config: body ends inside full_device_id.vendor_id");
	c->device = get16(r, "Config: body ends inside full_device_id.device_id");
	c->class_code = get8(r, "Config: body ends inside full_device_id.class");
	c->subclass = get8(r, "Config: body ends inside full_device_id.subclass");
	c->interface = get8(r, "Config: body ends inside full_device_id.interface");
	c->revision = get8(r, "Config: body ends inside full_device_id.revision");
}

/* ---- responses ------------------------------------------------------------ */

long rxw_encode_resp(const struct rxw_resp *resp, rx_u8 *buf, rx_size cap)
{
	if (cap < 8)
		return -RX_ENOSPC;
	struct wr w = {buf + 8, cap - 8, 0, 0};
	put32(&w, resp->tag);
	switch (resp->tag) {
	case RXW_RESP_ENABLED_DEVICE:
	case RXW_RESP_WRITE_CONFIG:
		break;
	case RXW_RESP_CONFIG: {
		int rc = encode_config(&w, &resp->config);
		if (rc < 0)
			return rc;
		break;
	}
	case RXW_RESP_ALL_FEATURES:
		if (resp->nfeatures > RXW_MAX_FEATURES)
			return -RX_EINVAL;
		put64(&w, resp->nfeatures);
		for (rx_u32 i = 0; i < resp->nfeatures; i++) {
			if (resp->features[i] > RXW_FEAT_MSIX)
				return -RX_EINVAL;
			put32(&w, resp->features[i]);
		}
		break;
	case RXW_RESP_VENDOR_CAPS:
		if (resp->nvcaps > RXW_MAX_VCAPS)
			return -RX_EINVAL;
		put64(&w, resp->nvcaps);
		for (rx_u32 i = 0; i < resp->nvcaps; i++) {
			if (resp->vcap_len[i] > RXW_MAX_VCAP_LEN)
				return -RX_EINVAL;
			put64(&w, resp->vcap_len[i]);
			for (rx_u32 j = 0; j < resp->vcap_len[i]; j++)
				put8(&w, resp->vcap[i][j]);
		}
		break;
	case RXW_RESP_FEATURE_ENABLED:
	case RXW_RESP_SET_FEATURE_INFO:
		if (resp->feature > RXW_FEAT_MSIX)
			return -RX_EINVAL;
		put32(&w, resp->feature);
		break;
	case RXW_RESP_FEATURE_STATUS:
		if (resp->feature > RXW_FEAT_MSIX || resp->status > 1)
			return -RX_EINVAL;
		put32(&w, resp->feature);
		put32(&w, resp->status);
		break;
	case RXW_RESP_ERROR:
		put32(&w, resp->error);
		if (resp->error == RXW_ERR_NONEXISTENT_FEATURE) {
			if (resp->error_feature > RXW_FEAT_MSIX)
				return -RX_EINVAL;
			put32(&w, resp->error_feature);
		} else if (resp->error != RXW_ERR_INVALID_BIT_PATTERN) {
			return -RX_EINVAL;
		}
		break;
	case RXW_RESP_FEATURE_INFO:
		/* FeatureInfo(PciFeature, PciFeatureInfo): the feature, then the
		 * info enum whose variant pcid always makes the same. */
		put32(&w, resp->feature);
		put32(&w, resp->feature);
		if (resp->feature == RXW_FEAT_MSI) {
			if (bad01(resp->msi_64) || bad01(resp->msi_pvm))
				return -RX_EINVAL;
			put8(&w, resp->msi_mmc);
			put8(&w, resp->msi_64);
			put8(&w, resp->msi_pvm);
		} else if (resp->feature == RXW_FEAT_MSIX) {
			put8(&w, resp->msix_table_bar);
			put32(&w, resp->msix_table_offset);
			put16(&w, resp->msix_table_size);
			put8(&w, resp->msix_pba_bar);
			put32(&w, resp->msix_pba_offset);
		} else {
			return -RX_EINVAL;
		}
		break;
	case RXW_RESP_READ_CONFIG:
		put32(&w, resp->value);
		break;
	default:
		return -RX_EINVAL;
	}
	if (w.full)
		return -RX_ENOSPC;
	struct wr pre = {buf, 8, 0, 0};
	put64(&pre, w.len);
	return (long)(w.len + 8);
}

long rxw_decode_resp(const rx_u8 *body, rx_size len, struct rxw_resp *resp, const char **why)
{
	struct rd r = {body, len, 0, 0};
	zero(resp, sizeof(*resp));
	resp->tag = get32(&r, "response: body shorter than the u32 variant tag");
	switch (resp->tag) {
	case RXW_RESP_ENABLED_DEVICE:
	case RXW_RESP_WRITE_CONFIG:
		break;
	case RXW_RESP_CONFIG:
		decode_config(&r, &resp->config);
		break;
	case RXW_RESP_ALL_FEATURES: {
		rx_u64 n = get64(&r, "AllFeatures: body ends inside the Vec length");
		if (n > RXW_MAX_FEATURES) {
			fail(&r, "AllFeatures: more features than RXW_MAX_FEATURES");
			break;
		}
		resp->nfeatures = (rx_u32)n;
		for (rx_u32 i = 0; i < resp->nfeatures; i++)
			resp->features[i] = get_feature(&r, "AllFeatures: body ends inside a PciFeature",
							"AllFeatures: unknown PciFeature tag (0 Msi, 1 MsiX)");
		break;
	}
	case RXW_RESP_VENDOR_CAPS: {
		rx_u64 n = get64(&r, "VendorCapabilities: body ends inside the Vec length");
		if (n > RXW_MAX_VCAPS) {
			fail(&r, "VendorCapabilities: more capabilities than RXW_MAX_VCAPS");
			break;
		}
		resp->nvcaps = (rx_u32)n;
		for (rx_u32 i = 0; i < resp->nvcaps && !r.err; i++) {
			rx_u64 l = get64(&r, "VendorCapabilities: body ends inside a data length");
			if (l > RXW_MAX_VCAP_LEN) {
				fail(&r, "VendorCapabilities: data longer than RXW_MAX_VCAP_LEN");
				break;
			}
			resp->vcap_len[i] = (rx_u32)l;
			for (rx_u32 j = 0; j < l; j++)
				resp->vcap[i][j] = get8(&r, "VendorCapabilities: body ends inside data");
		}
		break;
	}
	case RXW_RESP_FEATURE_ENABLED:
		resp->feature = get_feature(&r, "FeatureEnabled: body ends inside the PciFeature",
					    "FeatureEnabled: unknown PciFeature tag (0 Msi, 1 MsiX)");
		break;
	case RXW_RESP_SET_FEATURE_INFO:
		resp->feature = get_feature(&r, "SetFeatureInfo: body ends inside the PciFeature",
					    "SetFeatureInfo: unknown PciFeature tag (0 Msi, 1 MsiX)");
		break;
	case RXW_RESP_FEATURE_STATUS:
		resp->feature = get_feature(&r, "FeatureStatus: body ends inside the PciFeature",
					    "FeatureStatus: unknown PciFeature tag (0 Msi, 1 MsiX)");
		resp->status = get32(&r, "FeatureStatus: body ends inside the FeatureStatus");
		if (resp->status > 1)
			fail(&r, "FeatureStatus: unknown FeatureStatus tag (0 Enabled, 1 Disabled)");
		break;
	case RXW_RESP_ERROR:
		resp->error = get32(&r, "Error: body ends inside the PcidServerResponseError tag");
		if (resp->error == RXW_ERR_NONEXISTENT_FEATURE)
			resp->error_feature = get_feature(&r, "Error(NonexistentFeature): body ends inside the PciFeature",
							  "Error(NonexistentFeature): unknown PciFeature tag");
		else if (resp->error != RXW_ERR_INVALID_BIT_PATTERN)
			fail(&r, "Error: unknown PcidServerResponseError tag (0 NonexistentFeature, 1 InvalidBitPattern)");
		break;
	case RXW_RESP_FEATURE_INFO: {
		resp->feature = get_feature(&r, "FeatureInfo: body ends inside the PciFeature",
					    "FeatureInfo: unknown PciFeature tag (0 Msi, 1 MsiX)");
		rx_u32 info = get_feature(&r, "FeatureInfo: body ends inside the PciFeatureInfo tag",
					  "FeatureInfo: unknown PciFeatureInfo tag (0 Msi, 1 MsiX)");
		if (r.err)
			break;
		if (info != resp->feature) {
			fail(&r, "FeatureInfo: the PciFeatureInfo variant differs from the PciFeature");
			break;
		}
		if (info == RXW_FEAT_MSI) {
			resp->msi_mmc = get8(&r, "FeatureInfo(Msi): body ends inside log2_multiple_message_capable");
			resp->msi_64 = get01(&r, "FeatureInfo(Msi): body ends inside is_64bit",
					     "FeatureInfo(Msi): is_64bit bool is not 0 or 1");
			resp->msi_pvm = get01(&r, "FeatureInfo(Msi): body ends inside has_per_vector_masking",
					      "FeatureInfo(Msi): has_per_vector_masking bool is not 0 or 1");
		} else {
			resp->msix_table_bar = get8(&r, "FeatureInfo(MsiX): body ends inside table_bar");
			resp->msix_table_offset = get32(&r, "FeatureInfo(MsiX): body ends inside table_offset");
			resp->msix_table_size = get16(&r, "FeatureInfo(MsiX): body ends inside table_size");
			resp->msix_pba_bar = get8(&r, "FeatureInfo(MsiX): body ends inside pba_bar");
			resp->msix_pba_offset = get32(&r, "FeatureInfo(MsiX): body ends inside pba_offset");
		}
		break;
	}
	case RXW_RESP_READ_CONFIG:
		resp->value = get32(&r, "ReadConfig: body ends inside the u32 value");
		break;
	default:
		fail(&r, "response: unknown PcidClientResponse variant tag (0..10)");
	}
	return finish(&r, why, resp->tag <= RXW_RESP_WRITE_CONFIG ? resp_trailing[resp->tag] : 0);
}

long rxw_decode_resp_framed(const rx_u8 *buf, rx_size len, struct rxw_resp *resp, const char **why)
{
	struct rd r = {buf, len, 0, 0};
	rx_u64 body = get64(&r, "response: shorter than the 8-byte length prefix");
	if (!r.err && body != len - 8)
		r.err = "response: the 8-byte length prefix differs from the body length";
	if (r.err) {
		zero(resp, sizeof(*resp));
		if (why)
			*why = r.err;
		return -RX_EINVAL;
	}
	long n = rxw_decode_resp(buf + 8, len - 8, resp, why);
	return n < 0 ? n : n + 8;
}
