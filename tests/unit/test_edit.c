/* test_edit.c: unit tests for kp_edit (the rewrite stage's own text edits):
 * line maps from `git diff -U0` hunks, token renames at libclang's
 * positions, and the `;` added after entry macros written without one. */
#include "ktest.h"
#include "kp_edit.h"

#include <stdlib.h>

static void set(ku_buf *b, const char *text)
{
	ku_buf_free(b);
	ku_buf_puts(b, text);
}

static void test_linemap(void)
{
	/* line 3 replaced by two lines; two lines inserted after line 10; lines
	 * 20-21 removed */
	const char *diff = "diff --git a/x.c b/x.c\n--- a/x.c\n+++ b/x.c\n"
			   "@@ -3 +3,2 @@\n-a\n+b\n+c\n"
			   "@@ -10,0 +12,2 @@ static int f(void)\n+x\n+y\n"
			   "@@ -20,2 +23,0 @@\n-p\n-q\n";
	ked_linemap m;
	ked_linemap_parse(diff, &m);
	CHECK_INT(m.n, 3);
	CHECK_INT(ked_linemap_apply(&m, 1), 1);
	CHECK_INT(ked_linemap_apply(&m, 3), 0);  /* inside a changed hunk */
	CHECK_INT(ked_linemap_apply(&m, 4), 5);
	CHECK_INT(ked_linemap_apply(&m, 10), 11); /* the insertion comes after it */
	CHECK_INT(ked_linemap_apply(&m, 11), 14);
	CHECK_INT(ked_linemap_apply(&m, 20), 0);
	CHECK_INT(ked_linemap_apply(&m, 22), 23);
	ked_linemap_free(&m);
	ked_linemap_parse("", &m);
	CHECK_INT(ked_linemap_apply(&m, 7), 7);
	ked_linemap_free(&m);
}

static void test_rename(void)
{
	ku_buf b = {0};
	set(&b, "static void *p;\n\tp = ioremap(a, b) + ioremap(c, d);\n");
	CHECK_INT(ked_rename_token(&b, 2, 22, "ioremap", "redox_ioremap"), 0);
	CHECK_STR(b.s, "static void *p;\n\tp = ioremap(a, b) + redox_ioremap(c, d);\n");
	CHECK_INT(ked_rename_token(&b, 2, 6, "ioremap", "redox_ioremap"), 0); /* a tab is one column */
	CHECK_STR(b.s, "static void *p;\n\tp = redox_ioremap(a, b) + redox_ioremap(c, d);\n");
	/* Not there (moved, or already renamed): nothing changes. */
	CHECK_INT(ked_rename_token(&b, 2, 6, "ioremap", "x"), -1);
	CHECK_INT(ked_rename_token(&b, 1, 40, "ioremap", "x"), -1); /* never past the line */
	CHECK_INT(ked_rename_token(&b, 0, 1, "static", "x"), -1);
	CHECK_INT(ked_rename_token(&b, 9, 1, "static", "x"), -1);
	CHECK_STR(b.s, "static void *p;\n\tp = redox_ioremap(a, b) + redox_ioremap(c, d);\n");
	ku_buf_free(&b);
}

static void test_semicolon(void)
{
	ku_strv entry = {0}, drv = {0};
	ku_strv_push(&entry, "module_init");
	ku_strv_push(&entry, "module_exit");
	ku_strv_push(&drv, "module_pci_driver");
	ku_buf b = {0};
	/* tests/smpl's former module_init_no_semicolon input, in short */
	set(&b, "#include <linux/module.h>\n\nmodule_init(chime_start)\nmodule_exit(chime_stop)\n\n"
		"MODULE_LICENSE(\"GPL\");\n");
	CHECK_INT(ked_add_semicolon(&b, 3, &entry), 1);
	CHECK_INT(ked_add_semicolon(&b, 4, &entry), 1);
	CHECK_STR(b.s, "#include <linux/module.h>\n\nmodule_init(chime_start);\nmodule_exit(chime_stop);\n\n"
		       "MODULE_LICENSE(\"GPL\");\n");
	CHECK_INT(ked_add_semicolon(&b, 3, &entry), 0); /* there now */
	/* Another group's macro, or no call at that line: not ours to touch. */
	set(&b, "module_pci_driver(d)\n");
	CHECK_INT(ked_add_semicolon(&b, 1, &entry), 0);
	CHECK_INT(ked_add_semicolon(&b, 2, &drv), 0);
	CHECK_INT(ked_add_semicolon(&b, 0, &drv), 0);
	set(&b, "module_pci_driverx(d)\n");
	CHECK_INT(ked_add_semicolon(&b, 1, &drv), 0);
	/* Arguments over several lines, nested parentheses, a comment before
	 * the `;` that is there, indentation. */
	set(&b, "module_pci_driver(\n\tPICK(a, (b)))\n");
	CHECK_INT(ked_add_semicolon(&b, 1, &drv), 1);
	CHECK_STR(b.s, "module_pci_driver(\n\tPICK(a, (b)));\n");
	set(&b, "module_init(f) /* why */\n// more\n;\n");
	CHECK_INT(ked_add_semicolon(&b, 1, &entry), 0);
	set(&b, "#ifdef MODULE\n\tmodule_init(f)\n#endif\n");
	CHECK_INT(ked_add_semicolon(&b, 2, &entry), 1);
	CHECK_STR(b.s, "#ifdef MODULE\n\tmodule_init(f);\n#endif\n");
	/* An unbalanced call (the file ends inside it): left alone. */
	set(&b, "module_init(f\n");
	CHECK_INT(ked_add_semicolon(&b, 1, &entry), 0);
	ku_buf_free(&b);
	ku_strv_free(&entry);
	ku_strv_free(&drv);
}

int main(void)
{
	test_linemap();
	test_rename();
	test_semicolon();
	return KTEST_DONE();
}
