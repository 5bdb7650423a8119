/* kp_pipeline.c: the stages in order (see kp_pipeline.h), the resolve
 * stage's view of the earlier ones (kres_env), and OUT: normalised and
 * checked before the long work, staged beside itself, installed only when
 * every stage succeeded (kp_outdir). */
#define _GNU_SOURCE
#include "kp_pipeline.h"
#include "kp_compat.h"
#include "kp_config.h"
#include "kp_emit.h"
#include "kp_outdir.h"
#include "kp_proc.h"
#include "kp_spatch.h"
#include "kp_stubs.h"
#include "kp_symindex.h"
#include "kp_upstream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kpl_init(kpl_port *p, const kpl_options *opt)
{
	memset(p, 0, sizeof *p);
	p->opt = *opt;
	p->t_start = ku_now();
}

void kpl_free(kpl_port *p)
{
	kdrv_free(&p->driver);
	kconf_free(&p->config);
	kan_free(&p->analysis);
	if (p->map)
		km_free(p->map);
	kd_free(&p->disps);
	kres_free(&p->resolved);
	krw_free(&p->rewrite);
	free(p->out_abs);
	for (size_t i = 0; i < p->ntimings; i++)
		free(p->timings[i].stage);
	free(p->timings);
	memset(p, 0, sizeof *p);
}

const kconf_config *kpl_config(const kpl_port *p)
{
	return p->resolved.config ? p->resolved.config : &p->config;
}

const kan_result *kpl_analysis(const kpl_port *p)
{
	return p->resolved.driver ? p->resolved.driver : &p->analysis;
}

const kd_list *kpl_dispositions(const kpl_port *p)
{
	return p->have_resolved ? &p->resolved.disps : &p->disps;
}

static void took(kpl_port *p, const char *stage, double seconds)
{
	p->timings = ku_realloc(p->timings, (p->ntimings + 1) * sizeof *p->timings);
	p->timings[p->ntimings++] = (kpl_timing){ku_strdup(stage), seconds};
}

/* -v also says each stage as it ends: a port stopped before the end (a
 * runner's timeout) still tells how far it got and what each stage took. */
static void timed(kpl_port *p, const char *stage, double t0)
{
	double s = ku_now() - t0;
	took(p, stage, s);
	ku_log("stage %s done: %.2f s", stage, s);
}

/* ---- the resolve stage's view of the earlier stages ---- */

typedef struct env_ctx {
	kpl_port *p;
	ksi_index *exports; /* the tree's EXPORT_SYMBOLs */
	kb_index *kbuild;   /* an external module's port: the tree's obj- lines, when first needed */
	ksi_index *defs;    /* non-exported definitions of the dirs in def_dirs */
	ku_strv def_dirs;
	ku_buf dotconfig;   /* the driver's .config, when first needed */
	int have_dotconfig;
} env_ctx;

/* Does the driver's config (the config stage's build dir) enable symbol? */
static int env_enabled(void *ctx, const char *symbol)
{
	env_ctx *c = ctx;
	if (!c->have_dotconfig) {
		c->have_dotconfig = 1;
		char *path = ku_path_join(c->p->config.builddir, ".config");
		if (ku_read_file(path, &c->dotconfig) != 0)
			c->dotconfig.len = 0;
		free(path);
	}
	if (!c->dotconfig.len)
		return 0;
	char *y = ku_printf("\nCONFIG_%s=y\n", symbol), *m = ku_printf("\nCONFIG_%s=m\n", symbol);
	int on = strstr(c->dotconfig.s, y) || strstr(c->dotconfig.s, m);
	free(y), free(m);
	return on;
}

static const char *env_definer(void *ctx, const char *symbol, const char *dir)
{
	env_ctx *c = ctx;
	if (!c->defs)
		c->defs = ksi_new();
	if (!ku_strv_has(&c->def_dirs, dir)) {
		ku_strv_push(&c->def_dirs, dir);
		ksi_scan_dir_definitions(c->defs, c->p->driver.tree.root, dir);
	}
	const char *f = ksi_lookup(c->defs, symbol);
	size_t n = strlen(dir);
	return f && !strncmp(f, dir, n) && f[n] == '/' && !strchr(f + n + 1, '/') ? f : NULL;
}

static const char *env_exporter(void *ctx, const char *symbol)
{
	return ksi_lookup(((env_ctx *)ctx)->exports, symbol);
}

static char *env_gate(void *ctx, const char *tree_c)
{
	env_ctx *c = ctx;
	const kt_tree *t = &c->p->driver.tree;
	if (!c->p->driver.index && !c->kbuild) /* an external module's port: the tree's index */
		c->kbuild = kdrv_index(t);
	kb_index *ix = c->p->driver.index ? c->p->driver.index : c->kbuild;
	kb_module *m = NULL;
	char *sym = NULL;
	if (ix && kb_resolve(ix, t->root, tree_c, t->root, &m) == 0 && m->symbol)
		sym = ku_strdup(m->symbol);
	if (m)
		kb_module_free(m);
	return sym;
}

static int env_object_args(void *ctx, const char *builddir, const ku_strv *objects, ku_strv *args)
{
	return kcfg_object_args(&((env_ctx *)ctx)->p->driver.tree, builddir, objects, args);
}

static void env_build_objects(void *ctx, const char *builddir, const ku_strv *objects)
{
	kpl_port *p = ((env_ctx *)ctx)->p;
	kcfg_build_objects(&p->driver.tree, builddir, objects, p->opt.jobs);
}

static int env_reconfigure(void *ctx, const ku_strv *extra, kconf_config **config, kan_result **driver)
{
	kpl_port *p = ((env_ctx *)ctx)->p;
	kconf_config *c = ku_calloc(1, sizeof *c);
	kan_result *d = ku_calloc(1, sizeof *d);
	int rc = kconf_configure(&p->driver, extra, p->opt.jobs, c);
	if (rc == 0)
		rc = kan_run(&p->driver.tree, c->builddir, p->driver.dir, &c->sources, c->args, p->opt.jobs, d);
	if (rc != 0) {
		kconf_free(c), kan_free(d);
		free(c), free(d);
		return -1;
	}
	*config = c, *driver = d;
	return 0;
}

static int env_analyze(void *ctx, const char *builddir, const ku_strv *sources, const ku_strv *args,
		       ki_inventory **units)
{
	kpl_port *p = ((env_ctx *)ctx)->p;
	/* driver_dir NULL: an imported file's own dir is "the driver's" */
	return kan_units(&p->driver.tree, builddir, NULL, sources, args, p->opt.jobs, units);
}

static int env_dispose(void *ctx, const ki_symbol *syms, size_t n, int for_imports, kd_list *out)
{
	kpl_port *p = ((env_ctx *)ctx)->p;
	kd_ctx kc = {.map = p->map, .companions = &p->driver.companions, .module_dir = p->driver.module->dir};
	return kd_dispose(&kc, syms, n, for_imports, out);
}

static int stage_resolve(kpl_port *p)
{
	env_ctx ec = {.p = p, .exports = ksi_load(&p->driver.tree)};
	kres_env env = {
		.ctx = &ec, .exporter = env_exporter, .definer = env_definer, .gate = env_gate, .enabled = env_enabled,
		.object_args = env_object_args,
		.build_objects = env_build_objects, .reconfigure = env_reconfigure,
		.analyze = env_analyze, .dispose = env_dispose,
	};
	kres_input in = {.config = &p->config, .driver = &p->analysis, .disps = &p->disps,
			 .companions = &p->driver.companions, .map = p->map, .tree_root = p->driver.tree.root,
			 .module_dir = p->driver.module->dir};
	int rc = kres_resolve(&in, &env, &p->resolved);
	p->have_resolved = 1;
	ksi_free(ec.exports);
	ksi_free(ec.defs);
	ku_strv_free(&ec.def_dirs);
	ku_buf_free(&ec.dotconfig);
	kb_index_free(ec.kbuild);
	return rc;
}

/* ---- kbuild .. resolve ---- */

static int stage_kbuild(kpl_port *p)
{
	double t = ku_now();
	if (kdrv_find(p->opt.driver, p->opt.linux_dir, &p->driver) != 0)
		return -1;
	timed(p, "kbuild", t);
	return 0;
}

static int run_ahead(void *arg)
{
	kpl_port *p = arg;
	return krw_speculate(p->opt.rules, &p->config.sources);
}

/* The runtime-compat probe (cmake -P cmake/KpiLxCompat.cmake: clang-19 on
 * the probes, most of a second) needs only the config stage's flags, yet
 * the report asks for it last.  Run ahead, beside the analysis, it leaves
 * its record in the cache (compat/<flags>, memoized), so history()'s own
 * kcompat_probe only reads it.  When the resolve stage reconfigures (an
 * import's Kconfig symbol joins the fragment: another build dir, other
 * flags) that record goes unused and history() probes again: correct
 * either way, only the time differs. */
static int run_compat_ahead(void *arg)
{
	kpl_port *p = arg;
	kcompat_list l;
	kcompat_probe(&p->config.args[0], KPIPORT_SOURCE_DIR, &l);
	int rc = l.error != NULL;
	kcompat_free(&l);
	return rc;
}

/* Wait for the compat worker (its record must be complete before anyone
 * reads it); `stop`: an error or a signal ends the port, stop it first. */
static void finish_compat(kpl_port *p, int stop)
{
	if (p->compat_pid > 0)
		kproc_finish(p->compat_pid, stop);
	p->compat_pid = 0;
}

/* config, analyze, map; then resolve when `resolve`.  `ahead`: the
 * structural rule groups (kp_rewrite_ahead.c) and the runtime-compat probe
 * start in workers once the sources and flags are known, when more than
 * one job may run. */
static int scan_rest(kpl_port *p, int resolve, int ahead)
{
	double t = ku_now();
	if (kproc_check_interrupted() != 0 || kconf_configure(&p->driver, NULL, p->opt.jobs, &p->config) != 0)
		return -1;
	timed(p, "config", t);
	int jobs = p->opt.jobs > 0 ? p->opt.jobs : kproc_ncpus();
	if (ahead && jobs > 1 && p->config.sources.n)
		p->compat_pid = kproc_start(run_compat_ahead, p);
	if (ahead && jobs > 1 && p->opt.rules) {
		(void)ksp_version(); /* asked once: the worker inherits the answer */
		p->ahead_pid = kproc_start(run_ahead, p);
	}
	t = ku_now();
	if (kproc_check_interrupted() != 0 ||
	    kan_run(&p->driver.tree, p->config.builddir, p->driver.dir, &p->config.sources, p->config.args,
		    p->opt.jobs, &p->analysis) != 0)
		return -1;
	timed(p, "analyze", t);
	t = ku_now();
	if (kproc_check_interrupted() != 0 || !(p->map = km_load_dir_for(p->opt.mappings, p->driver.tree.version)))
		return -1;
	kd_ctx kc = {.map = p->map, .companions = &p->driver.companions, .module_dir = p->driver.module->dir};
	const ki_inventory *inv = p->analysis.inventory;
	if (kd_dispose(&kc, inv->symbols, inv->nsymbols, 0, &p->disps) != 0)
		return -1;
	timed(p, "map", t);
	if (!resolve)
		return 0;
	t = ku_now();
	if (kproc_check_interrupted() != 0 || stage_resolve(p) != 0)
		return -1;
	timed(p, "resolve", t);
	return 0;
}

int kpl_scan(kpl_port *p)
{
	return stage_kbuild(p) != 0 ? -1 : scan_rest(p, p->opt.resolve, 0);
}

/* ---- port ---- */

/* OUT, normalised and checked once, before the long work: the default is
 * ports/<module>, known once kbuild named the module. */
static int resolve_out(kpl_port *p, ko_out *out)
{
	char *cache = kt_cache_dir();
	ko_guard g = {.tree = p->driver.tree.root, .cache = cache, .driver_dir = p->driver.dir,
		      .sources = KPIPORT_SOURCE_DIR};
	char *dflt = p->opt.out ? NULL : ku_printf("ports/%s", p->driver.module->name);
	int rc = ko_resolve(p->opt.out ? p->opt.out : dflt, &g, p->opt.force, out);
	free(cache), free(dflt);
	if (rc == 0) {
		free(p->out_abs);
		p->out_abs = ku_strdup(out->path);
		p->opt.out = p->out_abs;
	}
	return rc;
}

/* upstream, rewrite, stubs, emit: the history in the staged dir `work`. */
static int history(kpl_port *p, const char *work)
{
	const kdrv_driver *d = &p->driver;
	const kres_result *res = &p->resolved;
	const ki_inventory *inv = kpl_analysis(p)->inventory;
	ku_strv files = {0};
	kup_input up = {.work = work, .tree = &d->tree, .module = d->module, .driver_dir = d->dir,
			.driver = inv, .closure = res->closure, .imports = res->imports,
			.nimports = res->nimports};
	int rc = kup_stage(&up, &files);
	if (rc == 0)
		rc = kproc_check_interrupted();
	krw_input rw = {.work = work, .rules = p->opt.rules, .files = &files, .module = d->module->name,
			.tree_root = d->tree.root, .driver_dir = d->dir, .driver = inv,
			.closure = res->closure, .disps = &res->disps, .jobs = p->opt.jobs};
	if (rc == 0)
		rc = krw_rewrite(&rw, &p->rewrite);
	for (size_t i = 0; i < p->rewrite.ngroups; i++)
		took(p, p->rewrite.groups[i].group, p->rewrite.groups[i].seconds);
	p->nstubs = kd_stub_count(&res->disps);
	if (rc == 0)
		rc = kstub_commit(work, d->module->name, d->tree.root, d->dir, &res->disps);
	if (rc == 0)
		rc = kproc_check_interrupted();
	kcompat_list compat = {0}; /* runtime/lx's version adaptations, for the report */
	double t = ku_now();
	finish_compat(p, rc != 0);
	if (rc == 0 && kpl_config(p)->sources.n) {
		kcompat_probe(&kpl_config(p)->args[0], KPIPORT_SOURCE_DIR, &compat);
		/* -v: what the probe still cost here, after its run ahead */
		took(p, "compat", ku_now() - t);
	}
	kem_input em = {.report = {.tree = &d->tree, .module = d->module, .config = kpl_config(p),
				   .inventory = inv, .resolved = res, .rewrite = &p->rewrite,
				   .compat = compat.n || compat.error ? &compat : NULL},
			.driver_dir = d->dir, .out = p->opt.out, .nstubs = p->nstubs};
	if (rc == 0)
		rc = kem_emit(&em, work);
	kcompat_free(&compat);
	ku_strv_free(&files);
	return rc;
}

int kpl_port_run(kpl_port *p)
{
	/* Say what is missing before any work, not halfway through. */
	static const char *const tools[] = {"spatch", "git", "make", KCFG_CC, NULL};
	for (const char *const *t = tools; *t; t++)
		if (!kproc_have_program(*t))
			return ku_err("%s: not found on PATH (tools/setup.sh installs it)", *t);
	ko_out out;
	if (stage_kbuild(p) != 0 || resolve_out(p, &out) != 0)
		return -1;
	if (scan_rest(p, 1, 1) != 0 || kproc_check_interrupted() != 0 || ko_stage(&out) != 0) {
		if (p->ahead_pid > 0)
			kproc_finish(p->ahead_pid, 1);
		p->ahead_pid = 0;
		finish_compat(p, 1);
		ko_free(&out);
		return -1;
	}
	if (p->ahead_pid > 0) /* its results, in spatch's cache, before the rewrite asks */
		kproc_finish(p->ahead_pid, 0);
	p->ahead_pid = 0;
	int rc = history(p, out.work);
	if (rc == 0)
		rc = kproc_check_interrupted();
	if (rc == 0)
		rc = ko_install(&out, p->opt.force);
	ko_free(&out); /* after an error: removes the staged dir */
	return rc;
}
