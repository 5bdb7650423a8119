#!/usr/bin/env bash
# check_manifest.sh: checks rules.cocci the way kpiport reads it: every
# `#include "rules/<group>.cocci"` names an existing file whose first lines are
# the `// kpiport-group:`, `// kpiport-title:` and `// kpiport-description:`
# headers (one line each), followed by the group's spatch options on one
# `// Options:` line (the manifest has one too, for running it whole); group
# ids are unique; and spatch parses the manifest as a whole and every group
# file alone.
#   check_manifest.sh [REPO_ROOT]
set -euo pipefail
repo=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
spatch=${SPATCH:-spatch}
cd "$repo"
status=0
groups=$(sed -n 's/^#include "\(.*\)"$/\1/p' rules.cocci)
[ -n "$groups" ] || { echo "check_manifest: rules.cocci includes no group" >&2; exit 1; }
ids=()
for g in $groups; do
	if [ ! -f "$g" ]; then
		echo "check_manifest: $g does not exist" >&2
		status=1
		continue
	fi
	for key in group title description; do
		if [ "$(sed -n 1,3p "$g" | grep -c "^// kpiport-$key: .")" != 1 ]; then
			echo "check_manifest: $g: lines 1-3 need one '// kpiport-$key: ...'" >&2
			status=1
		fi
	done
	if [ "$(grep -c '^// Options:' "$g")" != 1 ]; then
		echo "check_manifest: $g needs exactly one '// Options:' line" >&2
		status=1
	fi
	ids+=("$(sed -n 's/^\/\/ kpiport-group: //p' "$g" | head -1)")
	if ! "$spatch" --parse-cocci "$g" >/dev/null 2>&1; then
		echo "check_manifest: spatch cannot parse $g" >&2
		status=1
	fi
done
if [ "$(printf '%s\n' "${ids[@]}" | sort | uniq -d)" != "" ]; then
	echo "check_manifest: duplicate kpiport-group ids: ${ids[*]}" >&2
	status=1
fi
if [ "$(grep -c '^// Options:' rules.cocci)" != 1 ]; then
	echo "check_manifest: rules.cocci needs exactly one '// Options:' line" >&2
	status=1
fi
if ! "$spatch" --parse-cocci rules.cocci >/dev/null 2>&1; then
	echo "check_manifest: spatch cannot parse rules.cocci as a whole" >&2
	status=1
fi
[ "$status" = 0 ] && echo "check_manifest: ok (${ids[*]})"
exit "$status"
