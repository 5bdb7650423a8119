/* kp_kconfig_cache.c: a module's Kconfig fragment kept between runs (see
 * kc_fragment_of_tree in kp_kconfig.h).  Parsing a tree's 1,700 Kconfig
 * files costs about 0.2 s on each port and again on each reconfiguration;
 * the fragment read back and checked against the stamps of every file the
 * parse read (kp_stamp) costs a few milliseconds.  The entry (kp_stamp's
 * file, in <cache>/kconfig): after the header and the stamps, "L\tline" for each fragment line and "C\tentry" for each chain
 * entry. */
#define _GNU_SOURCE
#include "kp_kconfig_int.h"

#include <stdlib.h>
#include <string.h>

#define KC_CACHE_FORMAT "kc-fragment-1"

static int load(const kst_cache *c, const char *tree, const char *header, ku_strv *lines, ku_strv *chain)
{
	ku_buf b = {0};
	char *body, *nl;
	int ok = kst_read_entry(c, header, tree, &b, &body);
	for (char *l = ok ? body : ""; ok && *l; l = nl + 1) {
		if (!(nl = strchr(l, '\n')) || (l[0] != 'L' && l[0] != 'C') || l[1] != '\t') {
			ok = 0;
			break;
		}
		*nl = 0;
		ku_strv_push(l[0] == 'L' ? lines : chain, l + 2);
	}
	if (!ok)
		ku_strv_free(lines), ku_strv_free(chain);
	ku_buf_free(&b);
	return ok;
}

static void save(const kst_cache *c, kc_tree *kc, const char *header, const ku_strv *lines, const ku_strv *chain)
{
	ku_buf b = {0};
	int ok = 1;
	for (size_t i = 0; i < lines->n; i++)
		ok &= !strchr(lines->v[i], '\n'), ku_buf_printf(&b, "L\t%s\n", lines->v[i]);
	for (size_t i = 0; i < chain->n; i++)
		ok &= !strchr(chain->v[i], '\n'), ku_buf_printf(&b, "C\t%s\n", chain->v[i]);
	if (ok)
		kst_write_entry(c, header, &kc->stamps, ku_buf_str(&b));
	ku_buf_free(&b);
}

int kc_fragment_of_tree(const char *tree, const char *srcarch, const char *symbol, int as_module,
			const kst_cache *cache, ku_strv *lines, ku_strv *chain)
{
	srcarch = srcarch ? srcarch : "x86";
	char *header = NULL;
	if (!strpbrk(tree, "\t\n") && !strpbrk(symbol, "\t\n"))
		header = ku_printf("%s\t%s\t%s\t%s\t%d", KC_CACHE_FORMAT, tree, srcarch, symbol, as_module);
	if (header && load(cache, tree, header, lines, chain)) {
		free(header);
		return 0;
	}
	int rc;
	kc_tree *kc = kc_load(tree, srcarch);
	if (!kc)
		rc = -1;
	else if (!kc_exists(kc, symbol))
		rc = 1;
	else if ((rc = kc_fragment(kc, symbol, as_module, lines, chain)) == 0 && header)
		save(cache, kc, header, lines, chain);
	kc_free(kc);
	free(header);
	return rc;
}
