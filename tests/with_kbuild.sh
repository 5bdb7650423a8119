#!/usr/bin/env bash
# with_kbuild.sh FIXTUREDIR CMD ARGS...: run CMD with @BUILDDIR@ and @ARGS@ in
# its arguments replaced by the fixture's build dir and args file (see
# fixture_kbuild.sh); exits 77 (skip) when the fixture was skipped.
set -euo pipefail
fx=$1; shift
[ -f "$fx/builddir" ] || { echo "SKIP: no kbuild fixture in $fx"; exit 77; }
bdir=$(cat "$fx/builddir")
argv=()
for a in "$@"; do a=${a//@BUILDDIR@/$bdir}; a=${a//@ARGS@/$fx/8139too.args}; argv+=("$a"); done
exec "${argv[@]}"
