#!/usr/bin/env python3
"""bench_e2e_net.py: TCP throughput and round-trip time through each PORTED
NIC daemon against the guest kernel's own driver for an identical second
NIC of the same QEMU model, in the same (TCG) guest and the same run;
medians of interleaved rounds and their ratios.

    tools/bench_e2e_net.py [--drivers e1000,pcnet32,...: scenario names] [--rounds 5] [--mib 4]
                           [--pings 10] [--bin DIR] [--json FILE]

The NICs are the `nic` lines of tests/e2e/matrix.tsv (every NIC the e2e
matrix proves; --drivers picks some).  Daemons come from DIR (default
build/tests/e2e-ported/bin, made by the ctest fixtures e2e.ported.build.DRIVER).
One guest per driver; its image holds the daemon, tools/bench_e2e_net.sh
and the kernel module of the same driver (build_image.sh --module; for a
DRIVER@VERSION line, the daemon ported from that tree against the guest
kernel's own module).  NIC
00:03.0 (user net 10.0.2.0/24) goes to the daemon, NIC 00:04.0 (user net
10.0.3.0/24) stays with the kernel.  Each round measures both, in
alternating order: RTT is busybox ping to the network's gateway (QEMU's
slirp answers it), throughput is guest -> host, timed here from the first
to the last byte at the sink.  Under TCG both paths are slow; the ratio
ported/kernel is the number to watch."""
import argparse
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(top, "tests", "e2e"))
import e2e_matrix  # noqa: E402


def sink(srv, results):
    """Accept connections forever; file (bytes, seconds) under the header
    line's (kind, round)."""
    while True:
        try:
            conn, _ = srv.accept()
        except OSError:
            return
        with conn:
            head = b""
            while not head.endswith(b"\n"):
                c = conn.recv(1)
                if not c:
                    break
                head += c
            n, t0 = 0, None
            while True:
                b = conn.recv(1 << 16)
                if not b:
                    break
                if t0 is None:
                    t0 = time.monotonic()
                n += len(b)
            t1 = time.monotonic()
        kind, _, rnd = head.decode(errors="replace").strip().partition(" ")
        results.append((kind, rnd, n, t1 - (t0 or t1)))


def bench(line, daemon, a):
    """One guest: {kind: {"tput": [MB/s...], "rtt": [ms...]}} or an error string."""
    img = subprocess.run([f"{top}/tools/qemu/build_image.sh", "--module", line.driver.partition("@")[0], daemon,
                          f"{top}/tools/bench_e2e_net.sh"], capture_output=True, text=True)
    if img.returncode != 0:
        return f"build_image.sh failed: {img.stderr.strip()[-300:]}"
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    port = srv.getsockname()[1]
    results = []
    threading.Thread(target=sink, args=(srv, results), daemon=True).start()
    name = os.path.basename(daemon)
    timeout = 120 + a.rounds * 2 * (30 + a.mib * 20)
    cmd = [sys.executable, "-u", f"{top}/tools/qemu/run_guest.py", img.stdout.strip(), "--timeout", str(timeout),
           "--cmd", f"/bin/bench_e2e_net.sh run {name} 0000:00:03.0 0000:00:04.0 {port} {a.mib} {a.pings} "
           f"{a.rounds}",
           "--forbid", "BENCH-FAIL", "--forbid", "Kernel panic", "--forbid", "kpi abort", "--forbid", "stub reached",
           "--expect", f"BENCH sent ported {a.rounds} ", "--expect", "BENCH done rc=0",
           "--", "-m", "768M",
           "-netdev", "user,id=n0", "-device", f"{line.qemu},netdev=n0,addr=03.0,romfile=",
           "-netdev", "user,id=n1,net=10.0.3.0/24", "-device", f"{line.qemu},netdev=n1,addr=04.0,romfile="]
    out = subprocess.run(cmd, capture_output=True, text=True)
    time.sleep(0.5)  # the sink files the last connection
    srv.close()
    if out.returncode != 0:
        tail = "\n".join(l for l in out.stdout.splitlines() if "BENCH" in l or "FAIL" in l or "abort" in l)
        return f"guest run failed (rc {out.returncode}): {tail[-600:]}"
    m = re.search(r"BENCH ported \S+ on \S+ \(\S+\), kernel driver (\S+)", out.stdout)
    res = {"ported": {"tput": [], "rtt": []}, "kernel": {"tput": [], "rtt": []},
           "kernel_driver": m.group(1) if m else "?"}
    want = a.mib << 20
    for kind, rnd, n, secs in results:
        if kind in ("ported", "kernel"):
            if n != want:
                return f"{kind} round {rnd}: {n} bytes arrived, {want} sent"
            res[kind]["tput"].append(n / secs / 1e6 if secs > 0 else float("inf"))
    for kind, rnd, rtt in re.findall(r"BENCH rtt (\w+) (\d+) ([0-9.]+) ms", out.stdout):
        res[kind]["rtt"].append(float(rtt))
    for kind in ("ported", "kernel"):
        if len(res[kind]["tput"]) != a.rounds:
            return f"{kind}: {len(res[kind]['tput'])} transfers of {a.rounds}"
    return res


def med(v):
    return statistics.median(v) if v else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--drivers", help="comma-separated scenario names of matrix.tsv's nic lines (default: all)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--mib", type=int, default=4)
    ap.add_argument("--pings", type=int, default=10)
    ap.add_argument("--bin", default=f"{top}/build/tests/e2e-ported/bin")
    ap.add_argument("--json", help="write the per-round figures here")
    a = ap.parse_args()
    if a.rounds < 1:
        sys.exit("bench_e2e_net: --rounds must be at least 1")
    nics = [l for l in e2e_matrix.load() if l.kind == "nic" and "linux" in l.targets]
    if a.drivers:
        pick = a.drivers.split(",")
        unknown = [d for d in pick if d not in [l.name for l in nics]]
        if unknown:
            sys.exit(f"bench_e2e_net: not a NIC of matrix.tsv: {', '.join(unknown)}")
        nics = [l for l in nics if l.name in pick]
    print(f"bench_e2e_net: {len(nics)} NICs, {a.rounds} interleaved rounds each, {a.mib} MiB guest->host and "
          f"{a.pings} pings a round, QEMU TCG; medians")
    report, rows = {}, []
    for line in nics:
        daemon = os.path.join(a.bin, line.daemon("linux"))
        if not os.access(daemon, os.X_OK):
            print(f"  {line.name:12} skipped: no daemon {daemon} (ctest -R e2e.ported.build)")
            continue
        t0 = time.monotonic()
        res = bench(line, daemon, a)
        if isinstance(res, str):
            print(f"  {line.name:12} FAILED: {res}")
            report[line.name] = {"error": res}
            continue
        report[line.name] = res
        p, k = res["ported"], res["kernel"]
        tr = med(p["tput"]) / med(k["tput"]) if med(k["tput"]) else float("nan")
        rr = med(p["rtt"]) / med(k["rtt"]) if p["rtt"] and k["rtt"] and med(k["rtt"]) else float("nan")
        rows.append((line.name, line.qemu, med(p["tput"]), med(k["tput"]), tr, med(p["rtt"]), med(k["rtt"]), rr))
        print(f"  {line.name:12} done in {time.monotonic() - t0:.0f} s (kernel driver {res['kernel_driver']}); "
              f"per round MB/s ported {', '.join(f'{x:.2f}' for x in p['tput'])} | kernel "
              f"{', '.join(f'{x:.2f}' for x in k['tput'])}", flush=True)
    if rows:
        print()
        print("| scenario | QEMU device | ported MB/s | kernel MB/s | tput ported/kernel | ported RTT ms | kernel RTT ms "
              "| RTT ported/kernel |")
        print("|---|---|---|---|---|---|---|---|")
        for r in rows:
            print(f"| {r[0]} | {r[1]} | {r[2]:.2f} | {r[3]:.2f} | {r[4]:.2f} | {r[5]:.3f} | {r[6]:.3f} | {r[7]:.2f} |")
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump({"rounds": a.rounds, "mib": a.mib, "pings": a.pings, "drivers": report}, f, indent=1)
    return 0 if rows and len(rows) == len([d for d in report]) else 1


if __name__ == "__main__":
    sys.exit(main())
