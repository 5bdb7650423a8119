/* kp_kconfig_int.h: internals shared by the kp_kconfig*.c files (not an
 * interface: include kp_kconfig.h).  The module reads Kconfig in layers,
 * one file each:
 *   kp_kconfig.c        the symbol table, loading, the simple queries
 *   kp_kconfig_lex.c    text -> statements (logical lines, comments, help)
 *   kp_kconfig_parse.c  statements -> symbols (entries, blocks, source)
 *   kp_kconfig_expr.c   dependency expressions: parse, constants
 *   kp_kconfig_solve.c  what a fragment must enable; what a .config lacks
 *   kp_kconfig_cache.c  a fragment kept between runs, checked by stamps */
#ifndef KP_KCONFIG_INT_H
#define KP_KCONFIG_INT_H

#include "kp_kconfig.h"
#include "kp_stamp.h"

/* ---- the symbol table (kp_kconfig.c) ---- */

typedef struct kc_sym {
	char *name;
	int defined, prompt, has_default, selected;
	ku_strv selected_by; /* symbols whose `select` names this one */
	kc_type type;
	char *where;       /* "dir/Kconfig:46" of the definition used */
	char *prompt_if;   /* `bool "x" if COND`: COND, or NULL */
	ku_strv dep_exprs; /* own `depends on` lines, then enclosing blocks, innermost first */
	ku_strv dep_whys;  /* per dep_exprs: "depends on PCI", "inside `if X` (file:line)" */
	ku_strv defaults;  /* non-n defaults as conditions: `default FOO if BAR` -> "(FOO) && (BAR)" */
	char *depends;     /* dep_exprs joined with && */
} kc_sym;

struct kc_tree {
	char *tree, *srcarch;
	kc_sym *syms;
	size_t nsym, capsym;
	size_t *slots; /* open addressing: index+1 into syms, 0 = empty */
	size_t nslot;
	kst_set stamps; /* every file read, and the dirs a `source` glob searched */
};

/* The symbol named `name`, created (undefined) when new.  May move
 * kc->syms: pointers into it do not survive a call. */
kc_sym *kc_intern(kc_tree *kc, const char *name);
/* The symbol (name with or without CONFIG_), or NULL. */
const kc_sym *kc_find(const kc_tree *kc, const char *name);

/* ---- the lexer (kp_kconfig_lex.c) ---- */

/* One statement: its first word `kw` and the rest, blanks squeezed, the
 * comment stripped (both writable); `line` is its first line.  Nonzero
 * stops the lexer with that value. */
typedef int kc_stmt_fn(void *ctx, const char *file, int line, char *kw, char *rest);

/* Cut `text` into statements: backslash continuations joined, `#`
 * comments and blank lines dropped, `help` text skipped. */
int kc_lex(const char *file, const char *text, kc_stmt_fn *fn, void *ctx);
/* Splits `X if COND` at the top-level `if`; returns COND or NULL. */
char *kc_split_if(char *s);
/* The text of a quoted string at s (malloc'd), or NULL. */
char *kc_unquote(const char *s);

/* ---- the parser (kp_kconfig_parse.c) ---- */

/* Read the Kconfig file `rel` (tree-relative, or absolute) and every file
 * it sources into kc.  -1 with ku_err() naming file:line. */
int kc_parse_root(kc_tree *kc, const char *rel);

/* ---- expressions (kp_kconfig_expr.c) ---- */

enum { KC_E_SYM, KC_E_STR, KC_E_NOT, KC_E_AND, KC_E_OR, KC_E_CMP };

typedef struct kc_expr {
	int op;
	char *text;   /* KC_E_SYM: the name; KC_E_CMP: the operator */
	struct kc_expr *l, *r;
} kc_expr;

kc_expr *kc_expr_parse(const char *text); /* NULL for NULL text or no operand */
void kc_expr_free(kc_expr *e);
/* y=2, m=1, n=0; -1 for anything that is not a tristate constant. */
int kc_const_val(const kc_expr *e);
/* For `A = y`, `A = m`, `A != n` (either side): the symbol A that must be
 * enabled; NULL for comparisons enabling nothing (`A = n`, strings, ints). */
const kc_expr *kc_cmp_needs(const kc_expr *e);
/* Interns every symbol `text` names, so kc_first_missing can return even
 * an undefined one. */
void kc_intern_refs(kc_tree *kc, const char *text);

#endif
