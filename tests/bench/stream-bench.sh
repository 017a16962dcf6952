#!/bin/bash
# stream-bench.sh - peak memory and throughput of `feedmerge parse` reading a
# ~100 MB feed from a pipe (the issue's goal: peak RSS under 16 MB).
#
#     tests/bench/stream-bench.sh
#
# Environment (all optional):
#     BUILD=DIR     build directory holding feedmerge (default: <repo>/build-bench;
#                   built by parse-bench.sh, or here when missing)
#     STREAM_MB=N   size of the generated feed (default 100)
#     CPU=N         the core the parser is pinned to (default 0)
#
# The feed is generated once into $BUILD/stream-<N>mb.xml and then piped
# through cat, so feedmerge reads a real pipe (stdin is not seekable and
# its size is unknown). Peak RSS is /usr/bin/time -v's "Maximum resident
# set size" of the feedmerge process alone.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
STREAM_MB=${STREAM_MB:-100}
CPU=${CPU:-0}
PY=/usr/bin/python3
FM=$BUILD/feedmerge
FEED=$BUILD/stream-${STREAM_MB}mb.xml
LIMIT_MB=16
TMP=$(mktemp -d "${TMPDIR:-/tmp}/stream-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

if [ ! -x /usr/bin/time ]; then
	echo "stream-bench: /usr/bin/time is missing: apt-get install time" >&2
	exit 2
fi
if [ ! -x "$FM" ]; then
	echo "== building feedmerge (Release) in $BUILD" >&2
	cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFEEDMERGE_TESTS=OFF >/dev/null
	cmake --build "$BUILD" -j2 >/dev/null
fi
if [ ! -s "$FEED" ]; then
	echo "== generating a ${STREAM_MB} MB feed into $FEED" >&2
	"$PY" "$HERE/gen-corpus.py" --stream "$STREAM_MB" >"$FEED.tmp"
	mv "$FEED.tmp" "$FEED"
fi
BYTES=$(wc -c <"$FEED")
cat "$FEED" >/dev/null # into the page cache

# run NAME OUT ARGS...: cat FEED | feedmerge ARGS >OUT, timed; leaves /usr/bin/time -v's report in $TMP/NAME.
run() {
	local name=$1 out=$2
	shift 2
	cat "$FEED" | /usr/bin/time -v -o "$TMP/$name" taskset -c "$CPU" "$FM" "$@" >"$out" 2>"$TMP/$name.err" ||
		{ echo "stream-bench: feedmerge $* failed:" >&2; cat "$TMP/$name.err" "$TMP/$name" >&2; exit 1; }
}

# report NAME LABEL: one line from /usr/bin/time -v's report.
report() {
	awk -F': ' -v label="$2" -v b="$BYTES" -v lim="$LIMIT_MB" '
	/Maximum resident set size/ { rss = $2 }
	/User time/ { u = $2 }
	/System time/ { s = $2 }
	/Elapsed \(wall clock\)/ {
		n = split($2, t, ":")
		w = (n == 3) ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2]
	}
	END {
		printf "%-34s %8.1f MB peak RSS (%s)  %6.2f s wall %6.2f s cpu  %6.1f MB/s wall %6.1f MB/s cpu\n",
			label, rss / 1024, rss / 1024 < lim ? "ok: < " lim " MB" : "OVER " lim " MB",
			w, u + s, b / 1e6 / w, b / 1e6 / (u + s)
	}' "$TMP/$1"
}

/usr/bin/time -v -o "$TMP/version" "$FM" --version >/dev/null
run summary "$TMP/summary.out" parse --summary -
run json /dev/null parse --json -
echo "feed: $FEED, $BYTES bytes; pinned to cpu $CPU"
echo "summary line: $(cat "$TMP/summary.out")"
awk -F': ' '/Maximum resident set size/ { printf "%-34s %8.1f MB peak RSS (the process and its shared libraries)\n", "baseline: feedmerge --version", $2 / 1024 }' "$TMP/version"
report summary "feedmerge parse --summary -"
report json "feedmerge parse --json - >/dev/null"
echo "commands: cat $FEED | /usr/bin/time -v taskset -c $CPU $FM parse --summary -"
echo "          cat $FEED | /usr/bin/time -v taskset -c $CPU $FM parse --json - >/dev/null"
