# SPDX-License-Identifier: GPL-2.0-or-later
"""What the host-side checks of the kernel harness share: TAP output and
tolerant readers of the guest's files (a missing or broken file is a
failed check, never a crash of the checker)."""
import json
import sys

_n = 0


def tap(ok, desc, diag=None, lines=20):
    """One TAP result; on failure up to LINES lines of DIAG as comments."""
    global _n
    _n += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", _n, desc))
    if not ok and diag:
        for line in str(diag).splitlines()[:lines]:
            print("#   " + line[:300])
    sys.stdout.flush()


def plan(skip_reason=None):
    """The closing plan line (a SKIP plan when nothing was checked)."""
    if _n == 0 and skip_reason:
        print("1..0 # SKIP %s" % skip_reason)
    else:
        print("1..%d" % _n)


def read(path, default=None, mode="r"):
    try:
        with open(path, mode, **({} if "b" in mode else {"errors": "replace"})) as f:
            return f.read()
    except OSError:
        return default


def loadjson(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def jsonlines(path):
    """One JSON value per line (a shell session); None for a broken line."""
    out = []
    for line in (read(path, "") or "").splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            out.append(None)
    return out
