#!/bin/bash
# build-cbench.sh - builds one of the C benchmarks in tests/bench/ against a
# Release feedmerge_core, with exactly the flags CMake uses for the library.
#
#     tests/bench/build-cbench.sh BUILD_DIR NAME [EXTRA_CFLAGS]
#
# Configures BUILD_DIR (-DCMAKE_BUILD_TYPE=Release -DFEEDMERGE_TESTS=OFF, and
# -DCMAKE_C_FLAGS=EXTRA_CFLAGS so the library gets them too, e.g. -mpopcnt),
# builds the feedmerge_core target, then compiles tests/bench/NAME.c with the
# C_DEFINES, C_INCLUDES and C_FLAGS CMake wrote for feedmerge_core
# (flags.make) and links it to BUILD_DIR/libfeedmerge.a (what feedmerge_core
# builds) and its libraries, as BUILD_DIR/NAME. Retries the library build a few times: other
# people may be half-way through editing src/.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=$1
NAME=$2
EXTRA=${3:-}
LOG=$BUILD/cbench-build.log

mkdir -p "$BUILD"
ok=0
for try in 1 2 3 4 5 6; do
	if cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFEEDMERGE_TESTS=OFF \
		-DCMAKE_C_FLAGS="$EXTRA" >"$LOG" 2>&1 &&
		cmake --build "$BUILD" -j2 --target feedmerge_core >>"$LOG" 2>&1; then
		ok=1
		break
	fi
	echo "build-cbench: library build failed (try $try of 6), retrying in 30 s; see $LOG" >&2
	sleep 30
done
[ $ok = 1 ] || exit 1
FLAGS=$BUILD/CMakeFiles/feedmerge_core.dir/flags.make
get() { sed -n "s/^$1 = //p" "$FLAGS"; }
# shellcheck disable=SC2046
cc $(get C_DEFINES) $(get C_INCLUDES) $(get C_FLAGS) -o "$BUILD/$NAME" "$HERE/$NAME.c" \
	"$BUILD/libfeedmerge.a" \
	$(pkg-config --libs libxxhash libutf8proc json-c inih sqlite3 expat libcurl libzstd) -lm
echo "$BUILD/$NAME: cc $(get C_DEFINES) $(get C_FLAGS)" >&2
