#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Generate a host capture of N PCI functions for `make bench`'s list runs.

Each function is a copy of the e1000e bound to vfio-pci in the real guest
capture tests/captures/kernel-host-ok.json (its sysfs attributes: config,
resource, driver, iommu_group and the rest, as sysfs has them), renamed to
its own address on bus 01 and up and put in its own IOMMU group with its
/dev/vfio node.  The capture's other host facts (procfs, modules, firmware)
are kept; the guest's own PCI devices are left out.  It holds no ioctls:
list and doctor read only sysfs, procfs and /dev.  tests/tools/make-sysroot.py
unpacks it into a tree for --sysroot and lspci.
Usage: gen-host.py N OUT.json
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.join(HERE, "..", "tests", "captures", "kernel-host-ok.json")
TEMPLATE = "0000:00:03.0"


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    with open(SRC) as f:
        cap = json.load(f)
    sysfs = cap["sysfs"]
    base = "devices/pci0000:00/" + TEMPLATE + "/"
    attrs = {k[len(base):]: v for k, v in sysfs.items() if k.startswith(base)}
    gtype = sysfs.get("kernel/iommu_groups/1/type", "DMA\n")
    node = dict(cap["dev"]["vfio/1"])
    keep = {k: v for k, v in sysfs.items()
            if not k.startswith(("devices/pci", "bus/pci/devices/", "kernel/iommu_groups/"))}
    dev = {k: v for k, v in cap["dev"].items() if not k.startswith("vfio/") or k == "vfio/vfio"}
    major = node["rdev"].split(":")[0]
    for i in range(n):
        bus, slot = divmod(i, 32)
        name = "0000:%02x:%02x.0" % (bus + 1, slot)
        group = str(100 + i)
        d = "devices/pci0000:00/" + name
        for a, v in attrs.items():
            if a == "iommu_group":
                v = {"link": "../../../kernel/iommu_groups/" + group}
            keep[d + "/" + a] = v
        keep["bus/pci/devices/" + name] = {"link": "../../../" + d}
        keep["kernel/iommu_groups/%s/devices/%s" % (group, name)] = \
            {"link": "../../../../" + d}
        keep["kernel/iommu_groups/%s/type" % group] = gtype
        nd = dict(node)
        nd["rdev"] = "%s:%d" % (major, i)
        dev["vfio/" + group] = nd
    cap["sysfs"] = keep
    cap["dev"] = dev
    cap["devices"] = []
    cap["groups"] = []
    cap.pop("container", None)
    cap["comment"] = ("SYNTHETIC (bench/gen-host.py): %d copies of the vfio-pci e1000e of "
                      "kernel-host-ok.json, one IOMMU group each, to measure list" % n)
    with open(out, "w") as f:
        json.dump(cap, f)


if __name__ == "__main__":
    main()
