#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench/run.sh - cost of `dump --all --json` on captures of 1000 and 4000
# synthetic devices: wall time per info query and peak RSS, and the ratio
# between the two sizes (linear growth gives a ratio near 4).
# Usage: bench/run.sh [BINARY]   (from `make bench`)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../src/vfio-info}
out=${BENCH_DIR:-$(mktemp -d)}
sizes=${BENCH_SIZES:-"1000 4000"}
runs=${BENCH_RUNS:-3}

printf '%-8s %10s %12s %14s %10s\n' devices queries "best s" "us/query" "peak RSS KiB"
declare -A per
for n in $sizes; do
	cap=$out/bench-$n.json
	[ -f "$cap" ] || python3 "$here/gen-capture.py" "$n" "$cap"
	# every ioctl the dump makes appears once in the JSON "negotiation"
	queries=$("$bin" --replay "$cap" --json dump --all | grep -o '"ioctl":' | wc -l)
	best=
	rss=0
	for _ in $(seq "$runs"); do
		/usr/bin/time -f '%e %M' -o "$out/time" "$bin" --replay "$cap" --json dump --all >/dev/null
		read -r t m <"$out/time"
		if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
		[ "$m" -gt "$rss" ] && rss=$m
	done
	us=$(awk "BEGIN{printf \"%.2f\", $best * 1e6 / $queries}")
	per[$n]=$best
	printf '%-8s %10s %12s %14s %10s\n' "$n" "$queries" "$best" "$us" "$rss"
done
set -- $sizes
if [ $# -ge 2 ]; then
	awk "BEGIN{printf \"time ratio %s/%s devices: %.2f (linear: %.2f)\n\", $2, $1, ${per[$2]} / ${per[$1]}, $2 / $1}"
fi
