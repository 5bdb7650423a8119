/* kp_build.c: `kpiport build PORTDIR [--target linux|sim|redox-emu|redox]`: configure
 * and build the port dir's CMakeLists.txt into PORTDIR/build-<target>, and
 * on a failed link name the undefined symbols once each (the usual porting
 * TODO), instead of leaving the user a screen of linker noise. */
#define _GNU_SOURCE
#include "kp_build.h"
#include "kp_proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "undefined reference to `foo'" lines -> "foo, bar (+N more)". */
static char *undefined_summary(const char *log)
{
	ku_strv names = {0};
	for (const char *p = strstr(log, "undefined reference to `"); p;
	     p = strstr(p + 1, "undefined reference to `")) {
		const char *s = p + strlen("undefined reference to `"), *e = strchr(s, '\'');
		if (!e)
			break;
		char *n = ku_strndup(s, (size_t)(e - s));
		ku_strv_push_unique(&names, n);
		free(n);
	}
	ku_strv_sort(&names);
	ku_buf b = {0};
	for (size_t i = 0; i < names.n && i < 30; i++)
		ku_buf_printf(&b, "%s%s", i ? ", " : "", names.v[i]);
	if (names.n > 30)
		ku_buf_printf(&b, " (+%zu more)", names.n - 30);
	char *r = names.n ? ku_printf("%zu undefined symbols: %s", names.n, b.s) : NULL;
	ku_buf_free(&b);
	ku_strv_free(&names);
	return r;
}

static int run_logged(const char *const *argv, const char *what, const char *log)
{
	ku_buf out = {0}, err = {0};
	kproc_cmd c = {.argv = argv, .out = &out, .err = &err};
	int st = kproc_run(&c);
	ku_buf all = {0};
	ku_buf_printf(&all, "%s%s", ku_buf_str(&out), ku_buf_str(&err));
	ku_write_file(log, ku_buf_str(&all), all.len);
	int rc = 0;
	if (st < 0) {
		rc = -1;
	} else if (st != 0) {
		char *und = undefined_summary(all.s);
		const char *tail = all.len > 2500 ? all.s + all.len - 2500 : ku_buf_str(&all);
		rc = und ? ku_err("%s failed: %s (full log: %s)", what, und, log)
			 : ku_err("%s failed (full log: %s):\n%s", what, log, tail);
		free(und);
	}
	ku_buf_free(&out), ku_buf_free(&err), ku_buf_free(&all);
	return rc;
}

/* Whether configuring built the runtime or reused a cached one
 * (cmake/KpiRuntimeCache.cmake's "-- kpiport-runtime: ..." line): said on
 * stdout, since it decides most of the build's time. */
static void runtime_line(const char *log)
{
	ku_buf b = {0};
	if (ku_read_file(log, &b) == 0) {
		const char *p = strstr(ku_buf_str(&b), "-- kpiport-runtime: built ");
		if (!p)
			p = strstr(ku_buf_str(&b), "-- kpiport-runtime: reused ");
		if (p) {
			p += strlen("-- kpiport-runtime: ");
			printf("kpiport: runtime %.*s\n", (int)strcspn(p, "\n"), p);
			fflush(stdout);
		}
	}
	ku_buf_free(&b);
}

/* The same driver ported into another dir (the e2e fixture's, the
 * corpus's, a user's second try) or built for another target compiles the
 * same sources with the same flags: paths under the port dir become
 * relative for ccache, and the build dir (hashed for -g) is left out of
 * the key, so those compilations hit.  What it costs: an object's
 * DW_AT_comp_dir may name the port dir that first compiled it (the
 * relative source paths in its debug info still hold). */
static void share_ccache_entries(const char *portdir)
{
	char *abs = ku_realpath(portdir);
	if (abs) {
		setenv("CCACHE_BASEDIR", abs, 1);
		setenv("CCACHE_NOHASHDIR", "1", 1);
	}
	free(abs);
}

int kbd_build(const char *portdir, const char *target, int jobs)
{
	if (strcmp(target, "linux") && strcmp(target, "sim") && strcmp(target, "redox-emu") &&
	    strcmp(target, "redox"))
		return ku_err("unknown target '%s' (linux, sim, redox-emu or redox)", target);
	char *cml = ku_path_join(portdir, "CMakeLists.txt");
	char *rep = ku_path_join(portdir, "report.json");
	int rc = 0;
	if (!ku_is_file(cml) || !ku_is_file(rep))
		rc = ku_err("%s is not a port dir (no CMakeLists.txt and report.json; make one with "
			    "`kpiport port`)", portdir);
	free(cml), free(rep);
	if (rc)
		return rc;
	char *bdir = ku_printf("%s/build-%s", portdir, target);
	char *host = ku_printf("-DKPI_HOST=%s", target);
	char *log1 = ku_printf("%s/configure.log", bdir), *log2 = ku_printf("%s/build.log", bdir);
	char *j = ku_printf("-j%d", jobs > 0 ? jobs : kproc_ncpus());
	ku_mkdir_p(bdir);
	/* ccache: for the port's own objects when it is built again elsewhere;
	 * the runtime comes from the runtime cache (cmake/KpiRuntimeCache.cmake),
	 * built there with -DKPI_RUNTIME_JOBS jobs when no cached one fits. */
	const char *launcher = kproc_have_program("ccache") ? "-DCMAKE_C_COMPILER_LAUNCHER=ccache"
							 : "-DKPI_NO_CCACHE=1";
	share_ccache_entries(portdir);
	char *rjobs = ku_printf("-DKPI_RUNTIME_JOBS=%d", jobs > 0 ? jobs : kproc_ncpus());
	const char *conf[] = {"cmake", "-S", portdir, "-B", bdir, host, "-DCMAKE_BUILD_TYPE=RelWithDebInfo",
			      launcher, rjobs, NULL};
	const char *build[] = {"cmake", "--build", bdir, "--", j, NULL};
	rc = run_logged(conf, "configuring the port build", log1);
	if (rc == 0)
		runtime_line(log1);
	if (rc == 0)
		rc = run_logged(build, "building the port", log2);
	free(bdir), free(host), free(log1), free(log2), free(j), free(rjobs);
	return rc;
}

/* After a --target redox build: did it link, or only compile-check? */
int kbd_redox_linked(const char *portdir)
{
	char *cache = ku_printf("%s/build-redox/CMakeCache.txt", portdir);
	ku_buf b = {0};
	int linked = ku_read_file(cache, &b) == 0 && strstr(b.s, "KPI_REDOX_COMPILE_ONLY:BOOL=OFF");
	ku_buf_free(&b);
	free(cache);
	return linked;
}
