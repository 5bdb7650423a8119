/* kp_symindex.h: which file of the tree defines an exported kernel symbol.
 * Built once per tree by reading every EXPORT_SYMBOL*(name) of its .c files
 * (arch/ limited to srcarch), cached in the kpiport cache; the import stage
 * uses it to find the file to compile for a symbol.  Also, on demand, the
 * top-level non-static definitions of one directory (import_tree names a
 * subsystem core imports need without its exporting them). */
#ifndef KP_SYMINDEX_H
#define KP_SYMINDEX_H

#include <stddef.h>
#include "kp_tree.h"

typedef struct ksi_index ksi_index;

/* Load the cached index of `t`, building it on first use. */
ksi_index *ksi_load(const kt_tree *t);
/* Index one text (unit tests): adds the exports found in `text` as `file`. */
void ksi_scan_text(ksi_index *ix, const char *file, const char *text);
ksi_index *ksi_new(void);
void ksi_free(ksi_index *ix);

/* Tree-relative .c that exports `symbol`, or NULL.  When several do (rare:
 * per-arch variants), the first in path order. */
/* Index the top-level non-static definitions of one C text as `file`
 * (a line-based reading of kernel style, see the .c), or of every .c file
 * directly in tree-relative `dir`: for names a subsystem's files share
 * without exporting them (drm_internal.h). */
void ksi_scan_definitions(ksi_index *ix, const char *file, const char *text);
void ksi_scan_dir_definitions(ksi_index *ix, const char *root, const char *dir);
const char *ksi_lookup(const ksi_index *ix, const char *symbol);
size_t ksi_count(const ksi_index *ix);

#endif
