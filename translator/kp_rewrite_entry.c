/* kp_rewrite_entry.c: how a module's entry becomes the daemon's main()
 * (see kp_rewrite_int.h).
 *
 * The entry functions come from libclang, not from macro names: under
 * -DMODULE every form ends in module_init/module_exit, which name the
 * function init_module/cleanup_module stand for (kp_inv.h: ki_entryfn).
 * The entry groups rewrite the forms reviewers see most (module_init,
 * module_*_driver) into tidy diffs; their `// kpiport-entry:` lines say
 * which macros those are.  Any other form (KSTM_MODULE_LOADERS, comedi's
 * module_comedi_pci_driver, drm_module_pci_driver, init_module written
 * out, ...) goes to the generic group, which leaves the macro where it is
 * and adds a main() calling the functions libclang found.  So no list of
 * macro names decides whether a port succeeds: the lists only choose the
 * nicer diff. */
#define _GNU_SOURCE
#include "kp_rewrite_int.h"
#include "kp_git.h"
#include "kp_paths.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int krw_entries_known(const krw_input *in, const ksp_group *groups, size_t ng)
{
	const ki_inventory *d = in->driver;
	for (size_t i = 0; i < d->nentryfns; i++) {
		const char *m = d->entryfns[i].macro;
		int known = 0;
		for (size_t k = 0; m && k < ng && !known; k++)
			known = ku_strv_has(&groups[k].entry_macros, m);
		if (!known)
			return 0;
	}
	return 1;
}

/* Coccinelle cannot match `module_init(f)` written without its `;` (legal
 * Linux: the macro ends in a declaration).  Before a group whose file names
 * such macros runs, add the `;` after each of their calls at the entry
 * points libclang found, so the fix lands in the same reviewed commit as
 * the rewrite it enables. */
static int add_semicolon_at(const krw_input *in, const char *file, int upstream_line, const ku_strv *macros)
{
	char *rel = kpath_port_file(in->tree_root, in->driver_dir, file);
	char *path = ku_path_join(in->work, rel);
	ku_buf b = {0};
	int rc = 0;
	if (ku_endswith(rel, ".c") && ku_read_file(path, &b) == 0) {
		ked_linemap lm;
		krw_line_map_load(in->work, rel, &lm);
		int line = ked_linemap_apply(&lm, upstream_line);
		ked_linemap_free(&lm);
		if (ked_add_semicolon(&b, line, macros))
			rc = ku_write_file(path, b.s, b.len);
	}
	ku_buf_free(&b);
	free(rel), free(path);
	return rc;
}

int krw_add_semicolons(const krw_input *in, const ksp_group *g)
{
	int rc = 0;
	for (size_t i = 0; i < in->driver->nentries && rc == 0 && g->entry_macros.n; i++)
		rc = add_semicolon_at(in, in->driver->entries[i].file, in->driver->entries[i].line,
				      &g->entry_macros);
	return rc;
}

/* Port-relative .c files of the module that define main(). */
static void files_with_main(const krw_input *in, ku_strv *mains)
{
	const ku_strv *files = in->files;
	for (size_t i = 0; i < files->n; i++) {
		char *path = ku_path_join(in->work, files->v[i]);
		ku_buf b = {0};
		if (ku_endswith(files->v[i], ".c") && ku_read_file(path, &b) == 0 &&
		    strstr(b.s, "int main(int argc, char **argv)"))
			ku_strv_push(mains, files->v[i]);
		ku_buf_free(&b);
		free(path);
	}
}

int krw_has_main(const krw_input *in)
{
	ku_strv mains = {0};
	files_with_main(in, &mains);
	int has = mains.n > 0;
	ku_strv_free(&mains);
	return has;
}

/* "init_module = f (MACRO at file:line)", for the commit message. */
static void describe(const krw_input *in, const ki_entryfn *e, ku_buf *b)
{
	char *rel = kpath_port_file(in->tree_root, in->driver_dir, e->file);
	const char *alias = e->role == KI_INIT ? "init_module" : "cleanup_module";
	if (e->macro)
		ku_buf_printf(b, "%s = %s (%s at %s:%d)\n", alias, e->function, e->macro, rel, e->line);
	else
		ku_buf_printf(b, "%s written out at %s:%d\n", alias, rel, e->line);
	free(rel);
}

/* The module's one init and one exit function (either may be NULL). */
static int pick_entries(const krw_input *in, const ki_entryfn **init, const ki_entryfn **exit)
{
	const ki_inventory *d = in->driver;
	*init = *exit = NULL;
	for (size_t i = 0; i < d->nentryfns; i++) {
		const ki_entryfn *e = &d->entryfns[i], **slot = e->role == KI_INIT ? init : exit;
		if (*slot)
			return ku_err("%s: two %s functions (%s at %s:%d, %s at %s:%d): a module has one "
				      "init_module/cleanup_module, the daemon one main()",
				      in->module, ki_role_name(e->role), (*slot)->function, (*slot)->file,
				      (*slot)->line, e->function, e->file, e->line);
		*slot = e;
	}
	if (*init && *exit && strcmp((*init)->file, (*exit)->file) != 0)
		return ku_err("%s: init (%s, %s) and exit (%s, %s) are in different files: main() cannot "
			      "call both", in->module, (*init)->function, (*init)->file, (*exit)->function,
			      (*exit)->file);
	return 0;
}

/* -D entry=FILE for the generic rule (rules/module_generic.cocci):
 * {"macro": M or null, "function": F or null, "line": N, "init": f or null,
 *  "exit": g or null}: main() goes after the call of M at line N (after
 * the definition of F at line N when no macro wrote the entry). */
static int write_entry_file(const char *path, const ki_entryfn *at, int line, const ki_entryfn *init,
			    const ki_entryfn *exit)
{
	json_t *o = json_object();
	json_object_set_new(o, "macro", at->macro ? json_string(at->macro) : json_null());
	json_object_set_new(o, "function", at->macro ? json_null() : json_string(at->function));
	json_object_set_new(o, "line", json_integer(line));
	json_object_set_new(o, "init", init ? json_string(init->function) : json_null());
	json_object_set_new(o, "exit", exit ? json_string(exit->function) : json_null());
	int rc = json_dump_file(o, path, JSON_SORT_KEYS | JSON_COMPACT) == 0 ? 0 : ku_err("cannot write %s", path);
	json_decref(o);
	return rc;
}

int krw_apply_generic(const krw_input *in, const ksp_group *g, ku_buf *note)
{
	const ki_entryfn *init, *exit;
	if (pick_entries(in, &init, &exit) != 0)
		return -1;
	if (!init && !exit)
		return 0;
	/* main() after the later of the two calls, so both functions are declared */
	const ki_entryfn *at = !exit || (init && init->line > exit->line) ? init : exit;
	/* The call's line in the port, mapped through the earlier commits
	 * before the `;` below changes that line: the map is a diff of the
	 * work tree, in which a changed line has no position (0) */
	char *rel = kpath_port_file(in->tree_root, in->driver_dir, at->file);
	ked_linemap lm;
	krw_line_map_load(in->work, rel, &lm);
	int line = ked_linemap_apply(&lm, at->line);
	ked_linemap_free(&lm);
	ku_strv macros = {0};
	if (init && init->macro)
		ku_strv_push(&macros, init->macro);
	if (exit && exit->macro)
		ku_strv_push_unique(&macros, exit->macro);
	int rc = line > 0 ? 0 : ku_err("%s:%d: the entry's line was changed before the generic entry rule", rel,
				       at->line);
	if (rc == 0 && init && init->macro)
		rc = add_semicolon_at(in, init->file, init->line, &macros);
	if (rc == 0 && exit && exit->macro)
		rc = add_semicolon_at(in, exit->file, exit->line, &macros);
	ku_strv_free(&macros);
	char *ef = ku_printf("%s/.kpiport-entry.json", in->work);
	ksp_file f = {.path = ku_path_join(in->work, rel)};
	ku_strv_pushf(&f.defines, "entry=%s", ef);
	if (rc == 0)
		rc = write_entry_file(ef, at, line, init, exit);
	if (rc == 0 && ksp_apply(g, &f, 1, 1) < 0)
		rc = -1;
	unlink(ef);
	if (rc == 0) {
		ku_buf_puts(note, "The entry macro stays; main() calls what it makes init_module and "
				  "cleanup_module stand for:\n");
		if (init)
			describe(in, init, note);
		if (exit)
			describe(in, exit, note);
	}
	free(ef), free(rel), free(f.path);
	ku_strv_free(&f.defines);
	return rc;
}

/* A KUnit test module has no module_init: its suites sit in the
 * .kunit_test_suites section, which Linux's module loader hands to KUnit
 * (the runtime does the same when the module is loaded, lx_main.c).  Its
 * main() loads the module with no init and no exit; it goes at the end of
 * the first file that registers a suite, as a commit of its own.  Returns
 * 1 when it added one, 0 when no file registers a suite, -1 on error. */
static int add_kunit_main(const krw_input *in)
{
	int rc = 0;
	for (size_t i = 0; i < in->files->n && rc == 0; i++) {
		char *path = ku_path_join(in->work, in->files->v[i]);
		ku_buf b = {0};
		if (ku_endswith(in->files->v[i], ".c") && ku_read_file(path, &b) == 0 &&
		    strstr(b.s, "kunit_test_suite")) {
			ku_buf_puts(&b, "\n#include <redox/kpi_main.h>\n"
					"int main(int argc, char **argv)\n{\n"
					"\treturn kpi_module_main(argc, argv, NULL, NULL);\n}\n");
			rc = ku_write_file(path, b.s, b.len) ? -1 : 1;
			if (rc == 1 && kg_commit_all(in->work,
						     "KUnit suites -> main\n\nA KUnit test module has no module_init: "
						     "Linux's module loader gives the suites of its .kunit_test_suites "
						     "section to KUnit, which runs them.  The daemon's main() loads the "
						     "module without init or exit functions; the runtime runs the suites "
						     "the same way (runtime/lx/lx_main.c).\n",
						     NULL))
				rc = -1;
		}
		ku_buf_free(&b);
		free(path);
	}
	return rc;
}

/* The port must come out with exactly one main(): spatch skips what it
 * cannot parse without a word, a module may have no entry point at all, and
 * two files of one module may each declare one. */
int krw_check_entry_points(const krw_input *in)
{
	ku_strv mains = {0};
	files_with_main(in, &mains);
	int rc = 0;
	if (mains.n > 1) {
		ku_buf names = {0};
		for (size_t i = 0; i < mains.n; i++)
			ku_buf_printf(&names, "%s%s", i ? ", " : "", mains.v[i]);
		rc = ku_err("%s: %zu files of the module define main() (%s): a module has one "
			    "module_init/module_exit pair, the daemon one main()", in->module, mains.n,
			    names.s);
		ku_buf_free(&names);
	} else if (mains.n == 0 && in->driver->nentries == 0 && in->driver->nentryfns == 0 &&
		   (rc = add_kunit_main(in)) != 0) {
		if (rc < 0)
			rc = ku_err("%s: could not add main() for its KUnit suites", in->module);
		else
			rc = 0;
	} else if (mains.n == 0 && in->driver->nentries == 0 && in->driver->nentryfns == 0) {
		rc = ku_err("%s: no entry point: none of its files has a module_init(), a "
			    "module_*_driver() or another macro defining init_module, so the daemon would "
			    "have no main()", in->module);
	} else if (mains.n == 0) {
		const char *file = in->driver->nentries ? in->driver->entries[0].file : in->driver->entryfns[0].file;
		int line = in->driver->nentries ? in->driver->entries[0].line : in->driver->entryfns[0].line;
		const char *kind = in->driver->nentries ? in->driver->entries[0].kind : in->driver->entryfns[0].macro;
		rc = ku_err("%s:%d: spatch did not turn %s into a main() (Coccinelle could not parse "
			    "this code: `spatch --parse-c` on the file shows where)",
			    file, line, kind ? kind : "init_module");
	}
	ku_strv_free(&mains);
	return rc;
}
