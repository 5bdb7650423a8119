/* kp_kconfig_lex.c: Kconfig text -> statements.  A statement is one
 * logical line (backslash continuations joined, the `#` comment stripped
 * outside quotes, blanks squeezed) cut into its first word and the rest;
 * `help` text (every following line indented at least as much as its
 * first) is skipped here, since its words are not statements.  The parser
 * (kp_kconfig_parse.c) gives the statements their meaning. */
#include "kp_kconfig_int.h"

#include <stdlib.h>
#include <string.h>

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
char *kc_split_if(char *s)
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
char *kc_unquote(const char *s)
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

/* The lexer proper (kp_kconfig_int.h). */
int kc_lex(const char *file, const char *text, kc_stmt_fn *fn, void *ctx)
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
		int rc = fn(ctx, file, start, s, rest);
		if (rc != 0) {
			ku_buf_free(&logical);
			return rc;
		}
	}
	ku_buf_free(&logical);
	return 0;
}
