#!/usr/bin/env bash
# lx_expect_exit.sh RC PROGRAM ARGS...: run an lx test driver that must FAIL
# with exit status RC (e.g. a bad module parameter: exit 1 before init).
# Better than ctest's WILL_FAIL, which also passes on a crash or on a
# sanitizer report (ASan/UBSan exit 1 too): the status must be exactly RC
# and the output must hold no sanitizer report.
set -uo pipefail
want=$1; shift
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if grep -q -E 'ERROR: [A-Za-z]+Sanitizer|runtime error:' <<<"$out"; then
  echo "lx_expect_exit: sanitizer report"; exit 1
fi
[ "$rc" -eq "$want" ] || { echo "lx_expect_exit: exit status $rc, expected $want"; exit 1; }
echo "lx_expect_exit: exit status $rc as expected"
