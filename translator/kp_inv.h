/* kp_inv.h (prefix ki_): the inventory, the analyze stage's output as
 * typed values: what every external name a driver uses is, its module entry
 * points, parameters, device ID tables and libc collisions.  One source's
 * analysis is one ki_inventory (a "unit"); ki_merge() folds the units of a
 * module (or of a module and its imports) into one.
 *
 * JSON is only its edge: the analysis cache stores one JSON document per
 * source (kp_analyze.h writes it, ki_read_unit() reads it back, strictly),
 * and report.json prints the merged inventory (kp_report.c).  Paths are
 * tree-relative for tree files, "<build>/..." for files of the kernel build
 * dir (generated headers), absolute for files outside both (an external
 * module's). */
#ifndef KP_INV_H
#define KP_INV_H

#include <jansson.h>
#include "kp_util.h"

typedef enum { KI_FUNCTION, KI_VARIABLE, KI_MACRO, KI_TYPE } ki_kind;

/* How a name is provided: "extern" must be linked; "inline" is defined in
 * a header (static inline function, header-defined static variable);
 * macros and types need nothing. */
typedef enum { KI_EXTERN, KI_INLINE, KI_BY_MACRO, KI_BY_TYPE } ki_provided;

/* A use in the driver's own files: the identifier token's spelling
 * location (1-based line and column, column in bytes), so a rename can be
 * checked exactly. */
typedef struct ki_site {
	char *file;
	int line, col;
} ki_site;

typedef struct ki_symbol {
	char *name;        /* records as "struct x", "union x", "enum x" */
	ki_kind kind;
	char *header;      /* where it is declared (for functions declared only in
			    * a driver header: that header) */
	int line;          /* of the declaration */
	/* functions "int f(struct pci_dev *pdev, ...)"; variables their
	 * declaration; macros "(a, b)" or ""; types struct/union/enum/typedef */
	char *prototype;
	ki_provided provided;
	int direct;        /* the driver's text names it; 0: reached only through
			    * header inline functions (then it has no sites) */
	ki_site *sites;
	size_t nsites;
	char *type;        /* variables: the type's spelling; else NULL */
	char *underlying;  /* typedefs: the underlying type; else NULL */
	int function_like; /* macros: 0/1; -1 for the other kinds */
} ki_symbol;

/* module_init/module_exit (function) or module_*_driver (driver): the
 * macro call's expansion line. */
typedef struct ki_entry {
	char *kind;     /* "module_init", "module_exit", "module_pci_driver", ... */
	char *function; /* module_init/exit: the function; else NULL */
	char *driver;   /* module_*_driver: the driver variable; else NULL */
	char *file;
	int line;
} ki_entry;

/* What a module's entry really is, whatever macro wrote it: under -DMODULE
 * every form (module_init, module_*_driver, module_driver wrappers such as
 * comedi's, the DRM helpers, KSTM_MODULE_LOADERS, ...) ends in
 * module_init/module_exit, which define init_module/cleanup_module as
 * aliases of the function their __inittest/__exittest return; a module
 * may also define init_module/cleanup_module itself.  The rewrite stage
 * calls these from main() when no rule for a known macro does. */
typedef enum { KI_INIT, KI_EXIT } ki_role;
typedef struct ki_entryfn {
	ki_role role;
	char *function; /* the init or exit function ("init_module" when defined directly) */
	char *macro;    /* the macro written in the driver's file there (the outermost
			 * expansion: "module_init", "KSTM_MODULE_LOADERS", ...); NULL
			 * when init_module/cleanup_module is defined directly */
	char *file;
	int line;       /* of that macro call (or definition) */
} ki_entryfn;

typedef struct ki_param {
	char *name, *file;
	int line;
	char *type;        /* MODULE_PARM type ("int"), NULL when not declared */
	char *description; /* MODULE_PARM_DESC, NULL when not declared */
	char *variable;    /* the variable behind it, NULL when unknown */
	char *ops;         /* "param_ops_int", NULL when unknown */
	int has_perm;
	long long perm;
	int has_array_max; /* arrays: module_param_array's size... */
	long long array_max;
	char *array_count; /* ...and count variable (NULL: none) */
} ki_param;

/* One field of one device ID: every field of the struct, by name. */
typedef enum { KI_VAL_NULL, KI_VAL_INT, KI_VAL_STR } ki_vtype;
typedef struct ki_value {
	char *field;
	ki_vtype t;
	long long i; /* KI_VAL_INT: cut to the field's width */
	char *s;     /* KI_VAL_STR: char arrays; integers above LLONG_MAX as "0x...";
		      * other expressions as their text */
} ki_value;

typedef struct ki_id {
	ki_value *v; /* in field-name order */
	size_t n;
} ki_id;

typedef struct ki_idtable {
	char *name;
	char *bus;       /* "pci" for struct pci_device_id */
	char *strct;     /* "pci_device_id" */
	char *file;
	int line;
	int device_table; /* MODULE_DEVICE_TABLE names it */
	ki_id *ids;       /* the { } terminator is not an entry */
	size_t nids;
} ki_idtable;

/* A driver global named like a libc one (it would clash in a static link). */
typedef struct ki_collision {
	char *name;
	ki_kind kind;
	char *file;
	int line;
} ki_collision;

typedef struct ki_inventory {
	char *source;     /* a unit: its source; merged: the first unit's */
	ku_strv sources;  /* merged: every unit's source; a unit: empty */
	ku_strv files;    /* the driver's own files seen (incl. local headers), sorted */
	ki_symbol *symbols; /* sorted by name, then kind name */
	size_t nsymbols;
	ki_entry *entries;
	size_t nentries;
	ki_entryfn *entryfns; /* in source order (init and exit of each unit) */
	size_t nentryfns;
	ki_param *params;
	size_t nparams;
	ki_idtable *tables;
	size_t ntables;
	ki_collision *libc;
	size_t nlibc;
	ku_strv modinfo;  /* the module's "key=value" strings (license=, author=) */
	ku_strv defines;  /* external functions/variables its sources define, sorted */
} ki_inventory;

const char *ki_kind_name(ki_kind k);         /* "function", ... */
const char *ki_role_name(ki_role r);         /* "init", "exit" */
const char *ki_provided_name(ki_provided p); /* "extern", "inline", "macro", "type" */

/* One source's analysis document (the cache's JSON) as a unit; NULL with
 * ku_err() naming the first thing that is not as kp_analyze.h writes it. */
ki_inventory *ki_read_unit(json_t *doc);

/* Merge units in order: symbols by (name, kind), `direct` if any unit says
 * so, sites concatenated without duplicates (a shared header is seen by
 * every source); functions/variables some unit defines are dropped (the
 * module's own); entry points and functions, params, tables, collisions and modinfo
 * concatenated; files and defines united and sorted. */
ki_inventory *ki_merge(ki_inventory *const *units, size_t n);
void ki_free(ki_inventory *inv);

/* The symbol (name, kind), or NULL.  Binary search: symbols are sorted. */
const ki_symbol *ki_find(const ki_inventory *inv, const char *name, ki_kind kind);
/* An ID's integer field, 0 when absent or not an integer. */
long long ki_id_int(const ki_id *id, const char *field);

#endif
