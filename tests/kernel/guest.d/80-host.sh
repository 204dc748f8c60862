# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh disable=SC2154
# (sourced by init; say, fail, arg, bind_vfio, $O, $BDFS, $HAVE_VI come from there)
#
# Host set-ups that go wrong, for `list` and `doctor`.  Each case changes
# the guest into one broken state, then records, live:
#   capture --host TARGET   (what list and doctor read, for replay on the host)
#   list, list --json, doctor TARGET, doctor --json TARGET,
#   doctor --all, doctor --json --all, doctor --probe --json TARGET
# under $O/host/CASE/ (with .rc and .err files).  check-host.py replays each
# capture and requires the same output, then checks each case's verdicts.
#
# Key: vfiotest_hostcases=CASE,CASE  (run in the order given)
#   ok             nothing broken: the first device, as it was bound
#   iommufd        nothing broken, the first device named by its cdev node
#                  (/dev/vfio/devices/vfioN): the iommufd path
#   busy           a process holds the NVMe's group node open
#   perm           the NVMe's group node is root-only; run as uid 1000
#   vf-token       the first VF of the vfio-pci PF (token set, not given)
#   group-blocked  e1000 behind a conventional PCI bridge on vfio-pci, its
#                  group sibling (virtio-rng) on virtio-pci
#   native-driver  the e1000e unbound from vfio-pci and bound to e1000e
#   noiommu        the first device, in a noiommu group
#   no-iommu       noiommu mode switched off, the first device unbound and
#                  bound to vfio-pci again: without an IOMMU the bind fails
#   vm-nomodule    the same guest as no-iommu (a VM without an IOMMU), booted
#                  with `nomodule`: module loading is disabled
#   default-route  the e1000e on its native driver carries the guest's only
#                  address and its default route (a remedy that unbinds it
#                  takes the network away)
# Native drivers are modules listed in /etc/modules.extra (mkinitrd.sh
# --extra-mod), loaded only here.

HOSTCASES=$(arg vfiotest_hostcases | tr , ' ')

# BDF of the first PCI function with vendor:device $1 (0x-less, lower case)
hc_find() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat "$d/vendor"):$(cat "$d/device")" = "0x${1%%:*}:0x${1#*:}" ] || continue
		basename "$d"
		return 0
	done
	return 1
}

hc_modules() { # load the extra modules (once)
	[ -n "$HC_MODS_DONE" ] && return 0
	HC_MODS_DONE=1
	[ -r /etc/modules.extra ] || return 0
	while read -r f; do
		[ -n "$f" ] || continue
		if insmod /lib/modules/$f; then say "insmod $f ok"; else fail "insmod $f"; fi
	done < /etc/modules.extra
}

hc_unbind() {
	d=/sys/bus/pci/devices/$1
	[ -e "$d/driver" ] && echo "$1" > "$d/driver/unbind"
}

# hc_record CASE TARGET [uid]: run the set of commands (as uid 1000 if asked)
hc_record() {
	c=$1 t=$2 who=${3:-}
	d=$O/host/$c
	mkdir -p "$d"
	echo "$t" > "$d/target"
	echo "${who:-0}" > "$d/uid"
	hc_run() { # NAME ARGS...: one vfio-info run, stdout/stderr/rc kept
		n=$1; shift
		if [ -n "$who" ]; then
			su -s /bin/sh vfiouser -c "/bin/vfio-info $*" > "$d/$n" 2> "$d/$n.err"
		else
			# shellcheck disable=SC2068
			/bin/vfio-info $@ > "$d/$n" 2> "$d/$n.err"
		fi
		echo $? > "$d/$n.rc"
	}
	rm -f /tmp/hc.json
	hc_run capture.out capture --host "$t" -o /tmp/hc.json
	[ -r /tmp/hc.json ] && cp /tmp/hc.json "$d/capture.json"
	hc_run list.txt list
	hc_run list.json --json list
	hc_run doctor.txt doctor "$t"
	hc_run doctor.json --json doctor "$t"
	hc_run doctor-all.txt doctor --all
	hc_run doctor-all.json --json doctor --all
	hc_run probe.json --json doctor --probe "$t"
	ls -l /dev/vfio /dev/vfio/devices > "$d/nodes" 2>&1
	# the guest's own view, for the host to check list against:
	# BDF driver group, one line per PCI function
	for f in /sys/bus/pci/devices/*; do
		echo "$(basename "$f") $(rl "$f/driver") $(rl "$f/iommu_group")"
	done > "$d/pci-facts"
	cat /sys/module/vfio/parameters/enable_unsafe_noiommu_mode > "$d/noiommu-param" 2>/dev/null
	say "hostcase $c target=$t doctor rc=$(cat "$d/doctor.txt.rc") probe rc=$(cat "$d/probe.json.rc")"
}

hc_ok() { hc_record ok "${BDFS%% *}"; }

hc_iommufd() {
	b=${BDFS%% *}
	cd=$(ls /sys/bus/pci/devices/$b/vfio-dev 2>/dev/null | head -1)
	[ -c "/dev/vfio/devices/$cd" ] || { fail "hostcase iommufd: $b has no cdev node"; return; }
	hc_record iommufd "/dev/vfio/devices/$cd"
}

hc_busy() {
	b=$(hc_find 1b36:0010) || { fail "hostcase busy: no NVMe"; return; }
	g=$(rl /sys/bus/pci/devices/$b/iommu_group)
	n=/dev/vfio/$g
	[ -c "$n" ] || n=/dev/vfio/noiommu-$g
	# a long sleep holding the group node open, as a VMM would
	sleep 600 3<>"$n" &
	holder=$!
	sleep 1
	echo "$holder" > $O/host-busy-pid
	hc_record busy "$b"
	kill "$holder"
	wait "$holder" 2>/dev/null
}

hc_perm() {
	b=$(hc_find 1b36:0010) || { fail "hostcase perm: no NVMe"; return; }
	g=$(rl /sys/bus/pci/devices/$b/iommu_group)
	for n in /dev/vfio/$g /dev/vfio/noiommu-$g; do
		[ -c "$n" ] && chown 0:0 "$n" && chmod 0600 "$n"
	done
	hc_record perm "$b" 1000
}

hc_vf_token() {
	pf=${SRIOV%:*}
	vf=$(rl /sys/bus/pci/devices/$pf/virtfn0)
	[ -n "$vf" ] || { fail "hostcase vf-token: no VF of $pf"; return; }
	hc_record vf-token "$vf"
	# with the token the kernel opens it
	/bin/vfio-info --json --vf-token "$VFTOKEN" doctor --probe "$vf" \
		> $O/host/vf-token/probe-token.json 2> $O/host/vf-token/probe-token.json.err
	echo $? > $O/host/vf-token/probe-token.json.rc
}

hc_group_blocked() {
	b=$(hc_find 8086:100e) || { fail "hostcase group-blocked: no e1000 behind the bridge"; return; }
	bind_vfio "$b" || return
	hc_modules
	r=$(hc_find 1af4:1005) || r=$(hc_find 1af4:1044) ||
		{ fail "hostcase group-blocked: no virtio-rng"; return; }
	[ -e /sys/bus/pci/devices/$r/driver ] || echo "$r" > /sys/bus/pci/drivers_probe
	say "group-blocked: $b on $(rl /sys/bus/pci/devices/$b/driver), $r on $(rl /sys/bus/pci/devices/$r/driver), group $(rl /sys/bus/pci/devices/$b/iommu_group)"
	hc_record group-blocked "$b"
}

hc_native_driver() {
	b=$(hc_find 8086:10d3) || { fail "hostcase native-driver: no e1000e"; return; }
	hc_modules
	d=/sys/bus/pci/devices/$b
	hc_unbind "$b"
	echo > "$d/driver_override"
	echo "$b" > /sys/bus/pci/drivers_probe
	say "native-driver: $b on $(rl "$d/driver")"
	hc_record native-driver "$b"
}

hc_noiommu() { hc_record noiommu "${BDFS%% *}"; }

hc_no_iommu() {
	p=/sys/module/vfio/parameters/enable_unsafe_noiommu_mode
	for b in $BDFS; do hc_unbind "$b"; done
	echo N > "$p" || fail "hostcase no-iommu: cannot clear $p"
	b=${BDFS%% *}
	# the probe fails without an IOMMU group: the device stays unbound
	echo "$b" > /sys/bus/pci/drivers/vfio-pci/bind 2>/dev/null
	say "no-iommu: noiommu=$(cat "$p"), $b driver '$(rl /sys/bus/pci/devices/$b/driver)'"
	hc_record no-iommu "$b"
}

hc_vm_nomodule() {
	b=${BDFS%% *}
	d=$O/host/vm-nomodule
	mkdir -p "$d"
	# what doctor reads to know where it runs, as the guest sees it
	cat /proc/sys/kernel/modules_disabled > "$d/modules_disabled" 2>/dev/null
	cat /sys/class/dmi/id/sys_vendor > "$d/sys_vendor" 2>/dev/null
	grep -m1 '^flags' /proc/cpuinfo > "$d/cpu-flags" 2>/dev/null
	cat /proc/cmdline > "$d/cmdline"
	say "vm-nomodule: modules_disabled=$(cat "$d/modules_disabled"), $b driver '$(rl /sys/bus/pci/devices/$b/driver)'"
	hc_record vm-nomodule "$b"
}

hc_default_route() {
	b=$(hc_find 8086:10d3) || { fail "hostcase default-route: no e1000e"; return; }
	hc_modules
	dv=/sys/bus/pci/devices/$b
	if [ "$(rl "$dv/driver")" != e1000e ]; then
		hc_unbind "$b"
		echo > "$dv/driver_override"
		echo "$b" > /sys/bus/pci/drivers_probe
	fi
	ifc=$(ls "$dv/net" 2>/dev/null | head -1)
	[ -n "$ifc" ] || { fail "hostcase default-route: $b has no network interface"; return; }
	d=$O/host/default-route
	mkdir -p "$d"
	ip link set "$ifc" up
	ip addr add 10.0.2.15/24 dev "$ifc"
	ip route add default via 10.0.2.2 dev "$ifc" || ip route add default dev "$ifc"
	echo "$ifc" > "$d/iface"
	ls /sys/class/net > "$d/netdevs"
	cat /proc/net/route > "$d/route"
	say "default-route: $b ($(rl "$dv/driver")) is $ifc; routes: $(ip route | tr '\n' ';')"
	hc_record default-route "$b"
}

if [ -n "$HAVE_VI" ] && [ -n "$HOSTCASES" ]; then
	for c in $HOSTCASES; do
		case $c in
		ok) hc_ok ;;
		iommufd) hc_iommufd ;;
		busy) hc_busy ;;
		perm) hc_perm ;;
		vf-token) hc_vf_token ;;
		group-blocked) hc_group_blocked ;;
		native-driver) hc_native_driver ;;
		noiommu) hc_noiommu ;;
		no-iommu) hc_no_iommu ;;
		vm-nomodule) hc_vm_nomodule ;;
		default-route) hc_default_route ;;
		*) fail "unknown host case $c" ;;
		esac
	done
	echo "$HOSTCASES" > $O/hostcases
fi
