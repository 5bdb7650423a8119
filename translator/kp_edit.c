/* kp_edit.c: line maps, token renames and missing semicolons on a file's
 * text (see kp_edit.h).  Byte-exact: nothing but the edited bytes changes,
 * so a reviewer's diff shows the edit and nothing else. */
#include "kp_edit.h"

#include <stdlib.h>
#include <string.h>

void ked_linemap_parse(const char *diff, ked_linemap *m)
{
	memset(m, 0, sizeof *m);
	for (const char *l = diff; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, "@@ -", 4) != 0)
			continue;
		ked_hunk h = {.old_len = 1, .new_len = 1}; /* "-a" alone means "-a,1" */
		char *q;
		h.old_start = (int)strtol(l + 4, &q, 10);
		if (*q == ',')
			h.old_len = (int)strtol(q + 1, &q, 10);
		q = strchr(q, '+');
		if (!q)
			continue;
		h.new_start = (int)strtol(q + 1, &q, 10);
		if (*q == ',')
			h.new_len = (int)strtol(q + 1, &q, 10);
		m->hunks = ku_realloc(m->hunks, (m->n + 1) * sizeof *m->hunks);
		m->hunks[m->n++] = h;
	}
}

int ked_linemap_apply(const ked_linemap *m, int line)
{
	int delta = 0;
	for (size_t i = 0; i < m->n; i++) {
		const ked_hunk *h = &m->hunks[i];
		/* -a,0 is a pure insertion after line a; -a,b replaces lines a..a+b-1 */
		int first = h->old_len ? h->old_start : h->old_start + 1;
		int last = h->old_start + h->old_len - 1;
		if (h->old_len && line >= first && line <= last)
			return 0;
		if (line >= first)
			delta += h->new_len - h->old_len;
	}
	return line + delta;
}

void ked_linemap_free(ked_linemap *m)
{
	free(m->hunks);
	memset(m, 0, sizeof *m);
}

/* Offset of the first byte of 1-based `line`, or -1 past the end. */
static long line_offset(const ku_buf *text, int line)
{
	if (line < 1 || !text->s)
		return -1;
	const char *l = text->s;
	for (int i = 1; i < line; i++) {
		l = strchr(l, '\n');
		if (!l)
			return -1;
		l++;
	}
	return (long)(l - text->s);
}

static void splice(ku_buf *text, size_t at, size_t remove, const char *insert)
{
	ku_buf nb = {0};
	ku_buf_add(&nb, text->s, at);
	ku_buf_puts(&nb, insert);
	ku_buf_add(&nb, text->s + at + remove, text->len - at - remove);
	ku_buf_free(text);
	*text = nb;
}

int ked_rename_token(ku_buf *text, int line, int col, const char *from, const char *to)
{
	long off = line_offset(text, line);
	size_t fl = strlen(from);
	if (off < 0 || col < 1)
		return -1;
	const char *l = text->s + off;
	const char *eol = strchr(l, '\n');
	size_t len = eol ? (size_t)(eol - l) : strlen(l);
	if (len < (size_t)col - 1 + fl || strncmp(l + col - 1, from, fl) != 0)
		return -1;
	splice(text, (size_t)off + (size_t)col - 1, fl, to);
	return 0;
}

static int ident_char(char c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Past blanks, newlines and comments. */
static const char *skip_blank(const char *p)
{
	for (;;) {
		if (is_space(*p)) {
			p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			if (!e)
				return p; /* an unclosed comment: stop before it */
			p = e + 2;
		} else if (p[0] == '/' && p[1] == '/') {
			while (*p && *p != '\n')
				p++;
		} else {
			return p;
		}
	}
}

int ked_add_semicolon(ku_buf *text, int line, const ku_strv *macros)
{
	long off = line_offset(text, line);
	if (off < 0)
		return 0;
	const char *p = text->s + off;
	while (*p == ' ' || *p == '\t')
		p++;
	const char *name = p;
	while (ident_char(*p))
		p++;
	size_t n = (size_t)(p - name);
	int known = 0;
	for (size_t i = 0; i < macros->n && !known; i++)
		known = strlen(macros->v[i]) == n && strncmp(name, macros->v[i], n) == 0;
	if (!known)
		return 0;
	while (is_space(*p))
		p++;
	if (*p != '(')
		return 0;
	/* The matching parenthesis, the way the macro's arguments nest. */
	int depth = 0;
	for (; *p; p++) {
		depth += (*p == '(') - (*p == ')');
		if (depth == 0)
			break;
	}
	if (*p != ')' || *skip_blank(p + 1) == ';')
		return 0;
	splice(text, (size_t)(p - text->s) + 1, 0, ";");
	return 1;
}
