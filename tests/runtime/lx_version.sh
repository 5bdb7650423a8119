#!/usr/bin/env bash
# lx_version.sh LIB[:LIB...]: the Linux version an lx library was built
# against ("6.12.117"), read from the record its probe step left beside it
# (<dir>/<target>-compat/lx_compat.txt, cmake/KpiLxCompat.cmake).  Every
# library must name the same version.  For the mapping checks, which keep
# the table entries of that version only (KPI_LINUX_VERSION, lx_mappings.lua).
set -euo pipefail
IFS=: read -r -a libs <<<"$1"
v=""
for l in "${libs[@]}"; do
  rec=$(ls "$(dirname "$l")"/*-compat/lx_compat.txt 2>/dev/null | head -n 1)
  [ -n "$rec" ] || { echo "lx_version.sh: no */lx_compat.txt beside $l" >&2; exit 1; }
  w=$(sed -n 's/^# Linux \([0-9.]*\):.*/\1/p' "$rec")
  [ -n "$w" ] || { echo "lx_version.sh: $rec names no Linux version" >&2; exit 1; }
  [ -z "$v" ] || [ "$v" = "$w" ] || { echo "lx_version.sh: $l is Linux $w, not $v" >&2; exit 1; }
  v=$w
done
echo "$v"
