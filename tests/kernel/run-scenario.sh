#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-scenario.sh NAME -- boot one guest scenario under QEMU (TCG), collect
# its serial log, split the result files out of it and check them (TAP on
# stdout, from check.py).  Exit status: 0 checks passed, 1 failed, 77 skip.
#
# Scenarios:
#   deb61-legacy    Debian 6.1, QEMU 7.2, q35+intel-iommu, e1000e/nvme/VGA/
#                   virtio-net, legacy group flow, strace and non-root runs
#   deb612-sriov    Debian 6.12 (trixie), QEMU 10 (backports, unpacked), the
#                   same devices + igb PF with 2 VFs on vfio-pci, VF token
#   debnew-sriov    the newest Debian amd64 kernel the package lists name
#                   (7.3 from trixie-backports when written), QEMU 10, the
#                   devices and guest steps of deb612-sriov: a new ABI shows
#                   up here first
#   custom-cdev     custom 6.12 (build-kernel.sh), QEMU 10: legacy and
#                   cdev+iommufd flows on the same devices
#   custom-noiommu  custom 6.12 without an IOMMU: /dev/vfio/noiommu-N
#   s390x-zpci      Debian trixie s390x kernel under qemu-system-s390x (TCG)
#                   with two zPCI functions (uid/fid set on the command
#                   line); needs an s390x static vfio-info
#   arm64-virt      cross-built 7.x arm64 kernel (build-kernel.sh arm64) on
#                   virt with SMMUv3: PCI legacy+cdev (hw_info ARM_SMMUV3),
#                   virtio-mmio/fw-cfg on vfio-platform and pl061/pl031 on
#                   vfio-amba (noiommu), regions vs the device tree
#   ppc64-spapr     Debian trixie ppc64el kernel on QEMU pseries (TCG): e1000e
#                   and virtio-rng behind the sPAPR PHB, SPAPR_TCE_v2
#                   container, SPAPR_TCE_GET_INFO vs the device tree
#
# Environment:
#   VFIO_INFO_KCACHE   cache directory (default /var/cache/vfio-info-kernel)
#   VFIO_INFO_STATIC   statically linked vfio-info for the guest (default:
#                      $VFIO_INFO if static, else /tmp/vi-static/src/vfio-info)
#   VFIO_INFO_STATIC_S390X, VFIO_INFO_STATIC_ARM64, VFIO_INFO_STATIC_PPC64EL
#                      the same for s390x, arm64 and ppc64el (default:
#                      cross-built by build-static.sh TRIPLET)
#   VFIO_INFO_KRUNDIR  where to put this run's files (default under the cache)
#   VFIO_INFO_KTIMEOUT seconds before QEMU is killed (default 900: a guest
#   under TCG on a busy 2-core machine needs minutes; only a hang takes 900)
# shellcheck disable=SC2054  # QEMU options are comma lists, not array separators
set -euo pipefail
. "$(dirname "$0")/lib.sh"

NAME=${1:?usage: run-scenario.sh NAME}
TMO=${VFIO_INFO_KTIMEOUT:-900}
UUID=bd8d9d2b-5a5f-4f5a-a211-f591514ba1f3

# A scenario that cannot run skips, except under CI (CI=true), where only
# the scenarios lib.sh lists in OPTIONAL_SCENARIOS may: the others fail
# with the reason, so a cold machine cannot lose one silently.
skip() {
	if [ "${CI:-}" = true ] && ! is_optional "$NAME"; then
		echo "not ok 1 - $NAME: cannot run under CI: $*"
		echo "1..1"
		exit 1
	fi
	echo "1..0 # SKIP $NAME: $*"
	exit 77
}
# fetch.sh COMPONENT...: its log kept; on failure the reason is the skip's.
fetch() {
	if ! "$KDIR/fetch.sh" "$@" 2> "$KC/fetch-$NAME.log"; then
		cat "$KC/fetch-$NAME.log" >&2
		skip "fetch failed: $(grep -h -E 'ERROR|did not download' "$KC/fetch-$NAME.log" | sed 's/^\[[^]]*\] //' | tr '\n' ' ')"
	fi
	cat "$KC/fetch-$NAME.log" >&2
	load_env
}
# Which packages this scenario's guest is made of (fetch.sh records them).
report_fetched() { # KEY...
	local k v
	for k in "$@"; do
		v=${k}_FETCHED
		echo "# $NAME uses: ${!v:-$k (fetched before fetch.sh recorded versions: remove $KC/k to refresh)}"
	done
}

# ---- what each scenario needs ----
QEMU=(qemu-system-x86_64)
ARCH=x86_64
MODDIR='' KERNEL='' IOMMU=1 IGB='' BRIDGE='' APPEND='' EXTRA_MODS=()
BDFS=0000:00:03.0,0000:01:00.0,0000:00:05.0,0000:00:06.0
EXTRA_APPEND=
case $NAME in
deb61-legacy)
	fetch host deb61
	report_fetched DEB61
	KERNEL=$DEB61_VMLINUZ MODDIR=$DEB61_MODDIR
	EXTRA_APPEND="vfiotest_strace=1 vfiotest_nonroot=0000:00:03.0 vfiotest_hostcases=ok,busy,perm"
	;;
deb612-sriov|debnew-sriov)
	if [ "$NAME" = deb612-sriov ]; then
		fetch host deb612 qemu10
		report_fetched DEB612 QEMU10
		KERNEL=$DEB612_VMLINUZ MODDIR=$DEB612_MODDIR
	else
		fetch host debnew qemu10
		report_fetched DEBNEW QEMU10
		KERNEL=$DEBNEW_VMLINUZ MODDIR=$DEBNEW_MODDIR
	fi
	IGB=1 BRIDGE=1
	EXTRA_APPEND="vfio_pci.enable_sriov=1 vfiotest_sriov=0000:02:00.0:2 vfiotest_vftoken=$UUID"
	# debnew-sriov asks the new kernel the same ABI questions (dump,
	# capture, shell, irq) but leaves out what depends on the set-up
	# rather than the kernel's ABI (strace, the host cases deb612-sriov
	# covers): about half the guest's time.
	if [ "$NAME" = deb612-sriov ]; then
		EXTRA_APPEND="$EXTRA_APPEND vfiotest_strace=1"
		EXTRA_APPEND="$EXTRA_APPEND vfiotest_hostcases=vf-token,group-blocked,native-driver,default-route"
	fi
	EXTRA_MODS=(e1000e virtio_pci)
	BDFS=$BDFS,0000:02:00.0
	;;
custom-cdev|custom-noiommu)
	fetch host qemu10
	report_fetched QEMU10
	if [ "${VFIO_INFO_KBUILD:-1}" = 0 ]; then
		[ -s "$KC/custom/bzImage" ] ||
			skip "custom kernel not built ($KC/custom/bzImage) and VFIO_INFO_KBUILD=0"
	else
		# once per machine (~6-10 min), and again (incrementally) when
		# vfio-kernel.config or build-kernel.sh changed; else at once
		"$KDIR/build-kernel.sh" >&2 || skip "custom kernel build failed: $KC/custom/build.log"
	fi
	KERNEL=$KC/custom/bzImage IGB=1
	BDFS=$BDFS,0000:02:00.0
	if [ "$NAME" = custom-cdev ]; then
		EXTRA_APPEND="vfiotest_flows=legacy,cdev vfiotest_nonroot=0000:01:00.0 vfiotest_nonroot_flow=cdev"
		EXTRA_APPEND="$EXTRA_APPEND vfiotest_hostcases=iommufd"
		# the sample mdev drivers built in: guest.d/70-mdev.sh; its
		# stage and files took the guest from 212 s to over 300 s on
		# the loaded shared host
		EXTRA_APPEND="$EXTRA_APPEND vfiotest_mdev=1"
		TMO=${VFIO_INFO_KTIMEOUT:-480}
	else
		IOMMU=
		# nomodule: every driver it needs is built in; the host case
		# vm-nomodule is a VM without an IOMMU where modules cannot load
		EXTRA_APPEND="intel_iommu=off nomodule vfio.enable_unsafe_noiommu_mode=1 vfiotest_strace=1 vfiotest_nonroot=0000:00:03.0"
		EXTRA_APPEND="$EXTRA_APPEND vfiotest_hostcases=noiommu,no-iommu,vm-nomodule"
	fi
	;;
s390x-zpci)
	fetch s390x
	report_fetched S390X
	ARCH=s390x QEMU=(qemu-system-s390x) KERNEL=$S390X_VMLINUZ MODDIR=$S390X_MODDIR IOMMU=
	FBUSYBOX=$S390X_BUSYBOX TRIPLET=s390x-linux-gnu VI=${VFIO_INFO_STATIC_S390X:-}
	# The PCI domain of a zPCI function is its uid (uid_is_unique=1).
	BDFS=0001:00:00.0,0002:00:00.0
	EXTRA_APPEND="vfiotest_nonroot=0002:00:00.0 vfiotest_zpci=0001:1:1,0002:2:2"
	;;
arm64-virt)
	fetch arm64
	report_fetched ARM64
	if [ ! -s "$KC/custom-arm64/Image" ]; then
		if [ "${VFIO_INFO_KBUILD:-1}" = 0 ]; then
			skip "arm64 kernel not built ($KC/custom-arm64/Image) and VFIO_INFO_KBUILD=0"
		fi
		log "cross-building the arm64 kernel (once per machine, ~10-15 min)"
		"$KDIR/build-kernel.sh" arm64 >&2 || skip "arm64 kernel build failed: $KC/custom-arm64/build.log"
	fi
	ARCH=aarch64 QEMU=(qemu-system-aarch64) KERNEL=$KC/custom-arm64/Image IOMMU=
	FBUSYBOX=$ARM64_BUSYBOX TRIPLET=aarch64-linux-gnu VI=${VFIO_INFO_STATIC_ARM64:-}
	BDFS=0000:00:01.0,0000:00:02.0
	# QEMU's SMMUv3 only translates PCI: platform and AMBA devices need
	# noiommu; vfio_platform.reset_required is 0444, so it goes on the
	# command line (vfio-amba never requires a reset).
	EXTRA_APPEND="vfio.enable_unsafe_noiommu_mode=1 vfio_platform.reset_required=0 vfiotest_flows=legacy,cdev"
	EXTRA_APPEND="$EXTRA_APPEND vfiotest_pdevs=platform:a000000.virtio_mmio,platform:9020000.fw-cfg,amba:9030000.pl061,amba:9010000.pl031"
	EXTRA_APPEND="$EXTRA_APPEND vfiotest_nonroot=0000:00:02.0 vfiotest_nonroot_flow=legacy"
	;;
ppc64-spapr)
	fetch ppc64el
	report_fetched PPC64EL
	ARCH=ppc64le QEMU=(qemu-system-ppc64) KERNEL=$PPC64EL_VMLINUX MODDIR=$PPC64EL_MODDIR IOMMU=
	FBUSYBOX=$PPC64EL_BUSYBOX TRIPLET=powerpc64le-linux-gnu VI=${VFIO_INFO_STATIC_PPC64EL:-}
	# Both functions sit behind the one PHB QEMU's pseries machine has,
	# whose single DMA window makes them one IOMMU group (one PE).
	BDFS=0000:00:01.0,0000:00:02.0
	# The PHB's DDW page sizes, set here so the check knows what QEMU
	# offers (4K, 64K and 16M): the guest reports 4K | these.
	SPAPR_PGSZ=0x1011000
	EXTRA_APPEND="vfiotest_nonroot=0000:00:02.0 vfiotest_spapr_pgsz=$SPAPR_PGSZ"
	;;
*) echo "unknown scenario $NAME" >&2; exit 2 ;;
esac
[ -r "$KERNEL" ] || skip "kernel $KERNEL missing"
if [ -n "$IGB" ]; then
	[ -x "${QEMU10_DIR:-}/usr/bin/qemu-system-x86_64" ] || skip "QEMU 10 not unpacked"
	# Without QEMU_MODULE_DIR, QEMU 10 would load the system's 7.2 modules.
	export QEMU_MODULE_DIR=$QEMU10_DIR/usr/lib/x86_64-linux-gnu/qemu
	QEMU=("$QEMU10_DIR/usr/bin/qemu-system-x86_64" -L "$QEMU10_DIR/usr/share/qemu"
	      -L "$QEMU10_DIR/usr/share/seabios")
fi
command -v "${QEMU[0]}" >/dev/null || skip "${QEMU[0]} not installed"

# ---- the vfio-info binary for the guest ----
if [ "$ARCH" != x86_64 ]; then
	if [ -z "$VI" ]; then
		VI=$("$KDIR/build-static.sh" "$TRIPLET" 2> "$KC/vi-static-$TRIPLET.log") ||
			{ VI=; log "cross build of vfio-info failed: $KC/vi-static-$TRIPLET.log"; }
	fi
else
	VI=${VFIO_INFO_STATIC:-}
fi
if [ "$ARCH" = x86_64 ] && [ -z "$VI" ]; then
	for c in "${VFIO_INFO:-}" /tmp/vi-static/src/vfio-info; do
		[ -n "$c" ] && [ -x "$c" ] || continue
		# A dynamic binary would need its libraries in the guest too (and
		# a wrapper script is no binary at all): only a static ELF will do.
		if [ "$(head -c4 "$c" | od -An -c | tr -d ' ')" = '177ELF' ] && ! ldd "$c" >/dev/null 2>&1; then
			VI=$c; break
		fi
	done
fi
[ -n "$VI" ] || log "no static vfio-info found: the guest reports its own view only"

# ---- run directory ----
RUN=${VFIO_INFO_KRUNDIR:-$KC/runs/$NAME/$(date +%Y%m%d-%H%M%S)-$$}
mkdir -p "$RUN"
ln -sfn "$RUN" "$KC/runs/$NAME/latest" 2>/dev/null || true
log "run directory $RUN"

# Guest helper that sets the PF's VF token (static, cached per source change).
HELPER=$KC/bin/vf-token-set
if [ ! -x "$HELPER" ] || [ "$KDIR/vf-token-set.c" -nt "$HELPER" ]; then
	mkdir -p "$KC/bin"
	gcc -static -O2 -Wall -o "$HELPER.tmp" "$KDIR/vf-token-set.c" && mv "$HELPER.tmp" "$HELPER"
fi

if [ "$ARCH" = x86_64 ]; then
	MK=(--add "$HELPER:/bin/vf-token-set")
else
	# foreign guest: its own busybox, and no host lspci/strace
	MK=(--busybox "$FBUSYBOX" --no-host-tools)
fi
[ -n "$MODDIR" ] && MK+=(--moddir "$MODDIR")
for m in "${EXTRA_MODS[@]}"; do MK+=(--extra-mod "$m"); done
[ -n "$VI" ] && MK+=(--vfio-info "$VI")
"$KDIR/mkinitrd.sh" "$RUN/initrd.gz" "${MK[@]}" 2> "$RUN/mkinitrd.log" ||
	{ cat "$RUN/mkinitrd.log" >&2; die "mkinitrd failed"; }

# ---- QEMU ----
if [ "$ARCH" = aarch64 ]; then
	DEV=(-device virtio-rng-pci -device e1000e,netdev=n0 -netdev user,id=n0)
	APPEND="console=ttyAMA0 loglevel=4 panic=-1 vfiotest_bdfs=$BDFS $EXTRA_APPEND"
	CMD=("${QEMU[@]}" -no-user-config -nographic -no-reboot
	     -M virt,gic-version=3,iommu=smmuv3 -accel tcg -cpu max -m 1024 -smp 1
	     -kernel "$KERNEL" -initrd "$RUN/initrd.gz" -append "$APPEND" "${DEV[@]}")
	echo "$APPEND" > "$RUN/append"
elif [ "$ARCH" = ppc64le ]; then
	# pseries: the default PHB (ibm,dma-window 0..1 GiB, DDW on) with an
	# e1000e and a virtio-rng; the console is the sPAPR VTY (hvc0).  The
	# cap-* settings are the ones TCG can emulate (QEMU warns otherwise).
	DEV=(-device e1000e,addr=0x1,netdev=n0 -netdev user,id=n0 -device virtio-rng-pci,addr=0x2)
	APPEND="console=hvc0 loglevel=4 panic=-1 vfiotest_bdfs=$BDFS $EXTRA_APPEND"
	CMD=("${QEMU[@]}" -nodefaults -no-user-config -display none -serial stdio -no-reboot
	     -M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off
	     -global spapr-pci-host-bridge.pgsz=$SPAPR_PGSZ -accel tcg -cpu power9 -m 1024 -smp 1
	     -kernel "$KERNEL" -initrd "$RUN/initrd.gz" -append "$APPEND" "${DEV[@]}")
	echo "$APPEND" > "$RUN/append"
elif [ "$ARCH" = s390x ]; then
	# zPCI: each PCI function is paired with a zpci device carrying the
	# uid/fid the guest must report (sysfs uid, function_id, the domain).
	DEV=(-device zpci,uid=1,fid=1,target=rng0 -device virtio-rng-pci,id=rng0
	     -device zpci,uid=2,fid=2,target=net0 -device virtio-net-pci,id=net0,netdev=n0
	     -netdev user,id=n0)
	APPEND="console=ttysclp0 loglevel=4 panic=-1 vfiotest_bdfs=$BDFS $EXTRA_APPEND"
	# (no -nodefaults: the SCLP console is one of the defaults)
	CMD=("${QEMU[@]}" -no-user-config -nographic -no-reboot
	     -M s390-ccw-virtio -accel tcg -cpu max -m 1024 -smp 1
	     -kernel "$KERNEL" -initrd "$RUN/initrd.gz" -append "$APPEND" "${DEV[@]}")
	echo "$APPEND" > "$RUN/append"
else
DEV=(-device e1000e,addr=0x3
     -device pcie-root-port,id=rp1,chassis=1,slot=1,addr=0x4
     -drive "file=$RUN/nvme.img,if=none,id=nvm,format=raw"
     -device nvme,serial=deadbeef,drive=nvm,bus=rp1
     -device VGA,addr=0x5
     -device virtio-net-pci,addr=0x6)
truncate -s 16M "$RUN/nvme.img"      # one image per run: QEMU locks it
if [ -n "$IGB" ]; then
	DEV+=(-device pcie-root-port,id=rp2,chassis=2,slot=2,addr=0x7 -device igb,bus=rp2)
fi
if [ -n "$BRIDGE" ]; then
	# a conventional PCI bridge: the functions behind it share one IOMMU
	# group (DMA aliases), for the host case "group-blocked"
	DEV+=(-device pci-bridge,id=pb1,chassis_nr=3,addr=0x8
	      -device e1000,bus=pb1,addr=0x1 -device virtio-rng-pci,bus=pb1,addr=0x2)
fi
MACHINE=(-machine q35)
if [ -n "$IOMMU" ]; then
	MACHINE+=(-device intel-iommu,intremap=on,caching-mode=on)
	APPEND="intel_iommu=on"
fi
# no_timer_check: under a loaded TCG host the IO-APIC timer check can
# time out and panic the guest before /init ("timer doesn't work through
# Interrupt-remapped IO-APIC"); the check proves nothing about VFIO.
APPEND="console=ttyS0 loglevel=4 panic=-1 no_timer_check $APPEND vfiotest_bdfs=$BDFS $EXTRA_APPEND"
echo "$APPEND" > "$RUN/append"

# -smp 1: MTTCG (-smp 2) crashed or hung guests in ~9% of the measured runs.
CMD=("${QEMU[@]}" -nodefaults -no-user-config -display none -serial stdio -no-reboot
     "${MACHINE[@]}" -accel tcg -cpu max -m 1024 -smp 1
     -kernel "$KERNEL" -initrd "$RUN/initrd.gz" -append "$APPEND" "${DEV[@]}")
fi
printf '%q ' "${CMD[@]}" > "$RUN/qemu-cmd"
echo >> "$RUN/qemu-cmd"
t0=$(date +%s.%N)
# A guest that dies before /init speaks (no VFIOTEST line at all: an
# emulation hiccup, not anything vfio-info did) gets one more boot; the
# failed log is kept beside.
for attempt in 1 2; do
	log "booting $NAME (timeout ${TMO}s, attempt $attempt)"
	set +e
	timeout -k 10 "$TMO" "${CMD[@]}" < /dev/null > "$RUN/serial.log" 2> "$RUN/qemu.err"
	qrc=$?
	set -e
	grep -q "^VFIOTEST" "$RUN/serial.log" && break
	cp "$RUN/serial.log" "$RUN/serial.attempt$attempt.log"
done
t1=$(date +%s.%N)
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
echo "$secs" > "$RUN/boot-seconds"
echo "$qrc" > "$RUN/qemu-rc"
log "$NAME: QEMU exited $qrc after ${secs}s"

# ---- split the marked files out of the serial log ----
# Kernel messages can interleave with our lines; base64 never contains '[',
# so timestamped printk lines are dropped inside file sections.
mkdir -p "$RUN/guest"
tr -d '\r' < "$RUN/serial.log" | awk -v dir="$RUN/guest" '
	/^VFIOTEST-FILE / { path = $2; cmd = "mkdir -p \"" dir "/" path "\" && rmdir \"" dir "/" path "\" && base64 -d > \"" dir "/" path "\""; infile = 1; next }
	/^VFIOTEST-EOF / { if (infile) close(cmd); infile = 0; next }
	infile && /^[A-Za-z0-9+\/=]+$/ { print | cmd }'

echo "$NAME" > "$RUN/scenario"
python3 "$KDIR/check.py" "$RUN"
