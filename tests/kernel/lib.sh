# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=bash disable=SC2034,SC1090
# (variables here are used by the scripts that source this file)
# Shared helpers for the real-kernel harness (sourced, not executed).
#
# Everything downloaded or built lives in the cache directory, outside the
# source tree, so that a second run downloads and builds nothing.

KC=${VFIO_INFO_KCACHE:-/var/cache/vfio-info-kernel}
KDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRCROOT=$(cd "$KDIR/../.." && pwd)

# Resolved package names/paths are recorded here by fetch.sh; every other
# script only reads it, so versions stay fixed until the cache is refreshed.
KENV=$KC/env.sh

# Scenarios that may skip under CI (CI=true) when they cannot run; every
# other one fails the run instead (run-scenario.sh, kernel.test).  Keep the
# README's list of optional scenarios in step.
OPTIONAL_SCENARIOS=${VFIO_INFO_KOPTIONAL-}
is_optional() { case " $OPTIONAL_SCENARIOS " in *" $1 "*) return 0 ;; esac; return 1; }

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

load_env() {
	[ -r "$KENV" ] && . "$KENV"
	return 0
}

# Record KEY=VALUE in $KENV (replacing an older value of KEY).
set_env() {
	local key=$1 val=$2
	mkdir -p "$KC"
	touch "$KENV"
	grep -v "^$key=" "$KENV" > "$KENV.tmp" || true
	printf '%s=%q\n' "$key" "$val" >> "$KENV.tmp"
	mv "$KENV.tmp" "$KENV"
	eval "$key=\$val"
}

# The Debian mirror URI the machine already uses.  We never write a host name
# ourselves: the trixie / bookworm-backports lines are derived from this.
debian_mirror() {
	local f uri=""
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		# deb822 stanzas: take the URIs of a stanza whose suites are not
		# the security suites (those live on a different archive).
		uri=$(awk 'BEGIN{RS=""; FS="\n"}
			{ u=""; s="";
			  for (i=1;i<=NF;i++) {
			    if ($i ~ /^URIs:/) { u=$i; sub(/^URIs:[ \t]*/, "", u); sub(/[ \t].*/, "", u) }
			    if ($i ~ /^Suites:/) s=$i }
			  if (u != "" && s !~ /security/ && u !~ /security/) { print u; exit } }' "$f")
		[ -n "$uri" ] && break
	done
	if [ -z "$uri" ]; then
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[ -r "$f" ] || continue
			uri=$(awk '$1=="deb" && $0 !~ /security/ {
				for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' "$f")
			[ -n "$uri" ] && break
		done
	fi
	[ -n "$uri" ] || die "cannot find a Debian mirror URI in /etc/apt"
	printf '%s\n' "${uri%/}"
}

# Host tools needed by the harness; installed with apt-get when missing.
# lspci and strace are copied into the guest together with their shared
# libraries (Debian ships neither statically).
HOST_PKGS_X86="qemu-system-x86 busybox-static cpio kmod pciutils pci.ids strace xz-utils zstd gzip"
HOST_PKGS_KBUILD="build-essential flex bison bc libelf-dev libssl-dev"

ensure_host_pkgs() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing host packages (need root to install): ${missing[*]}"
	log "installing host packages: ${missing[*]}"
	local i
	# Other jobs on the machine may hold the dpkg lock for a while.
	for i in 1 2 3 4 5 6 7 8 9 10; do
		if DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
			-o DPkg::Lock::Timeout=120 "${missing[@]}" >&2; then
			return 0
		fi
		log "apt-get install failed, retrying ($i)"
		sleep 10
		apt-get update >&2 || true
	done
	die "could not install ${missing[*]}"
}
