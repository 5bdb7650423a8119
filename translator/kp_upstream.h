/* kp_upstream.h (prefix kup_): the start of the port's history.  The
 * driver's files (what the analysis saw of its own dir: sources and local
 * headers) are copied into the staged port dir, a fresh git repository, as
 * the `upstream` commit (tagged); the imported tree files follow, unmodified,
 * as an `imports` commit whose message gives the reason for each; tag
 * `pristine` marks the tree's text, which the rewrite stage maps lines
 * against. */
#ifndef KP_UPSTREAM_H
#define KP_UPSTREAM_H

#include "kp_kbuild.h"
#include "kp_resolve.h"
#include "kp_tree.h"

typedef struct kup_input {
	const char *work;             /* the staged port dir (empty) */
	const kt_tree *tree;
	const kb_module *module;
	const char *driver_dir;
	const ki_inventory *driver;   /* files: the driver's own */
	const ki_inventory *closure;  /* files: the imports' too */
	const kres_import *imports;
	size_t nimports;
} kup_input;

/* Stage and commit; `files` receives the driver's port-relative files,
 * sorted.  -1 with ku_err(). */
int kup_stage(const kup_input *in, ku_strv *files);

#endif
