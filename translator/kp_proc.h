/* kp_proc.h: running other programs (make, spatch, git, clang) and running
 * work in parallel worker processes (-j).  Workers are forked, so libclang
 * and spatch state never crosses between them. */
#ifndef KP_PROC_H
#define KP_PROC_H

#include "kp_util.h"

typedef struct kp_cmd {
	const char *const *argv;  /* argv[0] is looked up in PATH */
	const char *cwd;          /* NULL: inherit */
	const char *const *env;   /* extra "NAME=value" entries, NULL-terminated; may be NULL */
	const char *stdin_path;   /* NULL: /dev/null */
	const char *stdout_path;  /* write stdout there instead of capturing it */
	ku_buf *out;              /* captured stdout (may be NULL: discarded) */
	ku_buf *err;              /* captured stderr (may be NULL: discarded) */
} kp_cmd;

/* Run to completion.  Returns the exit status (0..255, 128+signal), or -1
 * with ku_err() when the program cannot be started ("spatch: not found"). */
int kp_run(const kp_cmd *c);
/* Is `prog` an executable on PATH (or a path to one)? */
int kp_have_program(const char *prog);

typedef struct kp_job {
	int (*fn)(void *arg);  /* runs in a forked child; its return is the exit code */
	void *arg;
	int status;            /* filled in: exit code, or 128+signal */
} kp_job;

/* Run every job, at most `par` at a time (par < 1: number of CPUs). */
void kp_parallel(kp_job *jobs, size_t n, int par);
int kp_ncpus(void);

#endif
