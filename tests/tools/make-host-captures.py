#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make-host-captures.py - host captures (sysfs/procfs/dev sections) for
`list` and `doctor` in what no QEMU guest produces (a boot GPU with the
firmware framebuffer in its BAR, D3cold, a resizable BAR), modelled on the
sysfs of the q35 guests the kernel harness runs (tests/kernel).  Every
other set-up is captured from a real guest (tests/kernel/guest.d/80-host.sh).

    python3 tests/tools/make-host-captures.py tests/captures
"""
import copy
import json
import os
import struct
import sys

# ---- config space ----

def config(vendor, device, cls, rev=0, bridge=False, pcie_type=0, flr=False,
           nosoftrst=False, acs=False, rebar=None, sriov=False):
    c = bytearray(4096)
    struct.pack_into('<HHHH', c, 0, vendor, device, 0x0006, 0x0010)
    c[8] = rev
    c[9] = cls & 0xff
    c[10] = (cls >> 8) & 0xff
    c[11] = (cls >> 16) & 0xff
    c[14] = 1 if bridge else 0
    c[0x34] = 0x40
    # PM at 0x40 -> PCIe at 0x60
    c[0x40], c[0x41] = 0x01, 0x60
    struct.pack_into('<H', c, 0x42, 0x0003)
    struct.pack_into('<H', c, 0x44, 0x0008 if nosoftrst else 0)
    c[0x60], c[0x61] = 0x10, 0x00
    struct.pack_into('<H', c, 0x62, 0x0002 | (pcie_type << 4))
    struct.pack_into('<I', c, 0x64, (1 << 28) if flr else 0)
    ext = []
    if acs:
        ext.append((0x000d, struct.pack('<HH', 0x001f, 0x001d)))
    if rebar is not None:
        cur, maxbit = rebar
        ext.append((0x0015, struct.pack('<II', ((1 << (maxbit + 1)) - 1) << 4,
                                        (cur << 8) | (1 << 5))))
    if sriov:
        ext.append((0x0010, bytes(60)))
    pos = 0x100
    for i, (cid, body) in enumerate(ext):
        nxt = pos + 4 + len(body) + (4 - len(body) % 4) % 4 if i + 1 < len(ext) else 0
        struct.pack_into('<I', c, pos, cid | (1 << 16) | (nxt << 20))
        c[pos + 4:pos + 4 + len(body)] = body
        pos = nxt
    return {'hex': c.hex()}


def resource(bars):
    lines = []
    for i in range(13):
        s, e, f = bars.get(i, (0, 0, 0))
        lines.append('0x%016x 0x%016x 0x%016x' % (s, e, f))
    return '\n'.join(lines) + '\n'

MEM32 = 0x40200
MEM64P = 0x14220c
IO = 0x40101

# ---- the base host: a q35 machine like the kernel harness's guests ----

DEVICES = {
    # name: (parent, vendor, device, class, driver, group, extra)
    '0000:00:00.0': (None, 0x8086, 0x29c0, 0x060000, None, '0', {}),
    '0000:00:01.0': (None, 0x1234, 0x1111, 0x030000, 'bochs-drm', '1',
                     {'boot_vga': '1', 'bars': {0: (0xfd000000, 0xfdffffff, 0x42208),
                                                2: (0xfebd4000, 0xfebd4fff, MEM32)},
                      'reset_method': ''}),
    '0000:00:02.0': (None, 0x1b36, 0x000c, 0x060400, 'pcieport', '2',
                     {'bridge': True, 'pcie_type': 4}),
    '0000:01:00.0': ('0000:00:02.0', 0x8086, 0x10d3, 0x020000, 'vfio-pci', '2',
                     {'flr': True, 'cdev': 'vfio0',
                      'bars': {0: (0xfe800000, 0xfe81ffff, MEM32),
                               2: (0x0000c000, 0x0000c01f, IO),
                               3: (0xfe820000, 0xfe823fff, MEM32)},
                      'reset_method': 'flr bus'}),
    '0000:00:03.0': (None, 0x1b36, 0x000c, 0x060400, 'pcieport', '3',
                     {'bridge': True, 'pcie_type': 4, 'acs': True}),
    '0000:02:00.0': ('0000:00:03.0', 0x8086, 0x10c9, 0x020000, 'igb', '4',
                     {'flr': True, 'sriov': (8, 0), 'rev': 1,
                      'bars': {0: (0xfe600000, 0xfe61ffff, MEM32),
                               3: (0xfe640000, 0xfe643fff, MEM32)},
                      'reset_method': 'flr bus'}),
    '0000:00:04.0': (None, 0x1b36, 0x0010, 0x010802, 'nvme', '5',
                     {'rev': 2, 'bars': {0: (0xfebd0000, 0xfebd3fff, 0x140204)},
                      'reset_method': 'pm bus'}),
    '0000:00:1f.0': (None, 0x8086, 0x2918, 0x060100, 'lpc_ich', '6', {'rev': 2}),
    '0000:00:1f.2': (None, 0x8086, 0x2922, 0x010601, 'ahci', '6', {'rev': 2}),
    '0000:00:1f.3': (None, 0x8086, 0x2930, 0x0c0500, 'i801_smbus', '6', {'rev': 2}),
}

def real_path(devs, name):
    parts = [name]
    p = devs[name][0]
    while p:
        parts.insert(0, p)
        p = devs[p][0]
    return 'devices/pci0000:00/' + '/'.join(parts)


def up(path):
    return '../' * len(path.split('/'))


def build(devs, noiommu_groups=(), extra_sys=None, procfs=None, dev=None,
          iommu=True, cmdline='BOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 ro quiet intel_iommu=on',
          modules=None, self_status=None, limits=None):
    sysfs = {}
    groups = {}
    for name in sorted(devs):
        parent, ven, did, cls, drv, grp, x = devs[name]
        rp = real_path(devs, name)
        sysfs['bus/pci/devices/' + name] = {'link': '../../../' + rp}
        sysfs[rp + '/vendor'] = '0x%04x\n' % ven
        sysfs[rp + '/device'] = '0x%04x\n' % did
        sysfs[rp + '/class'] = '0x%06x\n' % cls
        sysfs[rp + '/revision'] = '0x%02x\n' % x.get('rev', 0)
        sysfs[rp + '/subsystem_vendor'] = '0x1af4\n'
        sysfs[rp + '/subsystem_device'] = '0x1100\n'
        sysfs[rp + '/numa_node'] = '-1\n'
        sysfs[rp + '/power_state'] = x.get('power_state', 'D0') + '\n'
        sysfs[rp + '/d3cold_allowed'] = '1\n'
        sysfs[rp + '/power/control'] = 'on\n' if x.get('bridge') is None else 'auto\n'
        sysfs[rp + '/driver_override'] = x.get('override', '(null)') + '\n'
        if 'reset_method' in x:
            sysfs[rp + '/reset_method'] = x['reset_method'] + '\n'
        if 'boot_vga' in x:
            sysfs[rp + '/boot_vga'] = x['boot_vga'] + '\n'
        sysfs[rp + '/resource'] = resource(x.get('bars', {}))
        sysfs[rp + '/config'] = config(ven, did, cls, x.get('rev', 0),
                                       bridge=x.get('bridge', False),
                                       pcie_type=x.get('pcie_type', 0),
                                       flr=x.get('flr', False), acs=x.get('acs', False),
                                       rebar=x.get('rebar'), sriov='sriov' in x)
        if drv:
            sysfs[rp + '/driver'] = {'link': up(rp) + 'bus/pci/drivers/' + drv}
        if 'sriov' in x:
            total, num = x['sriov']
            sysfs[rp + '/sriov_totalvfs'] = '%d\n' % total
            sysfs[rp + '/sriov_numvfs'] = '%d\n' % num
        if 'physfn' in x:
            sysfs[rp + '/physfn'] = {'link': '../' + x['physfn']}
        if grp is not None:
            sysfs[rp + '/iommu_group'] = {'link': up(rp) + 'kernel/iommu_groups/' + grp}
            groups.setdefault(grp, []).append((name, rp))
        if x.get('cdev') and drv and 'vfio' in drv:
            cd = x['cdev']
            sysfs[rp + '/vfio-dev/' + cd + '/dev'] = '511:%s\n' % cd[4:]
            sysfs[rp + '/vfio-dev/' + cd + '/device'] = {'link': '../../../' + name}
            sysfs['class/vfio-dev/' + cd] = {'link': '../../' + rp + '/vfio-dev/' + cd}
    minor = 0
    for g in sorted(groups, key=int):
        if g not in noiommu_groups:
            sysfs['kernel/iommu_groups/%s/type' % g] = 'DMA\n'
        else:
            sysfs['kernel/iommu_groups/%s/name' % g] = 'vfio-noiommu\n'
        for name, rp in groups[g]:
            sysfs['kernel/iommu_groups/%s/devices/%s' % (g, name)] = {'link': '../../../../' + rp}
        if any(devs[n][4] and 'vfio' in devs[n][4] for n, _ in groups[g]):
            node = ('noiommu-' if g in noiommu_groups else '') + g
            sysfs['devices/virtual/vfio/%s/dev' % node] = '245:%d\n' % minor
            sysfs['class/vfio/' + node] = {'link': '../../devices/virtual/vfio/' + node}
            minor += 1
    if iommu:
        sysfs['class/iommu/dmar0'] = {'link': '../../devices/virtual/iommu/dmar0'}
        sysfs['devices/virtual/iommu/dmar0/intel-iommu/ecap'] = 'f00f4a\n'
        sysfs['devices/virtual/iommu/dmar0/intel-iommu/cap'] = 'd2008c222f0686\n'
        sysfs['firmware/acpi/tables/DMAR'] = {}
    else:
        sysfs['firmware/acpi/tables/FACP'] = {}
        sysfs['class/iommu'] = {'dir': True}
    mods = modules if modules is not None else {
        'vfio': {'enable_unsafe_noiommu_mode': 'N'},
        'vfio_iommu_type1': {'allow_unsafe_interrupts': 'N', 'dma_entry_limit': '65535'},
        'vfio_pci': {'enable_sriov': 'N', 'disable_idle_d3': 'N'},
        'vfio_pci_core': None,
        'iommufd': None,
    }
    for m, params in mods.items():
        if params:
            for k, v in params.items():
                sysfs['module/%s/parameters/%s' % (m, k)] = v + '\n'
        else:
            sysfs['module/%s/refcnt' % m] = '1\n'
    if extra_sys:
        sysfs.update(extra_sys)

    proc = {
        'cmdline': cmdline + '\n',
        'iomem': IOMEM,
        'self': {'link': '1000'},
        '1000/status': self_status or SELF_ROOT,
        '1000/limits': limits or LIMITS % 'unlimited            unlimited           ',
        '1000/comm': 'vfio-info\n',
        '1000/fd/0': {'link': '/dev/pts/0'},
    }
    if procfs:
        proc.update(procfs)
    nodes = {'vfio/vfio': {'mode': '0666', 'uid': 0, 'gid': 0, 'rdev': '10:196'},
             'iommu': {'mode': '0660', 'uid': 0, 'gid': 0, 'rdev': '10:124'}}
    minor = 0
    for g in sorted(groups, key=int):
        if any(devs[n][4] and 'vfio' in devs[n][4] for n, _ in groups[g]):
            node = ('noiommu-' if g in noiommu_groups else '') + g
            nodes['vfio/' + node] = {'mode': '0600', 'uid': 0, 'gid': 0,
                                     'rdev': '245:%d' % minor}
            minor += 1
            for n, _ in groups[g]:
                cd = devs[n][6].get('cdev')
                if cd and 'vfio' in (devs[n][4] or ''):
                    nodes['vfio/devices/' + cd] = {'mode': '0600', 'uid': 0, 'gid': 0,
                                                   'rdev': '511:%s' % cd[4:]}
    if dev:
        for k, v in dev.items():
            if v is None:
                nodes.pop(k, None)
            else:
                nodes[k] = v
    return {
        'vfio-info-capture': 1,
        'tool': 'make-host-captures.py',
        'host': {'kernel': '6.12.57+deb13-amd64', 'machine': 'x86_64',
                 'byte_order': 'little', 'page_size': 4096},
        'sysfs': dict(sorted(sysfs.items())),
        'procfs': dict(sorted(proc.items())),
        'dev': dict(sorted(nodes.items())),
        'devices': [],
    }

IOMEM = """00000000-00000fff : Reserved
00001000-0009fbff : System RAM
000a0000-000bffff : PCI Bus 0000:00
00100000-3ffdffff : System RAM
fd000000-fdffffff : 0000:00:01.0
  fd000000-fd2fffff : BOOTFB
fe600000-fe7fffff : PCI Bus 0000:02
  fe600000-fe61ffff : 0000:02:00.0
    fe600000-fe61ffff : igb
fe800000-fe9fffff : PCI Bus 0000:01
  fe800000-fe81ffff : 0000:01:00.0
    fe800000-fe81ffff : vfio-pci
fed90000-fed90fff : dmar0
"""

SELF_ROOT = ("Name:\tvfio-info\nUmask:\t0022\nState:\tR (running)\nUid:\t0\t0\t0\t0\n"
             "Gid:\t0\t0\t0\t0\nGroups:\t0 \nCapEff:\t000001ffffffffff\n")
SELF_USER = ("Name:\tvfio-info\nUmask:\t0022\nState:\tR (running)\nUid:\t1000\t1000\t1000\t1000\n"
             "Gid:\t1000\t1000\t1000\t1000\nGroups:\t24 27 1000 \nCapEff:\t0000000000000000\n")
LIMITS = ("Limit                     Soft Limit           Hard Limit           Units     \n"
          "Max open files            1024                 524288               files     \n"
          "Max locked memory         %s bytes     \n")


def dev_set(devs, name, **kw):
    p, ven, did, cls, drv, grp, x = devs[name]
    x = dict(x)
    drv = kw.pop('driver', drv)
    grp = kw.pop('group', grp)
    x.update(kw)
    devs[name] = (p, ven, did, cls, drv, grp, x)


def scenarios():
    # The other set-ups (a blocked group, a native driver, noiommu, no IOMMU,
    # a VF token, permissions, a busy group) are captured from real guests:
    # tests/kernel/guest.d/80-host.sh -> tests/captures/kernel-host-*.json.
    out = {}
    # the boot GPU on vfio-pci: BOOTFB in its BAR, no reset, a resizable BAR
    d = copy.deepcopy(DEVICES)
    dev_set(d, '0000:00:01.0', driver='vfio-pci', cdev='vfio3', rebar=(4, 14),
            power_state='D3cold')
    out['host-gpu'] = build(d)
    return out


def main():
    outdir = sys.argv[1] if len(sys.argv) > 1 else 'tests/captures'
    for name, cap in scenarios().items():
        with open(os.path.join(outdir, name + '.json'), 'w') as f:
            json.dump(cap, f, indent=1)
            f.write('\n')


if __name__ == '__main__':
    main()
