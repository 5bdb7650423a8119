// kpiport-group: module-generic
// kpiport-title: module entry macro -> main
// kpiport-description: A Redox driver is a daemon.  This module's entry is written with a macro no other rule rewrites, so the macro stays and a generated main() hands the functions it makes init_module/cleanup_module stand for (found by libclang) to the runtime (kpi_module_main).
// kpiport-entry: *
// Options: --no-includes
//
// What this rule file is for: every entry form the module_entry and
// module_driver groups do not know (a subsystem's module_driver wrapper,
// KSTM_MODULE_LOADERS, the DRM module helpers, init_module written out,
// ...).  Under -DMODULE each of them ends in module_init/module_exit, so
// libclang knows the functions; kpiport passes them with `-D entry=FILE`:
//   {"macro": "KSTM_MODULE_LOADERS", "function": null, "line": 814,
//    "init": "test_printf_init", "exit": "test_printf_exit"}
// and this rule adds, right after the call of `macro` on `line` (or, when
// no macro wrote the entry, after the definition of `function` there),
//   int main(int argc, char **argv)
//   { return kpi_module_main(argc, argv, init, exit); }
// with NULL for a missing init or exit, plus `#include <redox/kpi_main.h>`
// after the file's last #include.  The macro call stays: it still defines
// init_module/cleanup_module as aliases, which the runtime recognises as the
// driver's own (runtime/lx/lx_main.c).  Without -D entry nothing changes.
// kpiport ends the macro's call with `;` first when it has none.
// Rule names and python globals start with mg_ (rules.cocci includes all files).

#include "rules/common/last_include.cocci"

@ initialize:python @
@@
import json

mg_entry = None   # the -D entry table, or None: the rule changes nothing

def mg_at(name, p, key):
    return (mg_entry is not None and mg_entry.get(key) == name and
            int(p[0].line) == int(mg_entry["line"]))

def mg_arg(key):
    return mg_entry.get(key) or "NULL"

@ initialize:python @
entry << virtual.entry;
@@
with open(entry) as fh:
    mg_entry = json.load(fh)

// The macro's call at the line kpiport gave (any macro: `declarer d`).
@ mg_call @
declarer d;
expression list es;
position p : script:python(d) { mg_at(d, p, "macro") };
@@
d@p(es);

@script:python mg_call_fns depends on mg_call @
init; exit;
@@
coccinelle.init = cocci.make_ident(mg_arg("init"))
coccinelle.exit = cocci.make_ident(mg_arg("exit"))

@ mg_main_after_call @
declarer mg_call.d;
expression list mg_call.es;
position mg_call.p;
identifier mg_call_fns.init, mg_call_fns.exit;
@@
d@p(es);
+ int main(int argc, char **argv)
+ {
+ 	return kpi_module_main(argc, argv, init, exit);
+ }

// No macro: init_module/cleanup_module written out; main() after it.
@ mg_def depends on !mg_call @
identifier f;
position p : script:python(f) { mg_at(f, p, "function") };
@@
f@p(...) { ... }

@script:python mg_def_fns depends on mg_def @
init; exit;
@@
coccinelle.init = cocci.make_ident(mg_arg("init"))
coccinelle.exit = cocci.make_ident(mg_arg("exit"))

@ mg_main_after_def @
identifier mg_def.f;
position mg_def.p;
identifier mg_def_fns.init, mg_def_fns.exit;
@@
f@p(...) { ... }
+ int main(int argc, char **argv)
+ {
+ 	return kpi_module_main(argc, argv, init, exit);
+ }

// The include: where rules/common/last_include.cocci says.
@ mg_include depends on mg_main_after_call || mg_main_after_def @
position p;
@@
(
#include <...>@p
|
#include "..."@p
)

@script:python@
p << mg_include.p;
@@
li_note(p)

@ mg_add_include @
position mg_include.p : script:python() { li_is_last(p) };
@@
(
#include <...>@p
+ #include <redox/kpi_main.h>
|
#include "..."@p
+ #include <redox/kpi_main.h>
)
