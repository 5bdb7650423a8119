/* kp_outdir.h: the port dir on disk - where it may go, what --force may
 * replace, and how it is put in place so that nothing is ever lost.
 *
 *  - ko_resolve: OUT is normalised once, before any work (absolute, no
 *    trailing slash, no "." or ".." parts, symlinks resolved), then refused
 *    with the reason when it is "/", $HOME or an ancestor of it, inside the
 *    Linux tree or an ancestor of it, the cache or an ancestor of it, the
 *    kpiport sources' ancestor, or the driver's own dir or an ancestor of
 *    it.  An existing OUT needs --force, and --force replaces only a dir
 *    that kpiport made (ko_is_port).
 *  - ko_stage: a temporary dir beside OUT named after OUT and this process
 *    (".NAME.kpiport-tmp.PID.XXXXXX"), with the umask's permissions.  What
 *    earlier runs left there when they were killed (their PID is gone) is
 *    removed first, with a line saying so.
 *  - ko_install: the staged dir goes into place with renameat2: NOREPLACE
 *    for a new OUT, EXCHANGE for --force, so at every instant OUT is the old
 *    port or the new one; the old one, now under the temporary name, is
 *    then removed (and would be recognised as debris if we died first).
 *  - ko_abandon: remove the staged dir (an error, or an interruption). */
#ifndef KP_OUTDIR_H
#define KP_OUTDIR_H

typedef struct ko_out {
	char *path; /* normalised absolute OUT */
	char *work; /* the staged dir while there is one, else NULL */
} ko_out;

/* What OUT must stay clear of (NULL entries are skipped). */
typedef struct ko_guard {
	const char *tree;       /* the Linux tree (never written) */
	const char *cache;      /* kpiport's cache dir */
	const char *driver_dir; /* the driver's own dir */
	const char *sources;    /* the kpiport source tree */
} ko_guard;

/* Normalise `arg` (relative to the cwd) into o->path and check it against
 * the guard; -1 with ku_err() naming the reason. */
int ko_resolve(const char *arg, const ko_guard *g, int force, ko_out *o);
/* Is dir a port dir kpiport made?  (Its kpiport.record, report.json and
 * git repository are there.) */
int ko_is_port(const char *dir);
int ko_stage(ko_out *o);
int ko_install(ko_out *o, int force);
void ko_abandon(ko_out *o);
void ko_free(ko_out *o);

/* Remove debris of dead kpiport runs beside `path` (temporary dirs whose
 * PID is gone); says so on stderr.  Returns how many were removed. */
int ko_clean_debris(const char *path);

#endif
