/* kp_run.c: the back half of `kpiport port`: stage the driver's files in a
 * temporary dir beside the output, commit them as `upstream`, apply each
 * rule group as its own commit (renames checked site by site against what
 * libclang expects), emit the reports, and only then rename the temporary
 * dir into place.  On any error the temporary dir is removed: no
 * half-written port dir is ever left behind. */
#define _GNU_SOURCE
#include "kp_port.h"
#include "kp_config.h"
#include "kp_git.h"
#include "kp_outdir.h"
#include "kp_proc.h"
#include "kp_rewrite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


/* Port-dir path of a tree-relative file: relative to the module dir, or
 * imports/<tree path> for imported files from elsewhere in the tree. */
char *kp_port_path(const kp_port *p, const char *tree_rel)
{
	char *abs = ku_path_join(p->tree.root, tree_rel);
	char *rel = ku_relpath_in(p->driver_dir, abs);
	free(abs);
	return rel ? rel : ku_printf("imports/%s", tree_rel); /* imported tree files */
}

static int stage_files(kp_port *p, const char *work, ku_strv *files)
{
	json_t *list = json_object_get(p->inventory, "files");
	size_t i;
	json_t *f;
	json_array_foreach(list, i, f) {
		const char *rel = json_string_value(f);
		if (!rel)
			continue;
		char *src = ku_path_join(p->tree.root, rel);
		char *dst_rel = kp_port_path(p, rel);
		char *dst = ku_path_join(work, dst_rel);
		char *dir = ku_dirname(dst);
		int rc = ku_mkdir_p(dir) || ku_copy_file(src, dst);
		if (rc == 0)
			ku_strv_push_unique(files, dst_rel);
		free(src), free(dst_rel), free(dst), free(dir);
		if (rc)
			return -1;
	}
	ku_strv_sort(files);
	if (files->n == 0)
		return ku_err("the analysis found no files of %s to port", p->module->name);
	return 0;
}

/* The imported tree files, unmodified, as a commit of their own whose
 * message gives the reason for each. */
static int stage_imports(kp_port *p, const char *work)
{
	if (json_array_size(p->imports) == 0)
		return 0;
	ku_buf msg = {0};
	ku_buf_printf(&msg, "imports: %zu files from Linux %s\n\nTree files the driver needs, unmodified; "
			    "kbuild compiles each with the flags of its own\nobject.  Why each one:\n\n",
		      json_array_size(p->imports), p->tree.version);
	size_t i;
	json_t *e, *f;
	json_array_foreach(p->imports, i, e)
		ku_buf_printf(&msg, "  %s: %s\n", kp_jstr(e, "file"), kp_jstr(e, "reason"));
	int rc = 0;
	json_array_foreach(json_object_get(p->closure, "files"), i, f) {
		const char *rel = json_string_value(f);
		char *abs = rel ? ku_path_join(p->tree.root, rel) : NULL;
		char *in_tree = abs ? ku_relpath_in(p->tree.root, abs) : NULL;
		char *dst_rel = in_tree ? kp_port_path(p, rel) : NULL;
		char *dst = dst_rel ? ku_path_join(work, dst_rel) : NULL;
		/* Every file of the closure not staged with the driver (companions
		 * in the driver's own dir included). */
		if (dst && !ku_exists(dst)) {
			char *dir = ku_dirname(dst);
			rc |= ku_mkdir_p(dir) || ku_copy_file(abs, dst);
			free(dir);
		}
		free(dst_rel), free(dst);
		free(abs), free(in_tree);
	}
	if (rc == 0)
		rc = kg_commit_all(work, msg.s, NULL);
	ku_buf_free(&msg);
	return rc ? -1 : 0;
}

/* The rename sites libclang expects, per port file. */
typedef struct rn_site {
	char *file;  /* port-relative */
	int line, col;
	char *name, *to;
} rn_site;

static size_t collect_rename_sites(kp_port *p, rn_site **out)
{
	/* Sites in the driver and in imported files alike. */
	json_t *syms = json_object_get(p->closure ? p->closure : p->inventory, "symbols");
	size_t n = 0, i;
	json_t *s;
	*out = NULL;
	json_array_foreach(syms, i, s) {
		json_t *d = NULL, *x;
		size_t j;
		json_array_foreach(p->dispositions, j, x)
			if (!strcmp(kp_jstr(x, "symbol"), kp_jstr(s, "name")))
				d = x;
		if (!d || strcmp(kp_jstr(d, "disposition"), "rename") != 0)
			continue;
		size_t k;
		json_t *site;
		json_array_foreach(json_object_get(s, "sites"), k, site) {
			*out = ku_realloc(*out, (n + 1) * sizeof **out);
			(*out)[n].file = kp_port_path(p, kp_jstr(site, "file"));
			(*out)[n].line = (int)json_integer_value(json_object_get(site, "line"));
			(*out)[n].col = (int)json_integer_value(json_object_get(site, "col"));
			(*out)[n].name = ku_strdup(kp_jstr(d, "symbol"));
			(*out)[n].to = ku_strdup(kp_jstr(d, "target"));
			n++;
		}
	}
	return n;
}

static void free_sites(rn_site *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].file), free(s[i].name), free(s[i].to);
	free(s);
}

/* Rename one identifier at line:col in place, if it is still there. */
static int token_rename(const char *path, int line, int col, const char *from, const char *to)
{
	ku_buf b = {0};
	if (ku_read_file(path, &b) != 0)
		return -1;
	char *l = b.s;
	for (int i = 1; i < line && l; i++) {
		l = strchr(l, '\n');
		if (l)
			l++;
	}
	int rc = -1;
	size_t fl = strlen(from);
	if (l && col >= 1 && strlen(l) >= (size_t)col - 1 + fl && strncmp(l + col - 1, from, fl) == 0) {
		size_t at = (size_t)(l - b.s) + (size_t)col - 1;
		ku_buf nb = {0};
		ku_buf_add(&nb, b.s, at);
		ku_buf_puts(&nb, to);
		ku_buf_add(&nb, b.s + at + fl, b.len - at - fl);
		rc = ku_write_file(path, nb.s, nb.len);
		ku_buf_free(&nb);
	}
	ku_buf_free(&b);
	return rc;
}

/* Earlier rule commits moved lines: map a line number of the tree's file to
 * the current one through the hunks of `git diff -U0 pristine -- file`
 * (tag `pristine`: upstream plus the unmodified imports).  A line
 * inside a changed hunk has no reliable new position: returns 0. */
typedef struct line_map {
	int *old_start, *old_len, *new_start, *new_len;
	size_t n;
} line_map;

static void line_map_load(const char *work, const char *file, line_map *m)
{
	memset(m, 0, sizeof *m);
	ku_buf out = {0};
	const char *args[] = {"diff", "-U0", "--no-color", "pristine", "--", file, NULL};
	if (kg_git(work, args, &out) == 0)
		for (const char *l = out.s; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
			int a, b = 1, c, d = 1;
			if (strncmp(l, "@@ -", 4) != 0)
				continue;
			const char *q = l + 4;
			a = (int)strtol(q, (char **)&q, 10);
			if (*q == ',')
				b = (int)strtol(q + 1, (char **)&q, 10);
			q = strchr(q, '+');
			if (!q)
				continue;
			c = (int)strtol(q + 1, (char **)&q, 10);
			if (*q == ',')
				d = (int)strtol(q + 1, (char **)&q, 10);
			m->old_start = ku_realloc(m->old_start, (m->n + 1) * sizeof(int));
			m->old_len = ku_realloc(m->old_len, (m->n + 1) * sizeof(int));
			m->new_start = ku_realloc(m->new_start, (m->n + 1) * sizeof(int));
			m->new_len = ku_realloc(m->new_len, (m->n + 1) * sizeof(int));
			m->old_start[m->n] = a, m->old_len[m->n] = b;
			m->new_start[m->n] = c, m->new_len[m->n] = d;
			m->n++;
		}
	ku_buf_free(&out);
}

static int line_map_apply(const line_map *m, int line)
{
	int delta = 0;
	for (size_t i = 0; i < m->n; i++) {
		/* -a,0 is a pure insertion after line a; -a,b replaces lines a..a+b-1 */
		int first = m->old_len[i] ? m->old_start[i] : m->old_start[i] + 1;
		int last = m->old_start[i] + m->old_len[i] - 1;
		if (m->old_len[i] && line >= first && line <= last)
			return 0;
		if (line >= first)
			delta += m->new_len[i] - m->old_len[i];
	}
	return line + delta;
}

static void line_map_free(line_map *m)
{
	free(m->old_start), free(m->old_len), free(m->new_start), free(m->new_len);
}

static int site_cmp_desc(const void *a, const void *b)
{
	const rn_site *x = a, *y = b;
	int c = strcmp(x->file, y->file);
	if (c)
		return c;
	if (x->line != y->line)
		return y->line - x->line;
	return y->col - x->col;
}

/* Did spatch's matched list contain this site? */
static int was_matched(json_t *matched, const rn_site *s)
{
	size_t i;
	json_t *m;
	json_array_foreach(matched, i, m) {
		if ((int)json_integer_value(json_object_get(m, "line")) == s->line &&
		    (int)json_integer_value(json_object_get(m, "col")) == s->col)
			return 1;
	}
	return 0;
}

static int apply_renames(kp_port *p, const kr_group *g, const char *work, int *sites_changed,
			 int *fixed_up)
{
	rn_site *sites;
	size_t n = collect_rename_sites(p, &sites);
	*sites_changed = 0;
	*fixed_up = 0;
	if (n == 0) {
		free(sites);
		return 0;
	}
	/* libclang saw the upstream files; earlier groups may have moved lines. */
	ku_strv seen = {0};
	for (size_t i = 0; i < n; i++) {
		if (ku_strv_has(&seen, sites[i].file))
			continue;
		ku_strv_push(&seen, sites[i].file);
		line_map lm;
		line_map_load(work, sites[i].file, &lm);
		for (size_t k = i; k < n; k++)
			if (!strcmp(sites[k].file, sites[i].file))
				sites[k].line = line_map_apply(&lm, sites[k].line);
		line_map_free(&lm);
	}
	ku_strv_free(&seen);
	qsort(sites, n, sizeof *sites, site_cmp_desc);
	/* One spatch run per file that has sites, with that file's site list. */
	ku_strv paths = {0};
	for (size_t i = 0; i < n; i++)
		ku_strv_push_unique(&paths, sites[i].file);
	kr_file *files = ku_calloc(paths.n, sizeof *files);
	int rc = 0;
	for (size_t f = 0; f < paths.n && rc == 0; f++) {
		json_t *doc = json_object(), *ren = json_object(), *arr = json_array();
		for (size_t i = 0; i < n; i++) {
			if (strcmp(sites[i].file, paths.v[f]) != 0)
				continue;
			json_object_set_new(ren, sites[i].name, json_string(sites[i].to));
			json_t *s = json_object();
			json_object_set_new(s, "file", json_string(ku_basename(sites[i].file)));
			json_object_set_new(s, "line", json_integer(sites[i].line));
			json_object_set_new(s, "col", json_integer(sites[i].col));
			json_object_set_new(s, "name", json_string(sites[i].name));
			json_array_append_new(arr, s);
		}
		json_object_set_new(doc, "renames", ren);
		json_object_set_new(doc, "sites", arr);
		char *sj = ku_printf("%s/.kpiport-sites-%zu.json", work, f);
		if (json_dump_file(doc, sj, JSON_SORT_KEYS | JSON_COMPACT) != 0)
			rc = ku_err("cannot write %s", sj);
		json_decref(doc);
		files[f].path = ku_path_join(work, paths.v[f]);
		ku_strv_pushf(&files[f].defines, "sites=%s", sj);
		files[f].matched = ku_printf("%s/.kpiport-matched-%zu.json", work, f);
		free(sj);
	}
	if (rc == 0 && kr_apply(g, files, paths.n, p->opt.jobs) < 0)
		rc = -1;
	/* Compare expected with changed; rename what spatch could not reach at
	 * libclang's exact position, and report each such miss. */
	for (size_t f = 0; f < paths.n && rc == 0; f++) {
		json_error_t jerr;
		json_t *matched = json_load_file(files[f].matched, 0, &jerr);
		json_t *marr = json_is_array(matched) ? matched : json_object_get(matched, "matched");
		for (size_t i = 0; i < n; i++) {
			if (strcmp(sites[i].file, paths.v[f]) != 0)
				continue;
			if (was_matched(marr, &sites[i])) {
				(*sites_changed)++;
				continue;
			}
			int fixed = token_rename(files[f].path, sites[i].line, sites[i].col, sites[i].name,
						 sites[i].to) == 0;
			json_t *m = json_object();
			json_object_set_new(m, "file", json_string(sites[i].file));
			json_object_set_new(m, "line", json_integer(sites[i].line));
			json_object_set_new(m, "col", json_integer(sites[i].col));
			json_object_set_new(m, "symbol", json_string(sites[i].name));
			json_object_set_new(m, "target", json_string(sites[i].to));
			json_object_set_new(m, "rule", json_string(g->id));
			json_object_set_new(m, "resolution", json_string(
				fixed ? "renamed by kpiport at libclang's position" : "NOT renamed"));
			json_array_append_new(p->misses, m);
			if (fixed) {
				(*sites_changed)++;
				(*fixed_up)++;
			}
		}
		json_decref(matched);
	}
	for (size_t f = 0; f < paths.n; f++) {
		if (files[f].matched)
			unlink(files[f].matched);
		const char *sj = files[f].defines.n ? files[f].defines.v[0] + strlen("sites=") : NULL;
		if (sj)
			unlink(sj);
		free(files[f].path), free(files[f].matched), free(files[f].error);
		ku_strv_free(&files[f].defines);
	}
	free(files);
	ku_strv_free(&paths);
	free_sites(sites, n);
	return rc;
}

/* The entry rules refuse `module_init(f)` written without its ';' (legal
 * Linux, but Coccinelle cannot match it) with "kpiport: FILE:LINE: ... has
 * no ';' after it".  Add the ';' after the call at that line; the fix lands
 * in the same reviewed commit as the rewrite it enables.  1 if fixed. */
static int add_missing_semicolon(const char *path, const char *error)
{
	const char *m = strstr(error, "has no ';' after it");
	if (!m)
		return 0;
	const char *colon = m;
	while (colon > error && !(colon[0] == ':' && colon[1] == ' '))
		colon--; /* ": module_init(...)" */
	const char *num = colon;
	while (num > error && num[-1] >= '0' && num[-1] <= '9')
		num--;
	int line = atoi(num);
	ku_buf b = {0};
	if (line < 1 || ku_read_file(path, &b) != 0)
		return 0;
	char *l = b.s;
	for (int i = 1; i < line && l; i++)
		l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL;
	int fixed = 0;
	char *open = l ? strchr(l, '(') : NULL;
	if (open) {
		int depth = 0;
		char *q = open;
		for (; *q; q++) {
			depth += (*q == '(') - (*q == ')');
			if (depth == 0)
				break;
		}
		if (*q == ')') {
			size_t at = (size_t)(q - b.s) + 1;
			ku_buf nb = {0};
			ku_buf_add(&nb, b.s, at);
			ku_buf_putc(&nb, ';');
			ku_buf_add(&nb, b.s + at, b.len - at);
			fixed = ku_write_file(path, nb.s, nb.len) == 0;
			ku_buf_free(&nb);
		}
	}
	ku_buf_free(&b);
	return fixed;
}

static int apply_structural(kp_port *p, const kr_group *g, const char *work, const ku_strv *files)
{
	size_t n = 0;
	kr_file *kf = ku_calloc(files->n + 1, sizeof *kf);
	for (size_t i = 0; i < files->n; i++)
		if (ku_endswith(files->v[i], ".c"))
			kf[n++].path = ku_path_join(work, files->v[i]);
	int rc;
	for (int tries = 0;; tries++) {
		rc = kr_apply(g, kf, n, p->opt.jobs);
		int fixed = 0;
		for (size_t i = 0; i < n; i++) {
			if (rc < 0 && kf[i].error && tries < 4)
				fixed |= add_missing_semicolon(kf[i].path, kf[i].error);
			free(kf[i].error);
			kf[i].error = NULL;
		}
		if (rc >= 0 || !fixed)
			break;
	}
	for (size_t i = 0; i < n; i++)
		free(kf[i].path);
	free(kf);
	return rc; /* files changed, or -1 */
}

/* The port must come out with exactly one main(): spatch skips what it
 * cannot parse without a word, a module may have no entry point at all, and
 * two files of one module may each declare one. */
static int check_entry_points(kp_port *p, const char *work, const ku_strv *files)
{
	ku_strv mains = {0};
	for (size_t i = 0; i < files->n; i++) {
		char *path = ku_path_join(work, files->v[i]);
		ku_buf b = {0};
		if (ku_endswith(files->v[i], ".c") && ku_read_file(path, &b) == 0 &&
		    strstr(b.s, "int main(int argc, char **argv)"))
			ku_strv_push(&mains, files->v[i]);
		ku_buf_free(&b);
		free(path);
	}
	json_t *eps = json_object_get(p->inventory, "entry_points");
	int rc = 0;
	if (mains.n > 1) {
		ku_buf names = {0};
		for (size_t i = 0; i < mains.n; i++)
			ku_buf_printf(&names, "%s%s", i ? ", " : "", mains.v[i]);
		rc = ku_err("%s: %zu files of the module define main() (%s): a module has one "
			    "module_init/module_exit pair, the daemon one main()", p->module->name, mains.n,
			    names.s);
		ku_buf_free(&names);
	} else if (mains.n == 0 && json_array_size(eps) == 0) {
		rc = ku_err("%s: no entry point: none of its files has a module_init(), a "
			    "module_*_driver() or another macro defining init_module, so the daemon would "
			    "have no main()", p->module->name);
	} else if (mains.n == 0) {
		json_t *ep = json_array_get(eps, 0);
		rc = ku_err("%s:%d: spatch did not turn %s into a main() (Coccinelle could not parse "
			    "this code, or no rule in rules.cocci matches this form)",
			    kp_jstr(ep, "file"), (int)json_integer_value(json_object_get(ep, "line")),
			    kp_jstr(ep, "kind"));
	}
	ku_strv_free(&mains);
	return rc;
}

/* Files the tree has with CRLF line ends only (a few drivers do): spatch
 * and the renames write LF, so every rule commit puts CRLF back, and the
 * diffs show the change, not the line ends. */
static void find_crlf_files(const char *work, ku_strv *crlf)
{
	ku_buf out = {0};
	const char *ls[] = {"ls-files", NULL};
	if (kg_git(work, ls, &out) == 0)
		for (char *l = out.s, *nl; l && *l; l = nl ? nl + 1 : NULL) {
			nl = strchr(l, '\n');
			if (nl)
				*nl = 0;
			char *path = ku_path_join(work, l);
			ku_buf b = {0};
			if (ku_read_file(path, &b) == 0 && b.len && strstr(b.s, "\r\n")) {
				int lone_lf = 0;
				for (size_t i = 0; i < b.len && !lone_lf; i++)
					lone_lf = b.s[i] == '\n' && (i == 0 || b.s[i - 1] != '\r');
				if (!lone_lf)
					ku_strv_push(crlf, l);
			}
			ku_buf_free(&b);
			free(path);
		}
	ku_buf_free(&out);
}

static int restore_crlf(const char *work, const ku_strv *crlf)
{
	int rc = 0;
	for (size_t f = 0; f < crlf->n && rc == 0; f++) {
		char *path = ku_path_join(work, crlf->v[f]);
		ku_buf b = {0}, nb = {0};
		int changed = 0;
		if (ku_read_file(path, &b) == 0) {
			for (size_t i = 0; i < b.len; i++) {
				if (b.s[i] == '\n' && (i == 0 || b.s[i - 1] != '\r')) {
					ku_buf_putc(&nb, '\r');
					changed = 1;
				}
				ku_buf_putc(&nb, b.s[i]);
			}
			if (changed)
				rc = ku_write_file(path, nb.s, nb.len);
		}
		ku_buf_free(&b), ku_buf_free(&nb);
		free(path);
	}
	return rc;
}

static int run_groups(kp_port *p, const char *work, const ku_strv *files)
{
	kr_group *groups;
	size_t ng;
	if (kr_load_groups(p->opt.rules, &groups, &ng) != 0)
		return -1;
	ku_strv crlf = {0};
	find_crlf_files(work, &crlf);
	int rc = 0;
	for (size_t gi = 0; gi < ng && rc == 0; gi++) {
		const kr_group *g = &groups[gi];
		double t0 = kp_now();
		int is_rename = strcmp(g->id, "rename") == 0;
		int sites = 0, fixed = 0;
		if (is_rename) {
			rc = apply_renames(p, g, work, &sites, &fixed);
		} else {
			rc = apply_structural(p, g, work, files) < 0 ? -1 : 0;
		}
		if (rc == 0)
			rc = restore_crlf(work, &crlf);
		if (rc != 0)
			break;
		/* Whatever the rule reports, the work tree is the truth: every change
		 * lands in this group's commit, never in a later one. */
		int hunks = kg_count_hunks(work, "HEAD", NULL);
		if (!is_rename)
			sites = hunks;
		json_t *r = json_object();
		json_object_set_new(r, "group", json_string(g->id));
		json_object_set_new(r, "title", json_string(g->title));
		json_object_set_new(r, "rule", json_string(ku_basename(g->path)));
		json_object_set_new(r, "sites", json_integer(sites));
		json_object_set_new(r, "fixed_up", json_integer(fixed));
		json_array_append_new(p->rules_log, r);
		json_object_set_new(p->timings, g->id, json_real(kp_now() - t0));
		if (hunks == 0) {
			/* Nothing to review: no commit; report.md lists the group with 0 sites. */
			json_object_set_new(r, "commit", json_null());
			continue;
		}
		ku_buf msg = {0};
		ku_buf_printf(&msg, "%s\n\n%s\n\nRule: %s\nSites changed: %d\n", g->title,
			      g->description, ku_basename(g->path), sites);
		if (fixed)
			ku_buf_printf(&msg, "Sites spatch could not reach, renamed by kpiport at libclang's "
					    "positions: %d (listed in report.md)\n", fixed);
		char *sha = NULL;
		rc = kg_commit_all(work, msg.s, &sha);
		ku_buf_free(&msg);
		json_object_set_new(r, "commit", rc == 0 ? json_string(sha) : json_null());
		free(sha);
	}
	if (rc == 0)
		rc = check_entry_points(p, work, files);
	if (rc == 0 && kp_stub_count(p)) {
		/* The porting TODOs, as a commit of their own. */
		char *src = kp_stubs_source(p);
		char *path = ku_path_join(work, "kpiport_stubs.c");
		rc = ku_write_file(path, src, strlen(src));
		char *msg = ku_printf("generated stubs: %zu porting TODOs\n\nkpiport_stubs.c defines every "
				      "out-of-line name no mapping table or import provides.\nEach one names itself "
				      "and fails loudly when reached (unless its table\nentry gives a safe return "
				      "value); report.md lists them.\n", kp_stub_count(p));
		if (rc == 0)
			rc = kg_commit_all(work, msg, NULL);
		free(src), free(path), free(msg);
	}
	kr_free_groups(groups, ng);
	ku_strv_free(&crlf);
	return rc;
}

/* OUT, normalised and checked once, before the long work: the default is
 * ports/<module>, known once kbuild named the module. */
static int resolve_out(kp_port *p, ko_out *out)
{
	char *cache = kt_cache_dir();
	ko_guard g = {.tree = p->tree.root, .cache = cache, .driver_dir = p->driver_dir,
		      .sources = KPIPORT_SOURCE_DIR};
	char *dflt = p->opt.out ? NULL : ku_printf("ports/%s", p->module->name);
	int rc = ko_resolve(p->opt.out ? p->opt.out : dflt, &g, p->opt.force, out);
	free(cache), free(dflt);
	if (rc == 0) {
		free(p->out_abs);
		p->out_abs = ku_strdup(out->path);
		p->opt.out = p->out_abs;
	}
	return rc;
}

int kp_port_run(kp_port *p)
{
	/* Say what is missing before any work, not halfway through. */
	static const char *const tools[] = {"spatch", "git", "make", KCFG_CC, NULL};
	for (const char *const *t = tools; *t; t++)
		if (!kp_have_program(*t))
			return ku_err("%s: not found on PATH (tools/setup.sh installs it)", *t);
	ko_out out;
	if (kp_scan_kbuild(p) != 0 || resolve_out(p, &out) != 0)
		return -1;
	if (kp_scan_rest(p) != 0 || kp_check_interrupted() != 0 || ko_stage(&out) != 0) {
		ko_free(&out);
		return -1;
	}
	const char *work = out.work;
	ku_strv files = {0};
	int rc = stage_files(p, work, &files);
	if (rc == 0)
		rc = kg_init(work);
	if (rc == 0) {
		ku_buf msg = {0};
		ku_buf_printf(&msg, "upstream: %s from Linux %s\n\nThe driver's files as they are in the "
				    "tree, unmodified:\n\n", p->module->name, p->tree.version);
		for (size_t i = 0; i < files.n; i++)
			ku_buf_printf(&msg, "  %s/%s\n", p->module->dir, files.v[i]);
		rc = kg_commit_all(work, msg.s, NULL);
		ku_buf_free(&msg);
	}
	if (rc == 0) {
		const char *tag[] = {"tag", "upstream", NULL};
		rc = kg_git(work, tag, NULL);
	}
	if (rc == 0)
		rc = stage_imports(p, work);
	if (rc == 0) {
		const char *tag[] = {"tag", "pristine", NULL};
		rc = kg_git(work, tag, NULL);
	}
	if (rc == 0)
		rc = kp_check_interrupted();
	if (rc == 0)
		rc = run_groups(p, work, &files);
	if (rc == 0)
		rc = kp_check_interrupted();
	if (rc == 0)
		rc = kp_emit(p, work);
	if (rc == 0)
		rc = kp_check_interrupted();
	if (rc == 0)
		rc = ko_install(&out, p->opt.force);
	ko_free(&out); /* after an error: removes the staged dir */
	ku_strv_free(&files);
	return rc;
}
