/* kp_map.h: the porting knowledge as data.  Loads the mappings/ tables (Lua) in a
 * sandbox (no io, os, require, load of files) and validates them; each entry
 * says what becomes of one Linux symbol.  Errors carry file and line. */
#ifndef KP_MAP_H
#define KP_MAP_H

#include "kp_util.h"

typedef enum {
	KM_NONE = 0,     /* not in any table */
	KM_RENAME,       /* references become `target` (e.g. redox_ioremap)      */
	KM_RUNTIME,      /* the runtime implements it under its Linux name        */
	KM_IMPORT,       /* compile the tree file `target` that defines it        */
	KM_STUB,         /* generated stub; `ret` is its safe return value or NULL */
	KM_UNSUPPORTED,  /* refuse: `reason` says why                             */
	KM_HEADER        /* header-provided (inline/macro); nothing to link        */
} km_kind;

typedef struct km_entry {
	char *symbol;
	km_kind kind;
	char *target;   /* rename: new name; import: tree-relative file or NULL (find by symbol index) */
	char *ret;      /* stub: C expression returned, or NULL (fail loudly);
	                 * "" = void function that silently does nothing (`return ;`) */
	char *reason;   /* unsupported: required; others: optional note */
	char *area;     /* API area: the file's `area "io"`, else its stem: "pci", "io", ... */
	char *file;     /* path of the table file */
	int line;       /* line of the entry in it */
	char *since;    /* Linux versions it applies to: since <= V < before; NULL: unbounded */
	char *before;
} km_entry;

typedef struct km_table km_table;

/* Load every *.lua file of `dir` in name order.  NULL on error with ku_err()
 * "mappings/io.lua:12: rename of 'ioremap' needs a target name".  Errors:
 * Lua syntax/runtime errors, unknown keys, a symbol mapped twice (both places
 * named), bad identifiers, unsupported without reason, use of io/os. */
km_table *km_load_dir(const char *dir);
/* km_load_dir(), keeping only the entries that apply to Linux `version`
 * ("6.12.117"; `since`/`before` in the tables, mappings/README.md). */
km_table *km_load_dir_for(const char *dir, const char *version);
/* Whether an entry applies to Linux `version` (NULL: every version does). */
int km_applies(const km_entry *e, const char *version);
/* Compare Linux versions "6.1" < "6.1.5" < "6.12" numerically: <0, 0, >0. */
int km_version_cmp(const char *a, const char *b);
/* Same for one chunk of Lua text (unit tests); `name` is used in messages. */
km_table *km_load_string(const char *name, const char *text);
void km_free(km_table *t);

const km_entry *km_lookup(const km_table *t, const char *symbol);
size_t km_count(const km_table *t);
const km_entry *km_at(const km_table *t, size_t i);   /* sorted by symbol */
const char *km_kind_name(km_kind k);                    /* "rename", ... */
/* The note of the `import_tree` directory that holds tree-relative `file`
 * (its exports are imported by default), or NULL. */
const char *km_import_tree(const km_table *t, const char *file);

#endif
