#!/usr/bin/env python3
"""e2e_net.py: host side of the ported-NIC e2e scenarios (the `nic` lines of
tests/e2e/matrix.tsv; run by tests/e2e/e2e_ported.sh).

    e2e_net.py IMAGE SCENARIO

Boots IMAGE with the scenario's QEMU NIC on `-netdev user` (hostfwd of a
free local port to the guest's port 7000) and runs `kpi_e2e_guest.sh net`
in the guest: the ported daemon exports its NIC as a TAP interface (a
redox-emu daemon first answers an ARP through the Redox network scheme,
then the emulator bridges that scheme to TAP), udhcpc gets a lease from
QEMU's DHCP server, then two TCP exchanges cross the ported driver:

  guest -> host  (10.0.2.2:PORT, served here) a line "guest-to-host DAEMON"
                 and 256 KiB of random bytes; we answer "host-ack
                 guest-to-host DAEMON sha256=<digest of what arrived>",
                 which the guest compares with its own digest
  host -> guest  (hostfwd to the guest's nc on 7000, once it listens) the
                 guest greets, we send "host-to-guest DAEMON" and 256 KiB
                 from a seeded generator; the guest prints the digest of
                 what it received, compared here

256 KiB is many times every ring these drivers have, so descriptors wrap
and RX buffers are refilled under load.  The daemon exits 0 on SIGTERM;
`stub reached` is forbidden; the line's expectations (daemon log lines)
must appear.  Prints `timing:` lines."""
import hashlib
import os
import random
import socket
import subprocess
import sys
import threading
import time

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(os.path.dirname(here))
sys.path.insert(0, here)
import e2e_matrix  # noqa: E402

BULK = 256 * 1024


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def read_line(conn):
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(1)
        if not chunk:
            break
        data += chunk
    return data


def serve_once(srv, got):
    """Guest -> host: one connection, a line and BULK bytes, one answer."""
    srv.settimeout(150)
    try:
        conn, _ = srv.accept()
    except OSError as e:
        got["g2h_error"] = str(e)
        return
    with conn:
        conn.settimeout(60)
        try:
            line = read_line(conn)
            h, n = hashlib.sha256(), 0
            while n < BULK:
                chunk = conn.recv(min(65536, BULK - n))
                if not chunk:
                    break
                h.update(chunk)
                n += len(chunk)
        except OSError as e:
            got["g2h_error"] = str(e)
            return
        got["g2h"] = line.decode(errors="replace").strip()
        got["g2h_bytes"] = n
        got["g2h_sha"] = h.hexdigest()
        got["g2h_t"] = time.monotonic()
        conn.sendall(b"host-ack " + line.rstrip(b"\n") + b" sha256=" + h.hexdigest().encode() + b"\n")


def talk_to_guest(port, daemon, got):
    """Host -> guest through hostfwd: retry until the guest's nc answers."""
    payload = random.Random(daemon).randbytes(BULK)
    got["h2g_sha"] = hashlib.sha256(payload).hexdigest()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
                c.settimeout(30)
                greeting = read_line(c)
                if not greeting:
                    time.sleep(0.3)  # slirp accepted before the guest listened
                    continue
                c.sendall(("host-to-guest %s\n" % daemon).encode() + payload)
                c.shutdown(socket.SHUT_WR)
                got["h2g_greeting"] = greeting.decode(errors="replace").strip()
                got["h2g_t"] = time.monotonic()
                return
        except OSError:
            time.sleep(0.3)
    got["h2g_error"] = "no answer from the guest's port 7000 within 30 s"


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    image, scenario = sys.argv[1:3]
    line, target = e2e_matrix.find(scenario)
    if not line or line.kind != "nic":
        sys.exit(f"e2e_net: {scenario} is no nic scenario of {e2e_matrix.MATRIX}")
    daemon = line.daemon(target)
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    g2h_port = srv.getsockname()[1]
    fwd_port = free_port()
    got = {}
    threading.Thread(target=serve_once, args=(srv, got), daemon=True).start()
    cmd = [sys.executable, "-u", f"{top}/tools/qemu/run_guest.py", image, "--timeout", "180",
           "--cmd", f"/bin/kpi_e2e_guest.sh net {daemon} {line.pci} {g2h_port}",
           "--forbid", "KPI-E2E-FAIL", "--forbid", "Kernel panic", "--forbid", "kpi abort",
           "--forbid", "stub reached", "--expect", "KPI-GUEST-UP"]
    if target == "redox-emu":  # the Redox network scheme answered an ARP first
        cmd += ["--expect", "KPI-E2E net: ARP reply from 10.0.2.2 through the Redox network scheme",
                "--expect", "re: pcid-spawner", "--expect", "driver ready", "--expect", "re: daemon ready",
                "--expect", "re: netstack: bridged to TAP kpi0"]
    else:
        cmd += ["--expect", "driver ready"]
    cmd += [
        "--expect", "KPI-E2E net: TAP", "--expect", "KPI-E2E net: lease 10.0.2.15",
        "--expect", f"KPI-E2E net: host replied 'host-ack guest-to-host {daemon} sha256=",
        "--expect", "KPI-E2E net: listening on 7000",
        "--expect", f"KPI-E2E net: host sent 'host-to-guest {daemon}' and {BULK} bytes sha256=",
        "--expect", f"KPI-E2E net: {daemon} PASS", "--expect", "KPI-GUEST-EXIT rc=0",
        "--", *line.qemu_args, "-netdev", f"user,id=n0,hostfwd=tcp:127.0.0.1:{fwd_port}-:7000",
        "-device", f"{line.qemu},netdev=n0,romfile="]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    talker = None
    console = []
    for text in p.stdout:
        sys.stdout.write(text)
        sys.stdout.flush()
        console.append(text)
        if "KPI-E2E net: listening on 7000" in text and talker is None:
            talker = threading.Thread(target=talk_to_guest, args=(fwd_port, daemon, got), daemon=True)
            talker.start()
    rc = p.wait()
    if talker:
        talker.join(5)
    srv.close()
    out = "".join(console)
    problems = []
    if rc != 0:
        problems.append(f"run_guest.py exited {rc}")
    if got.get("g2h") != f"guest-to-host {daemon}" or got.get("g2h_bytes") != BULK:
        problems.append(f"guest -> host: server got {got.get('g2h')!r} and {got.get('g2h_bytes')} bytes "
                        f"{got.get('g2h_error', '')}")
    elif f"KPI-E2E net: sent {BULK} bytes sha256={got['g2h_sha']}" not in out:
        problems.append(f"guest -> host: the guest did not send what arrived (sha256 {got['g2h_sha']})")
    if got.get("h2g_greeting") != f"guest-greets-host {daemon}":
        problems.append(f"host -> guest: greeting {got.get('h2g_greeting')!r} {got.get('h2g_error', '')}")
    elif f"and {BULK} bytes sha256={got['h2g_sha']}" not in out:
        problems.append(f"host -> guest: the guest did not receive what was sent (sha256 {got['h2g_sha']})")
    for e in line.expect:
        if e not in out:
            problems.append(f"the daemon did not log {e!r} (matrix.tsv)")
    for k in ("g2h_t", "h2g_t"):
        if k in got:
            print(f"timing: {k[:3]} exchange done at {got[k] - t0:.1f}s")
    if problems:
        print("e2e_net: FAIL: " + "; ".join(problems))
        return 1
    print(f"e2e_net: PASS ({scenario}: {daemon} on -device {line.qemu}: TAP, DHCP lease, "
          f"TCP guest->host and host->guest, {BULK} bytes each way, SHA-256 equal)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
