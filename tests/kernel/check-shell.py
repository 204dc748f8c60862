#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""check-shell.py VFIO_INFO RUN_DIR SCENARIO -- `vfio-info shell` in a guest
(tests/kernel/guest.d/50-shell.sh) against what the emulated devices must
report and against lspci in the same guest.  TAP on stdout.

(a) BAR0 registers read through the shell: the QEMU NVMe controller's CAP,
    VS, CC, CSTS, ... and the e1000e's CTRL, STATUS and receive address,
    field by field, against values taken from QEMU's source for the QEMU
    the scenario runs (see QEMU_OF_SCENARIO and the *_FACTS tables).
(b) The shell's `config` decode against `lspci -vvv -nn` and its raw
    `dump config` against `lspci -xxxx`, both taken while the shell had
    the device open.  vfio-pci virtualizes some registers and hides some
    capabilities: the differences that may or must appear are DATA in
    EXPECTED_DIFFS (the kernel behaviour behind each is cited there), so a
    later `config --diff` check can use the same table
    (`check-shell.py --expected-json` prints it).

Reference values are never copied from a run: they come from QEMU's source
or from lspci in the same guest.  Python standard library only.
"""
import glob
import json
import os
import re
import subprocess
import sys

# ---------------------------------------------------------------- TAP ----
SCEN = "?"
_n = 0
_failed = 0


def tap(ok, desc, diag=None, skip=None, notes=None):
    global _n, _failed
    _n += 1
    line = "%s %d - %s: %s" % ("ok" if ok or skip else "not ok", _n, SCEN, desc)
    if skip:
        line += " # SKIP " + skip
    print(line)
    if not ok and not skip:
        _failed += 1
        if diag:
            for d in str(diag).splitlines()[:60]:
                print("#   " + d)
    for note in notes or []:
        print("#   note: " + note)
    sys.stdout.flush()


def eq(desc, got, want, why=None):
    d = "got:  %s\nwant: %s" % (fmt(got), fmt(want))
    if why:
        d += "\n(" + why + ")"
    tap(got == want, desc, d)


def jdiff(a, b, path=""):
    """The paths where two JSON values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += jdiff(a.get(k), b.get(k), path + "." + str(k))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += jdiff(x, y, "%s[%d]" % (path, i))
        return out
    return [] if a == b else ["%s: %s vs %s" % (path or ".", json.dumps(a)[:80], json.dumps(b)[:80])]


def fmt(v):
    return hex(v) if isinstance(v, int) and not isinstance(v, bool) else repr(v)


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

# =========================================== vfio-pci: expected differences ==
# drivers/vfio/pci/vfio_pci_config.c (6.x; read through the search tools):
# what a user of the VFIO config region sees differently from the device's
# own config space (lspci -xxxx, and lspci -vvv which also uses sysfs).
#
# Each entry: id; applies (the name of a fact about the device, see
# device_facts()); must (True, or the name of a fact: then at least one of
# its bytes must differ, else it only may); raw: where in
# config space, (space, cap id, offset, size, mask) with space "hdr", "cap"
# (standard capability) or "ecap" (extended), mask None for all bits, and
# three computed spaces: "caplink"/"ecaplink" (the pointers that skip hidden
# capabilities) and "msi-address-data" (address and data, 6 or 10 bytes as
# the MSI capability is 32- or 64-bit);
# fields: the keys of the decoded comparison (vfio decode vs lspci -vvv) it
# can explain; why.
EXPECTED_DIFFS = [
    {"id": "vf-ids", "applies": "vf", "must": True,
     "raw": [("hdr", None, 0x00, 4, None)], "fields": [],
     "why": "vfio_config_init(): for pdev->is_virtfn the vconfig vendor and device "
            "ids are set from pdev->vendor/device (init_pci_cap_basic_perm() "
            "virtualizes both); a VF's own registers read 0xffff (SR-IOV), which "
            "lspci -xxxx shows while lspci -vvv -nn names the sysfs ids"},
    {"id": "vf-command-memory", "applies": "vf", "must": "vf_memory_bit_clear",
     "raw": [("hdr", None, 0x04, 2, 0x0002)], "fields": ["hdr.command.MEMORY"],
     "why": "vfio_config_init(): pdev->no_command_memory (set for VFs) -> "
            "PCI_COMMAND_MEMORY set in vconfig, and vfio_basic_config_read() ORs "
            "that virtual bit into every COMMAND read; the PF's SR-IOV MSE decodes "
            "a VF's BARs, its own bit is RsvdP.  A VF whose bit reads 0 must show "
            "the difference; QEMU's emulated VFs keep the bit writable, so after "
            "pci_enable_device() both read 1"},
    {"id": "vf-bars", "applies": "vf_bar", "must": True,
     "raw": [("hdr", None, 0x10, 24, None)],
     "fields": ["hdr.bar%d.address" % i for i in range(6)],
     "why": "vfio_bar_fixup(): vconfig BAR = hardware register & ~(size - 1) | "
            "vfio_generate_bar_flags(); a VF's BAR registers read 0, so only the "
            "type flags remain, while lspci -vvv prints the sysfs resource "
            "address marked [virtual]"},
    {"id": "bar-unassigned", "applies": "bar_unassigned", "must": False,
     "raw": [("hdr", None, 0x10, 24, None)],
     "fields": ["hdr.bar%d.address" % i for i in range(6)],
     "why": "vfio_bar_fixup(): a BAR without a host resource "
            "(!pci_resource_start) reads 0 (\"unimplemented to user\")"},
    {"id": "rom-shadow", "applies": "rom_shadow", "must": False,
     "raw": [("hdr", None, 0x30, 4, None)], "fields": ["hdr.rom.address"],
     "why": "the boot VGA's ROM resource is the shadow copy at 0xc0000 "
            "(IORESOURCE_ROM_SHADOW, arch/x86/pci/fixup.c pci_fixup_video), which "
            "lspci -vvv prints; vfio_bar_fixup() keeps the ROM BAR register "
            "masked to the resource size (128K), so the vfio view shows the "
            "register's address"},
    {"id": "intx-pin", "applies": "pin_hidden", "must": False,
     "raw": [("hdr", None, 0x3d, 1, None)], "fields": ["hdr.interrupt_pin"],
     "why": "vfio_config_init(): the interrupt pin (virtualized, "
            "init_pci_cap_basic_perm()) reads 0 for VFs, for nointx devices, "
            "without CONFIG_VFIO_PCI_INTX and for pdev->irq == IRQ_NOTCONNECTED"},
    {"id": "intx-disable", "applies": "always", "must": False,
     "raw": [("hdr", None, 0x04, 2, 0x0400)], "fields": ["hdr.command.INTX_DISABLE"],
     "why": "PCI_COMMAND_INTX_DISABLE is virtualized (vfio masks INTx through "
            "it); reads show the vconfig copy taken at open"},
    {"id": "interrupt-line", "applies": "always", "must": False,
     "raw": [("hdr", None, 0x3c, 1, None)], "fields": [],
     "why": "PCI_INTERRUPT_LINE is virtualized (\"sometimes used by sw\"): "
            "the vconfig copy taken at open"},
    {"id": "hidden-cap-link", "applies": "hidden_cap", "must": True,
     "raw": [("caplink", None, 0, 1, None)], "fields": ["caplist"],
     "why": "vfio_cap_init(): a capability whose pci_cap_length[] is 0 (or an id "
            "above PCI_CAP_ID_MAX) is hidden by pointing the previous next "
            "pointer (or PCI_CAPABILITY_LIST) past it; next pointers are "
            "virtualized in every capability"},
    {"id": "hidden-ecap-link", "applies": "hidden_ecap", "must": True,
     "raw": [("ecaplink", None, 0, 4, None)], "fields": ["ecaplist"],
     "why": "vfio_ecap_init(): an extended capability whose "
            "pci_ext_cap_length[] is 0 is skipped through the previous header's "
            "next field; as the first in the list it stays as a placeholder "
            "with id and version 0 (only its next pointer kept)"},
    {"id": "no-caps-status", "applies": "all_caps_hidden", "must": True,
     "raw": [("hdr", None, 0x06, 2, 0x0010), ("hdr", None, 0x34, 1, None)],
     "fields": ["hdr.status.CAP_LIST"],
     "why": "vfio_cap_init(): when no capability is kept, PCI_STATUS_CAP_LIST is "
            "cleared in vconfig"},
    {"id": "pm-pme-support", "applies": "always", "must": False,
     "raw": [("cap", 0x01, 2, 2, 0xF800)], "fields": ["pm.pmc.pme_support"],
     "why": "init_pci_cap_pm_perm() virtualizes PME_Support and "
            "vfio_update_pm_vconfig_bytes() clears it: the guest cannot handle PME"},
    {"id": "pm-pme-bits", "applies": "always", "must": False,
     "raw": [("cap", 0x01, 4, 2, 0x8100)],
     "fields": ["pm.pmcsr.pme_enable", "pm.pmcsr.pme_status"],
     "why": "init_pci_cap_pm_perm() virtualizes PME_Enable and PME_Status, "
            "cleared in vconfig by vfio_update_pm_vconfig_bytes()"},
    {"id": "msi-mmc", "applies": "always", "must": False,
     "raw": [("cap", 0x05, 2, 1, 0x0E)], "fields": ["msi.control.vectors_capable"],
     "why": "vfio_msi_config_read(): Multiple Message Capable reads "
            "vdev->msi_qmax, which stays 0 until MSI is enabled through "
            "VFIO_DEVICE_SET_IRQS"},
    {"id": "msi-virtual", "applies": "always", "must": False,
     "raw": [("cap", 0x05, 2, 1, 0x71), ("msi-address-data", 0x05, 4, None, None)],
     "fields": ["msi.control.enable", "msi.control.vectors_enabled",
                "msi.address", "msi.data"],
     "why": "init_pci_cap_msi_perm(): MSI flags byte, address and data are "
            "virtualized (vconfig copy taken at open, programmed by the host)"},
    {"id": "exp-devctl", "applies": "always", "must": False,
     "raw": [("cap", 0x10, 8, 2, 0xF0E0)],
     "fields": ["exp.devctl.initiate_flr", "exp.devctl.max_payload",
                "exp.devctl.max_read_request"],
     "why": "init_pci_cap_exp_perm(): DevCtl Initiate FLR, Max_Payload_Size and "
            "Max_Read_Request_Size are virtualized (vconfig copy taken at open)"},
]

# vfio_pci_config.c pci_cap_length[] / pci_ext_cap_length[]: the capability
# ids it keeps (nonzero or variable length); every other id is hidden.
VFIO_KEPT_CAPS = {0x01, 0x02, 0x03, 0x05, 0x07, 0x08, 0x09, 0x10, 0x11, 0x12, 0x13}
VFIO_KEPT_ECAPS = {0x01, 0x02, 0x03, 0x04, 0x08, 0x09, 0x0B, 0x0D, 0x0E, 0x0F, 0x10,
                   0x12, 0x13, 0x15, 0x16, 0x17, 0x18, 0x23}


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


def num(v):
    if isinstance(v, dict):
        v = v.get("value")
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return v
    try:
        return int(str(v), 0)
    except ValueError:
        return None


def le(b, off, size):
    return int.from_bytes(bytes(b[off:off + size]), "little")


def parse_xxxx(text):
    """lspci -xxxx: 'off: hh hh ...' lines into bytes."""
    data = {}
    for line in (text or "").splitlines():
        m = re.match(r"^([0-9a-f]+): ((?:[0-9a-f]{2} ?)+)$", line.strip())
        if m:
            off = int(m.group(1), 16)
            for i, h in enumerate(m.group(2).split()):
                data[off + i] = int(h, 16)
    if not data:
        return None
    return bytes(data.get(i, 0) for i in range(max(data) + 1))


def walk_caps(c):
    """[(offset, id)] of the standard capability list of raw config c."""
    out, seen = [], set()
    if len(c) < 64 or not (le(c, 6, 2) & 0x10):
        return out
    ptr = c[0x34] & 0xFC
    while ptr and ptr not in seen and ptr + 2 <= len(c) and len(out) < 48:
        seen.add(ptr)
        out.append((ptr, c[ptr]))
        ptr = c[ptr + 1] & 0xFC
    return out


def walk_ecaps(c):
    """[(offset, id, version)] of the extended capability list."""
    out, seen, off = [], set(), 0x100
    while off >= 0x100 and off + 4 <= len(c) and off not in seen and len(out) < 512:
        seen.add(off)
        h = le(c, off, 4)
        if h in (0, 0xFFFFFFFF):
            break
        out.append((off, h & 0xFFFF, (h >> 16) & 0xF))
        off = (h >> 20) & 0xFFC
    return out


# ================================================ lspci -vvv -nn parsing ====
FLAG = re.compile(r"([A-Za-z0-9<>][\w<>/.-]*?)([+-])(?=[\s,;]|$)")


def flags_of(text):
    """'I/O+ Mem- ...' -> {'I/O': True, 'Mem': False}"""
    return {m.group(1): m.group(2) == "+" for m in FLAG.finditer(text)}


def parse_lspci(text):
    """Split lspci -vvv -nn output of one function into header facts and
    capability blocks [(offset, version or None, title, [lines])].  A
    register's continuation lines (indented one tab deeper) are joined to
    it, so each entry of [lines] is one register as lspci prints it."""
    lines = (text or "").splitlines()
    if not lines:
        return None
    hdr = {"title": lines[0], "lines": []}
    caps = []
    cur = None
    for line in lines[1:]:
        m = re.match(r"^\tCapabilities: \[([0-9a-f]+)(?: v(\d+))?\] (.*)$", line)
        if m:
            cur = (int(m.group(1), 16), int(m.group(2)) if m.group(2) else None,
                   m.group(3), [])
            caps.append(cur)
        elif line.startswith("\t\t\t") and cur is not None and cur[3]:
            cur[3][-1] += " " + line.strip()
        elif line.startswith("\t\t") and cur is not None:
            cur[3].append(line.strip())
        elif line.startswith("\t") and not line.startswith("\t\t"):
            cur = None
            hdr["lines"].append(line.strip())
    return hdr, caps


def hline(hdr, prefix):
    for line in hdr["lines"]:
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    return None


def cline(lines, prefix):
    """The register PREFIX of a capability, continuation lines included."""
    for line in lines:
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    return None


# ======================================================== the shell's view ==
def cap_by_off(cfg, off, ext=False):
    for c in cfg.get("extended_capabilities" if ext else "capabilities") or []:
        if num(c.get("offset")) == off:
            return c
    return None


def bit(v, b):
    return bool((v >> b) & 1)


def names(x):
    return set((x or {}).get("names") or []) if isinstance(x, dict) else set()


# ==================================================== decoded comparisons ===
class Cmp:
    """Collects (key, shell, lspci) field comparisons for one register group."""

    def __init__(self, dev, what, explain):
        self.dev, self.what, self.explain = dev, what, explain
        self.rows = []

    def f(self, key, got, want):
        self.rows.append((key, got, want))

    def done(self):
        if os.environ.get("CHECK_SHELL_VERBOSE"):
            for key, got, want in self.rows:
                print("#   %s %s: vfio-info %s, lspci %s" % (self.dev, key, fmt(got), fmt(want)))
        bad, expected = [], []
        for key, got, want in self.rows:
            if got == want:
                continue
            e = self.explain(key)
            (expected if e else bad).append((key, got, want, e))
        tap(not bad, "%s config: %s vs lspci -vvv (%d fields)" % (self.dev, self.what, len(self.rows)),
            "\n".join("%s: vfio-info %s, lspci %s" % (k, fmt(g), fmt(w)) for k, g, w, _e in bad),
            notes=["%s: vfio-info %s, lspci %s: expected (%s)" % (k, fmt(g), fmt(w), e)
                   for k, g, w, e in expected])


AUX_MA = [0, 55, 100, 160, 220, 270, 320, 375]      # lspci pm_aux_current
L0S_LAT = ["<64ns", "<128ns", "<256ns", "<512ns", "<1us", "<2us", "<4us", "unlimited"]
L1_LAT = ["<1us", "<2us", "<4us", "<8us", "<16us", "<32us", "<64us", "unlimited"]
EXP_TYPES = {"Endpoint": 0, "Legacy Endpoint": 1, "Root Port": 4, "Upstream Port": 5,
             "Downstream Port": 6, "PCI-Express to PCI/PCI-X Bridge": 7,
             "PCI/PCI-X to PCI-Express Bridge": 8, "Root Complex Integrated Endpoint": 9,
             "Root Complex Event Collector": 10}
ASPM_CAP = {"not supported": "none", "L0s": "L0s", "L1": "L1", "L0s L1": "L0s L1"}
ASPM_CTL = {"Disabled": "none", "L0s Enabled": "L0s", "L1 Enabled": "L1", "L0s L1 Enabled": "L0s L1"}
CTO_RANGES = {"Not Supported": 0, "Range A": 1, "Range B": 2, "Range AB": 3, "Range BC": 6,
              "Range ABC": 7, "Range BCD": 0xE, "Range ABCD": 0xF}
CTO_VALUES = {"50us to 50ms": 0, "50us to 100us": 1, "1ms to 10ms": 2, "16ms to 55ms": 5,
              "65ms to 210ms": 6, "260ms to 900ms": 9, "1s to 3.5s": 0xA, "4s to 13s": 0xD,
              "17s to 64s": 0xE}
OBFF_CAP = {"Not Supported": 0, "Via message": 1, "Via WAKE#": 2, "Via message/WAKE#": 3}
OBFF_CTL = {"Disabled": 0, "Via message A": 1, "Via message B": 2, "Via WAKE#": 3}
LNKCAP2 = {"2.5GT/s": 0x01, "2.5-5GT/s": 0x03, "2.5-8GT/s": 0x07, "2.5-16GT/s": 0x0F,
           "2.5-32GT/s": 0x1F, "2.5-64GT/s": 0x3F}
AER_UE = {"DLP": "DLP", "SDES": "SDES", "TLP": "POISONED_TLP", "FCP": "FCP",
          "CmpltTO": "COMPLETION_TIMEOUT", "CmpltAbrt": "COMPLETER_ABORT",
          "UnxCmplt": "UNEXPECTED_COMPLETION", "RxOF": "RECEIVER_OVERFLOW",
          "MalfTLP": "MALFORMED_TLP", "ECRC": "ECRC", "UnsupReq": "UNSUPPORTED_REQUEST",
          "ACSViol": "ACS_VIOLATION", "UncorrIntErr": "UNCORRECTABLE_INTERNAL",
          "BlockedTLP": "MC_BLOCKED_TLP", "AtomicOpBlocked": "ATOMIC_EGRESS_BLOCKED",
          "TLPBlockedErr": "TLP_PREFIX_BLOCKED", "PoisonTLPBlocked": "POISONED_TLP_EGRESS_BLOCKED"}
AER_CE = {"RxErr": "RECEIVER_ERROR", "BadTLP": "BAD_TLP", "BadDLLP": "BAD_DLLP",
          "Rollover": "REPLAY_NUM_ROLLOVER", "Timeout": "REPLAY_TIMER_TIMEOUT",
          "AdvNonFatalErr": "ADVISORY_NONFATAL", "CorrIntErr": "CORRECTED_INTERNAL",
          "HeaderOF": "HEADER_LOG_OVERFLOW"}
ACS_BITS = {"SrcValid": "source_validation", "TransBlk": "translation_blocking",
            "ReqRedir": "p2p_request_redirect", "CmpltRedir": "p2p_completion_redirect",
            "UpstreamFwd": "upstream_forwarding", "EgressCtrl": "p2p_egress_control",
            "DirectTrans": "direct_translated_p2p"}
VIRTIO_TYPES = {1: "CommonCfg", 2: "Notify", 3: "ISR", 4: "DeviceCfg"}


def hexnum(s):
    return int(s, 16)


def code(table, text):
    """lspci's latency text back to the field's code."""
    return table.index(text) if text in table else text


def cmp_header(dev, cfg, lsp, raw_p, explain):
    hdr, _caps = lsp
    title = hdr["title"]
    c = Cmp(dev, "header: ids, class, revision, subsystem", explain)
    ids = re.findall(r"\[([0-9a-f]{4}):([0-9a-f]{4})\]", title)
    cls = re.search(r" \[([0-9a-f]{4})\]: ", title)
    rev = re.search(r"\(rev ([0-9a-f]{2})\)", title)
    pif = re.search(r"\(prog-if ([0-9a-f]{2})", title)
    if ids:
        c.f("hdr.vendor_id", num(cfg.get("vendor_id")), hexnum(ids[-1][0]))
        c.f("hdr.device_id", num(cfg.get("device_id")), hexnum(ids[-1][1]))
    if cls:
        c.f("hdr.class", num(cfg.get("class")),
            hexnum(cls.group(1)) << 8 | (hexnum(pif.group(1)) if pif else 0))
    c.f("hdr.revision", num(cfg.get("revision")), hexnum(rev.group(1)) if rev else 0)
    sub = hline(hdr, "Subsystem:")
    if sub is not None:
        s = re.findall(r"\[([0-9a-f]{4}):([0-9a-f]{4})\]", sub)
        c.f("hdr.subsystem_vendor_id", num(cfg.get("subsystem_vendor_id")), hexnum(s[-1][0]))
        c.f("hdr.subsystem_id", num(cfg.get("subsystem_id")), hexnum(s[-1][1]))
    c.done()

    # lspci -vvv does not print the header type of a type-0 function: the raw
    # byte from lspci -xxxx is the reference.
    h = Cmp(dev, "header type vs lspci -xxxx byte 0x0e", explain)
    h.f("hdr.header_type", num(cfg.get("header_type")), raw_p[0x0E])
    h.f("hdr.multifunction", cfg.get("multifunction"), bool(raw_p[0x0E] & 0x80))
    bad = [r for r in h.rows if r[1] != r[2]]
    tap(not bad, "%s config: header type vs lspci -xxxx byte 0x0e" % dev,
        "\n".join("%s: vfio-info %s, lspci -xxxx %s" % (k, fmt(g), fmt(w)) for k, g, w in bad))

    # Control / Status
    cm = Cmp(dev, "Control (command register)", explain)
    fl = flags_of(hline(hdr, "Control:") or "")
    cb = names(cfg.get("command_bits"))
    for lk, sk in (("I/O", "IO"), ("Mem", "MEMORY"), ("BusMaster", "BUS_MASTER"),
                   ("SpecCycle", "SPECIAL_CYCLES"), ("MemWINV", "MWI"), ("VGASnoop", "VGA_SNOOP"),
                   ("ParErr", "PARITY"), ("Stepping", "STEPPING"), ("SERR", "SERR"),
                   ("FastB2B", "FAST_B2B"), ("DisINTx", "INTX_DISABLE")):
        if lk in fl:
            cm.f("hdr.command." + sk, sk in cb, fl[lk])
    cm.done()
    st = Cmp(dev, "Status register", explain)
    stl = hline(hdr, "Status:") or ""
    fl = flags_of(stl)
    sb = names(cfg.get("status_bits"))
    sv = num(cfg.get("status_bits")) or 0
    for lk, sk, b in (("Cap", "CAP_LIST", 4), ("66MHz", "66MHZ", 5), ("UDF", None, 6),
                      ("FastB2B", "FAST_B2B", 7), ("ParErr", "MASTER_PARITY_ERROR", 8),
                      (">TAbort", "SIG_TARGET_ABORT", 11), ("<TAbort", "RCV_TARGET_ABORT", 12),
                      ("<MAbort", "RCV_MASTER_ABORT", 13), (">SERR", "SIG_SYSTEM_ERROR", 14),
                      ("<PERR", "DETECTED_PARITY_ERROR", 15), ("INTx", "INTX", 3)):
        if lk in fl:
            st.f("hdr.status." + (sk or "bit%d" % b), (sk in sb) if sk else bit(sv, b), fl[lk])
    m = re.search(r"DEVSEL=(\w+)", stl)
    if m:
        st.f("hdr.status.devsel", (cfg.get("devsel") or {}).get("name"), m.group(1))
    st.done()

    # Interrupt pin (lspci prints the line only when a pin is set)
    ip = Cmp(dev, "interrupt pin", explain)
    il = hline(hdr, "Interrupt:")
    m = re.search(r"pin ([A-D])", il or "")
    ip.f("hdr.interrupt_pin", num(cfg.get("interrupt_pin")), "ABCD".index(m.group(1)) + 1 if m else 0)
    ip.done()

    # BARs and the expansion ROM as lspci shows them
    bars = [num(b) for b in cfg.get("bars") or []]
    rg = Cmp(dev, "BARs and expansion ROM (Region lines)", explain)
    shown = {}
    for l in hdr["lines"]:
        m = re.match(r"^Region (\d): (Memory at|I/O ports at) (\S+)"
                     r"(?: \((\d+)-bit, (prefetchable|non-prefetchable)\))?", l)
        if m:
            shown[int(m.group(1))] = m
    i = 0
    while i < len(bars):
        v = bars[i] or 0
        io = bool(v & 1)
        is64 = not io and (v & 6) == 4
        addr = (v & ~3) if io else (v & ~0xF)
        if is64 and i + 1 < len(bars):
            addr |= (bars[i + 1] or 0) << 32
        m = shown.get(i)
        if m is None:
            rg.f("hdr.bar%d.implemented" % i, v != 0, False)
        else:
            rg.f("hdr.bar%d.io" % i, io, m.group(2) == "I/O ports at")
            if not io and m.group(4):
                rg.f("hdr.bar%d.64bit" % i, is64, m.group(4) == "64")
                rg.f("hdr.bar%d.prefetchable" % i, bool(v & 8), m.group(5) == "prefetchable")
            if re.match(r"^[0-9a-f]+$", m.group(3)):
                rg.f("hdr.bar%d.address" % i, addr, hexnum(m.group(3)))
        i += 2 if is64 else 1
    rom = num(cfg.get("rom_bar"))
    rl = hline(hdr, "Expansion ROM at")
    if rl is None:
        rg.f("hdr.rom.implemented", bool(rom), False)
    else:
        m = re.match(r"^([0-9a-f]+)", rl)
        if m:
            rg.f("hdr.rom.address", (rom or 0) & ~0x7FF, hexnum(m.group(1)))
        rg.f("hdr.rom.enabled", bool((rom or 0) & 1), "[disabled]" not in rl)
    rg.done()


def cap_pm(c, cap, title, lines):
    pmc, csr = cap.get("pmc") or {}, cap.get("pmcsr") or {}
    m = re.search(r"version (\d+)", title)
    if m:
        c.f("pm.pmc.version", pmc.get("version"), int(m.group(1)))
    fl = cline(lines, "Flags:") or ""
    f = flags_of(fl)
    for lk, sk in (("PMEClk", "pme_clock"), ("DSI", "dsi"), ("D1", "d1"), ("D2", "d2")):
        if lk in f:
            c.f("pm.pmc." + sk, pmc.get(sk), f[lk])
    m = re.search(r"AuxCurrent=(\d+)mA", fl)
    if m:
        a = pmc.get("aux_current")
        c.f("pm.pmc.aux_current_mA", AUX_MA[a] if isinstance(a, int) and a < 8 else a, int(m.group(1)))
    m = re.search(r"PME\(([^)]*)\)", fl)
    if m:
        pf = flags_of(m.group(1).replace(",", " "))
        c.f("pm.pmc.pme_support", sorted(names(pmc.get("pme_support"))),
            sorted(k for k, v in pf.items() if v))
    stl = cline(lines, "Status:") or ""
    m = re.match(r"^(D\d)", stl)
    if m:
        c.f("pm.pmcsr.power_state", ((csr.get("power_state") or {}).get("name") or "").replace("D3hot", "D3"),
            m.group(1))
    f = flags_of(stl)
    for lk, sk in (("NoSoftRst", "no_soft_reset"), ("PME-Enable", "pme_enable"), ("PME", "pme_status")):
        if lk in f:
            c.f("pm.pmcsr." + sk, csr.get(sk), f[lk])
    for lk, sk in (("DSel", "data_select"), ("DScale", "data_scale")):
        m = re.search(lk + r"=(\d+)", stl)
        if m:
            c.f("pm.pmcsr." + sk, csr.get(sk), int(m.group(1)))


def cap_msi(c, cap, title, lines):
    ctl = cap.get("control") or {}
    m = re.search(r"Enable([+-]) Count=(\d+)/(\d+) Maskable([+-]) 64bit([+-])", title)
    if m:
        c.f("msi.control.enable", ctl.get("enable"), m.group(1) == "+")
        c.f("msi.control.vectors_enabled", ctl.get("vectors_enabled"), int(m.group(2)))
        c.f("msi.control.vectors_capable", ctl.get("vectors_capable"), int(m.group(3)))
        c.f("msi.control.per_vector_masking", ctl.get("per_vector_masking"), m.group(4) == "+")
        c.f("msi.control.64bit", ctl.get("64bit"), m.group(5) == "+")
    for l in lines:
        m = re.match(r"^Address: ([0-9a-f]+)\s+Data: ([0-9a-f]+)", l)
        if m:
            c.f("msi.address", num(cap.get("address")), hexnum(m.group(1)))
            c.f("msi.data", num(cap.get("data")), hexnum(m.group(2)))
        m = re.match(r"^Masking: ([0-9a-f]+)\s+Pending: ([0-9a-f]+)", l)
        if m:
            c.f("msi.mask", num(cap.get("mask")), hexnum(m.group(1)))
            c.f("msi.pending", num(cap.get("pending")), hexnum(m.group(2)))


def cap_msix(c, cap, title, lines):
    ctl = cap.get("control") or {}
    m = re.search(r"Enable([+-]) Count=(\d+) Masked([+-])", title)
    if m:
        c.f("msix.control.enable", ctl.get("enable"), m.group(1) == "+")
        c.f("msix.control.table_size", ctl.get("table_size"), int(m.group(2)))
        c.f("msix.control.function_mask", ctl.get("function_mask"), m.group(3) == "+")
    for l in lines:
        for lk, sk in (("Vector table:", "table"), ("PBA:", "pba")):
            m = re.match("^" + re.escape(lk) + r" BAR=(\d) offset=([0-9a-f]+)", l)
            if m:
                t = cap.get(sk) or {}
                c.f("msix.%s.bar" % sk, t.get("bar"), int(m.group(1)))
                c.f("msix.%s.offset" % sk, num(t.get("offset")), hexnum(m.group(2)))


def boolmap(c, prefix, reg, text, table, raw=False):
    """lspci's Name+/Name- flags of TEXT against the decoded fields (a name)
    or the register's raw bits (a bit number); RAW marks checks that repeat
    a decoded field's comparison on the raw register value."""
    f = flags_of(text or "")
    for lk, sk in table:
        if lk in f:
            if isinstance(sk, int):
                c.f("%s.bit%d(%s)%s" % (prefix, sk, lk, "(raw)" if raw else ""),
                    bit(num(reg) or 0, sk), f[lk])
            else:
                c.f("%s.%s" % (prefix, sk), (reg or {}).get(sk), f[lk])


LINK_SPEEDS = {"2.5GT/s": 1, "5GT/s": 2, "8GT/s": 3, "16GT/s": 4, "32GT/s": 5, "64GT/s": 6}
DEEMPH = {"-6dB": 0, "-3.5dB": 1}
# lspci cap_express_link2_transmargin(): one text for 2..5; 6 and 7 "Unknown"
TX_MARGIN = {"Normal Operating Range": {0},
             "800-1200mV(full-swing)/400-700mV(half-swing)": {1},
             "200-400mV(full-swing)/100-200mV(half-swing)": {2, 3, 4, 5},
             "Unknown": {6, 7}}
# lspci cap_express_link2_compliance_preset(): 10.. "Unknown"
COMPL_PRESET = {"-6dB de-emphasis, 0dB preshoot": 0, "-3.5dB de-emphasis, 0dB preshoot": 1,
                "-4.4dB de-emphasis, 0dB preshoot": 2, "-2.5dB de-emphasis, 0dB preshoot": 3,
                "0dB de-emphasis, 0dB preshoot": 4, "0dB de-emphasis, 1.9dB preshoot": 5,
                "0dB de-emphasis, 2.5dB preshoot": 6, "-6.0dB de-emphasis, 3.5dB preshoot": 7,
                "-3.5dB de-emphasis, 3.5dB preshoot": 8, "0dB de-emphasis, 3.5dB preshoot": 9}
CROSSLINK_RES = {"unsupported": 0, "Upstream Port": 1, "Downstream Port": 2, "incomplete": 3}
DOWNSTREAM_COMP = {"Link Down - Not Determined": 0, "Link Down - Not Present": 1,
                   "Link Down - Present": 2, "Link Up - Present": 4,
                   "Link Up - Present and DRS Received": 5}
EPR_CAP = {"Not Supported": 0, "Dev Specific": 1, "Form Factor Dev Specific": 2, "Reserved": 3}
LN_CLS = {"Not Supported": 0, "64byte cachelines": 1, "128byte cachelines": 2, "Reserved": 3}
INDICATOR = {"Unknown": 0, "On": 1, "Blink": 2, "Off": 3}


def enum_name(x):
    return (x or {}).get("name") if isinstance(x, dict) else None


def code_in(c, key, got, text, table):
    """lspci's TEXT for a field: the field's code (table: text -> code or
    set of codes) against the decoded value GOT; text lspci does not know is
    compared as is."""
    want = table.get(text, text) if text is not None else None
    if isinstance(want, set):
        want = got if got in want else sorted(want)
    c.f(key, got, want)


def speed_cmp(c, key, field, text):
    """A link speed enum against lspci's speed text: the decoded name where
    lspci has one; where lspci says unknown, the value must be one lspci's
    table lacks (and the decoder then still shows it)."""
    if text.lower() == "unknown":
        c.f(key + "(unknown to lspci)", num(field) in LINK_SPEEDS.values(), False)
    else:
        c.f(key, enum_name(field), text)
        c.f(key + "(value)", num(field), LINK_SPEEDS.get(text, text))


def power_w(value, scale):
    """Slot power limit in W as lspci's show_power_limit() computes it
    (PCIe: scale 1.0x with values F0h-FEh meaning 250W + 25W steps, FFh >600W)."""
    if not isinstance(value, int) or not isinstance(scale, int):
        return None
    if scale == 0 and value == 0xFF:
        return ">600"
    if scale == 0 and 0xF0 <= value <= 0xFE:
        value = 250 + 25 * (value - 0xF0)
    return round(value * (1.0, 0.1, 0.01, 0.001)[scale & 3], 3)


def lspci_w(text):
    return ">600" if text == ">600" else round(float(text), 3)


def cap_exp(c, cap, title, lines):
    caps = cap.get("caps") or {}
    m = re.match(r"^Express \(v(\d+)\) (.*?), (?:MSI|IntMsgNum) ([0-9a-f]+)", title)
    if m:
        c.f("exp.caps.version", caps.get("version"), int(m.group(1)))
        t = re.sub(r" \(Slot[+-]\)", "", m.group(2))
        c.f("exp.caps.type", (caps.get("type") or {}).get("value"), EXP_TYPES.get(t, t))
        c.f("exp.caps.interrupt_message", caps.get("interrupt_message"),
            int(m.group(3), 16 if title.find("MSI ") >= 0 else 10))
        s = re.search(r" \(Slot([+-])\)", m.group(2))
        if s:
            c.f("exp.caps.slot", caps.get("slot"), s.group(1) == "+")
    boolmap(c, "exp.caps", caps, title, (("FlitMode", "flit_mode"),))
    dc = cap.get("devcap") or {}
    t = cline(lines, "DevCap:")
    if t is not None:
        m = re.search(r"MaxPayload (\d+) bytes", t)
        if m:
            c.f("exp.devcap.max_payload", dc.get("max_payload"), int(m.group(1)))
        m = re.search(r"PhantFunc (\d+)", t)
        if m:
            c.f("exp.devcap.phantom_functions", dc.get("phantom_functions"), int(m.group(1)))
        m = re.search(r"Latency L0s ([^,]+), L1 (\S+)", t)
        if m:
            c.f("exp.devcap.l0s_latency", dc.get("l0s_latency"), code(L0S_LAT, m.group(1)))
            c.f("exp.devcap.l1_latency", dc.get("l1_latency"), code(L1_LAT, m.group(2)))
        boolmap(c, "exp.devcap", dc, t, (("ExtTag", "extended_tag"), ("RBE", "role_based_error"),
                                         ("FLReset", "flr"), ("AttnBtn", "attention_button"),
                                         ("AttnInd", "attention_indicator"),
                                         ("PwrInd", "power_indicator")))
        # the raw register too: the same bits as lspci reads them
        boolmap(c, "exp.devcap", dc, t, (("AttnBtn", 12), ("AttnInd", 13), ("PwrInd", 14)),
                raw=True)
        m = re.search(r"SlotPowerLimit (>600|[\d.]+)W", t)
        if m and isinstance(dc.get("slot_power_limit"), int):
            c.f("exp.devcap.slot_power_W", power_w(dc["slot_power_limit"], dc.get("slot_power_scale")),
                lspci_w(m.group(1)))
    dctl = cap.get("devctl") or {}
    t = cline(lines, "DevCtl:")
    if t is not None:
        boolmap(c, "exp.devctl", dctl, t, (
            ("CorrErr", "correctable_report"), ("NonFatalErr", "nonfatal_report"),
            ("FatalErr", "fatal_report"), ("UnsupReq", "unsupported_report"),
            ("RlxdOrd", "relaxed_ordering"), ("ExtTag", "extended_tag"),
            ("PhantFunc", "phantom_functions"), ("AuxPwr", "aux_power_pm"),
            ("NoSnoop", "no_snoop"), ("FLReset", "initiate_flr"), ("BrConfRtry", 15)))
        m = re.search(r"MaxPayload (\d+) bytes, MaxReadReq (\d+) bytes", t)
        if m:
            c.f("exp.devctl.max_payload", dctl.get("max_payload"), int(m.group(1)))
            c.f("exp.devctl.max_read_request", dctl.get("max_read_request"), int(m.group(2)))
    t = cline(lines, "DevSta:")
    if t is not None:
        boolmap(c, "exp.devsta", cap.get("devsta"), t, (
            ("CorrErr", "correctable_error"), ("NonFatalErr", "nonfatal_error"),
            ("FatalErr", "fatal_error"), ("UnsupReq", "unsupported_request"),
            ("AuxPwr", "aux_power"), ("TransPend", "transactions_pending")))
    lc = cap.get("lnkcap") or {}
    t = cline(lines, "LnkCap:")
    if t is not None:
        m = re.search(r"Port #(\d+), Speed ([^,]+), Width x(\d+), ASPM ([^,]+?)"
                      r"(?:, Exit Latency (.*?))?(?= ClockPM|$)", t)
        if m:
            c.f("exp.lnkcap.port", lc.get("port"), int(m.group(1)))
            speed_cmp(c, "exp.lnkcap.max_speed", lc.get("max_speed"), m.group(2))
            c.f("exp.lnkcap.max_width", lc.get("max_width"), int(m.group(3)))
            c.f("exp.lnkcap.aspm", (lc.get("aspm") or {}).get("name"), ASPM_CAP.get(m.group(4), m.group(4)))
            for lat in re.finditer(r"(L0s|L1) ([^,\s]+)", m.group(5) or ""):
                tbl, key = ((L0S_LAT, "l0s_exit_latency") if lat.group(1) == "L0s"
                            else (L1_LAT, "l1_exit_latency"))
                c.f("exp.lnkcap." + key, lc.get(key), code(tbl, lat.group(2)))
        boolmap(c, "exp.lnkcap", lc, t, (("ClockPM", "clock_pm"), ("Surprise", "surprise_down"),
                                         ("LLActRep", "dll_active_reporting"), ("BwNot", "bw_notification"),
                                         ("ASPMOptComp", "aspm_optionality")))
    lct = cap.get("lnkctl") or {}
    t = cline(lines, "LnkCtl:")
    if t is not None:
        m = re.match(r"ASPM ([^;]+);", t)
        if m:
            c.f("exp.lnkctl.aspm", (lct.get("aspm") or {}).get("name"), ASPM_CTL.get(m.group(1), m.group(1)))
        m = re.search(r"RCB (\d+) bytes", t)
        if m:
            c.f("exp.lnkctl.rcb_128", lct.get("rcb_128"), m.group(1) == "128")
        # "Disabled" before pciutils 3.14, "LnkDisable" since
        boolmap(c, "exp.lnkctl", lct, t, (("Disabled", "link_disable"), ("LnkDisable", "link_disable"),
                                          ("CommClk", "common_clock"),
                                          ("ExtSynch", "extended_synch"), ("ClockPM", "clock_pm"),
                                          ("AutWidDis", "hw_autonomous_width_disable"),
                                          ("BWInt", "bw_mgmt_interrupt"), ("AutBWInt", "auto_bw_interrupt"),
                                          ("FlitModeDis", "flit_mode_disable")))
    ls = cap.get("lnksta") or {}
    t = cline(lines, "LnkSta:")
    if t is not None:
        m = re.search(r"Speed ([^,\s]+)(?: \([^)]*\))?, Width x(\d+)", t)
        if m:
            speed_cmp(c, "exp.lnksta.speed", ls.get("speed"), m.group(1))
            c.f("exp.lnksta.width", ls.get("width"), int(m.group(2)))
        boolmap(c, "exp.lnksta", ls, t, (("TrErr", "training_error"), ("Train", "training"),
                                         ("SlotClk", "slot_clock"), ("DLActive", "dll_active"),
                                         ("BWMgmt", "bw_mgmt"), ("ABWMgmt", "auto_bw")))
        boolmap(c, "exp.lnksta", ls, t, (("TrErr", 10),), raw=True)
    cap_exp_slot_root(c, cap, lines)
    d2 = cap.get("devcap2") or {}
    t = cline(lines, "DevCap2:")
    if t is not None:
        m = re.search(r"Completion Timeout: ([^,]+),", t)
        if m:
            c.f("exp.devcap2.completion_timeout_ranges", num(d2.get("completion_timeout_ranges")),
                CTO_RANGES.get(m.group(1), m.group(1)))
        m = re.search(r"OBFF ([^,]+),", t)
        if m:
            c.f("exp.devcap2.obff", d2.get("obff"), OBFF_CAP.get(m.group(1), m.group(1)))
        m = re.search(r"AtomicOpsCap: (.*)$", t)
        if m:
            boolmap(c, "exp.devcap2", d2, m.group(1), (
                ("32bit", "atomic32"), ("64bit", "atomic64"), ("128bitCAS", "cas128"),
                ("Routing", "atomic_routing")))
            t = t[:m.start()]
        boolmap(c, "exp.devcap2", d2, t, (
            ("TimeoutDis", "completion_timeout_disable"), ("NROPrPrP", "no_ro_enabled_pr"),
            ("LTR", "ltr"), ("10BitTagComp", "10bit_tag_completer"),
            ("10BitTagReq", "10bit_tag_requester"), ("ExtFmt", "extended_fmt"),
            ("EETLPPrefix", "eetlp_prefix"), ("ARIFwd", "ari_forwarding"),
            ("EmergencyPowerReductionInit", "emergency_power_reduction_init"), ("FRS", "frs")))
        v = num(d2) or 0
        boolmap(c, "exp.devcap2", d2, t, (("EmergencyPowerReductionInit", 26), ("FRS", 31)), raw=True)
        m = re.search(r"MaxEETLPPrefixes (\d+)", t)
        if m:   # bits 23:22, 0 meaning 4
            c.f("exp.devcap2.max_eetlp_prefixes", d2.get("max_eetlp_prefixes"), int(m.group(1)))
            c.f("exp.devcap2.max_eetlp_prefixes(raw)", ((v >> 22) & 3) or 4, int(m.group(1)))
        m = re.search(r"EmergencyPowerReduction ([^,]+),", t)
        if m:
            code_in(c, "exp.devcap2.emergency_power_reduction",
                    num(d2.get("emergency_power_reduction")), m.group(1), EPR_CAP)
            code_in(c, "exp.devcap2.emergency_power_reduction(raw)", (v >> 24) & 3, m.group(1), EPR_CAP)
        m = re.search(r"LN System CLS ([^,]+),", t)
        if m:
            code_in(c, "exp.devcap2.ln_system_cls", num(d2.get("ln_system_cls")), m.group(1), LN_CLS)
        f = flags_of(t)
        if "TPHComp" in f and "ExtTPHComp" in f:
            c.f("exp.devcap2.tph_completer", d2.get("tph_completer"),
                int(f["TPHComp"]) | int(f["ExtTPHComp"]) << 1)
    dt2 = cap.get("devctl2") or {}
    t = cline(lines, "DevCtl2:")
    if t is not None:
        m = re.search(r"Completion Timeout: ([^,]+),", t)
        if m:
            c.f("exp.devctl2.completion_timeout", dt2.get("completion_timeout"),
                CTO_VALUES.get(m.group(1), m.group(1)))
        m = re.search(r"OBFF ([^,]+?)(?:,|$| AtomicOpsCtl)", t)
        if m:
            c.f("exp.devctl2.obff", dt2.get("obff"), OBFF_CTL.get(m.group(1), m.group(1)))
        m = re.search(r"AtomicOpsCtl: (.*?)(?= (?:IDOReq|LTR|10BitTagReq)[+-]|$)", t)
        if m:
            boolmap(c, "exp.devctl2", dt2, m.group(1), (("ReqEn", "atomic_requester"),
                                                        ("EgressBlck", "atomic_egress_blocking")))
            t = t[:m.start()] + t[m.end():]
        boolmap(c, "exp.devctl2", dt2, t, (("TimeoutDis", "completion_timeout_disable"),
                                           ("LTR", "ltr"), ("10BitTagReq", "10bit_tag_requester"),
                                           ("ARIFwd", "ari_forwarding"), ("IDOReq", "ido_request"),
                                           ("IDOCompl", "ido_completion"),
                                           ("EmergencyPowerReductionReq",
                                            "emergency_power_reduction_request"),
                                           ("EETLPPrefixBlk", "eetlp_prefix_blocking")))
    # lspci prints the link-2 registers of an endpoint only on function 0 of
    # device 0, and LnkCap2 only when it is nonzero ("reserved before r3.0").
    lc2 = cap.get("lnkcap2") or {}
    t2 = cline(lines, "LnkCtl2:")
    t = cline(lines, "LnkCap2:")
    if t is not None:
        m = re.search(r"Supported Link Speeds: ([^,]+),", t)
        if m:
            c.f("exp.lnkcap2.supported_speeds", num(lc2.get("supported_speeds")),
                LNKCAP2.get(m.group(1), m.group(1)))
        boolmap(c, "exp.lnkcap2", lc2, t, (("Crosslink", "crosslink"),
                                           ("Retimer", "retimer_presence_detect"),
                                           ("2Retimers", "two_retimers_presence_detect"),
                                           ("DRS", "drs")))
        boolmap(c, "exp.lnkcap2", lc2, t, (("DRS", 31),), raw=True)
    elif t2 is not None and lc2:
        c.f("exp.lnkcap2.value(not printed: 0)", num(lc2.get("value")), 0)
    lt2 = cap.get("lnkctl2") or {}
    if t2 is not None:
        m = re.search(r"Target Link Speed: ([^,]+),", t2)
        if m:
            # the decoder names 0 as lspci does (cap_express_link2_speed():
            # "hardwire to 0 means only the 2.5GT/s is supported") and keeps
            # the value; the raw check holds the register's bits to the text
            v = num(lt2.get("target_speed"))
            if m.group(1) == "Unknown":
                c.f("exp.lnkctl2.target_speed(unknown to lspci)", v is not None and v <= 6, False)
            else:
                c.f("exp.lnkctl2.target_speed", enum_name(lt2.get("target_speed")), m.group(1))
            raw = (num(lt2) or 0) & 0xF
            c.f("exp.lnkctl2.target_speed(raw)", raw, v)
            if m.group(1) != "Unknown":
                c.f("exp.lnkctl2.target_speed(raw vs lspci)", max(raw, 1),
                    LINK_SPEEDS.get(m.group(1), m.group(1)))
        boolmap(c, "exp.lnkctl2", lt2, t2, (("EnterCompliance", "enter_compliance"),
                                            ("SpeedDis", "hw_autonomous_speed_disable"),
                                            ("EnterModifiedCompliance", "enter_modified_compliance"),
                                            ("ComplianceSOS", "compliance_sos")))
        m = re.search(r"Selectable De-emphasis: ([^,\s]+)", t2)
        if m:
            c.f("exp.lnkctl2.selectable_deemphasis", enum_name(lt2.get("selectable_deemphasis")),
                m.group(1))
        m = re.search(r"Transmit Margin: (.+?), EnterModifiedCompliance", t2)
        if m:
            code_in(c, "exp.lnkctl2.transmit_margin", lt2.get("transmit_margin"), m.group(1), TX_MARGIN)
        m = re.search(r"Compliance Preset/De-emphasis: (.+?)$", t2)
        if m:
            p = lt2.get("compliance_preset")
            code_in(c, "exp.lnkctl2.compliance_preset", p if not isinstance(p, int) or p <= 9
                    else "Unknown", m.group(1).strip(), COMPL_PRESET)
    ls2 = cap.get("lnksta2") or {}
    t = cline(lines, "LnkSta2:")
    if t is not None:
        if not ls2:
            c.f("exp.lnksta2(decoded)", None, "present")
        m = re.search(r"Current De-emphasis Level: ([^,\s]+)", t)
        if m:
            c.f("exp.lnksta2.current_deemphasis", enum_name(ls2.get("current_deemphasis")), m.group(1))
        boolmap(c, "exp.lnksta2", ls2, t, (
            ("EqualizationComplete", "equalization_complete"),
            ("EqualizationPhase1", "equalization_phase1"),
            ("EqualizationPhase2", "equalization_phase2"),
            ("EqualizationPhase3", "equalization_phase3"),
            ("LinkEqualizationRequest", "link_equalization_request"),
            ("Retimer", "retimer"), ("2Retimers", "two_retimers"), ("FlitMode", "flit_mode"),
            ("DRS", "drs_message_received")))
        boolmap(c, "exp.lnksta2", ls2, t, (
            ("EqualizationComplete", 1), ("EqualizationPhase1", 2), ("EqualizationPhase2", 3),
            ("EqualizationPhase3", 4), ("LinkEqualizationRequest", 5), ("Retimer", 6),
            ("2Retimers", 7), ("FlitMode", 10), ("DRS", 15)), raw=True)
        m = re.search(r"CrosslinkRes: (.+?)(?:,|$| DRS[+-])", t)
        if m:
            c.f("exp.lnksta2.crosslink_resolution", enum_name(ls2.get("crosslink_resolution")),
                m.group(1).strip())
            code_in(c, "exp.lnksta2.crosslink_resolution(raw)", ((num(ls2) or 0) >> 8) & 3,
                    m.group(1).strip(), CROSSLINK_RES)
        m = re.search(r"DownstreamComp: (.+?)$", t)
        if m:
            got = ls2.get("downstream_component")
            c.f("exp.lnksta2.downstream_component", enum_name(got) or
                ("Reserved" if isinstance(got, dict) else None), m.group(1).strip())
            code_in(c, "exp.lnksta2.downstream_component(raw)", ((num(ls2) or 0) >> 12) & 7,
                    m.group(1).strip(), DOWNSTREAM_COMP)


def cap_exp_slot_root(c, cap, lines):
    """SltCap/SltCtl/SltSta (ports with a slot) and RootCap/RootCtl/RootSta
    (root ports and event collectors), as lspci's cap_express_slot() and
    cap_express_root() print them."""
    sc = cap.get("sltcap") or {}
    t = cline(lines, "SltCap:")
    if t is not None:
        if not sc:
            c.f("exp.sltcap(decoded)", None, "present")
        boolmap(c, "exp.sltcap", sc, t, (
            ("AttnBtn", "attention_button"), ("PwrCtrl", "power_controller"), ("MRL", "mrl_sensor"),
            ("AttnInd", "attention_indicator"), ("PwrInd", "power_indicator"),
            ("HotPlug", "hot_plug_capable"), ("Surprise", "hot_plug_surprise"),
            ("Interlock", "interlock"), ("NoCompl", "no_command_completed")))
        m = re.search(r"Slot #(\d+)", t)
        if m:
            c.f("exp.sltcap.physical_slot", sc.get("physical_slot"), int(m.group(1)))
        m = re.search(r"PowerLimit (>600|[\d.]+)W", t)
        if m:
            c.f("exp.sltcap.slot_power_W", power_w(sc.get("slot_power_limit"), sc.get("slot_power_scale")),
                lspci_w(m.group(1)))
    st = cap.get("sltctl") or {}
    t = cline(lines, "SltCtl:")
    if t is not None:
        if not st:
            c.f("exp.sltctl(decoded)", None, "present")
        en, _s, ctl = t.partition("Control:")
        boolmap(c, "exp.sltctl", st, en, (
            ("AttnBtn", "attention_button_enable"), ("PwrFlt", "power_fault_enable"),
            ("MRL", "mrl_sensor_enable"), ("PresDet", "presence_detect_enable"),
            ("CmdCplt", "command_completed_enable"), ("HPIrq", "hot_plug_interrupt_enable"),
            ("LinkChg", "dll_state_changed_enable")))
        for lk, sk in (("AttnInd", "attention_indicator"), ("PwrInd", "power_indicator")):
            m = re.search(lk + r" (\w+)", ctl)
            if m:
                code_in(c, "exp.sltctl." + sk, num(st.get(sk)), m.group(1), INDICATOR)
        boolmap(c, "exp.sltctl", st, ctl, (("Power", "power_controller_off"),
                                           ("Interlock", "interlock_control")))
    ss = cap.get("sltsta") or {}
    t = cline(lines, "SltSta:")
    if t is not None:
        if not ss:
            c.f("exp.sltsta(decoded)", None, "present")
        sta, _s, chg = t.partition("Changed:")
        boolmap(c, "exp.sltsta", ss, sta, (
            ("AttnBtn", "attention_button_pressed"), ("PowerFlt", "power_fault"),
            ("MRL", "mrl_open"), ("CmdCplt", "command_completed"),
            ("PresDet", "presence_detect"), ("Interlock", "interlock")))
        boolmap(c, "exp.sltsta", ss, chg, (("MRL", "mrl_sensor_changed"),
                                           ("PresDet", "presence_detect_changed"),
                                           ("LinkState", "dll_state_changed")))
    t = cline(lines, "RootCap:")
    if t is not None:
        rc = cap.get("rootcap") or {}
        if not rc:
            c.f("exp.rootcap(decoded)", None, "present")
        boolmap(c, "exp.rootcap", rc, t, (("CRSVisible", "crs_visibility"),
                                          ("RRSVisible", "crs_visibility")))
    t = cline(lines, "RootCtl:")
    if t is not None:
        rt = cap.get("rootctl") or {}
        if not rt:
            c.f("exp.rootctl(decoded)", None, "present")
        boolmap(c, "exp.rootctl", rt, t, (
            ("ErrCorrectable", "serr_correctable"), ("ErrNon-Fatal", "serr_nonfatal"),
            ("ErrFatal", "serr_fatal"), ("PMEIntEna", "pme_interrupt"),
            ("CRSVisible", "crs_visibility"), ("RRSVisible", "crs_visibility")))
    t = cline(lines, "RootSta:")
    if t is not None:
        rs = cap.get("rootsta") or {}
        if not rs:
            c.f("exp.rootsta(decoded)", None, "present")
        m = re.search(r"PME ReqID ([0-9a-f]+)", t)
        if m:
            c.f("exp.rootsta.pme_requester_id", num(rs.get("pme_requester_id")), hexnum(m.group(1)))
        boolmap(c, "exp.rootsta", rs, t, (("PMEStatus", "pme_status"), ("PMEPending", "pme_pending")))


def cap_vendor(c, cap, title, lines):
    raw = bytes.fromhex(cap.get("raw") or "")
    m = re.match(r"^Vendor Specific Information: VirtIO: (.*)$", title)
    if m:
        # struct virtio_pci_cap after vndr/next/len: cfg_type, bar, pad[3],
        # offset (le32), length (le32) [, notify_off_multiplier (le32)]
        if len(raw) >= 13:
            c.f("vndr.virtio.cfg_type", VIRTIO_TYPES.get(raw[0], "<unknown>"), m.group(1))
            for l in lines:
                mm = re.match(r"^BAR=(\d+) offset=([0-9a-f]+) size=([0-9a-f]+)"
                              r"(?: multiplier=([0-9a-f]+))?", l)
                if mm:
                    c.f("vndr.virtio.bar", raw[1], int(mm.group(1)))
                    c.f("vndr.virtio.offset", le(raw, 5, 4), hexnum(mm.group(2)))
                    c.f("vndr.virtio.size", le(raw, 9, 4), hexnum(mm.group(3)))
                    if mm.group(4) and len(raw) >= 17:
                        c.f("vndr.virtio.multiplier", le(raw, 13, 4), hexnum(mm.group(4)))
        else:
            c.f("vndr.length", cap.get("length"), ">= 16")
        return
    m = re.search(r"Len=([0-9a-f]+)", title)
    if m:
        c.f("vndr.length", cap.get("length"), hexnum(m.group(1)))


def cap_aer(c, cap, title, lines):
    for lk, sk, tbl in (("UESta:", "uncorrectable_status", AER_UE), ("UEMsk:", "uncorrectable_mask", AER_UE),
                        ("UESvrt:", "uncorrectable_severity", AER_UE),
                        ("CESta:", "correctable_status", AER_CE), ("CEMsk:", "correctable_mask", AER_CE)):
        t = cline(lines, lk)
        if t is None:
            continue
        n = names((cap.get(sk) or {}).get("errors"))
        for k, v in flags_of(t).items():
            if k in tbl:
                c.f("aer.%s.%s" % (sk, tbl[k]), tbl[k] in n, v)
    cc = cap.get("capabilities_control") or {}
    t = cline(lines, "AERCap:")
    if t is not None:
        m = re.search(r"First Error Pointer: ([0-9a-f]+)", t)
        if m:
            c.f("aer.capctl.first_error_pointer", cc.get("first_error_pointer"), hexnum(m.group(1)))
        boolmap(c, "aer.capctl", cc, t, (
            ("ECRCGenCap", "ecrc_gen_capable"), ("ECRCGenEn", "ecrc_gen_enable"),
            ("ECRCChkCap", "ecrc_check_capable"), ("ECRCChkEn", "ecrc_check_enable"),
            ("MultHdrRecCap", "multiple_header_capable"), ("MultHdrRecEn", "multiple_header_enable"),
            ("TLPPfxPres", 11), ("HdrLogCap", 12)))
    for l in lines:
        m = re.match(r"^HeaderLog: ([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8}) ([0-9a-f]{8})", l)
        if m:
            for i in range(4):
                c.f("aer.header_log_%d" % i, num(cap.get("header_log_%d" % i)), hexnum(m.group(i + 1)))


def cap_dsn(c, cap, title, lines):
    m = re.search(r"Device Serial Number ((?:[0-9a-f]{2}-){7}[0-9a-f]{2})", title)
    if m:
        b = [int(x, 16) for x in m.group(1).split("-")]
        c.f("dsn.serial_number", num(cap.get("serial_number")), int.from_bytes(bytes(b), "big"))


def cap_ari(c, cap, title, lines):
    t = cline(lines, "ARICap:")
    ac = cap.get("capability") or {}
    if t is not None:
        boolmap(c, "ari.cap", ac, t, (("MFVC", "mfvc_groups"), ("ACS", "acs_groups")))
        m = re.search(r"Next Function: (\d+)", t)
        if m:
            c.f("ari.cap.next_function", ac.get("next_function"), int(m.group(1)))
    t = cline(lines, "ARICtl:")
    if t is not None:
        v = num(cap.get("control")) or 0
        boolmap(c, "ari.ctl", cap.get("control"), t, (("MFVC", 0), ("ACS", 1)))
        m = re.search(r"Function Group: (\d+)", t)
        if m:
            c.f("ari.ctl.function_group", (v >> 4) & 7, int(m.group(1)))


def cap_sriov(c, cap, title, lines):
    ic, ictl = cap.get("capabilities") or {}, cap.get("control") or {}
    t = cline(lines, "IOVCap:")
    if t is not None:
        boolmap(c, "sriov.cap", ic, t, (("Migration", "vf_migration"),
                                        ("10BitTagReq", "vf_10bit_tag_requester")))
        m = re.search(r"Interrupt Message Number: ([0-9a-f]+)", t)
        if m:
            c.f("sriov.cap.migration_interrupt_message", ic.get("migration_interrupt_message"),
                hexnum(m.group(1)))
    t = cline(lines, "IOVCtl:")
    if t is not None:
        boolmap(c, "sriov.ctl", ictl, t, (("Enable", "vf_enable"), ("Migration", "vf_migration_enable"),
                                          ("Interrupt", "vf_migration_interrupt"), ("MSE", "vf_memory_space"),
                                          ("ARIHierarchy", "ari_hierarchy"),
                                          ("10BitTagReq", "vf_10bit_tag_requester")))
    t = cline(lines, "IOVSta:")
    if t is not None:
        boolmap(c, "sriov.sta", cap.get("status"), t, (("Migration", "vf_migration_status"),))
    for l in lines:
        m = re.match(r"^Initial VFs: (\d+), Total VFs: (\d+), Number of VFs: (\d+), "
                     r"Function Dependency Link: ([0-9a-f]+)", l)
        if m:
            c.f("sriov.initial_vfs", num(cap.get("initial_vfs")), int(m.group(1)))
            c.f("sriov.total_vfs", num(cap.get("total_vfs")), int(m.group(2)))
            c.f("sriov.num_vfs", num(cap.get("num_vfs")), int(m.group(3)))
            c.f("sriov.function_dependency_link", num(cap.get("function_dependency_link")),
                hexnum(m.group(4)))
        m = re.match(r"^VF offset: (\d+), stride: (\d+), Device ID: ([0-9a-f]+)", l)
        if m:
            c.f("sriov.vf_offset", num(cap.get("vf_offset")), int(m.group(1)))
            c.f("sriov.vf_stride", num(cap.get("vf_stride")), int(m.group(2)))
            c.f("sriov.vf_device_id", num(cap.get("vf_device_id")), hexnum(m.group(3)))
        m = re.match(r"^Supported Page Size: ([0-9a-f]+), System Page Size: ([0-9a-f]+)", l)
        if m:
            c.f("sriov.supported_page_sizes", num(cap.get("supported_page_sizes")), hexnum(m.group(1)))
            c.f("sriov.system_page_size", num(cap.get("system_page_size")), hexnum(m.group(2)))
        m = re.match(r"^Region (\d): Memory at ([0-9a-f]+) \((\d+)-bit, (prefetchable|non-prefetchable)\)", l)
        if m:
            i = int(m.group(1))
            v = num(cap.get("vf_bar%d" % i)) or 0
            is64 = (v & 6) == 4
            addr = v & ~0xF
            if is64 and i < 5:
                addr |= (num(cap.get("vf_bar%d" % (i + 1))) or 0) << 32
            c.f("sriov.vf_bar%d.address" % i, addr, hexnum(m.group(2)))
            c.f("sriov.vf_bar%d.64bit" % i, is64, m.group(3) == "64")
            c.f("sriov.vf_bar%d.prefetchable" % i, bool(v & 8), m.group(4) == "prefetchable")
        m = re.match(r"^VF Migration: offset: ([0-9a-f]+), BIR: (\d)", l)
        if m:
            v = num(cap.get("migration_state_array")) or 0
            c.f("sriov.vf_migration.offset", v & ~7, hexnum(m.group(1)))
            c.f("sriov.vf_migration.bir", v & 7, int(m.group(2)))


def cap_acs(c, cap, title, lines):
    for lk, sk in (("ACSCap:", "capability"), ("ACSCtl:", "control")):
        t = cline(lines, lk)
        if t is not None:
            boolmap(c, "acs." + sk, cap.get(sk), t, tuple(ACS_BITS.items()))


def cap_ats(c, cap, title, lines):
    t = cline(lines, "ATSCap:")
    ac, actl = cap.get("capability") or {}, cap.get("control") or {}
    if t is not None:
        m = re.search(r"Invalidate Queue Depth: ([0-9a-f]+)", t)
        if m:
            c.f("ats.cap.invalidate_queue_depth", ac.get("invalidate_queue_depth"), hexnum(m.group(1)))
        boolmap(c, "ats.cap", ac, t, (("PageAligned", "page_aligned_request"),
                                      ("GlobalInvalidate", "global_invalidate"),
                                      ("RelaxedOrdering", "relaxed_ordering")))
    t = cline(lines, "ATSCtl:")
    if t is not None:
        boolmap(c, "ats.ctl", actl, t, (("Enable", "enable"),))
        m = re.search(r"Smallest Translation Unit: ([0-9a-f]+)", t)
        if m:
            c.f("ats.ctl.smallest_translation_unit", actl.get("smallest_translation_unit"),
                hexnum(m.group(1)))


# the capabilities whose registers are compared, by id
STD_CMP = {0x01: ("Power Management", cap_pm), 0x05: ("MSI", cap_msi),
           0x09: ("Vendor Specific", cap_vendor), 0x10: ("PCI Express", cap_exp),
           0x11: ("MSI-X", cap_msix)}
EXT_CMP = {0x0001: ("AER", cap_aer), 0x0003: ("Device Serial Number", cap_dsn),
           0x000D: ("ACS", cap_acs), 0x000E: ("ARI", cap_ari), 0x000F: ("ATS", cap_ats),
           0x0010: ("SR-IOV", cap_sriov)}


# ============================================================= device facts ==
def device_facts(d, raw_p):
    f = {}
    f["vf"] = bool((d.gread("dev", d.bdf, "physfn") or "").strip())
    res = []
    for line in (d.gread("dev", d.bdf, "resource") or "").splitlines():
        p = line.split()
        if len(p) == 3:
            res.append(tuple(int(x, 16) for x in p))
    f["resources"] = res
    f["vf_bar"] = f["vf"] and any(s for s, _e, _fl in res[:6])
    # a BAR register that is not 0 (address or type bits: an I/O BAR on an
    # architecture without I/O space keeps its type bit) with no host
    # resource behind it; the upper half of a 64-bit BAR is not a BAR
    unassigned, i = False, 0
    while raw_p and len(raw_p) >= 0x28 and i < 6:
        reg = le(raw_p, 0x10 + 4 * i, 4)
        if i < len(res) and not res[i][0] and reg:
            unassigned = True
        i += 2 if (reg & 0x7) == 0x4 else 1
    f["bar_unassigned"] = unassigned
    cls = (d.gread("dev", d.bdf, "class") or "0").strip()
    f["rom_shadow"] = len(res) > 6 and res[6][0] == 0xC0000 and int(cls, 16) >> 8 == 0x0300
    irq = (d.gread("dev", d.bdf, "irq") or "0").strip()
    # VFs, IRQ_NOTCONNECTED, and s390 (drivers/vfio/pci/Kconfig:
    # VFIO_PCI_INTX is "def_bool y if !S390": vfio_config_init() zeroes the pin)
    arch = (d.gread("uname-m") or "").strip()
    f["pin_hidden"] = (f["vf"] or (irq.isdigit() and int(irq) == 1 << 31)
                       or arch == "s390x")
    f["vf_memory_bit_clear"] = f["vf"] and bool(raw_p) and not (raw_p[4] & 0x2)
    phys_caps = walk_caps(raw_p) if raw_p else []
    phys_ecaps = walk_ecaps(raw_p) if raw_p else []
    f["hidden_caps"] = [(o, i) for o, i in phys_caps if i not in VFIO_KEPT_CAPS]
    f["hidden_ecaps"] = [(o, i, v) for o, i, v in phys_ecaps if i not in VFIO_KEPT_ECAPS]
    f["hidden_cap"] = bool(f["hidden_caps"])
    f["hidden_ecap"] = bool(f["hidden_ecaps"])
    f["all_caps_hidden"] = bool(phys_caps) and all(i not in VFIO_KEPT_CAPS for _o, i in phys_caps)
    f["phys_caps"], f["phys_ecaps"] = phys_caps, phys_ecaps
    msi = next((o for o, i in phys_caps if i == 0x05), None)
    f["msi_flags"] = le(raw_p, msi + 2, 2) if msi is not None else 0
    f["always"] = True
    return f


def entry_applies(e, facts):
    return bool(facts.get(e["applies"]))


def must_of(e, facts):
    m = e["must"]
    return bool(facts.get(m)) if isinstance(m, str) else bool(m)


def entry_ranges(e, facts):
    """The entry's byte ranges [(start, end, mask)], resolved against the
    device's own capability lists (mask None: every bit)."""
    out = []
    for space, cid, off, size, mask in e["raw"]:
        base = None
        if space == "hdr":
            base = 0
        elif space == "cap":
            base = next((o for o, i in facts["phys_caps"] if i == cid), None)
        elif space == "ecap":
            base = next((o for o, i, _v in facts["phys_ecaps"] if i == cid), None)
        elif space == "caplink":
            # the pointer that skips each hidden capability: the previous
            # capability's next byte, or PCI_CAPABILITY_LIST
            prev = 0x34
            for o, i in facts["phys_caps"]:
                if i not in VFIO_KEPT_CAPS:
                    out.append((prev, prev + 1, None))
                else:
                    prev = o + 1
            continue
        elif space == "msi-address-data":
            base = next((o for o, i in facts["phys_caps"] if i == cid), None)
            if base is not None:
                size = 10 if facts["msi_flags"] & 0x80 else 6     # PCI_MSI_FLAGS_64BIT
        elif space == "ecaplink":
            prev = None
            for o, i, _v in facts["phys_ecaps"]:
                if i not in VFIO_KEPT_ECAPS:
                    out.append((prev if prev is not None else o, (prev if prev is not None else o) + 4, None))
                else:
                    prev = o
            continue
        if base is None:
            continue
        out.append((base + off, base + off + size, mask))
    return out


def byte_mask(mask, start, pos):
    if mask is None:
        return 0xFF
    return (mask >> (8 * (pos - start))) & 0xFF


# ==================================================================== checks ==
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


def main():
    global SCEN
    if len(sys.argv) > 1 and sys.argv[1] == "--expected-json":
        json.dump({"expected_differences": EXPECTED_DIFFS,
                   "vfio_kept_caps": sorted(VFIO_KEPT_CAPS),
                   "vfio_kept_ecaps": sorted(VFIO_KEPT_ECAPS)}, sys.stdout, indent=1)
        print()
        return 0
    _vi, run, SCEN = sys.argv[1:4]
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
    print("1..%d" % _n)
    return 1 if _failed else 0


if __name__ == "__main__":
    sys.exit(main())
