/* kp_symindex.h: which file of the tree defines an exported kernel symbol.
 * Built once per tree by reading every EXPORT_SYMBOL*(name) of its .c files
 * (arch/ limited to srcarch), cached in the kpiport cache; the import stage
 * uses it to find the file to compile for a symbol. */
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
const char *ksi_lookup(const ksi_index *ix, const char *symbol);
size_t ksi_count(const ksi_index *ix);

#endif
