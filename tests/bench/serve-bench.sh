#!/bin/bash
# serve-bench.sh - `feedmerge daemon --listen` against nginx serving the same
# ~100 KB output file, in one session, with wrk:
#   (a) 304s: every request carries the server's own ETag in If-None-Match
#   (b) full responses: the whole ~100 KB body, identity
#   (c) (b) while `feedmerge run --force` passes rewrite the file over
#       changing feeds: requests/s, non-2xx/3xx answers, and bodies that do
#       not end in </feed> (torn), counted by a wrk Lua script
# Each measurement is REPS runs of `wrk -t2 -c32 -d5s`, the two servers
# alternating; medians and feedmerge/nginx ratios are printed (goal >= 0.5).
#
#     tests/bench/serve-bench.sh      # build (Release), make the feeds and the output, measure
#
# Environment (all optional):
#     BUILD=DIR      build directory (default: <repo>/build-servebench)
#     REPS=N         repetitions per measurement (default 3)
#     DURATION=S     seconds per wrk run (default 5s)
#     CONNS=N        wrk connections (default 32); THREADS=N wrk threads (default 2)
#     WORKERS=N      nginx worker_processes (default 2, one per core of the
#                    2-vCPU VM); feedmerge answers with its default 2 threads
#     NGINX_CACHE=1  give nginx open_file_cache (valid 1s, the finest it takes;
#                    feedmerge re-stats every 100 ms); off by default, as in nginx
#     SKIP_BUILD=1   use the feedmerge already in $BUILD
# Needs (Debian 12): cmake gcc libmicrohttpd-dev zlib1g-dev (and feedmerge's
# other build deps), wrk, nginx, curl, python3. Nothing leaves 127.0.0.1.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-servebench}
REPS=${REPS:-3}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-2}
PY=/usr/bin/python3
FM=$BUILD/feedmerge
WORK=$BUILD/servework
NGINX_PID=""
FM_PID=""
LOOP_PID=""

for tool in wrk nginx curl cmake "$PY"; do
	command -v "$tool" >/dev/null 2>&1 || { echo "serve-bench.sh: needs $tool (apt-get install -y wrk nginx curl cmake python3)" >&2; exit 1; }
done

cleanup() {
	for p in $LOOP_PID $FM_PID $NGINX_PID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT

if [ -z "${SKIP_BUILD:-}" ]; then
	cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFEEDMERGE_TESTS=OFF >/dev/null
	cmake --build "$BUILD" -j2 --target feedmerge >/dev/null
fi

freeport() {
	"$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- The feeds and the ~100 KB output: 20 generated feeds, max_items raised until the file passes 100 KB.
rm -rf "$WORK"
mkdir -p "$WORK/feeds" "$WORK/out"
chmod 755 "$WORK" "$WORK/out"
"$PY" "$HERE/gen-feeds.py" --feeds 20 "$WORK/feeds" >/dev/null
config() {
	{
		printf '[feedmerge]\nstate = state.db\nkeep = 0\n\n'
		printf '[output all]\npath = out/all.atom\nformat = atom\nmax_items = %s\n\n' "$1"
		for f in "$WORK"/feeds/*.xml "$WORK"/feeds/*.rss "$WORK"/feeds/*.atom; do
			[ -e "$f" ] || continue
			n=$(basename "$f")
			printf '[feed %s]\nurl = file:%s\ninterval = 1h\n\n' "${n%.*}" "$f"
		done
	} >"$WORK/feeds.ini"
}
items=5
while :; do
	config $items
	"$FM" run -q --force -c "$WORK/feeds.ini" || true
	size=$(stat -c %s "$WORK/out/all.atom")
	[ "$size" -ge 100000 ] || [ $items -ge 400 ] && break
	items=$((items + 5))
done
echo "output: out/all.atom, $size bytes, max_items = $items; tail: $(tail -c 8 "$WORK/out/all.atom" | tr -d '\n')"

# --- The servers.
FM_PORT=$(freeport)
(cd "$WORK" && exec "$FM" daemon -q -c feeds.ini --listen "127.0.0.1:$FM_PORT" >"$WORK/daemon.out" 2>"$WORK/daemon.err") &
FM_PID=$!
NG_PORT=$(freeport)
cat >"$WORK/nginx.conf" <<EOF
worker_processes $WORKERS;
pid $WORK/nginx.pid;
error_log $WORK/nginx.err warn;
daemon off;
events { worker_connections 1024; }
http {
	access_log off;
	sendfile on;
	tcp_nopush on;
	etag on;
	keepalive_requests 1000000;
	${NGINX_CACHE:+open_file_cache max=64 inactive=10s; open_file_cache_valid 1s;}
	types { application/atom+xml atom; }
	server {
		listen 127.0.0.1:$NG_PORT;
		root $WORK/out;
		location / { }
	}
}
EOF
nginx -c "$WORK/nginx.conf" &
NGINX_PID=$!
for u in "http://127.0.0.1:$FM_PORT/all.atom" "http://127.0.0.1:$NG_PORT/all.atom"; do
	n=0
	until curl -sf -o /dev/null "$u"; do
		n=$((n + 1))
		[ $n -lt 100 ] || { echo "no answer from $u" >&2; cat "$WORK"/*.err >&2; exit 1; }
		sleep 0.1
	done
done
FM_URL=http://127.0.0.1:$FM_PORT/all.atom
NG_URL=http://127.0.0.1:$NG_PORT/all.atom
etag() { curl -s -D - -o /dev/null "$1" | sed -n 's/^[Ee][Tt][Aa][Gg]: *//p' | tr -d '\r'; }
for u in "$FM_URL" "$NG_URL"; do
	echo "$u: $(curl -s -o /dev/null -w '%{http_code} %{size_download} bytes' "$u"), ETag $(etag "$u"), 304 with it: $(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $(etag "$u")" "$u")"
done

cat >"$WORK/torn.lua" <<'EOF'
-- Counts 200 bodies that do not end as the Atom document does (torn), per thread.
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) torn = 0; whole = 0 end
function response(status, headers, body)
	if status == 200 then
		if string.sub(body, -8) == "</feed>\n" then whole = whole + 1 else torn = torn + 1 end
	end
end
function done(summary, latency, requests)
	local t, w = 0, 0
	for _, th in ipairs(threads) do t = t + th:get("torn"); w = w + th:get("whole") end
	io.write(string.format("bodies: %d whole, %d torn\n", w, t))
end
EOF

# run_wrk LABEL URL [WRK ARGS...]: one wrk run; appends "LABEL RPS NON2XX3XX TORN" to $WORK/results.
run_wrk() {
	label=$1 url=$2
	shift 2
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" "$@" "$url" >"$WORK/wrk.out" 2>&1
	rps=$(sed -n 's/^Requests\/sec: *//p' "$WORK/wrk.out")
	bad=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$WORK/wrk.out")
	errs=$(sed -n 's/^ *Socket errors: *//p' "$WORK/wrk.out")
	torn=$(sed -n 's/^bodies: .* \([0-9]*\) torn$/\1/p' "$WORK/wrk.out")
	echo "$label ${rps:-0} ${bad:-0} ${torn:--} ${errs:+errors:$(echo "$errs" | tr -d ' ')}" >>"$WORK/results"
	printf '  %-18s %10s req/s  non-2xx/3xx %s  torn %s %s\n' "$label" "${rps:-0}" "${bad:-0}" "${torn:--}" "${errs:+socket errors: $errs}"
}

# churn: passes over changing feeds, as fast as they go, until killed; counts them in $WORK/passes.
# The change rounds go on across calls ($WORK/round), so every pass brings new items.
churn() {
	n=0
	while :; do
		r=$(($(cat "$WORK/round") + 1))
		echo $r >"$WORK/round"
		"$PY" "$HERE/gen-feeds.py" --change 3 --round "$r" "$WORK/feeds" >/dev/null
		"$FM" run -q --force -c "$WORK/feeds.ini" >/dev/null 2>>"$WORK/churn.err" || echo "pass $r: exit $?" >>"$WORK/churn.err"
		n=$((n + 1))
		echo "$n" >"$WORK/passes"
	done
}

: >"$WORK/results"
: >"$WORK/churn.err"
echo 0 >"$WORK/round"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(uname -r); nginx $(nginx -v 2>&1 | sed 's/.*\///'), $WORKERS workers${NGINX_CACHE:+, open_file_cache}; feedmerge 2 threads; wrk -t$THREADS -c$CONNS -d$DURATION"
for rep in $(seq 1 "$REPS"); do
	echo "repetition $rep"
	order="fm ng"
	[ $((rep % 2)) -eq 0 ] && order="ng fm"
	for who in $order; do
		if [ $who = fm ]; then url=$FM_URL; else url=$NG_URL; fi
		run_wrk "a_304_$who" "$url" -H "If-None-Match: $(etag "$url")"
		run_wrk "b_full_$who" "$url"
	done
	for who in $order; do
		if [ $who = fm ]; then url=$FM_URL; else url=$NG_URL; fi
		echo 0 >"$WORK/passes"
		before=$(stat -c %i "$WORK/out/all.atom")
		churn &
		LOOP_PID=$!
		run_wrk "c_churn_$who" "$url" -s "$WORK/torn.lua"
		kill $LOOP_PID 2>/dev/null || true
		wait $LOOP_PID 2>/dev/null || true
		LOOP_PID=""
		echo "  (c) $who: $(cat "$WORK/passes") passes ran; the file was replaced: $([ "$(stat -c %i "$WORK/out/all.atom")" != "$before" ] && echo yes || echo NO)"
	done
done
if [ -s "$WORK/churn.err" ]; then
	echo "problems in the passes:"
	sed 's/^/  /' "$WORK/churn.err" | head
fi

"$PY" - "$WORK/results" <<'EOF'
import statistics, sys
rows = {}
bad = {}
for line in open(sys.argv[1]):
    f = line.split()
    rows.setdefault(f[0], []).append(float(f[1]))
    bad[f[0]] = bad.get(f[0], 0) + int(f[2]) + (int(f[3]) if f[3] != "-" else 0)
print("\nmedians over %d runs (req/s), ratio feedmerge/nginx (goal >= 0.5):" % len(rows["a_304_fm"]))
for key, label in (("a_304", "(a) 304"), ("b_full", "(b) full ~100 KB"), ("c_churn", "(c) full, passes rewriting")):
    fm, ng = statistics.median(rows[key + "_fm"]), statistics.median(rows[key + "_ng"])
    print("  %-28s feedmerge %9.0f   nginx %9.0f   ratio %.2f   bad answers/torn: feedmerge %d, nginx %d"
          % (label, fm, ng, fm / ng, bad[key + "_fm"], bad[key + "_ng"]))
EOF
