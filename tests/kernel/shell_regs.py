# SPDX-License-Identifier: GPL-2.0-or-later
"""BAR0 registers read through `vfio-info shell` against QEMU's emulation:
which QEMU a scenario runs (QEMU_OF_SCENARIO, qemu_version()), the values
QEMU's source sets for the NVMe controller (CAP_FIELDS, NVME_FACTS) and the
e1000e (E1000E_CTRL_FIELDS, E1000E_STATUS_FIELDS, E1000E_FACTS), and the
checks check_regs_nvme() and check_regs_e1000e()."""
import json
import os
import re
import subprocess

from lspci_parse import cline, flags_of, le, num, walk_ecaps
from shell_tap import eq, tap


# =================================================== QEMU reference data ====
# Which QEMU each scenario boots (run-scenario.sh): Debian 12's qemu-system-x86
# 1:7.2+dfsg-7+deb12u18 (QEMU 7.2.22, the 7.2 stable series with its
# backports) for deb61-legacy, the unpacked bookworm-backports QEMU 10.0.2 for
# the others.  Other scenarios: the version the run's QEMU binary reports.
QEMU_OF_SCENARIO = {"deb61-legacy": "7.2", "deb612-sriov": "10.0", "debnew-sriov": "10.0",
                    "custom-cdev": "10.0", "custom-noiommu": "10.0"}

# NVMe controller registers (NVMe base spec register map; bit layout as
# include/block/nvme.h NvmeCapShift/NvmeCapMask, NvmeCcShift, NvmeCstsShift).
CAP_FIELDS = [  # name, shift, width, what
    ("MQES", 0, 16, "maximum queue entries supported, 0's based"),
    ("CQR", 16, 1, "contiguous queues required"),
    ("AMS", 17, 2, "arbitration mechanisms beyond round robin"),
    ("TO", 24, 8, "ready timeout, 500 ms units"),
    ("DSTRD", 32, 4, "doorbell stride, 4 << DSTRD bytes"),
    ("NSSRS", 36, 1, "NVM subsystem reset supported"),
    ("CSS", 37, 8, "command sets supported"),
    ("BPS", 45, 1, "boot partition support"),
    ("MPSMIN", 48, 4, "minimum page size, 4 KiB << MPSMIN"),
    ("MPSMAX", 52, 4, "maximum page size, 4 KiB << MPSMAX"),
    ("PMRS", 56, 1, "persistent memory region supported"),
    ("CMBS", 57, 1, "controller memory buffer supported"),
]
# hw/nvme/ctrl.c nvme_init_ctrl() sets, for both versions:
#   NVME_CAP_SET_MQES(cap, 0x7ff)  (10.0: n->params.mqes, whose property
#       default is DEFINE_PROP_UINT16("mqes", ..., 0x7ff))
#   NVME_CAP_SET_CQR(cap, 1); NVME_CAP_SET_TO(cap, 0xf);
#   NVME_CAP_SET_MPSMAX(cap, 4);  MPSMIN, DSTRD, AMS, NSSRS, BPS never set;
#   NVME_CAP_SET_CMBS(cap, cmb_size_mb ? 1 : 0) and
#   NVME_CAP_SET_PMRS(cap, pmr.dev ? 1 : 0): no cmb_size_mb/pmrdev here.
#   CSS: 7.2 sets NVME_CAP_CSS_NVM (1 << 0) | NVME_CAP_CSS_CSI_SUPP (1 << 6) |
#   NVME_CAP_CSS_ADMIN_ONLY (1 << 7); since "hw/nvme: rework csi handling"
#   (6ccca4b6bb9f, Feb 2025, in 10.0: its fix "hw/nvme: fix namespace
#   attachment" went to stable-10.0.4) NVME_CAP_CSS_NCSS (1 << 0) |
#   NVME_CAP_CSS_IOCSS (1 << 6) only.
#   stl_le_p(&n->bar.vs, NVME_SPEC_VER) with #define NVME_SPEC_VER 0x00010400.
_NVME_COMMON = {"MQES": 0x7FF, "CQR": 1, "AMS": 0, "TO": 0xF, "DSTRD": 0,
                "NSSRS": 0, "BPS": 0, "MPSMIN": 0, "MPSMAX": 4, "PMRS": 0,
                "CMBS": 0, "VS": 0x00010400}
NVME_FACTS = {
    "7.2": dict(_NVME_COMMON, CSS=0xC1),
    "10.0": dict(_NVME_COMMON, CSS=0x41),
}

# e1000e (hw/net/e1000e_core.c, bit values hw/net/e1000_regs.h):
#   e1000e_mac_reg_init[CTRL] = E1000_CTRL_FD | E1000_CTRL_SWDPIN2 |
#       E1000_CTRL_SWDPIN0 | E1000_CTRL_SPD_1000 | E1000_CTRL_SLU |
#       E1000_CTRL_ADVD3WUC (SWDPIN2 and ADVD3WUC are both bit 20)
#   e1000e_mac_reg_init[STATUS] = E1000_STATUS_ASDV_1000 | E1000_STATUS_LU
#   e1000e_get_status() (STATUS read op) adds GIO_MASTER_ENABLE while
#   CTRL.GIO_MASTER_DISABLE is clear, FD unless CTRL.FRCDPX, SPEED_1000
#   unless CTRL.FRCSPD or CTRL_EXT.SPD_BYPS.
# Runtime state, reasoned out:
#   * No guest driver ever touches the e1000e (Debian's e1000e is a module
#     init never loads; the custom kernel has CONFIG_E1000E=n), so the
#     registers are those of the machine reset, e1000e_core_reset().
#   * Link: e1000e_core_reset() only clears STATUS.LU when the net client's
#     link_down is set (monitor set_link off); a NIC without a netdev peer
#     ("has no peer") keeps link_down false, so LU stays from the init table.
#   * Flow control: CTRL.TFCE/RFCE are only set by
#     e1000e_update_flowctl_status() once auto-negotiation completed
#     (e1000e_autoneg_timer).  Since "e1000e: fix link state on resume"
#     (4cadf1023498, in 9.0 and backported to 7.2.11) the timer is only armed
#     from e1000e_core_post_load(), i.e. after an incoming migration, no
#     longer when the VM starts: a booted guest sees TFCE = RFCE = 0.
#   * vfio-pci's open resets the function (pci_try_reset_function); the
#     e1000e has no FLR, so it is a PM D3hot->D0 reset, which QEMU does not
#     turn into a device reset: 7.2 only stores the PMCSR bits, and "hw/pci:
#     Basic support for PCI power management" (Feb 2025) only unmaps the
#     BARs outside D0.
E1000E_CTRL_FIELDS = [  # name, shift, width, expected, why
    ("FD", 0, 1, 1, "E1000_CTRL_FD in e1000e_mac_reg_init"),
    ("GIO_MASTER_DISABLE", 2, 1, 0, "not in the init table"),
    ("LRST", 3, 1, 0, "not in the init table"),
    ("ASDE", 5, 1, 0, "not in the init table"),
    ("SLU", 6, 1, 1, "E1000_CTRL_SLU in e1000e_mac_reg_init"),
    ("ILOS", 7, 1, 0, "not in the init table"),
    ("SPEED", 8, 2, 2, "E1000_CTRL_SPD_1000 (0x200) in e1000e_mac_reg_init"),
    ("FRCSPD", 11, 1, 0, "not in the init table"),
    ("FRCDPX", 12, 1, 0, "not in the init table"),
    ("SWDPIN0", 18, 1, 1, "E1000_CTRL_SWDPIN0 in e1000e_mac_reg_init"),
    ("SWDPIN1", 19, 1, 0, "not in the init table"),
    ("SWDPIN2_ADVD3WUC", 20, 1, 1, "E1000_CTRL_SWDPIN2 / E1000_CTRL_ADVD3WUC (both 0x00100000)"),
    ("SWDPIN3", 21, 1, 0, "not in the init table"),
    ("RST", 26, 1, 0, "self-clearing reset, never latched"),
    ("RFCE", 27, 1, 0, "only set when auto-negotiation completes; no autoneg after boot since 4cadf1023498"),
    ("TFCE", 28, 1, 0, "only set when auto-negotiation completes; no autoneg after boot since 4cadf1023498"),
    ("VME", 30, 1, 0, "not in the init table"),
    ("PHY_RST", 31, 1, 0, "not in the init table"),
]
E1000E_STATUS_FIELDS = [
    ("FD", 0, 1, 1, "e1000e_get_status(): E1000_STATUS_FD unless CTRL.FRCDPX"),
    ("LU", 1, 1, 1, "E1000_STATUS_LU in e1000e_mac_reg_init; link_down is false without set_link off"),
    ("FUNC", 2, 2, 0, "function 0"),
    ("TXOFF", 4, 1, 0, "no flow control pause"),
    ("TBIMODE", 5, 1, 0, "copper"),
    ("SPEED", 6, 2, 2, "e1000e_get_status(): E1000_STATUS_SPEED_1000 (0x80) unless forced"),
    ("ASDV", 8, 2, 2, "E1000_STATUS_ASDV_1000 (0x200) in e1000e_mac_reg_init"),
    ("PHYRA", 10, 1, 0, "not in the init table"),
    ("GIO_MASTER_ENABLE", 19, 1, 1, "e1000e_get_status(): set while CTRL.GIO_MASTER_DISABLE is clear"),
]
E1000E_FACTS = {"7.2": {}, "10.0": {}}      # the tables above hold for both
E1000_RAH_AV = 1 << 31   # e1000x_reset_mac_addr(): RA[1] = E1000_RAH_AV | mac[4] | mac[5] << 8


def qemu_version(run, scen):
    v = QEMU_OF_SCENARIO.get(scen)
    try:
        with open(os.path.join(run, "qemu-cmd")) as f:
            binary = f.read().split()[0]
    except (OSError, IndexError):
        binary = None
    reported = None
    if binary:
        try:
            p = subprocess.run([binary.replace("\\", ""), "--version"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, timeout=20)
            m = re.search(r"version (\d+)\.(\d+)\.(\d+)", p.stdout)
            if m:
                reported = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except (OSError, subprocess.SubprocessError):
            pass
    if v is None and reported:
        v = "10.0" if reported[:2] == (10, 0) else "7.2" if reported[:2] == (7, 2) else \
            "%d.%d" % reported[:2]
    return v, reported


# ========================================================== register checks ==
def check_regs_nvme(dev, d, facts_q, qv, lsp):
    regs = d.jsonl("regs")
    eq("%s nvme: register reads exit status" % dev, d.rc("regs"), 0)
    vals = {}
    for r in regs:
        if r.get("command") == "read" and not r.get("error"):
            vals[(num(r.get("offset")), r.get("width"))] = num(r.get("value"))
    dump = next((r for r in regs if r.get("command") == "dump"), None)
    bad = [r for r in regs if r.get("error")]
    tap(not bad, "%s nvme: every read answered" % dev, json.dumps(bad)[:2000])
    cap = vals.get((0, 8))
    if cap is None:
        tap(False, "%s nvme: CAP read (BAR0 0x0, 8 bytes)" % dev, json.dumps(regs)[:1500])
        return
    if facts_q is None:
        tap(True, "%s nvme: register values" % dev,
            skip="no QEMU reference for this scenario's QEMU (%s)" % qv)
        return
    src = "hw/nvme/ctrl.c nvme_init_ctrl(), QEMU %s" % qv
    lo, hi = vals.get((0, 4)), vals.get((4, 4))
    eq("%s nvme: CAP as one 8-byte read == the two 4-byte halves" % dev,
       cap, (hi << 32 | lo) if lo is not None and hi is not None else None)
    known = 0
    for name, sh, w, what in CAP_FIELDS:
        known |= ((1 << w) - 1) << sh
        eq("%s nvme: CAP.%s = %#x (%s)" % (dev, name, facts_q[name], what),
           (cap >> sh) & ((1 << w) - 1), facts_q[name], src)
    eq("%s nvme: CAP bits QEMU never sets (19-23, 46-47, 58-63) are 0" % dev, cap & ~known, 0, src)
    vs = vals.get((8, 4))
    eq("%s nvme: VS = %#x (NVME_SPEC_VER, NVMe %d.%d.%d)" % (
        dev, facts_q["VS"], facts_q["VS"] >> 16, (facts_q["VS"] >> 8) & 0xFF, facts_q["VS"] & 0xFF),
       vs, facts_q["VS"], src)
    # vfio-pci's open resets the function (vfio_pci_core_enable() ->
    # pci_try_reset_function()); the controller advertises FLR (DevCap
    # FLReset+, pcie_cap_flr_init()), so it is an FLR, which QEMU turns into
    # nvme_pci_reset() -> nvme_ctrl_reset(n, NVME_RESET_FUNCTION) ("hw/nvme:
    # Implement the Function Level Reset"), and that stores CSTS = 0,
    # INTMS = INTMC = 0 and CC = 0 whatever the reset type ("hw/nvme: clean
    # up CC register write logic"; both in the June 2022 nvme pull, QEMU
    # 7.1).  What SeaBIOS enabled at boot is gone.
    flr = None
    if lsp:
        for off, _v, title, lines in lsp[1]:
            if title.startswith("Express"):
                t = cline(lines, "DevCap:") or ""
                flr = flags_of(t).get("FLReset")
    why = "FLR at open: nvme_ctrl_reset() clears CC, CSTS, INTMS"
    if flr is False:
        tap(True, "%s nvme: CC/CSTS after the reset at open" % dev, skip="lspci shows no FLR")
    else:
        cc, csts = vals.get((0x14, 4)), vals.get((0x1C, 4))
        for name, sh, w in (("EN", 0, 1), ("CSS", 4, 3), ("MPS", 7, 4), ("AMS", 11, 3), ("SHN", 14, 2),
                            ("IOSQES", 16, 4), ("IOCQES", 20, 4)):
            eq("%s nvme: CC.%s = 0 after the reset at open" % (dev, name),
               None if cc is None else (cc >> sh) & ((1 << w) - 1), 0, why)
        eq("%s nvme: CC = 0 (all bits)" % dev, cc, 0, why)
        for name, sh, w in (("RDY", 0, 1), ("CFS", 1, 1), ("SHST", 2, 2), ("NSSRO", 4, 1), ("PP", 5, 1)):
            eq("%s nvme: CSTS.%s = 0 after the reset at open" % (dev, name),
               None if csts is None else (csts >> sh) & ((1 << w) - 1), 0, why)
        eq("%s nvme: INTMS = 0 after the reset at open" % dev, vals.get((0xC, 4)), 0, why)
    eq("%s nvme: CMBLOC = 0 (no cmb_size_mb: nvme_init_cmb() not called)" % dev, vals.get((0x38, 4)), 0, src)
    eq("%s nvme: CMBSZ = 0 (no controller memory buffer)" % dev, vals.get((0x3C, 4)), 0, src)
    if dump and not dump.get("error"):
        b = bytes.fromhex(dump.get("data") or "")
        bad = ["offset %#x width %d: dump %#x, read %#x" % (k[0], k[1], le(b, k[0], k[1]), v)
               for k, v in sorted(vals.items()) if k[0] + k[1] <= len(b) and le(b, k[0], k[1]) != v]
        tap(len(b) == 64 and not bad, "%s nvme: `dump bar0 0 64` bytes agree with the reads" % dev,
            "\n".join(bad) or "dump returned %d bytes" % len(b))
    # the refused write
    rj = d.jsonl("refuse")
    eq("%s nvme: `write bar0 8 0` without --write: exit status 4" % dev, d.rc("refuse"), 4)
    tap(bool(rj) and rj[0].get("status") == 4 and "write" in (rj[0].get("error") or ""),
        "%s nvme: the refusal is reported in JSON with status 4" % dev, json.dumps(rj)[:600])
    after = [num(r.get("value")) for r in d.jsonl("refuse-after") if r.get("command") == "read"]
    eq("%s nvme: VS unchanged after the refused write" % dev, after[:1], [vs])


def mac_from_dsn(lsp, raw_p):
    """The e1000e's MAC address as its Device Serial Number carries it:
    hw/net/e1000e.c e1000e_gen_dsn() packs mac[0..2], 0xff, 0xff, mac[3..5]."""
    serial = None
    if lsp:
        for _o, _v, title, _l in lsp[1]:
            m = re.search(r"Device Serial Number ((?:[0-9a-f]{2}-){7}[0-9a-f]{2})", title)
            if m:
                serial = bytes(int(x, 16) for x in m.group(1).split("-"))
    if serial is None and raw_p:
        for o, i, _v in walk_ecaps(raw_p):
            if i == 3:
                serial = (le(raw_p, o + 4, 8)).to_bytes(8, "big")
    if serial is None:
        return None, None
    return serial[0:3] + serial[5:8], serial[3:5]


def check_regs_e1000e(dev, d, facts_q, qv, lsp, raw_p):
    regs = d.jsonl("regs")
    eq("%s e1000e: register reads exit status" % dev, d.rc("regs"), 0)
    vals = {}
    for r in regs:
        if r.get("command") == "read" and not r.get("error"):
            vals[(num(r.get("offset")), r.get("width"))] = num(r.get("value"))
    bad = [r for r in regs if r.get("error")]
    tap(not bad, "%s e1000e: every read answered" % dev, json.dumps(bad)[:2000])
    if facts_q is None:
        tap(True, "%s e1000e: register values" % dev,
            skip="no QEMU reference for this scenario's QEMU (%s)" % qv)
        return
    src = "hw/net/e1000e_core.c, QEMU %s" % qv
    for reg, off, fields in (("CTRL", 0x0, E1000E_CTRL_FIELDS), ("STATUS", 0x8, E1000E_STATUS_FIELDS)):
        v = vals.get((off, 4))
        want_all = 0
        for name, sh, w, want, why in fields:
            want_all |= want << sh
            eq("%s e1000e: %s.%s = %d" % (dev, reg, name, want),
               None if v is None else (v >> sh) & ((1 << w) - 1), want, why + "; " + src)
        eq("%s e1000e: %s = %#x (no other bit set)" % (dev, reg, want_all), v, want_all, src)
    mac, mid = mac_from_dsn(lsp, raw_p)
    if mac is None:
        tap(True, "%s e1000e: receive address 0 vs the Device Serial Number" % dev, skip="no DSN seen")
        return
    eq("%s e1000e: DSN middle bytes are ff ff (e1000e_gen_dsn)" % dev, mid, b"\xff\xff")
    eq("%s e1000e: RAL0 = MAC bytes 0-3 (e1000x_reset_mac_addr; MAC from the DSN lspci shows)" % dev,
       vals.get((0x5400, 4)), int.from_bytes(mac[0:4], "little"))
    rah = vals.get((0x5404, 4))
    eq("%s e1000e: RAH0 low 16 bits = MAC bytes 4-5" % dev,
       None if rah is None else rah & 0xFFFF, int.from_bytes(mac[4:6], "little"))
    eq("%s e1000e: RAH0.AV (address valid) set" % dev,
       None if rah is None else bool(rah & E1000_RAH_AV), True,
       "e1000x_reset_mac_addr(): RA[1] = E1000_RAH_AV | ...")
    eq("%s e1000e: RAH0 other bits 0" % dev, None if rah is None else rah & 0x7FFF0000, 0)
