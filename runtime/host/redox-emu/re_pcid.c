/* re_pcid.c: the emulated pcid - the `pci` scheme (listing, per-function
 * directory, channel), the channel's request/reply state machine speaking
 * the bincode of rx_pcid_wire.c, the answers pcid's DriverHandler gives,
 * and BAR mmaps through the channel.  Behaviour follows Redox base at
 * 9dd6901d: drivers/pcid/src/{scheme.rs,driver_handler.rs,main.rs,
 * cfg_access/mod.rs}; where real pcid panics, this aborts with a message
 * (a test failure) instead of letting the backend continue. */
#define _GNU_SOURCE
#include "re_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct re_dev re_devs[RE_MAX_DEVS];
int re_ndevs;

rx_u32 re_cfg_read(struct re_dev *d, rx_u32 off)
{
	kpi_u32 v = 0xffffffffu;
	if (kpb_host_pci_cfg_read(d->handle, off, 4, &v) < 0)
		return 0xffffffffu;
	return v;
}

void re_cfg_write(struct re_dev *d, rx_u32 off, rx_u32 v)
{
	kpb_host_pci_cfg_write(d->handle, off, 4, v);
}

int re_pcid_build(void)
{
	int n = kpb_host_pci_count();
	re_ndevs = 0;
	for (int i = 0; i < n && re_ndevs < RE_MAX_DEVS; i++) {
		struct re_dev *d = &re_devs[re_ndevs];
		memset(d, 0, sizeof(*d));
		d->index = i;
		d->handle = -1;
		d->legacy_irq = -1;
		if (kpb_host_pci_info(i, &d->info) < 0)
			continue;
		snprintf(d->name, sizeof(d->name), "%04x--%02x--%02x.%x", d->info.segment, d->info.bus, d->info.slot,
			 d->info.function);
		re_ndevs++;
	}
	return re_ndevs;
}

/* Capability walk: offset of the first capability with id, 0 if none. */
static int find_cap(struct re_dev *d, int id)
{
	if (!(re_cfg_read(d, 0x04) >> 16 & 0x10))
		return 0;
	int off = (int)(re_cfg_read(d, 0x34) & 0xfc), guard = 0;
	while (off && guard++ < 48) {
		rx_u32 v = re_cfg_read(d, (rx_u32)off);
		if ((int)(v & 0xff) == id)
			return off;
		off = (int)(v >> 8 & 0xfc);
	}
	return 0;
}

int re_pcid_claim(struct re_dev *d)
{
	if (d->handle >= 0)
		return 0;
	int h = kpb_host_pci_open(d->index);
	if (h < 0)
		return h;
	d->handle = h;
	for (int b = 0; b < 7; b++)
		if (kpb_host_pci_bar(h, b, &d->bars[b]) < 0)
			memset(&d->bars[b], 0, sizeof(d->bars[b]));
	d->msi_cap = find_cap(d, 0x05);
	d->msix_cap = find_cap(d, 0x11);
	/* Can the backing deliver MSI / MSI-X at all (uio_pci_generic: no)?  A
	 * feature it cannot deliver is left out of AllFeatures (README). */
	if (d->msi_cap && kpb_host_irq_enable(h, KPI_IRQ_MSI, 1) > 0) {
		d->msi_ok = 1;
		kpb_host_irq_disable(h);
	}
	if (d->msix_cap && kpb_host_irq_enable(h, KPI_IRQ_MSIX, 1) > 0) {
		d->msix_ok = 1;
		kpb_host_irq_disable(h);
	}
	return 0;
}

/* pcid main.rs enable_function: memory/IO/bus master on, MSI and MSI-X
 * off (every time), interrupt line 0xff -> 9; the legacy line if a pin. */
static void enable_function(struct re_dev *d)
{
	rx_u32 cmd = re_cfg_read(d, 0x04);
	re_cfg_write(d, 0x04, cmd | 0x7); /* update_command writes the dword back as read */
	if (d->msi_cap)
		re_cfg_write(d, (rx_u32)d->msi_cap, re_cfg_read(d, (rx_u32)d->msi_cap) & ~(1u << 16));
	if (d->msix_cap)
		re_cfg_write(d, (rx_u32)d->msix_cap, re_cfg_read(d, (rx_u32)d->msix_cap) & ~(1u << 31));
	rx_u32 v = re_cfg_read(d, 0x3c);
	rx_u32 line = v & 0xff, pin = v >> 8 & 0xff;
	if (line == 0xff) {
		line = 9;
		re_cfg_write(d, 0x3c, (v & ~0xffu) | line);
	}
	d->legacy_irq = pin >= 1 && pin <= 4 ? (int)line : -1;
	re_irq_sync(d);
}

static struct re_dev *dev_by_name(const char *s, size_t n)
{
	for (int i = 0; i < re_ndevs; i++)
		if (strlen(re_devs[i].name) == n && !strncmp(re_devs[i].name, s, n))
			return &re_devs[i];
	return 0;
}

long re_pcid_open(const char *rest, rx_u32 flags)
{
	size_t len = strlen(rest);
	int expects_dir = (len && rest[len - 1] == '/') || (flags & RX_O_DIRECTORY);
	while (*rest == '/')
		rest++;
	len = strlen(rest);
	while (len && rest[len - 1] == '/')
		len--;
	int kind;
	struct re_dev *d = 0;
	if (!len) {
		kind = RE_K_PCI_TOP;
	} else {
		size_t an = strcspn(rest, "/");
		if (an > len)
			an = len;
		d = dev_by_name(rest, an);
		if (!d)
			return -RX_ENOENT;
		if (an == len) {
			kind = RE_K_PCI_DEV;
		} else if (len - an - 1 == 7 && !strncmp(rest + an + 1, "channel", 7)) {
			kind = RE_K_CHANNEL;
		} else {
			return -RX_ENOENT;
		}
	}
	if (kind == RE_K_CHANNEL && expects_dir)
		return -RX_ENOTDIR;
	if (kind != RE_K_CHANNEL && !expects_dir)
		return -RX_EISDIR;
	if (kind == RE_K_CHANNEL) {
		if (d->enabled)
			return -RX_ENOLCK; /* scheme.rs parse_after_pci_addr */
		int rc = re_pcid_claim(d);
		if (rc < 0) {
			re_log("pcid: cannot claim %s from the backing (%d)", d->name, rc);
			return -RX_EIO;
		}
		enable_function(d);
		d->enabled = 1;
	}
	struct re_handle *h = re_handle_new(kind, flags);
	if (!h)
		return -RX_ENOMEM;
	h->dev = d;
	return h->fd;
}

void re_pcid_close(struct re_handle *h)
{
	h->dev->enabled = 0; /* on_close: "TODO: Support disabling device" */
}

long re_pcid_getdents(struct re_handle *h, rx_u8 *buf, size_t len, rx_u64 opaque)
{
	size_t out = 0;
	int n = h->kind == RE_K_PCI_TOP ? re_ndevs : 1;
	for (rx_u64 i = opaque; i < (rx_u64)n; i++) {
		const char *name = h->kind == RE_K_PCI_TOP ? re_devs[i].name : "channel";
		long r = re_dirent(buf + out, len - out, i + 1, RE_DT_UNSPEC, name);
		if (r < 0)
			return r; /* DirentBuf::entry's EINVAL ends the whole call (scheme.rs getdents) */
		out += (size_t)r;
	}
	return (long)out;
}

/* ---- requests ---------------------------------------------------------------- */

static void config_reply(struct re_dev *d, struct rxw_config *c)
{
	c->segment = d->info.segment;
	c->bus = d->info.bus;
	c->dev = d->info.slot;
	c->func = d->info.function;
	for (int b = 0; b < 6; b++) {
		const struct kpi_pci_bar *k = &d->bars[b];
		struct rxw_bar *o = &c->bars[b];
		if (!k->size)
			o->tag = RXW_BAR_NONE;
		else if (k->flags & KPI_BAR_IO)
			*o = (struct rxw_bar){RXW_BAR_PORT, k->addr, 0};
		else /* the prefetch bit is dropped (main.rs handle_parsed_header) */
			*o = (struct rxw_bar){k->flags & KPI_BAR_64 ? RXW_BAR_MEM64 : RXW_BAR_MEM32, k->addr, k->size};
	}
	if (d->bars[6].size) {
		c->has_rom = 1;
		c->rom_addr = (rx_u32)d->bars[6].addr;
		c->rom_size = (rx_u32)d->bars[6].size;
		c->rom_enabled = re_cfg_read(d, 0x30) & 1;
	}
	if (d->legacy_irq >= 0) {
		c->has_legacy_irq = 1;
		c->legacy_irq = (rx_u8)d->legacy_irq;
	}
	c->vendor = d->info.vendor;
	c->device = d->info.device;
	c->class_code = (rx_u8)(d->info.class_code >> 16);
	c->subclass = (rx_u8)(d->info.class_code >> 8);
	c->interface = (rx_u8)d->info.class_code;
	c->revision = d->info.revision;
}

static int has_feature(struct re_dev *d, rx_u32 f)
{
	return f == RXW_FEAT_MSI ? d->msi_cap && d->msi_ok : d->msix_cap && d->msix_ok;
}

static void vendor_caps(struct re_dev *d, struct rxw_resp *r)
{
	if (!(re_cfg_read(d, 0x04) >> 16 & 0x10))
		return;
	int off = (int)(re_cfg_read(d, 0x34) & 0xfc), guard = 0;
	while (off && guard++ < 48) {
		rx_u32 v = re_cfg_read(d, (rx_u32)off);
		if ((v & 0xff) == 0x09 && r->nvcaps < RXW_MAX_VCAPS) {
			rx_u32 caplen = v >> 16 & 0xff, i = r->nvcaps++;
			if (caplen && (caplen <= 3 || caplen % 4))
				re_fail("pcid would crash (cap.rs: assert length > 3 && length %% 4 == 0): vendor "
					"capability at 0x%x has length %u",
					off, caplen);
			for (rx_u32 o = 0; caplen && o < caplen; o += 4) {
				rx_u32 w = re_cfg_read(d, (rx_u32)off + o);
				for (int b = 0; b < 4; b++)
					if (o + (rx_u32)b >= 3 && o + (rx_u32)b - 3 < RXW_MAX_VCAP_LEN)
						r->vcap[i][o + (rx_u32)b - 3] = (rx_u8)(w >> (8 * b));
			}
			r->vcap_len[i] = caplen ? caplen - 3 : 0;
		}
		off = (int)(v >> 8 & 0xfc);
	}
}

static void set_msi_enable(struct re_dev *d, int on)
{
	if (!d->msi_cap)
		return;
	rx_u32 v = re_cfg_read(d, (rx_u32)d->msi_cap);
	re_cfg_write(d, (rx_u32)d->msi_cap, on ? v | 1u << 16 : v & ~(1u << 16));
}

static void set_msix_enable(struct re_dev *d, int on)
{
	if (!d->msix_cap)
		return;
	rx_u32 v = re_cfg_read(d, (rx_u32)d->msix_cap);
	re_cfg_write(d, (rx_u32)d->msix_cap, on ? v | 1u << 31 : v & ~(1u << 31));
}

static void set_feature_info(struct re_dev *d, const struct rxw_set_feature *s, struct rxw_resp *r)
{
	int cap = s->feature == RXW_FEAT_MSI ? d->msi_cap : d->msix_cap;
	if (!cap || !has_feature(d, s->feature)) {
		r->tag = RXW_RESP_ERROR;
		r->error = RXW_ERR_NONEXISTENT_FEATURE;
		r->error_feature = s->feature;
		return;
	}
	rx_u32 ctl = re_cfg_read(d, (rx_u32)cap);
	if (s->feature == RXW_FEAT_MSIX) {
		if (s->has_fmask)
			re_cfg_write(d, (rx_u32)cap, s->fmask ? ctl | 1u << 30 : ctl & ~(1u << 30));
	} else {
		rx_u32 mmc = ctl >> 17 & 7, is64 = ctl >> 23 & 1, pvm = ctl >> 24 & 1;
		if (s->has_mme) {
			if (s->mme > mmc || s->mme > 5) {
				r->tag = RXW_RESP_ERROR;
				r->error = RXW_ERR_INVALID_BIT_PATTERN;
				return;
			}
			ctl = (ctl & ~(7u << 20)) | (rx_u32)s->mme << 20;
			re_cfg_write(d, (rx_u32)cap, ctl);
		}
		if (s->has_addr_data) {
			rx_u32 mme = ctl >> 20 & 7;
			if ((s->addr & 3) || (s->data & ((1u << mme) - 1))) {
				r->tag = RXW_RESP_ERROR;
				r->error = RXW_ERR_INVALID_BIT_PATTERN;
				return;
			}
			if (s->data > 0xffff)
				re_fail("pcid would crash (driver_handler.rs: \"pcid: MSI message data too big\"): "
					"data 0x%x",
					s->data);
			re_cfg_write(d, (rx_u32)cap + 4, (rx_u32)s->addr);
			if (is64)
				re_cfg_write(d, (rx_u32)cap + 8, (rx_u32)(s->addr >> 32));
			re_cfg_write(d, (rx_u32)cap + (is64 ? 12 : 8), s->data);
		}
		if (s->has_mask && pvm)
			re_cfg_write(d, (rx_u32)cap + (is64 ? 16 : 12), s->mask);
	}
	r->tag = RXW_RESP_SET_FEATURE_INFO;
	r->feature = s->feature;
}

static void check_offset(struct re_dev *d, const char *what, rx_u32 off)
{
	int ecam = re_w.is_sim || (int)kpb_host_pci_cfg_read(d->handle, 0x100, 4, &(kpi_u32){0}) == 0;
	if (off & 3)
		re_fail("pcid would crash (cfg_access: \"pcie offset not dword-aligned\"): %s(0x%x)", what, off);
	if (off >= 4096 || (!ecam && off >= 256))
		re_fail("pcid would crash (cfg_access: offset too large): %s(0x%x) with %u bytes of config space",
			what, off, ecam ? 4096u : 256u);
}

int re_pcid_respond(struct re_dev *d, const struct rxw_req *q, struct rxw_resp *r)
{
	memset(r, 0, sizeof(*r));
	switch (q->tag) {
	case RXW_REQ_ENABLE_DEVICE:
		enable_function(d);
		r->tag = RXW_RESP_ENABLED_DEVICE;
		break;
	case RXW_REQ_REQUEST_CONFIG:
		r->tag = RXW_RESP_CONFIG;
		config_reply(d, &r->config);
		break;
	case RXW_REQ_REQUEST_FEATURES: {
		r->tag = RXW_RESP_ALL_FEATURES;
		int first = d->msi_cap && d->msix_cap && d->msix_cap < d->msi_cap ? RXW_FEAT_MSIX : RXW_FEAT_MSI;
		for (int k = 0; k < 2; k++) {
			rx_u32 f = (rx_u32)(k ? !first : first);
			if (has_feature(d, f))
				r->features[r->nfeatures++] = f;
		}
		break;
	}
	case RXW_REQ_REQUEST_VENDOR_CAPS:
		r->tag = RXW_RESP_VENDOR_CAPS;
		vendor_caps(d, r);
		break;
	case RXW_REQ_ENABLE_FEATURE:
		/* driver_handler.rs: the other one is turned off first, even when
		 * the asked one does not exist. */
		if (q->feature == RXW_FEAT_MSI)
			set_msix_enable(d, 0);
		else
			set_msi_enable(d, 0);
		if (!has_feature(d, q->feature)) {
			r->tag = RXW_RESP_ERROR;
			r->error = RXW_ERR_NONEXISTENT_FEATURE;
			r->error_feature = q->feature;
			break;
		}
		if (q->feature == RXW_FEAT_MSI)
			set_msi_enable(d, 1);
		else
			set_msix_enable(d, 1);
		r->tag = RXW_RESP_FEATURE_ENABLED;
		r->feature = q->feature;
		break;
	case RXW_REQ_FEATURE_INFO: {
		int cap = q->feature == RXW_FEAT_MSI ? d->msi_cap : d->msix_cap;
		if (!cap || !has_feature(d, q->feature)) {
			r->tag = RXW_RESP_ERROR;
			r->error = RXW_ERR_NONEXISTENT_FEATURE;
			r->error_feature = q->feature;
			break;
		}
		rx_u32 ctl = re_cfg_read(d, (rx_u32)cap) >> 16;
		r->tag = RXW_RESP_FEATURE_INFO;
		r->feature = q->feature;
		if (q->feature == RXW_FEAT_MSI) {
			r->msi_mmc = (rx_u8)(ctl >> 1 & 7);
			r->msi_64 = (rx_u8)(ctl >> 7 & 1);
			r->msi_pvm = (rx_u8)(ctl >> 8 & 1);
		} else {
			rx_u32 t = re_cfg_read(d, (rx_u32)cap + 4), p = re_cfg_read(d, (rx_u32)cap + 8);
			r->msix_table_size = (rx_u16)((ctl & 0x7ff) + 1);
			r->msix_table_bar = (rx_u8)(t & 7);
			r->msix_table_offset = t & ~7u;
			r->msix_pba_bar = (rx_u8)(p & 7);
			r->msix_pba_offset = p & ~7u;
		}
		break;
	}
	case RXW_REQ_SET_FEATURE_INFO:
		set_feature_info(d, &q->set, r);
		break;
	case RXW_REQ_READ_CONFIG:
		check_offset(d, "ReadConfig", q->offset);
		r->tag = RXW_RESP_READ_CONFIG;
		r->value = re_cfg_read(d, q->offset);
		break;
	case RXW_REQ_WRITE_CONFIG:
		check_offset(d, "WriteConfig", q->offset);
		re_cfg_write(d, q->offset, q->value);
		r->tag = RXW_RESP_WRITE_CONFIG;
		break;
	default:
		return -RX_EINVAL;
	}
	re_irq_sync(d);
	return 0;
}

long re_pcid_write(struct re_handle *h, const void *buf, size_t len)
{
	if (h->reply)
		return -RX_EINVAL; /* ChannelState::AwaitingResponseRead */
	struct rxw_req req;
	const char *why = 0;
	if (rxw_decode_req(buf, len, &req, &why) < 0) {
		re_log("pcid: undecodable request (%zu bytes): %s", len, why ? why : "?");
		return -RX_EINVAL;
	}
	struct rxw_resp *resp = malloc(sizeof(*resp));
	rx_u8 *out = malloc(8 + 8 + 6 * 20 + 64 + RXW_MAX_VCAPS * (8 + RXW_MAX_VCAP_LEN));
	if (!resp || !out) {
		free(resp);
		free(out);
		return -RX_ENOMEM;
	}
	re_pcid_respond(h->dev, &req, resp);
	long n = rxw_encode_resp(resp, out, 8 + 8 + 6 * 20 + 64 + RXW_MAX_VCAPS * (8 + RXW_MAX_VCAP_LEN));
	free(resp);
	if (n < 0) {
		free(out);
		return -RX_EIO;
	}
	if (re_w.opt.verbose)
		re_log("pcid: %s -> %zu-byte reply", rxw_req_name(req.tag), (size_t)n);
	h->reply = out;
	h->reply_len = (size_t)n;
	h->reply_pos = 0;
	return (long)len;
}

long re_pcid_read(struct re_handle *h, void *buf, size_t len)
{
	if (!h->reply)
		return -RX_EINVAL; /* ChannelState::AwaitingData */
	size_t n = h->reply_len - h->reply_pos;
	if (n > len)
		n = len;
	memcpy(buf, h->reply + h->reply_pos, n);
	h->reply_pos += n;
	if (h->reply_pos == h->reply_len) {
		free(h->reply);
		h->reply = 0;
	}
	return (long)n;
}

long re_pcid_mmap(struct re_handle *h, size_t len, rx_u64 offset)
{
	(void)len;
	struct re_dev *d = h->dev;
	unsigned bir = (unsigned)(offset >> 61);
	unsigned memty = (unsigned)(offset >> 59 & 3);
	if (bir >= 6)
		re_fail("pcid would crash (scheme.rs mmap_prep indexes bars[%u]): BAR index %u in mmap offset 0x%llx",
			bir, bir, (unsigned long long)offset);
	const struct kpi_pci_bar *b = &d->bars[bir];
	if (!b->size || (b->flags & KPI_BAR_IO))
		return -RX_EINVAL; /* PciBar::Port | None */
	if (b->addr % RE_PAGE)
		return -RX_EINVAL; /* common::physmap -> kernel physmap: address not page-aligned */
	/* pcid physmaps the BAR again on every mmap and never unmaps. */
	d->map_count[bir]++;
	if (!d->mapped[bir]) {
		int rc = kpb_host_pci_map_bar(d->handle, (int)bir, memty == 2 ? KPI_MAP_WC : KPI_MAP_UC, &d->map[bir]);
		if (rc < 0)
			return -RX_EIO;
		d->mapped[bir] = 1;
	}
	return (long)((char *)d->map[bir].addr + (offset & ((1ull << 59) - 1)));
}

/* Is addr inside a BAR the backing mapped KPI_MAP_TRAPPED (a sim model's
 * registers: every access must reach the model)? */
int re_pcid_trapped(const volatile void *addr)
{
	for (int i = 0; i < re_ndevs; i++)
		for (int b = 0; b < 6; b++) {
			const struct kpi_pci_map *m = &re_devs[i].map[b];
			const char *p = (const char *)(uintptr_t)addr, *base = m->addr;
			if (re_devs[i].mapped[b] && (m->flags & KPI_MAP_TRAPPED) && p >= base && p < base + m->size)
				return 1;
		}
	return 0;
}

int re_bar_map_count(int bar)
{
	for (int i = 0; i < re_ndevs; i++)
		if (re_devs[i].enabled || re_devs[i].handle >= 0)
			return bar >= 0 && bar < 6 ? re_devs[i].map_count[bar] : -1;
	return -1;
}
