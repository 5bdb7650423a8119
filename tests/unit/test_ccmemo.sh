#!/usr/bin/env bash
# test_ccmemo.sh CCMEMO: kpiport-ccmemo (translator/ccmemo/ccmemo.c) against
# a fake compiler that logs every call it gets: a probe is asked once and
# then answered from the memo exactly as the compiler answered it (status,
# stdout, stderr, the -o file); a call that reads a file, writes a
# dependency file or includes a header on stdin always reaches the compiler;
# a changed compiler or stdin is a new question.
set -euo pipefail
memo=$1
[ -x "$memo" ] || { echo "FAIL: no kpiport-ccmemo at $memo"; exit 1; }
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
mkdir -p "$w/bin"
ln -s "$memo" "$w/bin/fakecc"
cat > "$w/fakecc.real" <<'EOF'
#!/bin/sh
# Logs its call; answers from its arguments and stdin.
echo "$*" >> "$FAKECC_LOG"
in=""
for a; do [ "$a" = - ] && in=$(cat); done
out=""; prev=""
for a; do [ "$prev" = -o ] && out=$a; prev=$a; done
echo "stdout for: $* [$in]"
echo "stderr for: $*" >&2
case "$*" in *-fbad*) exit 3;; esac
[ -n "$out" ] && [ "$out" != /dev/null ] && [ "$out" != - ] && printf 'obj %s\n' "$*" > "$out"
exit 0
EOF
chmod +x "$w/fakecc.real"
export FAKECC_LOG=$w/log KPIPORT_CCMEMO_REAL=$w/fakecc.real KPIPORT_CCMEMO_DIR=$w/store
fail() { echo "FAIL: $*"; exit 1; }
calls() { [ -f "$FAKECC_LOG" ] && wc -l < "$FAKECC_LOG" || echo 0; }
run() { # run ARGS...: stdout, stderr and status of one call into $w/r.*
  set +e; "$w/bin/fakecc" "$@" > "$w/r.out" 2> "$w/r.err" < "${STDIN:-/dev/null}"; echo $? > "$w/r.rc"; set -e
}
expect_calls() { [ "$(calls)" -eq "$1" ] || fail "$2: the compiler ran $(calls) times, expected $1"; }

# 1. A probe: asked once, then replayed byte for byte (its -o file too).
run -Werror -fno-foo -c -x c /dev/null -o "$w/t1"
cp "$w/r.out" "$w/a.out"; cp "$w/r.err" "$w/a.err"; cp "$w/t1" "$w/a.obj"; rm "$w/t1"
expect_calls 1 "first probe"
run -Werror -fno-foo -c -x c /dev/null -o "$w/t2"
expect_calls 1 "the same probe again"
cmp -s "$w/r.out" "$w/a.out" || fail "replayed stdout differs"
cmp -s "$w/r.err" "$w/a.err" || fail "replayed stderr differs"
[ "$(cat "$w/r.rc")" = 0 ] || fail "replayed status $(cat "$w/r.rc")"
cmp -s "$w/t2" "$w/a.obj" || fail "the -o file was not written as the compiler wrote it"
# 2. Another option is another question; a failing one keeps its status.
run -Werror -fbad -c -x c /dev/null -o /dev/null
run -Werror -fbad -c -x c /dev/null -o /dev/null
expect_calls 2 "a failing probe twice"
[ "$(cat "$w/r.rc")" = 3 ] || fail "a failing probe replayed status $(cat "$w/r.rc"), want 3"
# 3. stdin is part of the question.
printf 'int x;\n' > "$w/in1"; printf 'int y;\n' > "$w/in2"
STDIN=$w/in1 run -E -x c -
STDIN=$w/in1 run -E -x c -
expect_calls 3 "the same stdin twice"
grep -q 'int x' "$w/r.out" || fail "stdin did not reach the compiler: $(cat "$w/r.out")"
STDIN=$w/in2 run -E -x c -
expect_calls 4 "another stdin"
# 4. Never memoized: a header on stdin, an input file, a dependency file, a link.
printf '#include <stdio.h>\n' > "$w/in3"
STDIN=$w/in3 run -E -x c -; STDIN=$w/in3 run -E -x c -
expect_calls 6 "stdin that includes a header"
grep -q 'stdio' "$w/r.out" || fail "stdin of a passed-through call did not reach the compiler"
: > "$w/src.c"
run -c "$w/src.c" -o "$w/src.o"; run -c "$w/src.c" -o "$w/src.o"
expect_calls 8 "an input file"
run -Wp,-MMD,"$w/dep" -c -x c /dev/null -o /dev/null; run -Wp,-MMD,"$w/dep" -c -x c /dev/null -o /dev/null
expect_calls 10 "a dependency file"
run -x c /dev/null -o "$w/a.out.bin"; run -x c /dev/null -o "$w/a.out.bin"
expect_calls 12 "a link"
# 5. A changed compiler is a new question.
run --version; run --version
expect_calls 13 "--version twice"
touch -d '2001-01-01' "$w/fakecc.real"
run --version
expect_calls 14 "--version after the compiler changed"
# 6. Without a store: the compiler, every time.
KPIPORT_CCMEMO_DIR= run --version
expect_calls 15 "no store"
# 7. A damaged record is asked again, and repaired.
for f in "$w/store"/*; do printf 'garbage' > "$f"; done
run -Werror -fno-foo -c -x c /dev/null -o "$w/t3"
expect_calls 16 "a damaged record"
run -Werror -fno-foo -c -x c /dev/null -o "$w/t3"
expect_calls 16 "the repaired record"
# 8. Without KPIPORT_CCMEMO_REAL the compiler is the next one of its name on
# PATH after the memo's own (as kpiport runs it: the memo dir first).
# Another build's memo program on PATH is passed over too, not called.
mkdir -p "$w/realbin" "$w/other/bin"; cp "$w/fakecc.real" "$w/realbin/fakecc"
cp "$memo" "$w/other/kpiport-ccmemo"; ln -s "$w/other/kpiport-ccmemo" "$w/other/bin/fakecc"
PATH="$w/bin:$w/other/bin:$w/realbin:$PATH" KPIPORT_CCMEMO_REAL= run -Werror -fpath -c -x c /dev/null -o /dev/null
expect_calls 17 "the compiler found on PATH"
grep -q 'stdout for: -Werror -fpath' "$w/r.out" || fail "the PATH compiler's answer: $(cat "$w/r.out" "$w/r.err")"
echo "PASS: ccmemo ($(calls) compiler calls)"
