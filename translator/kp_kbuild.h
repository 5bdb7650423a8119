/* kp_kbuild.h: what kbuild builds.  Reads the tree's Makefile/Kbuild files
 * (never runs make) to find a module's objects and sources and the Kconfig
 * symbol that gates it, and resolves the user's DRIVER argument: a .c path,
 * a driver directory, a module name ("8139too") or a Kconfig symbol
 * ("CONFIG_8139TOO").  Paths in results are relative to the tree root. */
#ifndef KP_KBUILD_H
#define KP_KBUILD_H

#include "kp_stamp.h"
#include "kp_util.h"

typedef struct kb_module {
	char *name;        /* module name: "8139too", "e1000" */
	char *dir;         /* directory of the Makefile that names it */
	char *makefile;    /* that Makefile or Kbuild file */
	int line;          /* line of the obj-$(CONFIG_X) += name.o assignment */
	char *symbol;      /* gating Kconfig symbol without CONFIG_ ("8139TOO"); NULL for obj-y */
	ku_strv objects;   /* unconditional objects: "drivers/net/ethernet/intel/e1000/e1000_main.o" */
	ku_strv cond_objects; /* objects added by name-$(CONFIG_Y) += x.o ...      */
	ku_strv cond_symbols; /* ... and the symbol Y of each (same index)          */
	ku_strv sources;   /* .c files of the unconditional objects that exist */
} kb_module;

typedef struct kb_index kb_index;

/* Index every obj-$(CONFIG_X) += m.o / obj-y += m.o assignment in the
 * tree's Makefile and Kbuild files (arch/ limited to `srcarch`). */
kb_index *kb_index_build(const char *tree, const char *srcarch);
/* The same index, read back from `cache` when nothing it was built from
 * changed since (kp_kbuild_cache.c), else built and kept there. */
kb_index *kb_index_open(const char *tree, const char *srcarch, const kst_cache *cache);
void kb_index_free(kb_index *ix);
/* Number of obj-... += x.o names indexed (0 for NULL). */
size_t kb_index_size(const kb_index *ix);

/* Resolve DRIVER.  `cwd` anchors relative paths (a path is tried relative to
 * cwd first, then to the tree).  On failure returns -1 with ku_err() saying
 * why: no such module (with "did you mean ..." from near names), a directory
 * with several modules (listing them), a .c no Makefile builds, ... */
int kb_resolve(kb_index *ix, const char *tree, const char *arg, const char *cwd,
	       kb_module **out);

/* Parse one Makefile's text for module `name` (exposed for unit tests).
 * dir is the tree-relative directory of that Makefile. */
int kb_module_from_makefile(const char *tree, const char *dir, const char *text,
			    const char *name, kb_module **out);
/* Names of modules one Makefile text declares (obj-... += x.o), in order. */
void kb_list_modules(const char *text, ku_strv *names);
void kb_module_free(kb_module *m);

/* Other modules named on m's obj-... line (pvpanic for pvpanic-pci, 8390
 * for ne2k-pci): built together with m, usually providing its exports. */
void kb_companions(const kb_index *ix, const kb_module *m, ku_strv *names);

#endif
