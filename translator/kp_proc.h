/* kp_proc.h (prefix kproc_): running other programs (make, spatch, git, clang) and running
 * work in parallel worker processes (-j).  Workers are forked, so libclang
 * and spatch state never crosses between them. */
#ifndef KP_PROC_H
#define KP_PROC_H

#include "kp_util.h"

typedef struct kproc_cmd {
	const char *const *argv;  /* argv[0] is looked up in PATH */
	const char *cwd;          /* NULL: inherit */
	const char *const *env;   /* extra "NAME=value" entries, NULL-terminated; may be NULL */
	const char *stdin_path;   /* NULL: /dev/null */
	const char *stdout_path;  /* write stdout there instead of capturing it */
	ku_buf *out;              /* captured stdout (may be NULL: discarded) */
	ku_buf *err;              /* captured stderr (may be NULL: discarded) */
} kproc_cmd;

/* Run to completion.  Returns the exit status (0..255, 128+signal), or -1
 * with ku_err() when the program cannot be started ("spatch: not found"). */
int kproc_run(const kproc_cmd *c);
/* Is `prog` an executable on PATH (or a path to one)? */
int kproc_have_program(const char *prog);
/* The path execvp would run for `prog` (malloc'd), or NULL. */
char *kproc_which(const char *prog);

typedef struct kproc_job {
	int (*fn)(void *arg);  /* runs in a forked child; its return is the exit code */
	void *arg;
	int status;            /* filled in: exit code, or 128+signal */
} kproc_job;

/* Run every job, at most `par` at a time (par < 1: number of CPUs). */
void kproc_parallel(kproc_job *jobs, size_t n, int par);
/* One job in a forked worker beside the caller's own work (a signal stops it
 * like any worker): its pid, or -1 when it cannot fork (nothing ran). */
int kproc_start(int (*fn)(void *arg), void *arg);
/* Wait for a worker kproc_start started; `stop`: ask it to stop first.  Its
 * exit code, or 128+signal. */
int kproc_finish(int pid, int stop);
int kproc_ncpus(void);

/* Interruption.  kproc_interrupt_install() makes SIGINT, SIGTERM and SIGHUP
 * stop the whole process tree: the signal is passed on to every program
 * kproc_run started (each runs in a process group of its own, so make's and
 * spatch's own children go too) and to every worker, which dies at once;
 * the main process only records the signal in kproc_interrupted, so its
 * callers unwind and remove what they staged.  kproc_interrupt_exit() then
 * ends the process by that signal (the shell sees 128 + signal). */
#include <signal.h>
extern volatile sig_atomic_t kproc_interrupted;
void kproc_interrupt_install(void);
void kproc_interrupt_exit(void) __attribute__((noreturn));
/* 0, or -1 with ku_err("interrupted by SIGINT") once a signal asked us to
 * stop: the pipeline checks between stages. */
int kproc_check_interrupted(void);

#endif
