/* kp_configure.c: the config stage (see kp_configure.h): Kconfig chain ->
 * fragment -> cached kernel build dir -> the objects it builds and their
 * kbuild flags. */
#define _GNU_SOURCE
#include "kp_configure.h"
#include "kp_config.h"
#include "kp_kconfig.h"
#include "kp_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void kconf_free(kconf_config *c)
{
	free(c->fragment);
	ku_strv_free(&c->chain);
	free(c->builddir);
	ku_strv_free(&c->ext_config);
	for (size_t i = 0; c->args && i < c->objects.n; i++)
		ku_strv_free(&c->args[i]);
	free(c->args);
	ku_strv_free(&c->objects);
	ku_strv_free(&c->sources);
	memset(c, 0, sizeof *c);
}

static kc_tree *load_kconfig(const kdrv_driver *p)
{
	if (!p->ext_dir)
		return kc_load(p->tree.root, p->tree.srcarch);
	/* The tree's Kconfig plus the external module's, as one menu. */
	char *cache = kt_cache_dir();
	char *root = ku_printf("%s/kconfig-ext-%ld", cache, (long)getpid());
	char *text = ku_printf("source \"Kconfig\"\nsource \"%s/Kconfig\"\n", p->ext_dir);
	kc_tree *kc = NULL;
	if (ku_mkdir_p(cache) == 0 && ku_write_file(root, text, strlen(text)) == 0)
		kc = kc_load_file(p->tree.root, root, p->tree.srcarch);
	unlink(root);
	free(cache), free(root), free(text);
	return kc;
}

/* Is a fragment line ("CONFIG_X=y") about a symbol of the external
 * module's own Kconfig (rather than the tree's)? */
static int ext_symbol_line(const kc_tree *kc, const char *ext_dir, const char *line)
{
	if (!ku_startswith(line, "CONFIG_"))
		return 0;
	const char *eq = strchr(line, '=');
	char *sym = eq ? ku_strndup(line + 7, (size_t)(eq - line - 7)) : NULL;
	const char *where = sym ? kc_where(kc, sym) : NULL;
	char *rel = where && where[0] == '/' ? ku_relpath_in(ext_dir, where) : NULL;
	int yes = rel != NULL;
	free(sym), free(rel);
	return yes;
}

/* The value an external module's own symbol got ("y", "m"), or NULL. */
static char *ext_value(const kconf_config *p, const char *sym)
{
	char *key = ku_printf("CONFIG_%s=", sym);
	char *v = NULL;
	for (size_t i = 0; i < p->ext_config.n && !v; i++)
		if (ku_startswith(p->ext_config.v[i], key))
			v = ku_strdup(p->ext_config.v[i] + strlen(key));
	free(key);
	return v;
}

int kconf_configure(const kdrv_driver *d, const ku_strv *extra, int jobs, kconf_config *p)
{
	memset(p, 0, sizeof *p);
	/* The tree's own Kconfig is parsed only when the cached fragment is
	 * stale or a failure needs explaining; an external module's always. */
	kc_tree *kc = d->ext_dir ? load_kconfig(d) : NULL;
	if (d->ext_dir && !kc)
		return -1;
	int rc = 0, found;
	ku_strv lines = {0};
	if (kc) {
		found = !kc_exists(kc, d->module->symbol) ? 1
			: kc_fragment(kc, d->module->symbol, 1, &lines, &p->chain);
	} else {
		kst_cache c = kt_stamp_cache("kconfig");
		found = kc_fragment_of_tree(d->tree.root, d->tree.srcarch, d->module->symbol, 1, &c, &lines,
					    &p->chain);
		kt_stamp_cache_free(&c);
	}
	if (found == 1) {
		rc = ku_err("%s:%d: module %s is gated by CONFIG_%s, which no Kconfig file defines",
			    d->module->makefile, d->module->line, d->module->name, d->module->symbol);
		goto out;
	}
	if (found != 0) {
		ku_strv_free(&lines);
		rc = -1;
		goto out;
	}
	ku_buf frag = {0};
	ku_buf_puts(&frag, kcfg_base_fragment);
	for (size_t i = 0; i < lines.n; i++)
		if (d->ext_dir && ext_symbol_line(kc, d->ext_dir, lines.v[i]))
			ku_strv_push(&p->ext_config, lines.v[i]); /* the tree has no such symbol */
		else
			ku_buf_printf(&frag, "%s\n", lines.v[i]);
	for (size_t i = 0; extra && i < extra->n; i++)
		ku_buf_printf(&frag, "%s\n", extra->v[i]);
	ku_strv_free(&lines);
	p->fragment = ku_strdup(ku_buf_str(&frag));
	ku_buf_free(&frag);
	if (kcfg_builddir(&d->tree, p->fragment, jobs, &p->builddir) != 0) {
		rc = -1;
		goto out;
	}
	char *val = d->ext_dir ? ku_strdup("m") : kcfg_value(p->builddir, d->module->symbol);
	const char *miss = NULL;
	if (d->ext_dir) { /* only its dependencies can be checked in .config */
		char *dot = ku_path_join(p->builddir, ".config");
		ku_buf cfg = {0};
		ku_read_file(dot, &cfg);
		for (size_t i = 0; i < p->ext_config.n; i++) /* its own symbols live outside .config */
			ku_buf_printf(&cfg, "\n%s\n", p->ext_config.v[i]);
		miss = kc_first_missing(kc, d->module->symbol, ku_buf_str(&cfg));
		if (miss)
			rc = ku_err("%s/Kconfig: CONFIG_%s depends on %s, which did not end up enabled in %s",
				    d->ext_dir, d->module->symbol, miss, dot);
		ku_buf_free(&cfg);
		free(dot);
	} else if (!val || (strcmp(val, "m") && strcmp(val, "y"))) {
		if (!(kc = load_kconfig(d))) {
			free(val);
			rc = -1;
			goto out;
		}
		char *dot = ku_path_join(p->builddir, ".config");
		ku_buf cfg = {0};
		ku_read_file(dot, &cfg);
		const char *missing = kc_first_missing(kc, d->module->symbol, ku_buf_str(&cfg));
		if (kc_arch_symbol(kc, missing))
			rc = ku_err("not for %s: needs %s (CONFIG_%s depends on: %s; %s is the architecture's "
				    "to set)", kc_arch_name(kc), missing, d->module->symbol,
				    kc_depends(kc, d->module->symbol), missing);
		else
			rc = ku_err("CONFIG_%s did not end up enabled in %s (missing dependency: %s; "
			    "depends on: %s)", d->module->symbol, dot,
			    missing ? missing : "unknown", kc_depends(kc, d->module->symbol));
		ku_buf_free(&cfg);
		free(dot);
	}
	free(val);
	if (rc != 0)
		goto out;
	/* The objects a build with this config really compiles. */
	for (size_t i = 0; i < d->module->objects.n; i++)
		ku_strv_push(&p->objects, d->module->objects.v[i]);
	for (size_t i = 0; i < d->module->cond_objects.n; i++) {
		char *v = ext_value(p, d->module->cond_symbols.v[i]);
		if (!v)
			v = kcfg_value(p->builddir, d->module->cond_symbols.v[i]);
		if (v && (!strcmp(v, "y") || !strcmp(v, "m")))
			ku_strv_push(&p->objects, d->module->cond_objects.v[i]);
		free(v);
	}
	const char *base = d->ext_dir ? ku_dirname(d->ext_dir) : d->tree.root;
	for (size_t i = 0; i < p->objects.n; i++) {
		char *rel = ku_strndup(p->objects.v[i], strlen(p->objects.v[i]) - 2);
		char *c = ku_printf("%s/%s.c", base, rel);
		if (!ku_is_file(c))
			rc = ku_err("%s: object %s.o has no C source %s", d->module->makefile, rel, c);
		ku_strv_push(&p->sources, c);
		free(c), free(rel);
	}
	if (d->ext_dir)
		free((char *)base);
	if (rc == 0 && d->ext_dir) {
		ku_strv local = {0}; /* objects relative to the module dir, as M= wants them */
		for (size_t i = 0; i < p->objects.n; i++)
			ku_strv_push(&local, ku_basename(p->objects.v[i]));
		p->args = ku_calloc(p->objects.n + 1, sizeof *p->args);
		rc = kcfg_external_args(&d->tree, p->builddir, d->ext_dir, &p->ext_config, &local, p->args);
		ku_strv_free(&local);
	} else if (rc == 0) {
		p->args = ku_calloc(p->objects.n + 1, sizeof *p->args);
		rc = kcfg_object_args(&d->tree, p->builddir, &p->objects, p->args);
	}
	if (rc == 0) {
		char *net = kcfg_value(p->builddir, "NET");
		p->net = net && !strcmp(net, "y");
		free(net);
	}
out:
	kc_free(kc);
	return rc;
}

