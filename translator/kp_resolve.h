/* kp_resolve.h (prefix kres_): the resolve stage, between map and rewrite:
 * import by symbol closure.  A name whose disposition is `import` (or, by
 * default, an unmapped one that kernel library code under lib/, a
 * companion module, an import_tree core or a module of the driver's family
 * that its config builds exports) is provided by compiling the tree file that
 * exports it.  Each imported file is analysed like the driver, with
 * kbuild's flags for its own object (its Kconfig symbol joins the fragment
 * when the config does not build it yet, and then the config and the
 * driver's analysis are redone), and the names it needs get dispositions in
 * turn, until nothing new is found: a fix-point.
 *
 * The stage reads the map stage's output and returns a new result; it
 * never edits its input.  What it asks of the earlier stages (config,
 * analyze, map, the tree's symbol index) comes through kres_env, so it can
 * be tested without a kernel tree. */
#ifndef KP_RESOLVE_H
#define KP_RESOLVE_H

#include "kp_analysis.h"
#include "kp_configure.h"
#include "kp_disp.h"

/* Rounds before the closure is declared unresolved (each round may add a
 * layer of imports; real drivers need at most 3). */
#define KRES_ROUNDS 8

typedef struct kres_import {
	char *file;       /* tree-relative .c */
	ku_strv symbols;  /* the names it provides */
	char *reason;     /* "crc32_le: kernel library code (lib/): imported by default" */
} kres_import;

typedef struct kres_result {
	kd_list disps;         /* final: the driver's names, then those only imports need
				* (for_imports), with every import decision applied */
	kres_import *imports;
	size_t nimports;
	ku_strv sources;       /* absolute paths of the imported tree files */
	ku_strv objects;       /* their tree-relative objects */
	ku_strv *args;         /* their kbuild flags (one per source) */
	ki_inventory *closure; /* driver + imports merged: what must link, every rename site */
	ku_strv extra_fragment;/* fragment lines the imports needed (CONFIG_CRC32=y) */
	kconf_config *config;  /* when extra_fragment is not empty: the config redone... */
	kan_result *driver;    /* ...and the driver analysed again under it; else NULL */
} kres_result;

/* What resolve asks of the stages before it; each returns 0 or -1 with
 * ku_err() unless said otherwise. */
typedef struct kres_env {
	void *ctx;
	/* The tree-relative .c that EXPORT_SYMBOLs `symbol`, or NULL. */
	const char *(*exporter)(void *ctx, const char *symbol);
	/* Tree-relative .c directly in tree-relative `dir` that defines `symbol`
	 * without exporting it (a top-level non-static definition), or NULL. */
	const char *(*definer)(void *ctx, const char *symbol, const char *dir);
	/* The Kconfig symbol (without CONFIG_) gating tree file `tree_c`, or
	 * NULL (malloc'd). */
	char *(*gate)(void *ctx, const char *tree_c);
	/* 1 when the driver's config (the config stage's .config) enables
	 * Kconfig symbol `symbol` (without CONFIG_), y or m; else 0.  NULL:
	 * no family modules are imported (kp_resolve.c, family_module). */
	int (*enabled)(void *ctx, const char *symbol);
	/* kbuild's flags for tree-relative objects in builddir; -1 when kbuild
	 * gives no command for one of them (the config does not build it). */
	int (*object_args)(void *ctx, const char *builddir, const ku_strv *objects, ku_strv *args);
	/* Let kbuild build objects (generated headers they need); best effort. */
	void (*build_objects)(void *ctx, const char *builddir, const ku_strv *objects);
	/* Config stage again with `extra` fragment lines, then the driver's
	 * analysis under the new config (both malloc'd, owned by the caller). */
	int (*reconfigure)(void *ctx, const ku_strv *extra, kconf_config **config, kan_result **driver);
	/* Every imported source's unit, units[i] for sources->v[i] with
	 * args[i], analysed in parallel (each file's own dir is "the driver's"). */
	int (*analyze)(void *ctx, const char *builddir, const ku_strv *sources, const ku_strv *args,
		       ki_inventory **units);
	/* The map stage for syms (kd_dispose). */
	int (*dispose)(void *ctx, const ki_symbol *syms, size_t n, int for_imports, kd_list *out);
} kres_env;

typedef struct kres_input {
	const kconf_config *config;  /* the config stage's */
	const kan_result *driver;    /* the analyze stage's */
	const kd_list *disps;        /* the map stage's */
	const ku_strv *companions;   /* tree-relative .c of companion modules */
	const km_table *map;         /* its import_tree directories import by default */
	const char *tree_root;
	const char *module_dir;      /* tree-relative dir of the module (NULL: unknown) */
} kres_input;

/* The fix-point.  -1 with ku_err() (an import kbuild cannot build and no
 * Kconfig symbol enables, a name the tables mark unsupported, no closure
 * after KRES_ROUNDS rounds, or an error of env). */
int kres_resolve(const kres_input *in, const kres_env *env, kres_result *out);
void kres_free(kres_result *r);

#endif
