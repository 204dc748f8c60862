#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""check-schema-closed.py - the schema refuses a key it does not know.

Usage: check-schema-closed.py SCHEMA_DIR KIND FILE TARGET...
FILE holds one JSON document valid under SCHEMA_DIR/KIND.json.  Each
TARGET is NAME:PATH:DEF: PATH the object to try, its parts separated by
"/", "*" standing for the first array index under which the rest of the
path exists ("devices/*/regions/*/caps/*": the first capability of the
first region that has one); DEF the $defs entry that describes it.  For
each TARGET, three things must hold, or the test fails:
  1. the document as it is is valid;
  2. with one unknown key added to that object it is refused, and the
     error names the key;
  3. with DEF opened (its "additionalProperties": false or
     "unevaluatedProperties": false taken away) the same document is valid
     again: the refusal came from DEF, not from something else.
TAP, one test a TARGET.  Exit status 0 when every test passed, 1 if one
failed, 2 on a usage error, 77 without python3-jsonschema.
"""
import copy
import importlib.util
import json
import os
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:
    print("1..0 # SKIP python3-jsonschema is not installed")
    sys.exit(77)

KEY = "vfio_info_no_such_key"

# check-schema.py's validator: references to the other schemas resolved
_spec = importlib.util.spec_from_file_location(
    "check_schema", os.path.join(os.path.dirname(os.path.abspath(__file__)), "check-schema.py"))
check_schema = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_schema)


def find(doc, parts):
    """The object at @parts ("*": first index that works), or None."""
    if not parts:
        return doc if isinstance(doc, dict) else None
    head, rest = parts[0], parts[1:]
    if head == "*":
        if not isinstance(doc, list):
            return None
        for item in doc:
            got = find(item, rest)
            if got is not None:
                return got
        return None
    if isinstance(doc, dict) and head in doc:
        return find(doc[head], rest)
    if isinstance(doc, list) and head.isdigit() and int(head) < len(doc):
        return find(doc[int(head)], rest)
    return None


def errors(schema, doc):
    return sorted(check_schema.validator(SCHEMA_DIR, schema).iter_errors(doc),
                  key=lambda e: list(e.absolute_path))


def opened(schema, name):
    """A copy of @schema with $defs/@name open to any key, and whether it was closed."""
    s = copy.deepcopy(schema)
    d = s["$defs"].get(name, {})
    was = False
    for k in ("additionalProperties", "unevaluatedProperties"):
        if d.get(k) is False:
            del d[k]
            was = True
    return s, was


SCHEMA_DIR = None


def main(argv):
    global SCHEMA_DIR
    if len(argv) < 5:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    SCHEMA_DIR = argv[1]
    with open(os.path.join(argv[1], argv[2] + ".json")) as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    with open(argv[3], encoding="utf-8") as f:
        doc = json.load(f)
    targets = argv[4:]
    print("1..%d" % len(targets))
    base = errors(schema, doc)
    fail = 0
    for n, t in enumerate(targets, 1):
        name, path, defname = t.split(":")
        why = []
        if base:
            why.append("the document itself is not valid: /%s: %s" % (
                "/".join(str(p) for p in base[0].absolute_path), base[0].message[:200]))
        bad = copy.deepcopy(doc)
        obj = find(bad, [p for p in path.split("/") if p])
        if obj is None:
            why.append("%s has no object at %s" % (argv[3], path))
        else:
            obj[KEY] = 1
            errs = errors(schema, bad)
            if not any(KEY in e.message for e in errs):
                why.append("an unknown key at %s is not refused" % path)
            loose, was = opened(schema, defname)
            if not was:
                why.append("$defs/%s is not closed" % defname)
            left = errors(loose, bad)
            if left:
                why.append("with $defs/%s open the document is still refused: %s" % (
                    defname, left[0].message[:200]))
        print("%s %d - %s (%s): an unknown key is refused by $defs/%s" % (
            "not ok" if why else "ok", n, name, path, defname))
        for w in why:
            print("# " + w)
        fail |= bool(why)
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
