// kpiport-group: module-entry
// kpiport-title: module_init/module_exit -> main
// kpiport-description: A Redox driver is a daemon, so module_init/module_exit are replaced by a generated main() that hands the init and exit functions to the runtime (kpi_module_main).
//
// What this rule file is for: turn a driver's `module_init(f); module_exit(g);`
// into `int main(int argc, char **argv) { return kpi_module_main(argc, argv, f, g); }`
// placed where module_exit was (where module_init was when the driver has no
// exit function: g becomes NULL; the rare exit-only module gets f = NULL), and
// add `#include <redox/kpi_main.h>` after the file's last #include.
// Run on its own (see rules/README.md) or through rules.cocci.  Rule names and
// python globals start with me_ so the files can be included together.

// Coccinelle 1.1.1 cannot match these macro calls when the `;` after them is
// missing (legal, since the kernel macros end in a declaration): it would
// silently leave them, or worse, see only one of module_init/module_exit.
// Refuse such a file loudly; kpiport must add the `;` first.
@ initialize:python @
@@
import re
me_checked = set()
me_macro_line = re.compile(r"^(module_init|module_exit)\s*\(", re.M)

def me_check_semicolons(path):
    if path in me_checked:
        return False
    me_checked.add(path)
    with open(path, errors="replace") as fh:
        text = fh.read()
    for m in me_macro_line.finditer(text):
        depth, i = 0, m.end() - 1
        while i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            i += 1
            if depth == 0:
                break
        rest = re.sub(r"^(\s|/\*.*?\*/|//[^\n]*)*", "", text[i:], flags=re.S)
        if not rest.startswith(";"):
            line = text.count("\n", 0, m.start()) + 1
            raise Exception("kpiport: %s:%d: %s(...) has no ';' after it; Coccinelle "
                            "cannot rewrite it: add the ';' and run again" % (path, line, m.group(1)))
    return False

@ me_semicolon_check @
identifier x;
position p : script:python() { me_check_semicolons(p[0].file) };
@@
x@p

// A file may have no identifier expression: anchor the check on includes too.
@ me_semicolon_check_inc @
position p : script:python() { me_check_semicolons(p[0].file) };
@@
(
#include <...>@p
|
#include "..."@p
)

// Never run (the constraints above are always false); they only keep spatch
// from dropping the check rules as ones whose result nobody uses.
@script:python@
p << me_semicolon_check.p;
@@
pass

@script:python@
p << me_semicolon_check_inc.p;
@@
pass

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

// The include goes after the last #include that is not inside #if/#ifdef
// (after the last one of all when every #include is conditional), so it sees
// the same kernel headers the driver does and is always compiled.  Nothing is
// added to a file without any #include.
@ initialize:python @
@@
me_last_include = {}   # file -> (outside any #if, line) of the best #include so far
me_top_lines = {}      # file -> set of lines outside any #if/#ifdef/#ifndef

def me_lines_outside_if(path):
    if path not in me_top_lines:
        depth = 0
        top = set()
        with open(path, errors="replace") as fh:
            for number, text in enumerate(fh, 1):
                directive = text.lstrip()
                if directive.startswith("#"):
                    directive = directive[1:].lstrip()
                    if directive.startswith("endif"):
                        depth = max(depth - 1, 0)
                    elif directive.startswith("if"):
                        depth += 1
                        continue
                if depth == 0:
                    top.add(number)
        me_top_lines[path] = top
    return me_top_lines[path]

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
me_file = p[0].file
me_line = int(p[0].line)
me_rank = (me_line in me_lines_outside_if(me_file), me_line)
if me_rank > me_last_include.get(me_file, (False, 0)):
    me_last_include[me_file] = me_rank

@ me_add_include @
position me_include.p : script:python() { int(p[0].line) == me_last_include[p[0].file][1] };
@@
(
#include <...>@p
+ #include <redox/kpi_main.h>
|
#include "..."@p
+ #include <redox/kpi_main.h>
)
