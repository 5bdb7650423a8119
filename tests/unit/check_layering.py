#!/usr/bin/env python3
"""check_layering.py: the translator's modules form layers, not circles.

    check_layering.py TRANSLATOR_DIR LIBKPIPORT_CORE.a

A module is kp_NAME.h with the kp_NAME*.c files that implement it (the
longest kp_NAME whose header exists; kp_NAME_int.h is the module's internal
header).  Fails (exit 1), naming the circle, when
  - the `#include "kp_*.h"` lines of the sources make a cycle between modules,
  - the objects in kpiport_core reference each other's symbols (nm: undefined
    in one module, defined in another) in a cycle,
  - a module defines global symbols under more than one prefix (one module,
    one prefix: "ku_", "kres_", ...).
Calls through function pointers (kres_env) are not references, by design:
that is how a stage is handed what it may call."""
import os
import re
import subprocess
import sys
from collections import defaultdict


def module_of(stem, headers):
    parts = stem.split("_")
    for n in range(len(parts), 1, -1):
        name = "_".join(parts[:n])
        if name in headers and not name.endswith("_int"):
            return name
    return stem


def cycle_in(graph):
    """A cycle of the directed graph as a list of nodes, or None."""
    state, stack = {}, []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    tdir, lib = argv[1], argv[2]
    files = sorted(f for f in os.listdir(tdir) if re.match(r"kp_\w+\.[ch]$", f))
    headers = {f[:-2] for f in files if f.endswith(".h")}
    status = 0

    includes = defaultdict(set)
    for f in files:
        mod = module_of(f[:-2], headers)
        with open(os.path.join(tdir, f), errors="replace") as fh:
            for line in fh:
                m = re.match(r'\s*#\s*include\s+"(kp_\w+)\.h"', line)
                if m and module_of(m.group(1), headers) != mod:
                    includes[mod].add(module_of(m.group(1), headers))
    c = cycle_in(includes)
    if c:
        print("check_layering: include cycle: " + " -> ".join(c), file=sys.stderr)
        status = 1

    nm = subprocess.run(["nm", "-A", lib], capture_output=True, text=True, check=True).stdout
    defined, used, prefixes = {}, defaultdict(set), defaultdict(set)
    for line in nm.splitlines():
        m = re.match(r".*?:(kp_\w+)\.c\.o:\s*(?:[0-9a-f]+)?\s+([A-Za-z])\s+(\S+)$", line)
        if not m:
            continue
        mod, kind, sym = module_of(m.group(1), headers), m.group(2), m.group(3)
        if sym.startswith("_"):
            continue  # the compiler's and sanitizers' own (__asan_*, __odr_asan_gen_*)
        if kind == "U":
            used[mod].add(sym)
        elif kind.isupper():
            defined[sym] = mod
            prefixes[mod].add(sym.split("_")[0] + "_")
    calls = defaultdict(set)
    for mod, syms in used.items():
        for s in syms:
            if s in defined and defined[s] != mod:
                calls[mod].add(defined[s])
    c = cycle_in(calls)
    if c:
        print("check_layering: call cycle (nm): " + " -> ".join(c), file=sys.stderr)
        for a, b in zip(c, c[1:]):
            which = sorted(s for s in used[a] if defined.get(s) == b)
            print("  %s uses %s of %s" % (a, ", ".join(which[:5]), b), file=sys.stderr)
        status = 1
    for mod, ps in sorted(prefixes.items()):
        if len(ps) > 1:
            print("check_layering: %s defines symbols under %d prefixes: %s"
                  % (mod, len(ps), " ".join(sorted(ps))), file=sys.stderr)
            status = 1

    if not defined:
        print("check_layering: no symbols found in %s" % lib, file=sys.stderr)
        status = 1
    if status == 0:
        mods = sorted(set(prefixes) | set(includes))
        print("check_layering: %d modules, no include or call cycle, one prefix each" % len(mods))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv))
