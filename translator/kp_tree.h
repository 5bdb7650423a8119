/* kp_tree.h: the Linux source tree kpiport reads (never writes), where the
 * default one lives, and kpiport's cache directory. */
#ifndef KP_TREE_H
#define KP_TREE_H

typedef struct kt_tree {
	char *root;     /* absolute, no trailing slash */
	char *version;  /* "6.1.192" from the top Makefile */
	char *srcarch;  /* "x86" */
	char *key;      /* identity for caches: hash of root, version and top Makefile */
} kt_tree;

/* $KPIPORT_CACHE, else $XDG_CACHE_HOME/kpiport, else ~/.cache/kpiport (malloc'd). */
char *kt_cache_dir(void);
/* The tree to use: `arg` (--linux), else $KPIPORT_LINUX, else the default
 * tree that tools/setup.sh extracts into the cache (malloc'd). */
char *kt_choose(const char *arg);
/* Open and check a tree; -1 with ku_err() when `path` is no Linux tree. */
int kt_open(const char *path, kt_tree *t);
void kt_close(kt_tree *t);

#endif
