#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/run.sh - what vfio-info costs on hosts with thousands of functions,
# measured in one run on this machine (ratios, not absolute times, are the
# figures to compare between machines):
#
#  1. `dump --all`, JSON and text, replayed on captures of 1024 and 4096
#     synthetic devices (bench/gen-capture.py): info queries, best wall and
#     CPU time, time per query, peak RSS, the 4096/1024 ratios (linear: 4)
#     and the peak RSS each device adds.
#  2. `list` on sysfs trees of 256, 1024 and 4096 functions bound to
#     vfio-pci, one IOMMU group each (bench/gen-host.py, unpacked by
#     tests/tools/make-sysroot.py), read with --sysroot, beside
#     `lspci -nnk -A linux-sysfs -O sysfs.path=DIR/sys/bus/pci` and the
#     passthrough wiki's shell loop (one `lspci -nns` per device) on the
#     same tree.  The loop is timed on its first BENCH_WIKI_GROUPS groups
#     and scaled to all of them (it is linear in groups, each lspci reading
#     the whole tree): it would take hours at 4096.
#  3. System calls per device, from `strace -f -c`, of `list` and
#     `doctor --all` with --sysroot and of lspci -nnk on the 256 tree.
#  With BENCH_BASELINE=OLD_BINARY (a build from before a change), first:
#  `dump --all`, JSON and text, of OLD_BINARY and BINARY compared byte for
#  byte at every dump size; any difference ends the run with status 1.
#
# Usage: bench/run.sh [BINARY]   (from `make bench`)
# Environment: BENCH_DIR (keep the generated files there), BENCH_RUNS (3),
# BENCH_DUMP_SIZES ("1024 4096"), BENCH_LIST_SIZES ("256 1024 4096"),
# BENCH_WIKI_GROUPS (16), BENCH_BASELINE (unset).  No figure here is a
# test: tests check output.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../src/vfio-info}
out=${BENCH_DIR:-$(mktemp -d)}
runs=${BENCH_RUNS:-3}
dump_sizes=${BENCH_DUMP_SIZES:-"1024 4096"}
list_sizes=${BENCH_LIST_SIZES:-"256 1024 4096"}
wiki_groups=${BENCH_WIKI_GROUPS:-16}
mkdir -p "$out"
export LC_ALL=C

echo "vfio-info bench: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "(wall: best of $runs runs; cpu: user+system of that run)"
declare -A queries

# ---- 0. the same output as the baseline binary ----
if [ -n "${BENCH_BASELINE:-}" ]; then
	echo
	echo "== dump --all: $bin against $BENCH_BASELINE"
	differ=
	for n in $dump_sizes; do
		cap=$out/bench-$n.json
		[ -f "$cap" ] || python3 "$here/gen-capture.py" "$n" "$cap"
		for fopt in --json ""; do
			# shellcheck disable=SC2086
			"$BENCH_BASELINE" --replay "$cap" $fopt dump --all >"$out/base.out" 2>&1 || true
			# shellcheck disable=SC2086
			"$bin" --replay "$cap" $fopt dump --all >"$out/new.out" 2>&1 || true
			if cmp -s "$out/base.out" "$out/new.out"; then
				echo "$n devices ${fopt:-text}: identical ($(wc -c <"$out/new.out") bytes)"
			else
				echo "$n devices ${fopt:-text}: DIFFERENT"
				differ=1
			fi
		done
	done
	rm -f "$out/base.out" "$out/new.out"
	[ -z "$differ" ] || exit 1
fi

# best_of CMD...: sets t_wall, t_cpu (s) and rss (KiB, the largest seen)
best_of() {
	t_wall= t_cpu= rss=0
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %U %S %M' -o "$out/time" "$@" >/dev/null 2>"$out/stderr" || true
		read -r w u s m < <(tail -n 1 "$out/time")
		if [ -z "$t_wall" ] || awk "BEGIN{exit !($w < $t_wall)}"; then
			t_wall=$w
			t_cpu=$(awk "BEGIN{printf \"%.2f\", $u + $s}")
		fi
		if [ "$m" -gt "$rss" ]; then rss=$m; fi
	done
}

ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"-\" }"; }

# ---- 1. dump --all on replayed captures, JSON and text ----
declare -A dwall dcpu drss
for fmt in json text; do
	fopt=; [ "$fmt" = json ] && fopt=--json
	echo
	echo "== dump --all ($fmt, replay)"
	printf '%-8s %8s %8s %8s %10s %10s %12s\n' devices queries "wall s" "cpu s" "us/q wall" "us/q cpu" "peak RSS KiB"
	for n in $dump_sizes; do
		cap=$out/bench-$n.json
		[ -f "$cap" ] || python3 "$here/gen-capture.py" "$n" "$cap"
		# every ioctl the dump makes appears once in the JSON "negotiation"
		[ -n "${queries[$n]:-}" ] ||
			queries[$n]=$("$bin" --replay "$cap" --json dump --all | grep -o '"ioctl":' | wc -l)
		q=${queries[$n]}
		# shellcheck disable=SC2086
		best_of "$bin" --replay "$cap" $fopt dump --all
		dwall[$fmt$n]=$t_wall dcpu[$fmt$n]=$t_cpu drss[$fmt$n]=$rss
		printf '%-8s %8s %8s %8s %10s %10s %12s\n' "$n" "$q" "$t_wall" "$t_cpu" \
			"$(awk "BEGIN{printf \"%.1f\", $t_wall * 1e6 / $q}")" \
			"$(awk "BEGIN{printf \"%.1f\", $t_cpu * 1e6 / $q}")" "$rss"
	done
	set -- $dump_sizes
	if [ $# -ge 2 ]; then
		echo "ratio $2/$1 devices: wall $(ratio "${dwall[$fmt$2]}" "${dwall[$fmt$1]}"), cpu $(ratio "${dcpu[$fmt$2]}" "${dcpu[$fmt$1]}"), peak RSS $(ratio "${drss[$fmt$2]}" "${drss[$fmt$1]}") (linear: $(ratio "$2" "$1"); target: time within 4.4)"
		echo "RSS growth per device: $(awk "BEGIN{printf \"%.1f\", (${drss[$fmt$2]} - ${drss[$fmt$1]}) / ($2 - $1)}") KiB (target: under 8); peak at $2: $(awk "BEGIN{printf \"%.1f\", ${drss[$fmt$2]} / 1024}") MiB (target: under 64); per query (cpu) target: at most 20 us"
	fi
done

# ---- 2. list on sysfs trees ----
echo
echo "== list --sysroot vs lspci -nnk vs the wiki loop (same tree)"
mknod_ok=
[ "$(id -u)" = 0 ] || mknod_ok=--no-dev
have_lspci=
command -v lspci >/dev/null 2>&1 && have_lspci=1
printf '%-8s %8s %8s %8s %8s %10s %12s %10s %10s\n' devices "vi wall" "vi cpu" "lspci w" "lspci c" "wiki w" "wiki cpu" "vi/lspci" "wiki/vi"
wiki_loop() {
	# the Arch wiki's "ensuring that the groups are valid" loop, at DIR
	local dir=$1 max=$2 g d
	for g in $(find "$dir"/sys/kernel/iommu_groups/* -maxdepth 0 -type d | sort -V | head -n "$max"); do
		echo "IOMMU Group ${g##*/}:"
		for d in "$g"/devices/*; do
			echo -e "\t$(lspci -A linux-sysfs -O sysfs.path="$dir"/sys/bus/pci -nns "${d##*/}")"
		done
	done
}
export -f wiki_loop
for n in $list_sizes; do
	host=$out/host-$n.json tree=$out/tree-$n
	[ -f "$host" ] || python3 "$here/gen-host.py" "$n" "$host"
	[ -d "$tree" ] || python3 "$here/../tests/tools/make-sysroot.py" $mknod_ok "$host" "$tree"
	best_of "$bin" --sysroot "$tree" list
	vw=$t_wall vc=$t_cpu
	lw=- lc=- ww=- wc=-
	if [ -n "$have_lspci" ]; then
		best_of lspci -nnk -A linux-sysfs -O sysfs.path="$tree/sys/bus/pci"
		lw=$t_wall lc=$t_cpu
		k=$wiki_groups
		[ "$k" -gt "$n" ] && k=$n
		runs_saved=$runs runs=1
		best_of bash -c 'wiki_loop "$1" "$2"' wiki "$tree" "$k"
		runs=$runs_saved
		ww=$(awk "BEGIN{printf \"%.1f\", $t_wall * $n / $k}")
		wc=$(awk "BEGIN{printf \"%.1f\", $t_cpu * $n / $k}")
	fi
	printf '%-8s %8s %8s %8s %8s %10s %12s %10s %10s\n' "$n" "$vw" "$vc" "$lw" "$lc" "$ww" "$wc" \
		"$( [ "$lw" = - ] && echo - || ratio "$vw" "$lw")" \
		"$( [ "$ww" = - ] && echo - || ratio "$ww" "$vw")"
done
echo "(wiki: timed on its first $wiki_groups groups and scaled; goal: vi/lspci <= 1, wiki/vi >= 100)"

# ---- 3. system calls per device ----
echo
echo "== system calls per device (strace -f -c, first list size)"
set -- $list_sizes
n=$1 tree=$out/tree-$1
if command -v strace >/dev/null 2>&1; then
	calls() {
		strace -f -c -o "$out/strace" "$@" >/dev/null 2>&1 || true
		awk '$NF == "total" { print $4 }' "$out/strace"
	}
	for what in list "doctor --all"; do
		# shellcheck disable=SC2086
		c=$(calls "$bin" --sysroot "$tree" $what)
		printf '%-22s %8s calls %8s per device\n' "vfio-info $what" "$c" \
			"$(awk "BEGIN{printf \"%.1f\", $c / $n}")"
	done
	if [ -n "$have_lspci" ]; then
		c=$(calls lspci -nnk -A linux-sysfs -O sysfs.path="$tree/sys/bus/pci")
		printf '%-22s %8s calls %8s per device\n' "lspci -nnk" "$c" \
			"$(awk "BEGIN{printf \"%.1f\", $c / $n}")"
	fi
else
	echo "strace not installed"
fi
