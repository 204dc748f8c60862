#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run.sh [SECONDS] -- build (if needed) and run the hostile-kernel fuzzer for
# SECONDS (default 300) on one core; the corpus grows in fuzz/corpus/ of the
# build tree, crashes land in fuzz/crashes/.  Exit status 0: nothing found.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(pwd)
secs=${1:-300}
bin=$("$top/fuzz/build.sh" "$build")
mkdir -p "$build/fuzz/corpus" "$build/fuzz/crashes"
exec "$bin" -max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$build/fuzz/crashes/" -print_final_stats=1 "$build/fuzz/corpus"
