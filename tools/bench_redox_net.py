#!/usr/bin/env python3
"""bench_redox_net.py: frame round trip through the Redox network scheme
(the Redox backend on the emulated Redox) against the linux target's TAP
path, for the same ported NIC driver, in the same QEMU (TCG) guest and the
same run; prints medians, spread and the ratio.

    tools/bench_redox_net.py [--driver e1000|8139cp] [--rounds 5] [--pings 20] [BINDIR]

BINDIR holds <driver> and <driver>.redox-emu (default build/tests/e2e-ported/
bin, made by the ctest fixtures e2e.ported.build.DRIVER).  The two daemons take the
NIC in turn, interleaved ROUNDS times (TCG makes single runs meaningless);
each run leases an address and pings QEMU's gateway PINGS times.  The redox
path adds the scheme requests and events between the daemon and the
emulator's netstack stand-in, and the stand-in's bridge to the TAP; the
kernel side (the guest's stack, slirp) is the same for both."""
import argparse
import os
import re
import statistics
import subprocess
import sys

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEVICES = {"e1000": ("8086:100e", "e1000"), "8139cp": ("10ec:8139", "rtl8139")}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("bindir", nargs="?", default=f"{top}/build/tests/e2e-ported/bin")
    ap.add_argument("--driver", default="e1000", choices=sorted(DEVICES))
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--pings", type=int, default=20)
    a = ap.parse_args()
    linux = os.path.join(a.bindir, a.driver)
    redox = linux + ".redox-emu"
    for d in (linux, redox):
        if not os.access(d, os.X_OK):
            sys.exit(f"bench_redox_net: no daemon {d} (ctest --test-dir build -R e2e.ported.build)")
    ids, qdev = DEVICES[a.driver]
    img = subprocess.run([f"{top}/tools/qemu/build_image.sh", linux, redox, f"{top}/tools/bench_redox_net.sh"],
                         check=True, capture_output=True, text=True).stdout.strip()
    cmd = [sys.executable, "-u", f"{top}/tools/qemu/run_guest.py", img, "--timeout", str(120 + 60 * a.rounds),
           "--cmd", f"/bin/bench_redox_net.sh run {a.driver} {a.driver}.redox-emu {ids} {a.rounds} {a.pings}",
           "--forbid", "BENCH-FAIL", "--forbid", "Kernel panic", "--forbid", "kpi abort",
           "--forbid", "stub reached", "--expect", "BENCH done",
           "--", "-netdev", "user,id=n0", "-device", f"{qdev},netdev=n0,romfile="]
    out = subprocess.run(cmd, capture_output=True, text=True)
    runs = re.findall(r"BENCH rtt (linux|redox) (\d+) ([0-9.]+)", out.stdout)
    rtt = {"linux": [], "redox": []}
    for kind, _, ms in runs:
        rtt[kind].append(float(ms))
    if out.returncode != 0 or min(len(v) for v in rtt.values()) < a.rounds:
        sys.stdout.write(out.stdout[-4000:])
        sys.exit(f"bench_redox_net: guest run failed (rc {out.returncode}, runs {len(runs)})")
    print(f"bench_redox_net: {a.driver}, {a.rounds} interleaved rounds x {a.pings} pings to the gateway, QEMU TCG")
    med = {}
    for kind, label in (("linux", "linux target (TAP)"), ("redox", "redox-emu (network scheme)")):
        v = rtt[kind]
        med[kind] = statistics.median(v)
        print(f"  {label:27}: median {med[kind]:6.2f} ms  spread {min(v):.2f}-{max(v):.2f}  "
              f"runs {' '.join(f'{x:.2f}' for x in v)}")
    print(f"  ratio redox-emu/linux (median round trip): {med['redox'] / med['linux']:.2f}")


if __name__ == "__main__":
    main()
