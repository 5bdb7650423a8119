/* rx_util_test.c: the Redox backend's pure helpers (runtime/host/redox/
 * rx_util.c) on the build machine: config offsets pcid accepts, narrow
 * config writes merged without clearing RW1C status bits, port BAR sizes,
 * MSI messages and aligned vector blocks, DMA mapping lengths, the network
 * scheme's name, user-scheme records and directory records. */
#include "rx_internal.h"
#include "ktest.h"

static void test_cfg(void)
{
	CHECK(rx_cfg_offset_ok(0x00, 0));
	CHECK(rx_cfg_offset_ok(0xfc, 0));
	CHECK(!rx_cfg_offset_ok(0x100, 0)); /* PCI 3.0 fallback: pcid asserts offset < 256 */
	CHECK(rx_cfg_offset_ok(0x100, 1));
	CHECK(rx_cfg_offset_ok(0xffc, 1));
	CHECK(!rx_cfg_offset_ok(0x1000, 1));
	CHECK(!rx_cfg_offset_ok(0x06, 1)); /* not dword-aligned */
	CHECK(rx_cfg_access_ok(0x06, 2, 0));
	CHECK(!rx_cfg_access_ok(0x05, 2, 0));
	CHECK(!rx_cfg_access_ok(0xfe, 4, 0));
	CHECK(!rx_cfg_access_ok(0x10, 3, 0));
	CHECK(rx_cfg_access_ok(0xff, 1, 0));
	CHECK(!rx_cfg_access_ok(0x100, 1, 0));

	CHECK_INT(rx_cfg_extract(0x12345678, 0x00, 4), 0x12345678);
	CHECK_INT(rx_cfg_extract(0x12345678, 0x02, 2), 0x1234);
	CHECK_INT(rx_cfg_extract(0x12345678, 0x03, 1), 0x12);
	CHECK_INT(rx_cfg_extract(0x12345678, 0x01, 1), 0x56);

	/* COMMAND byte write: the pending status bits (RW1C) must go out as 0. */
	CHECK_INT(rx_cfg_merge(0xfff80107, 0x04, 2, 0x0507), 0x00000507);
	CHECK_INT(rx_cfg_merge(0xfff80107, 0x04, 1, 0x03), 0x00000103);
	/* A status write clears exactly what it targets. */
	CHECK_INT(rx_cfg_merge(0xfff80107, 0x06, 2, 0x8000), 0x80000107);
	CHECK_INT(rx_cfg_merge(0xfff80107, 0x07, 1, 0x80), 0x80000107);
	CHECK_INT(rx_cfg_merge(0xfff80107, 0x06, 1, 0x10), 0x00100107);
	/* Elsewhere a plain read-modify-write. */
	CHECK_INT(rx_cfg_merge(0xaabbccdd, 0x3c, 1, 0x0b), 0xaabbcc0b);
	CHECK_INT(rx_cfg_merge(0xaabbccdd, 0x3e, 2, 0x1234), 0x1234ccdd);
	CHECK_INT(rx_cfg_merge(0xaabbccdd, 0x40, 4, 0x01020304), 0x01020304);
}

static void test_numbers(void)
{
	CHECK_INT(rx_parse_fd("7"), 7);
	CHECK_INT(rx_parse_fd("123"), 123);
	CHECK_INT(rx_parse_fd(""), -1);
	CHECK_INT(rx_parse_fd("-1"), -1);
	CHECK_INT(rx_parse_fd("7x"), -1);
	CHECK_INT(rx_parse_fd(0), -1);
	CHECK_INT(rx_parse_fd("99999999999"), -1);

	CHECK_INT(rx_port_bar_size(0xffffff01), 0x100);
	CHECK_INT(rx_port_bar_size(0x0000ff01), 0x100); /* 16-bit decoder */
	CHECK_INT(rx_port_bar_size(0xffffffe1), 0x20);
	CHECK_INT(rx_port_bar_size(0x00000001), 0);

	CHECK_INT(rx_msi_address(0), 0xfee00000ull);
	CHECK_INT(rx_msi_address(3), 0xfee03000ull);
	CHECK_INT(rx_msi_data(17), 49); /* cpu-00/17 is vector 49 = 0x31, as in the pcid vectors */

	CHECK_INT(rx_pow2_floor(1), 1);
	CHECK_INT(rx_pow2_floor(3), 2);
	CHECK_INT(rx_pow2_floor(8), 8);
	CHECK_INT(rx_pow2_floor(100), 32);

	CHECK_INT(rx_dma_map_len(1), 4096);
	CHECK_INT(rx_dma_map_len(4096), 4096);
	CHECK_INT(rx_dma_map_len(4097), 8192);
	CHECK_INT(rx_dma_map_len(3 * 4096), 4 * 4096); /* the kernel rounds to a power of two */
	CHECK_INT(rx_dma_map_len(0), 0);

	CHECK(rx_msix_table_ok(0, 4, 4096));
	CHECK(rx_msix_table_ok(0x800, 128, 4096));
	CHECK(!rx_msix_table_ok(0x800, 129, 4096));
	CHECK(!rx_msix_table_ok(0, 0, 4096));

	CHECK(rx_fw_name_ok("rtl_nic/rtl8168d-1.fw"));
	CHECK(rx_fw_name_ok("e100/d101m_ucode.bin"));
	CHECK(!rx_fw_name_ok("/etc/passwd"));
	CHECK(!rx_fw_name_ok("../x"));
	CHECK(!rx_fw_name_ok("a/../../x"));
	CHECK(!rx_fw_name_ok("a//b"));
	CHECK(!rx_fw_name_ok(""));
	CHECK(rx_fw_name_ok("..fw"));
}

static void test_msi_block(void)
{
	rx_u8 all[200];
	for (int i = 0; i < 200; i++)
		all[i] = (rx_u8)(16 + i);
	CHECK_INT(rx_msi_pick_block(all, 200, 1), 17); /* 16 is never freed again: last */
	CHECK_INT(rx_msi_pick_block(all, 200, 4), 20);
	CHECK_INT(rx_msi_pick_block(all, 200, 32), 32);
	CHECK_INT(rx_msi_pick_block(all, 1, 1), 16); /* only 16 left: take it */
	rx_u8 holes[] = {16, 17, 18, 20, 21, 22, 23, 24, 40, 41};
	CHECK_INT(rx_msi_pick_block(holes, 10, 4), 20);
	CHECK_INT(rx_msi_pick_block(holes, 10, 2), 20);
	CHECK_INT(rx_msi_pick_block(holes, 10, 8), -1);
	CHECK_INT(rx_msi_pick_block(holes, 10, 3), -1); /* not a power of two */
}

static void test_records(void)
{
	struct kpi_pci_info in;
	char name[96];
	memset(&in, 0, sizeof(in));
	in.bus = 0;
	in.slot = 3;
	CHECK_INT(rx_net_scheme_name(name, sizeof(name), &in, "8139too", 0), 0);
	CHECK_STR(name, "network.pci-0000-00-03.0_8139too");
	in.segment = 1;
	in.bus = 0x1a;
	in.slot = 0x1f;
	in.function = 7;
	CHECK_INT(rx_net_scheme_name(name, sizeof(name), &in, "e1000", 1), 0);
	CHECK_STR(name, "network.pci-0001-1a-1f.7_e1000-1");
	CHECK_INT(rx_net_scheme_name(name, 10, &in, "e1000", 0), -1);

	rx_u8 raw[64];
	for (int i = 0; i < 64; i++)
		raw[i] = (rx_u8)i;
	struct rx_sqe q;
	rx_sqe_decode(raw, &q);
	CHECK_INT(q.opcode, 0);
	CHECK_INT(q.sqe_flags, 1);
	CHECK_INT(q.tag, 0x07060504);
	CHECK_INT(q.args[0], 0x0f0e0d0c0b0a0908ull);
	CHECK_INT(q.args[5], 0x3736353433323130ull);
	CHECK_INT(q.caller, 0x3f3e3d3c3b3a3938ull);
	CHECK_INT(sizeof(struct rx_sqe), 64);
	CHECK_INT(sizeof(struct rx_cqe), 16);
	CHECK_INT(sizeof(struct rx_newfd_params), 32);
	CHECK_INT(sizeof(struct rx_stat), 104);
	CHECK_INT(sizeof(struct rx_event), 24);

	rx_u8 c[16];
	rx_cqe_encode(c, RX_CQE_RESPOND, RX_NEWFD_POSITIONED, 0x11223344, (rx_u64)-22);
	CHECK_INT(c[0], 0);
	CHECK_INT(c[1], 1);
	CHECK_INT(c[4], 0x44);
	CHECK_INT(c[7], 0x11);
	CHECK_INT(c[8], 0xea); /* -22 */
	CHECK_INT(c[15], 0xff);
	rx_cqe_encode(c, RX_CQE_SEND_FEVENT, 0, RX_EVENT_READ, 5);
	CHECK_INT(c[0], 2);
	CHECK_INT(c[4], 1);
	CHECK_INT(c[8], 5);

	/* Two directory records as the kernel's DirentBuf writes them. */
	rx_u8 d[64];
	rx_size len = 0, pos = 0;
	const char *names[] = {"17", "200"};
	for (int k = 0; k < 2; k++) {
		rx_size rl = RX_DIRENT_HDR + strlen(names[k]) + 1;
		memset(d + len, 0, RX_DIRENT_HDR);
		d[len + 16] = (rx_u8)rl;
		memcpy(d + len + RX_DIRENT_HDR, names[k], strlen(names[k]) + 1);
		len += rl;
	}
	CHECK_STR(rx_dirent_next(d, len, &pos), "17");
	CHECK_STR(rx_dirent_next(d, len, &pos), "200");
	CHECK(rx_dirent_next(d, len, &pos) == 0);
	pos = 0;
	CHECK(rx_dirent_next(d, 30, &pos) != 0);
	CHECK(rx_dirent_next(d, 30, &pos) == 0); /* second record cut off */
}

int main(void)
{
	test_cfg();
	test_numbers();
	test_msi_block();
	test_records();
	return KTEST_DONE();
}
