/* kp_spatch.h (prefix ksp_): applying the SmPL rule groups with spatch.
 * rules.cocci lists the groups in order (`#include "rules/<group>.cocci"`);
 * each group runs separately (spatch prefilters per rule file), in parallel
 * over the files, and its results are cached by (spatch, rule and the files
 * it includes, file, options). */
#ifndef KP_SPATCH_H
#define KP_SPATCH_H

#include "kp_util.h"

typedef struct ksp_group {
	char *id;          /* "module-entry" (from // kpiport-group:) */
	char *title;       /* one line for the commit subject */
	char *description; /* for the commit body */
	char *path;        /* absolute path of the .cocci file */
	char *base;        /* the manifest's dir: spatch's cwd, where SmPL #include paths start */
	ku_strv options;   /* spatch options from the file's `// Options:` line */
	ku_strv includes;  /* absolute paths of the .cocci files it #includes (cache key) */
	/* `// kpiport-entry: MACRO...`: the entry macros this group turns into
	 * main().  kpiport ends their calls with `;` first, and runs the group
	 * only when every entry of the module is written with one of the
	 * entry groups' macros.  `// kpiport-entry: *` (entry_generic): the
	 * group for every other form, run with -D entry=FILE (the entry
	 * functions libclang found and where main() goes). */
	ku_strv entry_macros;
	int entry_generic;
} ksp_group;

/* Read the manifest; -1 with ku_err (file:line) on a missing group file, a
 * group file without its kpiport-group/kpiport-title/Options header lines,
 * or a missing included file. */
int ksp_load_groups(const char *manifest, ksp_group **groups, size_t *n);
void ksp_free_groups(ksp_group *groups, size_t n);

/* One file to rewrite in place, with optional -D definitions for it. */
typedef struct ksp_file {
	char *path;        /* absolute path in the port work dir */
	ku_strv defines;   /* "name=value" pairs passed as -D */
	char *matched;     /* if set: the rule writes its matched sites there (-D matched=) */
	int changed;       /* out: the file changed */
} ksp_file;

/* Run group g over files (in place), at most par spatch at a time. Returns
 * the number of changed files, or -1 with ku_err naming the file spatch
 * failed on and what it said. */
int ksp_apply(const ksp_group *g, ksp_file *files, size_t n, int par);

/* spatch's version line, for provenance and cache keys (static storage). */
const char *ksp_version(void);

/* The Python interpreter every spatch run is given (`--python`): the rules'
 * script blocks need one, and spatch finds its own with `command -v
 * python3`, which on a machine with a version manager's shims first on
 * PATH (pyenv) runs several shell scripts: 1.5-4 s of each spatch run,
 * against 0.5 s.  $KPIPORT_SPATCH_PYTHON when set (empty: let spatch
 * choose), else the distribution's interpreter that Debian's coccinelle
 * depends on, when it exists, else NULL (spatch chooses). */
#define KSP_DEFAULT_PYTHON "/usr/bin/python3"
const char *ksp_python(void);

#endif
