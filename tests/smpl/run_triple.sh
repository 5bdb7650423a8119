#!/usr/bin/env bash
# run_triple.sh: runs one SmPL test case (tests/smpl/<case>/) the way kpiport
# runs the rules, and checks the result.
#
#   run_triple.sh CASE_DIR [REPO_ROOT]        (REPO_ROOT defaults to ../.. of this script)
#   run_triple.sh --update CASE_DIR [REPO]    rewrite expected.c / expected_matched.json
#                                             from the current rules (review the diff!)
#
# CASE_DIR holds input.c, expected.c and case.txt with lines
#   rules: rules/a.cocci [rules/b.cocci ...]   applied in this order, each on the
#                                               previous one's output (paths from REPO_ROOT)
#   sites: sites.json                          optional: passed as -D sites=..., and
#                                               -D matched=... is collected
#   matched: expected_matched.json             optional: compared with what the rule wrote
#   fails: TEXT                                 optional: spatch must fail, saying TEXT
#                                               (then there is no expected.c)
# The spatch command line is the one documented in rules/README.md: kpiport's
# runner flags plus the options the rule file states on its `// Options:` line
# (read here as kpiport reads them).  Exits non-zero (with a diff -u) when the
# output or matched.json differs from the expected.
set -euo pipefail

update=0
if [ "${1:-}" = "--update" ]; then
	update=1
	shift
fi
if [ $# -lt 1 ]; then
	echo "usage: $0 [--update] CASE_DIR [REPO_ROOT]" >&2
	exit 2
fi
case_dir=$(cd "$1" && pwd)
repo=$(cd "${2:-$(dirname "$0")/../..}" && pwd)
spatch=${SPATCH:-spatch}
command -v "$spatch" >/dev/null || { echo "run_triple: spatch not found" >&2; exit 1; }

field() { sed -n "s/^$1:[[:space:]]*//p" "$case_dir/case.txt"; }
rules=$(field rules)
sites=$(field sites)
matched=$(field matched)
fails=$(field fails)
[ -n "$rules" ] || { echo "run_triple: no 'rules:' line in $case_dir/case.txt" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The file keeps its name: sites.json names it "input.c" (compared by basename).
cp "$case_dir/input.c" "$tmp/input.c"

for rule in $rules; do
	defs=()
	if [ -n "$sites" ]; then
		defs=(-D "sites=$case_dir/$sites" -D "matched=$tmp/matched.json")
	fi
	rm -f "$tmp/output.c"
	# The rule file's own spatch options (one `// Options:` line, required).
	opts=$(sed -n 's|^// Options:[[:space:]]*||p' "$repo/$rule")
	[ "$(printf '%s\n' "$opts" | grep -c .)" = 1 ] ||
		{ echo "run_triple: $rule needs exactly one '// Options:' line" >&2; exit 1; }
	# The interpreter kpiport gives spatch (translator/kp_spatch.h, ksp_python).
	py=()
	if [ -n "${KPIPORT_SPATCH_PYTHON+set}" ]; then
		[ -n "$KPIPORT_SPATCH_PYTHON" ] && py=(--python "$KPIPORT_SPATCH_PYTHON")
	elif [ -x /usr/bin/python3 ]; then
		py=(--python /usr/bin/python3)
	fi
	# cwd = repository root: SmPL #include lines are relative to it.
	st=0
	# shellcheck disable=SC2086 # the options are words
	(cd "$repo" && "$spatch" --very-quiet --no-show-diff "${py[@]}" $opts \
		--sp-file "$rule" "${defs[@]}" "$tmp/input.c" -o "$tmp/output.c") \
		>"$tmp/spatch.out" 2>&1 || st=$?
	if [ "$st" != 0 ] && grep -q "there are no modified files" "$tmp/spatch.out"; then
		st=0    # spatch's way of saying "this rule changed nothing"
	fi
	if [ -n "$fails" ]; then
		if [ "$st" != 0 ] && grep -qF -- "$fails" "$tmp/spatch.out"; then
			echo "run_triple: $(basename "$case_dir") ok (failed as expected)"
			exit 0
		fi
		echo "run_triple: expected spatch to fail saying '$fails'; exit $st, output:" >&2
		cat "$tmp/spatch.out" >&2
		exit 1
	fi
	if [ "$st" != 0 ]; then
		echo "run_triple: spatch failed ($st) on $rule:" >&2
		cat "$tmp/spatch.out" >&2
		exit 1
	fi
	if [ -f "$tmp/output.c" ]; then
		mv "$tmp/output.c" "$tmp/input.c"
	fi
done

if [ "$update" = 1 ]; then
	cp "$tmp/input.c" "$case_dir/expected.c"
	if [ -n "$matched" ]; then
		cp "$tmp/matched.json" "$case_dir/$matched"
	fi
	echo "run_triple: updated $case_dir"
	exit 0
fi

status=0
diff -u "$case_dir/expected.c" "$tmp/input.c" || status=1
if [ -n "$matched" ]; then
	if [ ! -f "$tmp/matched.json" ]; then
		echo "run_triple: the rule wrote no matched.json" >&2
		status=1
	elif ! python3 - "$case_dir/$matched" "$tmp/matched.json" <<'EOF'
import json, sys
want, got = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(0 if want == got else 1)
EOF
	then
		echo "run_triple: matched.json differs from $matched:" >&2
		diff -u "$case_dir/$matched" "$tmp/matched.json" || true
		status=1
	fi
fi
if [ "$status" = 0 ]; then
	echo "run_triple: $(basename "$case_dir") ok"
fi
exit "$status"
