#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# seed.sh [TARGET...] -- (from a configured build tree) refresh the
# committed corpora fuzz/corpus/NAME/: fresh seeds from the test data
# (tests/captures, tests/shell, tests/pci.ids: fuzz-seed and
# fuzz-host-seed record what replayed captures answer, seed-text.py cuts
# the text inputs), what `make fuzz` found in fuzz/run/NAME/corpus/, and
# the corpus itself, merged with libFuzzer's -merge=1 so only inputs that
# add coverage stay.  Review `git status fuzz/corpus` before committing.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(pwd)
out=$("$top/fuzz/build.sh" "$build" "$@")
targets=${*:-$(cd "$top/fuzz" && ls fuzz-*.c | sed 's/^fuzz-//; s/\.c$//')}
seed=$build/fuzz/seed
rm -rf "$seed"
mkdir -p "$seed/capture" "$seed/kernel" "$seed/host"
cp "$top"/tests/captures/*.json "$top"/tests/shell/*.json "$seed/capture/"
for c in "$top"/tests/captures/*.json "$top"/tests/shell/*.json; do
	b=$(basename "$c" .json)
	# kernel: legacy and cdev flow in text, JSON (40) and verbose text (82)
	for m in 0 2 40 82; do
		"$out/fuzz-seed" "$c" "$seed/kernel/$b-$m" "$m" 2>/dev/null || rm -f "$seed/kernel/$b-$m"
	done
	# list and doctor: text, JSON, doctor --all, and each operand kind
	for m in 0 1 4 5 21 37 53 69 133 197; do
		"$out/fuzz-host-seed" "$c" "$seed/host/$b-$m" "$m" 2>/dev/null || rm -f "$seed/host/$b-$m"
	done
done
python3 "$top/fuzz/seed-text.py" "$top" "$seed"
for t in $targets; do
	new=$top/fuzz/corpus/$t.new
	rm -rf "$new"
	mkdir -p "$new" "$top/fuzz/corpus/$t" "$seed/$t" "$build/fuzz/run/$t/corpus"
	"$out/fuzz-$t" -merge=1 -timeout=10 -rss_limit_mb=2048 "$new" \
		"$top/fuzz/corpus/$t" "$seed/$t" "$build/fuzz/run/$t/corpus" >"$seed/$t.merge.log" 2>&1 ||
		{ tail -20 "$seed/$t.merge.log"; exit 1; }
	rm -rf "$top/fuzz/corpus/$t"
	mv "$new" "$top/fuzz/corpus/$t"
	echo "seed.sh: fuzz/corpus/$t: $(ls "$top/fuzz/corpus/$t" | wc -l) inputs," \
		"$(du -sk "$top/fuzz/corpus/$t" | cut -f1) KiB"
done
