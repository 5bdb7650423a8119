/* kp_driver.c: the kbuild stage (see kp_driver.h): the tree, the module
 * and its gating symbol, external modules, companion modules. */
#define _GNU_SOURCE
#include "kp_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void kdrv_free(kdrv_driver *d)
{
	kt_close(&d->tree);
	if (d->module)
		kb_module_free(d->module);
	free(d->dir), free(d->ext_dir);
	ku_strv_free(&d->companions);
	kb_index_free(d->index);
	memset(d, 0, sizeof *d);
}

/* The first `config SYMBOL` of an external module's Kconfig, or NULL. */
static char *first_config_symbol(const char *kconfig)
{
	ku_buf b = {0};
	char *sym = NULL;
	if (ku_read_file(kconfig, &b) == 0)
		for (char *l = b.s, *nl; l && *l && !sym; l = nl ? nl + 1 : NULL) {
			nl = strchr(l, '\n');
			if (nl)
				*nl = 0;
			char *t = ku_trim(l);
			if (ku_startswith(t, "config ") || ku_startswith(t, "menuconfig "))
				sym = ku_strdup(ku_trim(strchr(t, ' ')));
		}
	ku_buf_free(&b);
	return sym;
}

/* DRIVER names a directory (or a .c in one) outside the tree that has its
 * own Kbuild/Makefile: an external module, as kbuild's M= builds them. Its
 * Kconfig file names its symbol and `depends on`, so the config stage can
 * enable what it needs.  Returns 1 when it is one, 0 when not, -1 on error. */
static int external_module(kdrv_driver *p, const char *driver)
{
	char *arg = ku_realpath(driver);
	if (!arg)
		return 0;
	char *dir = ku_is_dir(arg) ? ku_strdup(arg) : ku_dirname(arg);
	char *in_tree = ku_relpath_in(p->tree.root, dir);
	char *kbuild = ku_path_join(dir, "Kbuild"), *mk = ku_path_join(dir, "Makefile");
	char *kconfig = ku_path_join(dir, "Kconfig");
	int rc = 0;
	char *sym = NULL;
	if (in_tree || (!ku_is_file(kbuild) && !ku_is_file(mk)))
		goto out;
	rc = 1;
	ku_buf text = {0};
	ku_read_file(ku_is_file(kbuild) ? kbuild : mk, &text);
	ku_strv names = {0};
	kb_list_modules(ku_buf_str(&text), &names);
	char *parent = ku_dirname(dir);
	if (names.n != 1)
		rc = ku_err("%s: an external driver dir must build exactly one module (obj-m += NAME.o); "
			    "found %zu", ku_is_file(kbuild) ? kbuild : mk, names.n);
	else if (kb_module_from_makefile(parent, ku_basename(dir), text.s, names.v[0], &p->module) != 0)
		rc = -1;
	else if (!(sym = first_config_symbol(kconfig)))
		rc = ku_err("%s: an external driver needs a Kconfig file with its `config SYMBOL` and "
			    "`depends on`, so kpiport knows what to enable", kconfig);
	if (rc == 1) {
		p->ext_dir = ku_strdup(dir);
		p->dir = ku_strdup(dir);
		free(p->module->symbol);
		p->module->symbol = sym;
		sym = NULL;
	}
	free(sym);
	free(parent);
	ku_strv_free(&names);
	ku_buf_free(&text);
out:
	free(arg), free(dir), free(in_tree), free(kbuild), free(mk), free(kconfig);
	return rc;
}

kb_index *kdrv_index(const kt_tree *t)
{
	kst_cache c = kt_stamp_cache("treeindex");
	kb_index *ix = kb_index_open(t->root, t->srcarch, &c);
	kt_stamp_cache_free(&c);
	return ix;
}

int kdrv_find(const char *driver, const char *linux_dir, kdrv_driver *p)
{
	memset(p, 0, sizeof *p);
	char *root = kt_choose(linux_dir);
	int rc = kt_open(root, &p->tree);
	free(root);
	if (rc != 0)
		return -1;
	rc = external_module(p, driver);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	kb_index *ix = kdrv_index(&p->tree);
	if (!ix)
		return -1;
	char cwd[4096];
	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, ".");
	rc = kb_resolve(ix, p->tree.root, driver, cwd, &p->module);
	if (rc == 0) {
		ku_strv names = {0};
		kb_companions(ix, p->module, &names);
		for (size_t i = 0; i < names.n; i++) {
			char *c = ku_printf("%s/%s.c", p->module->dir, names.v[i]);
			char *abs = ku_path_join(p->tree.root, c);
			if (ku_is_file(abs))
				ku_strv_push(&p->companions, c);
			free(c), free(abs);
		}
		ku_strv_free(&names);
	}
	p->index = ix; /* the resolve stage asks it again (kdrv_free frees it) */
	if (rc != 0)
		return -1;
	if (!p->module->symbol)
		return ku_err("%s: module %s is built in unconditionally (obj-y); kpiport ports "
			      "modules gated by a Kconfig symbol", p->module->makefile, p->module->name);
	p->dir = ku_path_join(p->tree.root, p->module->dir);
	return 0;
}

