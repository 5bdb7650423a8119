/* kp_edit.h: the text edits the rewrite stage makes itself, as pure
 * functions on a file's text (no files, no processes), so they are tested
 * on their own:
 *  - line maps: earlier rule commits moved lines; libclang's positions are
 *    upstream lines, mapped through the hunks of `git diff -U0`;
 *  - token renames: one identifier at libclang's exact position, for the
 *    rename sites spatch could not reach;
 *  - missing semicolons: `module_init(f)` without its `;` is legal Linux
 *    (the macro ends in a declaration) but Coccinelle cannot match it, so
 *    the `;` is added before the rule runs, at the call libclang found. */
#ifndef KP_EDIT_H
#define KP_EDIT_H

#include "kp_util.h"

/* One hunk of a unified diff: -old_start,old_len +new_start,new_len. */
typedef struct ked_hunk {
	int old_start, old_len, new_start, new_len;
} ked_hunk;

typedef struct ked_linemap {
	ked_hunk *hunks;
	size_t n;
} ked_linemap;

/* The hunks of one file's `git diff -U0` output (other lines ignored). */
void ked_linemap_parse(const char *diff, ked_linemap *m);
/* Where old line `line` is now; 0 when it lies inside a changed hunk (it
 * has no reliable new position). */
int ked_linemap_apply(const ked_linemap *m, int line);
void ked_linemap_free(ked_linemap *m);

/* Replace identifier `from` at line:col (1-based; col counts bytes, a tab
 * is one, as libclang counts) with `to`.  0, or -1 when `from` is not
 * there (text unchanged). */
int ked_rename_token(ku_buf *text, int line, int col, const char *from, const char *to);

/* If `line` starts (after indentation) with a call of one of `macros`
 * whose closing parenthesis is not followed by `;` (after blanks and
 * comments), add the `;` right after that parenthesis.  1 when added, 0
 * otherwise (no such call, or the `;` is there). */
int ked_add_semicolon(ku_buf *text, int line, const ku_strv *macros);

#endif
