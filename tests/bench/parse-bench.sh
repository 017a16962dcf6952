#!/bin/bash
# parse-bench.sh - throughput of `feedmerge parse --summary` against expat's
# floor, sfeed and python3-feedparser on one generated corpus, in one run.
#
#     tests/bench/parse-bench.sh            # build, make the corpus if missing, measure
#
# Environment (all optional):
#     BUILD=DIR        build directory (default: <repo>/build-bench)
#     CORPUS=DIR       feed files to read (default: $BUILD/corpus, generated)
#     REPS=N           repetitions per tool; the median is reported (default 5)
#     FP_REPS=N        repetitions for feedparser, which takes ~1 min each (default 1)
#     CPU=N            the core everything is pinned to (default 0)
#     INSTR_EVERY=N    callgrind instruction counts on every Nth file (default 5; 0: skip)
#     SKIP_BUILD=1     use the binaries already in $BUILD
#
# Every rate is bytes or items divided by a time. "cpu" is user+sys of the
# process and its children (from wait4), "wall" is elapsed time. Both are
# printed: on a shared, noisy machine cpu time is the steadier of the two,
# and instruction counts (callgrind) steadier still. Compare ratios within
# one run, never figures across runs.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
CORPUS=${CORPUS:-$BUILD/corpus}
REPS=${REPS:-5}
FP_REPS=${FP_REPS:-1}
CPU=${CPU:-0}
INSTR_EVERY=${INSTR_EVERY:-5}
PY=/usr/bin/python3
FM=$BUILD/feedmerge
FLOOR=$BUILD/expat-floor
TMP=$(mktemp -d "${TMPDIR:-/tmp}/parse-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# Runs a command with stdout to a file; prints "wall cpu maxrss_kb status".
TIMER='
import os, sys, time
out, argv = sys.argv[1], sys.argv[2:]
t = time.perf_counter()
pid = os.fork()
if pid == 0:
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 1)
    os.execvp(argv[0], argv)
_, st, ru = os.wait4(pid, 0)
print("%.4f %.4f %d %d" % (time.perf_counter() - t, ru.ru_utime + ru.ru_stime,
                           ru.ru_maxrss, os.waitstatus_to_exitcode(st)))
'

# One python process parsing every file; prints "items bozo wall cpu" (import excluded).
FEEDPARSER='
import sys, time, feedparser
t, c = time.perf_counter(), time.process_time()
n = bozo = 0
for p in sys.argv[1:]:
    d = feedparser.parse(p)
    n += len(d.entries)
    bozo += bool(d.bozo)
print(n, bozo, "%.4f %.4f" % (time.perf_counter() - t, time.process_time() - c))
'

need() {
	command -v "$1" >/dev/null 2>&1 || { echo "parse-bench: $1 is missing (apt-get install $2)" >&2; exit 2; }
}

# Configures and builds feedmerge (Release); other people's half-written files may break it for a moment.
build() {
	local try
	mkdir -p "$BUILD"
	for try in 1 2 3 4 5 6; do
		if cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFEEDMERGE_TESTS=OFF \
			>"$BUILD/bench-build.log" 2>&1 &&
			cmake --build "$BUILD" -j2 >>"$BUILD/bench-build.log" 2>&1; then
			return 0
		fi
		echo "parse-bench: build failed (try $try of 6), retrying in 30 s; see $BUILD/bench-build.log" >&2
		sleep 30
	done
	return 1
}

# median: the middle of the numbers on stdin (lower middle for an even count).
median() {
	sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# once NAME CMD...: runs CMD once pinned to $CPU; appends "wall cpu maxrss status" to $TMP/NAME.runs.
once() {
	local name=$1 r
	shift
	r=$(taskset -c "$CPU" "$PY" -c "$TIMER" "$TMP/$name.out" "$@" 2>"$TMP/$name.err")
	if [ "${r##* }" != 0 ]; then
		echo "parse-bench: $name exited with status ${r##* }:" >&2
		head -5 "$TMP/$name.err" >&2
		exit 1
	fi
	echo "$r" >>"$TMP/$name.runs"
}

# medians NAME: leaves the medians of NAME's runs in $TMP/NAME.{wall,cpu}.
medians() {
	awk '{ print $1 }' "$TMP/$1.runs" | median >"$TMP/$1.wall"
	awk '{ print $2 }' "$TMP/$1.runs" | median >"$TMP/$1.cpu"
}

# paired A B COL: median over the repetitions of B's time over A's in column COL (1 wall, 2 cpu).
paired() {
	paste -d' ' "$TMP/$1.runs" "$TMP/$2.runs" | awk -v c="$3" '{ printf "%.4f\n", $(c + 4) / $c }' | median
}

# Prints one row of the table: name, MB, items, wall and cpu seconds, rates.
row() {
	awk -v n="$1" -v b="$2" -v it="$3" -v w="$4" -v c="$5" -v note="${6:-}" 'BEGIN {
		printf "%-24s %7.1f %7d %8.3f %8.3f %9.1f %9.1f %10.0f %10.0f  %s\n",
			n, b / 1e6, it, w, c, b / 1e6 / w, b / 1e6 / c, it / w, it / c, note }'
}

# ratio A B: A's rate over B's, from times (B's time over A's).
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b / a }'
}

need cmake cmake
need cc gcc
need taskset util-linux
need sfeed sfeed
"$PY" -c 'import feedparser' 2>/dev/null || { echo "parse-bench: apt-get install python3-feedparser" >&2; exit 2; }
[ -f /usr/include/expat.h ] || { echo "parse-bench: apt-get install libexpat1-dev" >&2; exit 2; }

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	echo "== building feedmerge (Release) in $BUILD" >&2
	build
fi
mkdir -p "$BUILD"
cc -O2 -std=c11 -Wall -Wextra -o "$FLOOR" "$HERE/expat-floor.c" -lexpat
# The corpus is generated only into a missing or empty folder: a CORPUS of
# someone else's files (../shared/data/feeds-real) is read, never written to.
if [ ! -f "$CORPUS/MANIFEST.tsv" ] && { [ ! -d "$CORPUS" ] || [ -z "$(ls -A "$CORPUS")" ]; }; then
	echo "== generating the corpus in $CORPUS" >&2
	"$PY" "$HERE/gen-corpus.py" "$CORPUS"
fi

FILES=("$CORPUS"/*.xml)
NFILES=${#FILES[@]}
BYTES=$(cat "${FILES[@]}" | wc -c)
cat "${FILES[@]}" >/dev/null # into the page cache

echo "== $NFILES files, $BYTES bytes in $CORPUS; pinned to cpu $CPU; median of $REPS (feedparser: $FP_REPS)" >&2
echo "   machine: $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

# The tools take turns within each repetition, so that a change in the
# machine's load hits them all alike; the paired ratios below are medians
# of per-repetition ratios.
for t in floor floorns fm sfeed sfeed0; do : >"$TMP/$t.runs"; done
for i in $(seq "$REPS"); do
	echo "-- repetition $i of $REPS: expat floor, expat floor (NS), feedmerge, sfeed, sfeed </dev/null" >&2
	once floor "$FLOOR" "${FILES[@]}"
	once floorns "$FLOOR" -n "${FILES[@]}"
	once fm "$FM" parse --summary "${FILES[@]}"
	once sfeed sh -c 'for f do sfeed <"$f"; done' sh "${FILES[@]}"
	once sfeed0 sh -c 'for f do sfeed </dev/null; done' sh "${FILES[@]}"
done
for t in floor floorns fm sfeed sfeed0; do medians "$t"; done
FM_ITEMS=$(awk -F'\t' '{ n += $3 } END { print n }' "$TMP/fm.out")
FM_NOTOK=$(awk -F'\t' '$5 != "ok"' "$TMP/fm.out" | wc -l)
SF_ITEMS=$(wc -l <"$TMP/sfeed.out")
echo "-- python3-feedparser, one process" >&2
: >"$TMP/fp.runs"
for i in $(seq "$FP_REPS"); do
	taskset -c "$CPU" "$PY" -c "$FEEDPARSER" "${FILES[@]}" >>"$TMP/fp.runs"
done
FP_ITEMS=$(awk 'NR == 1 { print $1 }' "$TMP/fp.runs")
FP_BOZO=$(awk 'NR == 1 { print $2 }' "$TMP/fp.runs")
awk '{ print $3 }' "$TMP/fp.runs" | median >"$TMP/fp.wall"
awk '{ print $4 }' "$TMP/fp.runs" | median >"$TMP/fp.cpu"

SF_NET_WALL=$(awk -v a="$(cat "$TMP/sfeed.wall")" -v b="$(cat "$TMP/sfeed0.wall")" 'BEGIN { print a - b }')
SF_NET_CPU=$(awk -v a="$(cat "$TMP/sfeed.cpu")" -v b="$(cat "$TMP/sfeed0.cpu")" 'BEGIN { print a - b }')

echo
echo "corpus: $NFILES files, $BYTES bytes, $FM_ITEMS items (feedmerge); median of $REPS runs on cpu $CPU"
printf "%-24s %7s %7s %8s %8s %9s %9s %10s %10s\n" tool MB items wall_s cpu_s MB/s_wall MB/s_cpu items/s_w items/s_c
row "expat floor" "$BYTES" "$FM_ITEMS" "$(cat "$TMP/floor.wall")" "$(cat "$TMP/floor.cpu")" "(items: feedmerge's)"
row "expat floor (NS)" "$BYTES" "$FM_ITEMS" "$(cat "$TMP/floorns.wall")" "$(cat "$TMP/floorns.cpu")"
row "feedmerge --summary" "$BYTES" "$FM_ITEMS" "$(cat "$TMP/fm.wall")" "$(cat "$TMP/fm.cpu")" "(files not ok: $FM_NOTOK)"
row "sfeed (per file)" "$BYTES" "$SF_ITEMS" "$(cat "$TMP/sfeed.wall")" "$(cat "$TMP/sfeed.cpu")" "(incl. $NFILES fork+exec)"
row "sfeed (net of exec)" "$BYTES" "$SF_ITEMS" "$SF_NET_WALL" "$SF_NET_CPU" "(minus sfeed </dev/null x $NFILES)"
row "python3-feedparser" "$BYTES" "$FP_ITEMS" "$(cat "$TMP/fp.wall")" "$(cat "$TMP/fp.cpu")" "(bozo: $FP_BOZO; median of $FP_REPS)"
echo
echo "ratios (feedmerge's rate over the other's; >1: feedmerge faster)      wall    cpu"
printf "  feedmerge / expat floor         (goal >= 0.75)                %6s %6s\n" \
	"$(ratio "$(cat "$TMP/fm.wall")" "$(cat "$TMP/floor.wall")")" "$(ratio "$(cat "$TMP/fm.cpu")" "$(cat "$TMP/floor.cpu")")"
printf "  feedmerge / expat floor (NS)                                  %6s %6s\n" \
	"$(ratio "$(cat "$TMP/fm.wall")" "$(cat "$TMP/floorns.wall")")" "$(ratio "$(cat "$TMP/fm.cpu")" "$(cat "$TMP/floorns.cpu")")"
printf "  feedmerge / expat floor, paired   (median of per-run ratios)  %6s %6s\n" \
	"$(paired fm floor 1)" "$(paired fm floor 2)"
printf "  feedmerge / expat floor (NS), paired                          %6s %6s\n" \
	"$(paired fm floorns 1)" "$(paired fm floorns 2)"
printf "  feedmerge / sfeed (per file, incl. exec)                      %6s %6s\n" \
	"$(ratio "$(cat "$TMP/fm.wall")" "$(cat "$TMP/sfeed.wall")")" "$(ratio "$(cat "$TMP/fm.cpu")" "$(cat "$TMP/sfeed.cpu")")"
printf "  feedmerge / sfeed (net of exec)                               %6s %6s\n" \
	"$(ratio "$(cat "$TMP/fm.wall")" "$SF_NET_WALL")" "$(ratio "$(cat "$TMP/fm.cpu")" "$SF_NET_CPU")"
printf "  feedmerge / python3-feedparser                                %6s %6s\n" \
	"$(ratio "$(cat "$TMP/fm.wall")" "$(cat "$TMP/fp.wall")")" "$(ratio "$(cat "$TMP/fm.cpu")" "$(cat "$TMP/fp.cpu")")"
echo "items seen: feedmerge $FM_ITEMS, sfeed $SF_ITEMS, feedparser $FP_ITEMS"
echo "per-run times (wall cpu maxrss_kb status):"
for t in floor floorns fm sfeed sfeed0; do
	printf "  %-8s %s\n" "$t" "$(awk '{ printf "%s/%s  ", $1, $2 }' "$TMP/$t.runs")"
done
printf "  %-8s %s\n" fp "$(awk '{ printf "%s/%s  ", $3, $4 }' "$TMP/fp.runs")"

# --- instruction counts ------------------------------------------------------
if [ "$INSTR_EVERY" -gt 0 ] && command -v valgrind >/dev/null 2>&1; then
	SUB=()
	for ((i = 0; i < NFILES; i += INSTR_EVERY)); do
		SUB+=("${FILES[$i]}")
	done
	SUBBYTES=$(cat "${SUB[@]}" | wc -c)
	echo "-- callgrind on ${#SUB[@]} files (every ${INSTR_EVERY}th), $SUBBYTES bytes" >&2
	cg() { # cg NAME CMD...: total instructions of CMD (and of the children it runs)
		local name=$1
		shift
		valgrind --tool=callgrind --trace-children=yes \
			--callgrind-out-file="$TMP/cg.$name.%p" "$@" >/dev/null 2>"$TMP/cg.$name.err"
	}
	cg_total() { # sum of the totals of NAME's profiles whose command matches PATTERN
		local f n=0 t
		for f in "$TMP"/cg."$1".*; do
			case $f in *.err) continue ;; esac
			grep -q "^cmd: .*$2" "$f" || continue
			t=$(awk '/^(summary|totals):/ { print $2; exit }' "$f")
			n=$((n + t))
		done
		echo "$n"
	}
	cg floor "$FLOOR" "${SUB[@]}"
	cg floorns "$FLOOR" -n "${SUB[@]}"
	cg fm "$FM" parse --summary "${SUB[@]}"
	cg sfeed sh -c 'for f do sfeed <"$f"; done' sh "${SUB[@]}"
	cg sfeed0 sfeed </dev/null
	I_FLOOR=$(cg_total floor expat-floor)
	I_FLOORNS=$(cg_total floorns expat-floor)
	I_FM=$(cg_total fm feedmerge)
	I_SF=$(cg_total sfeed sfeed)
	I_SF0=$(cg_total sfeed0 sfeed)
	I_SFNET=$((I_SF - I_SF0 * ${#SUB[@]}))
	echo
	echo "instructions (callgrind, ${#SUB[@]} files, $SUBBYTES bytes; feedparser not run: an interpreter under valgrind takes too long)"
	for t in "expat floor:$I_FLOOR" "expat floor (NS):$I_FLOORNS" "feedmerge --summary:$I_FM" \
		"sfeed (per file):$I_SF" "sfeed (net of exec):$I_SFNET"; do
		awk -v n="${t%%:*}" -v i="${t#*:}" -v b="$SUBBYTES" 'BEGIN {
			printf "  %-22s %14d  %6.1f instr/byte\n", n, i, i / b }'
	done
	echo "instruction ratios (feedmerge's rate over the other's)"
	printf "  feedmerge / expat floor       (goal >= 0.75)   %s\n" "$(ratio "$I_FM" "$I_FLOOR")"
	printf "  feedmerge / expat floor (NS)                   %s\n" "$(ratio "$I_FM" "$I_FLOORNS")"
	printf "  feedmerge / sfeed (net of exec)                %s\n" "$(ratio "$I_FM" "$I_SFNET")"
fi
echo
echo "commands: $FLOOR [-n] FILES; $FM parse --summary FILES;"
echo "          sh -c 'for f do sfeed <\"\$f\"; done' sh FILES; $PY -c 'feedparser.parse(f) for f in FILES'"
echo "          all under: taskset -c $CPU"
