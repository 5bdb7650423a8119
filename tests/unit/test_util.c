/* test_util.c: unit tests for kp_util (paths, strings, buffers), for
 * kcfg_shell_split, which reads kbuild's dry-run transcripts, for
 * kcfg_seed_copy (a new build dir made from a prepared one), and for
 * kp_paths (how generated port files include tree headers). */
#include "ktest.h"
#include "kp_config_int.h"
#include "kp_paths.h"
#include "kp_util.h"

#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

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

static char *slurp(const char *path)
{
	ku_buf b = {0};
	return ku_read_file(path, &b) == 0 ? b.s : NULL;
}

/* Two dirs of the same path length, as the cache's build dirs are. */
static void test_seed_copy(void)
{
	char tmpl[] = "/tmp/kp-seed-XXXXXX";
	char *root = mkdtemp(tmpl);
	CHECK(root != NULL);
	if (!root)
		return;
	char *seed = ku_path_join(root, "aaaa"), *dir = ku_path_join(root, "bbbb");
	char *objdir = ku_printf("%s/tools/objtool", seed);
	CHECK_INT(ku_mkdir_p(objdir), 0);
	CHECK_INT(ku_mkdir_p(dir), 0);
	char *rec = ku_printf("%s/.check.o.cmd", objdir);
	char *dep = ku_printf("%s/.check.o.d", objdir);
	char *obj = ku_printf("%s/check.o", objdir);
	char *text = ku_printf("cmd_%s/tools/objtool/check.o := cc -o %s/tools/objtool/check.o\n", seed, seed);
	CHECK_INT(ku_write_file(rec, text, strlen(text)), 0);
	CHECK_INT(ku_write_file(dep, text, strlen(text)), 0);
	CHECK_INT(ku_write_file(obj, seed, strlen(seed)), 0); /* not a record: left alone */
	char *ready = ku_path_join(seed, KCFG_READY), *flags = ku_printf("%s/%s/x", seed, KCFG_FLAGS_DIR);
	CHECK_INT(ku_write_file(ready, "", 0), 0);
	CHECK_INT(ku_mkdir_p(flags), 0);
	struct timespec old[2] = {{.tv_sec = 1000000000}, {.tv_sec = 1000000000}};
	utimensat(AT_FDCWD, rec, old, 0);

	CHECK_INT(kcfg_seed_copy(seed, dir), 0);
	char *nrec = ku_printf("%s/tools/objtool/.check.o.cmd", dir);
	char *ndep = ku_printf("%s/tools/objtool/.check.o.d", dir);
	char *nobj = ku_printf("%s/tools/objtool/check.o", dir);
	char *want = ku_printf("cmd_%s/tools/objtool/check.o := cc -o %s/tools/objtool/check.o\n", dir, dir);
	char *got = slurp(nrec);
	CHECK_STR(got, want);
	free(got);
	got = slurp(ndep);
	CHECK_STR(got, want);
	free(got);
	got = slurp(nobj);
	CHECK_STR(got, seed);
	free(got);
	got = slurp(rec); /* the seed itself is never written */
	CHECK_STR(got, text);
	free(got);
	struct stat st;
	CHECK(stat(nrec, &st) == 0 && st.st_mtim.tv_sec == 1000000000); /* its time kept */
	char *nready = ku_path_join(dir, KCFG_READY), *nflags = ku_path_join(dir, KCFG_FLAGS_DIR);
	CHECK(!ku_exists(nready)); /* the copy is not complete until prepared */
	CHECK(!ku_exists(nflags));
	/* A seed reached through a symlink: its records name the real path. */
	char *link = ku_path_join(root, "llll"), *dir3 = ku_path_join(root, "dddd");
	CHECK_INT(symlink(seed, link), 0);
	CHECK_INT(ku_mkdir_p(dir3), 0);
	CHECK_INT(kcfg_seed_copy(link, dir3), 0);
	char *rec3 = ku_printf("%s/tools/objtool/.check.o.cmd", dir3);
	char *want3 = ku_printf("cmd_%s/tools/objtool/check.o := cc -o %s/tools/objtool/check.o\n", dir3, dir3);
	got = slurp(rec3);
	CHECK_STR(got, want3);
	free(got), free(link), free(dir3), free(rec3), free(want3);
	/* A seed that is not there: an error that names it, not a crash. */
	char *none = ku_path_join(root, "none"), *dir2 = ku_path_join(root, "cccc");
	CHECK_INT(ku_mkdir_p(dir2), 0);
	CHECK_INT(kcfg_seed_copy(none, dir2), -1);
	CHECK(strstr(ku_lasterr(), none) != NULL);
	CHECK_INT(ku_rm_rf(root), 0);
	free(seed), free(dir), free(objdir), free(rec), free(dep), free(obj), free(text), free(ready);
	free(flags), free(nrec), free(ndep), free(nobj), free(want), free(nready), free(nflags);
	free(none), free(dir2);
}

int main(void)
{
	test_seed_copy();
	test_paths();
	test_include_forms();
	test_strings();
	test_shell_split();
	return KTEST_DONE();
}
