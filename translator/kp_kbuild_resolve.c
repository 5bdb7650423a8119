/* kp_kbuild_resolve.c: the user's DRIVER argument -> one module, through
 * the tree's index (kp_kbuild.c): a module name (kbuild's - and _ alike),
 * a Kconfig symbol, a driver directory or a .c path (relative to the cwd
 * or the tree); refusals name the alternatives ("did you mean", "builds
 * several modules: a, b").  Also the companions one obj- line builds. */
#define _GNU_SOURCE
#include "kp_kbuild_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- resolving DRIVER ---- */

/* Module names: kbuild and modprobe treat - and _ alike. */
static int name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;
		if (x != y)
			return 0;
	}
	return *a == *b;
}

static const char *entry_dir(const kb_index *ix, const kb_entry *e)
{
	return ix->dirs.v[e->file];
}

static int load_entry(const kb_index *ix, const char *tree, const kb_entry *e, kb_module **out)
{
	const char *mk = ix->makefiles.v[e->file];
	char *abs = ku_path_join(tree, mk);
	ku_buf text = {0};
	int rc = ku_read_file(abs, &text);
	free(abs);
	if (rc == 0)
		rc = kb_module_from_text(tree, entry_dir(ix, e), mk, text.s, e->name, out);
	ku_buf_free(&text);
	if (rc == 0 && (*out)->sources.n == 0) {
		rc = ku_err("%s:%d: module %s has no C source in the tree", mk, (*out)->line, e->name);
		kb_module_free(*out);
		*out = NULL;
	}
	return rc;
}

/* Appends "a, b, c" (unique module names of the given entries) to b. */
static void list_names(const kb_index *ix, const size_t *idx, size_t n, ku_buf *b)
{
	ku_strv seen = {0};
	for (size_t i = 0; i < n; i++) {
		const char *name = ix->ent[idx[i]].name;
		if (ku_strv_has(&seen, name))
			continue;
		ku_buf_printf(b, "%s%s", seen.n ? ", " : "", name);
		ku_strv_push(&seen, name);
	}
	ku_strv_free(&seen);
}

/* Entries naming distinct (file, module) pairs, first line of each. */
static size_t *distinct_entries(const kb_index *ix, int (*pick)(const kb_entry *, const void *),
				const void *arg, size_t *n)
{
	size_t *idx = ku_calloc(ix->nent + 1, sizeof *idx);
	*n = 0;
	for (size_t i = 0; i < ix->nent; i++) {
		const kb_entry *e = &ix->ent[i];
		if (!pick(e, arg))
			continue;
		int dup = 0;
		for (size_t j = 0; j < *n && !dup; j++)
			dup = ix->ent[idx[j]].file == e->file && !strcmp(ix->ent[idx[j]].name, e->name);
		if (!dup)
			idx[(*n)++] = i;
	}
	return idx;
}

static int pick_name(const kb_entry *e, const void *name) { return name_eq(e->name, name); }
static int pick_symbol(const kb_entry *e, const void *sym)
{
	return e->symbol && !strcmp(e->symbol, sym);
}

/* 1: found, 0: no module of that name, -1: error (ambiguous, unreadable). */
static int resolve_name(const kb_index *ix, const char *tree, const char *name, kb_module **out)
{
	size_t n, *idx = distinct_entries(ix, pick_name, name, &n);
	if (n > 1) { /* the same basename in several directories: prefer modules */
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (ix->ent[idx[i]].symbol)
				idx[k++] = idx[i];
		if (k)
			n = k;
	}
	int rc = 0;
	if (n == 1) {
		rc = load_entry(ix, tree, &ix->ent[idx[0]], out) == 0 ? 1 : -1;
	} else if (n > 1) {
		ku_buf b = {0};
		for (size_t i = 0; i < n; i++)
			ku_buf_printf(&b, "%s%s", i ? ", " : "", entry_dir(ix, &ix->ent[idx[i]]));
		rc = ku_err("module name %s is built in several directories: %s; give the .c path instead",
			    name, ku_buf_str(&b));
		ku_buf_free(&b);
	}
	free(idx);
	return rc;
}

static int gated_only_by(const kb_index *ix, const kb_entry *e, const char *sym)
{
	for (size_t i = 0; i < ix->nent; i++) {
		const kb_entry *o = &ix->ent[i];
		if (o->file == e->file && !strcmp(o->name, e->name) &&
		    (!o->symbol || strcmp(o->symbol, sym) != 0))
			return 0;
	}
	return 1;
}

/* The module(s) obj-$(CONFIG_sym) builds.  When one line builds several
 * (pvpanic.o pvpanic-pci.o), the one no other symbol builds is meant. */
static int resolve_symbol(const kb_index *ix, const char *tree, const char *sym, kb_module **out)
{
	size_t n, *idx = distinct_entries(ix, pick_symbol, sym, &n);
	int rc = 0;
	if (n > 1) {
		size_t k = 0, only = 0;
		for (size_t i = 0; i < n; i++)
			if (gated_only_by(ix, &ix->ent[idx[i]], sym))
				k++, only = idx[i];
		for (size_t i = 0; i < n && k != 1; i++) {
			char *lower = ku_strdup(sym);
			for (char *p = lower; *p; p++)
				*p = (char)tolower((unsigned char)*p);
			if (name_eq(ix->ent[idx[i]].name, lower))
				k = 1, only = idx[i];
			free(lower);
		}
		if (k == 1) {
			idx[0] = only;
			n = 1;
		}
	}
	if (n == 1) {
		rc = load_entry(ix, tree, &ix->ent[idx[0]], out) == 0 ? 1 : -1;
	} else if (n > 1) {
		ku_buf b = {0};
		list_names(ix, idx, n, &b);
		rc = ku_err("CONFIG_%s builds several modules: %s; name one of them", sym, ku_buf_str(&b));
		ku_buf_free(&b);
	} else {
		for (size_t i = 0; i < ix->nsub; i++)
			if (ix->sub[i].symbol && !strcmp(ix->sub[i].symbol, sym)) {
				rc = ku_err("CONFIG_%s gates the directory %s/; name a module or .c file there",
					    sym, ix->sub[i].path);
				break;
			}
	}
	free(idx);
	return rc;
}

static int pick_dir(const kb_entry *e, const void *ctx)
{
	const void *const *c = ctx; /* {ix, dir} */
	return !strcmp(entry_dir(c[0], e), c[1]);
}

static int resolve_dir(const kb_index *ix, const char *tree, const char *rel, kb_module **out)
{
	const void *ctx[2] = {ix, rel};
	size_t n, *idx = distinct_entries(ix, pick_dir, ctx, &n);
	ku_buf b = {0};
	list_names(ix, idx, n, &b);
	int rc;
	if (n == 0)
		rc = ku_err("%s: no Makefile or Kbuild file there builds a module", *rel ? rel : ".");
	else if (!strchr(b.s, ','))
		rc = load_entry(ix, tree, &ix->ent[idx[0]], out);
	else
		rc = ku_err("%s builds several modules: %s; name one of them", *rel ? rel : ".",
			    ku_buf_str(&b));
	ku_buf_free(&b);
	free(idx);
	return rc;
}

static int is_composite(const kb_index *ix, int file, const char *name)
{
	for (size_t i = 0; i < ix->nmem; i++)
		if (ix->mem[i].file == file && !strcmp(ix->mem[i].composite, name))
			return 1;
	return 0;
}

static int resolve_source(const kb_index *ix, const char *tree, const char *relc, kb_module **out)
{
	char *obj = ku_printf("%.*s.o", (int)(strlen(relc) - 2), relc);
	size_t nparts = 0, *parts = ku_calloc(ix->nmem + 1, sizeof *parts);
	for (size_t j = 0; j < ix->nmem; j++) /* composites listing the object */
		if (!strcmp(ix->mem[j].obj, obj))
			parts[nparts++] = j;
	size_t n = 0, *idx = ku_calloc(ix->nent + 1, sizeof *idx);
	for (size_t i = 0; i < ix->nent; i++) {
		const kb_entry *e = &ix->ent[i];
		int hit = !strcmp(e->obj, obj) && !is_composite(ix, e->file, e->name);
		for (size_t j = 0; j < nparts && !hit; j++)
			hit = ix->mem[parts[j]].file == e->file && !strcmp(ix->mem[parts[j]].composite, e->name);
		int dup = 0;
		for (size_t j = 0; j < n && hit && !dup; j++)
			dup = !strcmp(ix->ent[idx[j]].name, e->name);
		if (hit && !dup)
			idx[n++] = i;
	}
	int rc;
	if (n == 1) {
		rc = load_entry(ix, tree, &ix->ent[idx[0]], out);
	} else if (n == 0) {
		rc = ku_err("%s: no Makefile builds it (no obj-... or composite object lists %s)",
			    relc, ku_basename(obj));
	} else {
		ku_buf b = {0};
		list_names(ix, idx, n, &b);
		rc = ku_err("%s is part of several modules: %s; name one of them", relc, ku_buf_str(&b));
		ku_buf_free(&b);
	}
	free(idx);
	free(parts);
	free(obj);
	return rc;
}

static char *lowercase(const char *s)
{
	char *l = ku_strdup(s);
	for (char *p = l; *p; p++)
		*p = *p == '_' ? '-' : (char)tolower((unsigned char)*p);
	return l;
}

/* "no module named X; did you mean: a, b, c" from the nearest names. */
static int no_such_module(const kb_index *ix, const char *arg)
{
	enum { NBEST = 3 };
	const char *best[NBEST] = {0};
	size_t bestd[NBEST] = {0}, nb = 0;
	char *want = lowercase(arg);
	size_t limit = 2 + strlen(want) / 4;
	for (size_t i = 0; i < ix->nent; i++) {
		const char *name = ix->ent[i].name;
		if (!ix->ent[i].symbol)
			continue; /* built-in only objects are not drivers one names */
		int dup = 0;
		for (size_t j = 0; j < nb && !dup; j++)
			dup = name_eq(best[j], name);
		if (dup)
			continue;
		char *have = lowercase(name);
		size_t d = ku_editdist(want, have);
		if (strlen(want) >= 3 && strstr(have, want) && d > 1)
			d = 1; /* "8139" names 8139too better than 8390 does */
		free(have);
		if (d > limit || (nb == NBEST && d >= bestd[NBEST - 1]))
			continue;
		size_t at = nb < NBEST ? nb++ : NBEST - 1;
		while (at > 0 && bestd[at - 1] > d) {
			best[at] = best[at - 1];
			bestd[at] = bestd[at - 1];
			at--;
		}
		best[at] = name;
		bestd[at] = d;
	}
	free(want);
	if (nb == 0)
		return ku_err("no module named %s", arg);
	ku_buf b = {0};
	for (size_t i = 0; i < nb; i++)
		ku_buf_printf(&b, "%s%s", i ? ", " : "", best[i]);
	ku_err("no module named %s; did you mean: %s", arg, ku_buf_str(&b));
	ku_buf_free(&b);
	return -1;
}

/* Absolute path of arg: tried relative to cwd, then to the tree. */
static char *find_path(const char *tree, const char *arg, const char *cwd)
{
	if (arg[0] == '/')
		return ku_exists(arg) ? ku_strdup(arg) : NULL;
	const char *bases[] = {cwd, tree};
	for (size_t i = 0; i < 2; i++) {
		if (!bases[i])
			continue;
		char *p = ku_path_join(bases[i], arg);
		if (ku_exists(p))
			return p;
		free(p);
	}
	return NULL;
}

static int resolve_path(const kb_index *ix, const char *tree, const char *arg, const char *abs,
			kb_module **out)
{
	char *real = ku_realpath(abs), *rtree = ku_realpath(tree);
	char *rel = real && rtree ? ku_relpath_in(rtree, real) : NULL;
	int rc;
	if (!rel)
		rc = ku_err("%s is not inside the Linux tree %s", arg, tree);
	else if (ku_is_dir(real))
		rc = resolve_dir(ix, tree, strcmp(rel, ".") ? rel : "", out);
	else if (ku_endswith(rel, ".c"))
		rc = resolve_source(ix, tree, rel, out);
	else
		rc = ku_err("%s: neither a .c file nor a directory", arg);
	free(rel);
	free(rtree);
	free(real);
	return rc;
}

int kb_resolve(kb_index *ix, const char *tree, const char *arg, const char *cwd,
	       kb_module **out)
{
	*out = NULL;
	if (!arg || !*arg)
		return ku_err("no driver given");
	if (!tree)
		tree = ix->tree;
	int pathlike = strchr(arg, '/') || ku_endswith(arg, ".c") || !strcmp(arg, ".") ||
		       !strcmp(arg, "..");
	if (!pathlike) {
		if (ku_startswith(arg, "CONFIG_")) {
			int rc = resolve_symbol(ix, tree, arg + 7, out);
			if (rc == 0)
				return ku_err("no Makefile line is gated by %s", arg);
			return rc < 0 ? -1 : 0;
		}
		int rc = resolve_name(ix, tree, arg, out);
		if (rc == 0)
			rc = resolve_symbol(ix, tree, arg, out);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	char *abs = find_path(tree, arg, cwd);
	if (!abs) {
		if (!pathlike)
			return no_such_module(ix, arg);
		return ku_err("%s: no such file or directory (tried relative to %s and to the tree %s)",
			      arg, cwd ? cwd : ".", tree);
	}
	int rc = resolve_path(ix, tree, arg, abs, out);
	free(abs);
	return rc;
}

void kb_companions(const kb_index *ix, const kb_module *m, ku_strv *names)
{
	for (size_t i = 0; i < ix->nent; i++) {
		const kb_entry *e = &ix->ent[i];
		if (e->line == m->line && strcmp(e->name, m->name) != 0 &&
		    !strcmp(ix->makefiles.v[e->file], m->makefile))
			ku_strv_push_unique(names, e->name);
	}
}
