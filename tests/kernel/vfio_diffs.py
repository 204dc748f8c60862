# SPDX-License-Identifier: GPL-2.0-or-later
"""What vfio-pci changes in the config space a VFIO user sees, as data:
EXPECTED_DIFFS (each entry cites the kernel code behind it) and the
capability ids vfio-pci keeps (VFIO_KEPT_CAPS, VFIO_KEPT_ECAPS);
device_facts() says which entries apply to a device, entry_ranges() and
byte_mask() where in config space an entry lets bytes differ.
`check-shell.py --expected-json` prints the tables."""
from lspci_parse import le, walk_caps, walk_ecaps


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
