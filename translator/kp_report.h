/* kp_report.h (prefix krep_): report.json, the one place the stages' typed
 * values become JSON for tools.  Its shape is the JSON Schema
 * translator/report.schema.json (tests/unit/check_report_schema.py checks
 * every report against it); "report_version" says which version of that
 * schema a report follows, and changes with it.  `kpiport scan --json`
 * prints the same inventory and dispositions through the same functions.
 * (The analysis cache is the inventory's other JSON edge: kp_inv.c reads
 * it, kp_analyze.c writes it.) */
#ifndef KP_REPORT_H
#define KP_REPORT_H

#include "kp_compat.h"
#include "kp_configure.h"
#include "kp_disp.h"
#include "kp_inv.h"
#include "kp_kbuild.h"
#include "kp_resolve.h"
#include "kp_rewrite.h"
#include "kp_tree.h"

/* 1: the unversioned report of kpiport before it said so.  2: dispositions
 * list their keys in one order (symbol ... disposition), whatever decided
 * them; "report_version" added.  3: tree.adaptations (runtime/lx's version
 * adaptations, kp_compat). */
#define KREP_VERSION 3

typedef struct krep_port {
	const kt_tree *tree;
	const kb_module *module;
	const kconf_config *config;    /* fragment, chain, objects */
	const ki_inventory *inventory; /* the driver's */
	const kres_result *resolved;   /* dispositions, imports */
	const krw_result *rewrite;     /* rule groups, missed rename sites */
	const kcompat_list *compat;    /* runtime/lx's version adaptations, or NULL */
} krep_port;

/* report.json's text (malloc'd, no final newline). */
char *krep_report_json(const krep_port *p);
/* `kpiport scan --json`: {"inventory", "dispositions"[, "imports"]} with
 * imports when the resolve stage ran (resolved != NULL). */
char *krep_scan_json(const ki_inventory *inv, const kd_list *disps, const kres_result *resolved);

/* The pieces (new references), for the two documents above and the tests. */
json_t *krep_inventory(const ki_inventory *inv);
json_t *krep_dispositions(const kd_list *d);

#endif
