/* kp_upstream.c: the upstream and imports commits (see kp_upstream.h). */
#define _GNU_SOURCE
#include "kp_upstream.h"
#include "kp_git.h"
#include "kp_paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int stage_files(const kup_input *in, ku_strv *files)
{
	for (size_t i = 0; i < in->driver->files.n; i++) {
		const char *rel = in->driver->files.v[i];
		char *src = ku_path_join(in->tree->root, rel);
		char *dst_rel = kpath_port_file(in->tree->root, in->driver_dir, rel);
		char *dst = ku_path_join(in->work, dst_rel);
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
		return ku_err("the analysis found no files of %s to port", in->module->name);
	return 0;
}

/* The imported tree files, unmodified, as a commit of their own whose
 * message gives the reason for each. */
static int stage_imports(const kup_input *in)
{
	if (in->nimports == 0)
		return 0;
	ku_buf msg = {0};
	ku_buf_printf(&msg, "imports: %zu files from Linux %s\n\nTree files the driver needs, unmodified; "
			    "kbuild compiles each with the flags of its own\nobject.  Why each one:\n\n",
		      in->nimports, in->tree->version);
	for (size_t i = 0; i < in->nimports; i++)
		ku_buf_printf(&msg, "  %s: %s\n", in->imports[i].file, in->imports[i].reason);
	int rc = 0;
	for (size_t i = 0; i < in->closure->files.n; i++) {
		const char *rel = in->closure->files.v[i];
		char *abs = ku_path_join(in->tree->root, rel);
		char *in_tree = ku_relpath_in(in->tree->root, abs);
		char *dst_rel = in_tree ? kpath_port_file(in->tree->root, in->driver_dir, rel) : NULL;
		char *dst = dst_rel ? ku_path_join(in->work, dst_rel) : NULL;
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
		rc = kg_commit_all(in->work, msg.s, NULL);
	ku_buf_free(&msg);
	return rc ? -1 : 0;
}

int kup_stage(const kup_input *in, ku_strv *files)
{
	int rc = stage_files(in, files);
	if (rc == 0)
		rc = kg_init(in->work);
	if (rc == 0) {
		ku_buf msg = {0};
		ku_buf_printf(&msg, "upstream: %s from Linux %s\n\nThe driver's files as they are in the "
				    "tree, unmodified:\n\n", in->module->name, in->tree->version);
		for (size_t i = 0; i < files->n; i++)
			ku_buf_printf(&msg, "  %s/%s\n", in->module->dir, files->v[i]);
		rc = kg_commit_all(in->work, msg.s, NULL);
		ku_buf_free(&msg);
	}
	if (rc == 0) {
		const char *tag[] = {"tag", "upstream", NULL};
		rc = kg_git(in->work, tag, NULL);
	}
	if (rc == 0)
		rc = stage_imports(in);
	if (rc == 0) {
		const char *tag[] = {"tag", "pristine", NULL};
		rc = kg_git(in->work, tag, NULL);
	}
	return rc;
}
