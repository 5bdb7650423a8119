/* kp_config_seed.c: a new kernel build dir starts as a copy of a prepared
 * seed (see kp_config_int.h).  Every port needs a build dir of its own
 * config, and `make allnoconfig prepare` from nothing compiles the same
 * host programs every time (Kconfig's conf, fixdep, modpost, objtool:
 * about half of the config stage's CPU time).  Kbuild is made for a
 * changed .config in a built dir: syncconfig rewrites what the change
 * touches and fixdep's records rebuild only what depends on it.  What
 * stops a plain copy from being reused is objtool's build (tools/build),
 * which records absolute paths of its objects in its .cmd/.d files: those
 * are rewritten from the seed's path to the new dir's, and then make sees
 * every host program up to date. */
#define _GNU_SOURCE
#include "kp_config_int.h"
#include "kp_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* nftw has no user pointer: the one relocation in progress.  The seed's
 * path as make was given it, and the same path with its symlinks resolved
 * when that differs (a cache dir reached through a link). */
static struct {
	const char *from[2], *to;
	int rc;
} reloc;

static const char *first_from(const char *s, size_t *n)
{
	const char *best = NULL;
	for (int i = 0; i < 2 && reloc.from[i]; i++) {
		const char *hit = strstr(s, reloc.from[i]);
		if (hit && (!best || hit < best))
			best = hit, *n = strlen(reloc.from[i]);
	}
	return best;
}

/* Kbuild's own records (".foo.o.cmd") and tools/build's (".foo.o.d",
 * ".foo.o.cmd"): the only files make reads back that name the build dir. */
static int is_record(const char *name)
{
	return name[0] == '.' && (ku_endswith(name, ".cmd") || ku_endswith(name, ".d"));
}

static int relocate_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	if (type != FTW_F || !is_record(path + ftw->base))
		return 0;
	ku_buf b = {0};
	if (ku_read_file(path, &b) != 0) {
		reloc.rc = -1;
		return 1;
	}
	const char *s = ku_buf_str(&b);
	size_t fn = 0;
	if (!first_from(s, &fn)) {
		ku_buf_free(&b);
		return 0;
	}
	ku_buf out = {0};
	for (const char *hit; (hit = first_from(s, &fn)); s = hit + fn) {
		ku_buf_add(&out, s, (size_t)(hit - s));
		ku_buf_printf(&out, "%s", reloc.to);
	}
	ku_buf_printf(&out, "%s", s);
	/* The same times as before: a record newer than its object would not
	 * matter to make, but nothing here should look changed. */
	struct timespec times[2] = {st->st_atim, st->st_mtim};
	if (ku_write_file(path, ku_buf_str(&out), out.len) != 0 ||
	    utimensat(AT_FDCWD, path, times, 0) != 0) {
		reloc.rc = ku_err("cannot rewrite %s: %s", path, strerror(errno));
		ku_buf_free(&b), ku_buf_free(&out);
		return 1;
	}
	ku_buf_free(&b), ku_buf_free(&out);
	return 0;
}

int kcfg_seed_copy(const char *seed, const char *dir)
{
	char *src = ku_printf("%s/.", seed);
	const char *argv[] = {"cp", "-a", "--reflink=auto", src, dir, NULL};
	kproc_cmd c = {.argv = argv};
	int rc = kproc_run(&c) == 0 ? 0 : ku_err("cannot copy the seed build dir %s into %s", seed, dir);
	free(src);
	if (rc != 0)
		return rc;
	/* The seed's own markers are not the new dir's. */
	char *ready = ku_path_join(dir, KCFG_READY);
	char *flags = ku_path_join(dir, KCFG_FLAGS_DIR);
	unlink(ready);
	ku_rm_rf(flags);
	free(ready), free(flags);
	char *real = ku_realpath(seed);
	reloc.from[0] = seed, reloc.to = dir, reloc.rc = 0;
	reloc.from[1] = real && strcmp(real, seed) ? real : NULL;
	if (nftw(dir, relocate_one, 16, FTW_PHYS) != 0 && reloc.rc == 0)
		reloc.rc = ku_err("cannot walk %s: %s", dir, strerror(errno));
	free(real);
	return reloc.rc;
}
