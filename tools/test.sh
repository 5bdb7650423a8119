#!/usr/bin/env bash
# tools/test.sh: the README's second command and what CI runs.  Sets up the
# machine (tools/setup.sh), then runs the whole ctest suite twice: a normal
# build, and a build under AddressSanitizer + UndefinedBehaviorSanitizer
# (labels unit, smpl, runtime, fuzz: the libFuzzer harnesses of tests/fuzz/
# exist only in that build).  Extra arguments go to ctest (e.g. -L unit).
# The sanitizer build is clang-19 throughout: runtime/lx and its test drivers
# are kernel code that only clang-19 compiles, and they are instrumented too,
# so kit, sim, lx and the drivers share clang's one ASan runtime.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
ctest --test-dir "$here/build" -j2 --output-on-failure "$@"
if [ $# -eq 0 ]; then
  san="$here/build-asan"
  # A cache made with another compiler is dropped: CMake would reset it and
  # forget -DKPIPORT_SANITIZE on a compiler change.
  cache="$san/CMakeCache.txt"
  if [ -f "$cache" ] && ! grep -q '^CMAKE_C_COMPILER:[A-Z]*=\(/usr/bin/\)\?clang-19$' "$cache"; then
    rm -rf "$san"
  fi
  cmake -S "$here" -B "$san" -DCMAKE_BUILD_TYPE=Debug -DKPIPORT_SANITIZE=ON -DCMAKE_C_COMPILER=clang-19 >/dev/null
  cmake --build "$san" -j2 >/dev/null
  ctest --test-dir "$san" -j2 --output-on-failure -L 'unit|smpl|runtime|fuzz'
fi
