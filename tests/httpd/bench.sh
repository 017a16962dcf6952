#!/bin/sh
# Benchmark of tests/httpd/feedserver.py (not part of the self-test):
#  1. N small feeds (default 1000) fetched with If-None-Match by
#     curl --parallel --parallel-max 16 (all 304), 3 rounds, requests/s each;
#  2. C concurrent connections (default 1000) to /slow/2000/..., checked
#     against /_stats inflight_max (none refused).
# Usage: tests/httpd/bench.sh [N] [C]
set -u
N=${1:-1000}
CONC=${2:-1000}
here=$(cd "$(dirname "$0")" && pwd)
py=${FEEDSERVER_PYTHON:-/usr/bin/python3}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/feedserver-bench.XXXXXX") || exit 1
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$tmp/root/many"
"$py" "$here/feedserver.py" --root "$tmp/root" --portfile "$tmp/port" --log "$tmp/log" >/dev/null &
pid=$!
i=0
while [ ! -s "$tmp/port" ]; do
	i=$((i + 1))
	[ $i -gt 100 ] && { echo "server did not start" >&2; exit 1; }
	sleep 0.1
done
port=$(cat "$tmp/port")

# feeds, and a curl config giving each URL its own If-None-Match (the ETags
# are read back from the server, so this also checks they are stable)
"$py" - "$tmp" "$port" "$N" <<'EOF'
import hashlib, json, sys, urllib.request
tmp, port, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(tmp + "/bench.cfg", "w") as cfg:
    for i in range(1, n + 1):
        with open("%s/root/many/f%d.rss" % (tmp, i), "w") as f:
            f.write('<?xml version="1.0"?><rss version="2.0"><channel><title>Feed %d</title>'
                    '<item><title>item</title><guid>%d</guid></item></channel></rss>\n' % (i, i))
        host = "127.0.0.1" if i % 2 else "localhost"
        url = "http://%s:%s/feed/many/f%d.rss" % (host, port, i)
        etag = urllib.request.urlopen("http://127.0.0.1:%s/feed/many/f%d.rss" % (port, i)).headers["ETag"]
        cfg.write('url = "%s"\nheader = "If-None-Match: %s"\noutput = "/dev/null"\n'
                  'write-out = "%%{http_code}\\n"\n' % (url, etag.replace('"', '\\"')))
        if i < n:
            cfg.write("next\n")
EOF

for _ in 1 2 3; do
	curl -s -o /dev/null "http://127.0.0.1:$port/_reset"
	s=$(date +%s.%N)
	curl -s --no-progress-meter --parallel --parallel-max 16 -K "$tmp/bench.cfg" >"$tmp/codes"
	e=$(date +%s.%N)
	curl -s -o "$tmp/stats" "http://127.0.0.1:$port/_stats"
	echo "$s $e $(sort "$tmp/codes" | uniq -c | tr '\n' ' ')$("$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print("connections=%d per_host_max=%s" % (d["connections"], d["per_host_max"]))' "$tmp/stats")" |
		awk -v n="$N" '{ t = $2 - $1; $1 = ""; $2 = ""; printf "round: %d x 304 in %.3f s = %.0f req/s  (%s)\n", n, t, n / t, $0 }'
done

# concurrency: CONC connections at once, 250 per curl process
curl -s -o /dev/null "http://127.0.0.1:$port/_reset"
per=250
procs=$(((CONC + per - 1) / per))
p=0
while [ $p -lt $procs ]; do
	k=0
	: >"$tmp/c$p.cfg"
	while [ $k -lt $per ] && [ $((p * per + k)) -lt "$CONC" ]; do
		[ $k -gt 0 ] && echo next >>"$tmp/c$p.cfg"
		printf 'url = "http://127.0.0.1:%s/slow/2000/many/f1.rss"\noutput = "/dev/null"\nwrite-out = "%%{http_code}\\n"\n' "$port" >>"$tmp/c$p.cfg"
		k=$((k + 1))
	done
	curl -s --no-progress-meter --parallel --parallel-immediate --parallel-max $per -K "$tmp/c$p.cfg" >"$tmp/c$p.out" &
	p=$((p + 1))
done
wait_start=$(date +%s)
while [ "$(cat "$tmp"/c*.out 2>/dev/null | wc -l)" -lt "$CONC" ] && [ $(($(date +%s) - wait_start)) -lt 60 ]; do sleep 0.2; done
sleep 0.2
curl -s -o "$tmp/stats" "http://127.0.0.1:$port/_stats"
echo "concurrency: $(cat "$tmp"/c*.out | sort | uniq -c | tr '\n' ' ')inflight_max=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["inflight_max"])' "$tmp/stats") (of $CONC)"
kill "$pid"
wait "$pid"
pid=""
