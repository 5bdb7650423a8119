/* kp_analyze_dump.c: debugging tool: print the kp_analyze JSON document of
 * one source.  Usage: kp-analyze-dump TREE BUILDDIR ARGSFILE SOURCE DRIVER_DIR
 * (ARGSFILE: the compiler args, one per line, as ka_source.args wants them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kp_analyze.h"

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: %s TREE BUILDDIR ARGSFILE SOURCE DRIVER_DIR\n", argv[0]);
		return 2;
	}
	ku_buf text = {0};
	if (ku_read_file(argv[3], &text) < 0) {
		fprintf(stderr, "%s\n", ku_lasterr());
		return 1;
	}
	ku_strv args = {0};
	for (char *line = strtok(text.s ? text.s : (char *)"", "\n"); line; line = strtok(NULL, "\n"))
		if (line[0])
			ku_strv_push(&args, line);
	ku_verbose = getenv("KP_VERBOSE") != NULL;
	ka_source src = {argv[1], argv[2], argv[4], argv[5], &args};
	json_t *doc = NULL;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = ka_analyze_source(&src, &doc);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "kp-analyze-dump: %.3f s\n", (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	if (rc < 0) {
		fprintf(stderr, "kp-analyze-dump: %s\n", ku_lasterr());
	} else {
		json_dumpf(doc, stdout, JSON_INDENT(1));
		fputc('\n', stdout);
		json_decref(doc);
	}
	ku_strv_free(&args);
	ku_buf_free(&text);
	return rc < 0 ? 1 : 0;
}
