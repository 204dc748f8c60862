#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# collect-captures.sh [SCENARIO...] -- copy the captures vfio-info took in the
# guests of the latest run of each scenario into
# tests/captures/kernel-<scenario>-<bdf>[-<flow>].json, the mdevs' into
# tests/captures/kernel-custom-<mtty|mdpy|mbochs>[-<flow>].json, and the host
# cases' captures (capture --host) into tests/captures/kernel-host-<case>.json.  Which ones get
# committed is up to the maintainer; this only copies (and says what).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DEST=${DEST:-$SRCROOT/tests/captures}
mkdir -p "$DEST"
scen=("$@")
if [ ${#scen[@]} -eq 0 ]; then
	for d in "$KC"/runs/*/latest; do
		[ -e "$d" ] && scen+=("$(basename "$(dirname "$d")")")
	done
fi
n=0
for s in "${scen[@]}"; do
	run=$KC/runs/$s/latest
	[ -d "$run/guest" ] || { log "$s: no run with guest results"; continue; }
	# PCI devices (guest/dev/BDF) and platform/AMBA devices (guest/pdev/NAME)
	for f in "$run"/guest/dev/*/capture*.json "$run"/guest/pdev/*/capture*.json; do
		[ -e "$f" ] || continue
		bdf=$(basename "$(dirname "$f")")
		flow=$(basename "$f" .json)
		flow=${flow#capture}
		# Colons are awkward in file names (make, Windows checkouts).
		out=$DEST/kernel-$s-${bdf//:/-}$flow.json
		python3 -m json.tool "$f" > /dev/null || { log "skipping invalid JSON $f"; continue; }
		cp "$f" "$out"
		echo "$out"
		n=$((n + 1))
	done
	# mediated devices (guest.d/70-mdev.sh): named by their sample driver,
	# kernel-custom-mtty[-flow].json (the scenario's kernel is the custom one)
	for f in "$run"/guest/mdev/*/capture*.json; do
		[ -e "$f" ] || continue
		drv=$(cut -d- -f1 < "$(dirname "$f")/mdev_type" 2>/dev/null || true)
		case $drv in mtty|mdpy|mbochs) ;; *) log "skipping $f: type $drv"; continue ;; esac
		flow=$(basename "$f" .json)
		flow=${flow#capture}
		out=$DEST/kernel-custom-$drv$flow.json
		python3 -m json.tool "$f" > /dev/null || { log "skipping invalid JSON $f"; continue; }
		cp "$f" "$out"
		echo "$out"
		n=$((n + 1))
	done
	# host set-ups (guest.d/80-host.sh): capture --host of each case
	for f in "$run"/guest/host/*/capture.json; do
		[ -e "$f" ] || continue
		out=$DEST/kernel-host-$(basename "$(dirname "$f")").json
		python3 -m json.tool "$f" > /dev/null || { log "skipping invalid JSON $f"; continue; }
		cp "$f" "$out"
		echo "$out"
		n=$((n + 1))
	done
done
log "$n captures copied to $DEST"
