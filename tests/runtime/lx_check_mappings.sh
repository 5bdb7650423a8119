#!/usr/bin/env bash
# lx_check_mappings.sh LIBLX[:LIBLX...] MAPDIR: every `runtime` entry and
# every `rename` target of the mapping tables must be defined by the lx
# library (nm).  Several libraries (lx built under different kernel
# configurations) count as one: an entry the headers make inline under one
# configuration (the MSI API without CONFIG_PCI_MSI) is defined under another.
# Excluded: net.lua (runtime/lx/lx_net*.c has its own owner and is not in the
# library these tests build yet) and libc.lua (its `runtime` entries are
# libc's functions, its rename targets lx_* are checked here anyway).
# Only the entries for the Linux version the libraries were built against
# count (since/before, mappings/README.md; lx_version.sh).
set -euo pipefail
lib=$1 dir=$2
here=$(cd "$(dirname "$0")" && pwd)
export KPI_LINUX_VERSION=${KPI_LINUX_VERSION:-$(bash "$here/lx_version.sh" "$lib")}
IFS=: read -r -a libs <<<"$lib"
defined=$(for l in "${libs[@]}"; do nm "$l"; done | awk 'NF==3 && $2 ~ /[TDBRWVAGS]/ {print $3}' | sort -u)
files=$(cd "$dir" && ls *.lua | grep -v -x -e net.lua -e libc.lua)
missing=0
while IFS=: read -r file verb sym; do
  [ "$verb" = renamed ] && continue
  if ! grep -qx "$sym" <<<"$defined"; then
    echo "MISSING: $file $verb entry '$sym' is not defined by $lib"
    missing=$((missing + 1))
  fi
done < <(cd "$dir" && lua5.4 "$here/lx_mappings.lua" . $files; lua5.4 "$here/lx_mappings.lua" . libc.lua | grep ':rename:')
n=$(cd "$dir" && lua5.4 "$here/lx_mappings.lua" . $files | wc -l)
echo "checked $n entries for Linux $KPI_LINUX_VERSION, $missing missing"

unnamed=0
bash "$here/lx_unnamed.sh" "$lib" "$dir" || unnamed=$?
[ "$missing" -eq 0 ] && [ "$unnamed" -eq 0 ] && [ "$n" -gt 100 ]
