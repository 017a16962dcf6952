#!/bin/sh
# usage.sh BIN SRCDIR - the command line: help, version, usage errors, exit statuses.
set -u
bin=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# check NAME EXPECTED_STATUS COMMAND... : runs COMMAND, compares its exit status.
check() {
	name=$1 want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL $name: exit $got, want $want"; sed 's/^/  | /' "$tmp/err"
		fail=1
	fi
}

# grep_out NAME PATTERN FILE : FILE must match PATTERN.
grep_out() {
	if ! grep -q -- "$2" "$3"; then
		echo "FAIL $1: no '$2' in $3:"; sed 's/^/  | /' "$3"
		fail=1
	fi
}

check version 0 "$bin" --version
grep_out version '^feedmerge [0-9][0-9.]*$' "$tmp/out"
check help 0 "$bin" --help
grep_out help 'parse' "$tmp/out"
check help-parse 0 "$bin" help parse
grep_out help-parse '--summary' "$tmp/out"
check no-command 2 "$bin"
check bad-command 2 "$bin" frobnicate
grep_out bad-command "no command 'frobnicate'" "$tmp/err"
check parse-no-file 2 "$bin" parse
check parse-bad-limit 2 "$bin" parse --max-items=-3 "$src/../examples/feeds/harbour-times.rss"
check parse-missing 2 "$bin" parse "$tmp/nope.xml"
grep_out parse-missing "nope.xml" "$tmp/err"

# A clean feed: exit 0, and an empty --url counts as not given.
check parse-ok 0 "$bin" parse --json --url '' "$src/../examples/feeds/harbour-times.rss"
grep_out parse-ok '"format": "rss2.0"' "$tmp/out"
grep_out parse-ok '"bozo": false' "$tmp/out"

# Broken XML: items before the damage kept, exit 1, error with line and column.
printf '<rss version="2.0"><channel><title>T</title><item><title>one</title></item><item><title>two & three</title></item></channel></rss>' >"$tmp/broken.xml"
check parse-recovered 1 "$bin" parse --json "$tmp/broken.xml"
grep_out parse-recovered '"bozo": true' "$tmp/out"
grep_out parse-recovered '"title": "one"' "$tmp/out"
grep_out parse-recovered '"title": "two & three"' "$tmp/out"
grep_out parse-recovered '"error": "line 1, column' "$tmp/out"

# Not a feed: the object is still printed, format "", exit 2.
printf '<!DOCTYPE html>\n<html><head><title>Oops</title></head><body>502</body></html>\n' >"$tmp/page.html"
check parse-html 2 "$bin" parse --json "$tmp/page.html"
grep_out parse-html '"format": ""' "$tmp/out"
grep_out parse-html 'HTML page' "$tmp/out"
: >"$tmp/empty"
check parse-empty 2 "$bin" parse --json "$tmp/empty"
grep_out parse-empty 'empty' "$tmp/out"

# Standard input, and the summary of several files.
check parse-stdin 0 sh -c "\"$bin\" parse --json - <\"$src/../examples/feeds/daily-ledger.atom\""
grep_out parse-stdin '"format": "atom1.0"' "$tmp/out"
check summary 2 "$bin" parse --summary "$src/../examples/feeds/harbour-times.rss" "$tmp/broken.xml" "$tmp/page.html"
grep_out summary "harbour-times.rss	rss2.0	3	[0-9]*	ok" "$tmp/out"
grep_out summary "broken.xml	rss2.0	2	[0-9]*	recovered: line 1" "$tmp/out"
grep_out summary "page.html		0	[0-9]*	error: not a feed" "$tmp/out"
[ "$(wc -l <"$tmp/out")" -eq 3 ] || { echo "FAIL summary: want 3 lines"; fail=1; }

[ $fail -eq 0 ] && echo "usage: all passed"
exit $fail
