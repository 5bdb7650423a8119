#!/usr/bin/env python3
"""tools/qemu/run_guest.py: boot a kpiport test guest (build_image.sh) in
QEMU under TCG, read its serial console and QMP events with a timeout, and
assert on them.

  run_guest.py IMAGE_DIR [--cmd 'prog args'] [--expect PAT]... [--forbid PAT]...
               [--screendump TEXT=FILE]... [--timeout S] [--log FILE] [-- QEMU_ARGS...]

PAT is a console substring, or event:NAME[:key=value] for a QMP event
(e.g. event:GUEST_PANICKED, event:WATCHDOG:action=poweroff).  Expectations
must be met in the given order; a later one seen before its turn, or any
--forbid pattern, fails.  When all are met QEMU is stopped and the exit
status is 0; otherwise 1 (2 on a harness problem).  --screendump: when a
console line contains TEXT, QMP `screendump` writes the guest's display to
FILE (PPM), then the line "screendump done" is typed into the guest's
console (its stdin) so that a guest waiting for it goes on; each at most
once.  Boot timings are printed as 'timing: ...' lines.  stdlib only.
"""
import argparse
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def parse_args(argv):
    qemu_args = []
    if "--" in argv:
        i = argv.index("--")
        argv, qemu_args = argv[:i], argv[i + 1:]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("image", help="directory with vmlinuz and initrd.gz")
    ap.add_argument("--cmd", default="", help="guest command (after -- on the kernel cmdline)")
    ap.add_argument("--expect", action="append", default=[])
    ap.add_argument("--forbid", action="append", default=[])
    ap.add_argument("--screendump", action="append", default=[], metavar="TEXT=FILE")
    ap.add_argument("--timeout", type=float, default=90.0)
    ap.add_argument("--memory", default="512M")
    ap.add_argument("--log", help="write the console here")
    ap.add_argument("--qemu", default=os.environ.get("KPI_QEMU", "qemu-system-x86_64"))
    a = ap.parse_args(argv)
    a.qemu_args = qemu_args
    return a


class Pattern:
    def __init__(self, text):
        self.text = text
        self.event = None
        self.fields = {}
        if text.startswith("event:"):
            parts = text[6:].split(":")
            self.event = parts[0]
            for kv in parts[1:]:
                k, _, v = kv.partition("=")
                self.fields[k] = v

    def matches(self, kind, item):
        if self.event is None:
            return kind == "line" and self.text in item
        if kind != "event" or item.get("event") != self.event:
            return False
        data = item.get("data", {})
        return all(str(data.get(k)).lower() == v.lower() for k, v in self.fields.items())


class Qmp:
    def __init__(self, path, deadline):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        while True:
            try:
                self.sock.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.buf = b""
        self.events = []
        self.read_msg()  # greeting
        self.command("qmp_capabilities")

    def read_msg(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("QMP closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def command(self, name, args=None):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            msg = self.read_msg()
            if "event" in msg:
                self.events.append(msg)
            elif "return" in msg or "error" in msg:
                return msg

    def pump(self):
        """Read what is available; return complete messages (events)."""
        try:
            chunk = self.sock.recv(65536)
        except BlockingIOError:
            return []
        if not chunk:
            return None
        self.buf += chunk
        out = []
        while b"\n" in self.buf:
            line, self.buf = self.buf.split(b"\n", 1)
            if line.strip():
                msg = json.loads(line)
                if "event" in msg:
                    out.append(msg)
        return out


def main(argv):
    a = parse_args(argv)
    if not shutil.which(a.qemu):
        print(f"run_guest: {a.qemu} not found", file=sys.stderr)
        return 2
    kernel = os.path.join(a.image, "vmlinuz")
    initrd = os.path.join(a.image, "initrd.gz")
    tmpdir = tempfile.mkdtemp(prefix="kpi-qemu-")
    qmp_path = os.path.join(tmpdir, "qmp.sock")
    append = "console=ttyS0 quiet panic=-1 rdinit=/init"
    if a.cmd:
        append += " -- " + a.cmd
    cmd = [a.qemu, "-accel", "tcg", "-m", a.memory, "-nographic", "-monitor", "none", "-no-reboot", "-nic", "none",
           "-kernel", kernel, "-initrd", initrd, "-append", append,
           "-qmp", f"unix:{qmp_path},server=on,wait=off", "-S"] + a.qemu_args
    print("run_guest: " + " ".join(cmd), flush=True)
    expects = [Pattern(p) for p in a.expect]
    forbids = [Pattern(p) for p in a.forbid]
    log = open(a.log, "w") if a.log else None
    t0 = time.monotonic()
    dumps = []
    for d in a.screendump:
        text, sep, path = d.partition("=")
        if not sep or not text or not path:
            print(f"run_guest: --screendump {d!r}: want TEXT=FILE", file=sys.stderr)
            return 2
        dumps.append([text, os.path.abspath(path)])
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE if dumps else subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    deadline = t0 + a.timeout
    failure = None
    idx = 0
    times = {}
    qmp = None
    try:
        qmp = Qmp(qmp_path, t0 + 10)
        for ev in qmp.events:
            print(f"run_guest: early event {ev}")
        qmp.command("cont")
        t_start = time.monotonic()
        qmp.sock.setblocking(False)
        os.set_blocking(proc.stdout.fileno(), False)
        pending = b""

        def seen(kind, item):
            nonlocal idx, failure
            stamp = time.monotonic() - t_start
            shown = item if kind == "line" else json.dumps(item)
            if kind == "line" and "KPI-GUEST-UP" in item:
                times["boot"] = stamp
            for f in forbids:
                if f.matches(kind, item):
                    failure = f"forbidden '{f.text}' seen at {stamp:.1f}s: {shown}"
                    return
            if idx < len(expects) and expects[idx].matches(kind, item):
                print(f"run_guest: [{stamp:6.1f}s] expect #{idx + 1} '{expects[idx].text}' met")
                times[expects[idx].text] = stamp
                idx += 1
                return
            for j in range(idx + 1, len(expects)):
                if expects[j].matches(kind, item):
                    failure = f"'{expects[j].text}' seen at {stamp:.1f}s before '{expects[idx].text}'"
                    return

        def screendump(d):
            nonlocal failure
            text, path = d
            d[0] = "\0never"  # once
            qmp.sock.setblocking(True)
            r = qmp.command("screendump", {"filename": path})
            qmp.sock.setblocking(False)
            for ev in qmp.events:
                print(f"qmp| {json.dumps(ev)}", flush=True)
                seen("event", ev)
            qmp.events.clear()
            if "error" in r:
                failure = failure or f"screendump after '{text}': {r['error']}"
                return
            print(f"run_guest: [{time.monotonic() - t_start:6.1f}s] screendump after '{text}' -> {path}")
            proc.stdin.write(b"screendump done\n")
            proc.stdin.flush()

        sources = [proc.stdout, qmp.sock]
        while failure is None and idx < len(expects):
            left = deadline - time.monotonic()
            if left <= 0:
                failure = f"timeout after {a.timeout:.0f}s waiting for '{expects[idx].text}'"
                break
            ready, _, _ = select.select(sources, [], [], min(left, 0.5))
            if proc.stdout in ready:
                data = proc.stdout.read()
                if data:
                    pending += data
                    while b"\n" in pending:
                        raw, pending = pending.split(b"\n", 1)
                        line = raw.decode("utf-8", "replace").rstrip("\r")
                        print(f"guest| {line}", flush=True)
                        if log:
                            log.write(line + "\n")
                        seen("line", line)
                        for d in dumps:
                            if failure is None and d[0] in line:
                                screendump(d)
                        if failure or idx == len(expects):
                            break
                elif data is not None or proc.poll() is not None:
                    sources.remove(proc.stdout)
            if qmp.sock in ready and failure is None:
                evs = qmp.pump()
                if evs is None:
                    sources.remove(qmp.sock)
                else:
                    for ev in evs:
                        print(f"qmp| {json.dumps(ev)}", flush=True)
                        seen("event", ev)
            if proc.poll() is not None and proc.stdout not in sources:
                if qmp.sock in sources:  # last events, then stop
                    evs = qmp.pump() if select.select([qmp.sock], [], [], 0.2)[0] else []
                    for ev in evs or []:
                        print(f"qmp| {json.dumps(ev)}", flush=True)
                        seen("event", ev)
                if failure is None and idx < len(expects):
                    failure = f"QEMU exited ({proc.returncode}) before '{expects[idx].text}'"
                break
    except (OSError, EOFError, ValueError) as e:
        failure = failure or f"harness: {e}"
    finally:
        if proc.poll() is None and qmp:
            try:
                qmp.sock.setblocking(True)
                qmp.sock.settimeout(2)
                qmp.sock.sendall(b'{"execute": "quit"}\n')
            except OSError:
                pass  # QEMU is on its way out already (e.g. -action ...=exit-failure)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            log.close()
        shutil.rmtree(tmpdir, ignore_errors=True)
    total = time.monotonic() - t0
    boot = times.get("boot")
    print(f"timing: boot (KPI-GUEST-UP) {boot:.1f}s, total {total:.1f}s" if boot is not None
          else f"timing: guest never came up, total {total:.1f}s")
    if failure:
        print(f"run_guest: FAIL: {failure}")
        return 1
    print(f"run_guest: PASS ({len(expects)} expectations, QEMU status {proc.returncode})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
