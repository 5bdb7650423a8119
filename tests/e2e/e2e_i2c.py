#!/usr/bin/env python3
"""e2e_i2c.py: host side of the e2e scenario i2c-i801 (tests/e2e/matrix.tsv;
run by tests/e2e/e2e_ported.sh).

    e2e_i2c.py IMAGE SCENARIO      (i2c-i801, or i2c-i801-redox: the same
                                   daemon on the emulated Redox)

Boots IMAGE on `-M q35`, whose ICH9 SMBus controller (00:1f.3, 8086:2930)
QEMU 7.2 populates with eight SMBus EEPROMs at 0x50-0x57
(hw/i386/pc_q35.c: smbus_eeprom_init(bus, 8, NULL, 0)), plus
`-device i2c-ddc` at 0x5b: a DDC responder serving the EDID that QEMU's
EDID generator (hw/display/edid-generate.c) makes.  The guest
(`kpi_e2e_guest.sh i2c`) first uses Linux's own i2c-i801 through i2c-dev
(busybox i2cset/i2cdump) as the reference, then runs the ported daemon
with --i2c-set/--i2c-dump (runtime/lx/lx_i2c.c).  Asserted here:

- The SPD EEPROMs hold what QEMU writes into them on x86: nothing.  QEMU's
  SPD generator (spd_data_generate) is used by some MIPS/PPC boards only;
  q35 passes no data, so all 256 bytes of 0x50 are 0 - memory type (byte 2)
  0 is "reserved", so there is no size to decode - and Linux, which reads
  the memory type from DMI instead (QEMU's SMBIOS says 0x07, "RAM"),
  instantiates no SPD client.  The daemon reads the same 256 zeros.
- The EEPROMs are RAM-backed and writable: the kernel's "linux" at 0x20 of
  0x57 is read back by the daemon, and the daemon's "kpiport" at 0x40 too -
  bytes travel both ways through the ported driver.
- 0x5b, SMBus byte reads: exactly the kernel's bytes, a valid EDID 1.x
  (header 00 ff ff ff ff ff ff 00, manufacturer "RHT" = 0x4914, product
  0x1234, monitor name "QEMU Monitor", checksum of the 128-byte block 0).
- 0x5b, I2C block reads (32 bytes a transaction, as at24 reads EEPROMs):
  exactly the kernel's bytes in the same mode, and those differ from the
  byte reads only in the last byte of each block (0x1f, 0x3f, ...), which
  reads 0.  QEMU 7.2's ICH9 model (hw/i2c/pm_smbus.c) signals the last
  byte of an I2C block read with INTR but not BYTE_DONE, and i2c-i801
  collects a byte only on BYTE_DONE - Linux's driver loses it the same way.
- 0x58 (no device): -ENXIO.  SIGTERM: exit 0.  `stub reached` is forbidden.
"""
import os
import re
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
top = os.path.dirname(os.path.dirname(here))
sys.path.insert(0, here)
import e2e_matrix  # noqa: E402

KLINE = re.compile(r"KPI-E2E i2c: kernel (0x[0-9a-f]{2}) ([bi]) ([0-9a-f]0): ((?:[0-9a-fX]{2} ){15}[0-9a-fX]{2})")
DHEAD = re.compile(r"i2c i2c-0: 0x([0-9a-f]{2}): reading 256 bytes \((SMBus byte|I2C block) reads\)")
DLINE = re.compile(r"i2c i2c-0: 0x([0-9a-f]{2}) ([0-9a-f]{2}): ((?:[0-9a-f]{2} ){15}[0-9a-f]{2})")


def parse(out):
    kernel, daemon = {}, {}
    mode = None
    for line in out.splitlines():
        m = KLINE.search(line)
        if m:
            key = (int(m.group(1), 16), "byte" if m.group(2) == "b" else "block")
            b = kernel.setdefault(key, bytearray(256))
            off = int(m.group(3), 16)
            b[off:off + 16] = bytes(int(x, 16) if x != "XX" else 0xEE for x in m.group(4).split())
            continue
        m = DHEAD.search(line)
        if m:
            mode = (int(m.group(1), 16), "byte" if m.group(2) == "SMBus byte" else "block")
            daemon[mode] = bytearray(256)
            continue
        m = DLINE.search(line)
        if m and mode and int(m.group(1), 16) == mode[0]:
            off = int(m.group(2), 16)
            daemon[mode][off:off + 16] = bytes.fromhex(m.group(3))
    return kernel, daemon


def check(kernel, daemon):
    problems = []

    def need(key, where):
        if key not in where:
            problems.append(f"no {'kernel' if where is kernel else 'daemon'} dump of 0x{key[0]:02x} ({key[1]} reads)")
            return None
        return bytes(where[key])

    spd_k, spd_d = need((0x50, "byte"), kernel), need((0x50, "byte"), daemon)
    if spd_k is not None and spd_k != bytes(256):
        problems.append("QEMU's SPD EEPROM 0x50 is not all zero as read by Linux (has QEMU started writing SPD data?)")
    if spd_d is not None and spd_d != bytes(256):
        problems.append(f"daemon: SPD EEPROM 0x50 not all zero: {spd_d[:16].hex()}...")
    ee_k, ee_d = need((0x57, "byte"), kernel), need((0x57, "byte"), daemon)
    if ee_k is not None and ee_k[0x20:0x25] != b"linux":
        problems.append(f"kernel: 0x57 at 0x20 reads {ee_k[0x20:0x25]!r}, wrote b'linux'")
    if ee_d is not None:
        if ee_d[0x40:0x47] != b"kpiport":
            problems.append(f"daemon: 0x57 at 0x40 reads {ee_d[0x40:0x47]!r}, wrote b'kpiport'")
        if ee_k is not None and ee_d[:0x40] + ee_d[0x47:] != ee_k[:0x40] + ee_k[0x47:]:
            problems.append("daemon: 0x57 differs from the kernel's reading outside the daemon's own write")
    edid_k, edid_d = need((0x5b, "byte"), kernel), need((0x5b, "byte"), daemon)
    if edid_d is not None:
        if edid_k is not None and edid_d != edid_k:
            problems.append("daemon: 0x5b (byte reads) differs from the kernel's reading")
        e = edid_d[:128]
        if e[:8] != bytes.fromhex("00ffffffffffff00"):
            problems.append(f"daemon: no EDID header at 0x5b: {e[:8].hex()}")
        if e[8:12] != bytes.fromhex("49143412"):
            problems.append(f"daemon: EDID vendor/product {e[8:12].hex()}, want 4914 3412 (RHT, 0x1234)")
        if sum(e) % 256:
            problems.append(f"daemon: EDID checksum of the 128-byte block is {sum(e) % 256}, want 0")
        if b"QEMU Monitor" not in e:
            problems.append("daemon: EDID has no monitor name 'QEMU Monitor'")
    blk_k, blk_d = need((0x5b, "block"), kernel), need((0x5b, "block"), daemon)
    if blk_d is not None:
        if blk_k is not None and blk_d != blk_k:
            problems.append("daemon: 0x5b (I2C block reads) differs from the kernel's reading in the same mode")
        if edid_d is not None:
            diff = [i for i in range(256) if blk_d[i] != edid_d[i]]
            lost = [i for i in range(31, 256, 32) if edid_d[i] != 0]
            if any(i % 32 != 31 or blk_d[i] != 0 for i in diff) or diff != lost:
                problems.append(f"I2C block reads differ from byte reads at {[hex(i) for i in diff]}; "
                                f"expected exactly the non-zero last bytes of each 32-byte block {[hex(i) for i in lost]}")
            else:
                print(f"e2e_i2c: QEMU's ICH9 model drops the last byte of each I2C block read: "
                      f"{len(lost)} bytes read 0 at {', '.join(hex(i) for i in lost)} (Linux's i2c-i801 too)")
    return problems


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    line, target = e2e_matrix.find(sys.argv[2])
    if not line:
        sys.exit(f"e2e_i2c: no scenario {sys.argv[2]} in {e2e_matrix.MATRIX}")
    daemon = line.daemon(target)
    redox = ["--expect", "re: pcid-spawner: 0000--00--1f.3 8086:2930",
             "--expect", "kpi redox: 0000:00:1f.3 [8086:2930] claimed through the pcid channel"]
    cmd = [sys.executable, "-u", f"{top}/tools/qemu/run_guest.py", sys.argv[1], "--timeout", "180",
           "--cmd", f"/bin/kpi_e2e_guest.sh i2c {daemon}",
           "--forbid", "KPI-E2E-FAIL", "--forbid", "Kernel panic", "--forbid", "kpi abort",
           "--forbid", "stub reached", "--expect", "KPI-GUEST-UP",
           "--expect", "KPI-E2E i2c: kernel reference done",
           "--expect", "kpi linux: 0000:00:1f.3 [8086:2930] claimed via uio"] + \
          (redox if target == "redox-emu" else []) + [
           "--expect", "i801_smbus 0000:00:1f.3: SMBus using PCI interrupt",
           "--expect", "driver ready",
           "--expect", "i2c i2c-0: 0x57: wrote 7 bytes at 0x40",
           "--expect", "i2c i2c-0: 0x50: 256 bytes read",
           "--expect", "i2c i2c-0: 0x57: 256 bytes read",
           "--expect", "i2c i2c-0: 0x5b: 256 bytes read",
           "--expect", "i2c i2c-0: 0x5b: 256 bytes read",
           "--expect", "i2c i2c-0: 0x58: read failed after 0 bytes: -ENXIO",
           "--expect", "KPI-E2E i2c: daemon exited 0", "--expect", "KPI-GUEST-EXIT rc=0",
           "--", "-M", "q35", "-device", "i2c-ddc,bus=i2c,address=0x5b"]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    sys.stdout.write(p.stdout)
    problems = [] if p.returncode == 0 else [f"run_guest.py exited {p.returncode}"]
    if "Memory type 0x07 not supported yet" not in p.stdout:
        problems.append("the kernel did not say why it makes no SPD client (DMI memory type 0x07)")
    kdumps, ddumps = parse(p.stdout)
    problems += check(kdumps, ddumps)
    if problems:
        print("e2e_i2c: FAIL: " + "; ".join(problems))
        return 1
    print(f"e2e_i2c: PASS ({daemon} on q35's ICH9 SMBus: SPD EEPROMs as QEMU fills them (zero), writes read "
          "back, EDID equal to Linux's reading, QEMU's lost block byte asserted)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
