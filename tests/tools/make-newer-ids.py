#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make-newer-ids.py -- hand-made captures for answers no guest here gives.

Each output is a real kernel's capture with one answer changed, labelled
SYNTHETIC in its "comment":

  synth-feature-unknown.json  kernel-cdev-e1000e.json (custom 6.12) whose
      device also accepts feature id 14 (PROBE and PROBE|GET succeed,
      PROBE|SET answers EINVAL) and answers id 200 with EINVAL: ids no
      Linux release defines (7.3 ends at 13), as a newer kernel's would be.
  synth-hwinfo-amd.json       the same capture whose IOMMU_GET_HW_INFO
      answers type AMD (4) with struct iommu_hw_info_amd (EFR, EFR2: 16
      bytes); no guest here has an AMD IOMMU (QEMU's amd-iommu has no
      iommufd hw_info under TCG).

usage: make-newer-ids.py SRCDIR DESTDIR   (tests/captures for both)
"""
import json
import os
import struct
import sys


def load(src, name):
    with open(os.path.join(src, name)) as f:
        return json.load(f)


def save(dest, name, cap):
    with open(os.path.join(dest, name), "w") as f:
        json.dump(cap, f, indent=1)
        f.write("\n")


def feature_unknown(src):
    cap = load(src, "kernel-cdev-e1000e.json")
    cap["comment"] = ("SYNTHETIC (tests/tools/make-newer-ids.py): "
                      "kernel-cdev-e1000e.json with feature ids 14 and 200 "
                      "answered as no Linux release (7.3 ends at 13) does: "
                      "14 supported for GET, 200 refused with EINVAL")
    dev = cap["devices"][0]
    dev["ioctls"] += [
        {"ioctl": "VFIO_DEVICE_FEATURE", "feature": 14, "flags": "PROBE", "ret": 0},
        {"ioctl": "VFIO_DEVICE_FEATURE", "feature": 14, "flags": "PROBE|GET", "ret": 0},
        {"ioctl": "VFIO_DEVICE_FEATURE", "feature": 14, "flags": "PROBE|SET",
         "ret": -1, "errno": "EINVAL"},
        {"ioctl": "VFIO_DEVICE_FEATURE", "feature": 200, "flags": "PROBE",
         "ret": -1, "errno": "EINVAL"},
    ]
    return cap


def hwinfo_amd(src):
    cap = load(src, "kernel-cdev-e1000e.json")
    cap["comment"] = ("SYNTHETIC (tests/tools/make-newer-ids.py): "
                      "kernel-cdev-e1000e.json whose IOMMU_GET_HW_INFO answers "
                      "type AMD with struct iommu_hw_info_amd (EFR, EFR2), "
                      "which no guest here produces")
    efr, efr2 = 0x246577efa2254afa, 0x1
    aux = struct.pack("<QQ", efr, efr2)
    for c in cap["iommufd"]["ioctls"]:
        if c["ioctl"] == "IOMMU_GET_HW_INFO":
            hdr = bytearray(bytes.fromhex(c["data"].replace(" ", "")))
            struct.pack_into("<I", hdr, 12, len(aux))      # data_len
            struct.pack_into("<I", hdr, 24, 4)             # out_data_type AMD
            hdr[28] = 16                                   # out_max_pasid_log2
            struct.pack_into("<Q", hdr, 32, 0x1)           # DIRTY_TRACKING
            c["data"] = hdr.hex()
            c["aux"] = aux.hex()
    return cap


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dest = sys.argv[1], sys.argv[2]
    save(dest, "synth-feature-unknown.json", feature_unknown(src))
    save(dest, "synth-hwinfo-amd.json", hwinfo_amd(src))


if __name__ == "__main__":
    main()
