#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""pci-config-defs.py - the shell's `config` decode in shell-line.json, from
the register tables of src/decode-pci-*.c.

Usage: pci-config-defs.py SRCDIR [--write]
The shell's `config` (and `config --physical`) decodes every register of
every capability it knows, each register a table row (struct preg) with
its fields (struct pf).  This script reads those tables and makes the
$defs of data/schema/shell-line.json that describe them: one closed object
a register with fields (its "value", each field typed by its kind,
"unknown_bits"), one closed object a capability id.  Without --write it
compares them with the schema's and prints each difference (exit status
1): a field added to a table needs its schema entry.  --write puts them
into the schema.  What the decoders emit outside the tables (MSI's
address, a vendor capability's length, Resizable BAR's entries) is written
here beside the table names, as decode-pci-caps.c and decode-pci-ecaps.c
emit it.
"""
import json
import os
import re
import sys

PF_RE = re.compile(r"struct pf (\w+)\[\] = \{(.*?)\};", re.S)
PF_ROW = re.compile(r'\{ "(\w+)", (\d+), (\d+), (PF_\w+), ([^,]+), (\w+) \}')
PREG_RE = re.compile(r"struct preg (\w+)\[\] = \{(.*?)\n\s*\};", re.S)
PREG_ROW = re.compile(r'\{ "(\w+)", "[^"]*", (\d+), (\d+), (\w+) \}')

U64 = {"$ref": "#/$defs/u64"}
NOTES = {"$ref": "#/$defs/notes"}
RAW = {"$ref": "#/$defs/bytes", "description": "the bytes no decoder reads, as hex"}


def tables(srcdir):
    pfs, pregs = {}, {}
    for name in sorted(os.listdir(os.path.join(srcdir, "src"))):
        if not re.match(r"decode-pci-(caps|ecaps|express|header)\.c$", name):
            continue
        text = open(os.path.join(srcdir, "src", name)).read()
        for m in PF_RE.finditer(text):
            pfs[m.group(1)] = [(r[0], r[3]) for r in PF_ROW.findall(m.group(2))]
        for m in PREG_RE.finditer(text):
            pregs[m.group(1)] = [(r[0], r[3]) for r in PREG_ROW.findall(m.group(2))]
    return pfs, pregs


def field_schema(kind):
    if kind == "PF_BOOL":
        return {"type": "boolean"}
    if kind in ("PF_ENUM", "PF_SPEED"):
        return {"$ref": "#/$defs/enum"}
    if kind == "PF_FLAGS":
        return {"$ref": "#/$defs/flags"}
    return U64


def reg_defs(pfs, pregs, table, defs):
    """{key: schema} of the registers of @table; their field objects into @defs."""
    out = {}
    for key, fields in pregs[table]:
        if fields in ("NULL", "vi_pcid_dec"):
            out[key] = U64
            continue
        dname = "cfg_reg_" + fields.replace("vi_pcid_", "")
        props = {"value": dict(U64, description="the register")}
        for fname, kind in pfs[fields]:
            props[fname] = field_schema(kind)
        props["unknown_bits"] = dict(U64, description="set bits no field names")
        defs[dname] = {
            "type": "object",
            "additionalProperties": False,
            "required": ["value"] + [f for f, _ in pfs[fields]],
            "properties": props,
            "description": "a register decoded into its fields (src/decode-pci-*.c: %s)" % fields,
        }
        out[key] = {"$ref": "#/$defs/" + dname}
    return out


def cap_def(common, regs, extra, what):
    props = dict(common)
    props.update(regs)
    props.update(extra)
    props["notes"] = NOTES
    return {"type": "object", "additionalProperties": False,
            "required": [k for k in common if k not in ("serial_number",)],
            "properties": props, "description": what}


def make(srcdir):
    pfs, pregs = tables(srcdir)
    # cap_msi's own table of one row
    pregs.setdefault("ctrl", [("control", "vi_pcid_msi_ctrl")])
    defs = {}
    std = {"offset": U64, "id": {"$ref": "#/$defs/enum"}, "next": U64}
    ext = {"offset": U64, "id": {"$ref": "#/$defs/enum"}, "version": U64, "next": U64,
           "serial_number": dict(U64, description="Device Serial Number (id 3): the 64-bit number")}
    R = lambda *ts: {k: v for t in ts for k, v in reg_defs(pfs, pregs, t, defs).items()}
    caps = [
        (0x01, "cfg_cap_pm", R("vi_pcid_pm_regs"), {}, "PCI Power Management"),
        (0x05, "cfg_cap_msi", R("ctrl"),
         {"address": U64, "data": U64, "mask": U64, "pending": U64}, "MSI"),
        (0x09, "cfg_cap_vendor", {}, {"length": U64, "raw": RAW}, "Vendor Specific"),
        (0x10, "cfg_cap_express",
         R("vi_pcid_express_regs", "vi_pcid_slot_regs", "vi_pcid_root_regs",
           "vi_pcid_express_regs2"), {}, "PCI Express (slot registers with a slot, root "
         "registers on a root port, the second set from version 2)"),
        (0x11, "cfg_cap_msix", R("vi_pcid_msix_regs"), {}, "MSI-X"),
    ]
    rebar = {"entries": U64, "bars": {"type": "array", "items": {
        "type": "object", "additionalProperties": False,
        "required": ["bar", "supported_sizes_mb", "current_size_mb"],
        "properties": {"bar": U64,
                       "supported_sizes_mb": dict(U64, description="bit n: 1 MB << n"),
                       "current_size_mb": U64}}}}
    ecaps = [
        ([0x0001], "cfg_ecap_aer", R("vi_pcid_aer_regs"), {}, "Advanced Error Reporting"),
        ([0x0003], "cfg_ecap_dsn", {}, {}, "Device Serial Number (serial_number)"),
        ([0x000b], "cfg_ecap_vsec", R("vi_pcid_vsec_regs"), {"raw": RAW}, "Vendor Specific"),
        ([0x000d], "cfg_ecap_acs", R("vi_pcid_acs_regs"), {}, "Access Control Services"),
        ([0x000e], "cfg_ecap_ari", R("vi_pcid_ari_regs"), {}, "Alternative Routing-ID"),
        ([0x000f], "cfg_ecap_ats", R("vi_pcid_ats_regs"), {}, "Address Translation Services"),
        ([0x0010], "cfg_ecap_sriov", R("vi_pcid_sriov_regs"), {}, "SR-IOV"),
        ([0x0015, 0x0024], "cfg_ecap_rebar", {}, rebar, "Resizable BAR, VF Resizable BAR"),
        ([0x0023], "cfg_ecap_dvsec", R("vi_pcid_dvsec_regs"), {"raw": RAW},
         "Designated Vendor-Specific"),
    ]
    branches = []
    for cid, name, regs, extra, what in caps:
        defs[name] = cap_def(std, regs, extra, "capability 0x%02x, %s" % (cid, what))
        branches.append({"if": {"properties": {"id": {"properties": {"value": {"const": cid}}}}},
                         "then": {"$ref": "#/$defs/" + name}})
    defs["cfg_cap_other"] = cap_def(std, {}, {"raw": RAW},
                                    "a capability no decoder reads: its bytes up to the next")
    branches.append({"if": {"properties": {"id": {"properties": {"value": {
        "enum": [c[0] for c in caps]}}}}}, "else": {"$ref": "#/$defs/cfg_cap_other"}})
    defs["cfg_cap"] = {"type": "object", "required": ["offset", "id", "next"],
                       "allOf": branches,
                       "description": "one capability of the list, its registers decoded "
                       "(the keys by its id)"}
    branches = []
    for ids, name, regs, extra, what in ecaps:
        defs[name] = cap_def(ext, regs, extra, "extended capability %s, %s" % (
            ", ".join("0x%04x" % i for i in ids), what))
        branches.append({"if": {"properties": {"id": {"properties": {"value": {"enum": ids}}}}},
                         "then": {"$ref": "#/$defs/" + name}})
    defs["cfg_ecap_other"] = cap_def(ext, {}, {"raw": RAW},
                                     "an extended capability no decoder reads: its bytes")
    branches.append({"if": {"properties": {"id": {"properties": {"value": {
        "enum": [i for e in ecaps for i in e[0]]}}}}},
        "else": {"$ref": "#/$defs/cfg_ecap_other"}})
    defs["cfg_ecap"] = {"type": "object", "required": ["offset", "id", "version", "next"],
                        "allOf": branches,
                        "description": "one extended capability, its registers decoded "
                        "(the keys by its id)"}
    return defs


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    srcdir = argv[1]
    path = os.path.join(srcdir, "data", "schema", "shell-line.json")
    with open(path) as f:
        schema = json.load(f)
    want = make(srcdir)
    have = {k: v for k, v in schema["$defs"].items()
            if k.startswith(("cfg_reg_", "cfg_cap", "cfg_ecap"))}
    if "--write" in argv[2:]:
        defs = {k: v for k, v in schema["$defs"].items() if k not in have}
        defs.update(want)
        schema["$defs"] = defs
        with open(path, "w") as f:
            f.write(json.dumps(schema, indent=2) + "\n")
        return 0
    bad = 0
    for k in sorted(set(want) | set(have)):
        if want.get(k) != have.get(k):
            print("%s: $defs/%s %s" % (path, k, "is missing" if k not in have else
                  "is not in the register tables" if k not in want else
                  "differs from the register tables"))
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv))
