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

unnamed=0
bash "$here/lx_unnamed.sh" "$lib" "$dir" || unnamed=$?
[ "$missing" -eq 0 ] && [ "$unnamed" -eq 0 ] && [ "$n" -gt 100 ]
