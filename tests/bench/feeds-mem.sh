#!/bin/bash
# feeds-mem.sh - what a pass costs in memory per configured feed, items
# aside: `feedmerge run` over N feeds whose server refuses every connection
# (127.0.0.1-100 at a port nothing listens on), so every feed is queued,
# tried, failed and written back, and none brings items. Prints the peak
# RSS of `feedmerge check` (the config alone) and of the pass, and the
# pass's bytes per feed. Issue 12's goal is a peak under 256 MB at 100,000
# feeds *with* their items (tests/bench/scale-bench.sh); this isolates the
# part that grows with the feed count.
#
#     tests/bench/feeds-mem.sh            # N = 100,000, ~10 s
#     N=10000 tests/bench/feeds-mem.sh
#
# Environment: N (100000), BUILD (<repo>/build-runbench; built if missing),
# HEAPTRACK=1 (also run the pass under heaptrack and print its peak consumers).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-runbench}
N=${N:-100000}
FM=$BUILD/feedmerge
TIME=/usr/bin/time
TMP=$(mktemp -d "${TMPDIR:-/tmp}/feeds-mem.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

[ -x "$TIME" ] || { echo "feeds-mem: $TIME is missing (apt-get install time)" >&2; exit 2; }
if [ ! -x "$FM" ]; then
	cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFEEDMERGE_TESTS=OFF >/dev/null &&
		cmake --build "$BUILD" -j2 --target feedmerge >/dev/null
fi
# A port nothing listens on: bound once to learn it, then closed.
PORT=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$TMP/state" "$TMP/out"
{
	printf '[feedmerge]\nstate = %s/state/feedmerge.db\ninterval = 1h\ntimeout = 5s\n' "$TMP"
	printf 'concurrency = 32\nper_host = 4\n\n[output all]\npath = %s/out/all.atom\nformat = atom\n\n' "$TMP"
	awk -v n="$N" -v port="$PORT" 'BEGIN {
		for (i = 0; i < n; i++)
			printf "[feed f%06d]\nurl = http://127.0.0.%d:%d/c%02d/f%06d.rss\n\n", i, i % 100 + 1, port, int(i / 10000), i
	}'
} >"$TMP/fm.ini"

"$TIME" -f '%M' -o "$TMP/check.rss" "$FM" check -c "$TMP/fm.ini" >/dev/null
"$TIME" -f '%e %M' -o "$TMP/run.rss" "$FM" run -c "$TMP/fm.ini" >"$TMP/run.out" 2>/dev/null || true
grep -q "0 fetched, 0 not modified, $N failed" "$TMP/run.out" ||
	{ echo "feeds-mem: unexpected summary: $(cat "$TMP/run.out")" >&2; exit 1; }
read -r secs rss <<<"$(tail -1 "$TMP/run.rss")"
echo "$N feeds, none answering: config alone $(($(cat "$TMP/check.rss") / 1024)) MB peak RSS;" \
	"the pass $((rss / 1024)) MB peak RSS ($((rss * 1024 / N)) bytes a feed), $secs s"
if [ "${HEAPTRACK:-0}" = 1 ]; then
	rm -rf "$TMP/state"/*
	heaptrack -o "$TMP/ht" "$FM" run -c "$TMP/fm.ini" >/dev/null 2>&1 || true
	heaptrack_print "$TMP/ht.zst" 2>/dev/null | sed -n '/PEAK MEMORY CONSUMERS/,/MOST TEMPORARY/p' |
		grep -A1 -E '^[0-9.]+[KMG]? peak' | grep -v -- '--' | paste - - | head -8
fi
