#!/bin/sh
# outputs.sh BIN TESTS_DIR - what `feedmerge run` writes: exact duplicates
# folded across feeds, representatives, members in every format, max_items,
# max_age, include/exclude, updates in place, feedparser reading the files.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
cd "$tmp"
now=$(date -u '+%a, %d %b %Y %H:%M:%S GMT')

# item GUID TITLE LINK DATE: one RSS item.
item() {
	printf '<item><guid>%s</guid><title>%s</title><link>%s</link><pubDate>%s</pubDate><description>&lt;p&gt;%s&lt;/p&gt;</description></item>\n' \
		"$1" "$2" "$3" "$4" "$2"
}
# channel TITLE ITEMS...: an RSS document.
channel() {
	t=$1
	shift
	printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>%s</title><link>https://%s.example/</link><description>d</description>\n' "$t" "$t"
	for i in "$@"; do printf '%s\n' "$i"; done
	printf '</channel></rss>\n'
}
channel wire "$(item w1 'Talks in Paris' 'https://news.example/story?id=1&amp;utm_source=wire' "$now")" \
	"$(item w2 'Old archive piece' 'https://news.example/old' 'Mon, 02 Jan 2006 15:04:05 GMT')" >wire.rss
channel ledger "$(item l1 'Paris talks: what we know' 'https://NEWS.example:443/story?id=1#top' "$now")" \
	"$(item l2 'Local sports results' 'https://ledger.example/sports' "$now")" >ledger.rss

cat >feeds.ini <<EOF
[feedmerge]
state = state/feeds.db

[output a]
path = merged/all.atom
format = atom
title = All

[output r]
path = merged/all.rss
format = rss
title = All
link = https://merged.example/

[output j]
path = merged/all.json
format = json
title = All

[output recent]
path = merged/recent.json
format = json
max_age = 7d

[output top]
path = merged/top.json
format = json
max_items = 1

[feed wire]
url = file:wire.rss

[feed ledger]
url = file:ledger.rss
priority = 5
exclude = sports
EOF
fm run -c feeds.ini
is "run" "$st" 0
has "summary" out "2 fetched, 0 not modified, 0 failed"
has "include/exclude drops the sports item" out "3 new items"

is "folded by normalised link" "$(json merged/all.json 'len(d["items"])')" 2
is "members of the folded story" \
	"$(json merged/all.json '[m["feed"] for i in d["items"] for m in i["_feedmerge"]["members"] if len(i["_feedmerge"]["members"]) > 1]')" \
	"['ledger', 'wire']"
is "representative: the higher priority" \
	"$(json merged/all.json '[i["title"] for i in d["items"] if len(i["_feedmerge"]["members"]) > 1][0]')" \
	"Paris talks: what we know"
is "member ids are the feeds' own" \
	"$(json merged/all.json 'sorted(m["id"] for i in d["items"] for m in i["_feedmerge"]["members"])')" \
	"['l1', 'w1', 'w2']"
is "max_age drops the 2006 story" "$(json merged/recent.json '[i["title"] for i in d["items"]]')" \
	"['Paris talks: what we know']"
is "max_items" "$(json merged/top.json 'len(d["items"])')" 1
is "newest first" "$(json merged/all.json 'd["items"][-1]["title"]')" "Old archive piece"

# Real clients: feedparser reads Atom and RSS without complaint and sees the members.
"$py" - merged/all.atom merged/all.rss >fp.txt <<'PY'
import sys, feedparser
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    related = sum(1 for e in d.entries for l in e.get("links", []) if l.get("rel") == "related")
    print(path.split("/")[-1], "bozo=%d" % d.bozo, "entries=%d" % len(d.entries), "related=%d" % related,
          "titles=%s" % sorted(e.title for e in d.entries))
PY
has "feedparser reads Atom" fp.txt "all.atom bozo=0 entries=2 related=1 titles=['Old archive piece', 'Paris talks: what we know']"
has "feedparser reads RSS" fp.txt "all.rss bozo=0 entries=2"
has "Atom source names the representative's feed" merged/all.atom "<title>ledger</title>"

# An item whose title changes is updated in place, not duplicated; ids stay
# (the updated entry moves up: its updated time moved).
ids=$(json merged/all.json 'sorted(i["id"] for i in d["items"])')
sed -i 's/Talks in Paris/Talks in Paris (updated)/' wire.rss
sed -i 's/Paris talks: what we know/Paris talks: all we know/' ledger.rss
fm run -c feeds.ini --force
has "changed items" out "0 new items, 2 changed"
is "same entries after an update" "$(json merged/all.json 'sorted(i["id"] for i in d["items"])')" "$ids"
is "representative's new title" "$(json merged/all.json 'd["items"][0]["title"]')" "Paris talks: all we know"

# Unchanged state: files are byte-identical and not rewritten (mtime, inode).
before=$(ls -li --time-style=full-iso merged/all.atom merged/all.rss merged/all.json)
sleep 1.1
fm run -c feeds.ini --force
has "nothing rewritten" out "0 of 5 outputs written"
is "files untouched" "$(ls -li --time-style=full-iso merged/all.atom merged/all.rss merged/all.json)" "$before"

# A feed removed from the config leaves the outputs.
sed -i '/^\[feed ledger\]/,$d' feeds.ini
fm run -c feeds.ini --force
is "removed feed's items gone" "$(json merged/all.json 'sorted(m["feed"] for i in d["items"] for m in i["_feedmerge"]["members"])')" \
	"['wire', 'wire']"

# --dry-run changes nothing.
channel wire "$(item w9 'Brand new' 'https://news.example/new' "$now")" >wire.rss
before=$(ls -li --time-style=full-iso merged/)
fm run -c feeds.ini --force --dry-run
has "dry run reports" out "dry run: 1 fetched"
has "dry run counts what would be new" out "1 new items"
has "dry run writes no output" out "0 of 5 outputs written"
is "dry run leaves outputs" "$(ls -li --time-style=full-iso merged/)" "$before"
is "dry run leaves the state" "$("$py" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from items where guid=?", ("w9",)).fetchone()[0])' state/feeds.db)" 0

done_tests
