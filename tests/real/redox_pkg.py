#!/usr/bin/env python3
"""redox_pkg.py: a port's Redox packaging against pcid-spawner's own rules.

Ports real drivers, then checks redox/pcid.d/ and redox/recipe.toml the way
Redox would use them: every config file parses as TOML (tomllib) alone AND
concatenated with Redox's own configs in pcid-spawner's file-name order
(one bad file stops spawning for every device); the file name replaces none
of Redox's; commands are absolute; and, replaying pcid-spawner's first-match
rule (DriverConfig::match_function, Redox base 9dd6901d
drivers/pcid/src/driver_interface/config.rs) over the driver's PCI IDs,
every device Redox's own driver wins or loses is named in report.md's
"Redox packaging" notes.  With --build, the recipe's script runs in a fake
cookbook environment (no Redox toolchain here: compile-check mode).

Redox's configs below are written out from base 9dd6901d (drivers/*/config.toml
and drivers/initfs.toml): facts, kept independent of the translator's table.
Exit 77 without the default tree."""
import json, os, subprocess, sys, tempfile, tomllib

KPIPORT = os.environ["KPIPORT"]
TREE = os.environ.get("KPIPORT_LINUX", os.path.expanduser("~/.cache/kpiport/linux-source-6.1"))

REDOX_USR_LIB = {
    "ac97d.toml": '[[drivers]]\nname = "AC97 Audio"\nclass = 0x04\nsubclass = 0x01\ncommand = ["ac97d"]\n',
    "e1000d.toml": '[[drivers]]\nname = "E1000 NIC"\nclass = 0x02\n'
                   'ids = { 0x8086 = [0x1004, 0x100e, 0x100f, 0x109a, 0x1503] }\ncommand = ["e1000d"]\n',
    "ihdad.toml": '[[drivers]]\nname = "Intel HD Audio"\nclass = 0x04\nsubclass = 0x03\ncommand = ["ihdad"]\n',
    "rtl8139d.toml": '[[drivers]]\nname = "RTL8139 NIC"\nclass = 0x02\nids = { 0x10ec = [0x8139] }\n'
                     'command = ["rtl8139d"]\n',
    "rtl8168d.toml": '[[drivers]]\nname = "RTL8168 NIC"\nclass = 0x02\nids = { 0x10ec = [0x8168, 0x8169] }\n'
                     'command = ["rtl8168d"]\n',
    "virtio-netd.toml": '[[drivers]]\nname = "virtio-net"\nclass = 0x02\nvendor = 0x1AF4\ndevice = 0x1000\n'
                        'command = ["virtio-netd"]\n',
    "xhcid.toml": '[[drivers]]\nname = "XHCI"\nclass = 0x0C\nsubclass = 0x03\ninterface = 0x30\n'
                  'command = ["xhcid"]\nuse_channel = true\n',
    "vboxd.toml": '[[drivers]]\nname = "VirtualBox Guest Device"\nclass = 0x08\nvendor = 0x80EE\n'
                  'device = 0xCAFE\ncommand = ["vboxd"]\n',
}
# Class each test driver's devices really have (the ID tables do not say).
DEVICE_CLASS = {"e1000": 0x02, "8139too": 0x02, "i6300esb": 0x08, "pvpanic-pci": 0x08}

fails = 0


def fail(msg):
    global fails
    fails += 1
    print("FAIL " + msg)


def match(drv, vendor, device, cls):
    """pcid's DriverConfig::match_function (subclass/interface unknown here: not set by us)."""
    if "class" in drv and drv["class"] != cls:
        return False
    if "ids" in drv:
        return any(int(v, 16) == vendor and device in devs for v, devs in drv["ids"].items())
    if "vendor" in drv and drv["vendor"] != vendor:
        return False
    if "device" in drv and drv["device"] != device:
        return False
    return "subclass" not in drv and "interface" not in drv


def check(module, port, build):
    pdir = os.path.join(port, "redox", "pcid.d")
    files = sorted(os.listdir(pdir))
    ours = "kpiport-%s.toml" % module
    if files != [ours]:
        return fail("%s: redox/pcid.d holds %s, want [%s]" % (module, files, ours))
    if ours in REDOX_USR_LIB:
        fail("%s: %s would replace Redox's own file" % (module, ours))
    text = open(os.path.join(pdir, ours)).read()
    cfg = tomllib.loads(text)
    for d in cfg["drivers"]:
        if d["command"] != ["/usr/lib/drivers/kpiport-%s" % module]:
            fail("%s: command %s is not the absolute path the recipe installs" % (module, d["command"]))
        if "ids" not in d and "vendor" not in d and "class" not in d:
            fail("%s: an active entry without vendor or class: %s" % (module, d))
    # pcid-spawner: every file of the dirs, sorted by name, as one document.
    both = dict(REDOX_USR_LIB)
    both[ours] = text
    joined = "".join(both[name] for name in sorted(both))
    drivers = tomllib.loads(joined)["drivers"]
    report = json.load(open(os.path.join(port, "report.json")))
    md = open(os.path.join(port, "report.md")).read()
    notes = md[md.index("## Redox packaging"):]
    cls = DEVICE_CLASS[module]
    outcome = {}
    for tab in report["inventory"]["id_tables"]:
        if tab.get("bus") != "pci":
            continue
        for i in tab["ids"]:
            v, dv = i["vendor"], i["device"]
            if v in (0xffff, 0xffffffff) or dv in (0xffff, 0xffffffff):
                continue
            first = next((d for d in drivers if match(d, v, dv, cls)), None)
            if first is None:
                fail("%s: %04x:%04x matches no entry at all" % (module, v, dv))
                continue
            mine = first["command"][0].endswith("kpiport-" + module)
            rivals = [d["command"][0] for d in drivers
                      if not d["command"][0].endswith("kpiport-" + module) and match(d, v, dv, cls)]
            for r in rivals:
                outcome.setdefault(r, set()).add("port" if mine else r)
                if "`%04x:%04x`" % (v, dv) not in notes:
                    fail("%s: %04x:%04x is also %s's, but report.md does not name it" % (module, v, dv, r))
    for rival, winners in outcome.items():
        said_port = "the port takes them from it" in notes.split("`%s`" % rival, 1)[-1].split("\n")[0]
        if ("port" in winners) != said_port:
            fail("%s: report.md says the wrong winner against %s (pcid-spawner: %s)" % (module, rival, winners))
    print("ok   %s: %s parses alone and after Redox's configs; %d rival driver(s) named with the right winner"
          % (module, ours, len(outcome)))
    recipe = tomllib.loads(open(os.path.join(port, "redox", "recipe.toml")).read())
    script = recipe["build"]["script"]
    if recipe["build"]["template"] != "custom" or "-DKPI_HOST=redox" not in script:
        fail("%s: recipe.toml does not build with KPI_HOST=redox" % module)
    if build:
        with tempfile.TemporaryDirectory() as cook:
            env = dict(os.environ, COOKBOOK_SOURCE=port, COOKBOOK_STAGE=os.path.join(cook, "stage"),
                       COOKBOOK_MAKE_JOBS="2", TARGET="x86_64-unknown-redox")
            r = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cook, env=env,
                               capture_output=True, text=True)
            if r.returncode != 0 or "compiled for x86_64-unknown-redox" not in r.stdout:
                fail("%s: the recipe's script failed in a fake cookbook:\n%s%s" % (module, r.stdout[-2000:], r.stderr[-2000:]))
            else:
                print("ok   %s: recipe script compile-checks every object for x86_64-unknown-redox" % module)


def main():
    if not os.path.isdir(os.path.join(TREE, "drivers")):
        print("SKIP: no Linux tree at " + TREE)
        return 77
    build = "--build" in sys.argv
    mods = [a for a in sys.argv[1:] if not a.startswith("--")] or ["e1000", "8139too", "i6300esb"]
    with tempfile.TemporaryDirectory() as work:
        for m in mods:
            port = os.path.join(work, m)
            r = subprocess.run([KPIPORT, "port", m, "-o", port], capture_output=True, text=True)
            if r.returncode != 0:
                fail("%s: port failed: %s" % (m, r.stderr))
                continue
            check(m, port, build and m == mods[-1])
    print("PASS: Redox packaging" if not fails else "%d failure(s)" % fails)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
