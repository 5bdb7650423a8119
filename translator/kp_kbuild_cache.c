/* kp_kbuild_cache.c: the tree's kbuild index kept between runs (see
 * kb_index_open in kp_kbuild.h).  Walking every directory and Makefile of a
 * tree costs a quarter of a second on each port; the index read back and
 * checked against the stamps of what its walk read (kp_stamp) costs a
 * fraction of that.  Cache file: <cache>/treeindex/<key>.tsv, keyed by
 * kpiport itself, the tree's path and the architecture; written atomically,
 * and a stale, foreign or unreadable file is simply rebuilt. */
#define _GNU_SOURCE
#include "kp_kbuild_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KB_CACHE_FORMAT "kb-index-1"

/* The cache file is lines of tab-separated fields (a tenth of the time
 * JSON takes to read back for the 14,000 entries of a tree):
 * after kp_stamp's header (kb-index-1 TREE SRCARCH) and stamps:
 *   F DIR MAKEFILE                     an indexed file, numbered from 0
 *   E NAME OBJ SYMBOL FILE LINE        obj-... += NAME.o (SYMBOL "" for y/m)
 *   M COMPOSITE OBJ FILE               a composite's member
 *   D PATH SYMBOL                      obj-... += PATH/ */
static int clean(const char *s) { return s && !strpbrk(s, "\t\n"); }

static void save(const kst_cache *c, const kb_index *ix, const char *header)
{
	ku_buf b = {0};
	int ok = 1;
	for (size_t i = 0; i < ix->dirs.n; i++) {
		ok &= clean(ix->dirs.v[i]) && clean(ix->makefiles.v[i]);
		ku_buf_printf(&b, "F\t%s\t%s\n", ix->dirs.v[i], ix->makefiles.v[i]);
	}
	for (size_t i = 0; i < ix->nent; i++) {
		const kb_entry *e = &ix->ent[i];
		ok &= clean(e->name) && clean(e->obj) && (!e->symbol || (clean(e->symbol) && e->symbol[0]));
		ku_buf_printf(&b, "E\t%s\t%s\t%s\t%d\t%d\n", e->name, e->obj, e->symbol ? e->symbol : "", e->file,
			      e->line);
	}
	for (size_t i = 0; i < ix->nmem; i++) {
		ok &= clean(ix->mem[i].composite) && clean(ix->mem[i].obj);
		ku_buf_printf(&b, "M\t%s\t%s\t%d\n", ix->mem[i].composite, ix->mem[i].obj, ix->mem[i].file);
	}
	for (size_t i = 0; i < ix->nsub; i++) {
		const kb_subdir *d = &ix->sub[i];
		ok &= clean(d->path) && (!d->symbol || (clean(d->symbol) && d->symbol[0]));
		ku_buf_printf(&b, "D\t%s\t%s\n", d->path, d->symbol ? d->symbol : "");
	}
	if (ok)
		kst_write_entry(c, header, (kst_set *)&ix->stamps, ku_buf_str(&b));
	ku_buf_free(&b);
}

/* Splits line (in place) at tabs into at most max fields; their number. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	for (char *p = line; n < max;) {
		f[n++] = p;
		p = strchr(p, '\t');
		if (!p)
			break;
		*p++ = 0;
	}
	return n;
}

static int to_int(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	*out = (int)v;
	return *s && !*end && v >= 0 && v <= 1 << 30 ? 0 : -1;
}


static int load_line(kb_index *ix, char *line)
{
	char *f[6];
	int n = split(line, f, 6), file, ln;
	size_t nfiles = ix->dirs.n;
	if (n == 3 && !strcmp(f[0], "F")) {
		ku_strv_push(&ix->dirs, f[1]);
		ku_strv_push(&ix->makefiles, f[2]);
	} else if (n == 6 && !strcmp(f[0], "E") && to_int(f[4], &file) == 0 && (size_t)file < nfiles &&
		   to_int(f[5], &ln) == 0) {
		GROW(ix->ent, ix->nent, ix->capent);
		ix->ent[ix->nent++] = (kb_entry){ku_strdup(f[1]), ku_strdup(f[2]), f[3][0] ? ku_strdup(f[3]) : NULL,
						 file, ln};
	} else if (n == 4 && !strcmp(f[0], "M") && to_int(f[3], &file) == 0 && (size_t)file < nfiles) {
		GROW(ix->mem, ix->nmem, ix->capmem);
		ix->mem[ix->nmem++] = (kb_member){ku_strdup(f[1]), ku_strdup(f[2]), file};
	} else if (n == 3 && !strcmp(f[0], "D")) {
		GROW(ix->sub, ix->nsub, ix->capsub);
		ix->sub[ix->nsub++] = (kb_subdir){ku_strdup(f[1]), f[2][0] ? ku_strdup(f[2]) : NULL};
	} else {
		return -1;
	}
	return 0;
}

/* The index of a cache file still true of the tree, or NULL. */
static kb_index *load(const kst_cache *c, const char *tree, const char *header)
{
	ku_buf b = {0};
	char *body, *nl;
	kb_index *ix = NULL;
	if (!kst_read_entry(c, header, tree, &b, &body))
		goto out;
	ix = kb_index_new(tree);
	for (char *l = body; *l && (nl = strchr(l, '\n')); l = nl + 1) {
		*nl = 0;
		if (load_line(ix, l) != 0) {
			kb_index_free(ix);
			ix = NULL;
			goto out;
		}
	}
	if (ix->nent == 0) {
		kb_index_free(ix);
		ix = NULL;
	}
out:
	ku_buf_free(&b);
	return ix;
}

kb_index *kb_index_open(const char *tree, const char *srcarch, const kst_cache *cache)
{
	if (!ku_is_dir(tree)) {
		ku_err("%s: not a directory", tree);
		return NULL;
	}
	srcarch = srcarch ? srcarch : "x86";
	char *header = clean(tree) && clean(srcarch) ? ku_printf("%s\t%s\t%s", KB_CACHE_FORMAT, tree, srcarch)
						   : NULL;
	kb_index *ix = header ? load(cache, tree, header) : NULL;
	if (!ix) {
		ix = kb_index_new(tree);
		if (kb_index_walk(ix, srcarch) != 0) {
			kb_index_free(ix);
			ix = NULL;
		} else if (header) {
			save(cache, ix, header);
		}
	}
	free(header);
	return ix;
}
