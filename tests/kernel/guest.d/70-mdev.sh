# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh disable=SC2154
# (sourced by init; say, fail, arg, rl, $O, $HAVE_VI come from there)
#
# Mediated devices: the kernel's sample mdev drivers (mtty, mdpy, mbochs,
# built into the custom kernel) each get one instance, created through
# /sys/class/mdev_bus/PARENT/mdev_supported_types/TYPE/create with a fixed
# UUID, and vfio-info meets them as a user would:
#
#   $O/mdev/sysfs-before, sysfs-after   every parent, type and attribute
#                         (name, description, device_api,
#                         available_instances, devices/) as the guest's
#                         sysfs shows them, before and after the creation
#   $O/mdev/UUID/         per instance: its sysfs view (parent, type,
#                         iommu_group, driver, vfio-dev), and
#     dump.json, dump-legacy.json, dump-cdev.json   dump UUID, by flow
#                         (-cdev only when the default flow is not cdev)
#     capture*.json       capture UUID, by flow (check-replay.py: each
#                         replays to its dump's JSON)
#     dump-syspath.json   dump /sys/bus/mdev/devices/UUID
#     dump-group.json     dump GROUP (legacy: the group's container)
#     doctor.json/.txt    doctor UUID
#     list.json           list --json, live, while the instances exist
#     shell-uart.json     mtty: the UART registers through region 0 (BAR0)
#                         with --write: the scratch register round trip,
#                         LCR, LSR, IER
#     irq-intx.json, irq-msi.json   mtty: irq --loopback --wait 2
#   $O/mdev/list.json, list.txt       list once all instances exist
#
# check-mdev.py holds these against the samples' source and the guest's
# sysfs.  Key: vfiotest_mdev=1 (only kernels with the samples built in).

MDEV=$(arg vfiotest_mdev)

# UUIDs fixed so the captures are stable: one per sample driver.
MDEV_LIST="mtty:mtty-2:83b8f4f2-509f-382f-3c1e-e6bfe0fa1001
mdpy:mdpy-vga:83b8f4f2-509f-382f-3c1e-e6bfe0fa1002
mbochs:mbochs-small:83b8f4f2-509f-382f-3c1e-e6bfe0fa1003"

mdev_sysfs() { # the parents, their types and attributes, as one text file
	for p in /sys/class/mdev_bus/*; do
		[ -e "$p" ] || continue
		echo "parent $(basename "$p") $(readlink -f "$p")"
		for t in "$p"/mdev_supported_types/*; do
			[ -d "$t" ] || continue
			echo "type $(basename "$p") $(basename "$t")"
			for a in name description device_api available_instances; do
				# one line each: description may hold a newline
				[ -r "$t/$a" ] && echo "attr $(basename "$t") $a $(tr '\n' ' ' < "$t/$a" | sed 's/ *$//')"
			done
			for d in "$t"/devices/*; do
				[ -e "$d" ] && echo "device $(basename "$t") $(basename "$d")"
			done
		done
	done
}

mdev_vi() { # OUT ARGS...: vfio-info ARGS > OUT, with .err and .rc
	out=$1; shift
	/bin/vfio-info "$@" > "$out" 2> "$out.err" < /dev/null
	echo $? > "$out.rc"
}

if [ -n "$MDEV" ] && [ -n "$HAVE_VI" ]; then
	M=$O/mdev
	mkdir -p "$M"
	ls /sys/class/mdev_bus > "$M/parents" 2>&1
	mdev_sysfs > "$M/sysfs-before"
	UUIDS=
	for e in $MDEV_LIST; do
		p=${e%%:*} rest=${e#*:}
		t=${rest%%:*} u=${rest#*:}
		c=/sys/class/mdev_bus/$p/mdev_supported_types/$t/create
		if [ ! -e "$c" ]; then
			fail "mdev: no $c"
			continue
		fi
		if echo "$u" > "$c"; then
			say "mdev: created $u ($t on $p)"
			UUIDS="$UUIDS $u"
		else
			fail "mdev: create $u on $t"
		fi
	done
	mdev_sysfs > "$M/sysfs-after"
	mdev_vi "$M/list.json" --json list
	mdev_vi "$M/list.txt" list
	for u in $UUIDS; do
		d=/sys/bus/mdev/devices/$u
		o=$M/$u
		mkdir -p "$o"
		basename "$(readlink -f "$d/..")" > "$o/parent"
		rl "$d/mdev_type" > "$o/mdev_type"
		rl "$d/iommu_group" > "$o/iommu_group"
		rl "$d/driver" > "$o/driver"
		ls "$d/vfio-dev" > "$o/vfio-dev" 2>/dev/null
		g=$(cat "$o/iommu_group")
		for f in default legacy cdev; do
			if [ "$f" = default ]; then fo= sfx=; else fo=--$f sfx=-$f; fi
			[ "$f" = cdev ] && [ ! -s "$o/vfio-dev" ] && continue
			# (the default flow is cdev where the kernel offers one:
			# the same run twice would only cost serial-line time)
			[ "$f" = cdev ] && grep -q '"flow":"cdev"' "$o/dump.json" && continue
			# shellcheck disable=SC2086
			mdev_vi "$o/dump$sfx.json" --json -v $fo dump "$u"
			rm -f "/tmp/$u$sfx.json"
			# shellcheck disable=SC2086
			mdev_vi "$o/capture$sfx.out" -v $fo capture "$u" -o "/tmp/$u$sfx.json"
			cp "$o/capture$sfx.out.rc" "$o/capture$sfx.rc"
			[ -r "/tmp/$u$sfx.json" ] && cp "/tmp/$u$sfx.json" "$o/capture$sfx.json"
			say "mdev: $u $f: dump rc=$(cat "$o/dump$sfx.json.rc") capture rc=$(cat "$o/capture$sfx.rc")"
		done
		mdev_vi "$o/dump-syspath.json" --json -v dump "$d"
		mdev_vi "$o/dump-group.json" --json -v --legacy dump "$g"
		mdev_vi "$o/doctor.json" --json doctor "$u"
		mdev_vi "$o/doctor.txt" doctor "$u"
		say "mdev: $u: syspath rc=$(cat "$o/dump-syspath.json.rc") group $g rc=$(cat "$o/dump-group.json.rc") doctor rc=$(cat "$o/doctor.json.rc")"
	done
	# mtty: the UART through its I/O BAR, and its interrupts
	u=83b8f4f2-509f-382f-3c1e-e6bfe0fa1001
	o=$M/$u
	if [ -d "$o" ]; then
		mdev_vi "$o/shell-uart.json" --json --write shell "$u" \
			-c 'read bar0 7 1' -c 'write bar0 7 0x5a 1' -c 'read bar0 7 1' \
			-c 'write bar0 7 0xa5 1' -c 'read bar0 7 1' \
			-c 'read bar0 3 1' -c 'write bar0 3 0x03 1' -c 'read bar0 3 1' \
			-c 'read bar0 5 1' -c 'read bar0 1 1' -c 'read bar1 7 1'
		mdev_vi "$o/irq-intx.json" --json --write shell "$u" -c 'irq intx --loopback --wait 2'
		mdev_vi "$o/irq-msi.json" --json --write shell "$u" -c 'irq msi --loopback --wait 2'
		say "mdev: mtty shell rc=$(cat "$o/shell-uart.json.rc") intx rc=$(cat "$o/irq-intx.json.rc") msi rc=$(cat "$o/irq-msi.json.rc")"
	fi
fi
