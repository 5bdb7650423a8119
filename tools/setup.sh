#!/usr/bin/env bash
# tools/setup.sh: make a fresh Debian bookworm machine ready for kpiport.
# Idempotent: installs only what is missing, extracts each Linux tree once
# into the cache (left read-only), and builds kpiport.
# Used by both README commands and by .ci/run.
#
# The trees: Debian's linux-source-<v> for each version in tools/linux-versions
# (6.1 from bookworm, the default; 6.12 LTS from bookworm-security).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cache=${KPIPORT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kpiport}
build=${KPIPORT_BUILD:-$here/build}
mapfile -t kp_trees < <(grep -v -e '^#' -e '^[[:space:]]*$' "$here/tools/linux-versions")

pkgs=(cmake make gcc clang-19 libclang-19-dev libclang-rt-19-dev llvm-19 coccinelle lua5.4 liblua5.4-dev libjansson-dev
      libssl-dev pkg-config git diffutils flex bison bc libelf-dev xz-utils python3 python3-jsonschema
      "${kp_trees[@]/#/linux-source-}" qemu-system-x86 busybox-static cpio ccache file)
missing=()
for p in "${pkgs[@]}"; do
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == *"install ok installed"* ]] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Linux trees: each Debian linux-source-X package's tarball, extracted
# once into $cache/linux-source-X and made read-only.  The extractions (one
# core each: xz, then tar's writes) run beside each other and beside the
# build of kpiport, which is what a fresh machine spends its first minutes on.
extract() { # extract VERSION TREE TARBALL
  local v=$1 tree=$2 tarball=$3 tmp
  [ -d "$tree" ] && chmod -R u+w "$tree" && rm -rf "$tree"
  tmp=$(mktemp -d "$cache/extract.XXXXXX")
  tar -xf "$tarball" -C "$tmp"
  mv "$tmp/linux-source-$v" "$tree" && rmdir "$tmp"
  touch "$tree/.kpiport-extracted"
  chmod -R a-w "$tree"
}
pids=()
for v in "${kp_trees[@]}"; do
  tree="$cache/linux-source-$v"
  [ -f "$tree/.kpiport-extracted" ] && continue
  tarball=$(ls /usr/src/linux-source-"$v".tar.* 2>/dev/null | head -n 1)
  [ -n "$tarball" ] || { echo "setup: /usr/src/linux-source-$v.tar.* not found (package linux-source-$v)" >&2; exit 1; }
  echo "setup: extracting $tarball into $cache"
  mkdir -p "$cache"
  extract "$v" "$tree" "$tarball" &
  pids+=($!)
done
tree="$cache/linux-source-${kp_trees[0]}"

# Build kpiport (incremental).
built=0
cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null &&
  cmake --build "$build" -j"$(nproc)" >/dev/null && built=1
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ $failed -eq 0 ] || { echo "setup: extracting a Linux tree failed (see above)" >&2; exit 1; }
[ $built -eq 1 ] || { echo "setup: building kpiport failed: cmake --build $build" >&2; exit 1; }
echo "setup: ready (tree $tree, build $build)"
