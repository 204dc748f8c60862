#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build-static.sh [HOST-TRIPLET] -- build a statically linked vfio-info for
# the guests (busybox initramfs: no libc, no libjansson) and print its path.
#
# The build happens in the cache directory, never in the source tree: an
# out-of-tree configure when the tree is clean, or a scratch copy of the tree
# when it was configured in place (autoconf refuses a second build dir then).
# Without a triplet it builds for the host; with one (e.g. s390x-linux-gnu)
# it cross-compiles against that architecture's libjansson-dev.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

HOST=${1:-}
# One build directory per source tree: trees tested side by side (a
# checkout, a worktree, a CI clone) must not swap binaries under each other.
TREE=$(printf '%s' "$SRCROOT" | sha1sum | cut -c1-8)
OUT=$KC/vi-static${HOST:+-$HOST}-$TREE
mkdir -p "$OUT"
exec 7>"$OUT/.lock"
flock 7

src=$SRCROOT
if [ ! -x "$src/configure" ]; then
	(cd "$src" && autoreconf -fi) >&2 || die "autoreconf failed"
fi
if [ -e "$src/config.status" ]; then
	# configured in place: build from a clean copy instead
	rm -rf "$OUT/src"
	mkdir -p "$OUT/src"
	# (others may be editing the tree: tar exits 1 for "file changed")
	{ tar -C "$src" --exclude=.git --warning=no-file-changed -cf - . || [ $? -eq 1 ]; } |
		tar -C "$OUT/src" -xf -
	make -C "$OUT/src" distclean >/dev/null 2>&1 || true
	src=$OUT/src
fi
mkdir -p "$OUT/build"
cd "$OUT/build"
# Reconfigure when configure changed since the last build here.
CROSS=()
if [ -n "$HOST" ]; then
	# libjansson-dev for the target is unpacked (fetch.sh) into a sysroot;
	# PKG_CHECK_MODULES takes JANSSON_CFLAGS/LIBS as given.
	load_env
	case $HOST in
	s390x-*) sysroot=${S390X_SYSROOT:-} ;;
	aarch64-*) sysroot=${ARM64_SYSROOT:-} ;;
	powerpc64le-*) sysroot=${PPC64EL_SYSROOT:-} ;;
	*) die "no sysroot known for $HOST" ;;
	esac
	[ -d "$sysroot" ] || die "sysroot for $HOST missing (run fetch.sh s390x / arm64 / ppc64el)"
	CROSS=(--host="$HOST" JANSSON_CFLAGS="-I$sysroot/usr/include"
	       JANSSON_LIBS="-L$sysroot/usr/lib/$HOST -ljansson")
fi
if [ ! -e config.status ] || [ "$src/configure" -nt config.status ]; then
	"$src/configure" "${CROSS[@]}" LDFLAGS=-static --without-readline > configure.log 2>&1 ||
		{ tail -20 configure.log >&2; die "configure failed ($OUT/build/configure.log)"; }
fi
# The cache is shared by every tree that runs the tests (a checkout, a CI
# clone): copied sources keep their mtimes, so make alone could keep
# objects built from another tree.  Rebuild whenever the sources differ.
sum=$(cd "$src" && find src -name '*.[ch]' | LC_ALL=C sort | xargs cat | sha1sum | cut -d' ' -f1)
if [ "$(cat .srcsum 2>/dev/null)" != "$sum" ]; then
	make clean > /dev/null 2>&1 || true
fi
make src/vfio-info > make.log 2>&1 || { tail -30 make.log >&2; die "make failed ($OUT/build/make.log)"; }
if ldd src/vfio-info >/dev/null 2>&1 && [ -z "$HOST" ]; then
	die "src/vfio-info is not statically linked"
fi
echo "$sum" > .srcsum
echo "$OUT/build/src/vfio-info"
