#!/bin/sh
# candidates-bench.sh - the candidate index (fm_candidates: lead SimHash
# within k, text and headline keys) against comparing the same keys with
# every item, at 1,000,000 items in the window: speed-up at equal results
# and index bytes per item (goals: >= 100x, < 300 B/item).
#
#     tests/bench/candidates-bench.sh     # ~1 min on the 2-core VM
#
# Environment: ITEMS (1000000), QUERIES (100: brute-force queries, spread
# over the run), CAP (256: the clusterer's key cap), CPU (1), BUILD
# (build-bench), SKIP_BUILD=1. Exits 1 when the results differ.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-bench}
[ "${SKIP_BUILD:-0}" = 1 ] || "$HERE/build-cbench.sh" "$BUILD" candidates-bench >&2
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-), pinned to cpu ${CPU:-1}"
taskset -c "${CPU:-1}" "$BUILD/candidates-bench" "${ITEMS:-1000000}" "${QUERIES:-100}" "${CAP:-256}"
