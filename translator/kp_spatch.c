/* kp_spatch.c: rule groups from rules.cocci, spatch runs in parallel, and
 * the spatch result cache (see kp_spatch.h). */
#define _GNU_SOURCE
#include "kp_spatch.h"
#include "kp_cache.h"
#include "kp_hash.h"
#include "kp_proc.h"
#include "kp_stamp.h"
#include "kp_tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KSP_FORMAT "kr-1"

/* The value of a `// key: value` line (key at a line start), or NULL. */
static char *header_field(const char *text, const char *key)
{
	size_t kl = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, kl) != 0)
			continue;
		const char *e = strchr(l + kl, '\n');
		char *v = ku_strndup(l + kl, e ? (size_t)(e - l - kl) : strlen(l + kl));
		char *t = ku_strdup(ku_trim(v));
		free(v);
		return t;
	}
	return NULL;
}

static void split_words(const char *text, ku_strv *out)
{
	char *copy = ku_strdup(text ? text : "");
	for (char *w = strtok(copy, " \t"); w; w = strtok(NULL, " \t"))
		ku_strv_push(out, w);
	free(copy);
}

/* The .cocci files `path` includes (`#include "rules/x.cocci"`, relative
 * to base, as spatch resolves them), recursively, each once.  (Inside a
 * rule, `#include "..."@p` is a pattern, not a file.) */
static int group_includes(const char *path, const char *base, ku_strv *out, int depth)
{
	ku_buf body = {0};
	if (ku_read_file(path, &body) != 0)
		return -1;
	int rc = 0;
	for (char *l = body.s, *nl; l && *l && rc == 0; l = nl ? nl + 1 : NULL) {
		nl = strchr(l, '\n');
		if (nl)
			*nl = 0;
		char *q1 = ku_startswith(l, "#include") ? strchr(l, '"') : NULL;
		char *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
		if (!q2 || q2 - q1 < 7 || strncmp(q2 - 6, ".cocci", 6) != 0)
			continue;
		char *rel = ku_strndup(q1 + 1, (size_t)(q2 - q1 - 1));
		char *inc = ku_path_join(base, rel);
		if (!ku_is_file(inc))
			rc = ku_err("%s: includes %s, which is not %s", path, rel, inc);
		else if (depth > 8)
			rc = ku_err("%s: includes nest deeper than 8 files", path);
		else if (!ku_strv_has(out, inc)) {
			ku_strv_push(out, inc);
			rc = group_includes(inc, base, out, depth + 1);
		}
		free(rel), free(inc);
	}
	ku_buf_free(&body);
	return rc;
}

int ksp_load_groups(const char *manifest, ksp_group **groups, size_t *n)
{
	ku_buf text = {0};
	*groups = NULL;
	*n = 0;
	if (ku_read_file(manifest, &text) != 0)
		return ku_err("rules manifest %s: %s", manifest, ku_lasterr());
	char *dir = ku_dirname(manifest);
	int lineno = 0, rc = 0;
	for (char *l = text.s, *nl; l && *l && rc == 0; l = nl ? nl + 1 : NULL) {
		nl = strchr(l, '\n');
		if (nl)
			*nl = 0;
		lineno++;
		char *t = ku_trim(l);
		if (!ku_startswith(t, "#include"))
			continue;
		char *q1 = strchr(t, '"'), *q2 = q1 ? strchr(q1 + 1, '"') : NULL;
		if (!q2) {
			rc = ku_err("%s:%d: expected #include \"rules/<group>.cocci\"", manifest, lineno);
			break;
		}
		char *rel = ku_strndup(q1 + 1, (size_t)(q2 - q1 - 1));
		ksp_group g = {0};
		g.path = ku_path_join(dir, rel);
		g.base = ku_strdup(dir);
		ku_buf body = {0};
		if (ku_read_file(g.path, &body) != 0) {
			rc = ku_err("%s:%d: rule group %s: %s", manifest, lineno, rel, ku_lasterr());
		} else {
			g.id = header_field(body.s, "// kpiport-group:");
			g.title = header_field(body.s, "// kpiport-title:");
			g.description = header_field(body.s, "// kpiport-description:");
			char *opts = header_field(body.s, "// Options:");
			char *entry = header_field(body.s, "// kpiport-entry:");
			if (!g.id || !g.title)
				rc = ku_err("%s: no `// kpiport-group:` and `// kpiport-title:` header lines",
					    g.path);
			else if (!opts)
				rc = ku_err("%s: no `// Options:` line (the spatch options the rules need)", g.path);
			else
				rc = group_includes(g.path, g.base, &g.includes, 0);
			split_words(opts, &g.options);
			g.entry_generic = entry && !strcmp(entry, "*");
			if (!g.entry_generic)
				split_words(entry, &g.entry_macros);
			free(opts), free(entry);
			if (!g.description)
				g.description = ku_strdup("");
		}
		ku_buf_free(&body);
		free(rel);
		*groups = ku_realloc(*groups, (*n + 1) * sizeof **groups);
		(*groups)[(*n)++] = g;
	}
	if (rc == 0 && *n == 0)
		rc = ku_err("%s: lists no rule groups", manifest);
	free(dir);
	ku_buf_free(&text);
	if (rc != 0) {
		ksp_free_groups(*groups, *n);
		*groups = NULL;
		*n = 0;
	}
	return rc;
}

void ksp_free_groups(ksp_group *groups, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(groups[i].id), free(groups[i].title), free(groups[i].description);
		free(groups[i].path), free(groups[i].base);
		ku_strv_free(&groups[i].options);
		ku_strv_free(&groups[i].includes);
		ku_strv_free(&groups[i].entry_macros);
	}
	free(groups);
}

/* `spatch --version` costs a program start (an OCaml runtime) on every
 * port; its first line is kept in the cache, stamped with the spatch
 * binary PATH finds (a new or upgraded spatch is a new file). */
static int version_from_cache(const char *exe, int save, char *version, size_t size)
{
	if (!exe || exe[0] != '/')
		return 0;
	kst_cache c = kt_stamp_cache("tools");
	char *header = ku_printf("spatch-version\t%s", exe);
	int ok = 0;
	if (save) {
		kst_set st;
		kst_init(&st, "/");
		kst_add(&st, exe + 1);
		char *body = ku_printf("%s\n", version);
		kst_write_entry(&c, header, &st, body);
		free(body);
		kst_free(&st);
	} else {
		ku_buf b = {0};
		char *body;
		if (kst_read_entry(&c, header, "/", &b, &body) && strchr(body, '\n') && body[0] != '\n') {
			*strchr(body, '\n') = 0;
			snprintf(version, size, "%s", body);
			ok = 1;
		}
		ku_buf_free(&b);
	}
	free(header);
	kt_stamp_cache_free(&c);
	return ok;
}

const char *ksp_version(void)
{
	static char version[256];
	if (version[0])
		return version;
	char *exe = kproc_which("spatch");
	if (version_from_cache(exe, 0, version, sizeof version)) {
		free(exe);
		return version;
	}
	ku_buf out = {0};
	const char *argv[] = {"spatch", "--version", NULL};
	kproc_cmd c = {.argv = argv, .out = &out};
	if (kproc_run(&c) == 0 && out.s) {
		char *nl = strchr(out.s, '\n');
		if (nl)
			*nl = 0;
		snprintf(version, sizeof version, "%s", out.s);
		if (version[0])
			version_from_cache(exe, 1, version, sizeof version);
	} else {
		snprintf(version, sizeof version, "unknown");
	}
	ku_buf_free(&out);
	free(exe);
	return version;
}

const char *ksp_python(void)
{
	const char *env = getenv("KPIPORT_SPATCH_PYTHON");
	if (env)
		return *env ? env : NULL;
	return access(KSP_DEFAULT_PYTHON, X_OK) == 0 ? KSP_DEFAULT_PYTHON : NULL;
}

typedef struct ksp_work {
	const ksp_group *g;
	ksp_file *f;
	char *out;      /* cached output file (or "<key>.same" marker) */
	char *matched;  /* cached matched-sites file */
	char *errfile;  /* spatch's stderr when it fails */
} ksp_work;

/* Child process: run spatch and fill the cache entry. */
static int spatch_job(void *arg)
{
	ksp_work *w = arg;
	char *tmp_out = ku_printf("%s.tmp%ld.c", w->out, (long)getpid());
	ku_strv argv = {0};
	ku_strv_push(&argv, "spatch");
	ku_strv_push(&argv, "--very-quiet");
	ku_strv_push(&argv, "--no-show-diff");
	const char *python = ksp_python();
	if (python) {
		ku_strv_push(&argv, "--python");
		ku_strv_push(&argv, python);
	}
	for (size_t i = 0; i < w->g->options.n; i++) /* the rule file's own `// Options:` */
		ku_strv_push(&argv, w->g->options.v[i]);
	ku_strv_push(&argv, "--sp-file");
	ku_strv_push(&argv, w->g->path);
	for (size_t i = 0; i < w->f->defines.n; i++) {
		ku_strv_push(&argv, "-D");
		ku_strv_push(&argv, w->f->defines.v[i]);
	}
	char *tmp_matched = NULL;
	if (w->f->matched) {
		tmp_matched = ku_printf("%s.tmp%ld", w->matched, (long)getpid());
		ku_strv_push(&argv, "-D");
		ku_strv_pushf(&argv, "matched=%s", tmp_matched);
	}
	ku_strv_push(&argv, w->f->path);
	ku_strv_push(&argv, "-o");
	ku_strv_push(&argv, tmp_out);
	ku_buf err = {0}, out = {0};
	/* In the manifest's dir: SmPL #include paths are relative to spatch's cwd. */
	kproc_cmd c = {.argv = (const char *const *)argv.v, .cwd = w->g->base, .out = &out, .err = &err};
	int st = kproc_run(&c);
	int rc = 0;
	/* spatch refuses -o when the rule changed nothing: that is "unchanged". */
	if (st != 0 && strstr(ku_buf_str(&out), "there are no modified files"))
		st = 0;
	else if (st != 0 && strstr(ku_buf_str(&err), "there are no modified files"))
		st = 0;
	if (st != 0) {
		ku_buf msg = {0};
		ku_buf_printf(&msg, "%s%s", ku_buf_str(&out), ku_buf_str(&err));
		if (st < 0)
			ku_buf_puts(&msg, ku_lasterr());
		ku_write_file(w->errfile, ku_buf_str(&msg), msg.len);
		ku_buf_free(&msg);
		rc = 1;
	} else {
		/* spatch writes -o only when the rule changed something. */
		if (!ku_exists(tmp_out)) {
			char *same = ku_printf("%s.same", w->out);
			ku_write_file(same, "", 0);
			free(same);
		} else {
			rename(tmp_out, w->out);
		}
		if (tmp_matched) {
			if (!ku_exists(tmp_matched))
				ku_write_file(tmp_matched, "[]", 2);
			rename(tmp_matched, w->matched);
		}
	}
	unlink(tmp_out);
	free(tmp_out), free(tmp_matched);
	ku_buf_free(&err), ku_buf_free(&out);
	ku_strv_free(&argv);
	return rc;
}

int ksp_apply(const ksp_group *g, ksp_file *files, size_t n, int par)
{
	char *cache = kt_cache_dir();
	char *dir = ku_path_join(cache, "spatch");
	free(cache);
	if (ku_mkdir_p(dir) != 0) {
		free(dir);
		return -1;
	}
	ksp_work *w = ku_calloc(n, sizeof *w);
	kproc_job *jobs = ku_calloc(n, sizeof *jobs);
	size_t njobs = 0;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		kh_ctx *h = kh_new();
		kh_add_str(h, KSP_FORMAT);
		kh_add_str(h, ksp_version());
		int unreadable = kh_add_file(h, g->path) != 0;
		for (size_t k = 0; k < g->includes.n && !unreadable; k++)
			unreadable = kh_add_file(h, g->includes.v[k]) != 0;
		if (unreadable) {
			kh_final(h, (char[65]){0});
			rc = -1;
			break;
		}
		kh_add_str(h, ku_basename(files[i].path));
		ku_buf body = {0};
		if (ku_read_file(files[i].path, &body) != 0) {
			kh_final(h, (char[65]){0});
			rc = -1;
			break;
		}
		kh_add(h, body.s, body.len);
		ku_buf_free(&body);
		for (size_t k = 0; k < files[i].defines.n; k++) {
			/* A -D value that names a file stands for that file's content. */
			const char *eq = strchr(files[i].defines.v[k], '=');
			if (eq && ku_is_file(eq + 1)) { /* by content: its path is a temp dir's */
				ku_buf v = {0};
				ku_read_file(eq + 1, &v);
				kh_add(h, files[i].defines.v[k], (size_t)(eq - files[i].defines.v[k]) + 1);
				kh_add(h, v.s, v.len);
				ku_buf_free(&v);
			} else {
				kh_add_str(h, files[i].defines.v[k]);
			}
		}
		kh_add_str(h, files[i].matched ? "matched" : "");
		char hex[65];
		kh_final(h, hex);
		w[i].g = g;
		w[i].f = &files[i];
		w[i].out = ku_printf("%s/%s.c", dir, hex);
		w[i].matched = ku_printf("%s/%s.matched", dir, hex);
		w[i].errfile = ku_printf("%s/%s.err.%ld", dir, hex, (long)getpid());
		char *same = ku_printf("%s.same", w[i].out);
		int cached = (ku_exists(w[i].out) || ku_exists(same)) &&
			     (!files[i].matched || ku_exists(w[i].matched));
		if (cached) {
			kcache_touch(ku_exists(w[i].out) ? w[i].out : same);
			if (files[i].matched)
				kcache_touch(w[i].matched);
		}
		free(same);
		if (!cached) {
			jobs[njobs].fn = spatch_job;
			jobs[njobs].arg = &w[i];
			njobs++;
		}
	}
	if (rc == 0 && njobs)
		kproc_parallel(jobs, njobs, par);
	int changed = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (ku_exists(w[i].errfile)) {
			ku_buf e = {0};
			ku_read_file(w[i].errfile, &e);
			rc = ku_err("spatch failed on %s with rule %s:\n%s", files[i].path, g->path,
				    ku_buf_str(&e));
			ku_buf_free(&e);
			unlink(w[i].errfile);
			break;
		}
		if (files[i].matched && ku_copy_file(w[i].matched, files[i].matched) != 0) {
			rc = -1;
			break;
		}
		if (ku_exists(w[i].out)) {
			if (ku_copy_file(w[i].out, files[i].path) != 0) {
				rc = -1;
				break;
			}
			files[i].changed = 1;
			changed++;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(w[i].out), free(w[i].matched), free(w[i].errfile);
	free(w), free(jobs), free(dir);
	return rc == 0 ? changed : -1;
}
