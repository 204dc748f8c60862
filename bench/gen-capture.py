#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate a capture of N synthetic PCI devices for `make bench`.

Each device is a copy of one template device (by default the real q35
e1000e captured in the QEMU guest, tests/captures/kernel-deb61-e1000e.json;
otherwise the hand-made adv-plain capture), renamed to its own PCI address
and IOMMU group, so every device has BARs, capabilities and irqs like a
real one.  Usage: gen-capture.py N OUT.json
"""
import copy
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TEMPLATES = [os.path.join(HERE, "..", "tests", "captures", n)
             for n in ("kernel-deb61-e1000e.json", "adv-plain.json")]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    src = next(p for p in TEMPLATES if os.path.exists(p))
    with open(src) as f:
        cap = json.load(f)
    dev0 = cap["devices"][0]
    grp0 = next((g for g in cap.get("groups", []) if g["group"] == dev0["group"]), None)
    cap["sysfs"] = {}
    cap["devices"] = []
    cap["groups"] = []
    for i in range(n):
        d = copy.deepcopy(dev0)
        bus, slot = divmod(i, 32)
        d["name"] = "0000:%02x:%02x.0" % (bus % 256 if bus < 256 else bus // 256, slot) \
            if n <= 8192 else "%04x:%02x:%02x.0" % (i >> 13, (i >> 5) & 0xff, slot)
        if bus >= 256:
            d["name"] = "%04x:%02x:%02x.0" % (bus // 256, bus % 256, slot)
        d["group"] = str(100 + i)
        d["cdev"] = None
        cap["devices"].append(d)
        if grp0:
            g = copy.deepcopy(grp0)
            g["group"] = d["group"]
            cap["groups"].append(g)
    cap["tool"] = "bench/gen-capture.py from " + os.path.basename(src)
    with open(out, "w") as f:
        json.dump(cap, f)


if __name__ == "__main__":
    main()
