#!/bin/sh
# check.sh BIN SRCDIR - `feedmerge check`: the example config, a broken one, -c / env / default.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
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
		echo "FAIL $name: exit $got, want $want"; sed 's/^/  | /' "$tmp/out" "$tmp/err"
		fail=1
	fi
}

# grep_out NAME PATTERN FILE : FILE must match PATTERN (a fixed string).
grep_out() {
	if ! grep -qF -- "$2" "$3"; then
		echo "FAIL $1: no '$2' in $3:"; sed 's/^/  | /' "$3"
		fail=1
	fi
}

# The bundled example is valid and names both feeds, with absolute file URLs.
check example 0 "$bin" check -c "$src/../conf/feedmerge.ini"
grep_out example "[feed daily-ledger]" "$tmp/out"
grep_out example "[feed harbour-times]" "$tmp/out"
grep_out example "[output world]" "$tmp/out"
grep_out example "/examples/feeds/daily-ledger.atom" "$tmp/out"
grep_out example "# ok: 2 feeds (2 enabled), 1 output" "$tmp/out"
url=$(sed -n 's/^  url *= file:\/\/\(.*daily-ledger.atom\)$/\1/p' "$tmp/out")
if ! [ -f "$url" ]; then
	echo "FAIL example: the file: URL does not name the bundled feed: '$url'"
	fail=1
fi

# A broken config: exit 2, one line naming file, line, key and the expectation.
printf '[feedmerge]\ninterval = 5m\n\n[feed bbc]\nurl = https://feeds.example/rss\ninterval = soon\n' >"$tmp/broken.ini"
check broken 2 "$bin" check -c "$tmp/broken.ini"
grep_out broken "feedmerge: $tmp/broken.ini:6: [feed bbc] interval: expected a duration like 15m or 2h, got \"soon\"" "$tmp/err"
if [ "$(wc -l <"$tmp/err")" -ne 1 ] || [ -s "$tmp/out" ]; then
	echo "FAIL broken: want exactly one line on stderr and nothing on stdout"; fail=1
fi
printf '[feed bbc]\nurl = https://feeds.example/rss\ncluter = no\n' >"$tmp/typo.ini"
check typo 2 "$bin" check -c "$tmp/typo.ini"
grep_out typo "typo.ini:3: [feed bbc] cluter: unknown key (did you mean cluster?)" "$tmp/err"

# Which file: -c, else $FEEDMERGE_CONFIG, else ./feedmerge.ini.
printf '[feed from-env]\nurl = http://env.example/\n' >"$tmp/env.ini"
mkdir "$tmp/cwd"
printf '[feed from-cwd]\nurl = http://cwd.example/\n' >"$tmp/cwd/feedmerge.ini"
check env 0 env FEEDMERGE_CONFIG="$tmp/env.ini" "$bin" check
grep_out env "[feed from-env]" "$tmp/out"
check option-beats-env 0 env FEEDMERGE_CONFIG="$tmp/env.ini" "$bin" check -c "$tmp/cwd/feedmerge.ini"
grep_out option-beats-env "[feed from-cwd]" "$tmp/out"
check default 0 sh -c 'cd "$1/cwd" && unset FEEDMERGE_CONFIG && exec "$2" check' sh "$tmp" "$bin"
grep_out default "[feed from-cwd]" "$tmp/out"
check missing 2 sh -c 'cd "$1" && unset FEEDMERGE_CONFIG && exec "$2" check' sh "$tmp" "$bin"
grep_out missing "./feedmerge.ini: cannot read: No such file or directory" "$tmp/err"

# --json: the same settings, machine-readable, and the advice.
printf '[feedmerge]\nstate = s.db\n[output o]\npath = o.atom\nformat = rss\n[feed quick]\nurl = https://example.org/rss\ninterval = 10s\ncluster = no\n' >"$tmp/json.ini"
check json 0 "$bin" check -c "$tmp/json.ini" --json
got=$(/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = d["feeds"][0]
print(d["outputs"][0]["format"], f["name"], f["interval"], f["cluster"], d["feedmerge"]["max_feed_size"],
      d["dedup"]["threshold"], [a["kind"] for a in d["advice"]])' "$tmp/out")
if [ "$got" != "rss quick 10 False 16777216 5 ['warning']" ]; then
	echo "FAIL json: got [$got]"; sed 's/^/  | /' "$tmp/out"
	fail=1
fi

# Usage.
check help 0 "$bin" help check
grep_out help "usage: feedmerge check [-c FILE]" "$tmp/out"
check extra-arg 2 "$bin" check extra

[ "$fail" = 0 ] && echo "ok: feedmerge check"
exit "$fail"
