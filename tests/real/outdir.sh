#!/usr/bin/env bash
# outdir.sh: nothing is lost, whatever the user types (issue 8): each case
# replays a command a hostile user tried, against throwaway dirs that hold
# marker files, and checks the clear error, the exit status and that every
# marker survived.  Needs the default tree (label real).
set -uo pipefail
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
data=$KPIPORT_SRC/tests/real/data
work=$(mktemp -d); trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails+1)); }
ok() { echo "ok   $*"; }
K=$KPIPORT

# refused NAME PATTERN CMD...: fails with a message matching PATTERN.
refused() {
  local name=$1 pattern=$2; shift 2
  if "$@" >"$work/stdout" 2>"$work/stderr"; then fail "$name: succeeded"; return 1; fi
  grep -Eq -- "$pattern" "$work/stderr" || { fail "$name: message does not match /$pattern/:"; cat "$work/stderr"; return 1; }
  ok "$name: $(head -n 1 "$work/stderr")"
}

# 1. --force on a dir kpiport did not make.
mkdir -p "$work/v" && echo x > "$work/v/PRECIOUS.txt"
refused force-non-port "not a port dir kpiport made" "$K" port i6300esb -o "$work/v" --force &&
  { [ "$(cat "$work/v/PRECIOUS.txt")" = x ] || fail "force-non-port: PRECIOUS.txt changed"; }

# 2. --force at an external module's own dir.
cp -r "$data/ext_two_symbols" "$work/ext"
refused force-driver-dir "the driver's own dir" "$K" port "$work/ext" -o "$work/ext" --force &&
  { [ -f "$work/ext/Kbuild" ] && [ -f "$work/ext/Kconfig" ] || fail "force-driver-dir: the module lost files"; }
refused force-driver-ancestor "contains the driver's own dir" "$K" port "$work/ext" -o "$work" --force

# 3. -o ~ --force (a throwaway HOME: the check is what matters).
mkdir -p "$work/home" && echo keep > "$work/home/.profile"
refused force-home "your home directory" env HOME="$work/home" "$K" port i6300esb --linux "$tree" -o "$work/home" --force &&
  { [ -f "$work/home/.profile" ] || fail "force-home: home lost a file"; }
refused force-root "root directory" "$K" port i6300esb -o / --force

# 4. An output inside the Linux tree, whatever the cwd.
touch "$work/stamp"
refused in-tree "inside the Linux tree" bash -c "cd '$tree' && '$K' port i6300esb --linux ."
refused in-tree-abs "inside the Linux tree" "$K" port i6300esb -o "$tree/drivers/watchdog/port"
refused tree-itself "the Linux tree" "$K" port i6300esb -o "$tree/." --force
[ -z "$(find "$tree" -newer "$work/stamp" -print -quit)" ] || fail "in-tree: the tree was written"

# 5. A trailing slash, and "." parts, work.
"$K" port i6300esb -o "$work/new/" >/dev/null 2>"$work/stderr" && [ -f "$work/new/kpiport.record" ] &&
  ok "trailing-slash" || { fail "trailing-slash"; cat "$work/stderr"; }
"$K" port i6300esb -o "$work/./new/" --force >/dev/null 2>"$work/stderr" && [ -f "$work/new/kpiport.record" ] &&
  ok "trailing-slash-force" || { fail "trailing-slash-force"; cat "$work/stderr"; }

# 6. -j validated.
for j in abc 0 -1 99999999999; do
  "$K" port i6300esb -j "$j" -o "$work/j" >/dev/null 2>"$work/stderr"
  [ $? -eq 2 ] && grep -q "want a number of parallel jobs" "$work/stderr" && ok "jobs $j" || fail "jobs $j"
done

# 7. A mappings dir without tables; a table that is a FIFO or /dev/zero.
mkdir -p "$work/maps-empty"
refused no-tables "no mapping tables" "$K" port i6300esb -o "$work/m1" --mappings "$work/maps-empty"
mkdir -p "$work/maps-fifo" && cp "$KPIPORT_SRC"/mappings/*.lua "$work/maps-fifo/" && mkfifo "$work/maps-fifo/zz.lua"
refused table-fifo "zz.lua: not a regular file" timeout 60 "$K" port i6300esb -o "$work/m2" --mappings "$work/maps-fifo"
mkdir -p "$work/maps-zero" && cp "$KPIPORT_SRC"/mappings/*.lua "$work/maps-zero/" && ln -s /dev/zero "$work/maps-zero/zz.lua"
refused table-dev-zero "zz.lua: not a regular file" timeout 60 "$K" port i6300esb -o "$work/m3" --mappings "$work/maps-zero"

# 8. port CONFIG_X names the dir after the module; port dirs honour the umask.
(cd "$work" && umask 027 && "$K" port CONFIG_I6300ESB_WDT >/dev/null 2>"$work/stderr")
[ -f "$work/ports/i6300esb/kpiport.record" ] && ok "config-symbol-default-dir: ports/i6300esb" ||
  { fail "config-symbol-default-dir"; ls "$work/ports"; cat "$work/stderr"; }
mode=$(stat -c %a "$work/ports/i6300esb" 2>/dev/null)
[ "$mode" = 750 ] && ok "umask 027 -> $mode" || fail "umask 027 -> $mode"

# 9. The port checks its own result: no main, two mains.
refused no-main "no_entry: no entry point" "$K" port "$data/no_entry" -o "$work/ne"
refused two-mains "2 files of the module define main\(\) \(first.c, second.c\)" "$K" port "$data/two_mains" -o "$work/tm"
[ ! -e "$work/ne" ] && [ ! -e "$work/tm" ] || fail "no-main/two-mains left a port dir"

# 10. An external module's second Kconfig symbol reaches kbuild and the compiler.
if "$K" port "$data/ext_two_symbols" -o "$work/two" >/dev/null 2>"$work/stderr" &&
   [ -f "$work/two/two_helper.c" ] && grep -q -- "-DCONFIG_KPI_TWO_HELPER=1" "$work/two/compile_commands.json"; then
  ok "ext-second-symbol: two_helper.c built, -DCONFIG_KPI_TWO_HELPER=1"
else fail "ext-second-symbol"; cat "$work/stderr"; fi

# 11. CRLF sources keep CRLF in every commit.
cp -r "$data/ext_two_symbols" "$work/crlf" && sed -i 's/$/\r/' "$work/crlf/two_main.c" "$work/crlf/two_helper.c"
if "$K" port "$work/crlf" -o "$work/crlf-port" >/dev/null 2>"$work/stderr"; then
  mixed=0
  for c in $(git -C "$work/crlf-port" rev-list HEAD); do
    for f in two_main.c two_helper.c; do
      git -C "$work/crlf-port" show "$c:$f" 2>/dev/null | grep -qv $'\r$' && { mixed=1; echo "  $f has LF-only lines in $c"; }
    done
  done
  [ $mixed = 0 ] && ok "crlf: every commit keeps CRLF" || fail "crlf: mixed line endings"
else fail "crlf: port failed"; cat "$work/stderr"; fi

# 12. SIGINT to kpiport alone: the whole process tree stops, nothing staged stays.
export KPIPORT_CACHE=$work/cache   # cold: kbuild must run make
"$K" port i6300esb --linux "$tree" -o "$work/int" >/dev/null 2>"$work/stderr" &
pid=$!
for _ in $(seq 1 100); do pgrep -P "$pid" >/dev/null && break; sleep 0.1; done
sleep 2
kill -INT "$pid"; wait "$pid"; st=$?
left=x
for _ in $(seq 1 100); do # a loaded machine may take a while to reap make's children
  left=$(pgrep -f "O=$work/cache" || true)
  [ -z "$left" ] && break
  sleep 0.1
done
[ $st -eq 130 ] && [ -z "$left" ] && [ ! -e "$work/int" ] && ! ls -a "$work" | grep -q kpiport-tmp &&
  ok "sigint: exit 130, no process left, no dir: $(tail -n 1 "$work/stderr")" ||
  { fail "sigint: status $st, left processes: $left"; ls -a "$work"; cat "$work/stderr"; }
unset KPIPORT_CACHE

# 13. cache prune removes only kpiport's own entries, oldest first, and
# keeps a kernel build dir another kpiport holds locked, and a runtime
# being built (CMake's file(LOCK) on it, cmake/KpiRuntimeCache.cmake).
c=$work/fakecache
mkdir -p "$c/linux-source-6.1/drivers" "$c/kbuild/aaaaaaaaaaaaaaaa" "$c/kbuild/bbbbbbbbbbbbbbbb" "$c/analysis" "$c/mine" \
         "$c/runtime/cccccccccccccccc" "$c/runtime/dddddddddddddddd"
touch "$c/kbuild/aaaaaaaaaaaaaaaa.lock" "$c/kbuild/bbbbbbbbbbbbbbbb.lock" "$c/analysis/old.json" "$c/analysis/new.json" "$c/mine/notes" \
      "$c/runtime/cccccccccccccccc.lock" "$c/runtime/dddddddddddddddd.lock"
touch -d '40 days ago' "$c/kbuild/aaaaaaaaaaaaaaaa.lock" "$c/kbuild/bbbbbbbbbbbbbbbb.lock" "$c/analysis/old.json" \
      "$c/runtime/cccccccccccccccc.lock" "$c/runtime/dddddddddddddddd.lock"
flock "$c/kbuild/bbbbbbbbbbbbbbbb.lock" sh -c "touch '$c/locked'; sleep 5" &
printf 'file(LOCK "%s" GUARD PROCESS)\nfile(TOUCH "%s")\nexecute_process(COMMAND sleep 5)\n' \
  "$c/runtime/dddddddddddddddd.lock" "$c/rtlocked" > "$work/rtlock.cmake"
cmake -P "$work/rtlock.cmake" &
for _ in $(seq 1 100); do [ -e "$c/locked" ] && [ -e "$c/rtlocked" ] && break; sleep 0.1; done
KPIPORT_CACHE=$c "$K" cache prune --days 30 >"$work/stdout" 2>&1
wait
if [ ! -e "$c/kbuild/aaaaaaaaaaaaaaaa" ] && [ ! -e "$c/analysis/old.json" ] && [ -e "$c/analysis/new.json" ] &&
   [ -e "$c/kbuild/bbbbbbbbbbbbbbbb" ] && [ -d "$c/linux-source-6.1/drivers" ] && [ -f "$c/mine/notes" ] &&
   [ ! -e "$c/runtime/cccccccccccccccc" ] && [ -e "$c/runtime/dddddddddddddddd" ] &&
   [ -e "$c/locked" ] && [ -e "$c/rtlocked" ]; then
  ok "cache-prune: $(tail -n 1 "$work/stdout")"
else fail "cache-prune"; cat "$work/stdout"; find "$c"; fi

[ $fails -eq 0 ] && echo "PASS: nothing lost" || { echo "$fails case(s) failed"; exit 1; }
