#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""check-shell.py VFIO_INFO RUN_DIR SCENARIO -- `vfio-info shell` in a guest
(tests/kernel/guest.d/50-shell.sh) against what the emulated devices must
report and against lspci in the same guest.  TAP on stdout.

(a) BAR0 registers read through the shell: the QEMU NVMe controller's CAP,
    VS, CC, CSTS, ... and the e1000e's CTRL, STATUS and receive address,
    field by field, against values taken from QEMU's source for the QEMU
    the scenario runs (QEMU_OF_SCENARIO and the *_FACTS tables in
    shell_regs.py).
(b) The shell's `config` decode against `lspci -vvv -nn` and its raw
    `dump config` against `lspci -xxxx`, both taken while the shell had
    the device open.  vfio-pci virtualizes some registers and hides some
    capabilities: the differences that may or must appear are DATA in
    EXPECTED_DIFFS in vfio_diffs.py (the kernel behaviour behind each is
    cited there), so a later `config --diff` check can use the same table
    (`check-shell.py --expected-json` prints it).

Reference values are never copied from a run: they come from QEMU's source
or from lspci in the same guest.  Python standard library only.

This file reads the run directory and runs the checks (main, check_config,
check_raw, check_caplists); the parts it imports live beside it:
shell_tap.py (its TAP output), lspci_parse.py (reading lspci's output),
lspci_caps.py and lspci_pcie.py (the decode against lspci -vvv, header and
capabilities), vfio_diffs.py (vfio-pci's expected differences) and
shell_regs.py (the BAR0 registers against QEMU).
"""
import glob
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shell_tap  # noqa: E402
from lspci_caps import (Cmp, cap_acs, cap_aer, cap_ari, cap_ats, cap_by_off,  # noqa: E402
                        cap_dsn, cap_msi, cap_msix, cap_pm, cap_sriov, cap_vendor,
                        cmp_header)
from lspci_parse import le, num, parse_lspci, parse_xxxx  # noqa: E402
from lspci_pcie import cap_exp  # noqa: E402
from shell_regs import (E1000E_FACTS, NVME_FACTS, check_regs_e1000e,  # noqa: E402
                        check_regs_nvme, qemu_version)
from shell_tap import eq, jdiff, tap  # noqa: E402
from vfio_diffs import (EXPECTED_DIFFS, VFIO_KEPT_CAPS, VFIO_KEPT_ECAPS,  # noqa: E402
                        byte_mask, device_facts, entry_applies, entry_ranges, must_of)


# ============================================================== inputs ====
class Dev:
    def __init__(self, run, bdf):
        self.bdf = bdf
        self.g = os.path.join(run, "guest")
        self.sd = os.path.join(self.g, "shell", bdf)

    def read(self, *p, default=None):
        try:
            with open(os.path.join(self.sd, *p), errors="replace") as f:
                return f.read()
        except OSError:
            return default

    def gread(self, *p, default=None):
        try:
            with open(os.path.join(self.g, *p), errors="replace") as f:
                return f.read()
        except OSError:
            return default

    def rc(self, name):
        s = (self.read(name + ".rc") or "").strip()
        return int(s) if s.lstrip("-").isdigit() else None

    def jsonl(self, name):
        out = []
        for line in (self.read(name + ".jsonl") or "").splitlines():
            line = line.strip()
            if not line:
                continue
            try:
                out.append(json.loads(line))
            except ValueError as e:
                out.append({"command": "?", "error": "invalid JSON: %s" % e, "line": line[:200]})
        return out


# the capabilities whose registers are compared, by id
STD_CMP = {0x01: ("Power Management", cap_pm), 0x05: ("MSI", cap_msi),
           0x09: ("Vendor Specific", cap_vendor), 0x10: ("PCI Express", cap_exp),
           0x11: ("MSI-X", cap_msix)}
EXT_CMP = {0x0001: ("AER", cap_aer), 0x0003: ("Device Serial Number", cap_dsn),
           0x000D: ("ACS", cap_acs), 0x000E: ("ARI", cap_ari), 0x000F: ("ATS", cap_ats),
           0x0010: ("SR-IOV", cap_sriov)}


# ==================================================================== checks ==
def config_of(objs):
    c = next((o for o in objs if o.get("command") == "config"), None)
    dmp = next((o for o in objs if o.get("command") == "dump"), None)
    return c, dmp


def check_raw(dev, cfg_raw, raw_p, psrc, facts):
    """The VFIO config region against the device's own config space, byte by
    byte: every difference explained by EXPECTED_DIFFS."""
    n = min(len(cfg_raw), len(raw_p))
    diffs = [i for i in range(n) if cfg_raw[i] != raw_p[i]]
    covered, unexpected, seen = {}, [], set()
    ranges = [(e, entry_ranges(e, facts)) for e in EXPECTED_DIFFS if entry_applies(e, facts)]
    for i in diffs:
        x = cfg_raw[i] ^ raw_p[i]
        ok = None
        for e, rs in ranges:
            for s, t, mask in rs:
                if s <= i < t and not (x & ~byte_mask(mask, s, i)):
                    ok = e
                    break
            if ok:
                break
        if ok:
            covered.setdefault(ok["id"], []).append(i)
            seen.add(ok["id"])
        else:
            unexpected.append(i)
    tap(not unexpected, "%s config raw: VFIO dump vs %s: only expected differences (%d bytes differ)" % (
        dev, psrc, len(diffs)),
        "\n".join("0x%03x: vfio %02x, device %02x" % (i, cfg_raw[i], raw_p[i]) for i in unexpected[:40]),
        notes=["%s at %s" % (k, ",".join("0x%03x" % i for i in v[:8])) for k, v in sorted(covered.items())])
    must = [e for e, rs in ranges if must_of(e, facts) and rs]
    missing = [e["id"] for e in must if e["id"] not in seen]
    quiet = [e["id"] for e, rs in ranges if not must_of(e, facts) and e["id"] not in seen and rs]
    tap(not missing, "%s config raw: the differences vfio-pci must make appear (%s)" % (
        dev, ", ".join(e["id"] for e in must) or "none apply"),
        "missing: " + ", ".join(missing),
        notes=["may differ, did not: " + ", ".join(quiet)] if quiet else None)


def check_caplists(dev, cfg, lsp, raw_p, facts):
    _hdr, caps = lsp
    want_std, want_ext = [], []
    for off, ver, title, _l in caps:
        if off < 0x100:
            if off + 1 < len(raw_p) and raw_p[off] in VFIO_KEPT_CAPS:
                want_std.append((off, raw_p[off]))
        elif off + 4 <= len(raw_p):
            h = le(raw_p, off, 4)
            if (h & 0xFFFF) in VFIO_KEPT_ECAPS:
                want_ext.append((off, h & 0xFFFF, ver))
    got_std = [(num(c.get("offset")), num(c.get("id"))) for c in cfg.get("capabilities") or []]
    got_ext = [(num(c.get("offset")), num(c.get("id")), c.get("version"))
               for c in cfg.get("extended_capabilities") or []]
    hidden = ["[%02x] id %#x" % x for x in facts["hidden_caps"]] + \
             ["[%03x] id %#x" % x[:2] for x in facts["hidden_ecaps"]]
    notes = ["hidden by vfio-pci (vfio_cap_init/vfio_ecap_init): " + ", ".join(hidden)] if hidden else None
    eq("%s config: capability list (offset, id) vs lspci -vvv, minus the ones vfio-pci hides" % dev,
       got_std, want_std)
    if notes:
        print("#   note: " + notes[0])
    eq("%s config: extended capability list (offset, id, version) vs lspci -vvv" % dev, got_ext, want_ext)


def check_config(dev, d, facts_dev, lsp, raw_p, psrc):
    s_objs, c_objs = d.jsonl("session"), d.jsonl("cfg-c")
    eq("%s shell session on standard input: exit status" % dev, d.rc("session"), 0)
    eq("%s shell -c config -c dump: exit status" % dev, d.rc("cfg-c"), 0)
    scfg, sdump = config_of(s_objs)
    ccfg, _cd = config_of(c_objs)
    ok = scfg is not None and not scfg.get("error") and sdump is not None and not sdump.get("error")
    tap(ok, "%s shell: config and dump config answered on standard input" % dev,
        json.dumps(s_objs)[:1500] + "\n" + (d.read("session.err") or ""))
    if not ok:
        return
    tap(s_objs[-1].get("command") == "quit", "%s shell: the session ended with quit" % dev,
        json.dumps(s_objs[-1])[:300])
    dif = jdiff((ccfg or {}).get("config"), scfg.get("config"))
    tap(not dif, "%s shell: `config` with -c equals `config` on standard input" % dev,
        "\n".join(["(-c vs standard input)"] + dif[:30]))
    cfg = scfg["config"]
    cfg_raw = bytes.fromhex(sdump.get("data") or "")
    csz = d.gread("dev", d.bdf, "config_size")
    if csz:
        eq("%s config raw: dump config is the whole region (sysfs config size)" % dev,
           len(cfg_raw), int(csz))
        eq("%s config: decoded length == sysfs config size" % dev, num(cfg.get("length")), int(csz))
    if raw_p is None:
        tap(True, "%s config vs the device's own config space" % dev,
            skip="no lspci -xxxx / sysfs config from the guest")
        return
    check_raw(dev, cfg_raw, raw_p, psrc, facts_dev)
    if lsp is None:
        tap(True, "%s config vs lspci -vvv" % dev, skip="no lspci in this guest")
        return

    expl_fields = {}
    for e in EXPECTED_DIFFS:
        if entry_applies(e, facts_dev):
            for k in e["fields"]:
                expl_fields.setdefault(k, e["id"])

    def explain(key):
        return expl_fields.get(key)

    cmp_header(dev, cfg, lsp, raw_p, explain)
    check_caplists(dev, cfg, lsp, raw_p, facts_dev)
    for off, ver, title, lines in lsp[1]:
        ext = off >= 0x100
        if off + (4 if ext else 1) > len(raw_p):
            continue
        cid = (le(raw_p, off, 4) & 0xFFFF) if ext else raw_p[off]
        table = EXT_CMP if ext else STD_CMP
        if cid not in table:
            continue
        if cid not in (VFIO_KEPT_ECAPS if ext else VFIO_KEPT_CAPS):
            continue
        cap = cap_by_off(cfg, off, ext)
        name, fn = table[cid]
        if cap is None:
            tap(False, "%s config: [%x] %s decoded" % (dev, off, name), "not in the shell's capability list")
            continue
        c = Cmp(dev, "[%x] %s" % (off, name), explain)
        fn(c, cap, title, lines)
        if not c.rows:
            tap(False, "%s config: [%x] %s vs lspci -vvv" % (dev, off, name),
                "no field of lspci's lines was recognised:\n" + title + "\n" + "\n".join(lines))
            continue
        c.done()
    # every register the shell decoded as a bit set names its unknown bits;
    # lspci agrees on all the named ones, so report them for the record
    unk = []

    def walk(o, path):
        if isinstance(o, dict):
            if num(o.get("unknown_bits")):
                unk.append("%s: %s" % (path, o["unknown_bits"]))
            for k, v in o.items():
                walk(v, path + "." + k)
        elif isinstance(o, list):
            for i, v in enumerate(o):
                walk(v, "%s[%d]" % (path, i))
    walk(cfg, "config")
    for u in unk:
        print("#   note: %s unknown_bits %s" % (dev, u))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--expected-json":
        json.dump({"expected_differences": EXPECTED_DIFFS,
                   "vfio_kept_caps": sorted(VFIO_KEPT_CAPS),
                   "vfio_kept_ecaps": sorted(VFIO_KEPT_ECAPS)}, sys.stdout, indent=1)
        print()
        return 0
    _vi, run, SCEN = sys.argv[1:4]
    shell_tap.SCEN = SCEN
    devs = sorted(os.path.basename(p) for p in glob.glob(os.path.join(run, "guest", "shell", "*"))
                  if os.path.isdir(p))
    if not devs:
        print("1..0 # SKIP %s: no shell results in %s (no vfio-info in the guest, or no "
              "guest.d/50-shell.sh)" % (SCEN, run))
        return 0
    qv, reported = qemu_version(run, SCEN)
    if reported and qv in NVME_FACTS:
        eq("QEMU of this run reports %d.%d.x: the QEMU %s reference values apply" % (
            reported[0], reported[1], qv), "%d.%d" % reported[:2], qv)
    for bdf in devs:
        d = Dev(run, bdf)
        ids = (d.read("ids") or "").strip()
        lsp = parse_lspci(d.read("lspci-vvvnn"))
        raw_p, psrc = parse_xxxx(d.read("lspci-xxxx")), "lspci -xxxx"
        if raw_p is None:
            try:
                with open(os.path.join(d.sd, "config-phys"), "rb") as f:
                    raw_p, psrc = f.read() or None, "sysfs config"
            except OSError:
                raw_p = None
        facts = device_facts(d, raw_p)
        if ids == "0x1b36:0x0010":
            check_regs_nvme(bdf, d, NVME_FACTS.get(qv), qv, lsp)
        elif ids == "0x8086:0x10d3":
            check_regs_e1000e(bdf, d, E1000E_FACTS.get(qv), qv, lsp, raw_p)
        check_config(bdf, d, facts, lsp, raw_p, psrc)
    print("1..%d" % shell_tap._n)
    return 1 if shell_tap._failed else 0


if __name__ == "__main__":
    sys.exit(main())
