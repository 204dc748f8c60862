#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build.sh BUILDDIR [TARGET...] -- build the fuzz targets with clang's
# libFuzzer, AddressSanitizer and UBSan into BUILDDIR/fuzz/clang/ (BUILDDIR:
# a configured build tree, for config.h).  Every source under src/ but
# main.c and cmd-shell.c (readline's terminal loop) is compiled once and
# linked into each target with fuzz/common.c; TARGET names fuzz/fuzz-TARGET.c
# (default: all of them).  The seed makers fuzz-seed (kernel) and
# fuzz-host-seed are built too, without sanitizers.  Prints the directory.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-.}" && pwd)
[ $# -gt 0 ] && shift
CC=${CC:-clang}
command -v "$CC" >/dev/null || { echo "build.sh: $CC not found (apt install clang)" >&2; exit 77; }
targets=${*:-$(cd "$top/fuzz" && ls fuzz-*.c | sed 's/^fuzz-//; s/\.c$//')}
out=$build/fuzz/clang
mkdir -p "$out/obj" "$out/seedobj"
jflags=$(pkg-config --cflags jansson)
jlibs=$(pkg-config --libs jansson)
common="-g -std=gnu11 -DHAVE_CONFIG_H -DPKGDATADIR=\"/nonexistent\" -DFUZZ_SRCDIR=\"$top\" -I$build -I$top/src -I$top/fuzz $jflags"
san="-O1 -fsanitize=address,undefined -fno-sanitize-recover=undefined"
srcs=$(cd "$top/src" && ls ./*.c | grep -v -e '^./main.c$' -e '^./cmd-shell.c$' | sed 's|^\./||')

# objects: rebuilt when the source or a header is newer
newest_h=$(ls -t "$top"/src/*.h "$top"/fuzz/fuzz.h "$build/config.h" | head -1)
compile() {	# DIR FLAGS SRC: also rebuilt when the flags changed
	o=$1/$(basename "$3" .c).o
	if [ ! -f "$o" ] || [ "$3" -nt "$o" ] || [ "$newest_h" -nt "$o" ] ||
	   [ "$(cat "$o.flags" 2>/dev/null)" != "$2" ]; then
		# shellcheck disable=SC2086
		"$CC" $common $2 -c -o "$o" "$3"
		echo "$2" >"$o.flags"
	fi
	echo "$o"
}
# The emitters' own comparisons (container kinds, depths, counts, the
# escape table) are not traced for libFuzzer's comparison hooks: they are
# the program's structure, not values from the input, and the hooks cost
# about a tenth of the kernel target's time there.  Their edges are counted
# and ASan and UBSan check them as everywhere else.
notrace="emit.c emit-text.c emit-json.c"
objs=""
for s in $srcs; do
	f="$san -fsanitize=fuzzer-no-link"
	case " $notrace " in *" $s "*) f="$f -fno-sanitize-coverage=trace-cmp" ;; esac
	objs="$objs $(compile "$out/obj" "$f" "$top/src/$s")"
done
objs="$objs $(compile "$out/obj" "$san -fsanitize=fuzzer-no-link" "$top/fuzz/common.c")"
for t in $targets; do
	# shellcheck disable=SC2086
	"$CC" $common $san -fsanitize=fuzzer -o "$out/fuzz-$t" "$top/fuzz/fuzz-$t.c" $objs $jlibs
done

# the seed makers: the same code against captures (no sanitizers needed)
sobjs=""
for s in $srcs; do
	sobjs="$sobjs $(compile "$out/seedobj" "-O1" "$top/src/$s")"
done
sobjs="$sobjs $(compile "$out/seedobj" "-O1" "$top/fuzz/common.c")"
# shellcheck disable=SC2086
"$CC" $common -O1 -DFUZZ_SEED_MAIN -o "$out/fuzz-seed" "$top/fuzz/fuzz-kernel.c" $sobjs $jlibs
# shellcheck disable=SC2086
"$CC" $common -O1 -DFUZZ_SEED_MAIN -o "$out/fuzz-host-seed" "$top/fuzz/fuzz-host.c" $sobjs $jlibs
echo "$out"
