/* kp_config.c: cached kernel build dirs and kbuild's per-object flags
 * (see kp_config.h). */
#define _GNU_SOURCE
#include "kp_config_int.h"
#include "kp_ccmemo.h"
#include "kp_hash.h"
#include "kp_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bump when the way build dirs are made changes: old cache entries are then
 * simply not found again. */
#define KCFG_FORMAT "kcfg-1"

const char *const kcfg_base_fragment =
	"CONFIG_64BIT=y\n"
	"# CONFIG_SMP is not set\n"
	"CONFIG_PREEMPT_NONE=y\n"
	"CONFIG_MODULES=y\n"
	/* Kernel features runtime/lx emulates out of line.  A driver whose
	 * dependencies select EXPERT would otherwise get them turned into empty
	 * header inlines by allnoconfig (no printk, no BUG(), no firmware), and
	 * the runtime's definitions would clash with those inlines. */
	"CONFIG_PRINTK=y\n"
	"CONFIG_BUG=y\n"
	"CONFIG_SYSFS=y\n"
	"CONFIG_FW_LOADER=y\n"
	/* MSI/MSI-X as on every x86_64 distribution kernel: drivers are
	 * written for it, lx implements it (lx_msi.c) and the hosts deliver it
	 * (Redox: pcid; Linux: vfio-pci), falling back to INTx where they
	 * cannot.  Without it linux/pci.h turns the MSI API into legacy-only
	 * inlines.  Ignored when PCI is off (it lives under `if PCI`). */
	"CONFIG_PCI_MSI=y\n";

/* Two kpiport processes may share a build dir: every make that runs in a
 * prepared dir holds its lock (the same file kcfg_builddir creates it under). */
static int lock_builddir(const char *builddir)
{
	char *lock = ku_printf("%s.lock", builddir);
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	free(lock);
	if (fd >= 0 && flock(fd, LOCK_EX) != 0) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int run_make(const kt_tree *t, const char *builddir, const char *const *extra,
		    ku_buf *out, const char *what)
{
	ku_strv argv = {0};
	ku_strv_push(&argv, "make");
	ku_strv_push(&argv, "-C");
	ku_strv_push(&argv, t->root);
	ku_strv_pushf(&argv, "O=%s", builddir);
	ku_strv_push(&argv, "CC=" KCFG_CC);
	for (const char *const *e = extra; *e; e++)
		ku_strv_push(&argv, *e);
	ku_buf err = {0};
	char *cache = kt_cache_dir();
	kproc_cmd c = {.argv = (const char *const *)argv.v, .env = kccm_env(KCFG_CC, cache), .out = out,
		       .err = &err};
	free(cache);
	int st = kproc_run(&c);
	int rc = 0;
	if (st < 0)
		rc = -1;
	else if (st != 0) {
		const char *e = ku_buf_str(&err);
		size_t n = strlen(e);
		rc = ku_err("kernel config: `make %s` failed in %s (exit %d):\n%s", what, builddir, st,
			    n > 3000 ? e + n - 3000 : e);
	}
	ku_buf_free(&err);
	ku_strv_free(&argv);
	return rc;
}

/* `make allnoconfig prepare` for `fragment` in the empty dir `dir`,
 * started from a copy of `seed` when there is one. */
static int prepare_dir(const kt_tree *t, const char *dir, const char *seed, const char *fragment, int par)
{
	if (seed && kcfg_seed_copy(seed, dir) != 0) {
		/* A copy that failed halfway is no base to build on. */
		ku_log("%s; configuring %s from nothing", ku_lasterr(), dir);
		if (ku_rm_rf(dir) != 0 || ku_mkdir_p(dir) != 0)
			return -1;
	}
	char *frag = ku_path_join(dir, "kpiport.fragment");
	if (ku_write_file(frag, fragment, strlen(fragment)) != 0) {
		free(frag);
		return -1;
	}
	char *allcfg = ku_printf("KCONFIG_ALLCONFIG=%s", frag);
	char *jobs = ku_printf("-j%d", par > 0 ? par : kproc_ncpus());
	const char *cfg[] = {allcfg, "allnoconfig", NULL};
	const char *prep[] = {jobs, "prepare", NULL};
	ku_log("configuring kernel build dir %s%s", dir, seed ? " (from the seed)" : "");
	int rc = run_make(t, dir, cfg, NULL, "allnoconfig");
	if (rc == 0)
		rc = run_make(t, dir, prep, NULL, "prepare");
	if (rc == 0 && seed) { /* the seed's config, saved by allnoconfig: not this dir's */
		char *old = ku_path_join(dir, ".config.old");
		unlink(old);
		free(old);
	}
	free(frag), free(allcfg), free(jobs);
	return rc;
}

/* The cached build dir of (tree, compiler, fragment): <cache>/kbuild/<hash>,
 * made under its lock when absent (from `seed` when not NULL).  The lock
 * file's time is the dir's last use, for `kpiport cache prune`. */
static int cached_dir(const kt_tree *t, const char *kind, const char *fragment, const char *seed,
		      int par, char **builddir, int *ready_out)
{
	kh_ctx *h = kh_new();
	kh_add_str(h, KCFG_FORMAT);
	if (kind) /* the seed; a port's dir is named as before seeds existed */
		kh_add_str(h, kind);
	kh_add_str(h, t->key);
	kh_add_str(h, KCFG_CC);
	kh_add_str(h, fragment);
	char hex[65];
	kh_final(h, hex);

	char *cache = kt_cache_dir();
	char *base = ku_path_join(cache, "kbuild");
	free(cache);
	if (ku_mkdir_p(base) != 0) {
		free(base);
		return -1;
	}
	char *dir = ku_printf("%s/%.16s", base, hex);
	char *lock = ku_printf("%s.lock", dir);
	char *ready = ku_path_join(dir, KCFG_READY);
	free(base);
	int rc = 0;
	int lfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (lfd < 0 || flock(lfd, LOCK_EX) != 0) {
		rc = ku_err("cannot lock %s: %s", lock, strerror(errno));
		goto out;
	}
	futimens(lfd, NULL);
	if (ready_out) { /* only asked: is it there? */
		*ready_out = ku_exists(ready);
		goto out;
	}
	if (!ku_exists(ready)) {
		/* A dir without the marker is a crashed earlier attempt: start over. */
		if (ku_rm_rf(dir) != 0 || ku_mkdir_p(dir) != 0)
			rc = -1;
		if (rc == 0)
			rc = prepare_dir(t, dir, seed, fragment, par);
		if (rc == 0)
			rc = ku_write_file(ready, "", 0);
	}
out:
	if (lfd >= 0)
		close(lfd); /* releases the lock */
	if (rc == 0)
		*builddir = dir;
	else
		free(dir);
	free(lock), free(ready);
	return rc;
}

int kcfg_builddir(const kt_tree *t, const char *fragment, int par, char **builddir)
{
	/* The seed: the base fragment alone, a build dir no port uses (its own
	 * kind in the hash), only ever copied once it is ready, and made only
	 * when a port's dir is.  Without one (it failed to build) a port
	 * configures from nothing as before. */
	int ready = 0;
	char *dir = NULL;
	if (cached_dir(t, NULL, fragment, NULL, par, &dir, &ready) != 0)
		return -1;
	free(dir);
	char *seed = NULL;
	const char *env = getenv("KPIPORT_KBUILD_SEED"); /* "0": from nothing (tools/bench_config.sh) */
	if (!ready && !(env && !strcmp(env, "0")) &&
	    cached_dir(t, "seed", kcfg_base_fragment, NULL, par, &seed, NULL) != 0) {
		ku_log("no seed build dir (%s): configuring from nothing", ku_lasterr());
		seed = NULL;
	}
	int rc = cached_dir(t, NULL, fragment, seed, par, builddir, NULL);
	free(seed);
	return rc;
}

char *kcfg_value(const char *builddir, const char *sym)
{
	char *path = ku_path_join(builddir, ".config");
	ku_buf b = {0};
	char *val = NULL;
	if (ku_read_file(path, &b) == 0) {
		char *key = ku_printf("CONFIG_%s=", sym);
		size_t kn = strlen(key);
		for (char *l = b.s; l && *l;) {
			char *nl = strchr(l, '\n');
			if (strncmp(l, key, kn) == 0) {
				val = ku_strndup(l + kn, nl ? (size_t)(nl - l - kn) : strlen(l + kn));
				break;
			}
			l = nl ? nl + 1 : NULL;
		}
		free(key);
	}
	ku_buf_free(&b);
	free(path);
	return val;
}

void kcfg_shell_split(const char *s, ku_strv *words)
{
	ku_buf w = {0};
	int have = 0;
	while (*s) {
		char c = *s;
		if (c == ' ' || c == '\t' || c == '\n') {
			if (have)
				ku_strv_push(words, ku_buf_str(&w));
			w.len = 0, have = 0;
			if (w.s)
				w.s[0] = 0;
			s++;
		} else if (c == ';' || c == '|' || c == '&') {
			if (have)
				ku_strv_push(words, ku_buf_str(&w));
			w.len = 0, have = 0;
			if (w.s)
				w.s[0] = 0;
			size_t n = (s[1] == c && c != ';') ? 2 : 1;
			char op[3] = {c, n == 2 ? c : 0, 0};
			ku_strv_push(words, op);
			s += n;
		} else if (c == '\'') {
			const char *e = strchr(s + 1, '\'');
			size_t n = e ? (size_t)(e - s - 1) : strlen(s + 1);
			ku_buf_add(&w, s + 1, n);
			have = 1;
			s += n + 1 + (e != NULL);
		} else if (c == '"') {
			s++;
			while (*s && *s != '"') {
				if (*s == '\\' && s[1] && strchr("\"\\$`\n", s[1]))
					s++;
				ku_buf_putc(&w, *s++);
			}
			if (*s)
				s++;
			have = 1;
		} else if (c == '\\' && s[1]) {
			if (s[1] != '\n')
				ku_buf_putc(&w, s[1]);
			s += 2;
			have = 1;
		} else {
			ku_buf_putc(&w, c);
			have = 1;
			s++;
		}
	}
	if (have)
		ku_strv_push(words, ku_buf_str(&w));
	ku_buf_free(&w);
}

/* An -I/-include/... path from kbuild is relative to the build dir. */
static char *abs_in(const char *builddir, const char *p)
{
	if (p[0] == '/')
		return ku_strdup(p);
	if (p[0] == '.' && p[1] == '/')
		p += 2;
	return ku_path_join(builddir, p);
}

/* From `words` (a dry-run transcript), the compile command whose `-o` is obj. */
static int pick_command(const ku_strv *words, const char *obj, const char *builddir, ku_strv *args)
{
	for (size_t i = 0; i + 1 < words->n; i++) {
		if (strcmp(words->v[i], "-o") != 0 || strcmp(words->v[i + 1], obj) != 0)
			continue;
		size_t start = i, end = i;
		while (start > 0 && strcmp(words->v[start - 1], ";") && strcmp(words->v[start - 1], "&&"))
			start--;
		while (end < words->n && strcmp(words->v[end], ";") && strcmp(words->v[end], "&&"))
			end++;
		if (!ku_endswith(words->v[start], KCFG_CC) && !ku_endswith(words->v[start], "gcc"))
			continue;
		int has_c = 0;
		for (size_t k = start + 1; k < end; k++)
			has_c |= strcmp(words->v[k], "-c") == 0;
		if (!has_c)
			continue;
		for (size_t k = start + 1; k < end; k++) {
			const char *a = words->v[k];
			if (!strcmp(a, "-c") || ku_startswith(a, "-Wp,-MMD") || ku_startswith(a, "-Wp,-MD"))
				continue;
			if (!strcmp(a, "-o")) {
				k++;
				continue;
			}
			if (ku_endswith(a, ".c") && k + 1 == end)
				continue; /* the source itself */
			if ((!strcmp(a, "-I") || !strcmp(a, "-include") || !strcmp(a, "-isystem")) && k + 1 < end) {
				ku_strv_push(args, a);
				char *p = abs_in(builddir, words->v[++k]);
				ku_strv_push(args, p);
				free(p);
				continue;
			}
			if (ku_startswith(a, "-I") && a[2]) {
				char *p = abs_in(builddir, a + 2);
				ku_strv_pushf(args, "-I%s", p);
				free(p);
				continue;
			}
			ku_strv_push(args, a);
		}
		return 0;
	}
	/* Some kbuild rules show the command only inside `echo '...'` (external
	 * modules): split such a word again and look inside it. */
	char *needle = ku_printf(" -o %s ", obj);
	for (size_t i = 0; i < words->n; i++) {
		if (!strstr(words->v[i], needle))
			continue;
		ku_strv inner = {0};
		kcfg_shell_split(words->v[i], &inner);
		int found = 0;
		for (size_t k = 0; k + 1 < inner.n && !found; k++)
			found = !strcmp(inner.v[k], "-o") && !strcmp(inner.v[k + 1], obj);
		int rc = found && inner.n < words->n ? pick_command(&inner, obj, builddir, args) : -1;
		ku_strv_free(&inner);
		if (rc == 0) {
			free(needle);
			return 0;
		}
	}
	free(needle);
	return ku_err("kbuild gave no compile command for %s (is its Kconfig symbol enabled?)", obj);
}

/* The command of an object kbuild built, from its .<obj>.cmd file. */
static int cmd_file_args(const char *builddir, const char *obj, ku_strv *args)
{
	char *dir = ku_dirname(obj);
	char *cmd = ku_printf("%s/%s/.%s.cmd", builddir, dir, ku_basename(obj));
	ku_buf b = {0};
	int rc = -1;
	if (ku_read_file(cmd, &b) == 0) {
		char *nl = strchr(b.s, '\n');
		if (nl)
			*nl = 0;
		char *eq = strstr(b.s, ":= ");
		if (eq) {
			ku_strv words = {0};
			kcfg_shell_split(eq + 3, &words);
			rc = pick_command(&words, obj, builddir, args);
			ku_strv_free(&words);
		}
	}
	ku_buf_free(&b);
	free(dir), free(cmd);
	return rc;
}

/* Cache file format: one block per object: "@obj\n" then one arg per line.
 * m_dir: kbuild's M= (external module) or NULL. */
static int object_args(const kt_tree *t, const char *builddir, const char *m_dir,
		       const ku_strv *ext_config, const ku_strv *objects, ku_strv *args)
{
	kh_ctx *h = kh_new();
	kh_add_str(h, m_dir ? m_dir : "");
	for (size_t i = 0; ext_config && i < ext_config->n; i++)
		kh_add_str(h, ext_config->v[i]);
	if (m_dir) { /* an external module's own flags (ccflags-y) live in its Kbuild */
		char *kb = ku_path_join(m_dir, "Kbuild"), *mk = ku_path_join(m_dir, "Makefile");
		if (ku_is_file(kb))
			kh_add_file(h, kb);
		if (ku_is_file(mk))
			kh_add_file(h, mk);
		free(kb), free(mk);
	}
	for (size_t i = 0; i < objects->n; i++)
		kh_add_str(h, objects->v[i]);
	char hex[65];
	kh_final(h, hex);
	char *cdir = ku_path_join(builddir, KCFG_FLAGS_DIR);
	char *cfile = ku_printf("%s/%.16s", cdir, hex);
	ku_buf cached = {0};
	int rc = 0;
	if (ku_read_file(cfile, &cached) == 0) {
		size_t cur = (size_t)-1;
		for (char *l = cached.s, *nl; l && *l; l = nl ? nl + 1 : NULL) {
			nl = strchr(l, '\n');
			if (nl)
				*nl = 0;
			if (l[0] == '@') {
				cur++;
				continue;
			}
			if (cur < objects->n)
				ku_strv_push(&args[cur], l);
		}
		ku_buf_free(&cached);
		if (cur + 1 == objects->n)
			goto out;
		for (size_t i = 0; i < objects->n; i++)
			ku_strv_free(&args[i]); /* damaged cache entry: recompute */
	}
	ku_buf_free(&cached);

	ku_strv extra = {0};
	ku_strv_push(&extra, "-n");
	ku_strv_push(&extra, "V=1");
	if (m_dir)
		ku_strv_pushf(&extra, "M=%s", m_dir);
	/* An external module's own symbols are unknown to the tree's .config:
	 * kbuild gets them as variables (obj-$(CONFIG_X)), the compiler as
	 * defines (#ifdef CONFIG_X), as `make M=... CONFIG_X=m` users do. */
	for (size_t i = 0; ext_config && i < ext_config->n; i++)
		ku_strv_push(&extra, ext_config->v[i]);
	for (size_t i = 0; i < objects->n; i++)
		ku_strv_push(&extra, objects->v[i]);
	ku_buf out = {0};
	int lfd = lock_builddir(builddir);
	rc = run_make(t, builddir, (const char *const *)extra.v, &out, "-n V=1 <objects>");
	ku_strv_free(&extra);
	if (rc == 0) {
		ku_strv words = {0};
		kcfg_shell_split(ku_buf_str(&out), &words);
		ku_buf save = {0};
		for (size_t i = 0; i < objects->n && rc == 0; i++) {
			char *o = m_dir ? ku_path_join(m_dir, objects->v[i]) : ku_strdup(objects->v[i]);
			/* An object kbuild already built (an import, see kcfg_build_objects)
			 * is not in a dry run: its .cmd file records the command. */
			if (m_dir || cmd_file_args(builddir, o, &args[i]) != 0)
				rc = pick_command(&words, o, builddir, &args[i]);
			for (size_t k = 0; rc == 0 && ext_config && k < ext_config->n; k++) {
				const char *eq = strchr(ext_config->v[k], '=');
				if (!eq || (strcmp(eq, "=y") && strcmp(eq, "=m")))
					continue;
				ku_strv_pushf(&args[i], "-D%.*s%s=1", (int)(eq - ext_config->v[k]),
					      ext_config->v[k], eq[1] == 'm' ? "_MODULE" : "");
			}
			free(o);
			ku_buf_printf(&save, "@%s\n", objects->v[i]);
			for (size_t k = 0; k < args[i].n; k++)
				ku_buf_printf(&save, "%s\n", args[i].v[k]);
		}
		if (rc == 0 && ku_mkdir_p(cdir) == 0)
			ku_write_file(cfile, ku_buf_str(&save), save.len);
		ku_buf_free(&save);
		ku_strv_free(&words);
	}
	if (lfd >= 0)
		close(lfd);
	ku_buf_free(&out);
out:
	free(cdir), free(cfile);
	return rc;
}

int kcfg_object_args(const kt_tree *t, const char *builddir, const ku_strv *objects, ku_strv *args)
{
	return object_args(t, builddir, NULL, NULL, objects, args);
}

int kcfg_external_args(const kt_tree *t, const char *builddir, const char *ext_dir,
		       const ku_strv *ext_config, const ku_strv *objects, ku_strv *args)
{
	/* A private copy per source dir: kbuild may create files beside M=. */
	kh_ctx *h = kh_new();
	kh_add_str(h, ext_dir);
	char hex[65];
	kh_final(h, hex);
	char *copy = ku_printf("%s/.kpiport-ext/%.16s/%s", builddir, hex, ku_basename(ext_dir));
	ku_rm_rf(copy);
	int rc = ku_mkdir_p(copy);
	if (rc == 0) {
		char *src = ku_printf("%s/.", ext_dir);
		const char *argv[] = {"cp", "-R", src, copy, NULL};
		kproc_cmd c = {.argv = argv};
		if (kproc_run(&c) != 0)
			rc = ku_err("cannot copy %s into %s", ext_dir, copy);
		free(src);
	}
	if (rc == 0)
		rc = object_args(t, builddir, copy, ext_config, objects, args);
	free(copy);
	return rc;
}

void kcfg_build_objects(const kt_tree *t, const char *builddir, const ku_strv *objects, int par)
{
	ku_strv extra = {0};
	ku_strv_push(&extra, "-k");
	ku_strv_pushf(&extra, "-j%d", par > 0 ? par : kproc_ncpus());
	size_t todo = 0;
	for (size_t i = 0; i < objects->n; i++) {
		/* The tree never changes under a build dir: a built object stays built,
		 * and even asking make costs a second. */
		char *o = ku_path_join(builddir, objects->v[i]);
		if (!ku_exists(o)) {
			ku_strv_push(&extra, objects->v[i]);
			todo++;
		}
		free(o);
	}
	if (!todo) {
		ku_strv_free(&extra);
		return;
	}
	int lfd = lock_builddir(builddir);
	if (run_make(t, builddir, (const char *const *)extra.v, NULL, "<imported objects>") != 0)
		ku_log("kbuild could not build every imported object: %s", ku_lasterr());
	if (lfd >= 0)
		close(lfd);
	ku_strv_free(&extra);
}
