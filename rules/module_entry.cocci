// kpiport-group: module-entry
// kpiport-title: module_init/module_exit -> main
// kpiport-description: A Redox driver is a daemon, so module_init/module_exit are replaced by a generated main() that hands the init and exit functions to the runtime (kpi_module_main).
// kpiport-entry: module_init module_exit
// Options: --no-includes
//
// What this rule file is for: turn a driver's `module_init(f); module_exit(g);`
// into `int main(int argc, char **argv) { return kpi_module_main(argc, argv, f, g); }`
// placed where module_exit was (where module_init was when the driver has no
// exit function: g becomes NULL; the rare exit-only module gets f = NULL), and
// add `#include <redox/kpi_main.h>` after the file's last #include.
// Run on its own (see rules/README.md) or through rules.cocci.  Rule names and
// python globals start with me_ so the files can be included together.

// kpiport runs this file only when the module's entry is written with the
// macros its kpiport-entry line names (any other form: module_generic.cocci).
// Coccinelle 1.1.1 cannot match these macro calls when the `;` after them is
// missing (legal, since the kernel macros end in a declaration): kpiport adds
// it before running this file, at the calls libclang found (in this group's
// commit).

#include "rules/common/last_include.cocci"

@ me_has_exit @
declarer name module_exit;
identifier g;
@@
module_exit(g);

@ me_has_init @
declarer name module_init;
identifier f;
@@
module_init(f);

// init + exit: drop module_init, put main where module_exit was.
@ me_drop_init depends on me_has_exit @
declarer name module_init;
identifier me_has_init.f;
@@
- module_init(f);

@ me_main_init_exit depends on me_drop_init @
declarer name module_exit;
identifier me_has_init.f, me_has_exit.g;
@@
- module_exit(g);
+ int main(int argc, char **argv)
+ {
+ 	return kpi_module_main(argc, argv, f, g);
+ }

@ me_main_init_only depends on me_has_init && !me_has_exit @
declarer name module_init;
identifier me_has_init.f;
@@
- module_init(f);
+ int main(int argc, char **argv)
+ {
+ 	return kpi_module_main(argc, argv, f, NULL);
+ }

@ me_main_exit_only depends on me_has_exit && !me_has_init @
declarer name module_exit;
identifier me_has_exit.g;
@@
- module_exit(g);
+ int main(int argc, char **argv)
+ {
+ 	return kpi_module_main(argc, argv, NULL, g);
+ }

// The include: where rules/common/last_include.cocci says.
@ me_include depends on me_main_init_exit || me_main_init_only || me_main_exit_only @
position p;
@@
(
#include <...>@p
|
#include "..."@p
)

@script:python@
p << me_include.p;
@@
li_note(p)

@ me_add_include @
position me_include.p : script:python() { li_is_last(p) };
@@
(
#include <...>@p
+ #include <redox/kpi_main.h>
|
#include "..."@p
+ #include <redox/kpi_main.h>
)
