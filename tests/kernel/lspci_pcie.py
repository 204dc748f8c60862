# SPDX-License-Identifier: GPL-2.0-or-later
"""The PCI Express capability of the shell's `config` decode against
`lspci -vvv -nn`: cap_exp() compares the Express header, DevCap/DevCtl/
DevSta, LnkCap/LnkCtl/LnkSta and their second versions, cap_exp_slot_root()
the slot and root port registers, with the tables that turn lspci's texts
(latencies, speeds, timeouts, indicators, power limits) back into the
fields' codes."""
import re

from lspci_caps import boolmap, hexnum
from lspci_parse import cline, flags_of, num


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


def code(table, text):
    """lspci's latency text back to the field's code."""
    return table.index(text) if text in table else text


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
