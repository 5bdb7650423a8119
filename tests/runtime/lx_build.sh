#!/usr/bin/env bash
# lx_build.sh FIXTURE OUT KIT_LIB SIM_LIB LINK_C "LINK_FLAGS" SANITIZE TESTS...: configure
# and build runtime/lx/testproj (lx + the lx test drivers, kernel flags from
# the kbuild fixture) in OUT.  Exits 77 (skip) without a kbuild fixture.
# KPI_LINUX_LIB (environment): the linux backend's library; then the drivers
# named in KPI_LX_LINUX_TESTS (";"-separated) are also built as NAME_linux.
# SANITIZE ON: lx and the drivers are built with ASan+UBSan (KPI_SANITIZE in
# cmake/KpiLx.cmake); kit/sim must come from a clang-19 sanitizer build.
set -euo pipefail
fx=$1 out=$2 kit=$3 sim=$4 linkc=$5 linkflags=$6 sanitize=$7; shift 7
[ -f "$fx/8139too.args" ] || { echo "SKIP: no kbuild fixture in $fx"; exit 77; }
root=$(cd "$(dirname "$0")/../.." && pwd)
tests=$(IFS=';'; echo "$*")
cmake -S "$root/runtime/lx/testproj" -B "$out" -DCMAKE_C_COMPILER=clang-19 \
  -DKPI_ARGS_FILE="$fx/8139too.args" -DKPI_KIT_LIB="$kit" -DKPI_SIM_LIB="$sim" \
  -DKPI_LINK_C="$linkc" -DKPI_LINK_FLAGS="$linkflags" -DKPI_SANITIZE="$sanitize" \
  -DKPI_LX_TESTS="$tests" -DKPI_LINUX_LIB="${KPI_LINUX_LIB:-}" -DKPI_LX_LINUX_TESTS="${KPI_LX_LINUX_TESTS:-}" \
  -DKPI_BENCH=ON >/dev/null
cmake --build "$out" -j2
