#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Derive the shell tests' captures from real ones, adding region bytes.

A capture holds only the bytes a dump reads (config space).  The shell
reads BARs, so these copies add what the emulated devices hold:
  e1000e-bars.json  kernel-deb61-e1000e + BAR0 registers (CTRL, STATUS)
                    and BAR3's MSI-X table and PBA
  nvme-bars.json    kernel-deb61-nvme + BAR0 (CAP, VS, ...)
  sparse.json       adv-nr-areas with nr_areas 2 and BAR0 bytes
and, for `config --physical`, `config --diff` and `irq`, SYNTHETIC host
views (no real kernel capture holds the sysfs config file yet):
  e1000e-host.json  kernel-deb61-e1000e + the sysfs config as the host
                    would see it where vfio-pci differs: BARs and ROM BAR
                    (a VM programmed its own), command IO/INTx-disable
                    bits, interrupt line, MSI enabled and programmed by
                    the host, and a PASID capability vfio-pci hides (the
                    DSN's next pointer skips it; its bytes read raw in
                    both views); also a 6th irq index without EVENTFD and
                    a recorded ENOSPC for MSI set-ups
  e1000e-nonroot.json  kernel-deb61-e1000e + the 64-byte sysfs config a
                    reader without CAP_SYS_ADMIN gets
  igb-vf-host.json  kernel-deb612-igb-vf + the sysfs config of a VF: no
                    vendor/device ID (0xffff), BARs and memory enable 0
Run from tests/shell: ./make-captures.py
"""
import json
import struct


def load(name):
    with open('../captures/' + name) as f:
        return json.load(f)


def save(d, name, comment):
    d['tool'] = 'tests/shell/make-captures.py'
    d['comment'] = comment
    with open(name, 'w') as f:
        json.dump(d, f, indent=1)
        f.write('\n')


def region(index, data, offset=0):
    return {'index': index, 'offset': offset, 'data': data.hex()}


# e1000e (82574L) as QEMU emulates it: CTRL, STATUS at BAR0
d = load('kernel-deb61-e1000e.json')
bar0 = bytearray(0x100)
struct.pack_into('<I', bar0, 0x00, 0x00140240)   # CTRL
struct.pack_into('<I', bar0, 0x08, 0x80080783)   # STATUS: FD, LU, speed 1000
bar0[0x40:0x48] = b'e1000e\x00\x00'
bar3 = bytearray(0x2008)
for i in range(5):                               # 5 vectors, all masked
    struct.pack_into('<IIII', bar3, 16 * i, 0, 0, 0, 1)
d['devices'][0]['regions'] += [region(0, bytes(bar0)), region(3, bytes(bar3))]
save(d, 'e1000e-bars.json', 'kernel-deb61-e1000e with BAR0 registers and the MSI-X table')

# NVMe controller registers as QEMU's nvme reports them
d = load('kernel-deb61-nvme.json')
bar0 = bytearray(0x40)
struct.pack_into('<Q', bar0, 0x00, 0x004018200f0107ff)  # CAP (QEMU 7.2, read live)
struct.pack_into('<I', bar0, 0x08, 0x00010400)          # VS 1.4.0
d['devices'][0]['regions'] += [region(0, bytes(bar0))]
save(d, 'nvme-bars.json', 'kernel-deb61-nvme with the controller registers at BAR0')

# a sparse BAR0: areas 0x0-0xfff and 0x3000-0x3fff
d = load('adv-nr-areas.json')
for c in d['devices'][0]['ioctls']:
    if c['ioctl'] == 'VFIO_DEVICE_GET_REGION_INFO' and c.get('index') == 0:
        c['data'] = c['data'].replace('a0860100', '02000000', 1)
bar0 = bytes(range(256)) * 64
d['devices'][0]['regions'] = d['devices'][0].get('regions', []) + [region(0, bar0)]
save(d, 'sparse.json', 'a BAR0 with two sparse mmap areas and its bytes')


# ---- synthetic host views (sysfs config) ----

def config_of(d):
    return bytearray.fromhex(d['devices'][0]['regions'][0]['data'].replace(' ', ''))


def set_config(d, b):
    d['devices'][0]['regions'][0]['data'] = bytes(b).hex()


def sysfs_config(d, devdir, b):
    d['sysfs'][devdir + '/config'] = {'hex': bytes(b).hex()}


E1000E_DIR = 'devices/pci0000:00/0000:00:03.0'

d = load('kernel-deb61-e1000e.json')
vfio = config_of(d)
# a PASID capability at 0x150 that vfio-pci leaves out of its list: the
# bytes outside its capabilities read raw, so both views hold them
struct.pack_into('<IHH', vfio, 0x150, 0x0001001b, 0x1404, 0)
set_config(d, vfio)
host = bytearray(vfio)
struct.pack_into('<H', host, 0x04, 0x0502)       # MEMORY|SERR|INTX_DISABLE
for i, bar in enumerate([0xfc080000, 0xfc0a0000, 0x0000d041, 0xfc0d0000]):
    struct.pack_into('<I', host, 0x10 + 4 * i, bar)
struct.pack_into('<I', host, 0x30, 0xfc000000)   # ROM BAR
host[0x3c] = 0x10                                # interrupt line: IRQ 16
struct.pack_into('<HIIH', host, 0xd2, 0x0081, 0xfee00000, 0, 0x4021)  # MSI on
struct.pack_into('<I', host, 0x140, 0x15010003)  # DSN -> PASID at 0x150
sysfs_config(d, E1000E_DIR, host)
dev = d['devices'][0]
for c in dev['ioctls']:
    if c['ioctl'] == 'VFIO_DEVICE_GET_INFO':
        c['data'] = '10000000030000000900000006000000'   # num_irqs 6
dev['ioctls'] += [
    {'ioctl': 'VFIO_DEVICE_GET_IRQ_INFO', 'index': 5, 'ret': 0,
     'data': '10000000000000000500000001000000'},        # no EVENTFD
    {'ioctl': 'VFIO_DEVICE_SET_IRQS', 'index': 1, 'ret': -1, 'errno': 'ENOSPC'},
]
save(d, 'e1000e-host.json', 'SYNTHETIC: kernel-deb61-e1000e with a host (sysfs) '
     'config view differing as vfio-pci makes it differ, an irq index without '
     'EVENTFD and an MSI set-up that fails with ENOSPC')

d = load('kernel-deb61-e1000e.json')
sysfs_config(d, E1000E_DIR, host[:64])
save(d, 'e1000e-nonroot.json', 'SYNTHETIC: kernel-deb61-e1000e with the 64 bytes '
     'of sysfs config a reader without CAP_SYS_ADMIN gets')

d = load('kernel-deb612-igb-vf.json')
host = config_of(d)
struct.pack_into('<HHH', host, 0x00, 0xffff, 0xffff, 0x0000)   # IDs, command
for i in range(6):
    struct.pack_into('<I', host, 0x10 + 4 * i, 0)
sysfs_config(d, 'devices/pci0000:00/0000:00:07.0/0000:02:10.0', host)
save(d, 'igb-vf-host.json', 'SYNTHETIC: kernel-deb612-igb-vf with the sysfs config '
     'of an SR-IOV VF: no IDs of its own, BARs and memory enable read 0')
