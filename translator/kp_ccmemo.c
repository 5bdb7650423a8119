/* kp_ccmemo.c: make's environment for memoized compiler probes (see
 * kp_ccmemo.h).  The memo program takes the compiler's name: a directory
 * <cache>/ccmemo/.bin-<hash of the program's path>/ holds `clang-19` as a
 * symlink to it and goes first on make's PATH, so kbuild keeps calling
 * `clang-19` and records the same commands as without the memo. */
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

static const char *const *make_env(const char *compiler, const char *cache)
{
	const char *off = getenv("KPIPORT_CCMEMO");
	if (off && !strcmp(off, "0"))
		return NULL;
	char *prog = memo_program(), *real = kproc_which(compiler);
	char *realabs = real ? ku_realpath(real) : NULL;
	if (!prog || !realabs) {
		free(prog), free(real), free(realabs);
		return NULL;
	}
	kh_ctx *h = kh_new();
	kh_add_str(h, prog);
	char hex[65];
	kh_final(h, hex);
	char *store = ku_path_join(cache, "ccmemo");
	char *bin = ku_printf("%s/.bin-%.16s", store, hex), *link = ku_path_join(bin, compiler);
	static const char *env[4];
	if (ku_mkdir_p(bin) == 0 && ensure_symlink(prog, link) == 0) {
		const char *path = getenv("PATH");
		/* The compiler as make would have found it, not its symlink's
		 * target: clang reads its mode from the name it was called by. */
		env[0] = ku_printf("PATH=%s%s%s", bin, path ? ":" : "", path ? path : "");
		env[1] = ku_printf("KPIPORT_CCMEMO_REAL=%s", real[0] == '/' ? real : realabs);
		env[2] = ku_printf("KPIPORT_CCMEMO_DIR=%s", store);
		env[3] = NULL;
	} else {
		ku_log("compiler probes not memoized: cannot set up %s: %s", link, strerror(errno));
	}
	free(prog), free(real), free(realabs), free(store), free(bin), free(link);
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
