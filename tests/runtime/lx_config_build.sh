#!/usr/bin/env bash
# lx_config_build.sh FIXTURE OUT KIT_LIB SIM_LIB LINK_C "LINK_FLAGS" SANITIZE TESTS...:
# lx_build.sh for the kernel configurations of fixture_kbuild_config.sh:
# configure and build runtime/lx/testproj (lx + the named test drivers)
# with FIXTURE/kbuild.args in OUT.  Exits 77 (skip) without the fixture.
set -euo pipefail
fx=$1 out=$2 kit=$3 sim=$4 linkc=$5 linkflags=$6 sanitize=$7; shift 7
[ -f "$fx/kbuild.args" ] || { echo "SKIP: no kbuild fixture in $fx"; exit 77; }
root=$(cd "$(dirname "$0")/../.." && pwd)
tests=$(IFS=';'; echo "$*")
cmake -S "$root/runtime/lx/testproj" -B "$out" -DCMAKE_C_COMPILER=clang-19 \
  -DKPI_ARGS_FILE="$fx/kbuild.args" -DKPI_KIT_LIB="$kit" -DKPI_SIM_LIB="$sim" \
  -DKPI_LINK_C="$linkc" -DKPI_LINK_FLAGS="$linkflags" -DKPI_SANITIZE="$sanitize" \
  -DKPI_LX_TESTS="$tests" >/dev/null
cmake --build "$out" -j2
