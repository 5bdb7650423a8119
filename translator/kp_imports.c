/* kp_imports.c: import by symbol closure.  A symbol whose disposition is
 * `import` (or, by default, an unmapped one that kernel library code under
 * lib/ or a companion module exports) is provided by compiling the tree file
 * that exports it (kp_symindex).  Each imported file is analysed like the
 * driver, with kbuild's flags for its own object (its Kconfig symbol is
 * added to the fragment when the config does not build it yet), and the
 * symbols it needs get dispositions in turn, until nothing new is found.
 * Results: p->imports (file, symbols, reason), p->closure (the merged
 * inventory of driver + imports), and dispositions labelled needed_by. */
#define _GNU_SOURCE
#include "kp_port.h"
#include "kp_analyze.h"
#include "kp_config.h"
#include "kp_symindex.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KP_IMPORT_ROUNDS 8

static int is_companion(const kp_port *p, const char *file)
{
	return ku_strv_has(&p->companions, file);
}

/* Where a symbol comes from, when it should be imported; NULL otherwise. */
static const char *import_file_for(kp_port *p, const ksi_index *ix, json_t *d)
{
	const char *disp = kp_jstr(d, "disposition");
	const char *sym = kp_jstr(d, "symbol");
	if (strcmp(kp_jstr(d, "provided"), "extern") != 0)
		return NULL;
	if (!strcmp(disp, "import")) {
		const char *t = kp_jstr(d, "target");
		if (*t)
			return t;
		const char *f = ksi_lookup(ix, sym);
		if (!f) {
			json_object_set_new(d, "disposition", json_string("stub"));
			json_object_set_new(d, "reason", json_string(
				"the table says import, but no file of the tree exports it: stubbed"));
			return NULL;
		}
		json_object_set_new(d, "target", json_string(f));
		return f;
	}
	/* Unmapped (default stub): kernel library code is imported by default. */
	if (!strcmp(disp, "stub") && !json_object_get(d, "table")) {
		const char *f = ksi_lookup(ix, sym);
		if (f && (ku_startswith(f, "lib/") || is_companion(p, f))) {
			json_object_set_new(d, "disposition", json_string("import"));
			json_object_set_new(d, "target", json_string(f));
			json_object_set_new(d, "reason", json_string(
				ku_startswith(f, "lib/") ? "kernel library code (lib/): imported by default"
							 : "exported by the companion module"));
			return f;
		}
	}
	return NULL;
}

static json_t *import_entry(kp_port *p, const char *file)
{
	size_t i;
	json_t *e;
	json_array_foreach(p->imports, i, e)
		if (!strcmp(kp_jstr(e, "file"), file))
			return e;
	e = json_object();
	json_object_set_new(e, "file", json_string(file));
	json_object_set_new(e, "symbols", json_array());
	json_array_append_new(p->imports, e);
	return e;
}

/* Collect files still to import from one dispositions array. */
static void collect(kp_port *p, const ksi_index *ix, json_t *disps, ku_strv *files)
{
	size_t i;
	json_t *d;
	json_array_foreach(disps, i, d) {
		const char *f = import_file_for(p, ix, d);
		if (!f)
			continue;
		json_t *e = import_entry(p, f);
		json_array_append_new(json_object_get(e, "symbols"), json_string(kp_jstr(d, "symbol")));
		if (!json_object_get(e, "reason")) {
			const char *why = *kp_jstr(d, "reason") ? kp_jstr(d, "reason")
				: *kp_jstr(d, "table") ? "the mapping table says import" : "";
			json_object_set_new(e, "reason", json_sprintf("%s%s%s", kp_jstr(d, "symbol"),
								      *why ? ": " : "", why));
		}
		char *abs = ku_path_join(p->tree.root, f);
		if (!ku_strv_has(&p->imp_sources, abs) && !ku_strv_has(files, f))
			ku_strv_push(files, f);
		free(abs);
	}
}

/* kbuild flags for the imported objects; when kbuild would not build one,
 * add the Kconfig symbol that gates it to the fragment and say so (1). */
static int import_flags(kp_port *p, const ku_strv *objs, ku_strv *args)
{
	if (kcfg_object_args(&p->tree, p->builddir, objs, args) == 0)
		return 0;
	kb_index *ix = kb_index_build(p->tree.root, p->tree.srcarch);
	int added = 0;
	for (size_t i = 0; i < objs->n; i++) {
		char *c = ku_strndup(objs->v[i], strlen(objs->v[i]) - 2);
		char *src = ku_printf("%s.c", c);
		kb_module *m = NULL;
		if (ix && kb_resolve(ix, p->tree.root, src, p->tree.root, &m) == 0 && m->symbol) {
			char *line = ku_printf("CONFIG_%s=y", m->symbol);
			if (!ku_strv_has(&p->extra_fragment, line)) {
				ku_strv_push(&p->extra_fragment, line);
				added = 1;
			}
			free(line);
		}
		if (m)
			kb_module_free(m);
		free(c), free(src);
	}
	kb_index_free(ix);
	if (!added)
		return ku_err("imports: kbuild gives no compile command for %s and no Kconfig symbol "
			      "enables it", objs->v[0]);
	return 1;
}

int kp_imports(kp_port *p)
{
	json_decref(p->imports);
	p->imports = json_array();
	ksi_index *ix = ksi_load(&p->tree);
	json_t **idocs = NULL;
	size_t nidocs = 0;
	int rc = 0;
	for (int round = 0; round < KP_IMPORT_ROUNDS && rc == 0; round++) {
		ku_strv files = {0};
		collect(p, ix, p->dispositions, &files);
		if (files.n == 0) {
			ku_strv_free(&files);
			break;
		}
		ku_strv objs = {0}, abs = {0};
		for (size_t i = 0; i < files.n; i++) {
			ku_strv_pushf(&objs, "%.*s.o", (int)(strlen(files.v[i]) - 2), files.v[i]);
			ku_strv_pushf(&abs, "%s/%s", p->tree.root, files.v[i]);
		}
		/* Flags for every imported object (all of them: a reconfig moves the build dir). */
		ku_strv all_objs = {0};
		for (size_t i = 0; i < p->imp_objects.n; i++)
			ku_strv_push(&all_objs, p->imp_objects.v[i]);
		for (size_t i = 0; i < objs.n; i++)
			ku_strv_push(&all_objs, objs.v[i]);
		ku_strv *args = ku_calloc(all_objs.n + 1, sizeof *args);
		int fr = import_flags(p, &all_objs, args);
		if (fr == 1) { /* the config grew: rebuild it, re-analyse the driver, retry */
			for (size_t i = 0; i < all_objs.n; i++)
				ku_strv_free(&args[i]);
			rc = kp_reconfigure(p);
			if (rc == 0)
				rc = kcfg_object_args(&p->tree, p->builddir, &all_objs, args);
		} else {
			rc = fr;
		}
		if (rc == 0) {
			for (size_t i = 0; i < p->imp_sources.n; i++)
				ku_strv_free(&p->imp_args[i]);
			free(p->imp_args);
			p->imp_args = args;
			args = NULL;
			for (size_t i = 0; i < files.n; i++) {
				ku_strv_push(&p->imp_sources, abs.v[i]);
				ku_strv_push(&p->imp_objects, objs.v[i]);
			}
			kcfg_build_objects(&p->tree, p->builddir, &p->imp_objects, p->opt.jobs);
			/* Analyse every import again (cheap when cached: the build dir may have moved). */
			for (size_t i = 0; i < nidocs; i++)
				json_decref(idocs[i]);
			free(idocs);
			nidocs = p->imp_sources.n;
			idocs = ku_calloc(nidocs + 1, sizeof *idocs);
			for (size_t i = 0; i < nidocs && rc == 0; i++) {
				ku_strv one = {0};
				ku_strv_push(&one, p->imp_sources.v[i]);
				char *dir = ku_dirname(p->imp_sources.v[i]);
				rc = kp_analyze_set(p, &one, &p->imp_args[i], dir, &idocs[i]);
				free(dir);
				ku_strv_free(&one);
			}
		}
		if (args) {
			for (size_t i = 0; i < all_objs.n; i++)
				ku_strv_free(&args[i]);
			free(args);
		}
		ku_strv_free(&all_objs), ku_strv_free(&objs), ku_strv_free(&abs), ku_strv_free(&files);
		if (rc != 0)
			break;
		/* What driver + imports still need from outside; dispositions for the new names. */
		json_t **all = ku_calloc(p->ndocs + nidocs + 1, sizeof *all);
		for (size_t i = 0; i < p->ndocs; i++)
			all[i] = p->docs[i];
		for (size_t i = 0; i < nidocs; i++)
			all[p->ndocs + i] = idocs[i];
		json_decref(p->closure);
		p->closure = ka_merge(all, p->ndocs + nidocs);
		free(all);
		rc = kp_dispose(p); /* the driver's own, again: a reconfig re-analysed it */
		if (rc == 0) {
			json_t *extra = json_array(), *need = json_array();
			size_t i;
			json_t *s;
			json_array_foreach(json_object_get(p->closure, "symbols"), i, s) {
				size_t k;
				json_t *d;
				int known = 0;
				json_array_foreach(p->dispositions, k, d)
					known |= !strcmp(kp_jstr(d, "symbol"), kp_jstr(s, "name"));
				if (!known)
					json_array_append(need, s);
			}
			rc = kp_dispose_symbols(p, need, extra, "imports");
			json_array_extend(p->dispositions, extra);
			json_decref(extra);
			json_decref(need);
			/* Re-derive the import list from the fresh dispositions. */
			json_decref(p->imports);
			p->imports = json_array();
		}
	}
	/* The final import list (the loop ends on a round that found nothing new). */
	if (rc == 0) {
		ku_strv none = {0};
		json_decref(p->imports);
		p->imports = json_array();
		collect(p, ix, p->dispositions, &none);
		if (none.n)
			rc = ku_err("imports: still unresolved after %d rounds: %s ...", KP_IMPORT_ROUNDS,
				    none.v[0]);
		ku_strv_free(&none);
	}
	for (size_t i = 0; i < nidocs; i++)
		json_decref(idocs[i]);
	free(idocs);
	ksi_free(ix);
	return rc;
}
