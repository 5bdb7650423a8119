#!/usr/bin/env bash
# tools/test.sh: the README's second command and what CI runs.  Sets up the
# machine (tools/setup.sh), then runs the whole ctest suite twice: a normal
# build, and a build under AddressSanitizer + UndefinedBehaviorSanitizer
# (labels unit, smpl, runtime).  Extra arguments go to ctest (e.g. -L unit).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
ctest --test-dir "$here/build" -j2 --output-on-failure "$@"
if [ $# -eq 0 ]; then
  san="$here/build-asan"
  cmake -S "$here" -B "$san" -DCMAKE_BUILD_TYPE=Debug -DKPIPORT_SANITIZE=ON >/dev/null
  cmake --build "$san" -j2 >/dev/null
  ctest --test-dir "$san" -j2 --output-on-failure -L 'unit|smpl|runtime'
fi
