/* kp_emit.h (prefix kem_): the emit stage, last: the port dir's records
 * as one commit - report.json (for tools, kp_report), report.md (for
 * people), patches/ (the rule commits as a format-patch series),
 * config.fragment and kpiport.record (what the port was made from),
 * CMakeLists.txt (kp_buildfiles) and redox/ (pcid-spawner config from the
 * device ID table, cookbook recipe: kp_redox) - then the machine-specific
 * files git ignores (compile_commands.json for clangd, kbuild flags).
 * Nothing here depends on time or machine state beyond the inputs, so
 * re-porting gives the same bytes. */
#ifndef KP_EMIT_H
#define KP_EMIT_H

#include "kp_report.h"

typedef struct kem_input {
	krep_port report;        /* tree, module, config, inventory, resolved, rewrite */
	const char *driver_dir;
	const char *out;         /* the port dir's final (absolute) path, for compile_commands.json */
	size_t nstubs;
} kem_input;

/* Write and commit the records in the staged port dir `work`. */
int kem_emit(const kem_input *in, const char *work);

#endif
