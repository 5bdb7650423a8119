/* kp_proc.c: subprocesses with captured output, and a fork-based worker
 * pool (see kp_proc.h). */
#define _GNU_SOURCE
#include "kp_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- interruption: children are tracked so a signal can be passed on ---- */

#define KPROC_MAX_KIDS 256
volatile sig_atomic_t kproc_interrupted;
static volatile pid_t kids[KPROC_MAX_KIDS]; /* > 0: a worker; < 0: -pgid of a program */
static int is_worker;
/* kproc_start's workers that kproc_parallel's wait() reaped first: their
 * status, for kproc_finish. */
static struct {
	pid_t pid;
	int status;
} reaped[8];

static void kid_add(pid_t id)
{
	for (int i = 0; i < KPROC_MAX_KIDS; i++)
		if (!kids[i]) {
			kids[i] = id;
			return;
		}
}

static void kid_del(pid_t id)
{
	for (int i = 0; i < KPROC_MAX_KIDS; i++)
		if (kids[i] == id)
			kids[i] = 0;
}

static void on_signal(int sig)
{
	int saved = errno;
	kproc_interrupted = sig;
	for (int i = 0; i < KPROC_MAX_KIDS; i++)
		if (kids[i])
			kill(kids[i], SIGTERM); /* negative: the program's whole process group */
	if (is_worker)
		_exit(128 + sig);
	errno = saved;
}

void kproc_interrupt_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGINT);
	sigaddset(&sa.sa_mask, SIGTERM);
	sigaddset(&sa.sa_mask, SIGHUP);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

void kproc_interrupt_exit(void)
{
	int sig = kproc_interrupted ? kproc_interrupted : SIGTERM;
	signal(sig, SIG_DFL);
	raise(sig);
	_exit(128 + sig);
}

int kproc_check_interrupted(void)
{
	int sig = kproc_interrupted;
	if (!sig)
		return 0;
	return ku_err("interrupted by %s", sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM"
					  : sig == SIGHUP ? "SIGHUP" : "a signal");
}

/* A forked worker: not the main process, and none of its parent's kids. */
static void become_worker(void)
{
	is_worker = 1;
	for (int i = 0; i < KPROC_MAX_KIDS; i++)
		kids[i] = 0;
}

char *kproc_which(const char *prog)
{
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0 ? ku_strdup(prog) : NULL;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	char *dup = ku_strdup(path), *save = NULL, *found = NULL;
	for (char *d = strtok_r(dup, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
		char *full = ku_path_join(*d ? d : ".", prog);
		if (access(full, X_OK) == 0 && ku_is_file(full))
			found = full;
		else
			free(full);
	}
	free(dup);
	return found;
}

int kproc_have_program(const char *prog)
{
	char *p = kproc_which(prog);
	free(p);
	return p != NULL;
}

static int tmpfile_fd(char *tmpl)
{
	int fd = mkstemp(tmpl);
	if (fd >= 0)
		unlink(tmpl);
	return fd;
}

static void slurp_fd(int fd, ku_buf *into)
{
	if (!into) {
		close(fd);
		return;
	}
	lseek(fd, 0, SEEK_SET);
	char chunk[65536];
	ssize_t n;
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		ku_buf_add(into, chunk, (size_t)n);
	if (!into->s)
		ku_buf_add(into, "", 0);
	close(fd);
}

/* The environment a program gets: ours, with `extra` ("NAME=value") added
 * or replacing ours by name.  The array is malloc'd; its strings are not. */
static char **child_env(const char *const *extra)
{
	extern char **environ;
	size_t n = 0, k = 0;
	while (environ[n])
		n++;
	for (const char *const *e = extra; e && *e; e++)
		k++;
	char **v = ku_malloc((n + k + 1) * sizeof *v);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(environ[i], '=');
		size_t len = eq ? (size_t)(eq - environ[i]) + 1 : strlen(environ[i]);
		int replaced = 0;
		for (const char *const *e = extra; e && *e && !replaced; e++)
			replaced = strncmp(*e, environ[i], len) == 0;
		if (!replaced)
			v[m++] = environ[i];
	}
	for (const char *const *e = extra; e && *e; e++)
		v[m++] = (char *)*e;
	v[m] = NULL;
	return v;
}

int kproc_run(const kproc_cmd *c)
{
	if (!kproc_have_program(c->argv[0]))
		return ku_err("%s: not found on PATH (is it installed? tools/setup.sh installs it)", c->argv[0]);
	char otmpl[] = "/tmp/kpiport-out.XXXXXX", etmpl[] = "/tmp/kpiport-err.XXXXXX";
	int ofd = -1, efd = tmpfile_fd(etmpl);
	if (c->stdout_path)
		ofd = open(c->stdout_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	else
		ofd = tmpfile_fd(otmpl);
	if (ofd < 0 || efd < 0)
		return ku_err("cannot create temporary files: %s", strerror(errno));
	fflush(NULL);
	/* posix_spawn, not fork + exec: glibc starts the child with vfork
	 * semantics, so a big parent (libclang mapped, a tree index in memory)
	 * does not copy its page tables for every git and spatch it runs, nor
	 * take copy-on-write faults afterwards. */
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	/* A process group of its own, so an interruption reaches its children
	 * too (make's compilers, spatch's helpers). */
	sigset_t none, dfl;
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGHUP);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawn_file_actions_addopen(&fa, 0, c->stdin_path ? c->stdin_path : "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, ofd, 1);
	posix_spawn_file_actions_adddup2(&fa, efd, 2);
	if (c->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, c->cwd);
	char **envp = child_env(c->env);
	pid_t pid;
	int serr = posix_spawnp(&pid, c->argv[0], &fa, &at, (char *const *)c->argv, envp);
	free(envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (serr != 0) {
		close(ofd), close(efd);
		if (c->cwd && !ku_is_dir(c->cwd))
			return ku_err("cannot run %s: cannot enter %s", c->argv[0], c->cwd);
		return ku_err("cannot run %s: %s", c->argv[0], strerror(serr));
	}
	setpgid(pid, pid); /* also here: the child may not have run yet */
	kid_add(-pid);
	if (kproc_interrupted)
		kill(-pid, SIGTERM);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	kid_del(-pid);
	if (c->stdout_path)
		close(ofd);
	else
		slurp_fd(ofd, c->out);
	slurp_fd(efd, c->err);
	if (kproc_interrupted)
		return ku_err("interrupted by signal %d while %s ran", (int)kproc_interrupted, c->argv[0]);
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

int kproc_ncpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

void kproc_parallel(kproc_job *jobs, size_t n, int par)
{
	if (par < 1)
		par = kproc_ncpus();
	pid_t *pids = ku_calloc(n, sizeof *pids);
	size_t next = 0, running = 0, done = 0;
	fflush(NULL);
	while (done < n) {
		while (running < (size_t)par && next < n && !kproc_interrupted) {
			pid_t pid = fork();
			if (pid == 0) {
				become_worker();
				_exit(jobs[next].fn(jobs[next].arg) & 0xff);
			}
			if (pid < 0) { /* cannot fork: run it here */
				jobs[next].status = jobs[next].fn(jobs[next].arg);
				next++, done++;
				continue;
			}
			kid_add(pid);
			pids[next++] = pid;
			running++;
		}
		if (!running) {
			if (kproc_interrupted) { /* the jobs not started fail */
				for (; next < n; next++, done++)
					jobs[next].status = 128 + kproc_interrupted;
			}
			continue;
		}
		int st;
		pid_t pid = wait(&st);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		size_t i = 0;
		while (i < next && pids[i] != pid)
			i++;
		if (i == next) { /* not ours: a kproc_start worker, kept for kproc_finish */
			kid_del(pid); /* gone: a signal must not reach whoever gets its pid next */
			for (size_t k = 0; k < sizeof reaped / sizeof *reaped; k++)
				if (!reaped[k].pid) {
					reaped[k].pid = pid, reaped[k].status = st;
					break;
				}
			continue;
		}
		kid_del(pid);
		jobs[i].status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
		pids[i] = 0;
		running--, done++;
	}
	free(pids);
}

int kproc_start(int (*fn)(void *arg), void *arg)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		become_worker();
		_exit(fn(arg) & 0xff);
	}
	if (pid > 0)
		kid_add(pid);
	return pid > 0 ? (int)pid : -1;
}

int kproc_finish(int pid, int stop)
{
	if (pid <= 0)
		return -1;
	int st = 0, found = 0;
	for (size_t k = 0; k < sizeof reaped / sizeof *reaped && !found; k++)
		if (reaped[k].pid == pid) {
			st = reaped[k].status, reaped[k].pid = 0, found = 1;
		}
	/* Only a worker not reaped yet: a reaped one's pid may be another
	 * process's by now. */
	if (stop && !found)
		kill(pid, SIGTERM);
	while (!found && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	kid_del(pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
