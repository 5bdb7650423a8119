/* kp_kbuild_mk.c: the Makefile reader under kp_kbuild.  It understands
 * only what kbuild's object lists use: assignments (=, :=, ::=, +=, ?=)
 * with backslash continuations, comments, and $(var) references to
 * variables set earlier in the same file.  Conditionals are not
 * evaluated (both branches count), but an assignment inside `ifdef
 * CONFIG_X` or `ifneq ($(CONFIG_X),)` says so (kb_assign.cond): a
 * composite's members there are as conditional as name-$(CONFIG_X)'s.
 * Also here: what kbuild's left-hand sides (obj-$(CONFIG_X), name-objs,
 * name-$(CONFIG_Y)) say. */
#include "kp_kbuild_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* ---- Makefile scanning ---- */

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

/* The CONFIG_ symbol a conditional line makes its block depend on:
 * `ifdef CONFIG_X` and `ifneq ($(CONFIG_X),)` (X enabled, y or m), or
 * NULL for any other test, whose block counts unconditionally.  *is_if: the
 * line opens a block at all. */
static int is_directive(const char *s, const char *word)
{
	size_t n = strlen(word);
	return strncmp(s, word, n) == 0 && (s[n] == ' ' || s[n] == '\t' || s[n] == '(' || !s[n]);
}

static char *block_symbol(const char *s, int *is_if)
{
	*is_if = is_directive(s, "ifdef") || is_directive(s, "ifndef") || is_directive(s, "ifeq") ||
		 is_directive(s, "ifneq");
	if (ku_startswith(s, "ifdef ") || ku_startswith(s, "ifdef\t")) {
		const char *v = ku_trim((char *)s + 6);
		return ku_startswith(v, "CONFIG_") && !strpbrk(v, " \t$") ? ku_strdup(v + 7) : NULL;
	}
	if (ku_startswith(s, "ifneq")) {
		const char *a = s + 5;
		while (*a == ' ' || *a == '\t')
			a++;
		const char *comma = strchr(a, ',');
		if (!ku_startswith(a, "($(CONFIG_") || !comma || comma[-1] != ')')
			return NULL;
		const char *rest = comma + 1;
		while (*rest == ' ' || *rest == '\t')
			rest++;
		if (*rest != ')')
			return NULL;
		return ku_strndup(a + 10, (size_t)(comma - 1 - (a + 10)));
	}
	return NULL;
}

static const char *innermost(const ku_strv *blocks)
{
	for (size_t i = blocks->n; i-- > 0;)
		if (*blocks->v[i])
			return blocks->v[i];
	return NULL;
}

static void handle_line(mk_vars *vs, char *s, int line, const char *cond, kb_visit_fn *fn, void *ctx)
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
	kb_assign a = {lhs, op, &words, line, cond};
	fn(ctx, &a);
	ku_strv_free(&words);
	ku_buf_free(&val);
}

/* Calls fn for every assignment in a Makefile text, in order. */
void kb_mk_scan(const char *text, kb_visit_fn *fn, void *ctx)
{
	mk_vars vs = {0};
	ku_strv blocks = {0}; /* open conditional blocks: the symbol, or "" */
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
			int is_if;
			char *sym = block_symbol(s, &is_if);
			if (is_if) {
				ku_strv_push(&blocks, sym ? sym : "");
			} else if (is_directive(s, "else") && blocks.n) {
				free(blocks.v[blocks.n - 1]); /* the other branch: no symbol known */
				blocks.v[blocks.n - 1] = ku_strdup("");
			} else if (is_directive(s, "endif") && blocks.n) {
				free(blocks.v[--blocks.n]);
			} else {
				handle_line(&vs, s, start, innermost(&blocks), fn, ctx);
			}
			free(sym);
		}
		logical.len = 0;
		logical.s[0] = 0;
	}
	ku_buf_free(&logical);
	ku_strv_free(&blocks);
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
int kb_lhs_is_obj(const char *lhs, char **symbol)
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
char *kb_lhs_composite(const char *lhs, char **symbol)
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

char *kb_join_rel(const char *dir, const char *name)
{
	if (!dir || !*dir || !strcmp(dir, "."))
		return ku_strdup(name);
	return ku_printf("%s/%s", dir, name);
}

/* "drivers/x/foo.o" -> "foo" */
char *kb_obj_module_name(const char *word)
{
	const char *base = ku_basename(word);
	return ku_strndup(base, strlen(base) - 2);
}

int kb_is_obj_word(const char *w)
{
	return ku_endswith(w, ".o") && strlen(w) > 2 && !strchr(w, '$');
}
