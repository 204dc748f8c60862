#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# build-kernel.sh -- build the custom x86_64 kernel for the custom-cdev
# scenario, once per machine, and cache it as $KC/custom/bzImage.
#
# Why a custom kernel: no Debian kernel (6.1, 6.12, 7.x) enables IOMMUFD,
# VFIO_DEVICE_CDEV or VFIO_NOIOMMU, so /dev/iommu, /dev/vfio/devices/vfioN
# and /dev/vfio/noiommu-N cannot be tested with them.  The source is Debian's
# linux-source-6.12 (fetched by fetch.sh); the configuration is x86_64
# defconfig + kvm_guest.config + vfio-kernel.config (everything VFIO built in,
# so the initramfs needs no modules).  Takes ~15-20 min with -j2.
#
# Output goes to $KC/custom/build.log; the finished image is only moved into
# place when the build succeeded, so a half-built tree is never used.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$KC/custom
mkdir -p "$OUT"
exec 8>"$OUT/.lock"
if ! flock -n 8; then
	log "another build holds $OUT/.lock; waiting for it"
	flock 8
fi
if [ -s "$OUT/bzImage" ] && [ "${1:-}" != "-f" ]; then
	log "custom kernel already built: $OUT/bzImage"
	exit 0
fi

"$KDIR/fetch.sh" kbuild source
load_env
[ -n "${SRC_DEB:-}" ] || die "SRC_DEB not set; fetch.sh source failed?"

SRC=$OUT/src
BUILD=$OUT/build
if [ ! -e "$SRC/.unpacked" ]; then
	log "unpacking $SRC_DEB"
	rm -rf "$SRC"
	mkdir -p "$SRC"
	dpkg-deb --fsys-tarfile "$SRC_DEB" | tar -x -C "$SRC" --wildcards './usr/src/linux-source-*.tar.xz'
	tar -xJf "$SRC"/usr/src/linux-source-*.tar.xz -C "$SRC"
	rm -rf "$SRC/usr"
	touch "$SRC/.unpacked"
fi
LSRC=$(ls -d "$SRC"/linux-source-* | head -1)
JOBS=${VFIO_INFO_KJOBS:-$(nproc)}

{
	date
	mkdir -p "$BUILD"
	make -C "$LSRC" O="$BUILD" x86_64_defconfig
	make -C "$LSRC" O="$BUILD" kvm_guest.config
	"$LSRC"/scripts/kconfig/merge_config.sh -m -O "$BUILD" "$BUILD/.config" "$KDIR/vfio-kernel.config"
	make -C "$LSRC" O="$BUILD" olddefconfig
	# Fail early if a needed option was dropped by Kconfig dependencies.
	for opt in IOMMUFD VFIO_DEVICE_CDEV VFIO_NOIOMMU VFIO_PCI INTEL_IOMMU PCI_IOV; do
		grep -q "^CONFIG_$opt=y" "$BUILD/.config" || { echo "CONFIG_$opt not enabled"; exit 1; }
	done
	start=$(date +%s)
	make -C "$LSRC" O="$BUILD" -j"$JOBS" bzImage
	echo "build seconds: $(( $(date +%s) - start ))"
	date
} > "$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; die "kernel build failed; see $OUT/build.log"; }

cp "$BUILD/arch/x86/boot/bzImage" "$OUT/bzImage.tmp"
cp "$BUILD/.config" "$OUT/config"
mv "$OUT/bzImage.tmp" "$OUT/bzImage"
set_env CUSTOM_BZIMAGE "$OUT/bzImage"
log "custom kernel: $OUT/bzImage ($(grep 'build seconds' "$OUT/build.log"))"
