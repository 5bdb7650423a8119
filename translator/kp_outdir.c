/* kp_outdir.c: the port dir on disk (see kp_outdir.h): normalising and
 * guarding OUT, staging beside it, the atomic install, and the removal of
 * what killed runs left behind. */
#define _GNU_SOURCE
#include "kp_outdir.h"
#include "kp_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KO_TMP_TAG ".kpiport-tmp."

/* a == b, or a lies inside b. */
static int within(const char *a, const char *b)
{
	size_t n = strlen(b);
	if (n == 1 && b[0] == '/')
		return 1;
	return strncmp(a, b, n) == 0 && (a[n] == 0 || a[n] == '/');
}

/* Lexical clean-up of an absolute path: no empty, "." or ".." parts, no
 * trailing slash. */
static char *lexical_clean(const char *abs)
{
	ku_strv parts = {0};
	char *copy = ku_strdup(abs), *save = NULL;
	for (char *c = strtok_r(copy, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			if (parts.n)
				free(parts.v[--parts.n]);
			continue;
		}
		ku_strv_push(&parts, c);
	}
	ku_buf b = {0};
	for (size_t i = 0; i < parts.n; i++)
		ku_buf_printf(&b, "/%s", parts.v[i]);
	char *r = ku_strdup(parts.n ? b.s : "/");
	ku_buf_free(&b);
	ku_strv_free(&parts);
	free(copy);
	return r;
}

/* Absolute, clean, and with the symlinks of its longest existing prefix
 * resolved (OUT itself need not exist). */
static char *normalise(const char *arg)
{
	char *abs;
	if (arg[0] == '/') {
		abs = ku_strdup(arg);
	} else {
		char cwd[4096];
		if (!getcwd(cwd, sizeof cwd))
			return NULL;
		abs = ku_path_join(cwd, arg);
	}
	char *clean = lexical_clean(abs);
	free(abs);
	/* Resolve the deepest existing ancestor; the rest does not exist, so it
	 * has no symlinks to follow. */
	char *head = ku_strdup(clean);
	const char *tail = clean + strlen(clean);
	char *real = NULL;
	for (;;) {
		real = ku_realpath(head);
		if (real || !strcmp(head, "/"))
			break;
		char *slash = strrchr(head, '/');
		tail = clean + (slash - head);
		if (slash == head)
			head[1] = 0;
		else
			*slash = 0;
	}
	char *r = real ? ku_printf("%s%s", strcmp(real, "/") ? real : "", tail) : ku_strdup(clean);
	if (!r[0]) {
		free(r);
		r = ku_strdup("/");
	}
	free(head), free(real), free(clean);
	return r;
}

int ko_is_port(const char *dir)
{
	char *rec = ku_path_join(dir, "kpiport.record");
	char *rep = ku_path_join(dir, "report.json");
	char *git = ku_path_join(dir, ".git");
	ku_buf b = {0};
	int yes = ku_is_file(rec) && ku_is_file(rep) && ku_is_dir(git) && ku_read_file(rec, &b) == 0 &&
		  ku_startswith(ku_buf_str(&b), "kpiport = ");
	ku_buf_free(&b);
	free(rec), free(rep), free(git);
	return yes;
}

/* The reason OUT may not be written, or NULL. */
static char *refusal(const char *out, const ko_guard *g)
{
	const char *home = getenv("HOME");
	char *rhome = home && *home ? ku_realpath(home) : NULL;
	char *why = NULL;
	struct {
		const char *path, *what;
		int inside_too; /* OUT inside it is refused as well */
	} keep[] = {
		{g->tree, "the Linux tree (kpiport never writes it)", 1},
		{g->cache, "kpiport's cache", 1},
		{g->driver_dir, "the driver's own dir", 0},
		{g->sources, "the kpiport sources", 0},
		{rhome, "your home directory", 0},
	};
	if (!strcmp(out, "/"))
		why = ku_strdup("it is the root directory");
	/* What OUT is says more than what it contains: `-o ~` is "your home
	 * directory" even though the cache lives inside it. */
	for (int exact = 1; exact >= 0; exact--)
		for (size_t i = 0; !why && i < sizeof keep / sizeof keep[0]; i++) {
			char *k = keep[i].path ? ku_realpath(keep[i].path) : NULL;
			if (!k)
				continue;
			if (exact && !strcmp(out, k))
				why = ku_printf("it is %s (%s)", keep[i].what, k);
			else if (!exact && within(k, out))
				why = ku_printf("it contains %s (%s)", keep[i].what, k);
			else if (!exact && keep[i].inside_too && within(out, k))
				why = ku_printf("it is inside %s (%s)", keep[i].what, k);
			free(k);
		}
	free(rhome);
	return why;
}

int ko_resolve(const char *arg, const ko_guard *g, int force, ko_out *o)
{
	memset(o, 0, sizeof *o);
	if (!arg || !*arg)
		return ku_err("-o: an empty path");
	o->path = normalise(arg);
	if (!o->path)
		return ku_err("-o %s: cannot read the current directory: %s", arg, strerror(errno));
	char *why = refusal(o->path, g);
	if (why) {
		ku_err("refusing to write the port at %s: %s", o->path, why);
		free(why);
		return -1;
	}
	struct stat st;
	if (lstat(o->path, &st) != 0)
		return errno == ENOENT ? 0 : ku_err("%s: %s", o->path, strerror(errno));
	if (!force)
		return ku_err("%s already exists (use --force to replace a port dir kpiport made)", o->path);
	if (!S_ISDIR(st.st_mode) || !ko_is_port(o->path))
		return ku_err("refusing to replace %s with --force: it is not a port dir kpiport made "
			      "(no kpiport.record, report.json and git history); move it away yourself",
			      o->path);
	return 0;
}

/* Is pid a live kpiport process?  (A reused PID of another program is not.) */
static int kpiport_alive(long pid)
{
	if (pid <= 0 || (kill((pid_t)pid, 0) != 0 && errno == ESRCH))
		return 0;
	char link[64], exe[4096];
	snprintf(link, sizeof link, "/proc/%ld/exe", pid);
	ssize_t n = readlink(link, exe, sizeof exe - 1);
	if (n < 0)
		return 1; /* cannot tell (another user's process): leave it */
	exe[n] = 0;
	const char *base = ku_basename(exe);
	return ku_startswith(base, "kpiport");
}

int ko_clean_debris(const char *path)
{
	char *parent = ku_dirname(path);
	const char *name = ku_basename(path);
	char *tmp_prefix = ku_printf(".%s" KO_TMP_TAG, name);
	char *old_prefix = ku_printf("%s.kpiport-old.", name); /* kpiport before 0.2 */
	DIR *d = opendir(parent);
	int removed = 0;
	struct dirent *de;
	while (d && (de = readdir(d))) {
		const char *pid_at = NULL;
		if (ku_startswith(de->d_name, tmp_prefix))
			pid_at = de->d_name + strlen(tmp_prefix);
		else if (ku_startswith(de->d_name, old_prefix))
			pid_at = de->d_name + strlen(old_prefix);
		if (!pid_at)
			continue;
		char *end;
		long pid = strtol(pid_at, &end, 10);
		if (end == pid_at || (*end && *end != '.') || kpiport_alive(pid))
			continue;
		char *full = ku_path_join(parent, de->d_name);
		if (ku_rm_rf(full) == 0) {
			fprintf(stderr, "kpiport: removed %s, left by an earlier run (pid %ld) that was killed\n",
				full, pid);
			removed++;
		}
		free(full);
	}
	if (d)
		closedir(d);
	free(parent), free(tmp_prefix), free(old_prefix);
	return removed;
}

int ko_stage(ko_out *o)
{
	char *parent = ku_dirname(o->path);
	if (ku_mkdir_p(parent) != 0) {
		free(parent);
		return -1;
	}
	ko_clean_debris(o->path);
	char *tmpl = ku_printf("%s/.%s" KO_TMP_TAG "%ld.XXXXXX", parent, ku_basename(o->path), (long)getpid());
	free(parent);
	if (!mkdtemp(tmpl)) {
		ku_err("cannot create a temporary dir beside %s: %s", o->path, strerror(errno));
		free(tmpl);
		return -1;
	}
	/* mkdtemp makes 0700; a port dir is an ordinary dir: honour the umask. */
	mode_t um = umask(0);
	umask(um);
	if (chmod(tmpl, 0777 & ~um) != 0) {
		ku_err("%s: %s", tmpl, strerror(errno));
		rmdir(tmpl);
		free(tmpl);
		return -1;
	}
	o->work = tmpl;
	return 0;
}

int ko_install(ko_out *o, int force)
{
	if (renameat2(AT_FDCWD, o->work, AT_FDCWD, o->path, RENAME_NOREPLACE) == 0)
		goto installed;
	if (errno != EEXIST)
		return ku_err("cannot rename %s to %s: %s", o->work, o->path, strerror(errno));
	/* OUT appeared while we worked, or --force: it must still be a port. */
	if (!force)
		return ku_err("%s already exists (use --force to replace a port dir kpiport made)", o->path);
	if (!ko_is_port(o->path))
		return ku_err("refusing to replace %s: it is no longer a port dir kpiport made", o->path);
	if (renameat2(AT_FDCWD, o->work, AT_FDCWD, o->path, RENAME_EXCHANGE) != 0)
		return ku_err("cannot replace %s: %s", o->path, strerror(errno));
	/* o->work now holds the old port under the temporary name: a crash
	 * from here on leaves debris the next run recognises. */
	if (ku_rm_rf(o->work) != 0)
		fprintf(stderr, "kpiport: warning: the replaced port is still at %s: %s\n", o->work,
			ku_lasterr());
installed:
	free(o->work);
	o->work = NULL;
	return 0;
}

void ko_abandon(ko_out *o)
{
	if (o->work) {
		char *keep = ku_strdup(ku_lasterr());
		ku_rm_rf(o->work);
		ku_err("%s", keep);
		free(keep);
		free(o->work);
		o->work = NULL;
	}
}

void ko_free(ko_out *o)
{
	ko_abandon(o);
	free(o->path);
	o->path = NULL;
}
