#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""`dump --all` under a small open-file limit (guest.d/90-fdlimit.sh): it
must succeed with more VFIO groups than half the limit, and report every
group and every device bound to vfio-pci, none of them with an error.
TAP on stdout; a scenario without the stage skips.

usage: check-fdlimit.py VFIO_INFO RUN_DIR SCENARIO
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from taplib import loadjson, plan, read, tap  # noqa: E402


def main():
    run, scen = sys.argv[2], sys.argv[3]
    o = os.path.join(run, "guest", "fdlimit")
    if not os.path.isdir(o):
        plan("%s: no fdlimit stage (it runs in the SR-IOV scenario)" % scen)
        return
    groups = (read(os.path.join(o, "groups"), "") or "").split()
    devices = (read(os.path.join(o, "devices"), "") or "").split()
    limit = (read(os.path.join(o, "ulimit"), "") or "").strip()
    rc = (read(os.path.join(o, "dump.json.rc"), "") or "").strip()
    err = read(os.path.join(o, "dump.json.err"), "") or ""
    tap(limit.isdigit() and len(groups) > int(limit) // 2,
        "%s: %d VFIO groups, more than half the open-file limit %s" % (scen, len(groups), limit))
    tap(rc == "0", "%s: dump --all under ulimit -n %s exits 0 (got %s)" % (scen, limit, rc), err)
    js = loadjson(os.path.join(o, "dump.json")) or {}
    tap(bool(js), "%s: dump --all printed one JSON document" % scen)
    seen_g = {str(g.get("group")): g for g in js.get("groups", [])}
    seen_d = {d.get("address"): d for d in js.get("devices", [])}
    for g in groups:
        e = seen_g.get(g)
        tap(e is not None and "error" not in e and "VIABLE" in e.get("status", {}).get("flags", {}).get("names", []),
            "%s: group %s reported without error" % (scen, g), repr(e)[:600])
    for b in devices:
        e = seen_d.get(b)
        tap(e is not None and "error" not in e and "info" in e,
            "%s: device %s reported with its info, no error" % (scen, b), repr(e)[:600])
    plan()


if __name__ == "__main__":
    main()
