#!/bin/sh
# bench_redox_net.sh: guest side of tools/bench_redox_net.py (busybox sh; in
# the image as /bin/bench_redox_net.sh, also udhcpc's -s hook).
#   bench_redox_net.sh run LINUX_DAEMON REDOX_DAEMON IDS ROUNDS PINGS
# The same ported NIC driver built twice - for the linux target (frames
# reach the guest's stack through a TAP) and for redox-emu (frames cross the
# Redox network scheme to the emulator's netstack stand-in, which bridges
# them to the same TAP name) - takes the same NIC in turn, ROUNDS times,
# interleaved: each time udhcpc, then PINGS pings to the gateway.  Prints
# one BENCH line per run for the host side.
fail() { echo "BENCH-FAIL $*"; exit 1; }

case "$1" in
deconfig | bound | renew | leasefail | nak)
	case "$1" in
	deconfig) ip link set "$interface" up; ip addr flush dev "$interface" ;;
	bound | renew) ip addr add "$ip/${mask:-24}" dev "$interface" ;;
	esac
	exit 0
	;;
run) ;;
*) fail "usage: $0 run LINUX_DAEMON REDOX_DAEMON IDS ROUNDS PINGS" ;;
esac
linux=$2 redox=$3 ids=$4 rounds=$5 pings=$6

# one KIND ROUND: start the daemon, wait for its TAP, lease, ping, stop.
one() {
	if [ "$1" = redox ]; then
		"/bin/$redox" --pci="$ids" --emu-tap=kpi0 >/tmp/d.log 2>&1 &
		ready="re: netstack: bridged to TAP"
	else
		"/bin/$linux" --pci="$ids" >/tmp/d.log 2>&1 &
		ready="driver ready"
	fi
	pid=$!
	i=0
	until grep -q "$ready" /tmp/d.log; do
		i=$((i + 1))
		{ [ $i -gt 300 ] || ! kill -0 $pid 2>/dev/null; } && { cat /tmp/d.log; fail "$1 daemon not ready"; }
		sleep 0.1
	done
	ifc=$(sed -n 's/.*netif [0-9]* is TAP \([^ ]*\).*/\1/p' /tmp/d.log | head -n 1)
	[ -n "$ifc" ] || { cat /tmp/d.log; fail "$1: no TAP"; }
	ip link set "$ifc" up
	udhcpc -i "$ifc" -s /bin/bench_redox_net.sh -q -n -t 10 -T 2 >/dev/null 2>&1 || { cat /tmp/d.log; fail "$1: no lease"; }
	rtt=$(ping -c "$pings" -i 0.2 -W 2 10.0.2.2 2>&1 | sed -n 's|.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*|\1|p')
	echo "BENCH rtt $1 $2 ${rtt:-none}"
	kill -TERM $pid
	wait $pid || fail "$1 daemon exited $? after SIGTERM"
}

r=1
while [ $r -le "$rounds" ]; do
	one linux $r
	one redox $r
	r=$((r + 1))
done
echo "BENCH done"
