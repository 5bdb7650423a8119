/* kp_git.c: deterministic git commits through the git command line. */
#include "kp_git.h"
#include "kp_proc.h"

#include <stdlib.h>
#include <string.h>

static const char *const git_env[] = {
	"GIT_AUTHOR_NAME=" KG_AUTHOR,     "GIT_AUTHOR_EMAIL=" KG_EMAIL,
	"GIT_AUTHOR_DATE=" KG_DATE,       "GIT_COMMITTER_NAME=" KG_AUTHOR,
	"GIT_COMMITTER_EMAIL=" KG_EMAIL,  "GIT_COMMITTER_DATE=" KG_DATE,
	"GIT_CONFIG_NOSYSTEM=1",          "GIT_CONFIG_GLOBAL=/dev/null",
	"GIT_TERMINAL_PROMPT=0",          "LC_ALL=C",
	NULL,
};

int kg_git(const char *dir, const char *const *args, ku_buf *out)
{
	ku_strv argv = {0};
	ku_strv_push(&argv, "git");
	ku_strv_push(&argv, "-c");
	ku_strv_push(&argv, "core.autocrlf=false");
	ku_strv_push(&argv, "-c");
	ku_strv_push(&argv, "commit.gpgsign=false");
	ku_strv_push(&argv, "-c");
	ku_strv_push(&argv, "core.logAllRefUpdates=false");
	/* A port's history is a few commits written once: git's housekeeping
	 * after each commit (a `git maintenance run --auto` child) is wasted. */
	ku_strv_push(&argv, "-c");
	ku_strv_push(&argv, "maintenance.auto=false");
	ku_strv_push(&argv, "-c");
	ku_strv_push(&argv, "gc.auto=0");
	for (const char *const *a = args; *a; a++)
		ku_strv_push(&argv, *a);
	ku_buf err = {0};
	kproc_cmd c = {.argv = (const char *const *)argv.v, .cwd = dir, .env = git_env, .out = out, .err = &err};
	int st = kproc_run(&c);
	int rc = 0;
	if (st != 0)
		rc = st < 0 ? -1 : ku_err("git %s failed in %s: %s", args[0], dir, ku_buf_str(&err));
	ku_buf_free(&err);
	ku_strv_free(&argv);
	return rc;
}

int kg_init(const char *dir)
{
	/* --template= leaves out the sample hooks, whose bytes vary by git version. */
	const char *args[] = {"init", "-q", "--template=", "-b", "main", ".", NULL};
	return kg_git(dir, args, NULL);
}

/* HEAD's commit id read from the repository's files (HEAD names a loose
 * branch ref in a repository kg_init made: git's files backend, no packed
 * refs before a gc, which kg_git turns off), saving a `git rev-parse` per
 * commit.  NULL when it is anything else: then git is asked. */
static char *head_from_files(const char *dir)
{
	char *head = ku_printf("%s/.git/HEAD", dir), *ref = NULL, *id = NULL;
	ku_buf b = {0};
	if (ku_read_file(head, &b) == 0 && strncmp(ku_buf_str(&b), "ref: refs/heads/", 16) == 0 &&
	    !strstr(b.s, ".."))
		ref = ku_printf("%s/.git/%s", dir, ku_trim(b.s + 5));
	b.len = 0;
	if (ref && ku_read_file(ref, &b) == 0) {
		const char *t = ku_trim(b.s);
		if (strlen(t) == 40 && strspn(t, "0123456789abcdef") == 40)
			id = ku_strdup(t);
	}
	ku_buf_free(&b);
	free(head), free(ref);
	return id;
}

int kg_commit_all(const char *dir, const char *message, char **sha)
{
	const char *add[] = {"add", "-A", ".", NULL};
	if (kg_git(dir, add, NULL) != 0)
		return -1;
	const char *commit[] = {"commit", "-q", "--allow-empty", "--no-verify", "-m", message, NULL};
	if (kg_git(dir, commit, NULL) != 0)
		return -1;
	if (sha && (*sha = head_from_files(dir)) != NULL)
		return 0;
	if (sha) {
		ku_buf out = {0};
		const char *rev[] = {"rev-parse", "HEAD", NULL};
		if (kg_git(dir, rev, &out) != 0) {
			ku_buf_free(&out);
			return -1;
		}
		*sha = ku_strdup(ku_trim(out.s));
		ku_buf_free(&out);
	}
	return 0;
}

int kg_count_hunks(const char *dir, const char *from, const char *to)
{
	ku_buf out = {0};
	const char *args[] = {"diff", "-U0", "--no-color", from, to, NULL}; /* to may be NULL: work tree */
	int n = 0;
	if (kg_git(dir, args, &out) == 0)
		for (const char *l = out.s; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
			n += strncmp(l, "@@ ", 3) == 0;
	ku_buf_free(&out);
	return n;
}
