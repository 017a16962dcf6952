#!/bin/bash
# conn-bench.sh - connections opened and wall time of a cold `feedmerge run`
# over N feeds on one HTTPS host (loopback), with and without connection
# reuse and HTTP/2 multiplexing (issue 13); and the same feeds spread over
# HOSTS host names taking turns (127.0.0.1 ... 127.0.0.HOSTS, all loopback).
#
#     tests/bench/conn-bench.sh          # ~1 min: N = 200, concurrency 16, per_host 4
#
# The servers, all on 127.0.0.1 with a self-signed certificate made here
# (openssl; feedmerge trusts it through ca_file, verification on):
#   - feedserver.py --tls-cert (tests/httpd/): HTTP/1.1 keep-alive, Python;
#   - nginx (apt-get install nginx-light) on two ports, one speaking
#     HTTP/1.1 over TLS, one offering h2 by ALPN (`listen ... ssl http2`),
#     access log with $connection, keepalive_requests 100000.
# The modes (FEEDMERGE_BENCH_CONNECTIONS, read by `feedmerge run`):
#   fresh         a new connection per transfer, closed after it (no reuse);
#   no-multiplex  connections reused, one transfer at a time on each;
#   share         the default: reused, HTTP/2 transfers multiplexed as streams.
# Each cell is a cold pass (fresh state) REPS times, the cells taking turns
# (load drifts on shared machines): connections as
# feedmerge counts them (`run -v`: CURLINFO_NUM_CONNECTS summed) and as the
# server counts them (distinct connections in its log), median wall time.
#
# Environment: N (200), CONC (16), PER_HOST (4), REPS (5), HOSTS (40), BUILD
# (<repo>/build-connbench: a Release build, made if missing), SKIP_BUILD=1,
# NGINX (/usr/sbin/nginx), FM (another feedmerge binary: one from before
# issue 13 ignores the modes and prints no count; its column shows "?"). Runs where it is started: pin it yourself
# (`taskset -c 1 tests/bench/conn-bench.sh`); servers and feedmerge then
# share that core.
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-connbench}
N=${N:-200}
CONC=${CONC:-16}
PER_HOST=${PER_HOST:-4}
REPS=${REPS:-5}
HOSTS=${HOSTS:-40}
PY=/usr/bin/python3
FM=${FM:-$BUILD/feedmerge}
NGINX=${NGINX:-/usr/sbin/nginx}
TMP=$(mktemp -d "${TMPDIR:-/tmp}/conn-bench.XXXXXX")
chmod 755 "$TMP" # nginx's workers (nobody) read the feeds under it
NPID=""
SPID=""

cleanup() {
	for p in $NPID $SPID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

need() {
	[ -x "$1" ] || command -v "$1" >/dev/null 2>&1 || { echo "conn-bench: $1 is missing (apt-get install $2)" >&2; exit 2; }
}
need "$NGINX" nginx-light
need openssl openssl
need curl curl
need "$PY" python3

if [ "$FM" = "$BUILD/feedmerge" ] && { [ "${SKIP_BUILD:-0}" != 1 ] || [ ! -x "$FM" ]; }; then
	echo "== building feedmerge (Release) in $BUILD" >&2
	cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFEEDMERGE_TESTS=OFF >"$TMP/build.log" 2>&1 &&
		cmake --build "$BUILD" -j1 >>"$TMP/build.log" 2>&1 || { cat "$TMP/build.log" >&2; exit 1; }
fi

# The feeds, and a certificate for 127.0.0.1 that is its own CA.
"$PY" "$HERE/gen-feeds.py" --seed 7 --feeds "$N" "$TMP/feeds" >/dev/null 2>&1
(cd "$TMP/feeds" && ls | grep -E '\.(rss|atom|json)$' | sort) >"$TMP/names"
[ "$(wc -l <"$TMP/names")" = "$N" ] || { echo "conn-bench: gen-feeds.py made $(wc -l <"$TMP/names") feeds, not $N" >&2; exit 1; }
SANS=$(seq 1 "$HOSTS" | sed 's/^/IP:127.0.0./' | paste -sd,)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext "subjectAltName=$SANS" -keyout "$TMP/key.pem" -out "$TMP/cert.pem" 2>/dev/null
freeport() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# feedserver.py over TLS: HTTP/1.1 only (Python's ssl offers no ALPN h2).
"$PY" "$ROOT/tests/httpd/feedserver.py" --root "$TMP/feeds" --port 0 --portfile "$TMP/fsport" \
	--tls-cert "$TMP/cert.pem" --tls-key "$TMP/key.pem" >/dev/null 2>"$TMP/feedserver.err" &
SPID=$!
for i in $(seq 100); do [ -s "$TMP/fsport" ] && break; sleep 0.1; done
FSPORT=$(cat "$TMP/fsport")

# nginx: H1PORT HTTP/1.1 over TLS, H2PORT h2 (and HTTP/1.1 for clients without ALPN h2).
H1PORT=$(freeport)
H2PORT=$(freeport)
mkdir -p "$TMP/nginx"
cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $TMP/nginx/pid;
error_log $TMP/nginx/error.log;
events { worker_connections 4096; }
http {
  log_format conn '\$server_port \$connection \$server_protocol \$status';
  access_log $TMP/nginx/access.log conn;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  types { application/rss+xml rss; application/atom+xml atom; application/feed+json json; }
  default_type application/xml;
  sendfile on;
  keepalive_requests 100000;
  ssl_certificate $TMP/cert.pem;
  ssl_certificate_key $TMP/key.pem;
  server {
$(seq 1 "$HOSTS" | sed "s/.*/    listen 127.0.0.&:$H1PORT ssl;/")
    listen 127.0.0.1:$H2PORT ssl http2;
    root $TMP/feeds;
  }
}
EOF
"$NGINX" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" &
NPID=$!
for i in $(seq 100); do
	curl -s -o /dev/null --cacert "$TMP/cert.pem" "https://127.0.0.1:$H2PORT/" && break
	sleep 0.1
done
curl -s -o /dev/null --cacert "$TMP/cert.pem" "https://127.0.0.1:$FSPORT/_stats" ||
	{ echo "conn-bench: a server did not start" >&2; cat "$TMP/feedserver.err" "$TMP/nginx/error.log" >&2; exit 1; }

# config BASE: N feeds on BASE (an @ in it: feed i on host 127.0.0.(i % HOSTS + 1)), concurrency CONC, per_host PER_HOST.
config() {
	{
		printf '[feedmerge]\nstate = %s/state/feedmerge.db\ninterval = 1h\ntimeout = 60s\n' "$TMP"
		printf 'concurrency = %d\nper_host = %d\n\n' "$CONC" "$PER_HOST"
		printf '[output all]\npath = %s/out/all.atom\nformat = atom\n\n' "$TMP"
		awk -v base="$1" -v ca="$TMP/cert.pem" -v hosts="$HOSTS" '{ b = base; sub(/@/, (NR - 1) % hosts + 1, b)
			printf "[feed f%04d]\nurl = %s/%s\nca_file = %s\n\n", NR, b, $1, ca }' "$TMP/names"
	} >"$TMP/fm.ini"
}

# server_conns SERVER: connections the server accepted for the last pass (and the protocol nginx logged).
server_conns() {
	case $1 in
	feedserver)
		# /_reset came before the pass; this /_stats request is one more connection.
		curl -s --cacert "$TMP/cert.pem" "https://127.0.0.1:$FSPORT/_stats" |
			"$PY" -c 'import json, sys; print(json.load(sys.stdin)["connections"] - 1, "HTTP/1.1")' ;;
	nginx-h1) awk -v p="$H1PORT" '$1 == p { c[$2] = 1; proto = $3 } END { print length(c), proto }' "$TMP/nginx/access.log" ;;
	nginx-h2) awk -v p="$H2PORT" '$1 == p { c[$2] = 1; proto = $3 } END { print length(c), proto }' "$TMP/nginx/access.log" ;;
	esac
}

# once ID SERVER BASE MODE: one cold pass; appends wall, connections
# (feedmerge's, the server's) and the protocol to $TMP/ID.
once() {
	local id=$1 server=$2 base=$3 mode=$4 t0 t1 said
	config "$base"
	rm -rf "$TMP/state" "$TMP/out"
	mkdir -p "$TMP/state" "$TMP/out"
	: >"$TMP/nginx/access.log"
	curl -s -o /dev/null --cacert "$TMP/cert.pem" "https://127.0.0.1:$FSPORT/_reset"
	t0=$(date +%s.%N)
	FEEDMERGE_BENCH_CONNECTIONS=$mode "$FM" run -v -c "$TMP/fm.ini" >"$TMP/run.out" 2>"$TMP/run.err" ||
		{ echo "conn-bench: $server $mode: feedmerge run failed:" >&2; tail -5 "$TMP/run.err" "$TMP/run.out" >&2; exit 1; }
	t1=$(date +%s.%N)
	grep -q "^$N fetched, 0 not modified, 0 failed" "$TMP/run.out" ||
		{ echo "conn-bench: $server $mode: not all $N fetched:" >&2; cat "$TMP/run.out" >&2; exit 1; }
	said=$(sed -n 's/^feedmerge: [0-9]* transfers over \([0-9]*\) connections*$/\1/p' "$TMP/run.err")
	echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') ${said:-?} $(server_conns "$server")" >>"$TMP/$id"
}

# CELLS: id server base mode, one a line; every repetition runs each once, in turn.
CELLS="fs-fresh feedserver https://127.0.0.1:$FSPORT/feed fresh
fs-share feedserver https://127.0.0.1:$FSPORT/feed share
h1-fresh nginx-h1 https://127.0.0.1:$H1PORT fresh
h1-share nginx-h1 https://127.0.0.1:$H1PORT share
hosts-fresh nginx-h1 https://127.0.0.@:$H1PORT fresh
hosts-share nginx-h1 https://127.0.0.@:$H1PORT share
h2-fresh nginx-h2 https://127.0.0.1:$H2PORT fresh
h2-nomux nginx-h2 https://127.0.0.1:$H2PORT no-multiplex
h2-share nginx-h2 https://127.0.0.1:$H2PORT share"

echo "machine: $(nproc) cpus, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), load $(cut -d' ' -f1-3 /proc/loadavg); $(curl -V | head -1 | cut -d' ' -f2-4)" >&2
for r in $(seq "$REPS"); do
	echo "$CELLS" | while read -r id server base mode; do once "$id" "$server" "$base" "$mode"; done
done
echo "cold feedmerge run, $N feeds ($(du -sh "$TMP/feeds" | cut -f1)) on one HTTPS host, concurrency $CONC, per_host $PER_HOST, $REPS runs each (interleaved)"
echo "$CELLS" | while read -r id server base mode; do
	case $base in *@*) server="$HOSTS hosts" ;; esac
	sort -n "$TMP/$id" | awk -v s="$server" -v m="$mode" '{ w[NR] = $1; c = c " " $2; sv = sv " " $3; p = $4 } END {
		printf "%-10s %-9s %-12s | connections: feedmerge%-12s server%-12s | wall median %.3f s (min %.3f, max %.3f)\n",
			s, p, m, c, sv, w[int((NR + 1) / 2)], w[1], w[NR] }'
done
