/* test_tree_cache.c: what kpiport keeps of a tree between runs, on copies
 * of the miniature trees in tests/unit/data/kbuild (argv[1]) and
 * tests/unit/data/kconfig (argv[2]).  The kbuild index
 * (translator/kp_kbuild_cache.c) read back equals the one built; a cache
 * file is really read; a changed Makefile, a new directory and a damaged
 * cache file each make kpiport walk the tree again.  The same for a Kconfig
 * fragment (kp_kconfig_cache.c) and a changed Kconfig file, and the stamp
 * rules for `source` globs (kp_stamp).  Given a Linux tree (argv[3]), the
 * kbuild index of the real tree too. */
#define _GNU_SOURCE
#include "kp_kbuild_int.h"
#include "kp_kconfig_int.h"
#include "ktest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *tree;

static int same_str(const char *a, const char *b) { return (!a && !b) || (a && b && !strcmp(a, b)); }

/* Every field of two indexes equal?  Reports the first difference. */
static int same_index(const kb_index *a, const kb_index *b)
{
	if (a->nent != b->nent || a->nmem != b->nmem || a->nsub != b->nsub || a->dirs.n != b->dirs.n) {
		fprintf(stderr, "sizes differ: %zu/%zu entries %zu/%zu members %zu/%zu subdirs %zu/%zu files\n",
			a->nent, b->nent, a->nmem, b->nmem, a->nsub, b->nsub, a->dirs.n, b->dirs.n);
		return 0;
	}
	for (size_t i = 0; i < a->dirs.n; i++)
		if (strcmp(a->dirs.v[i], b->dirs.v[i]) || strcmp(a->makefiles.v[i], b->makefiles.v[i]))
			return fprintf(stderr, "file %zu differs\n", i), 0;
	for (size_t i = 0; i < a->nent; i++) {
		const kb_entry *x = &a->ent[i], *y = &b->ent[i];
		if (strcmp(x->name, y->name) || strcmp(x->obj, y->obj) || !same_str(x->symbol, y->symbol) ||
		    x->file != y->file || x->line != y->line)
			return fprintf(stderr, "entry %zu (%s) differs\n", i, x->name), 0;
	}
	for (size_t i = 0; i < a->nmem; i++)
		if (strcmp(a->mem[i].composite, b->mem[i].composite) || strcmp(a->mem[i].obj, b->mem[i].obj) ||
		    a->mem[i].file != b->mem[i].file)
			return fprintf(stderr, "member %zu differs\n", i), 0;
	for (size_t i = 0; i < a->nsub; i++)
		if (strcmp(a->sub[i].path, b->sub[i].path) || !same_str(a->sub[i].symbol, b->sub[i].symbol))
			return fprintf(stderr, "subdir %zu differs\n", i), 0;
	return 1;
}

static int has_module(const kb_index *ix, const char *name)
{
	for (size_t i = 0; i < ix->nent; i++)
		if (!strcmp(ix->ent[i].name, name))
			return 1;
	return 0;
}

/* The one cache file of a kind in the test's cache dir. */
static char *cache_file(const char *cache, const char *kind)
{
	char *cmd = ku_printf("ls %s/%s/*", cache, kind);
	FILE *p = popen(cmd, "r");
	char line[4096] = "";
	if (p && !fgets(line, sizeof line, p))
		line[0] = 0;
	if (p)
		pclose(p);
	free(cmd);
	line[strcspn(line, "\n")] = 0;
	return line[0] ? ku_strdup(line) : NULL;
}

static void append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");
	CHECK(f != NULL);
	if (f)
		fputs(text, f), fclose(f);
}

static int lines_equal(const ku_strv *a, const ku_strv *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], b->v[i]))
			return 0;
	return 1;
}

/* kc_fragment_of_tree against kc_fragment on a copy of the Kconfig tree. */
static void test_kconfig(const char *data, const char *top, const char *cache)
{
	char *kt = ku_path_join(top, "kconfig");
	char *kcdir = ku_path_join(cache, "kconfig");
	kst_cache kcc = {.dir = kcdir, .self = "test"};
	char *cmd = ku_printf("cp -a '%s' '%s'", data, kt);
	CHECK(system(cmd) == 0);
	free(cmd);
	kc_tree *kc = kc_load(kt, "x86");
	CHECK(kc != NULL);
	ku_strv want = {0}, wchain = {0}, got = {0}, gchain = {0};
	CHECK(kc && kc_fragment(kc, "DRV_A", 1, &want, &wchain) == 0);
	kc_free(kc);
	CHECK(kc_fragment_of_tree(kt, "x86", "DRV_A", 1, &kcc, &got, &gchain) == 0); /* parses, keeps */
	CHECK(lines_equal(&want, &got) && lines_equal(&wchain, &gchain));
	ku_strv_free(&got), ku_strv_free(&gchain);
	CHECK(kc_fragment_of_tree(kt, "x86", "DRV_A", 1, &kcc, &got, &gchain) == 0); /* reads back */
	CHECK(lines_equal(&want, &got) && lines_equal(&wchain, &gchain));
	ku_strv_free(&got), ku_strv_free(&gchain);
	CHECK(kc_fragment_of_tree(kt, "x86", "NO_SUCH_SYMBOL", 1, &kcc, &got, &gchain) == 1);

	/* The file is what was read: a planted line shows. */
	char *file = cache_file(cache, "kconfig");
	CHECK(file != NULL);
	if (file) {
		append(file, "L\tCONFIG_PLANTED=y\n");
		CHECK(kc_fragment_of_tree(kt, "x86", "DRV_A", 1, &kcc, &got, &gchain) == 0);
		CHECK(got.n == want.n + 1 && !strcmp(got.v[got.n - 1], "CONFIG_PLANTED=y"));
		ku_strv_free(&got), ku_strv_free(&gchain);
	}
	/* A Kconfig file read by the parse changes: parsed again. */
	char *net = ku_path_join(kt, "drivers/net/Kconfig");
	append(net, "\nconfig LATE_ADDED\n\ttristate \"late\"\n\tdepends on DRV_A\n");
	CHECK(kc_fragment_of_tree(kt, "x86", "DRV_A", 1, &kcc, &got, &gchain) == 0);
	CHECK(lines_equal(&want, &got));
	ku_strv_free(&got), ku_strv_free(&gchain);
	CHECK(kc_fragment_of_tree(kt, "x86", "LATE_ADDED", 1, &kcc, &got, &gchain) == 0);
	CHECK(got.n > 0 && !strcmp(got.v[got.n - 1], "CONFIG_LATE_ADDED=m"));
	ku_strv_free(&got), ku_strv_free(&gchain);
	ku_strv_free(&want), ku_strv_free(&wchain);
	free(net), free(file), free(kt), free(kcdir);
}

/* The stamps a parse leaves (text copied), or NULL when they are unusable. */
static char *parse_stamps(const char *kt)
{
	kc_tree *kc = kc_load(kt, "x86");
	CHECK(kc != NULL);
	const char *t = kc ? kst_text(&((struct kc_tree *)kc)->stamps) : NULL;
	char *copy = t ? ku_strdup(t) : NULL;
	kc_free(kc);
	return copy;
}

/* Stamps of `source` patterns: a one-level glob's dir, a missing file's
 * nearest dir; a two-level glob makes the set unusable. */
static void test_source_stamps(const char *top)
{
	char *kt = ku_path_join(top, "globs");
	char *a = ku_path_join(kt, "sub/a");
	CHECK(ku_mkdir_p(a) == 0);
	char *root = ku_path_join(kt, "Kconfig"), *ka = ku_path_join(a, "Kconfig");
	const char *text = "source \"sub/*/Kconfig\"\nosource \"missing/dir/Kconfig\"\n";
	CHECK(ku_write_file(root, text, strlen(text)) == 0);
	CHECK(ku_write_file(ka, "config GLOBBED\n\tbool \"g\"\n", 25) == 0);
	char *st = parse_stamps(kt);
	CHECK(st != NULL && kst_unchanged(kt, st));
	/* A new dir matching the glob: the listing of sub/ changed. */
	char *b = ku_path_join(kt, "sub/b"), *kb = ku_path_join(b, "Kconfig");
	CHECK(ku_mkdir_p(b) == 0);
	CHECK(ku_write_file(kb, "config GLOBBED_TOO\n\tbool \"g\"\n", 29) == 0);
	CHECK(st != NULL && !kst_unchanged(kt, st));
	free(st);
	/* The optional file appears: its nearest existing dir (the root) changed. */
	st = parse_stamps(kt);
	CHECK(st != NULL && kst_unchanged(kt, st));
	char *m = ku_path_join(kt, "missing/dir"), *km = ku_path_join(m, "Kconfig");
	CHECK(ku_mkdir_p(m) == 0);
	CHECK(ku_write_file(km, "config APPEARED\n\tbool \"a\"\n", 26) == 0);
	CHECK(st != NULL && !kst_unchanged(kt, st));
	free(st);
	/* Wildcards in two components: no usable stamps. */
	const char *two = "osource \"sub/*/x/*/Kconfig\"\nsource \"sub/a/Kconfig\"\n";
	CHECK(ku_write_file(root, two, strlen(two)) == 0);
	st = parse_stamps(kt);
	CHECK(st == NULL);
	free(st);
	CHECK(!kst_unchanged(kt, NULL));
	free(a), free(root), free(ka), free(b), free(kb), free(m), free(km), free(kt);
}

/* On a real tree (argv[3], label real): the index read back equals the
 * one built, every one of its entries (Makefiles of every shape). */
static void test_real(const char *real, const char *top)
{
	char *dir = ku_path_join(top, "real-cache");
	kst_cache c = {.dir = dir, .self = "test"};
	kb_index *built = kb_index_build(real, "x86");
	kb_index *first = kb_index_open(real, "x86", &c);
	kb_index *again = kb_index_open(real, "x86", &c);
	CHECK(built && first && again);
	if (built && again) {
		CHECK(kb_index_size(built) > 10000);
		CHECK(same_index(built, again));
	}
	kb_index_free(built), kb_index_free(first), kb_index_free(again);
	free(dir);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: test_tree_cache KBUILD_DATA_DIR KCONFIG_DATA_DIR [LINUX_TREE]\n");
		return 2;
	}
	char tmpl[] = "/tmp/kbcache-XXXXXX";
	char *top = mkdtemp(tmpl);
	CHECK(top != NULL);
	if (!top)
		return KTEST_DONE();
	tree = ku_path_join(top, "tree");
	char *cache = ku_path_join(top, "cache");
	char *cmd = ku_printf("cp -a '%s' '%s'", argv[1], tree);
	CHECK(system(cmd) == 0);
	free(cmd);
	char *kbdir = ku_path_join(cache, "treeindex");
	kst_cache kbc = {.dir = kbdir, .self = "test"};

	kb_index *built = kb_index_build(tree, "x86");
	kb_index *first = kb_index_open(tree, "x86", &kbc);  /* walks, keeps */
	kb_index *again = kb_index_open(tree, "x86", &kbc);  /* reads back */
	CHECK(built && first && again);
	char *file = cache_file(cache, "treeindex");
	CHECK(file != NULL);
	if (built && first && again && file) {
		CHECK(same_index(built, first));
		CHECK(same_index(built, again));

		/* The file is what the second open read: a line added to it shows. */
		append(file, "E\tplanted\tdrivers/net/planted.o\tPLANTED\t0\t1\n");
		kb_index *planted = kb_index_open(tree, "x86", &kbc);
		CHECK(planted && has_module(planted, "planted"));
		kb_index_free(planted);

		/* A Makefile changed since: walked again, the change seen. */
		char *mk = ku_path_join(tree, "drivers/net/Makefile");
		append(mk, "obj-$(CONFIG_ADDED) += added.o\n");
		kb_index *changed = kb_index_open(tree, "x86", &kbc);
		CHECK(changed && has_module(changed, "added") && !has_module(changed, "planted"));
		kb_index_free(changed);
		free(mk);

		/* A new directory with a Makefile, its parent unchanged otherwise. */
		char *sub = ku_path_join(tree, "drivers/newdir");
		CHECK(mkdir(sub, 0755) == 0);
		char *submk = ku_path_join(sub, "Makefile");
		append(submk, "obj-$(CONFIG_NEWDIR) += newmod.o\n");
		kb_index *grown = kb_index_open(tree, "x86", &kbc);
		CHECK(grown && has_module(grown, "newmod"));
		kb_index_free(grown);
		free(sub), free(submk);

		/* A damaged cache file: rebuilt, same as a fresh walk. */
		CHECK(ku_write_file(file, "kb-index-1\tgarbage\n\n\tE\n", 21) == 0);
		kb_index *fresh = kb_index_build(tree, "x86");
		kb_index *repaired = kb_index_open(tree, "x86", &kbc);
		CHECK(fresh && repaired && same_index(fresh, repaired));
		kb_index_free(fresh), kb_index_free(repaired);
	}
	kb_index_free(built), kb_index_free(first), kb_index_free(again);
	free(file);
	test_kconfig(argv[2], top, cache);
	test_source_stamps(top);
	if (argc > 3) {
		if (!ku_is_dir(argv[3])) {
			fprintf(stderr, "%s: no Linux tree: skipped\n", argv[3]);
			ku_rm_rf(top);
			return 77;
		}
		test_real(argv[3], top);
	}
	CHECK(ku_rm_rf(top) == 0);
	free(tree), free(cache), free(kbdir);
	return KTEST_DONE();
}
