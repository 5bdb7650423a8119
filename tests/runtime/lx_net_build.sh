#!/usr/bin/env bash
# lx_net_build.sh FIXTURE OUT KIT_LIB SIM_LIB LINK_C "LINK_FLAGS" SANITIZE TESTS...:
# configure and build tests/runtime/lx_net_proj (runtime/lx including its net
# files + the lx_net test drivers, kernel flags from the kbuild fixture) in
# OUT.  Exits 77 (skip) without a kbuild fixture.  SANITIZE: as lx_build.sh.
set -euo pipefail
fx=$1 out=$2 kit=$3 sim=$4 linkc=$5 linkflags=$6 sanitize=$7; shift 7
[ -f "$fx/8139too.args" ] || { echo "SKIP: no kbuild fixture in $fx"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tests=$(IFS=';'; echo "$*")
cmake -S "$here/lx_net_proj" -B "$out" -DCMAKE_C_COMPILER=clang-19 \
  -DKPI_ARGS_FILE="$fx/8139too.args" -DKPI_KIT_LIB="$kit" -DKPI_SIM_LIB="$sim" \
  -DKPI_LINK_C="$linkc" -DKPI_LINK_FLAGS="$linkflags" -DKPI_SANITIZE="$sanitize" -DKPI_LX_NET_TESTS="$tests" >/dev/null
cmake --build "$out" -j2
