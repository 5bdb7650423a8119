#!/usr/bin/env bash
# e2e_drm.sh DIR: the ported bochs DRM daemon on QEMU's bochs-display
# (ctest e2e.drm.bochs).  DIR is where the test runtime_drm_bochs_sim
# (fixture drm_bochs) ported bochs (DIR/bochs) and built it for the sim
# (DIR/build-sim): bochs is ported once per test run, not again here.  It is
# built for the linux target with the DRM test client
# (tests/runtime/drm_client.c, the DRM UAPI from the tree) into
# DIR/build-linux - beside build-sim and with the same ccache settings, so
# the ~90 imported files compile once for both - put into
# a guest image and run under TCG (`kpi_e2e_guest.sh drm`): the daemon binds
# the device through the Linux backend (UIO), the client lists the
# connector's modes (QEMU's EDID), sets 1024x768, draws frame 1 into a dumb
# buffer, page-flips to a second one and draws frame 2.  After each frame
# QMP `screendump` (tools/qemu/run_guest.py --screendump) writes the guest's
# display, which must equal the frame pixel for pixel
# (tests/runtime/drm_pattern.py).  `stub reached` is forbidden; the daemon
# exits 0 when the client is done.  Exit 77 (skip) without QEMU, the guest's
# prerequisites or the Linux tree.
set -u
dir=$(cd "$1" && pwd) || exit 1
port=$dir/bochs out=$dir/e2e
top=$(cd "$(dirname "$0")/../.." && pwd)
qemu=${KPI_QEMU:-qemu-system-x86_64}
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
command -v "$qemu" >/dev/null || { echo "SKIP: $qemu not installed (apt-get install qemu-system-x86)"; exit 77; }
[ -d "$tree/include/uapi/drm" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
[ -f "$port/CMakeLists.txt" ] || { echo "FAIL: no bochs port at $port (fixture drm_bochs: runtime_drm_bochs_sim)"; exit 1; }
mkdir -p "$out/bin"
t0=$(date +%s)
bash "$top/tests/runtime/drm_build_bochs.sh" "$dir" linux build-linux "$out/" "$top/tests/runtime/drm_client.c" || exit 1
d=$dir/build-linux/bochs
[[ "$(file "$d")" == *"statically linked"* ]] || { echo "FAIL: $d is not static"; exit 1; }
cp "$d" "$out/bin/bochs.tmp" && mv "$out/bin/bochs.tmp" "$out/bin/bochs"
echo "built bochs for linux in $(($(date +%s) - t0)) s"
img=$("$top/tools/qemu/build_image.sh" "$out/bin/bochs" "$top/tests/e2e/kpi_e2e_guest.sh")
rc=$?
[ $rc -eq 77 ] && { echo "SKIP: guest image prerequisites missing (see tools/qemu/README.md)"; exit 77; }
[ $rc -eq 0 ] || { echo "FAIL: build_image.sh exited $rc"; exit 1; }
rm -f "$out"/frame*.ppm
python3 "$top/tools/qemu/run_guest.py" "$img" --timeout 200 --log "$out/console.log" \
  --forbid KPI-E2E-FAIL --forbid "Kernel panic" --forbid "kpi abort" --forbid "stub reached" \
  --cmd "/bin/kpi_e2e_guest.sh drm" --expect KPI-GUEST-UP \
  --screendump "KPI-E2E drm: frame 1 shown=$out/frame1.ppm" --screendump "KPI-E2E drm: frame 2 shown=$out/frame2.ppm" \
  --expect "KPI-E2E drm: frame 1 shown" --expect "KPI-E2E drm: frame 2 shown" \
  --expect "claimed via uio" --expect "[drm] Found EDID data blob" \
  --expect "[drm] Initialized bochs-drm" --expect 'monitor "QEMU Monitor"' \
  --expect "drm-client: crtc" --expect "drm-client: flipped to framebuffer" \
  --expect "drm-client: buffers destroyed" --expect "KPI-E2E drm: daemon exited 0" \
  -- -vga none -device bochs-display || { echo "FAIL: the guest run"; exit 1; }
ok=0
for f in 1 2; do
  python3 "$top/tests/runtime/drm_pattern.py" "$out/frame$f.ppm" $f 1024 768 || ok=1
done
[ $ok -eq 0 ] || { echo "FAIL: QEMU's display is not the client's frames"; exit 1; }
echo "PASS: bochs on QEMU's bochs-display: 1024x768 set, two frames on QEMU's display pixel for pixel"
