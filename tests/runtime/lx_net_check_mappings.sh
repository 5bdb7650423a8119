#!/usr/bin/env bash
# lx_net_check_mappings.sh LIBLX MAPDIR: every `runtime` entry of
# mappings/net.lua must be defined by the lx library built with its net files
# (nm), except symbols the kernel config may make inline (consume_skb without
# CONFIG_TRACEPOINTS); and the stubs must really be missing (else they would
# hide a runtime definition).
set -euo pipefail
lib=$1 dir=$2
here=$(cd "$(dirname "$0")" && pwd)
export KPI_LINUX_VERSION=${KPI_LINUX_VERSION:-$(bash "$here/lx_version.sh" "$lib")} # the tables' entries for it
defined=$(nm "$lib" | awk 'NF==3 && $2 ~ /[TDBRWVAGS]/ {print $3}' | sort -u)
config_inline="consume_skb"
missing=0 n=0
while IFS=: read -r file verb sym; do
  [ "$verb" = renamed ] && continue
  n=$((n + 1))
  grep -qx "$sym" <<<"$config_inline" && continue
  if ! grep -qx "$sym" <<<"$defined"; then
    echo "MISSING: $file $verb entry '$sym' is not defined by $(basename "$lib")"
    missing=$((missing + 1))
  fi
done < <(cd "$dir" && lua5.4 "$here/lx_mappings.lua" . net.lua)
for sym in __netif_schedule; do
  if grep -qx "$sym" <<<"$defined"; then
    echo "DEFINED: stub '$sym' of net.lua is defined by the runtime: make it a runtime entry"
    missing=$((missing + 1))
  fi
done
# The reverse, for the whole library with its net files (lx_unnamed.sh).
u=0
bash "$here/lx_unnamed.sh" "$lib" "$dir" || u=$?
missing=$((missing + u))
echo "checked $n net.lua runtime entries, $missing problems"
[ "$missing" -eq 0 ] && [ "$n" -gt 60 ]
