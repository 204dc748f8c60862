#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# mkinitrd.sh OUT.cpio.gz [options]
#   --moddir DIR      .../lib/modules/KVER of a modular kernel (omit when VFIO
#                     is built in); the vfio modules are decompressed and
#                     listed in dependency order in /etc/modules.order
#   --vfio-info FILE  statically linked vfio-info (optional: without it the
#                     guest only reports its own view)
#   --busybox FILE    static busybox (default /bin/busybox of busybox-static)
#   --no-host-tools   do not add the host's lspci/strace (foreign arch guests)
#   --add SRC:DST     extra file
#   --extra-mod M     a further module (with its dependencies) that is NOT
#                     loaded at boot: listed in /etc/modules.extra for the
#                     stages that need a native driver (repeatable)
#
# The guest runs tests/kernel/init as PID 1.  lspci and strace come from the
# host (Debian has no static builds of either): the binaries are copied with
# every library ldd lists, at the same paths, plus the dynamic loader.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

OUT=$1; shift
MODDIR='' VFIOINFO='' BUSYBOX=/bin/busybox HOSTTOOLS=1 EXTRA=() EXTRAMODS=()
while [ $# -gt 0 ]; do
	case $1 in
	--moddir) MODDIR=$2; shift 2 ;;
	--vfio-info) VFIOINFO=$2; shift 2 ;;
	--busybox) BUSYBOX=$2; shift 2 ;;
	--no-host-tools) HOSTTOOLS=; shift ;;
	--add) EXTRA+=("$2"); shift 2 ;;
	--extra-mod) EXTRAMODS+=("$2"); shift 2 ;;
	*) die "unknown option $1" ;;
	esac
done

ST=$(mktemp -d "${TMPDIR:-/tmp}/vfio-initrd.XXXXXX")
trap 'rm -rf "$ST"' EXIT
chmod 0755 "$ST"    # mktemp made it 0700: the non-root user must traverse /
mkdir -p "$ST"/{bin,sbin,etc,lib/modules,proc,sys,dev,tmp,out,usr/bin,usr/share/misc}
cp "$BUSYBOX" "$ST/bin/busybox"
install -m 0755 "$KDIR/init" "$ST/init"
mkdir -p "$ST/etc/vfiotest.d"
for st in "$KDIR"/guest.d/*.sh; do
	[ -e "$st" ] && install -m 0644 "$st" "$ST/etc/vfiotest.d/"
done
# An unprivileged user for the non-root run (busybox su needs passwd/group).
printf 'root:x:0:0:root:/:/bin/sh\nvfiouser:x:1000:1000:vfio test user:/tmp:/bin/sh\n' > "$ST/etc/passwd"
printf 'root:x:0:\nvfiouser:x:1000:\n' > "$ST/etc/group"
echo /bin/sh > "$ST/etc/shells"

if [ -n "$VFIOINFO" ]; then
	if command -v file >/dev/null; then
		file -L "$VFIOINFO" | grep -q 'statically linked\|static-pie' ||
			log "warning: $VFIOINFO does not look statically linked"
	fi
	install -m 0755 "$VFIOINFO" "$ST/bin/vfio-info"
fi

# Copy an executable and its shared libraries (ldd resolves them on the host).
copy_with_libs() {
	local bin=$1 lib
	install -m 0755 "$bin" "$ST/usr/bin/$(basename "$bin")"
	for lib in $(ldd "$bin" | awk '/=> \// { print $3 } /^\t\/.*ld-linux/ { print $1 }'); do
		mkdir -p "$ST$(dirname "$lib")"
		cp -L "$lib" "$ST$lib"
	done
}
if [ -n "$HOSTTOOLS" ]; then
	copy_with_libs "$(command -v lspci)"
	copy_with_libs "$(command -v strace)"
	[ -r /usr/share/misc/pci.ids ] && cp /usr/share/misc/pci.ids "$ST/usr/share/misc/pci.ids"
fi
for e in "${EXTRA[@]}"; do
	mkdir -p "$ST$(dirname "${e#*:}")"
	install -m 0755 "${e%%:*}" "$ST${e#*:}"
done

if [ -n "$MODDIR" ]; then
	# Debian's kernel packages ship no modules.dep (depmod runs in postinst),
	# so dependencies come from each module's own modinfo "depends" field.
	declare -A seen=()
	order=()
	findmod() {
		local a=${1//-/_} b=${1//_/-}
		find "$MODDIR/kernel" -regextype posix-extended \
			-regex ".*/($a|$b)\.ko(\.xz|\.zst|\.gz)?" | head -1
	}
	addmod() {
		local key=${1//-/_} f d b
		[ -n "${seen[$key]:-}" ] && return 0
		seen[$key]=1
		f=$(findmod "$1")
		if [ -z "$f" ]; then
			log "module $1 not in $MODDIR (built in or absent)"
			return 0
		fi
		for d in $(modinfo -F depends "$f" | tr , ' '); do addmod "$d"; done
		b=$(basename "$f"); b=${b%.xz}; b=${b%.zst}; b=${b%.gz}
		case $f in
		*.xz) xz -dc "$f" > "$ST/lib/modules/$b" ;;
		*.zst) zstd -qdc "$f" > "$ST/lib/modules/$b" ;;
		*.gz) gzip -dc "$f" > "$ST/lib/modules/$b" ;;
		*) cp "$f" "$ST/lib/modules/$b" ;;
		esac
		order+=("$b")
	}
	# (vfio_iommu_spapr_tce: ppc64 only; addmod says so for the others)
	for m in vfio vfio_iommu_type1 vfio_iommu_spapr_tce iommufd vfio_pci_core vfio_pci; do addmod "$m"; done
	printf '%s\n' "${order[@]}" > "$ST/etc/modules.order"
	log "modules: ${order[*]}"
	order=()
	for m in "${EXTRAMODS[@]}"; do addmod "$m"; done
	printf '%s\n' "${order[@]}" > "$ST/etc/modules.extra"
	log "extra modules: ${order[*]}"
fi

(cd "$ST" && find . -print0 | cpio --null -o -H newc --quiet | gzip -6) > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
log "initramfs $OUT ($(du -k "$OUT" | cut -f1) KiB)"
