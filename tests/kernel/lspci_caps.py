# SPDX-License-Identifier: GPL-2.0-or-later
"""The shell's `config` decode against `lspci -vvv -nn` in the same guest,
field by field: Cmp collects the comparisons of one register group and
prints one TAP result; cmp_header() checks the header (ids, class,
revision, subsystem, header type, command, status, interrupt pin, BARs,
expansion ROM) and cap_pm, cap_msi, cap_msix, cap_vendor (virtio), cap_aer,
cap_dsn, cap_ari, cap_sriov, cap_acs and cap_ats one capability each, with
the tables that map lspci's names to the decoder's.  The PCI Express
capability is in lspci_pcie.py."""
import os
import re

from lspci_parse import cline, flags_of, hline, le, num
from shell_tap import fmt, tap


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
