/* kp_port.c: the front half of the pipeline: the tree, the module kbuild
 * builds, its Kconfig fragment and build dir, kbuild's flags, and the
 * parallel, cached libclang analysis of every source. */
#define _GNU_SOURCE
#include "kp_port.h"
#include "kp_analyze.h"
#include "kp_cache.h"
#include "kp_config.h"
#include "kp_hash.h"
#include "kp_kconfig.h"
#include "kp_proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Bump when the analysis JSON changes shape: old cache entries are ignored. */
#define KP_ANALYSIS_FORMAT "ka-1"

double kp_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void stage_done(kp_port *p, const char *stage, double t0)
{
	json_object_set_new(p->timings, stage, json_real(kp_now() - t0));
}

void kp_port_init(kp_port *p, const kp_options *opt)
{
	memset(p, 0, sizeof *p);
	p->opt = *opt;
	p->timings = json_object();
	p->rules_log = json_array();
	p->misses = json_array();
	p->t_start = kp_now();
}

void kp_port_free(kp_port *p)
{
	kt_close(&p->tree);
	if (p->module)
		kb_module_free(p->module);
	free(p->fragment);
	ku_strv_free(&p->chain);
	free(p->builddir);
	ku_strv_free(&p->objects);
	for (size_t i = 0; p->args && i < p->sources.n; i++)
		ku_strv_free(&p->args[i]);
	free(p->args);
	ku_strv_free(&p->sources);
	free(p->driver_dir);
	free(p->ext_dir);
	free(p->ext_symbol);
	ku_strv_free(&p->ext_config);
	ku_strv_free(&p->companions);
	ku_strv_free(&p->extra_fragment);
	free(p->out_abs);
	json_decref(p->inventory);
	for (size_t i = 0; i < p->ndocs; i++)
		json_decref(p->docs[i]);
	free(p->docs);
	for (size_t i = 0; p->imp_args && i < p->imp_sources.n; i++)
		ku_strv_free(&p->imp_args[i]);
	free(p->imp_args);
	ku_strv_free(&p->imp_sources);
	ku_strv_free(&p->imp_objects);
	json_decref(p->imports);
	json_decref(p->closure);
	if (p->map)
		km_free(p->map);
	json_decref(p->dispositions);
	json_decref(p->rules_log);
	json_decref(p->misses);
	json_decref(p->timings);
}

/* The first `config SYMBOL` of an external module's Kconfig, or NULL. */
static char *first_config_symbol(const char *kconfig)
{
	ku_buf b = {0};
	char *sym = NULL;
	if (ku_read_file(kconfig, &b) == 0)
		for (char *l = b.s, *nl; l && *l && !sym; l = nl ? nl + 1 : NULL) {
			nl = strchr(l, '\n');
			if (nl)
				*nl = 0;
			char *t = ku_trim(l);
			if (ku_startswith(t, "config ") || ku_startswith(t, "menuconfig "))
				sym = ku_strdup(ku_trim(strchr(t, ' ')));
		}
	ku_buf_free(&b);
	return sym;
}

/* DRIVER names a directory (or a .c in one) outside the tree that has its
 * own Kbuild/Makefile: an external module, as kbuild's M= builds them. Its
 * Kconfig file names its symbol and `depends on`, so the config stage can
 * enable what it needs.  Returns 1 when it is one, 0 when not, -1 on error. */
static int external_module(kp_port *p)
{
	char *arg = ku_realpath(p->opt.driver);
	if (!arg)
		return 0;
	char *dir = ku_is_dir(arg) ? ku_strdup(arg) : ku_dirname(arg);
	char *in_tree = ku_relpath_in(p->tree.root, dir);
	char *kbuild = ku_path_join(dir, "Kbuild"), *mk = ku_path_join(dir, "Makefile");
	char *kconfig = ku_path_join(dir, "Kconfig");
	int rc = 0;
	if (in_tree || (!ku_is_file(kbuild) && !ku_is_file(mk)))
		goto out;
	rc = 1;
	ku_buf text = {0};
	ku_read_file(ku_is_file(kbuild) ? kbuild : mk, &text);
	ku_strv names = {0};
	kb_list_modules(ku_buf_str(&text), &names);
	char *parent = ku_dirname(dir);
	if (names.n != 1)
		rc = ku_err("%s: an external driver dir must build exactly one module (obj-m += NAME.o); "
			    "found %zu", ku_is_file(kbuild) ? kbuild : mk, names.n);
	else if (kb_module_from_makefile(parent, ku_basename(dir), text.s, names.v[0], &p->module) != 0)
		rc = -1;
	else if (!(p->ext_symbol = first_config_symbol(kconfig)))
		rc = ku_err("%s: an external driver needs a Kconfig file with its `config SYMBOL` and "
			    "`depends on`, so kpiport knows what to enable", kconfig);
	if (rc == 1) {
		p->ext_dir = ku_strdup(dir);
		p->driver_dir = ku_strdup(dir);
		free(p->module->symbol);
		p->module->symbol = ku_strdup(p->ext_symbol);
	}
	free(parent);
	ku_strv_free(&names);
	ku_buf_free(&text);
out:
	free(arg), free(dir), free(in_tree), free(kbuild), free(mk), free(kconfig);
	return rc;
}

static int stage_kbuild(kp_port *p)
{
	char *root = kt_choose(p->opt.linux_dir);
	int rc = kt_open(root, &p->tree);
	free(root);
	if (rc != 0)
		return -1;
	rc = external_module(p);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	kb_index *ix = kb_index_build(p->tree.root, p->tree.srcarch);
	if (!ix)
		return -1;
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, ".");
	rc = kb_resolve(ix, p->tree.root, p->opt.driver, cwd, &p->module);
	if (rc == 0) {
		ku_strv names = {0};
		kb_companions(ix, p->module, &names);
		for (size_t i = 0; i < names.n; i++) {
			char *c = ku_printf("%s/%s.c", p->module->dir, names.v[i]);
			char *abs = ku_path_join(p->tree.root, c);
			if (ku_is_file(abs))
				ku_strv_push(&p->companions, c);
			free(c), free(abs);
		}
		ku_strv_free(&names);
	}
	kb_index_free(ix);
	if (rc != 0)
		return -1;
	if (!p->module->symbol)
		return ku_err("%s: module %s is built in unconditionally (obj-y); kpiport ports "
			      "modules gated by a Kconfig symbol", p->module->makefile, p->module->name);
	p->driver_dir = ku_path_join(p->tree.root, p->module->dir);
	return 0;
}

static kc_tree *load_kconfig(kp_port *p)
{
	if (!p->ext_dir)
		return kc_load(p->tree.root, p->tree.srcarch);
	/* The tree's Kconfig plus the external module's, as one menu. */
	char *cache = kt_cache_dir();
	char *root = ku_printf("%s/kconfig-ext-%ld", cache, (long)getpid());
	char *text = ku_printf("source \"Kconfig\"\nsource \"%s/Kconfig\"\n", p->ext_dir);
	kc_tree *kc = NULL;
	if (ku_mkdir_p(cache) == 0 && ku_write_file(root, text, strlen(text)) == 0)
		kc = kc_load_file(p->tree.root, root, p->tree.srcarch);
	unlink(root);
	free(cache), free(root), free(text);
	return kc;
}

/* Is a fragment line ("CONFIG_X=y") about a symbol of the external
 * module's own Kconfig (rather than the tree's)? */
static int ext_symbol_line(const kc_tree *kc, const char *ext_dir, const char *line)
{
	if (!ku_startswith(line, "CONFIG_"))
		return 0;
	const char *eq = strchr(line, '=');
	char *sym = eq ? ku_strndup(line + 7, (size_t)(eq - line - 7)) : NULL;
	const char *where = sym ? kc_where(kc, sym) : NULL;
	char *rel = where && where[0] == '/' ? ku_relpath_in(ext_dir, where) : NULL;
	int yes = rel != NULL;
	free(sym), free(rel);
	return yes;
}

/* The value an external module's own symbol got ("y", "m"), or NULL. */
static char *ext_value(const kp_port *p, const char *sym)
{
	char *key = ku_printf("CONFIG_%s=", sym);
	char *v = NULL;
	for (size_t i = 0; i < p->ext_config.n && !v; i++)
		if (ku_startswith(p->ext_config.v[i], key))
			v = ku_strdup(p->ext_config.v[i] + strlen(key));
	free(key);
	return v;
}

static int stage_config(kp_port *p)
{
	kc_tree *kc = load_kconfig(p);
	if (!kc)
		return -1;
	int rc = 0;
	if (!kc_exists(kc, p->module->symbol)) {
		rc = ku_err("%s:%d: module %s is gated by CONFIG_%s, which no Kconfig file defines",
			    p->module->makefile, p->module->line, p->module->name, p->module->symbol);
		goto out;
	}
	ku_strv lines = {0};
	if (kc_fragment(kc, p->module->symbol, 1, &lines, &p->chain) != 0) {
		ku_strv_free(&lines);
		rc = -1;
		goto out;
	}
	ku_buf frag = {0};
	ku_buf_puts(&frag, kcfg_base_fragment);
	ku_strv_free(&p->ext_config);
	for (size_t i = 0; i < lines.n; i++)
		if (p->ext_dir && ext_symbol_line(kc, p->ext_dir, lines.v[i]))
			ku_strv_push(&p->ext_config, lines.v[i]); /* the tree has no such symbol */
		else
			ku_buf_printf(&frag, "%s\n", lines.v[i]);
	for (size_t i = 0; i < p->extra_fragment.n; i++)
		ku_buf_printf(&frag, "%s\n", p->extra_fragment.v[i]);
	ku_strv_free(&lines);
	p->fragment = ku_strdup(ku_buf_str(&frag));
	ku_buf_free(&frag);
	if (kcfg_builddir(&p->tree, p->fragment, p->opt.jobs, &p->builddir) != 0) {
		rc = -1;
		goto out;
	}
	char *val = p->ext_dir ? ku_strdup("m") : kcfg_value(p->builddir, p->module->symbol);
	const char *miss = NULL;
	if (p->ext_dir) { /* only its dependencies can be checked in .config */
		char *dot = ku_path_join(p->builddir, ".config");
		ku_buf cfg = {0};
		ku_read_file(dot, &cfg);
		for (size_t i = 0; i < p->ext_config.n; i++) /* its own symbols live outside .config */
			ku_buf_printf(&cfg, "\n%s\n", p->ext_config.v[i]);
		miss = kc_first_missing(kc, p->module->symbol, ku_buf_str(&cfg));
		if (miss)
			rc = ku_err("%s/Kconfig: CONFIG_%s depends on %s, which did not end up enabled in %s",
				    p->ext_dir, p->module->symbol, miss, dot);
		ku_buf_free(&cfg);
		free(dot);
	} else if (!val || (strcmp(val, "m") && strcmp(val, "y"))) {
		char *dot = ku_path_join(p->builddir, ".config");
		ku_buf cfg = {0};
		ku_read_file(dot, &cfg);
		const char *missing = kc_first_missing(kc, p->module->symbol, ku_buf_str(&cfg));
		rc = ku_err("CONFIG_%s did not end up enabled in %s (missing dependency: %s; "
			    "depends on: %s)", p->module->symbol, dot,
			    missing ? missing : "unknown", kc_depends(kc, p->module->symbol));
		ku_buf_free(&cfg);
		free(dot);
	}
	free(val);
	if (rc != 0)
		goto out;
	/* The objects a build with this config really compiles. */
	for (size_t i = 0; i < p->module->objects.n; i++)
		ku_strv_push(&p->objects, p->module->objects.v[i]);
	for (size_t i = 0; i < p->module->cond_objects.n; i++) {
		char *v = ext_value(p, p->module->cond_symbols.v[i]);
		if (!v)
			v = kcfg_value(p->builddir, p->module->cond_symbols.v[i]);
		if (v && (!strcmp(v, "y") || !strcmp(v, "m")))
			ku_strv_push(&p->objects, p->module->cond_objects.v[i]);
		free(v);
	}
	const char *base = p->ext_dir ? ku_dirname(p->ext_dir) : p->tree.root;
	for (size_t i = 0; i < p->objects.n; i++) {
		char *rel = ku_strndup(p->objects.v[i], strlen(p->objects.v[i]) - 2);
		char *c = ku_printf("%s/%s.c", base, rel);
		if (!ku_is_file(c))
			rc = ku_err("%s: object %s.o has no C source %s", p->module->makefile, rel, c);
		ku_strv_push(&p->sources, c);
		free(c), free(rel);
	}
	if (p->ext_dir)
		free((char *)base);
	if (rc == 0 && p->ext_dir) {
		ku_strv local = {0}; /* objects relative to the module dir, as M= wants them */
		for (size_t i = 0; i < p->objects.n; i++)
			ku_strv_push(&local, ku_basename(p->objects.v[i]));
		p->args = ku_calloc(p->objects.n + 1, sizeof *p->args);
		rc = kcfg_external_args(&p->tree, p->builddir, p->ext_dir, &p->ext_config, &local, p->args);
		ku_strv_free(&local);
	} else if (rc == 0) {
		p->args = ku_calloc(p->objects.n + 1, sizeof *p->args);
		rc = kcfg_object_args(&p->tree, p->builddir, &p->objects, p->args);
	}
out:
	kc_free(kc);
	return rc;
}

/* ---- analysis: one forked worker per source, results cached as JSON ---- */

typedef struct an_work {
	ka_source src;
	char *cache_file;
	char *err_file;
} an_work;

static int analyze_job(void *arg)
{
	an_work *w = arg;
	json_t *doc = NULL;
	if (ka_analyze_source(&w->src, &doc) != 0) {
		const char *e = ku_lasterr();
		ku_write_file(w->err_file, e, strlen(e));
		return 1;
	}
	char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = ku_write_file(w->cache_file, text, strlen(text));
	free(text);
	json_decref(doc);
	return rc == 0 ? 0 : 1;
}

/* What kpiport itself is, so a new kpiport never reuses an old analysis. */
static const char *self_id(void)
{
	static char id[65];
	if (!id[0]) {
		kh_ctx *h = kh_new();
		if (kh_add_file(h, "/proc/self/exe") != 0)
			kh_add_str(h, KPIPORT_VERSION);
		kh_final(h, id);
	}
	return id;
}

int kp_analyze_set(kp_port *p, const ku_strv *sources, ku_strv *args, const char *driver_dir,
		   json_t **docs)
{
	char *cache = kt_cache_dir();
	char *dir = ku_path_join(cache, "analysis");
	free(cache);
	if (ku_mkdir_p(dir) != 0) {
		free(dir);
		return -1;
	}
	/* The driver's local headers are inputs too. */
	kh_ctx *hh = kh_new();
	ku_strv hdrs = {0};
	char *ls = ku_printf("%s", driver_dir);
	{
		ku_buf out = {0};
		const char *argv[] = {"find", ls, "-maxdepth", "1", "-name", "*.h", NULL};
		kp_cmd c = {.argv = argv, .out = &out};
		if (kp_run(&c) == 0 && out.s)
			for (char *l = out.s, *nl; l && *l; l = nl ? nl + 1 : NULL) {
				nl = strchr(l, '\n');
				if (nl)
					*nl = 0;
				ku_strv_push(&hdrs, l);
			}
		ku_buf_free(&out);
	}
	ku_strv_sort(&hdrs);
	for (size_t i = 0; i < hdrs.n; i++)
		kh_add_file(hh, hdrs.v[i]);
	char hdr_hash[65];
	kh_final(hh, hdr_hash);
	ku_strv_free(&hdrs);
	free(ls);

	size_t n = sources->n;
	an_work *w = ku_calloc(n, sizeof *w);
	kp_job *jobs = ku_calloc(n, sizeof *jobs);
	size_t njobs = 0;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		kh_ctx *h = kh_new();
		kh_add_str(h, KP_ANALYSIS_FORMAT);
		kh_add_str(h, self_id());
		kh_add_str(h, p->tree.key);
		kh_add_str(h, p->builddir);
		kh_add_str(h, hdr_hash);
		kh_add_str(h, driver_dir);
		for (size_t k = 0; k < args[i].n; k++)
			kh_add_str(h, args[i].v[k]);
		if (kh_add_file(h, sources->v[i]) != 0) {
			kh_final(h, hdr_hash);
			rc = -1;
			break;
		}
		char hex[65];
		kh_final(h, hex);
		w[i].src = (ka_source){.tree = p->tree.root, .builddir = p->builddir,
				       .path = sources->v[i], .driver_dir = driver_dir,
				       .args = &args[i]};
		w[i].cache_file = ku_printf("%s/%s.json", dir, hex);
		w[i].err_file = ku_printf("%s/%s.err.%ld", dir, hex, (long)getpid());
		if (ku_exists(w[i].cache_file)) {
			kcache_touch(w[i].cache_file);
		} else {
			jobs[njobs].fn = analyze_job;
			jobs[njobs].arg = &w[i];
			njobs++;
		}
	}
	if (rc == 0 && njobs) {
		ku_log("analysing %zu of %zu sources with libclang (-j%d)", njobs, n, p->opt.jobs);
		kp_parallel(jobs, njobs, p->opt.jobs);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (ku_exists(w[i].err_file)) {
			ku_buf e = {0};
			ku_read_file(w[i].err_file, &e);
			rc = ku_err("libclang cannot parse %s: %s", sources->v[i], ku_buf_str(&e));
			ku_buf_free(&e);
			unlink(w[i].err_file);
			break;
		}
		json_error_t jerr;
		docs[i] = json_load_file(w[i].cache_file, 0, &jerr);
		if (!docs[i])
			rc = ku_err("%s: damaged analysis cache entry (%s); delete it and retry",
				    w[i].cache_file, jerr.text);
	}
	for (size_t i = 0; i < n; i++) {
		if (rc != 0) {
			json_decref(docs[i]);
			docs[i] = NULL;
		}
		free(w[i].cache_file), free(w[i].err_file);
	}
	free(w), free(jobs), free(dir);
	return rc;
}

int kp_reconfigure(kp_port *p)
{
	free(p->fragment);
	p->fragment = NULL;
	ku_strv_free(&p->chain);
	free(p->builddir);
	p->builddir = NULL;
	for (size_t i = 0; p->args && i < p->sources.n; i++)
		ku_strv_free(&p->args[i]);
	free(p->args);
	p->args = NULL;
	ku_strv_free(&p->objects);
	ku_strv_free(&p->sources);
	if (stage_config(p) != 0 || kp_analyze_all(p) != 0)
		return -1;
	return 0;
}

int kp_analyze_all(kp_port *p)
{
	for (size_t i = 0; i < p->ndocs; i++)
		json_decref(p->docs[i]);
	free(p->docs);
	p->docs = ku_calloc(p->sources.n + 1, sizeof *p->docs);
	p->ndocs = p->sources.n;
	int rc = kp_analyze_set(p, &p->sources, p->args, p->driver_dir, p->docs);
	if (rc == 0) {
		json_decref(p->inventory);
		p->inventory = ka_merge(p->docs, p->sources.n);
	}
	return rc;
}

int kp_check_interrupted(void)
{
	if (!kp_interrupted)
		return 0;
	return ku_err("interrupted by %s", kp_interrupted == SIGINT ? "SIGINT" : kp_interrupted == SIGTERM ? "SIGTERM"
					  : kp_interrupted == SIGHUP ? "SIGHUP" : "a signal");
}

int kp_scan_kbuild(kp_port *p)
{
	double t = kp_now();
	if (stage_kbuild(p) != 0)
		return -1;
	stage_done(p, "kbuild", t);
	return 0;
}

int kp_scan(kp_port *p)
{
	return kp_scan_kbuild(p) != 0 ? -1 : kp_scan_rest(p);
}

int kp_scan_rest(kp_port *p)
{
	double t = kp_now();
	if (kp_check_interrupted() != 0 || stage_config(p) != 0)
		return -1;
	stage_done(p, "config", t);
	t = kp_now();
	if (kp_check_interrupted() != 0 || kp_analyze_all(p) != 0)
		return -1;
	stage_done(p, "analyze", t);
	t = kp_now();
	if (kp_check_interrupted() != 0)
		return -1;
	p->map = km_load_dir(p->opt.mappings);
	if (!p->map)
		return -1;
	if (kp_dispose(p) != 0)
		return -1;
	stage_done(p, "map", t);
	t = kp_now();
	if (kp_check_interrupted() != 0 || kp_imports(p) != 0)
		return -1;
	stage_done(p, "imports", t);
	return 0;
}
