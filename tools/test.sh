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
san="$here/build-asan"
if [ $# -eq 0 ]; then
  # A cache made with another compiler is dropped: CMake would reset it and
  # forget -DKPIPORT_SANITIZE on a compiler change.
  cache="$san/CMakeCache.txt"
  if [ -f "$cache" ] && ! grep -q '^CMAKE_C_COMPILER:[A-Z]*=\(/usr/bin/\)\?clang-19$' "$cache"; then
    rm -rf "$san"
  fi
  # The sanitizer build compiles while the first suite runs, at the lowest
  # priority: it takes the cores the suite leaves idle (a fixture waiting
  # on its last job, a guest booting) instead of minutes of its own after.
  mkdir -p "$san"
  # (A session of its own: stopping it stops its compilers too.)
  setsid -w bash -c 'cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Debug -DKPIPORT_SANITIZE=ON -DCMAKE_C_COMPILER=clang-19 &&
    nice -n 19 cmake --build "$2" -j2' san-build "$here" "$san" >"$san/build.log" 2>&1 &
  san_pid=$!
  trap 'kill -- -"$san_pid" 2>/dev/null || true' EXIT
fi
ctest --test-dir "$here/build" -j2 --output-on-failure "$@"
if [ $# -eq 0 ]; then
  wait "$san_pid" || { tail -n 40 "$san/build.log"; echo "test.sh: the sanitizer build failed ($san/build.log)" >&2; exit 1; }
  trap - EXIT
  ctest --test-dir "$san" -j2 --output-on-failure -L 'unit|smpl|runtime|fuzz'
fi
