/* kp_analysis.c: the analyze stage (see kp_analysis.h): one forked worker
 * per source, results cached as JSON, read back as typed units. */
#define _GNU_SOURCE
#include "kp_analysis.h"
#include "kp_analyze.h"
#include "kp_cache.h"
#include "kp_hash.h"
#include "kp_proc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The analysis cache's format: bump it when kp_analyze's JSON changes shape
 * (and teach kp_inv_read.c the new one); old cache entries are then ignored. */
#define KP_ANALYSIS_FORMAT "ka-2"

typedef struct an_work {
	ka_source src;
	char *cache_file;
	char *err_file;
} an_work;

static int analyze_job(void *arg)
{
	an_work *w = arg;
	json_t *doc = NULL;
	if (ka_analyze_source(&w->src, &doc) != 0) {
		const char *e = ku_lasterr();
		ku_write_file(w->err_file, e, strlen(e));
		return 1;
	}
	char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS);
	int rc = ku_write_file(w->cache_file, text, strlen(text));
	free(text);
	json_decref(doc);
	return rc == 0 ? 0 : 1;
}

/* The hash of a dir's local headers (*.h directly in it, by name): they are
 * inputs of every source analysed as that dir's. */
static void dir_headers_hash(const char *dir, char out[65])
{
	kh_ctx *hh = kh_new();
	ku_strv hdrs = {0};
	DIR *dd = opendir(dir);
	for (struct dirent *e; dd && (e = readdir(dd));)
		if (e->d_name[0] != '.' && ku_endswith(e->d_name, ".h"))
			ku_strv_push(&hdrs, e->d_name);
	if (dd)
		closedir(dd);
	ku_strv_sort(&hdrs);
	for (size_t i = 0; i < hdrs.n; i++) {
		char *h = ku_path_join(dir, hdrs.v[i]);
		kh_add_file(hh, h);
		free(h);
	}
	kh_final(hh, out);
	ku_strv_free(&hdrs);
}

int kan_units(const kt_tree *tree, const char *builddir, const char *driver_dir, const ku_strv *sources,
	      const ku_strv *args, int jobs, ki_inventory **units)
{
	char *cache = kt_cache_dir();
	char *dir = ku_path_join(cache, "analysis");
	free(cache);
	if (ku_mkdir_p(dir) != 0) {
		free(dir);
		return -1;
	}
	/* The driver's local headers are inputs too (each source's own dir's,
	 * without a driver_dir; consecutive sources often share one). */
	char hdr_hash[65], *hdr_dir = NULL;
	ku_strv ddirs = {0};
	for (size_t i = 0; i < sources->n; i++) {
		char *d = driver_dir ? ku_strdup(driver_dir) : ku_dirname(sources->v[i]);
		ku_strv_push(&ddirs, d);
		free(d);
	}

	size_t n = sources->n;
	an_work *w = ku_calloc(n, sizeof *w);
	kproc_job *work = ku_calloc(n, sizeof *work);
	size_t njobs = 0;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		const char *ddir = ddirs.v[i];
		if (!hdr_dir || strcmp(hdr_dir, ddir) != 0) {
			free(hdr_dir);
			hdr_dir = ku_strdup(ddir);
			dir_headers_hash(ddir, hdr_hash);
		}
		kh_ctx *h = kh_new();
		kh_add_str(h, KP_ANALYSIS_FORMAT);
		kh_add_str(h, kh_self_id());
		kh_add_str(h, tree->key);
		kh_add_str(h, builddir);
		kh_add_str(h, hdr_hash);
		kh_add_str(h, ddir);
		for (size_t k = 0; k < args[i].n; k++)
			kh_add_str(h, args[i].v[k]);
		if (kh_add_file(h, sources->v[i]) != 0) {
			char discard[65];
			kh_final(h, discard);
			rc = -1;
			break;
		}
		char hex[65];
		kh_final(h, hex);
		w[i].src = (ka_source){.tree = tree->root, .builddir = builddir,
				       .path = sources->v[i], .driver_dir = ddir,
				       .args = &args[i]};
		w[i].cache_file = ku_printf("%s/%s.json", dir, hex);
		w[i].err_file = ku_printf("%s/%s.err.%ld", dir, hex, (long)getpid());
		if (ku_exists(w[i].cache_file)) {
			kcache_touch(w[i].cache_file);
		} else {
			work[njobs].fn = analyze_job;
			work[njobs].arg = &w[i];
			njobs++;
		}
	}
	if (rc == 0 && njobs) {
		ku_log("analysing %zu of %zu sources with libclang (-j%d)", njobs, n, jobs);
		kproc_parallel(work, njobs, jobs);
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (ku_exists(w[i].err_file)) {
			ku_buf e = {0};
			ku_read_file(w[i].err_file, &e);
			rc = ku_err("libclang cannot parse %s: %s", sources->v[i], ku_buf_str(&e));
			ku_buf_free(&e);
			unlink(w[i].err_file);
			break;
		}
		/* The cache's JSON is read back into typed values here, and only here. */
		json_error_t jerr;
		json_t *doc = json_load_file(w[i].cache_file, 0, &jerr);
		if (!doc)
			rc = ku_err("%s: damaged analysis cache entry (%s); delete it and retry",
				    w[i].cache_file, jerr.text);
		else if (!(units[i] = ki_read_unit(doc)))
			rc = ku_err("%s: damaged analysis cache entry (%s); delete it and retry",
				    w[i].cache_file, ku_lasterr());
		json_decref(doc);
	}
	for (size_t i = 0; i < n; i++) {
		if (rc != 0) {
			ki_free(units[i]);
			units[i] = NULL;
		}
		free(w[i].cache_file), free(w[i].err_file);
	}
	free(w), free(work), free(dir), free(hdr_dir);
	ku_strv_free(&ddirs);
	return rc;
}


int kan_run(const kt_tree *tree, const char *builddir, const char *driver_dir, const ku_strv *sources,
	    const ku_strv *args, int jobs, kan_result *out)
{
	memset(out, 0, sizeof *out);
	out->units = ku_calloc(sources->n + 1, sizeof *out->units);
	out->n = sources->n;
	if (kan_units(tree, builddir, driver_dir, sources, args, jobs, out->units) != 0) {
		kan_free(out);
		return -1;
	}
	out->inventory = ki_merge(out->units, out->n);
	return 0;
}

void kan_free(kan_result *r)
{
	for (size_t i = 0; i < r->n; i++)
		ki_free(r->units[i]);
	free(r->units);
	ki_free(r->inventory);
	memset(r, 0, sizeof *r);
}
