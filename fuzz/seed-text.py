#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""seed-text.py TOP OUTDIR -- starting inputs for the text-driven fuzz
targets, taken from the test data in the source tree TOP:

  parse/   every hex string, errno name, feature flag word, sysfs/procfs
           key, device name and UUID found in tests/captures, each behind
           the selector byte of the reader it feeds (fuzz-parse.c), and
           sizes as --replay-max-size takes them;
  pciids/  tests/pci.ids behind the ids of the devices the captures hold;
  shell/   each session of tests/shell (NAME.in and the -c commands of
           tests/shell/cases) for each bundled capture and mode.
"""
import glob
import hashlib
import json
import os
import re
import shlex
import sys

top, out = sys.argv[1], sys.argv[2]


def write(target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def strings(x):
    if isinstance(x, dict):
        for k, v in x.items():
            yield "key", k
            yield from strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from strings(v)
    elif isinstance(x, str):
        yield "str", x


# fuzz-parse: selector byte (low nibble: reader) + text
HEX, ERRNO, FEAT, PATH, BDF, UUID, NAME, NAME2, ESC, ESC2 = range(10)
seen = set()
ids = set()
for cap in sorted(glob.glob(os.path.join(top, "tests/captures/*.json"))):
    try:
        doc = json.load(open(cap))
    except ValueError:
        continue
    for kind, s in strings(doc):
        if len(s) > 4096:
            s = s[:4096]
        if kind == "key":
            picks = [PATH]
        elif re.fullmatch(r"[0-9a-f ]+", s) and len(s) >= 2:
            picks = [HEX]
        elif re.fullmatch(r"E[A-Z0-9]+", s):
            picks = [ERRNO]
        elif re.fullmatch(r"(PROBE|GET|SET)(\|(PROBE|GET|SET))*", s):
            picks = [FEAT]
        elif re.fullmatch(r"[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]", s):
            picks = [BDF, NAME]
        elif re.fullmatch(r"[0-9a-fA-F-]{36}", s):
            picks = [UUID, NAME]
        else:
            picks = [NAME, ESC]
        for p in picks:
            if (p, s) in seen:
                continue
            seen.add((p, s))
            # the high nibble varies the name kind / the shortening width
            write("parse", bytes([p | (len(seen) % 16) << 4]) + s.encode())
    # ids for pci.ids lookups: every vendor/device pair in the host facts
    for key, v in (doc.get("sysfs") or {}).items():
        if key.endswith("/vendor") and isinstance(v, str):
            dev = (doc["sysfs"].get(key[:-6] + "device") or "").strip()
            cls = (doc["sysfs"].get(key[:-6] + "class") or "").strip()
            try:
                ids.add((int(v, 16), int(dev, 16), int(cls or "0", 16)))
            except ValueError:
                pass

# sizes as --replay-max-size takes them
for i, s in enumerate(["300", "64K", "256M", "1G", "2KiB", "5MB", "0", "18446744073709551615"]):
    write("parse", bytes([10 | i << 4]) + s.encode())

# fuzz-pciids: 8 bytes of ids, then the database
db = open(os.path.join(top, "tests/pci.ids"), "rb").read()
for vendor, device, cls in sorted(ids):
    head = bytes([vendor & 0xff, vendor >> 8, device & 0xff, device >> 8,
                  cls & 0xff, (cls >> 8) & 0xff, (cls >> 16) & 0xff, 1])
    write("pciids", head + db)

# fuzz-shell: mode byte (capture, JSON, --write, completion) + script
scripts = []
for f in sorted(glob.glob(os.path.join(top, "tests/shell/*.in"))):
    scripts.append(open(f, "rb").read())
for line in open(os.path.join(top, "tests/shell/cases")):
    if line.startswith("#") or " -c " not in line:
        continue
    words = shlex.split(line)
    cmds = [words[i + 1] for i, w in enumerate(words[:-1]) if w == "-c"]
    scripts.append(("\n".join(cmds) + "\n").encode())
for i, s in enumerate(scripts):
    for cap in range(4):
        mode = cap | (i % 2) << 2 | (i % 4 >= 2) << 3 | (cap == i % 4) << 4
        write("shell", bytes([mode]) + s)
