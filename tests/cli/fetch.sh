#!/bin/sh
# fetch.sh BIN TESTS_DIR - `feedmerge run` against a real HTTP server on
# 127.0.0.1: validators and 304s, compression, errors, 410, Retry-After,
# permanent redirects, hostile servers, per-host limits.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"

mkdir -p "$tmp/root"
rss "Alpha" 3 >"$tmp/root/a.rss"
rss "Beta" 2 >"$tmp/root/b.rss"
printf '<!DOCTYPE html><html><head><title>Oops</title></head><body>Not here</body></html>\n' >"$tmp/root/page.html"
srv_start "$tmp/root"
cd "$tmp"

# --- Validators: stored from the first fetch, sent back verbatim, 304 costs no parse.
config "$(feed a "$base/feed/a.rss")"
fm run -c feeds.ini -v
is "first run" "$st" 0
has "-v: status, items, new" err "feedmerge: feed a: HTTP 200, 3 items, 3 new"
has "first run summary" out "1 fetched, 0 not modified, 0 failed"
has "first run items" out "3 new items"
etag=$(curl -s -D - -o /dev/null "$base/feed/a.rss" | sed -n 's/^[Ee][Tt]ag: *//p' | tr -d '\r')
lm=$(curl -s -D - -o /dev/null "$base/feed/a.rss" | sed -n 's/^[Ll]ast-[Mm]odified: *//p' | tr -d '\r')
fm run -c feeds.ini
has "not due" out "0 fetched, 0 not modified, 0 failed, 1 skipped"
fm run -c feeds.ini --force -v
has "304" out "0 fetched, 1 not modified, 0 failed"
has "-v: one line per feed" err "feedmerge: feed a: not modified"
is "If-None-Match verbatim" "$(last_request /feed/a.rss if_none_match)" "$etag"
is "If-Modified-Since verbatim" "$(last_request /feed/a.rss if_modified_since)" "$lm"
is "User-Agent names feedmerge" "$(last_request /feed/a.rss user_agent | cut -d/ -f1)" "feedmerge"
sleep 1.1 # a new mtime second, so Last-Modified changes too
rss "Alpha" 5 >"$tmp/root/a.rss"
fm run -c feeds.ini --force
has "changed feed fetched" out "1 fetched, 0 not modified"
has "changed feed new items" out "2 new items"
fm status -c feeds.ini
has "status line" out "200"

# --- Compression: gzip, deflate and brotli bodies are decoded.
rm -f state.db*
config "$(feed gz "$base/gzip/a.rss")" "$(feed br "$base/br/b.rss")" "$(feed df "$base/deflate/b.rss")"
fm run -c feeds.ini
is "compressed feeds" "$st" 0
has "compressed feeds" out "3 fetched, 0 not modified, 0 failed"
has "compressed items" out "9 new items"
case $(last_request /gzip/a.rss accept_encoding) in
*gzip*br*|*br*gzip*) is "Accept-Encoding" ok ok ;;
*) is "Accept-Encoding offers gzip and br" "$(last_request /gzip/a.rss accept_encoding)" "gzip, br..." ;;
esac

# --- Errors are per feed: the good feed is kept, the run says which failed and exits 1.
rm -f state.db*
config "$(feed good "$base/feed/a.rss")" "$(feed missing "$base/status/404")" \
	"$(feed html "$base/type/text/html/page.html")" "$(feed wrongtype "$base/type/text/html/b.rss")"
fm run -c feeds.ini
is "some failed" "$st" 1
has "404 named" err "feed missing: $base/status/404: HTTP 404"
has "HTML page named" err "feed html:"
has "HTML page is not a feed" err "not a feed"
has "good and wrong Content-Type kept" out "2 fetched, 0 not modified, 2 failed"
has "output written anyway" out "1 of 1 outputs written"
test -s merged/all.atom
is "output file exists" $? 0

# --- 410 Gone: never polled again, even with --force; status says so.
rm -f state.db*
config "$(feed gone "$base/status/410")"
fm run -c feeds.ini
is "410 fails" "$st" 1
n=$(requests /status/410)
fm run -c feeds.ini --force
is "410 not polled again" "$(requests /status/410)" "$n"
fm status -c feeds.ini
has "status says gone" out "gone (410)"
fm check -c feeds.ini
has "check says gone" out "gone (HTTP 410); remove it or set enabled = no"

# --- 429 and 503 with Retry-After (seconds and HTTP date): even --force waits.
rm -f state.db*
config "$(feed busy "$base/status/429?retry_after=3600")" \
	"$(feed down "$base/status/503?retry_after=Fri,%2031%20Dec%202100%2023:59:59%20GMT")"
fm run -c feeds.ini
n429=$(requests /status/429)
n503=$(requests /status/503)
fm run -c feeds.ini --force
is "429 Retry-After honoured" "$(requests /status/429)" "$n429"
is "503 Retry-After honoured" "$(requests /status/503)" "$n503"
has "skipped while Retry-After" out "2 skipped"
fm status -c feeds.ini
has "status shows Retry-After" out "Retry-After until"

# --- Permanent redirects: followed, and used directly after 3 fetches in a row.
rm -f state.db*
config "$(feed moved "$base/redirect/301/1/a.rss")" "$(feed moved2 "$base/redirect/308/2/b.rss")" \
	"$(feed temp "$base/redirect/302/1/b.rss")"
fm run -c feeds.ini
has "redirects followed" out "3 fetched"
fm status -c feeds.ini
has "301 pending" out "permanent redirect to $base/feed/a.rss seen 1 of 3"
has "308 chain pending" out "permanent redirect to $base/feed/b.rss seen 1 of 3"
hasnt "302 is not permanent" out "[feed temp]"
fm run -c feeds.ini --force
fm run -c feeds.ini --force
fm status -c feeds.ini
has "301 in use" out "moved permanently to $base/feed/a.rss (in use): edit url in [feed moved]"
fm check -c feeds.ini
has "check says which url to edit" out "# edit: feed moved (line "
has "check names the new url" out "moved permanently; set url = $base/feed/a.rss"
n=$(requests /redirect/301/1/a.rss)
fm run -c feeds.ini --force
is "adopted target fetched directly" "$(requests /redirect/301/1/a.rss)" "$n"
has "adopted target fetched" out "0 failed"
grep -q 'moved permanently' feeds.ini
is "the INI file is never rewritten" $? 1

# --- An adopted target that moves again: the new move is seen afresh, and
# the run still reports the URL it fetched (that string used to be freed
# when the new target replaced it; ASan builds caught the read).
rm -f state.db*
config "$(feed again "$base/redirect-to/301?to=/moved/a.rss")"
fm run -c feeds.ini
fm run -c feeds.ini --force
fm run -c feeds.ini --force
fm status -c feeds.ini
has "first move in use" out "moved permanently to $base/moved/a.rss (in use)"
# The new target is a feed that parses with a warning, so the run reports a URL.
printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>C</title>\n<item><title>one & two</title><link>http://example.com/c1</link></item>\n</channel></rss>\n' >"$tmp/root/c.rss"
echo /feed/c.rss >"$tmp/root/a.rss.location"
fm run -c feeds.ini --force
is "the moved target moves again" "$st" 0
has "moved again: the warning names the adopted URL it fetched" err "feed again: warning: $base/moved/a.rss: recovered: "
fm status -c feeds.ini
has "the second move counts from 1" out "permanent redirect to $base/feed/c.rss seen 1 of 3"
fm run -c feeds.ini --force
fm run -c feeds.ini --force
fm status -c feeds.ini
has "second move in use" out "moved permanently to $base/feed/c.rss (in use)"
rm -f "$tmp/root/a.rss.location" "$tmp/root/c.rss"

# --- Hostile servers: loops, bombs, huge bodies, hangs, trickles, truncation.
rm -f state.db*
timeout=3s max_feed_size=1M config "$(feed loop "$base/loop/301")" "$(feed bomb "$base/bomb/256M")" \
	"$(feed big "$base/big/5M")" "$(feed hang "$base/hang")" \
	"$(feed trickle "$base/trickle/a.rss?delay=1")" "$(feed cut "$base/truncated/a.rss")" \
	"$(feed fine "$base/feed/b.rss")"
start=$(date +%s)
fm run -c feeds.ini
end=$(date +%s)
is "hostile: the run ends, the good feed is kept" "$st" 1
has "hostile: good feed" out "1 fetched, 0 not modified, 6 failed"
has "redirect loop" err "feed loop:"
has "redirect loop bounded" err "edirects"
has "gzip bomb capped" err "feed bomb: $base/bomb/256M: body larger than max_feed_size (1M)"
has "big body capped" err "feed big: $base/big/5M: body larger than max_feed_size (1M)"
has "hang times out" err "feed hang:"
has "trickle dropped" err "feed trickle:"
has "truncated body" err "feed cut:"
is "hostile run bounded by the timeout" "$([ $((end - start)) -le 8 ] && echo yes || echo "$((end - start)) s")" yes

# --- 200 feeds on two host names: per_host is never exceeded, concurrency is used.
rm -f state.db*
i=1
sections=""
while [ $i -le 200 ]; do
	host=127.0.0.1
	[ $((i % 2)) = 0 ] && host=localhost
	sections="$sections$(feed "f$i" "http://$host:$port/slow/50/b.rss?i=$i")

"
	i=$((i + 1))
done
curl -s "$base/_reset" >/dev/null
per_host=3 concurrency=8 config "$sections"
fm run -c feeds.ini
has "200 feeds" out "200 fetched, 0 not modified, 0 failed"
is "per_host 127.0.0.1" "$(stats 'd["per_host_max"].get("127.0.0.1")')" 3
is "per_host localhost" "$(stats 'd["per_host_max"].get("localhost")')" 3

done_tests
