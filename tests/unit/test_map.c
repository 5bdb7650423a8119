/* test_map.c: unit tests of the mapping-table loader (kp_map.c): good tables
 * from strings and fixture dirs, one test per kind of broken table (each must
 * name file:line), and a load of the real mappings/ directory. */
#include "kp_map.h"
#include "ktest.h"

#include <ctype.h>
#include <stdlib.h>

/* Loading `text` must fail with an error that starts with `prefix` and
 * contains `part`. */
static void check_error(const char *text, const char *prefix, const char *part)
{
	km_table *t = km_load_string("mappings/t.lua", text);
	CHECK(t == NULL);
	km_free(t);
	const char *e = ku_lasterr();
	int ok = strncmp(e, prefix, strlen(prefix)) == 0 && strstr(e, part) != NULL;
	if (!ok)
		fprintf(stderr, "  got error: %s\n  wanted: %s ... %s\n", e, prefix, part);
	else if (getenv("KTEST_VERBOSE"))
		fprintf(stderr, "  ok: %s\n", e);
	CHECK(ok);
}

static void test_good_string(void)
{
	const char *text =
		"-- a comment\n"                                            /* 1 */
		"area \"io\"\n"                                             /* 2 */
		"rename {\n"                                                /* 3 */
		"  ioremap = \"redox_ioremap\",\n"                          /* 4 */
		"  -- iounmap = \"not this line\",\n"                       /* 5 */
		"  iounmap = { to = \"redox_iounmap\", note = \"why\" },\n" /* 6 */
		"}\n"                                                       /* 7 */
		"runtime { \"pci_set_master\", \"pci_enable_device\",\n"    /* 8 */
		"  \"kfree\" }\n"                                           /* 9 */
		"stub \"no PM in a daemon\" {\n"                            /* 10 */
		"  pci_enable_msi = { ret = \"-ENOSYS\" },\n"               /* 11 */
		"  pci_save_state = { ret = 0 },\n"                         /* 12 */
		"  skb_tstamp_tx = { noop = true, note = \"own note\" },\n" /* 13 */
		"  \"pci_restore_state\",\n"                                /* 14 */
		"}\n"                                                       /* 15 */
		"unsupported { request_dma = \"ISA DMA\" }\n"               /* 16 */
		"unsupported \"legacy\" { \"free_dma\" }\n"                 /* 17 */
		"import { mii_link_ok = \"drivers/net/mii.c\", \"crc32_le\",\n" /* 18 */
		"  [\"byte_rev_table\"] = { file = \"lib/bitrev.c\" } }\n"        /* 19 */
		"header { \"readl\", writel = { note = \"inline\" } }\n"    /* 20 */
		"local n = 0\n"
		"for i = 1, 10 do n = n + i end\n"
		"assert(n == 55 and string.format('%d', n) == '55' and ('ab'):upper() == 'AB')\n";
	km_table *t = km_load_string("mappings/io.lua", text);
	if (!t)
		fprintf(stderr, "  error: %s\n", ku_lasterr());
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_INT(km_count(t), 16);
	for (size_t i = 1; i < km_count(t); i++)
		CHECK(strcmp(km_at(t, i - 1)->symbol, km_at(t, i)->symbol) < 0);
	CHECK(km_at(t, km_count(t)) == NULL);

	const km_entry *e = km_lookup(t, "ioremap");
	CHECK(e && e->kind == KM_RENAME);
	if (e) {
		CHECK_STR(e->target, "redox_ioremap");
		CHECK_STR(e->area, "io");
		CHECK_STR(e->file, "mappings/io.lua");
		CHECK_INT(e->line, 4);
		CHECK(e->reason == NULL);
	}
	e = km_lookup(t, "iounmap");
	CHECK(e && e->line == 6 && e->reason && strcmp(e->reason, "why") == 0);
	e = km_lookup(t, "pci_enable_device");
	CHECK(e && e->kind == KM_RUNTIME && e->line == 8 && !e->target);
	e = km_lookup(t, "kfree");
	CHECK(e && e->line == 9);
	e = km_lookup(t, "pci_enable_msi");
	CHECK(e && e->kind == KM_STUB && e->line == 11);
	if (e) {
		CHECK_STR(e->ret, "-ENOSYS");
		CHECK_STR(e->reason, "no PM in a daemon");
	}
	e = km_lookup(t, "pci_save_state");
	CHECK(e && e->ret && strcmp(e->ret, "0") == 0);
	e = km_lookup(t, "skb_tstamp_tx");
	CHECK(e && e->ret && strcmp(e->ret, "") == 0 && strcmp(e->reason, "own note") == 0 && e->line == 13);
	e = km_lookup(t, "pci_restore_state");
	CHECK(e && e->ret == NULL && e->line == 14);
	e = km_lookup(t, "request_dma");
	CHECK(e && e->kind == KM_UNSUPPORTED && e->reason && strcmp(e->reason, "ISA DMA") == 0);
	e = km_lookup(t, "free_dma");
	CHECK(e && e->reason && strcmp(e->reason, "legacy") == 0 && e->line == 17);
	e = km_lookup(t, "mii_link_ok");
	CHECK(e && e->kind == KM_IMPORT && e->target && strcmp(e->target, "drivers/net/mii.c") == 0);
	e = km_lookup(t, "crc32_le");
	CHECK(e && e->kind == KM_IMPORT && e->target == NULL && e->line == 18);
	e = km_lookup(t, "byte_rev_table");
	CHECK(e && e->line == 19 && e->target && strcmp(e->target, "lib/bitrev.c") == 0);
	e = km_lookup(t, "writel");
	CHECK(e && e->kind == KM_HEADER && e->line == 20);
	CHECK(km_lookup(t, "nothing_here") == NULL);
	CHECK(km_lookup(t, "n") == NULL);

	CHECK_STR(km_kind_name(KM_RENAME), "rename");
	CHECK_STR(km_kind_name(KM_UNSUPPORTED), "unsupported");
	CHECK_STR(km_kind_name(KM_HEADER), "header");
	km_free(t);

	/* area defaults to the file stem */
	t = km_load_string("x/dma.lua", "runtime { \"dma_set_mask\" }");
	CHECK(t && km_lookup(t, "dma_set_mask") && strcmp(km_lookup(t, "dma_set_mask")->area, "dma") == 0);
	km_free(t);
	t = km_load_string("empty.lua", "-- nothing\n");
	CHECK(t && km_count(t) == 0 && km_lookup(t, "x") == NULL);
	km_free(t);
}

static void test_errors(void)
{
	check_error("import_tree { \"drivers/gpu/drm/\" }\n", "mappings/t.lua:1:", "entries are");
	check_error("import_tree { [\"/abs/\"] = \"why\" }\n", "mappings/t.lua:1:", "tree-relative directory");
	check_error("import_tree { [\"drivers/gpu/drm\"] = \"why\" }\n", "mappings/t.lua:1:", "ending in '/'");
	check_error("import_tree { [\"drivers/x/\"] = \"\" }\n", "mappings/t.lua:1:", "non-empty reason");
	check_error("import_tree { [\"drivers/x/\"] = \"a\" }\nimport_tree { [\"drivers/x/\"] = \"b\" }\n",
		    "mappings/t.lua:2:", "already named at mappings/t.lua:1");
	/* Lua syntax error */
	check_error("runtime {\n  \"a\"\n  \"b\"\n}\n", "mappings/t.lua:3:", "'}' expected");
	/* unknown verb, with a suggestion */
	check_error("\n\nrenam { a = \"b\" }\n", "mappings/t.lua:3:", "unknown verb or name 'renam' (did you mean 'rename'?)");
	/* the same symbol twice in one file, different calls */
	check_error("runtime { \"kfree\" }\n\nstub {\n  kfree = { ret = 0 } }\n", "mappings/t.lua:4:",
		    "'kfree' is mapped twice: here (stub) and at mappings/t.lua:1 (runtime)");
	/* unsupported without a reason */
	check_error("unsupported {\n  \"request_dma\" }\n", "mappings/t.lua:2:", "unsupported 'request_dma' needs a reason");
	check_error("unsupported { x = { reason = \"\" } }\n", "mappings/t.lua:1:", "needs a reason");
	/* bad identifiers */
	check_error("\nruntime { \"not-an-ident\" }\n", "mappings/t.lua:2:", "'not-an-ident' is not a C identifier");
	check_error("rename {\n ioremap = \"redox ioremap\" }\n", "mappings/t.lua:2:", "target 'redox ioremap' is not a C identifier");
	check_error("rename { \"ioremap\" }\n", "mappings/t.lua:1:", "rename of 'ioremap' needs a target name");
	check_error("rename { ioremap = \"ioremap\" }\n", "mappings/t.lua:1:", "to itself");
	/* io / os / require / load are not there */
	check_error("local f = io.open('/etc/passwd')\n", "mappings/t.lua:1:", "'io' is not available");
	check_error("\nos.execute('true')\n", "mappings/t.lua:2:", "'os' is not available");
	check_error("require 'x'\n", "mappings/t.lua:1:", "'require' is not available");
	check_error("load('x = 1')()\n", "mappings/t.lua:1:", "'load' is not available");
	check_error("local s = ('x'):find('x')\n", "mappings/t.lua:1:", "attempt to call a nil value");
	/* endless loop and memory hog are stopped */
	check_error("runtime { \"a\" }\nwhile true do\nend\n", "mappings/t.lua:", "runs too long");
	check_error("local t = {}\nfor i = 1, 1e9 do t[i] = i end\n", "mappings/t.lua", "too ");
	check_error("local s = string.rep('x', 200 * 1024 * 1024)\n", "mappings/t.lua:", "too much memory");
	/* unknown keys and wrong value types */
	check_error("stub {\n  f = { rett = 0 } }\n", "mappings/t.lua:2:", "stub 'f': unknown key 'rett' (did you mean 'ret'?)");
	check_error("runtime { f = 1 }\n", "mappings/t.lua:1:", "runtime 'f': unexpected number value");
	check_error("runtime { f = \"x\" }\n", "mappings/t.lua:1:", "runtime 'f': unexpected string value");
	check_error("stub { f = \"0\" }\n", "mappings/t.lua:1:", "stub 'f': write f = { ret");
	check_error("stub { f = { ret = true } }\n", "mappings/t.lua:1:", "'ret' must be a C expression");
	check_error("stub { f = { ret = \"0; system()\" } }\n", "mappings/t.lua:1:", "one-line C expression");
	check_error("stub { f = { ret = 0, noop = true } }\n", "mappings/t.lua:1:", "exclude each other");
	check_error("runtime { 42 }\n", "mappings/t.lua:1:", "element 1 must be a symbol name");
	check_error("\nruntime \"x\"\n", "mappings/t.lua:2:", "must be followed by a table");
	check_error("runtime(\"a\", \"b\")\n", "mappings/t.lua:1:", "runtime expects one table");
	check_error("import { f = \"../etc/passwd.c\" }\n", "mappings/t.lua:1:", "not a tree-relative .c path");
	check_error("import { f = { file = 3 } }\n", "mappings/t.lua:1:", "'file' must be a string");
	check_error("rename { [true] = \"x\" }\n", "mappings/t.lua:1:", "keys must be symbol names");
	check_error("runtime { \"a\" }\narea \"io\"\n", "mappings/t.lua:2:", "area must come before");
	check_error("area \"i o\"\n", "mappings/t.lua:1:", "area expects a name");
	check_error("x = 1\n", "mappings/t.lua:1:", "assignment to global 'x'");
	check_error("error('boom')\n", "mappings/t.lua:1:", "boom");
	check_error("\x1bLua", "mappings/t.lua", "binary");
}

static void test_long_name(void)
{
	/* Lua abbreviates chunk names over 60 chars; messages must keep the full path. */
	const char *name = "/some/very/long/directory/name/that/goes/on/and/on/mappings/net.lua";
	km_table *t = km_load_string(name, "\nerror('boom')\n");
	CHECK(t == NULL);
	char want[256];
	snprintf(want, sizeof want, "%s:2: boom", name);
	CHECK_STR(ku_lasterr(), want);
}

static void test_dirs(void)
{
	km_table *t = km_load_dir(KP_MAP_DATA "/good");
	if (!t)
		fprintf(stderr, "  error: %s\n", ku_lasterr());
	CHECK(t != NULL);
	if (t) {
		CHECK_INT(km_count(t), 8);
		const km_entry *e = km_lookup(t, "iounmap");
		CHECK(e && e->line == 6 && strcmp(e->area, "io") == 0 && ku_endswith(e->file, "/good/a_io.lua"));
		e = km_lookup(t, "register_netdev");
		CHECK(e && e->line == 6 && strcmp(e->area, "b_net") == 0 && e->reason &&
		      strcmp(e->reason, "the runtime's net core") == 0);
		e = km_lookup(t, "crc32_le");
		CHECK(e && e->kind == KM_IMPORT && e->line == 9);
	}
	km_free(t);

	t = km_load_dir(KP_MAP_DATA "/dup");
	CHECK(t == NULL);
	const char *err = ku_lasterr();
	CHECK(ku_endswith(err, "/dup/b.lua:3: 'pci_enable_device' is mapped twice: here (stub) and at " KP_MAP_DATA
			       "/dup/a.lua:4 (runtime)"));
	if (!ku_endswith(err, "(runtime)"))
		fprintf(stderr, "  got error: %s\n", err);

	CHECK(km_load_dir(KP_MAP_DATA "/no-such-dir") == NULL);
	CHECK(strstr(ku_lasterr(), "no-such-dir") != NULL);
}

/* Every external symbol the first four target drivers (8139too, e1000,
 * i6300esb, pvpanic-pci) leave undefined when compiled with their kbuild
 * flags (`nm -u`, minus symbols the drivers define themselves). */
static const char *const driver_undefined[] = {
	"___pskb_trim", "__alloc_pages", "__alloc_skb", "__cond_resched", "__const_udelay",
	"__dev_kfree_skb_any", "__folio_put", "__kmalloc", "__local_bh_enable_ip", "__napi_alloc_skb",
	"__napi_schedule", "__netdev_alloc_frag_align", "__pci_register_driver", "__preempt_count",
	"__pskb_pull_tail", "__skb_pad", "__this_module", "__udelay", "__warn_printk", "_dev_err", "_dev_info",
	"_dev_warn", "_find_next_bit", "_printk", "alloc_etherdev_mqs", "atomic_notifier_chain_register",
	"atomic_notifier_chain_unregister", "byte_rev_table", "cancel_delayed_work_sync", "cancel_work_sync",
	"crc32_le", "csum_ipv6_magic", "current_task", "delayed_work_timer_fn", "dev_addr_mod",
	"dev_driver_string", "devm_add_action", "devm_kmalloc", "dma_alloc_attrs", "dma_free_attrs",
	"dma_map_page_attrs", "dma_set_coherent_mask", "dma_set_mask", "dma_sync_single_for_cpu",
	"dma_sync_single_for_device", "dma_unmap_page_attrs", "dql_completed", "dql_reset", "eth_type_trans",
	"eth_validate_addr", "ethtool_convert_legacy_u32_to_link_mode", "ethtool_convert_link_mode_to_legacy_u32",
	"ethtool_op_get_ts_info", "free_irq", "free_netdev", "generic_mii_ioctl", "init_timer_key", "ioread16",
	"ioread16_rep", "ioread32", "ioread8", "ioremap", "iounmap", "iowrite16", "iowrite16_rep", "iowrite32",
	"iowrite8", "is_vmalloc_addr", "jiffies", "kfree", "kfree_skb_reason", "kmalloc_caches", "kmalloc_trace",
	"kstrtouint", "mem_section", "memcpy", "memcpy_fromio", "memset", "mii_check_media",
	"mii_ethtool_get_link_ksettings", "mii_ethtool_set_link_ksettings", "mii_link_ok", "mii_nway_restart",
	"msleep", "msleep_interruptible", "mutex_lock", "mutex_unlock", "napi_build_skb", "napi_complete_done",
	"napi_consume_skb", "napi_disable", "napi_enable", "napi_get_frags", "napi_gro_frags", "napi_gro_receive",
	"napi_schedule_prep", "net_ratelimit", "netdev_err", "netdev_info", "netdev_stats_to_stats64",
	"netdev_warn", "netif_carrier_off", "netif_carrier_on", "netif_device_attach", "netif_device_detach",
	"netif_napi_add_weight", "netif_receive_skb", "netif_schedule_queue", "netif_tx_wake_queue",
	"page_frag_free", "panic_notifier_list", "param_array_ops", "param_ops_bool", "param_ops_int",
	"param_ops_uint", "pci_clear_mwi", "pci_disable_device", "pci_enable_device", "pci_enable_device_mem",
	"pci_enable_wake", "pci_iomap", "pci_ioremap_bar", "pci_iounmap", "pci_read_config_byte",
	"pci_read_config_word", "pci_release_region", "pci_release_regions", "pci_release_selected_regions",
	"pci_request_region", "pci_request_regions", "pci_request_selected_regions", "pci_save_state",
	"pci_select_bars", "pci_set_master", "pci_set_mwi", "pci_set_power_state", "pci_unregister_driver",
	"pci_wake_from_d3", "pci_write_config_byte", "pci_write_config_word", "pcim_enable_device", "pcim_iomap",
	"pcix_get_mmrbc", "pcix_set_mmrbc", "phys_base", "print_hex_dump", "pskb_expand_head",
	"queue_delayed_work_on", "queue_work_on", "register_netdev", "request_threaded_irq", "rtnl_lock",
	"rtnl_unlock", "skb_copy_and_csum_dev", "skb_copy_bits", "skb_put", "skb_trim", "skb_tstamp_tx",
	"softnet_data", "strchr", "strncpy", "strscpy", "synchronize_irq", "synchronize_rcu", "sysfs_emit",
	"system_state", "system_wq", "unregister_netdev", "usleep_range_state", "vfree", "vzalloc",
	"watchdog_init_timeout", "watchdog_register_device", "watchdog_unregister_device", NULL,
};

static void test_real_tables(void)
{
	km_table *t = km_load_dir_for(KP_MAPPINGS_DIR, "6.1.192"); /* driver_undefined is 6.1's */
	if (!t)
		fprintf(stderr, "  error: %s\n", ku_lasterr());
	CHECK(t != NULL);
	if (!t)
		return;
	const km_entry *e = km_lookup(t, "ioremap");
	CHECK(e && e->kind == KM_RENAME && strcmp(e->target, "redox_ioremap") == 0 && strcmp(e->area, "io") == 0);
	e = km_lookup(t, "ioread32");
	CHECK(e && e->kind == KM_RENAME && strcmp(e->target, "redox_ioread32") == 0);
	e = km_lookup(t, "pci_iomap");
	CHECK(e && e->kind == KM_RENAME && strcmp(e->target, "redox_pci_iomap") == 0);
	e = km_lookup(t, "snprintf");
	CHECK(e && e->kind == KM_RENAME && strcmp(e->target, "lx_snprintf") == 0);
	e = km_lookup(t, "sscanf");
	CHECK(e && e->kind == KM_RENAME && strcmp(e->target, "lx_sscanf") == 0);
	e = km_lookup(t, "mii_link_ok");
	CHECK(e && e->kind == KM_IMPORT && strcmp(e->target, "drivers/net/mii.c") == 0);
	e = km_lookup(t, "crc32_le");
	CHECK(e && e->kind == KM_IMPORT && strcmp(e->target, "lib/crc32.c") == 0);
	e = km_lookup(t, "pci_enable_device");
	CHECK(e && e->kind == KM_RUNTIME && strcmp(e->area, "pci") == 0);
	e = km_lookup(t, "request_dma");
	CHECK(e && e->kind == KM_UNSUPPORTED && e->reason && *e->reason);
	e = km_lookup(t, "pci_enable_msi");
	CHECK(e && e->kind == KM_RUNTIME && strcmp(e->area, "pci") == 0);
	e = km_lookup(t, "pci_get_device");
	CHECK(e && e->kind == KM_RUNTIME && strcmp(e->area, "pci") == 0);
	/* subsystem cores imported from the tree (import_tree) */
	const char *tree = km_import_tree(t, "drivers/comedi/comedi_fops.c");
	CHECK(tree && strstr(tree, "Comedi"));
	CHECK(km_import_tree(t, "drivers/comedi/drivers/comedi_8254.c") != NULL);
	CHECK(km_import_tree(t, "drivers/gpu/drm/drm_drv.c") != NULL);
	CHECK(km_import_tree(t, "drivers/net/mii.c") == NULL);
	CHECK(km_import_tree(t, "drivers/video/fbdev/core/fbmem.c") != NULL);
	CHECK(km_import_tree(t, "drivers/i2c/busses/i2c-ccgx-ucsi.c") != NULL);
	CHECK(km_import_tree(t, "drivers/input/gameport/gameport.c") != NULL);
	CHECK(km_import_tree(t, "drivers/net/can/m_can/m_can.c") != NULL);
	CHECK(km_import_tree(t, "drivers/memstick/core/memstick.c") != NULL);
	CHECK(km_import_tree(t, "drivers/memstick/host/r592.c") == NULL);
	e = km_lookup(t, "iowrite64_lo_hi");
	CHECK(e && e->kind == KM_RENAME && strcmp(e->target, "redox_iowrite64_lo_hi") == 0);
	e = km_lookup(t, "devm_mfd_add_devices");
	CHECK(e && e->kind == KM_IMPORT && strcmp(e->target, "drivers/mfd/mfd-core.c") == 0);
	e = km_lookup(t, "aperture_remove_conflicting_pci_devices");
	CHECK(e && e->kind == KM_IMPORT && strcmp(e->target, "drivers/video/aperture.c") == 0);
	e = km_lookup(t, "pci_iomap_wc");
	CHECK(e && e->kind == KM_RENAME && strcmp(e->target, "redox_pci_iomap_wc") == 0);
	e = km_lookup(t, "amd_smn_read");
	CHECK(e && e->kind == KM_IMPORT && strcmp(e->target, "arch/x86/kernel/amd_nb.c") == 0);
	e = km_lookup(t, "platform_device_register_full");
	CHECK(e && e->kind == KM_RUNTIME);
	for (size_t i = 0; i < km_count(t); i++) {
		e = km_at(t, i);
		CHECK(e->line > 0 && e->file && e->area);
		if (e->kind == KM_UNSUPPORTED)
			CHECK(e->reason && *e->reason);
	}
	for (const char *const *s = driver_undefined; *s; s++) {
		e = km_lookup(t, *s);
		if (!e || e->kind == KM_HEADER)
			fprintf(stderr, "  driver symbol %s: %s\n", *s, e ? "header, but it is linked" : "not mapped");
		CHECK(e && e->kind != KM_HEADER);
	}
	km_free(t);
}

/* Entry lines do not depend on the file's line endings: LF, CR (found by
 * tests/fuzz/fuzz_map: entries got line 1) or CRLF, as Lua counts lines. */
static void test_line_endings(void)
{
	static const char *const texts[] = {"runtime {\n\"a\",\n\"b\"\n}\n", "runtime {\r\"a\",\r\"b\"\r}\r",
					    "runtime {\r\n\"a\",\r\n\"b\"\r\n}\r\n", "runtime {\n\r\"a\",\n\r\"b\"}"};
	for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
		km_table *t = km_load_string("mappings/t.lua", texts[i]);
		CHECK(t != NULL);
		CHECK_INT(km_count(t), 2);
		if (km_count(t) == 2) {
			CHECK_INT(km_lookup(t, "a")->line, 2);
			CHECK_INT(km_lookup(t, "b")->line, 3);
		}
		km_free(t);
	}
	check_error("runtime {}\r\rerror('x')\n", "mappings/t.lua:3:", "x");
}

/* Entries that apply to some Linux versions only (since/before). */
static void test_versions(void)
{
	CHECK(km_version_cmp("6.1", "6.12") < 0 && km_version_cmp("6.12.117", "6.12") > 0);
	CHECK(km_version_cmp("6.1", "6.1.0") == 0 && km_version_cmp("6.9", "6.10") < 0);
	CHECK(km_version_cmp("7", "6.12.117") > 0 && km_version_cmp("6.2", "6.2") == 0);
	const char *text =
		"runtime { \"kfree\", napi_alloc_skb = { since = \"6.9\" } }\n"     /* 1 */
		"header { napi_alloc_skb = { before = \"6.9\", note = \"inline\" } }\n" /* 2 */
		"runtime \"slab\" { since = \"6.10\",\n"                              /* 3 */
		"  \"__kmalloc_noprof\", krealloc_noprof = { note = \"own\" } }\n"    /* 4 */
		"runtime { before = \"6.10\", \"__kmalloc\" }\n"                      /* 5 */
		"stub { x = { ret = 0, since = \"6.2\", before = \"6.4\" } }\n"       /* 6 */
		"stub { x = { noop = true, since = \"6.4\" } }\n";                     /* 7 */
	km_table *t = km_load_string("mappings/v.lua", text);
	if (!t)
		fprintf(stderr, "  error: %s\n", ku_lasterr());
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK_INT(km_count(t), 8);
	size_t nx = 0;
	for (size_t i = 0; i < km_count(t); i++) {
		const km_entry *e = km_at(t, i);
		if (!strcmp(e->symbol, "krealloc_noprof"))
			CHECK(e->since && !strcmp(e->since, "6.10") && !e->before && e->line == 4 &&
			      !strcmp(e->reason, "own"));
		if (!strcmp(e->symbol, "__kmalloc_noprof"))
			CHECK(!strcmp(e->reason, "slab") && e->line == 4);
		if (!strcmp(e->symbol, "__kmalloc"))
			CHECK(!e->since && e->before && !strcmp(e->before, "6.10"));
		if (!strcmp(e->symbol, "kfree"))
			CHECK(!e->since && !e->before && km_applies(e, "6.1") && km_applies(e, "6.12.117"));
		if (!strcmp(e->symbol, "x")) {
			nx++;
			CHECK(km_applies(e, "6.3.1") == (e->ret && *e->ret == '0'));
			CHECK(km_applies(e, "6.4") == (e->ret && !*e->ret));
			CHECK(!km_applies(e, "6.1"));
		}
		if (!strcmp(e->symbol, "napi_alloc_skb"))
			CHECK(km_applies(e, "6.12.117") == (e->kind == KM_RUNTIME) &&
			      km_applies(e, "6.1.192") == (e->kind == KM_HEADER));
	}
	CHECK_INT(nx, 2);
	km_free(t);

	check_error("runtime { a = { since = \"6.2\" } }\nstub { a = { before = \"6.3\" } }\n", "mappings/t.lua:2:",
		    "'a' is mapped twice for the same Linux versions: here (stub) and at mappings/t.lua:1 (runtime)");
	check_error("runtime { \"a\" }\nheader { a = { since = \"6.3\" } }\n", "mappings/t.lua:2:", "mapped twice");
	check_error("runtime { a = { since = \"six\" } }\n", "mappings/t.lua:1:", "is not a Linux version");
	check_error("runtime { a = { since = \"6.1.2.3\" } }\n", "mappings/t.lua:1:", "is not a Linux version");
	check_error("runtime { since = 6.1, \"a\" }\n", "mappings/t.lua:1:", "since must be a version string");
	check_error("runtime { a = { since = \"6.4\", before = \"6.4\" } }\n", "mappings/t.lua:1:",
		    "no version applies");
	check_error("runtime { a = { sinse = \"6.4\" } }\n", "mappings/t.lua:1:", "did you mean 'since'");

	/* A directory for one tree: one entry per symbol, the one that applies. */
	t = km_load_dir_for(KP_MAP_DATA "/versions", "6.12.117");
	CHECK(t != NULL);
	if (t) {
		const km_entry *e = km_lookup(t, "dma_sync_single_for_cpu");
		CHECK(e && e->kind == KM_HEADER);
		CHECK(km_lookup(t, "__dma_sync_single_for_cpu") && !km_lookup(t, "current_task"));
		CHECK(km_lookup(t, "pcpu_hot") && km_lookup(t, "kfree"));
		CHECK_INT(km_count(t), 4);
	}
	km_free(t);
	t = km_load_dir_for(KP_MAP_DATA "/versions", "6.1.192");
	CHECK(t != NULL);
	if (t) {
		const km_entry *e = km_lookup(t, "dma_sync_single_for_cpu");
		CHECK(e && e->kind == KM_RUNTIME);
		CHECK(!km_lookup(t, "__dma_sync_single_for_cpu") && km_lookup(t, "current_task") && !km_lookup(t, "pcpu_hot"));
		CHECK_INT(km_count(t), 3);
	}
	km_free(t);
}

/* Every rename target is declared where ported code sees it: the headers
 * of headers/redox/ (ported code is compiled with -include
 * redox/kpi_main.h, which brings them in).  An undeclared one is an
 * implicit declaration, an error under kbuild's flags. */
static void test_rename_targets_declared(void)
{
	static const char *const headers[] = {"kpi_main.h", "kpi_stub.h", "lx_libc.h", "redox_io.h", NULL};
	ku_buf all = {0};
	for (size_t i = 0; headers[i]; i++) {
		char *p = ku_path_join(KP_REDOX_HEADERS, headers[i]);
		ku_buf b = {0};
		CHECK(ku_read_file(p, &b) == 0);
		ku_buf_printf(&all, "%s\n", ku_buf_str(&b));
		ku_buf_free(&b);
		free(p);
	}
	km_table *t = km_load_dir(KP_MAPPINGS_DIR);
	CHECK(t != NULL);
	size_t renames = 0;
	for (size_t i = 0; t && i < km_count(t); i++) {
		const km_entry *e = km_at(t, i);
		if (e->kind != KM_RENAME)
			continue;
		renames++;
		int declared = 0;
		size_t n = strlen(e->target);
		for (const char *p = strstr(ku_buf_str(&all), e->target); p && !declared; p = strstr(p + 1, e->target)) {
			char before = p == all.s ? ' ' : p[-1];
			declared = !(isalnum((unsigned char)before) || before == '_') && p[n] == '(';
		}
		if (!declared)
			fprintf(stderr, "  %s:%d: rename %s -> %s: %s is declared in no header of %s\n", e->file, e->line,
				e->symbol, e->target, e->target, KP_REDOX_HEADERS);
		CHECK(declared);
	}
	CHECK(renames > 50);
	km_free(t);
	ku_buf_free(&all);
}

int main(void)
{
	test_versions();
	test_good_string();
	test_line_endings();
	test_errors();
	test_long_name();
	test_dirs();
	test_real_tables();
	test_rename_targets_declared();
	return KTEST_DONE();
}
