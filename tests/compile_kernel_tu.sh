#!/usr/bin/env bash
# compile_kernel_tu.sh ARGSFILE SOURCE [EXTRA...]: clang-19 -fsyntax-only of
# SOURCE with kbuild's flags (one per line in ARGSFILE, as the kbuild fixture
# writes them) plus EXTRA: proves a file compiles in a kernel-header TU.
set -euo pipefail
mapfile -t args < "$1"
src=$2; shift 2
exec clang-19 "${args[@]}" "$@" -fsyntax-only "$src"
