#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the hand-made captures of the four ABI proposals (spec/profiles.md).

seed-*.json (also copied to data/): the examples the seed threads give or
imply, encoded exactly as the threads describe them, so that a reader can
check `vfio-info --replay FILE dump --all` against the seed text line by
line.  adv-prof-*.json: one malformed answer each, for the robustness tests.

The files are committed; run this script again after changing it and review
the diff.  Offsets and sizes follow spec/profiles.md.
"""
import json
import os
import shutil
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "captures")
DATA = os.path.join(HERE, "..", "..", "data")

E = "<"  # byte order of the kernel being modelled: set per capture


def u8(*v):
    return bytes(v)


def u16(*v):
    return b"".join(struct.pack(E + "H", x) for x in v)


def u32(*v):
    return b"".join(struct.pack(E + "I", x) for x in v)


def u64(*v):
    return b"".join(struct.pack(E + "Q", x) for x in v)


def cap(cid, ver, nxt):
    return struct.pack(E + "HHI", cid, ver, nxt)


def hx(b):
    return b.hex()


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def ebcdic(text, n):
    s = text.encode("cp037")
    return s + b"\x40" * (n - len(s))


# ---- devtree-2013 numbers ----
DEV_PLATFORM, DEV_DEVTREE = 1 << 2, 1 << 3
R_READ, R_WRITE, R_MMAP = 1 << 0, 1 << 1, 1 << 2
R_CACHEABLE, R_REG, R_RANGE, R_INDEX, R_PATH = 1 << 3, 1 << 4, 1 << 5, 1 << 6, 1 << 7
I_EVENTFD, I_MASKABLE, I_DT_PATH = 1 << 0, 1 << 1, 1 << 4


def dt_path(path):
    """struct vfio_devtree_info_path: len (without terminator), bytes, zero pad."""
    p = path.encode() if isinstance(path, str) else path
    return pad4(u32(len(p)) + p)


def dt_region(index, flags, size, offset, tail=b""):
    """vfio_region_info of 2013 (resv where mainline has cap_offset) + tail."""
    return u32(32 + len(tail), flags, index, 0) + u64(size, offset) + tail


def dt_irq(index, flags, count, tail=b""):
    return u32(16 + len(tail), flags, index, count) + tail


def platform_device(name, group, regions, irqs, flags=DEV_PLATFORM | DEV_DEVTREE,
                    driver="vfio-platform", bus="platform"):
    # the 2013 vfio_device_info is 16 bytes: no cap_offset yet
    ioctls = [{"ioctl": "VFIO_DEVICE_GET_INFO",
               "data": hx(u32(16, flags, len(regions), len(irqs)))}]
    for i, r in enumerate(regions):
        ioctls.append({"ioctl": "VFIO_DEVICE_GET_REGION_INFO", "index": i, "data": hx(r)})
    for i, q in enumerate(irqs):
        ioctls.append({"ioctl": "VFIO_DEVICE_GET_IRQ_INFO", "index": i, "data": hx(q)})
    sysfs = {
        "bus/%s/devices/%s" % (bus, name): {"link": "../../../devices/soc/%s" % name},
        "devices/soc/%s/driver" % name: {"link": "../../../bus/%s/drivers/%s" % (bus, driver)},
    }
    return {"name": name, "group": group, "cdev": None, "ioctls": ioctls}, sysfs


# ---- PCI helpers (zPCI, GVT-g) ----

def region(index, flags, size, caps=b""):
    cap_offset = 32 if caps else 0
    if caps:
        flags |= 0x8  # CAPS
    return u32(32 + len(caps), flags, index, cap_offset) + u64(size, index << 40) + caps


def config_space(vendor, device, cls):
    c = bytearray(256)  # PCI config space is little-endian on every host
    struct.pack_into("<HHHH", c, 0, vendor, device, 0x0406, 0x0010)
    c[9:12] = bytes([cls & 0xff, (cls >> 8) & 0xff, (cls >> 16) & 0xff])
    c[0x34] = 0x40
    c[0x40:0x44] = bytes([0x05, 0x00, 0x80, 0x00])  # MSI, end
    return bytes(c)


def pci_device(name, group, regions, irqs, cfg, extra_regions=(), nregions=None):
    """regions: {index: bytes}; irqs: {index: bytes}; everything else absent."""
    nreg = nregions if nregions is not None else max(regions) + 1
    ioctls = [{"ioctl": "VFIO_DEVICE_GET_INFO", "data": hx(u32(24, 0x3, nreg, len(irqs), 0, 0))}]
    for i in range(nreg):
        if i in regions:
            ioctls.append({"ioctl": "VFIO_DEVICE_GET_REGION_INFO", "index": i,
                           "data": hx(regions[i])})
        else:
            ioctls.append({"ioctl": "VFIO_DEVICE_GET_REGION_INFO", "index": i,
                           "data": hx(region(i, 0, 0))})
    for i in sorted(irqs):
        ioctls.append({"ioctl": "VFIO_DEVICE_GET_IRQ_INFO", "index": i, "data": hx(irqs[i])})
    ioctls.append({"ioctl": "VFIO_DEVICE_GET_PCI_HOT_RESET_INFO",
                   "data": hx(u32(20, 0, 1) + u32(int(group)) +
                              struct.pack(E + "HBB", 0, 0, 0))})
    regs = [{"index": 7, "offset": 0, "data": hx(cfg)}] + list(extra_regions)
    return {"name": name, "group": group, "cdev": None, "ioctls": ioctls, "regions": regs}


def pci_irqs():
    return {0: u32(16, 0x7, 0, 1), 1: u32(16, 0x9, 1, 1), 2: u32(16, 0x9, 2, 0),
            3: u32(16, 0x9, 3, 0), 4: u32(16, 0x9, 4, 1)}


def type1_info(caps_iova=True):
    if not caps_iova:
        return u32(16, 0x1) + u64(0x1000)
    return u32(24 + 32, 0x3) + u64(0xfffffffffffff000) + u32(24, 0) + \
        cap(1, 1, 0) + u32(1, 0) + u64(0, 0xfedfffff)


def capture(devices, note, machine, t1=None, profiles=None, sysfs=None, exts=(1, 3)):
    ext = [{"ioctl": "VFIO_CHECK_EXTENSION", "extension": e,
            "ret": 1 if e in exts else 0} for e in range(1, 11)]
    c = {
        "vfio-info-capture": 1,
        "tool": "tests/tools/make-profiles.py",
        "comment": note,
        "host": {"kernel": "hand-made", "machine": machine,
                 "byte_order": "little" if E == "<" else "big", "page_size": 4096},
    }
    if profiles:
        c["profiles"] = profiles
    if sysfs:
        c["sysfs"] = sysfs
    c["container"] = {"ioctls": [{"ioctl": "VFIO_GET_API_VERSION", "ret": 0}] + ext +
                      [{"ioctl": "VFIO_IOMMU_GET_INFO",
                        "data": hx(t1 if t1 is not None else type1_info())}]}
    c["groups"] = [{"group": g, "ioctls": [{"ioctl": "VFIO_GROUP_GET_STATUS",
                                            "data": hx(u32(8, 1))}]}
                   for g in sorted({d["group"] for d in devices})]
    c["devices"] = devices
    return c


CASES = {}


def case(name, order, note, data=None):
    def deco(fn):
        CASES[name] = (order, note, fn, data)
        return fn
    return deco


# ==== seed 002: devtree-2013 ====

SATA_PATH = "/soc@ffe000000/sata@220000"          # len 26
DMA_PATH = "/soc@ffe000000/dma@101300"            # len 25
DMA_CH180 = "/soc@ffe000000/dma@101300/dma-channel@180"  # len 41
DMA_CH100 = "/soc@ffe000000/dma@101300/dma-channel@100"  # len 41


def devtree_capture(devs, note):
    sysfs = {}
    devices = []
    for d, s in devs:
        devices.append(d)
        sysfs.update(s)
    # Freescale QorIQ (e500mc, PowerPC): big-endian; the 2013 IOMMU info
    # has no capabilities
    return capture(devices, note, "ppc", t1=type1_info(False),
                   profiles=["devtree-2013"], sysfs=sysfs, exts=(1,))


@case("seed-devtree-sata", ">", "seed 002 example 1, the Freescale SATA controller: "
      "1 region (offset 0, size 0x10000, REG|PATH, path len 26) and 1 irq "
      "(EVENTFD|MASKABLE|DEVTREE_PATH, path len 26); READ|WRITE|MMAP because the "
      "seed says the region 'allows mmap'", data="devtree-sata.json")
def _():
    assert len(SATA_PATH) == 26
    r0 = dt_region(0, R_READ | R_WRITE | R_MMAP | R_REG | R_PATH, 0x10000, 0,
                   dt_path(SATA_PATH))
    q0 = dt_irq(0, I_EVENTFD | I_MASKABLE | I_DT_PATH, 1, dt_path(SATA_PATH))
    return devtree_capture([platform_device("ffe220000.sata", "0", [r0], [q0])],
                           CASES["seed-devtree-sata"][1])


@case("seed-devtree-dma", ">", "seed 002 example 2, the Freescale DMA engine with two "
      "channels: region 0 'ranges' (offset 0x100, size 0x200), region 1 'reg' "
      "(offset 0x300, size 0x4), both path len 25; irqs 0 and 1 with the channel "
      "paths, len 41 (the seed's second irq says 'index 0' again: it is index 1)",
      data="devtree-dma.json")
def _():
    assert len(DMA_PATH) == 25 and len(DMA_CH180) == 41 and len(DMA_CH100) == 41
    mm = R_READ | R_WRITE | R_MMAP
    r0 = dt_region(0, mm | R_RANGE | R_PATH, 0x200, 0x100, dt_path(DMA_PATH))
    r1 = dt_region(1, mm | R_REG | R_PATH, 0x4, 0x300, dt_path(DMA_PATH))
    q0 = dt_irq(0, I_EVENTFD | I_MASKABLE | I_DT_PATH, 1, dt_path(DMA_CH180))
    q1 = dt_irq(1, I_EVENTFD | I_MASKABLE | I_DT_PATH, 1, dt_path(DMA_CH100))
    return devtree_capture([platform_device("ffe101300.dma", "1", [r0, r1], [q0, q1])],
                           CASES["seed-devtree-dma"][1])


def dt_adv(note, regions, irqs):
    return devtree_capture([platform_device("ffe220000.sata", "0", regions, irqs)], note)


def sata_irq():
    return dt_irq(0, I_EVENTFD | I_MASKABLE | I_DT_PATH, 1, dt_path(SATA_PATH))


@case("adv-prof-dt-len", ">", "devtree-2013: the region's path len (200) runs past argsz")
def _():
    tail = u32(200) + pad4(SATA_PATH.encode())
    r0 = dt_region(0, R_READ | R_REG | R_PATH, 0x10000, 0, tail)
    return dt_adv(CASES["adv-prof-dt-len"][1], [r0], [sata_irq()])


@case("adv-prof-dt-path", ">", "devtree-2013: a region path with a control byte and an "
      "irq path whose zero padding is not zero (not terminated within len)")
def _():
    bad = b"/soc@ffe000000/sata\x01220000"
    r0 = dt_region(0, R_READ | R_REG | R_PATH, 0x10000, 0, dt_path(bad))
    q0 = dt_irq(0, I_EVENTFD | I_DT_PATH, 1, u32(26) + SATA_PATH.encode() + b"XY")
    return dt_adv(CASES["adv-prof-dt-path"][1], [r0], [q0])


@case("adv-prof-dt-index", ">", "devtree-2013: DEVTREE_INDEX set but argsz leaves no "
      "room for its struct")
def _():
    r0 = dt_region(0, R_READ | R_REG | R_INDEX, 0x10000, 0)
    return dt_adv(CASES["adv-prof-dt-index"][1], [r0], [sata_irq()])


@case("adv-prof-dt-order", ">", "devtree-2013: INDEX and PATH set, but the path struct "
      "comes first (flags say INDEX, then PATH)")
def _():
    tail = dt_path(SATA_PATH) + u32(4, 0)
    r0 = dt_region(0, R_READ | R_RANGE | R_INDEX | R_PATH, 0x10000, 0, tail)
    return dt_adv(CASES["adv-prof-dt-order"][1], [r0], [sata_irq()])


@case("adv-prof-amba", "<", "a mainline vfio-amba device: device flag bit 3 is AMBA "
      "unless --abi devtree-2013 is asked for")
def _():
    r0 = u32(32, R_READ | R_WRITE | R_MMAP, 0, 0) + u64(0x1000, 0)
    q0 = u32(16, I_EVENTFD | I_MASKABLE, 0, 1)
    d, s = platform_device("fff80000.pl011", "2", [r0], [q0], flags=1 << 3,
                           driver="vfio-amba", bus="amba")
    d["ioctls"][0]["data"] = hx(u32(24, 1 << 3, 1, 1, 0, 0))
    return capture([d], CASES["adv-prof-amba"][1], "aarch64", sysfs=s)


# ==== seed 000: zpci-clp-region ====

def clp_content(util="VFIO ZPCI CLP TEST", util_len=64):
    return u64(0xffffffffffffffff, 0x100000000, 0x1ffffffffff, 0xfe00000000000000, 1) + \
        u16(0x0abc, 128, 2047, 4096) + u8(1, 1) + ebcdic(util, util_len)


def zpci_clp_capture(content, note, size=None):
    size = len(content) if size is None else size
    tcap = cap(2, 1, 0) + u32(0x80001014, 2)
    regions = {0: region(0, 0x7, 0x4000), 7: region(7, 0x3, 256),
               9: region(9, 0x1 | 0x8, size, tcap)}
    dev = pci_device("0000:00:00.0", "0", regions, pci_irqs(),
                     config_space(0x1014, 0x044b, 0x120000),
                     extra_regions=[{"index": 9, "offset": 0, "data": hx(content)}])
    return capture([dev], note, "s390x")


@case("seed-zpci-clp", ">", "seed 000: a big-endian s390x zPCI function whose region 9 "
      "is the CLP information region (IBM vendor type, subtype 2): vfio_region_zpci_info "
      "in field order dasm, start_dma, end_dma, msi_addr, flags (REFRESH), pchid, mui, "
      "noi, maxstbl, version, gid, then a 64-byte EBCDIC util_str", data="zpci-clp.json")
def _():
    return zpci_clp_capture(clp_content(), CASES["seed-zpci-clp"][1])


@case("adv-prof-clp-short", ">", "zpci-clp-region: the CLP region is 40 bytes, shorter "
      "than the 50-byte fixed part")
def _():
    return zpci_clp_capture(clp_content()[:40], CASES["adv-prof-clp-short"][1])


# ==== seed 003: zpci-iommu-2019 ====

def qfn(util="VFIO ZPCI QFN TEST"):
    body = u32(0, 0) + u64(0) + u16(1) + u8(1, 1) + u32(0x23) + \
        u8(14, 0, 20, 0, 0, 0) + u16(0x0abc) + u32(0x4, 0, 0xc, 0, 0, 0) + u64(0) + \
        u64(0x100000000, 0x1ffffffffff) + b"\0" * 44 + u32(0x1234) + ebcdic(util, 64)
    assert len(body) == 192
    return body


def qgrp():
    body = u32(0, 0) + u64(0) + u16(2047) + u8(1, 0x01) + u16(4096, 128) + u64(0) + \
        u64(0xffffffffffffffff, 0xfe00000000000000) + u64(0, 0)
    assert len(body) == 64
    return body


def zpci_iommu_capture(qfn_body, note):
    c1 = cap(1, 1, 24 + 8 + len(qfn_body)) + qfn_body
    c2 = cap(2, 1, 0) + qgrp()
    # proposal: __u64 cap_offset @16
    t1 = u32(24 + len(c1) + len(c2), 0x3) + u64(0xfffffffffffff000) + u64(24) + c1 + c2
    regions = {0: region(0, 0x7, 0x4000), 7: region(7, 0x3, 256)}
    dev = pci_device("0000:00:00.0", "0", regions, pci_irqs(),
                     config_space(0x1014, 0x044b, 0x120000), nregions=9)
    return capture([dev], note, "s390x", t1=t1, profiles=["zpci-iommu-2019"])


@case("seed-zpci-iommu", ">", "seed 003: a big-endian s390x container whose "
      "VFIO_IOMMU_GET_INFO (asked with VFIO_IOMMU_INFO_CAPABILITIES) carries QFN and "
      "QGRP, the CLP query responses, with a 64-bit cap_offset", data="zpci-iommu.json")
def _():
    return zpci_iommu_capture(qfn(), CASES["seed-zpci-iommu"][1])


@case("adv-prof-qfn-short", ">", "zpci-iommu-2019: the QFN capability is 100 bytes, "
      "shorter than its 200-byte struct")
def _():
    return zpci_iommu_capture(qfn()[:92], CASES["adv-prof-qfn-short"][1])


# ==== seed 001: irq-caps-2019 ====

GVT_NAME = "f321853c-c584-4a6b-b99a-3eee22a3919c"


def gvt_capture(irq5, note):
    opregion = cap(2, 1, 0) + u32(0x80008086, 1)
    regions = {0: region(0, 0x7, 0x1000000), 2: region(2, 0x7, 0x10000000),
               7: region(7, 0x3, 256), 9: region(9, 0x1, 0x2000, opregion)}
    irqs = pci_irqs()
    irqs[5] = irq5
    dev = pci_device(GVT_NAME, "12", regions, irqs, config_space(0x8086, 0x5912, 0x030000))
    sysfs = {"bus/mdev/devices/%s" % GVT_NAME:
             {"link": "../../../devices/pci0000:00/0000:00:02.0/%s" % GVT_NAME},
             "devices/pci0000:00/0000:00:02.0/%s/driver" % GVT_NAME:
             {"link": "../../../../bus/mdev/drivers/vfio_mdev"}}
    return capture([dev], note, "x86_64", sysfs=sysfs)


@case("seed-gvt-display-irq", "<", "seed 001: a GVT-g vGPU (mdev) with the display irq "
      "at index 5: flags EVENTFD|CAPS, cap_offset 20, VFIO_IRQ_INFO_CAP_TYPE v1 type 1 "
      "(GFX) subtype 1 (DISPLAY_IRQ)", data="gvt-display-irq.json")
def _():
    irq5 = u32(36, 0x1 | 0x10, 5, 1, 20) + cap(3, 1, 0) + u32(1, 1)
    return gvt_capture(irq5, CASES["seed-gvt-display-irq"][1])


@case("adv-prof-irq-inside", "<", "irq-caps-2019: irq 5's cap_offset (8) points inside "
      "the 20-byte fixed struct")
def _():
    irq5 = u32(36, 0x1 | 0x10, 5, 1, 8) + cap(3, 1, 0) + u32(1, 1)
    return gvt_capture(irq5, CASES["adv-prof-irq-inside"][1])


def main():
    global E
    for name, (order, note, fn, data) in sorted(CASES.items()):
        E = order
        path = os.path.join(OUT, name + ".json")
        with open(path, "w") as f:
            json.dump(fn(), f, indent=1)
            f.write("\n")
        if data:
            shutil.copyfile(path, os.path.join(DATA, data))
    print("wrote %d captures" % len(CASES), file=sys.stderr)


if __name__ == "__main__":
    main()
