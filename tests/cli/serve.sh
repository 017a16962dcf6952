#!/bin/sh
# serve.sh BIN TESTS_DIR - `feedmerge daemon --listen`: the outputs and
# /healthz over HTTP.
#
# 1. --listen errors: malformed address, port 0, a port in use (exit 2).
# 2. A daemon over file: feeds serves each output at /FILE with its
#    Content-Type, a strong ETag, Last-Modified = the file's mtime, the
#    file's exact bytes; 304 on If-None-Match (exact, W/, list, *) and on
#    If-Modified-Since (only without If-None-Match); gzip when asked (and
#    only then); HEAD; query strings ignored; 404 for every other path
#    (/, traversal, encoded traversal, the state, the config); 405 with
#    Allow for other methods; a deleted output is 503 until rewritten.
# 3. /healthz (and `status`): 200 after the daemon's own first pass; a cron `run` beside
#    the daemon exits 0 and /healthz shows it; a cron pass that cannot
#    write an output turns /healthz 503 ("failed", exit status 3) and the
#    next good pass turns it back. A daemon whose own pass fails: 503, and
#    its unwritten output is 503 too.
# 4. Never torn: while `feedmerge run --force` rewrites the outputs over
#    changing feeds, every body fetched (identity and gzip) is complete and
#    parses (xml.etree, json), and one ETag always means one body.
# 5. SIGTERM: exit 0, nothing on stderr, the port free afterwards.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"

dpids=""
# cleanup: ends the daemons this script started.
cleanup() {
	for p in $dpids; do kill -9 "$p" 2>/dev/null; done
}
trap 'cleanup; rm -rf "$tmp"' EXIT

for tool in curl "$py"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "FAIL: serve.sh needs $tool (Debian: apt-get install curl python3)"
		exit 1
	fi
done

cat >"$tmp/serve.py" <<'EOF'
# serve.py - the Python side of serve.sh: ports, dates, JSON, the untorn check.
import email.utils, gzip, hashlib, http.client, json, os, random, socket, subprocess, sys, threading, time
import xml.etree.ElementTree as ET


def cmd_freeport():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
    s.close()


def cmd_portfree(port):
    """Exit 0 when a server can listen on 127.0.0.1:port again (connections in TIME_WAIT do not count)."""
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", int(port)))
        s.listen(1)
    except OSError as e:
        print("port %s still taken: %s" % (port, e))
        return 1
    finally:
        s.close()
    return 0


def cmd_hold(port, seconds):
    """Listens on port for a while (a port in use)."""
    s = socket.socket()
    s.bind(("127.0.0.1", int(port)))
    s.listen(1)
    print("ready", flush=True)
    time.sleep(float(seconds))


def cmd_head(port, path):
    """HEAD then GET on one connection: prints the HEAD's status, Content-Length, and whether a body followed."""
    s = socket.create_connection(("127.0.0.1", int(port)), timeout=10)
    s.sendall(("HEAD %s HTTP/1.1\r\nHost: x\r\n\r\n"
               "GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path).encode())
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    s.close()
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    length = [l.split(":", 1)[1].strip() for l in lines if l.lower().startswith("content-length:")]
    print(lines[0].split()[1], length[0] if length else "-",
          "no body" if rest.startswith(b"HTTP/1.1 404") else "body %r" % rest[:40])


def cmd_mtime(path):
    print(email.utils.formatdate(os.stat(path).st_mtime, usegmt=True))


def cmd_json(path, expr):
    with open(path) as f:
        d = json.load(f)
    print(eval(expr))


def cmd_gunzip_same(gz, plain):
    with open(gz, "rb") as f:
        data = f.read()
    if data[:2] != b"\x1f\x8b":
        print("no gzip magic: %r" % data[:4])
        return 1
    with open(plain, "rb") as f:
        want = f.read()
    got = gzip.decompress(data)
    if got != want:
        print("gunzipped %d bytes differ from the file's %d" % (len(got), len(want)))
        return 1
    return 0


def cmd_wait_health(port, want_code, want_status, after, wait_s):
    """Polls /healthz until it answers want_code with status want_status and finished >= after."""
    deadline = time.monotonic() + float(wait_s)
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", int(port), timeout=5)
            c.request("GET", "/healthz")
            r = c.getresponse()
            body = r.read()
            c.close()
            d = json.loads(body)
            last = "%d %s" % (r.status, body.decode().strip())
            if (r.status == int(want_code) and d["status"] == want_status and
                    (after == "-" or (d["finished"] or "") >= after)):
                print(body.decode().strip())
                return 0
        except (OSError, ValueError, http.client.HTTPException) as e:
            last = repr(e)
        time.sleep(0.1)
    print("healthz never became %s %s (finished >= %s); last: %s" % (want_code, want_status, after, last))
    return 1


def render(name, n, rev):
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
           '<title>%s</title><link>https://example.org/%s/</link><description>d</description>\n'
           % (name, name)]
    for i in range(n, 0, -1):
        out.append('<item><title>%s story %d rev %d</title><guid>%s-%d</guid>'
                   '<link>https://example.org/%s/%d</link><pubDate>%s</pubDate>'
                   '<description>Story %d of %s, revision %d: %s</description></item>\n'
                   % (name, i, rev, name, i, name, i,
                      time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(1700000000 + i * 600)),
                      i, name, rev, " ".join("word%d" % ((i * 7 + k) % 97) for k in range(60))))
    out.append("</channel></rss>\n")
    return "".join(out)


def cmd_feed(path, name, n, rev):
    with open(path + ".tmp", "w") as f:
        f.write(render(name, int(n), int(rev)))
    os.replace(path + ".tmp", path)


def well_formed(name, body):
    if name.endswith(".json"):
        d = json.loads(body)
        if "items" not in d:
            raise ValueError("no items")
        return len(d["items"])
    root = ET.fromstring(body)
    if name.endswith(".atom"):
        return len(root.findall("{http://www.w3.org/2005/Atom}entry"))
    return len(root.findall("channel/item"))


def cmd_untorn(port, bin_, ini, feeds_dir, runs, names):
    """Passes rewrite the outputs while readers fetch them; every body must be whole."""
    names = names.split(",")
    stop = threading.Event()
    problems, seen = [], {}
    counts = {"fetches": 0, "gzip": 0, "304": 0}
    lock = threading.Lock()

    def reader(k):
        rnd = random.Random(k)
        conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
        while not stop.is_set():
            name = rnd.choice(names)
            gz = rnd.random() < 0.3
            headers = {"Accept-Encoding": "gzip"} if gz else {}
            try:
                conn.request("GET", "/" + name, headers=headers)
                r = conn.getresponse()
                body = r.read()
            except (OSError, http.client.HTTPException) as e:
                with lock:
                    problems.append("%s: %r" % (name, e))
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=10)
                continue
            etag = r.getheader("ETag")
            with lock:
                counts["fetches"] += 1
            if r.status != 200:
                with lock:
                    problems.append("%s: HTTP %d" % (name, r.status))
                continue
            if r.getheader("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
                with lock:
                    counts["gzip"] += 1
            try:
                well_formed(name, body)
            except (ValueError, ET.ParseError, KeyError) as e:
                with lock:
                    problems.append("%s: torn or malformed body (%d bytes, ETag %s): %s"
                                    % (name, len(body), etag, e))
                continue
            digest = hashlib.sha256(body).hexdigest()
            with lock:
                prev = seen.setdefault((name, etag), digest)
                if prev != digest:
                    problems.append("%s: ETag %s named two different bodies" % (name, etag))

    threads = [threading.Thread(target=reader, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    statuses = []
    for rev in range(1, int(runs) + 1):
        for f, n in (("w", 40 + rev), ("l", 20 + rev % 5)):
            cmd_feed(os.path.join(feeds_dir, f + ".rss"), f, n, rev)
        r = subprocess.run([bin_, "run", "-q", "--force", "-c", ini],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        statuses.append(r.returncode)
        if r.returncode != 0:
            problems.append("run %d: exit %d: %s" % (rev, r.returncode, r.stderr.decode(errors="replace")))
        time.sleep(0.05)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join()
    versions = {}
    for (name, etag) in seen:
        versions[name] = versions.get(name, 0) + 1
    print("untorn: %d runs (exit %s), %d fetches (%d gzip), versions seen %s"
          % (int(runs), sorted(set(statuses)), counts["fetches"], counts["gzip"],
             ", ".join("%s %d" % kv for kv in sorted(versions.items()))))
    for name in names:
        if versions.get(name, 0) < 3:
            problems.append("%s: only %d versions seen while it was rewritten" % (name, versions.get(name, 0)))
    if counts["fetches"] < 100:
        problems.append("only %d fetches" % counts["fetches"])
    for p in problems[:20]:
        print("  " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(globals()["cmd_" + sys.argv[1].replace("-", "_")](*sys.argv[2:]) or 0)
EOF

# spy CMD ARGS...: runs a serve.py command; its output in $tmp/out, status in $st.
spy() {
	"$py" "$tmp/serve.py" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
}

# get NAME PATH [CURL ARGS...]: GET PATH; status in $code, headers in $tmp/h, body in $tmp/b.
get() {
	_p=$2
	shift 2
	: >"$tmp/b" # curl leaves the file alone when there is no body
	code=$(curl -s --path-as-is -o "$tmp/b" -D "$tmp/h" -w '%{http_code}' "$@" "http://127.0.0.1:$port$_p" 2>"$tmp/err")
}

# hdr NAME: the value of response header NAME in $tmp/h ("" when absent).
hdr() {
	grep -i "^$1:" "$tmp/h" | head -1 | cut -d: -f2- | sed 's/^ *//' | tr -d '\r'
}

# start_daemon DIR INI: starts `feedmerge daemon --listen` in DIR on a free
# port (trying again when another process takes it first); sets $port, $dpid.
start_daemon() {
	tries=0
	while :; do
		tries=$((tries + 1))
		port=$("$py" "$tmp/serve.py" freeport)
		( cd "$1" && exec "$bin" daemon -q -c "$2" --listen "127.0.0.1:$port" >d.out 2>d.err ) &
		dpid=$!
		dpids="$dpids $dpid"
		n=0
		while [ $n -lt 200 ] && kill -0 $dpid 2>/dev/null &&
			! curl -s -o /dev/null "http://127.0.0.1:$port/healthz"; do
			sleep 0.05
			n=$((n + 1))
		done
		if kill -0 $dpid 2>/dev/null; then
			return 0
		fi
		wait $dpid
		if [ $tries -lt 5 ] && grep -q "in use" "$1/d.err"; then
			continue
		fi
		echo "FAIL: the daemon did not start on port $port:"; sed 's/^/  | /' "$1/d.err"
		exit 1
	done
}

# stop_daemon NAME: SIGTERM, then the exit status must be 0 within 5 s, nothing on stderr.
stop_daemon() {
	kill -TERM $dpid
	n=0
	while kill -0 $dpid 2>/dev/null && [ $n -lt 100 ]; do
		sleep 0.05
		n=$((n + 1))
	done
	if kill -0 $dpid 2>/dev/null; then
		is "$1: SIGTERM ends it within 5 s" "still running" "exited"
		kill -9 $dpid
	fi
	wait $dpid
	dst=$?
}

# --- Feeds, configs.
mkdir -p "$tmp/a"
spy feed "$tmp/a/w.rss" w 40 0
spy feed "$tmp/a/l.rss" l 20 0
cat >"$tmp/a/feeds.ini" <<EOF
[feedmerge]
state = state.db
lock_wait = 20s

[output world]
path = out/world.atom
format = atom

[output wr]
path = out/world.rss
format = rss

[output wj]
path = out/world.json
format = json

[feed w]
url = file:w.rss
interval = 1h

[feed l]
url = file:l.rss
interval = 1h
EOF
# The same state, an output that cannot be written (its folder is a file): exit 3, even as root.
: >"$tmp/a/blocker"
sed 's|^path = out/world.json|path = blocker/world.json|' "$tmp/a/feeds.ini" >"$tmp/a/broken.ini"

# --- 1. --listen errors.
fm daemon -c "$tmp/a/feeds.ini" --listen 127.0.0.1:0
is "listen: port 0 is a usage error" "$st" 2
has "listen: port 0 says why" "$tmp/err" "the port must be a number from 1 to 65535"
fm daemon -c "$tmp/a/feeds.ini" --listen localhost:8080
is "listen: a host name is a usage error" "$st" 2
has "listen: numeric only" "$tmp/err" "numeric address"
fm daemon -c "$tmp/a/feeds.ini" --listen ::1:8080
is "listen: bare IPv6" "$st" 2
has "listen: brackets" "$tmp/err" "put an IPv6 address in brackets"
hold=$("$py" "$tmp/serve.py" freeport)
"$py" "$tmp/serve.py" hold "$hold" 20 >"$tmp/hold.out" &
hpid=$!
n=0
while [ ! -s "$tmp/hold.out" ] && [ $n -lt 100 ]; do sleep 0.05; n=$((n + 1)); done
fm daemon -c "$tmp/a/feeds.ini" --listen "127.0.0.1:$hold"
is "listen: a port in use" "$st" 2
has "listen: says it is in use" "$tmp/err" "cannot listen on 127.0.0.1:$hold: Address already in use"
kill $hpid 2>/dev/null
wait $hpid 2>/dev/null
is "listen: no state made by a daemon that could not start" "$(test -e "$tmp/a/state.db" && echo made)" ""

# --- 2. Serving.
start_daemon "$tmp/a" feeds.ini
spy wait-health "$port" 200 ok - 10
is "healthz: 200 after the daemon's own pass" "$st" 0
is "daemon: first pass written" "$(test -s "$tmp/a/out/world.json" && echo yes)" yes
cp "$tmp/out" "$tmp/health1"
has "healthz: the summary" "$tmp/health1" "3 of 3 outputs written"
has "healthz: exit status" "$tmp/health1" '"exit_status": 0'
get healthz /healthz
is "healthz: JSON" "$(hdr Content-Type)" "application/json; charset=utf-8"

# A version read in the second it was written goes out without Last-Modified
# (another version could share that date); wait that second out first.
sleep 1.1
for f in world.atom:application/atom+xml world.rss:application/rss+xml world.json:application/feed+json; do
	name=${f%%:*}
	type=${f#*:}
	get "$name" "/$name"
	is "$name: 200" "$code" 200
	is "$name: Content-Type" "$(hdr Content-Type)" "$type; charset=utf-8"
	is "$name: the file's bytes" "$(cmp "$tmp/b" "$tmp/a/out/$name" && echo same)" same
	etag=$(hdr ETag)
	is "$name: strong ETag" "$(printf '%s' "$etag" | grep -cE '^"[0-9a-f]{32}"$')" 1
	spy mtime "$tmp/a/out/$name"
	lm=$(cat "$tmp/out")
	is "$name: Last-Modified is the mtime" "$(hdr Last-Modified)" "$lm"
	is "$name: Vary" "$(hdr Vary)" "Accept-Encoding"
	is "$name: Cache-Control" "$(hdr Cache-Control)" "max-age=60"
	is "$name: Server says no version" "$(hdr Server)" "feedmerge"
	is "$name: identity unless asked" "$(hdr Content-Encoding)" ""

	get "$name" "/$name" -H "If-None-Match: $etag"
	is "$name: If-None-Match 304" "$code" 304
	is "$name: 304 has no body" "$(wc -c <"$tmp/b" | tr -d ' ')" 0
	is "$name: 304 carries the ETag" "$(hdr ETag)" "$etag"
	get "$name" "/$name" -H "If-None-Match: \"x\", W/$etag"
	is "$name: If-None-Match list, weak" "$code" 304
	get "$name" "/$name" -H 'If-None-Match: *'
	is "$name: If-None-Match *" "$code" 304
	get "$name" "/$name" -H 'If-None-Match: "0123"'
	is "$name: another ETag: 200" "$code" 200
	get "$name" "/$name" -H "If-Modified-Since: $lm"
	is "$name: If-Modified-Since 304" "$code" 304
	get "$name" "/$name" -H "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT"
	is "$name: If-Modified-Since earlier: 200" "$code" 200
	get "$name" "/$name" -H "If-Modified-Since: $lm" -H 'If-None-Match: "0123"'
	is "$name: If-None-Match wins over If-Modified-Since" "$code" 200
	get "$name" "/$name" -H "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT"
	is "$name: an If-Modified-Since in the future is ignored" "$code" 200
	get "$name" "/$name" -H "If-Modified-Since: not a date"
	is "$name: a bad If-Modified-Since is ignored" "$code" 200

	get "$name" "/$name" -H 'Accept-Encoding: gzip'
	is "$name: gzip" "$(hdr Content-Encoding)" gzip
	etag_gz=$(printf '%s' "$etag" | sed 's/"$/-gz"/')
	is "$name: gzip has its own ETag" "$(hdr ETag)" "$etag_gz"
	spy gunzip-same "$tmp/b" "$tmp/a/out/$name"
	is "$name: gzip body decompresses to the file" "$st $(cat "$tmp/out")" "0 "
	get "$name" "/$name" -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag"
	is "$name: identity ETag, gzip asked: 304" "$code" 304
	is "$name: ... carrying the gzip ETag" "$(hdr ETag)" "$etag_gz"
	get "$name" "/$name" -H "If-None-Match: $etag_gz"
	is "$name: gzip ETag, identity asked: 304" "$code" 304
	is "$name: ... carrying the identity ETag" "$(hdr ETag)" "$etag"
	get "$name" "/$name" -H 'Accept-Encoding: gzip;q=0, deflate'
	is "$name: gzip;q=0 is identity" "$(hdr Content-Encoding)" ""
	is "$name: identity body" "$(cmp "$tmp/b" "$tmp/a/out/$name" && echo same)" same

	spy head "$port" "/$name"
	is "$name: HEAD: 200, the GET's length, no body" "$(cat "$tmp/out")" \
		"200 $(wc -c <"$tmp/a/out/$name" | tr -d ' ') no body"
	get "$name" "/$name?cachebuster=123&x=../../state.db"
	is "$name: a query string is ignored" "$code $(cmp "$tmp/b" "$tmp/a/out/$name" && echo same)" "200 same"
	get "$name" "/$name" -X POST -d x=1
	is "$name: POST 405" "$code" 405
	is "$name: 405 says Allow" "$(hdr Allow)" "GET, HEAD"
done
etag_atom=$(curl -s -D - -o /dev/null "http://127.0.0.1:$port/world.atom" | grep -i '^etag:' | cut -d' ' -f2 | tr -d '\r')

for p in / /healthz/ /nope /world.atom/ /world.atom/x /../world.atom /%2e%2e/ /%2e%2e/state.db \
	/out/world.atom /state.db /feeds.ini /w.rss /world.ato /WORLD.ATOM /world.atom%00 /world%2fatom //world.atom; do
	get "404" "$p"
	is "404 for $p" "$code" 404
done
get 404 /nope -X DELETE
is "an unknown path with another method: 404" "$code" 404
get 405 /healthz -X PUT -d x
is "healthz PUT 405" "$code $(hdr Allow)" "405 GET, HEAD"
get encoded /world%2eatom
is "a percent-encoded name is the name" "$code" 200

# A deleted output: 503 with Retry-After until a pass writes it again.
rm "$tmp/a/out/world.rss"
sleep 0.3
get gone /world.rss
is "deleted output: 503" "$code" 503
is "deleted output: Retry-After" "$(hdr Retry-After)" 30

# Two versions written within one second share a Last-Modified: one read in
# the second it was written is served without it (ETag only), so no client
# can send that date back and be told the next version is unchanged; once
# the second is over it is read again and dated.
cp "$tmp/a/out/world.json" "$tmp/a/out/.young" && printf ' ' >>"$tmp/a/out/.young"
touch -d "@$(($(date +%s) + 2))" "$tmp/a/out/.young" # its second is not over for 2 s
mv "$tmp/a/out/.young" "$tmp/a/out/world.json"
spy mtime "$tmp/a/out/world.json"
sleep 0.2
get young /world.json
is "a version read in its own second: no Last-Modified" "$code [$(hdr Last-Modified)]" "200 []"
get young-ims /world.json -H "If-Modified-Since: $(cat "$tmp/out")"
is "a dateless version: If-Modified-Since gets 200" "$code" 200
sleep 3.2
get dated /world.json
is "the second over: read again and dated" "$(hdr Last-Modified)" "$(cat "$tmp/out")"
get dated-ims /world.json -H "If-Modified-Since: $(cat "$tmp/out")"
is "the second over: If-Modified-Since 304" "$code" 304

# --- 3. /healthz follows every pass on the state: cron runs beside the daemon.
spy feed "$tmp/a/w.rss" w 45 1
fm run --force -c "$tmp/a/feeds.ini"
is "cron run beside the daemon: exit 0, not 4" "$st" 0
has "cron run: new items" "$tmp/out" "5 new items"
spy wait-health "$port" 200 ok - 10
is "healthz: the cron run" "$(grep -c '5 new items' "$tmp/out")" 1
get back /world.rss
is "deleted output rewritten by the run: 200" "$code" 200
get atom-changed /world.atom -H "If-None-Match: $etag_atom"
is "changed output: the old ETag gets 200" "$code" 200
is "changed output: a new ETag" "$([ "$(hdr ETag)" != "$etag_atom" ] && echo new)" new

fm run -c "$tmp/a/broken.ini"
is "cron run that cannot write an output: exit 3" "$st" 3
spy wait-health "$port" 503 failed - 10
is "healthz: 503 after a failed pass" "$st" 0
has "healthz: failed pass's exit status" "$tmp/out" '"exit_status": 3'
has "healthz: failed pass says why" "$tmp/out" "outputs could not be written"
fm status -c "$tmp/a/feeds.ini"
has "status: the last pass" "$tmp/out" "exit status 3 (failed): 1 of 3 outputs could not be written"
fm status --json -c "$tmp/a/feeds.ini"
cp "$tmp/out" "$tmp/status.json"
spy json "$tmp/status.json" 'd["last_pass"]["exit_status"], d["last_pass"]["status"], len(d["feeds"])'
is "status --json: the last pass" "$(cat "$tmp/out")" "(3, 'failed', 2)"

fm run --force -c "$tmp/a/feeds.ini"
is "cron run after the failure" "$st" 0
spy wait-health "$port" 200 ok - 10
is "healthz: 200 again after a good pass" "$st" 0

# --- 4. Never torn: passes rewrite the outputs while they are fetched.
spy untorn "$port" "$bin" "$tmp/a/feeds.ini" "$tmp/a" 12 world.atom,world.rss,world.json
is "untorn: every body whole and well-formed" "$st" 0
cat "$tmp/out"
is "daemon: still running" "$(kill -0 $dpid 2>/dev/null && echo yes)" yes

# --- 5. SIGTERM.
stop_daemon "daemon"
is "daemon: exit 0 after SIGTERM, stderr empty" "$dst $(cat "$tmp/a/d.err")" "0 "
spy portfree "$port"
is "daemon: the port is free afterwards" "$st" 0
is "daemon: nothing answers" "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz")" 000

# --- A daemon whose own pass fails: 503 on /healthz, 503 for the output never written.
mkdir -p "$tmp/bad"
cp "$tmp/a/w.rss" "$tmp/bad/"
: >"$tmp/bad/blocker"
cat >"$tmp/bad/feeds.ini" <<EOF
[feedmerge]
state = state.db

[output x]
path = blocker/x.atom

[feed w]
url = file:w.rss
interval = 1h
EOF
start_daemon "$tmp/bad" feeds.ini
spy wait-health "$port" 503 failed - 10
is "failing daemon: healthz 503" "$st" 0
get never /x.atom
is "failing daemon: the output never written is 503" "$code" 503
stop_daemon "failing daemon"
is "failing daemon: exit 0 after SIGTERM" "$dst" 0
has "failing daemon: said why on stderr" "$tmp/bad/d.err" "outputs could not be written"

done_tests
