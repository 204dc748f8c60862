#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The capture taken in a guest replays to exactly the JSON the live dump
printed there: live and replay share every line above the backend, so any
difference is a recording or replay bug.  TAP on stdout.

usage: check-replay.py VFIO_INFO RUN_DIR SCENARIO
"""
import glob
import json
import os
import subprocess
import sys


def schema_validator():
    """The dump schema's validator, or None without python3-jsonschema."""
    try:
        from jsonschema import Draft202012Validator
    except ImportError:
        return None
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "..", "..", "data", "schema", "dump.json")) as f:
        return Draft202012Validator(json.load(f))


def has_names(js):
    """Did the guest's vfio-info print pci.ids names?  Guests of the host's
    architecture carry the host's pci.ids, cross-architecture ones none;
    names come from the database of the machine decoding, not from the
    capture, so the replay must use what the guest had."""
    if isinstance(js, dict):
        return any((k in ("vendor_name", "device_name", "class_name") and v is not None) or has_names(v)
                   for k, v in js.items())
    if isinstance(js, list):
        return any(has_names(v) for v in js)
    return False


def main():
    vi, run, scen = sys.argv[1:4]
    n = 0
    val = schema_validator()
    for dump in sorted(glob.glob(os.path.join(run, "guest", "*dev", "*", "dump*.json"))):
        d = os.path.dirname(dump)
        flow = os.path.basename(dump)[len("dump"):-len(".json")]     # "", "-cdev", "-legacy"
        cap = os.path.join(d, "capture%s.json" % flow)
        if not os.path.exists(cap):
            continue
        opts = {"-cdev": ["--cdev"], "-legacy": ["--legacy"]}.get(flow, [])
        name = "%s: %s%s: replay of the capture equals the live dump" % (
            scen, os.path.basename(d), flow)
        n += 1
        try:
            with open(dump) as f:
                live = json.load(f)
        except (OSError, ValueError) as e:
            print("ok %d - %s # SKIP live dump unreadable (%s)" % (n, name, e))
            continue
        # the live JSON against its schema (one test before the replay's)
        errs = [] if val is None else list(val.iter_errors(live))
        print("%s %d - %s: %s%s: the live dump is valid under data/schema/dump.json%s" % (
            "not ok" if errs else "ok", n, scen, os.path.basename(d), flow,
            " # SKIP python3-jsonschema is not installed" if val is None else ""))
        for e in errs[:10]:
            print("#   /%s: %s" % ("/".join(str(x) for x in e.absolute_path), e.message[:200]))
        n += 1
        env = dict(os.environ)
        if not has_names(live):
            env["VFIO_INFO_PCI_IDS"] = ""      # set but empty: no names
        p = subprocess.run([vi, "--replay", cap, "--json"] + opts + ["dump", "--all"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        try:
            rep = json.loads(p.stdout)
        except ValueError:
            print("not ok %d - %s\n#   replay printed no JSON: %s" % (n, name, p.stderr.strip()))
            continue
        if rep == live:
            print("ok %d - %s" % (n, name))
            continue
        print("not ok %d - %s" % (n, name))
        a = json.dumps(live, indent=1, sort_keys=True).splitlines()
        b = json.dumps(rep, indent=1, sort_keys=True).splitlines()
        import difflib
        for line in list(difflib.unified_diff(a, b, "live", "replay", lineterm=""))[:30]:
            print("#   " + line)
    print("1..%d" % n if n else "1..0 # SKIP no dump/capture pairs in %s" % run)


if __name__ == "__main__":
    main()
