/* test_kbuild.c: unit tests of translator/kp_kbuild.c on the miniature tree
 * in tests/unit/data/kbuild (argv[1]): Makefile syntax, composite objects,
 * the tree index and every way of naming a driver. */
#include "kp_kbuild.h"
#include "ktest.h"

#include <stdlib.h>

static const char *tree;

/* Resolves arg; returns the module or NULL (message in ku_lasterr()). */
static kb_module *resolve(kb_index *ix, const char *arg, const char *cwd)
{
	kb_module *m = NULL;
	if (kb_resolve(ix, tree, arg, cwd, &m) != 0)
		return NULL;
	return m;
}

static void check_resolves_to(kb_index *ix, const char *arg, const char *cwd, const char *name)
{
	kb_module *m = resolve(ix, arg, cwd);
	if (!m)
		fprintf(stderr, "resolving %s: %s\n", arg, ku_lasterr());
	CHECK(m != NULL);
	if (m)
		CHECK_STR(m->name, name);
	kb_module_free(m);
}

static void check_fails(kb_index *ix, const char *arg, const char *msg_part)
{
	kb_module *m = resolve(ix, arg, NULL);
	CHECK(m == NULL);
	kb_module_free(m);
	if (!strstr(ku_lasterr(), msg_part))
		fprintf(stderr, "resolving %s: message \"%s\" lacks \"%s\"\n", arg, ku_lasterr(), msg_part);
	CHECK(strstr(ku_lasterr(), msg_part) != NULL);
}

static void test_list_modules(void)
{
	const char *text = "# obj-m += commented.o\n"
			   "obj-$(CONFIG_A) += a.o sub/ \\\n"
			   "   b.o\n"
			   "obj-y\t+= c.o # d.o\n"
			   "obj-m := e.o a.o\n"
			   "a-objs := x.o\n"
			   "lib-y += notlisted.o\n";
	ku_strv names = {0};
	kb_list_modules(text, &names);
	CHECK_INT(names.n, 4);
	if (names.n == 4) {
		CHECK_STR(names.v[0], "a");
		CHECK_STR(names.v[1], "b");
		CHECK_STR(names.v[2], "c");
		CHECK_STR(names.v[3], "e");
	}
	ku_strv_free(&names);
}

static void test_module_from_makefile(void)
{
	ku_buf text = {0};
	char *path = ku_path_join(tree, "drivers/net/Makefile");
	CHECK(ku_read_file(path, &text) == 0);
	free(path);
	kb_module *m = NULL;

	/* simple module, continuation line, line number of the assignment */
	CHECK(kb_module_from_makefile(tree, "drivers/net", text.s, "baz", &m) == 0);
	if (m) {
		CHECK_STR(m->symbol, "BAR");
		CHECK_INT(m->line, 4);
		CHECK_STR(m->makefile, "drivers/net/Makefile");
		CHECK_INT(m->objects.n, 1);
		CHECK_STR(m->objects.v[0], "drivers/net/baz.o");
		CHECK_INT(m->sources.n, 0); /* baz.c does not exist */
	}
	kb_module_free(m);

	/* composite: -objs, -y, -$(CONFIG_OWN) count; -$(CONFIG_OTHER) is
	 * conditional, and so is -y inside ifneq ($(CONFIG_X),) or ifdef
	 * CONFIG_X (an inner block of another test keeps the outer symbol; an
	 * else branch counts unconditionally) */
	CHECK(kb_module_from_makefile(tree, "drivers/net", text.s, "multi", &m) == 0);
	if (m) {
		CHECK_STR(m->symbol, "MULTI");
		CHECK_STR(m->dir, "drivers/net");
		CHECK_INT(m->objects.n, 5);
		if (m->objects.n == 5) {
			CHECK_STR(m->objects.v[0], "drivers/net/multi_main.o");
			CHECK_STR(m->objects.v[1], "drivers/net/multi_hw.o");
			CHECK_STR(m->objects.v[2], "drivers/net/multi_extra.o");
			CHECK_STR(m->objects.v[3], "drivers/net/multi_self.o");
			CHECK_STR(m->objects.v[4], "drivers/net/multi_nohsa.o");
		}
		CHECK_INT(m->cond_objects.n, 4);
		CHECK_INT(m->cond_symbols.n, 4);
		if (m->cond_objects.n == 4) {
			CHECK_STR(m->cond_objects.v[0], "drivers/net/multi_debug.o");
			CHECK_STR(m->cond_symbols.v[0], "MULTI_DEBUG");
			CHECK_STR(m->cond_objects.v[1], "drivers/net/multi_hsa.o");
			CHECK_STR(m->cond_symbols.v[1], "MULTI_HSA");
			CHECK_STR(m->cond_objects.v[2], "drivers/net/multi_nested.o");
			CHECK_STR(m->cond_symbols.v[2], "MULTI_HSA");
			CHECK_STR(m->cond_objects.v[3], "drivers/net/multi_dbg2.o");
			CHECK_STR(m->cond_symbols.v[3], "MULTI_DBG2");
		}
		CHECK_INT(m->sources.n, 4);
		if (m->sources.n == 4)
			CHECK_STR(m->sources.v[1], "drivers/net/multi_hw.c");
	}
	kb_module_free(m);

	/* $(var) expansion in a composite list */
	CHECK(kb_module_from_makefile(tree, "drivers/net", text.s, "combo", &m) == 0);
	if (m) {
		CHECK_INT(m->objects.n, 3);
		if (m->objects.n == 3) {
			CHECK_STR(m->objects.v[0], "drivers/net/part_a.o");
			CHECK_STR(m->objects.v[2], "drivers/net/combo_main.o");
		}
		CHECK_INT(m->sources.n, 3);
	}
	kb_module_free(m);

	/* obj-y: no symbol; define blocks and comments are not assignments */
	CHECK(kb_module_from_makefile(tree, "drivers/net", text.s, "core", &m) == 0);
	if (m)
		CHECK(m->symbol == NULL);
	kb_module_free(m);
	/* a backslash on the file's last line */
	CHECK(kb_module_from_makefile(tree, "drivers/net", "obj-m += t.o\nt-objs := \\\n\ta.o \\\n\tb.o \\",
				      "t", &m) == 0);
	if (m) {
		CHECK_INT(m->objects.n, 2);
		if (m->objects.n == 2)
			CHECK_STR(m->objects.v[1], "drivers/net/b.o");
	}
	kb_module_free(m);
	CHECK(kb_module_from_makefile(tree, "drivers/net", text.s, "indefine", &m) == -1);
	CHECK(m == NULL);
	CHECK(kb_module_from_makefile(tree, "drivers/net", text.s, "commented", &m) == -1);
	CHECK(kb_module_from_makefile(tree, "drivers/net", text.s, "notamodule", &m) == -1);
	CHECK(strstr(ku_lasterr(), "drivers/net/Makefile") != NULL);
	ku_buf_free(&text);
}

static void test_index(void)
{
	kb_index *ix = kb_index_build(tree, "x86");
	CHECK(ix != NULL);
	if (!ix)
		return;
	/* drivers/net: foonet bar helper baz loner core multi combo = 8,
	 * misc: core widget gadget1 gadget2, two (Kbuild only), sub: deepmod, x86thing */
	CHECK_INT(kb_index_size(ix), 15);

	/* by name, by symbol with and without CONFIG_, - and _ alike */
	check_resolves_to(ix, "foonet", NULL, "foonet");
	check_resolves_to(ix, "CONFIG_FOO_NET", NULL, "foonet");
	check_resolves_to(ix, "FOO_NET", NULL, "foonet");
	check_resolves_to(ix, "x86thing", NULL, "x86thing");
	check_resolves_to(ix, "two", NULL, "two");
	check_resolves_to(ix, "CONFIG_TWO", NULL, "two");

	/* by path: tree-relative, absolute, cwd-relative, a composite's part
	 * (also a conditional one and one in a subdirectory) */
	check_resolves_to(ix, "drivers/net/foonet.c", NULL, "foonet");
	char *abs = ku_path_join(tree, "drivers/net/multi_hw.c");
	check_resolves_to(ix, abs, NULL, "multi");
	free(abs);
	char *cwd = ku_path_join(tree, "drivers");
	check_resolves_to(ix, "net/combo_main.c", cwd, "combo");
	check_resolves_to(ix, "two", cwd, "two");
	check_resolves_to(ix, "two/", cwd, "two");
	free(cwd);
	check_resolves_to(ix, "drivers/net/multi_debug.c", NULL, "multi");
	check_resolves_to(ix, "drivers/sub/deep/deep_util.c", NULL, "deepmod");
	check_resolves_to(ix, "drivers/sub", NULL, "deepmod");
	check_resolves_to(ix, "drivers/net/helper.c", NULL, "helper");

	/* the full module from the index */
	kb_module *m = resolve(ix, "deepmod", NULL);
	CHECK(m != NULL);
	if (m) {
		CHECK_STR(m->makefile, "drivers/sub/Makefile");
		CHECK_STR(m->symbol, "DEEPMOD");
		CHECK_INT(m->sources.n, 2);
		if (m->sources.n == 2)
			CHECK_STR(m->sources.v[0], "drivers/sub/deep/deep_main.c");
	}
	kb_module_free(m);

	/* companions: the other modules on the same obj- line */
	m = resolve(ix, "bar", NULL);
	CHECK(m != NULL);
	if (m) {
		ku_strv comp = {0};
		kb_companions(ix, m, &comp);
		CHECK_INT(comp.n, 2);
		if (comp.n == 2) {
			CHECK_STR(comp.v[0], "helper");
			CHECK_STR(comp.v[1], "baz");
		}
		ku_strv_free(&comp);
	}
	kb_module_free(m);

	/* one line, several modules: the one named like the symbol, else ambiguous */
	check_resolves_to(ix, "CONFIG_BAR", NULL, "bar");
	check_fails(ix, "CONFIG_GADGETS", "CONFIG_GADGETS builds several modules: gadget1, gadget2; name one");
	/* "core" is obj-y in drivers/net and a module in drivers/misc: the module wins */
	m = resolve(ix, "core", NULL);
	CHECK(m != NULL);
	if (m)
		CHECK_STR(m->dir, "drivers/misc");
	kb_module_free(m);

	/* failures, each saying why */
	check_fails(ix, "foonett", "no module named foonett; did you mean: foonet");
	check_fails(ix, "widgets", "did you mean: widget");
	check_fails(ix, "armthing", "no module named armthing"); /* other arch: not indexed */
	check_fails(ix, "toolmod", "no module named toolmod");   /* tools/: not indexed */
	check_fails(ix, "docmod", "no module named docmod");
	check_fails(ix, "wrongtwo", "no module named wrongtwo"); /* Kbuild wins */
	check_fails(ix, "drivers/net", "drivers/net builds several modules: foonet, bar, helper, baz, loner, core, multi, combo");
	check_fails(ix, "drivers/net/notamodule.c", "drivers/net/notamodule.c: no Makefile builds it");
	check_fails(ix, "drivers/net/nothere.c", "no such file or directory");
	check_fails(ix, "drivers/net/baz.c", "no such file");
	check_fails(ix, "CONFIG_NOPE", "no Makefile line is gated by CONFIG_NOPE");
	check_fails(ix, "CONFIG_SUBSYS", "CONFIG_SUBSYS gates the directory drivers/sub/");
	check_fails(ix, "/", "is not inside the Linux tree");
	check_fails(ix, "drivers/net/Makefile", "neither a .c file nor a directory");
	kb_index_free(ix);

	CHECK(kb_index_build("/nonexistent/tree", "x86") == NULL);
	CHECK(strstr(ku_lasterr(), "/nonexistent/tree") != NULL);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: test_kbuild DATA_DIR\n");
		return 2;
	}
	tree = argv[1];
	test_list_modules();
	test_module_from_makefile();
	test_index();
	return KTEST_DONE();
}
