/* kp_analyze.h: what every name in a driver is, from libclang.  Parses one
 * source with the kernel's own flags and records the driver's external
 * references (functions, variables, macros, types) with declaring header,
 * prototype and use sites; module entry points and params; device ID tables
 * with evaluated values; driver globals whose names collide with libc.
 *
 * One source gives one JSON document (cacheable, produced in a worker
 * process); ka_merge() folds the documents of all sources of a module into
 * one inventory.  Paths are tree-relative for tree files, "<build>/..." for
 * files of the kernel build dir (generated headers). */
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
 * naming file:line:col and clang's message.  *out gets a new JSON object:
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
 * column of the identifier token), so a rename can be checked exactly. */
int ka_analyze_source(const ka_source *src, json_t **out);

/* Merge per-source documents (in source order) into one inventory object with
 * the same keys; symbols are merged by name and sorted, sites concatenated. */
json_t *ka_merge(json_t *const *docs, size_t n);

#endif
