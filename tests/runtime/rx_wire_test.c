/* rx_wire_test.c: the pcid channel codec (runtime/host/redox/rx_pcid_wire.c)
 * against the byte-exact vectors of /work/shared/redox/pcid-bincode-vectors.txt
 * (path in argv[1]; exit 77 = skipped when the file is missing): every line
 * must decode, name the right message, and encode back to the same bytes.
 * Then hand-built error cases: every strict prefix, a trailing byte, unknown
 * tags, bad Option/bool bytes, a wrong length prefix, values without an
 * encoding and a too small output buffer. */
#include "rx_pcid_wire.h"

#include "ktest.h"

#include <stdlib.h>

#define MAXB 4096

struct vec {
	int is_req;
	char name[128];
	rx_u8 bytes[MAXB];
	size_t len;
};

/* One vectors line: DIR NAME... [N] HEX...; 1 if parsed, 0 for comments. */
static int parse_line(const char *line, struct vec *v)
{
	if (strncmp(line, "REQ ", 4) && strncmp(line, "RESP ", 5))
		return 0;
	v->is_req = line[1] == 'E' && line[2] == 'Q';
	const char *p = line + (v->is_req ? 4 : 5);
	while (*p == ' ')
		p++;
	const char *br = strstr(p, " [");
	if (!br) {
		fprintf(stderr, "bad vectors line (no [N]): %s", line);
		exit(1);
	}
	size_t nl = (size_t)(br - p);
	while (nl && p[nl - 1] == ' ')
		nl--;
	snprintf(v->name, sizeof(v->name), "%.*s", (int)nl, p);
	char *end;
	unsigned long want = strtoul(br + 2, &end, 10);
	if (*end != ']') {
		fprintf(stderr, "bad vectors line ([N]): %s", line);
		exit(1);
	}
	v->len = 0;
	p = end + 1;
	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p || *p == '\n')
			break;
		unsigned long b = strtoul(p, &end, 16);
		if (end == p || b > 255 || v->len >= MAXB) {
			fprintf(stderr, "bad vectors line (hex): %s", line);
			exit(1);
		}
		v->bytes[v->len++] = (rx_u8)b;
		p = end;
	}
	CHECK_INT(v->len, want);
	return 1;
}

/* "FeatureInfo(Msi,..." -> "FeatureInfo" */
static void base_name(const char *name, char *out, size_t cap)
{
	size_t n = strcspn(name, "(");
	snprintf(out, cap, "%.*s", (int)n, name);
}

static struct rxw_resp resp, resp2;

static void check_vector(const struct vec *v)
{
	rx_u8 out[MAXB];
	char base[128];
	base_name(v->name, base, sizeof(base));
	const char *why = 0;
	if (v->is_req) {
		struct rxw_req req;
		long n = rxw_decode_req(v->bytes, v->len, &req, &why);
		if (n != (long)v->len)
			fprintf(stderr, "REQ %s: decode %ld (%s)\n", v->name, n, why ? why : "");
		CHECK_INT(n, v->len);
		CHECK_STR(rxw_req_name(req.tag), base);
		long m = rxw_encode_req(&req, out, sizeof(out));
		CHECK_INT(m, v->len);
		CHECK(m == (long)v->len && memcmp(out, v->bytes, v->len) == 0);
		/* every strict prefix and one trailing byte are refused */
		for (size_t k = 0; k < v->len; k++) {
			why = 0;
			CHECK_INT(rxw_decode_req(v->bytes, k, &req, &why), -RX_EINVAL);
			CHECK(why && strlen(why) > 10);
		}
		rx_u8 longer[MAXB + 1];
		memcpy(longer, v->bytes, v->len);
		longer[v->len] = 0;
		why = 0;
		CHECK_INT(rxw_decode_req(longer, v->len + 1, &req, &why), -RX_EINVAL);
		CHECK(why && strstr(why, "trailing") && strstr(why, base) == why);
		/* too small an output buffer */
		CHECK_INT(rxw_encode_req(&req, out, v->len - 1), -RX_ENOSPC);
		if (!strcmp(v->name, "SetFeatureInfo(Msi{0,{fee00000,0x31},None})")) {
			CHECK(req.set.feature == RXW_FEAT_MSI && req.set.has_mme && req.set.mme == 0);
			CHECK(req.set.has_addr_data && req.set.addr == 0xfee00000u && req.set.data == 0x31);
			CHECK(!req.set.has_mask);
		}
		if (!strcmp(v->name, "WriteConfig(0x04,0x00100007)"))
			CHECK(req.offset == 4 && req.value == 0x00100007);
		printf("ok REQ  %s\n", v->name);
		return;
	}
	CHECK(v->len >= 8);
	rx_u64 prefix = 0;
	for (int i = 0; i < 8; i++)
		prefix |= (rx_u64)v->bytes[i] << (8 * i);
	CHECK_INT(prefix, v->len - 8);
	long n = rxw_decode_resp(v->bytes + 8, v->len - 8, &resp, &why);
	if (n != (long)v->len - 8)
		fprintf(stderr, "RESP %s: decode %ld (%s)\n", v->name, n, why ? why : "");
	CHECK_INT(n, v->len - 8);
	CHECK_STR(rxw_resp_name(resp.tag), base);
	CHECK_INT(rxw_decode_resp_framed(v->bytes, v->len, &resp2, &why), v->len);
	long m = rxw_encode_resp(&resp, out, sizeof(out));
	CHECK_INT(m, v->len);
	CHECK(m == (long)v->len && memcmp(out, v->bytes, v->len) == 0);
	for (size_t k = 8; k < v->len; k++) {
		why = 0;
		CHECK_INT(rxw_decode_resp(v->bytes + 8, k - 8, &resp2, &why), -RX_EINVAL);
		CHECK(why && strlen(why) > 10);
	}
	rx_u8 longer[MAXB + 1];
	memcpy(longer, v->bytes, v->len);
	longer[v->len] = 0;
	why = 0;
	CHECK_INT(rxw_decode_resp(longer + 8, v->len - 7, &resp2, &why), -RX_EINVAL);
	CHECK(why && strstr(why, "trailing") && strstr(why, base) == why);
	/* framed: a length prefix that disagrees */
	longer[0]++;
	why = 0;
	CHECK_INT(rxw_decode_resp_framed(longer, v->len, &resp2, &why), -RX_EINVAL);
	CHECK(why && strstr(why, "length prefix"));
	CHECK_INT(rxw_encode_resp(&resp, out, v->len - 1), -RX_ENOSPC);
	if (!strcmp(v->name, "Config(8139 example)")) { /* the decoded values, not only the round trip */
		const struct rxw_config *c = &resp.config;
		CHECK(c->segment == 0 && c->bus == 0 && c->dev == 3 && c->func == 0);
		CHECK(c->bars[0].tag == RXW_BAR_PORT && c->bars[0].addr == 0xc000);
		CHECK(c->bars[1].tag == RXW_BAR_MEM32 && c->bars[1].addr == 0xfebf1000u && c->bars[1].size == 0x100);
		CHECK(c->bars[4].tag == RXW_BAR_MEM64 && c->bars[4].addr == 0xfe000000ull && c->bars[4].size == 0x4000);
		CHECK(c->has_rom && c->rom_addr == 0xfeb80000u && c->rom_size == 0x40000 && !c->rom_enabled);
		CHECK(c->has_legacy_irq && c->legacy_irq == 11 && !c->has_irq_phandle);
		CHECK(c->vendor == 0x10ec && c->device == 0x8139 && c->class_code == 2 && c->revision == 0x20);
	}
	if (!strcmp(v->name, "FeatureInfo(MsiX,{bar1,0x0,size 3,bar1,0x800})"))
		CHECK(resp.msix_table_bar == 1 && resp.msix_table_size == 3 && resp.msix_pba_offset == 0x800);
	printf("ok RESP %s\n", v->name);
}

/* Decode bytes given as a request/response and expect EINVAL with a
 * message containing `what`. */
static void expect_req_err(const rx_u8 *b, size_t len, const char *what)
{
	struct rxw_req req;
	const char *why = 0;
	CHECK_INT(rxw_decode_req(b, len, &req, &why), -RX_EINVAL);
	if (!why || !strstr(why, what))
		fprintf(stderr, "request error \"%s\", expected it to mention \"%s\"\n", why ? why : "(none)", what);
	CHECK(why && strstr(why, what));
}

static void expect_resp_err(const rx_u8 *b, size_t len, const char *what)
{
	const char *why = 0;
	CHECK_INT(rxw_decode_resp(b, len, &resp2, &why), -RX_EINVAL);
	if (!why || !strstr(why, what))
		fprintf(stderr, "response error \"%s\", expected it to mention \"%s\"\n", why ? why : "(none)", what);
	CHECK(why && strstr(why, what));
}

static void hand_built_errors(void)
{
	static const rx_u8 unknown_req[] = {9, 0, 0, 0};
	expect_req_err(unknown_req, sizeof(unknown_req), "unknown PcidClientRequest");
	static const rx_u8 bad_feat[] = {4, 0, 0, 0, 2, 0, 0, 0};
	expect_req_err(bad_feat, sizeof(bad_feat), "EnableFeature: unknown PciFeature");
	static const rx_u8 bad_opt[] = {6, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0};
	expect_req_err(bad_opt, sizeof(bad_opt), "multi_message_enable Option tag");
	static const rx_u8 bad_opt2[] = {6, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0};
	expect_req_err(bad_opt2, sizeof(bad_opt2), "message_address_and_data Option tag");
	static const rx_u8 bad_bool[] = {6, 0, 0, 0, 1, 0, 0, 0, 1, 2};
	expect_req_err(bad_bool, sizeof(bad_bool), "function_mask bool");
	static const rx_u8 bad_sfi[] = {6, 0, 0, 0, 5, 0, 0, 0};
	expect_req_err(bad_sfi, sizeof(bad_sfi), "SetFeatureInfo: unknown SetFeatureInfo tag");
	static const rx_u8 short_rc[] = {7, 0, 0, 0, 0x2c};
	expect_req_err(short_rc, sizeof(short_rc), "ReadConfig: body ends inside the u16 offset");

	static const rx_u8 unknown_resp[] = {11, 0, 0, 0};
	expect_resp_err(unknown_resp, sizeof(unknown_resp), "unknown PcidClientResponse");
	static const rx_u8 bad_fs[] = {5, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0};
	expect_resp_err(bad_fs, sizeof(bad_fs), "unknown FeatureStatus tag");
	static const rx_u8 bad_err[] = {6, 0, 0, 0, 2, 0, 0, 0};
	expect_resp_err(bad_err, sizeof(bad_err), "PcidServerResponseError tag");
	static const rx_u8 bad_msi_bool[] = {7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0};
	expect_resp_err(bad_msi_bool, sizeof(bad_msi_bool), "is_64bit bool");
	static const rx_u8 mixed_info[] = {7, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
	expect_resp_err(mixed_info, sizeof(mixed_info), "differs from the PciFeature");
	static const rx_u8 many_feat[] = {2, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0};
	expect_resp_err(many_feat, sizeof(many_feat), "AllFeatures: more features");
	static const rx_u8 huge_vec[] = {3, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	expect_resp_err(huge_vec, sizeof(huge_vec), "VendorCapabilities: more capabilities");

	/* Config with a bad BAR tag in bars[2] and a bad rom Option byte. */
	rx_u8 cfg[64];
	size_t n = 0;
	memset(cfg, 0, sizeof(cfg));
	cfg[n] = 1, n += 4;  /* Config */
	n += 5;              /* address */
	n += 8;              /* bars 0, 1: None */
	cfg[n] = 9, n += 4;  /* bars[2]: tag 9 */
	expect_resp_err(cfg, n + 40, "bars[2] has an unknown PciBar tag");
	cfg[n - 4] = 0;
	n += 12;             /* bars 2..4: None */
	cfg[n] = 2;          /* rom Option tag 2 */
	expect_resp_err(cfg, n + 20, "rom Option tag");
	cfg[n] = 0;
	cfg[n + 1] = 1;      /* legacy_interrupt_line Some */
	cfg[n + 3] = 5;      /* phandled Option tag 5 */
	expect_resp_err(cfg, n + 20, "legacy_interrupt_line.phandled Option tag");

	/* Encoders refuse values with no encoding. */
	rx_u8 out[256];
	struct rxw_req req = {.tag = 12};
	CHECK_INT(rxw_encode_req(&req, out, sizeof(out)), -RX_EINVAL);
	req = (struct rxw_req){.tag = RXW_REQ_ENABLE_FEATURE, .feature = 2};
	CHECK_INT(rxw_encode_req(&req, out, sizeof(out)), -RX_EINVAL);
	req = (struct rxw_req){.tag = RXW_REQ_SET_FEATURE_INFO, .set = {.feature = 1, .has_fmask = 1, .fmask = 2}};
	CHECK_INT(rxw_encode_req(&req, out, sizeof(out)), -RX_EINVAL);
	memset(&resp, 0, sizeof(resp));
	resp.tag = RXW_RESP_CONFIG;
	resp.config.bars[1] = (struct rxw_bar){RXW_BAR_MEM32, 0x100000000ull, 0x1000};
	CHECK_INT(rxw_encode_resp(&resp, out, sizeof(out)), -RX_EINVAL);
	resp.config.bars[1] = (struct rxw_bar){RXW_BAR_PORT, 0x10000, 0};
	CHECK_INT(rxw_encode_resp(&resp, out, sizeof(out)), -RX_EINVAL);
	resp.config.bars[1] = (struct rxw_bar){RXW_BAR_MEM64, 0x100000000ull, 0x1000};
	CHECK_INT(rxw_encode_resp(&resp, out, sizeof(out)), 8 + 4 + 5 + 20 + 20 + 1 + 1 + 8);
	CHECK_INT(rxw_encode_resp(&resp, out, 7), -RX_ENOSPC);
	memset(&resp, 0, sizeof(resp));
	resp.tag = RXW_RESP_ALL_FEATURES;
	resp.nfeatures = RXW_MAX_FEATURES + 1;
	CHECK_INT(rxw_encode_resp(&resp, out, sizeof(out)), -RX_EINVAL);
	CHECK_STR(rxw_req_name(99), "(unknown request)");
	CHECK_STR(rxw_resp_name(RXW_RESP_WRITE_CONFIG), "WriteConfig");
	const char *why = 0;
	CHECK_INT(rxw_decode_resp_framed(out, 5, &resp2, &why), -RX_EINVAL);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: rx_wire_test pcid-bincode-vectors.txt\n");
		return 2;
	}
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		printf("SKIP: %s not found\n", argv[1]);
		return 77;
	}
	static struct vec v;
	char line[16384];
	int nvec = 0, nreq = 0;
	while (fgets(line, sizeof(line), f)) {
		if (!parse_line(line, &v))
			continue;
		nvec++;
		nreq += v.is_req;
		check_vector(&v);
	}
	fclose(f);
	CHECK(nvec >= 20);
	CHECK(nreq >= 5 && nvec - nreq >= 5);
	printf("%d vectors (%d requests)\n", nvec, nreq);
	hand_built_errors();
	return KTEST_DONE();
}
