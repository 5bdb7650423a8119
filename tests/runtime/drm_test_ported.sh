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
# Exits 77 (skip) without the Linux tree.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers/gpu/drm" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
mkdir -p "$out"
port=$out/bochs
"$KPIPORT" port bochs -o "$port" --force >"$out/port.log" 2>&1 ||
  { tail -n 30 "$out/port.log"; echo "FAIL: kpiport port bochs"; exit 1; }
msg=$(git -C "$port" log --format=%B --grep='^imports:' -1)
for f in drivers/gpu/drm/drm_drv.c drivers/gpu/drm/drm_atomic_helper.c drivers/gpu/drm/drm_gem_vram_helper.c \
         drivers/gpu/drm/ttm/ttm_bo.c drivers/dma-buf/dma-resv.c; do
  grep -q "^ *$f: " <<<"$msg" || { echo "FAIL: the imports commit does not list $f with its reason"; exit 1; }
done
bdir=$out/build-sim
conf=(-DKPI_HOST=sim -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DKPI_PORT_EXTRA_SOURCES=$here/sm_model_bochs.c")
command -v ccache >/dev/null && conf+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache)
cmake -S "$port" -B "$bdir" "${conf[@]}" >"$out/configure.log" 2>&1 ||
  { tail -n 30 "$out/configure.log"; echo "FAIL: configuring bochs"; exit 1; }
cmake --build "$bdir" -j2 >"$out/build.log" 2>&1 ||
  { grep -E "error|undefined reference" "$out/build.log" | head -n 30; echo "FAIL: building bochs"; exit 1; }
rc=0
KPI_SMBOCHS=1 KPI_SIM_LOG=all timeout 120 "$bdir/bochs" >"$out/run.log" 2>&1 || rc=$?
why=()
[ "$rc" -eq 0 ] || why+=("exit status $rc")
grep -q 'Found bochs VGA, ID 0xb0c5' "$out/run.log" || why+=("the driver did not read the model's dispi ID")
grep -q '\[drm\] Initialized bochs-drm .* on minor 0' "$out/run.log" || why+=("the DRM core did not register the device")
grep -q 'stub reached' "$out/run.log" && why+=("a stub was reached")
grep -q '^<[0-3]>' "$out/run.log" && why+=("error-level log lines")
if [ ${#why[@]} -ne 0 ]; then
  grep -v '^\[0x' "$out/run.log" | tail -n 30
  echo "FAIL: ${why[*]}"
  exit 1
fi
stubs=$(grep -c '^KPI_STUB' "$port/kpiport_stubs.c" || true)
echo "PASS: bochs probed and removed on the sim model; $(grep -c '^ *[a-z].*\.c: ' <<<"$msg") imported files, $stubs stubs"
