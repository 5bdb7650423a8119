/* kp_analyze_int.h: internals shared by the kp_analyze*.c files (not a public
 * interface: include kp_analyze.h instead).  One ka_ctx lives for one parse;
 * it caches per-file facts and accumulates the JSON document's parts. */
#ifndef KP_ANALYZE_INT_H
#define KP_ANALYZE_INT_H

#include <clang-c/Index.h>
#include "kp_analyze.h"

/* What we know about one file clang opened. */
typedef struct ka_file {
	CXFile file;
	int driver; /* under driver_dir: the driver's own file */
	char *rel;  /* tree-relative, "<build>/...", or absolute */
} ka_file;

/* A resolved source position; f is NULL when clang has no file for it
 * (command line, builtins, token-pasting scratch space). */
typedef struct ka_loc {
	ka_file *f;
	unsigned line, col;
} ka_loc;

typedef struct ka_ctx {
	const ka_source *src;
	CXTranslationUnit tu;
	char *tree, *build, *drvdir; /* real paths */

	ka_file *files; /* per-CXFile cache, open-addressed on the pointer */
	size_t fcap, fn;

	json_t *syms;     /* "kind:name" -> symbol object */
	json_t *locals;   /* "kind:name" -> true: resolved to the driver itself */
	json_t *seen;     /* "kind:name@file:line:col" -> true: site dedupe */
	CXCursor *work;   /* header inline functions still to walk */
	size_t nwork, capwork;
	json_t *walked;   /* inline function names already queued */

	CXCursor *macros; /* external macro definitions, index by macro_ix */
	size_t nmacros, capmacros;
	json_t *macro_ix;     /* name -> index into macros */
	CXCursor *drvmacros;  /* the driver's own #defines */
	size_t ndrvmacros, capdrvmacros;

	json_t *entry_points, *entry_functions, *params, *id_tables, *libc, *defines, *modinfo;
	json_t *param_arrays; /* "__param_arr_x" -> element variable name */
	json_t *param_info;   /* param name -> {"type","description"} from modinfo */
	json_t *exported;     /* table name -> bus, from MODULE_DEVICE_TABLE */
} ka_ctx;

/* kp_analyze.c */
ka_loc ka_spelling(ka_ctx *c, CXSourceLocation l);
ka_loc ka_expansion(ka_ctx *c, CXSourceLocation l);
ka_file *ka_file_of(ka_ctx *c, CXFile f);
char *ka_str(CXString s); /* malloc'd copy; disposes s */
char *ka_cursor_name(CXCursor cur);
json_t *ka_site(const ka_loc *l);
/* Tokens of a cursor's extent joined with single spaces where the source
 * had any whitespace (malloc'd).  Macro arguments: see ka_macro_args. */
/* Array of the symbol objects in `map`, sorted by name then kind. */
json_t *ka_sort_symbols(json_t *map);
char *ka_extent_text(ka_ctx *c, CXCursor cur);
/* Arguments of a function-like macro expansion cursor, split on top-level
 * commas. Returns the number found. */
size_t ka_macro_args(ka_ctx *c, CXCursor exp, ku_strv *args);

/* kp_analyze_refs.c: the symbol inventory */
void ka_refs_decl(ka_ctx *c, CXCursor decl);           /* a driver top-level decl */
void ka_refs_expansion(ka_ctx *c, CXCursor exp);       /* a macro expansion in a driver file */
void ka_refs_macro_def(ka_ctx *c, CXCursor def);       /* any #define (indexes it) */
void ka_refs_finish(ka_ctx *c);                        /* driver macro bodies, header inlines */
json_t *ka_refs_symbols(ka_ctx *c);                    /* sorted array (new reference) */
void ka_refs_mark_local(ka_ctx *c, const char *kind, const char *name); /* defined by the driver */
int ka_driver_var(ka_ctx *c, CXCursor var);            /* file-scope, non-extern, in a driver file */
/* C declaration of `inner` having type spelling `type` ("int (*)(void)", "x") */
char *ka_declarator(const char *type, const char *inner);

/* kp_analyze_module.c: entry points, params, ID tables, libc collisions */
void ka_module_decl(ka_ctx *c, CXCursor decl);
void ka_module_expansion(ka_ctx *c, CXCursor exp, const char *macro);
void ka_module_finish(ka_ctx *c);

#endif
