#!/bin/sh
# bench_e2e_net.sh: guest side of tools/bench_e2e_net.py (busybox sh; put
# into the image as /bin/bench_e2e_net.sh, also udhcpc's -s hook).
#   bench_e2e_net.sh run DAEMON PORTED_BDF KERNEL_BDF SINKPORT MIB PINGS
# The guest kernel's own driver has bound both NICs at boot; the ported
# DAEMON takes PORTED_BDF over (uio), the kernel keeps KERNEL_BDF.  Each
# NIC sits on its own QEMU user network (10.0.2.0/24 ported, 10.0.3.0/24
# kernel) whose gateway .2 is the host: for each, udhcpc, ping the gateway
# PINGS times (round-trip), then send MIB MiB over TCP to the host's sink
# on SINKPORT.  Prints BENCH lines the host side parses.
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
*) fail "usage: $0 run DAEMON PORTED_BDF KERNEL_BDF SINKPORT MIB PINGS" ;;
esac
daemon=$2 pbdf=$3 kbdf=$4 sink=$5 mib=$6 pings=$7

"/bin/$daemon" --pci="$pbdf" >/tmp/d.log 2>&1 &
pid=$!
i=0
until grep -q "driver ready" /tmp/d.log; do
	i=$((i + 1))
	[ $i -gt 300 ] || ! kill -0 $pid 2>/dev/null && { cat /tmp/d.log; fail "$daemon not ready"; }
	sleep 0.1
done
pif=$(sed -n 's/.*netif [0-9]* is TAP \([^ ]*\).*/\1/p' /tmp/d.log | head -n 1)
kif=$(ls "/sys/bus/pci/devices/$kbdf/net" 2>/dev/null | head -n 1)
[ -n "$pif" ] && [ -n "$kif" ] || fail "interfaces: ported '$pif' kernel '$kif'"
echo "BENCH ported $daemon on $pif ($pbdf), kernel driver on $kif ($kbdf)"

measure() { # KIND IFACE GATEWAY
	ip link set "$2" up
	udhcpc -i "$2" -s /bin/bench_e2e_net.sh -q -n -t 5 -T 2 >/dev/null 2>&1 || fail "$1: no lease on $2"
	ip route replace "$3/32" dev "$2"
	rtt=$(ping -c "$pings" -i 0.2 -W 2 "$3" 2>&1 | sed -n 's|.*min/avg/max = [0-9.]*/\([0-9.]*\)/.*|\1|p')
	echo "BENCH rtt $1 ${rtt:-none} ms"
	dd if=/dev/zero bs=65536 count=$((mib * 16)) 2>/dev/null | nc "$3" "$sink" || fail "$1: nc to $3:$sink"
	echo "BENCH sent $1 $mib MiB"
}
measure ported "$pif" 10.0.2.2
measure kernel "$kif" 10.0.3.2
kill -TERM $pid
wait $pid
echo "BENCH done rc=$?"
