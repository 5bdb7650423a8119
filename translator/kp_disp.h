/* kp_disp.h (prefix kd_): the map stage.  Every symbol of an inventory gets
 * a disposition from the mapping tables (kp_map): what becomes of it in
 * the port.  Header-provided names (inline functions, macros, types) need
 * nothing unless a table says otherwise; an out-of-line name no table
 * mentions becomes a generated stub (a porting TODO); a name declared in
 * the driver's own header and defined by its companion module is imported
 * from it; an `unsupported` name the driver uses stops the port.
 *
 * The dispositions are typed values; report.json prints them (kp_report.c).
 * The resolve stage (kp_resolve) decides imports and returns dispositions
 * of its own; it never edits these. */
#ifndef KP_DISP_H
#define KP_DISP_H

#include "kp_inv.h"
#include "kp_map.h"

typedef struct kd_disp {
	char *symbol;
	int for_imports;      /* needed only by imported files (report.json: needed_by "imports") */
	ki_kind kind;
	ki_provided provided;
	char *header;
	char *prototype;      /* NULL when the inventory has none ("") */
	int direct;
	size_t sites;         /* how many sites the driver's text has */
	km_kind disposition;  /* KM_RENAME ... KM_HEADER, never KM_NONE */
	char *target;         /* rename: the new name; import: the tree file; else NULL */
	char *ret;            /* stub: its table's safe return value ("" for void); else NULL */
	char *reason;         /* why, when a table or kpiport says; else NULL */
	char *table;          /* "mappings/io.lua:12": the entry that decided; NULL: none did */
} kd_disp;

typedef struct kd_list {
	kd_disp *v;
	size_t n, cap;
} kd_list;

/* What the map stage reads besides the symbols. */
typedef struct kd_ctx {
	const km_table *map;
	const ku_strv *companions; /* tree-relative .c of companion modules (8390.c) */
	const char *module_dir;    /* tree-relative dir of the module */
} kd_ctx;

/* Append a disposition for each of syms[0..n) to out (for_imports marks
 * names only imported files need).  -1 with ku_err() listing every
 * `unsupported` name used directly (the dispositions are appended all the
 * same). */
int kd_dispose(const kd_ctx *c, const ki_symbol *syms, size_t n, int for_imports, kd_list *out);

void kd_push(kd_list *l, const kd_disp *d); /* appends a deep copy */
void kd_copy(kd_list *dst, const kd_list *src);
void kd_free(kd_list *l);
void kd_clear(kd_disp *d);                   /* frees one disposition's strings */
/* The last disposition of `symbol` (names of several kinds share one, as
 * the rename and import steps have always looked them up), or NULL. */
const kd_disp *kd_find(const kd_list *l, const char *symbol);
/* Names kpiport_stubs.c defines: `stub` dispositions of extern names. */
size_t kd_stub_count(const kd_list *l);

#endif
