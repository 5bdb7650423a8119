#!/usr/bin/env bash
# drm_test_ported.sh: the REAL bochs DRM driver, ported with the DRM core,
# its helpers and TTM imported from the tree (mappings/drm.lua), built for
# the sim with the model of QEMU's standard VGA (sm_model_bochs.c) and run
# through probe and remove (tests/runtime_drm.cmake).
#
#   drm_test_ported.sh OUT
#       port bochs with the kpiport under test ($KPIPORT) into OUT/bochs,
#       check that the imports commit lists the DRM core files (imported,
#       not rewritten), build it for the sim with the model linked in
#       (KPI_PORT_EXTRA_SOURCES) and run it with KPI_SMBOCHS=1.  Passes when
#       the daemon exits 0 after the DRM core registered the device
#       ("[drm] Initialized bochs-drm ... on minor 0"), having read the
#       model's dispi ID, with no stub reached and no error-level log line.
#       The daemon is built with the test client tests/runtime/drm_client.c
#       (the DRM UAPI from the tree's include/uapi) and runs it
#       (KPI_DRM_CLIENT=1024x768) through runtime/lx/lx_drm.c: the
#       connector's modes come from the model's EDID ("kpi sm-bochs",
#       1024x768 preferred), SETCRTC 1024x768 and frame 1 drawn into the
#       mapped dumb buffer, PAGE_FLIP (event read back) to a second buffer
#       and frame 2; after each frame the model's screendump of its VRAM at
#       the scanout offset must equal the frame pixel for pixel
#       (drm_pattern.py), the dispi registers must say 1024x768x32, and the
#       flip must have moved the scanout.
#       The port dir OUT/bochs is the fixture drm_bochs (tests/runtime_drm.cmake):
#       the e2e test builds its linux daemon from it instead of porting again.
# Exits 77 (skip) without the Linux tree.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/drm_frames.sh"
out=$1
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers/gpu/drm" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
port=$out/bochs
"$KPIPORT" port bochs -o "$port" --force >"$out/port.log" 2>&1 ||
  { tail -n 30 "$out/port.log"; echo "FAIL: kpiport port bochs"; exit 1; }
msg=$(git -C "$port" log --format=%B --grep='^imports:' -1)
for f in drivers/gpu/drm/drm_drv.c drivers/gpu/drm/drm_atomic_helper.c drivers/gpu/drm/drm_gem_vram_helper.c \
         drivers/gpu/drm/ttm/ttm_bo.c drivers/dma-buf/dma-resv.c; do
  grep -q "^ *$f: " <<<"$msg" || { echo "FAIL: the imports commit does not list $f with its reason"; exit 1; }
done
bdir=$out/build-sim
bash "$here/drm_build_bochs.sh" "$out" sim build-sim "$out/" "$here/sm_model_bochs.c;$here/drm_client.c"
rc=0
rm -f "$out"/frame*.ppm
KPI_SMBOCHS=1 KPI_SIM_LOG=all KPI_DRM_CLIENT=1024x768 KPI_DRM_CLIENT_DUMP="$out/frame" \
  timeout 120 "$bdir/bochs" >"$out/run.log" 2>&1 || rc=$?
why=()
[ "$rc" -eq 0 ] || why+=("exit status $rc")
grep -q 'Found bochs VGA, ID 0xb0c5' "$out/run.log" || why+=("the driver did not read the model's dispi ID")
grep -q '\[drm\] Initialized bochs-drm .* on minor 0' "$out/run.log" || why+=("the DRM core did not register the device")
grep -q 'stub reached' "$out/run.log" && why+=("a stub was reached")
grep -q '^<[0-3]>' "$out/run.log" && why+=("error-level log lines")
grep -q '\[drm\] Found EDID data blob' "$out/run.log" || why+=("the driver found no EDID")
grep -q 'drm-client: connector [0-9]* EDID: 128 bytes, version 1.3, monitor "kpi sm-bochs"' "$out/run.log" ||
  why+=("GET_CONNECTOR: no EDID property with the model's blob")
grep -q 'drm-client: connector [0-9]* .*connected, [0-9]* mode(s):.* 1024x768\*@60' "$out/run.log" ||
  why+=("GET_CONNECTOR: 1024x768 is not the preferred mode (the EDID's first detailed timing)")
grep -q 'drm-client: done' "$out/run.log" || why+=("the client did not finish")
drm_check_frames "$out/run.log" "$out/frame"
if [ ${#why[@]} -ne 0 ]; then
  grep -v '^\[0x' "$out/run.log" | tail -n 30
  echo "FAIL: ${why[*]}"
  exit 1
fi
stubs=$(grep -c '^KPI_STUB' "$port/kpiport_stubs.c" || true)
echo "PASS: bochs probed, served the test client (mode set, two frames on screen pixel for pixel) and removed on the sim model; $(grep -c '^ *[a-z].*\.c: ' <<<"$msg") imported files, $stubs stubs"
