#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""list and doctor in the host set-ups that go wrong (guest.d/80-host.sh).

For every case the guest ran, two kinds of checks, TAP on stdout:
  - replay: `capture --host` taken in the guest, replayed here, prints the
    same list, doctor TARGET and doctor --all text and JSON, with the same
    exit status, as the live runs in the guest did (live and replay share
    every line above the backend, and --all walks the same sysfs);
  - verdicts: what each broken set-up must make doctor say, and list's
    drivers and groups against the guest's own sysfs (pci-facts).

usage: check-host.py VFIO_INFO RUN_DIR SCENARIO
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from taplib import loadjson, plan, read, tap  # noqa: E402

# What the live runs were, and how to replay each (same arguments).
RUNS = [
    ("list.txt", ["list"]),
    ("list.json", ["--json", "list"]),
    ("doctor.txt", ["doctor", "{t}"]),
    ("doctor.json", ["--json", "doctor", "{t}"]),
    ("doctor-all.txt", ["doctor", "--all"]),
    ("doctor-all.json", ["--json", "doctor", "--all"]),
]


# The JSON documents the guest printed live, and the schema of each.
SCHEMA_OF = [("list.json", "list"), ("doctor.json", "doctor"),
             ("doctor-all.json", "doctor"), ("probe.json", "doctor")]


def schema_validators():
    """{kind: validator} from data/schema/, or None without python3-jsonschema."""
    try:
        from jsonschema import Draft202012Validator
    except ImportError:
        return None
    here = os.path.dirname(os.path.abspath(__file__))
    vals = {}
    for kind in ("list", "doctor"):
        with open(os.path.join(here, "..", "..", "data", "schema", kind + ".json")) as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
        vals[kind] = Draft202012Validator(schema)
    return vals


def check_schema(vals, tag, what, kind, text):
    """One test: @text (one JSON document) is valid under data/schema/KIND.json."""
    desc = "%s: %s is valid under data/schema/%s.json" % (tag, what, kind)
    if vals is None:
        tap(True, desc, skip="python3-jsonschema is not installed")
        return
    try:
        doc = json.loads(text or "")
    except ValueError as e:
        tap(False, desc, "not JSON: %s" % e)
        return
    errs = sorted(vals[kind].iter_errors(doc), key=lambda e: list(e.absolute_path))
    want = vals[kind].schema["$defs"]["version"]["const"]
    if errs and isinstance(doc, dict) and doc.get("vfio-info") != want:
        errs.insert(0, "the document is format %s, the schema format %s: the run is older "
                    "than this vfio-info; run the scenario again" % (doc.get("vfio-info"), want))
    tap(not errs, desc, "\n".join(
        e if isinstance(e, str) else
        "/%s: %s" % ("/".join(str(x) for x in e.absolute_path), e.message[:200])
        for e in errs[:10]))


def cap_text(cap, ns, key):
    """A file's text in a capture's sysfs/procfs section (None if absent),
    following the section's links ({"link": TARGET}) in any component as
    the kernel would (class/dmi/id is a link to devices/virtual/dmi/id)."""
    sec = (cap or {}).get(ns, {})
    parts = [p for p in key.split("/") if p]
    for _ in range(40):
        for i in range(1, len(parts) + 1):
            v = sec.get("/".join(parts[:i]))
            if isinstance(v, dict) and "link" in v:
                base = parts[:i - 1]
                for c in v["link"].split("/"):
                    if c == "..":
                        base = base[:-1]
                    elif c and c != ".":
                        base.append(c)
                parts = base + parts[i:]
                break
        else:
            v = sec.get("/".join(parts))
            return v if isinstance(v, str) else None
    return None


def cap_keys(cap, ns, pattern):
    return [k for k in (cap or {}).get(ns, {}) if re.search(pattern, k)]


def records(doc, scope):
    """doctor --json checks: scope 'host' or 'device'."""
    if not doc:
        return []
    if scope == "host":
        return (doc.get("host") or {}).get("checks") or []
    out = []
    for d in doc.get("devices") or []:
        out += d.get("checks") or []
    return out


def find(doc, name, scope="device"):
    return [r for r in records(doc, scope) if r.get("check") == name]


def expect(case, doc, name, statuses, pattern, scope="device"):
    """One check record named NAME with a status in STATUSES whose message
    matches PATTERN (regex)."""
    recs = find(doc, name, scope)
    got = ["%s: %s" % (r.get("status"), r.get("message")) for r in recs]
    ok = any(r.get("status") in statuses and re.search(pattern, r.get("message") or "")
             for r in recs)
    tap(ok, "%s: doctor %s is %s, /%s/" % (case, name, "|".join(statuses), pattern),
        "records: %s" % (got or "none"))


def no_status(case, doc, status, why):
    bad = [r for r in records(doc, "host") + records(doc, "device")
           if r.get("status") == status]
    tap(not bad, "%s: no %s verdict (%s)" % (case, status, why),
        "\n".join("%s: %s" % (r.get("check"), r.get("message")) for r in bad))


def list_devices(lst):
    out = {}
    for g in (lst or {}).get("groups") or []:
        for d in g.get("devices") or []:
            out[d.get("address")] = (g, d)
    return out


def group_of(lst, bdf):
    return list_devices(lst).get(bdf, (None, None))[0]


def check_facts(case, lst, facts):
    """list's driver and group of every function, against the guest's sysfs."""
    devs = list_devices(lst)
    bad = []
    seen = 0
    for line in (facts or "").splitlines():
        parts = line.split(" ")
        if len(parts) < 3:
            parts += [""] * (3 - len(parts))
        bdf, drv, grp = parts[0], parts[1], parts[2]
        if not grp:
            if bdf in devs:
                bad.append("%s has no IOMMU group but list shows it in group %s"
                           % (bdf, devs[bdf][0].get("group")))
            continue
        if bdf not in devs:
            bad.append("%s (group %s) missing from list" % (bdf, grp))
            continue
        seen += 1
        g, d = devs[bdf]
        if str(g.get("group")) != grp:
            bad.append("%s: list group %s, sysfs %s" % (bdf, g.get("group"), grp))
        if (d.get("driver") or "") != drv:
            bad.append("%s: list driver %r, sysfs %r" % (bdf, d.get("driver"), drv))
    tap(not bad and (seen > 0 or not devs),
        "%s: list agrees with the guest's sysfs (%d functions: driver, group)" % (case, seen),
        "\n".join(bad))


def case_checks(case, d, doc, probe, lst):
    target = (read(os.path.join(d, "target"), "") or "").strip()
    rc = (read(os.path.join(d, "doctor.txt.rc"), "") or "").strip()
    prc = (read(os.path.join(d, "probe.json.rc"), "") or "").strip()
    if case in ("ok", "iommufd"):
        tap(rc == "0", "%s: doctor exits 0" % case, "exit %s" % rc)
        no_status(case, doc, "fail", "nothing is broken")
        tap(prc == "0", "%s: doctor --probe exits 0 (the kernel agrees)" % case,
            "exit %s" % prc)
        expect(case, probe, "probe", ["ok"], ".")
        if case == "iommufd":
            expect(case, doc, "cdev", ["ok"], r"^%s .*the iommufd path is available"
                   % re.escape(target))
            expect(case, doc, "interfaces", ["ok"], r"iommufd: /dev/iommu c", scope="host")
        return
    # every broken set-up: doctor fails (exit 7), but for a VF token, which
    # doctor cannot know the user has: a warning, and the probe fails (where
    # a check failed already, the probe's refusal is info: counted once)
    want = "0" if case == "vf-token" else "7"
    tap(rc == want, "%s: doctor exits %s" % (case, want), "exit %s" % rc)
    tap(prc == "7", "%s: doctor --probe exits 7 (the kernel refuses)" % case, "exit %s" % prc)
    if case == "busy":
        pid = (read(os.path.join(d, "..", "..", "host-busy-pid"), "") or "").strip()
        expect(case, doc, "busy", ["fail"], r"held open by pid %s \(sleep\).*EBUSY" % pid)
        # the kernel's refusal confirms the failed check: counted once, as info
        expect(case, probe, "probe", ["info"], r"the kernel refused as well: .*EBUSY")
        g = group_of(lst, target)
        holders = (g or {}).get("holders") or []
        tap(any(str(h.get("pid")) == pid and h.get("comm") == "sleep" for h in holders),
            "busy: list names the holder of the group (pid %s, sleep)" % pid,
            "holders: %s" % holders)
    elif case == "perm":
        expect(case, doc, "group-node", ["fail"], r"no permission to open /dev/vfio/\d+ "
               r"\(crw------- 0:0\) as uid 1000")
        expect(case, probe, "probe", ["info"], r"the kernel refused as well: .*EACCES")
        g = group_of(lst, target) or {}
        node = g.get("node") or {}
        # format 3: the mode a number (384); format 2 (older runs): "0600"
        tap(node.get("mode") in (0o600, "0600") and node.get("uid") == 0,
            "perm: list shows the group node 0600 root", "node: %s" % node)
    elif case == "vf-token":
        expect(case, doc, "sriov", ["warn", "fail"], r"VF token")
        expect(case, probe, "probe", ["fail"], r"access refused.*--vf-token")
        ptok = loadjson(os.path.join(d, "probe-token.json"))
        expect(case, ptok, "probe", ["ok"], r"opened")
        expect(case, ptok, "sriov", ["ok", "info"], r".")
        # a VF's IDs read 0xffff by definition: not a dead device
        expect(case, doc, "power", ["ok", "info"], r"power_state")
        pf = [r for r in find(doc, "sriov") if re.search(r"VF of \S+", r.get("message", ""))]
        tap(bool(pf), "vf-token: doctor names the PF", "sriov: %s" % find(doc, "sriov"))
    elif case == "group-blocked":
        facts = read(os.path.join(d, "pci-facts"), "")
        tgt_group = next((l.split()[2] for l in facts.splitlines()
                          if l.startswith(target + " ") and len(l.split()) > 2), None)
        sib = [l.split() for l in facts.splitlines()
               if len(l.split()) > 2 and l.split()[2] == tgt_group
               and l.split()[1] not in ("vfio-pci", "pcieport", "pci-stub")
               and l.split()[0] != target]
        blocker = next((s for s in sib if s[1]), None)
        tap(blocker is not None, "group-blocked: the guest has a group sibling on a host driver",
            facts)
        if blocker:
            expect(case, doc, "group-viable", ["fail"],
                   r"group %s is not viable: %s is bound to %s\. Please ensure all devices "
                   r"within the iommu_group are bound to their vfio bus driver"
                   % (tgt_group, re.escape(blocker[0]), re.escape(blocker[1])))
            devs = list_devices(lst)
            g, sd = devs.get(blocker[0], ({}, {}))
            tap(g.get("viable") is False and sd.get("blocks_viability") is True,
                "group-blocked: list marks the group not viable and %s as the blocker"
                % blocker[0], "group: viable=%s; member: %s" % (g.get("viable"), sd))
            unbound = [s for s in sib if not s[1]]
            for s in unbound:
                _, ud = devs.get(s[0], ({}, {}))
                tap(ud.get("blocks_viability") is False,
                    "group-blocked: unbound member %s does not block" % s[0], "member: %s" % ud)
        expect(case, probe, "probe", ["info"],
               r"the kernel refused as well: .*(not viable|EPERM)")
    elif case == "native-driver":
        expect(case, doc, "driver", ["fail"], r"bound to e1000e, not to a VFIO driver")
        recs = find(doc, "driver")
        tap(any("driver_override" in (r.get("remedy") or "") or
                "driverctl" in (r.get("remedy") or "") for r in recs),
            "native-driver: the remedy says how to rebind", "records: %s" % recs)
        _, ld = list_devices(lst).get(target, (None, {}))
        tap((ld or {}).get("vfio") is False and (ld or {}).get("driver") == "e1000e",
            "native-driver: list shows e1000e, not a VFIO driver", "device: %s" % ld)
    elif case == "noiommu":
        expect(case, doc, "noiommu", ["warn", "fail"], r"(?i)unsafe", scope="host")
        g = group_of(lst, target) or {}
        tap(g.get("noiommu") is True and
            re.match(r"/dev/vfio/noiommu-\d+$", (g.get("node") or {}).get("path", "")),
            "noiommu: list shows a noiommu group and its noiommu-N node", "group: %s" % g)
    elif case == "no-iommu":
        expect(case, doc, "iommu", ["fail"], r".", scope="host")
        param = (read(os.path.join(d, "noiommu-param"), "") or "").strip()
        tap(param == "N", "no-iommu: the guest switched noiommu mode off", "param %r" % param)
        tap(not (lst or {}).get("groups"), "no-iommu: list shows no IOMMU group",
            "groups: %s" % [g.get("group") for g in (lst or {}).get("groups") or []])
    elif case == "vm-nomodule":
        cap = loadjson(os.path.join(d, "capture.json"))
        cmdline = read(os.path.join(d, "cmdline"), "") or ""
        tap(" nomodule" in " " + cmdline, "vm-nomodule: the guest booted with nomodule",
            cmdline)
        expect(case, doc, "iommu", ["fail"], r".", scope="host")
        guest_md = (read(os.path.join(d, "modules_disabled"), "") or "").strip()
        tap(guest_md == "1", "vm-nomodule: module loading is disabled in the guest",
            "modules_disabled %r" % guest_md)
        tap((cap_text(cap, "procfs", "sys/kernel/modules_disabled") or "").strip() == guest_md,
            "vm-nomodule: the capture holds modules_disabled as the guest read it",
            "capture: %r" % cap_text(cap, "procfs", "sys/kernel/modules_disabled"))
        tap(" nomodule" in " " + (cap_text(cap, "procfs", "cmdline") or ""),
            "vm-nomodule: the capture holds the command line with nomodule")
        vendor = read(os.path.join(d, "sys_vendor"))
        tap(vendor is not None and cap_text(cap, "sysfs", "class/dmi/id/sys_vendor") is not None
            and cap_text(cap, "sysfs", "class/dmi/id/sys_vendor") == vendor,
            "vm-nomodule: the capture holds the DMI vendor the guest reads (%r)"
            % (vendor or "").strip(),
            "capture: %r" % cap_text(cap, "sysfs", "class/dmi/id/sys_vendor"))
        flags = (read(os.path.join(d, "cpu-flags"), "") or "").strip()
        cflags = (cap_text(cap, "procfs", "cpuinfo") or "").strip()
        tap(flags and cflags == flags and " hypervisor" in flags,
            "vm-nomodule: the capture holds the CPU's flags line only, with hypervisor",
            "guest %r\ncapture %r" % (flags[:80], cflags[:200]))
    elif case == "default-route":
        cap = loadjson(os.path.join(d, "capture.json"))
        ifc = (read(os.path.join(d, "iface"), "") or "").strip()
        netdevs = (read(os.path.join(d, "netdevs"), "") or "").split()
        tap(ifc and [n for n in netdevs if n != "lo"] == [ifc],
            "default-route: %s is the guest's only network interface" % ifc,
            "interfaces: %s" % netdevs)
        expect(case, doc, "driver", ["fail"], r"bound to e1000e, not to a VFIO driver")
        routes = [cap_text(cap, "procfs", k) for k in cap_keys(cap, "procfs", r"(^|/)net/route$")]
        default = [l for r in routes if r for l in r.splitlines()[1:]
                   if l.split()[:2] == [ifc, "00000000"]]
        others = [l for r in routes if r for l in r.splitlines()[1:]
                  if len(l.split()) > 1 and l.split()[1] != "00000000"]
        tap(bool(default) and not others,
            "default-route: the capture holds the default route over %s and no other route"
            % ifc, "capture routes: %s" % routes)
        tap(bool(cap_keys(cap, "sysfs", r"/%s/net/%s$" % (re.escape(target), re.escape(ifc)))),
            "default-route: the capture holds %s's interface %s" % (target, ifc))
        tap(bool(cap_keys(cap, "sysfs", r"^class/net/%s$" % re.escape(ifc))),
            "default-route: the capture holds the class/net link of %s" % ifc)
    else:
        tap(False, "%s: no expectations known for this case" % case)


def main():
    vi, run, scen = sys.argv[1:4]
    base = os.path.join(run, "guest", "host")
    cases = (read(os.path.join(run, "guest", "hostcases"), "") or "").split()
    if not cases:
        print("1..0 # SKIP %s: no host cases" % scen)
        return
    vals = schema_validators()
    for case in cases:
        d = os.path.join(base, case)
        tag = "%s: host %s" % (scen, case)
        cap = os.path.join(d, "capture.json")
        target = (read(os.path.join(d, "target"), "") or "").strip()
        if not os.path.exists(cap):
            tap(False, "%s: capture --host written" % tag,
                read(os.path.join(d, "capture.out.err"), "(no stderr)"))
            continue
        tap(True, "%s: capture --host written" % tag)
        for name, args in RUNS:
            live = read(os.path.join(d, name))
            lrc = (read(os.path.join(d, name + ".rc"), "") or "").strip()
            argv = [vi, "--replay", cap] + [a.replace("{t}", target) for a in args]
            p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=dict(os.environ, LC_ALL="C"))
            same = p.stdout == live and str(p.returncode) == lrc
            diag = None
            if not same:
                import difflib
                a, b = (live or "").splitlines(), p.stdout.splitlines()
                if name.endswith(".json"):
                    try:     # one line of JSON: diff it pretty-printed
                        a = json.dumps(json.loads(live), indent=1).splitlines()
                        b = json.dumps(json.loads(p.stdout), indent=1).splitlines()
                    except (TypeError, ValueError):
                        pass
                diag = "exit live %s, replay %d\n" % (lrc, p.returncode) + "\n".join(
                    l[:200] for l in list(difflib.unified_diff(a, b, "live", "replay",
                                                               lineterm=""))[:20]) \
                    + "\n" + p.stderr[:500]
            tap(same, "%s: replay of the capture prints what %s printed live"
                % (tag, " ".join(a.replace("{t}", target) for a in args)), diag)
            if name.endswith(".json"):
                check_schema(vals, tag, "the replay's %s" % name, dict(SCHEMA_OF)[name], p.stdout)
        for name, kind in SCHEMA_OF:
            if os.path.exists(os.path.join(d, name)):
                check_schema(vals, tag, "live %s" % name, kind, read(os.path.join(d, name)))
        doc = loadjson(os.path.join(d, "doctor.json"))
        probe = loadjson(os.path.join(d, "probe.json"))
        lst = loadjson(os.path.join(d, "list.json"))
        tap(doc is not None and probe is not None and lst is not None,
            "%s: doctor, doctor --probe and list printed JSON" % tag)
        check_facts(tag, lst, read(os.path.join(d, "pci-facts")))
        case_checks(case, d, doc, probe, lst)
    plan()


if __name__ == "__main__":
    main()
