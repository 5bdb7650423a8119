/* kp_analyze.h (prefix ka_): what every name in a driver is, from libclang.
 * Parses one source with the kernel's own flags and records the driver's
 * external references (functions, variables, macros, types) with declaring
 * header, prototype and use sites; module entry points and params; device
 * ID tables with evaluated values; driver globals whose names collide with
 * libc.
 *
 * One source gives one JSON document: the analysis cache's record, made in
 * a worker process (kp_analysis) and written to the cache as it is; the
 * pipeline reads it back as typed values (kp_inv.h, where each field is
 * described, and ki_merge() folds the units of a module).  Paths are
 * tree-relative for tree files, "<build>/..." for files of the kernel build
 * dir (generated headers). */
#ifndef KP_ANALYZE_H
#define KP_ANALYZE_H

#include <jansson.h>
#include "kp_util.h"

typedef struct ka_source {
	const char *tree;       /* absolute tree root */
	const char *builddir;   /* absolute kernel build dir (O=) */
	const char *path;       /* absolute path of the .c file */
	const char *driver_dir; /* absolute dir: files under it are the driver's own */
	const ku_strv *args;    /* compiler args (no -c, -o, -Wp,-MMD, no source) */
} ka_source;

/* Parse and analyse one source.  On a parse error returns -1 with ku_err()
 * naming file:line:col and clang's message.  *out gets a new JSON object
 * (changing its shape means bumping KP_ANALYSIS_FORMAT in kp_analysis.c and
 * the reader in kp_inv.c):
 * { "source": "...", "files": [driver's own files seen, incl. local headers],
 *   "symbols": [ { "name", "kind": "function|variable|macro|type",
 *                  "header", "line", "prototype", "provided": "inline|macro|type|extern",
 *                  "direct": bool, "sites": [ {"file","line","col"} ] } ],
 *   "entry_points": [ {"kind": "module_init|module_exit|module_pci_driver|...",
 *                      "function" or "driver", "file", "line"} ],
 *   "params": [ {"name","type","perm","description"} ],
 *   "id_tables": [ {"name","bus","file","line","ids":[{"vendor","device",
 *                   "subvendor","subdevice","class","class_mask","driver_data"}]} ],
 *   "libc_collisions": [ {"name","kind","file","line"} ] }
 * "sites" are spelling locations in the driver's own files (1-based line and
 * column of the identifier token), so a rename can be checked exactly.
 *
 * Details and additions to that shape:
 * - symbols: functions/variables the driver's code references, directly or
 *   through kernel macros, plus (direct=false, no sites) every function and
 *   variable reached through header inline functions, transitively: each
 *   undefined symbol of the compiled object is in the list.  Macros: those
 *   expanded in the driver's files or named in the body of a driver #define
 *   (not kernel macros expanded inside kernel macros; not "#define x x").
 *   Types: those named in the driver's text; records are named "struct x",
 *   "union x", "enum x", typedefs by their name.  Enumerators are not
 *   symbols.  provided "inline" = defined in a header (static inline
 *   function or header-defined static variable); "extern" = to be linked.
 *   prototype: functions "int f(struct pci_dev *pdev, ...)"; variables a
 *   declaration "const struct kernel_param_ops param_ops_int" (+ "type");
 *   macros the parameter list "(a, b)" or "" (+ "function_like"); types the
 *   word struct/union/enum/typedef (+ "underlying" for typedefs).  A
 *   function declared only in a driver header (defined by another source of
 *   the module) is listed with that header; the merge drops it.
 * - entry_points: module_*_driver(x) is reported instead of the module_init/
 *   module_exit functions it generates.
 * - "entry_functions": [ {"role": "init|exit", "function", "macro", "file",
 *   "line"} ]: what init_module/cleanup_module stand for, every form alike
 *   (the function module_init/module_exit name, or init_module/
 *   cleanup_module written out, macro null), with the outermost macro
 *   written in the driver's file at that line (kp_inv.h: ki_entryfn).
 * - params also carry "variable", "ops", "file", "line" and, for arrays,
 *   "array_max" and "array_count" (the count variable); type and
 *   description are null when not declared.
 * - id_tables also carry "struct" (e.g. "pci_device_id") and "device_table"
 *   (MODULE_DEVICE_TABLE names it); each id has every field of the struct
 *   by name: integers cut to the field's width (above LLONG_MAX as a "0x..."
 *   string), char arrays as strings, other expressions as their text.
 * - "defines": names of functions/variables with external linkage this
 *   source defines (incl. the init_module/cleanup_module aliases);
 *   "modinfo": the module's "key=value" strings (license=, author=, ...).
 * Paths outside both the tree and the build dir are absolute. */
int ka_analyze_source(const ka_source *src, json_t **out);

#endif
