#!/usr/bin/env python3
"""bench_e2e_net.py: TCP throughput and round-trip time through a PORTED NIC
daemon against the guest kernel's own driver for an identical second NIC,
in the same QEMU (TCG) guest and the same run; prints the ratios.

    tools/bench_e2e_net.py [--driver e1000|8139cp] [--mib 8] [--pings 20] [DAEMON]

DAEMON is the ported static daemon (default: build/tests/e2e-ported/bin/
<driver>, made by the ctest fixture e2e.ported.build).  The guest image gets
the daemon, tools/bench_e2e_net.sh and the kernel module of the same driver;
NIC 00:03.0 (user net 10.0.2.0/24) goes to the daemon, NIC 00:04.0 (user net
10.0.3.0/24) stays with the kernel.  Throughput is guest -> host, measured
here from the first to the last byte at the sink; RTT is busybox ping to
each network's gateway (QEMU's slirp answers it).  Under TCG both paths are
slow; the ratio is the number to watch."""
import argparse
import os
import re
import socket
import subprocess
import sys
import threading
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEVICES = {"e1000": ("8086:100e", "e1000"), "8139cp": ("10ec:8139", "rtl8139"),
           "8139too": ("10ec:8139", "rtl8139")}


def sink(srv, results):
    """Accept connections forever; record (bytes, seconds) per connection."""
    while True:
        try:
            conn, _ = srv.accept()
        except OSError:
            return
        n, t0 = 0, None
        with conn:
            while True:
                b = conn.recv(1 << 16)
                if not b:
                    break
                if t0 is None:
                    t0 = time.monotonic()
                n += len(b)
        results.append((n, time.monotonic() - (t0 or time.monotonic())))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("daemon", nargs="?")
    ap.add_argument("--driver", default="e1000", choices=sorted(DEVICES))
    ap.add_argument("--mib", type=int, default=8)
    ap.add_argument("--pings", type=int, default=20)
    a = ap.parse_args()
    daemon = a.daemon or f"{top}/build/tests/e2e-ported/bin/{a.driver}"
    if not os.access(daemon, os.X_OK):
        sys.exit(f"bench_e2e_net: no daemon {daemon} (ctest --test-dir build -R e2e.ported.build)")
    _, qdev = DEVICES[a.driver]
    img = subprocess.run([f"{top}/tools/qemu/build_image.sh", "--module", a.driver, daemon,
                          f"{top}/tools/bench_e2e_net.sh"], check=True, capture_output=True,
                         text=True).stdout.strip()
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]
    results = []
    threading.Thread(target=sink, args=(srv, results), daemon=True).start()
    name = os.path.basename(daemon)
    cmd = [sys.executable, "-u", f"{top}/tools/qemu/run_guest.py", img, "--timeout", "400",
           "--cmd", f"/bin/bench_e2e_net.sh run {name} 0000:00:03.0 0000:00:04.0 {port} {a.mib} {a.pings}",
           "--forbid", "BENCH-FAIL", "--forbid", "Kernel panic", "--forbid", "kpi abort",
           "--expect", "BENCH sent ported", "--expect", "BENCH sent kernel", "--expect", "BENCH done rc=0",
           "--", "-m", "768M",
           "-netdev", "user,id=n0", "-device", f"{qdev},netdev=n0,addr=03.0,romfile=",
           "-netdev", "user,id=n1,net=10.0.3.0/24", "-device", f"{qdev},netdev=n1,addr=04.0,romfile="]
    out = subprocess.run(cmd, capture_output=True, text=True)
    srv.close()
    rtt = dict(re.findall(r"BENCH rtt (\w+) ([0-9.]+) ms", out.stdout))
    if out.returncode != 0 or len(results) < 2:
        sys.stdout.write(out.stdout[-4000:])
        sys.exit(f"bench_e2e_net: guest run failed (rc {out.returncode}, {len(results)} transfers)")
    want = a.mib << 20
    tput = {}
    for kind, (n, secs) in zip(("ported", "kernel"), results):
        if n != want:
            sys.exit(f"bench_e2e_net: {kind}: {n} bytes arrived, {want} sent")
        tput[kind] = n / secs / 1e6 if secs > 0 else float("inf")
    print(f"bench_e2e_net: {a.driver}, {a.mib} MiB guest->host, {a.pings} pings, QEMU TCG")
    for kind in ("ported", "kernel"):
        print(f"  {kind:6}: {tput[kind]:8.2f} MB/s   rtt {rtt.get(kind, '?')} ms")
    print(f"  ratio ported/kernel: throughput {tput['ported'] / tput['kernel']:.2f}", end="")
    if "ported" in rtt and "kernel" in rtt and float(rtt["kernel"]) > 0:
        print(f", rtt {float(rtt['ported']) / float(rtt['kernel']):.2f}")
    else:
        print(", rtt ? (no ping replies)")


if __name__ == "__main__":
    main()
