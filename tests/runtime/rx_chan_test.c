/* rx_chan_test.c: the Redox backend's PCI side against scripted pcid
 * replies (rx_fake_sys.c): what kpi_host_init asks pcid and how the info
 * comes out, argv handling, config access over 32-bit ReadConfig/
 * WriteConfig, the requests that must never be sent, broken replies ending
 * the daemon with a message naming the request, legacy interrupts
 * (report, ack, stale ack), MSI with an aligned vector block (a count
 * that is no power of two rounded up inside, the caller getting what it
 * asked for) and MSI-X through the BAR's single mapping. */
#include "rx_internal.h"
#include "rx_test_util.h"

static int nreq(void)
{
	struct rxw_req r[256];
	return fk_chan_requests(r, 256);
}

static struct rxw_req req_at(int i)
{
	struct rxw_req r[256];
	fk_chan_requests(r, 256);
	return r[i];
}

static void t_init_info(void)
{
	CHECK_INT(bring_up(), 0);
	struct rxw_req r[16];
	int n = fk_chan_requests(r, 16);
	CHECK_INT(n, 6);
	CHECK_INT(r[0].tag, RXW_REQ_REQUEST_CONFIG);
	CHECK_INT(r[1].offset, 0x0c);
	CHECK_INT(r[2].offset, 0x2c);
	CHECK_INT(r[3].offset, 0x3c);
	CHECK_INT(r[4].offset, 0x14);
	CHECK_INT(r[5].offset, 0x18);
	for (int i = 0; i < n; i++)
		CHECK(r[i].tag != RXW_REQ_ENABLE_DEVICE);
	CHECK_INT(kpi_host_pci_count(), 1);
	struct kpi_pci_info in;
	CHECK_INT(kpi_host_pci_info(0, &in), 0);
	CHECK_STR(in.name, "0000:00:03.0");
	CHECK_INT(in.vendor, 0x10ec);
	CHECK_INT(in.device, 0x8139);
	CHECK_INT(in.subvendor, 0x1af4);
	CHECK_INT(in.subdevice, 0x1100);
	CHECK_INT(in.class_code, 0x020000);
	CHECK_INT(in.revision, 0x20);
	CHECK_INT(in.irq_line, 11);
	CHECK_INT(in.irq_pin, 1);
	CHECK(fk_find("/scheme/memory/scheme-root") >= 0);
	CHECK(fk_find("/scheme/event") >= 0);

	script_open();
	CHECK_INT(kpi_host_pci_open(0), 0);
	CHECK_INT(kpi_host_pci_open(0), -KPI_EBUSY);
	struct kpi_pci_bar b;
	CHECK_INT(kpi_host_pci_bar(0, 0, &b), 0);
	CHECK_INT(b.addr, 0xc000);
	CHECK_INT(b.size, 0x100);
	CHECK_INT(b.flags, KPI_BAR_IO);
	CHECK_INT(kpi_host_pci_bar(0, 1, &b), 0);
	CHECK_INT(b.flags, KPI_BAR_MEM);
	CHECK_INT(kpi_host_pci_bar(0, 2, &b), 0);
	CHECK_INT(b.flags, KPI_BAR_MEM | KPI_BAR_64 | KPI_BAR_PREFETCH);
	CHECK_INT(b.size, 0x4000);
	/* Sizing: decode off with STATUS as 0, all-ones, restore. */
	CHECK_INT(req_at(7).tag, RXW_REQ_WRITE_CONFIG);
	CHECK_INT(req_at(7).offset, 0x04);
	CHECK_INT(req_at(7).value, 0x0006);
	CHECK_INT(req_at(9).value, 0xffffffffu);
	CHECK_INT(req_at(11).offset, 0x10);
	CHECK_INT(req_at(11).value, 0xc001);
	CHECK_INT(req_at(12).offset, 0x04);
	CHECK_INT(req_at(12).value, 0x0007);
}

static void t_argv_and_no_channel(void)
{
	static char a0[] = "./e1000", a1[] = "--no-sandbox", a2[] = "copybreak=64", a3[] = "--ecam";
	char *argv[] = {a0, a1, a2, a3, 0};
	int argc = 4;
	fk_reset();
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION, &argc, argv), 0);
	CHECK_INT(argc, 2);
	CHECK_STR(argv[1], "copybreak=64");
	CHECK(argv[2] == 0);
	CHECK_INT(kpi_host_pci_count(), 0);
	CHECK(strstr(fk_stderr(), "PCID_CLIENT_CHANNEL is not set") != 0);
	CHECK_INT(kpi_host_init(KPI_HOST_VERSION + 1, &argc, argv), -KPI_EINVAL);
}

static void t_bad_channel_env(void)
{
	char *argv[] = {0};
	int argc = 0;
	fk_reset();
	fk_setenv("PCID_CLIENT_CHANNEL", "seven");
	CHECK_INT(EXPECT_EXIT(kpi_host_init(KPI_HOST_VERSION, &argc, argv)), RX_EXIT_HOST);
	CHECK(strstr(fk_stderr(), "PCID_CLIENT_CHANNEL=seven") != 0);
	/* A number, but no channel behind it: the first write fails. */
	fk_reset();
	fk_setenv("PCID_CLIENT_CHANNEL", "12");
	CHECK_INT(EXPECT_EXIT(kpi_host_init(KPI_HOST_VERSION, &argc, argv)), RX_EXIT_HOST);
	CHECK(strstr(fk_stderr(), "RequestConfig") != 0);
}

static void t_config_access(void)
{
	CHECK_INT(bring_up(), 0);
	script_open();
	CHECK_INT(kpi_host_pci_open(0), 0);
	int base = nreq();
	kpi_u32 v = 0;
	rc_reply(0x813910ec);
	CHECK_INT(kpi_host_pci_cfg_read(0, 0x02, 2, &v), 0);
	CHECK_INT(v, 0x8139);
	CHECK_INT(req_at(base).offset, 0x00);
	/* Narrow COMMAND write: STATUS (RW1C) goes out as zero. */
	rc_reply(0xfff80007);
	wc_reply();
	CHECK_INT(kpi_host_pci_cfg_write(0, 0x04, 2, 0x0107), 0);
	CHECK_INT(req_at(base + 2).tag, RXW_REQ_WRITE_CONFIG);
	CHECK_INT(req_at(base + 2).value, 0x00000107);
	/* Extended config space without --ecam, misaligned: never sent. */
	int before = nreq();
	CHECK_INT(kpi_host_pci_cfg_read(0, 0x100, 4, &v), -KPI_EIO);
	CHECK_INT(v, 0xffffffffu);
	CHECK_INT(kpi_host_pci_cfg_read(0, 0x03, 2, &v), -KPI_EINVAL);
	CHECK_INT(kpi_host_pci_cfg_write(0, 0x1000, 4, 0), -KPI_EINVAL);
	struct rxw_req en = {.tag = RXW_REQ_ENABLE_DEVICE};
	struct rxw_resp resp;
	CHECK_INT(rx_chan_call(&en, &resp), -KPI_EINVAL);
	struct rxw_req bad = {.tag = RXW_REQ_READ_CONFIG, .offset = 0x102};
	CHECK_INT(rx_chan_call(&bad, &resp), -KPI_EINVAL);
	CHECK_INT(nreq(), before);
	/* Enabling: COMMAND bits 0-2 by read-modify-write, never EnableDevice. */
	rc_reply(0x02100000);
	wc_reply();
	CHECK_INT(kpi_host_pci_enable(0), 0);
	CHECK_INT(req_at(before + 1).value, 0x0007);
	rc_reply(0x02100007);
	CHECK_INT(kpi_host_pci_enable(0), 0); /* already on: nothing written */
	CHECK_INT(nreq(), before + 3);
}

static void t_broken_replies(void)
{
	CHECK_INT(bring_up(), 0);
	script_open();
	CHECK_INT(kpi_host_pci_open(0), 0);
	kpi_u32 v;
	/* Length prefix 12 for an 8-byte ReadConfig body. */
	unsigned char longer[20] = {12, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0xec, 0x10, 0x39, 0x81, 1, 2, 3, 4};
	fk_chan_reply_raw(longer, sizeof(longer));
	CHECK_INT(EXPECT_EXIT(kpi_host_pci_cfg_read(0, 0, 4, &v)), RX_EXIT_HOST);
	CHECK(strstr(fk_stderr(), "ReadConfig") != 0);
	/* An unknown response tag. */
	fk_fds[CHAN_FD].in_pos = fk_fds[CHAN_FD].in_len;
	unsigned char unknown[16] = {8, 0, 0, 0, 0, 0, 0, 0, 0x63, 0, 0, 0, 0, 0, 0, 0};
	fk_chan_reply_raw(unknown, sizeof(unknown));
	CHECK_INT(EXPECT_EXIT(kpi_host_pci_cfg_read(0, 0, 4, &v)), RX_EXIT_HOST);
	/* The wrong (well-formed) reply. */
	fk_fds[CHAN_FD].in_pos = fk_fds[CHAN_FD].in_len;
	rc_reply(0);
	rc_reply(1);
	CHECK_INT(EXPECT_EXIT(kpi_host_pci_cfg_write(0, 0x3c, 1, 5)), RX_EXIT_HOST);
	CHECK(strstr(fk_stderr(), "pcid answered WriteConfig with ReadConfig") != 0);
	/* pcid gone: the reply never comes (EOF), no hang. */
	fk_fds[CHAN_FD].in_pos = fk_fds[CHAN_FD].in_len;
	CHECK_INT(EXPECT_EXIT(kpi_host_pci_cfg_read(0, 0, 4, &v)), RX_EXIT_HOST);
}

static void t_legacy_irq(void)
{
	struct kpi_host_event ev[4];
	int cookie;
	CHECK_INT(bring_up(), 0);
	script_open();
	CHECK_INT(kpi_host_pci_open(0), 0);
	CHECK_INT(kpi_host_wait(KPI_FOREVER, ev, 4), -KPI_EDEADLK);
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_LEGACY, 1), 1);
	int irq = fk_find("/scheme/irq/11"), evq = fk_find("/scheme/event");
	CHECK(irq >= 0);
	CHECK_INT(kpi_host_irq_watch(0, 0, &cookie), 0);
	struct rx_event sub;
	memcpy(&sub, fk_fds[evq].out, sizeof(sub));
	CHECK_INT(sub.id, irq);
	CHECK_INT(sub.flags, RX_EVENT_READ);
	/* A count that changed before the subscription: read at the next wait. */
	rx_u64 count = 5;
	fk_feed(irq, &count, 8);
	CHECK_INT(kpi_host_wait(rx_now_ns() + 20000000, ev, 4), 1);
	CHECK_INT(ev[0].kind, KPI_EV_IRQ);
	CHECK(ev[0].cookie == &cookie);
	CHECK_INT(kpi_host_irq_ack(0, 0), 0);
	CHECK_INT(fk_fds[irq].out_len, 8);
	CHECK_INT(*(rx_u64 *)fk_fds[irq].out, 5);
	CHECK_INT(kpi_host_irq_ack(0, 0), -KPI_EINVAL); /* nothing pending */
	/* The event queue reports the fd; the ack turns out stale (returns 0). */
	count = 6;
	fk_feed(irq, &count, 8);
	struct rx_event rec = {(rx_size)irq, RX_EVENT_READ, sub.data};
	fk_feed(evq, &rec, sizeof(rec));
	CHECK_INT(kpi_host_wait(rx_now_ns() + 20000000, ev, 4), 1);
	fk_fds[irq].write_ret = 1000;
	CHECK_INT(kpi_host_irq_ack(0, 0), 0);
	count = 7;
	fk_feed(irq, &count, 8);
	CHECK_INT(kpi_host_wait(rx_now_ns() + 20000000, ev, 4), 1); /* reported again, no record needed */
	CHECK_INT(kpi_host_irq_ack(0, 0), 0);
	CHECK_INT(*(rx_u64 *)(fk_fds[irq].out + 16), 7);
	/* Nothing more: the deadline passes. */
	CHECK_INT(kpi_host_wait(rx_now_ns() + 5000000, ev, 4), 0);
	kpi_host_irq_disable(0);
	CHECK(fk_find("/scheme/irq/11") < 0 || !fk_fds[irq].used);
}

static void on_open_msi(int fd, const char *path)
{
	if (!strcmp(path, "/scheme/irq/bsp")) {
		rx_u64 zero = 0;
		fk_feed(fd, &zero, 8);
	} else if (!strcmp(path, "/scheme/irq/cpu-00")) {
		struct fk_fd *f = &fk_fds[fd];
		for (int num = 16; num < 40; num++) {
			char name[8];
			if (num == 20)
				continue; /* taken by someone else */
			snprintf(name, sizeof(name), "%d", num);
			size_t rl = RX_DIRENT_HDR + strlen(name) + 1;
			memset(f->dents + f->dents_len, 0, RX_DIRENT_HDR);
			f->dents[f->dents_len + 16] = (unsigned char)rl;
			memcpy(f->dents + f->dents_len + RX_DIRENT_HDR, name, strlen(name) + 1);
			f->dents_len += rl;
		}
	}
}

static void t_msi(void)
{
	struct rxw_resp r;
	CHECK_INT(bring_up(), 0);
	script_open();
	CHECK_INT(kpi_host_pci_open(0), 0);
	fk_on_open = on_open_msi;
	int base = nreq();
	memset(&r, 0, sizeof(r));
	r.tag = RXW_RESP_FEATURE_INFO;
	r.feature = RXW_FEAT_MSI;
	r.msi_mmc = 3;
	fk_chan_reply(&r);
	r.tag = RXW_RESP_SET_FEATURE_INFO;
	fk_chan_reply(&r);
	r.tag = RXW_RESP_FEATURE_ENABLED;
	fk_chan_reply(&r);
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_MSI, 4), 4);
	struct rxw_req set = req_at(base + 1);
	CHECK_INT(set.tag, RXW_REQ_SET_FEATURE_INFO);
	CHECK_INT(set.set.mme, 2);
	CHECK_INT(set.set.addr, 0xfee00000ull);
	CHECK_INT(set.set.data, 24 + 32); /* 16..19 holds 16, 20 is taken: 24..27 */
	CHECK_INT(req_at(base + 2).tag, RXW_REQ_ENABLE_FEATURE);
	for (int k = 24; k < 28; k++) {
		char path[40];
		snprintf(path, sizeof(path), "/scheme/irq/cpu-00/%d", k);
		CHECK(fk_find(path) >= 0);
		CHECK(fk_fds[fk_find(path)].flags & RX_O_CREAT);
	}
	/* Off again: the capability's enable bit through config space. */
	rc_reply(0x00100007); /* STATUS: capability list */
	rc_reply(0x00000050); /* 0x34 */
	rc_reply(0x00817005); /* 0x50: MSI, control 0x0081 (enabled) */
	rc_reply(0x00817005); /* cfg_read 0x52 */
	rc_reply(0x00817005); /* cfg_write 0x52: read for the merge */
	wc_reply();
	int before = nreq();
	kpi_host_irq_disable(0);
	CHECK_INT(req_at(before + 5).offset, 0x50);
	CHECK_INT(req_at(before + 5).value, 0x00807005);
	CHECK(fk_find("/scheme/irq/cpu-00/24") < 0 || !fk_fds[fk_find("/scheme/irq/cpu-00/24")].used);
}

/* lx asks for counts that are no power of two: 3 reserve and program a
 * block of 4, and the caller gets 3. */
static void t_msi_three(void)
{
	struct rxw_resp r;
	CHECK_INT(bring_up(), 0);
	script_open();
	CHECK_INT(kpi_host_pci_open(0), 0);
	fk_on_open = on_open_msi;
	int base = nreq();
	memset(&r, 0, sizeof(r));
	r.tag = RXW_RESP_FEATURE_INFO;
	r.feature = RXW_FEAT_MSI;
	r.msi_mmc = 3; /* 8 vectors */
	fk_chan_reply(&r);
	r.tag = RXW_RESP_SET_FEATURE_INFO;
	fk_chan_reply(&r);
	r.tag = RXW_RESP_FEATURE_ENABLED;
	fk_chan_reply(&r);
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_MSI, 3), 3);
	struct rxw_req set = req_at(base + 1);
	CHECK_INT(set.tag, RXW_REQ_SET_FEATURE_INFO);
	CHECK_INT(set.set.mme, 2); /* 4 messages */
	CHECK_INT(set.set.data, 24 + 32); /* aligned to 4: 16..19 holds 20 (taken) */
	for (int k = 24; k < 28; k++) { /* the whole block is ours: the device may use it */
		char path[40];
		snprintf(path, sizeof(path), "/scheme/irq/cpu-00/%d", k);
		CHECK(fk_find(path) >= 0);
	}
	CHECK_INT(kpi_host_irq_watch(0, 2, &r), 0);
	/* 2 of a 2-vector capability: no rounding needed, 2 given */
	CHECK_INT(bring_up(), 0);
	script_open();
	CHECK_INT(kpi_host_pci_open(0), 0);
	fk_on_open = on_open_msi;
	base = nreq();
	r.tag = RXW_RESP_FEATURE_INFO;
	r.msi_mmc = 1;
	fk_chan_reply(&r);
	r.tag = RXW_RESP_SET_FEATURE_INFO;
	fk_chan_reply(&r);
	r.tag = RXW_RESP_FEATURE_ENABLED;
	fk_chan_reply(&r);
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_MSI, 3), 2);
	CHECK_INT(req_at(base + 1).set.mme, 1);
}

static void t_msix_shares_bar(void)
{
	struct rxw_resp r;
	struct kpi_pci_map m;
	CHECK_INT(bring_up(), 0);
	script_open();
	CHECK_INT(kpi_host_pci_open(0), 0);
	fk_on_open = on_open_msi;
	CHECK_INT(kpi_host_pci_map_bar(0, 1, KPI_MAP_UC, &m), 0);
	volatile rx_u32 *table = m.addr;
	table[3] = 0; /* entry 0 left unmasked by "an earlier user" */
	memset(&r, 0, sizeof(r));
	r.tag = RXW_RESP_FEATURE_INFO;
	r.feature = RXW_FEAT_MSIX;
	r.msix_table_bar = 1;
	r.msix_table_size = 3;
	r.msix_pba_bar = 1;
	r.msix_pba_offset = 0x80;
	fk_chan_reply(&r);
	r.tag = RXW_RESP_FEATURE_ENABLED;
	fk_chan_reply(&r);
	CHECK_INT(kpi_host_irq_enable(0, KPI_IRQ_MSIX, 2), 2);
	CHECK_INT(table[0], 0xfee00000u);
	CHECK_INT(table[2], 17 + 32);
	CHECK_INT(table[3] & 1, 0);
	CHECK_INT(table[6], 18 + 32);
	CHECK_INT(table[11] & 1, 1); /* the third entry stays masked */
	struct kpi_pci_map again;
	CHECK_INT(kpi_host_pci_map_bar(0, 1, KPI_MAP_UC, &again), 0);
	CHECK(again.addr == m.addr); /* one mapping per BAR */
	CHECK_INT(kpi_host_pci_map_bar(0, 0, KPI_MAP_UC, &again), -KPI_EINVAL); /* a port BAR */
	CHECK_INT(kpi_host_pci_map_bar(0, 6, KPI_MAP_UC, &again), -KPI_ENOTSUP);
}

int main(void)
{
	int ok = 1;
	ok &= run("init: RequestConfig, info, port BAR sizing", t_init_info);
	ok &= run("argv and a missing channel", t_argv_and_no_channel);
	ok &= run("a channel variable that is no channel", t_bad_channel_env);
	ok &= run("config access, refused requests, enable", t_config_access);
	ok &= run("broken pcid replies end the daemon", t_broken_replies);
	ok &= run("legacy irq: report, ack, stale ack", t_legacy_irq);
	ok &= run("MSI: aligned block, SetFeatureInfo, disable", t_msi);
	ok &= run("MSI: 3 vectors asked, a block of 4 inside", t_msi_three);
	ok &= run("MSI-X through the BAR's one mapping", t_msix_shares_bar);
	return ok ? 0 : 1;
}
