# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh disable=SC2154
# (sourced by init; say, fail, rl, bind_vfio, $O, $SRIOV, $VFTOKEN, $HAVE_VI come from there)
#
# `dump --all` holds a bounded number of descriptors whatever the number
# of groups (HACKING, "Descriptors are bounded").  In the SR-IOV scenario
# (vfiotest_sriov set) the PF gets FDLIMIT_VFS VFs, each its own IOMMU
# group under intel-iommu, so that the guest has more VFIO groups than
# half of an open-file limit of FDLIMIT_N; then `dump --all` runs under
# `ulimit -n FDLIMIT_N`:
#
#   $O/fdlimit/groups      the groups of the devices on vfio-pci, one a line
#   $O/fdlimit/devices     those devices, one a line
#   $O/fdlimit/ulimit      the limit the dump ran under (ulimit -n inside)
#   $O/fdlimit/dump.json   its output, .err, .rc
#
# check-fdlimit.py holds it: status 0, every group and device in the JSON
# and none of them with an error.  Runs last: it changes the VF count.
FDLIMIT_N=12
FDLIMIT_VFS=7

if [ -n "$HAVE_VI" ] && [ -n "$SRIOV" ]; then
	pf=${SRIOV%:*}
	d=/sys/bus/pci/devices/$pf
	mkdir -p $O/fdlimit
	n=$FDLIMIT_VFS
	t=$(cat "$d/sriov_totalvfs" 2>/dev/null || echo 0)
	[ "$t" -lt "$n" ] && n=$t
	say "fdlimit: $pf numvfs $(cat "$d/sriov_numvfs") -> $n (total $t)"
	echo 0 > "$d/sriov_numvfs" && echo "$n" > "$d/sriov_numvfs" ||
		fail "fdlimit: sriov_numvfs=$n on $pf"
	for v in "$d"/virtfn*; do
		[ -e "$v" ] || continue
		b=$(basename "$(readlink "$v")")
		[ "$(basename "$(readlink "/sys/bus/pci/devices/$b/driver" 2>/dev/null)")" = vfio-pci ] ||
			bind_vfio "$b"
	done
	# A group with a device on another driver (80-host.sh's group-blocked
	# case) is not viable: dump --all would report it and exit 4.  Its
	# devices leave vfio-pci, so that every group left is one to dump.
	for v in /sys/bus/pci/drivers/vfio-pci/[0-9a-f]*:*; do
		[ -e "$v/iommu_group" ] || continue
		for m in "$v"/iommu_group/devices/*; do
			drv=$(basename "$(readlink "$m/driver" 2>/dev/null)")
			if [ -n "$drv" ] && [ "$drv" != vfio-pci ]; then
				say "fdlimit: $(basename "$v") leaves vfio-pci ($(basename "$m") is on $drv)"
				echo "$(basename "$v")" > /sys/bus/pci/drivers/vfio-pci/unbind
				break
			fi
		done
	done
	: > $O/fdlimit/devices
	for v in /sys/bus/pci/drivers/vfio-pci/[0-9a-f]*:*; do
		[ -e "$v/iommu_group" ] || continue
		b=$(basename "$v")
		echo "$b" >> $O/fdlimit/devices
		basename "$(readlink "$v/iommu_group")"
	done | sort -un > $O/fdlimit/groups
	ng=$(wc -l < $O/fdlimit/groups)
	say "fdlimit: $ng groups, $(wc -l < $O/fdlimit/devices) devices on vfio-pci; dump --all under ulimit -n $FDLIMIT_N"
	[ "$ng" -gt $((FDLIMIT_N / 2)) ] ||
		fail "fdlimit: only $ng groups, not more than half of $FDLIMIT_N"
	(
		ulimit -n $FDLIMIT_N || exit 125
		ulimit -n > $O/fdlimit/ulimit
		exec /bin/vfio-info --json ${VFTOKEN:+--vf-token "$VFTOKEN"} dump --all
	) > $O/fdlimit/dump.json 2> $O/fdlimit/dump.json.err
	echo $? > $O/fdlimit/dump.json.rc
	say "fdlimit: dump --all rc=$(cat $O/fdlimit/dump.json.rc)"
	[ "$(cat $O/fdlimit/dump.json.rc)" = 0 ] ||
		fail "fdlimit: dump --all under ulimit -n $FDLIMIT_N exited $(cat $O/fdlimit/dump.json.rc)"
fi
