#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Mediated devices in the guest (guest.d/70-mdev.sh): the kernel's sample
mdev drivers mtty, mdpy and mbochs, held against their source (the custom
kernel's samples/vfio-mdev/*.c) and the guest's sysfs; list, doctor and
dump replayed from each capture against the live runs.  TAP on stdout.

usage: check-mdev.py VFIO_INFO RUN_DIR SCENARIO

The last group, "abi:", checks what the dump reports of migration (GET of
MIGRATION and MIG_DEVICE_STATE), QUERY_GFX_PLANE probes and the GFX EDID
region header: those keys come with the abi work and fail without it.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from taplib import tap, plan, read, loadjson, jsonlines  # noqa: E402

MTTY = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1001"
MDPY = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1002"
MBOCHS = "83b8f4f2-509f-382f-3c1e-e6bfe0fa1003"
WANT = {MTTY: ("mtty", "mtty-2"), MDPY: ("mdpy", "mdpy-vga"), MBOCHS: ("mbochs", "mbochs-small")}
# PCI-only doctor checks that say nothing of an mdev
PCI_ONLY = {"sriov", "hot-reset", "power", "iomem", "bars", "acs", "vf-token"}

KC = os.environ.get("VFIO_INFO_KCACHE", "/var/cache/vfio-info-kernel")


def sample_source(name):
    """samples/vfio-mdev/NAME.c of the custom kernel's source, or None."""
    base = os.path.join(KC, "custom", "src")
    try:
        for d in sorted(os.listdir(base)):
            p = os.path.join(base, d, "samples", "vfio-mdev", name + ".c")
            if os.path.exists(p):
                return read(p)
    except OSError:
        pass
    return None


def define(src, name):
    m = re.search(r"^#define\s+%s\s+(0x[0-9a-fA-F]+|\d+)\b" % re.escape(name), src or "", re.M)
    return int(m.group(1), 0) if m else None


def device(js, uuid):
    for d in (js or {}).get("devices") or []:
        if d.get("address") == uuid:
            return d
    return None


def sysfs_facts(text):
    """parent -> {type -> {attrs..., devices: [..]}} from sysfs-after."""
    out = {}
    for line in (text or "").splitlines():
        w = line.split(" ", 3)
        if w[0] == "parent" and len(w) >= 2:
            out.setdefault(w[1], {})
        elif w[0] == "type" and len(w) >= 3:
            out.setdefault(w[1], {})[w[2]] = {"devices": []}
        elif w[0] == "attr" and len(w) >= 3:
            for p in out.values():
                if w[1] in p:
                    p[w[1]][w[2]] = w[3] if len(w) > 3 else ""
        elif w[0] == "device" and len(w) >= 3:
            for p in out.values():
                if w[1] in p:
                    p[w[1]]["devices"].append(w[2])
    return out


def run(vi, args, env=None):
    p = subprocess.run([vi] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                       env=env)
    return p.returncode, p.stdout, p.stderr


def diff(a, b):
    import difflib
    x = json.dumps(a, indent=1, sort_keys=True).splitlines()
    y = json.dumps(b, indent=1, sort_keys=True).splitlines()
    return "\n".join(list(difflib.unified_diff(x, y, "live", "replay", lineterm=""))[:30])


def check_dumps(m, uuid, tag):
    d = os.path.join(m, uuid)
    parent, mtype = WANT[uuid]
    gparent = (read(os.path.join(d, "parent"), "") or "").strip()
    gtype = (read(os.path.join(d, "mdev_type"), "") or "").strip()
    group = (read(os.path.join(d, "iommu_group"), "") or "").strip()
    drv = (read(os.path.join(d, "driver"), "") or "").strip()
    cdev = (read(os.path.join(d, "vfio-dev"), "") or "").strip()
    tap(gparent == parent and gtype == mtype, "%s: the guest made it of type %s on %s" % (
        tag, mtype, parent), "sysfs: parent %r type %r" % (gparent, gtype))
    # -cdev only when the default flow was not cdev already
    flows = ["", "-legacy"] + (["-cdev"] if os.path.exists(os.path.join(d, "dump-cdev.json"))
                               else [])
    first = device(loadjson(os.path.join(d, "dump.json")), uuid) or {}
    if cdev:
        tap(first.get("flow") == "cdev" or os.path.exists(os.path.join(d, "dump-cdev.json")),
            "%s: dump UUID through the cdev (%s) in the default or forced flow" % (tag, cdev),
            "default flow %r" % first.get("flow"))
    for sfx in flows:
        js = loadjson(os.path.join(d, "dump%s.json" % sfx))
        rc = (read(os.path.join(d, "dump%s.json.rc" % sfx), "") or "").strip()
        dev = device(js, uuid)
        t = "%s: dump UUID%s" % (tag, " " + sfx[1:] if sfx else "")
        tap(rc == "0" and dev is not None, "%s reaches the mdev, exit 0" % t, "exit %s: %s" % (
            rc, read(os.path.join(d, "dump%s.json.err" % sfx), "")))
        if dev is None:
            continue
        ident = dev.get("mdev") or {}
        tap(ident.get("parent") == gparent and ident.get("type") == gtype,
            "%s: \"mdev\" is parent %s, type %s (sysfs)" % (t, gparent, gtype), ident)
        tap(str(dev.get("group")) == group and dev.get("driver") == drv,
            "%s: group %s and driver %s as sysfs has them" % (t, group, drv),
            "group %r driver %r" % (dev.get("group"), dev.get("driver")))
        want_flow = {"-legacy": "legacy", "-cdev": "cdev"}.get(sfx)
        if sfx == "" and cdev and dev.get("flow") == "cdev":
            sfx = "-cdev"       # the default was the cdev flow: check it as such
        if want_flow:
            tap(dev.get("flow") == want_flow, "%s: opened through the %s flow" % (t, want_flow),
                "flow %r" % dev.get("flow"))
        if sfx == "-cdev":
            tap(dev.get("cdev") == cdev, "%s: through /dev/vfio/devices/%s" % (t, cdev),
                "cdev %r" % dev.get("cdev"))
    live = loadjson(os.path.join(d, "dump.json"))
    for name, what, ref in (("dump-syspath", "dump /sys/bus/mdev/devices/UUID", live),
                            ("dump-group", "dump GROUP (legacy)",
                             loadjson(os.path.join(d, "dump-legacy.json")))):
        js = loadjson(os.path.join(d, name + ".json"))
        rc = (read(os.path.join(d, name + ".json.rc"), "") or "").strip()
        a, b = device(js, uuid), device(ref, uuid)
        tap(rc == "0" and a is not None and a == b,
            "%s: %s reaches the mdev and prints what dump UUID does" % (tag, what),
            "exit %s %s\n%s" % (rc, read(os.path.join(d, name + ".json.err"), ""),
                                diff(b, a) if a and b else ""))
    return gparent, gtype, group


def check_mtty(m, src):
    d = os.path.join(m, MTTY)
    dev = device(loadjson(os.path.join(d, "dump.json")), MTTY)
    if dev is None or src is None:
        tap(False, "mtty: live dump and samples/vfio-mdev/mtty.c at hand",
            "dump %s, source %s" % (dev is not None, src is not None))
        return
    cfg = define(src, "MTTY_CONFIG_SPACE_SIZE")
    bar = define(src, "MTTY_IO_BAR_SIZE")
    shift = define(src, "MTTY_VFIO_PCI_OFFSET_SHIFT")
    nports = 2      # type mtty-2 (mtty.c: mtty_types[], .nr_ports = 2)
    info = dev.get("info") or {}
    tap(info.get("num_regions") == 9 and info.get("num_irqs") == 5 and
        "PCI" in ((info.get("flags") or {}).get("names") or []),
        "mtty: device info: PCI, 9 regions, 5 irqs (mtty_get_device_info)", info)
    regs = {r.get("index"): r for r in dev.get("regions") or []}
    for idx in range(9):
        r = regs.get(idx) or {}
        size = cfg if idx == 7 else bar if idx == 0 or (idx == 1 and nports == 2) else 0
        names = (r.get("flags") or {}).get("names") or []
        tap(r.get("size") == size and r.get("offset") == idx << shift and
            sorted(names) == ["READ", "WRITE"],
            "mtty: region %d: size %#x, offset %d << %d, READ|WRITE (mtty_get_region_info)" % (
                idx, size, idx, shift), {k: r.get(k) for k in ("size", "offset", "flags", "ret")})
    irqs = {i.get("index"): i for i in dev.get("irqs") or []}
    for idx, flags in ((0, ["AUTOMASKED", "EVENTFD", "MASKABLE"]), (1, ["EVENTFD", "NORESIZE"])):
        i = irqs.get(idx) or {}
        tap(i.get("count") == 1 and sorted((i.get("flags") or {}).get("names") or []) == flags,
            "mtty: irq %d: count 1, %s (mtty_get_irq_info)" % (idx, "|".join(flags)), i)
    for idx in (2, 3, 4):
        i = irqs.get(idx) or {}
        neg = i.get("negotiation") or [{}]
        tap("count" not in i and "EINVAL" in (i.get("errno"), i.get("error"), neg[-1].get("errno")),
            "mtty: irq %d refused with EINVAL (mtty_get_irq_info)" % idx, i)
    # the UART through BAR0 (mtty.c handle_bar_read/handle_bar_write)
    lines = jsonlines(os.path.join(d, "shell-uart.json"))
    rc = (read(os.path.join(d, "shell-uart.json.rc"), "") or "").strip()
    reads = [js.get("value") for js in lines
             if isinstance(js, dict) and js.get("command") == "read"]
    tap(rc == "0", "mtty: shell reads and writes the UART through region 0, exit 0",
        "exit %s: %s" % (rc, read(os.path.join(d, "shell-uart.json.err"), "")))
    expect = [("SCR before", 0), ("SCR after writing 0x5a", 0x5a),
              ("SCR after writing 0xa5", 0xa5), ("LCR before", 0), ("LCR after writing 0x03", 3),
              ("LSR: THRE|TEMT, FIFO empty", 0x60), ("IER", 0), ("port 2 (BAR1) SCR", 0)]
    for n, (what, want) in enumerate(expect):
        got = reads[n] if n < len(reads) else None
        tap(got == want, "mtty: UART %s reads %#x" % (what, want), "read %r; all: %s" % (
            got, lines[:12]))
    # irq loopback: mtty triggers INTx and MSI on DATA_NONE|ACTION_TRIGGER
    for name in ("intx", "msi"):
        js = jsonlines(os.path.join(d, "irq-%s.json" % name))
        rc = (read(os.path.join(d, "irq-%s.json.rc" % name), "") or "").strip()
        irq = (js[0] or {}).get("irq") if js else None
        t = "mtty: irq %s --loopback" % name
        if not irq:
            tap(False, "%s printed its record" % t, "exit %s: %s" % (
                rc, read(os.path.join(d, "irq-%s.json.err" % name), "")))
            continue
        for step in ("set_up", "loopback_trigger", "teardown"):
            r = (irq.get(step) or {}).get("ret")
            tap(r == 0, "%s: %s accepted by mtty (ret 0)" % (t, step), irq.get(step))
        trig = irq.get("triggers") or []
        tap(rc == "0" and len(trig) == 1 and trig[0].get("count") == 1,
            "%s: its one vector counted exactly once, exit 0" % t, "exit %s: %s" % (rc, trig))


def check_list(m, sysfs, uuids, facts):
    js = loadjson(os.path.join(m, "list.json"))
    rc = (read(os.path.join(m, "list.json.rc"), "") or "").strip()
    tap(rc == "0" and js is not None, "list --json, exit 0", "exit %s" % rc)
    if js is None:
        return
    got = {p.get("parent"): p for p in js.get("mdev_parents") or []}
    tap(sorted(got) == sorted(sysfs), "list: mdev_parents are /sys/class/mdev_bus's: %s" % (
        ", ".join(sorted(sysfs))), "list %s" % sorted(got))
    for pname, types in sorted(sysfs.items()):
        lt = {t.get("type"): t for t in (got.get(pname) or {}).get("types") or []}
        tap(sorted(lt) == sorted(types), "list: %s's types are its mdev_supported_types" % pname,
            "list %s sysfs %s" % (sorted(lt), sorted(types)))
        for tid, attrs in sorted(types.items()):
            t = lt.get(tid) or {}
            ok = True
            why = []
            for k in ("name", "description", "device_api"):
                want = attrs.get(k)
                have = t.get(k)
                # the guest's file joined lines with spaces
                if want is not None and (have or "").replace("\n", " ").strip() != want:
                    ok = False
                    why.append("%s: list %r sysfs %r" % (k, have, want))
            if str(t.get("available_instances")) != attrs.get("available_instances"):
                ok = False
                why.append("available_instances: list %r sysfs %r" % (
                    t.get("available_instances"), attrs.get("available_instances")))
            if sorted(t.get("devices") or []) != sorted(attrs["devices"]):
                ok = False
                why.append("devices: list %r sysfs %r" % (t.get("devices"), attrs["devices"]))
            tap(ok, "list: %s/%s: name, description, device_api, available_instances, "
                "instances as sysfs" % (pname, tid), "\n".join(why))
    for u in uuids:
        parent, mtype, group = facts[u]
        found = [(g, d) for g in js.get("groups") or [] for d in g.get("devices") or []
                 if d.get("address") == u]
        ok = len(found) == 1 and str(found[0][0].get("group")) == group and \
            (found[0][1].get("mdev") or {}) == {"parent": parent, "type": mtype}
        tap(ok, "list: %s in group %s with mdev %s on %s" % (u, group, mtype, parent), found)


def check_doctor(m, u, facts):
    d = os.path.join(m, u)
    js = loadjson(os.path.join(d, "doctor.json"))
    rc = (read(os.path.join(d, "doctor.json.rc"), "") or "").strip()
    dev = device(js, u)
    parent, mtype, group = facts[u]
    tap(dev is not None and rc in ("0", "3"), "doctor %s: a device section (exit %s)" % (u, rc),
        read(os.path.join(d, "doctor.json.err"), ""))
    if dev is None:
        return
    checks = {c.get("check"): c for c in dev.get("checks") or []}
    md = checks.get("mdev") or {}
    tap(md.get("status") == "ok" and mtype in (md.get("message") or "") and
        parent in (md.get("message") or ""),
        "doctor %s: the mdev check names type %s and parent %s" % (u, mtype, parent), md)
    rs = checks.get("reset") or {}
    tap(rs.get("status") == "info" and "no PCI reset of its own" in (rs.get("message") or ""),
        "doctor %s: no PCI reset of its own" % u, rs)
    tap(not (PCI_ONLY & set(checks)), "doctor %s: no PCI-only check (%s)" % (
        u, ", ".join(sorted(PCI_ONLY))), sorted(checks))
    for k in ("driver", "iommu-group", "group-viable", "group-node"):
        tap((checks.get(k) or {}).get("status") == "ok", "doctor %s: %s ok" % (u, k),
            checks.get(k))
    tap((dev.get("mdev") or {}) == {"parent": parent, "type": mtype} and
        str(dev.get("group")) == group, "doctor %s: identity: mdev and group %s" % (u, group),
        {k: dev.get(k) for k in ("mdev", "group")})


def check_replay(vi, m, u):
    """The capture replays list, doctor UUID and dump UUID to the live JSON."""
    d = os.path.join(m, u)
    cap = os.path.join(d, "capture.json")
    if not os.path.exists(cap):
        tap(False, "%s: capture taken" % u, read(os.path.join(d, "capture.out"), ""))
        return
    for what, args, live_path in (
            ("dump UUID", ["--json", "-v", "dump", u], os.path.join(d, "dump.json")),
            ("doctor UUID", ["--json", "doctor", u], os.path.join(d, "doctor.json")),
            ("list", ["--json", "list"], os.path.join(m, "list.json"))):
        live = loadjson(live_path)
        env = dict(os.environ)
        if live is not None and not has_names(live):
            env["VFIO_INFO_PCI_IDS"] = ""
        rc, out, err = run(vi, ["--replay", cap] + args, env)
        try:
            rep = json.loads(out)
        except ValueError:
            rep = None
        lrc = (read(live_path + ".rc", "") or "").strip()
        tap(rep is not None and rep == live and str(rc) == lrc,
            "%s: capture replays %s to the live JSON and exit status (%s)" % (u, what, lrc),
            "exit %s (live %s) %s\n%s" % (rc, lrc, err.strip()[:300],
                                          diff(live, rep) if rep is not None else ""))


def has_names(js):
    if isinstance(js, dict):
        return any((k in ("vendor_name", "device_name", "class_name") and v is not None) or
                   has_names(v) for k, v in js.items())
    if isinstance(js, list):
        return any(has_names(v) for v in js)
    return False


def check_abi(m, mbochs_src):
    """Migration GET, QUERY_GFX_PLANE probes, the EDID region header."""
    dev = device(loadjson(os.path.join(m, MTTY, "dump.json")), MTTY) or {}
    feats = {f.get("name"): f for f in dev.get("features") or []}
    mig = feats.get("MIGRATION") or {}
    names = ((mig.get("migration_flags") or {}).get("names")) or []
    # mtty.c: migration_flags = STOP_COPY | P2P | PRE_COPY
    tap(sorted(names) == ["P2P", "PRE_COPY", "STOP_COPY"],
        "abi: mtty MIGRATION GET: migration_flags STOP_COPY|P2P|PRE_COPY (mtty.c)", mig)
    st = feats.get("MIG_DEVICE_STATE") or {}
    tap((st.get("device_state") or {}).get("name") == "RUNNING",
        "abi: mtty MIG_DEVICE_STATE GET: device_state RUNNING", st)
    dev = device(loadjson(os.path.join(m, MDPY, "dump.json")), MDPY) or {}
    gp = dev.get("gfx_plane") or {}
    tap((gp.get("region") or {}).get("ret") == 0,
        "abi: mdpy QUERY_GFX_PLANE PROBE|REGION: ret 0 (mdpy.c)", gp)
    tap((gp.get("dmabuf") or {}).get("ret", 0) < 0,
        "abi: mdpy QUERY_GFX_PLANE PROBE|DMABUF: refused (mdpy has region planes only)", gp)
    dev = device(loadjson(os.path.join(m, MBOCHS, "dump.json")), MBOCHS) or {}
    gp = dev.get("gfx_plane") or {}
    tap((gp.get("dmabuf") or {}).get("ret") == 0,
        "abi: mbochs QUERY_GFX_PLANE PROBE|DMABUF: ret 0 (mbochs.c)", gp)
    edid = [r.get("edid") for r in dev.get("regions") or [] if r.get("edid")]
    e = edid[0] if edid else {}
    # mbochs.c: type "small" max_x 800, max_y 600; edid_max_size is
    # sizeof(edid_blob), u8 edid_blob[0x400]
    m_blob = re.search(r"u8\s+edid_blob\[(0x[0-9a-fA-F]+|\d+)\]", mbochs_src or "")
    m_xy = re.search(r'MBOCHS_TYPE_1,.*?\.max_x\s*=\s*(\d+),\s*\.max_y\s*=\s*(\d+)',
                     mbochs_src or "", re.S)
    want = (int(m_xy.group(1)), int(m_xy.group(2)), int(m_blob.group(1), 0)) \
        if m_blob and m_xy else None
    tap(want is not None and (e.get("max_xres"), e.get("max_yres"), e.get("edid_max_size")) == want,
        "abi: mbochs EDID region: max_xres, max_yres, edid_max_size %s (mbochs.c)" % (want,), e)
    # mbochs.c never initialises link_state (only a VMM's write sets it UP
    # or DOWN): a fresh instance answers 0, which has no name
    tap(len(edid) == 1 and e.get("link_state") == {"value": 0, "name": None},
        "abi: mbochs EDID region: one, link_state 0 as mbochs.c leaves it before a VMM's write",
        edid)


def main():
    vi, rundir, scen = sys.argv[1:4]
    m = os.path.join(rundir, "guest", "mdev")
    if not os.path.isdir(m):
        plan("no mdev stage in %s (scenario %s has no vfiotest_mdev)" % (rundir, scen))
        return
    sysfs = sysfs_facts(read(os.path.join(m, "sysfs-after"), ""))
    tap(sorted(sysfs) == ["mbochs", "mdpy", "mtty"],
        "%s: the guest's /sys/class/mdev_bus holds mtty, mdpy and mbochs" % scen,
        "parents: %s" % sorted(sysfs))
    uuids = [u for u in (MTTY, MDPY, MBOCHS) if os.path.isdir(os.path.join(m, u))]
    tap(len(uuids) == 3, "%s: one instance of each created" % scen, uuids)
    facts = {}
    for u in uuids:
        facts[u] = check_dumps(m, u, "%s %s" % (WANT[u][0], u))
    if MTTY in uuids:
        check_mtty(m, sample_source("mtty"))
    check_list(m, sysfs, uuids, facts)
    for u in uuids:
        check_doctor(m, u, facts)
        check_replay(vi, m, u)
    check_abi(m, sample_source("mbochs"))
    plan()


if __name__ == "__main__":
    main()
