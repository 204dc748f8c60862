#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the hand-made captures of tests/captures/adv-*.json.

No kernel produces these: each models one way a kernel answer (or a
capture file) can be malformed, on top of a small plain PCI device.  The
files are committed; run this script again after changing it and review
the diff.  Layouts follow reference/uapi-inventory.md; everything is
little-endian unless a case says otherwise.
"""
import json
import os
import struct
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "captures")


E = "<"   # byte order of the kernel being modelled; ">" for s390x


def u32(*v):
    return b"".join(struct.pack(E + "I", x) for x in v)


def u64(*v):
    return b"".join(struct.pack(E + "Q", x) for x in v)


def u16(*v):
    return b"".join(struct.pack(E + "H", x) for x in v)


def cap(cid, ver, nxt):
    return struct.pack(E + "HHI", cid, ver, nxt)


def hx(b):
    return b.hex()


def region(index, flags, size, caps=b"", cap_offset=None):
    off = index << 40
    argsz = 32 + len(caps)
    if caps and cap_offset is None:
        cap_offset = 32
    return u32(argsz, flags, index, cap_offset or 0) + u64(size, off) + caps


def config_space():
    c = bytearray(256)
    struct.pack_into("<HHHH", c, 0, 0x8086, 0x10d3, 0x0406, 0x0010)
    c[8] = 0x00
    c[9:12] = bytes([0x00, 0x00, 0x02])  # class 020000
    struct.pack_into("<I", c, 0x10, 0xfebc0000)
    c[0x34] = 0xc8
    c[0xc8:0xcc] = bytes([0x01, 0xd0, 0x22, 0xc8])  # PM -> 0xd0
    c[0xd0:0xd4] = bytes([0x05, 0xe0, 0x80, 0x00])  # MSI -> 0xe0
    c[0xe0:0xe4] = bytes([0x10, 0x00, 0x02, 0x00])  # EXP, end
    c[0x3d] = 1
    return bytes(c)


def base_device(name="0000:00:03.0", group="1", region0=None, info=None, extra=()):
    ioctls = [{"ioctl": "VFIO_DEVICE_GET_INFO",
               "data": hx(info if info is not None else u32(24, 0x3, 9, 5, 0, 0))}]
    for i in range(9):
        if i == 0 and region0 is not None:
            r = region0
        elif i == 7:
            r = region(7, 0x3, 256)
        elif i == 8:
            ioctls.append({"ioctl": "VFIO_DEVICE_GET_REGION_INFO", "index": 8,
                           "ret": -1, "errno": "EINVAL"})
            continue
        else:
            r = region(i, 0, 0)
        ioctls.append({"ioctl": "VFIO_DEVICE_GET_REGION_INFO", "index": i, "data": hx(r)})
    irqs = [(0x7, 1), (0x9, 1), (0x9, 0), (0, 0), (0x9, 1)]
    for i, (fl, cnt) in enumerate(irqs):
        if i == 3:
            ioctls.append({"ioctl": "VFIO_DEVICE_GET_IRQ_INFO", "index": 3,
                           "ret": -1, "errno": "EINVAL"})
            continue
        ioctls.append({"ioctl": "VFIO_DEVICE_GET_IRQ_INFO", "index": i,
                       "data": hx(u32(16, fl, i, cnt))})
    ioctls.append({"ioctl": "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO",
                   "data": hx(u32(20, 0, 1) + u32(1) + struct.pack(E + "HBB", 0, 0, 3 << 3))})
    ioctls.extend(extra)
    return {"name": name, "group": group, "cdev": None, "ioctls": ioctls,
            "regions": [{"index": 7, "offset": 0, "data": hx(config_space())}]}


def capture(devices, note):
    exts = [{"ioctl": "VFIO_CHECK_EXTENSION", "extension": e,
             "ret": 1 if e in (1, 3, 9) else 0} for e in range(1, 11)]
    t1 = u32(24 + 32, 0x3) + u64(0xfffffffffffff000) + u32(24, 0) + \
        cap(1, 1, 0) + u32(1, 0) + u64(0, 0xfedfffff)
    return {
        "vfio-info-capture": 1,
        "tool": "tests/tools/make-adversarial.py",
        "comment": note,
        "host": {"kernel": "hand-made", "machine": "x86_64" if E == "<" else "s390x",
                 "byte_order": "little" if E == "<" else "big", "page_size": 4096},
        "container": {"ioctls": [{"ioctl": "VFIO_GET_API_VERSION", "ret": 0}] + exts +
                      [{"ioctl": "VFIO_IOMMU_GET_INFO", "data": hx(t1)}]},
        "groups": [{"group": d["group"], "ioctls": d.pop("group_ioctls", [
            {"ioctl": "VFIO_GROUP_GET_STATUS", "data": hx(u32(8, 1))}])} for d in devices],
        "devices": devices,
    }


CASES = {}


def case(name, note):
    def deco(fn):
        CASES[name] = (note, fn)
        return fn
    return deco


@case("adv-plain", "a plain PCI device with no malformed answer: the baseline")
def _():
    return [base_device()]


@case("adv-unknown-ids", "unknown device flag bit 20, unknown region flag bit 8, "
      "an unknown region capability id 0x77 between two known ones")
def _():
    caps = cap(3, 1, 40) + cap(0x77, 1, 64) + u64(0x1122334455667788) + b"\xaa" * 8 + cap(2, 1, 0) + u32(1, 1)
    r0 = region(0, 0x7 | 0x8 | 0x100, 0x20000, caps)
    return [base_device(region0=r0, info=u32(24, 0x3 | (1 << 20), 9, 5, 0, 0))]


@case("adv-truncated-cap", "a SPARSE_MMAP capability cut short: its header fits, "
      "nr_areas does not")
def _():
    r0 = region(0, 0x7 | 0x8, 0x20000, cap(1, 1, 0) + u32(0)[:2])
    return [base_device(region0=r0)]


@case("adv-next-oob", "a capability whose next points far past the returned buffer")
def _():
    r0 = region(0, 0x7 | 0x8, 0x20000, cap(3, 1, 0x1000))
    return [base_device(region0=r0)]


@case("adv-loop", "two capabilities whose next fields point at each other")
def _():
    r0 = region(0, 0x7 | 0x8, 0x20000, cap(3, 1, 40) + cap(3, 1, 32))
    return [base_device(region0=r0)]


@case("adv-nr-areas", "SPARSE_MMAP claims 100000 areas but carries two")
def _():
    body = cap(1, 1, 0) + u32(100000, 0) + u64(0, 0x1000) + u64(0x3000, 0x1000)
    r0 = region(0, 0x7 | 0x8, 0x20000, body)
    return [base_device(region0=r0)]


@case("adv-argsz-grows", "DEVICE_GET_INFO raises argsz on every call, forever")
def _():
    d = base_device()
    d["ioctls"][0] = {"ioctl": "VFIO_DEVICE_GET_INFO", "responses": [
        hx(u32(24 + 8 * (i + 1), 0x3 | 0x80, 9, 5, 0, 0)) for i in range(12)]}
    return [d]


@case("adv-argsz-short", "region 0's answer is 16 bytes, below the 32-byte struct")
def _():
    d = base_device()
    d["ioctls"][1] = {"ioctl": "VFIO_DEVICE_GET_REGION_INFO", "index": 0,
                      "responses": [hx(u32(16, 0x7, 0, 0))]}
    return [d]


@case("adv-errors", "every query of the device fails: ENOTTY for device info")
def _():
    d = base_device()
    d["ioctls"][0] = {"ioctl": "VFIO_DEVICE_GET_INFO", "ret": -1, "errno": "ENOTTY"}
    return [d]


@case("adv-query-errors", "regions EPERM, an irq ENOTTY, hot reset ENOSPC forever")
def _():
    d = base_device()
    for c in d["ioctls"]:
        if c["ioctl"] == "VFIO_DEVICE_GET_REGION_INFO" and c.get("index") in (1, 2):
            c.pop("data", None)
            c.update({"ret": -1, "errno": "EPERM"})
        if c["ioctl"] == "VFIO_DEVICE_GET_IRQ_INFO" and c.get("index") == 4:
            c.pop("data", None)
            c.update({"ret": -1, "errno": "ENOTTY"})
        if c["ioctl"] == "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO":
            c.pop("data", None)
            c["responses"] = [{"ret": -1, "errno": "ENOSPC"}]
    return [d]


@case("adv-num-regions", "device info claims 100000 regions")
def _():
    return [base_device(info=u32(24, 0x3, 100000, 5, 0, 0))]


@case("be-zpci", "a big-endian s390x zPCI function with the four mainline zPCI "
      "device-info capabilities (BASE v2, GROUP v2, UTIL, PFIP), laid out as "
      "vfio_pci_zdev.c builds them on Linux 6.6+; values as QEMU gives "
      "(uid/fid) and the kernel reports")
def _():
    util = "VFIO ZPCI TEST".encode("cp037") + b"\x40" * (64 - 14)
    base = cap(1, 2, 24 + 40) + u64(0x100000000, 0x1ffffffffff) + u16(0x0abc, 0) + \
        u16(0) + bytes([0x0a, 0x01]) + u32(0x81000023) + u32(0)
    group = cap(2, 2, 24 + 40 + 48) + u64(0xffffffffffffffff, 0xfe00000000000000, 1) + \
        u16(0x80, 0x7ff, 0x1000) + bytes([0x01, 0x00]) + u16(0x800) + b"\0" * 6
    utilc = cap(3, 1, 24 + 40 + 48 + 80) + u32(64) + util + b"\0" * 4
    pfip = cap(4, 1, 0) + u32(4) + bytes([1, 2, 3, 4])
    caps = base + group + utilc + pfip
    info = u32(24 + len(caps), 0x3 | 0x80, 9, 5, 24, 0) + caps
    return [base_device(name="0000:00:00.0", group="0", info=info)]


@case("adv-group-not-viable", "SYNTHETIC, hand-made: VFIO_GROUP_GET_STATUS without "
      "VIABLE, as the kernel answers while a member of the group is bound to a host "
      "driver (the kernel harness's group-blocked case records no dump answers): "
      "dump refuses the group, exit status 4")
def _():
    d = base_device()
    d["group_ioctls"] = [{"ioctl": "VFIO_GROUP_GET_STATUS", "data": hx(u32(8, 0))}]
    return [d]


@case("adv-group-busy", "SYNTHETIC, hand-made: VFIO_GROUP_SET_CONTAINER answers "
      "EBUSY, as the kernel does when the group is already in another process's "
      "container (a VM holds it; the kernel harness's busy case records no dump "
      "answers): exit status 5")
def _():
    d = base_device()
    d["group_ioctls"] = [{"ioctl": "VFIO_GROUP_GET_STATUS", "data": hx(u32(8, 1))},
                         {"ioctl": "VFIO_GROUP_SET_CONTAINER", "ret": -1, "errno": "EBUSY"}]
    return [d]


def main():
    global E
    for name, (note, fn) in sorted(CASES.items()):
        E = ">" if name.startswith("be-") else "<"
        path = os.path.join(OUT, name + ".json")
        with open(path, "w") as f:
            json.dump(capture(fn(), note), f, indent=1)
            f.write("\n")
    print("wrote %d captures" % len(CASES), file=sys.stderr)


if __name__ == "__main__":
    main()
