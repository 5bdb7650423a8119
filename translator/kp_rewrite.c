/* kp_rewrite.c: the rewrite stage (see kp_rewrite.h): rule groups as
 * commits, renames checked site by site against libclang, CRLF files kept
 * CRLF; how the entry becomes main() is kp_rewrite_entry.c's. */
#define _GNU_SOURCE
#include "kp_rewrite_int.h"
#include "kp_git.h"
#include "kp_paths.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The rename sites libclang expects, per port file. */
typedef struct rn_site {
	char *file;  /* port-relative */
	int line, col;
	char *name, *to;
} rn_site;

static size_t collect_rename_sites(const krw_input *in, rn_site **out)
{
	/* Sites in the driver and in imported files alike. */
	size_t n = 0;
	*out = NULL;
	for (size_t i = 0; i < in->closure->nsymbols; i++) {
		const ki_symbol *s = &in->closure->symbols[i];
		const kd_disp *d = kd_find(in->disps, s->name);
		if (!d || d->disposition != KM_RENAME)
			continue;
		for (size_t k = 0; k < s->nsites; k++) {
			*out = ku_realloc(*out, (n + 1) * sizeof **out);
			(*out)[n].file = kpath_port_file(in->tree_root, in->driver_dir, s->sites[k].file);
			(*out)[n].line = s->sites[k].line;
			(*out)[n].col = s->sites[k].col;
			(*out)[n].name = ku_strdup(d->symbol);
			(*out)[n].to = ku_strdup(d->target ? d->target : "");
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
	int rc = ku_read_file(path, &b);
	if (rc == 0)
		rc = ked_rename_token(&b, line, col, from, to);
	if (rc == 0)
		rc = ku_write_file(path, b.s, b.len);
	ku_buf_free(&b);
	return rc;
}

/* Earlier rule commits moved lines: the hunks of `git diff -U0 pristine --
 * file` (tag `pristine`: upstream plus the unmodified imports) map a line
 * of the tree's file to the current one. */
void krw_line_map_load(const char *work, const char *file, ked_linemap *m)
{
	ku_buf out = {0};
	const char *args[] = {"diff", "-U0", "--no-color", "pristine", "--", file, NULL};
	if (kg_git(work, args, &out) != 0)
		ku_buf_free(&out);
	ked_linemap_parse(ku_buf_str(&out), m);
	ku_buf_free(&out);
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

static int apply_renames(const krw_input *in, const ksp_group *g, krw_result *r, int *sites_changed,
			 int *fixed_up)
{
	const char *work = in->work;
	rn_site *sites;
	size_t n = collect_rename_sites(in, &sites);
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
		ked_linemap lm;
		krw_line_map_load(work, sites[i].file, &lm);
		for (size_t k = i; k < n; k++)
			if (!strcmp(sites[k].file, sites[i].file))
				sites[k].line = ked_linemap_apply(&lm, sites[k].line);
		ked_linemap_free(&lm);
	}
	ku_strv_free(&seen);
	qsort(sites, n, sizeof *sites, site_cmp_desc);
	/* One spatch run per file that has sites, with that file's site list. */
	ku_strv paths = {0};
	for (size_t i = 0; i < n; i++)
		ku_strv_push_unique(&paths, sites[i].file);
	ksp_file *files = ku_calloc(paths.n, sizeof *files);
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
	if (rc == 0 && ksp_apply(g, files, paths.n, in->jobs) < 0)
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
			r->misses = ku_realloc(r->misses, (r->nmisses + 1) * sizeof *r->misses);
			r->misses[r->nmisses++] = (krw_miss){
				.file = ku_strdup(sites[i].file), .line = sites[i].line, .col = sites[i].col,
				.symbol = ku_strdup(sites[i].name), .target = ku_strdup(sites[i].to),
				.rule = ku_strdup(g->id), .renamed = fixed};
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
		free(files[f].path), free(files[f].matched);
		ku_strv_free(&files[f].defines);
	}
	free(files);
	ku_strv_free(&paths);
	free_sites(sites, n);
	return rc;
}

static int apply_structural(const krw_input *in, const ksp_group *g)
{
	const ku_strv *files = in->files;
	if (krw_add_semicolons(in, g) != 0)
		return -1;
	size_t n = 0;
	ksp_file *kf = ku_calloc(files->n + 1, sizeof *kf);
	for (size_t i = 0; i < files->n; i++)
		if (ku_endswith(files->v[i], ".c"))
			kf[n++].path = ku_path_join(in->work, files->v[i]);
	int rc = ksp_apply(g, kf, n, in->jobs);
	for (size_t i = 0; i < n; i++)
		free(kf[i].path);
	free(kf);
	return rc; /* files changed, or -1 */
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

void krw_free(krw_result *r)
{
	for (size_t i = 0; i < r->ngroups; i++) {
		krw_group *g = &r->groups[i];
		free(g->group), free(g->title), free(g->rule), free(g->commit);
	}
	free(r->groups);
	for (size_t i = 0; i < r->nmisses; i++) {
		krw_miss *m = &r->misses[i];
		free(m->file), free(m->symbol), free(m->target), free(m->rule);
	}
	free(r->misses);
	memset(r, 0, sizeof *r);
}

int krw_rewrite(const krw_input *in, krw_result *r)
{
	memset(r, 0, sizeof *r);
	ksp_group *groups;
	size_t ng;
	if (ksp_load_groups(in->rules, &groups, &ng) != 0)
		return -1;
	ku_strv crlf = {0};
	find_crlf_files(in->work, &crlf);
	/* The entry groups write the forms they know; any other form goes to
	 * the generic group (kp_rewrite_entry.c).  A group that does not apply
	 * is not run and not listed. */
	int known = krw_entries_known(in, groups, ng);
	int rc = 0;
	for (size_t gi = 0; gi < ng && rc == 0; gi++) {
		const ksp_group *g = &groups[gi];
		if (g->entry_macros.n && !known)
			continue;
		if (g->entry_generic && known && krw_has_main(in))
			continue;
		double t0 = ku_now();
		int is_rename = strcmp(g->id, "rename") == 0;
		int sites = 0, fixed = 0;
		ku_buf note = {0};
		if (is_rename)
			rc = apply_renames(in, g, r, &sites, &fixed);
		else if (g->entry_generic)
			rc = krw_apply_generic(in, g, &note);
		else
			rc = apply_structural(in, g) < 0 ? -1 : 0;
		if (rc == 0)
			rc = restore_crlf(in->work, &crlf);
		if (rc != 0) {
			ku_buf_free(&note);
			break;
		}
		/* Whatever the rule reports, the work tree is the truth: every change
		 * lands in this group's commit, never in a later one. */
		int hunks = kg_count_hunks(in->work, "HEAD", NULL);
		if (!is_rename)
			sites = hunks;
		r->groups = ku_realloc(r->groups, (r->ngroups + 1) * sizeof *r->groups);
		krw_group *log = &r->groups[r->ngroups++];
		*log = (krw_group){.group = ku_strdup(g->id), .title = ku_strdup(g->title),
				   .rule = ku_strdup(ku_basename(g->path)), .sites = sites, .fixed_up = fixed};
		log->seconds = ku_now() - t0;
		if (hunks == 0) {
			ku_buf_free(&note);
			continue; /* nothing to review: no commit; report.md lists the group with 0 sites */
		}
		ku_buf msg = {0};
		ku_buf_printf(&msg, "%s\n\n%s\n\n", g->title, g->description);
		if (note.len) /* what the generic entry found: a paragraph of its own */
			ku_buf_printf(&msg, "%s\n", note.s);
		ku_buf_printf(&msg, "Rule: %s\nSites changed: %d\n", ku_basename(g->path), sites);
		if (fixed)
			ku_buf_printf(&msg, "Sites spatch could not reach, renamed by kpiport at libclang's "
					    "positions: %d (listed in report.md)\n", fixed);
		rc = kg_commit_all(in->work, msg.s, &log->commit);
		ku_buf_free(&msg);
		ku_buf_free(&note);
	}
	if (rc == 0)
		rc = krw_check_entry_points(in);
	ksp_free_groups(groups, ng);
	ku_strv_free(&crlf);
	return rc;
}
