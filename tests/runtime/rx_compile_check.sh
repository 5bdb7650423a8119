#!/bin/bash
# rx_compile_check.sh: compile the Redox backend (runtime/host/redox, the
# relibc flavour included) and runtime/kit for x86_64-unknown-redox with
# clang's Redox target, freestanding (no Redox toolchain or relibc headers
# exist here), and archive them as the kpi_host_redox / kpi_kit libraries a
# Redox build would link.  Also checks that
#  - every header of the backend compiles on its own;
#  - nothing includes a header but the compiler's stddef/stdint/stdarg/stdbool
#    (and the project's own "..." headers);
#  - every symbol the objects leave undefined is exported by relibc
#    (checked against the relibc sources when a mirror is present).
# Usage: rx_compile_check.sh CLANG AR PROJECT_ROOT OUT_DIR
# Exit: 0 ok, 1 failure, 77 no clang with a Redox target.
set -euo pipefail
CC=$1 AR=$2 ROOT=$3 OUT=$4
RX=$ROOT/runtime/host/redox
KIT=$ROOT/runtime/kit
KPI=$ROOT/headers/kpi
RELIBC=${RX_RELIBC_GIT:-/work/.mirror/redox-os+relibc/repo}

if ! "$CC" --target=x86_64-unknown-redox -x c -c /dev/null -o /dev/null 2>/dev/null; then
	echo "rx_compile_check: $CC has no x86_64-unknown-redox target" >&2
	exit 77
fi
RES=$("$CC" -print-resource-dir)
FLAGS=(--target=x86_64-unknown-redox -D__redox__ -ffreestanding -nostdinc -isystem "$RES/include"
	-std=c11 -O2 -fno-omit-frame-pointer -Wall -Wextra -Werror)
rm -rf "$OUT"
mkdir -p "$OUT/redox" "$OUT/kit"
fail=0

# Only the compiler's freestanding headers may appear in <...>.
for f in "$RX"/*.[ch] "$KIT"/*.[ch]; do
	while IFS= read -r line; do
		hdr=${line#*<}
		hdr=${hdr%%>*}
		case $hdr in
		stddef.h | stdint.h | stdarg.h | stdbool.h) ;;
		*)
			echo "rx_compile_check: $f includes <$hdr> (only stddef/stdint/stdarg/stdbool)" >&2
			fail=1
			;;
		esac
	done < <(grep -E '^[[:space:]]*#[[:space:]]*include[[:space:]]*<' "$f" || true)
done

for f in "$RX"/*.c; do
	o=$OUT/redox/$(basename "${f%.c}").o
	"$CC" "${FLAGS[@]}" -I"$RX" -I"$KPI" -c "$f" -o "$o" || { echo "rx_compile_check: FAILED $f" >&2; fail=1; }
done
for f in "$KIT"/*.c; do
	o=$OUT/kit/$(basename "${f%.c}").o
	"$CC" "${FLAGS[@]}" -I"$KIT" -I"$KPI" -c "$f" -o "$o" || { echo "rx_compile_check: FAILED $f" >&2; fail=1; }
done
for h in "$RX"/*.h; do
	"$CC" "${FLAGS[@]}" -I"$RX" -I"$KPI" -fsyntax-only -x c "$h" ||
		{ echo "rx_compile_check: header $h does not compile alone" >&2; fail=1; }
done
[ $fail = 0 ] || exit 1

"$AR" rcs "$OUT/libkpi_host_redox.a" "$OUT"/redox/*.o
"$AR" rcs "$OUT/libkpi_kit.a" "$OUT"/kit/*.o
echo "rx_compile_check: $(ls "$OUT"/redox/*.o | wc -l) backend and $(ls "$OUT"/kit/*.o | wc -l) kit objects for x86_64-unknown-redox"

# What the objects need from outside: kit + backend together must need only
# relibc.
NM=$(dirname "$AR")/llvm-nm-19
[ -x "$NM" ] || NM=$(command -v llvm-nm-19 || command -v llvm-nm || true)
if [ -z "$NM" ]; then
	echo "rx_compile_check: no llvm-nm, undefined symbols not checked"
	exit 0
fi
defined=$("$NM" --defined-only -j "$OUT"/redox/*.o "$OUT"/kit/*.o 2>/dev/null | grep -v ':$' | sort -u)
# Every call of the host interface is implemented.
for fn in $(grep -ohE '\bkpi_host_[a-z0-9_]+\(' "$KPI"/kpi_host_*.h | tr -d '(' | sort -u); do
	if ! grep -qx "$fn" <<<"$defined"; then
		echo "rx_compile_check: the Redox backend does not implement $fn" >&2
		fail=1
	fi
done
undef=$("$NM" -u -j "$OUT"/redox/*.o "$OUT"/kit/*.o 2>/dev/null | grep -v ':$' | sort -u)
missing=$(comm -23 <(echo "$undef") <(echo "$defined") | grep -v '^$' || true)
echo "rx_compile_check: symbols taken from relibc: $(echo $missing)"
if [ -d "$RELIBC" ]; then
	for sym in $missing; do
		if ! git -C "$RELIBC" grep -qE "fn $sym[(<]" HEAD -- src 2>/dev/null; then
			echo "rx_compile_check: $sym is not exported by relibc ($RELIBC)" >&2
			fail=1
		fi
	done
else
	echo "rx_compile_check: no relibc sources at $RELIBC, exports not checked"
fi
exit $fail
