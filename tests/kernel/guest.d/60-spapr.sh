# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh disable=SC2154
# (sourced by init: $O, $BDFS, say, fail come from there)
#
# sPAPR (ppc64 pseries): what the guest kernel itself says about each
# device's DMA window, the reference for VFIO_IOMMU_SPAPR_TCE_GET_INFO
# (check.py).  For every device, the device-tree node that holds its
# "ibm,dma-window" (the device's own node or the nearest parent: the PHB
# under QEMU) with the raw properties the kernel reads at boot
# (arch/powerpc/platforms/pseries/iommu.c): ibm,dma-window, the cell
# counts that lay it out, ibm,ddw-applicable (dynamic DMA windows), and
# the PHB's "reg"; the guest's iommu debugfs tables where the kernel has
# CONFIG_IOMMU_DEBUGFS; the kernel's boot messages about DMA windows.
# Nothing here without a device tree with ibm,dma-window.
[ -d /proc/device-tree ] || return 0
for b in $BDFS; do
	n=$(readlink -f "/sys/bus/pci/devices/$b/of_node" 2>/dev/null)
	while [ -n "$n" ] && [ "$n" != / ] && [ ! -e "$n/ibm,dma-window" ]; do
		n=${n%/*}
	done
	[ -n "$n" ] && [ -e "$n/ibm,dma-window" ] || continue
	o=$O/spapr/$b
	mkdir -p "$o"
	echo "${n#/sys/firmware/devicetree/base}" > "$o/dma-window-node"
	for p in ibm,dma-window ibm,#dma-address-cells ibm,#dma-size-cells \
		ibm,ddw-applicable ibm,ddw-extensions ibm,pe-total-#msi reg; do
		[ -e "$n/$p" ] && cat "$n/$p" > "$o/$p"
	done
done
[ -d $O/spapr ] || return 0
mkdir -p /sys/kernel/debug 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
if [ -d /sys/kernel/debug/iommu ]; then
	for t in /sys/kernel/debug/iommu/*; do
		[ -e "$t/it_size" ] || continue
		mkdir -p $O/spapr/debugfs/"${t##*/}"
		for a in it_size it_page_shift it_reserved_start it_reserved_end it_indirect_levels it_level_size weight; do
			cat "$t/$a" > $O/spapr/debugfs/"${t##*/}"/$a 2>/dev/null
		done
	done
fi
dmesg | grep -i -E 'dma window|ddw|iommu|tce' > $O/spapr/dmesg-dma 2>/dev/null
say "spapr: device-tree DMA windows of $(ls $O/spapr | grep -c :) device(s) saved"
