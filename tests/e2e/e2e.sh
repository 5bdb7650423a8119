#!/usr/bin/env bash
# tests/e2e/e2e.sh: one QEMU end-to-end scenario of the Linux host backend.
#   e2e.sh SCENARIO BINDIR        (SCENARIO: pvpanic | esb | rtl8139)
# Builds (or reuses) the guest image with the three static test programs
# from BINDIR (tools/qemu/build_image.sh), boots it under TCG with the
# scenario's device and asserts on console markers and QMP events
# (tools/qemu/run_guest.py).  Exit 77 (skip) when QEMU, the kernel or
# busybox is unavailable.
set -u
scenario=$1 bindir=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
qemu=${KPI_QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || { echo "SKIP: $qemu not installed (apt-get install qemu-system-x86)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
t0=$(date +%s.%N)
img=$("$top/tools/qemu/build_image.sh" "$bindir/e2e_pvpanic" "$bindir/e2e_esb" "$bindir/e2e_rtl8139")
rc=$?
[ $rc -eq 77 ] && { echo "SKIP: guest image prerequisites missing (see tools/qemu/README.md)"; exit 77; }
[ $rc -eq 0 ] || { echo "FAIL: build_image.sh exited $rc"; exit 1; }
echo "e2e: image $img ready in $(echo "$(date +%s.%N) - $t0" | bc 2>/dev/null || echo '?') s"
run=(python3 "$top/tools/qemu/run_guest.py" "$img" --timeout 120 --forbid KPI-E2E-FAIL --forbid "Kernel panic"
     --expect KPI-GUEST-UP)
case "$scenario" in
  pvpanic)
    exec "${run[@]}" --cmd "/bin/e2e_pvpanic --pci=1b36:0011" \
      --expect "claimed via uio" --expect "supported events" --expect "KPI-E2E pvpanic: writing" \
      --expect event:GUEST_PANICKED \
      -- -device pvpanic-pci -action panic=exit-failure ;;
  esb)
    exec "${run[@]}" --cmd "/bin/e2e_esb --pci=8086:25ab" \
      --expect "claimed via uio" --expect "KPI-E2E esb: armed" --expect "KPI-E2E esb: kept alive" \
      --expect event:WATCHDOG:action=poweroff \
      -- -device i6300esb -action watchdog=poweroff ;;
  rtl8139)
    exec "${run[@]}" --cmd "/bin/e2e_rtl8139 --pci=10ec:8139" \
      --expect "claimed via uio" --expect "KPI-E2E rtl8139: mac 52:54:00:12:34:56 (mmio), pio agrees" \
      --expect "pagemap says" --expect "INTx #1 via uio" --expect "ARP reply: 10.0.2.2 is-at 52:55:0a:00:02:02" \
      --expect "INTx #2 via uio" --expect "ARP reply: 10.0.2.3 is-at" \
      --expect "KPI-E2E rtl8139: PASS" --expect "KPI-GUEST-EXIT rc=0" \
      -- -netdev user,id=n0 -device rtl8139,netdev=n0,mac=52:54:00:12:34:56,romfile= ;;
  *) echo "e2e.sh: unknown scenario $scenario"; exit 2 ;;
esac
