/* kp_driver.h (prefix kdrv_): the kbuild stage.  DRIVER (a module name, a
 * Kconfig symbol, a directory or a .c path) -> the Linux tree, the module
 * kbuild builds and the Kconfig symbol that gates it, and the companion
 * modules on the same obj- line.  A driver dir outside the tree with its own
 * Kbuild/Makefile and Kconfig is an external module (kbuild's M=). */
#ifndef KP_DRIVER_H
#define KP_DRIVER_H

#include "kp_kbuild.h"
#include "kp_tree.h"
#include "kp_util.h"

typedef struct kdrv_driver {
	kt_tree tree;
	kb_module *module;   /* its symbol is the external module's own for M= drivers */
	char *dir;           /* absolute: the module's directory (its files are "the driver's") */
	char *ext_dir;       /* an external module: its dir; NULL for a tree driver */
	ku_strv companions;  /* tree-relative .c of modules on the same obj- line (8390.c) */
	kb_index *index;     /* the tree's kbuild index (NULL for an external module) */
} kdrv_driver;

/* Resolve `arg` in the tree `linux_dir` (NULL: the default tree); -1 with
 * ku_err() saying why not (no such module, built in unconditionally, ...). */
int kdrv_find(const char *arg, const char *linux_dir, kdrv_driver *out);
/* The tree's kbuild index, kept between runs in kpiport's cache. */
kb_index *kdrv_index(const kt_tree *t);
void kdrv_free(kdrv_driver *d);

#endif
