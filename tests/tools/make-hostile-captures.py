#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""make-hostile-captures.py - captures as a stranger might send them: what
no kernel answers (a success without data, bytes beyond a region, modes
and ids out of range, a sysfs link loop, names that are not names) and
what costs (a long hex string, many one-byte extents).  Each is built from
a capture already in tests/captures (adv-plain.json for dump, the real
kernel-host-ok.json for list and doctor) and says in its "comment" that
it is hand-made and why.

    python3 tests/tools/make-hostile-captures.py tests/captures
    python3 tests/tools/make-hostile-captures.py --big DIR
        (DIR/hostile-hex-200m.json: one 200 MB hex string;
         DIR/hostile-extents-200k.json: 200,000 one-byte extents;
         for measuring time and peak memory, not for the tree)
"""
import copy
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
CAPTURES = os.path.join(HERE, '..', 'captures')
TOOL = 'tests/tools/make-hostile-captures.py'


def base(name, comment):
    with open(os.path.join(CAPTURES, name)) as f:
        cap = json.load(f)
    out = {'vfio-info-capture': 1, 'tool': TOOL,
           'comment': 'SYNTHETIC, hand-made from %s: %s' % (name, comment)}
    for k, v in cap.items():
        if k not in out:
            out[k] = v
    return out


def device(cap, i=0):
    return cap['devices'][i]


def region_info(index, size, offset, flags=3):
    """A VFIO_DEVICE_GET_REGION_INFO answer (no capabilities)."""
    return struct.pack('<IIIIQQ', 32, flags, index, 0, size, offset).hex()


def set_region(dev, index, size):
    for c in dev['ioctls']:
        if c['ioctl'] == 'VFIO_DEVICE_GET_REGION_INFO' and c.get('index') == index:
            c['data'] = region_info(index, size, index << 40)
            return
    raise KeyError(index)


def write(path, cap, compact=False):
    with open(path, 'w') as f:
        if compact:
            json.dump(cap, f, separators=(',', ':'))
        else:
            json.dump(cap, f, indent=1)
        f.write('\n')


def empty_data():
    cap = base('adv-plain.json',
               'calls a kernel answers with a struct, recorded as a success '
               'with empty or no data (a kernel always writes the struct)')
    dev = device(cap)
    for c in dev['ioctls']:
        if c['ioctl'] == 'VFIO_DEVICE_GET_REGION_INFO' and c.get('index') == 1:
            c['data'] = ''
        if c['ioctl'] == 'VFIO_DEVICE_GET_IRQ_INFO' and c.get('index') == 0:
            c.pop('data', None)
            c['ret'] = 0
    return cap


def extent_beyond():
    cap = base('adv-plain.json',
               'region bytes beyond the 256-byte config region (8 KiB at 0) '
               'and two extents that overlap; a kernel reads none of that')
    dev = device(cap)
    cfg = bytearray(8192)
    cfg[0:4] = bytes.fromhex('86801e10')
    dev['regions'] = [
        {'index': 7, 'offset': 0, 'data': cfg.hex()},
        {'index': 7, 'offset': 0x40, 'data': '11' * 16},
        {'index': 7, 'offset': 0x48, 'data': '22' * 16},
        {'index': 7, 'offset': 1 << 40, 'data': '33'},
    ]
    return cap


def many_extents(n):
    cap = base('adv-plain.json',
               '%d one-byte extents back to back in BAR2 (a writer merges '
               'them into one): a test of the cost of merging' % n)
    dev = device(cap)
    set_region(dev, 2, 1 << 20)
    dev['regions'] = [{'index': 2, 'offset': i, 'data': '%02x' % (i & 0xff)}
                      for i in range(n)]
    return cap


def long_hex(nbytes):
    cap = base('adv-plain.json',
               'BAR2 holds %d bytes in one hex string: a test of the size '
               'limit' % nbytes)
    dev = device(cap)
    set_region(dev, 2, max(nbytes, 4096))
    dev['regions'] = [{'index': 2, 'offset': 0, 'data': 'a5' * nbytes}]
    return cap


def dev_modes():
    cap = base('kernel-host-ok.json',
               'device nodes with a mode, uid and gid no file system has '
               '(a mode above 07777, uid 4294967295, a negative gid)')
    cap['dev']['vfio/1'] = {'mode': 0o177777, 'uid': 1000, 'gid': 1000,
                            'rdev': '246:0'}
    cap['dev']['vfio/vfio'] = {'mode': '0666', 'uid': 4294967295, 'gid': 0,
                               'rdev': '10:196'}
    cap['dev']['vfio/3'] = {'mode': '0600', 'uid': 0, 'gid': -1,
                            'rdev': '246:2'}
    return cap


def link_loop():
    cap = base('kernel-host-ok.json',
               'the sysfs link of 0000:00:03.0 ends in a loop of two links, '
               'which no sysfs has')
    s = cap['sysfs']
    s['bus/pci/devices/0000:00:03.0'] = {'link': '../../../devices/loop/a'}
    s['devices/loop/a'] = {'link': 'b'}
    s['devices/loop/b'] = {'link': 'a'}
    return cap


def bad_names():
    cap = base('adv-plain.json',
               'names that are not names: a device named like a path, a '
               'group named "root", a cdev with a shell command, sysfs keys '
               'with "..", a control character and a 300-byte component')
    good = device(cap)
    evil = copy.deepcopy(good)
    evil['name'] = '../../../../etc/passwd'
    evil['group'] = '1'
    cap['devices'].append(evil)
    ctl = copy.deepcopy(good)
    ctl['name'] = '0000:00:04.0\x1b]2;pwned\x07'
    cap['devices'].append(ctl)
    good['cdev'] = 'vfio0;rm -rf ~'
    g = copy.deepcopy(cap['groups'][0])
    g['group'] = 'root'
    cap['groups'].append(g)
    grp = copy.deepcopy(good)
    grp['name'] = '0000:00:05.0'
    grp['group'] = 'root'
    grp['cdev'] = None
    cap['devices'].append(grp)
    cap['sysfs'] = {
        'bus/pci/devices/0000:00:03.0/vendor': '0x8086\n',
        'bus/pci/devices/../../../etc/shadow': 'root::0:0\n',
        'bus/pci/devices/0000:00:03.0/\x1b[31mred': '1\n',
        'bus/pci/devices/0000:00:03.0/' + 'x' * 300: '1\n',
        'bus/pci/devices/0000:00:03.0/driver': {'link': '../../../bus/pci/drivers/\x07vfio-pci'},
    }
    return cap


def long_name():
    cap = base('adv-plain.json',
               'a device whose name is 100,000 characters long')
    dev = copy.deepcopy(device(cap))
    dev['name'] = '0000:00:03.0' + 'A' * (100000 - 24) + 'the-real-end'
    cap['devices'].append(dev)
    return cap


CASES = {
    'hostile-capture-empty-data.json': empty_data,
    'hostile-capture-extent-beyond.json': extent_beyond,
    'hostile-capture-extents.json': lambda: many_extents(20000),
    'hostile-capture-long-hex.json': lambda: long_hex(128 * 1024),
    'hostile-capture-dev-modes.json': dev_modes,
    'hostile-capture-link-loop.json': link_loop,
    'hostile-capture-bad-names.json': bad_names,
    'hostile-capture-long-name.json': long_name,
}

COMPACT = {'hostile-capture-extents.json', 'hostile-capture-long-hex.json',
           'hostile-capture-long-name.json'}


def main(argv):
    if len(argv) == 3 and argv[1] == '--big':
        write(os.path.join(argv[2], 'hostile-hex-200m.json'),
              long_hex(100 * 1000 * 1000), compact=True)
        write(os.path.join(argv[2], 'hostile-extents-200k.json'),
              many_extents(200000), compact=True)
        return 0
    if len(argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for name, make in CASES.items():
        write(os.path.join(argv[1], name), make(), compact=name in COMPACT)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
