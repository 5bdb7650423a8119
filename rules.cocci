// rules.cocci: the manifest of kpiport's structural rewrite rules.
// kpiport reads the #include lines below in order and runs each group file
// separately (one spatch run per group per source, one git commit per group);
// the exact command lines are in rules/README.md.  Run as a whole
// (`spatch --sp-file rules.cocci ...`) it applies every group in one pass,
// which is handy for trying the rules by hand.  Each group file states the
// spatch options it needs on its `// Options:` line (Linux's coccicheck
// convention), read by kpiport and by tests/smpl; this line is for the whole.
// Options: --no-includes
#include "rules/module_entry.cocci"
#include "rules/module_driver.cocci"
#include "rules/module_generic.cocci"
#include "rules/rename.cocci"

// spatch wants at least one rule in the file that names the includes.
@ initialize:python @
@@
pass
