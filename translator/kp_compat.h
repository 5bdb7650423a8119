/* kp_compat.h (prefix kcompat_): which of runtime/lx's version adaptations
 * apply to a port - the probes of runtime/lx/lx_compat.h run against the
 * port's kernel build dir with its kbuild flags, by the same step the port
 * build runs (cmake/KpiLxCompat.cmake), so report.md/json say what the
 * runtime will adapt to before anything is built. */
#ifndef KP_COMPAT_H
#define KP_COMPAT_H

#include "kp_util.h"

typedef struct kcompat_item {
	char *name;  /* the probe: "pcpu_hot" */
	int applied; /* the tree has the newer API: the adaptation is in force */
	char *since; /* the Linux release that brought the change: "6.2" */
	char *what;  /* what changed, one line */
} kcompat_item;

typedef struct kcompat_list {
	kcompat_item *v;
	size_t n;
	char *error; /* why there is no list (the probe step failed), else NULL */
} kcompat_list;

/* Probe with the kbuild flags `args` (one compiler argument each, as in
 * kbuild/<module>.args).  The results are cached under kpiport's cache
 * (compat/<hash of the flags>), and the step itself re-probes only when
 * lx_compat.h or the flags change.  Never fails the port: on any error
 * the list is empty and `error` says why.  `sources`: kpiport's source
 * tree (KPIPORT_SOURCE_DIR). */
void kcompat_probe(const ku_strv *args, const char *sources, kcompat_list *out);
/* From lx_compat.txt's text (the probe step's record); 0 or -1. */
int kcompat_parse(const char *text, kcompat_list *out);
void kcompat_free(kcompat_list *l);

#endif
