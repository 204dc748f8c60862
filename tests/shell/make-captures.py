#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Derive the shell tests' captures from real ones, adding region bytes.

A capture holds only the bytes a dump reads (config space).  The shell
reads BARs, so these copies add what the emulated devices hold:
  e1000e-bars.json  kernel-deb61-e1000e + BAR0 registers (CTRL, STATUS)
                    and BAR3's MSI-X table and PBA
  nvme-bars.json    kernel-deb61-nvme + BAR0 (CAP, VS, ...)
  sparse.json       adv-nr-areas with nr_areas 2 and BAR0 bytes
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
struct.pack_into('<Q', bar0, 0x00, 0x0000004020ff07ff)  # CAP
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
