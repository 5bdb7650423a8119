/* kp_stubs.h (prefix kstub_): the stubs stage, after the rewrite.  Every
 * out-of-line name whose disposition is `stub` gets a definition in
 * kpiport_stubs.c, committed on its own as the port's list of TODOs: a
 * function stub logs "kpiport stub reached: NAME (declared in HEADER)",
 * prints a backtrace and aborts, unless its table entry gives a safe
 * return value; a variable gets a zeroed definition.  Function stubs are
 * defined under a private name and aliased to the Linux one, so they need
 * no prototype: the libclang prototype is kept beside each as a comment for
 * the reviewer. */
#ifndef KP_STUBS_H
#define KP_STUBS_H

#include "kp_disp.h"

/* kpiport_stubs.c's text for module `module` (malloc'd); headers of stubbed
 * variables are included in the port's form (kp_paths). */
char *kstub_source(const char *module, const char *tree_root, const char *driver_dir, const kd_list *d);

/* Write kpiport_stubs.c into the port dir `work` and commit it, when there
 * are stubs (kd_stub_count).  0 (also when there are none) or -1. */
int kstub_commit(const char *work, const char *module, const char *tree_root, const char *driver_dir,
		 const kd_list *d);

#endif
