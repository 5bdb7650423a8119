/* test_analyze.c: kp_analyze on the synthetic drivers of corpus/synthetic,
 * parsed against the real kernel headers of a prepared build dir: exact
 * symbols, headers, prototypes, sites, entry points, params, evaluated ID
 * tables, libc collisions, the merge of a two-source module (kp_inv, read
 * back from the documents as the analysis cache is), and errors.
 * Usage: test_analyze TREE BUILDDIR ARGSFILE SYNTHDIR (exit 77: skipped). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kp_analyze.h"
#include "kp_inv.h"
#include "kp_report.h"
#include "ktest.h"

static const char *tree, *builddir, *synth;
static ku_strv base_args;

/* The args file holds one kbuild compile command (8139too's); give the
 * synthetic module its own KBUILD_MODNAME. */
static void load_args(const char *file)
{
	ku_buf text = {0};
	if (ku_read_file(file, &text) < 0) {
		printf("SKIP: %s\n", ku_lasterr());
		exit(77);
	}
	for (char *line = strtok(text.s ? text.s : (char *)"", "\n"); line; line = strtok(NULL, "\n")) {
		if (!line[0] || ku_startswith(line, "-DKBUILD_") || ku_startswith(line, "-D__KBUILD_MODNAME"))
			continue;
		ku_strv_push(&base_args, line);
	}
	ku_buf_free(&text);
	if (!base_args.n) {
		printf("SKIP: empty args file %s\n", file);
		exit(77);
	}
}

static json_t *analyze(const char *driver, const char *file, const char *modname)
{
	ku_strv args = {0};
	for (size_t i = 0; i < base_args.n; i++)
		ku_strv_push(&args, base_args.v[i]);
	ku_strv_pushf(&args, "-DKBUILD_BASENAME=\"%s\"", modname);
	ku_strv_pushf(&args, "-DKBUILD_MODNAME=\"%s\"", modname);
	ku_strv_pushf(&args, "-D__KBUILD_MODNAME=kmod_%s", modname);
	char *dir = ku_path_join(synth, driver);
	char *path = ku_path_join(dir, file);
	ka_source src = {tree, builddir, path, dir, &args};
	json_t *doc = NULL;
	int rc = ka_analyze_source(&src, &doc);
	if (rc < 0)
		fprintf(stderr, "analyze %s: %s\n", path, ku_lasterr());
	CHECK(rc == 0 && doc);
	free(path);
	free(dir);
	ku_strv_free(&args);
	return doc;
}

static char *synth_path(const char *rel) { return ku_path_join(synth, rel); }

static json_t *sym(json_t *doc, const char *name, const char *kind)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "symbols"), i, s) {
		if (!strcmp(json_string_value(json_object_get(s, "name")), name) &&
		    !strcmp(json_string_value(json_object_get(s, "kind")), kind))
			return s;
	}
	return NULL;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "(missing)";
}

static long long num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_integer(v) ? json_integer_value(v) : -999999;
}

/* Check a symbol's facts; sites is "file:line:col ..." with file relative
 * to the synthetic dir, or "" for none. */
static void check_sym(json_t *doc, const char *name, const char *kind, const char *header, const char *provided,
		      int direct, const char *sites)
{
	json_t *s = sym(doc, name, kind);
	if (!s) {
		fprintf(stderr, "missing symbol %s %s\n", kind, name);
		CHECK(s != NULL);
		return;
	}
	if (header)
		CHECK_STR(str(s, "header"), header);
	CHECK_STR(str(s, "provided"), provided);
	CHECK_INT(json_is_true(json_object_get(s, "direct")), direct);
	ku_buf got = {0};
	size_t i;
	json_t *site;
	json_array_foreach(json_object_get(s, "sites"), i, site) {
		char *rel = ku_relpath_in(synth, str(site, "file"));
		ku_buf_printf(&got, "%s%s:%lld:%lld", i ? " " : "", rel ? rel : str(site, "file"), num(site, "line"),
			      num(site, "col"));
		free(rel);
	}
	if (strcmp(ku_buf_str(&got), sites))
		fprintf(stderr, "  (sites of %s)\n", name);
	CHECK_STR(ku_buf_str(&got), sites);
	ku_buf_free(&got);
}

static void check_id(json_t *ids, size_t i, long long vendor, long long device, long long subvendor,
		     long long subdevice, long long class, long long class_mask, long long driver_data)
{
	json_t *e = json_array_get(ids, i);
	CHECK(e != NULL);
	if (!e)
		return;
	CHECK_INT(num(e, "vendor"), vendor);
	CHECK_INT(num(e, "device"), device);
	CHECK_INT(num(e, "subvendor"), subvendor);
	CHECK_INT(num(e, "subdevice"), subdevice);
	CHECK_INT(num(e, "class"), class);
	CHECK_INT(num(e, "class_mask"), class_mask);
	CHECK_INT(num(e, "driver_data"), driver_data);
}

#define ANY 0xffffffffLL
#define MAIN "synth_pci/synth_pci_main.c"
#define HDR "synth_pci/synth_pci.h"

static void test_pci_main(json_t *doc)
{
	char *p = synth_path(MAIN), *h = synth_path(HDR);
	CHECK_STR(str(doc, "source"), p);
	json_t *files = json_object_get(doc, "files");
	CHECK_INT(json_array_size(files), 2);
	CHECK_STR(json_string_value(json_array_get(files, 0)), h);
	CHECK_STR(json_string_value(json_array_get(files, 1)), p);

	/* direct externs; pci_set_master's local variable namesake is not a site */
	check_sym(doc, "pci_enable_device", "function", "include/linux/pci.h", "extern", 1, MAIN ":57:8");
	CHECK_STR(str(sym(doc, "pci_enable_device", "function"), "prototype"),
		  "int pci_enable_device(struct pci_dev *dev)");
	check_sym(doc, "pci_set_master", "function", "include/linux/pci.h", "extern", 1, MAIN ":60:2");
	check_sym(doc, "kfree", "function", "include/linux/slab.h", "extern", 1, MAIN ":68:3 " MAIN ":82:2");
	check_sym(doc, "pci_iomap", "function", "include/asm-generic/pci_iomap.h", "extern", 1, MAIN ":64:13");
	/* header inlines, and what they need, transitively */
	check_sym(doc, "kzalloc", "function", "include/linux/slab.h", "inline", 1, MAIN ":61:7");
	check_sym(doc, "kmalloc", "function", "include/linux/slab.h", "inline", 0, "");
	check_sym(doc, "__kmalloc", "function", "include/linux/slab.h", "extern", 0, "");
	check_sym(doc, "kmalloc_caches", "variable", "include/linux/slab.h", "extern", 0, "");
	check_sym(doc, "request_irq", "function", "include/linux/interrupt.h", "inline", 1, MAIN ":66:8");
	check_sym(doc, "request_threaded_irq", "function", "include/linux/interrupt.h", "extern", 0, "");
	CHECK_STR(str(sym(doc, "request_irq", "function"), "prototype"),
		  "int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, "
		  "const char *name, void *dev)");
	check_sym(doc, "dev_set_drvdata", "function", "include/linux/device.h", "inline", 0, "");
	/* reached only through kernel macros */
	check_sym(doc, "pci_register_driver", "macro", "include/linux/pci.h", "macro", 1, MAIN ":95:9");
	CHECK_STR(str(sym(doc, "pci_register_driver", "macro"), "prototype"), "(driver)");
	check_sym(doc, "__pci_register_driver", "function", "include/linux/pci.h", "extern", 0, "");
	check_sym(doc, "_dev_info", "function", "include/linux/dev_printk.h", "extern", 0, "");
	check_sym(doc, "__this_module", "variable", "include/linux/export.h", "extern", 0, "");
	check_sym(doc, "param_ops_int", "variable", "include/linux/moduleparam.h", "extern", 0, "");
	check_sym(doc, "param_ops_bool", "variable", "include/linux/moduleparam.h", "extern", 0, "");
	check_sym(doc, "param_array_ops", "variable", "include/linux/moduleparam.h", "extern", 0, "");
	CHECK_STR(str(sym(doc, "param_ops_int", "variable"), "prototype"),
		  "const struct kernel_param_ops param_ops_int");
	/* macros: expanded in driver code, and named inside driver #define bodies */
	check_sym(doc, "PCI_DEVICE", "macro", "include/linux/pci.h", "macro", 1, MAIN ":27:4 " MAIN ":28:4");
	check_sym(doc, "PCI_VENDOR_ID_REDHAT", "macro", "include/linux/pci_ids.h", "macro", 1, MAIN ":28:15");
	check_sym(doc, "BIT", "macro", "include/vdso/bits.h", "macro", 1, HDR ":12:23 " HDR ":13:24");
	/* #ifdef of a defined CONFIG_ symbol: a generated header of the build dir */
	check_sym(doc, "CONFIG_PCI", "macro", "<build>/include/generated/autoconf.h", "macro", 1, MAIN ":109:8");
	check_sym(doc, "module_param_named", "macro", "include/linux/moduleparam.h", "macro", 1, MAIN ":17:1");
	/* types named in the driver's text */
	check_sym(doc, "struct pci_dev", "type", "include/linux/pci.h", "type", 1, MAIN ":52:31 " MAIN ":76:33");
	CHECK_STR(str(sym(doc, "struct pci_dev", "type"), "prototype"), "struct");
	check_sym(doc, "u32", "type", "include/asm-generic/int-ll64.h", "type", 1, HDR ":23:2 " HDR ":27:1");
	CHECK_STR(str(sym(doc, "u32", "type"), "underlying"), "__u32");
	/* the other source's function, declared in the driver's header */
	check_sym(doc, "synth_hw_reset", "function", h, "extern", 1, MAIN ":65:2");
	/* never: the driver's own names, locals, builtins, generated aliases,
	 * kernel macros expanded only inside kernel macros, indirect types */
	const char *absent[][2] = {
		{"debug", "variable"},	{"use_msi", "variable"},	  {"optind", "variable"},
		{"synth_probe", "function"}, {"synth_count", "function"},	  {"init_module", "function"},
		{"cleanup_module", "function"}, {"__builtin_expect", "function"}, {"struct synth_pci", "type"},
		{"enum sp_board", "type"},	{"SP_R32", "macro"},		  {"SP_CTRL_ENABLE", "macro"},
		{"__UNIQUE_ID", "macro"},	{"__stringify", "macro"},	  {"initcall_t", "type"},
		{"struct kernel_param", "type"}, {"pci_set_drvdata", "macro"},
	};
	for (size_t i = 0; i < sizeof absent / sizeof absent[0]; i++) {
		if (sym(doc, absent[i][0], absent[i][1]))
			fprintf(stderr, "unexpected symbol %s %s\n", absent[i][1], absent[i][0]);
		CHECK(sym(doc, absent[i][0], absent[i][1]) == NULL);
	}
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "symbols"), i, s) {
		CHECK(!ku_startswith(str(s, "name"), "__compiletime_assert"));
		CHECK(!ku_startswith(str(s, "name"), "__builtin"));
	}

	json_t *ep = json_object_get(doc, "entry_points");
	CHECK_INT(json_array_size(ep), 2);
	CHECK_STR(str(json_array_get(ep, 0), "kind"), "module_init");
	CHECK_STR(str(json_array_get(ep, 0), "function"), "synth_init");
	CHECK_INT(num(json_array_get(ep, 0), "line"), 103);
	CHECK_STR(str(json_array_get(ep, 0), "file"), p);
	CHECK_STR(str(json_array_get(ep, 1), "kind"), "module_exit");
	CHECK_STR(str(json_array_get(ep, 1), "function"), "synth_exit");
	CHECK_INT(num(json_array_get(ep, 1), "line"), 104);

	json_t *params = json_object_get(doc, "params");
	CHECK_INT(json_array_size(params), 3);
	json_t *pd = json_array_get(params, 0), *pm = json_array_get(params, 1), *pa = json_array_get(params, 2);
	CHECK_STR(str(pd, "name"), "debug");
	CHECK_STR(str(pd, "type"), "int");
	CHECK_INT(num(pd, "perm"), 0644);
	CHECK_STR(str(pd, "description"), "debug level (0-3)");
	CHECK_STR(str(pd, "variable"), "debug");
	CHECK_INT(num(pd, "line"), 13);
	CHECK_STR(str(pm, "name"), "msi");
	CHECK_STR(str(pm, "type"), "bool");
	CHECK_INT(num(pm, "perm"), 0444);
	CHECK_STR(str(pm, "variable"), "use_msi");
	CHECK_STR(str(pm, "description"), "use MSI");
	CHECK_STR(str(pa, "name"), "speeds");
	CHECK_STR(str(pa, "type"), "array of int");
	CHECK_INT(num(pa, "perm"), 0);
	CHECK_STR(str(pa, "variable"), "speeds");
	CHECK_INT(num(pa, "array_max"), 4);
	CHECK_STR(str(pa, "array_count"), "nspeeds");
	CHECK(json_is_null(json_object_get(pa, "description")));

	json_t *tabs = json_object_get(doc, "id_tables");
	CHECK_INT(json_array_size(tabs), 1);
	json_t *t = json_array_get(tabs, 0);
	CHECK_STR(str(t, "name"), "synth_pci_ids");
	CHECK_STR(str(t, "bus"), "pci");
	CHECK_INT(num(t, "line"), 26);
	CHECK(json_is_true(json_object_get(t, "device_table")));
	json_t *ids = json_object_get(t, "ids");
	CHECK_INT(json_array_size(ids), 6); /* the { } terminator is not an entry */
	check_id(ids, 0, 0x1234, 0x5678, ANY, ANY, 0, 0, 0);
	check_id(ids, 1, 0x1b36, 0x0011, ANY, ANY, 0, 0, 2);
	check_id(ids, 2, ANY, ANY, ANY, ANY, 0x020000, 0xffff00, 0);
	check_id(ids, 3, 0x8086, 0x100e, ANY, ANY, 0, 0, 1);
	check_id(ids, 4, 0x10ec, 0x8139, ANY, ANY, 0, 0, 2);
	check_id(ids, 5, 0xabcd, 0x0001, 1, 2, 0, 0, 0);

	json_t *libc = json_object_get(doc, "libc_collisions");
	CHECK_INT(json_array_size(libc), 1);
	CHECK_STR(str(json_array_get(libc, 0), "name"), "optind");
	CHECK_STR(str(json_array_get(libc, 0), "kind"), "variable");
	CHECK_INT(num(json_array_get(libc, 0), "line"), 24);

	json_t *mi = json_object_get(doc, "modinfo");
	CHECK_INT(json_array_size(mi), 3);
	CHECK_STR(json_string_value(json_array_get(mi, 0)), "license=Dual MIT/GPL");
	CHECK_STR(json_string_value(json_array_get(mi, 1)), "description=kpiport synthetic PCI driver");
	CHECK_STR(json_string_value(json_array_get(mi, 2)), "bus=pci");
	free(p);
	free(h);
}

static void test_pci_hw(json_t *doc)
{
	check_sym(doc, "iowrite32", "function", "include/asm-generic/iomap.h", "extern", 1, HDR ":17:30");
	CHECK_STR(str(sym(doc, "iowrite32", "function"), "prototype"), "void iowrite32(u32, void *)");
	check_sym(doc, "ioread32", "function", "include/asm-generic/iomap.h", "extern", 1, HDR ":16:26");
	check_sym(doc, "msleep", "function", "include/linux/delay.h", "extern", 1, "synth_pci/synth_pci_hw.c:9:2");
	CHECK(sym(doc, "synth_hw_reset", "function") == NULL); /* defined here */
	json_t *defs = json_object_get(doc, "defines");
	CHECK_INT(json_array_size(defs), 2);
	CHECK_STR(json_string_value(json_array_get(defs, 0)), "synth_hw_reset");
	CHECK_STR(json_string_value(json_array_get(defs, 1)), "synth_hw_status");
	CHECK_INT(json_array_size(json_object_get(doc, "entry_points")), 0);
	CHECK_INT(json_array_size(json_object_get(doc, "libc_collisions")), 0);
}

/* The analysis documents as the pipeline reads them (the cache's typed
 * units), merged, and printed the way report.json prints an inventory. */
static json_t *merge_json(json_t *const *docs, size_t n)
{
	ki_inventory *units[2] = {NULL, NULL};
	for (size_t i = 0; i < n; i++) {
		units[i] = ki_read_unit(docs[i]);
		CHECK(units[i] != NULL);
		if (!units[i])
			return json_object();
	}
	ki_inventory *m = ki_merge(units, n);
	json_t *j = krep_inventory(m);
	ki_free(m);
	for (size_t i = 0; i < n; i++)
		ki_free(units[i]);
	return j;
}

static void test_merge(json_t *main_doc, json_t *hw_doc)
{
	json_t *docs[2] = {main_doc, hw_doc};
	json_t *m = merge_json(docs, 2);
	char *p = synth_path(MAIN);
	CHECK_STR(str(m, "source"), p);
	CHECK_INT(json_array_size(json_object_get(m, "sources")), 2);
	CHECK_INT(json_array_size(json_object_get(m, "files")), 3);
	/* defined by the hw source: no longer external */
	CHECK(sym(m, "synth_hw_reset", "function") == NULL);
	CHECK(sym(m, "synth_hw_status", "function") == NULL);
	check_sym(m, "iowrite32", "function", "include/asm-generic/iomap.h", "extern", 1, HDR ":17:30");
	check_sym(m, "pci_enable_device", "function", "include/linux/pci.h", "extern", 1, MAIN ":57:8");
	/* the shared header's sites once, not once per source */
	check_sym(m, "BIT", "macro", "include/vdso/bits.h", "macro", 1, HDR ":12:23 " HDR ":13:24");
	check_sym(m, "u32", "type", NULL, "type", 1,
		  HDR ":23:2 " HDR ":27:1 synth_pci/synth_pci_hw.c:13:1");
	/* sorted by name */
	json_t *syms = json_object_get(m, "symbols");
	for (size_t i = 1; i < json_array_size(syms); i++)
		CHECK(strcmp(str(json_array_get(syms, i - 1), "name"), str(json_array_get(syms, i), "name")) <= 0);
	CHECK_INT(json_array_size(json_object_get(m, "entry_points")), 2);
	CHECK_INT(json_array_size(json_object_get(m, "id_tables")), 1);
	CHECK_INT(json_array_size(json_object_get(m, "params")), 3);
	json_decref(m);
	json_t *empty = merge_json(NULL, 0);
	CHECK_INT(json_array_size(json_object_get(empty, "symbols")), 0);
	json_decref(empty);
	free(p);
}

static void test_plat(json_t *doc)
{
	const char *F = "synth_plat/synth_plat.c";
	json_t *ep = json_object_get(doc, "entry_points");
	CHECK_INT(json_array_size(ep), 1); /* not also the init/exit it generates */
	CHECK_STR(str(json_array_get(ep, 0), "kind"), "module_platform_driver");
	CHECK_STR(str(json_array_get(ep, 0), "driver"), "synth_plat_driver");
	CHECK_INT(num(json_array_get(ep, 0), "line"), 50);
	check_sym(doc, "module_platform_driver", "macro", "include/linux/platform_device.h", "macro", 1,
		  "synth_plat/synth_plat.c:50:1");
	check_sym(doc, "__platform_driver_register", "function", "include/linux/platform_device.h", "extern", 0, "");
	(void)F;

	json_t *tabs = json_object_get(doc, "id_tables");
	CHECK_INT(json_array_size(tabs), 2);
	json_t *of = json_array_get(tabs, 0), *pl = json_array_get(tabs, 1);
	CHECK_STR(str(of, "bus"), "of");
	CHECK_STR(str(of, "name"), "synth_plat_of_ids");
	CHECK(json_is_true(json_object_get(of, "device_table")));
	json_t *ids = json_object_get(of, "ids");
	CHECK_INT(json_array_size(ids), 2);
	CHECK_STR(str(json_array_get(ids, 0), "compatible"), "kpiport,synth-a");
	CHECK(json_is_null(json_object_get(json_array_get(ids, 0), "data")));
	CHECK_STR(str(json_array_get(ids, 1), "compatible"), "kpiport,synth-b");
	CHECK_STR(str(json_array_get(ids, 1), "data"), "(void *)2");
	CHECK_STR(str(pl, "bus"), "platform");
	CHECK(json_is_false(json_object_get(pl, "device_table")));
	ids = json_object_get(pl, "ids");
	CHECK_INT(json_array_size(ids), 2);
	CHECK_STR(str(json_array_get(ids, 0), "name"), "synth-plat");
	CHECK_INT(num(json_array_get(ids, 0), "driver_data"), 7);
	CHECK_STR(str(json_array_get(ids, 1), "name"), "synth-plat2");
	CHECK_INT(num(json_array_get(ids, 1), "driver_data"), 0x10);

	json_t *libc = json_object_get(doc, "libc_collisions");
	CHECK_INT(json_array_size(libc), 1); /* the static sleep() is not one */
	CHECK_STR(str(json_array_get(libc, 0), "name"), "perror");
	CHECK_STR(str(json_array_get(libc, 0), "kind"), "function");
	CHECK_INT(num(json_array_get(libc, 0), "line"), 26);
}

/* Sources clang rejects give -1 and file:line:col: message. */
static void test_errors(void)
{
	char tmpl[] = "/tmp/ka_test_XXXXXX";
	char *dir = mkdtemp(tmpl);
	CHECK(dir != NULL);
	if (!dir)
		return;
	char *bad = ku_path_join(dir, "broken.c");
	const char *text = "#include <linux/module.h>\nstatic int x = ;\n";
	CHECK(ku_write_file(bad, text, strlen(text)) == 0);
	ka_source src = {tree, builddir, bad, dir, &base_args};
	json_t *doc = (json_t *)1;
	CHECK_INT(ka_analyze_source(&src, &doc), -1);
	CHECK(doc == NULL);
	char *want = ku_printf("%s:2:16: error: expected expression", bad);
	CHECK_STR(ku_lasterr(), want);
	free(want);

	const char *missing = "#include <linux/no_such_header.h>\nint y;\n";
	CHECK(ku_write_file(bad, missing, strlen(missing)) == 0);
	CHECK_INT(ka_analyze_source(&src, &doc), -1);
	CHECK(strstr(ku_lasterr(), "broken.c:1:10: fatal error: 'linux/no_such_header.h' file not found") != NULL);

	char *none = ku_path_join(dir, "none.c");
	src.path = none;
	CHECK_INT(ka_analyze_source(&src, &doc), -1);
	CHECK(strstr(ku_lasterr(), "none.c") != NULL);

	/* no kernel flags at all, odd but valid C: no crash, empty inventory */
	const char *plain = "int main(void) { return 0; }\n";
	CHECK(ku_write_file(bad, plain, strlen(plain)) == 0);
	ka_source bare = {tree, builddir, bad, dir, NULL};
	CHECK_INT(ka_analyze_source(&bare, &doc), 0);
	CHECK_INT(json_array_size(json_object_get(doc, "symbols")), 0);
	CHECK_INT(json_array_size(json_object_get(doc, "defines")), 1);
	json_decref(doc);
	free(none);
	ku_rm_rf(dir);
	free(bad);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s TREE BUILDDIR ARGSFILE SYNTHDIR\n", argv[0]);
		return 2;
	}
	tree = argv[1];
	builddir = argv[2];
	char *autoconf = ku_path_join(builddir, "include/generated/autoconf.h");
	int ready = ku_is_dir(tree) && ku_is_file(autoconf);
	free(autoconf);
	if (!ready) {
		printf("SKIP: no tree %s or prepared build dir %s\n", tree, builddir);
		return 77;
	}
	char *real = ku_realpath(argv[4]);
	synth = real;
	load_args(argv[3]);

	json_t *main_doc = analyze("synth_pci", "synth_pci_main.c", "synth_pci");
	json_t *hw_doc = analyze("synth_pci", "synth_pci_hw.c", "synth_pci");
	json_t *plat_doc = analyze("synth_plat", "synth_plat.c", "synth_plat");
	if (main_doc)
		test_pci_main(main_doc);
	if (hw_doc)
		test_pci_hw(hw_doc);
	if (main_doc && hw_doc)
		test_merge(main_doc, hw_doc);
	if (plat_doc)
		test_plat(plat_doc);
	test_errors();
	json_decref(main_doc);
	json_decref(hw_doc);
	json_decref(plat_doc);
	ku_strv_free(&base_args);
	free(real);
	return KTEST_DONE();
}
