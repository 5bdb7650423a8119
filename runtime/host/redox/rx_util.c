/* rx_util.c: the Redox backend's pure helpers - numbers and byte layouts
 * with no OS access (config-space offsets and read-modify-write merges,
 * port BAR sizing, MSI messages and vector blocks, DMA mapping lengths,
 * scheme names, user-scheme records, directory records).  Kept apart so
 * tests/runtime/rx_util_test.c can check them on the build machine. */
#include "rx_internal.h"

long rx_parse_fd(const char *text)
{
	long v = 0;
	if (!text || !*text)
		return -1;
	for (const char *p = text; *p; p++) {
		if (*p < '0' || *p > '9' || v > 0x7fffffffL / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v <= 0x7fffffffL ? v : -1;
}

/* pcid asserts on a misaligned offset, one >= 4096 with memory-mapped
 * config space and one >= 256 without ([B] drivers/pcid/src/cfg_access/
 * mod.rs bus_addr_offset_in_dwords, fallback.rs address): never send one. */
int rx_cfg_offset_ok(rx_u32 offset, int ecam)
{
	return offset % 4 == 0 && offset < (ecam ? 4096u : 256u);
}

int rx_cfg_access_ok(rx_u32 offset, rx_u32 width, int ecam)
{
	if (width != 1 && width != 2 && width != 4)
		return 0;
	return offset % width == 0 && offset + width <= (ecam ? 4096u : 256u);
}

rx_u32 rx_cfg_extract(rx_u32 dword, rx_u32 offset, rx_u32 width)
{
	rx_u32 v = dword >> (8 * (offset & 3));
	return width >= 4 ? v : v & ((1u << (8 * width)) - 1);
}

rx_u32 rx_cfg_merge(rx_u32 old, rx_u32 offset, rx_u32 width, rx_u32 val)
{
	rx_u32 shift = 8 * (offset & 3);
	rx_u32 mask = width >= 4 ? 0xffffffffu : ((1u << (8 * width)) - 1) << shift;
	rx_u32 v = (old & ~mask) | ((val << shift) & mask);
	/* STATUS (0x06) is write-one-to-clear: writing back what we read would
	 * clear every pending bit.  Bits the write does not target go as 0. */
	if ((offset & ~3u) == 0x04)
		v &= ~(0xffff0000u & ~mask);
	return v;
}

rx_u32 rx_port_bar_size(rx_u32 readback)
{
	rx_u32 mask = readback & ~3u;
	if (!mask)
		return 0;
	if (!(mask & 0xffff0000u)) /* 16-bit decoders leave the upper half 0 */
		mask |= 0xffff0000u;
	return ~mask + 1;
}

/* [B] drivers/pcid/src/driver_interface/msi.rs x86::message_address
 * (redirect hint and logical mode off) and message_data_edge_triggered
 * (fixed delivery); irq_helpers.rs: the vector is the number + 32. */
rx_u64 rx_msi_address(rx_u32 apic_id)
{
	return 0xfee00000ull | (rx_u64)(apic_id & 0xff) << 12;
}

rx_u32 rx_msi_data(rx_u32 irq_number)
{
	return (irq_number + 32) & 0xff;
}

int rx_pow2_floor(int n)
{
	int p = 1;
	while (p * 2 <= n && p < 32)
		p *= 2;
	return p;
}

/* MSI with n vectors: the device puts the vector index into the low
 * log2(n) bits of the data, so the block must start at a multiple of n
 * (pcid refuses other data: [B] drivers/pcid/src/driver_handler.rs). */
int rx_msi_pick_block(const rx_u8 *free_nums, int nfree, int n)
{
	int fallback = -1;
	if (n < 1 || n > 32 || (n & (n - 1)))
		return -1;
	for (int i = 0; i + n <= nfree; i++) {
		int first = free_nums[i];
		if (first % n)
			continue;
		int ok = 1;
		for (int k = 1; k < n && ok; k++)
			ok = free_nums[i + k] == first + k;
		if (!ok)
			continue;
		/* [K] src/scheme/irq.rs close(): only numbers > 16 are freed. */
		if (first <= 16 && first + n > 16) {
			if (fallback < 0)
				fallback = first;
			continue;
		}
		return first;
	}
	return fallback;
}

rx_size rx_dma_map_len(rx_size size)
{
	if (!size || size > ((rx_size)1 << 40))
		return 0;
	rx_size pages = (size + RX_PAGE_SIZE - 1) / RX_PAGE_SIZE, p = 1;
	while (p < pages)
		p <<= 1;
	return p * RX_PAGE_SIZE;
}

/* [B] driver_interface/mod.rs PciFunction::name ("pci-" + the address
 * with ':' replaced by '-') and net/e1000d/src/main.rs (network.<name>_<drv>). */
int rx_net_scheme_name(char *buf, rx_size cap, const struct kpi_pci_info *in, const char *driver, int n)
{
	int len = n > 0 ? snprintf(buf, cap, "network.pci-%04x-%02x-%02x.%x_%s-%d", in->segment, in->bus, in->slot,
				   in->function, driver, n)
			: snprintf(buf, cap, "network.pci-%04x-%02x-%02x.%x_%s", in->segment, in->bus, in->slot,
				   in->function, driver);
	return len < 0 || (rx_size)len >= cap ? -1 : 0;
}

static rx_u64 rx_le(const rx_u8 *p, int bytes)
{
	rx_u64 v = 0;
	for (int i = 0; i < bytes; i++)
		v |= (rx_u64)p[i] << (8 * i);
	return v;
}

void rx_sqe_decode(const rx_u8 raw[64], struct rx_sqe *out)
{
	out->opcode = raw[0];
	out->sqe_flags = raw[1];
	out->rsvd = (rx_u16)rx_le(raw + 2, 2);
	out->tag = (rx_u32)rx_le(raw + 4, 4);
	for (int i = 0; i < 6; i++)
		out->args[i] = rx_le(raw + 8 + 8 * i, 8);
	out->caller = rx_le(raw + 56, 8);
}

void rx_cqe_encode(rx_u8 raw[16], rx_u8 op, rx_u8 extra0, rx_u32 tag, rx_u64 result)
{
	raw[0] = op & 7;
	raw[1] = extra0;
	raw[2] = raw[3] = 0;
	for (int i = 0; i < 4; i++)
		raw[4 + i] = (rx_u8)(tag >> (8 * i));
	for (int i = 0; i < 8; i++)
		raw[8 + i] = (rx_u8)(result >> (8 * i));
}

const char *rx_dirent_next(const rx_u8 *buf, rx_size len, rx_size *pos)
{
	if (*pos + RX_DIRENT_HDR > len)
		return 0;
	const rx_u8 *rec = buf + *pos;
	rx_size rlen = (rx_size)rx_le(rec + 16, 2);
	if (rlen <= RX_DIRENT_HDR || *pos + rlen > len || rec[rlen - 1] != 0)
		return 0;
	*pos += rlen;
	return (const char *)rec + RX_DIRENT_HDR;
}

int rx_msix_table_ok(rx_u32 table_offset, rx_u32 table_size, rx_u64 bar_size)
{
	return table_size > 0 && table_offset % 8 == 0 &&
	       (rx_u64)table_offset + (rx_u64)table_size * 16 <= bar_size;
}

int rx_fw_name_ok(const char *name)
{
	if (!name || !*name || name[0] == '/')
		return 0;
	for (const char *c = name; *c;) {
		const char *e = c;
		while (*e && *e != '/')
			e++;
		rx_size n = (rx_size)(e - c);
		if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c = *e ? e + 1 : e;
	}
	return 1;
}
