/* test_analyze_nm.c: on a real driver source, every symbol the compiled
 * object leaves undefined (`nm -u`) must be in kp_analyze's inventory as a
 * function or variable: the inventory is what stubs, imports and the
 * runtime are chosen from, so a miss would only surface at link time.
 * Compiles with the same kbuild flags into a temp dir (never the tree).
 * Usage: test_analyze_nm TREE BUILDDIR ARGSFILE SOURCE(tree-relative)
 * Exit 77 (skipped) without a tree, build dir, args file or clang-19. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kp_analyze.h"
#include "ktest.h"

/* Undefined symbols a compiler emits on its own, not named by any source
 * or header: the flags that cause them, hence why they may be excluded. */
static const struct {
	const char *prefix, *why;
} emitted[] = {
	{"__fentry__", "-pg/-mfentry (ftrace)"},
	{"__stack_chk_fail", "-fstack-protector"},
	{"__stack_chk_guard", "-fstack-protector"},
	{"__x86_return_thunk", "-mfunction-return=thunk-extern (CONFIG_RETHUNK)"},
	{"__x86_indirect_thunk_", "-mindirect-branch=thunk-extern (CONFIG_RETPOLINE)"},
	{"__ubsan_", "-fsanitize=undefined (CONFIG_UBSAN)"},
	{"__asan_", "-fsanitize=kernel-address (CONFIG_KASAN)"},
	{"__tsan_", "-fsanitize=thread (CONFIG_KCSAN)"},
	{"__sanitizer_cov_", "-fsanitize-coverage (CONFIG_KCOV)"},
	{"__gcov_", "-fprofile-arcs (CONFIG_GCOV_KERNEL)"},
};

static int run(char *const argv[])
{
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		execvp(argv[0], argv);
		_exit(127);
	}
	int st = 0;
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static json_t *find_sym(json_t *doc, const char *name)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "symbols"), i, s) {
		const char *kind = json_string_value(json_object_get(s, "kind"));
		if (!strcmp(json_string_value(json_object_get(s, "name")), name) &&
		    (!strcmp(kind, "function") || !strcmp(kind, "variable")))
			return s;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s TREE BUILDDIR ARGSFILE SOURCE\n", argv[0]);
		return 2;
	}
	const char *tree = argv[1], *builddir = argv[2];
	char *source = ku_path_join(tree, argv[4]);
	ku_buf text = {0};
	if (!ku_is_file(source) || !ku_is_dir(builddir) || ku_read_file(argv[3], &text) < 0 || !text.len) {
		printf("SKIP: need %s, %s and args file %s\n", source, builddir, argv[3]);
		free(source);
		ku_buf_free(&text);
		return 77;
	}
	ku_strv args = {0};
	for (char *line = strtok(text.s, "\n"); line; line = strtok(NULL, "\n"))
		if (line[0])
			ku_strv_push(&args, line);
	ku_buf_free(&text);

	char tmpl[] = "/tmp/ka_nm_XXXXXX";
	char *dir = mkdtemp(tmpl);
	CHECK(dir != NULL);
	if (!dir)
		return 1;
	char *obj = ku_path_join(dir, "driver.o");
	char **cc = ku_calloc(args.n + 6, sizeof *cc);
	size_t n = 0;
	cc[n++] = "clang-19";
	for (size_t i = 0; i < args.n; i++)
		cc[n++] = args.v[i];
	cc[n++] = "-c";
	cc[n++] = "-o";
	cc[n++] = obj;
	cc[n++] = source;
	int rc = run(cc);
	free(cc);
	if (rc == 127) {
		printf("SKIP: clang-19 not found\n");
		ku_rm_rf(dir);
		return 77;
	}
	CHECK_INT(rc, 0);

	ku_strv undef = {0};
	char *cmd = ku_printf("nm -u '%s'", obj);
	FILE *p = popen(cmd, "r");
	free(cmd);
	char line[512];
	while (p && fgets(line, sizeof line, p)) {
		char *name = ku_trim(line);
		if (ku_startswith(name, "U "))
			name = ku_trim(name + 2);
		name[strcspn(name, " \t\r\n")] = 0;
		if (name[0])
			ku_strv_push(&undef, name);
	}
	CHECK(p && pclose(p) == 0);
	CHECK(undef.n > 0);

	char *drvdir = ku_dirname(source);
	ka_source src = {tree, builddir, source, drvdir, &args};
	json_t *doc = NULL;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = ka_analyze_source(&src, &doc);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (rc < 0)
		fprintf(stderr, "analyze: %s\n", ku_lasterr());
	CHECK_INT(rc, 0);
	printf("%s: analyzed in %.3f s, %zu symbols; object has %zu undefined symbols\n", argv[4],
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       json_array_size(json_object_get(doc, "symbols")), undef.n);
	size_t missing = 0, excluded = 0;
	for (size_t i = 0; doc && i < undef.n; i++) {
		json_t *s = find_sym(doc, undef.v[i]);
		if (s) {
			/* the object needs it, so the inventory must say "extern" */
			const char *prov = json_string_value(json_object_get(s, "provided"));
			if (strcmp(prov, "extern"))
				fprintf(stderr, "%s: needed by the object but provided \"%s\"\n", undef.v[i], prov);
			CHECK_STR(prov, "extern");
			continue;
		}
		const char *why = NULL;
		for (size_t k = 0; k < sizeof emitted / sizeof emitted[0]; k++)
			if (ku_startswith(undef.v[i], emitted[k].prefix))
				why = emitted[k].why;
		if (why) {
			printf("excluded %s: emitted by the compiler for %s\n", undef.v[i], why);
			excluded++;
			continue;
		}
		fprintf(stderr, "MISSING from inventory: %s\n", undef.v[i]);
		missing++;
	}
	printf("%zu missing, %zu excluded as compiler-emitted\n", missing, excluded);
	CHECK_INT(missing, 0);

	/* and the module facts of this real driver are there */
	CHECK(json_array_size(json_object_get(doc, "entry_points")) >= 1);
	json_decref(doc);
	free(drvdir);
	ku_strv_free(&undef);
	ku_strv_free(&args);
	free(obj);
	ku_rm_rf(dir);
	free(source);
	return KTEST_DONE();
}
