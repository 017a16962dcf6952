#!/usr/bin/python3
"""gen-feeds.py - a reproducible set of feeds for the fetch benchmark (run-bench.sh).

    gen-feeds.py [--seed N] [--feeds N] DIR
        writes N feed files (default 1000) into DIR: about two thirds RSS 2.0
        (blog: content:encoded in CDATA; news: escaped-HTML descriptions and
        media:content; podcast: enclosures and itunes:*), a third Atom 1.0
        (html or xhtml content, some with xml:base and relative links), a
        few declared windows-1252 or ISO-8859-1. Each is 10-200 KB
        (log-normal, median ~45 KB) with 3-100 items. DIR/MANIFEST.tsv lists
        file, kind, style, charset, bytes, items.

    gen-feeds.py --change N --round R [--seed N] DIR
        rewrites N of DIR's feeds (which ones depends on the seed and R), as
        a publisher would: 1-5 new items on top, as many of the oldest
        dropped (at least 3 items stay). Each file is replaced through a
        temporary file and a rename, so its inode, size or bytes change and
        the server's ETag (a content hash) with them. Prints the names.

    gen-feeds.py --etags DIR
        prints "NAME<TAB>ETAG" for every feed, the ETag computed as
        tests/httpd/feedserver.py does ("<first 32 hex digits of sha256>").

The text generator is gen-corpus.py's (same vocabulary, same HTML); the same
seed gives byte-identical files with the same Python. Standard library only;
run it with /usr/bin/python3.
"""
import argparse
import hashlib
import importlib.util
import math
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("gen_corpus", os.path.join(HERE, "gen-corpus.py"))
gc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(gc)

MIN_SIZE, MAX_SIZE = 10 * 1024, 200 * 1024
MIN_ITEMS, MAX_ITEMS = 3, 100
EXT = {"rss2": ".rss", "atom": ".atom"}


def plan(rng, n):
    """Per-feed (kind, style, charset, xhtml, target size)."""
    out = []
    for _ in range(n):
        size = int(min(MAX_SIZE, max(MIN_SIZE, rng.lognormvariate(math.log(45 * 1024), 0.75))))
        x = rng.random()
        kind = "rss2" if x < 0.66 else "atom"
        style = rng.choice(("blog", "blog", "news", "news", "news", "podcast")) if kind == "rss2" else ""
        x = rng.random()
        charset = "windows-1252" if x < 0.025 else "iso-8859-1" if x < 0.04 else "utf-8"
        out.append((kind, style, charset, rng.random() < 0.3, size))
    return out


def new_feed(frng, words, charset, style, xhtml):
    f = gc.Feed(frng, words, charset, style or "blog")
    f.xhtml = xhtml
    f.relative = False
    f.rdf_content = False
    return f


def build(f, kind, target):
    """One document of 10-200 KB and 3-100 items, as bytes; returns (bytes, items)."""
    head, entry, tail = gc.KINDS[kind]
    enc = f.charset
    h = head(f).encode(enc, "xmlcharrefreplace")
    t = tail(f).encode(enc, "xmlcharrefreplace")
    items = []
    total = len(h) + len(t)
    while len(items) < MAX_ITEMS and (len(items) < MIN_ITEMS or total < target):
        b = entry(f).encode(enc, "xmlcharrefreplace")
        items.append(b)
        total += len(b)
    while len(items) > MIN_ITEMS and total > MAX_SIZE:
        total -= len(items.pop())
    return h + b"".join(items) + t, len(items)


def write_atomic(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as fp:
        fp.write(data)
    os.replace(tmp, path)


def make(args):
    rng = random.Random(args.seed)
    words = gc.Words(rng)
    os.makedirs(args.dir, exist_ok=True)
    rows = []
    tb = ti = 0
    for i, (kind, style, charset, xhtml, size) in enumerate(plan(rng, args.feeds)):
        f = new_feed(random.Random("%d/feed/%d" % (args.seed, i)), words, charset, style, xhtml)
        data, n = build(f, kind, size)
        name = "f%04d-%s%s%s" % (i, kind if kind == "atom" else style,
                                 "-" + charset if charset != "utf-8" else "", EXT[kind])
        write_atomic(os.path.join(args.dir, name), data)
        rows.append("%s\t%s\t%s\t%s\t%d\t%d\n" % (name, kind, style or "-", charset, len(data), n))
        tb += len(data)
        ti += n
    with open(os.path.join(args.dir, "MANIFEST.tsv"), "w") as fp:
        fp.write("# file\tkind\tstyle\tcharset\tbytes\titems\n")
        fp.writelines(rows)
    print("%d feeds, %.1f MB, %d items in %s" % (len(rows), tb / 1e6, ti, args.dir), file=sys.stderr)


def manifest(d):
    with open(os.path.join(d, "MANIFEST.tsv")) as fp:
        return [line.rstrip("\n").split("\t") for line in fp if not line.startswith("#")]


ITEM_START = {"rss2": "<item>\n", "atom": "<entry>\n"}
ITEM_END = {"rss2": "</item>\n", "atom": "</entry>\n"}


def change(args):
    rows = manifest(args.dir)
    rng = random.Random("%d/round/%d" % (args.seed, args.round))
    words = gc.Words(random.Random(args.seed))
    for idx in sorted(rng.sample(range(len(rows)), min(args.change, len(rows)))):
        name, kind, style, charset = rows[idx][:4]
        path = os.path.join(args.dir, name)
        with open(path, "rb") as fp:
            text = fp.read().decode(charset)
        start, end = ITEM_START[kind], ITEM_END[kind]
        first = text.index(start)
        last = text.rindex(end) + len(end)
        body = text[first:last]
        items = [start + s for s in body.split(start)[1:]]
        frng = random.Random("%d/round/%d/%d" % (args.seed, args.round, idx))
        f = new_feed(frng, words, charset, None if style == "-" else style, 'type="xhtml"' in text)
        m = re.search(r"https://([a-z]+\.example\.com)/", text)
        if m:
            f.host = m.group(1)
        f.relative = "xml:base=" in text[:first]
        f.now = gc.EPOCH + 86400 * 30 + 3600 * args.round  # newer than every first-generation item
        entry = gc.KINDS[kind][1]
        k = frng.randint(1, 5)
        fresh = [entry(f) for _ in range(k)]
        keep = max(MIN_ITEMS, len(items) - k)
        items = fresh + items[:keep]  # newest first, as the feed lists them
        data = (text[:first] + "".join(items) + text[last:]).encode(charset, "xmlcharrefreplace")
        write_atomic(path, data)
        print(name)


def check(args):
    """Exits 1 unless every file of the manifest is there with its size (a change pass rewrites files)."""
    try:
        rows = manifest(args.dir)
    except OSError:
        sys.exit(1)
    for row in rows:
        try:
            if os.path.getsize(os.path.join(args.dir, row[0])) != int(row[4]):
                sys.exit(1)
        except OSError:
            sys.exit(1)


def etags(args):
    for row in manifest(args.dir):
        with open(os.path.join(args.dir, row[0]), "rb") as fp:
            print('%s\t"%s"' % (row[0], hashlib.sha256(fp.read()).hexdigest()[:32]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--feeds", type=int, default=1000)
    ap.add_argument("--change", type=int, metavar="N", help="rewrite N feeds with new items")
    ap.add_argument("--round", type=int, default=1, help="which change round (picks the feeds and items)")
    ap.add_argument("--etags", action="store_true", help="print NAME<TAB>ETAG for every feed")
    ap.add_argument("--check", action="store_true", help="exit 1 unless DIR's files still match its manifest")
    args = ap.parse_args()
    if args.check:
        check(args)
    elif args.etags:
        etags(args)
    elif args.change is not None:
        change(args)
    else:
        make(args)


if __name__ == "__main__":
    main()
