#!/bin/sh
# real-feeds.sh [FEEDMERGE [DIR]] - one `feedmerge run` over a directory of
# real feeds with no labels (default ../shared/data/feeds-real, 591 files),
# each file its own feed (file:// URLs), with all four outputs. Prints what
# a reader of the merged feed would notice: stories of more than one item,
# and those whose items' headlines differ (each one a merge to look at:
# a rewritten headline, or two stories made one). Checks that every output
# parses (JSON, XML, python3-feedparser without bozo, HTML). VERBOSE=1
# lists the stories whose headlines differ; KEEPDIR=DIR keeps the config,
# state and outputs there (for `feedmerge clusters --explain`).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build-rel/feedmerge}
data=$(cd "${2:-$here/../../../shared/data/feeds-real}" && pwd)
if [ -n "${KEEPDIR:-}" ]; then
	tmp=$KEEPDIR && mkdir -p "$tmp" && rm -f "$tmp"/state.db*
else
	tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
fi
{
	printf '[feedmerge]\nstate = state.db\nkeep = 0\nconcurrency = 4\n\n'
	for fmt in atom rss json html; do
		printf '[output %s]\npath = all.%s\nformat = %s\nmax_items = 0\n\n' "$fmt" "$fmt" "$fmt"
	done
	i=0
	for f in "$data"/*.xml; do
		i=$((i + 1))
		printf '[feed r%04d]\nurl = file://%s\n\n' "$i" "$f"
	done
} >"$tmp/feeds.ini"
(cd "$tmp" && "$bin" run -c feeds.ini 2>run.err) || { cat "$tmp/run.err" >&2; exit 1; }
grep -c . "$tmp/run.err" | sed 's/^/warnings: /'
(cd "$tmp" && "$bin" clusters -c feeds.ini --all --json >clusters.json)
/usr/bin/python3 - "$tmp" "${VERBOSE:-}" <<'PY'
import html.parser, json, sys, xml.dom.minidom
import feedparser
tmp, verbose = sys.argv[1], sys.argv[2]
clusters = json.load(open(tmp + "/clusters.json"))["clusters"]
members = [c["members"] for c in clusters]
multi = [m for m in members if len(m) > 1]
differ = [m for m in multi if len({(x.get("title") or "").strip().lower() for x in m}) > 1]
print("items %d, stories %d, of more than one item %d (%d items), whose headlines differ %d"
      % (sum(map(len, members)), len(members), len(multi), sum(map(len, multi)), len(differ)))
for m in differ if verbose else []:
    print("  " + " | ".join("[%s] %s" % (x["feed"], (x.get("title") or "")[:60]) for x in m[:4]))
json.load(open(tmp + "/all.json"))
for f in ("all.atom", "all.rss"):
    xml.dom.minidom.parse(tmp + "/" + f)
    if feedparser.parse(tmp + "/" + f).bozo:
        sys.exit("real-feeds: feedparser finds %s malformed" % f)
html.parser.HTMLParser().feed(open(tmp + "/all.html", encoding="utf-8").read())
print("outputs: all four parse")
PY
