/* kit_test_headers.c: enforces the layering rule "Linux headers and libc
 * headers never meet": no file under the given runtime dirs includes
 * <linux/...> or <asm/...>, and no header in headers/kpi (the last argument)
 * includes any <...> header at all.  Walks the trees with nftw. */
#define _GNU_SOURCE
#include "ktest.h"

#include <ftw.h>
#include <stdlib.h>
#include <string.h>

static int forbid_all_angle; /* 1 while scanning headers/kpi */
static int files_scanned;

/* Does line (after optional blanks) start an #include of a forbidden kind? */
static int bad_include(const char *line)
{
	const char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '#')
		return 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, "include", 7) != 0 && strncmp(p, "include_next", 12) != 0)
		return 0;
	p += strncmp(p, "include_next", 12) == 0 ? 12 : 7;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '<')
		return 0;
	if (forbid_all_angle)
		return 1;
	return strncmp(p + 1, "linux/", 6) == 0 || strncmp(p + 1, "asm/", 4) == 0 ||
	       strncmp(p + 1, "asm-generic/", 12) == 0;
}

static int scan(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	size_t len = strlen(path);
	if (type != FTW_F || len < 2 || path[len - 2] != '.' || (path[len - 1] != 'c' && path[len - 1] != 'h'))
		return 0;
	FILE *f = fopen(path, "r");
	CHECK(f != NULL);
	if (!f)
		return 0;
	files_scanned++;
	char line[1024];
	int lineno = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (bad_include(line)) {
			fprintf(stderr, "%s:%d: forbidden include: %s", path, lineno, line);
			CHECK(!"forbidden include");
		}
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	/* Self-test of the matcher, so the scan can fail. */
	forbid_all_angle = 0;
	CHECK(bad_include("#include <linux/pci.h>\n"));
	CHECK(bad_include("  #  include <asm/io.h>\n"));
	CHECK(!bad_include("#include <stdio.h>\n"));
	CHECK(!bad_include("#include \"linux/x.h\"\n"));
	forbid_all_angle = 1;
	CHECK(bad_include("#include <stddef.h>\n"));
	CHECK(!bad_include("#include \"kpi_host.h\"\n"));

	CHECK(argc >= 3);
	for (int i = 1; i < argc; i++) {
		forbid_all_angle = i == argc - 1;
		int before = files_scanned;
		CHECK_INT(nftw(argv[i], scan, 16, FTW_PHYS), 0);
		CHECK(files_scanned > before); /* the directory really had sources */
	}
	return KTEST_DONE();
}
