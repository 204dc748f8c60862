#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build-kernel.sh [x86_64|arm64] [-f] -- build a custom kernel once per
# machine and cache it: x86_64 (default) as $KC/custom/bzImage for the
# custom-cdev/custom-noiommu scenarios, arm64 as $KC/custom-arm64/Image for
# arm64-virt (cross-built from linux-source-7.x: allnoconfig +
# arm64-kernel.config, ~10 min).
#
# Why a custom kernel: no Debian kernel (6.1, 6.12, 7.x) enables IOMMUFD,
# VFIO_DEVICE_CDEV or VFIO_NOIOMMU, so /dev/iommu, /dev/vfio/devices/vfioN
# and /dev/vfio/noiommu-N cannot be tested with them.  The source is Debian's
# linux-source-6.12 (fetched by fetch.sh); the configuration is x86_64
# allnoconfig + vfio-kernel.config (everything VFIO built in, so the
# initramfs needs no modules; the fragment says what else the guests need).
#
# Output goes to $KC/custom/build.log; the finished image is only moved into
# place when the build succeeded, so a half-built tree is never used.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ARCH=x86_64
FORCE=
for a in "$@"; do
	case $a in
	x86_64|arm64) ARCH=$a ;;
	-f) FORCE=1 ;;
	*) die "usage: build-kernel.sh [x86_64|arm64] [-f]" ;;
	esac
done
if [ "$ARCH" = arm64 ]; then
	OUT=$KC/custom-arm64 IMAGE=Image
else
	OUT=$KC/custom IMAGE=bzImage
fi
mkdir -p "$OUT"
exec 8>"$OUT/.lock"
if ! flock -n 8; then
	log "another build holds $OUT/.lock; waiting for it"
	flock 8
fi
if [ "$ARCH" = arm64 ]; then
	"$KDIR/fetch.sh" kbuild arm64
	load_env
	SRC_DEB=${ARM64_SRC_DEB:-}
	MK=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-)
	BASECONF=(allnoconfig) FRAG=$KDIR/arm64-kernel.config
	MUST="IOMMUFD VFIO_DEVICE_CDEV VFIO_NOIOMMU VFIO_PCI VFIO_PLATFORM VFIO_AMBA ARM_SMMU_V3_IOMMUFD"
	KIMG=arch/arm64/boot/Image
else
	"$KDIR/fetch.sh" kbuild source
	load_env
	MK=()
	BASECONF=(allnoconfig) FRAG=$KDIR/vfio-kernel.config
	MUST="IOMMUFD VFIO_DEVICE_CDEV VFIO_NOIOMMU VFIO_PCI INTEL_IOMMU PCI_IOV VFIO_MDEV SAMPLE_VFIO_MDEV_MTTY SAMPLE_VFIO_MDEV_MDPY SAMPLE_VFIO_MDEV_MBOCHS"
	KIMG=arch/x86/boot/bzImage
fi

# The image is rebuilt when the configuration fragment or this script
# changed since it was built: $OUT/stamp holds their hash.  An image built
# before stamps existed is kept (and stamped) when its configuration has
# every MUST option.  The build directory is kept, so a rebuild is
# incremental: kbuild recompiles what the changed options reach.
WANT=$(cat "$FRAG" "$0" | sha256sum | cut -d' ' -f1)
if [ -s "$OUT/$IMAGE" ] && [ -z "$FORCE" ]; then
	have=$(cat "$OUT/stamp" 2>/dev/null || true)
	if [ -z "$have" ] && [ -s "$OUT/config" ]; then
		have=$WANT
		for opt in $MUST; do
			grep -q "^CONFIG_$opt=y" "$OUT/config" || have=
		done
		[ -z "$have" ] || echo "$WANT" > "$OUT/stamp"
	fi
	if [ "$have" = "$WANT" ]; then
		log "custom kernel already built: $OUT/$IMAGE"
		exit 0
	fi
	log "$(basename "$FRAG") or build-kernel.sh changed since $OUT/$IMAGE was built: rebuilding (incremental)"
fi
[ -n "${SRC_DEB:-}" ] || die "kernel source package not fetched"

SRC=$OUT/src
BUILD=$OUT/build
if [ ! -e "$SRC/.unpacked" ]; then
	log "unpacking $SRC_DEB"
	rm -rf "$SRC"
	mkdir -p "$SRC"
	dpkg-deb --fsys-tarfile "$SRC_DEB" | tar -x -C "$SRC" --wildcards './usr/src/linux-source-*.tar.xz'
	tar -xJf "$SRC"/usr/src/linux-source-*.tar.xz -C "$SRC"
	rm -rf "${SRC:?}/usr"
	touch "$SRC/.unpacked"
fi
LSRC=$(ls -d "$SRC"/linux-source-* | head -1)
JOBS=${VFIO_INFO_KJOBS:-$(nproc)}

{
	date
	mkdir -p "$BUILD"
	for c in "${BASECONF[@]}"; do make -C "$LSRC" O="$BUILD" "${MK[@]}" "$c"; done
	env "${MK[@]}" "$LSRC"/scripts/kconfig/merge_config.sh -m -O "$BUILD" "$BUILD/.config" "$FRAG"
	make -C "$LSRC" O="$BUILD" "${MK[@]}" olddefconfig
	# Fail early if a needed option was dropped by Kconfig dependencies.
	for opt in $MUST; do
		grep -q "^CONFIG_$opt=y" "$BUILD/.config" || { echo "CONFIG_$opt not enabled"; exit 1; }
	done
	start=$(date +%s)
	make -C "$LSRC" O="$BUILD" "${MK[@]}" -j"$JOBS" "$(basename "$KIMG")"
	echo "build seconds: $(( $(date +%s) - start ))"
	date
} > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; die "kernel build failed; see $OUT/build.log"; }

cp "$BUILD/$KIMG" "$OUT/$IMAGE.tmp"
cp "$BUILD/.config" "$OUT/config"
mv "$OUT/$IMAGE.tmp" "$OUT/$IMAGE"
echo "$WANT" > "$OUT/stamp"
log "custom $ARCH kernel: $OUT/$IMAGE ($(grep 'build seconds' "$OUT/build.log"))"
