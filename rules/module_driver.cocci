// kpiport-group: module-driver
// kpiport-title: module_*_driver -> main
// kpiport-description: A Redox driver is a daemon, so the module_pci_driver()/module_platform_driver()/module_driver() style registration macros are replaced by a generated main() that registers the driver through the runtime (kpi_*_driver_main, kpi_module_main).
// kpiport-entry: module_pci_driver module_platform_driver module_i2c_driver module_usb_driver builtin_pci_driver builtin_platform_driver module_driver
// Options: --no-includes
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

// kpiport runs this file only when the module's entry is written with the
// macros its kpiport-entry line names (any other form, e.g. a subsystem's
// wrapper around module_driver: module_generic.cocci).
// Coccinelle 1.1.1 cannot match these macro calls when the `;` after them is
// missing (legal, since the kernel macros end in a declaration): kpiport adds
// it before running this file, at the calls libclang found (in this group's
// commit).

#include "rules/common/last_include.cocci"

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

// The include: where rules/common/last_include.cocci says.
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
li_note(p)

@ md_add_include @
position md_include.p : script:python() { li_is_last(p) };
@@
(
#include <...>@p
+ #include <redox/kpi_main.h>
|
#include "..."@p
+ #include <redox/kpi_main.h>
)
