/* kp_kconfig_parse.c: Kconfig statements -> the symbol table.  Each
 * config entry's type, prompt (and its `if`), default, selects and
 * `depends on` lines are collected, then merged into its symbol with the
 * conditions of the enclosing if/menu/choice blocks; `source` and its
 * variants read more files (with $(SRCARCH) replaced).
 *
 * It is as strict as kconfig about the statements themselves: an unknown
 * statement, an attribute outside any entry, a malformed symbol name or
 * an `if`/`depends on` without an expression is an error with file:line,
 * so a garbage Kconfig (an external module's) cannot pass with its
 * symbols silently lost.  Macro lines (NAME := ..., $(fn,...)) are
 * accepted and ignored. */
#define _GNU_SOURCE
#include "kp_kconfig_int.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	ku_strv defaults; /* as kc_sym.defaults */
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
	ku_strv_free(&d->defaults);
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
		kc_sym *s = kc_intern(ps->kc, d->name);
		s->has_default |= d->has_default;
		for (size_t i = 0; i < d->defaults.n; i++)
			ku_strv_push(&s->defaults, d->defaults.v[i]);
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

/* Records a bool/tristate default as the condition under which it gives
 * the symbol a value: `default y if BAR` -> "BAR", `def_tristate A && B` ->
 * "A && B"; n and string/number defaults are left out. */
static void push_default(kc_def *d, const char *value, const char *cond)
{
	if (!*value || is_n(value) || *value == '"' || (*value >= '0' && *value <= '9'))
		return;
	int yes = !strcmp(value, "y") || !strcmp(value, "m");
	if (yes && !cond)
		ku_strv_push(&d->defaults, "y");
	else if (yes)
		ku_strv_push(&d->defaults, cond);
	else if (!cond)
		ku_strv_push(&d->defaults, value);
	else
		ku_strv_pushf(&d->defaults, "(%s) && (%s)", value, cond);
}

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

/* What a `source` pattern's result depends on beyond the files it finds
 * (each stamped as it is read): the dir a one-level glob lists, or for a
 * missing file (osource) the nearest dir that exists, where it may appear.
 * A glob with wildcards in two components lists more dirs than that: the
 * stamp set is marked unusable. */
static void stamp_search(kst_set *st, const char *rel)
{
	int wild_parts = 0;
	size_t wild_at = 0;
	for (size_t i = 0, start = 0;; i++) {
		if (rel[i] == '/' || !rel[i]) {
			if (memchr(rel + start, '*', i - start) || memchr(rel + start, '?', i - start) ||
			    memchr(rel + start, '[', i - start))
				wild_parts++, wild_at = start;
			if (!rel[i])
				break;
			start = i + 1;
		}
	}
	if (wild_parts > 1) {
		st->broken = 1;
		return;
	}
	char *abs = ku_path_join(st->base, rel);
	int present = !wild_parts && ku_exists(abs);
	free(abs);
	if (present)
		return;
	char *dir = wild_parts ? ku_strndup(rel, wild_at ? wild_at - 1 : 0) : ku_dirname(rel);
	for (;;) {
		if (!strcmp(dir, ".") || !dir[0])
			break;
		char *d = ku_path_join(st->base, dir);
		int is = ku_is_dir(d);
		free(d);
		if (is)
			break;
		char *up = ku_dirname(dir);
		free(dir);
		dir = up;
	}
	kst_add(st, strcmp(dir, ".") ? dir : "");
	free(dir);
}

static int do_source(kc_parse *ps, const char *kw, const char *arg, const char *file,
		     const char *where)
{
	char *path = kc_unquote(arg);
	if (!path)
		return ku_err("%s: %s needs a quoted path", where, kw);
	char *sub = subst_path(ps->kc, path);
	int relative = kw[0] == 'r' || (kw[0] == 'o' && kw[1] == 'r');
	int optional = kw[0] == 'o';
	char *dir = ku_dirname(file);
	char *rel = relative && strcmp(dir, ".") ? ku_path_join(dir, sub) : ku_strdup(sub);
	char *abs = ku_path_join(ps->kc->tree, rel);
	stamp_search(&ps->kc->stamps, rel);
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
static int handle(void *ctx, const char *file, int line, char *kw, char *rest)
{
	kc_parse *ps = ctx;
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
		char *cond = kc_split_if(rest);
		if (type_of(kw) != KC_UNKNOWN)
			d->type = type_of(kw);
		if (ku_startswith(kw, "def_")) {
			d->has_default |= !is_n(rest);
			push_default(d, rest, cond);
		} else if (*rest == '"' || *rest == '\'') {
			d->prompt = 1;
			free(d->prompt_if);
			d->prompt_if = cond ? ku_strdup(cond) : NULL;
		}
	} else if (ps->cur == 1 && !strcmp(kw, "default")) {
		char *cond = kc_split_if(rest);
		d->has_default |= !is_n(rest);
		push_default(d, rest, cond);
	} else if (ps->cur == 1 && (!strcmp(kw, "select") || !strcmp(kw, "imply"))) {
		kc_split_if(rest);
		if (*rest) {
			kc_sym *t = kc_intern(ps->kc, rest);
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

static int parse_file(kc_parse *ps, const char *rel)
{
	if (ps->depth > 64)
		return ku_err("%s: source nesting too deep", rel);
	char *abs = ku_path_join(ps->kc->tree, rel);
	kst_add(&ps->kc->stamps, rel);
	ku_buf text = {0};
	int rc = ku_read_file(abs, &text);
	free(abs);
	if (rc == 0) {
		ps->depth++;
		rc = kc_lex(rel, text.s, handle, ps);
		ps->depth--;
		finish_def(ps);
	}
	ku_buf_free(&text);
	return rc;
}

int kc_parse_root(kc_tree *kc, const char *rel)
{
	kc_parse ps = {.kc = kc};
	int rc = parse_file(&ps, rel);
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
	return rc;
}
