#!/bin/sh
# groups.sh BIN TESTS_DIR - each output chooses its feeds: groups, feeds,
# its own include/exclude; clustering stays global (a story carried by a
# world and a tech feed is one cluster) and each output lists only its own
# feeds' members, its representative chosen among them. Self links (url)
# valid against tests/data/atom.rng and read by python3-feedparser;
# language in all four formats; check's advice on groups and selections.
# Needs xmllint (libxml2-utils) and python3-feedparser.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tests=$(cd "$2" && pwd)
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
rng=$tests/data/atom.rng
for tool in xmllint; do
	command -v "$tool" >/dev/null 2>&1 || { echo "FAIL $tool is not installed (tools/deps --test)"; exit 1; }
done
"$py" -c 'import feedparser' 2>/dev/null || { echo "FAIL python3-feedparser is not installed"; exit 1; }
cd "$tmp"

# item GUID TITLE LINK DAY TEXT
item() {
	printf '<item><title>%s</title><guid>%s</guid><link>%s</link><pubDate>Mon, %02d Jan 2024 10:00:00 GMT</pubDate><description>%s</description></item>\n' \
		"$2" "$1" "$3" "$4" "$5"
}
chan() {
	printf '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>%s</title><link>https://%s.example/</link><description>d</description>\n' "$1" "$1"
}
# The shared story: one link, carried by a world feed and a tech feed.
shared=https://wire.example/2024/quantum-chip
{ chan globe
  item g1 "Quantum chip unveiled by lab" "$shared" 8 "A laboratory showed a quantum chip on Monday; researchers said it runs at room temperature."
  item g2 "Election results are in" https://globe.example/election 7 "Voters chose a new parliament in a close race decided late at night."
  printf '</channel></rss>\n'; } >globe.rss
{ chan bytes
  item b1 "Lab shows quantum chip" "$shared" 9 "Researchers at the laboratory presented their quantum chip, which works at room temperature."
  item b2 "New phone released" https://bytes.example/phone 6 "The company released a phone with a larger battery and a faster processor."
  item b3 "Sponsored: buy our gadget" https://bytes.example/ad 5 "An advertisement for a gadget nobody needs."
  printf '</channel></rss>\n'; } >bytes.rss
{ chan local
  item l1 "Bridge reopens downtown" https://local.example/bridge 4 "The old bridge downtown reopened after two years of repairs."
  printf '</channel></rss>\n'; } >local.rss

cat >feeds.ini <<'EOF2'
[feedmerge]
state = state.db

[output world]
path = merged/world.atom
groups = world
url = https://news.example/world.atom
language = en

[output world-rss]
path = merged/world.rss
format = rss
groups = world
url = https://news.example/world.rss
language = en

[output world-json]
path = merged/world.json
format = json
groups = world
url = https://news.example/world.json
language = en

[output world-page]
path = merged/world.html
format = html
groups = world
language = en

[output tech]
path = merged/tech.atom
groups = tech
exclude = ^sponsored
url = https://news.example/tech.atom
language = de-AT

[output picked]
path = merged/picked.json
format = json
feeds = local globe

[output all]
path = merged/all.json
format = json

[feed globe]
url = file:globe.rss
groups = world

[feed bytes]
url = file:bytes.rss
groups = tech
priority = 5

[feed local]
url = file:local.rss
groups = city
EOF2

fm run -c feeds.ini
is "run" "$st" 0

# entries FILE: "title <- feed:id feed:id" per entry, newest first (JSON Feed).
entries() {
	"$py" - "$1" <<'EOP'
import json, sys
d = json.load(open(sys.argv[1]))
for it in d["items"]:
    m = it["_feedmerge"]["members"]
    print(it["title"], "<-", " ".join("%s:%s" % (x["feed"], x["id"]) for x in m))
EOP
}
# atom_entries FILE: the same from an Atom file, by feedparser (title and the source's title).
atom_entries() {
	"$py" - "$1" <<'EOP'
import feedparser, sys
d = feedparser.parse(sys.argv[1])
assert not d.bozo, d.bozo_exception
for e in d.entries:
    rel = sorted(l["href"] for l in e.links if l["rel"] == "related")
    print(e.title, "|", e.source.get("title"), "|", " ".join(rel) or "-")
EOP
}

is "world: its feeds only; the shared story from globe alone" "$(entries merged/world.json)" \
"Quantum chip unveiled by lab <- globe:g1
Election results are in <- globe:g2"
is "tech: bytes only, the sponsored item excluded" "$(atom_entries merged/tech.atom)" \
"Lab shows quantum chip | bytes | -
New phone released | bytes | -"
is "picked: feeds = local globe" "$(entries merged/picked.json)" \
"Quantum chip unveiled by lab <- globe:g1
Election results are in <- globe:g2
Bridge reopens downtown <- local:l1"
is "all: one cluster for the shared story, bytes (priority 5) represents it" "$(entries merged/all.json)" \
"Lab shows quantum chip <- bytes:b1 globe:g1
Election results are in <- globe:g2
New phone released <- bytes:b2
Sponsored: buy our gadget <- bytes:b3
Bridge reopens downtown <- local:l1"
id_world=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["id"])' merged/world.json)
id_all=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["items"][0]["id"])' merged/all.json)
is "clustering is global: the same cluster id in world and all" "$id_world" "$id_all"

# --- Self links and language.
for f in merged/world.atom merged/tech.atom; do
	xmllint --nonet --noout --relaxng "$rng" "$f" >xmllint.out 2>&1
	is "atom.rng accepts $f" "$?" 0
done
has "atom self link" merged/world.atom '<link rel="self" href="https://news.example/world.atom" type="application/atom+xml"/>'
has "atom xml:lang" merged/tech.atom '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="de-AT">'
has "rss self link" merged/world.rss '<atom:link rel="self" href="https://news.example/world.rss" type="application/rss+xml"/>'
has "rss language" merged/world.rss '<language>en</language>'
has "json feed_url" merged/world.json '"feed_url": "https://news.example/world.json"'
has "json language" merged/world.json '"language": "en"'
has "html lang" merged/world.html '<html lang="en">'
has "html links its sibling atom" merged/world.html '<link rel="alternate" type="application/atom+xml" title="world" href="https://news.example/world.atom">'
has "html links its sibling rss" merged/world.html '<link rel="alternate" type="application/rss+xml" title="world-rss" href="https://news.example/world.rss">'
has "html links its sibling json" merged/world.html '<link rel="alternate" type="application/feed+json" title="world-json" href="https://news.example/world.json">'
hasnt "html does not link the tech feed" merged/world.html 'tech.atom'
is "feedparser reads the self links and languages" "$("$py" - <<'EOP'
import feedparser
for f in ("merged/world.atom", "merged/world.rss", "merged/tech.atom"):
    d = feedparser.parse(f)
    assert not d.bozo, (f, d.bozo_exception)
    self = [l["href"] for l in d.feed.links if l["rel"] == "self"]
    print(f, self[0] if self else None, d.feed.get("language"))
EOP
)" "merged/world.atom https://news.example/world.atom en
merged/world.rss https://news.example/world.rss en
merged/tech.atom https://news.example/tech.atom de-AT"

# --- check: the selections, groups no feed has, outputs that select nothing.
fm check -c feeds.ini
is "check ok" "$st" 0
has "check shows groups" out "groups         = world"
has "check shows feeds" out "feeds          = local globe"
hasnt "no advice on a sound file" out "# warning: output"
cat >>feeds.ini <<'EOF2'

[output sport]
path = merged/sport.atom
groups = sport

[output off]
path = merged/off.atom
feeds = gone

[feed gone]
url = file:globe.rss
enabled = no
EOF2
fm check -c feeds.ini
has "check: a group no feed has" out "# warning: output sport (line "
has "check: names the group" out "): no feed is in group sport"
has "check: selects nothing" out "# warning: output off (line "
has "check: says it stays empty" out "): selects no enabled feed; it stays empty"
printf '[output x]\npath = x.atom\nfeeds = nosuch\n' >bad.ini
fm check -c bad.ini
is "unknown feed in feeds: config error" "$st" 2
has "unknown feed named" err "bad.ini:1: [output x] feeds: no [feed nosuch] in the file"
printf '[output x]\npath = x.atom\nlanguage = english!\n' >bad.ini
fm check -c bad.ini
has "bad language" err "bad.ini:3: [output x] language: expected a language tag like en, fr or pt-BR"

done_tests
