#!/usr/bin/env bash
# drm_scheme_test.sh: the REAL bochs DRM driver (the port the fixture
# drm_bochs made, tests/runtime_drm.cmake) built for the emulated Redox on
# the sim (KPI_HOST=redox-emu, backend kpi_host_redox-emu-sim) with the
# model of QEMU's standard VGA, serving its display.bochs-drm scheme to a
# client that speaks Redox's display protocol (tests/runtime/
# drm_scheme_client.c: OpenAt v2/1, DRM ioctls as Call with the command in
# metadata[0] and redox-ioctl payloads, MmapPrep of dumb buffers, Read of
# the flip event, CloseMsg).
#
#   drm_scheme_test.sh OUT
#       OUT is the fixture's directory (OUT/bochs the port).  Passes when
#       the daemon exits 0 having registered the scheme, the client
#       finished, no stub was reached, no error-level log line, the EDID
#       and 1024x768 preferred mode came through GETCONNECTOR's arrays,
#       and after each frame the model's screendump equals the frame pixel
#       for pixel at 1024x768x32, the flip having moved the scanout.
# Exits 77 (skip) without the port.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/drm_frames.sh"
out=$(cd "$1" && pwd)
port=$out/bochs
[ -f "$port/report.json" ] || { echo "SKIP: no bochs port in $port (the drm_bochs fixture failed or was skipped)"; exit 77; }
bdir=$out/build-redox-emu
t0=$(date +%s%N)
bash "$here/drm_build_bochs.sh" "$out" redox-emu build-redox-emu "$out/redox-emu-" \
  "$here/sm_model_bochs.c;$here/drm_scheme_client.c" -DKPI_PORT_BACKEND=kpi_host_redox-emu-sim
echo "built bochs for redox-emu in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
log=$out/redox-emu-run.log
rm -f "$out"/sframe*.ppm
rc=0
KPI_SMBOCHS=1 KPI_DRM_SCHEME_CLIENT=1024x768 KPI_DRM_CLIENT_DUMP="$out/sframe" \
  timeout 120 "$bdir/bochs" >"$log" 2>&1 || rc=$?
why=()
[ "$rc" -eq 0 ] || why+=("exit status $rc")
grep -q "^re: scheme 'display.bochs-drm' registered" "$log" || why+=("no display.bochs-drm scheme")
grep -q 'stub reached' "$log" && why+=("a stub was reached")
grep -q '^<[0-3]>' "$log" && why+=("error-level log lines")
grep -q 'drm-scheme-client: fstat st_dev 0xe200, fpath /scheme/display.bochs-drm/v2/1' "$log" ||
  why+=("fstat/fpath of the v2 handle")
grep -q 'drm-scheme-client: connector [0-9]* EDID: 128 bytes, version 1.3, monitor "kpi sm-bochs"' "$log" ||
  why+=("GET_CONNECTOR: no EDID property with the model's blob")
grep -q 'drm-scheme-client: connector [0-9]* .*connected, [0-9]* mode(s):.* 1024x768\*@60' "$log" ||
  why+=("GET_CONNECTOR: 1024x768 is not the preferred mode")
grep -q 'drm-scheme-client: flipped to framebuffer' "$log" || why+=("no flip event through the scheme")
grep -q 'drm-scheme-client: done' "$log" || why+=("the client did not finish")
drm_check_frames "$log" "$out/sframe"
if [ ${#why[@]} -ne 0 ]; then
  grep -v '^\[0x' "$log" | tail -n 40
  echo "FAIL: ${why[*]}"
  exit 1
fi
echo "PASS: bochs on the emulated Redox served display.bochs-drm to a client speaking the scheme protocol (mode set, two frames on screen pixel for pixel)"
