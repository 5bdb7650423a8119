#!/usr/bin/env bash
# lx_unnamed.sh LIB[:LIB...] MAPDIR: the reverse of the mapping checks.  Every
# global a LIB defines under a Linux name must be named by a mapping table (a runtime
# entry, or either side of a rename); otherwise kpiport would stub or import
# that name and the port would not link (two definitions), or a reached stub
# would hide a working implementation.  lx_*/kpi_* names are the runtime's
# own.  Prints each unnamed global; the exit status is their count (max 255).
# Table entries count for the Linux version LIB was built against
# (KPI_LINUX_VERSION, else lx_version.sh).
set -euo pipefail
lib=$1 dir=$2
here=$(cd "$(dirname "$0")" && pwd)
export KPI_LINUX_VERSION=${KPI_LINUX_VERSION:-$(bash "$here/lx_version.sh" "$lib")}
IFS=: read -r -a libs <<<"$lib"
defined=$(for l in "${libs[@]}"; do nm "$l"; done | awk 'NF==3 && $2 ~ /[TDBRWVAGS]/ {print $3}' | sort -u)
named=$(cd "$dir" && lua5.4 "$here/lx_mappings.lua" . *.lua | awk -F: '{print $3}' | sort -u)
unnamed=0
for sym in $defined; do
  # __odr_asan_gen_*: ASan's one-definition-rule indicators (KPI_SANITIZE builds).
  case "$sym" in lx_*|kpi_*|__kpi_*|__start_*|__stop_*|_init|_fini|__odr_asan_gen_*) continue ;; esac
  if ! grep -qx "$sym" <<<"$named"; then
    echo "UNNAMED: $lib defines '$sym', which no mapping table names"
    unnamed=$((unnamed + 1))
  fi
done
echo "reverse check: $unnamed globals of $lib no table names (Linux $KPI_LINUX_VERSION)"
exit $((unnamed > 255 ? 255 : unnamed))
