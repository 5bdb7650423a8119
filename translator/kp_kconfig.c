/* kp_kconfig.c: reads the tree's Kconfig files (from <tree>/Kconfig,
 * following source/rsource/osource/orsource) into a symbol table with each
 * symbol's type, prompt, definition site and dependencies (its own
 * `depends on` lines plus the enclosing if/menu/choice blocks), and answers
 * "what must a fragment enable for symbol X" (see kp_kconfig.h).  This file
 * holds the symbol table, loading and the simple queries; the lexer, the
 * parser, the expressions and the solver have files of their own (see
 * kp_kconfig_int.h).
 *
 * This is not kconfig: defaults, ranges, visibility and select are not
 * evaluated.  kpiport hands the fragment to the real kconfig (allnoconfig)
 * and uses kc_first_missing on the result to explain what did not stick. */
#define _GNU_SOURCE
#include "kp_kconfig_int.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/* ---- the symbol table ---- */

static size_t hash_str(const char *s)
{
	size_t h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static long lookup(const kc_tree *kc, const char *name)
{
	if (!kc->nslot)
		return -1;
	for (size_t i = hash_str(name) & (kc->nslot - 1);; i = (i + 1) & (kc->nslot - 1)) {
		if (!kc->slots[i])
			return -1;
		if (!strcmp(kc->syms[kc->slots[i] - 1].name, name))
			return (long)(kc->slots[i] - 1);
	}
}

static void rehash(kc_tree *kc)
{
	free(kc->slots);
	kc->nslot = kc->nslot ? kc->nslot * 2 : 4096;
	kc->slots = ku_calloc(kc->nslot, sizeof *kc->slots);
	for (size_t k = 0; k < kc->nsym; k++) {
		size_t i = hash_str(kc->syms[k].name) & (kc->nslot - 1);
		while (kc->slots[i])
			i = (i + 1) & (kc->nslot - 1);
		kc->slots[i] = k + 1;
	}
}

kc_sym *kc_intern(kc_tree *kc, const char *name)
{
	long at = lookup(kc, name);
	if (at >= 0)
		return &kc->syms[at];
	if (kc->nsym == kc->capsym) {
		kc->capsym = kc->capsym ? kc->capsym * 2 : 4096;
		kc->syms = ku_realloc(kc->syms, kc->capsym * sizeof *kc->syms);
	}
	kc_sym *s = &kc->syms[kc->nsym++];
	memset(s, 0, sizeof *s);
	s->name = ku_strdup(name);
	if (kc->nsym * 2 > kc->nslot)
		rehash(kc);
	else {
		size_t i = hash_str(name) & (kc->nslot - 1);
		while (kc->slots[i])
			i = (i + 1) & (kc->nslot - 1);
		kc->slots[i] = kc->nsym;
	}
	return s;
}

const kc_sym *kc_find(const kc_tree *kc, const char *name)
{
	if (name && ku_startswith(name, "CONFIG_"))
		name += 7;
	long at = name ? lookup(kc, name) : -1;
	return at >= 0 ? &kc->syms[at] : NULL;
}

/* ---- loading ---- */

static void finalize(kc_tree *kc)
{
	size_t defined = kc->nsym; /* kc_intern_refs appends (and may move syms) */
	for (size_t i = 0; i < defined; i++) {
		for (size_t j = 0; j < kc->syms[i].dep_exprs.n; j++)
			kc_intern_refs(kc, kc->syms[i].dep_exprs.v[j]);
		kc_intern_refs(kc, kc->syms[i].prompt_if);
	}
	for (size_t i = 0; i < kc->nsym; i++) {
		kc_sym *s = &kc->syms[i];
		ku_buf b = {0};
		ku_buf_add(&b, "", 0);
		for (size_t j = 0; j < s->dep_exprs.n; j++) {
			const char *e = s->dep_exprs.v[j];
			int paren = s->dep_exprs.n > 1 && strstr(e, "||");
			ku_buf_printf(&b, "%s%s%s%s", j ? " && " : "", paren ? "(" : "", e, paren ? ")" : "");
		}
		s->depends = b.s;
	}
}

kc_tree *kc_load_file(const char *tree, const char *root_file, const char *srcarch)
{
	kc_tree *kc = ku_calloc(1, sizeof *kc);
	kc->tree = ku_strdup(tree);
	kc->srcarch = ku_strdup(srcarch ? srcarch : "x86");
	kst_init(&kc->stamps, tree);
	rehash(kc);
	char *rel = ku_relpath_in(tree, root_file);
	int rc = kc_parse_root(kc, rel ? rel : root_file);
	free(rel);
	if (rc != 0) {
		kc_free(kc);
		return NULL;
	}
	finalize(kc);
	return kc;
}

kc_tree *kc_load(const char *tree, const char *srcarch)
{
	char *root = ku_path_join(tree, "Kconfig");
	kc_tree *kc = kc_load_file(tree, root, srcarch);
	free(root);
	return kc;
}

void kc_free(kc_tree *kc)
{
	if (!kc)
		return;
	kst_free(&kc->stamps);
	for (size_t i = 0; i < kc->nsym; i++) {
		kc_sym *s = &kc->syms[i];
		free(s->name);
		free(s->where);
		free(s->prompt_if);
		free(s->depends);
		ku_strv_free(&s->dep_exprs);
		ku_strv_free(&s->dep_whys);
		ku_strv_free(&s->selected_by);
		ku_strv_free(&s->defaults);
	}
	free(kc->syms);
	free(kc->slots);
	free(kc->tree);
	free(kc->srcarch);
	free(kc);
}

size_t kc_count(const kc_tree *kc)
{
	size_t n = 0;
	for (size_t i = 0; kc && i < kc->nsym; i++)
		n += kc->syms[i].defined;
	return n;
}

/* ---- simple queries ---- */

int kc_exists(const kc_tree *kc, const char *symbol)
{
	const kc_sym *s = kc_find(kc, symbol);
	return s && s->defined;
}

kc_type kc_symbol_type(const kc_tree *kc, const char *symbol)
{
	const kc_sym *s = kc_find(kc, symbol);
	return s ? s->type : KC_UNKNOWN;
}

int kc_has_prompt(const kc_tree *kc, const char *symbol)
{
	const kc_sym *s = kc_find(kc, symbol);
	return s && s->prompt;
}

const char *kc_where(const kc_tree *kc, const char *symbol)
{
	const kc_sym *s = kc_find(kc, symbol);
	return s && s->defined ? s->where : NULL;
}

const char *kc_depends(const kc_tree *kc, const char *symbol)
{
	const kc_sym *s = kc_find(kc, symbol);
	return s && s->defined ? s->depends : NULL;
}

/* ---- architecture symbols ---- */

const char *kc_arch_name(const kc_tree *kc)
{
	/* kpiport configures the tree for the machine it runs on, which for
	 * SRCARCH x86 is the 64-bit kernel (64BIT=y). */
	return !strcmp(kc->srcarch, "x86") ? "x86_64" : kc->srcarch;
}

/* Does a Kconfig* file under dir (recursively) define `name`? */
static int defined_under(const char *dir, const char *name, int depth)
{
	DIR *d = depth < 8 ? opendir(dir) : NULL;
	if (!d)
		return 0;
	int found = 0;
	for (struct dirent *e; !found && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char *path = ku_path_join(dir, e->d_name);
		if (ku_is_dir(path)) {
			found = defined_under(path, name, depth + 1);
		} else if (ku_startswith(e->d_name, "Kconfig")) {
			ku_buf b = {0};
			if (ku_read_file(path, &b) == 0) {
				const char *t = ku_buf_str(&b);
				size_t n = strlen(name);
				for (const char *p = t; !found && (p = strstr(p, name)); p += n) {
					const char *ls = p; /* the line must be `config NAME` or `menuconfig NAME` */
					while (ls > t && ls[-1] != '\n')
						ls--;
					while (*ls == ' ' || *ls == '\t')
						ls++;
					const char *kw = ku_startswith(ls, "config") ? ls + 6
							 : ku_startswith(ls, "menuconfig") ? ls + 10 : NULL;
					if (!kw || (*kw != ' ' && *kw != '\t'))
						continue;
					while (*kw == ' ' || *kw == '\t')
						kw++;
					const char *end = p + n;
					found = kw == p && (*end == '\n' || *end == ' ' || *end == '\t' || !*end);
				}
			}
			ku_buf_free(&b);
		}
		free(path);
	}
	closedir(d);
	return found;
}

int kc_arch_symbol(const kc_tree *kc, const char *name)
{
	if (!name)
		return 0;
	if (ku_startswith(name, "CONFIG_"))
		name += 7;
	const kc_sym *s = kc_find(kc, name);
	if (s && s->defined) /* this architecture's own, fixed by it (X86_32 under 64BIT) */
		return ku_startswith(s->where, "arch/") && !s->prompt;
	char *arch = ku_path_join(kc->tree, "arch");
	int other = defined_under(arch, name, 0); /* another architecture's (PPC, ARM64, SPARC) */
	free(arch);
	return other;
}
