/* kp_ccmemo.c: make's environment for memoized compiler probes (see
 * kp_ccmemo.h).  The memo program takes the compiler's name: a directory
 * <cache>/ccmemo/.bin-<hash of the program's path>/ holds `clang-19` and
 * `gcc` as symlinks to it and goes first on make's PATH, so kbuild keeps
 * calling them by name and records the same commands as without the memo. */
#define _GNU_SOURCE
#include "kp_ccmemo.h"
#include "kp_hash.h"
#include "kp_proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* kpiport-ccmemo: beside this kpiport, else where the build put it. */
static char *memo_program(void)
{
	char *self = ku_realpath("/proc/self/exe");
	if (self) {
		char *dir = ku_dirname(self), *p = ku_path_join(dir, "kpiport-ccmemo");
		free(self), free(dir);
		if (access(p, X_OK) == 0)
			return p;
		free(p);
	}
#ifdef KPIPORT_CCMEMO_PATH
	if (access(KPIPORT_CCMEMO_PATH, X_OK) == 0)
		return ku_strdup(KPIPORT_CCMEMO_PATH);
#endif
	return NULL;
}

/* `link` -> `target`, replaced atomically when it points elsewhere. */
static int ensure_symlink(const char *target, const char *link)
{
	char cur[4096];
	ssize_t n = readlink(link, cur, sizeof cur - 1);
	if (n >= 0 && (size_t)n == strlen(target) && memcmp(cur, target, (size_t)n) == 0)
		return 0;
	char *tmp = ku_printf("%s.%d.tmp", link, (int)getpid());
	unlink(tmp);
	int rc = symlink(target, tmp) == 0 && rename(tmp, link) == 0 ? 0 : -1;
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

/* The host compiler kbuild calls for its own tools (HOSTCC). */
#define KCCM_HOSTCC "gcc"

static const char *const *make_env(const char *compiler, const char *cache)
{
	const char *off = getenv("KPIPORT_CCMEMO");
	if (off && !strcmp(off, "0"))
		return NULL;
	char *prog = memo_program();
	if (!prog || !kproc_have_program(compiler)) {
		free(prog);
		return NULL;
	}
	kh_ctx *h = kh_new();
	kh_add_str(h, prog);
	char hex[65];
	kh_final(h, hex);
	char *store = ku_path_join(cache, "ccmemo"), *bin = ku_printf("%s/.bin-%.16s", store, hex);
	int rc = ku_mkdir_p(bin);
	const char *names[] = {compiler, KCCM_HOSTCC};
	for (int i = 0; i < 2 && rc == 0; i++) {
		if (i > 0 && !kproc_have_program(names[i]))
			continue;
		char *link = ku_path_join(bin, names[i]);
		rc = ensure_symlink(prog, link);
		if (rc != 0)
			ku_log("compiler probes not memoized: cannot make %s: %s", link, strerror(errno));
		free(link);
	}
	static const char *env[3];
	if (rc == 0) {
		/* Each name runs the memo program, which runs the next program of
		 * that name on PATH: the compiler make would have found. */
		const char *path = getenv("PATH");
		env[0] = ku_printf("PATH=%s%s%s", bin, path ? ":" : "", path ? path : "");
		env[1] = ku_printf("KPIPORT_CCMEMO_DIR=%s", store);
		env[2] = NULL;
	}
	free(prog), free(store), free(bin);
	return env[0] ? env : NULL;
}

const char *const *kccm_env(const char *compiler, const char *cache)
{
	static int done;
	static const char *const *env;
	if (!done) /* once a process: the answer cannot change while it runs */
		env = make_env(compiler, cache), done = 1;
	return env;
}
