#!/bin/sh
# bench_e2e_net.sh: guest side of tools/bench_e2e_net.py (busybox sh; put
# into the image as /bin/bench_e2e_net.sh, also udhcpc's -s hook).
#   bench_e2e_net.sh run DAEMON PORTED_BDF KERNEL_BDF SINKPORT MIB PINGS ROUNDS
# The guest kernel's own driver has bound both NICs at boot; the ported
# DAEMON takes PORTED_BDF over (the host backend unbinds the kernel's
# driver), the kernel keeps KERNEL_BDF.  Each NIC sits on its own QEMU user
# network (10.0.2.0/24 ported, 10.0.3.0/24 kernel) whose gateway .2 is the
# host.  Both get a lease, then ROUNDS rounds, each measuring both NICs in
# turn (the order alternates from round to round, so drift in the host's
# load does not favour one side): ping the gateway PINGS times (round
# trip), then send MIB MiB over TCP to the host's sink on SINKPORT, after a
# header line "KIND ROUND" the sink uses to file the result.  Prints BENCH
# lines the host side parses.
fail() { echo "BENCH-FAIL $*"; exit 1; }

case "$1" in
deconfig | bound | renew | leasefail | nak)
	case "$1" in
	deconfig) ip link set "$interface" up; ip addr flush dev "$interface" ;;
	bound | renew) ip addr add "$ip/${mask:-24}" dev "$interface"; echo "BENCH lease $ip on $interface" ;;
	esac
	exit 0
	;;
run) ;;
*) fail "usage: $0 run DAEMON PORTED_BDF KERNEL_BDF SINKPORT MIB PINGS ROUNDS" ;;
esac
daemon=$2 pbdf=$3 kbdf=$4 sink=$5 mib=$6 pings=$7 rounds=$8

"/bin/$daemon" --pci="$pbdf" >/tmp/d.log 2>&1 &
pid=$!
i=0
until grep -q "driver ready" /tmp/d.log; do
	i=$((i + 1))
	if [ $i -gt 300 ] || ! kill -0 $pid 2>/dev/null; then cat /tmp/d.log; fail "$daemon not ready"; fi
	sleep 0.1
done
pif=$(sed -n 's/.*netif [0-9]* is TAP \([^ ]*\).*/\1/p' /tmp/d.log | head -n 1)
kif=$(ls "/sys/bus/pci/devices/$kbdf/net" 2>/dev/null | head -n 1)
[ -n "$pif" ] && [ -n "$kif" ] || fail "interfaces: ported '$pif' kernel '$kif'"
kdrv=$(basename "$(readlink "/sys/bus/pci/devices/$kbdf/driver")")
echo "BENCH ported $daemon on $pif ($pbdf), kernel driver $kdrv on $kif ($kbdf)"

setup() { # IFACE GATEWAY
	ip link set "$1" up
	udhcpc -i "$1" -s /bin/bench_e2e_net.sh -q -n -t 5 -T 2 >/dev/null 2>&1 || fail "no lease on $1"
	ip route replace "$2/32" dev "$1"
}
setup "$pif" 10.0.2.2
setup "$kif" 10.0.3.2

measure() { # KIND IFACE GATEWAY ROUND
	rtt=$(ping -c "$pings" -i 0.2 -W 2 "$3" 2>&1 | sed -n 's|.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*|\1|p')
	echo "BENCH rtt $1 $4 ${rtt:-none} ms"
	{
		echo "$1 $4"
		dd if=/dev/zero bs=65536 count=$((mib * 16)) 2>/dev/null
	} | nc "$3" "$sink" || fail "$1: nc to $3:$sink"
	echo "BENCH sent $1 $4 $mib MiB"
}
r=1
while [ $r -le "$rounds" ]; do
	if [ $((r % 2)) -eq 1 ]; then
		measure ported "$pif" 10.0.2.2 $r
		measure kernel "$kif" 10.0.3.2 $r
	else
		measure kernel "$kif" 10.0.3.2 $r
		measure ported "$pif" 10.0.2.2 $r
	fi
	r=$((r + 1))
done
kill -TERM $pid
wait $pid
echo "BENCH done rc=$?"
