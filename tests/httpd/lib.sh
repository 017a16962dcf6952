# lib.sh - what the integration tests that drive feedmerge against
# tests/httpd/feedserver.py share. Source it after setting $bin (the
# feedmerge binary) and $tmp (a scratch directory the caller removes).
# The server listens on 127.0.0.1 only and is stopped on exit.

httpd_dir=$(cd "$(dirname "${lib_sh:-$0}")" && pwd)
py=/usr/bin/python3
srv_pid=""
fail=0
ntests=0

# srv_start ROOT: starts the server on an ephemeral port; sets $port and $base.
srv_start() {
	rm -f "$tmp/port"
	"$py" "$httpd_dir/feedserver.py" --root "$1" --port 0 --portfile "$tmp/port" \
		--log "$tmp/requests.log" >/dev/null 2>"$tmp/server.err" &
	srv_pid=$!
	i=0
	while [ ! -s "$tmp/port" ]; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$srv_pid" 2>/dev/null; then
			echo "FAIL: the test server did not start"; cat "$tmp/server.err"
			exit 1
		fi
		sleep 0.05
	done
	port=$(cat "$tmp/port")
	base="http://127.0.0.1:$port"
}

# srv_stop: stops the server (also on exit).
srv_stop() {
	[ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid" 2>/dev/null
	srv_pid=""
}

# tls_make DIR: a private CA (DIR/ca.pem) and a certificate for 127.0.0.1
# signed by it (DIR/srv.pem, DIR/srv.key), made with openssl; the log in DIR/log.
tls_make() {
	mkdir -p "$1"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$1/ca.key" -out "$1/ca.pem" -days 2 \
		-subj "/CN=feedmerge test CA" >"$1/log" 2>&1
	openssl req -newkey rsa:2048 -nodes -keyout "$1/srv.key" -out "$1/srv.csr" -subj "/CN=127.0.0.1" \
		>>"$1/log" 2>&1
	printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$1/ext"
	openssl x509 -req -in "$1/srv.csr" -CA "$1/ca.pem" -CAkey "$1/ca.key" -CAcreateserial \
		-out "$1/srv.pem" -days 2 -extfile "$1/ext" >>"$1/log" 2>&1
}

# tls_start ROOT CERT KEY: a second server speaking HTTPS with CERT; sets $tls_base.
tls_pid=""
tls_start() {
	rm -f "$tmp/tlsport"
	"$py" "$httpd_dir/feedserver.py" --root "$1" --port 0 --portfile "$tmp/tlsport" \
		--tls-cert "$2" --tls-key "$3" --log "$tmp/requests.log" >/dev/null 2>"$tmp/tlsserver.err" &
	tls_pid=$!
	i=0
	while [ ! -s "$tmp/tlsport" ]; do
		i=$((i + 1))
		if [ $i -gt 200 ] || ! kill -0 "$tls_pid" 2>/dev/null; then
			echo "FAIL: the TLS test server did not start"; cat "$tmp/tlsserver.err"
			exit 1
		fi
		sleep 0.05
	done
	tls_base="https://127.0.0.1:$(cat "$tmp/tlsport")"
}

# tls_stop: stops the HTTPS server (also on exit).
tls_stop() {
	[ -n "$tls_pid" ] && kill "$tls_pid" 2>/dev/null && wait "$tls_pid" 2>/dev/null
	tls_pid=""
}
trap 'srv_stop; tls_stop; rm -rf "$tmp"' EXIT

# requests PATH_PREFIX: how many logged requests had a path starting with PATH_PREFIX.
requests() {
	"$py" -c '
import json, sys
n = 0
for line in open(sys.argv[1]):
    if json.loads(line)["path"].startswith(sys.argv[2]): n += 1
print(n)' "$tmp/requests.log" "$1"
}

# last_request PATH_PREFIX FIELD: FIELD of the last logged request to PATH_PREFIX ("None" when absent).
last_request() {
	"$py" -c '
import json, sys
v = "no request"
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["path"].startswith(sys.argv[2]): v = r.get(sys.argv[3])
print(v)' "$tmp/requests.log" "$1" "$2"
}

# stats EXPR: a Python expression over /_stats as d.
stats() {
	curl -s "$base/_stats" >"$tmp/stats.json"
	"$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$tmp/stats.json" "$1"
}

# config FEEDS_SECTIONS...: writes $tmp/feeds.ini with a state, one Atom output and the sections given.
config() {
	{
		printf '[feedmerge]\nstate = state.db\ntimeout = %s\nlock_wait = %s\n' \
			"${timeout:-10s}" "${lock_wait:-1s}"
		printf 'max_feed_size = %s\nconcurrency = %s\nper_host = %s\n\n' \
			"${max_feed_size:-1M}" "${concurrency:-8}" "${per_host:-2}"
		printf '[output all]\npath = merged/all.atom\nformat = atom\n\n'
		for s in "$@"; do printf '%s\n\n' "$s"; done
	} >"$tmp/feeds.ini"
}

# feed NAME URL [MORE]: one [feed] section.
feed() {
	printf '[feed %s]\nurl = %s\ninterval = 1h\n%s' "$1" "$2" "${3:-}"
}

# fm ARGS...: runs feedmerge with ARGS, output in $tmp/out and $tmp/err, status in $st.
fm() {
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
}

# json FILE EXPR: prints a Python expression over the JSON file FILE, read as d.
json() {
	"$py" -c 'import json,sys; d=json.load(open(sys.argv[1], encoding="utf-8")); print(eval(sys.argv[2]))' "$1" "$2"
}

# is NAME GOT WANT: GOT must equal WANT.
is() {
	ntests=$((ntests + 1))
	if [ "$2" != "$3" ]; then
		echo "FAIL $1: got [$2], want [$3]"
		sed 's/^/  out| /' "$tmp/out" 2>/dev/null; sed 's/^/  err| /' "$tmp/err" 2>/dev/null
		fail=1
	fi
}

# has NAME FILE TEXT: FILE must contain the fixed string TEXT.
has() {
	ntests=$((ntests + 1))
	if ! grep -qF -- "$3" "$2"; then
		echo "FAIL $1: no '$3' in $2:"; sed 's/^/  | /' "$2"
		fail=1
	fi
}

# hasnt NAME FILE TEXT: FILE must not contain TEXT.
hasnt() {
	ntests=$((ntests + 1))
	if grep -qF -- "$3" "$2"; then
		echo "FAIL $1: '$3' in $2:"; sed 's/^/  | /' "$2"
		fail=1
	fi
}

# rss TITLE N [PREFIX]: an RSS 2.0 feed with N items whose guids are PREFIX-1..N.
rss() {
	printf '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>%s</title><link>https://example.org/</link><description>d</description>\n' "$1"
	i=1
	while [ "$i" -le "$2" ]; do
		printf '<item><title>%s story %d</title><guid>%s-%d</guid><link>https://example.org/%s/%d</link><pubDate>Mon, 02 Jan 2006 15:%02d:00 GMT</pubDate><description>Text of story %d of %s.</description></item>\n' \
			"$1" "$i" "${3:-$1}" "$i" "${3:-$1}" "$i" "$((i % 60))" "$i" "$1"
		i=$((i + 1))
	done
	printf '</channel></rss>\n'
}

# done_tests: prints the tally and exits with the verdict.
done_tests() {
	echo "$ntests checks, $([ $fail = 0 ] && echo all passed || echo FAILURES)"
	exit $fail
}
