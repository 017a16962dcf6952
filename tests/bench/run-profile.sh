#!/bin/bash
# run-profile.sh - where the cron pass's time goes, with clustering and with
# `cluster = no`: perf (cpu-clock, dwarf call graphs) over a cold, a warm
# (all 304) and a 10%-changed `feedmerge run` on run-bench.sh's 1,000 feeds
# from a loopback server, each sample filed by pipeline stage
# (perf-buckets.py).
#
#     tests/bench/run-profile.sh     # ~2 min; needs perf, and run-bench.sh's build and feeds
#
# Uses build-runbench/feedmerge (Release, no frame pointers: hence dwarf
# unwinding) and build-runbench/runfeeds; run tests/bench/run-bench.sh first
# (or SKIP_SFEED=1 REPS=1 tests/bench/run-bench.sh). The configs are
# run-bench.sh's: odd feeds on 127.0.0.1, even ones on localhost,
# concurrency 16, per_host 8, three outputs; fm-nocl.ini adds `cluster = no`
# to every feed. perf.data files and reports stay in OUT (default
# build-runbench/profile). Environment: BUILD, FEEDSET, OUT, HZ (2000), ROUND (99).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-runbench}
FEEDSET=${FEEDSET:-$BUILD/runfeeds}
OUT=${OUT:-$BUILD/profile}
HZ=${HZ:-2000}
ROUND=${ROUND:-99}
PY=/usr/bin/python3
FM=$BUILD/feedmerge
SPID=""

command -v perf >/dev/null || { echo "run-profile: perf is missing (apt-get install linux-perf)" >&2; exit 2; }
[ -x "$FM" ] && [ -f "$FEEDSET/MANIFEST.tsv" ] || { echo "run-profile: run tests/bench/run-bench.sh first" >&2; exit 2; }
cleanup() {
	if [ -n "$SPID" ]; then
		kill "$SPID" 2>/dev/null || true
		wait "$SPID" 2>/dev/null || true
	fi
}
trap cleanup EXIT

rm -rf "$OUT"
mkdir -p "$OUT/root"
cp -a "$FEEDSET" "$OUT/root/feeds"
"$PY" "$ROOT/tests/httpd/feedserver.py" --root "$OUT/root" --portfile "$OUT/port" >/dev/null 2>"$OUT/server.err" &
SPID=$!
for i in $(seq 100); do
	[ -s "$OUT/port" ] && break
	sleep 0.1
done
PORT=$(cat "$OUT/port")
{
	printf '[feedmerge]\nstate = state/feedmerge.db\ninterval = 1h\ntimeout = 60s\nconcurrency = 16\nper_host = 8\n\n'
	for f in atom rss json; do
		printf '[output all-%s]\npath = out/all.%s\nformat = %s\n\n' "$f" "$f" "$f"
	done
	awk -F'\t' -v port="$PORT" '!/^#/ { n = $1; sub(/\.[a-z]+$/, "", n); i++
		printf "[feed %s]\nurl = http://%s:%s/feed/feeds/%s\n\n", n, (i % 2 ? "localhost" : "127.0.0.1"), port, $1 }' \
		"$FEEDSET/MANIFEST.tsv"
} >"$OUT/fm.ini"
sed -e 's|^state = state/|state = state-nocl/|' -e 's|^path = out/|path = out-nocl/|' \
	-e 's|^url = .*|&\ncluster = no|' "$OUT/fm.ini" >"$OUT/fm-nocl.ini"
mkdir -p "$OUT/state" "$OUT/state-nocl"
curl -s --no-progress-meter --parallel --parallel-max 16 $(awk '/^url = / { print $3 }' "$OUT/fm.ini" | head -1000 | sed 's/^/-o \/dev\/null /') || true

echo "uptime: $(uptime)"
prof() { # prof PHASE CONFIG ARGS...
	local phase=$1 cfg=$2
	shift 2
	(cd "$OUT" && perf record -q -e cpu-clock -F "$HZ" --call-graph dwarf,16384 -o "$phase.$cfg.perf" -- \
		"$FM" run "$@" -c "$cfg.ini" >"$phase.$cfg.out" 2>&1) 2>/dev/null
	echo "== $phase, $cfg.ini: $(cat "$OUT/$phase.$cfg.out")"
	perf script -i "$OUT/$phase.$cfg.perf" -F ip,sym,symoff 2>/dev/null | "$PY" "$HERE/perf-buckets.py" "$FM" "$HZ" |
		tee "$OUT/$phase.$cfg.txt"
}
for cfg in fm fm-nocl; do prof cold "$cfg"; done
for cfg in fm fm-nocl; do prof warm "$cfg" --force; done
"$PY" "$HERE/gen-feeds.py" --change 100 --round "$ROUND" "$OUT/root/feeds" >/dev/null
for cfg in fm fm-nocl; do prof changed "$cfg" --force; done
echo "uptime: $(uptime)"
echo "perf data and these reports: $OUT (perf report -i FILE --children --sort symbol)"
