/* kp_kconfig_expr.c: Kconfig dependency expressions: &&, ||, !, the
 * comparisons (=, !=, <, <=, >, >=), parentheses, symbols, quoted strings
 * and $(macro) calls (both opaque), parsed into a tree the solver walks.
 * Malformed text parses as far as it goes: an expression is never an
 * error here, since the parser already accepted the statement. */
#include "kp_kconfig_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static kc_expr *node(int op, char *text, kc_expr *l, kc_expr *r)
{
	kc_expr *e = ku_calloc(1, sizeof *e);
	e->op = op;
	e->text = text;
	e->l = l;
	e->r = r;
	return e;
}

void kc_expr_free(kc_expr *e)
{
	if (!e)
		return;
	kc_expr_free(e->l);
	kc_expr_free(e->r);
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
		return node(KC_E_STR, NULL, NULL, NULL);
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
		return node(KC_E_STR, NULL, NULL, NULL);
	}
	while (is_symch(*s))
		s++;
	if (s == *p)
		return NULL;
	kc_expr *e = node(KC_E_SYM, ku_strndup(*p, (size_t)(s - *p)), NULL, NULL);
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
			return node(KC_E_CMP, ku_strdup(ops[i]), a, parse_atom(p));
		}
	return a;
}

static kc_expr *parse_not(const char **p)
{
	skipws(p);
	if (**p == '!' && (*p)[1] != '=') {
		(*p)++;
		return node(KC_E_NOT, NULL, parse_not(p), NULL);
	}
	return parse_primary(p);
}

static kc_expr *parse_and(const char **p)
{
	kc_expr *e = parse_not(p);
	for (skipws(p); ku_startswith(*p, "&&"); skipws(p)) {
		*p += 2;
		e = node(KC_E_AND, NULL, e, parse_not(p));
	}
	return e;
}

static kc_expr *parse_or(const char **p)
{
	kc_expr *e = parse_and(p);
	for (skipws(p); ku_startswith(*p, "||"); skipws(p)) {
		*p += 2;
		e = node(KC_E_OR, NULL, e, parse_and(p));
	}
	return e;
}

kc_expr *kc_expr_parse(const char *text)
{
	return text ? parse_or(&text) : NULL;
}

/* y=2, m=1, n=0; -1 for anything that is not a tristate constant. */
int kc_const_val(const kc_expr *e)
{
	if (!e || e->op != KC_E_SYM)
		return -1;
	return !strcmp(e->text, "y") ? 2 : !strcmp(e->text, "m") ? 1 : !strcmp(e->text, "n") ? 0 : -1;
}

/* For `A = y`, `A = m`, `A != n` (either side): the symbol A that must be
 * enabled; NULL for comparisons enabling nothing (`A = n`, strings, ints). */
const kc_expr *kc_cmp_needs(const kc_expr *e)
{
	const kc_expr *sym = kc_const_val(e->l) < 0 ? e->l : e->r;
	const kc_expr *val = sym == e->l ? e->r : e->l;
	if (!sym || sym->op != KC_E_SYM || kc_const_val(sym) >= 0 || kc_const_val(val) < 0)
		return NULL;
	if (!strcmp(e->text, "=") && kc_const_val(val) > 0)
		return sym;
	if (!strcmp(e->text, "!=") && kc_const_val(val) == 0)
		return sym;
	return NULL;
}

/* Interns every symbol the dependencies name, so kc_first_missing can
 * return even an undefined one. */
void kc_intern_refs(kc_tree *kc, const char *text)
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
				kc_intern(kc, name);
			free(name);
		} else {
			p++;
		}
	}
}
