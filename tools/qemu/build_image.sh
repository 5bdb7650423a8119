#!/usr/bin/env bash
# tools/qemu/build_image.sh: build (or reuse) a QEMU test guest for kpiport
# from Debian packages only: Debian's kernel (the installed linux-image-*,
# else linux-image-amd64's current image fetched with `apt-get download`),
# busybox-static, the modules uio, uio_pci_generic, tun and vfio-pci +
# vfio_iommu_type1 (MSI/MSI-X for the Linux backend; + their `depends=`)
# from that kernel's module tree, tools/qemu/init.sh and the
# given static programs, packed as a gzip'd newc cpio initramfs.
#
#   build_image.sh [--module NAME]... PROGRAM...
#
# Prints the image directory (vmlinuz, initrd.gz, inputs.txt) on stdout.
# Images are cached under $KPIPORT_CACHE/qemu (default ~/.cache/kpiport/qemu)
# by a hash of every input.  Exit 77 when a prerequisite is missing and
# cannot be fetched through apt (the caller's tests skip).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${KPIPORT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpiport}/qemu
# vfio_iommu_type1 is only a softdep of vfio (busybox insmod ignores
# those); Debian's kernel has no vfio no-IOMMU mode, so vfio needs an IOMMU
# (QEMU's intel-iommu) and its type1 driver.
modules=(uio uio_pci_generic tun vfio-pci vfio_iommu_type1)
progs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --module) modules+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) progs+=("$1"); shift ;;
  esac
done
skip() { echo "build_image: SKIP: $*" >&2; exit 77; }
mkdir -p "$cache/debs"

# ---- kernel: installed, else linux-image-amd64's image via apt-get download
kver="" kdir=""
for v in /boot/vmlinuz-*; do
  [ -e "$v" ] || continue
  k=${v#/boot/vmlinuz-}
  if [ -d "/lib/modules/$k/kernel" ]; then kver=$k; kdir=/; fi
done
if [ -z "$kver" ]; then
  pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
  [ -n "$pkg" ] || skip "no installed kernel and apt knows no linux-image-amd64 (apt-get update?)"
  kver=${pkg#linux-image-}
  kdir="$cache/kernel-$kver"
  if [ ! -f "$kdir/.done" ]; then
    deb=$(ls "$cache/debs/${pkg}_"*.deb 2>/dev/null | head -n 1 || true)
    if [ -z "$deb" ]; then
      echo "build_image: apt-get download $pkg" >&2
      (cd "$cache/debs" && apt-get download "$pkg" >/dev/null 2>&1) || skip "apt-get download $pkg failed"
      deb=$(ls "$cache/debs/${pkg}_"*.deb | head -n 1)
    fi
    tmp=$(mktemp -d "$cache/kx.XXXXXX")
    dpkg -x "$deb" "$tmp"
    # Keep only what guests need: the kernel and the module tree (~400 MB unpacked otherwise).
    mkdir -p "$tmp/keep/boot" "$tmp/keep/lib/modules"
    mv "$tmp/boot/vmlinuz-$kver" "$tmp/keep/boot/"
    mv "$tmp/lib/modules/$kver" "$tmp/keep/lib/modules/"
    rm -rf "$kdir"
    mv "$tmp/keep" "$kdir"
    rm -rf "$tmp"
    touch "$kdir/.done"
  fi
fi
vmlinuz="$kdir/boot/vmlinuz-$kver"
moddir="$kdir/lib/modules/$kver/kernel"
[ -r "$vmlinuz" ] || skip "$vmlinuz not readable (run as root, or install linux-image-amd64)"

# ---- busybox (static)
busybox=""
if [[ "$(dpkg-query -W -f='${Status}' busybox-static 2>/dev/null)" == *"install ok installed"* ]]; then
  busybox=/bin/busybox
else
  if [ ! -x "$cache/busybox/bin/busybox" ]; then
    deb=$(ls "$cache/debs/busybox-static_"*.deb 2>/dev/null | head -n 1 || true)
    if [ -z "$deb" ]; then
      (cd "$cache/debs" && apt-get download busybox-static >/dev/null 2>&1) || skip "apt-get download busybox-static failed"
      deb=$(ls "$cache/debs/busybox-static_"*.deb | head -n 1)
    fi
    rm -rf "$cache/busybox" && dpkg -x "$deb" "$cache/busybox"
  fi
  busybox="$cache/busybox/bin/busybox"
fi
command -v cpio >/dev/null || skip "cpio not installed (apt-get install cpio)"

# ---- modules and their dependencies (from each .ko's modinfo depends=)
declare -A seen=()
order=()
find_ko() { find "$moddir" -name "$1.ko" -o -name "$(echo "$1" | tr _ -).ko" | head -n 1; }
add_module() {
  local name=$1 ko dep
  [ -n "${seen[$name]:-}" ] && return 0
  seen[$name]=1
  ko=$(find_ko "$name")
  [ -n "$ko" ] || { echo "build_image: module $name not in $moddir" >&2; exit 1; }
  for dep in $(grep -a -o 'depends=[^[:cntrl:]]*' "$ko" | head -n 1 | sed 's/^depends=//; s/,/ /g'); do
    add_module "$dep"
  done
  order+=("$ko")
}
for m in "${modules[@]}"; do add_module "$m"; done

# ---- cache key: every input
{
  echo "kernel $kver $(stat -c %s "$vmlinuz")"
  echo "busybox $(sha256sum < "$busybox" | cut -c1-16)"
  echo "init $(sha256sum < "$here/init.sh" | cut -c1-16)"
  echo "builder $(sha256sum < "$0" | cut -c1-16)"
  for ko in "${order[@]}"; do echo "module ${ko#"$moddir"/} $(sha256sum < "$ko" | cut -c1-16)"; done
  for p in "${progs[@]}"; do echo "prog $(basename "$p") $(sha256sum < "$p" | cut -c1-16)"; done
} > "$cache/inputs.$$"
key=$(sha256sum < "$cache/inputs.$$" | cut -c1-16)
out="$cache/images/$key"
if [ -f "$out/initrd.gz" ]; then
  rm -f "$cache/inputs.$$"
  echo "$out"
  exit 0
fi

tmp=$(mktemp -d "$cache/img.XXXXXX")
root="$tmp/root"
mkdir -p "$root/bin" "$root/lib/modules" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$busybox" "$root/bin/busybox"
cp "$here/init.sh" "$root/init"
chmod 755 "$root/init"
: > "$root/lib/modules/load.list"
for ko in "${order[@]}"; do
  cp "$ko" "$root/lib/modules/"
  basename "$ko" >> "$root/lib/modules/load.list"
done
for p in "${progs[@]}"; do install -m 755 "$p" "$root/bin/$(basename "$p")"; done
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) | gzip -1 > "$tmp/initrd.gz"
cp "$vmlinuz" "$tmp/vmlinuz"
mv "$cache/inputs.$$" "$tmp/inputs.txt"
rm -rf "$root"
mkdir -p "$cache/images"
if ! mv -T "$tmp" "$out" 2>/dev/null; then rm -rf "$tmp"; fi # a parallel build won
echo "$out"
