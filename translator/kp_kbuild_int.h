/* kp_kbuild_int.h: internals shared by the kp_kbuild*.c files (not an
 * interface: include kp_kbuild.h).  The module reads kbuild in layers, one
 * file each:
 *   kp_kbuild_mk.c       Makefile text -> assignments; kbuild's left-hand sides
 *   kp_kbuild.c          one Makefile -> a module's objects; the tree's index
 *   kp_kbuild_cache.c    the index kept between runs, checked by stamps
 *   kp_kbuild_resolve.c  the user's DRIVER argument -> one module */
#ifndef KP_KBUILD_INT_H
#define KP_KBUILD_INT_H

#include "kp_kbuild.h"
#include "kp_stamp.h"

/* ---- Makefile scanning (kp_kbuild_mk.c) ---- */

/* One assignment, with its right side already split into words and
 * $(var) references to earlier variables of the same file expanded. */
typedef struct kb_assign {
	const char *lhs;
	const char *op;
	const ku_strv *words;
	int line;
	const char *cond; /* X of the innermost enclosing `ifdef CONFIG_X` or
			     `ifneq ($(CONFIG_X),)` block, else NULL */
} kb_assign;

typedef void kb_visit_fn(void *ctx, const kb_assign *a);

/* Calls fn for every assignment in a Makefile text, in order. */
void kb_mk_scan(const char *text, kb_visit_fn *fn, void *ctx);

/* "obj-y", "obj-m", "obj-$(CONFIG_X)": returns 1 and the symbol (NULL
 * for y/m) when lhs adds to a kbuild object list. */
int kb_lhs_is_obj(const char *lhs, char **symbol);
/* "name-objs", "name-y", "name-m", "name-$(CONFIG_Y)": returns the
 * composite's name (malloc'd) and the condition's symbol (or NULL). */
char *kb_lhs_composite(const char *lhs, char **symbol);
/* dir/name, or name for the top dir ("" or ".") (malloc'd). */
char *kb_join_rel(const char *dir, const char *name);
/* "drivers/x/foo.o" -> "foo" (malloc'd) */
char *kb_obj_module_name(const char *word);
/* "foo.o" without $(...) */
int kb_is_obj_word(const char *w);

/* ---- the tree index (kp_kbuild.c) ---- */

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
	kst_set stamps;          /* every dir walked and Makefile read (kp_kbuild_cache.c) */
	ku_strv dirs, makefiles; /* per indexed file */
	kb_entry *ent;
	size_t nent, capent;
	kb_member *mem;
	size_t nmem, capmem;
	kb_subdir *sub;
	size_t nsub, capsub;
};

/* Module `name` as the Makefile text of tree-relative `dir` (file name
 * `makefile`, for messages) builds it; -1 with ku_err() when it does not. */
int kb_module_from_text(const char *tree, const char *dir, const char *makefile, const char *text,
			const char *name, kb_module **out);
/* Room for one more element of the array arr (n used, cap allocated). */
#define GROW(arr, n, cap) do { if ((n) == (cap)) { (cap) = (cap) ? (cap) * 2 : 256; \
	(arr) = ku_realloc((arr), (cap) * sizeof *(arr)); } } while (0)

/* An empty index of `tree`, and the walk that fills it (kp_kbuild.c). */
kb_index *kb_index_new(const char *tree);
int kb_index_walk(kb_index *ix, const char *srcarch);

#endif
