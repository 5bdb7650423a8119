/* kp_resolve.c: the import fix-point (see kp_resolve.h).  Each round takes
 * the dispositions so far, decides which names to import and from which
 * file, gets the new files' flags (growing the config when kbuild would not
 * build one), analyses every import, merges driver + imports into the
 * closure and disposes the names only imports need.  The round that finds
 * nothing new ends the loop; its decisions are the result. */
#define _GNU_SOURCE
#include "kp_resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void free_imports(kres_result *r)
{
	for (size_t i = 0; i < r->nimports; i++) {
		free(r->imports[i].file), free(r->imports[i].reason);
		ku_strv_free(&r->imports[i].symbols);
	}
	free(r->imports);
	r->imports = NULL;
	r->nimports = 0;
}

static void free_args(ku_strv *args, size_t n)
{
	for (size_t i = 0; args && i < n; i++)
		ku_strv_free(&args[i]);
	free(args);
}

void kres_free(kres_result *r)
{
	kd_free(&r->disps);
	free_imports(r);
	free_args(r->args, r->sources.n);
	ku_strv_free(&r->sources), ku_strv_free(&r->objects), ku_strv_free(&r->extra_fragment);
	ki_free(r->closure);
	if (r->config)
		kconf_free(r->config), free(r->config);
	if (r->driver)
		kan_free(r->driver), free(r->driver);
	memset(r, 0, sizeof *r);
}

static void set(char **field, const char *value)
{
	free(*field);
	*field = ku_strdup(value);
}

/* A KUnit module (it calls KUnit's own functions directly) tests tree
 * code that lives beside it: the names it uses itself that the tables
 * leave unmapped and that a file of its own directory exports (or of the
 * parent of a tests/ directory) are the code under test, imported:
 * kernel/time/timeconv.c's time64_to_tm for kernel/time/time_test.c,
 * drivers/gpu/drm/drm_rect.c for drivers/gpu/drm/tests/drm_rect_test.c.
 * Core kernel code elsewhere (mm/, kernel/) is the runtime's business, as
 * for any module.  What imported files need follows the ordinary rules. */
static int tests_tree_code(const kd_list *disps)
{
	for (size_t i = 0; i < disps->n; i++)
		if (!disps->v[i].for_imports && (ku_startswith(disps->v[i].symbol, "kunit_") ||
						 ku_startswith(disps->v[i].symbol, "__kunit_")))
			return 1;
	return 0;
}

static int beside_module(const kres_input *in, const char *file)
{
	if (!in->module_dir || !*in->module_dir)
		return 0;
	size_t n = strlen(in->module_dir);
	const char *slash = strrchr(in->module_dir, '/');
	if (slash && !strcmp(slash, "/tests"))
		n = (size_t)(slash - in->module_dir); /* drivers/gpu/drm/tests: drivers/gpu/drm */
	return !strncmp(file, in->module_dir, n) && file[n] == '/' && !strchr(file + n + 1, '/');
}

/* The directory of tree-relative path p (its length), or 0 when none. */
static size_t dir_len(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? (size_t)(s - p) : 0;
}

/* A module of the driver's family: the file lies in the module's own
 * directory or its parent (rtw88/pci.c beside rtw88/rtw8822be.c,
 * rtlwifi/base.c above rtlwifi/rtl8188ee/), the directory is below a
 * subsystem's top (at least three components: drivers/scsi/ and
 * drivers/ata/ hold subsystem cores, which are the tables' business:
 * import_tree or the runtime), and the driver's own config builds the
 * file's module (its Kconfig symbol is one the driver selects or depends
 * on, or the driver's own).  In Linux it is a module the driver loads
 * with it; in a daemon it is built in.  The file's Kconfig symbol (for
 * the reason), malloc'd, or NULL. */
static int family_dir(const kres_input *in, const char *file)
{
	if (!in->module_dir || !*in->module_dir)
		return 0;
	size_t n = dir_len(file), m = strlen(in->module_dir), pm = dir_len(in->module_dir);
	int beside = n == m && !strncmp(file, in->module_dir, n);
	int above = pm && n == pm && !strncmp(file, in->module_dir, n);
	size_t slashes = 0;
	for (size_t i = 0; i < n; i++)
		slashes += file[i] == '/';
	return (beside || above) && slashes >= 2;
}

static char *family_module(const kres_input *in, const kres_env *env, const char *file)
{
	if (!env->gate || !env->enabled || !family_dir(in, file))
		return NULL;
	char *sym = env->gate(env->ctx, file);
	if (sym && env->enabled(env->ctx, sym) == 1)
		return sym;
	free(sym);
	return NULL;
}

/* A name no file exports, declared in a header of an import_tree
 * directory or needed there: a file beside the header or beside an import
 * of such a directory defines it (drm_internal.h's names, defined across
 * drm.ko's files).  The same for the driver's family directories
 * (oxygen_pcm_init, which oxygen_lib.c calls, defined by oxygen_pcm.c of
 * the same module).  The file, or NULL. */
static const char *definer_for(const kres_input *in, const kres_env *env, const kres_result *r,
			       const kd_disp *d)
{
	if (!env->definer || !d->header)
		return NULL;
	ku_strv dirs = {0};
	char *hdir = ku_strndup(d->header, (size_t)(strrchr(d->header, '/') ? strrchr(d->header, '/') - d->header : 0));
	char *slash = ku_printf("%s/", hdir);
	if (*hdir && (km_import_tree(in->map, slash) || family_dir(in, d->header)))
		ku_strv_push(&dirs, hdir);
	free(slash), free(hdir);
	for (size_t i = 0; i < r->nimports; i++) {
		const char *f = r->imports[i].file;
		const char *s = strrchr(f, '/');
		if (!s || (!km_import_tree(in->map, f) && !family_dir(in, f)))
			continue;
		char *dir = ku_strndup(f, (size_t)(s - f));
		if (!ku_strv_has(&dirs, dir))
			ku_strv_push(&dirs, dir);
		free(dir);
	}
	const char *found = NULL;
	for (size_t i = 0; i < dirs.n && !found; i++)
		found = env->definer(env->ctx, d->symbol, dirs.v[i]);
	ku_strv_free(&dirs);
	return found;
}

/* Where a name comes from when it is to be imported, deciding it in d;
 * NULL when it is not imported.  kunit: the module is a KUnit module. */
static const char *import_file_for(const kres_input *in, const kres_env *env, const kres_result *r, kd_disp *d,
				   int kunit)
{
	if (d->provided != KI_EXTERN)
		return NULL;
	if (d->disposition == KM_IMPORT) {
		if (d->target && *d->target)
			return d->target;
		const char *f = env->exporter(env->ctx, d->symbol);
		if (!f) {
			d->disposition = KM_STUB;
			set(&d->reason, "the table says import, but no file of the tree exports it: stubbed");
			return NULL;
		}
		set(&d->target, f);
		return d->target;
	}
	/* Unmapped (default stub): kernel library code (lib/), the companion
	 * module's exports, the subsystem cores the tables name with
	 * import_tree and the driver's family modules (family_module) are
	 * imported by default. */
	if (d->disposition == KM_STUB && !d->table) {
		const char *f = env->exporter(env->ctx, d->symbol);
		const char *tree = f ? km_import_tree(in->map, f) : NULL;
		const char *why = !f ? NULL
			: ku_startswith(f, "lib/") ? "kernel library code (lib/): imported by default"
			: ku_strv_has(in->companions, f) ? "exported by the companion module"
			: kunit && !d->for_imports && beside_module(in, f) ? "the code a KUnit module tests: imported"
			: tree;
		char *fam = !why && f ? family_module(in, env, f) : NULL;
		if (fam) {
			d->disposition = KM_IMPORT;
			set(&d->target, f);
			char *r = ku_printf("exported by CONFIG_%s, a module of the driver's family (its directory "
					    "or the parent) that the driver's config builds: built in", fam);
			set(&d->reason, r);
			free(r), free(fam);
			return d->target;
		}
		if (why) {
			d->disposition = KM_IMPORT;
			set(&d->target, f);
			if (why == tree) {
				char *r = ku_printf("import_tree: %s", tree);
				set(&d->reason, r);
				free(r);
			} else {
				set(&d->reason, why);
			}
			return d->target;
		}
		if (!f && (f = definer_for(in, env, r, d))) {
			d->disposition = KM_IMPORT;
			set(&d->target, f);
			set(&d->reason, family_dir(in, f) ? "defined (not exported) beside the driver's family files "
							    "that use it: built in"
							  : "import_tree: defined (not exported) beside the subsystem files that use it");
			return d->target;
		}
	}
	return NULL;
}

static kres_import *import_entry(kres_result *r, const char *file)
{
	for (size_t i = 0; i < r->nimports; i++)
		if (!strcmp(r->imports[i].file, file))
			return &r->imports[i];
	r->imports = ku_realloc(r->imports, (r->nimports + 1) * sizeof *r->imports);
	kres_import *e = &r->imports[r->nimports++];
	memset(e, 0, sizeof *e);
	e->file = ku_strdup(file);
	return e;
}

/* Decide the imports of disps (in place: resolve's own working copy), add
 * them to r->imports, and collect in `files` those not imported yet.  The
 * list accumulates over the rounds: a file an earlier round imported for
 * another import's sake defines names the closure no longer lacks, and it
 * keeps the reason it was imported for. */
static void collect(const kres_input *in, const kres_env *env, kd_list *disps, kres_result *r,
		    ku_strv *files)
{
	int kunit = tests_tree_code(disps);
	for (size_t i = 0; i < disps->n; i++) {
		kd_disp *d = &disps->v[i];
		const char *f = import_file_for(in, env, r, d, kunit);
		if (!f)
			continue;
		kres_import *e = import_entry(r, f);
		if (!ku_strv_has(&e->symbols, d->symbol))
			ku_strv_push(&e->symbols, d->symbol);
		if (!e->reason) {
			const char *why = d->reason && *d->reason ? d->reason
				  : d->table ? "the mapping table says import" : "";
			e->reason = ku_printf("%s%s%s", d->symbol, *why ? ": " : "", why);
		}
		char *abs = ku_path_join(in->tree_root, f);
		if (!ku_strv_has(&r->sources, abs) && !ku_strv_has(files, f))
			ku_strv_push(files, f);
		free(abs);
	}
}

/* kbuild's flags for the imported objects; when kbuild would not build one,
 * add the Kconfig symbol that gates it to the fragment and say so (1). */
static int import_flags(const kres_env *env, const char *builddir, const ku_strv *objs, ku_strv *args,
			ku_strv *extra)
{
	if (env->object_args(env->ctx, builddir, objs, args) == 0)
		return 0;
	int added = 0;
	for (size_t i = 0; i < objs->n; i++) {
		char *src = ku_printf("%.*s.c", (int)(strlen(objs->v[i]) - 2), objs->v[i]);
		char *sym = env->gate(env->ctx, src);
		if (sym) {
			char *line = ku_printf("CONFIG_%s=y", sym);
			if (!ku_strv_has(extra, line)) {
				ku_strv_push(extra, line);
				added = 1;
			}
			free(line);
		}
		free(sym), free(src);
	}
	if (!added)
		return ku_err("imports: kbuild gives no compile command for %s and no Kconfig symbol "
			      "enables it", objs->v[0]);
	return 1;
}

/* One round's new files: flags (reconfiguring when needed), then every
 * import analysed again (cheap when cached: the build dir may have moved). */
static int add_files(const kres_input *in, const kres_env *env, const ku_strv *files, kres_result *r,
		     ki_inventory ***iunits)
{
	ku_strv objs = {0}, all = {0};
	for (size_t i = 0; i < files->n; i++)
		ku_strv_pushf(&objs, "%.*s.o", (int)(strlen(files->v[i]) - 2), files->v[i]);
	/* Flags for every imported object (all of them: a reconfig moves the build dir). */
	for (size_t i = 0; i < r->objects.n; i++)
		ku_strv_push(&all, r->objects.v[i]);
	for (size_t i = 0; i < objs.n; i++)
		ku_strv_push(&all, objs.v[i]);
	ku_strv *args = ku_calloc(all.n + 1, sizeof *args);
	const kconf_config *cfg = r->config ? r->config : in->config;
	int rc = import_flags(env, cfg->builddir, &all, args, &r->extra_fragment);
	if (rc == 1) { /* the config grew: redo it and the driver's analysis, then retry */
		free_args(args, all.n);
		args = ku_calloc(all.n + 1, sizeof *args);
		kconf_config *c = NULL;
		kan_result *d = NULL;
		rc = env->reconfigure(env->ctx, &r->extra_fragment, &c, &d);
		if (rc == 0) {
			if (r->config)
				kconf_free(r->config), free(r->config);
			if (r->driver)
				kan_free(r->driver), free(r->driver);
			r->config = c, r->driver = d;
			cfg = c;
			rc = env->object_args(env->ctx, cfg->builddir, &all, args);
		}
	}
	if (rc == 0) {
		free_args(r->args, r->sources.n);
		r->args = args;
		args = NULL;
		for (size_t i = 0; i < files->n; i++) {
			ku_strv_pushf(&r->sources, "%s/%s", in->tree_root, files->v[i]);
			ku_strv_push(&r->objects, objs.v[i]);
		}
		env->build_objects(env->ctx, cfg->builddir, &r->objects);
		*iunits = ku_calloc(r->sources.n + 1, sizeof **iunits);
		rc = env->analyze(env->ctx, cfg->builddir, &r->sources, r->args, *iunits);
	}
	free_args(args, all.n);
	ku_strv_free(&objs), ku_strv_free(&all);
	return rc;
}

static void free_units(ki_inventory **u, size_t n)
{
	for (size_t i = 0; u && i < n; i++)
		ki_free(u[i]);
	free(u);
}

/* The closure of driver + imports, and fresh dispositions: the driver's
 * (a reconfig analysed it again), then the names only imports need. */
static int dispose_closure(const kres_env *env, const kan_result *drv, ki_inventory **iunits, size_t ni,
			   kres_result *r, kd_list *disps)
{
	ki_inventory **all = ku_calloc(drv->n + ni + 1, sizeof *all);
	for (size_t i = 0; i < drv->n; i++)
		all[i] = drv->units[i];
	for (size_t i = 0; i < ni; i++)
		all[drv->n + i] = iunits[i];
	ki_free(r->closure);
	r->closure = ki_merge(all, drv->n + ni);
	free(all);
	kd_free(disps);
	int rc = env->dispose(env->ctx, drv->inventory->symbols, drv->inventory->nsymbols, 0, disps);
	if (rc != 0)
		return rc;
	ki_symbol *need = ku_calloc(r->closure->nsymbols + 1, sizeof *need);
	size_t nn = 0;
	for (size_t i = 0; i < r->closure->nsymbols; i++)
		if (!kd_find(disps, r->closure->symbols[i].name))
			need[nn++] = r->closure->symbols[i]; /* shallow: only read */
	rc = env->dispose(env->ctx, need, nn, 1, disps);
	free(need);
	return rc;
}

int kres_resolve(const kres_input *in, const kres_env *env, kres_result *r)
{
	memset(r, 0, sizeof *r);
	kd_list disps = {0};
	kd_copy(&disps, in->disps);
	ki_inventory **iunits = NULL;
	int rc = 0, round;
	for (round = 0; round < KRES_ROUNDS && rc == 0; round++) {
		ku_strv files = {0};
		collect(in, env, &disps, r, &files);
		if (files.n == 0) {
			ku_strv_free(&files);
			break;
		}
		free_units(iunits, r->sources.n);
		iunits = NULL;
		rc = add_files(in, env, &files, r, &iunits);
		ku_strv_free(&files);
		if (rc == 0)
			rc = dispose_closure(env, r->driver ? r->driver : in->driver, iunits, r->sources.n, r,
					     &disps);
	}
	/* The final import list: the round that found nothing new decided it. */
	if (rc == 0) {
		ku_strv none = {0};
		collect(in, env, &disps, r, &none);
		if (none.n)
			rc = ku_err("imports: still unresolved after %d rounds: %s ...", KRES_ROUNDS, none.v[0]);
		ku_strv_free(&none);
	}
	free_units(iunits, r->sources.n);
	r->disps = disps;
	if (!r->closure) /* nothing imported: the closure is the driver */
		r->closure = ki_merge(in->driver->units, in->driver->n);
	return rc;
}
