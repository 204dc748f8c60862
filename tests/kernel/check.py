#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""check.py RUNDIR -- hold vfio-info's output from a guest against the
guest's own view of the same devices and print TAP.

The reference is never a stored copy of vfio-info's output: it is what the
guest kernel says through other channels -- sysfs (resource, vendor, class,
iommu_group, physfn/virtfn links, reserved_regions), lspci's decoding of
config space (MSI/MSI-X capabilities, interrupt pin, the name of every
capability) and strace.

RUNDIR is what run-scenario.sh left: serial.log, scenario, and guest/ with
the files the guest's init sent back (see tests/kernel/init).
Python standard library only.
"""
import json
import os
import re
import subprocess
import sys

RUN = sys.argv[1] if len(sys.argv) > 1 else "."
G = os.path.join(RUN, "guest")
SCEN = open(os.path.join(RUN, "scenario")).read().strip() \
    if os.path.exists(os.path.join(RUN, "scenario")) else "?"

# ---------------------------------------------------------------- TAP ----
_n = 0
_failed = 0


def tap(ok, desc, diag=None, skip=None):
    global _n, _failed
    _n += 1
    line = "%s %d - %s: %s" % ("ok" if ok or skip else "not ok", _n, SCEN, desc)
    if skip:
        line += " # SKIP " + skip
    print(line)
    if not ok and not skip:
        _failed += 1
        if diag:
            for d in str(diag).splitlines()[:40]:
                print("#   " + d)
    sys.stdout.flush()


def eq(desc, got, want):
    tap(got == want, desc, "got:  %r\nwant: %r" % (got, want))


# ------------------------------------------------------------- inputs ----
def read(*p, default=None):
    path = os.path.join(G, *p)
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return default


def loadjson(*p):
    s = read(*p)
    if s is None:
        return None, "missing"
    try:
        return json.loads(s), None
    except ValueError as e:
        return None, "invalid JSON: %s" % e


def num(v):
    """vfio-info prints sizes/addresses as "0x..." strings, counts as
    numbers; accept both (and {"value": ...} wrappers)."""
    if isinstance(v, dict):
        v = v.get("value")
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        try:
            return int(v, 0)
        except ValueError:
            return None
    return None


def sysfs_resources(bdf):
    """[(start, end, flags)] from /sys/bus/pci/devices/BDF/resource."""
    out = []
    for line in (read("dev", bdf, "resource") or "").splitlines():
        f = line.split()
        if len(f) == 3:
            out.append(tuple(int(x, 16) for x in f))
    return out


def rawcfg_caps(bdf):
    """The same facts decoded from raw config space (guests without lspci,
    i.e. foreign architectures).  Little-endian per the PCI spec."""
    try:
        with open(os.path.join(G, "dev", bdf, "config"), "rb") as f:
            c = f.read()
    except OSError:
        return None
    if len(c) < 64:
        return None
    caps = {"msi": 0, "msix": 0, "msix_bar": None, "pin": c[0x3d], "express": False}
    le16 = lambda o: c[o] | c[o + 1] << 8
    ptr = c[0x34] if le16(0x06) & 0x10 else 0
    seen = set()
    while ptr and ptr not in seen and ptr + 4 <= len(c):
        seen.add(ptr)
        cid = c[ptr]
        if cid == 0x05:                       # MSI: Multiple Message Capable
            caps["msi"] = 1 << ((le16(ptr + 2) >> 1) & 7)
        elif cid == 0x11:                     # MSI-X: table size, table BIR
            caps["msix"] = (le16(ptr + 2) & 0x7ff) + 1
            caps["msix_bar"] = c[ptr + 4] & 7
        elif cid == 0x10:
            caps["express"] = True
        ptr = c[ptr + 1] & 0xfc
    return caps


def lspci_caps(bdf):
    """MSI / MSI-X vector counts, MSI-X table BAR, interrupt pin, PCIe."""
    txt = read("dev", bdf, "lspci-vvv") or ""
    if "Capabilities" not in txt and rawcfg_caps(bdf) is not None:
        return rawcfg_caps(bdf)
    caps = {"msi": 0, "msix": 0, "msix_bar": None, "pin": None,
            "express": "Express" in txt}
    m = re.search(r"MSI: Enable[+-] Count=(\d+)/(\d+)", txt)
    if m:
        caps["msi"] = int(m.group(2))       # vectors the function supports
    m = re.search(r"MSI-X: Enable[+-] Count=(\d+)", txt)
    if m:
        caps["msix"] = int(m.group(1))
    m = re.search(r"Vector table: BAR=(\d+)", txt)
    if m:
        caps["msix_bar"] = int(m.group(1))
    # Interrupt pin from the raw config dump (byte 0x3d), which lspci -vvv
    # only prints when the pin is set.
    for line in (read("dev", bdf, "lspci-xxxx") or "").splitlines():
        m = re.match(r"^30: ((?:[0-9a-f]{2} ?){16})", line)
        if m:
            caps["pin"] = int(m.group(1).split()[13], 16)
    return caps


def reserved_regions(group):
    out = []
    for line in (read("groups", str(group), "reserved_regions") or "").splitlines():
        f = line.split()
        if len(f) >= 3:
            out.append((int(f[0], 16), int(f[1], 16), f[2]))
    return out


# ------------------------------------------------- vfio-info JSON shape ----
def failed(o):
    """Did this query or call fail?  Format 3 writes "ret" (-errno) and
    "errno"; format 2 (the vfio-info of runs made before it) "error"."""
    if not isinstance(o, dict):
        return False
    r = o.get("ret")
    return o.get("error") is not None or o.get("errno") is not None or \
        (isinstance(r, int) and not isinstance(r, bool) and r < 0)


def find_device(js, bdf):
    for d in (js or {}).get("devices", []) or []:
        if isinstance(d, dict) and bdf in (d.get("address"), d.get("name"), d.get("bdf")):
            return d
    return None


def find_group(js, name):
    for g in (js or {}).get("groups", []) or []:
        if isinstance(g, dict) and str(g.get("group")) == str(name):
            return g
    return None


def by_index(items, idx):
    for it in items or []:
        if isinstance(it, dict) and num(it.get("index")) == idx:
            return it
    return None


def negotiation(entry):
    neg = entry.get("negotiation") if isinstance(entry, dict) else None
    return neg if isinstance(neg, list) else []


def cap_names(entry):
    names = []
    for c in (entry or {}).get("caps", []) or []:
        if isinstance(c, dict):
            names.append(c.get("name"))
    return names


def iova_ranges_of(obj):
    """All IOVA ranges found under obj (type1 IOVA_RANGE cap or iommufd
    IOAS_IOVA_RANGES), as a sorted list of (start, end)."""
    found = []

    def walk(o):
        if isinstance(o, dict):
            if isinstance(o.get("ranges"), list) or isinstance(o.get("iova_ranges"), list):
                rs = o.get("ranges") if isinstance(o.get("ranges"), list) else o.get("iova_ranges")
                for r in rs:
                    # type1 says start/end, iommufd start/last
                    if isinstance(r, dict) and num(r.get("start")) is not None:
                        end = r.get("end") if "end" in r else r.get("last")
                        found.append((num(r.get("start")), num(end)))
                return
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(obj)
    return sorted(set(found))


def group_number(s):
    m = re.search(r"(\d+)$", "" if s is None else str(s))
    return int(m.group(1)) if m else None


# --------------------------------------------------------------- checks ----
def check_boot():
    log = ""
    try:
        with open(os.path.join(RUN, "serial.log"), errors="replace") as f:
            log = f.read()
    except OSError:
        pass
    m = re.search(r"VFIOTEST-DONE rc=(\d+)", log)
    tail = "\n".join(log.replace("\r", "").splitlines()[-25:])
    tap(m is not None, "guest ran to completion (VFIOTEST-DONE)", tail)
    if not m:
        return False
    fails = re.findall(r"VFIOTEST-FAIL: (.*)", log)
    tap(m.group(1) == "0", "guest init reported no failure", "\n".join(fails))
    return True


def check_guest_view(bdf):
    """The harness's own plumbing: the device is on vfio-pci and lspci's
    decoding of the BARs agrees with sysfs (guards the parsers below)."""
    eq("%s bound to vfio-pci" % bdf, (read("dev", bdf, "driver") or "").strip(), "vfio-pci")
    if "Region" not in (read("dev", bdf, "lspci-vvv") or ""):
        return      # no lspci in this guest (foreign architecture)
    res = sysfs_resources(bdf)
    lsp = read("dev", bdf, "lspci-vvv") or ""
    sizes = {}
    for m in re.finditer(r"Region (\d+): .*\[size=(\d+)([KMG]?)\]", lsp):
        sizes[int(m.group(1))] = int(m.group(2)) * {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}[m.group(3)]
    want = {}
    for i, (s, e, _fl) in enumerate(res[:6]):
        if e:
            want[i] = e - s + 1
    eq("%s lspci BAR sizes agree with sysfs resource" % bdf, sizes, want)


def check_device(js, bdf, flow, tag):
    """vfio-info's view of one device against the guest's view."""
    dev = find_device(js, bdf)
    tap(dev is not None, "%s%s: device in vfio-info JSON" % (bdf, tag),
        json.dumps(js)[:2000] if js else "no JSON")
    if dev is None:
        return None
    if failed(dev):
        tap(False, "%s%s: device opened" % (bdf, tag), dev.get("errno") or dev.get("error"))
        return dev

    if flow:
        eq("%s%s: flow" % (bdf, tag), dev.get("flow"), flow)

    # identity: vfio's config region (virtualised for VFs) vs sysfs
    cfg = dev.get("config") or {}
    for key, sysname in (("vendor_id", "vendor"), ("device_id", "device"), ("class", "class")):
        eq("%s%s: config %s vs sysfs %s" % (bdf, tag, key, sysname),
           num(cfg.get(key)), num((read("dev", bdf, sysname) or "").strip()))

    # group vs the iommu_group link
    if dev.get("group") is not None or flow != "cdev":
        eq("%s%s: group vs iommu_group link" % (bdf, tag),
           group_number(dev.get("group")), group_number(read("dev", bdf, "iommu_group")))

    # regions vs sysfs resource: BAR0-5, ROM (6); CONFIG (7) vs config size
    regions = dev.get("regions") or []
    res = sysfs_resources(bdf)
    got, want = {}, {}
    rom_read = (read("dev", bdf, "rom_read") or "").strip()
    for i in range(7):
        r = by_index(regions, i)
        got[i] = num(r.get("size")) if r and not failed(r) else None
        if i < len(res):
            s, e, _f = res[i]
            want[i] = (e - s + 1) if e else 0
    # vfio-pci probes the ROM with pci_map_rom() and reports size 0 when that
    # fails (s390x zPCI); the guest's own read of the sysfs rom file, which
    # uses the same function, tells whether it can be mapped.
    if want.get(6) and rom_read in ("", "0"):
        want[6] = 0
    eq("%s%s: region sizes BAR0-5,ROM vs sysfs resource" % (bdf, tag), got, want)
    r7 = by_index(regions, 7)
    csz = read("dev", bdf, "config_size")
    if csz:
        eq("%s%s: CONFIG region size vs sysfs config size" % (bdf, tag),
           num(r7.get("size")) if r7 else None, int(csz))

    # VGA region (8) exists exactly for VGA-class devices (vfio-pci-core
    # only adds it with CONFIG_VFIO_PCI_VGA and a VGA class code)
    r8 = by_index(regions, 8)
    is_vga = (num((read("dev", bdf, "class") or "0").strip()) or 0) >> 8 == 0x0300
    tap(bool(r8) and (not failed(r8)) == is_vga,
        "%s%s: VGA region present iff class is VGA" % (bdf, tag), json.dumps(r8))

    # irqs vs lspci's decoding of the MSI/MSI-X capabilities and the pin
    lc = lspci_caps(bdf)
    irqs = dev.get("irqs") or []

    def count(i):
        q = by_index(irqs, i)
        return num(q.get("count")) if q and not failed(q) else None
    is_vf = bool((read("dev", bdf, "physfn") or "").strip())
    # vfio-pci offers no INTx for VFs, nor on s390 (CONFIG_VFIO_PCI_INTX is
    # "def_bool y if !S390"), whatever the interrupt pin says.
    s390 = (read("uname-m") or "").strip() == "s390x"
    why = " (VF: none)" if is_vf else " (s390: no INTx)" if s390 else ""
    eq("%s%s: INTx count vs interrupt pin%s" % (bdf, tag, why),
       count(0), 1 if (lc["pin"] and not is_vf and not s390) else 0)
    src = "lspci" if "Capabilities" in (read("dev", bdf, "lspci-vvv") or "") else "raw config"
    eq("%s%s: MSI count vs %s MSI capability" % (bdf, tag, src), count(1), lc["msi"])
    eq("%s%s: MSI-X count vs %s MSI-X capability" % (bdf, tag, src), count(2), lc["msix"])

    # negotiation: the MSI-X BAR carries MSIX_MAPPABLE, so its first
    # GET_REGION_INFO (32 bytes) is answered with argsz 40 and a second call
    # follows; regions without caps take exactly one call.
    # Without MIO (sysfs mio_enabled=0) s390 BARs cannot be mmap()ed, and the
    # MSIX_MAPPABLE cap only comes with an mmap-able BAR: then one call.
    zs = zpci_sysfs(bdf)
    if lc["msix_bar"] is not None and zs and not zs.get("mio_enabled"):
        r = by_index(regions, lc["msix_bar"])
        tap(len(negotiation(r)) == 1 and "MSIX_MAPPABLE" not in cap_names(r),
            "%s%s: MSI-X BAR%d without MIO: no MSIX_MAPPABLE, one call" % (bdf, tag, lc["msix_bar"]),
            json.dumps(r))
    elif lc["msix_bar"] is not None:
        r = by_index(regions, lc["msix_bar"])
        neg = negotiation(r)
        first = neg[0] if neg else {}
        ok = (len(neg) == 2 and num(first.get("argsz_in")) == 32 and
              num(first.get("argsz_out")) == 40 and num(neg[1].get("argsz_in")) == 40)
        tap(ok, "%s%s: MSI-X BAR%d negotiation 32 -> 40, two calls" % (bdf, tag, lc["msix_bar"]),
            json.dumps(neg))
        tap("MSIX_MAPPABLE" in cap_names(r), "%s%s: MSI-X BAR%d has MSIX_MAPPABLE cap" %
            (bdf, tag, lc["msix_bar"]), json.dumps(r)[:1500])
    bad = []
    for r in regions:
        if not isinstance(r, dict) or failed(r) or r.get("caps"):
            continue
        neg = negotiation(r)
        if len(neg) != 1:
            bad.append("region %s: %s" % (r.get("index"), json.dumps(neg)))
    for q in irqs:
        if isinstance(q, dict) and not failed(q) and len(negotiation(q)) != 1:
            bad.append("irq %s: %s" % (q.get("index"), json.dumps(negotiation(q))))
    info = dev.get("info") or {}
    ineg = negotiation(info)
    if info.get("caps"):
        # device caps (zPCI): the first, short call reports the full argsz
        ok = (len(ineg) == 2 and num(ineg[0].get("argsz_out")) > num(ineg[0].get("argsz_in")) and
              num(ineg[1].get("argsz_in")) == num(ineg[0].get("argsz_out")))
    else:
        ok = len(ineg) == 1
    if not ok:
        bad.append("device info: %s" % json.dumps(ineg))
    tap(not bad, "%s%s: queries without caps took exactly one call (device info with caps: two)"
        % (bdf, tag), "\n".join(bad))
    return dev


def check_iova(js, bdf, tag):
    """type1 IOVA ranges of the device's container vs the group's
    reserved_regions: the gaps between the ranges are exactly the merged
    non-relaxable reserved regions (vfio_iommu_type1 excludes those)."""
    g = group_number(read("dev", bdf, "iommu_group"))
    grp = find_group(js, g)
    if grp is None:
        tap(False, "%s%s: group %s in vfio-info JSON" % (bdf, tag, g), json.dumps(js)[:1500])
        return None
    ranges = iova_ranges_of(grp.get("container") or grp)
    tap(bool(ranges), "%s%s: type1 IOVA_RANGE cap present" % (bdf, tag), json.dumps(grp)[:1500])
    if not ranges:
        return None
    resv = sorted((s, e) for s, e, t in reserved_regions(g) if t != "direct-relaxable")
    merged = []
    for s, e in resv:
        if merged and s <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    gaps = []
    pos = 0
    for s, e in ranges:
        if s > pos:
            gaps.append((pos, s - 1))
        pos = e + 1
    inside = [(s, e) for s, e in merged if e <= ranges[-1][1]]
    eq("%s%s: IOVA gaps == group reserved_regions" % (bdf, tag),
       [(hex(a), hex(b)) for a, b in gaps], [(hex(a), hex(b)) for a, b in inside])
    return ranges


def dt_cells(raw, start, n):
    """n big-endian 32-bit device-tree cells from byte start, as one number"""
    v = 0
    for i in range(n):
        v = (v << 32) | int.from_bytes(raw[start + 4 * i:start + 4 * i + 4], "big")
    return v


def rawfile(*p):
    try:
        with open(os.path.join(G, *p), "rb") as f:
            return f.read()
    except OSError:
        return None


def check_spapr(js, bdf, tag, pgsz):
    """ppc64 pseries: VFIO_IOMMU_SPAPR_TCE_GET_INFO vs what the guest
    kernel read from the device tree at boot (arch/powerpc/platforms/
    pseries/iommu.c, spapr_tce_init_table_group): the dma32 window is the
    "ibm,dma-window" of the device's node or its PHB (liobn, then
    ibm,#dma-address-cells of address and ibm,#dma-size-cells of size);
    DDW is reported for a v2 container when the node has
    "ibm,ddw-applicable" (max windows: 2 when QEMU's ibm,query-pe-dma-window
    says a window is free, IOMMU_TABLE_GROUP_MAX_TABLES; levels: 1); the
    page sizes are 4K plus those QEMU's query offers (its PHB's pgsz)."""
    g = group_number(read("dev", bdf, "iommu_group"))
    grp = find_group(js, g)
    if grp is None:
        tap(False, "%s%s: group %s in vfio-info JSON" % (bdf, tag, g), json.dumps(js)[:1500])
        return
    cont = grp.get("container") or {}
    it = cont.get("iommu_type")
    itn = it.get("name") if isinstance(it, dict) else it
    eq("%s%s: container iommu_type is SPAPR_TCE_v2_IOMMU" % (bdf, tag), itn, "SPAPR_TCE_v2_IOMMU")
    tap("iommu_info" not in cont, "%s%s: no type1 iommu_info on a sPAPR container" % (bdf, tag),
        json.dumps(cont)[:800])
    info = cont.get("spapr_tce_info")
    tap(isinstance(info, dict), "%s%s: spapr_tce_info present" % (bdf, tag), json.dumps(cont)[:1500])
    if not isinstance(info, dict):
        return
    neg = info.get("negotiation") or []
    eq("%s%s: SPAPR_TCE_GET_INFO asked once with argsz 32 (the kernel fills ddw only then)" % (bdf, tag),
       [(num(c.get("argsz_in")), num(c.get("argsz_out")), num(c.get("ret"))) for c in neg], [(32, 32, 0)])
    win = rawfile("spapr", bdf, "ibm,dma-window")
    node = (read("spapr", bdf, "dma-window-node") or "").strip()
    tap(win is not None, "%s: the guest's device tree has ibm,dma-window (%s)" % (bdf, node or "none"))
    if win is None:
        return
    ac = rawfile("spapr", bdf, "ibm,#dma-address-cells")
    sc = rawfile("spapr", bdf, "ibm,#dma-size-cells")
    ac = dt_cells(ac, 0, 1) if ac else 2
    sc = dt_cells(sc, 0, 1) if sc else 2
    if len(win) < 4 * (1 + ac + sc):
        tap(False, "%s: ibm,dma-window is %d bytes, %d cells expected" % (bdf, len(win), 1 + ac + sc))
        return
    liobn, base, size = dt_cells(win, 0, 1), dt_cells(win, 4, ac), dt_cells(win, 4 + 4 * ac, sc)
    print("# %s: device tree %s ibm,dma-window: liobn 0x%x base 0x%x size 0x%x"
          % (bdf, node, liobn, base, size))
    eq("%s%s: dma32_window_start == ibm,dma-window base 0x%x" % (bdf, tag, base),
       num(info.get("dma32_window_start")), base)
    eq("%s%s: dma32_window_size == ibm,dma-window size 0x%x" % (bdf, tag, size),
       num(info.get("dma32_window_size")), size)
    ddwapp = rawfile("spapr", bdf, "ibm,ddw-applicable")
    fl = info.get("flags") or {}
    names = fl.get("names") or [] if isinstance(fl, dict) else []
    ddw = info.get("ddw") or {}
    print("# %s: ibm,ddw-applicable %s" % (bdf, "present (%d bytes)" % len(ddwapp) if ddwapp else "absent"))
    if ddwapp is None:
        # the kernel then sets max_dynamic_windows_supported to -1 (u32)
        eq("%s%s: no ddw-applicable: max_dynamic_windows_supported 0xffffffff" % (bdf, tag),
           num(ddw.get("max_dynamic_windows_supported")), 0xffffffff)
        return
    tap("DDW" in names, "%s%s: flags has DDW (ibm,ddw-applicable present, v2 container)" % (bdf, tag),
        json.dumps(fl))
    eq("%s%s: ddw max_dynamic_windows_supported == 2 (IOMMU_TABLE_GROUP_MAX_TABLES)" % (bdf, tag),
       num(ddw.get("max_dynamic_windows_supported")), 2)
    eq("%s%s: ddw levels == 1 (pseries max_levels)" % (bdf, tag), num(ddw.get("levels")), 1)
    want = 0x1000 | pgsz
    eq("%s%s: ddw pgsizes == 4K | QEMU PHB pgsz 0x%x" % (bdf, tag, pgsz), num(ddw.get("pgsizes")), want)
    sizes = [num(x) for x in ddw.get("page_sizes") or []]
    eq("%s%s: ddw page_sizes list the pgsizes bits" % (bdf, tag), sizes,
       [1 << i for i in range(64) if want >> i & 1])
    dbg = os.path.join(G, "spapr", "debugfs")
    for t in sorted(os.listdir(dbg)) if os.path.isdir(dbg) else []:
        if int(t, 16) != liobn:
            continue
        sz, sh = num(read("spapr", "debugfs", t, "it_size")), num(read("spapr", "debugfs", t, "it_page_shift"))
        if sz is not None and sh is not None:
            eq("%s%s: debugfs iommu/%s it_size << it_page_shift == dma32_window_size" % (bdf, tag, t),
               sz << sh, num(info.get("dma32_window_size")))


def zpci_sysfs(bdf):
    out = {}
    for line in (read("dev", bdf, "zpci") or "").splitlines():
        k, _, v = line.partition("=")
        out[k] = num(v.strip())
    return out


def check_zpci(js, bdf, given):
    """s390x: the ZPCI device-info caps vs the guest's zPCI sysfs attributes
    and the uid/fid QEMU was given on its command line."""
    zs = zpci_sysfs(bdf)
    uid, fid = given
    eq("%s: sysfs uid == QEMU zpci uid" % bdf, zs.get("uid"), uid)
    eq("%s: sysfs function_id == QEMU zpci fid" % bdf, zs.get("function_id"), fid)
    eq("%s: PCI domain == uid (uid_is_unique)" % bdf, int(bdf.split(":")[0], 16), uid)
    dev = find_device(js, bdf)
    if dev is None:
        return
    caps = {c.get("name"): c for c in (dev.get("info") or {}).get("caps", []) or [] if isinstance(c, dict)}
    tap(all(n in caps for n in ("ZPCI_BASE", "ZPCI_GROUP", "ZPCI_PFIP")),
        "%s: device info has ZPCI_BASE, ZPCI_GROUP and ZPCI_PFIP caps" % bdf,
        json.dumps(dev.get("info"))[:1500])
    base, grp = caps.get("ZPCI_BASE", {}), caps.get("ZPCI_GROUP", {})
    for field, attr in (("fh", "function_handle"), ("pchid", "pchid"), ("vfn", "vfn"),
                        ("pft", "pft"), ("gid", "pfgid")):
        eq("%s: ZPCI_BASE %s vs sysfs %s" % (bdf, field, attr), num(base.get(field)), zs.get(attr))
    # the DMA aperture is the type1 IOVA range of the device's container
    g = find_group(js, group_number(read("dev", bdf, "iommu_group")))
    rng = iova_ranges_of((g or {}).get("container") or {})
    eq("%s: ZPCI_BASE start_dma..end_dma == type1 IOVA range" % bdf,
       [(num(base.get("start_dma")), num(base.get("end_dma")))], rng)
    # documented constants: maxstbl is the kernel's ZPCI_MAX_WRITE_SIZE (128),
    # the REFRESH flag is always set by vfio_pci_zdev.c
    eq("%s: ZPCI_GROUP maxstbl == 128" % bdf, num(grp.get("maxstbl")), 128)
    fl = grp.get("flags")
    names = fl.get("names", []) if isinstance(fl, dict) else []
    tap("REFRESH" in names or (num(fl) or 0) & 1, "%s: ZPCI_GROUP flags has REFRESH" % bdf, json.dumps(grp))


def find_key(o, key):
    if isinstance(o, dict):
        if key in o:
            return o[key]
        for v in o.values():
            r = find_key(v, key)
            if r is not None:
                return r
    elif isinstance(o, list):
        for v in o:
            r = find_key(v, key)
            if r is not None:
                return r
    return None


def check_iommufd(dev, bdf, tag):
    """cdev flow: BIND gave a dev_id; IOMMU_GET_HW_INFO's VT-d registers
    equal what the guest's intel-iommu driver shows in sysfs."""
    ifd = dev.get("iommufd")
    tap(isinstance(ifd, dict) and not failed(ifd) and num(ifd.get("dev_id")) is not None,
        "%s%s: BIND_IOMMUFD gave a dev_id" % (bdf, tag), json.dumps(ifd)[:1500])
    if not isinstance(ifd, dict):
        return
    hw = ifd.get("hw_info") or {}
    unit = (read("dev", bdf, "iommu") or "").strip()
    if unit.startswith("smmu3."):
        # arm64 virt: the device's iommu link names an SMMUv3 instance, so
        # the hw_info must be of type ARM_SMMUV3 (no registers in sysfs).
        eq("%s%s: hw_info type for an %s device" % (bdf, tag, unit),
           ((hw.get("type") or {}).get("name")), "ARM_SMMUV3")
        cap = None
    else:
        cap = ""
    if cap is not None:
        cap = (read("iommu", unit, "cap") or "").strip()
        ecap = (read("iommu", unit, "ecap") or "").strip()
    if cap is None:
        pass
    elif cap:
        eq("%s%s: hw_info VT-d cap_reg vs sysfs %s/intel-iommu/cap" % (bdf, tag, unit),
           num(find_key(hw, "cap_reg")), int(cap, 16))
        eq("%s%s: hw_info VT-d ecap_reg vs sysfs %s/intel-iommu/ecap" % (bdf, tag, unit),
           num(find_key(hw, "ecap_reg")), int(ecap, 16))
    else:
        tap(False, "%s%s: guest sysfs shows the device's intel-iommu unit" % (bdf, tag), unit)
    tap(bool(iova_ranges_of(ifd)), "%s%s: IOAS_IOVA_RANGES reported ranges" % (bdf, tag),
        json.dumps(ifd)[:1500])
    # count negotiation: num_iovas 0 -> -EMSGSIZE with the count, then once more
    neg = negotiation(find_key(ifd, "iova_ranges") or {})
    n = num(neg[0].get("num_iovas_out")) if neg else None
    ok = (len(neg) == 2 and num(neg[0].get("num_iovas_in")) == 0 and
          neg[0].get("errno") == "EMSGSIZE" and isinstance(neg[0].get("ret"), int) and
          neg[0].get("ret") < 0 and num(neg[0].get("num_iovas_out")) == n and
          num(neg[1].get("num_iovas_in")) == n and neg[1].get("ret") == 0)
    tap(ok, "%s%s: IOAS_IOVA_RANGES negotiation 0 -> EMSGSIZE(n) -> n, success" % (bdf, tag),
        json.dumps(neg))


def is_noiommu(group):
    """The guest has /dev/vfio/noiommu-N for this iommu_group N (vfio made
    the group itself because no IOMMU covers the device)."""
    return re.search(r"\snoiommu-%s\n" % group, read("dev-nodes") or "") is not None


def check_noiommu(js, bdf):
    """noiommu: the group is /dev/vfio/noiommu-N for the device's
    iommu_group N and the container uses VFIO_NOIOMMU_IOMMU (8)."""
    g = group_number(read("dev", bdf, "iommu_group"))
    dev = find_device(js, bdf) or {}
    eq("%s: group is the iommu_group, marked noiommu" % bdf,
       (dev.get("group"), dev.get("noiommu")), (g, True))
    tap(re.search(r"\snoiommu-%s\n" % g, read("dev-nodes") or "") is not None,
        "%s: guest has /dev/vfio/noiommu-%s" % (bdf, g), read("dev-nodes"))
    grp = find_group(js, g) or {}
    eq("%s: container iommu type is NOIOMMU (8)" % bdf,
       num(((grp.get("container") or {}).get("iommu_type") or {}).get("value")), 8)


def be_cells(raw, n):
    """Split a DT property into big-endian numbers of n 32-bit cells."""
    vals = []
    step = 4 * n
    for off in range(0, len(raw) - step + 1, step):
        v = 0
        for i in range(n):
            v = v << 32 | int.from_bytes(raw[off + 4 * i:off + 4 * i + 4], "big")
        vals.append(v)
    return vals


def check_pdev(name):
    """A platform/AMBA device: vfio's regions and irqs against the device
    tree node the kernel created it from (reg, interrupts)."""
    tag = name
    bus = (read("pdev", name, "bus") or "").strip()
    eq("%s bound to vfio-%s" % (tag, bus), (read("pdev", name, "driver") or "").strip(), "vfio-" + bus)
    eq("%s: dump exit status" % tag, (read("pdev", name, "dump.rc") or "").strip(), "0")
    js, err = loadjson("pdev", name, "dump.json")
    tap(js is not None, "%s: dump is valid JSON" % tag, (err or "") + "\n" + (read("pdev", name, "dump.err") or ""))
    eq("%s: capture exit status" % tag, (read("pdev", name, "capture.rc") or "").strip(), "0")
    dev = find_device(js, name)
    tap(dev is not None, "%s: device in vfio-info JSON" % tag, json.dumps(js)[:1500] if js else "")
    if dev is None:
        return
    flags = ((dev.get("info") or {}).get("flags") or {}).get("names", [])
    tap(bus.upper() in flags, "%s: device flags say %s" % (tag, bus.upper()), json.dumps(dev.get("info")))
    g = group_number(read("pdev", name, "iommu_group"))
    eq("%s: group vs iommu_group link" % tag, group_number(dev.get("group")), g)
    if is_noiommu(g):
        eq("%s: group is the iommu_group, marked noiommu" % tag,
           (dev.get("group"), dev.get("noiommu")), (g, True))
    ac = int.from_bytes(rawfile("pdev", name, "of_address_cells") or b"\0\0\0\2", "big")
    sc = int.from_bytes(rawfile("pdev", name, "of_size_cells") or b"\0\0\0\2", "big")
    reg = rawfile("pdev", name, "of_reg") or b""
    cells = be_cells(reg, 1)
    want = []
    for i in range(0, len(cells) - (ac + sc) + 1, ac + sc):
        size = 0
        for c in cells[i + ac:i + ac + sc]:
            size = size << 32 | c
        want.append(size)
    got = [num(r.get("size")) for r in dev.get("regions") or [] if isinstance(r, dict)]
    eq("%s: region sizes vs DT reg (#address-cells=%d #size-cells=%d)" % (tag, ac, sc), got, want)
    eq("%s: num_regions vs DT reg entries" % tag, num((dev.get("info") or {}).get("num_regions")), len(want))
    ic = int.from_bytes(rawfile("of_intc_cells") or b"\0\0\0\3", "big")
    nirq = len(rawfile("pdev", name, "of_interrupts") or b"") // (4 * ic)
    eq("%s: num_irqs vs DT interrupts (%d cells each)" % (tag, ic),
       num((dev.get("info") or {}).get("num_irqs")), nirq)
    bad = [r for r in dev.get("irqs") or [] if isinstance(r, dict) and num(r.get("count")) != 1]
    tap(not bad, "%s: each platform irq has count 1" % tag, json.dumps(bad))


def title_parts(title):
    """(name, version) of a capability heading, lspci's or vfio-info's:
    the words before the state lspci appends (": Enable-", ", MSI 00",
    " version 2", a serial number), the extended version from lspci's
    "[100 v2]" or vfio-info's trailing " (v2)"."""
    ver = None
    m = re.match(r"^(.*) \(v(\d+)\)$", title)
    if m:
        title, ver = m.group(1), int(m.group(2))
    name = re.split(r": |, ", title, 1)[0]
    name = re.sub(r" version \d+$", "", name)
    name = re.sub(r" [0-9a-f]{2}(?:-[0-9a-f]{2}){7}$", "", name)
    return name, ver


def check_cap_names(bdf):
    """Each capability heading of vfio-info's text dump names the capability
    as `lspci -vvv` does, for every capability both lists hold (vfio-pci
    hides some: vfio_diffs.py holds the lists).  The text comes from the
    host's vfio-info replaying the guest's capture, which prints what the
    live dump printed (check-replay.py); the JSON the guest saved holds the
    short ids only."""
    lsp = read("dev", bdf, "lspci-vvv") or ""
    if "Capabilities" not in lsp:
        return      # no lspci in this guest (foreign architecture)
    vi = os.environ.get("VFIO_INFO")
    cap = next((os.path.join(G, "dev", bdf, c) for c in
                ("capture.json", "capture-legacy.json", "capture-cdev.json")
                if os.path.exists(os.path.join(G, "dev", bdf, c))), None)
    desc = "%s: capability names in dump's text are lspci -vvv's" % bdf
    if not vi or cap is None:
        tap(True, desc, skip="no VFIO_INFO in the environment" if not vi else "no capture")
        return
    opts = ["--cdev"] if cap.endswith("-cdev.json") else []
    p = subprocess.run([vi, "--replay", cap] + opts + ["dump", bdf], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True,
                       env=dict(os.environ, VFIO_INFO_PCI_IDS="", LC_ALL="C"))
    ours = {}
    for line in p.stdout.splitlines():
        m = re.match(r"^\s+\[([0-9a-f]+)\] (.*)$", line)
        if m:
            ours[int(m.group(1), 16)] = m.group(2)
    if p.returncode != 0 or not ours:
        tap(False, desc, "exit %d, %d headings\n%s" % (p.returncode, len(ours), p.stderr[:500]))
        return
    for line in lsp.splitlines():
        m = re.match(r"^\tCapabilities: \[([0-9a-f]+)(?: v(\d+))?\] (.*)$", line)
        if not m:
            continue
        off = int(m.group(1), 16)
        want = (title_parts(m.group(3))[0], int(m.group(2)) if m.group(2) else None)
        if off not in ours:
            continue    # hidden by vfio-pci
        eq("%s: [%x] named as lspci -vvv names it (%s)" % (bdf, off, m.group(3)),
           title_parts(ours[off]), want)


def check_strace():
    txt = read("run", "strace.txt")
    if txt is None:
        return
    eq("full dump of every device (with --vf-token when set) under strace: exit status", (read("run", "strace.rc") or "").strip(), "0")
    pw = [l for l in txt.splitlines() if re.search(r"\bpwrite(64|v|v2)?\(", l)]
    tap(not pw, "strace: no pwrite* during a full dump", "\n".join(pw))
    wr = [l for l in txt.splitlines()
          if re.search(r"\bwritev?\(\d+</dev/(vfio|iommu)", l)]
    tap(not wr, "strace: no write() to a vfio/iommu fd", "\n".join(wr))
    # Anything that changes device or IOMMU state.  VFIO ioctl numbers are
    # shared between fd types (117 is VFIO_DEVICE_FEATURE on a device and
    # VFIO_IOMMU_DIRTY_PAGES on a container), and strace prints "A or B";
    # the fd's path (strace -y) says which one it was.
    forbidden = {"VFIO_DEVICE_SET_IRQS", "VFIO_DEVICE_RESET", "VFIO_DEVICE_PCI_HOT_RESET",
                 "VFIO_DEVICE_IOEVENTFD", "VFIO_IOMMU_MAP_DMA", "VFIO_IOMMU_UNMAP_DMA",
                 "VFIO_IOMMU_DIRTY_PAGES", "IOMMU_IOAS_MAP", "IOMMU_IOAS_UNMAP",
                 "IOMMU_IOAS_COPY", "IOMMU_IOAS_MAP_FILE"}
    bad, unknown = [], []
    for l in txt.splitlines():
        m = re.search(r"ioctl\(\d+<([^>]*)>, ([^,]+),", l)
        if not m:
            continue
        path, names = m.group(1), [n.strip() for n in m.group(2).split(" or ")]
        if "vfio-device" in path or path.startswith("/dev/vfio/devices/"):
            want = [n for n in names if n.startswith("VFIO_DEVICE_")]
        elif path == "/dev/vfio/vfio":
            want = [n for n in names if n.startswith("VFIO_") and not
                    n.startswith(("VFIO_DEVICE_", "VFIO_GROUP_"))]
        elif path.startswith("/dev/vfio/"):
            want = [n for n in names if n.startswith("VFIO_GROUP_")]
        elif path == "/dev/iommu":
            want = [n for n in names if n.startswith("IOMMU_")]
        else:
            continue
        if not want:
            # undecoded: a raw _IOC(...) or a number strace has no name for
            unknown.append(l)
            continue
        if any(n in forbidden for n in want):
            bad.append(l)
    tap(not bad, "strace: no SET_IRQS/RESET/HOT_RESET/DMA-map ioctls", "\n".join(bad))
    tap(not unknown, "strace: every vfio/iommufd ioctl was identified", "\n".join(unknown))
    n_ioctl = sum(1 for l in txt.splitlines() if "ioctl(" in l and "/dev/vfio" in l)
    tap(n_ioctl > 0, "strace: the dump did issue vfio ioctls (%d)" % n_ioctl, txt[:1500])


def check_nonroot(bdf, rootdev):
    rc = read("run", "nonroot-rc")
    if rc is None and read("run", "nonroot-id") is None:
        return
    ident = read("run", "nonroot-id") or ""
    tap("uid=1000" in ident, "non-root run really ran as uid 1000", ident)
    if is_noiommu(group_number(read("dev", bdf, "iommu_group"))):
        # vfio_group_fops_open(): a noiommu group needs CAP_SYS_RAWIO, so an
        # unprivileged owner of /dev/vfio/noiommu-N must be refused (EPERM,
        # vfio-info's exit 4), whatever the node's mode says.
        eq("non-root open of a noiommu group refused (CAP_SYS_RAWIO): exit 4",
           (rc or "").strip(), "4")
        return
    eq("non-root dump of %s exit status" % bdf, (rc or "").strip(), "0")
    js, err = loadjson("run", "nonroot-json")
    tap(js is not None, "non-root dump is valid JSON", err or (read("run", "nonroot-err") or ""))
    dev = find_device(js, bdf)
    nrf = re.findall(r"vfiotest_nonroot_flow=(\S+)", read("cmdline") or "")
    if nrf and dev is not None:
        eq("non-root dump used the %s flow" % nrf[0], dev.get("flow"), nrf[0])
    if dev is not None and rootdev is not None:
        def sizes(d):
            return [(r.get("index"), r.get("size"), failed(r)) for r in d.get("regions") or []]
        eq("non-root dump of %s: same regions as root's" % bdf, sizes(dev), sizes(rootdev))


def check_sriov(js_by_bdf):
    """VF relation: physfn/virtfn links vs what vfio itself reports (the
    PF's hot-reset dependency list, and any SR-IOV fields vfio-info prints)."""
    for bdf, js in js_by_bdf.items():
        vfs = [l.split()[1] for l in (read("dev", bdf, "virtfn") or "").splitlines() if l.strip()]
        if not vfs:
            continue
        dev = find_device(js, bdf)
        if dev is None:
            continue
        hr = dev.get("hot_reset") or {}
        addrs = sorted(d.get("address") for d in hr.get("devices", []) or [] if isinstance(d, dict))
        eq("%s: hot-reset dependants == PF + virtfn links" % bdf, addrs, sorted([bdf] + vfs))
        for vf in vfs:
            eq("%s: physfn link points back to %s" % (vf, bdf),
               (read("dev", vf, "physfn") or "").strip(), bdf)
        want = sorted((a, group_number(read("dev", a, "iommu_group"))) for a in [bdf] + vfs)
        got = sorted((d.get("address"), num(d.get("group", d.get("group_id"))))
                     for d in hr.get("devices", []) or [] if isinstance(d, dict))
        eq("%s: hot-reset dependants' group ids == their iommu_group links" % bdf, got, want)
    # vfio-info's own sysfs view of every device vs the links
    for bdf, js in js_by_bdf.items():
        dev = find_device(js, bdf)
        if dev is None or not isinstance(dev.get("sysfs"), dict):
            continue
        eq("%s: vfio-info sysfs.physfn vs physfn link" % bdf,
           dev["sysfs"].get("physfn") or "", (read("dev", bdf, "physfn") or "").strip())
    nt = read("run", "notoken.rc")
    if nt:
        vf, rc = nt.split()
        eq("%s: VF without --vf-token is refused (exit 4)" % vf, rc, "4")


def main():
    if not check_boot():
        print("1..%d" % _n)
        return 1
    bdfs = (read("bdfs") or "").split()
    tap(bool(bdfs), "guest listed its devices", read("bdfs"))
    for b in bdfs:
        check_guest_view(b)
        check_cap_names(b)
    if (read("have-vfio-info") or "0").strip() != "1":
        tap(True, "vfio-info checks", skip="no static vfio-info in the guest")
        print("1..%d" % _n)
        return 1 if _failed else 0

    flows = [f for f in re.findall(r"vfiotest_flows=(\S+)", read("cmdline") or "")]
    flows = flows[0].split(",") if flows else ["default"]
    # "default" lets vfio-info pick; every scenario that uses it has no
    # /dev/iommu, so vfio-info must pick the group (legacy) flow.
    legacy_key = "legacy" if "legacy" in flows else "default"
    js_by_bdf = {}
    for b in bdfs:
        per_flow = {}
        for f in flows:
            sfx = "" if f == "default" else "-" + f
            tag = "" if f == "default" else " [%s]" % f
            eq("%s%s: dump exit status" % (b, tag), (read("dev", b, "dump%s.rc" % sfx) or "").strip(), "0")
            js, err = loadjson("dev", b, "dump%s.json" % sfx)
            tap(js is not None, "%s%s: dump is valid JSON" % (b, tag),
                (err or "") + "\n" + (read("dev", b, "dump%s.err" % sfx) or ""))
            eq("%s%s: capture exit status" % (b, tag), (read("dev", b, "capture%s.rc" % sfx) or "").strip(), "0")
            cj, cerr = loadjson("dev", b, "capture%s.json" % sfx)
            tap(cj is not None, "%s%s: capture is valid JSON" % (b, tag),
                (cerr or "") + "\n" + (read("dev", b, "capture%s.out" % sfx) or ""))
            if js is None:
                continue
            want_flow = "legacy" if f == "default" else f
            dev = check_device(js, b, want_flow, tag)
            t1 = None
            noiommu = is_noiommu(group_number(read("dev", b, "iommu_group")))
            spapr = re.findall(r"vfiotest_spapr_pgsz=(\S+)", read("cmdline") or "")
            if spapr and want_flow == "legacy":
                check_spapr(js, b, tag, int(spapr[0], 0))
            elif not noiommu and want_flow == "legacy":
                t1 = check_iova(js, b, tag)
            if noiommu and dev is not None:
                check_noiommu(js, b)
            if want_flow == "cdev" and dev is not None:
                check_iommufd(dev, b, tag)
            per_flow[f] = (js, dev, t1)
        if legacy_key in per_flow:
            js_by_bdf[b] = per_flow[legacy_key][0]
        # cdev vs legacy in the same boot: identical device answers, and the
        # iommufd IOVA ranges equal the type1 ones.
        if "cdev" in per_flow and legacy_key in per_flow:
            _lj, ld, t1 = per_flow[legacy_key]
            _cj, cd, _x = per_flow["cdev"]
            if ld and cd:
                def shape(d):
                    return ([(r.get("index"), r.get("size"), r.get("flags"), failed(r))
                             for r in d.get("regions") or []],
                            [(q.get("index"), q.get("count"), q.get("flags"), failed(q))
                             for q in d.get("irqs") or []])
                eq("%s: cdev and legacy flows report the same regions/irqs" % b, shape(cd), shape(ld))
                ifr = iova_ranges_of(cd.get("iommufd") or {})
                eq("%s: iommufd IOAS_IOVA_RANGES == type1 IOVA_RANGE" % b,
                   [(hex(x), hex(y)) for x, y in ifr], [(hex(x), hex(y)) for x, y in (t1 or [])])
    for n in (read("pdevs") or "").split():
        check_pdev(n)
    check_sriov(js_by_bdf)
    for spec in re.findall(r"vfiotest_zpci=(\S+)", read("cmdline") or ""):
        for item in spec.split(","):
            dom, uid, fid = item.split(":")
            b = "%s:00:00.0" % dom
            if b in js_by_bdf:
                check_zpci(js_by_bdf[b], b, (int(uid), int(fid)))
    check_strace()
    nr = re.findall(r"vfiotest_nonroot=(\S+)", read("cmdline") or "")
    if nr:
        rootjs = js_by_bdf.get(nr[0])
        check_nonroot(nr[0], find_device(rootjs, nr[0]) if rootjs else None)
    print("1..%d" % _n)
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main())
