#!/usr/bin/env python3
"""e2e_net.py: host side of the ported-NIC e2e tests (tests/e2e/e2e_ported.sh).

    e2e_net.py IMAGE DAEMON PCI_IDS QEMU_DEVICE

Boots IMAGE with QEMU_DEVICE on `-netdev user` (hostfwd of a free local
port to the guest's port 7000) and runs `kpi_e2e_guest.sh net` in the
guest: the ported DAEMON exports its NIC as a TAP interface, udhcpc gets a
lease from QEMU's DHCP server, then two TCP exchanges cross the ported
driver: guest -> host (10.0.2.2:PORT, served here: it answers
"host-ack <line>") and host -> guest (we connect through hostfwd once the
guest says it listens, read its greeting and send "host-to-guest DAEMON").
Passes when run_guest.py's ordered expectations are met and both exchanges
carried exactly the expected bytes.  Prints `timing:` lines."""
import socket
import subprocess
import sys
import threading
import time

here = __import__("os").path.dirname(__import__("os").path.abspath(__file__))
top = __import__("os").path.dirname(__import__("os").path.dirname(here))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve_once(srv, got):
    """Guest -> host: one connection, one line, one answer."""
    srv.settimeout(120)
    try:
        conn, _ = srv.accept()
    except OSError as e:
        got["g2h_error"] = str(e)
        return
    with conn:
        conn.settimeout(20)
        data = b""
        while not data.endswith(b"\n"):
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        got["g2h"] = data.decode(errors="replace").strip()
        got["g2h_t"] = time.monotonic()
        conn.sendall(b"host-ack " + data)


def talk_to_guest(port, daemon, got):
    """Host -> guest through hostfwd: retry until the guest's nc answers."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=10) as c:
                c.settimeout(10)
                greeting = b""
                while not greeting.endswith(b"\n"):
                    chunk = c.recv(4096)
                    if not chunk:
                        break
                    greeting += chunk
                if not greeting:
                    time.sleep(0.3)  # slirp accepted before the guest listened
                    continue
                c.sendall(("host-to-guest %s\n" % daemon).encode())
                c.shutdown(socket.SHUT_WR)
                got["h2g_greeting"] = greeting.decode(errors="replace").strip()
                got["h2g_t"] = time.monotonic()
                return
        except OSError:
            time.sleep(0.3)
    got["h2g_error"] = "no answer from the guest's port 7000 within 30 s"


def main():
    image, daemon, ids, device = sys.argv[1:5]
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    g2h_port = srv.getsockname()[1]
    fwd_port = free_port()
    got = {}
    threading.Thread(target=serve_once, args=(srv, got), daemon=True).start()
    cmd = [sys.executable, "-u", f"{top}/tools/qemu/run_guest.py", image, "--timeout", "150",
           "--cmd", f"/bin/kpi_e2e_guest.sh net {daemon} {ids} {g2h_port}",
           "--forbid", "KPI-E2E-FAIL", "--forbid", "Kernel panic", "--forbid", "kpi abort",
           "--forbid", "stub reached", "--expect", "KPI-GUEST-UP"]
    if daemon.endswith(".redox-emu"):  # the Redox network scheme answered an ARP first
        cmd += ["--expect", "KPI-E2E net: ARP reply from 10.0.2.2 through the Redox network scheme",
                "--expect", "re: pcid-spawner", "--expect", "driver ready", "--expect", "re: daemon ready",
                "--expect", "re: netstack: bridged to TAP kpi0"]
    else:
        cmd += ["--expect", "driver ready"]
    cmd += [
           "--expect", "KPI-E2E net: TAP", "--expect", "KPI-E2E net: lease 10.0.2.15",
           "--expect", f"KPI-E2E net: host replied 'host-ack guest-to-host {daemon}'",
           "--expect", "KPI-E2E net: listening on 7000",
           "--expect", f"KPI-E2E net: host sent 'host-to-guest {daemon}'",
           "--expect", f"KPI-E2E net: {daemon} PASS", "--expect", "KPI-GUEST-EXIT rc=0",
           "--", "-netdev", f"user,id=n0,hostfwd=tcp:127.0.0.1:{fwd_port}-:7000",
           "-device", f"{device},netdev=n0,romfile="]
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    talker = None
    for line in p.stdout:
        sys.stdout.write(line)
        sys.stdout.flush()
        if "KPI-E2E net: listening on 7000" in line and talker is None:
            talker = threading.Thread(target=talk_to_guest, args=(fwd_port, daemon, got), daemon=True)
            talker.start()
    rc = p.wait()
    if talker:
        talker.join(5)
    srv.close()
    problems = []
    if rc != 0:
        problems.append(f"run_guest.py exited {rc}")
    if got.get("g2h") != f"guest-to-host {daemon}":
        problems.append(f"guest -> host: server got {got.get('g2h')!r} {got.get('g2h_error', '')}")
    if got.get("h2g_greeting") != f"guest-greets-host {daemon}":
        problems.append(f"host -> guest: greeting {got.get('h2g_greeting')!r} {got.get('h2g_error', '')}")
    for k in ("g2h_t", "h2g_t"):
        if k in got:
            print(f"timing: {k[:3]} exchange done at {got[k] - t0:.1f}s")
    if problems:
        print("e2e_net: FAIL: " + "; ".join(problems))
        return 1
    print(f"e2e_net: PASS ({daemon}: TAP, DHCP lease, TCP guest->host and host->guest)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
