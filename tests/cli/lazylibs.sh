#!/bin/sh
# lazylibs.sh BIN TESTS_DIR - the program opens libcurl and libmicrohttpd
# only when a command needs them (src/cli/lazylib.h): the binary names
# neither as a dependency, `parse` starts without them (they bring some
# thirty libraries, 5 ms of each start), a relative link that needs
# libcurl's URL parser opens it, and `run` opens it and fetches over HTTP.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
trap 'srv_stop; rm -rf "$tmp"' EXIT

# opened ARGS...: runs feedmerge with ARGS; prints the libraries the dynamic loader opened (glibc's LD_DEBUG).
opened() {
	LD_DEBUG=files LD_DEBUG_OUTPUT="$tmp/ld" "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	cat "$tmp"/ld.* 2>/dev/null | grep -o 'file=lib[^ ]*' | sort -u
	rm -f "$tmp"/ld.*
}

readelf -d "$bin" | grep NEEDED >"$tmp/needed"
hasnt "not linked against libcurl" "$tmp/needed" libcurl
hasnt "not linked against libmicrohttpd" "$tmp/needed" libmicrohttpd

mkdir -p "$tmp/root"
rss "Alpha" 3 >"$tmp/root/a.rss"
opened parse --summary "$tmp/root/a.rss" >"$tmp/libs"
is "parse" "$st" 0
has "LD_DEBUG lists what parse opened" "$tmp/libs" libexpat
for lib in libcurl libmicrohttpd libgnutls libssl; do
	hasnt "parse does not open $lib" "$tmp/libs" $lib
done

printf '<rss version="2.0" xml:base="http://a.example/b/c/"><channel><title>t</title><item><title>x</title><link>../y/./z</link></item></channel></rss>\n' >"$tmp/rel.xml"
opened parse --json "$tmp/rel.xml" >"$tmp/libs"
has "a relative link with dot segments opens libcurl" "$tmp/libs" libcurl
has "and is resolved by it" "$tmp/out" '"link": "http://a.example/b/y/z"'

srv_start "$tmp/root"
cd "$tmp"
config "$(feed a "$base/feed/a.rss")"
opened run -c feeds.ini >"$tmp/libs"
is "run over HTTP" "$st" 0
has "run opens libcurl" "$tmp/libs" libcurl
has "run fetched the feed" "$tmp/out" "1 fetched, 0 not modified, 0 failed"
has "and wrote its items" merged/all.atom "Alpha story 3"
srv_stop
done_tests
