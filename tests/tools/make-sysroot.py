#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Unpack the sysfs, procfs and dev sections of a capture into a tree that
`vfio-info --sysroot DIR` (and `lspci -A linux-sysfs -O sysfs.path=DIR/sys`)
reads as it reads the running system's:

    DIR/sys/...   files (text or hex bytes), symlinks, directories
    DIR/proc/...  the same
    DIR/dev/...   character devices with the capture's mode, owner, rdev
                  (mknod: needs root; without it, --no-dev leaves them out)

An entry the capture records as present but unread ({}) becomes an empty
file.  The capture's host kernel and machine go to proc/sys/kernel/osrelease
and proc/sys/kernel/arch where the capture has no such files (where a real
/proc has them; vfio-info --sysroot reads them for the host's description).

Usage: make-sysroot.py [--no-dev] CAPTURE.json DIR
"""
import json
import os
import sys


def hex_bytes(s):
    return bytes.fromhex("".join(s.split()))


def safe_join(root, key):
    parts = key.split("/")
    if not key or any(p in ("", ".", "..") for p in parts):
        raise SystemExit("%s: not a relative path" % key)
    return os.path.join(root, *parts)


def build(cap, out, with_dev):
    links = []
    for sec, top in (("sysfs", "sys"), ("procfs", "proc"), ("dev", "dev")):
        root = os.path.join(out, top)
        os.makedirs(root, exist_ok=True)
        ns = cap.get(sec) or {}
        # directories and files first, links last, so that a link's place
        # is never taken by a directory made for a key below it
        for key in sorted(ns):
            v = ns[key]
            path = safe_join(root, key)
            if isinstance(v, dict) and "link" in v:
                links.append((path, v["link"]))
                continue
            if isinstance(v, dict) and "dir" in v:
                os.makedirs(path, exist_ok=True)
                continue
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if isinstance(v, str):
                with open(path, "wb") as f:
                    f.write(v.encode("utf-8"))
            elif "hex" in v:
                with open(path, "wb") as f:
                    f.write(hex_bytes(v["hex"]))
            elif sec == "dev":
                if not with_dev:
                    continue
                mode = v.get("mode", "0600")
                mode = int(mode, 8) if isinstance(mode, str) else int(mode)
                major, minor = (int(x) for x in v.get("rdev", "0:0").split(":"))
                os.mknod(path, 0o020000 | mode, os.makedev(major, minor))
                os.chown(path, v.get("uid", 0), v.get("gid", 0), follow_symlinks=False)
                os.chmod(path, mode)
            else:
                # present, not read: an empty file
                open(path, "wb").close()
    for path, target in links:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if os.path.lexists(path):
            raise SystemExit("%s: both a link and a directory in the capture" % path)
        os.symlink(target, path)
    host = cap.get("host") or {}
    for name, val in (("osrelease", host.get("kernel")), ("arch", host.get("machine"))):
        path = os.path.join(out, "proc", "sys", "kernel", name)
        if val and not os.path.lexists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(val + "\n")


def main():
    args = sys.argv[1:]
    with_dev = True
    if args and args[0] == "--no-dev":
        with_dev = False
        args = args[1:]
    if len(args) != 2:
        raise SystemExit(__doc__)
    with open(args[0]) as f:
        cap = json.load(f)
    build(cap, args[1], with_dev)


if __name__ == "__main__":
    main()
