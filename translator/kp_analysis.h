/* kp_analysis.h (prefix kan_): the analyze stage.  Every source is parsed
 * by libclang (kp_analyze) in a forked worker, in parallel, with kbuild's
 * flags; each result is cached as one JSON document per source (the
 * analysis cache, keyed by format, kpiport binary, tree, build dir, the
 * driver's local headers, flags and source) and read back into typed
 * values (kp_inv).  The cache format is versioned (KP_ANALYSIS_FORMAT in
 * kp_analysis.c): a new format ignores old entries. */
#ifndef KP_ANALYSIS_H
#define KP_ANALYSIS_H

#include "kp_inv.h"
#include "kp_tree.h"

typedef struct kan_result {
	ki_inventory **units;   /* one per source, in source order */
	size_t n;
	ki_inventory *inventory; /* the units merged (ki_merge) */
} kan_result;

/* Analyse sources[i] with args[i] against builddir; files under driver_dir
 * are "the driver's own".  -1 with ku_err() naming the source clang could
 * not parse (its file:line:col and message) or a damaged cache entry. */
int kan_run(const kt_tree *tree, const char *builddir, const char *driver_dir, const ku_strv *sources,
	    const ku_strv *args, int jobs, kan_result *out);
/* The same without the merge: units[i] gets sources[i]'s unit.  driver_dir
 * NULL: each source's own dir is "the driver's" (imported files). */
int kan_units(const kt_tree *tree, const char *builddir, const char *driver_dir, const ku_strv *sources,
	      const ku_strv *args, int jobs, ki_inventory **units);
void kan_free(kan_result *r);

#endif
