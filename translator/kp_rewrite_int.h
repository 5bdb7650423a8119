/* kp_rewrite_int.h: internals shared by the kp_rewrite*.c files (not an
 * interface: include kp_rewrite.h).  kp_rewrite.c runs the rule groups and
 * the renames; kp_rewrite_entry.c decides how the module's entry becomes
 * main(): which entry groups apply, the `;` their macros need, the
 * generic entry for every other form, and the one-main() check. */
#ifndef KP_REWRITE_INT_H
#define KP_REWRITE_INT_H

#include "kp_edit.h"
#include "kp_rewrite.h"
#include "kp_spatch.h"

/* Where each upstream line of port file `file` is now: the hunks of `git
 * diff -U0 pristine -- file` (earlier rule commits moved lines). */
void krw_line_map_load(const char *work, const char *file, ked_linemap *m);

/* 1 when every entry function of the module is written with a macro that
 * one of the entry groups (kpiport-entry: MACRO...) turns into main(), or
 * the module has none; 0 when another form is there (KSTM_MODULE_LOADERS,
 * a module_driver wrapper, init_module written out...): then only the
 * generic group (kpiport-entry: *) makes the main(). */
int krw_entries_known(const krw_input *in, const ksp_group *groups, size_t ng);

/* Before an entry group with macros runs: the `;` after each call of them
 * written without one, at the entry points libclang found. */
int krw_add_semicolons(const krw_input *in, const ksp_group *g);

/* 1 when a .c file of the module already defines main(). */
int krw_has_main(const krw_input *in);

/* The generic group: main() calling the entry functions, after the last
 * entry macro's call, which stays.  *note gets the commit message's lines
 * naming the macro(s) and functions.  Returns 0 (also when the module has
 * no entry function: krw_check_entry_points refuses it), -1 with ku_err(). */
int krw_apply_generic(const krw_input *in, const ksp_group *g, ku_buf *note);

/* Exactly one main() came out; -1 with ku_err() naming what went wrong. */
int krw_check_entry_points(const krw_input *in);

#endif
