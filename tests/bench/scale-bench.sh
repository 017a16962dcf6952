#!/bin/bash
# scale-bench.sh - `feedmerge run` over N generated feeds served by nginx on
# loopback under 100 host names, at several N: a cold pass (fresh state), a
# warm pass (every answer a 304) and a pass where 10% of the feeds changed,
# against the floors measured in the same run over the same files: expat
# with no-op handlers (CPU), curl GETting every feed and curl getting every
# feed's 304 (curl --parallel, wall).
#
#     tests/bench/scale-bench.sh                # N = 1,000 and 10,000 (~3 min)
#     NS="1000 10000 100000" tests/bench/scale-bench.sh   # + 100,000 (5.8 GB of feeds; ~30 min)
#
# Issue 12's goals: cold <= 3.4x the expat floor's CPU, warm <= 2x curl's
# 304 floor (wall), peak RSS < 256 MB at 100,000 feeds, state <= 0.75x the
# feeds' bytes, cost linear in feeds.
#
# The feeds: tests/bench/gen-feeds.py, 10,000 a chunk (seed 7, 8, ... per
# chunk; fewer than 10,000: one chunk of N, seed 7), kept in
# $BUILD/scale/feeds-N between runs (chunks are made two at a time). Each
# run works on a hard-linked copy, so the 10% change (gen-feeds.py --change,
# which replaces files by rename) never touches the kept set.
#
# The server: nginx (apt-get install nginx-light), static files, ETag and
# Last-Modified as nginx makes them, access log off, listening on
# 127.0.0.1 ... 127.0.0.100 (all loopback: Linux routes 127.0.0.0/8 to lo),
# one port; feed i is at http://127.0.0.(i % 100 + 1):PORT/..., so
# feedmerge sees 100 hosts. Nothing leaves the machine.
#
# feedmerge: concurrency 32, per_host 4, clustering on, one Atom output,
# interval 1h (the warm and changed passes use --force). curl: --parallel
# --parallel-max 32, the 304 pass with each file's ETag as nginx computes it
# ("mtime-size" in hex).
#
# Environment: NS ("1000 10000"), BUILD (<repo>/build-runbench: a Release
# build, made if missing), CONC (32), PER_HOST (4), SKIP_BUILD=1, KEEP=DIR
# (keep the configs, states and logs of the last N there), PERF=HZ (each
# pass under `perf record -F HZ`, flat: $BUILD/scale/{cold,warm,changed}-N.perf), COLD_WRAP
# (a command the cold pass runs under, e.g. "heaptrack -o /tmp/cold": its
# figures are then not feedmerge's own), WARM_WRAP and CHANGED_WRAP (the same
# for the warm and the 10%-changed passes).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-runbench}
mkdir -p "$BUILD" && BUILD=$(cd "$BUILD" && pwd) # the floor runs from the feeds' folder
NS=${NS:-1000 10000}
CONC=${CONC:-32}
PER_HOST=${PER_HOST:-4}
PY=/usr/bin/python3
FM=$BUILD/feedmerge
FLOOR=$BUILD/expat-floor
TIME=/usr/bin/time
NGINX=${NGINX:-/usr/sbin/nginx}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/scale-bench.XXXXXX")
chmod 755 "$TMP" # nginx's workers (nobody) read the feeds under it
NPID=""

cleanup() {
	if [ -n "$NPID" ]; then
		kill "$NPID" 2>/dev/null || true
		wait "$NPID" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

need() {
	[ -x "$1" ] || command -v "$1" >/dev/null 2>&1 || { echo "scale-bench: $1 is missing (apt-get install $2)" >&2; exit 2; }
}
need "$NGINX" nginx-light
need curl curl
need cc gcc
need "$TIME" time
need "$PY" python3

if [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -x "$FM" ]; then
	echo "== building feedmerge (Release) in $BUILD" >&2
	cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFEEDMERGE_TESTS=OFF >"$TMP/build.log" 2>&1 &&
		cmake --build "$BUILD" -j2 >>"$TMP/build.log" 2>&1 || { cat "$TMP/build.log" >&2; exit 1; }
fi
[ -x "$FLOOR" ] && [ "$FLOOR" -nt "$HERE/expat-floor.c" ] ||
	cc -O2 -std=c11 -Wall -Wextra -o "$FLOOR" "$HERE/expat-floor.c" -lexpat

# intact DIR: true when every chunk's files still have their manifest sizes
# (a change pass once ran on a kept set itself; every later run measured it).
intact() {
	local c
	for c in "$1"/c*; do
		"$PY" "$HERE/gen-feeds.py" --check "$c" || return 1
	done
}

# feedset N: makes (once) and prints the folder of N feeds.
feedset() {
	local n=$1 dir=$BUILD/scale/feeds-$1 chunks k
	if [ ! -f "$dir/.done" ] || ! intact "$dir"; then
		echo "== generating $n feeds in $dir" >&2
		rm -rf "$dir"
		mkdir -p "$dir"
		if [ "$n" -le 10000 ]; then
			"$PY" "$HERE/gen-feeds.py" --seed 7 --feeds "$n" "$dir/c00" >&2
		else
			chunks=$(((n + 9999) / 10000))
			for k in $(seq 0 $((chunks - 1))); do echo "$k"; done |
				xargs -P 2 -I{} sh -c '"$3" "$4" --seed $((7 + $2)) --feeds 10000 "$(printf "%s/c%02d" "$1" "$2")" >&2' \
					sh "$dir" {} "$PY" "$HERE/gen-feeds.py"
		fi
		touch "$dir/.done"
	fi
	echo "$dir"
}

# measure NAME CMD...: appends "wall cpu maxrss_kb exit" to $TMP/NAME.
measure() {
	local name=$1 t0 t1 rc=0
	shift
	t0=$(date +%s.%N)
	"$TIME" -f '%U %S %M' -o "$TMP/time" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
	t1=$(date +%s.%N)
	awk -v t0="$t0" -v t1="$t1" -v rc="$rc" 'END { printf "%.2f %.2f %d %d\n", t1 - t0, $1 + $2, $3, rc }' \
		"$TMP/time" >"$TMP/$name"
	echo "   $name: $(cat "$TMP/$name") $(tail -1 "$TMP/$name.out" 2>/dev/null | cut -c1-150)" >&2
}
col() { awk -v c="$2" '{ print $c }' "$TMP/$1"; }

# nginx on 127.0.0.1-100 at a free port, serving $1.
nginx_start() {
	local root=$1 i
	PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	mkdir -p "$TMP/nginx"
	{
		printf 'worker_processes 1;\ndaemon off;\npid %s/nginx/pid;\nerror_log %s/nginx/error.log;\n' "$TMP" "$TMP"
		printf 'events { worker_connections 4096; }\nhttp {\n  access_log off;\n  sendfile on;\n'
		printf '  client_body_temp_path %s/nginx/body;\n  proxy_temp_path %s/nginx/proxy;\n' "$TMP" "$TMP"
		printf '  fastcgi_temp_path %s/nginx/fcgi;\n  uwsgi_temp_path %s/nginx/uwsgi;\n  scgi_temp_path %s/nginx/scgi;\n' "$TMP" "$TMP" "$TMP"
		printf '  types { application/rss+xml rss; application/atom+xml atom; }\n  default_type application/xml;\n'
		printf '  keepalive_requests 100000;\n  server {\n'
		for i in $(seq 1 100); do printf '    listen 127.0.0.%d:%d;\n' "$i" "$PORT"; done
		printf '    root %s;\n  }\n}\n' "$root"
	} >"$TMP/nginx/nginx.conf"
	"$NGINX" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" &
	NPID=$!
	for i in $(seq 100); do
		curl -s -o /dev/null "http://127.0.0.100:$PORT/" && return 0
		sleep 0.1
	done
	echo "scale-bench: nginx did not start:" >&2
	cat "$TMP/nginx/error.log" >&2
	exit 1
}

nginx_stop() {
	kill "$NPID" 2>/dev/null || true
	wait "$NPID" 2>/dev/null || true
	NPID=""
}

# curl_cfg ETAGS|- < paths > config: GET every path (with If-None-Match when ETAGS).
curl_cfg() {
	awk -F'\t' -v port="$PORT" -v cond="$([ "$1" = - ] && echo 0 || echo 1)" '{
		if (NR > 1) print "next"
		printf "url = \"http://127.0.0.%d:%d/%s\"\noutput = \"/dev/null\"\nwrite-out = \"%%{http_code}\\n\"\n", (NR - 1) % 100 + 1, port, $1
		if (cond) printf "header = \"If-None-Match: \\\"%s\\\"\"\n", $2
	}'
}

# etags DIR < paths: "path<TAB>etag" as nginx computes it (hex mtime - hex size).
etags() {
	"$PY" -c '
import os, sys
root = sys.argv[1]
for line in sys.stdin:
    p = line.rstrip("\n")
    st = os.stat(os.path.join(root, p))
    print("%s\t%x-%x" % (p, int(st.st_mtime), st.st_size))' "$1"
}

REPORT=$TMP/report
: >"$REPORT"
echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for N in $NS; do
	SET=$(feedset "$N")
	WORK=$TMP/work
	rm -rf "$WORK"
	# SET/. : when feeds-N is a symlink to another build's set, cp -al would
	# copy the link, and the 10% change would then rewrite that set.
	cp -al "$SET/." "$WORK"
	(cd "$WORK" && find . -name '*.rss' -o -name '*.atom' | sed 's|^\./||' | sort) >"$TMP/paths"
	[ "$(wc -l <"$TMP/paths")" = "$N" ] || { echo "scale-bench: $SET has $(wc -l <"$TMP/paths") feeds, not $N" >&2; exit 1; }
	BYTES=$(cd "$WORK" && tr '\n' '\0' <"$TMP/paths" | du -cb --files0-from=- | tail -1 | cut -f1)
	echo "== $N feeds, $((BYTES / 1000000)) MB" >&2

	# The expat floor: no-op handlers over the same files (one process per batch of files).
	t0=$(date +%s.%N)
	(cd "$WORK" && xargs -a "$TMP/paths" "$FLOOR" -n) >"$TMP/floor.out" 2>"$TMP/floor.err" || true
	FLOOR_CPU=$(awk '{ c += $3 } END { printf "%.2f", c }' "$TMP/floor.out")
	echo "   expat floor: $FLOOR_CPU s cpu" >&2

	nginx_start "$WORK"
	curl_cfg - <"$TMP/paths" >"$TMP/get.cfg"
	CURL=(curl -s --no-progress-meter --parallel --parallel-max "$CONC" -K)
	measure curl_get "${CURL[@]}" "$TMP/get.cfg"
	[ "$(grep -c '^200$' "$TMP/curl_get.out")" = "$N" ] || { echo "scale-bench: curl's GET pass: $(grep -c '^200$' "$TMP/curl_get.out") of $N were 200" >&2; exit 1; }

	# feedmerge's config.
	{
		printf '[feedmerge]\nstate = %s/state/feedmerge.db\ninterval = 1h\ntimeout = 120s\n' "$TMP"
		printf 'concurrency = %d\nper_host = %d\n\n' "$CONC" "$PER_HOST"
		printf '[output all]\npath = %s/out/all.atom\nformat = atom\n\n' "$TMP"
		awk -v port="$PORT" '{ printf "[feed f%06d]\nurl = http://127.0.0.%d:%d/%s\n\n", NR, (NR - 1) % 100 + 1, port, $1 }' "$TMP/paths"
	} >"$TMP/fm.ini"
	rm -rf "$TMP/state" "$TMP/out"
	mkdir -p "$TMP/state" "$TMP/out"
	measure fm_cold ${PERF:+perf record -F "$PERF" -o "$BUILD/scale/cold-$N.perf"} ${COLD_WRAP:-} "$FM" run -c "$TMP/fm.ini"
	STATE=$(du -cb "$TMP"/state/feedmerge.db* | tail -1 | cut -f1)
	measure fm_warm ${PERF:+perf record -F "$PERF" -o "$BUILD/scale/warm-$N.perf"} ${WARM_WRAP:-} "$FM" run --force -c "$TMP/fm.ini"
	etags "$WORK" <"$TMP/paths" | curl_cfg x >"$TMP/304.cfg"
	measure curl_304 "${CURL[@]}" "$TMP/304.cfg"
	[ "$(grep -c '^304$' "$TMP/curl_304.out")" = "$N" ] || { echo "scale-bench: curl's 304 pass: $(grep -c '^304$' "$TMP/curl_304.out") of $N were 304" >&2; exit 1; }

	# 10% of the feeds change (by rename: the kept set is not touched).
	for c in "$WORK"/c*; do
		"$PY" "$HERE/gen-feeds.py" --change $(($(ls "$c" | grep -c -E '\.(rss|atom)$') / 10)) --round 1 --seed 7 "$c" >/dev/null
	done
	measure fm_changed ${PERF:+perf record -F "$PERF" -o "$BUILD/scale/changed-$N.perf"} ${CHANGED_WRAP:-} "$FM" run --force -c "$TMP/fm.ini"
	STATE2=$(du -cb "$TMP"/state/feedmerge.db* | tail -1 | cut -f1)
	nginx_stop
	if [ -n "${KEEP:-}" ]; then
		mkdir -p "$KEEP"
		cp -r "$TMP/fm.ini" "$TMP/state" "$TMP"/fm_*.err "$TMP"/fm_*.out "$KEEP/"
	fi
	rm -rf "$WORK"

	"$PY" - "$N" "$BYTES" "$FLOOR_CPU" "$STATE" "$STATE2" "$TMP" >>"$REPORT" <<'EOF'
import sys
n, nbytes, floor, state, state2, tmp = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
r = {k: open("%s/%s" % (tmp, k)).read().split() for k in ("curl_get", "fm_cold", "fm_warm", "curl_304", "fm_changed")}
w = lambda k: float(r[k][0]); c = lambda k: float(r[k][1]); m = lambda k: int(r[k][2]) / 1024
print("%7d feeds %6.0f MB | cold %6.1f s wall %6.1f s cpu = %4.1fx expat (%5.1f s) | warm %5.2f s = %4.1fx curl 304 (%5.2f s) | "
      "10%% %5.1f s | RSS %4.0f MB | state %5.0f MB = %.2fx feeds (%.0f MB after 10%%) | curl GET %5.1f s"
      % (n, nbytes / 1e6, w("fm_cold"), c("fm_cold"), c("fm_cold") / floor if floor else 0, floor,
         w("fm_warm"), w("fm_warm") / w("curl_304"), w("curl_304"), w("fm_changed"),
         max(m("fm_cold"), m("fm_warm"), m("fm_changed")), state / 1e6, state / nbytes, state2 / 1e6, w("curl_get")))
EOF
	tail -1 "$REPORT" >&2
done
echo
echo "feedmerge run, concurrency $CONC, per_host $PER_HOST, 100 hosts on nginx (loopback), clustering on; floors in the same run"
cat "$REPORT"
