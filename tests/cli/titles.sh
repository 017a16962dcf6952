#!/bin/sh
# titles.sh BIN TESTS_DIR - a title with markup reaches the Atom output as
# type="html" (escaped), plain titles stay text, and the RSS, JSON and HTML
# writers write the title's text; clustering works on the text. `parse`
# keeps a plain title's inner white space as written; the outputs make it
# one line.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
cd "$tmp"
now=$(date -u '+%Y-%m-%dT%H:%M:%SZ')

cat >marked.atom <<EOF
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://marked.example/">
<title>Marked</title><id>urn:marked</id><updated>$now</updated>
<entry><id>urn:m1</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; move &amp;amp; &lt;a href="more"&gt;more&lt;/a&gt;</title>
<link href="https://marked.example/1"/><updated>$now</updated><summary>One</summary></entry>
<entry><id>urn:m2</id><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">An <i>italic</i> turn</div></title>
<link href="https://marked.example/2"/><updated>$now</updated><summary>Two</summary></entry>
<entry><id>urn:m3</id><title type="html">Fish &amp;amp; chips</title>
<link href="https://marked.example/3"/><updated>$now</updated><summary>Three</summary></entry>
<entry><id>urn:m4</id><title type="html">Q&amp;A: &lt;b&gt;why&lt;/b&gt;</title>
<link href="https://marked.example/4"/><updated>$now</updated><summary>Four</summary></entry>
<entry><id>urn:m5</id><title>  Two  spaces and
	a new line  </title>
<link href="https://marked.example/5"/><updated>$now</updated><summary>Five</summary></entry>
</feed>
EOF

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

[output h]
path = merged/all.html
format = html
title = All

[feed marked]
url = file:marked.atom
EOF
"$bin" parse --json marked.atom >parsed.json
is "parse: a plain title as written, trimmed" "$(json parsed.json 'd["items"][4]["title"]')" \
	"$(printf 'Two  spaces and\n\ta new line')"

fm run -c feeds.ini
is "run" "$st" 0
has "five new items" out "5 new items"
has "Atom: a plain title on one line" merged/all.atom '<title>Two spaces and a new line</title>'
is "JSON: a plain title on one line" "$(json merged/all.json '[i["title"] for i in d["items"] if i["title"].startswith("Two")]')" \
	"['Two spaces and a new line']"

# The Atom writer: the feed's HTML as type="html", links in it made absolute.
has "Atom: html title kept" merged/all.atom \
	'<title type="html">&lt;b&gt;Bold&lt;/b&gt; move &amp;amp; &lt;a href="https://marked.example/more"&gt;more&lt;/a&gt;</title>'
has "Atom: xhtml title as html" merged/all.atom '<title type="html">An &lt;i&gt;italic&lt;/i&gt; turn</title>'
has "Atom: no markup, plain text" merged/all.atom '<title>Fish &amp; chips</title>'
has "Atom: a bare & in the HTML is a reference" merged/all.atom '<title type="html">Q&amp;amp;A: &lt;b&gt;why&lt;/b&gt;</title>'

# The others write the text.
is "JSON: text titles" "$(json merged/all.json 'sorted(i["title"] for i in d["items"])')" \
	"['An italic turn', 'Bold move & more', 'Fish & chips', 'Q&A: why', 'Two spaces and a new line']"
has "RSS: text title" merged/all.rss '<title>Bold move &amp; more</title>'
hasnt "RSS: no markup" merged/all.rss '&lt;b&gt;'
has "HTML river: text title" merged/all.html 'Bold move &amp; more'
hasnt "HTML river: no markup" merged/all.html '&lt;b&gt;'

# A real client reads the Atom title as HTML.
"$py" - merged/all.atom >fp.txt 2>&1 <<'EOF'
import sys, feedparser
d = feedparser.parse(sys.argv[1])
for e in sorted(d.entries, key=lambda e: e.title):
    print(e.title_detail.type, e.title)
print("bozo=%d" % d.bozo)
EOF
if "$py" -c 'import feedparser' 2>/dev/null; then
	has "feedparser: html title" fp.txt 'text/html <b>Bold</b> move &amp; <a href="https://marked.example/more">more</a>'
	has "feedparser: plain title" fp.txt 'text/plain Fish & chips'
	has "feedparser: bare & read back" fp.txt 'text/html Q&amp;A: <b>why</b>'
	has "feedparser: well-formed" fp.txt 'bozo=0'
fi

# The markup goes: the title is text again, and the state says so.
sed -i 's|&lt;b&gt;Bold&lt;/b&gt; move &amp;amp; &lt;a href="more"&gt;more&lt;/a&gt;|Bold move \&amp;amp; more|' marked.atom
fm run -c feeds.ini --force
has "changed" out "0 new items, 1 changed"
has "Atom: text once the markup is gone" merged/all.atom '<title>Bold move &amp; more</title>'
is "state: html kept only where there is markup" "$("$py" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from items where title_html is not null").fetchone()[0])' state/feeds.db)" 2

done_tests
