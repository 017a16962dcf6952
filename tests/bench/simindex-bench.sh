#!/bin/bash
# simindex-bench.sh - the Hamming index (fm_simindex) against a brute-force
# scan over the same fingerprints, with 1,000,000 items in the window, for
# k = 3, 5, 7; built twice: Release with the project's flags (no -m flags:
# the x86-64 baseline, where __builtin_popcountll is a libgcc bit trick) and
# Release with -mpopcnt (the POPCNT instruction), both for the library and
# for the bench.
#
#     tests/bench/simindex-bench.sh    # ~3 min on the 2-core VM
#
# Per (build, k): REPS runs of `simindex-bench ITEMS QUERIES K` pinned to one
# core; the table has the medians. Every run checks the index's hits equal
# the scan's on every query (the bench exits 1 otherwise, and so does this).
# "clustered items/s" is one query plus one add per item; for the scan it is
# one query over all ITEMS. speed-up = the scan's time per query over the
# index's (query + add): the issue's goal is >= 100x at equal results, and
# < 200 bytes of index memory per item.
#
# Environment: ITEMS (1000000), QUERIES (2000), KS ("3 5 7"), REPS (3),
# CPU (0), BUILD (build-bench), BUILD_POPCNT (build-bench-popcnt), SKIP_BUILD=1.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
BUILD_POPCNT=${BUILD_POPCNT:-$ROOT/build-bench-popcnt}
ITEMS=${ITEMS:-1000000}
QUERIES=${QUERIES:-2000}
KS=${KS:-3 5 7}
REPS=${REPS:-3}
CPU=${CPU:-0}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/simindex-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	echo "== building simindex-bench (Release) in $BUILD and, with -mpopcnt, in $BUILD_POPCNT" >&2
	"$HERE/build-cbench.sh" "$BUILD" simindex-bench
	"$HERE/build-cbench.sh" "$BUILD_POPCNT" simindex-bench -mpopcnt
fi
grep -qw popcnt /proc/cpuinfo || echo "warning: this cpu has no popcnt; the -mpopcnt build will fail" >&2

echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), pinned to cpu $CPU"
echo "uptime: $(uptime)"
BAD=0
for b in base popcnt; do
	bin=$BUILD/simindex-bench
	[ $b = popcnt ] && bin=$BUILD_POPCNT/simindex-bench
	for k in $KS; do
		for r in $(seq "$REPS"); do
			out=$TMP/$b.$k.$r
			taskset -c "$CPU" "$bin" "$ITEMS" "$QUERIES" "$k" >"$out" || { echo "simindex-bench: $b k=$k run $r: exit $?" >&2; BAD=1; }
			# add/s query/s scanq/s clustered_ix clustered_scan speedup(query) results hits bytes/item
			awk '
				/^index: add/ { add = $3; q = $6; sub(/\/s;/, "", q); scan = $8 }
				/^clustered/ { cix = $5; csc = $9 }
				/^speed-up/ { sp = $5; sub(/x;/, "", sp); res = $7; h = $8; sub(/\(/, "", h) }
				/^index memory/ { mem = $3 }
				END { print add, q, scan, cix, csc, sp, res, h, mem }' "$out" >>"$TMP/$b.$k.rows"
			echo "   $b k=$k run $r: $(tail -1 "$TMP/$b.$k.rows")" >&2
		done
	done
done

med() { # med FILE COL
	awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}
echo
echo "$ITEMS items in the index (25% near-copies), $QUERIES queries (half near an item, half random); median of $REPS runs"
printf "%-7s %2s %11s %11s %11s %13s %13s %9s %9s %7s %9s %8s\n" build k "add/s" "query/s" "scan q/s" \
	"clustered/s" "scan clust/s" "speedup" "q-only" results hits "B/item"
for b in base popcnt; do
	for k in $KS; do
		f=$TMP/$b.$k.rows
		res=$(awk '{ print $7 }' "$f" | sort -u | paste -sd/)
		printf "%-7s %2s %11.0f %11.0f %11.1f %13.0f %13.1f %8.0fx %8.0fx %7s %9s %8.1f\n" "$b" "$k" \
			"$(med "$f" 1)" "$(med "$f" 2)" "$(med "$f" 3)" "$(med "$f" 4)" "$(med "$f" 5)" \
			"$(awk '{ printf "%.6f\n", $4 / $5 }' "$f" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')" \
			"$(med "$f" 6)" "$res" "$(med "$f" 8)" "$(med "$f" 9)"
	done
done
echo
echo "speedup: clustered items/s by the index (one query + one add each) over the scan's (one query over all items), paired per run;"
echo "q-only: query time alone, the bench's own 'speed-up over the scan'. Goals: speedup >= 100x with equal results, B/item < 200."
echo "base: cc -O3 -DNDEBUG (the project's Release flags, x86-64 baseline); popcnt: the same plus -mpopcnt (library and bench)."
echo "uptime: $(uptime)"
exit $BAD
