#!/usr/bin/env bash
# e2e_ported.sh SCENARIO OUTDIR: one QEMU end-to-end test of a PORTED daemon
# (built by build_ported.sh into OUTDIR/bin: fixture e2e.ported.build.DRIVER).
# The scenarios are the lines of tests/e2e/matrix.tsv: a `nic` line runs the generic NIC scenario
# (tests/e2e/e2e_net.py), a `script` line the steps below.  Builds (or
# reuses) the guest image holding the scenario's daemon plus
# kpi_e2e_guest.sh and Linux's i2c-i801/i2c-dev (the i2c reference), boots
# it under TCG with the scenario's device and asserts console markers and
# QMP events (tools/qemu/run_guest.py).
#   i6300esb  pings past the timeout, then --wdt-stop-after -> QMP WATCHDOG
#   pvpanic   SIGUSR1 -> panic notifier of the imported pvpanic.c (built in:
#             its module_init ran as an initcall) -> GUEST_PANICKED
#   i6300esb-redox
#             QEMU's i6300esb model honours only 1- and 2-byte config writes,
#             pcid only 32-bit ones: asserts that the watchdog stays silent
#             (see the scenario for why)
#   8139too   QEMU's rtl8139 is a rev 0x20 (8139C+) chip, which 8139too
#             refuses by design ("use 8139cp"): asserts that refusal, exit 3
#   i2c-i801, i2c-i801-redox
#             q35's ICH9 SMBus: Linux's own driver, then the ported one,
#             read and write the same devices (tests/e2e/e2e_i2c.py)
# Exit 77 (skip) when QEMU, the kernel or busybox is unavailable.
set -u
scenario=$1 out=$2
top=$(cd "$(dirname "$0")/../.." && pwd)
qemu=${KPI_QEMU:-qemu-system-x86_64}
command -v "$qemu" >/dev/null || { echo "SKIP: $qemu not installed (apt-get install qemu-system-x86)"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
kind=$(python3 "$top/tests/e2e/e2e_matrix.py" kind "$scenario") || { echo "e2e_ported.sh: unknown scenario $scenario"; exit 2; }
daemon=$(python3 "$top/tests/e2e/e2e_matrix.py" daemon "$scenario")
need() {
  [ -x "$out/bin/$1" ] && return
  [[ "$1" == *@* ]] && { echo "SKIP: $1 was not built (no Linux ${1#*@} tree: tools/setup.sh)"; exit 77; }
  echo "FAIL: $out/bin/$1 missing (fixture e2e.ported.build.${1%%.*})"; exit 1
}
need "$daemon"
# The image holds this scenario's daemon only: the fixtures of other
# drivers may still be building theirs (images are cached by content).
img=$("$top/tools/qemu/build_image.sh" --module i2c-i801 --module i2c-dev "$out/bin/$daemon" "$top/tests/e2e/kpi_e2e_guest.sh")
rc=$?
[ $rc -eq 77 ] && { echo "SKIP: guest image prerequisites missing (see tools/qemu/README.md)"; exit 77; }
[ $rc -eq 0 ] || { echo "FAIL: build_image.sh exited $rc"; exit 1; }
run=(python3 "$top/tools/qemu/run_guest.py" "$img" --timeout 120 --forbid KPI-E2E-FAIL
     --forbid "Kernel panic" --forbid "kpi abort" --forbid "stub reached" --expect KPI-GUEST-UP)
if [ "$kind" = nic ]; then
  need "$(python3 "$top/tests/e2e/e2e_matrix.py" daemon "$scenario")"
  exec python3 "$top/tests/e2e/e2e_net.py" "$img" "$scenario"
fi
case "$scenario" in
  i6300esb)
    need i6300esb
    # heartbeat=2: about 2 s to the action; 8 s of keep-alives prove the pings.
    exec "${run[@]}" --cmd "/bin/i6300esb --pci=8086:25ab heartbeat=2 --wdt-stop-after=8" \
      --expect "claimed via uio" --expect "watchdog0: started (i6300ESB timer), timeout 2 s" \
      --expect "initialized. heartbeat=2 sec" --expect "driver ready" --expect "first keep-alive" \
      --expect "keep-alives stopped after 8 s" --expect event:WATCHDOG:action=poweroff \
      -- -device i6300esb -action watchdog=poweroff ;;
  pvpanic)
    need pvpanic-pci
    exec "${run[@]}" --cmd "/bin/kpi_e2e_guest.sh pvpanic" \
      --expect "claimed via uio" --expect "driver ready" \
      --expect "KPI-E2E pvpanic: daemon ready, sending SIGUSR1" --expect event:GUEST_PANICKED \
      -- -device pvpanic-pci -action panic=exit-failure ;;
  i6300esb-redox)
    # What is true on QEMU: pcid offers only 32-bit config accesses
    # (ReadConfig/WriteConfig), and QEMU's i6300esb model acts on its lock
    # register (0x68, enable bit) only for a 1-byte write and on its config
    # register (0x60) only for a 2-byte write (hw/watchdog/wdt_i6300esb.c,
    # i6300esb_config_write): a 32-bit write falls through to plain config
    # space.  So no Redox driver can enable this model's timer.  The daemon
    # on the emulated Redox does everything a Redox daemon can - claims the
    # function through pcid, programs the registers, maps BAR0 once, pings -
    # and QEMU's watchdog stays silent 8 s after the pings stop.  (On real
    # hardware byte enables make the 32-bit write reach the lock byte.)
    need i6300esb.redox-emu
    exec "${run[@]}" --cmd "/bin/kpi_e2e_guest.sh esb-redox" --forbid event:WATCHDOG \
      --expect "re: pcid-spawner" --expect "watchdog0: started (i6300ESB timer), timeout 2 s" \
      --expect "initialized. heartbeat=2 sec" --expect "re: daemon ready" --expect "first keep-alive" \
      --expect "keep-alives stopped after 4 s" \
      --expect "KPI-E2E esb-redox: no watchdog action 8 s after the pings stopped" \
      --expect "KPI-GUEST-EXIT rc=0" \
      -- -device i6300esb -action watchdog=poweroff ;;
  8139too)
    need 8139too
    exec "${run[@]}" --cmd "/bin/8139too --pci=10ec:8139" \
      --expect "claimed via uio" --expect "rev 20) is an enhanced 8139C+ chip, use 8139cp" \
      --expect "no matching device" --expect "KPI-GUEST-EXIT rc=3" \
      -- -netdev user,id=n0 -device rtl8139,netdev=n0,romfile= ;;
  i2c-i801 | i2c-i801-redox)
    need "$(python3 "$top/tests/e2e/e2e_matrix.py" daemon "$scenario")"
    exec python3 "$top/tests/e2e/e2e_i2c.py" "$img" "$scenario" ;;
  *) echo "e2e_ported.sh: $scenario is a script line of matrix.tsv without steps here"; exit 2 ;;
esac
