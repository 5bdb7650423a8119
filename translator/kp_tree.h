/* kp_tree.h: the Linux source tree kpiport reads (never writes), where the
 * default one lives, and kpiport's cache directory. */
#ifndef KP_TREE_H
#define KP_TREE_H

#include "kp_stamp.h"

typedef struct kt_tree {
	char *root;     /* absolute, no trailing slash */
	char *version;  /* "6.1.192" from the top Makefile */
	char *srcarch;  /* "x86" */
	char *key;      /* identity for caches: hash of root, version and top Makefile */
} kt_tree;

/* $KPIPORT_CACHE, else $XDG_CACHE_HOME/kpiport, else ~/.cache/kpiport (malloc'd). */
char *kt_cache_dir(void);
/* Where kp_stamp entries of `kind` ("treeindex", "kconfig") live in that
 * cache, written by this kpiport; free .dir with kt_stamp_cache_free. */
kst_cache kt_stamp_cache(const char *kind);
void kt_stamp_cache_free(kst_cache *c);
/* The tree to use: `arg` (--linux), else $KPIPORT_LINUX, else the default
 * tree that tools/setup.sh extracts into the cache (malloc'd). */
char *kt_choose(const char *arg);
/* Open and check a tree; -1 with ku_err() when `path` is no Linux tree. */
int kt_open(const char *path, kt_tree *t);
void kt_close(kt_tree *t);

#endif
