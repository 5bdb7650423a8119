// rules/common/last_include.cocci: where an entry rule adds its #include.
// Not a rule group (rules.cocci does not list it): module_entry.cocci and
// module_driver.cocci include it, as `#include "rules/common/last_include.cocci"`
// (spatch resolves SmPL includes against its cwd, which is the directory of
// rules.cocci whenever kpiport or the tests run a rule).  Including it twice
// (rules.cocci run as a whole) is harmless: it holds only python.
//
// The #include goes after the last #include that is not inside #if/#ifdef
// (after the last one of all when every #include is conditional), so it sees
// the same kernel headers the driver does and is always compiled.  A rule
// collects the candidates with li_note(p) from a script over its matched
// `#include`s, then adds its line where li_is_last(p) holds.

@ initialize:python @
@@
li_best = {}       # file -> (outside any #if, line) of the best #include so far
li_top_lines = {}  # file -> set of lines outside any #if/#ifdef/#ifndef

def li_lines_outside_if(path):
    if path not in li_top_lines:
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
        li_top_lines[path] = top
    return li_top_lines[path]

def li_note(p):
    path = p[0].file
    line = int(p[0].line)
    rank = (line in li_lines_outside_if(path), line)
    if rank > li_best.get(path, (False, 0)):
        li_best[path] = rank

def li_is_last(p):
    return int(p[0].line) == li_best[p[0].file][1]
