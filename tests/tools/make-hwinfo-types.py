#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make-hwinfo-types.py -- hand-made captures of IOMMU_GET_HW_INFO asked
with IOMMU_HW_INFO_FLAG_INPUT_TYPE (Linux 6.17), for answers no guest here
gives.  Each output is a real kernel's capture with calls added, labelled
SYNTHETIC in its "comment":

  synth-hwinfo-tegra241.json  kernel-arm64-smmuv3-cdev.json (Linux 7.3,
      QEMU's SMMUv3) as a Tegra241 CMDQV system answers: the default query
      gives the SMMUv3 (unchanged), INPUT_TYPE with DEFAULT the same, with
      TEGRA241_CMDQV struct iommu_hw_info_tegra241_cmdqv, with INTEL_VTD
      and AMD EOPNOTSUPP (arm-smmu-v3's hw_info hands any type but its own
      to the CMDQV, which refuses all but TEGRA241_CMDQV).  No guest here
      has a CMDQV: QEMU emulates none.
  synth-hwinfo-noinput.json   kernel-cdev-e1000e.json (custom 6.12) with
      the answer of a kernel before 6.17 to INPUT_TYPE: EOPNOTSUPP for any
      flag (iommufd_get_hw_info in drivers/iommu/iommufd/device.c), which
      the guest's capture predates.

Every struct is packed field by field as include/uapi/linux/iommufd.h lays
it out, little-endian (both hosts are).

usage: make-hwinfo-types.py SRCDIR DESTDIR   (tests/captures for both)
"""
import json
import os
import struct
import sys

LE = "<"
FLAG_INPUT_TYPE = 1 << 0
TYPE_DEFAULT, TYPE_INTEL_VTD, TYPE_ARM_SMMUV3, TYPE_TEGRA241_CMDQV, TYPE_AMD = range(5)

# struct iommu_hw_info (40 bytes): size, flags, dev_id, data_len (u32),
# data_uptr (u64, recorded as 0), in/out_data_type (u32),
# out_max_pasid_log2 (u8), __reserved[3], out_capabilities (u64)
HW_INFO = LE + "IIIIQIB3xQ"
assert struct.calcsize(HW_INFO) == 40

# struct iommu_hw_info_tegra241_cmdqv (8 bytes): flags (u32), version,
# log2vcmdqs, log2vsids, __reserved (u8)
TEGRA = LE + "IBBBB"
assert struct.calcsize(TEGRA) == 8


def load(src, name):
    with open(os.path.join(src, name)) as f:
        return json.load(f)


def save(dest, name, cap):
    with open(os.path.join(dest, name), "w") as f:
        json.dump(cap, f, indent=1)
        f.write("\n")


def plain_call(cap):
    for c in cap["iommufd"]["ioctls"]:
        if c["ioctl"] == "IOMMU_GET_HW_INFO" and "in_data_type" not in c:
            return c
    sys.exit("no IOMMU_GET_HW_INFO in the source capture")


def header(dev_id, data_len, out_type, pasid, caps):
    return struct.pack(HW_INFO, 40, FLAG_INPUT_TYPE, dev_id, data_len, 0,
                       out_type, pasid, caps)


def refused(dev_id, in_type, errno):
    return {"ioctl": "IOMMU_GET_HW_INFO", "dev_id": dev_id,
            "in_data_type": in_type, "ret": -1, "errno": errno}


def answered(dev_id, in_type, hdr, aux):
    return {"ioctl": "IOMMU_GET_HW_INFO", "dev_id": dev_id,
            "in_data_type": in_type, "ret": 0, "data": hdr.hex(), "aux": aux.hex()}


def tegra241(src):
    cap = load(src, "kernel-arm64-smmuv3-cdev.json")
    cap["comment"] = ("SYNTHETIC (tests/tools/make-hwinfo-types.py): "
                      "kernel-arm64-smmuv3-cdev.json answering as a Tegra241 "
                      "CMDQV system does: IOMMU_GET_HW_INFO with INPUT_TYPE "
                      "gives TEGRA241_CMDQV data, INTEL_VTD and AMD are "
                      "refused; no guest here has a CMDQV (QEMU emulates "
                      "none); feature 13 answered ENOTTY as the 7.3 kernel "
                      "does for this device")
    plain = plain_call(cap)
    hdr = bytes.fromhex(plain["data"].replace(" ", ""))
    smmu = bytes.fromhex(plain["aux"].replace(" ", ""))
    size, flags, dev_id, data_len, _, out_type, pasid, caps = struct.unpack(HW_INFO, hdr)
    assert out_type == TYPE_ARM_SMMUV3 and flags == 0 and data_len == len(smmu)
    # version 1 (CMDQV_VER of the PARAM register), 2 logical VCMDQs per
    # VINTF (128 VCMDQs over 64 VINTFs), 16 stream ids per VINTF
    tegra = struct.pack(TEGRA, 0, 1, 1, 4, 0)
    cap["iommufd"]["ioctls"] += [
        answered(dev_id, TYPE_DEFAULT,
                 header(dev_id, len(smmu), TYPE_ARM_SMMUV3, pasid, caps), smmu),
        refused(dev_id, TYPE_INTEL_VTD, "EOPNOTSUPP"),
        answered(dev_id, TYPE_TEGRA241_CMDQV,
                 header(dev_id, len(tegra), TYPE_TEGRA241_CMDQV, pasid, caps), tegra),
        refused(dev_id, TYPE_AMD, "EOPNOTSUPP"),
    ]
    dev = cap["devices"][0]
    if not any(c["ioctl"] == "VFIO_DEVICE_FEATURE" and c.get("feature") == 13
               for c in dev["ioctls"]):
        dev["ioctls"].append({"ioctl": "VFIO_DEVICE_FEATURE", "feature": 13,
                              "flags": "PROBE", "ret": -1, "errno": "ENOTTY"})
    return cap


def noinput(src):
    cap = load(src, "kernel-cdev-e1000e.json")
    cap["comment"] = ("SYNTHETIC (tests/tools/make-hwinfo-types.py): "
                      "kernel-cdev-e1000e.json (Linux 6.12) with the answer "
                      "its iommufd gives to IOMMU_GET_HW_INFO with "
                      "INPUT_TYPE, EOPNOTSUPP for any flag before 6.17; the "
                      "guest's capture predates the question")
    dev_id = plain_call(cap)["dev_id"]
    cap["iommufd"]["ioctls"].append(refused(dev_id, TYPE_DEFAULT, "EOPNOTSUPP"))
    return cap


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dest = sys.argv[1], sys.argv[2]
    save(dest, "synth-hwinfo-tegra241.json", tegra241(src))
    save(dest, "synth-hwinfo-noinput.json", noinput(src))


if __name__ == "__main__":
    main()
