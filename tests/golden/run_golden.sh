#!/usr/bin/env bash
# run_golden.sh KIND NAME: port one driver, check its report.json against
# translator/report.schema.json and compare its edit summary
# (tools/port_summary.py) with golden/KIND/NAME.txt.
#   KIND=synthetic: NAME is corpus/synthetic/NAME (written here; the summary
#                   includes the full diffs)
#   KIND=real:      NAME is a driver of the default tree (summary without code)
# KPIPORT_GOLDEN_UPDATE=1 rewrites the golden file instead of comparing.
set -euo pipefail
kind=$1 name=$2
src=$KPIPORT_SRC
tree=${KPIPORT_LINUX:-$HOME/.cache/kpiport/linux-source-6.1}
[ -d "$tree/drivers" ] || { echo "SKIP: no Linux tree at $tree"; exit 77; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if [ "$kind" = synthetic ]; then
  "$KPIPORT" port "$src/corpus/synthetic/$name" -o "$work/port" >/dev/null
  python3 "$src/tools/port_summary.py" "$work/port" --code > "$work/summary"
else
  "$KPIPORT" port "$name" -o "$work/port" >/dev/null
  python3 "$src/tools/port_summary.py" "$work/port" > "$work/summary"
fi
python3 "$src/tests/unit/check_report_schema.py" "$src/translator/report.schema.json" \
  "$src/translator/kp_report.h" "$work/port/report.json" >/dev/null ||
  { echo "FAIL: $kind/$name: report.json does not follow translator/report.schema.json"; exit 1; }
golden=$src/golden/$kind/$name.txt
if [ "${KPIPORT_GOLDEN_UPDATE:-}" = 1 ]; then
  mkdir -p "$(dirname "$golden")"; cp "$work/summary" "$golden"; echo "updated $golden"; exit 0
fi
[ -f "$golden" ] || { echo "FAIL: no golden file $golden (KPIPORT_GOLDEN_UPDATE=1 makes it)"; exit 1; }
if diff -u "$golden" "$work/summary"; then
  echo "PASS: $kind/$name matches $golden ($(wc -l < "$golden") lines)"
else
  echo "FAIL: $kind/$name differs from $golden (above: - expected, + got)"; exit 1
fi
