#!/usr/bin/env python3
"""e2e_matrix.py: reader of tests/e2e/matrix.tsv (the ported-daemon e2e
scenarios), shared by e2e_net.py, e2e_i2c.py, tools/bench_e2e_net.py and
tools/corpus.py; stdlib only.

    e2e_matrix.py scenarios        every scenario name, one a line
    e2e_matrix.py daemons          every DRIVER[:TARGET] the fixture builds
    e2e_matrix.py kind SCENARIO    nic or script (exit 1: no such scenario)
    e2e_matrix.py daemon SCENARIO  the daemon's file name in the fixture's bin
    e2e_matrix.py check README     every scenario appears in README's table
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MATRIX = os.path.join(HERE, "matrix.tsv")
KINDS = ("nic", "script")
TARGETS = ("linux", "redox-emu")
# `qemu` may be MODEL@MACHINE: QEMU arguments the model needs around it.
# q35-iommu: QEMU's Intel IOMMU (with interrupt remapping) on q35, for the
# Linux backend's vfio-pci path (MSI/MSI-X): Debian's kernel has no vfio
# no-IOMMU mode, so vfio needs an IOMMU (the backend maps its DMA pages at
# their physical addresses); the guest kernel turns the IOMMU on by itself.
MACHINES = {"q35-iommu": ["-machine", "q35", "-device", "intel-iommu,intremap=on"]}


class Line:
    """One driver: kind, name, driver, targets, qemu (the -device model),
    machine and qemu_args (from MODEL@MACHINE), pci, expect (list)."""

    def __init__(self, path, n, text):
        cols = text.split(None, 6)
        if len(cols) < 7 or cols[0] not in KINDS:
            raise SystemExit(f"{path}:{n}: want kind name driver targets qemu pci expect, got {text!r}")
        self.kind, self.name, self.driver, targets, self.qemu, self.pci, rest = cols
        self.qemu, _, machine = self.qemu.partition("@")
        if machine and machine not in MACHINES:
            raise SystemExit(f"{path}:{n}: unknown machine {machine!r} (want {' or '.join(MACHINES)})")
        self.machine = machine
        self.qemu_args = MACHINES.get(machine, [])  # before the device's own arguments
        self.targets = targets.split(",")
        bad = [t for t in self.targets if t not in TARGETS]
        if bad:
            raise SystemExit(f"{path}:{n}: unknown target {bad[0]!r} (want {' or '.join(TARGETS)})")
        self.note = rest.strip()
        self.expect = [] if self.note == "-" or self.kind != "nic" else [e.strip() for e in self.note.split(";")]

    def scenarios(self):
        """(scenario name, target) for each target."""
        return [(self.name if t == "linux" else self.name + "-redox", t) for t in self.targets]

    def daemon(self, target):
        """The daemon's file name in the fixture's bin dir (module name)."""
        return self.driver if target == "linux" else f"{self.driver}.{target}"


def load(path=MATRIX):
    lines = []
    with open(path, encoding="utf-8") as f:
        for n, text in enumerate(f, 1):
            if text.strip() and not text.lstrip().startswith("#"):
                lines.append(Line(path, n, text.rstrip("\n")))
    names = [s for l in lines for s, _ in l.scenarios()]
    dup = {s for s in names if names.count(s) > 1}
    if dup:
        raise SystemExit(f"{path}: scenario named twice: {', '.join(sorted(dup))}")
    return lines


def find(scenario, path=MATRIX):
    """(Line, target) of a scenario name, or (None, None)."""
    for line in load(path):
        for name, target in line.scenarios():
            if name == scenario:
                return line, target
    return None, None


def main(argv):
    lines = load()
    if argv[1:2] == ["scenarios"]:
        print("\n".join(s for l in lines for s, _ in l.scenarios()))
    elif argv[1:2] == ["daemons"]:
        seen = []
        for l in lines:
            for t in l.targets:
                spec = l.driver if t == "linux" else f"{l.driver}:{t}"
                if spec not in seen:
                    seen.append(spec)
        print("\n".join(seen))
    elif argv[1:2] in (["kind"], ["daemon"]) and len(argv) == 3:
        line, target = find(argv[2])
        if not line:
            print(f"e2e_matrix: no scenario {argv[2]} in {MATRIX}", file=sys.stderr)
            return 1
        print(line.kind if argv[1] == "kind" else line.daemon(target))
    elif argv[1:2] == ["check"] and len(argv) == 3:
        readme = open(argv[2], encoding="utf-8").read()
        missing = [s for l in lines for s, _ in l.scenarios() if f"`e2e.ported.{s}`" not in readme]
        if missing:
            print(f"{argv[2]}: no table row for e2e.ported.{', e2e.ported.'.join(missing)}")
            return 1
        print(f"e2e_matrix: all {sum(len(l.targets) for l in lines)} scenarios of {MATRIX} are in {argv[2]}")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
