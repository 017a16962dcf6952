#!/bin/sh
# connections.sh BIN TESTS_DIR - a pass reuses its connections: 20 feeds on
# one host at per_host 2 cost 2 connections, not 20, over http and https
# (the test server's own count, and feedmerge's under -v), also when every
# answer is a 304, and two hosts taking turns at concurrency 1 keep one
# each; FEEDMERGE_BENCH_CONNECTIONS=fresh (the benchmark's "no
# reuse") does cost 20, so the count is real.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY FEEDMERGE_BENCH_CONNECTIONS

mkdir -p "$tmp/root"
rss "Alpha" 3 >"$tmp/root/a.rss"
srv_start "$tmp/root"
cd "$tmp"

# A private CA and a certificate for 127.0.0.1 (as in auth.sh).
tls_make tls
is "openssl made a certificate" "$(test -s tls/srv.pem && echo yes)" yes
tls_start "$tmp/root" "$tmp/tls/srv.pem" "$tmp/tls/srv.key"

# feeds BASE [MORE]: 20 [feed] sections on BASE, each a different URL (slow
# enough that two run at once).
feeds() {
	k=1
	while [ $k -le 20 ]; do
		feed "f$k" "$1/slow/20/a.rss?k=$k" "${2:-}"
		printf '\n'
		k=$((k + 1))
	done
}

# conns URL: connections the server at URL accepted since its /_reset (this request's own not counted).
conns() {
	curl -s --cacert tls/ca.pem "$1/_stats" |
		"$py" -c 'import json, sys; print(json.load(sys.stdin)["connections"] - 1)'
}

# said: the connections feedmerge -v said it opened ("none" without the line).
said() {
	sed -n 's/^feedmerge: 20 transfers over \([0-9]*\) connections*$/\1/p' err | grep . || echo none
}

# pass NAME URL [RUN ARGS]: one pass of the config; the checks on its connections.
pass() {
	curl -s --cacert tls/ca.pem "$2/_reset" >/dev/null
	shift 2
	fm run -c feeds.ini -v "$@"
}

# --- http: per_host 2 means two connections, each reused nine more times.
per_host=2 concurrency=8 config "$(feeds "$base")"
pass http "$base"
is "http: all fetched" "$st" 0
has "http: 20 fetched" out "20 fetched, 0 not modified, 0 failed"
n=$(conns "$base")
is "http: the server saw at most per_host connections" "$([ "$n" -ge 1 ] && [ "$n" -le 2 ] && echo yes || echo "$n connections")" yes
is "http: -v says what the server saw" "$(said)" "$n"
is "http: per_host still holds" "$(stats 'd["per_host_max"].get("127.0.0.1")')" 2
# The 304 pass reuses them too.
pass http "$base" --force
has "http: 20 not modified" out "0 fetched, 20 not modified, 0 failed"
n=$(conns "$base")
is "http 304s: at most per_host connections" "$([ "$n" -ge 1 ] && [ "$n" -le 2 ] && echo yes || echo "$n connections")" yes

# --- Two hosts taking turns at concurrency 1: each keeps its connection while
# the other has its turn (a connection cache of concurrency's size closed it).
rm -f state.db*
k=1
sections=""
while [ $k -le 20 ]; do
	host=127.0.0.1
	[ $((k % 2)) = 0 ] && host=localhost
	sections="$sections$(feed "t$k" "http://$host:$port/feed/a.rss?k=$k")

"
	k=$((k + 1))
done
per_host=1 concurrency=1 config "$sections"
pass turns "$base"
has "turns: 20 fetched" out "20 fetched, 0 not modified, 0 failed"
is "turns: one connection per host" "$(conns "$base")" 2
is "turns: -v says so" "$(said)" 2

# --- https: the same, and the TLS handshakes with it.
rm -f state.db*
per_host=2 concurrency=8 config "$(feeds "$tls_base" "ca_file = tls/ca.pem
")"
pass https "$tls_base"
is "https: all fetched" "$st" 0
has "https: 20 fetched" out "20 fetched, 0 not modified, 0 failed"
n=$(conns "$tls_base")
is "https: the server saw at most per_host connections" "$([ "$n" -ge 1 ] && [ "$n" -le 2 ] && echo yes || echo "$n connections")" yes
is "https: -v says what the server saw" "$(said)" "$n"
is "https: per_host still holds" "$(curl -s --cacert tls/ca.pem "$tls_base/_stats" |
	"$py" -c 'import json, sys; print(json.load(sys.stdin)["per_host_max"].get("127.0.0.1") <= 2)')" True

# --- Without reuse (the benchmark's baseline) every transfer connects: the count is real.
rm -f state.db*
FEEDMERGE_BENCH_CONNECTIONS=fresh pass https "$tls_base"
is "fresh: all fetched" "$st" 0
is "fresh: the server saw 20 connections" "$(conns "$tls_base")" 20
is "fresh: -v says 20" "$(said)" 20
FEEDMERGE_BENCH_CONNECTIONS=sometimes fm run -c feeds.ini
is "a bad FEEDMERGE_BENCH_CONNECTIONS is a usage error" "$st" 2
has "a bad FEEDMERGE_BENCH_CONNECTIONS named" err "FEEDMERGE_BENCH_CONNECTIONS must be share, no-multiplex or fresh"

done_tests
