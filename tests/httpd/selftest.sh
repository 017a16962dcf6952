#!/bin/sh
# Self-test of tests/httpd/feedserver.py: starts it on 127.0.0.1 (ephemeral
# port), exercises every route with the curl CLI, asserts, stops it.
# Prints "ok N - ..." / "not ok N - ..." lines (TAP) and "N passed, N failed";
# exits non-zero on any failure. Takes about 15 s. No arguments.
# FEEDSERVER_PYTHON overrides the interpreter (default /usr/bin/python3).
set -u

here=$(cd "$(dirname "$0")" && pwd)
server="$here/feedserver.py"
py=${FEEDSERVER_PYTHON:-/usr/bin/python3}

for tool in curl "$py"; do
	command -v "$tool" >/dev/null 2>&1 || { echo "Bail out! $tool not found"; exit 1; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/feedserver-selftest.XXXXXX") || exit 1
pid=""
pid2=""
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	[ -n "$pid2" ] && kill "$pid2" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0
failed=0
start=$(date +%s)
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ $# -gt 1 ] && echo "#   $2"; }
# check DESC GOT WANT
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else notok "$1" "got [$2], want [$3]"; fi
}
# expect DESC COMMAND...: ok when COMMAND succeeds
expect() {
	d=$1
	shift
	if "$@"; then ok "$d"; else notok "$d"; fi
}
# between N LO HI
between() { [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }
# differ FILE1 FILE2: the files differ
differ() { ! cmp -s "$1" "$2"; }
# hdr FILE NAME: value of the last NAME header in a curl -D dump
hdr() {
	grep -i "^$2:" "$1" | tail -n 1 | cut -d: -f2- | sed 's/^ *//; s/\r$//'
}
# json FILE EXPR: evaluate a Python expression on the parsed JSON d
json() {
	"$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

root="$tmp/root"
mkdir -p "$root/sub"
cat >"$root/a.rss" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Feed A</title><link>http://example.invalid/</link>
<description>self-test feed</description>
<item><title>One</title><guid>a-1</guid><description>first item of feed A, long enough to compress</description></item>
<item><title>Two</title><guid>a-2</guid><description>second item of feed A, long enough to compress</description></item>
</channel></rss>
EOF
cat >"$root/sub/b.atom" <<'EOF'
<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Feed B</title><id>urn:b</id>
<updated>2024-01-01T00:00:00Z</updated></feed>
EOF
printf '{"version":"https://jsonfeed.org/version/1.1","title":"C","items":[]}\n' >"$root/c.json"
printf 'plain\n' >"$root/d.txt"

"$py" "$server" --root "$root" --port 0 --portfile "$tmp/port" --log "$tmp/log" \
	>"$tmp/stdout" 2>"$tmp/stderr" &
pid=$!
i=0
while [ ! -s "$tmp/port" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "Bail out! server did not write its port file within 10 s"
		cat "$tmp/stderr"
		exit 1
	fi
	sleep 0.1
done
port=$(cat "$tmp/port")
u="http://127.0.0.1:$port"
ul="http://localhost:$port"
C="curl -s --max-time 10"

case $port in
'' | *[!0-9]*) notok "port file holds a port number" "[$port]" ;;
*) ok "port file holds a port number ($port)" ;;
esac
check "stdout's first line is the port" "$(head -n 1 "$tmp/stdout")" "$port"
if command -v ss >/dev/null 2>&1; then
	check "listens on 127.0.0.1 only" "$(ss -Hltn "sport = :$port" | awk '{print $4}' | sort -u)" "127.0.0.1:$port"
fi

# --- /feed: validators and conditional GET ---------------------------------
code=$($C -D "$tmp/h" -o "$tmp/b" -w '%{http_code}' "$u/feed/a.rss")
etag=$(hdr "$tmp/h" ETag)
lm=$(hdr "$tmp/h" Last-Modified)
check "/feed 200" "$code" 200
case $etag in
'"'*'"') ok "/feed has a quoted ETag ($etag)" ;;
*) notok "/feed has a quoted ETag" "[$etag]" ;;
esac
case $lm in
???,\ ??\ ???\ ????\ ??:??:??\ GMT) ok "/feed Last-Modified is an IMF-fixdate ($lm)" ;;
*) notok "/feed Last-Modified is an IMF-fixdate" "[$lm]" ;;
esac
expect "/feed body is the file" cmp -s "$tmp/b" "$root/a.rss"
check "/feed .rss Content-Type" "$(hdr "$tmp/h" Content-Type)" "application/rss+xml"
check "/feed Content-Length" "$(hdr "$tmp/h" Content-Length)" "$(wc -c <"$root/a.rss" | tr -d ' ')"

check "If-None-Match: ETag -> 304" "$($C -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$u/feed/a.rss")" 304
check "If-None-Match list -> 304" "$($C -o /dev/null -w '%{http_code}' -H "If-None-Match: \"nope\", $etag" "$u/feed/a.rss")" 304
check "If-None-Match: * -> 304" "$($C -o /dev/null -w '%{http_code}' -H 'If-None-Match: *' "$u/feed/a.rss")" 304
check "If-None-Match other -> 200" "$($C -o /dev/null -w '%{http_code}' -H 'If-None-Match: "other"' "$u/feed/a.rss")" 200
check "If-None-Match W/ETag is not an exact match -> 200" "$($C -o /dev/null -w '%{http_code}' -H "If-None-Match: W/$etag" "$u/feed/a.rss")" 200
check "If-Modified-Since: Last-Modified -> 304" "$($C -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $lm" "$u/feed/a.rss")" 304
check "If-Modified-Since in 2001 -> 200" "$($C -o /dev/null -w '%{http_code}' -H 'If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT' "$u/feed/a.rss")" 200
check "If-None-Match wins over If-Modified-Since" "$($C -o /dev/null -w '%{http_code}' -H 'If-None-Match: "other"' -H "If-Modified-Since: $lm" "$u/feed/a.rss")" 200
check "304 has no body" "$($C -o /dev/null -w '%{size_download}' -H "If-None-Match: $etag" "$u/feed/a.rss")" 0

# the test rewrites the file: new content, new ETag; mtime moved 10 s ahead
printf '<?xml version="1.0"?><rss version="2.0"><channel><title>A v2</title></channel></rss>\n' >"$root/a.rss"
"$py" -c 'import os,sys,time; t=time.time()+10; os.utime(sys.argv[1], (t, t))' "$root/a.rss"
code=$($C -D "$tmp/h" -o "$tmp/b" -w '%{http_code}' -H "If-None-Match: $etag" "$u/feed/a.rss")
check "after rewrite, old ETag -> 200" "$code" 200
expect "after rewrite, body is the new file" cmp -s "$tmp/b" "$root/a.rss"
etag2=$(hdr "$tmp/h" ETag)
expect "after rewrite, ETag changed ($etag -> $etag2)" [ "${etag2:-$etag}" != "$etag" ]
check "after rewrite, old Last-Modified -> 200" "$($C -o /dev/null -w '%{http_code}' -H "If-Modified-Since: $lm" "$u/feed/a.rss")" 200
check "after rewrite, new ETag -> 304" "$($C -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag2" "$u/feed/a.rss")" 304

check "HEAD /feed: 200, no body" "$($C -I -o /dev/null -w '%{http_code} %{size_download}' "$u/feed/a.rss")" "200 0"
check ".atom in a subdir: Content-Type" "$($C -o /dev/null -w '%{content_type}' "$u/feed/sub/b.atom")" "application/atom+xml"
check ".json Content-Type" "$($C -o /dev/null -w '%{content_type}' "$u/feed/c.json")" "application/feed+json"
check "other extension: octet-stream" "$($C -o /dev/null -w '%{content_type}' "$u/feed/d.txt")" "application/octet-stream"
check "missing file -> 404" "$($C -o /dev/null -w '%{http_code}' "$u/feed/nope.rss")" 404
check "unknown route -> 404" "$($C -o /dev/null -w '%{http_code}' "$u/nosuchroute/a.rss")" 404
check "'..' -> 400" "$($C --path-as-is -o /dev/null -w '%{http_code}' "$u/feed/../selftest.sh")" 400
check "'%2e%2e' -> 400" "$($C --path-as-is -o /dev/null -w '%{http_code}' "$u/feed/sub/%2e%2e/%2e%2e/x")" 400
check "'..%2f' -> 400" "$($C --path-as-is -o /dev/null -w '%{http_code}' "$u/feed/..%2fx")" 400
check "'%2fetc%2fpasswd' stays under root -> 404" "$($C --path-as-is -o /dev/null -w '%{http_code}' "$u/feed/%2fetc%2fpasswd")" 404
ln -s /etc/passwd "$root/escape.rss"
check "symlink out of root -> 400" "$($C -o /dev/null -w '%{http_code}' "$u/feed/escape.rss")" 400

# --- /noval ------------------------------------------------------------------
$C -D "$tmp/h" -o "$tmp/b" -H "If-None-Match: $etag2" "$u/noval/a.rss"
check "/noval ignores If-None-Match -> 200" "$(head -n 1 "$tmp/h" | cut -d' ' -f2)" 200
check "/noval has no ETag or Last-Modified" "$(hdr "$tmp/h" ETag)$(hdr "$tmp/h" Last-Modified)" ""
expect "/noval body is the file" cmp -s "$tmp/b" "$root/a.rss"

# --- compression -------------------------------------------------------------
for enc in gzip deflate; do
	$C -D "$tmp/h" -o "$tmp/raw" "$u/$enc/a.rss"
	check "/$enc Content-Encoding" "$(hdr "$tmp/h" Content-Encoding)" "$enc"
	expect "/$enc raw body is encoded" differ "$tmp/raw" "$root/a.rss"
	$C --compressed -o "$tmp/b" "$u/$enc/a.rss"
	expect "/$enc decodes to the file" cmp -s "$tmp/b" "$root/a.rss"
done
check "/gzip encodes even without Accept-Encoding" "$($C -o /dev/null -w '%{http_code}' -D "$tmp/h" "$u/gzip/a.rss")$(hdr "$tmp/h" Content-Encoding)" "200gzip"
getag=$(hdr "$tmp/h" ETag)
check "/gzip has its own ETag, 304 with it" "$($C -o /dev/null -w '%{http_code}' -H "If-None-Match: $getag" "$u/gzip/a.rss")" 304
if curl -V | grep -qi brotli; then
	$C -D "$tmp/h" -o /dev/null "$u/br/a.rss"
	check "/br Content-Encoding" "$(hdr "$tmp/h" Content-Encoding)" br
	$C --compressed -o "$tmp/b" "$u/br/a.rss"
	expect "/br decodes to the file" cmp -s "$tmp/b" "$root/a.rss"
else
	ok "# SKIP /br decode: this curl has no brotli"
fi

# without the brotli module, /br answers 500 with a clear message; the rest works
FEEDSERVER_DISABLE_BROTLI=1 "$py" "$server" --root "$root" --portfile "$tmp/port2" \
	>/dev/null 2>"$tmp/stderr2" &
pid2=$!
i=0
while [ ! -s "$tmp/port2" ] && [ $i -lt 100 ]; do i=$((i + 1)); sleep 0.1; done
u2="http://127.0.0.1:$(cat "$tmp/port2")"
check "no brotli module: /br -> 500" "$($C -o "$tmp/b" -w '%{http_code}' "$u2/br/a.rss")" 500
expect "no brotli module: 500 body names python3-brotli" grep -q python3-brotli "$tmp/b"
check "no brotli module: /gzip still works" "$($C --compressed -o /dev/null -w '%{http_code}' "$u2/gzip/a.rss")" 200
kill "$pid2"
wait "$pid2"
check "second server exits 0 on SIGTERM" "$?" 0
pid2=""

# --- bomb and big ------------------------------------------------------------
$C -D "$tmp/h" -o /dev/null -w '%{http_code} %{size_download}\n' "$u/bomb/1G" >"$tmp/w"
read -r code csize <"$tmp/w"
check "/bomb/1G 200 gzip" "$code $(hdr "$tmp/h" Content-Encoding)" "200 gzip"
check "/bomb/1G Content-Length is the compressed size" "$(hdr "$tmp/h" Content-Length)" "$csize"
expect "/bomb/1G compressed size ~1/1000 ($csize bytes)" between "$csize" 500000 2000000
got=$(curl -s --compressed "$u/bomb/1G" 2>/dev/null | head -c 5000000 | wc -c | tr -d ' ')
check "/bomb/1G decodes past 5 MB (head)" "$got" 5000000
check "/bomb/16M decodes to exactly 16 MiB" "$(curl -s --compressed "$u/bomb/16M" | wc -c | tr -d ' ')" 16777216
check "/bomb decodes to an RSS prefix" "$(curl -s --compressed "$u/bomb/100" | head -c 5)" "<?xml"
check "/bomb?fill=zero ends in NULs" "$(curl -s --compressed "$u/bomb/1M?fill=zero" | tail -c 3 | od -An -tx1 | tr -d ' ')" 000000
check "/big/5M size" "$($C -o "$tmp/b" -w '%{http_code} %{size_download}' "$u/big/5M")" "200 5242880"
check "/big starts with an RSS prefix" "$(head -c 5 "$tmp/b")" "<?xml"
$C -o /dev/null --max-filesize 1000000 "$u/big/5M"
check "/big/5M --max-filesize 1000000 -> curl exit 63" "$?" 63
check "/big/1K?fill=zero" "$($C -o /dev/null -w '%{size_download}' "$u/big/1K?fill=zero")" 1024
check "/big/bad -> 400" "$($C -o /dev/null -w '%{http_code}' "$u/big/12X")" 400

# --- redirects -----------------------------------------------------------------
for rc in 301 302 307 308; do
	check "/redirect/$rc/3 -L: 3 redirects then the feed" \
		"$($C -L -o "$tmp/b" -w '%{http_code} %{num_redirects}' "$u/redirect/$rc/3/a.rss")" "200 3"
done
expect "redirect chain ends with the file" cmp -s "$tmp/b" "$root/a.rss"
$C -D "$tmp/h" -o /dev/null "$u/redirect/307/3/sub/b.atom"
check "/redirect first hop Location" "$(head -n 1 "$tmp/h" | cut -d' ' -f2) $(hdr "$tmp/h" Location)" "307 /redirect/307/2/sub/b.atom"
$C -D "$tmp/h" -o /dev/null "$u/redirect/302/1/a.rss"
check "/redirect last hop goes to /feed" "$(hdr "$tmp/h" Location)" "/feed/a.rss"
$C -L --max-redirs 5 -o /dev/null "$u/loop/302"
check "/loop/302 with --max-redirs 5 -> curl exit 47" "$?" 47
$C -D "$tmp/h" -o /dev/null "$u/loop/301"
check "/loop/301 redirects to itself" "$(hdr "$tmp/h" Location)" "/loop/301"
check "/redirect-to/302?to=/feed/c.json -L" \
	"$($C -L -o /dev/null -w '%{http_code} %{num_redirects} %{content_type}' "$u/redirect-to/302?to=/feed/c.json")" "200 1 application/feed+json"
check "/redirect-to to another loopback host name" \
	"$($C -L -o /dev/null -w '%{http_code} %{num_redirects}' "$u/redirect-to/301?to=$ul/feed/a.rss")" "200 1"
check "/redirect-to an outside host -> 400" "$($C -o /dev/null -w '%{http_code}' "$u/redirect-to/302?to=http://example.com/")" 400

# --- status ----------------------------------------------------------------------
for s in 404 410 500; do
	check "/status/$s" "$($C -o /dev/null -w '%{http_code} %{content_type}' "$u/status/$s")" "$s text/html; charset=utf-8"
done
$C -D "$tmp/h" -o /dev/null "$u/status/429?retry_after=120"
check "/status/429 Retry-After: 120" "$(head -n 1 "$tmp/h" | cut -d' ' -f2) $(hdr "$tmp/h" Retry-After)" "429 120"
$C -D "$tmp/h" -o /dev/null "$u/status/503?retry_after=Wed,%2021%20Oct%202015%2007:28:00%20GMT"
check "/status/503 Retry-After HTTP date verbatim" "$(hdr "$tmp/h" Retry-After)" "Wed, 21 Oct 2015 07:28:00 GMT"
$C -D "$tmp/h" -o /dev/null "$u/status/404"
check "no Retry-After unless asked" "$(hdr "$tmp/h" Retry-After)" ""

# --- hang, trickle, truncated (hang and trickle run side by side) -------------
(
	curl -s -m 2 -o /dev/null "$u/hang"
	echo $? >"$tmp/hang_rc"
) &
hp=$!
curl -s -m 3 -o "$tmp/trickle" "$u/trickle/a.rss?delay=0.5"
trickle_rc=$?
wait "$hp"
hang_rc=$(cat "$tmp/hang_rc")
check "/hang times out with curl -m 2 (exit 28)" "$hang_rc" 28
check "/trickle?delay=0.5 times out with curl -m 3 (exit 28)" "$trickle_rc" 28
tsize=$(wc -c <"$tmp/trickle" | tr -d ' ')
expect "/trickle sent a partial body ($tsize bytes in 3 s)" between "$tsize" 2 7
check "/trickle announces the full Content-Length" \
	"$($C -I -o /dev/null -w '%header{content-length}' "$u/trickle/a.rss")" \
	"$(wc -c <"$root/a.rss" | tr -d ' ')"
check "/trickle?delay=0 delivers the file" "$($C -o "$tmp/b" -w '%{http_code}' "$u/trickle/a.rss?delay=0")" 200
expect "/trickle?delay=0 body is the file" cmp -s "$tmp/b" "$root/a.rss"
$C -o "$tmp/b" "$u/truncated/a.rss"
check "/truncated -> curl exit 18" "$?" 18
check "/truncated sent half the file" "$(wc -c <"$tmp/b" | tr -d ' ')" "$(($(wc -c <"$root/a.rss") / 2))"

# --- type, slow ------------------------------------------------------------------
check "/type/text/html" "$($C -o /dev/null -w '%{content_type}' "$u/type/text/html/a.rss")" "text/html"
check "/type/text%2Fplain;%20charset=utf-8 (one segment)" \
	"$($C -o /dev/null -w '%{content_type}' "$u/type/text%2Fplain;%20charset=utf-8/sub/b.atom")" "text/plain; charset=utf-8"
$C -D "$tmp/h" -o "$tmp/b" "$u/type/-/a.rss"
check "/type/-/ sends no Content-Type" "$(hdr "$tmp/h" Content-Type)" ""
t=$($C -o /dev/null -w '%{http_code} %{time_total}' "$u/slow/300/a.rss")
case $t in
"200 0.3"* | "200 0.4"* | "200 0.5"*) ok "/slow/300 answers after ~300 ms ($t)" ;;
*) notok "/slow/300 answers after ~300 ms" "$t" ;;
esac

# --- keep-alive ------------------------------------------------------------------
check "keep-alive: second request reuses the connection" \
	"$($C -o /dev/null -o /dev/null -w '%{num_connects}\n' "$u/feed/a.rss" "$u/feed/c.json" | tr '\n' ' ')" "1 0 "
check "keep-alive across a 304" \
	"$($C -o /dev/null -o /dev/null -w '%{num_connects}\n' -H "If-None-Match: $etag2" "$u/feed/a.rss" "$u/feed/a.rss" | tr '\n' ' ')" "1 0 "

# --- stats: concurrency per Host name ---------------------------------------------
# wait for requests of earlier tests that clients gave up on to end
i=0
while $C -o "$tmp/stats" "$u/_stats" && [ "$(json "$tmp/stats" 'd["inflight"]')" != 0 ] && [ $i -lt 30 ]; do
	i=$((i + 1))
	sleep 0.1
done
check "nothing in flight once clients gave up" "$(json "$tmp/stats" 'd["inflight"]')" 0
check "/_reset" "$($C "$u/_reset")" '{"ok":true}'
$C --no-progress-meter --parallel --parallel-immediate --parallel-max 10 -o /dev/null -o /dev/null -o /dev/null -o /dev/null -o /dev/null \
	"$u/slow/1500/a.rss" "$u/slow/1500/a.rss" "$u/slow/1500/a.rss" "$ul/slow/1500/a.rss" "$ul/slow/1500/a.rss"
$C -o "$tmp/stats" "$u/_stats"
$C -o "$tmp/stats" "$u/_stats"
check "/_stats requests (not counting itself)" "$(json "$tmp/stats" 'd["requests"]')" 5
check "/_stats inflight_max" "$(json "$tmp/stats" 'd["inflight_max"]')" 5
check "/_stats per_host_max keyed by host name" "$(json "$tmp/stats" 'sorted(d["per_host_max"].items())')" "[('127.0.0.1', 3), ('localhost', 2)]"
check "/_stats paths" "$(json "$tmp/stats" 'd["paths"]')" "{'/slow/1500/a.rss': 5}"
$C -o /dev/null -H 'Host: feeds.example:8080' "$u/feed/a.rss"
$C -o "$tmp/stats" "$u/_stats"
check "/_stats per_host_max from a Host header with a port" "$(json "$tmp/stats" 'd["per_host_max"].get("feeds.example")')" 1

# --- log ------------------------------------------------------------------------
$C -o /dev/null -A 'selftest-agent/1' -H "If-None-Match: $etag2" -H 'If-Modified-Since: Mon, 01 Jan 2001 00:00:00 GMT' \
	-H 'Accept-Encoding: gzip' "$u/feed/a.rss?logcheck=1"
sleep 0.1
grep '"path":"/feed/a.rss?logcheck=1"' "$tmp/log" >"$tmp/line"
check "log: one JSON line for the request" "$(wc -l <"$tmp/line" | tr -d ' ')" 1
check "log: fields" "$(json "$tmp/line" '[d[k] for k in ("method","host","user_agent","if_modified_since","accept_encoding","status")]')" \
	"['GET', '127.0.0.1:$port', 'selftest-agent/1', 'Mon, 01 Jan 2001 00:00:00 GMT', 'gzip', 304]"
check "log: If-None-Match" "$(json "$tmp/line" 'd["if_none_match"]')" "$etag2"
check "log: time field" "$(json "$tmp/line" 'd["time"][:2]+d["time"][-1]')" "20Z"
check "log: /hang logged with status null" "$(grep -c '"path":"/hang","host":[^}]*"status":null' "$tmp/log")" 1
expect "log: every line is JSON ($(wc -l <"$tmp/log" | tr -d ' ') lines)" \
	"$py" -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$tmp/log"

# --- shutdown: SIGTERM with a hung client still connected --------------------------
curl -s -m 20 -o /dev/null "$u/hang" &
hc=$!
sleep 0.3
kill -TERM "$pid"
t0=$(date +%s)
wait "$pid"
src=$?
t1=$(date +%s)
pid=""
check "SIGTERM: exit status 0" "$src" 0
expect "SIGTERM: exits promptly with a hung client ($((t1 - t0)) s)" between $((t1 - t0)) 0 2
wait "$hc" 2>/dev/null
[ -s "$tmp/stderr" ] && { echo "# server stderr:"; sed 's/^/#   /' "$tmp/stderr"; }
echo "# took $(($(date +%s) - start)) s"

echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
