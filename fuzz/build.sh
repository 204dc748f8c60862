#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build.sh BUILDDIR -- build fuzz/fuzz-kernel with clang's libFuzzer,
# AddressSanitizer and UBSan into BUILDDIR/fuzz/ (BUILDDIR: a configured
# build tree, for config.h).  Every library source is compiled in; the
# command-line front end (main.c, cmd-*.c) is not needed; the shell's
# commands run on the hostile device too.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-.}" && pwd)
CC=${CC:-clang}
command -v "$CC" >/dev/null || { echo "build.sh: $CC not found (apt install clang)" >&2; exit 77; }
out=$build/fuzz
mkdir -p "$out"
srcs=$(cd "$top/src" && ls ./*.c | grep -v -e '^./main.c$' -e '^./cmd-' | sed "s|^\./|$top/src/|")
# shellcheck disable=SC2086
"$CC" -g -O1 -std=gnu11 -DHAVE_CONFIG_H -DPKGDATADIR='"/nonexistent"' \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$build" -I"$top/src" $(pkg-config --cflags jansson) \
	-o "$out/fuzz-kernel" "$top/fuzz/fuzz-kernel.c" $srcs $(pkg-config --libs jansson)
# the seed maker: the same code against captures (no sanitizers needed)
# shellcheck disable=SC2086
"$CC" -g -O1 -std=gnu11 -DHAVE_CONFIG_H -DPKGDATADIR='"/nonexistent"' -DFUZZ_SEED_MAIN \
	-I"$build" -I"$top/src" $(pkg-config --cflags jansson) \
	-o "$out/fuzz-seed" "$top/fuzz/fuzz-kernel.c" $srcs $(pkg-config --libs jansson)
echo "$out/fuzz-kernel"
