#!/bin/sh
# demo.sh BIN TESTS_DIR - the offline demo of the README's Quick start
# (examples/feedmerge.ini): every feed parses cleanly, each wire story is
# one entry listing all its outlets, the look-alike and the "News in brief"
# digests stay apart, and a second run rewrites nothing.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
if [ ! -x "$py" ]; then
	echo "FAIL: $py is needed to read the JSON Feed output (tools/deps --test installs python3)"
	exit 1
fi
# The ini writes to ../build/demo relative to itself: a copy in $tmp/examples writes $tmp/build/demo.
cp -R "$2/../examples" "$tmp/examples"
cd "$tmp"
ini=$tmp/examples/feedmerge.ini
out_dir=$tmp/build/demo

fm check -c "$ini"
is "check" "$st" 0

# Every feed file is well-formed: no recovery, no "not a feed"; three formats.
fm parse --summary examples/feeds/*
is "parse --summary" "$st" 0
is "feeds" "$(wc -l <out)" 6
is "every feed parses cleanly" "$(cut -f5 out | sort -u)" ok
is "formats" "$(cut -f2 out | sort -u | tr '\n' ' ')" "atom1.0 jsonfeed rss2.0 "

fm run -c "$ini"
is "run" "$st" 0
has "summary" out "6 fetched, 0 not modified, 0 failed"
has "every item stored" out "21 new items"
has "the copies joined their stories (3 + 2 + 2 + 1)" out "8 joined a story"
has "outputs written" out "4 of 4 outputs written"
is "nothing on standard error" "$(cat err)" ""

# The grouping, from the JSON Feed's member lists: each entry as its sorted
# "feed id" members; the representative (listed first) of every story.
"$py" - "$out_dir/world.json" >groups.txt <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for i in d["items"]:
    ms = i["_feedmerge"]["members"]
    print(" | ".join(sorted("%s %s" % (m["feed"], m["id"]) for m in ms)))
    if len(ms) > 1:
        print("representative of %d: %s %s" % (len(ms), ms[0]["feed"], ms[0]["id"]))
PY
# group NAME MEMBERS...: exactly one entry has exactly these members.
group() {
	name=$1
	shift
	want=$(printf '%s\n' "$@" | sort | sed ':a;N;$!ba;s/\n/ | /g')
	is "$name" "$(grep -cxF -- "$want" groups.txt)" 1
}
group "AP pellet accord: 4 outlets" \
	"harbour-times https://harbour-times.example.com/world/2026/06/09/plastic-pellet-accord" \
	"daily-ledger tag:dailyledger.example.org,2026:world/90412" \
	"northgate-courier courier-88012" \
	"meridian-observer https://meridian-observer.example.org/world/2026/06/09/pellet-hazardous-goods"
group "Reuters van recall: 3 outlets" \
	"daily-ledger tag:dailyledger.example.org,2026:business/90377" \
	"valley-post https://valleypost.example.com/?p=20907" \
	"lakeside-gazette https://lakeside-gazette.example.net/business/2026-06-08-van-recall"
group "AFP Roman wreck: 3 outlets" \
	"harbour-times https://harbour-times.example.com/world/2026/06/10/roman-wreck-marseille" \
	"valley-post https://valleypost.example.com/?p=20928" \
	"meridian-observer https://meridian-observer.example.org/science/2026/06/10/roman-ship-amphorae"
group "AP moon lander: 2 summary-only outlets" \
	"northgate-courier courier-88213" \
	"lakeside-gazette https://lakeside-gazette.example.net/world/2026-06-11-lunar-lander"
group "the look-alike (AP follow-up on the pellet rules) stays alone" \
	"valley-post https://valleypost.example.com/?p=20931"
group "News in brief (10 June) stays alone" \
	"lakeside-gazette https://lakeside-gazette.example.net/local/2026-06-10-news-in-brief"
group "News in brief (8 June) stays alone" \
	"lakeside-gazette https://lakeside-gazette.example.net/local/2026-06-08-news-in-brief"
is "entries" "$(grep -vc '^representative' groups.txt)" 13
is "single items" "$(grep -v '^representative' groups.txt | grep -vcF ' | ')" 9
is "members in all" "$(grep -v '^representative' groups.txt | sed 's/ | /\n/g' | wc -l)" 21
# Representatives: the highest priority, then the earliest (daily-ledger
# and valley-post tie at 2 on the recall; the Ledger's copy came first).
has "pellet accord: the Harbour Times' full story" groups.txt \
	"representative of 4: harbour-times https://harbour-times.example.com/world/2026/06/09/plastic-pellet-accord"
has "van recall: the Ledger's earlier full story" groups.txt \
	"representative of 3: daily-ledger tag:dailyledger.example.org,2026:business/90377"
has "Roman wreck: the Harbour Times' full story" groups.txt \
	"representative of 3: harbour-times https://harbour-times.example.com/world/2026/06/10/roman-wreck-marseille"
has "moon lander: the Courier's summary" groups.txt "representative of 2: northgate-courier courier-88213"

# The Atom and RSS outputs carry the same 13 entries, the other members as related links.
"$py" - "$out_dir/world.atom" "$out_dir/world.rss" >xml.txt <<'PY'
import sys
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
atom = ET.parse(sys.argv[1]).getroot()
entries = atom.findall(A + "entry")
print("atom", len(entries), sum(1 for e in entries for l in e.findall(A + "link") if l.get("rel") == "related"))
items = ET.parse(sys.argv[2]).getroot().findall("channel/item")
print("rss", len(items), sum(1 for i in items for l in i.findall(A + "link") if l.get("rel") == "related"))
PY
is "Atom: entries and related links" "$(sed -n 1p xml.txt)" "atom 13 8"
is "RSS: items and related links" "$(sed -n 2p xml.txt)" "rss 13 8"

# A second run (nothing due) and a forced one (nothing changed) leave every
# output byte for byte as it was, not even rewritten (inode, mtime).
cp "$out_dir/world.atom" "$out_dir/world.rss" "$out_dir/world.json" "$tmp/"
before=$(ls -li --time-style=full-iso "$out_dir"/world.*)
sleep 1.1
fm run -c "$ini"
is "second run" "$st" 0
has "second run: nothing due" out "0 fetched"
has "second run: nothing written" out "0 of 4 outputs written"
fm run --force -c "$ini"
is "forced run" "$st" 0
has "forced run: nothing new" out "0 new items, 0 changed"
has "forced run: nothing written" out "0 of 4 outputs written"
is "outputs not rewritten" "$(ls -li --time-style=full-iso "$out_dir"/world.*)" "$before"
for f in world.atom world.rss world.json; do
	ntests=$((ntests + 1))
	cmp -s "$tmp/$f" "$out_dir/$f" || { echo "FAIL $f changed on a second run"; fail=1; }
done

done_tests
