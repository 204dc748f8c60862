# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh disable=SC2154
# (sourced by init; say, fail, rl, $O, $BDFS, $PNAMES, $VFTOKEN, $HAVE_VI come from there)
#
# The shell's side-effecting `irq` and its `config --physical/--diff`
# against the real vfio-pci, for every bound PCI device of the scenario:
#
#   $O/irq/BDF/NAME.json      irq NAME --loopback (every vector), --write
#                             for NAME in intx, msi, msix
#   $O/irq/BDF/msix-wait.json irq msix --wait 2 (no loopback), while
#   $O/irq/BDF/msix-proc      /proc/interrupts is read from outside
#   $O/irq/BDF/after-proc     /proc/interrupts once the shell has gone
#   $O/irq/BDF/session.json   one shell session, one JSON line per command:
#                             dump config (the VFIO view, raw), config
#                             --diff, config --physical
#   $O/irq/BDF/physical.bin   sysfs config, read while that session had the
#                             device open
#
#   $O/irq/NAME/irqN.json     platform/AMBA devices: irq N --loopback, N = 0, 1
#
# check-irq.py holds these against the kernel: every loopback vector
# counted once, the vectors in /proc/interrupts while set up and gone
# after, and the diff against the two raw views (lspci -xxxx is sysfs's).
# Only devices on vfio-pci in a group with an IOMMU or noiommu: no key.

irq_tok() { # a VF whose PF is on vfio-pci is opened with the token
	if [ -n "$VFTOKEN" ] && [ -e "/sys/bus/pci/devices/$1/physfn" ]; then
		echo "--vf-token $VFTOKEN"
	fi
}

irq_run() { # BDF OUT ARGS...: one shell command, JSON, writes allowed
	b=$1 out=$2; shift 2
	# (stdin is the console, a terminal: the shell would ask to confirm)
	# shellcheck disable=SC2046
	/bin/vfio-info --json --write $(irq_tok "$b") shell "$b" -c "$*" < /dev/null \
		> "$out" 2> "$out.err"
	echo $? > "$out.rc"
}

if [ -n "$HAVE_VI" ]; then
	for b in $BDFS; do
		d=/sys/bus/pci/devices/$b
		[ "$(rl "$d/driver")" = vfio-pci ] || continue
		o=$O/irq/$b
		mkdir -p "$o"
		for n in intx msi msix; do
			say "irq/diff $b: irq $n --loopback"
			irq_run "$b" "$o/$n.json" irq $n --loopback --wait 2
		done
		say "irq/diff $b: irq msix --wait 2"
		# without loopback: the MSI-X vectors must be in the host's
		# /proc/interrupts while set up (read from outside), and gone after
		# shellcheck disable=SC2046
		/bin/vfio-info --json --write $(irq_tok "$b") shell "$b" -c "irq msix --wait 2" < /dev/null \
			> "$o/msix-wait.json" 2> "$o/msix-wait.json.err" &
		p=$!
		# sample once the vectors have appeared (starting the tool under
		# TCG may take longer than any fixed sleep; a short pause lets the
		# one SET_IRQS call finish), or give up when the shell has ended
		while kill -0 $p 2>/dev/null; do
			grep -q "vfio-msix.*($b)" /proc/interrupts && { sleep 0.3; break; }
			sleep 0.1
		done
		grep vfio /proc/interrupts > "$o/msix-proc"
		wait $p
		echo $? > "$o/msix-wait.json.rc"
		grep vfio /proc/interrupts > "$o/after-proc"
		# One session, fed through a pipe: the raw VFIO view, then the
		# host's sysfs view read from outside while the device is open in
		# the same state, then what the shell makes of the difference.
		say "irq/diff $b: config session"
		: > "$o/session.json"
		{
			echo "dump config 0 $(stat -c %s "$d/config")"
			i=0
			while [ "$(wc -l < "$o/session.json")" -lt 1 ] && [ $i -lt 100 ]; do
				sleep 0.1; i=$((i + 1))
			done
			cat "$d/config" > "$o/physical.bin"
			echo "config --diff"
			echo "config --physical"
		} | /bin/vfio-info --json $(irq_tok "$b") shell "$b" > "$o/session.json" \
			2> "$o/session.err"
		echo $? > "$o/session.rc"
		say "irq/diff $b: msix rc=$(cat "$o/msix.json.rc") session rc=$(cat "$o/session.rc")"
	done
	# platform/AMBA devices (arm64 virt): irq by index, loopback
	for n in $PNAMES; do
		o=$O/irq/$n
		mkdir -p "$o"
		for i in 0 1; do
			say "irq/diff $n: irq $i --loopback"
			irq_run "$n" "$o/irq$i.json" irq $i --loopback --wait 2
		done
	done
fi
