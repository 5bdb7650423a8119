#!/bin/sh
# kpi_e2e_guest.sh: guest-side steps of the ported-daemon e2e tests
# (tests/e2e/e2e_ported.sh puts it into the image as /bin/kpi_e2e_guest.sh;
# the kernel command line runs `kpi_e2e_guest.sh SCENARIO`).  busybox sh.
# Prints KPI-E2E markers the host harness expects; KPI-E2E-FAIL on failure.
#   pvpanic              start the ported pvpanic-pci daemon, wait until it
#                        is ready, send it SIGUSR1 (its panic request)
#   net DAEMON IDS HOSTPORT
#                        start the ported NIC daemon (tap kpi0; a DAEMON
#                        named *.redox-emu runs the Redox backend on the
#                        emulated Redox and must first get an ARP reply
#                        through its network scheme), udhcpc on
#                        kpi0, TCP to the host through QEMU's user network
#                        (10.0.2.2:HOSTPORT) and from the host (hostfwd to
#                        port 7000 here), a line and 256 KiB each way with
#                        their SHA-256, then stop the daemon
#   drm                  the ported bochs daemon (built with the DRM test
#                        client tests/runtime/drm_client.c) on QEMU's
#                        bochs-display: after each frame the client draws,
#                        say so and wait for the host's screendump (a line
#                        on the console), then let the client go on
#   i2c [DAEMON]         i2c-i801 (or DAEMON, e.g. i2c-i801.redox-emu) on q35's ICH9 SMBus: Linux's own i2c-i801
#                        (+ i2c-dev, busybox i2cset/i2cdump) writes and reads
#                        the bus first, then the ported daemon takes the
#                        function over, writes and dumps the same devices
#                        (tests/e2e/e2e_i2c.py compares)
fail() { echo "KPI-E2E-FAIL $*"; exit 1; }

# wait_for FILE PATTERN SECONDS [PID]: 1 on timeout or when PID is gone
wait_for() {
	i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt $(($3 * 10)) ] && return 1
		[ -n "$4" ] && ! kill -0 "$4" 2>/dev/null && return 1
		sleep 0.1
	done
	return 0
}

case "$1" in
deconfig | bound | renew | leasefail | nak)
	# udhcpc's script hook (udhcpc -s /bin/kpi_e2e_guest.sh)
	case "$1" in
	deconfig) ip link set "$interface" up; ip addr flush dev "$interface" ;;
	bound | renew)
		ip addr add "$ip/${mask:-24}" dev "$interface"
		[ -n "$router" ] && ip route add default via "${router%% *}" dev "$interface"
		echo "KPI-E2E net: lease $ip/${mask:-24} router ${router:-none} on $interface"
		;;
	esac
	exit 0
	;;
net)
	daemon=$2 ids=$3 hostport=$4
	case "$daemon" in
	*.redox-emu)
		# The Redox backend on the emulated Redox: its network scheme is
		# read by the emulator's netstack stand-in, which first sends an ARP
		# request for the host from the MAC it read through `mac`, then
		# bridges frames to a TAP interface for the guest's own stack.
		"/bin/$daemon" --pci="$ids" --emu-tap=kpi0 --emu-arp-probe=10.0.2.2 >/tmp/d.log 2>&1 &
		pid=$!
		wait_for /tmp/d.log "re: daemon ready" 30 $pid || { cat /tmp/d.log; fail "$daemon not ready"; }
		wait_for /tmp/d.log "ARP reply from 10.0.2.2 is-at" 20 $pid || { cat /tmp/d.log; fail "$daemon: no ARP reply through the network scheme"; }
		echo "KPI-E2E net: ARP reply from 10.0.2.2 through the Redox network scheme"
		;;
	*)
		"/bin/$daemon" --pci="$ids" >/tmp/d.log 2>&1 &
		pid=$!
		;;
	esac
	wait_for /tmp/d.log "driver ready" 30 $pid || { cat /tmp/d.log; fail "$daemon not ready"; }
	cat /tmp/d.log
	ifc=$(sed -n 's/.*netif [0-9]* is TAP \([^ ]*\).*/\1/p' /tmp/d.log | head -n 1)
	[ -n "$ifc" ] || fail "$daemon opened no TAP interface"
	ip link show "$ifc" >/dev/null || fail "no interface $ifc"
	echo "KPI-E2E net: TAP $ifc is up in the guest"
	ip link set "$ifc" up
	udhcpc -i "$ifc" -s /bin/kpi_e2e_guest.sh -q -n -t 5 -T 2 || { cat /tmp/d.log; fail "udhcpc got no lease"; }
	# guest -> host: 10.0.2.2 is the host's loopback in QEMU's user network;
	# a line and 256 KiB of random bytes, the host answers with their digest
	dd if=/dev/urandom of=/tmp/bulk bs=1024 count=256 2>/dev/null
	sum=$(sha256sum /tmp/bulk | cut -d' ' -f1)
	echo "KPI-E2E net: sent 262144 bytes sha256=$sum"
	{ echo "guest-to-host $daemon"; cat /tmp/bulk; } >/tmp/g2h
	reply=$(nc -w 10 10.0.2.2 "$hostport" </tmp/g2h)
	echo "KPI-E2E net: host replied '$reply'"
	[ "$reply" = "host-ack guest-to-host $daemon sha256=$sum" ] || fail "guest->host exchange: got '$reply'"
	# host -> guest: the harness connects to hostfwd, which reaches port 7000
	# here, and sends a line and 256 KiB
	echo "guest-greets-host $daemon" >/tmp/h2g.out
	echo "KPI-E2E net: listening on 7000"
	timeout 60 nc -l -p 7000 </tmp/h2g.out >/tmp/h2g.in
	first=$(head -n 1 /tmp/h2g.in)
	n=$(($(wc -c </tmp/h2g.in) - ${#first} - 1))
	hsum=$(tail -c 262144 /tmp/h2g.in | sha256sum | cut -d' ' -f1)
	echo "KPI-E2E net: host sent '$first' and $n bytes sha256=$hsum"
	[ "$first" = "host-to-guest $daemon" ] || fail "host->guest exchange: got '$first'"
	[ "$n" -eq 262144 ] || fail "host->guest exchange: $n bytes after the line, want 262144"
	kill -TERM $pid
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	sed -n "/driver ready/,\$p" /tmp/d.log | tail -n 40
	kill -0 $pid 2>/dev/null && fail "$daemon still running 5 s after SIGTERM"
	wait $pid
	drc=$?
	[ $drc -eq 0 ] || fail "$daemon exited $drc after SIGTERM"
	echo "KPI-E2E net: $daemon PASS"
	;;
esb-redox)
	# i6300esb on the emulated Redox (tests/e2e/e2e_ported.sh says why QEMU's
	# watchdog cannot act): run it, let it stop pinging, wait 8 s, SIGTERM.
	/bin/i6300esb.redox-emu --pci=8086:25ab heartbeat=2 --wdt-stop-after=4 >/tmp/d.log 2>&1 &
	pid=$!
	wait_for /tmp/d.log "keep-alives stopped" 30 $pid || { cat /tmp/d.log; fail "i6300esb.redox-emu did not ping"; }
	sleep 8
	cat /tmp/d.log
	echo "KPI-E2E esb-redox: no watchdog action 8 s after the pings stopped"
	kill -TERM $pid
	wait $pid || fail "i6300esb.redox-emu exited $? after SIGTERM"
	;;
i2c)
	# Linux's i2c-i801 bound the ICH9 SMBus at boot (image module); i2c-dev
	# gives busybox's tools /dev/i2c-0.  Its SPD logic ran then, with QEMU's
	# DMI (SMBIOS type 17) in view: say what it concluded.
	daemon=${2:-i2c-i801}
	[ -e /dev/i2c-0 ] || fail "the kernel's i2c-i801 made no /dev/i2c-0"
	dmesg | grep -E "memory slots populated|Memory type" | sed 's/^\[[ 0-9.]*\] /KPI-E2E i2c: kernel: /'
	# the kernel writes "linux" at 0x20 of the EEPROM at 0x57 (SMBus byte writes)
	o=32
	for b in 0x6c 0x69 0x6e 0x75 0x78; do
		i2cset -y 0 0x57 "$(printf 0x%02x $o)" $b b || fail "i2cset 0x57 $o"
		o=$((o + 1))
	done
	for d in "0x50 b" "0x57 b" "0x5b b" "0x5b i"; do
		set -- $d
		i2cdump -y 0 $1 $2 | sed -n "s/^\([0-9a-f]0:\)/KPI-E2E i2c: kernel $1 $2 \1/p"
	done
	echo "KPI-E2E i2c: kernel reference done"
	# the ported daemon takes the function over (the host backend unbinds
	# the kernel's driver): "kpiport" at 0x40 of 0x57, then the dumps
	"/bin/$daemon" --pci=8086:2930 --i2c-set=0/57:40=6b7069706f7274 \
		--i2c-dump=0/50,0/57,0/5b,0/5b:block,0/58 >/tmp/d.log 2>&1 &
	pid=$!
	wait_for /tmp/d.log "0x58: read failed" 60 $pid || { cat /tmp/d.log; fail "$daemon did not finish its requests"; }
	kill -TERM $pid
	i=0
	while kill -0 $pid 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	cat /tmp/d.log
	kill -0 $pid 2>/dev/null && fail "$daemon still running 5 s after SIGTERM"
	wait $pid
	drc=$?
	[ $drc -eq 0 ] || fail "$daemon exited $drc after SIGTERM"
	echo "KPI-E2E i2c: daemon exited 0"
	;;
drm)
	KPI_DRM_CLIENT=1024x768 KPI_DRM_CLIENT_ACK=/tmp/ack /bin/bochs --pci=1234:1111 >/tmp/d.log 2>&1 &
	pid=$!
	for f in 1 2; do
		wait_for /tmp/d.log "drm-client: frame $f shown" 120 $pid || { cat /tmp/d.log; fail "bochs: no frame $f"; }
		echo "KPI-E2E drm: frame $f shown"
		read -r ack || { cat /tmp/d.log; fail "no word from the host after frame $f"; }
		touch /tmp/ack$f
	done
	wait $pid
	drc=$?
	cat /tmp/d.log
	[ $drc -eq 0 ] || fail "bochs exited $drc"
	echo "KPI-E2E drm: daemon exited 0"
	;;
pvpanic)
	/bin/pvpanic-pci --pci=1b36:0011 >/tmp/d.log 2>&1 &
	pid=$!
	wait_for /tmp/d.log "driver ready" 30 $pid || { cat /tmp/d.log; fail "pvpanic daemon not ready"; }
	cat /tmp/d.log
	echo "KPI-E2E pvpanic: daemon ready, sending SIGUSR1"
	kill -USR1 $pid
	sleep 10
	cat /tmp/d.log
	fail "pvpanic: still running 10 s after SIGUSR1"
	;;
*) fail "unknown scenario $1" ;;
esac
