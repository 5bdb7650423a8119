// kpiport-group: module-driver
// kpiport-title: module_*_driver -> main
// kpiport-description: A Redox driver is a daemon, so the module_pci_driver()/module_platform_driver()/module_driver() style registration macros are replaced by a generated main() that registers the driver through the runtime (kpi_*_driver_main, kpi_module_main).
//
// What this rule file is for: the one-line registration macros that stand for
// a module_init/module_exit pair.
//   module_pci_driver(d);       -> main: return kpi_pci_driver_main(argc, argv, &d);
//   module_platform_driver(d);  -> kpi_platform_driver_main   (also builtin_platform_driver)
//   module_i2c_driver(d);       -> kpi_i2c_driver_main
//   module_usb_driver(d);       -> kpi_usb_driver_main
//   builtin_pci_driver(d);      -> kpi_pci_driver_main (a builtin driver has no exit; the
//                                  daemon unregistering at exit is harmless)
//   module_driver(d, reg, unreg[, extra args]);  -> the kernel's own expansion,
//       static int d_init(void) { return reg(&d, extra); }
//       static void d_exit(void) { unreg(&d, extra); }
//   and a main calling kpi_module_main(argc, argv, d_init, d_exit).
//   Why expand instead of passing reg/unreg as pointers: reg is often a macro
//   (pci_register_driver, platform_driver_register, usb_register, i2c_add_driver
//   all add THIS_MODULE/KBUILD_MODNAME), the driver types differ per bus, and
//   extra arguments must reach reg/unreg; the kernel names d_init/d_exit are
//   free in any file that built with module_driver.
// Each rule also adds `#include <redox/kpi_main.h>` after the last #include.
// Rule names and python globals start with md_ (rules.cocci includes all files).

// Coccinelle 1.1.1 cannot match these macro calls when the `;` after them is
// missing (legal, since the kernel macros end in a declaration): it would
// silently leave them, or worse, see only one of module_init/module_exit.
// Refuse such a file loudly; kpiport must add the `;` first.
@ initialize:python @
@@
import re
md_checked = set()
md_macro_line = re.compile(r"^(module_(?:pci|platform|i2c|usb)_driver|builtin_(?:pci|platform)_driver|module_driver)\s*\(", re.M)

def md_check_semicolons(path):
    if path in md_checked:
        return False
    md_checked.add(path)
    with open(path, errors="replace") as fh:
        text = fh.read()
    for m in md_macro_line.finditer(text):
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

@ md_semicolon_check @
identifier x;
position p : script:python() { md_check_semicolons(p[0].file) };
@@
x@p

// A file may have no identifier expression: anchor the check on includes too.
@ md_semicolon_check_inc @
position p : script:python() { md_check_semicolons(p[0].file) };
@@
(
#include <...>@p
|
#include "..."@p
)

// Never run (the constraints above are always false); they only keep spatch
// from dropping the check rules as ones whose result nobody uses.
@script:python@
p << md_semicolon_check.p;
@@
pass

@script:python@
p << md_semicolon_check_inc.p;
@@
pass

@ md_module_pci_driver @
declarer name module_pci_driver;
identifier drv;
@@
- module_pci_driver(drv);
+ int main(int argc, char **argv)
+ {
+ 	return kpi_pci_driver_main(argc, argv, &drv);
+ }

@ md_module_platform_driver @
declarer name module_platform_driver;
identifier drv;
@@
- module_platform_driver(drv);
+ int main(int argc, char **argv)
+ {
+ 	return kpi_platform_driver_main(argc, argv, &drv);
+ }

@ md_module_i2c_driver @
declarer name module_i2c_driver;
identifier drv;
@@
- module_i2c_driver(drv);
+ int main(int argc, char **argv)
+ {
+ 	return kpi_i2c_driver_main(argc, argv, &drv);
+ }

@ md_module_usb_driver @
declarer name module_usb_driver;
identifier drv;
@@
- module_usb_driver(drv);
+ int main(int argc, char **argv)
+ {
+ 	return kpi_usb_driver_main(argc, argv, &drv);
+ }

@ md_builtin_pci_driver @
declarer name builtin_pci_driver;
identifier drv;
@@
- builtin_pci_driver(drv);
+ int main(int argc, char **argv)
+ {
+ 	return kpi_pci_driver_main(argc, argv, &drv);
+ }

@ md_builtin_platform_driver @
declarer name builtin_platform_driver;
identifier drv;
@@
- builtin_platform_driver(drv);
+ int main(int argc, char **argv)
+ {
+ 	return kpi_platform_driver_main(argc, argv, &drv);
+ }

// module_driver with extra arguments for reg/unreg (after the driver pointer).
@ md_module_driver_args @
declarer name module_driver;
identifier drv, reg, unreg;
expression list extra;
fresh identifier init_fn = drv ## "_init";
fresh identifier exit_fn = drv ## "_exit";
@@
- module_driver(drv, reg, unreg, extra);
+ static int init_fn(void)
+ {
+ 	return reg(&drv, extra);
+ }
+ static void exit_fn(void)
+ {
+ 	unreg(&drv, extra);
+ }
+ int main(int argc, char **argv)
+ {
+ 	return kpi_module_main(argc, argv, init_fn, exit_fn);
+ }

// The common form: reg/unreg take only the driver pointer.
@ md_module_driver @
declarer name module_driver;
identifier drv, reg, unreg;
fresh identifier init_fn = drv ## "_init";
fresh identifier exit_fn = drv ## "_exit";
@@
- module_driver(drv, reg, unreg);
+ static int init_fn(void)
+ {
+ 	return reg(&drv);
+ }
+ static void exit_fn(void)
+ {
+ 	unreg(&drv);
+ }
+ int main(int argc, char **argv)
+ {
+ 	return kpi_module_main(argc, argv, init_fn, exit_fn);
+ }

// The include goes after the last #include that is not inside #if/#ifdef
// (after the last one of all when every #include is conditional), so it sees
// the same kernel headers the driver does and is always compiled.  Nothing is
// added to a file without any #include.
@ initialize:python @
@@
md_last_include = {}   # file -> (outside any #if, line) of the best #include so far
md_top_lines = {}      # file -> set of lines outside any #if/#ifdef/#ifndef

def md_lines_outside_if(path):
    if path not in md_top_lines:
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
        md_top_lines[path] = top
    return md_top_lines[path]

@ md_include depends on md_module_pci_driver || md_module_platform_driver || md_module_i2c_driver || md_module_usb_driver || md_builtin_pci_driver || md_builtin_platform_driver || md_module_driver_args || md_module_driver @
position p;
@@
(
#include <...>@p
|
#include "..."@p
)

@script:python@
p << md_include.p;
@@
md_file = p[0].file
md_line = int(p[0].line)
md_rank = (md_line in md_lines_outside_if(md_file), md_line)
if md_rank > md_last_include.get(md_file, (False, 0)):
    md_last_include[md_file] = md_rank

@ md_add_include @
position md_include.p : script:python() { int(p[0].line) == md_last_include[p[0].file][1] };
@@
(
#include <...>@p
+ #include <redox/kpi_main.h>
|
#include "..."@p
+ #include <redox/kpi_main.h>
)
