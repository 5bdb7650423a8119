/* kp_kbuild.c: reads the tree's Makefile/Kbuild files (never runs make) to
 * learn which module builds which objects under which Kconfig symbol, and
 * resolves the user's DRIVER argument to one module (see kp_kbuild.h).
 *
 * The Makefile reader understands only what kbuild's object lists use:
 * assignments (=, :=, ::=, +=, ?=) with backslash continuations, comments,
 * and $(var) references to variables set earlier in the same file.
 * Conditionals (ifeq/ifdef) are ignored: both branches count. */
#define _GNU_SOURCE
#include "kp_kbuild.h"

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Makefile scanning ---- */

/* One assignment, with its right side already split into words and
 * $(var) references to earlier variables of the same file expanded. */
typedef struct mk_assign {
	const char *lhs;
	const char *op;
	const ku_strv *words;
	int line;
} mk_assign;

typedef void mk_visit_fn(void *ctx, const mk_assign *a);

typedef struct mk_vars {
	ku_strv names, values;
} mk_vars;

static const char *vars_get(const mk_vars *vs, const char *name, size_t n)
{
	for (size_t i = vs->names.n; i-- > 0;)
		if (strlen(vs->names.v[i]) == n && memcmp(vs->names.v[i], name, n) == 0)
			return vs->values.v[i];
	return NULL;
}

static void vars_set(mk_vars *vs, const char *name, const char *value, int append)
{
	for (size_t i = 0; i < vs->names.n; i++) {
		if (strcmp(vs->names.v[i], name) != 0)
			continue;
		char *nv = append && *vs->values.v[i] ? ku_printf("%s %s", vs->values.v[i], value)
						      : ku_strdup(value);
		free(vs->values.v[i]);
		vs->values.v[i] = nv;
		return;
	}
	ku_strv_push(&vs->names, name);
	ku_strv_push(&vs->values, value);
}

/* Expands $(name) and ${name} for variables the file set earlier; leaves
 * every other reference (functions, CONFIG_ symbols, unknowns) as it is. */
static void expand(const mk_vars *vs, const char *s, ku_buf *out, int depth)
{
	while (*s) {
		if (s[0] == '$' && (s[1] == '(' || s[1] == '{') && depth < 8) {
			char close = s[1] == '(' ? ')' : '}';
			const char *name = s + 2, *e = name;
			while (*e && *e != close && *e != '$' && *e != ' ' && *e != ',')
				e++;
			const char *val = *e == close ? vars_get(vs, name, (size_t)(e - name)) : NULL;
			if (val) {
				expand(vs, val, out, depth + 1);
				s = e + 1;
				continue;
			}
		}
		ku_buf_putc(out, *s++);
	}
}

/* Finds the assignment operator at paren depth 0; NULL for rules and
 * anything else that is not an assignment. */
static char *find_op(char *s, const char **op)
{
	int depth = 0;
	for (char *p = s; *p; p++) {
		if (*p == '(' || *p == '{')
			depth++;
		else if ((*p == ')' || *p == '}') && depth > 0)
			depth--;
		if (depth)
			continue;
		if (p[0] == ':' && p[1] == ':' && p[2] == '=') { *op = "::="; return p; }
		if (p[0] == ':' && p[1] == '=') { *op = ":="; return p; }
		if (p[0] == ':')
			return NULL; /* a rule */
		if (p[0] == '+' && p[1] == '=') { *op = "+="; return p; }
		if (p[0] == '?' && p[1] == '=') { *op = "?="; return p; }
		if (p[0] == '!' && p[1] == '=')
			return NULL; /* shell assignment: nothing kbuild lists use */
		if (p[0] == '=') { *op = "="; return p; }
	}
	return NULL;
}

static void split_words(const char *s, ku_strv *words)
{
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		const char *e = s;
		while (*e && *e != ' ' && *e != '\t')
			e++;
		if (e > s) {
			char *w = ku_strndup(s, (size_t)(e - s));
			ku_strv_push(words, w);
			free(w);
		}
		s = e;
	}
}

static void handle_line(mk_vars *vs, char *s, int line, mk_visit_fn *fn, void *ctx)
{
	/* comment: the first # not escaped by a backslash */
	for (char *p = s; *p; p++)
		if (*p == '#' && (p == s || p[-1] != '\\')) {
			*p = 0;
			break;
		}
	s = ku_trim(s);
	static const char *const prefixes[] = {"export ", "override ", "private "};
	for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
		if (ku_startswith(s, prefixes[i]))
			s = ku_trim(s + strlen(prefixes[i]));
	const char *op;
	char *at = find_op(s, &op);
	if (!at || at == s)
		return;
	*at = 0;
	char *lhs = ku_trim(s), *rhs = ku_trim(at + strlen(op));
	ku_buf val = {0};
	expand(vs, rhs, &val, 0);
	vars_set(vs, lhs, ku_buf_str(&val), op[0] == '+');
	ku_strv words = {0};
	split_words(ku_buf_str(&val), &words);
	mk_assign a = {lhs, op, &words, line};
	fn(ctx, &a);
	ku_strv_free(&words);
	ku_buf_free(&val);
}

/* Calls fn for every assignment in a Makefile text, in order. */
static void mk_scan(const char *text, mk_visit_fn *fn, void *ctx)
{
	mk_vars vs = {0};
	ku_buf logical = {0};
	int line = 0, start = 0, in_define = 0;
	const char *p = text;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		line++;
		if (logical.len == 0)
			start = line;
		if (n && p[n - 1] == '\r')
			n--;
		int cont = n && p[n - 1] == '\\';
		ku_buf_add(&logical, p, cont ? n - 1 : n);
		p += eol ? (size_t)(eol - p) + 1 : strlen(p);
		if (cont && *p) {
			ku_buf_putc(&logical, ' ');
			continue;
		}
		char *s = ku_trim(logical.s);
		if (in_define) {
			if (ku_startswith(s, "endef"))
				in_define = 0;
		} else if (ku_startswith(s, "define ") || ku_startswith(s, "define\t")) {
			in_define = 1;
		} else {
			handle_line(&vs, s, start, fn, ctx);
		}
		logical.len = 0;
		logical.s[0] = 0;
	}
	ku_buf_free(&logical);
	ku_strv_free(&vs.names);
	ku_strv_free(&vs.values);
}

/* ---- left-hand sides ---- */

/* Symbol named by the first CONFIG_X in s (malloc'd), or NULL. */
static char *config_symbol(const char *s)
{
	const char *c = strstr(s, "CONFIG_");
	if (!c)
		return NULL;
	c += 7;
	const char *e = c;
	while (isalnum((unsigned char)*e) || *e == '_')
		e++;
	return e > c ? ku_strndup(c, (size_t)(e - c)) : NULL;
}

/* "obj-y", "obj-m", "obj-$(CONFIG_X)": returns 1 and the symbol (NULL
 * for y/m) when lhs adds to a kbuild object list. */
static int lhs_is_obj(const char *lhs, char **symbol)
{
	*symbol = NULL;
	if (!ku_startswith(lhs, "obj-"))
		return 0;
	const char *rest = lhs + 4;
	if (!strcmp(rest, "y") || !strcmp(rest, "m"))
		return 1;
	if (strchr(rest, '$')) {
		*symbol = config_symbol(rest);
		return 1;
	}
	return 0;
}

/* "name-objs", "name-y", "name-m", "name-$(CONFIG_Y)": returns the
 * composite's name (malloc'd) and the condition's symbol (or NULL). */
static char *lhs_composite(const char *lhs, char **symbol)
{
	*symbol = NULL;
	const char *dollar = strstr(lhs, "-$(");
	size_t n = strlen(lhs);
	if (dollar && lhs[n - 1] == ')') {
		*symbol = config_symbol(dollar);
		if (!*symbol)
			return NULL;
		n = (size_t)(dollar - lhs);
	} else if (ku_endswith(lhs, "-objs")) {
		n -= 5;
	} else if (ku_endswith(lhs, "-y") || ku_endswith(lhs, "-m")) {
		n -= 2;
	} else {
		return NULL;
	}
	if (n == 0 || memchr(lhs, '$', n) || (n == 3 && !memcmp(lhs, "obj", 3))) {
		free(*symbol);
		*symbol = NULL;
		return NULL;
	}
	return ku_strndup(lhs, n);
}

static char *join_rel(const char *dir, const char *name)
{
	if (!dir || !*dir || !strcmp(dir, "."))
		return ku_strdup(name);
	return ku_printf("%s/%s", dir, name);
}

/* "drivers/x/foo.o" -> "foo" */
static char *obj_module_name(const char *word)
{
	const char *base = ku_basename(word);
	return ku_strndup(base, strlen(base) - 2);
}

static int is_obj_word(const char *w)
{
	return ku_endswith(w, ".o") && strlen(w) > 2 && !strchr(w, '$');
}

/* ---- one Makefile ---- */

typedef struct mod_scan {
	const char *dir, *name;
	kb_module *m;
	int found;
	ku_strv comp_objs, comp_syms; /* composite parts; "" = unconditional */
	int composite;
	ku_strv *names; /* for kb_list_modules */
} mod_scan;

static void mod_visit(void *ctx, const mk_assign *a)
{
	mod_scan *ms = ctx;
	char *sym;
	if (lhs_is_obj(a->lhs, &sym)) {
		for (size_t i = 0; i < a->words->n; i++) {
			const char *w = a->words->v[i];
			if (!is_obj_word(w))
				continue;
			char *name = obj_module_name(w);
			if (ms->names)
				ku_strv_push_unique(ms->names, name);
			if (ms->name && !ms->found && !strcmp(name, ms->name)) {
				ms->found = 1;
				ms->m->line = a->line;
				ms->m->symbol = sym ? ku_strdup(sym) : NULL;
				char *obj = join_rel(ms->dir, w);
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
	char *comp = lhs_composite(a->lhs, &sym);
	if (comp && !strcmp(comp, ms->name)) {
		ms->composite = 1;
		for (size_t i = 0; i < a->words->n; i++) {
			if (!is_obj_word(a->words->v[i]))
				continue;
			char *obj = join_rel(ms->dir, a->words->v[i]);
			ku_strv_push(&ms->comp_objs, obj);
			ku_strv_push(&ms->comp_syms, sym ? sym : "");
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

static int module_from_text(const char *tree, const char *dir, const char *makefile,
			    const char *text, const char *name, kb_module **out)
{
	*out = NULL;
	kb_module *m = ku_calloc(1, sizeof *m);
	mod_scan ms = {.dir = dir, .name = name, .m = m};
	mk_scan(text, mod_visit, &ms);
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
	char *kb = join_rel(dir, "Kbuild");
	char *abs = tree ? ku_path_join(tree, kb) : NULL;
	int has = abs && ku_is_file(abs);
	free(abs);
	if (has)
		return kb;
	free(kb);
	return join_rel(dir, "Makefile");
}

int kb_module_from_makefile(const char *tree, const char *dir, const char *text,
			    const char *name, kb_module **out)
{
	char *mk = makefile_of(tree, dir);
	int rc = module_from_text(tree, dir, mk, text, name, out);
	free(mk);
	return rc;
}

void kb_list_modules(const char *text, ku_strv *names)
{
	mod_scan ms = {.names = names};
	mk_scan(text, mod_visit, &ms);
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

typedef struct kb_entry {  /* obj-... += NAME.o */
	char *name, *obj, *symbol;
	int file, line;
} kb_entry;

typedef struct kb_member { /* NAME-objs/-y/-$(CONFIG_Y) += OBJ */
	char *composite, *obj;
	int file;
} kb_member;

typedef struct kb_subdir { /* obj-$(CONFIG_X) += DIR/ */
	char *path, *symbol;
} kb_subdir;

struct kb_index {
	char *tree;
	ku_strv dirs, makefiles; /* per indexed file */
	kb_entry *ent;
	size_t nent, capent;
	kb_member *mem;
	size_t nmem, capmem;
	kb_subdir *sub;
	size_t nsub, capsub;
};

#define GROW(arr, n, cap) do { if ((n) == (cap)) { (cap) = (cap) ? (cap) * 2 : 256; \
	(arr) = ku_realloc((arr), (cap) * sizeof *(arr)); } } while (0)

typedef struct ix_scan {
	kb_index *ix;
	int file;
	const char *dir;
	size_t first_member; /* members of this file start here */
} ix_scan;

static void ix_visit(void *ctx, const mk_assign *a)
{
	ix_scan *xs = ctx;
	kb_index *ix = xs->ix;
	char *sym;
	if (lhs_is_obj(a->lhs, &sym)) {
		for (size_t i = 0; i < a->words->n; i++) {
			const char *w = a->words->v[i];
			if (is_obj_word(w)) {
				GROW(ix->ent, ix->nent, ix->capent);
				kb_entry *e = &ix->ent[ix->nent++];
				e->name = obj_module_name(w);
				e->obj = join_rel(xs->dir, w);
				e->symbol = sym ? ku_strdup(sym) : NULL;
				e->file = xs->file;
				e->line = a->line;
			} else if (ku_endswith(w, "/") && !strchr(w, '$')) {
				GROW(ix->sub, ix->nsub, ix->capsub);
				kb_subdir *d = &ix->sub[ix->nsub++];
				d->path = join_rel(xs->dir, w);
				d->path[strlen(d->path) - 1] = 0;
				d->symbol = sym ? ku_strdup(sym) : NULL;
			}
		}
		free(sym);
		return;
	}
	char *comp = lhs_composite(a->lhs, &sym);
	free(sym);
	if (!comp)
		return;
	for (size_t i = 0; i < a->words->n; i++) {
		if (!is_obj_word(a->words->v[i]))
			continue;
		GROW(ix->mem, ix->nmem, ix->capmem);
		kb_member *m = &ix->mem[ix->nmem++];
		m->composite = ku_strdup(comp);
		m->obj = join_rel(xs->dir, a->words->v[i]);
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
	char *mk = join_rel(rel, mkname);
	char *abs = ku_path_join(ix->tree, mk);
	ku_buf text = {0};
	if (ku_read_file(abs, &text) == 0) {
		int file = (int)ix->dirs.n;
		ku_strv_push(&ix->dirs, rel);
		ku_strv_push(&ix->makefiles, mk);
		ix_scan xs = {ix, file, rel, ix->nmem};
		size_t first_ent = ix->nent;
		mk_scan(text.s, ix_visit, &xs);
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
		char *sub = join_rel(rel, subdirs.v[i]);
		ix_walk(ix, sub, srcarch);
		free(sub);
	}
	ku_strv_free(&subdirs);
}

kb_index *kb_index_build(const char *tree, const char *srcarch)
{
	if (!ku_is_dir(tree)) {
		ku_err("%s: not a directory", tree);
		return NULL;
	}
	kb_index *ix = ku_calloc(1, sizeof *ix);
	ix->tree = ku_strdup(tree);
	ix_walk(ix, "", srcarch ? srcarch : "x86");
	if (ix->nent == 0) {
		ku_err("%s: no Makefile lists any object: not a Linux tree?", tree);
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
	free(ix->tree);
	free(ix);
}

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
		rc = module_from_text(tree, entry_dir(ix, e), mk, text.s, e->name, out);
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
