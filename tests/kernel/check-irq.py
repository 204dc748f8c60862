#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The shell's `irq` and `config --diff/--physical` against the real
vfio-pci (guest.d/55-irq-diff.sh).  TAP on stdout.

irq: every vector the kernel reports (VFIO_DEVICE_GET_IRQ_INFO, from the
live dump) is set up, each loopback trigger is counted exactly once, the
set-up is torn down; while MSI-X is set up, the host kernel's
/proc/interrupts lists one vfio-msix[N](BDF) line per vector, and none once
the shell has gone.

config: the diff is checked against the two raw views taken in the same
session (the VFIO config region through `dump config`, sysfs `config` read
from outside): every differing byte is in a record, every record covers a
difference, its values are the bytes at its offset, and the capabilities it
calls hidden or added are the ones the two chains (walked here) disagree on.

usage: check-irq.py VFIO_INFO RUN_DIR SCENARIO
"""
import glob
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from taplib import jsonlines, loadjson, plan, read, tap  # noqa: E402

IRQ_MAX_DEFAULT = 32     # the shell's default COUNT cap (every vector up to this)


def accepted(call):
    """The call's outcome was success: format 3 "ret": 0, format 2 (runs made
    before it) "result": "ok"."""
    call = call or {}
    return call.get("ret") == 0 or call.get("result") == "ok"


def live_irqs(run, bdf):
    """irq index -> (count, flag names) from the live dump in the guest."""
    for p in sorted(glob.glob(os.path.join(run, "guest", "dev", bdf, "dump*.json")) +
                    glob.glob(os.path.join(run, "guest", "pdev", bdf, "dump*.json"))):
        js = loadjson(p)
        for dev in (js or {}).get("devices") or []:
            if dev.get("address") != bdf:
                continue
            return {i.get("index"): (i.get("count") or 0, (i.get("flags") or {}).get("names") or [])
                    for i in dev.get("irqs") or []}
    return None


INDEX = {"intx": 0, "msi": 1, "msix": 2}


def check_irq(run, bdf, tag, d):
    info = live_irqs(run, bdf)
    if info is None:
        tap(False, "%s: live dump with irq info" % tag)
        return
    pdev = os.path.isdir(os.path.join(run, "guest", "pdev", bdf))
    names = {"irq%d" % i: i for i in (0, 1)} if pdev else INDEX
    for name, idx in names.items():
        js = jsonlines(os.path.join(d, name + ".json"))
        rc = (read(os.path.join(d, name + ".json.rc"), "") or "").strip()
        count, flags = info.get(idx, (0, []))
        t = "%s: irq %s --loopback" % (tag, name)
        if count == 0 or "EVENTFD" not in flags:
            # nothing to set up: refused before any syscall (exit 2)
            tap(rc == "2", "%s refused: the kernel reports %d vectors%s" % (
                t, count, "" if "EVENTFD" in flags else " without EVENTFD"),
                "exit %s\n%s" % (rc, read(os.path.join(d, name + ".json.err"), "")))
            continue
        irq = (js[0] or {}).get("irq") if js else None
        if not irq:
            tap(False, "%s printed its record" % t, "exit %s\n%s" % (
                rc, read(os.path.join(d, name + ".json.err"), "")))
            continue
        want = min(count, IRQ_MAX_DEFAULT)
        tap(rc == "0" and irq.get("count") == want and irq.get("vectors") == count,
            "%s: %d of %d vectors, exit 0" % (t, want, count),
            "exit %s; count %s vectors %s" % (rc, irq.get("count"), irq.get("vectors")))
        for step in ("set_up", "loopback_trigger", "teardown"):
            tap(accepted(irq.get(step)), "%s: %s accepted by the kernel" % (t, step),
                "%s" % irq.get(step))
        trig = irq.get("triggers") or []
        tap(len(trig) == want and all(x.get("count") == 1 for x in trig),
            "%s: every vector counted exactly once" % t, "triggers: %s" % trig)
    if pdev:
        return
    # MSI-X without loopback, seen from outside
    count = info.get(2, (0, []))[0]
    if count:
        want = min(count, IRQ_MAX_DEFAULT)
        js = jsonlines(os.path.join(d, "msix-wait.json"))
        irq = (js[0] or {}).get("irq") if js else None
        rc = (read(os.path.join(d, "msix-wait.json.rc"), "") or "").strip()
        t = "%s: irq msix --wait 2" % tag
        tap(rc == "0" and irq and accepted(irq.get("teardown")),
            "%s: set up and torn down" % t, "exit %s: %s" % (rc, irq))
        lines = [l for l in (read(os.path.join(d, "msix-proc"), "") or "").splitlines()
                 if "(%s)" % bdf in l]
        vecs = sorted(int(m.group(1)) for m in
                      (re.search(r"vfio-msix\[(\d+)\]\(%s\)" % re.escape(bdf), l) for l in lines)
                      if m)
        tap(vecs == list(range(want)),
            "%s: /proc/interrupts lists vfio-msix[0..%d](%s) while set up" % (t, want - 1, bdf),
            "lines: %s" % lines)
        after = [l for l in (read(os.path.join(d, "after-proc"), "") or "").splitlines()
                 if "(%s)" % bdf in l]
        tap(not after, "%s: no vfio interrupt of %s left once the shell is gone" % (t, bdf),
            "\n".join(after))
        trig = (irq or {}).get("triggers") or []
        tap(bool(trig) and all(x.get("count") == 0 for x in trig),
            "%s: an idle device raised nothing (no spurious counts)" % t, "triggers: %s" % trig)


def caps(cfg):
    """(standard ids, extended ids) of a raw config space, walked here with
    the usual bounds (dword aligned pointers, at most 48/960 steps)."""
    std, ext = [], []
    if len(cfg) >= 64 and cfg[6] & 0x10:
        p, steps = cfg[0x34] & 0xfc, 0
        while p >= 0x40 and p + 1 < len(cfg) and steps < 48:
            std.append((p, cfg[p]))
            p = cfg[p + 1] & 0xfc
            steps += 1
    if len(cfg) > 0x100:
        p, steps = 0x100, 0
        while p >= 0x100 and p + 4 <= len(cfg) and steps < 960:
            h = int.from_bytes(cfg[p:p + 4], "little")
            if h == 0 or h == 0xffffffff:
                break
            ext.append((p, h & 0xffff))
            p = (h >> 20) & 0xffc
            steps += 1
    return std, ext


def num(v):
    if isinstance(v, int):
        return v
    return int(str(v), 0)


def check_diff(bdf, tag, d):
    objs = jsonlines(os.path.join(d, "session.json"))
    rc = (read(os.path.join(d, "session.rc"), "") or "").strip()
    tap(rc == "0" and len(objs) == 3 and all(objs),
        "%s: config session (dump config, config --diff, config --physical) exits 0" % tag,
        "exit %s, %d objects\n%s" % (rc, len(objs), read(os.path.join(d, "session.err"), "")))
    if len(objs) < 3 or not all(objs):
        return
    dump, diff, phys = objs[0], objs[1].get("diff") or {}, objs[2].get("config") or {}
    V = bytes.fromhex(dump.get("data") or "")
    P = read(os.path.join(d, "physical.bin"), b"", "rb") or b""
    n = min(len(V), len(P))
    tap(len(V) > 0 and len(P) > 0 and num(diff.get("compared", -1)) == n,
        "%s: config --diff compares the %d bytes both views hold" % (tag, n),
        "vfio %d, physical %d, compared %s" % (len(V), len(P), diff.get("compared")))
    differ = {i for i in range(n) if V[i] != P[i]}
    covered, bad = set(), []
    for r in diff.get("differences") or []:
        off, w = num(r.get("offset")), int(r.get("width", 0))
        rng = set(range(off, off + w))
        covered |= rng
        if off + w > n or w not in (1, 2, 4):
            bad.append("record out of range or odd width: %s" % r)
            continue
        v = int.from_bytes(V[off:off + w], "little")
        p = int.from_bytes(P[off:off + w], "little")
        if num(r.get("vfio")) != v or num(r.get("physical")) != p:
            bad.append("%s @%#x: record vfio %s physical %s, bytes %#x %#x" % (
                r.get("register"), off, r.get("vfio"), r.get("physical"), v, p))
        if not rng & differ:
            bad.append("%s @%#x: no byte differs there" % (r.get("register"), off))
    tap(not bad, "%s: every diff record holds the bytes at its offset and a real difference"
        % tag, "\n".join(bad))
    missing = sorted(differ - covered)
    tap(not missing, "%s: every differing byte (%d) is in a diff record" % (tag, len(differ)),
        "not covered: %s" % ", ".join("%#x" % i for i in missing[:20]))
    tap(all(r.get("register") for r in diff.get("differences") or []),
        "%s: every diff record names its register" % tag)
    # capabilities one chain has and the other not
    vs, ve = caps(V[:n])
    ps, pe = caps(P[:n])
    want_hidden = sorted({(o, i, False) for o, i in ps} - {(o, i, False) for o, i in vs}
                         | {(o, i, True) for o, i in pe} - {(o, i, True) for o, i in ve})
    want_added = sorted({(o, i, False) for o, i in vs} - {(o, i, False) for o, i in ps}
                        | {(o, i, True) for o, i in ve} - {(o, i, True) for o, i in pe})

    def got(key):
        out = []
        for c in diff.get(key) or []:
            cid = c.get("id")
            cid = cid.get("value") if isinstance(cid, dict) else cid
            out.append((num(c.get("offset")), num(cid), bool(c.get("extended"))))
        return sorted(out)
    tap(got("hidden_capabilities") == want_hidden,
        "%s: hidden capabilities are those only the host's chain has" % tag,
        "got %s\nwant %s" % (got("hidden_capabilities"), want_hidden))
    tap(got("added_capabilities") == want_added,
        "%s: added capabilities are those only the VFIO chain has" % tag,
        "got %s\nwant %s" % (got("added_capabilities"), want_added))
    # config --physical decodes the host's bytes
    ok = (len(P) >= 4 and num(phys.get("vendor_id", -1)) == int.from_bytes(P[0:2], "little")
          and num(phys.get("device_id", -1)) == int.from_bytes(P[2:4], "little")
          and phys.get("source") == "sysfs")
    tap(ok, "%s: config --physical decodes sysfs (IDs as read from outside)" % tag,
        "vendor %s device %s source %s" % (phys.get("vendor_id"), phys.get("device_id"),
                                           phys.get("source")))


def main():
    vi, run, scen = sys.argv[1:4]
    dirs = sorted(glob.glob(os.path.join(run, "guest", "irq", "*")))
    if not dirs:
        print("1..0 # SKIP %s: no irq/diff results" % scen)
        return
    for d in dirs:
        bdf = os.path.basename(d)
        tag = "%s: %s" % (scen, bdf)
        check_irq(run, bdf, tag, d)
        if not os.path.isdir(os.path.join(run, "guest", "pdev", bdf)):
            check_diff(bdf, tag, d)
    plan()


if __name__ == "__main__":
    main()
