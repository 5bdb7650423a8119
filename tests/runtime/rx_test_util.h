/* rx_test_util.h: shared scaffolding of the Redox backend's protocol tests
 * (rx_chan_test.c, rx_scheme_test.c): each scenario runs in a forked child
 * (the backend keeps process-wide state), pcid replies are scripted with
 * small helpers, and a standard function (an RTL8139-like NIC at
 * 0000:00:03.0) is brought up through kpi_host_init. */
#ifndef RX_TEST_UTIL_H
#define RX_TEST_UTIL_H

#include "kpi_host.h"
#include "ktest.h"
#include "rx_fake.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHAN_FD 7

static void rc_reply(rx_u32 value)
{
	struct rxw_resp r;
	memset(&r, 0, sizeof(r));
	r.tag = RXW_RESP_READ_CONFIG;
	r.value = value;
	fk_chan_reply(&r);
}

static void wc_reply(void)
{
	struct rxw_resp r;
	memset(&r, 0, sizeof(r));
	r.tag = RXW_RESP_WRITE_CONFIG;
	fk_chan_reply(&r);
}

/* BAR 0 ports at 0xc000, BAR 1 a 256-byte MMIO page, BAR 2/3 a 64-bit
 * prefetchable 16 KiB window, legacy line 11, INTA. */
static void script_init(void)
{
	struct rxw_resp r;
	memset(&r, 0, sizeof(r));
	r.tag = RXW_RESP_CONFIG;
	r.config.dev = 3;
	r.config.bars[0].tag = RXW_BAR_PORT;
	r.config.bars[0].addr = 0xc000;
	r.config.bars[1].tag = RXW_BAR_MEM32;
	r.config.bars[1].addr = 0xfebf1000;
	r.config.bars[1].size = 0x100;
	r.config.bars[2].tag = RXW_BAR_MEM64;
	r.config.bars[2].addr = 0xfe000000;
	r.config.bars[2].size = 0x4000;
	r.config.has_legacy_irq = 1;
	r.config.legacy_irq = 11;
	r.config.vendor = 0x10ec;
	r.config.device = 0x8139;
	r.config.class_code = 2;
	r.config.revision = 0x20;
	fk_chan_reply(&r);
	rc_reply(0x00000000); /* 0x0c: header type 0 */
	rc_reply(0x11001af4); /* 0x2c: subsystem */
	rc_reply(0x0000010b); /* 0x3c: INTA, line 11 */
	rc_reply(0xfebf1000); /* 0x14: BAR 1, not prefetchable */
	rc_reply(0xfe00000c); /* 0x18: BAR 2, 64-bit prefetchable */
}

/* kpi_host_init with the channel; returns its result. */
static int bring_up(void)
{
	static char arg0[] = "/usr/lib/drivers/8139too", arg1[] = "debug=1", arg2[] = "--ecam-not-ours";
	char *argv[] = {arg0, arg1, arg2, 0};
	int argc = 3;
	fk_reset();
	fk_chan(CHAN_FD);
	fk_setenv("PCID_CLIENT_CHANNEL", "7");
	fk_setenv("INIT_NOTIFY", "9");
	fk_fds[9].used = 1;
	script_init();
	return kpi_host_init(KPI_HOST_VERSION, &argc, argv);
}

/* Port BAR sizing at open: COMMAND read, then per port BAR: decode off,
 * save, all-ones, read back, restore; COMMAND restored. */
static void script_open(void)
{
	rc_reply(0x02100007); /* COMMAND with pending status bits */
	wc_reply();
	rc_reply(0x0000c001);
	wc_reply();
	rc_reply(0xffffff01);
	wc_reply();
	wc_reply();
}

/* Run fn in a child; returns 1 if the child passed. */
static int run(const char *name, void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		fflush(stdout);
		fflush(stderr);
		_exit(ktest_failures ? 1 : 0);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	int ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
	printf("%s %s\n", ok ? "ok  " : "FAIL", name);
	return ok;
}

/* Run a backend call expected to end the daemon through rx_exit: returns
 * the exit status, or -1 if the call returned. */
#define EXPECT_EXIT(call)                                                                                      \
	({                                                                                                     \
		int st_ = setjmp(fk_exit_jmp);                                                                 \
		if (!st_) {                                                                                    \
			fk_exit_armed = 1;                                                                     \
			call;                                                                                  \
			fk_exit_armed = 0;                                                                     \
		}                                                                                              \
		st_ ? st_ - 1 : -1;                                                                            \
	})

#endif /* RX_TEST_UTIL_H */
