#!/usr/bin/env bash
# tools/demo.sh: the README's first command.  Sets up the machine (tools/setup.sh),
# then ports the embedded default -- Linux 6.1's RealTek 8139 driver (8139too) from
# the default tree -- into a port dir outside the repository, and says where the
# diffs are.  Arguments go to `kpiport port` (e.g. another driver: tools/demo.sh e1000).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
"$here/tools/setup.sh"
driver=${1:-8139too}; shift || true
out=${KPIPORT_PORTS:-$HOME/kpiport-ports}/$(basename "${driver%.c}")
"$here/build/kpiport" port "$driver" -o "$out" --force "$@"
echo
echo "The diffs:  git -C $out log -p upstream..      (or $out/patches/)"
echo "The report: $out/report.md"
