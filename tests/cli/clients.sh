#!/bin/sh
# clients.sh BIN TESTS_DIR - real clients read what `feedmerge run` writes.
#
# A fixture run (tests/data/clients: four file:// feeds in RSS, Atom, JSON
# Feed and windows-1252 RSS; one story carried by three outlets, HTML with
# entities and a script, non-ASCII titles, an item without a link, one
# without a title, an enclosure) writes Atom, RSS 2.0 and JSON Feed, and:
#   - xmllint validates the Atom files against tests/data/atom.rng, our
#     RELAX NG rendering of RFC 4287, which must also reject hand-made
#     invalid documents and accept valid ones; Python checks the RFC's
#     rules a grammar cannot express;
#   - newsboat reloads the Atom and the RSS file (file:// URLs, its own
#     HOME, config and cache, no terminal, no network) and its cache holds
#     the JSON Feed's items, titles, links and dates;
#   - python3-feedparser reads all three without bozo, with the same
#     entries in the same order, members as related links, <source>, dates;
#   - the JSON Feed 1.1 and RSS 2.0 rules hold.
# The checks live in clients-check.py; each is also shown failing on a
# damaged copy, so a check that cannot fail does not pass unnoticed.
# Needs the Debian packages libxml2-utils, newsboat and python3-feedparser:
# without them the test fails and names them.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
tests=$(cd "$2" && pwd)
fix=$tests/data/clients
rng=$tests/data/atom.rng
cd "$tmp" || exit 1

missing=""
command -v xmllint >/dev/null 2>&1 || missing="$missing libxml2-utils (xmllint)"
command -v newsboat >/dev/null 2>&1 || missing="$missing newsboat"
command -v timeout >/dev/null 2>&1 || missing="$missing coreutils (timeout)"
"$py" -c 'import feedparser' 2>/dev/null || missing="$missing python3-feedparser"
"$py" -c 'import sqlite3' 2>/dev/null || missing="$missing python3 (sqlite3 module)"
if [ -n "$missing" ]; then
	echo "FAIL: clients.sh needs the Debian packages:$missing (tools/deps --test installs them)"
	exit 1
fi

# check NAME ARGS...: clients-check.py ARGS must find no problem.
check() {
	name=$1
	shift
	"$py" "$tests/cli/clients-check.py" "$@" >"$tmp/check.txt" 2>&1
	is "$name" "$(cat "$tmp/check.txt")" ""
}

# check_fails NAME TEXT ARGS...: clients-check.py ARGS must report TEXT.
check_fails() {
	name=$1
	text=$2
	shift 2
	"$py" "$tests/cli/clients-check.py" "$@" >"$tmp/check.txt" 2>&1
	has "$name" "$tmp/check.txt" "$text"
}

# The feeds, as file:// URLs in the scratch folder.
mkdir feeds
cp "$fix"/wire.rss "$fix"/courier.atom "$fix"/metro.json "$fix"/ledger.rss feeds/
u=file://$tmp/feeds
cat >feeds.ini <<EOF
[feedmerge]
state = state/feeds.db

[dedup]
; the fixtures are dated April 2025
window = 3650d

[output atom]
path = merged/merged.atom
format = atom
title = Merged: Wire & Co — Ünïcode

[output rss]
path = merged/merged.rss
format = rss
title = Merged: Wire & Co — Ünïcode
link = https://merged.example/?a=1&b=2

[output json]
path = merged/merged.json
format = json
title = Merged: Wire & Co — Ünïcode

[output rss-nolink]
path = merged/nolink.rss
format = rss

[feed wire]
url = $u/wire.rss
priority = 2

[feed courier]
url = $u/courier.atom

[feed metro]
url = $u/metro.json

[feed ledger]
url = $u/ledger.rss
EOF
# The same outputs with no entries at all: a feed with an empty channel.
printf '<rss version="2.0"><channel><title>Nothing</title><link>https://nothing.example/</link><description>d</description></channel></rss>\n' >feeds/nothing.rss
cat >empty.ini <<EOF
[feedmerge]
state = state/empty.db

[output empty-atom]
path = merged/empty.atom
format = atom
title = Empty

[output empty-rss]
path = merged/empty.rss
format = rss
title = Empty

[output empty-json]
path = merged/empty.json
format = json
title = Empty

[feed nothing]
url = $u/nothing.rss
EOF
# Odd values (tests/data/clients/odd.rss) in outputs of their own.
cp "$fix"/odd.rss feeds/
cat >odd.ini <<EOF
[feedmerge]
state = state/odd.db

[dedup]
window = 36500d

[output odd-atom]
path = merged/odd.atom
format = atom
title = Odd

[output odd-rss]
path = merged/odd.rss
format = rss
title = Odd

[output odd-json]
path = merged/odd.json
format = json
title = Odd

[feed odd]
url = $u/odd.rss
EOF
feedmap="wire=$u/wire.rss courier=$u/courier.atom metro=$u/metro.json ledger=$u/ledger.rss"
fm run -c feeds.ini
is "run" "$st" 0
has "all feeds read" out "4 fetched, 0 not modified, 0 failed"
fm run -c empty.ini
is "run without items" "$st" 0
fm run -c odd.ini
is "run with odd values" "$st" 0

# The fixture holds what the checks are meant to see.
is "entries" "$(json merged/merged.json 'len(d["items"])')" 8
is "one story carried by three outlets, the wire first" \
	"$(json merged/merged.json '[[m["feed"] for m in i["_feedmerge"]["members"]] for i in d["items"] if len(i["_feedmerge"]["members"]) > 1]')" \
	"[['wire', 'courier', 'metro']]"
is "an entry without a link" "$(json merged/merged.json 'sum("url" not in i for i in d["items"])')" 1
is "an entry without a title" "$(json merged/merged.json 'sum("title" not in i for i in d["items"])')" 1
is "non-ASCII titles" "$(json merged/merged.json 'sum(max(map(ord, i.get("title", "-"))) > 0x3000 for i in d["items"])')" 2
is "empty outputs" "$(json merged/empty.json 'len(d["items"])')" 0

# --- RELAX NG: the schema accepts valid Atom and rejects invalid Atom.
for f in merged/merged.atom merged/empty.atom merged/odd.atom "$fix"/atom/valid-*.atom "$fix"/atom/rules-*.atom; do
	xmllint --nonet --noout --relaxng "$rng" "$f" >xmllint.out 2>&1
	is "atom.rng accepts $(basename "$f")" "$?" 0
	[ -s xmllint.out ] && grep -v ' validates$' xmllint.out | sed 's/^/  | /'
done
# invalid-NAME.atom -> what xmllint must say about it (empty: only that it fails).
for f in "$fix"/atom/invalid-*.atom; do
	xmllint --nonet --noout --relaxng "$rng" "$f" >xmllint.out 2>&1
	is "atom.rng rejects $(basename "$f")" "$?" 3
	case $(basename "$f") in
	invalid-date-*) want="datatype dateTime" ;;
	invalid-link-length.atom) want="Invalid attribute length" ;;
	invalid-unknown-attribute.atom) want="Invalid attribute target" ;;
	invalid-text-type.atom) want="Invalid attribute type" ;;
	invalid-html-markup.atom) want="extra content: b" ;;
	invalid-unknown-element.atom) want="extra content: abstract" ;;
	invalid-entry-no-title.atom) want="Expecting an element title" ;;
	invalid-person-no-name.atom) want="Expecting an element name" ;;
	*) want=" fails to validate" ;;
	esac
	has "xmllint's reason for $(basename "$f")" xmllint.out "$want"
done
# Our own output, damaged: an entry without atom:id, a link without href.
sed '0,/^    <id>/{/^    <id>/d}' merged/merged.atom >bad-noid.atom
sed '0,/<link rel="alternate" href="[^"]*"/s//<link rel="alternate"/' merged/merged.atom >bad-nohref.atom
for f in bad-noid.atom bad-nohref.atom; do
	cmp -s "$f" merged/merged.atom && echo "FAIL: $f is not damaged"
	xmllint --nonet --noout --relaxng "$rng" "$f" >/dev/null 2>&1
	is "atom.rng rejects our output as $f" "$?" 3
done

# --- RFC 4287 rules RELAX NG cannot express.
check "Atom rules hold in our output" atom-rules merged/merged.atom merged/empty.atom merged/odd.atom
check "Atom rules hold in the valid samples" atom-rules "$fix"/atom/valid-*.atom
check_fails "rule: an author somewhere" "no author, and neither its source nor the feed has one" \
	atom-rules "$fix/atom/rules-no-author.atom"
check_fails "rule: one alternate link per type and hreflang" "two alternate links" \
	atom-rules "$fix/atom/rules-two-alternates.atom"
check_fails "rule: content or an alternate link" "no content and no alternate link" \
	atom-rules "$fix/atom/rules-no-content-no-alternate.atom"
check_fails "rule: a summary for out-of-line content" "without a summary" \
	atom-rules "$fix/atom/rules-src-no-summary.atom"
check_fails "rule: copies of an entry differ in updated" "same id and updated" \
	atom-rules "$fix/atom/rules-duplicate-id.atom"
sed '0,/^    <author>/s//    <contributor>/;0,/^    <\/author>/s//    <\/contributor>/' merged/merged.atom >bad-noauthor.atom
check_fails "rule broken in our output: an entry without author" "no author" atom-rules bad-noauthor.atom

# --- RSS 2.0 and JSON Feed 1.1 rules.
check "RSS 2.0 basics" rss merged/merged.rss
check "RSS 2.0 basics without a configured link" rss merged/nolink.rss
check "RSS 2.0 basics, no items" rss merged/empty.rss
check "RSS 2.0 basics, odd values" rss merged/odd.rss
has "the channel link is the output's id" merged/nolink.rss "<link>urn:feedmerge:output:rss-nolink</link>"
sed 's|<link>https://merged.example/?a=1&amp;b=2</link>||; 0,/ isPermaLink="false"/s///; 0,/<pubDate>[^<]*</s//<pubDate>2025-04-12T06:10:00Z</' \
	merged/merged.rss >bad.rss
check_fails "RSS check: channel link" "channel: no link" rss bad.rss
check_fails "RSS check: guid" 'guid without isPermaLink="false"' rss bad.rss
check_fails "RSS check: pubDate" "does not parse with email.utils" rss bad.rss
check "JSON Feed 1.1" jsonfeed merged/merged.json
check "JSON Feed 1.1, no items" jsonfeed merged/empty.json
check "JSON Feed 1.1, odd values" jsonfeed merged/odd.json
has "a link with spaces percent-encoded" merged/odd.atom 'href="https://odd.example/a%20b/%7Bx%7D%7Cy%5Ez%60%22q%22?p=50%25&amp;r=100%25"'
hasnt "no e-mail that is no address" merged/odd.atom "<email>a@b@c</email>"
"$py" - merged/merged.json bad.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
d["items"][0]["date_published"] = "2025-04-12 06:10"
del d["items"][1]["content_html"]
d["items"][2]["_feedmerge"]["members"][0]["url"] = "https://elsewhere.example/"
d["items"][3]["url"] = "https://wire.example/a b"
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"))
PY
check_fails "JSON check: dates" "is not RFC 3339" jsonfeed bad.json
check_fails "JSON check: content" "neither content_html nor content_text" jsonfeed bad.json
check_fails "JSON check: representative" "url/title are not the representative's" jsonfeed bad.json
check_fails "JSON check: URLs" "url 'https://wire.example/a b' is no URL" jsonfeed bad.json

# --- python3-feedparser reads all three alike.
# shellcheck disable=SC2086
check "feedparser: Atom, RSS and JSON Feed agree" feedparser merged/merged.atom merged/merged.rss merged/merged.json $feedmap
# shellcheck disable=SC2086
check "feedparser: empty outputs" feedparser merged/empty.atom merged/empty.rss merged/empty.json $feedmap
# shellcheck disable=SC2086
check "feedparser: odd values" feedparser merged/odd.atom merged/odd.rss merged/odd.json odd=$u/odd.rss
# A related link gone, a title changed: the comparison notices.
sed '0,/<atom:link rel="related"[^>]*>/s///; s|<title>Brief: markets close higher</title>|<title>Brief</title>|' \
	merged/merged.rss >bad2.rss
# shellcheck disable=SC2086
check_fails "feedparser check: related links" "related links [('https://metro.example/" feedparser merged/merged.atom bad2.rss merged/merged.json $feedmap
# shellcheck disable=SC2086
check_fails "feedparser check: titles" "title 'Brief', want 'Brief: markets close higher'" \
	feedparser merged/merged.atom bad2.rss merged/merged.json $feedmap

# --- newsboat: each file on its own (newsboat keys items by guid across
# feeds, and the Atom and RSS files share the cluster ids).
# newsboat_reload NAME FILE: newsboat reloads file://FILE into nb-NAME/cache.db; status in $st.
newsboat_reload() {
	d=$tmp/nb-$1
	mkdir -p "$d/home"
	printf 'file://%s\n' "$2" >"$d/urls"
	# Any network request would go to a closed local port, not out.
	printf 'use-proxy yes\nproxy 127.0.0.1:9\nproxy-type http\ndownload-timeout 5\ndownload-retries 1\n' >"$d/config"
	(
		cd "$d" &&
			HOME=$d/home XDG_CONFIG_HOME=$d/home/.config XDG_DATA_HOME=$d/home/.local/share \
				TERM=dumb http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
				all_proxy=http://127.0.0.1:9 no_proxy='' \
				timeout 60 newsboat -u urls -c cache.db -C config -x reload print-unread \
				</dev/null >out 2>err
	)
	st=$?
}
for f in merged.atom merged.rss; do
	newsboat_reload "$f" "$tmp/merged/$f"
	is "newsboat reloads $f" "$st" 0
	[ "$st" = 0 ] || sed 's/^/  newsboat| /' "$tmp/nb-$f/out" "$tmp/nb-$f/err"
	has "newsboat counts $f" "$tmp/nb-$f/out" "8 unread articles"
	check "newsboat stored $f as the JSON Feed has it" newsboat "$tmp/nb-$f/cache.db" "file://$tmp/merged/$f" merged/merged.json
done
# The newsboat check can fail: an entry fewer in the JSON Feed, another title.
"$py" - merged/merged.json bad3.json <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
d["items"].pop()
d["items"][0]["title"] = "Something else"
json.dump(d, open(sys.argv[2], "w", encoding="utf-8"))
PY
check_fails "newsboat check: count" "newsboat stored 8 items, the JSON Feed has 7" \
	newsboat "$tmp/nb-merged.rss/cache.db" "file://$tmp/merged/merged.rss" bad3.json
check_fails "newsboat check: titles" "JSON Feed 'Something else'" \
	newsboat "$tmp/nb-merged.rss/cache.db" "file://$tmp/merged/merged.rss" bad3.json

done_tests
