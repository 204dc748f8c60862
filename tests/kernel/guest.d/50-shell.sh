# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=sh
#
# Guest stage (sourced by init after the common part): `vfio-info shell`,
# read-only, on every device bound to vfio-pci.  check-shell.py holds the
# results against QEMU's emulated registers and against lspci.
#
# For each device, under $O/shell/BDF/:
#   ids             vendor:device from sysfs
#   regs.*          NVMe (1b36:0010) / e1000e (8086:10d3) only: BAR0
#                   registers read with -c (JSON Lines, stderr, exit status)
#   refuse.*        NVMe only: a write without --write must be refused
#                   before any system call (exit 4), then VS read again
#   cfg-c.*         `config` and `dump config` given with -c
#   session.*       the same commands on standard input (plain lines), and
#                   while that shell holds the device open:
#   lspci-vvvnn     lspci -vvv -nn, lspci-vvv, lspci-xxxx, and config-phys
#                   (the sysfs config file) -- the host's view of config
#                   space in the same power state as the shell's (vfio-pci
#                   keeps an unused function in D3hot and wakes it on open)
#   *.rc            the shell's exit status
# Needs no kernel command-line key.

shell_stage_wait_lines() { # FILE N SECONDS: until FILE has N lines
	_i=0
	while [ "$(wc -l < "$1" 2>/dev/null || echo 0)" -lt "$2" ]; do
		_i=$((_i + 1))
		[ "$_i" -gt "$3" ] && return 1
		sleep 1
	done
	return 0
}

shell_stage() {
	# shellcheck disable=SC3043  # busybox ash has local
	local b d o ids opts csz
	if [ -z "$HAVE_VI" ]; then
		say "shell stage: no /bin/vfio-info"
		return 0
	fi
	for b in $BDFS; do
		d=/sys/bus/pci/devices/$b
		[ "$(rl "$d/driver")" = vfio-pci ] || continue
		o=$O/shell/$b
		mkdir -p "$o"
		ids="$(cat "$d/vendor"):$(cat "$d/device")"
		echo "$ids" > "$o/ids"
		csz=$(stat -c %s "$d/config")
		# vi_opts without -v: the shell's output is per command
		opts=$(vi_opts "$b" | sed 's/ -v / /')

		case $ids in
		0x1b36:0x0010)
			# CAP (8 bytes and as two dwords), VS, INTMS, CC, CSTS,
			# CMBLOC, CMBSZ, and the first 64 bytes as a hexdump
			set -- -c 'read bar0 0 8' -c 'read bar0 0 4' -c 'read bar0 4 4' \
				-c 'read bar0 8 4' -c 'read bar0 0xc 4' -c 'read bar0 0x14 4' \
				-c 'read bar0 0x1c 4' -c 'read bar0 0x38 4' -c 'read bar0 0x3c 4' \
				-c 'dump bar0 0 64' ;;
		0x8086:0x10d3)
			# CTRL, STATUS, receive address 0 (low, high); none of
			# these has a side effect on read (unlike ICR)
			set -- -c 'read bar0 0 4' -c 'read bar0 8 4' \
				-c 'read bar0 0x5400 4' -c 'read bar0 0x5404 4' -c 'dump bar0 0 16' ;;
		*)
			set -- ;;
		esac
		if [ $# -gt 0 ]; then
			# shellcheck disable=SC2086
			timeout 120 /bin/vfio-info $opts shell "$b" "$@" > "$o/regs.jsonl" 2> "$o/regs.err"
			echo $? > "$o/regs.rc"
		fi
		if [ "$ids" = 0x1b36:0x0010 ]; then
			# VS is read-only in the controller: even a write that got
			# through would change nothing, but it must not get through.
			# shellcheck disable=SC2086
			timeout 120 /bin/vfio-info $opts shell "$b" -c 'write bar0 8 0' \
				> "$o/refuse.jsonl" 2> "$o/refuse.err"
			echo $? > "$o/refuse.rc"
			# shellcheck disable=SC2086
			timeout 120 /bin/vfio-info $opts shell "$b" -c 'read bar0 8 4' \
				> "$o/refuse-after.jsonl" 2>> "$o/refuse.err"
		fi

		# shellcheck disable=SC2086
		timeout 120 /bin/vfio-info $opts shell "$b" -c config -c "dump config 0 $csz" \
			> "$o/cfg-c.jsonl" 2> "$o/cfg-c.err"
		echo $? > "$o/cfg-c.rc"

		# The same as plain lines on standard input.  The writing side of
		# the pipe waits for both answers, so lspci looks while this shell
		# holds the device open, then sends quit.  (A pipe, not a FIFO
		# opened with exec: an open interrupted by SIGCHLD would make the
		# exec fail, and a failed exec redirection ends PID 1.)
		: > "$o/session.jsonl"
		rm -f "$o/session.nolspci"
		{
			printf '# read-only session\nconfig\ndump config 0 %s\n' "$csz"
			if shell_stage_wait_lines "$o/session.jsonl" 2 120; then
				if command -v lspci > /dev/null; then
					lspci -vvv -nn -s "$b" > "$o/lspci-vvvnn" 2> "$o/lspci.err"
					lspci -vvv -s "$b" > "$o/lspci-vvv" 2>> "$o/lspci.err"
					lspci -xxxx -s "$b" > "$o/lspci-xxxx" 2>> "$o/lspci.err"
				fi
				cat "$d/config" > "$o/config-phys"
			else
				echo "no answer to config within 120s" > "$o/session.nolspci"
			fi
			echo quit
		} | {
			# shellcheck disable=SC2086
			timeout 180 /bin/vfio-info $opts shell "$b" > "$o/session.jsonl" 2> "$o/session.err"
			echo $? > "$o/session.rc"
		}
		[ -e "$o/session.nolspci" ] && fail "shell stage: $b: $(cat "$o/session.nolspci")"
		say "shell $b ($ids): regs rc=$(cat "$o/regs.rc" 2>/dev/null || echo -)" \
			"cfg-c rc=$(cat "$o/cfg-c.rc") session rc=$(cat "$o/session.rc")"
	done
}
shell_stage
