#!/usr/bin/env bash
# nic_test_ported.sh: REAL ported NIC drivers on the NIC models of
# sm_models.h (tests/runtime_nic_models.cmake).
#
#   nic_test_ported.sh port OUT DRIVER
#       port DRIVER with the kpiport under test ($KPIPORT) into
#       OUT/ports/DRIVER (replacing an earlier port), once per ctest run: the
#       port is shared by the builds for both hosts
#   nic_test_ported.sh run OUT DRIVER HOST MODEL SANITIZE [DAEMON-ARGS...]
#       build that port for HOST (sim | redox-emu) into OUT/build-DRIVER-HOST
#       with the models and the test host (tests/runtime/nic_test_host.c and
#       the OS side nic_test_os_<host>.c) linked in through cmake/KpiPort.cmake's
#       KPI_PORT_EXTRA_SOURCES (redox-emu: KPI_PORT_BACKEND = the emulated Redox
#       on the sim), then run the daemon with KPI_NICTEST=MODEL once per
#       DAEMON-ARGS word (";"-separated module parameters, "-" for none: e.g.
#       "-" "use_io=1" runs 8139too through MMIO, then through ports) and check: exit 0, "nictest: PASS", no error-level log line, no model
#       complaint; on redox-emu also that the netstack stand-in came up with
#       the EEPROM's MAC, that the backend logged the link flap (Redox's
#       network scheme has no link path: the log is all there is) and that
#       the scheme was closed by the driver's exit.
#       SANITIZE=ON builds the port with ASan+UBSan (KPI_SANITIZE, clang-19).
# Exits 77 (skip) without the Linux tree or the port.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=$1 out=$2 drv=$3
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
port="$out/ports/$drv"

if [ "$cmd" = port ]; then
  mkdir -p "$out/ports"
  t0=$(date +%s%N)
  "$KPIPORT" port "$drv" -o "$port" --force >"$out/ports/$drv.port.log" 2>&1 ||
    { tail -n 30 "$out/ports/$drv.port.log"; echo "FAIL: kpiport port $drv"; exit 1; }
  echo "ported $drv in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
  exit 0
fi

host=$4 model=$5 sanitize=$6
shift 6
[ -f "$port/report.json" ] || { echo "SKIP: no port of $drv in $port (the port fixture failed or was skipped)"; exit 77; }
case $host in
  sim) os=$here/nic_test_os_sim.c backend= ;;
  redox-emu) os=$here/nic_test_os_redox.c backend=-DKPI_PORT_BACKEND=kpi_host_redox-emu-sim ;;
  *) echo "unknown host $host"; exit 2 ;;
esac
extra="$here/nic_test_host.c;$os;$here/sm_common.c;$here/sm_model_rtl8139.c;$here/sm_model_e1000.c"
bdir="$out/build-$drv-$host"
conf=(-DKPI_HOST="$host" "-DKPI_PORT_EXTRA_SOURCES=$extra")
[ -n "$backend" ] && conf+=("$backend")
if [ "$sanitize" = ON ]; then
  # The sanitizer runtimes cannot be linked statically: KpiPort.cmake links
  # a KPI_SANITIZE build dynamically.
  conf+=(-DCMAKE_BUILD_TYPE=Debug -DKPI_SANITIZE=ON
         "-DCMAKE_C_FLAGS=-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined")
else
  conf+=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
command -v ccache >/dev/null && conf+=(-DCMAKE_C_COMPILER_LAUNCHER=ccache)
t0=$(date +%s%N)
cmake -S "$port" -B "$bdir" "${conf[@]}" >"$bdir.configure.log" 2>&1 ||
  { tail -n 30 "$bdir.configure.log"; echo "FAIL: configuring $drv for $host"; exit 1; }
cmake --build "$bdir" -j2 >"$bdir.build.log" 2>&1 ||
  { grep -E "error|undefined reference" "$bdir.build.log" | head -n 30; echo "FAIL: building $drv for $host (log: $bdir.build.log)"; exit 1; }
mod=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["module"]["name"])' "$port/report.json")
daemon="$bdir/$mod"
echo "built $drv for $host in $(( ($(date +%s%N) - t0) / 1000000 )) ms"

fail=0
[ $# -eq 0 ] && set -- -
for args in "$@"; do
  [ "$args" = - ] && args=
  argv=()
  [ -n "$args" ] && IFS=';' read -r -a argv <<<"$args"
  log="$bdir.run${args:+.${args//[^a-z0-9_]/_}}.log"
  t0=$(date +%s%N)
  rc=0
  KPI_NICTEST=$model ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} timeout 300 "$daemon" "${argv[@]}" >"$log" 2>&1 || rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  why=()
  [ "$rc" -eq 0 ] || why+=("exit status $rc")
  tail -n 1 "$log" | grep -q '^nictest: PASS' || why+=("no PASS verdict")
  grep -q '^<[0-3]>' "$log" && why+=("error-level log lines")
  grep -q '^sm [a-z0-9]*: [^rw]' "$log" && why+=("model complaints")
  grep -q 'ERROR: \(AddressSanitizer\|LeakSanitizer\)\|runtime error:' "$log" && why+=("sanitizer report")
  if [ "$host" = redox-emu ]; then
    mac=$(grep -o "^re: netstack: '[^']*' up, MAC [0-9a-f:]*" "$log" | grep -o '[0-9a-f:]*$' || true)
    [ "$mac" = 02:4b:50:00:81:39 ] || why+=("netstack did not read the EEPROM's MAC through the scheme (got '$mac')")
    # between the scenario's link-flap and stop steps: down, then up again
    flap=$(awk '/^nictest: step link-flap/ {on = 1} /^nictest: step stop/ {on = 0}
                on && /kpi redox: \/scheme\/network[^:]*: link (down|up)/ {printf "%s ", $NF}' "$log")
    [ "$flap" = "down up " ] || why+=("the backend did not log the link flap (logged: '$flap')")
    grep -q "^re: scheme 'network[^']*' gone" "$log" || why+=("the network scheme was not closed at exit")
  fi
  if [ ${#why[@]} -eq 0 ]; then
    echo "$drv on $host${args:+ ($args)}: $(tail -n 1 "$log") ($ms ms)"
  else
    fail=1
    grep -E '^nictest: FAIL|^<[0-3]>|^sm [a-z0-9]*: [^rw]|ERROR: |runtime error:' "$log" | head -n 40 || true
    tail -n 15 "$log"
    printf 'FAIL: %s on %s%s: %s (log: %s)\n' "$drv" "$host" "${args:+ ($args)}" "$(IFS=,; echo "${why[*]}")" "$log"
  fi
done
exit $fail
