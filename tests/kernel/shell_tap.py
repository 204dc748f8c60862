# SPDX-License-Identifier: GPL-2.0-or-later
"""check-shell.py's TAP output and the value comparisons of its checks.
Unlike taplib.tap(), every result line names the scenario (SCEN, set by
check-shell.py's main()), a result may be a SKIP or carry notes, up to 60
diagnostic lines are printed whole, and failures are counted (_failed) for
the exit status.  eq() compares two values, jdiff() two JSON values, fmt()
shows a value (an integer in hex)."""
import json
import sys

SCEN = "?"
_n = 0
_failed = 0


def tap(ok, desc, diag=None, skip=None, notes=None):
    global _n, _failed
    _n += 1
    line = "%s %d - %s: %s" % ("ok" if ok or skip else "not ok", _n, SCEN, desc)
    if skip:
        line += " # SKIP " + skip
    print(line)
    if not ok and not skip:
        _failed += 1
        if diag:
            for d in str(diag).splitlines()[:60]:
                print("#   " + d)
    for note in notes or []:
        print("#   note: " + note)
    sys.stdout.flush()


def eq(desc, got, want, why=None):
    d = "got:  %s\nwant: %s" % (fmt(got), fmt(want))
    if why:
        d += "\n(" + why + ")"
    tap(got == want, desc, d)


def jdiff(a, b, path=""):
    """The paths where two JSON values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += jdiff(a.get(k), b.get(k), path + "." + str(k))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += jdiff(x, y, "%s[%d]" % (path, i))
        return out
    return [] if a == b else ["%s: %s vs %s" % (path or ".", json.dumps(a)[:80], json.dumps(b)[:80])]


def fmt(v):
    return hex(v) if isinstance(v, int) and not isinstance(v, bool) else repr(v)
