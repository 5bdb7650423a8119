#!/usr/bin/env bash
# drm_build_bochs.sh: configure and build the bochs port of the fixture
# drm_bochs (tests/runtime_drm.cmake) for one host, with test sources linked
# in - the one place the DRM tests (drm_test_ported.sh: sim,
# drm_scheme_test.sh: redox-emu, tests/e2e/e2e_drm.sh: linux) do it.
#
#   drm_build_bochs.sh DIR HOST BUILD LOGPREFIX SOURCES [CMAKE-ARG...]
#       DIR/bochs is the port; builds it into DIR/BUILD with KPI_HOST=HOST,
#       KPI_PORT_EXTRA_SOURCES=SOURCES (';'-separated) and the tree's DRM
#       UAPI headers (DIR/uapi/drm -> the tree's include/uapi/drm, and only
#       that) for them; logs LOGPREFIXconfigure.log and LOGPREFIXbuild.log.
#       Every build shares ccache entries: paths under DIR are relative and
#       the build dir is not hashed, so the ~90 imported files compile once
#       for all hosts.  Exit 0, or 1 with the log's tail and a FAIL line.
set -euo pipefail
dir=$1 host=$2 build=$3 logs=$4 sources=$5
shift 5
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
mkdir -p "$dir/uapi" && ln -sfn "$tree/include/uapi/drm" "$dir/uapi/drm"
conf=(-DKPI_HOST="$host" -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DKPI_PORT_EXTRA_SOURCES=$sources"
      "-DKPI_PORT_EXTRA_INCLUDES=$dir/uapi" "$@")
export CCACHE_BASEDIR=$dir CCACHE_NOHASHDIR=1
command -v ccache >/dev/null && conf+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$dir/bochs" -B "$dir/$build" "${conf[@]}" >"${logs}configure.log" 2>&1 ||
  { tail -n 30 "${logs}configure.log"; echo "FAIL: configuring bochs for $host"; exit 1; }
cmake --build "$dir/$build" -j2 >"${logs}build.log" 2>&1 ||
  { grep -E "error|undefined reference" "${logs}build.log" | head -n 30; echo "FAIL: building bochs for $host (log: ${logs}build.log)"; exit 1; }
