#!/usr/bin/env python3
"""Writes src/parse/entities.c: the HTML5 named character references.

The table comes from Python's html.entities.html5, which mirrors the WHATWG
list. Names there end with ';'; the legacy names that HTML also accepts
without ';' appear a second time without it and are skipped here, so each
reference is keyed once, by its name without ';'.

Usage: python3 tools/gen-entities.py [output]   (default: src/parse/entities.c)
The output depends only on the table, so running it twice gives the same file.
"""

import html.entities
import os
import sys


def c_string(s):
    """Returns s as a C string literal of its UTF-8 bytes.

    Every byte outside printable ASCII, and '"', '\\' and '?' (trigraphs), is
    written as a three-digit octal escape: an octal escape stops after three
    digits, so a following character can never extend it (as it could a \\x
    escape).
    """
    out = []
    for b in s.encode("utf-8"):
        if 0x20 <= b < 0x7F and b not in (0x22, 0x5C, 0x3F):
            out.append(chr(b))
        else:
            out.append("\\%03o" % b)
    return '"' + "".join(out) + '"'


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, os.pardir, "src", "parse", "entities.c")
    path = sys.argv[1] if len(sys.argv) > 1 else default

    table = {}
    for name, value in html.entities.html5.items():
        if not name.endswith(";"):
            continue  # a legacy duplicate of "name;"
        table[name[:-1]] = value
    names = sorted(table, key=lambda n: n.encode("ascii"))
    longest = max(len(n) for n in names)
    longest_value = max(len(table[n].encode("utf-8")) for n in names)
    if longest > 255 or longest_value > 255:
        sys.exit("gen-entities: a name or value no longer fits in a byte")

    lines = []
    w = lines.append
    w("/*")
    w(" * entities.c - the HTML5 named character references (internal).")
    w(" *")
    w(" * GENERATED FILE, do not edit. Regenerate with:")
    w(" *     python3 tools/gen-entities.py")
    w(" * from Python's html.entities.html5 (the WHATWG list): %d names," % len(names))
    w(" * keyed without ';', sorted bytewise for binary search. Values are UTF-8,")
    w(" * written with octal escapes (which never swallow a following digit).")
    w(" */")
    w('#include "parse/entities.h"')
    w("")
    w("#include <string.h>")
    w("")
    w("#define ENTITIES_COUNT %d" % len(names))
    w("#define ENTITIES_NAME_MAX %d" % longest)
    w("")
    w("struct entities_entry {")
    w("\tconst char *name;")
    w("\tconst char *value;")
    w("\tunsigned char nlen;")
    w("\tunsigned char vlen;")
    w("};")
    w("")
    w("static const struct entities_entry entities_table[ENTITIES_COUNT] = {")
    for n in names:
        v = table[n]
        w("\t{ %s, %s, %d, %d }," % (c_string(n), c_string(v), len(n),
                                      len(v.encode("utf-8"))))
    w("};")
    w("")
    w("/* Returns <0, 0 or >0 as name[0..len) sorts before, equal to or after e's name. */")
    w("static int")
    w("entities_compare(const char *name, size_t len, const struct entities_entry *e)")
    w("{")
    w("\tsize_t n = len < e->nlen ? len : e->nlen;")
    w("\tint c = memcmp(name, e->name, n);")
    w("")
    w("\tif (c)")
    w("\t\treturn c;")
    w("\treturn len < e->nlen ? -1 : len > e->nlen;")
    w("}")
    w("")
    w("/* Returns the UTF-8 expansion of a reference name, or NULL when there is none; never fails. */")
    w("const char *")
    w("fm__html_entity(const char *name, size_t len, size_t *outlen)")
    w("{")
    w("\tsize_t lo = 0, hi = ENTITIES_COUNT;")
    w("")
    w("\tif (len == 0 || len > ENTITIES_NAME_MAX)")
    w("\t\treturn NULL;")
    w("\twhile (lo < hi) {")
    w("\t\tsize_t mid = lo + (hi - lo) / 2;")
    w("\t\tint c = entities_compare(name, len, &entities_table[mid]);")
    w("")
    w("\t\tif (c == 0) {")
    w("\t\t\tif (outlen)")
    w("\t\t\t\t*outlen = entities_table[mid].vlen;")
    w("\t\t\treturn entities_table[mid].value;")
    w("\t\t}")
    w("\t\tif (c < 0)")
    w("\t\t\thi = mid;")
    w("\t\telse")
    w("\t\t\tlo = mid + 1;")
    w("\t}")
    w("\treturn NULL;")
    w("}")

    with open(path, "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
