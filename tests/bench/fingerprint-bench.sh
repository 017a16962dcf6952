#!/bin/bash
# fingerprint-bench.sh - text normalisation plus fingerprinting
# (fm_fingerprint_item) in MB/s of item text on one core, against lighter
# passes over the same items in the same run (see fingerprint-bench.c).
#
#     tests/bench/fingerprint-bench.sh     # ~1 min: builds build-bench/, two item sets, 7 repetitions
#
# Item sets, read at run time and kept in memory only (nothing is copied into
# the repository):
#   dedup-dev  every entry of ../shared/data/dedup-dev/feeds/*.xml (real news
#              text, Atom <content type="html">), parsed by feedmerge's parser
#   gen-feeds  the cron benchmark's 1,000 generated feeds
#              (build-runbench/runfeeds, made by gen-feeds.py if missing)
#
# Environment: BUILD (default build-bench), DEDUP_DEV (the dedup-dev folder),
# FEEDSET (the gen-feeds folder), REPS (7), SECONDS_PER_STAGE (0.5), CPU (the
# pinned core, default 0), SKIP_BUILD=1, SKIP_GEN=1 (leave the gen-feeds set out).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
DEDUP_DEV=${DEDUP_DEV:-$ROOT/../shared/data/dedup-dev}
FEEDSET=${FEEDSET:-$ROOT/build-runbench/runfeeds}
REPS=${REPS:-7}
SPS=${SECONDS_PER_STAGE:-0.5}
CPU=${CPU:-0}
SEED=${SEED:-20240601}
PY=/usr/bin/python3

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	echo "== building fingerprint-bench (Release) in $BUILD" >&2
	"$HERE/build-cbench.sh" "$BUILD" fingerprint-bench
fi
if [ "${SKIP_GEN:-0}" != 1 ] && { [ ! -f "$FEEDSET/MANIFEST.tsv" ] ||
	[ "$(cat "$FEEDSET/.params" 2>/dev/null)" != "$SEED 1000" ]; }; then
	echo "== generating 1000 feeds in $FEEDSET (seed $SEED)" >&2
	rm -rf "$FEEDSET"
	"$PY" "$HERE/gen-feeds.py" --seed "$SEED" --feeds 1000 "$FEEDSET"
	echo "$SEED 1000" >"$FEEDSET/.params"
fi

echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), pinned to cpu $CPU"
echo "uptime: $(uptime)"
echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo -)$(git -C "$ROOT" diff --quiet -- src include 2>/dev/null || echo ' (+ uncommitted changes in src/ or include/)')"
echo
echo "### dedup-dev: $DEDUP_DEV/feeds/*.xml"
taskset -c "$CPU" "$BUILD/fingerprint-bench" -r "$REPS" -t "$SPS" "$DEDUP_DEV"/feeds/*.xml
if [ "${SKIP_GEN:-0}" != 1 ]; then
	echo
	echo "### gen-feeds: $FEEDSET (synthetic Zipf text, run-bench.sh's feeds)"
	taskset -c "$CPU" "$BUILD/fingerprint-bench" -r "$REPS" -t "$SPS" \
		$(awk -F'\t' -v d="$FEEDSET" '!/^#/ { print d "/" $1 }' "$FEEDSET/MANIFEST.tsv")
fi
echo
echo "uptime: $(uptime)"
