#!/usr/bin/env python3
"""drm_pattern.py: check a screendump (binary PPM, P6 8-bit, as QEMU's QMP
`screendump` and the sim's bochs model write it) against frame F of the
test pattern tests/runtime/drm_client.c draws, pixel for pixel.

    drm_pattern.py PPM FRAME WIDTH HEIGHT

Frame f's pixel (x, y) is r = (x + 37f) & 255, g = (y * f) & 255,
b = ((x ^ y) + 101f) & 255 (written independently of the client here).
Exit 0 when the size and every pixel match; 1 with the number of wrong
pixels and the first few otherwise.  stdlib only.
"""
import sys


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1  # the single whitespace after maxval
    if fields[0] != b"P6" or int(fields[3]) != 255:
        raise SystemExit(f"{path}: not an 8-bit binary PPM ({fields[0]!r}, maxval {fields[3]!r})")
    w, h = int(fields[1]), int(fields[2])
    pix = data[pos:pos + w * h * 3]
    if len(pix) != w * h * 3:
        raise SystemExit(f"{path}: {len(pix)} bytes of pixels for {w}x{h}")
    return w, h, pix


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    path, f, want_w, want_h = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    w, h, pix = read_ppm(path)
    if (w, h) != (want_w, want_h):
        print(f"FAIL: {path} is {w}x{h}, want {want_w}x{want_h}")
        return 1
    want = bytearray(w * h * 3)
    i = 0
    for y in range(h):
        g = (y * f) & 255
        for x in range(w):
            want[i] = (x + 37 * f) & 255
            want[i + 1] = g
            want[i + 2] = ((x ^ y) + 101 * f) & 255
            i += 3
    if want == pix:
        print(f"PASS: {path}: {w}x{h}, every pixel is frame {f}'s")
        return 0
    bad = [k for k in range(w * h) if pix[3 * k:3 * k + 3] != want[3 * k:3 * k + 3]]
    shown = ", ".join(f"({k % w},{k // w}) {pix[3 * k:3 * k + 3].hex()} want {want[3 * k:3 * k + 3].hex()}"
                      for k in bad[:5])
    print(f"FAIL: {path}: {len(bad)} of {w * h} pixels differ from frame {f}: {shown}")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
