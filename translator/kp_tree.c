/* kp_tree.c: locating and identifying the Linux tree; the cache dir. */
#define _GNU_SOURCE
#include "kp_tree.h"
#include "kp_hash.h"
#include "kp_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *kt_cache_dir(void)
{
	const char *c = getenv("KPIPORT_CACHE");
	if (c && *c)
		return ku_strdup(c);
	const char *x = getenv("XDG_CACHE_HOME");
	if (x && *x)
		return ku_path_join(x, "kpiport");
	const char *home = getenv("HOME");
	return ku_printf("%s/.cache/kpiport", home && *home ? home : "/tmp");
}

char *kt_choose(const char *arg)
{
	if (arg && *arg)
		return ku_strdup(arg);
	const char *env = getenv("KPIPORT_LINUX");
	if (env && *env)
		return ku_strdup(env);
	char *cache = kt_cache_dir();
	char *p = ku_path_join(cache, "linux-source-6.1");
	free(cache);
	return p;
}

/* Value of "NAME = value" in the top Makefile, or NULL. */
static char *make_var(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, name, n) != 0)
			continue;
		const char *p = l + n;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '=')
			continue;
		p++;
		const char *e = strchr(p, '\n');
		char *v = ku_strndup(p, e ? (size_t)(e - p) : strlen(p));
		char *t = ku_strdup(ku_trim(v));
		free(v);
		return t;
	}
	return NULL;
}

int kt_open(const char *path, kt_tree *t)
{
	memset(t, 0, sizeof *t);
	if (!ku_is_dir(path))
		return ku_err("Linux tree %s: no such directory (run tools/setup.sh for the default "
			      "tree, or give --linux DIR / KPIPORT_LINUX)", path);
	char *root = ku_realpath(path);
	char *mk = ku_path_join(root, "Makefile");
	char *kc = ku_path_join(root, "Kconfig");
	char *drv = ku_path_join(root, "drivers");
	ku_buf text = {0};
	int rc = 0;
	if (!ku_is_file(mk) || !ku_is_file(kc) || !ku_is_dir(drv) || ku_read_file(mk, &text) != 0) {
		rc = ku_err("%s is not a Linux source tree (no Makefile, Kconfig and drivers/ at its top)", root);
		goto out;
	}
	char *ver = make_var(text.s, "VERSION"), *pl = make_var(text.s, "PATCHLEVEL");
	char *sl = make_var(text.s, "SUBLEVEL"), *ex = make_var(text.s, "EXTRAVERSION");
	if (!ver || !pl) {
		rc = ku_err("%s: no VERSION/PATCHLEVEL: not a Linux top-level Makefile", mk);
	} else {
		t->version = ku_printf("%s.%s%s%s%s", ver, pl, sl && *sl ? "." : "", sl ? sl : "",
				       ex ? ex : "");
		t->root = ku_strdup(root);
		t->srcarch = ku_strdup("x86");
		kh_ctx *h = kh_new();
		kh_add_str(h, t->root);
		kh_add_str(h, t->version);
		kh_add(h, text.s, text.len);
		char hex[65];
		kh_final(h, hex);
		t->key = ku_strndup(hex, 16);
	}
	free(ver), free(pl), free(sl), free(ex);
out:
	ku_buf_free(&text);
	free(root), free(mk), free(kc), free(drv);
	return rc;
}

void kt_close(kt_tree *t)
{
	free(t->root), free(t->version), free(t->srcarch), free(t->key);
	memset(t, 0, sizeof *t);
}

kst_cache kt_stamp_cache(const char *kind)
{
	char *cache = kt_cache_dir();
	kst_cache c = {.dir = ku_path_join(cache, kind), .self = kh_self_id()};
	free(cache);
	return c;
}

void kt_stamp_cache_free(kst_cache *c)
{
	free((char *)c->dir);
	c->dir = NULL;
}
