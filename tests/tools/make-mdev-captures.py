#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hand-made captures of the kernel's sample mdev drivers (mtty, mdpy,
mbochs) until a guest with them records real ones: the migration GETs,
the QUERY_GFX_PLANE probes and the GFX EDID region header, each value
taken from samples/vfio-mdev/*.c of Linux 6.12, plus hostile variants
(values no kernel answers) for the decoders' notes.

Usage: make-mdev-captures.py OUTDIR   (writes synth-mdev-*.json)
"""
import json
import os
import struct
import sys

LE = "<"
GROUP = "21"


def hx(b):
    return b.hex()


def region(index, flags, size, offset, caps=b""):
    """struct vfio_region_info (+ a TYPE cap when @caps)."""
    if caps:
        flags |= 1 << 3
        argsz = 32 + len(caps)
        return struct.pack(LE + "IIIIQQ", argsz, flags, index, 32, size, offset) + caps
    return struct.pack(LE + "IIIIQQ", 32, flags, index, 0, size, offset)


def type_cap(typ, sub):
    # vfio_info_cap_header {id 2 (TYPE), version 1, next 0} + type, subtype
    return struct.pack(LE + "HHIII", 2, 1, 0, typ, sub)


def irq(index, flags, count):
    return struct.pack(LE + "IIII", 16, flags, index, count)


def errno_call(ioctl, errno, **sel):
    c = {"ioctl": ioctl}
    c.update(sel)
    c.update({"ret": -1, "errno": errno})
    return c


def ok_call(ioctl, data=None, **sel):
    c = {"ioctl": ioctl}
    c.update(sel)
    c["ret"] = 0
    if data is not None:
        c["data"] = hx(data)
    return c


def features(mig_flags=None, mig_state=None, data_fd=-1):
    """VFIO_DEVICE_FEATURE as vfio_main.c answers a device: with mig_ops
    (mtty) MIGRATION is GET, MIG_DEVICE_STATE GET|SET, MIG_DATA_SIZE GET;
    without, ENOTTY; DMA logging ENOTTY (no log_ops); every other id EINVAL
    (no device_feature op)."""
    calls = []
    F = "VFIO_DEVICE_FEATURE"
    for fid in range(0, 13):
        if fid in (1, 2, 9) and mig_flags is not None:
            ops = {1: ("GET",), 2: ("GET", "SET"), 9: ("GET",)}[fid]
            calls.append(ok_call(F, feature=fid, flags="PROBE"))
            for d in ("GET", "SET"):
                if d in ops:
                    calls.append(ok_call(F, feature=fid, flags="PROBE|" + d))
                else:
                    calls.append(errno_call(F, "EINVAL", feature=fid, flags="PROBE|" + d))
        elif fid in (1, 2, 9, 6, 7, 8):
            calls.append(errno_call(F, "ENOTTY", feature=fid, flags="PROBE"))
        else:
            calls.append(errno_call(F, "EINVAL", feature=fid, flags="PROBE"))
    if mig_flags is not None:
        calls.append(ok_call(F, struct.pack(LE + "IIQ", 16, (1 << 16) | 1, mig_flags),
                             feature=1, flags="GET"))
        if mig_state is None:
            calls.append(errno_call(F, "EIO", feature=2, flags="GET"))
        else:
            calls.append(ok_call(F, struct.pack(LE + "IIIi", 16, (1 << 16) | 2,
                                                mig_state, data_fd),
                                 feature=2, flags="GET"))
    return calls


def planes(region_ret, dmabuf_ret):
    """QUERY_GFX_PLANE probes: None for 0, else the errno name."""
    out = []
    for pf, r in (("PROBE|REGION", region_ret), ("PROBE|DMABUF", dmabuf_ret)):
        if r is None:
            out.append(ok_call("VFIO_DEVICE_QUERY_GFX_PLANE", plane_flags=pf))
        else:
            out.append(errno_call("VFIO_DEVICE_QUERY_GFX_PLANE", r, plane_flags=pf))
    return out


def config(vendor, device, class24, rev=0, bars=()):
    c = bytearray(256)
    struct.pack_into(LE + "HHHH", c, 0, vendor, device, 0, 0)
    c[8] = rev
    c[9] = class24 & 0xff
    c[10] = (class24 >> 8) & 0xff
    c[11] = class24 >> 16
    for i, v in enumerate(bars):
        struct.pack_into(LE + "I", c, 0x10 + 4 * i, v)
    return bytes(c[:0xff])


def capture(comment, name, dev_calls, regions_data):
    ext = [{"ioctl": "VFIO_CHECK_EXTENSION", "extension": e, "ret": 1 if e in (1, 3) else 0}
           for e in range(1, 11)]
    return {
        "vfio-info-capture": 1,
        "tool": "tests/tools/make-mdev-captures.py",
        "comment": comment,
        "host": {"kernel": "hand-made", "machine": "x86_64", "byte_order": "little",
                 "page_size": 4096},
        "container": {"ioctls": [{"ioctl": "VFIO_GET_API_VERSION", "ret": 0}] + ext + [
            ok_call("VFIO_IOMMU_GET_INFO", struct.pack(LE + "IIQI", 24, 1, 0xfffffffffffff000, 0) + b"\0" * 4)]},
        "groups": [{"group": GROUP, "ioctls": [
            ok_call("VFIO_GROUP_GET_STATUS", struct.pack(LE + "II", 8, 1))]}],
        "devices": [{"name": name, "group": GROUP, "cdev": None,
                     "ioctls": dev_calls, "regions": regions_data}],
    }


def pci_device(nreg, regs, irqs):
    calls = [ok_call("VFIO_DEVICE_GET_INFO", struct.pack(LE + "IIIIII", 24, 2, nreg, 5, 0, 0))]
    for i in range(nreg):
        r = regs.get(i)
        if r is None:
            calls.append(ok_call("VFIO_DEVICE_GET_REGION_INFO", region(i, 0, 0, 0), index=i))
        else:
            calls.append(ok_call("VFIO_DEVICE_GET_REGION_INFO", r, index=i))
    for i in range(5):
        q = irqs.get(i)
        if q is None:
            calls.append(errno_call("VFIO_DEVICE_GET_IRQ_INFO", "EINVAL", index=i))
        else:
            calls.append(ok_call("VFIO_DEVICE_GET_IRQ_INFO", irq(i, *q), index=i))
    calls.append(errno_call("VFIO_DEVICE_GET_PCI_HOT_RESET_INFO", "ENOTTY"))
    return calls


RW = 3
SYN = "SYNTHETIC (hand-made, no guest here runs the mdev samples yet): "
UUID = {"mtty": "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001",
        "mdpy": "83b8f4f2-509f-382f-3c1e-e6bfe0fa1002",
        "mbochs": "83b8f4f2-509f-382f-3c1e-e6bfe0fa1003"}


def mtty(variant=""):
    shift = 40  # MTTY_VFIO_PCI_OFFSET_SHIFT
    regs = {7: region(7, RW, 0xff, 7 << shift), 0: region(0, RW, 8, 0),
            1: region(1, RW, 8, 1 << shift)}
    for i in range(2, 9):
        if i != 7:
            regs[i] = region(i, RW, 0, i << shift)
    # INTx: EVENTFD|MASKABLE|AUTOMASKED, MSI: EVENTFD|NORESIZE, count 1
    calls = pci_device(9, regs, {0: (1 | 2 | 4, 1), 1: (1 | 8, 1)})
    if variant == "hostile":
        # unknown flag bits 0x30 kept, no STOP_COPY; state 9, data_fd 5
        calls += features(mig_flags=0x34, mig_state=9, data_fd=5)
        comment = (SYN + "mtty with migration answers no kernel gives: flags 0x34 "
                   "(PRE_COPY and unknown bits 4, 5; no STOP_COPY), device_state 9, "
                   "data_fd 5; the QUERY_GFX_PLANE probes answer 1 and EIO")
        calls += [ok_call("VFIO_DEVICE_QUERY_GFX_PLANE", plane_flags="PROBE|REGION"),
                  errno_call("VFIO_DEVICE_QUERY_GFX_PLANE", "EIO", plane_flags="PROBE|DMABUF")]
        calls[-2]["ret"] = 1
    elif variant == "nostate":
        calls += features(mig_flags=1 | 2 | 4, mig_state=None)
        comment = (SYN + "mtty whose MIG_DEVICE_STATE GET fails with EIO (the sample's "
                   "migration_get_state never fails: a driver that does)")
        calls += planes("ENOTTY", "ENOTTY")
    else:
        # mtty.c: migration_flags STOP_COPY|P2P|PRE_COPY; state RUNNING at open
        calls += features(mig_flags=1 | 2 | 4, mig_state=2)
        comment = (SYN + "mtty-2 (2 ports) as samples/vfio-mdev/mtty.c of Linux 6.12 "
                   "answers: regions and irqs of mtty_get_region_info/mtty_get_irq_info, "
                   "migration_flags STOP_COPY|P2P|PRE_COPY, device_state RUNNING "
                   "(mtty_open_device), data_fd -1; no QUERY_GFX_PLANE (ENOTTY)")
        calls += planes("ENOTTY", "ENOTTY")
    cfg = config(0x4348, 0x3253, 0x070002, 0x10, (1, 1))
    return capture(comment, UUID["mtty"], calls,
                   [{"index": 7, "offset": 0, "data": hx(cfg)}])


def mdpy():
    regs = {7: region(7, RW, 0xff, 0), 0: region(0, RW | 4, 0x200000, 0x1000)}
    for i in range(1, 9):
        if i != 7:
            regs[i] = region(i, 0, 0, 0)
    calls = pci_device(9, regs, {})
    calls += features()
    # mdpy_query_gfx_plane: PROBE|REGION 0, any other probe EINVAL
    calls += planes(None, "EINVAL")
    comment = (SYN + "mdpy as samples/vfio-mdev/mdpy.c of Linux 6.12 answers the "
               "QUERY_GFX_PLANE probes: PROBE|REGION 0, PROBE|DMABUF EINVAL; no "
               "migration (features ENOTTY/EINVAL); BAR0 size made up")
    cfg = config(0x1b36, 0x000f, 0x030000)
    return capture(comment, UUID["mdpy"], calls, [{"index": 7, "offset": 0, "data": hx(cfg)}])


EDID_OFF = 0x2000  # MBOCHS_EDID_OFFSET: MMIO BAR offset PAGE_SIZE + PAGE_SIZE


def mbochs(variant=""):
    regs = {7: region(7, RW, 0xff, 0), 0: region(0, RW | 4, 16 << 20, 0x3000),
            2: region(2, RW, 0x1000, 0x1000),
            9: region(9, RW, 0x1000, EDID_OFF, type_cap(1, 1))}
    for i in range(1, 9):
        if i not in regs:
            regs[i] = region(i, 0, 0, 0)
    calls = pci_device(10, regs, {})
    calls += features()
    # mbochs_query_gfx_plane: PROBE|DMABUF 0, any other probe EINVAL
    calls += planes("EINVAL", None)
    if variant == "hostile":
        # offset inside the header, max size past the region, a size
        # over the maximum, link state 7
        hdr = struct.pack(LE + "IIIIII", 0x10, 0x2000, 0x2100, 0, 0, 7)
        comment = (SYN + "mbochs with an EDID header no kernel writes: edid_offset 0x10 "
                   "inside the header, edid_max_size 0x2000 past the 4 KiB region, "
                   "edid_size 0x2100 over edid_max_size, link_state 7")
    elif variant == "short":
        hdr = struct.pack(LE + "III", 0x800, 0x400, 0)[:10]
        comment = (SYN + "mbochs whose EDID region holds only 10 bytes of the 24-byte "
                   "header (the read comes back short)")
    else:
        # mbochs_probe: edid_offset MBOCHS_EDID_BLOB_OFFSET (PAGE_SIZE/2),
        # edid_max_size sizeof(edid_blob) 0x400; type "medium" 1920x1440;
        # edid_size and link_state stay 0 until a VMM writes them
        hdr = struct.pack(LE + "IIIIII", 0x800, 0x400, 0, 1920, 1440, 0)
        comment = (SYN + "mbochs type medium as samples/vfio-mdev/mbochs.c of Linux 6.12 "
                   "answers: EDID region 9 (TYPE GFX/GFX_EDID, 4 KiB at 0x2000) with "
                   "edid_offset 0x800, edid_max_size 0x400, max_xres 1920, max_yres "
                   "1440, edid_size and link_state 0 (no VMM has written them); "
                   "QUERY_GFX_PLANE PROBE|DMABUF 0, PROBE|REGION EINVAL")
    cfg = config(0x1234, 0x1111, 0x030000, 0, (0x8, 0, 0))
    return capture(comment, UUID["mbochs"], calls,
                   [{"index": 7, "offset": 0, "data": hx(cfg)},
                    {"index": 9, "offset": 0, "data": hx(hdr)}])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "."
    docs = {"synth-mdev-mtty": mtty(), "synth-mdev-mtty-hostile": mtty("hostile"),
            "synth-mdev-mtty-nostate": mtty("nostate"), "synth-mdev-mdpy": mdpy(),
            "synth-mdev-mbochs": mbochs(), "synth-mdev-mbochs-hostile": mbochs("hostile"),
            "synth-mdev-mbochs-short": mbochs("short")}
    for name, doc in docs.items():
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
