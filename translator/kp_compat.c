/* kp_compat.c: runtime/lx's version adaptations for a port (kp_compat.h).
 * The probes live in runtime/lx/lx_compat.h and are compiled by
 * cmake/KpiLxCompat.cmake; this module only runs that step in script mode
 * (`cmake -P`) on the port's flags and reads its record, lx_compat.txt, so
 * the translator and the port build can never disagree about a probe. */
#include "kp_compat.h"
#include "kp_hash.h"
#include "kp_proc.h"
#include "kp_tree.h"

#include <stdlib.h>
#include <string.h>

static void set_error(kcompat_list *out, const char *fmt, const char *detail)
{
	free(out->error);
	out->error = ku_printf(fmt, detail);
}

int kcompat_parse(const char *text, kcompat_list *out)
{
	const char *p = text;
	while (*p) {
		const char *end = strchr(p, '\n');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (len && *p != '#') {
			/* name TAB 0|1 TAB vVERSION TAB what */
			char *line = ku_strndup(p, len), *f[4] = {0}, *s = line;
			int i;
			for (i = 0; i < 4 && s; i++) {
				f[i] = s;
				s = i < 3 ? strchr(s, '\t') : NULL;
				if (s)
					*s++ = 0;
			}
			if (i < 4 || !f[3] || (strcmp(f[1], "0") && strcmp(f[1], "1"))) {
				free(line);
				return -1;
			}
			out->v = ku_realloc(out->v, (out->n + 1) * sizeof *out->v);
			out->v[out->n++] = (kcompat_item){.name = ku_strdup(f[0]), .applied = f[1][0] == '1',
							  .since = ku_strdup(f[2][0] == 'v' ? f[2] + 1 : f[2]),
							  .what = ku_strdup(f[3])};
			free(line);
		}
		p += len + (end ? 1 : 0);
	}
	return 0;
}

/* What cmake/KpiLxCompat.cmake's answers depend on, as it keys its own
 * record (the probes' header, the flags, the script, the compiler it finds
 * on PATH): while these are unchanged the record stands and `cmake -P` is not
 * run at all (a tenth of a second on every port).  NULL when a file cannot
 * be read: then cmake decides. */
static char *memo_key(const char *args, const char *sources)
{
	static const char *const inputs[] = {"runtime/lx/lx_compat.h", "cmake/KpiLxCompat.cmake",
					     "cmake/KpiKernelFlags.cmake"};
	kh_ctx *h = kh_new();
	kh_add_str(h, args);
	const char *path = getenv("PATH");
	kh_add_str(h, path ? path : "");
	int ok = 1;
	for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
		char *f = ku_path_join(sources, inputs[i]);
		ok &= kh_add_file(h, f) == 0;
		free(f);
	}
	char key[65];
	kh_final(h, key);
	return ok ? ku_strdup(key) : NULL;
}

void kcompat_probe(const ku_strv *args, const char *sources, kcompat_list *out)
{
	memset(out, 0, sizeof *out);
	ku_buf a = {0}, err = {0}, txt = {0};
	for (size_t i = 0; i < args->n; i++)
		ku_buf_printf(&a, "%s\n", args->v[i]);
	kh_ctx *h = kh_new();
	kh_add_str(h, ku_buf_str(&a));
	char key[65];
	kh_final(h, key);
	char *cache = kt_cache_dir(), *dir = ku_printf("%s/compat/%.16s", cache, key);
	char *argsf = ku_path_join(dir, "kbuild.args"), *rec = ku_path_join(dir, "lx_compat.txt");
	char *script = ku_printf("%s/cmake/KpiLxCompat.cmake", sources);
	char *d1 = ku_printf("-DKPI_ARGS_FILE=%s", argsf), *d2 = ku_printf("-DKPI_OUT=%s", dir);
	const char *argv[] = {"cmake", d1, d2, "-P", script, NULL};
	kproc_cmd c = {.argv = argv, .err = &err};
	int rc;
	char *memo = ku_path_join(dir, "kpiport.key"), *mkey = memo_key(ku_buf_str(&a), sources);
	ku_buf old = {0};
	int fresh = mkey && ku_read_file(memo, &old) == 0 && strcmp(ku_buf_str(&old), mkey) == 0 &&
		    ku_is_file(rec);
	if (fresh)
		; /* the step's own inputs are unchanged: its record stands */
	else if (ku_mkdir_p(dir) != 0 || ku_write_file(argsf, ku_buf_str(&a), a.len) != 0)
		set_error(out, "cannot write %s", argsf);
	else if ((rc = kproc_run(&c)) != 0)
		set_error(out, "cmake/KpiLxCompat.cmake failed: %s",
			  rc < 0 ? ku_lasterr() : err.len ? ku_buf_str(&err) : "(no message)");
	else if (mkey)
		ku_write_file(memo, mkey, strlen(mkey)); /* best effort: without it cmake runs again */
	/* -v: whether a port's probe ran or found its record (the pipeline
	 * probes ahead, beside the analysis, and then again for the report) */
	ku_log("runtime-compat probe compat/%.16s: %s", key, fresh ? "record reused" : "probed");
	if (!out->error && (ku_read_file(rec, &txt) != 0 || kcompat_parse(ku_buf_str(&txt), out) != 0 || !out->n))
		set_error(out, "no probe results in %s", rec);
	if (out->error) {
		for (char *e = out->error; *e; e++) /* one line in report.md */
			if (*e == '\n')
				*e = ' ';
		kcompat_list keep = {.error = out->error};
		out->error = NULL;
		kcompat_free(out);
		*out = keep;
	}
	ku_buf_free(&a), ku_buf_free(&err), ku_buf_free(&txt);
	ku_buf_free(&old);
	free(memo), free(mkey);
	free(cache), free(dir), free(argsf), free(rec), free(script), free(d1), free(d2);
}

void kcompat_free(kcompat_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].name), free(l->v[i].since), free(l->v[i].what);
	free(l->v);
	free(l->error);
	memset(l, 0, sizeof *l);
}
