/* test_util.c: unit tests for kp_util (paths, strings, buffers), for
 * kcfg_shell_split, which reads kbuild's dry-run transcripts, and for
 * kp_paths (how generated port files include tree headers). */
#include "ktest.h"
#include "kp_config.h"
#include "kp_paths.h"
#include "kp_util.h"

#include <stdlib.h>

static void test_paths(void)
{
	char *p = ku_path_join("/a/b", "c.c");
	CHECK_STR(p, "/a/b/c.c");
	free(p);
	p = ku_path_join("/a/b/", "/abs");
	CHECK_STR(p, "/abs");
	free(p);
	p = ku_dirname("/x/y/z.c");
	CHECK_STR(p, "/x/y");
	free(p);
	CHECK_STR(ku_basename("/x/y/z.c"), "z.c");
	p = ku_relpath_in("/t/drivers", "/t/drivers/net/a.c");
	CHECK_STR(p, "net/a.c");
	free(p);
	CHECK(ku_relpath_in("/t/drivers", "/t/driversx/a.c") == NULL);
}

static void test_strings(void)
{
	CHECK_INT(ku_editdist("8139too", "8139cp"), 3);
	CHECK_INT(ku_editdist("", "abc"), 3);
	CHECK_INT(ku_editdist("e1000", "e1000"), 0);
	CHECK(ku_is_ident("redox_ioremap"));
	CHECK(!ku_is_ident("9lives"));
	CHECK(!ku_is_ident("a-b"));
	ku_buf b = {0};
	ku_buf_printf(&b, "%d-%s", 42, "x");
	ku_buf_putc(&b, '!');
	CHECK_STR(b.s, "42-x!");
	ku_buf_free(&b);
	ku_strv sv = {0};
	ku_strv_push_unique(&sv, "b");
	ku_strv_push_unique(&sv, "a");
	ku_strv_push_unique(&sv, "b");
	ku_strv_sort(&sv);
	CHECK_INT(sv.n, 2);
	CHECK_STR(sv.v[0], "a");
	ku_strv_free(&sv);
}

static void test_shell_split(void)
{
	ku_strv w = {0};
	kcfg_shell_split("set -e;  echo '  cc -DX='\\''\"m\"'\\'' -c';  cc -DKBUILD_MODNAME='\"m\"' -c -o a.o a.c ; x && y",
			 &w);
	/* set -e ; echo <one word> ; cc ... ; x && y */
	CHECK_STR(w.v[0], "set");
	CHECK_STR(w.v[2], ";");
	CHECK_STR(w.v[3], "echo");
	CHECK_STR(w.v[4], "  cc -DX='\"m\"' -c");
	CHECK_STR(w.v[5], ";");
	CHECK_STR(w.v[7], "-DKBUILD_MODNAME=\"m\"");
	CHECK_STR(w.v[w.n - 2], "&&");
	ku_strv_free(&w);
	kcfg_shell_split("a\\ b \"c \\\"d\\\"\" e\\\nf", &w);
	CHECK_INT(w.n, 3);
	CHECK_STR(w.v[0], "a b");
	CHECK_STR(w.v[1], "c \"d\"");
	CHECK_STR(w.v[2], "ef");
	ku_strv_free(&w);
}

/* A generated file (kpiport_stubs.c) includes each header so that it
 * compiles with the driver's kbuild flags, wherever the header lives. */
static void test_include_forms(void)
{
	static const char *const cases[][2] = {
		{"include/linux/pci.h", "<linux/pci.h>"},
		{"arch/x86/include/asm/io.h", "<asm/io.h>"},
		{"<build>/include/generated/autoconf.h", "<generated/autoconf.h>"},
		{"drivers/atm/nicstar.h", "\"nicstar.h\""},
		{"drivers/atm/sub/x.h", "\"sub/x.h\""},
		/* outside the driver's dir: through kbuild's -I $(srctree)/$(src) */
		{"lib/kstrtox.h", "\"../../lib/kstrtox.h\""},
		{"drivers/i2c/i2c-core.h", "\"../../drivers/i2c/i2c-core.h\""},
		/* the build dir's generated headers: through -I $(objtree)/$(obj) */
		{"<build>/drivers/scsi/gen.h", "\"../../drivers/scsi/gen.h\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *f = kpath_include_form("/t", "/t/drivers/atm", cases[i][0]);
		CHECK_STR(f, cases[i][1]);
		free(f);
	}
	/* an external module (outside the tree): the staged copy */
	char *f = kpath_include_form("/t", "/ext/drv", "lib/kstrtox.h");
	CHECK_STR(f, "\"imports/lib/kstrtox.h\"");
	free(f);
}

int main(void)
{
	test_paths();
	test_include_forms();
	test_strings();
	test_shell_split();
	return KTEST_DONE();
}
