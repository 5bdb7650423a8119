/* kp_rewrite.h (prefix krw_): the rewrite stage.  In the staged port dir
 * (a git repository at tag `pristine`: upstream plus unmodified imports),
 * each rule group of rules.cocci runs through spatch (kp_spatch) and
 * becomes one commit whose message says what the rule does and how many
 * sites it changed.  The rename group gets libclang's exact sites (mapped
 * through earlier commits' hunks); a site spatch did not reach is renamed
 * by kpiport at that position and reported.  Before a group runs, the `;`
 * its macros need is added after each entry-point call written without
 * one.  The port must come out with exactly one main(). */
#ifndef KP_REWRITE_H
#define KP_REWRITE_H

#include "kp_disp.h"
#include "kp_inv.h"

typedef struct krw_input {
	const char *work;             /* the staged port dir */
	const char *rules;            /* the rules.cocci manifest */
	const ku_strv *files;         /* the driver's files, port-relative, sorted */
	const char *module;           /* the module's name, for messages */
	const char *tree_root;        /* to place tree files in the port (kp_paths) */
	const char *driver_dir;
	const ki_inventory *driver;   /* the driver's entry points */
	const ki_inventory *closure;  /* rename sites: the driver's and the imports' */
	const kd_list *disps;         /* which names are renamed, to what */
	int jobs;
} krw_input;

typedef struct krw_group {
	char *group;     /* "module-entry" */
	char *title;
	char *rule;      /* "module_entry.cocci" */
	int sites;       /* renames: sites changed; others: hunks of its commit */
	int fixed_up;    /* rename sites spatch missed, renamed by kpiport */
	char *commit;    /* NULL: the group changed nothing, so no commit */
	double seconds;
} krw_group;

/* A rename site spatch did not change. */
typedef struct krw_miss {
	char *file;      /* port-relative */
	int line, col;   /* in the file as the rename group saw it */
	char *symbol, *target, *rule;
	int renamed;     /* 1: kpiport renamed it at libclang's position */
} krw_miss;

typedef struct krw_result {
	krw_group *groups;
	size_t ngroups;
	krw_miss *misses;
	size_t nmisses;
} krw_result;

/* Every group, in manifest order, committed in in->work.  -1 with ku_err()
 * (spatch failed, or no single main() came out). */
int krw_rewrite(const krw_input *in, krw_result *out);
void krw_free(krw_result *r);

/* The structural groups (not rename, not the generic entry) in order on
 * copies of `sources` (the driver's .c files in the tree), for spatch's
 * cache only: run in a worker (kproc_start) while the analysis runs, so
 * that krw_rewrite finds their results (kp_rewrite_ahead.c).  Changes
 * nothing else; its exit code says nothing about the port. */
int krw_speculate(const char *rules, const ku_strv *sources);

#endif
