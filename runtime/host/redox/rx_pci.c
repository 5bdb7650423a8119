/* rx_pci.c: the PCI function behind PCID_CLIENT_CHANNEL - its description
 * (pcid's Config reply plus the config reads Config leaves out), claiming,
 * enabling without EnableDevice, 1/2/4-byte config access over pcid's
 * 32-bit ReadConfig/WriteConfig, BAR descriptions (port BARs sized once),
 * capability lookup, and stopping DMA on the way out.
 * Sources: [B] drivers/pcid-spawner/src/main.rs (it already sent
 * RequestConfig and EnableDevice before spawning us), drivers/pcid/src/
 * driver_interface/{mod,bar}.rs; redox-api.md sections 3 and 10. */
#include "rx_internal.h"

struct rx_func rx_fn;
static int rx_no_channel; /* PCID_CLIENT_CHANNEL was not set */

struct rx_func *rx_func_by_handle(int handle)
{
	return handle == 0 && rx_fn.present && rx_fn.opened ? &rx_fn : 0;
}

/* Memory BARs come from Config; the register itself says prefetchable
 * (Config drops that bit).  The expansion ROM becomes BAR 6. */
static void rx_fill_bars(struct rx_func *f)
{
	for (int i = 0; i < 6; i++) {
		const struct rxw_bar *b = &f->cfg.bars[i];
		struct kpi_pci_bar *o = &f->bars[i];
		rx_u32 reg = 0;
		switch (b->tag) {
		case RXW_BAR_MEM32:
		case RXW_BAR_MEM64:
			o->addr = b->addr;
			o->size = b->size;
			o->flags = KPI_BAR_MEM | (b->tag == RXW_BAR_MEM64 ? KPI_BAR_64 : 0);
			if (rx_chan_read(0x10 + 4 * (rx_u32)i, &reg) == 0 && (reg & 0x9) == 0x8)
				o->flags |= KPI_BAR_PREFETCH;
			break;
		case RXW_BAR_PORT:
			o->addr = b->addr;
			o->size = 0; /* sized at open (writes config space) */
			o->flags = KPI_BAR_IO;
			break;
		default:
			break;
		}
	}
	if (f->cfg.has_rom) {
		f->bars[6].addr = f->cfg.rom_addr;
		f->bars[6].size = f->cfg.rom_size;
		f->bars[6].flags = KPI_BAR_MEM;
	}
}

int rx_pci_init(void)
{
	const char *env = rx_getenv("PCID_CLIENT_CHANNEL");
	if (!env) {
		rx_no_channel = 1; /* --help and --list-ids still work; pci_count says why it is 0 */
		return 0;
	}
	rx.chan = rx_parse_fd(env);
	if (rx.chan < 0)
		rx_host_fail("kpi redox: PCID_CLIENT_CHANNEL=%s is not a file descriptor number", env);
	struct rxw_req req = {.tag = RXW_REQ_REQUEST_CONFIG};
	struct rxw_resp resp;
	/* A closed or foreign fd fails the write or the read: rx_host_fail. */
	rx_chan_call(&req, &resp);
	struct rx_func *f = &rx_fn;
	memset(f, 0, sizeof(*f));
	f->cfg = resp.config;
	f->present = 1;
	for (int i = 0; i < RX_MAX_VEC; i++)
		f->vec[i].fd = f->kept_fd[i] = -1;
	struct kpi_pci_info *in = &f->info;
	in->segment = f->cfg.segment;
	in->bus = f->cfg.bus;
	in->slot = f->cfg.dev;
	in->function = f->cfg.func;
	in->vendor = f->cfg.vendor;
	in->device = f->cfg.device;
	in->revision = f->cfg.revision;
	in->class_code = (kpi_u32)f->cfg.class_code << 16 | (kpi_u32)f->cfg.subclass << 8 | f->cfg.interface;
	in->irq_line = f->cfg.has_legacy_irq ? f->cfg.legacy_irq : 0xff;
	snprintf(in->name, sizeof(in->name), "%04x:%02x:%02x.%x", in->segment, in->bus, in->slot, in->function);
	rx_u32 v = 0;
	if (rx_chan_read(0x0c, &v) == 0 && ((v >> 16) & 0x7f) == 0 && rx_chan_read(0x2c, &v) == 0) {
		in->subvendor = (kpi_u16)v; /* type 0 header only: 0x2c is something else in bridges */
		in->subdevice = (kpi_u16)(v >> 16);
	}
	if (rx_chan_read(0x3c, &v) == 0) /* Config has no interrupt pin */
		in->irq_pin = (kpi_u8)(v >> 8);
	rx_fill_bars(f);
	return 0;
}

int kpi_host_pci_count(void)
{
	if (rx_no_channel) {
		static int said;
		if (!said++)
			kpi_host_log(KPI_LOG_ERR, "kpi redox: PCID_CLIENT_CHANNEL is not set: no PCI function to drive "
						  "(pcid-spawner starts this daemon with one)");
		return 0;
	}
	return rx_fn.present ? 1 : 0;
}

int kpi_host_pci_info(int index, struct kpi_pci_info *info)
{
	if (index != 0 || !rx_fn.present)
		return -KPI_ENODEV;
	*info = rx_fn.info;
	return 0;
}

/* Port BARs: Config carries only the base.  Size = what the all-ones
 * write reads back, with I/O decoding off meanwhile so the device never
 * answers at the probe address; then base and COMMAND are restored. */
static void rx_size_port_bars(struct rx_func *f)
{
	rx_u32 cmd = 0, orig = 0, probe = 0;
	if (f->ports_sized || rx_chan_read(0x04, &cmd) < 0)
		return;
	f->ports_sized = 1;
	cmd &= 0xffff; /* STATUS written as 0 (RW1C) */
	for (int i = 0; i < 6; i++) {
		if (!(f->bars[i].flags & KPI_BAR_IO))
			continue;
		rx_u32 reg = 0x10 + 4 * (rx_u32)i;
		if (rx_chan_write(0x04, cmd & ~0x1u) < 0 || rx_chan_read(reg, &orig) < 0 ||
		    rx_chan_write(reg, 0xffffffffu) < 0 || rx_chan_read(reg, &probe) < 0)
			continue;
		rx_chan_write(reg, orig);
		f->bars[i].size = rx_port_bar_size(probe);
	}
	rx_chan_write(0x04, cmd);
}

int kpi_host_pci_open(int index)
{
	if (index != 0 || !rx_fn.present)
		return -KPI_ENODEV;
	if (rx_fn.opened)
		return -KPI_EBUSY;
	/* The channel is ours already: pcid gives it to one process (ENOLCK). */
	rx_fn.opened = 1;
	rx_size_port_bars(&rx_fn);
	rx_logf(KPI_LOG_INFO, "kpi redox: %s [%04x:%04x] claimed through the pcid channel", rx_fn.info.name,
		rx_fn.info.vendor, rx_fn.info.device);
	return 0;
}

void kpi_host_pci_close(int handle)
{
	struct rx_func *f = rx_func_by_handle(handle);
	if (!f)
		return;
	kpi_host_irq_disable(handle);
	f->opened = 0; /* BAR mappings stay: pcid maps a BAR again on every mmap */
}

int kpi_host_pci_enable(int handle)
{
	struct rx_func *f = rx_func_by_handle(handle);
	rx_u32 cmd;
	if (!f)
		return -KPI_ENODEV;
	int rc = rx_chan_read(0x04, &cmd);
	if (rc < 0)
		return rc;
	if ((cmd & 0x7) == 0x7)
		return 0;
	/* I/O + memory decoding, bus master; STATUS half written as zero. */
	return rx_chan_write(0x04, (cmd | 0x7) & 0xffff);
}

int kpi_host_pci_cfg_read(int handle, kpi_u32 offset, kpi_u32 width, kpi_u32 *value)
{
	rx_u32 dword;
	if (!rx_func_by_handle(handle))
		return -KPI_ENODEV;
	if (!rx_cfg_access_ok(offset, width, 1))
		return -KPI_EINVAL;
	if (!rx_cfg_access_ok(offset, width, rx.ecam)) {
		*value = width >= 4 ? 0xffffffffu : (1u << (8 * width)) - 1;
		return -KPI_EIO; /* extended config: only with --ecam (pcid would crash without it) */
	}
	int rc = rx_chan_read(offset & ~3u, &dword);
	if (rc < 0)
		return rc;
	*value = rx_cfg_extract(dword, offset, width);
	return 0;
}

int kpi_host_pci_cfg_write(int handle, kpi_u32 offset, kpi_u32 width, kpi_u32 value)
{
	rx_u32 dword = 0;
	if (!rx_func_by_handle(handle))
		return -KPI_ENODEV;
	if (!rx_cfg_access_ok(offset, width, 1))
		return -KPI_EINVAL;
	if (!rx_cfg_access_ok(offset, width, rx.ecam))
		return -KPI_EIO;
	if (width < 4) {
		int rc = rx_chan_read(offset & ~3u, &dword);
		if (rc < 0)
			return rc;
	}
	return rx_chan_write(offset & ~3u, rx_cfg_merge(dword, offset, width, value));
}

int kpi_host_pci_bar(int handle, int bar, struct kpi_pci_bar *out)
{
	struct rx_func *f = rx_func_by_handle(handle);
	if (!f)
		return -KPI_ENODEV;
	if (bar < 0 || bar >= RX_NBARS)
		return -KPI_EINVAL;
	*out = f->bars[bar];
	return 0;
}

rx_u32 rx_pci_find_cap(rx_u8 id)
{
	rx_u32 v = 0, pos;
	if (rx_chan_read(0x04, &v) < 0 || !(v & (1u << 20))) /* STATUS: capability list */
		return 0;
	if (rx_chan_read(0x34, &v) < 0)
		return 0;
	pos = v & 0xfc;
	for (int guard = 0; pos >= 0x40 && guard < 48; guard++) {
		if (rx_chan_read(pos, &v) < 0)
			return 0;
		if ((v & 0xff) == id)
			return pos;
		pos = (v >> 8) & 0xfc;
	}
	return 0;
}

void rx_pci_stop_dma(void)
{
	static volatile int once;
	if (once || !rx_fn.present || !rx_fn.opened)
		return;
	once = 1;
	if (rx_chan_emergency() == 0)
		kpi_host_log(KPI_LOG_ERR, "kpi redox: bus mastering turned off");
}
