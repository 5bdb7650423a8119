/* kp_kbuild.c: reads the tree's Makefile/Kbuild files (never runs make) to
 * learn which module builds which objects under which Kconfig symbol, and
 * resolves the user's DRIVER argument to one module (see kp_kbuild.h).
 * This file: one Makefile's view of a module, and the index of every
 * obj-... assignment in the tree; the Makefile reader is kp_kbuild_mk.c,
 * DRIVER resolution kp_kbuild_resolve.c (kp_kbuild_int.h). */
#define _GNU_SOURCE
#include "kp_kbuild_int.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- one Makefile ---- */

typedef struct mod_scan {
	const char *dir, *name;
	kb_module *m;
	int found;
	ku_strv comp_objs, comp_syms; /* composite parts; "" = unconditional */
	int composite;
	ku_strv *names; /* for kb_list_modules */
} mod_scan;

static void mod_visit(void *ctx, const kb_assign *a)
{
	mod_scan *ms = ctx;
	char *sym;
	if (kb_lhs_is_obj(a->lhs, &sym)) {
		for (size_t i = 0; i < a->words->n; i++) {
			const char *w = a->words->v[i];
			if (!kb_is_obj_word(w))
				continue;
			char *name = kb_obj_module_name(w);
			if (ms->names)
				ku_strv_push_unique(ms->names, name);
			if (ms->name && !ms->found && !strcmp(name, ms->name)) {
				ms->found = 1;
				ms->m->line = a->line;
				ms->m->symbol = sym ? ku_strdup(sym) : NULL;
				char *obj = kb_join_rel(ms->dir, w);
				ku_strv_push(&ms->m->objects, obj);
				free(obj);
			}
			free(name);
		}
		free(sym);
		return;
	}
	if (!ms->name)
		return;
	char *comp = kb_lhs_composite(a->lhs, &sym);
	if (comp && !strcmp(comp, ms->name)) {
		ms->composite = 1;
		for (size_t i = 0; i < a->words->n; i++) {
			if (!kb_is_obj_word(a->words->v[i]))
				continue;
			char *obj = kb_join_rel(ms->dir, a->words->v[i]);
			ku_strv_push(&ms->comp_objs, obj);
			const char *cond = sym ? sym : a->cond; /* name-y inside ifdef CONFIG_X */
			ku_strv_push(&ms->comp_syms, cond ? cond : "");
			free(obj);
		}
	}
	free(comp);
	free(sym);
}

static void add_sources(const char *tree, kb_module *m)
{
	for (size_t i = 0; i < m->objects.n; i++) {
		const char *o = m->objects.v[i];
		char *c = ku_printf("%.*s.c", (int)(strlen(o) - 2), o);
		char *abs = tree ? ku_path_join(tree, c) : ku_strdup(c);
		if (ku_is_file(abs))
			ku_strv_push_unique(&m->sources, c);
		free(abs);
		free(c);
	}
}

int kb_module_from_text(const char *tree, const char *dir, const char *makefile,
			    const char *text, const char *name, kb_module **out)
{
	*out = NULL;
	kb_module *m = ku_calloc(1, sizeof *m);
	mod_scan ms = {.dir = dir, .name = name, .m = m};
	kb_mk_scan(text, mod_visit, &ms);
	if (!ms.found) {
		ku_strv_free(&ms.comp_objs);
		ku_strv_free(&ms.comp_syms);
		kb_module_free(m);
		return ku_err("%s: no obj-... += %s.o", makefile, name);
	}
	m->name = ku_strdup(name);
	m->dir = ku_strdup(dir && *dir ? dir : ".");
	m->makefile = ku_strdup(makefile);
	if (ms.composite) {
		ku_strv_free(&m->objects);
		for (size_t i = 0; i < ms.comp_objs.n; i++) {
			const char *o = ms.comp_objs.v[i], *s = ms.comp_syms.v[i];
			/* name-$(CONFIG_SELF): present whenever the module is */
			if (!*s || (m->symbol && !strcmp(s, m->symbol))) {
				ku_strv_push_unique(&m->objects, o);
			} else {
				ku_strv_push(&m->cond_objects, o);
				ku_strv_push(&m->cond_symbols, s);
			}
		}
	}
	ku_strv_free(&ms.comp_objs);
	ku_strv_free(&ms.comp_syms);
	add_sources(tree, m);
	*out = m;
	return 0;
}

/* The file kbuild reads in a directory: Kbuild wins over Makefile. */
static char *makefile_of(const char *tree, const char *dir)
{
	char *kb = kb_join_rel(dir, "Kbuild");
	char *abs = tree ? ku_path_join(tree, kb) : NULL;
	int has = abs && ku_is_file(abs);
	free(abs);
	if (has)
		return kb;
	free(kb);
	return kb_join_rel(dir, "Makefile");
}

int kb_module_from_makefile(const char *tree, const char *dir, const char *text,
			    const char *name, kb_module **out)
{
	char *mk = makefile_of(tree, dir);
	int rc = kb_module_from_text(tree, dir, mk, text, name, out);
	free(mk);
	return rc;
}

void kb_list_modules(const char *text, ku_strv *names)
{
	mod_scan ms = {.names = names};
	kb_mk_scan(text, mod_visit, &ms);
}

void kb_module_free(kb_module *m)
{
	if (!m)
		return;
	free(m->name);
	free(m->dir);
	free(m->makefile);
	free(m->symbol);
	ku_strv_free(&m->objects);
	ku_strv_free(&m->cond_objects);
	ku_strv_free(&m->cond_symbols);
	ku_strv_free(&m->sources);
	free(m);
}

/* ---- the tree index ---- */


typedef struct ix_scan {
	kb_index *ix;
	int file;
	const char *dir;
	size_t first_member; /* members of this file start here */
} ix_scan;

static void ix_visit(void *ctx, const kb_assign *a)
{
	ix_scan *xs = ctx;
	kb_index *ix = xs->ix;
	char *sym;
	if (kb_lhs_is_obj(a->lhs, &sym)) {
		for (size_t i = 0; i < a->words->n; i++) {
			const char *w = a->words->v[i];
			if (kb_is_obj_word(w)) {
				GROW(ix->ent, ix->nent, ix->capent);
				kb_entry *e = &ix->ent[ix->nent++];
				e->name = kb_obj_module_name(w);
				e->obj = kb_join_rel(xs->dir, w);
				e->symbol = sym ? ku_strdup(sym) : NULL;
				e->file = xs->file;
				e->line = a->line;
			} else if (ku_endswith(w, "/") && !strchr(w, '$')) {
				GROW(ix->sub, ix->nsub, ix->capsub);
				kb_subdir *d = &ix->sub[ix->nsub++];
				d->path = kb_join_rel(xs->dir, w);
				d->path[strlen(d->path) - 1] = 0;
				d->symbol = sym ? ku_strdup(sym) : NULL;
			}
		}
		free(sym);
		return;
	}
	char *comp = kb_lhs_composite(a->lhs, &sym);
	free(sym);
	if (!comp)
		return;
	for (size_t i = 0; i < a->words->n; i++) {
		if (!kb_is_obj_word(a->words->v[i]))
			continue;
		GROW(ix->mem, ix->nmem, ix->capmem);
		kb_member *m = &ix->mem[ix->nmem++];
		m->composite = ku_strdup(comp);
		m->obj = kb_join_rel(xs->dir, a->words->v[i]);
		m->file = xs->file;
	}
	free(comp);
}

/* Keeps only the members of composites this file also lists in obj-...,
 * so lib-y, extra-y, hostprogs and friends do not pose as modules. */
static void ix_filter_members(kb_index *ix, int file, size_t first_member, size_t first_ent)
{
	size_t out = first_member;
	for (size_t i = first_member; i < ix->nmem; i++) {
		int keep = 0;
		for (size_t j = first_ent; j < ix->nent && !keep; j++)
			keep = ix->ent[j].file == file && !strcmp(ix->ent[j].name, ix->mem[i].composite);
		if (keep) {
			ix->mem[out++] = ix->mem[i];
		} else {
			free(ix->mem[i].composite);
			free(ix->mem[i].obj);
		}
	}
	ix->nmem = out;
}

static void ix_add_file(kb_index *ix, const char *rel, const char *mkname)
{
	char *mk = kb_join_rel(rel, mkname);
	char *abs = ku_path_join(ix->tree, mk);
	kst_add(&ix->stamps, mk);
	ku_buf text = {0};
	if (ku_read_file(abs, &text) == 0) {
		int file = (int)ix->dirs.n;
		ku_strv_push(&ix->dirs, rel);
		ku_strv_push(&ix->makefiles, mk);
		ix_scan xs = {ix, file, rel, ix->nmem};
		size_t first_ent = ix->nent;
		kb_mk_scan(text.s, ix_visit, &xs);
		ix_filter_members(ix, file, xs.first_member, first_ent);
	}
	ku_buf_free(&text);
	free(abs);
	free(mk);
}

static int skip_top(const char *name)
{
	static const char *const skip[] = {"Documentation", "tools", "scripts", "samples", "usr"};
	for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
		if (!strcmp(name, skip[i]))
			return 1;
	return 0;
}

static void ix_walk(kb_index *ix, const char *rel, const char *srcarch)
{
	char *abs = ku_path_join(ix->tree, rel);
	kst_add(&ix->stamps, rel);
	DIR *d = opendir(abs);
	if (!d) {
		free(abs);
		return;
	}
	ku_strv subdirs = {0};
	int has_kbuild = 0, has_makefile = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		const char *n = de->d_name;
		if (n[0] == '.')
			continue;
		int isdir = de->d_type == DT_DIR;
		if (de->d_type == DT_UNKNOWN || de->d_type == DT_LNK) {
			char *p = ku_path_join(abs, n);
			isdir = ku_is_dir(p) && de->d_type != DT_LNK;
			free(p);
		}
		if (isdir) {
			if (!*rel && skip_top(n))
				continue;
			if (!strcmp(rel, "arch") && strcmp(n, srcarch) != 0)
				continue;
			ku_strv_push(&subdirs, n);
		} else if (!strcmp(n, "Kbuild")) {
			has_kbuild = 1;
		} else if (!strcmp(n, "Makefile")) {
			has_makefile = 1;
		}
	}
	closedir(d);
	free(abs);
	if (has_kbuild || has_makefile)
		ix_add_file(ix, rel, has_kbuild ? "Kbuild" : "Makefile");
	ku_strv_sort(&subdirs); /* deterministic order, whatever the filesystem */
	for (size_t i = 0; i < subdirs.n; i++) {
		char *sub = kb_join_rel(rel, subdirs.v[i]);
		ix_walk(ix, sub, srcarch);
		free(sub);
	}
	ku_strv_free(&subdirs);
}

kb_index *kb_index_new(const char *tree)
{
	kb_index *ix = ku_calloc(1, sizeof *ix);
	ix->tree = ku_strdup(tree);
	kst_init(&ix->stamps, tree);
	return ix;
}

int kb_index_walk(kb_index *ix, const char *srcarch)
{
	ix_walk(ix, "", srcarch ? srcarch : "x86");
	if (ix->nent == 0)
		return ku_err("%s: no Makefile lists any object: not a Linux tree?", ix->tree);
	return 0;
}

kb_index *kb_index_build(const char *tree, const char *srcarch)
{
	if (!ku_is_dir(tree)) {
		ku_err("%s: not a directory", tree);
		return NULL;
	}
	kb_index *ix = kb_index_new(tree);
	if (kb_index_walk(ix, srcarch) != 0) {
		kb_index_free(ix);
		return NULL;
	}
	return ix;
}

size_t kb_index_size(const kb_index *ix) { return ix ? ix->nent : 0; }

void kb_index_free(kb_index *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->nent; i++) {
		free(ix->ent[i].name);
		free(ix->ent[i].obj);
		free(ix->ent[i].symbol);
	}
	for (size_t i = 0; i < ix->nmem; i++) {
		free(ix->mem[i].composite);
		free(ix->mem[i].obj);
	}
	for (size_t i = 0; i < ix->nsub; i++) {
		free(ix->sub[i].path);
		free(ix->sub[i].symbol);
	}
	free(ix->ent);
	free(ix->mem);
	free(ix->sub);
	ku_strv_free(&ix->dirs);
	ku_strv_free(&ix->makefiles);
	kst_free(&ix->stamps);
	free(ix->tree);
	free(ix);
}
