/* kp_rewrite.h: applying the SmPL rule groups with spatch.  rules.cocci
 * lists the groups in order (`#include "rules/<group>.cocci"`); each group
 * runs separately (spatch prefilters per rule file), in parallel over the
 * files, and its results are cached by (spatch, rule, file, options). */
#ifndef KP_REWRITE_H
#define KP_REWRITE_H

#include "kp_util.h"

typedef struct kr_group {
	char *id;          /* "module-entry" (from // kpiport-group:) */
	char *title;       /* one line for the commit subject */
	char *description; /* for the commit body */
	char *path;        /* absolute path of the .cocci file */
} kr_group;

/* Read the manifest; -1 with ku_err (file:line) on a missing group file or
 * a group file without its kpiport-group/kpiport-title header. */
int kr_load_groups(const char *manifest, kr_group **groups, size_t *n);
void kr_free_groups(kr_group *groups, size_t n);

/* One file to rewrite in place, with optional -D definitions for it. */
typedef struct kr_file {
	char *path;        /* absolute path in the port work dir */
	ku_strv defines;   /* "name=value" pairs passed as -D */
	char *matched;     /* if set: the rule writes its matched sites there (-D matched=) */
	int changed;       /* out: the file changed */
	char *error;       /* out: spatch's complaint, when it failed */
} kr_file;

/* Run group g over files (in place), at most par spatch at a time. Returns
 * the number of changed files, or -1 with ku_err naming the file spatch
 * failed on. */
int kr_apply(const kr_group *g, kr_file *files, size_t n, int par);

/* spatch's version line, for provenance and cache keys (static storage). */
const char *kr_spatch_version(void);

#endif
