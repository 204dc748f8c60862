#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh [SECONDS] [TARGET...] -- (from a configured build tree) build the
# fuzz targets with clang (fuzz/build.sh) and run each for SECONDS (default
# 300), one after the other, one process on one core.  Each starts from
# its committed corpus (fuzz/corpus/NAME/, read only) and grows
# fuzz/run/NAME/corpus/ of the build tree; crashes, leaks and timeouts land
# in fuzz/run/NAME/crashes/.  Prints a TAP line per target with its execs
# and execs/s; exit status 0 when nothing was found.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(pwd)
secs=${1:-300}
[ $# -gt 0 ] && shift
out=$("$top/fuzz/build.sh" "$build" "$@") || exit $?
targets=${*:-$(cd "$top/fuzz" && ls fuzz-*.c | sed 's/^fuzz-//; s/\.c$//')}
echo "1..$(echo "$targets" | wc -w)"
n=0
fail=0
total=0
for t in $targets; do
	n=$((n + 1))
	dir=$build/fuzz/run/$t
	mkdir -p "$dir/corpus" "$dir/crashes"
	"$out/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$dir/crashes/" \
		"$dir/corpus" "$top/fuzz/corpus/$t" >"$dir/log" 2>&1
	st=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
	found=$(ls "$dir/crashes" | wc -l)
	total=$((total + ${execs:-0}))
	if [ $st -eq 0 ] && [ "$found" -eq 0 ] && [ -n "$execs" ]; then
		echo "ok $n - fuzz-$t: ${execs} execs, ${rate} execs/s, nothing found"
	else
		echo "not ok $n - fuzz-$t: exit status $st, $found finding(s) in $dir/crashes"
		grep -E 'ERROR|SUMMARY|runtime error|#[0-9]+ 0x' "$dir/log" | head -30 | sed 's/^/# /'
		fail=$((fail + 1))
	fi
done
echo "# $total execs in all"
[ "$fail" -eq 0 ]
