#!/usr/bin/env bash
# errors.sh: bad input gets a clear error naming what and where, a non-zero
# exit, and no port dir (nor temporary dir) left behind.
set -uo pipefail
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fails=0

# expect NAME PATTERN CMD...: CMD fails, stderr matches PATTERN, $work/out not created.
expect() {
  local name=$1 pattern=$2; shift 2
  rm -rf "$work/out"
  if "$@" >"$work/stdout" 2>"$work/stderr"; then
    echo "FAIL $name: succeeded"; fails=$((fails+1)); return
  fi
  if ! grep -Eq "$pattern" "$work/stderr"; then
    echo "FAIL $name: message does not match /$pattern/:"; cat "$work/stderr"; fails=$((fails+1)); return
  fi
  if [ -e "$work/out" ] || [[ "$(ls -a "$work")" == *kpiport-tmp* ]]; then
    echo "FAIL $name: left output behind"; ls -a "$work"; fails=$((fails+1)); return
  fi
  echo "ok   $name: $(head -n 1 "$work/stderr")"
}

expect missing-tree "/nonexistent/linux: no such directory" \
  "$KPIPORT" port 8139too --linux /nonexistent/linux -o "$work/out"
mkdir -p "$work/notatree"
expect not-a-tree "is not a Linux source tree" \
  "$KPIPORT" port 8139too --linux "$work/notatree" -o "$work/out"
expect unknown-module "no module named 8139to.*8139too" \
  "$KPIPORT" port 8139to -o "$work/out"
expect not-a-driver "Documentation/admin-guide" \
  "$KPIPORT" port "$tree/Documentation/admin-guide" -o "$work/out"
expect no-such-file "nosuch\.c" \
  "$KPIPORT" port drivers/net/nosuch.c -o "$work/out"

# A broken mapping table: the error names the file and line.
cp -r "$KPIPORT_SRC/mappings" "$work/maps"
printf 'rename { ioremap = "redox_ioremap" \n' > "$work/maps/zz_broken.lua"
expect broken-mapping "zz_broken\.lua:[0-9]+" \
  env KPIPORT_MAPPINGS="$work/maps" "$KPIPORT" port 8139too -o "$work/out"

# A rule file spatch cannot parse: named, with spatch's complaint.
mkdir -p "$work/rules/rules"
cp "$KPIPORT_SRC"/rules/*.cocci "$work/rules/rules/"
printf '// kpiport-group: broken\n// kpiport-title: broken rule\n@@\n@@\n- foo(\n' > "$work/rules/rules/broken.cocci"
printf '#include "rules/broken.cocci"\n' > "$work/rules/rules.cocci"
expect broken-rule "broken\.cocci" \
  env KPIPORT_RULES="$work/rules/rules.cocci" "$KPIPORT" port 8139too -o "$work/out"

# spatch missing from PATH.
mkdir -p "$work/bin"
for t in git make clang-19 find python3 gcc cc sh bash awk sed grep cat; do
  p=$(command -v $t) && ln -sf "$p" "$work/bin/$t"
done
expect missing-spatch "spatch: not found" \
  env PATH="$work/bin:/usr/lib/llvm-19/bin" "$KPIPORT" port 8139too -o "$work/out"

# An existing port dir is never overwritten without --force.
mkdir -p "$work/out" && echo keep > "$work/out/mine"
if "$KPIPORT" port 8139too -o "$work/out" 2>"$work/stderr"; then echo "FAIL exists: succeeded"; fails=$((fails+1))
elif ! grep -q "already exists (use --force" "$work/stderr" || [ "$(cat "$work/out/mine")" != keep ]; then
  echo "FAIL exists"; cat "$work/stderr"; fails=$((fails+1))
else echo "ok   exists: $(cat "$work/stderr")"; fi
rm -rf "$work/out"

# Usage errors exit 2.
"$KPIPORT" port >/dev/null 2>&1; [ $? -eq 2 ] && echo "ok   usage: exit 2" || { echo "FAIL usage"; fails=$((fails+1)); }

[ $fails -eq 0 ] && echo "PASS: all error cases" || { echo "$fails error case(s) failed"; exit 1; }
