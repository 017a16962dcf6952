#!/bin/sh
# feedparser-compare.sh BIN SRCDIR [-v] - cross-check against python3-feedparser.
#
# For every XML fixture (tests/data/parse, tests/golden) feedmerge and
# Debian's python3-feedparser must agree on the format and the number of
# items; that part fails the test. With -v it also lists where titles,
# links, ids and dates differ: those differences are known and deliberate
# (feedmerge's titles are plain text, pubDate is not copied to updated, an
# opaque id is never a link, namespaces match by URI, not prefix). CDF is
# "cdf" to feedmerge and "" to feedparser 6.0.10, and so is RSS 0.90 under
# its http://channel.netscape.com/rdf/simple/0.9/ namespace (feedparser
# knows only my.netscape.com's).
# Skipped (exit 0) when /usr/bin/python3 has no feedparser.
set -u
bin=$1
src=$2
verbose=${3:-}
py=/usr/bin/python3
if ! [ -x "$py" ] || ! "$py" -c 'import feedparser' 2>/dev/null; then
	echo "skip: no python3-feedparser"
	exit 0
fi
exec "$py" - "$bin" "$verbose" "$src"/data/parse/*.xml "$src"/golden/*.xml <<'EOF'
import json, subprocess, sys
import feedparser

binary, verbose, files = sys.argv[1], sys.argv[2] == "-v", sys.argv[3:]
fail = 0

def fp_date(entry, key):
    t = entry.get(key + "_parsed")
    return "%04d-%02d-%02dT%02d:%02d:%02dZ" % tuple(t[:6]) if t else None

for path in files:
    out = subprocess.run([binary, "parse", "--json", path], capture_output=True).stdout
    fm = json.loads(out)
    fp = feedparser.parse(path)
    name = path.rsplit("/", 2)[-2] + "/" + path.rsplit("/", 1)[-1]
    fm_format = fm["format"].replace(".", "")
    # feedparser 6.0.10 reads CDF but leaves its version empty (its own tests expect "cdf"),
    # and does not know RSS 0.90's channel.netscape.com namespace.
    with open(path, "rb") as f:
        channel_ns = b"channel.netscape.com/rdf/simple/0.9" in f.read()
    unknown_to_fp = fm_format == "cdf" or (fm_format == "rss090" and channel_ns)
    if fm_format != fp.get("version", "") and not (unknown_to_fp and fp.get("version") == ""):
        print("FAIL %s: format %r, feedparser %r" % (name, fm["format"], fp.get("version")))
        fail = 1
    if len(fm["items"]) != len(fp.entries):
        print("FAIL %s: %d items, feedparser %d" % (name, len(fm["items"]), len(fp.entries)))
        fail = 1
    if not verbose:
        continue
    for i, (a, b) in enumerate(zip(fm["items"], fp.entries)):
        for key in ("title", "link", "id"):
            if a[key] != (b.get(key) or None):
                print("  %s item %d %s: %r, feedparser %r" % (name, i, key, a[key], b.get(key)))
        for key in ("published", "updated"):
            if a[key] != fp_date(b, key):
                print("  %s item %d %s: %r, feedparser %r" % (name, i, key, a[key], fp_date(b, key)))
if not fail:
    print("ok: %d files agree with feedparser on format and item count" % len(files))
sys.exit(fail)
EOF
