# SPDX-License-Identifier: GPL-2.0-or-later
"""Reading what the guest saved: `lspci -xxxx` into config space bytes and
the capability lists walked in those bytes (parse_xxxx, walk_caps,
walk_ecaps), `lspci -vvv -nn` into the header lines and one block of
register lines per capability (parse_lspci, hline, cline, flags_of); num()
and le() read a number of the shell's JSON and of raw config space."""
import re


# ============================================ lspci -xxxx, raw config space ==
def num(v):
    if isinstance(v, dict):
        v = v.get("value")
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, int):
        return v
    try:
        return int(str(v), 0)
    except ValueError:
        return None


def le(b, off, size):
    return int.from_bytes(bytes(b[off:off + size]), "little")


def parse_xxxx(text):
    """lspci -xxxx: 'off: hh hh ...' lines into bytes."""
    data = {}
    for line in (text or "").splitlines():
        m = re.match(r"^([0-9a-f]+): ((?:[0-9a-f]{2} ?)+)$", line.strip())
        if m:
            off = int(m.group(1), 16)
            for i, h in enumerate(m.group(2).split()):
                data[off + i] = int(h, 16)
    if not data:
        return None
    return bytes(data.get(i, 0) for i in range(max(data) + 1))


def walk_caps(c):
    """[(offset, id)] of the standard capability list of raw config c."""
    out, seen = [], set()
    if len(c) < 64 or not (le(c, 6, 2) & 0x10):
        return out
    ptr = c[0x34] & 0xFC
    while ptr and ptr not in seen and ptr + 2 <= len(c) and len(out) < 48:
        seen.add(ptr)
        out.append((ptr, c[ptr]))
        ptr = c[ptr + 1] & 0xFC
    return out


def walk_ecaps(c):
    """[(offset, id, version)] of the extended capability list."""
    out, seen, off = [], set(), 0x100
    while off >= 0x100 and off + 4 <= len(c) and off not in seen and len(out) < 512:
        seen.add(off)
        h = le(c, off, 4)
        if h in (0, 0xFFFFFFFF):
            break
        out.append((off, h & 0xFFFF, (h >> 16) & 0xF))
        off = (h >> 20) & 0xFFC
    return out


# ================================================ lspci -vvv -nn parsing ====
FLAG = re.compile(r"([A-Za-z0-9<>][\w<>/.-]*?)([+-])(?=[\s,;]|$)")


def flags_of(text):
    """'I/O+ Mem- ...' -> {'I/O': True, 'Mem': False}"""
    return {m.group(1): m.group(2) == "+" for m in FLAG.finditer(text)}


def parse_lspci(text):
    """Split lspci -vvv -nn output of one function into header facts and
    capability blocks [(offset, version or None, title, [lines])].  A
    register's continuation lines (indented one tab deeper) are joined to
    it, so each entry of [lines] is one register as lspci prints it."""
    lines = (text or "").splitlines()
    if not lines:
        return None
    hdr = {"title": lines[0], "lines": []}
    caps = []
    cur = None
    for line in lines[1:]:
        m = re.match(r"^\tCapabilities: \[([0-9a-f]+)(?: v(\d+))?\] (.*)$", line)
        if m:
            cur = (int(m.group(1), 16), int(m.group(2)) if m.group(2) else None,
                   m.group(3), [])
            caps.append(cur)
        elif line.startswith("\t\t\t") and cur is not None and cur[3]:
            cur[3][-1] += " " + line.strip()
        elif line.startswith("\t\t") and cur is not None:
            cur[3].append(line.strip())
        elif line.startswith("\t") and not line.startswith("\t\t"):
            cur = None
            hdr["lines"].append(line.strip())
    return hdr, caps


def hline(hdr, prefix):
    for line in hdr["lines"]:
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    return None


def cline(lines, prefix):
    """The register PREFIX of a capability, continuation lines included."""
    for line in lines:
        if line.startswith(prefix):
            return line[len(prefix):].strip()
    return None
