/* test_backhalf.c: the translator's back half on small fixture inventories
 * (tests/unit/data/backhalf: analysis documents written for this test, a
 * driver "drv" of two sources, a companion module and two lib/ files), with
 * no kernel tree and no spatch:
 *  - the inventory: the cache reader (strict), the merge, report.json's form;
 *  - dispositions (the map stage) from a mapping table text;
 *  - the resolve fix-point, with fake config/analyze callbacks: imports by
 *    default and by companion, a second round, a config that grows once, an
 *    input that is never edited, a closure that never closes, the code a
 *    KUnit module tests, the modules of the driver's family;
 *  - stubs: kpiport_stubs.c's text;
 *  - the rule groups' header lines (Options, the `;` macros, includes);
 *  - emit: upstream + imports commits, the stubs commit and the records in a
 *    temporary git repository; report.json is written to argv[1] when given,
 *    for the schema check (tests/unit/check_report_schema.py).
 * Usage: test_backhalf DATA_DIR [REPORT_OUT] */
#define _GNU_SOURCE
#include "ktest.h"
#include "kp_emit.h"
#include "kp_git.h"
#include "kp_resolve.h"
#include "kp_symindex.h"
#include "kp_spatch.h"
#include "kp_stubs.h"
#include "kp_upstream.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *data_dir;
static char *tree; /* a temporary "Linux tree" with the fixture's files */

static json_t *load_doc(const char *name)
{
	char *path = ku_printf("%s/%s.json", data_dir, name);
	json_error_t e;
	json_t *doc = json_load_file(path, 0, &e);
	if (!doc)
		fprintf(stderr, "%s: %s\n", path, e.text);
	free(path);
	return doc;
}

static ki_inventory *load_unit(const char *name)
{
	json_t *doc = load_doc(name);
	ki_inventory *u = doc ? ki_read_unit(doc) : NULL;
	if (!u)
		fprintf(stderr, "%s: %s\n", name, ku_lasterr());
	json_decref(doc);
	return u;
}

static const char *const table_text =
	"rename { ioremap = \"redox_ioremap\" }\n"                                    /* 1 */
	"runtime { \"jiffies\", \"printk\" }\n"                                       /* 2 */
	"stub \"no system sleep in a daemon\" { pci_save_state = { ret = 0 } }\n"     /* 3 */
	"unsupported { old_isa_dma = \"ISA DMA has no Redox equivalent\" }\n"        /* 4 */
	"header { pci_read_config_word = { note = \"inline over config space\" } }\n"; /* 5 */

static km_table *map;
static ku_strv companions;

static const kd_disp *find(const kd_list *l, const char *symbol)
{
	const kd_disp *d = kd_find(l, symbol);
	if (!d)
		fprintf(stderr, "no disposition for %s\n", symbol);
	return d;
}

/* ---- the inventory ---- */

static void test_reader(void)
{
	json_t *doc = load_doc("drv_hw");
	json_object_set_new(doc, "surprise", json_true());
	CHECK(ki_read_unit(doc) == NULL);
	CHECK(strstr(ku_lasterr(), "surprise") != NULL);
	json_object_del(doc, "surprise");
	json_t *sym = json_array_get(json_object_get(doc, "symbols"), 0);
	json_object_set_new(sym, "line", json_string("two hundred"));
	CHECK(ki_read_unit(doc) == NULL);
	CHECK(strstr(ku_lasterr(), "symbols[0].line") != NULL);
	json_object_set_new(sym, "line", json_integer(200));
	json_object_set_new(sym, "kind", json_string("gadget"));
	CHECK(ki_read_unit(doc) == NULL);
	json_decref(doc);
	json_t *arr = json_array();
	CHECK(ki_read_unit(arr) == NULL);
	json_decref(arr);
	/* entry functions: role init or exit, a function, a macro or null */
	doc = load_doc("drv_main");
	ki_inventory *u = ki_read_unit(doc);
	CHECK(u && u->nentryfns == 2);
	if (u && u->nentryfns == 2) {
		CHECK(u->entryfns[0].role == KI_INIT && !strcmp(u->entryfns[0].function, "drv_init"));
		CHECK(u->entryfns[1].role == KI_EXIT && !strcmp(u->entryfns[1].macro, "module_exit"));
		CHECK_INT(u->entryfns[1].line, 71);
	}
	ki_free(u);
	json_t *fn = json_array_get(json_object_get(doc, "entry_functions"), 1);
	json_object_set_new(fn, "macro", json_null()); /* init_module written out */
	u = ki_read_unit(doc);
	CHECK(u && u->entryfns[1].macro == NULL);
	ki_free(u);
	json_object_set_new(fn, "role", json_string("probe"));
	CHECK(ki_read_unit(doc) == NULL);
	CHECK(strstr(ku_lasterr(), "entry_functions[1].role") != NULL);
	json_decref(doc);
}

/* What report.json prints of a unit is the cache's document, key for key,
 * except the entry functions: the rewrite stage's input, which the generic
 * entry's commit names (report.json kept its shape). */
static void test_roundtrip(const char *name)
{
	json_t *doc = load_doc(name);
	ki_inventory *u = ki_read_unit(doc);
	json_t *back = krep_inventory(u);
	CHECK(json_array_size(json_object_get(back, "sources")) == 0);
	CHECK(json_object_get(back, "entry_functions") == NULL);
	json_object_del(back, "sources");
	json_object_del(doc, "entry_functions");
	CHECK(json_equal(doc, back));
	json_decref(doc), json_decref(back);
	ki_free(u);
}

static void test_merge(void)
{
	ki_inventory *u[2] = {load_unit("drv_main"), load_unit("drv_hw")};
	ki_inventory *m = ki_merge(u, 2);
	CHECK_STR(m->source, "drivers/x/drv_main.c");
	CHECK_INT(m->sources.n, 2);
	CHECK_STR(m->sources.v[1], "drivers/x/drv_hw.c");
	CHECK_INT(m->files.n, 3); /* drv.h once */
	CHECK_STR(m->files.v[0], "drivers/x/drv.h");
	CHECK_STR(m->files.v[2], "drivers/x/drv_main.c");
	CHECK_INT(m->defines.n, 3);
	CHECK_STR(m->defines.v[0], "drv_hw_init");
	/* drv_hw_init: declared in drv.h, defined by drv_hw.c: the module's own */
	CHECK(ki_find(m, "drv_hw_init", KI_FUNCTION) == NULL);
	CHECK_INT(m->nsymbols, 11);
	for (size_t i = 1; i < m->nsymbols; i++)
		CHECK(strcmp(m->symbols[i - 1].name, m->symbols[i].name) < 0);
	const ki_symbol *io = ki_find(m, "ioremap", KI_FUNCTION);
	CHECK(io && io->nsites == 3); /* drv.h:8:12 is seen by both sources: once */
	if (io && io->nsites == 3) {
		CHECK_INT(io->sites[1].line, 8);
		CHECK_STR(io->sites[2].file, "drivers/x/drv_hw.c");
	}
	const ki_symbol *j = ki_find(m, "jiffies", KI_VARIABLE);
	CHECK(j && j->direct && j->nsites == 1); /* direct if any source names it */
	CHECK(ki_find(m, "jiffies", KI_FUNCTION) == NULL);
	CHECK(ki_find(m, "u32", KI_TYPE) && ki_find(m, "u32", KI_TYPE)->function_like == -1);
	CHECK_STR(ki_find(m, "u32", KI_TYPE)->underlying, "unsigned int");
	CHECK_INT(m->nentries, 2);
	CHECK_INT(m->nentryfns, 2); /* drv_main's; drv_hw has none */
	CHECK_INT(m->nparams, 2);
	CHECK(m->params[1].type == NULL && m->params[1].has_array_max && m->params[1].array_max == 8);
	CHECK_INT(m->ntables, 1);
	CHECK_INT(ki_id_int(&m->tables[0].ids[0], "vendor"), 0x8086);
	CHECK_INT(ki_id_int(&m->tables[0].ids[1], "driver_data"), 0); /* a "0x..." string */
	CHECK_INT(ki_id_int(&m->tables[0].ids[0], "no_such_field"), 0);
	CHECK_INT(m->nlibc, 1);
	json_t *j2 = krep_inventory(m);
	CHECK_INT(json_array_size(json_object_get(j2, "sources")), 2);
	json_decref(j2);
	ki_free(m), ki_free(u[0]), ki_free(u[1]);
}

/* ---- dispositions ---- */

static kan_result driver_analysis(void)
{
	kan_result r = {.n = 2};
	r.units = ku_calloc(3, sizeof *r.units);
	r.units[0] = load_unit("drv_main");
	r.units[1] = load_unit("drv_hw");
	r.inventory = ki_merge(r.units, 2);
	return r;
}

static kd_ctx disp_ctx(void)
{
	return (kd_ctx){.map = map, .companions = &companions, .module_dir = "drivers/x"};
}

static void test_dispose(void)
{
	kan_result a = driver_analysis();
	kd_ctx c = disp_ctx();
	kd_list l = {0};
	CHECK_INT(kd_dispose(&c, a.inventory->symbols, a.inventory->nsymbols, 0, &l), 0);
	CHECK_INT(l.n, 11);
	const kd_disp *d = find(&l, "ioremap");
	CHECK(d && d->disposition == KM_RENAME && !strcmp(d->target, "redox_ioremap") && d->sites == 3);
	CHECK(d && !strcmp(d->table, "mappings/t.lua:1"));
	d = find(&l, "jiffies");
	CHECK(d && d->disposition == KM_RUNTIME && d->direct);
	d = find(&l, "pci_save_state");
	CHECK(d && d->disposition == KM_STUB && !strcmp(d->ret, "0") &&
	      !strcmp(d->reason, "no system sleep in a daemon"));
	d = find(&l, "crc32_le"); /* out of line, in no table: a stub until resolve imports it */
	CHECK(d && d->disposition == KM_STUB && !d->table && d->target == NULL);
	d = find(&l, "drv_core_attach"); /* declared in the driver's header: its companion */
	CHECK(d && d->disposition == KM_IMPORT && !strcmp(d->target, "drivers/x/drv_core.c"));
	d = find(&l, "pci_read_config_word");
	CHECK(d && d->disposition == KM_HEADER && !strcmp(d->reason, "inline over config space"));
	d = find(&l, "struct pci_dev");
	CHECK(d && d->disposition == KM_HEADER && !d->table && d->prototype && !strcmp(d->prototype, "struct"));
	d = find(&l, "PCI_ANY_ID");
	CHECK(d && d->prototype == NULL); /* "" in the inventory */
	CHECK_INT(kd_stub_count(&l), 4); /* crc32_le, legacy_table, mystery_call, pci_save_state */
	kd_free(&l);
	/* An unsupported name the driver uses directly stops the port, naming it. */
	ki_symbol isa = {.name = "old_isa_dma", .kind = KI_FUNCTION, .header = "include/asm/dma.h",
			 .prototype = "int old_isa_dma(void)", .provided = KI_EXTERN, .direct = 1};
	CHECK_INT(kd_dispose(&c, &isa, 1, 0, &l), -1);
	CHECK(strstr(ku_lasterr(), "old_isa_dma (mappings/t.lua:4): ISA DMA") != NULL);
	CHECK_INT(l.n, 1);
	kd_free(&l);
	isa.direct = 0; /* reached only through a header inline: not refused */
	CHECK_INT(kd_dispose(&c, &isa, 1, 0, &l), 0);
	kd_free(&l);
	kan_free(&a);
}

/* ---- resolve, with fake earlier stages ---- */

typedef struct fake {
	int reconfigs, builds, chain; /* chain: every import needs one more (never closes) */
	int kunit;                    /* a KUnit module's names: exported beside it or in mm/ */
	int subsys;                   /* drivers/sub/: an import_tree core with an internal name */
	int family;                   /* modules of a driver's family (fam_*): exported around it */
	int family_internal;          /* ...and core.c needs vendor_internal, which util.c defines unexported */
	char *last_build;
} fake;

static const char *fake_exporter(void *ctx, const char *symbol)
{
	fake *f = ctx;
	static char chained[64];
	if (f->chain && ku_startswith(symbol, "link_")) {
		snprintf(chained, sizeof chained, "lib/%s.c", symbol);
		return chained;
	}
	if (f->kunit) {
		if (!strcmp(symbol, "time64_to_tm"))
			return "kernel/time/timeconv.c";
		if (!strcmp(symbol, "drm_rect_clip_scaled"))
			return "drivers/gpu/drm/drm_rect.c";
		if (!strcmp(symbol, "__vmalloc"))
			return "mm/nommu.c";
		return NULL;
	}
	if (f->subsys)
		return !strcmp(symbol, "sub_register") ? "drivers/sub/sub_core.c" : NULL;
	if (f->family) {
		static const char *const fam[][2] = {
			{"fam_pci_probe", "drivers/net/vendor/chip/pci.c"}, /* beside, CHIP_PCI */
			{"fam_core_rx", "drivers/net/vendor/core.c"},       /* the parent, VENDOR_CORE */
			{"fam_usb_rx", "drivers/net/vendor/usb.c"},         /* the parent, VENDOR_USB: not built */
			{"fam_far", "drivers/net/other/far.c"},             /* elsewhere */
			{"fam_scsi_done", "drivers/scsi/scsi_lib.c"},       /* a subsystem's top dir */
		};
		for (size_t i = 0; i < sizeof fam / sizeof fam[0]; i++)
			if (!strcmp(symbol, fam[i][0]))
				return fam[i][1];
		return NULL;
	}
	if (!strcmp(symbol, "crc32_le"))
		return "lib/crc32.c";
	if (!strcmp(symbol, "crc32_helper"))
		return "lib/crc32_helper.c";
	if (!strcmp(symbol, "drv_core_attach"))
		return "drivers/x/drv_core.c";
	return NULL; /* mystery_call: exported by nobody */
}

static char *fake_gate(void *ctx, const char *tree_c)
{
	(void)ctx;
	if (!strcmp(tree_c, "drivers/net/vendor/chip/pci.c"))
		return ku_strdup("CHIP_PCI");
	if (!strcmp(tree_c, "drivers/net/vendor/core.c"))
		return ku_strdup("VENDOR_CORE");
	if (!strcmp(tree_c, "drivers/net/vendor/usb.c"))
		return ku_strdup("VENDOR_USB");
	if (!strcmp(tree_c, "drivers/net/other/far.c"))
		return ku_strdup("OTHER");
	if (!strcmp(tree_c, "drivers/scsi/scsi_lib.c"))
		return ku_strdup("SCSI");
	return !strcmp(tree_c, "lib/crc32_helper.c") ? ku_strdup("CRC32_HELPER") : NULL;
}

/* The driver's config: what a driver of drivers/net/vendor/chip selects
 * or depends on (VENDOR_USB is not among them). */
static int fake_enabled(void *ctx, const char *symbol)
{
	(void)ctx;
	return !strcmp(symbol, "CHIP_PCI") || !strcmp(symbol, "VENDOR_CORE") || !strcmp(symbol, "OTHER") ||
	       !strcmp(symbol, "SCSI");
}

/* The first build dir does not build lib/crc32_helper.o; the grown one does. */
static int fake_object_args(void *ctx, const char *builddir, const ku_strv *objs, ku_strv *args)
{
	(void)ctx;
	if (!strcmp(builddir, "/build/a") && ku_strv_has(objs, "lib/crc32_helper.o"))
		return ku_err("make: no rule for lib/crc32_helper.o");
	for (size_t i = 0; i < objs->n; i++) {
		ku_strv_pushf(&args[i], "-DOBJ=%s", objs->v[i]);
		ku_strv_pushf(&args[i], "-DBUILD=%s", builddir);
	}
	return 0;
}

static void fake_build(void *ctx, const char *builddir, const ku_strv *objs)
{
	fake *f = ctx;
	(void)objs;
	f->builds++;
	free(f->last_build);
	f->last_build = ku_strdup(builddir);
}

static int fake_reconfigure(void *ctx, const ku_strv *extra, kconf_config **config, kan_result **driver)
{
	fake *f = ctx;
	f->reconfigs++;
	kconf_config *c = ku_calloc(1, sizeof *c);
	c->builddir = ku_strdup("/build/b");
	c->fragment = ku_printf("CONFIG_DRV=m\n%s\n", extra->v[0]);
	*config = c;
	*driver = ku_calloc(1, sizeof **driver);
	**driver = driver_analysis();
	return 0;
}

static int fake_analyze_one(void *ctx, const char *builddir, const char *source, const ku_strv *args,
			    ki_inventory **unit)
{
	fake *f = ctx;
	(void)builddir;
	CHECK(args->n == 2);
	const char *base = ku_basename(source);
	if (f->family && !strcmp(base, "core.c") && f->family_internal) { /* needs vendor_internal, unexported */
		const char *text = "{\"source\": \"drivers/net/vendor/core.c\", \"files\": [], \"defines\": [], "
				   "\"modinfo\": [], \"entry_points\": [], \"params\": [], \"id_tables\": [], "
				   "\"libc_collisions\": [], \"symbols\": [{\"name\": \"vendor_internal\", \"kind\": "
				   "\"function\", \"header\": \"drivers/net/vendor/vendor.h\", \"line\": 1, "
				   "\"prototype\": \"int vendor_internal(void)\", \"provided\": \"extern\", "
				   "\"direct\": true, \"sites\": []}]}";
		json_t *doc = json_loads(text, 0, NULL);
		*unit = ki_read_unit(doc);
		json_decref(doc);
		return *unit ? 0 : -1;
	}
	if (f->kunit || f->family) { /* the code under test (or the family module) needs nothing more */
		char *text = ku_printf("{\"source\": \"%s\", \"files\": [], \"defines\": [], \"modinfo\": [], "
				       "\"entry_points\": [], \"params\": [], \"id_tables\": [], "
				       "\"libc_collisions\": [], \"symbols\": []}", base);
		json_t *doc = json_loads(text, 0, NULL);
		*unit = ki_read_unit(doc);
		json_decref(doc);
		free(text);
		return *unit ? 0 : -1;
	}
	if (f->chain) { /* lib/link_N.c needs link_{N+1} */
		int n = atoi(base + 5);
		char *text = ku_printf("{\"source\": \"lib/link_%d.c\", \"files\": [], \"defines\": [\"link_%d\"], "
				       "\"modinfo\": [], \"entry_points\": [], \"params\": [], \"id_tables\": [], "
				       "\"libc_collisions\": [], \"symbols\": [{\"name\": \"link_%d\", \"kind\": "
				       "\"function\", \"header\": \"include/linux/link.h\", \"line\": 1, "
				       "\"prototype\": \"void link_%d(void)\", \"provided\": \"extern\", "
				       "\"direct\": true, \"sites\": []}]}", n, n, n + 1, n + 1);
		json_t *doc = json_loads(text, 0, NULL);
		*unit = ki_read_unit(doc);
		json_decref(doc);
		free(text);
		return *unit ? 0 : -1;
	}
	if (f->subsys) { /* sub_core.c needs sub_internal (drivers/sub/sub_internal.h), unexported */
		int core = !strcmp(base, "sub_core.c");
		char *text = ku_printf("{\"source\": \"drivers/sub/%s\", \"files\": [], \"defines\": [], "
				       "\"modinfo\": [], \"entry_points\": [], \"params\": [], \"id_tables\": [], "
				       "\"libc_collisions\": [], \"symbols\": [%s]}", base,
				       core ? "{\"name\": \"sub_internal\", \"kind\": \"function\", \"header\": "
					      "\"drivers/sub/sub_internal.h\", \"line\": 1, \"prototype\": "
					      "\"int sub_internal(void)\", \"provided\": \"extern\", \"direct\": true, "
					      "\"sites\": []}" : "");
		json_t *doc = json_loads(text, 0, NULL);
		*unit = ki_read_unit(doc);
		json_decref(doc);
		free(text);
		return *unit ? 0 : -1;
	}
	char *name = ku_strndup(base, strlen(base) - 2);
	*unit = load_unit(name);
	free(name);
	return *unit ? 0 : -1;
}

static int fake_analyze(void *ctx, const char *builddir, const ku_strv *sources, const ku_strv *args,
			ki_inventory **units)
{
	for (size_t i = 0; i < sources->n; i++)
		if (fake_analyze_one(ctx, builddir, sources->v[i], &args[i], &units[i]) != 0)
			return -1;
	return 0;
}

static int fake_dispose(void *ctx, const ki_symbol *syms, size_t n, int for_imports, kd_list *out)
{
	(void)ctx;
	kd_ctx c = disp_ctx();
	return kd_dispose(&c, syms, n, for_imports, out);
}

/* drivers/sub/sub_util.c defines sub_internal without exporting it. */
static const char *fake_definer(void *ctx, const char *symbol, const char *dir)
{
	(void)ctx;
	if (!strcmp(symbol, "vendor_internal") && !strcmp(dir, "drivers/net/vendor"))
		return "drivers/net/vendor/util.c";
	return !strcmp(symbol, "sub_internal") && !strcmp(dir, "drivers/sub") ? "drivers/sub/sub_util.c" : NULL;
}

static kres_env fake_env(fake *f)
{
	return (kres_env){.ctx = f, .exporter = fake_exporter, .definer = fake_definer, .gate = fake_gate, .enabled = fake_enabled,
			  .object_args = fake_object_args, .build_objects = fake_build,
			  .reconfigure = fake_reconfigure, .analyze = fake_analyze, .dispose = fake_dispose};
}

static kres_result resolved; /* kept for the stubs and emit tests */
static kan_result analysis;
static kconf_config config;

static void test_resolve(void)
{
	analysis = driver_analysis();
	config.builddir = ku_strdup("/build/a");
	kd_list disps = {0};
	kd_ctx c = disp_ctx();
	kd_dispose(&c, analysis.inventory->symbols, analysis.inventory->nsymbols, 0, &disps);
	fake f = {0};
	kres_env env = fake_env(&f);
	kres_input in = {.config = &config, .driver = &analysis, .disps = &disps, .companions = &companions,
			 .tree_root = tree};
	kres_result *r = &resolved;
	CHECK_INT(kres_resolve(&in, &env, r), 0);
	if (r->nimports < 2) {
		fprintf(stderr, "resolve: %s\n", ku_lasterr());
		CHECK_INT(r->nimports, 3);
		return;
	}
	/* In disposition order; each with the reason of the name that brought it. */
	CHECK_STR(r->imports[0].file, "lib/crc32.c");
	CHECK_STR(r->imports[0].reason, "crc32_le: kernel library code (lib/): imported by default");
	CHECK_STR(r->imports[1].file, "drivers/x/drv_core.c");
	CHECK_STR(r->imports[1].reason, "drv_core_attach: declared in the driver's own drivers/x/drv.h; "
					"defined by the companion module on the same obj- line");
	/* lib/crc32_helper.c, found in the second round for crc32.c's
	 * crc32_helper, is listed too, with its reason, although the last
	 * round's closure defines the name (the list accumulates). */
	CHECK_INT(r->nimports, 3);
	if (r->nimports == 3) {
		CHECK_STR(r->imports[2].file, "lib/crc32_helper.c");
		CHECK_STR(r->imports[2].reason, "crc32_helper: kernel library code (lib/): imported by default");
	}
	CHECK(kd_find(&r->disps, "crc32_helper") == NULL);
	/* The config grew once (lib/crc32_helper.o was not built) and every
	 * import was analysed and built under the new build dir. */
	CHECK_INT(f.reconfigs, 1);
	CHECK_INT(r->extra_fragment.n, 1);
	CHECK_STR(r->extra_fragment.v[0], "CONFIG_CRC32_HELPER=y");
	CHECK(r->config && !strcmp(r->config->builddir, "/build/b") && r->driver);
	CHECK_STR(f.last_build, "/build/b");
	CHECK_INT(r->sources.n, 3);
	char *want = ku_printf("%s/lib/crc32_helper.c", tree);
	CHECK_STR(r->sources.v[2], want);
	free(want);
	CHECK_STR(r->objects.v[1], "drivers/x/drv_core.o");
	CHECK_STR(r->args[0].v[1], "-DBUILD=/build/b");
	/* Dispositions: the driver's, decided; then what only imports need. */
	const kd_disp *d = find(&r->disps, "crc32_le");
	CHECK(d && d->disposition == KM_IMPORT && !strcmp(d->target, "lib/crc32.c") && !d->for_imports);
	d = find(&r->disps, "mystery_call");
	CHECK(d && d->disposition == KM_STUB);
	d = find(&r->disps, "printk");
	CHECK(d && d->disposition == KM_RUNTIME && d->for_imports);
	CHECK_INT(r->disps.n, 12);
	/* The closure: every rename site, the imports' too; what imports define is theirs. */
	const ki_symbol *io = ki_find(r->closure, "ioremap", KI_FUNCTION);
	CHECK(io && io->nsites == 4);
	CHECK(ki_find(r->closure, "crc32_le", KI_FUNCTION) == NULL);
	CHECK_INT(r->closure->sources.n, 5);
	CHECK(ku_strv_has(&r->closure->files, "lib/crc32_helper.c"));
	/* The map stage's output is never edited. */
	d = find(&disps, "crc32_le");
	CHECK(d && d->disposition == KM_STUB && d->target == NULL);
	CHECK_INT(disps.n, 11);
	kd_free(&disps);
	free(f.last_build);
}

static void test_resolve_nothing(void)
{
	/* Only runtime and rename names: no import, no reconfig, the closure
	 * is the driver. */
	ki_inventory *u[1] = {load_unit("drv_core")};
	kan_result a = {.units = u, .n = 1, .inventory = ki_merge(u, 1)};
	kd_list disps = {0};
	kd_ctx c = disp_ctx();
	kd_dispose(&c, a.inventory->symbols, a.inventory->nsymbols, 0, &disps);
	fake f = {0};
	kres_env env = fake_env(&f);
	kconf_config cfg = {.builddir = "/build/a"};
	kres_input in = {.config = &cfg, .driver = &a, .disps = &disps, .companions = &companions, .tree_root = tree};
	kres_result r;
	CHECK_INT(kres_resolve(&in, &env, &r), 0);
	CHECK_INT(r.nimports, 0);
	CHECK(r.config == NULL && r.driver == NULL && f.builds == 0);
	CHECK(r.closure && r.closure->nsymbols == 1 && r.disps.n == 1);
	kres_free(&r);
	kd_free(&disps);
	ki_free(a.inventory), ki_free(u[0]);
}

/* kres_resolve for a driver in module_dir (NULL: none) whose analysis
 * found the n names syms, disposed by the tables first, in the fake
 * environment f; the caller frees *r, *disps and f->last_build. */
static int resolve_names(ki_symbol *syms, size_t n, const char *module_dir, char *builddir, fake *f,
			 kd_list *disps, kres_result *r)
{
	ki_inventory inv = {.symbols = syms, .nsymbols = n};
	ki_inventory *units[1] = {&inv};
	kan_result a = {.units = units, .n = 1, .inventory = &inv};
	kd_ctx c = disp_ctx();
	kd_dispose(&c, syms, n, 0, disps);
	kres_env env = fake_env(f);
	kconf_config cfg = {.builddir = builddir};
	kres_input in = {.config = &cfg, .driver = &a, .disps = disps, .companions = &companions,
			 .tree_root = tree, .module_dir = module_dir};
	return kres_resolve(&in, &env, r);
}

/* An unmapped function the driver calls, declared in a kernel header. */
static ki_symbol extern_function(const char *name)
{
	return (ki_symbol){.name = (char *)name, .kind = KI_FUNCTION, .header = "include/linux/x.h",
			   .prototype = "int x(void)", .provided = KI_EXTERN, .direct = 1};
}

static void test_resolve_unclosed(void)
{
	ki_symbol s = {.name = "link_0", .kind = KI_FUNCTION, .header = "include/linux/link.h",
		       .prototype = "void link_0(void)", .provided = KI_EXTERN, .direct = 1};
	kd_list disps = {0};
	fake f = {.chain = 1};
	kres_result r;
	CHECK_INT(resolve_names(&s, 1, NULL, "/build/b", &f, &disps, &r), -1);
	CHECK(strstr(ku_lasterr(), "still unresolved after 8 rounds: lib/link_8.c") != NULL);
	kres_free(&r);
	kd_free(&disps);
	free(f.last_build);
}

/* A KUnit module's own unmapped names exported beside it are the code it
 * tests: imported.  Not from elsewhere (mm/), and not for a module that
 * does not call KUnit. */
static void kunit_case(const char *module_dir, const char *subject, int with_kunit, const char *want_file)
{
	ki_symbol s[3] = {
		extern_function(subject),
		{.name = "__vmalloc", .kind = KI_FUNCTION, .header = "include/linux/vmalloc.h",
		 .prototype = "void *__vmalloc(unsigned long size, gfp_t gfp_mask)", .provided = KI_EXTERN, .direct = 1},
		{.name = "kunit_do_failed_assertion", .kind = KI_FUNCTION, .header = "include/kunit/test.h",
		 .prototype = "void kunit_do_failed_assertion(void)", .provided = KI_EXTERN, .direct = 1},
	};
	kd_list disps = {0};
	fake f = {.kunit = 1};
	kres_result r;
	CHECK_INT(resolve_names(s, with_kunit ? 3 : 2, module_dir, "/build/a", &f, &disps, &r), 0);
	const kd_disp *d = find(&r.disps, subject);
	if (want_file) {
		CHECK_INT(r.nimports, 1);
		CHECK(d && d->disposition == KM_IMPORT && !strcmp(d->target, want_file) &&
		      !strcmp(d->reason, "the code a KUnit module tests: imported"));
	} else {
		CHECK_INT(r.nimports, 0);
		CHECK(d && d->disposition == KM_STUB);
	}
	d = find(&r.disps, "__vmalloc"); /* mm/: the runtime's business */
	CHECK(d && d->disposition == KM_STUB);
	kres_free(&r);
	kd_free(&disps);
	free(f.last_build);
}

static void test_resolve_kunit_subject(void)
{
	kunit_case("kernel/time", "time64_to_tm", 1, "kernel/time/timeconv.c");
	kunit_case("drivers/gpu/drm/tests", "drm_rect_clip_scaled", 1, "drivers/gpu/drm/drm_rect.c");
	kunit_case("kernel/time", "time64_to_tm", 0, NULL);          /* no KUnit: an ordinary module */
	kunit_case("drivers/gpu", "drm_rect_clip_scaled", 1, NULL); /* not beside it */
}

/* An unmapped name a module of the driver's family exports (its
 * directory or the parent, below a subsystem's top dir, built by the
 * driver's config) is imported; others stay stubs. */
static void family_case(const char *module_dir, const char *subject, const char *want_file, const char *want_sym)
{
	ki_symbol s = extern_function(subject);
	kd_list disps = {0};
	fake f = {.family = 1};
	kres_result r;
	CHECK_INT(resolve_names(&s, 1, module_dir, "/build/a", &f, &disps, &r), 0);
	const kd_disp *d = find(&r.disps, subject);
	if (want_file) {
		char *why = ku_printf("exported by CONFIG_%s, a module of the driver's family (its directory "
				      "or the parent) that the driver's config builds: built in", want_sym);
		CHECK_INT(r.nimports, 1);
		CHECK(d && d->disposition == KM_IMPORT && !strcmp(d->target, want_file) && !strcmp(d->reason, why));
		free(why);
	} else {
		CHECK_INT(r.nimports, 0);
		CHECK(d && d->disposition == KM_STUB);
	}
	kres_free(&r);
	kd_free(&disps);
	free(f.last_build);
}

static void test_resolve_family(void)
{
	family_case("drivers/net/vendor/chip", "fam_pci_probe", "drivers/net/vendor/chip/pci.c", "CHIP_PCI");
	family_case("drivers/net/vendor/chip", "fam_core_rx", "drivers/net/vendor/core.c", "VENDOR_CORE");
	family_case("drivers/net/vendor", "fam_core_rx", "drivers/net/vendor/core.c", "VENDOR_CORE");
	family_case("drivers/net/vendor/chip", "fam_usb_rx", NULL, NULL);  /* the config does not build it */
	family_case("drivers/net/vendor/chip", "fam_far", NULL, NULL);     /* not its family */
	family_case("drivers/net/vendor/chip/sub", "fam_core_rx", NULL, NULL); /* two levels up */
	family_case("drivers/scsi/megaraid", "fam_scsi_done", NULL, NULL); /* drivers/scsi: a subsystem's top */
	family_case("drivers/scsi", "fam_scsi_done", NULL, NULL);
	/* the family module needs a name its own module defines unexported: util.c beside it */
	ki_symbol s = extern_function("fam_core_rx");
	kd_list disps = {0};
	fake f = {.family = 1, .family_internal = 1};
	kres_result r;
	CHECK_INT(resolve_names(&s, 1, "drivers/net/vendor/chip", "/build/a", &f, &disps, &r), 0);
	CHECK_INT(r.nimports, 2);
	if (r.nimports == 2) {
		CHECK_STR(r.imports[1].file, "drivers/net/vendor/util.c");
		CHECK_STR(r.imports[1].reason, "vendor_internal: defined (not exported) beside the driver's family "
					       "files that use it: built in");
	}
	kres_free(&r);
	kd_free(&disps);
	free(f.last_build);
}

static void test_definitions(void)
{
	ksi_index *ix = ksi_new();
	ksi_scan_definitions(ix, "drivers/sub/a.c",
			     "static int hidden(void)\n{\n}\n"
			     "int sub_internal(struct x *p)\n{\n\treturn 0;\n}\n"
			     "struct dentry *sub_root;\n"
			     "const struct sub_ops sub_ops = {\n};\n"
			     "int sub_proto(void);\n"
			     "struct sub_thing *\nsub_split(int a)\n{\n}\n"
			     "static struct sub_thing *\nsub_static_split(int a)\n{\n}\n"
			     "DEFINE_MUTEX(sub_lock);\n"
			     "EXPORT_SYMBOL(sub_internal);\n"
			     "struct sub_fwd;\n"
			     "\tint inner(void)\n");
	CHECK_STR(ksi_lookup(ix, "sub_internal"), "drivers/sub/a.c");
	CHECK(ksi_lookup(ix, "sub_root") && ksi_lookup(ix, "sub_ops") && ksi_lookup(ix, "sub_split"));
	CHECK(!ksi_lookup(ix, "hidden") && !ksi_lookup(ix, "sub_proto") && !ksi_lookup(ix, "sub_static_split"));
	CHECK(!ksi_lookup(ix, "DEFINE_MUTEX") && !ksi_lookup(ix, "sub_lock") && !ksi_lookup(ix, "EXPORT_SYMBOL"));
	CHECK(!ksi_lookup(ix, "sub_fwd") && !ksi_lookup(ix, "inner"));
	ksi_free(ix);
}

/* The export index: every EXPORT_* form at a line start, per-CPU
 * variables included; not a name inside another macro. */
static void test_exports(void)
{
	ksi_index *ix = ksi_new();
	ksi_scan_text(ix, "lib/x.c",
		      "int x_fn(void)\n{\n}\nEXPORT_SYMBOL(x_fn);\n"
		      "EXPORT_SYMBOL_GPL( x_gpl );\n"
		      "EXPORT_SYMBOL_NS_GPL(x_ns, X_NS);\n"
		      "DEFINE_PER_CPU(struct x_pcp, x_pcp);\nEXPORT_PER_CPU_SYMBOL_GPL(x_pcp);\n"
		      "EXPORT_PER_CPU_SYMBOL(x_pcp2);\n"
		      "#define X(n) EXPORT_SYMBOL(n)\n"
		      "\tEXPORT_SYMBOL(x_indented);\n");
	CHECK_STR(ksi_lookup(ix, "x_fn"), "lib/x.c");
	CHECK(ksi_lookup(ix, "x_gpl") && ksi_lookup(ix, "x_ns") && ksi_lookup(ix, "x_indented"));
	CHECK(ksi_lookup(ix, "x_pcp") && ksi_lookup(ix, "x_pcp2"));
	CHECK(!ksi_lookup(ix, "n") && !ksi_lookup(ix, "X_NS"));
	ksi_free(ix);
}

static void test_resolve_import_tree(void)
{
	/* The tables' import_tree names drivers/sub/: the driver's sub_register
	 * brings sub_core.c (its exporter), whose unexported sub_internal,
	 * declared in the core's own header, brings sub_util.c (its definer);
	 * without the import_tree both stay stubs. */
	ki_symbol s = {.name = "sub_register", .kind = KI_FUNCTION, .header = "include/linux/sub.h",
		       .prototype = "int sub_register(void)", .provided = KI_EXTERN, .direct = 1};
	ki_inventory inv = {.symbols = &s, .nsymbols = 1};
	ki_inventory *units[1] = {&inv};
	kan_result a = {.units = units, .n = 1, .inventory = &inv};
	kd_list disps = {0};
	kd_ctx c = disp_ctx();
	kd_dispose(&c, &s, 1, 0, &disps);
	km_table *trees = km_load_string("mappings/sub.lua", "import_tree { [\"drivers/sub/\"] = \"the sub core\" }\n");
	CHECK(trees != NULL);
	CHECK(km_import_tree(trees, "drivers/sub/x/y.c") && !km_import_tree(trees, "drivers/subway/y.c"));
	for (int with = 0; with < 2; with++) {
		fake f = {.subsys = 1};
		kres_env env = fake_env(&f);
		kconf_config cfg = {.builddir = "/build/b"};
		kres_input in = {.config = &cfg, .driver = &a, .disps = &disps, .companions = &companions,
				 .map = with ? trees : NULL, .tree_root = tree};
		kres_result r;
		CHECK_INT(kres_resolve(&in, &env, &r), 0);
		CHECK_INT(r.nimports, with ? 2 : 0);
		if (with && r.nimports == 2) {
			CHECK_STR(r.imports[0].file, "drivers/sub/sub_core.c");
			CHECK_STR(r.imports[0].reason, "sub_register: import_tree: the sub core");
			CHECK_STR(r.imports[1].file, "drivers/sub/sub_util.c");
			CHECK_STR(r.imports[1].reason, "sub_internal: import_tree: defined (not exported) beside the "
						       "subsystem files that use it");
		}
		const kd_disp *d = find(&r.disps, "sub_register");
		CHECK(d && d->disposition == (with ? KM_IMPORT : KM_STUB));
		kres_free(&r);
		free(f.last_build);
	}
	km_free(trees);
	kd_free(&disps);
}

/* ---- stubs ---- */

static void test_stubs(void)
{
	char *drvdir = ku_printf("%s/drivers/x", tree);
	char *src = kstub_source("drv", tree, drvdir, &resolved.disps);
	const char *want =
		"// SPDX-License-Identifier: MIT\n"
		"/* kpiport_stubs.c: generated by kpiport for drv; do not edit, fix the mapping\n"
		" * tables or the runtime instead.  Each stub is a porting TODO: it names\n"
		" * itself and fails loudly when reached (see report.md). */\n"
		"#include <linux/errno.h>\n#include <linux/stddef.h>\n#include <redox/kpi_stub.h>\n"
		"#include <linux/legacy.h>\n"
		"\n/* legacy_table: const int legacy_table[]\n"
		" * declared in include/linux/legacy.h; no mapping table names it: a generated stub "
		"(porting TODO) */\n"
		"const int legacy_table[1];\n"
		"\n/* mystery_call: void mystery_call(int how)\n"
		" * declared in include/linux/mystery.h; no mapping table names it: a generated stub "
		"(porting TODO) */\n"
		"KPI_STUB(mystery_call, \"include/linux/mystery.h\")\n"
		"\n/* pci_save_state: int pci_save_state(struct pci_dev *dev)\n"
		" * declared in include/linux/pci.h; no system sleep in a daemon */\n"
		"KPI_STUB_RET(pci_save_state, \"include/linux/pci.h\", 0)\n";
	CHECK_STR(src, want);
	free(src);
	CHECK_INT(kd_stub_count(&resolved.disps), 3);
	free(drvdir);
}

/* Several companions on the obj- line (mptbase.o mptscsih.o mptsas.o): a
 * name declared in the driver's mptscsih.h comes from mptscsih.c. */
static void test_dispose_companions(void)
{
	ku_strv two = {0};
	ku_strv_push(&two, "drivers/f/mptbase.c");
	ku_strv_push(&two, "drivers/f/mptscsih.c");
	kd_ctx c = {.map = map, .companions = &two, .module_dir = "drivers/f"};
	ki_symbol s[2] = {
		{.name = "mptscsih_abort", .kind = KI_FUNCTION, .header = "drivers/f/mptscsih.h",
		 .prototype = "int mptscsih_abort(void)", .provided = KI_EXTERN, .direct = 1},
		{.name = "mpt_attach", .kind = KI_FUNCTION, .header = "drivers/f/mptsas.h",
		 .prototype = "int mpt_attach(void)", .provided = KI_EXTERN, .direct = 1},
	};
	kd_list l = {0};
	CHECK_INT(kd_dispose(&c, s, 2, 0, &l), 0);
	const kd_disp *a = kd_find(&l, "mptscsih_abort"), *b = kd_find(&l, "mpt_attach");
	CHECK(a && a->disposition == KM_IMPORT && a->target && !strcmp(a->target, "drivers/f/mptscsih.c"));
	CHECK(b && b->disposition == KM_IMPORT && b->target && !strcmp(b->target, "drivers/f/mptbase.c")); /* none named so: the first */
	kd_free(&l);
	ku_strv_free(&two);
}

/* A variable declared in a driver's own header (which may not compile alone,
 * its type incomplete there) is zeroed memory under its name, the header not
 * included; one of include/ keeps its type. */
static void test_stub_variables(void)
{
	kd_disp local = {.symbol = "chip_ops", .kind = KI_VARIABLE, .provided = KI_EXTERN,
			 .header = "sound/soc/codecs/hda.h", .prototype = "const struct hdac_ext_bus_ops chip_ops",
			 .disposition = KM_STUB};
	kd_disp global = {.symbol = "legacy_table", .kind = KI_VARIABLE, .provided = KI_EXTERN,
			  .header = "include/linux/legacy.h", .prototype = "const int legacy_table[]",
			  .disposition = KM_STUB};
	kd_disp arch = {.symbol = "pci_mem_start", .kind = KI_VARIABLE, .provided = KI_EXTERN,
			.header = "arch/x86/include/asm/pci.h", .prototype = "unsigned long pci_mem_start",
			.disposition = KM_STUB};
	kd_list l = {0};
	kd_push(&l, &local);
	kd_push(&l, &global);
	kd_push(&l, &arch);
	char *drvdir = ku_printf("%s/sound/soc/intel/avs", tree);
	char *src = kstub_source("drv", tree, drvdir, &l);
	CHECK(strstr(src, "\nKPI_STUB_VAR(chip_ops)\n") != NULL);
	CHECK(strstr(src, "hda.h\"") == NULL && strstr(src, "hda.h>") == NULL);
	CHECK(strstr(src, "#include <linux/legacy.h>\n") != NULL);
	CHECK(strstr(src, "\nconst int legacy_table[1];\n") != NULL);
	/* asm/pci.h needs linux/pci.h first: zeroed memory, no include */
	CHECK(strstr(src, "\nKPI_STUB_VAR(pci_mem_start)\n") != NULL && strstr(src, "asm/pci.h>") == NULL);
	free(src), free(drvdir);
	kd_free(&l);
}

/* ---- the rule groups as the rewrite stage reads them (no spatch run) ---- */

static void test_rule_groups(void)
{
	ksp_group *g;
	size_t n;
	CHECK_INT(ksp_load_groups(KPIPORT_SOURCE_DIR "/rules.cocci", &g, &n), 0);
	CHECK_INT(n, 4);
	if (n != 4)
		return;
	CHECK_STR(g[0].id, "module-entry");
	CHECK_STR(g[0].base, KPIPORT_SOURCE_DIR);
	CHECK(g[0].options.n == 1 && !strcmp(g[0].options.v[0], "--no-includes"));
	CHECK(g[0].entry_macros.n == 2 && !strcmp(g[0].entry_macros.v[1], "module_exit"));
	CHECK(!g[0].entry_generic);
	CHECK(g[0].includes.n == 1 && ku_endswith(g[0].includes.v[0], "/rules/common/last_include.cocci"));
	CHECK(ku_strv_has(&g[1].entry_macros, "builtin_pci_driver"));
	CHECK_STR(g[2].id, "module-generic"); /* every other entry form */
	CHECK(g[2].entry_generic && g[2].entry_macros.n == 0 && g[2].includes.n == 1);
	CHECK_STR(g[3].id, "rename");
	CHECK(g[3].entry_macros.n == 0 && !g[3].entry_generic && g[3].includes.n == 0 && g[3].options.n == 1);
	ksp_free_groups(g, n);
}

/* ---- upstream, stubs commit, emit ---- */

static void put(const char *rel, const char *text)
{
	char *path = ku_path_join(tree, rel);
	char *dir = ku_dirname(path);
	ku_mkdir_p(dir);
	ku_write_file(path, text, strlen(text));
	free(path), free(dir);
}

static int has_text(const char *dir, const char *rel, const char *needle)
{
	char *path = ku_path_join(dir, rel);
	ku_buf b = {0};
	int yes = ku_read_file(path, &b) == 0 && strstr(b.s, needle) != NULL;
	if (!yes)
		fprintf(stderr, "%s lacks \"%s\"\n", rel, needle);
	ku_buf_free(&b);
	free(path);
	return yes;
}

static void test_emit(const char *report_out)
{
	char *work = ku_printf("%s/../port", tree);
	char *drvdir = ku_printf("%s/drivers/x", tree);
	ku_mkdir_p(work);
	kt_tree t = {.root = tree, .version = "6.1.0", .srcarch = "x86", .key = "k"};
	kb_module m = {.name = "drv", .dir = "drivers/x", .makefile = "drivers/x/Makefile", .line = 3,
		       .symbol = "DRV"};
	const kres_result *r = &resolved;
	ku_strv files = {0};
	kup_input up = {.work = work, .tree = &t, .module = &m, .driver_dir = drvdir,
			.driver = r->driver->inventory, .closure = r->closure, .imports = r->imports,
			.nimports = r->nimports};
	CHECK_INT(kup_stage(&up, &files), 0);
	CHECK_INT(files.n, 3);
	CHECK(has_text(work, "imports/lib/crc32.c", "crc32 fixture"));
	CHECK(has_text(work, "drv_core.c", "companion fixture")); /* in the driver's dir */
	/* One rule commit, as the rewrite stage would make it. */
	put("../port/drv_main.c", "/* drv_main fixture */\nint main(int argc, char **argv);\n");
	char *sha = NULL;
	CHECK_INT(kg_commit_all(work, "module_init/module_exit -> main\n", &sha), 0);
	CHECK_INT(kstub_commit(work, "drv", tree, drvdir, &r->disps), 0);
	krw_group g = {.group = "module-entry", .title = "module_init/module_exit -> main",
		       .rule = "module_entry.cocci", .sites = 1, .commit = sha};
	krw_miss miss = {.file = "drv_hw.c", .line = 12, .col = 10, .symbol = "ioremap",
			 .target = "redox_ioremap", .rule = "rename", .renamed = 1};
	krw_result rw = {.groups = &g, .ngroups = 1, .misses = &miss, .nmisses = 1};
	kconf_config cfg = *r->config;
	cfg.chain = (ku_strv){0};
	ku_strv_push(&cfg.chain, "DRV (the module)");
	ku_strv_pushf(&cfg.sources, "%s/drivers/x/drv_main.c", tree);
	ku_strv_pushf(&cfg.sources, "%s/drivers/x/drv_hw.c", tree);
	ku_strv_push(&cfg.objects, "drivers/x/drv_main.o");
	ku_strv_push(&cfg.objects, "drivers/x/drv_hw.o");
	cfg.args = ku_calloc(3, sizeof *cfg.args);
	ku_strv_push(&cfg.args[0], "-DMAIN");
	ku_strv_push(&cfg.args[1], "-DHW");
	cfg.net = 0;
	kem_input em = {.report = {.tree = &t, .module = &m, .config = &cfg, .inventory = r->driver->inventory,
				   .resolved = r, .rewrite = &rw},
			.driver_dir = drvdir, .out = "/ports/drv", .nstubs = kd_stub_count(&r->disps)};
	CHECK_INT(kem_emit(&em, work), 0);
	/* The history: upstream, imports, the rule, stubs, records. */
	ku_buf log = {0};
	const char *args[] = {"log", "--format=%s", NULL};
	kg_git(work, args, &log);
	CHECK_STR(log.s, "kpiport: report, patch series and build records\ngenerated stubs: 3 porting TODOs\n"
			 "module_init/module_exit -> main\nimports: 3 files from Linux 6.1.0\n"
			 "upstream: drv from Linux 6.1.0\n");
	ku_buf_free(&log);
	CHECK(has_text(work, "report.md", "- `lib/crc32.c`: crc32_le: kernel library code (lib/)"));
	CHECK(has_text(work, "imports/lib/crc32_helper.c", "crc32_helper fixture"));
	CHECK(has_text(work, "report.md", "- drv_hw.c:12:10 `ioremap` → `redox_ioremap`: renamed by kpiport"));
	CHECK(has_text(work, "report.md", "- vendor 0x8086 device 0x1000 class 0x000000/0x000000"));
	CHECK(has_text(work, "report.md", "| `crc32_le` | function | include/linux/crc32.h | → `lib/crc32.c` |"));
	CHECK(has_text(work, "CMakeLists.txt", "SOURCES drv_main.c drv_hw.c kpiport_stubs.c\n  DEFINES "
					       "optind=kpi_drv_optind)"));
	CHECK(has_text(work, "CMakeLists.txt", "kpi_port_runtime(ARGS_FILE ${KPI_KBUILD}/drv.args MODNAME drv "
					       "NO_NET)"));
	CHECK(has_text(work, "CMakeLists.txt", "kpi_port_import(drv import_lib_crc32_helper ARGS_FILE "
					       "${KPI_KBUILD}/import_lib_crc32_helper.args SOURCE "
					       "imports/lib/crc32_helper.c)"));
	CHECK(has_text(work, "kbuild/drv.args", "-DMAIN\n"));
	CHECK(has_text(work, "kbuild/import_drivers_x_drv_core.args", "-DOBJ=drivers/x/drv_core.o\n"));
	CHECK(has_text(work, "compile_commands.json", "\"/ports/drv/imports/lib/crc32.c\""));
	CHECK(has_text(work, "redox/pcid.d/kpiport-drv.toml", "vendor = 0x8086"));
	CHECK(has_text(work, "config.fragment", "CONFIG_CRC32_HELPER=y"));
	CHECK(has_text(work, "patches/0002-module_init-module_exit-main.patch", "int main(int argc"));
	/* report.json: the one serializer's output, read back */
	char *rj = ku_path_join(work, "report.json");
	json_t *rep = json_load_file(rj, 0, NULL);
	CHECK(rep != NULL);
	CHECK_INT(json_integer_value(json_object_get(rep, "report_version")), KREP_VERSION);
	json_t *sum = json_object_get(rep, "summary");
	CHECK_INT(json_integer_value(json_object_get(sum, "import")), 2);
	CHECK_INT(json_integer_value(json_object_get(sum, "stub")), 3);
	CHECK_INT(json_array_size(json_object_get(rep, "dispositions")), 12);
	CHECK_STR(json_string_value(json_object_get(json_array_get(json_object_get(rep, "rules"), 0), "commit")),
		  sha);
	if (report_out)
		CHECK_INT(json_dump_file(rep, report_out, JSON_INDENT(2)), 0);
	json_decref(rep);
	free(rj);
	ku_strv_free(&cfg.args[0]), ku_strv_free(&cfg.args[1]);
	free(cfg.args);
	ku_strv_free(&cfg.chain), ku_strv_free(&cfg.sources), ku_strv_free(&cfg.objects);
	ku_strv_free(&files);
	free(sha), free(work), free(drvdir);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_backhalf DATA_DIR [REPORT_OUT]\n");
		return 2;
	}
	data_dir = argv[1];
	char tmpl[] = "/tmp/kp-backhalf.XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	tree = ku_printf("%s/tree", tmpl);
	put("drivers/x/drv_main.c", "/* drv_main fixture */\n");
	put("drivers/x/drv_hw.c", "/* drv_hw fixture */\n");
	put("drivers/x/drv.h", "/* drv.h fixture */\n");
	put("drivers/x/drv_core.c", "/* companion fixture */\n");
	put("lib/crc32.c", "/* crc32 fixture */\n");
	put("lib/crc32_helper.c", "/* crc32_helper fixture */\n");
	map = km_load_string("mappings/t.lua", table_text);
	CHECK(map != NULL);
	ku_strv_push(&companions, "drivers/x/drv_core.c");

	test_reader();
	const char *units[] = {"drv_main", "drv_hw", "crc32", "crc32_helper", "drv_core"};
	for (size_t i = 0; i < 5; i++)
		test_roundtrip(units[i]);
	test_merge();
	test_dispose();
	test_resolve();
	test_resolve_nothing();
	test_resolve_unclosed();
	test_resolve_import_tree();
	test_definitions();
	test_exports();
	test_resolve_kunit_subject();
	test_resolve_family();
	test_rule_groups();
	test_stub_variables();
	test_dispose_companions();
	if (resolved.nimports == 3) {
		test_stubs();
		test_emit(argc > 2 ? argv[2] : NULL);
	}

	kres_free(&resolved);
	kan_free(&analysis);
	free(config.builddir);
	km_free(map);
	ku_strv_free(&companions);
	if (!getenv("KTEST_KEEP"))
		ku_rm_rf(tmpl);
	else
		fprintf(stderr, "kept %s\n", tmpl);
	free(tree);
	return KTEST_DONE();
}
