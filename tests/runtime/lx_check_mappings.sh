#!/usr/bin/env bash
# lx_check_mappings.sh LIBLX MAPDIR: every `runtime` entry and every `rename`
# target of the mapping tables must be defined by the lx library (nm).
# Excluded: net.lua (runtime/lx/lx_net*.c has its own owner and is not in the
# library these tests build yet) and libc.lua (its `runtime` entries are
# libc's functions, its rename targets lx_* are checked here anyway).
set -euo pipefail
lib=$1 dir=$2
here=$(cd "$(dirname "$0")" && pwd)
defined=$(nm "$lib" | awk 'NF==3 && $2 ~ /[TDBRWVAGS]/ {print $3}' | sort -u)
files=$(cd "$dir" && ls *.lua | grep -v -x -e net.lua -e libc.lua)
missing=0
while IFS=: read -r file verb sym; do
  [ "$verb" = renamed ] && continue
  if ! grep -qx "$sym" <<<"$defined"; then
    echo "MISSING: $file $verb entry '$sym' is not defined by $(basename "$lib")"
    missing=$((missing + 1))
  fi
done < <(cd "$dir" && lua5.4 "$here/lx_mappings.lua" . $files; lua5.4 "$here/lx_mappings.lua" . libc.lua | grep ':rename:')
n=$(cd "$dir" && lua5.4 "$here/lx_mappings.lua" . $files | wc -l)
echo "checked $n entries, $missing missing"

# The reverse: every global the library defines under a Linux name must be
# named by a table.  Otherwise kpiport would stub or import that name and
# the port would not link (two definitions), or a reached stub would hide a
# working implementation.  lx_*/kpi_* names are the runtime's own.
named=$(cd "$dir" && lua5.4 "$here/lx_mappings.lua" . *.lua | awk -F: '{print $3}' | sort -u)
unnamed=0
for sym in $defined; do
  # __odr_asan_gen_*: ASan's one-definition-rule indicators (KPI_SANITIZE builds).
  case "$sym" in lx_*|kpi_*|__kpi_*|__start_*|__stop_*|_init|_fini|__odr_asan_gen_*) continue ;; esac
  if ! grep -qx "$sym" <<<"$named"; then
    echo "UNNAMED: $(basename "$lib") defines '$sym', which no mapping table names"
    unnamed=$((unnamed + 1))
  fi
done
echo "reverse check: $unnamed globals of the library no table names"
[ "$missing" -eq 0 ] && [ "$unnamed" -eq 0 ] && [ "$n" -gt 100 ]
