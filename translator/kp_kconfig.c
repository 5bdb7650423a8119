/* kp_kconfig.c: reads the tree's Kconfig files (from <tree>/Kconfig,
 * following source/rsource/osource/orsource) into a symbol table with each
 * symbol's type, prompt, definition site and dependencies (its own
 * `depends on` lines plus the enclosing if/menu/choice blocks), and answers
 * "what must a fragment enable for symbol X" (see kp_kconfig.h).
 *
 * This is not kconfig: defaults, ranges, visibility and select are not
 * evaluated.  kpiport hands the fragment to the real kconfig (allnoconfig)
 * and uses kc_first_missing on the result to explain what did not stick.
 *
 * It is as strict as kconfig about the statements themselves: an unknown
 * statement, an attribute outside any entry, a malformed symbol name or
 * an `if`/`depends on` without an expression is an error with file:line,
 * so a garbage Kconfig (an external module's) cannot pass with its
 * symbols silently lost.  Macro lines (NAME := ..., $(fn,...)) are
 * accepted and ignored. */
#define _GNU_SOURCE
#include "kp_kconfig.h"

#include <ctype.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the symbol table ---- */

typedef struct kc_sym {
	char *name;
	int defined, prompt, has_default, selected;
	ku_strv selected_by; /* symbols whose `select` names this one */
	kc_type type;
	char *where;       /* "dir/Kconfig:46" of the definition used */
	char *prompt_if;   /* `bool "x" if COND`: COND, or NULL */
	ku_strv dep_exprs; /* own `depends on` lines, then enclosing blocks, innermost first */
	ku_strv dep_whys;  /* per dep_exprs: "depends on PCI", "inside `if X` (file:line)" */
	char *depends;     /* dep_exprs joined with && */
} kc_sym;

struct kc_tree {
	char *tree, *srcarch;
	kc_sym *syms;
	size_t nsym, capsym;
	size_t *slots; /* open addressing: index+1 into syms, 0 = empty */
	size_t nslot;
};

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

static kc_sym *intern(kc_tree *kc, const char *name)
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

static const kc_sym *find(const kc_tree *kc, const char *name)
{
	if (name && ku_startswith(name, "CONFIG_"))
		name += 7;
	long at = name ? lookup(kc, name) : -1;
	return at >= 0 ? &kc->syms[at] : NULL;
}

/* ---- parsing ---- */

enum { BLK_IF, BLK_MENU, BLK_CHOICE };

typedef struct kc_block {
	int kind;
	char *where;   /* file:line */
	ku_buf expr;   /* if condition, or the &&-ed depends of a menu/choice */
} kc_block;

/* The config entry being read: collected, then merged into its symbol
 * when the next entry or block keyword ends it. */
typedef struct kc_def {
	int active, prompt, has_default;
	kc_type type;
	char *name, *where, *prompt_if;
	ku_strv depends;
} kc_def;

typedef struct kc_parse {
	kc_tree *kc;
	kc_block *blk;
	size_t nblk, capblk;
	int cur;       /* what attribute lines belong to: 0 nothing, 1 config, 2 block, 3 comment */
	kc_def def;
	int depth, failed;
} kc_parse;

static void def_clear(kc_def *d)
{
	free(d->name);
	free(d->where);
	free(d->prompt_if);
	ku_strv_free(&d->depends);
	memset(d, 0, sizeof *d);
}

static const char *block_label(int kind)
{
	return kind == BLK_IF ? "if" : kind == BLK_MENU ? "menu" : "choice";
}

/* Merges the finished config entry into its symbol.  Of several
 * definitions the first with a prompt wins: that is the one a user sets. */
static void finish_def(kc_parse *ps)
{
	kc_def *d = &ps->def;
	if (d->active) {
		kc_sym *s = intern(ps->kc, d->name);
		s->has_default |= d->has_default;
		if (s->type == KC_UNKNOWN)
			s->type = d->type;
		if (!s->defined || (d->prompt && !s->prompt)) {
			ku_strv_free(&s->dep_exprs);
			ku_strv_free(&s->dep_whys);
			free(s->where);
			free(s->prompt_if);
			s->where = ku_strdup(d->where);
			s->prompt_if = d->prompt_if ? ku_strdup(d->prompt_if) : NULL;
			s->prompt = d->prompt;
			s->defined = 1;
			for (size_t i = 0; i < d->depends.n; i++) {
				ku_strv_push(&s->dep_exprs, d->depends.v[i]);
				ku_strv_pushf(&s->dep_whys, "depends on %s", d->depends.v[i]);
			}
			for (size_t i = ps->nblk; i-- > 0;) {
				kc_block *b = &ps->blk[i];
				if (!b->expr.len)
					continue;
				ku_strv_push(&s->dep_exprs, b->expr.s);
				if (b->kind == BLK_IF)
					ku_strv_pushf(&s->dep_whys, "inside `if %s` (%s)", b->expr.s, b->where);
				else
					ku_strv_pushf(&s->dep_whys, "inside the %s at %s, which depends on %s",
						      block_label(b->kind), b->where, b->expr.s);
			}
		}
	}
	def_clear(d);
	ps->cur = 0;
}

static void push_block(kc_parse *ps, int kind, const char *where, const char *expr)
{
	if (ps->nblk == ps->capblk) {
		ps->capblk = ps->capblk ? ps->capblk * 2 : 16;
		ps->blk = ku_realloc(ps->blk, ps->capblk * sizeof *ps->blk);
	}
	kc_block *b = &ps->blk[ps->nblk++];
	b->kind = kind;
	b->where = ku_strdup(where);
	memset(&b->expr, 0, sizeof b->expr);
	if (expr)
		ku_buf_puts(&b->expr, expr);
}

static int pop_block(kc_parse *ps, int kind, const char *where)
{
	if (!ps->nblk || ps->blk[ps->nblk - 1].kind != kind)
		return ku_err("%s: end%s without %s", where, block_label(kind), block_label(kind));
	kc_block *b = &ps->blk[--ps->nblk];
	free(b->where);
	ku_buf_free(&b->expr);
	return 0;
}

/* Appends expr to an &&-list, parenthesising alternatives. */
static void and_expr(ku_buf *b, const char *expr)
{
	if (b->len) {
		char *old = ku_strdup(b->s);
		b->len = 0;
		b->s[0] = 0;
		ku_buf_printf(b, strstr(old, "||") ? "(%s)" : "%s", old);
		ku_buf_printf(b, strstr(expr, "||") ? " && (%s)" : " && %s", expr);
		free(old);
	} else {
		ku_buf_puts(b, expr);
	}
}

/* Collapses runs of blanks (continuation lines leave them) to one space. */
static char *squeeze(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++)
		if (!((*p == ' ' || *p == '\t') && (o == s || o[-1] == ' ')))
			*o++ = *p == '\t' ? ' ' : *p;
	while (o > s && o[-1] == ' ')
		o--;
	*o = 0;
	return s;
}

/* Splits `X if COND` at the top-level `if`; returns COND or NULL. */
static char *split_if(char *s)
{
	char q = 0;
	int depth = 0;
	for (char *p = s; *p; p++) {
		if (q) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == q)
				q = 0;
		} else if (*p == '"' || *p == '\'') {
			q = *p;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			depth--;
		} else if (!depth && (p == s || p[-1] == ' ' || p[-1] == '\t') && p[0] == 'i' &&
			   p[1] == 'f' && (p[2] == ' ' || p[2] == '\t' || p[2] == '(')) {
			*p = 0;
			ku_trim(s);
			return ku_trim(p + 2);
		}
	}
	return NULL;
}

/* Removes a # comment outside quotes. */
static void strip_comment(char *s)
{
	char q = 0;
	for (char *p = s; *p; p++) {
		if (q) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == q)
				q = 0;
		} else if (*p == '"' || *p == '\'') {
			q = *p;
		} else if (*p == '#') {
			*p = 0;
			return;
		}
	}
}

/* The text of a quoted string at s (malloc'd), or NULL. */
static char *unquote(const char *s)
{
	char q = *s;
	if (q != '"' && q != '\'')
		return NULL;
	ku_buf b = {0};
	ku_buf_add(&b, "", 0);
	for (s++; *s && *s != q; s++) {
		if (*s == '\\' && s[1])
			s++;
		ku_buf_putc(&b, *s);
	}
	return b.s;
}

static kc_type type_of(const char *kw)
{
	if (!strcmp(kw, "bool") || !strcmp(kw, "boolean") || !strcmp(kw, "def_bool"))
		return KC_BOOL;
	if (!strcmp(kw, "tristate") || !strcmp(kw, "def_tristate"))
		return KC_TRISTATE;
	if (!strcmp(kw, "string"))
		return KC_STRING;
	if (!strcmp(kw, "int"))
		return KC_INT;
	if (!strcmp(kw, "hex"))
		return KC_HEX;
	return KC_UNKNOWN;
}

static int is_n(const char *expr) { return !strcmp(expr, "n") || !strcmp(expr, "\"n\""); }

static int parse_file(kc_parse *ps, const char *rel);

/* Replaces $(SRCARCH) (and the arch-naming macros) in a source path. */
static char *subst_path(const kc_tree *kc, const char *path)
{
	static const char *const macros[] = {"$(SRCARCH)", "$(HEADER_ARCH)", "$(ARCH)"};
	ku_buf b = {0};
	ku_buf_add(&b, "", 0);
	while (*path) {
		size_t i, n = sizeof macros / sizeof *macros;
		for (i = 0; i < n && !ku_startswith(path, macros[i]); i++)
			;
		if (i < n) {
			ku_buf_puts(&b, kc->srcarch);
			path += strlen(macros[i]);
		} else {
			ku_buf_putc(&b, *path++);
		}
	}
	return b.s;
}

static int do_source(kc_parse *ps, const char *kw, const char *arg, const char *file,
		     const char *where)
{
	char *path = unquote(arg);
	if (!path)
		return ku_err("%s: %s needs a quoted path", where, kw);
	char *sub = subst_path(ps->kc, path);
	int relative = kw[0] == 'r' || (kw[0] == 'o' && kw[1] == 'r');
	int optional = kw[0] == 'o';
	char *dir = ku_dirname(file);
	char *rel = relative && strcmp(dir, ".") ? ku_path_join(dir, sub) : ku_strdup(sub);
	char *abs = ku_path_join(ps->kc->tree, rel);
	glob_t g;
	int rc = 0, grc = glob(abs, 0, NULL, &g);
	if (grc == GLOB_NOMATCH && !optional)
		rc = ku_err("%s: %s \"%s\": no such file", where, kw, path);
	for (size_t i = 0; grc == 0 && rc == 0 && i < g.gl_pathc; i++) {
		char *r = ku_relpath_in(ps->kc->tree, g.gl_pathv[i]);
		rc = parse_file(ps, r ? r : g.gl_pathv[i]);
		free(r);
	}
	if (grc == 0)
		globfree(&g);
	free(abs);
	free(rel);
	free(dir);
	free(sub);
	free(path);
	return rc;
}

/* Help text: every following line that is blank or indented at least as
 * much as the first text line (tabs count to the next multiple of 8). */
static const char *skip_help(const char *p, int *line)
{
	int first = -1;
	while (*p) {
		const char *eol = strchr(p, '\n');
		const char *next = eol ? eol + 1 : p + strlen(p);
		int ts = 0;
		const char *q = p;
		for (; *q == ' ' || *q == '\t'; q++)
			ts = *q == '\t' ? (ts & ~7) + 8 : ts + 1;
		int blank = *q == '\n' || *q == '\r' || *q == 0;
		if (!blank) {
			if (first < 0)
				first = ts;
			if (ts == 0 || ts < first)
				return p;
		}
		(*line)++;
		p = next;
	}
	return p;
}

/* Attribute keywords: they belong to the entry above them. */
static int is_attribute(const char *kw)
{
	static const char *const attrs[] = {"bool", "boolean", "tristate", "string", "int", "hex", "def_bool",
					    "def_tristate", "prompt", "default", "select", "imply", "visible",
					    "range", "option", "modules", "optional", "transitional"};
	for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
		if (!strcmp(kw, attrs[i]))
			return 1;
	return 0;
}

/* A line of Kconfig's macro language: `$(fn,args)` at top level, or an
 * assignment `NAME = v`, `NAME := v`, `NAME += v` (scripts/Kconfig.include). */
static int is_macro_line(const char *kw, const char *rest)
{
	if (kw[0] == '$' && kw[1] == '(')
		return 1;
	size_t n = strspn(kw, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
	if (!n)
		return 0;
	const char *op = kw[n] ? kw + n : rest;
	return op[0] == '=' || ((op[0] == ':' || op[0] == '+') && op[1] == '=');
}

static int is_symbol_name(const char *s)
{
	return *s && s[strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")] == 0;
}

/* One logical line (continuations joined) whose first word is kw. */
static int handle(kc_parse *ps, const char *file, int line, char *kw, char *rest)
{
	char where[4096];
	snprintf(where, sizeof where, "%s:%d", file, line);
	kc_def *d = &ps->def;
	if (!strcmp(kw, "config") || !strcmp(kw, "menuconfig")) {
		finish_def(ps);
		if (!*rest)
			return ku_err("%s: %s without a name", where, kw);
		if (!is_symbol_name(rest))
			return ku_err("%s: `%s %.40s`: a symbol name is letters, digits and _", where, kw, rest);
		d->active = 1;
		d->name = ku_strdup(rest);
		d->where = ku_strdup(where);
		ps->cur = 1;
	} else if (!strcmp(kw, "if")) {
		finish_def(ps);
		if (!*rest)
			return ku_err("%s: `if` without a condition", where);
		push_block(ps, BLK_IF, where, rest);
	} else if (!strcmp(kw, "menu") || !strcmp(kw, "choice")) {
		finish_def(ps);
		push_block(ps, kw[0] == 'm' ? BLK_MENU : BLK_CHOICE, where, NULL);
		ps->cur = 2;
	} else if (!strcmp(kw, "endif") || !strcmp(kw, "endmenu") || !strcmp(kw, "endchoice")) {
		finish_def(ps);
		return pop_block(ps, kw[3] == 'i' ? BLK_IF : kw[3] == 'm' ? BLK_MENU : BLK_CHOICE, where);
	} else if (!strcmp(kw, "comment") || !strcmp(kw, "mainmenu")) {
		finish_def(ps);
		ps->cur = kw[0] == 'c' ? 3 : 0; /* a comment may have `depends on` */
	} else if (!strcmp(kw, "source") || !strcmp(kw, "rsource") || !strcmp(kw, "osource") ||
		   !strcmp(kw, "orsource")) {
		finish_def(ps);
		return do_source(ps, kw, rest, file, where);
	} else if (!strcmp(kw, "depends")) {
		if (!ku_startswith(rest, "on"))
			return ku_err("%s: `depends` without `on`", where);
		char *expr = ku_trim(rest + 2);
		if (!*expr)
			return ku_err("%s: `depends on` without an expression", where);
		if (!ps->cur)
			return ku_err("%s: `depends on` outside a config, menu, choice or comment entry", where);
		if (ps->cur == 1)
			ku_strv_push(&d->depends, expr);
		else if (ps->cur == 2)
			and_expr(&ps->blk[ps->nblk - 1].expr, expr);
	} else if (ps->cur == 1 && (type_of(kw) != KC_UNKNOWN || !strcmp(kw, "prompt"))) {
		char *cond = split_if(rest);
		if (type_of(kw) != KC_UNKNOWN)
			d->type = type_of(kw);
		if (ku_startswith(kw, "def_")) {
			d->has_default |= !is_n(rest);
		} else if (*rest == '"' || *rest == '\'') {
			d->prompt = 1;
			free(d->prompt_if);
			d->prompt_if = cond ? ku_strdup(cond) : NULL;
		}
	} else if (ps->cur == 1 && !strcmp(kw, "default")) {
		split_if(rest);
		d->has_default |= !is_n(rest);
	} else if (ps->cur == 1 && (!strcmp(kw, "select") || !strcmp(kw, "imply"))) {
		split_if(rest);
		if (*rest) {
			kc_sym *t = intern(ps->kc, rest);
			t->selected = 1;
			ku_strv_push_unique(&t->selected_by, d->name);
		}
	} else if (is_attribute(kw)) {
		/* range, visible, option, ... do not matter here, but like
		 * kconfig they need an entry to belong to */
		if (!ps->cur)
			return ku_err("%s: `%s` outside a config, menu, choice or comment entry", where, kw);
	} else if (!is_macro_line(kw, rest)) {
		/* kconfig refuses what it does not know ("unknown statement"):
		 * so do we, or a garbage file would pass with its symbols lost */
		return ku_err("%s: unknown Kconfig statement `%.40s%s`", where, kw, strlen(kw) > 40 ? "..." : "");
	}
	return 0;
}

static int parse_text(kc_parse *ps, const char *file, const char *text)
{
	ku_buf logical = {0};
	int line = 0;
	const char *p = text;
	while (*p) {
		int start = line + 1;
		logical.len = 0;
		ku_buf_add(&logical, "", 0);
		for (;;) { /* join backslash continuations */
			const char *eol = strchr(p, '\n');
			size_t n = eol ? (size_t)(eol - p) : strlen(p);
			line++;
			if (n && p[n - 1] == '\r')
				n--;
			int cont = n && p[n - 1] == '\\';
			ku_buf_add(&logical, p, cont ? n - 1 : n);
			p += eol ? (size_t)(eol - p) + 1 : strlen(p);
			if (!cont || !*p)
				break;
			ku_buf_putc(&logical, ' ');
		}
		strip_comment(logical.s);
		char *s = squeeze(ku_trim(logical.s));
		if (!*s)
			continue;
		char *rest = s;
		while (*rest && *rest != ' ' && *rest != '\t')
			rest++;
		if (*rest)
			*rest++ = 0;
		rest = ku_trim(rest);
		if (!strcmp(s, "help") || !strcmp(s, "---help---")) {
			p = skip_help(p, &line);
			continue;
		}
		if (handle(ps, file, start, s, rest) != 0) {
			ku_buf_free(&logical);
			return -1;
		}
	}
	ku_buf_free(&logical);
	return 0;
}

static int parse_file(kc_parse *ps, const char *rel)
{
	if (ps->depth > 64)
		return ku_err("%s: source nesting too deep", rel);
	char *abs = ku_path_join(ps->kc->tree, rel);
	ku_buf text = {0};
	int rc = ku_read_file(abs, &text);
	free(abs);
	if (rc == 0) {
		ps->depth++;
		rc = parse_text(ps, rel, text.s);
		ps->depth--;
		finish_def(ps);
	}
	ku_buf_free(&text);
	return rc;
}

static void intern_refs(kc_tree *kc, const char *text);

static void finalize(kc_tree *kc)
{
	size_t defined = kc->nsym; /* intern_refs appends (and may move syms) */
	for (size_t i = 0; i < defined; i++) {
		for (size_t j = 0; j < kc->syms[i].dep_exprs.n; j++)
			intern_refs(kc, kc->syms[i].dep_exprs.v[j]);
		intern_refs(kc, kc->syms[i].prompt_if);
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
	rehash(kc);
	kc_parse ps = {.kc = kc};
	char *rel = ku_relpath_in(tree, root_file);
	int rc = parse_file(&ps, rel ? rel : root_file);
	free(rel);
	finish_def(&ps);
	if (rc == 0 && ps.nblk)
		rc = ku_err("%s: `%s` never closed", ps.blk[ps.nblk - 1].where,
			    block_label(ps.blk[ps.nblk - 1].kind));
	while (ps.nblk) {
		kc_block *b = &ps.blk[--ps.nblk];
		free(b->where);
		ku_buf_free(&b->expr);
	}
	free(ps.blk);
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
	for (size_t i = 0; i < kc->nsym; i++) {
		kc_sym *s = &kc->syms[i];
		free(s->name);
		free(s->where);
		free(s->prompt_if);
		free(s->depends);
		ku_strv_free(&s->dep_exprs);
		ku_strv_free(&s->dep_whys);
		ku_strv_free(&s->selected_by);
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
	const kc_sym *s = find(kc, symbol);
	return s && s->defined;
}

kc_type kc_symbol_type(const kc_tree *kc, const char *symbol)
{
	const kc_sym *s = find(kc, symbol);
	return s ? s->type : KC_UNKNOWN;
}

int kc_has_prompt(const kc_tree *kc, const char *symbol)
{
	const kc_sym *s = find(kc, symbol);
	return s && s->prompt;
}

const char *kc_where(const kc_tree *kc, const char *symbol)
{
	const kc_sym *s = find(kc, symbol);
	return s && s->defined ? s->where : NULL;
}

const char *kc_depends(const kc_tree *kc, const char *symbol)
{
	const kc_sym *s = find(kc, symbol);
	return s && s->defined ? s->depends : NULL;
}

/* ---- expressions ---- */

enum { E_SYM, E_STR, E_NOT, E_AND, E_OR, E_CMP };

typedef struct kc_expr {
	int op;
	char *text;   /* E_SYM: the name; E_CMP: the operator */
	struct kc_expr *l, *r;
} kc_expr;

static kc_expr *node(int op, char *text, kc_expr *l, kc_expr *r)
{
	kc_expr *e = ku_calloc(1, sizeof *e);
	e->op = op;
	e->text = text;
	e->l = l;
	e->r = r;
	return e;
}

static void expr_free(kc_expr *e)
{
	if (!e)
		return;
	expr_free(e->l);
	expr_free(e->r);
	free(e->text);
	free(e);
}

static int is_symch(char c) { return isalnum((unsigned char)c) || c == '_'; }

static void skipws(const char **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

static kc_expr *parse_or(const char **p);

static kc_expr *parse_atom(const char **p)
{
	skipws(p);
	const char *s = *p;
	if (*s == '"' || *s == '\'') {
		char q = *s++;
		while (*s && *s != q)
			s += (*s == '\\' && s[1]) ? 2 : 1;
		*p = *s ? s + 1 : s;
		return node(E_STR, NULL, NULL, NULL);
	}
	if (s[0] == '$' && s[1] == '(') {
		int depth = 0;
		for (; *s; s++) {
			depth += *s == '(';
			if (*s == ')' && --depth == 0) {
				s++;
				break;
			}
		}
		*p = s;
		return node(E_STR, NULL, NULL, NULL);
	}
	while (is_symch(*s))
		s++;
	if (s == *p)
		return NULL;
	kc_expr *e = node(E_SYM, ku_strndup(*p, (size_t)(s - *p)), NULL, NULL);
	*p = s;
	return e;
}

static kc_expr *parse_primary(const char **p)
{
	skipws(p);
	if (**p == '(') {
		(*p)++;
		kc_expr *e = parse_or(p);
		skipws(p);
		if (**p == ')')
			(*p)++;
		return e;
	}
	kc_expr *a = parse_atom(p);
	skipws(p);
	static const char *const ops[] = {"!=", "<=", ">=", "=", "<", ">"};
	for (size_t i = 0; a && i < sizeof ops / sizeof *ops; i++)
		if (ku_startswith(*p, ops[i])) {
			*p += strlen(ops[i]);
			return node(E_CMP, ku_strdup(ops[i]), a, parse_atom(p));
		}
	return a;
}

static kc_expr *parse_not(const char **p)
{
	skipws(p);
	if (**p == '!' && (*p)[1] != '=') {
		(*p)++;
		return node(E_NOT, NULL, parse_not(p), NULL);
	}
	return parse_primary(p);
}

static kc_expr *parse_and(const char **p)
{
	kc_expr *e = parse_not(p);
	for (skipws(p); ku_startswith(*p, "&&"); skipws(p)) {
		*p += 2;
		e = node(E_AND, NULL, e, parse_not(p));
	}
	return e;
}

static kc_expr *parse_or(const char **p)
{
	kc_expr *e = parse_and(p);
	for (skipws(p); ku_startswith(*p, "||"); skipws(p)) {
		*p += 2;
		e = node(E_OR, NULL, e, parse_and(p));
	}
	return e;
}

static kc_expr *expr_parse(const char *text)
{
	return text ? parse_or(&text) : NULL;
}

/* y=2, m=1, n=0; -1 for anything that is not a tristate constant. */
static int const_val(const kc_expr *e)
{
	if (!e || e->op != E_SYM)
		return -1;
	return !strcmp(e->text, "y") ? 2 : !strcmp(e->text, "m") ? 1 : !strcmp(e->text, "n") ? 0 : -1;
}

/* For `A = y`, `A = m`, `A != n` (either side): the symbol A that must be
 * enabled; NULL for comparisons enabling nothing (`A = n`, strings, ints). */
static const kc_expr *cmp_needs(const kc_expr *e)
{
	const kc_expr *sym = const_val(e->l) < 0 ? e->l : e->r;
	const kc_expr *val = sym == e->l ? e->r : e->l;
	if (!sym || sym->op != E_SYM || const_val(sym) >= 0 || const_val(val) < 0)
		return NULL;
	if (!strcmp(e->text, "=") && const_val(val) > 0)
		return sym;
	if (!strcmp(e->text, "!=") && const_val(val) == 0)
		return sym;
	return NULL;
}

/* Interns every symbol the dependencies name, so kc_first_missing can
 * return even an undefined one. */
static void intern_refs(kc_tree *kc, const char *text)
{
	for (const char *p = text; p && *p;) {
		if (*p == '"' || *p == '\'') {
			char q = *p++;
			while (*p && *p != q)
				p++;
			p += *p != 0;
		} else if (is_symch(*p)) {
			const char *s = p;
			while (is_symch(*p))
				p++;
			char *name = ku_strndup(s, (size_t)(p - s));
			if (strcmp(name, "y") && strcmp(name, "m") && strcmp(name, "n") && !isdigit((unsigned char)*s))
				intern(kc, name);
			free(name);
		} else {
			p++;
		}
	}
}

/* ---- enabling a symbol ---- */

typedef struct kc_walk {
	const kc_tree *kc;
	unsigned char *sat;  /* per symbol: 0 unknown, 1 being decided, 2 yes, 3 no */
	unsigned char *done; /* per symbol: already enabled / checked */
	unsigned char *forced; /* per symbol: 0 unknown, 1 being decided, 2 yes, 3 no */
	ku_strv *lines, *chain;
	const kc_sym *target;
	int as_module;
	int failed, depth;
	ku_strv on; /* kc_first_missing: enabled symbols of the .config, sorted */
} kc_walk;

static size_t sym_index(const kc_walk *w, const kc_sym *s) { return (size_t)(s - w->kc->syms); }

static int expr_sat(kc_walk *w, const kc_expr *e);
static int holds_unset(kc_walk *w, const kc_expr *e);

static int settable(kc_walk *w, const kc_sym *s)
{
	if (!s->prompt || !s->prompt_if)
		return s->prompt;
	if (w->depth > 64)
		return 1; /* prompts conditioned on each other: give up, optimistic */
	w->depth++;
	kc_expr *c = expr_parse(s->prompt_if);
	int ok = expr_sat(w, c);
	expr_free(c);
	w->depth--;
	return ok;
}

/* Can the symbol become y/m at all: defined, a bool/tristate, settable or
 * given a value by default/select, and its dependencies satisfiable. */
static int sym_sat(kc_walk *w, const kc_sym *s)
{
	if (!s || !s->defined || (s->type != KC_BOOL && s->type != KC_TRISTATE))
		return 0;
	unsigned char *st = &w->sat[sym_index(w, s)];
	if (*st)
		return *st != 3; /* being decided (a cycle): optimistic */
	*st = 1;
	int ok = 1;
	for (size_t i = 0; ok && i < s->dep_exprs.n; i++) {
		kc_expr *e = expr_parse(s->dep_exprs.v[i]);
		ok = expr_sat(w, e);
		expr_free(e);
	}
	if (ok && !settable(w, s) && !s->has_default && !s->selected)
		ok = 0;
	*st = ok ? 2 : 3;
	return ok;
}

static int expr_sat(kc_walk *w, const kc_expr *e)
{
	if (!e)
		return 1;
	switch (e->op) {
	case E_SYM:
		return const_val(e) >= 0 ? const_val(e) > 0 : sym_sat(w, find(w->kc, e->text));
	case E_AND:
		return expr_sat(w, e->l) && expr_sat(w, e->r);
	case E_OR:
		return expr_sat(w, e->l) || expr_sat(w, e->r);
	case E_CMP:
		return cmp_needs(e) ? expr_sat(w, cmp_needs(e)) : holds_unset(w, e);
	case E_NOT: /* holds unless something forces A on */
		return holds_unset(w, e);
	default: /* strings and macros are the environment's */
		return 1;
	}
}

/* Is A on without our asking: no prompt (or a hidden one), a default and
 * dependencies that hold, or selected by a symbol that is itself forced on
 * (X86 selects HAVE_PCI).
 * Conditions on defaults and selects are not evaluated. */
static int forced_on(kc_walk *w, const kc_sym *a)
{
	if (!a || !a->defined)
		return 0;
	unsigned char *st = &w->forced[sym_index(w, a)];
	if (*st)
		return *st == 2;
	*st = 1; /* a select cycle: not forced */
	int on = !settable(w, a) && a->has_default;
	for (size_t i = 0; on && i < a->dep_exprs.n; i++) {
		kc_expr *e = expr_parse(a->dep_exprs.v[i]);
		on = holds_unset(w, e);
		expr_free(e);
	}
	for (size_t i = 0; !on && i < a->selected_by.n; i++)
		on = forced_on(w, find(w->kc, a->selected_by.v[i]));
	*st = on ? 2 : 3;
	return on;
}

/* Does e hold under allnoconfig with nothing enabled: every symbol n
 * except those forced on (`X86 || FOO`, `!FOO`, `AGP = n` all do). */
static int holds_unset(kc_walk *w, const kc_expr *e)
{
	if (!e)
		return 1;
	switch (e->op) {
	case E_SYM:
		return const_val(e) >= 0 ? const_val(e) > 0 : forced_on(w, find(w->kc, e->text));
	case E_NOT:
		return !holds_unset(w, e->l);
	case E_AND:
		return holds_unset(w, e->l) && holds_unset(w, e->r);
	case E_OR:
		return holds_unset(w, e->l) || holds_unset(w, e->r);
	case E_CMP: {
		const kc_expr *sym = const_val(e->l) < 0 ? e->l : e->r;
		const kc_expr *val = sym == e->l ? e->r : e->l;
		if (!sym || sym->op != E_SYM || const_val(val) < 0)
			return 1; /* strings, numbers: the environment's business */
		int on = holds_unset(w, sym) ? const_val(val) > 0 : const_val(val) == 0;
		return !strcmp(e->text, "=") ? on : !strcmp(e->text, "!=") ? !on : 1;
	}
	default:
		return 1;
	}
}

static void enable(kc_walk *w, const kc_sym *s, const char *why);

static void enable_expr(kc_walk *w, const kc_expr *e, const kc_sym *by, const char *why)
{
	if (!e)
		return;
	switch (e->op) {
	case E_SYM: {
		if (const_val(e) > 0)
			return;
		const kc_sym *s = find(w->kc, e->text);
		if (const_val(e) == 0 || !s || !s->defined) {
			if (!w->failed && const_val(e) == 0)
				ku_err("cannot enable %s: %s (%s) can never hold", w->target->name, by->name, why);
			else if (!w->failed)
				ku_err("cannot enable %s: %s (%s) names %s, which %s does not define",
				       w->target->name, by->name, why, e->text, w->kc->srcarch);
			w->failed = 1;
			return;
		}
		char *reason = ku_printf("%s: %s", by->name, why);
		enable(w, s, reason);
		free(reason);
		return;
	}
	case E_AND:
		enable_expr(w, e->l, by, why);
		enable_expr(w, e->r, by, why);
		return;
	case E_OR: /* `A || !A`, `AGP || AGP=n`: nothing to enable */
		if (holds_unset(w, e->l) || holds_unset(w, e->r))
			return;
		enable_expr(w, expr_sat(w, e->l) || !expr_sat(w, e->r) ? e->l : e->r, by, why);
		return;
	case E_CMP:
		enable_expr(w, cmp_needs(e), by, why);
		return;
	default:
		return;
	}
}

static void enable(kc_walk *w, const kc_sym *s, const char *why)
{
	unsigned char *done = &w->done[sym_index(w, s)];
	if (*done)
		return;
	*done = 1;
	for (size_t i = 0; i < s->dep_exprs.n; i++) {
		kc_expr *e = expr_parse(s->dep_exprs.v[i]);
		enable_expr(w, e, s, s->dep_whys.v[i]);
		expr_free(e);
	}
	if (settable(w, s) && s->prompt_if) {
		kc_expr *e = expr_parse(s->prompt_if);
		char *pwhy = ku_printf("its prompt shows only if %s", s->prompt_if);
		enable_expr(w, e, s, pwhy);
		free(pwhy);
		expr_free(e);
	}
	if (settable(w, s) && (s->type == KC_BOOL || s->type == KC_TRISTATE)) {
		int m = s == w->target && w->as_module && s->type == KC_TRISTATE;
		ku_strv_pushf(w->lines, "CONFIG_%s=%s", s->name, m ? "m" : "y");
		ku_strv_pushf(w->chain, "%s (%s)", s->name, why);
	} else {
		ku_strv_pushf(w->chain, "%s (%s; no prompt: it comes from select or default)", s->name, why);
	}
}

int kc_fragment(const kc_tree *kc, const char *symbol, int as_module,
		ku_strv *lines, ku_strv *chain)
{
	const kc_sym *s = find(kc, symbol);
	if (!s || !s->defined)
		return ku_err("no Kconfig symbol %s for %s", symbol, kc->srcarch);
	if (s->type != KC_BOOL && s->type != KC_TRISTATE)
		return ku_err("%s (%s) is not a bool or tristate", s->name, s->where);
	kc_walk w = {.kc = kc, .lines = lines, .chain = chain, .target = s, .as_module = as_module};
	w.sat = ku_calloc(kc->nsym, 1);
	w.done = ku_calloc(kc->nsym, 1);
	w.forced = ku_calloc(kc->nsym, 1);
	const kc_sym *modules = find(kc, "MODULES");
	if (as_module && s->type == KC_TRISTATE && modules && modules->defined) {
		char *why = ku_printf("needed to build %s as a module", s->name);
		enable(&w, modules, why);
		free(why);
	}
	enable(&w, s, "requested");
	if (!w.failed && !settable(&w, s)) {
		if (s->prompt)
			ku_err("%s (%s): its prompt shows only if %s, which cannot hold", s->name, s->where,
			       s->prompt_if);
		else
			ku_err("%s (%s) has no prompt: a fragment cannot set it", s->name, s->where);
		w.failed = 1;
	}
	free(w.sat);
	free(w.done);
	free(w.forced);
	return w.failed ? -1 : 0;
}

/* ---- explaining a .config ---- */

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_on(const kc_walk *w, const char *name)
{
	return w->on.n && bsearch(&name, w->on.v, w->on.n, sizeof *w->on.v, cmp_name) != NULL;
}

static int eval(const kc_walk *w, const kc_expr *e)
{
	if (!e)
		return 1;
	switch (e->op) {
	case E_SYM:
		return const_val(e) >= 0 ? const_val(e) > 0 : is_on(w, e->text);
	case E_NOT:
		return !eval(w, e->l);
	case E_AND:
		return eval(w, e->l) && eval(w, e->r);
	case E_OR:
		return eval(w, e->l) || eval(w, e->r);
	case E_CMP:
		return cmp_needs(e) ? eval(w, cmp_needs(e)) : 1;
	default:
		return 1;
	}
}

static const char *missing_in_deps(kc_walk *w, const kc_sym *s);

static const char *missing_in_expr(kc_walk *w, const kc_expr *e)
{
	if (!e || eval(w, e))
		return NULL;
	switch (e->op) {
	case E_SYM: {
		const kc_sym *s = find(w->kc, e->text);
		if (!s)
			return NULL; /* the constant n */
		const char *deeper = missing_in_deps(w, s);
		return deeper ? deeper : s->name;
	}
	case E_AND: {
		const char *r = missing_in_expr(w, e->l);
		return r ? r : missing_in_expr(w, e->r);
	}
	case E_OR:
		return missing_in_expr(w, expr_sat(w, e->l) || !expr_sat(w, e->r) ? e->l : e->r);
	case E_CMP:
		return missing_in_expr(w, cmp_needs(e));
	default:
		return NULL;
	}
}

static const char *missing_in_deps(kc_walk *w, const kc_sym *s)
{
	unsigned char *done = &w->done[sym_index(w, s)];
	if (*done)
		return NULL;
	*done = 1;
	for (size_t i = 0; i < s->dep_exprs.n; i++) {
		kc_expr *e = expr_parse(s->dep_exprs.v[i]);
		const char *r = missing_in_expr(w, e);
		expr_free(e);
		if (r)
			return r;
	}
	return NULL;
}

const char *kc_first_missing(const kc_tree *kc, const char *symbol, const char *dotconfig)
{
	const kc_sym *s = find(kc, symbol);
	if (!s || !s->defined)
		return NULL;
	kc_walk w = {.kc = kc, .target = s};
	for (const char *p = dotconfig; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n > 9 && ku_startswith(p, "CONFIG_") && p[n - 2] == '=' &&
		    (p[n - 1] == 'y' || p[n - 1] == 'm')) {
			char *name = ku_strndup(p + 7, n - 9);
			ku_strv_push(&w.on, name);
			free(name);
		}
		p = eol ? eol + 1 : p + strlen(p);
	}
	if (w.on.n)
		qsort(w.on.v, w.on.n, sizeof *w.on.v, cmp_name);
	w.sat = ku_calloc(kc->nsym, 1);
	w.done = ku_calloc(kc->nsym, 1);
	w.forced = ku_calloc(kc->nsym, 1);
	const char *r = missing_in_deps(&w, s);
	free(w.sat);
	free(w.done);
	free(w.forced);
	ku_strv_free(&w.on);
	return r;
}
