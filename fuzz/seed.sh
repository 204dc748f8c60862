#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# seed.sh -- (run from a configured build tree) turn every capture in
# tests/captures into fuzzer inputs in fuzz/corpus/: the answers real
# kernels and the adversarial captures gave, in the legacy and cdev flows.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(pwd)
"$top/fuzz/build.sh" "$build" > /dev/null
mkdir -p "$build/fuzz/corpus"
n=0
for c in "$top"/tests/captures/*.json; do
	for m in 0 2; do
		"$build/fuzz/fuzz-seed" "$c" "$build/fuzz/corpus/seed-$(basename "$c" .json)-$m" "$m" \
			2>/dev/null && n=$((n + 1))
	done
done
echo "seed.sh: $n inputs from $top/tests/captures in $build/fuzz/corpus"
