#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""check-schema.py - validate vfio-info's JSON output against data/schema/.

Usage: check-schema.py SCHEMA_DIR KIND FILE...
KIND is dump, list, doctor, caps or shell-line (the file's name in
SCHEMA_DIR without .json).  Each FILE holds one or more JSON values one
after the other (a document, JSON Lines, or pretty values in a row); each
must be valid.  Numbers are read as Python integers, exact at any size.
A schema may refer to another of SCHEMA_DIR by its file name
("dump.json#/$defs/info": shell-line.json uses dump's definitions of what
the shell shows as dump does); each is known by its "$id".
Prints one line per problem; exit status 0 when every value is valid, 1
when one is not, 2 on a usage error or a file that is not JSON.
"""
import json
import os
import sys

try:
    from jsonschema import Draft202012Validator
except ImportError:
    print("check-schema.py: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(77)


def values(text):
    dec = json.JSONDecoder()
    i, n = 0, len(text)
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            return
        v, i = dec.raw_decode(text, i)
        yield v


def validator(schema_dir, schema):
    """A validator of @schema that resolves references to the other schemas
    of @schema_dir by their $id (never over the network)."""
    store = {}
    for name in sorted(os.listdir(schema_dir)):
        if name.endswith(".json"):
            with open(os.path.join(schema_dir, name)) as f:
                other = json.load(f)
            store[other["$id"]] = other
    store[schema["$id"]] = schema
    try:
        from referencing import Registry
        from referencing.jsonschema import DRAFT202012
    except ImportError:
        # jsonschema before 4.18 (Debian 12's 4.10)
        from jsonschema import RefResolver
        return Draft202012Validator(schema, resolver=RefResolver(schema["$id"], schema,
                                                                 store=store))
    reg = Registry().with_resources((k, DRAFT202012.create_resource(v)) for k, v in store.items())
    return Draft202012Validator(schema, registry=reg)


def main(argv):
    if len(argv) < 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    with open(os.path.join(argv[1], argv[2] + ".json")) as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    val = validator(argv[1], schema)
    bad = 0
    for path in argv[3:]:
        with open(path, encoding="utf-8") as f:
            text = f.read()
        try:
            docs = list(values(text))
        except ValueError as e:
            print("%s: not JSON: %s" % (path, e))
            return 2
        if not docs:
            print("%s: no JSON value" % path)
            bad += 1
        for k, doc in enumerate(docs):
            for err in sorted(val.iter_errors(doc), key=lambda e: list(e.absolute_path)):
                where = "/".join(str(p) for p in err.absolute_path)
                print("%s: value %d at /%s: %s" % (path, k + 1, where, err.message[:300]))
                bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
