#!/bin/sh
# auth.sh BIN TESTS_DIR - feeds that need more than a URL, against the test
# server on 127.0.0.1: HTTP basic authentication (password and
# password_file), request headers, a proxy, https with a private CA
# (ca_file; tls_verify = no warned about), and secrets kept out of the
# state, the logs, `status` and `check`.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
# The proxy test must not be overridden by the environment's.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy no_proxy NO_PROXY

mkdir -p "$tmp/root"
rss "Alpha" 3 >"$tmp/root/a.rss"
rss "Gamma" 1 >"$tmp/root/c.rss" # the feed sent without credentials: its own path, so a.rss's last request is the good one's
rss "Beta" 2 >"$tmp/root/b.rss"
srv_start "$tmp/root"
cd "$tmp"
secret='s3cret-Pa55'
printf '%s\n' "$secret" >pw.txt
chmod 600 pw.txt

# --- Basic authentication: 401 without, 200 with, a wrong password named as such.
config "$(feed none "$base/auth/reader/$secret/c.rss")" \
	"$(feed good "$base/auth/reader/$secret/a.rss" "username = reader
password = $secret
")" \
	"$(feed fromfile "$base/auth/reader/$secret/b.rss" "username = reader
password_file = pw.txt
")" \
	"$(feed wrong "$base/auth/reader/$secret/b.rss" "username = reader
password = not-it
")"
fm run -c feeds.ini
is "auth: some failed" "$st" 1
has "auth: two fetched, two failed" out "2 fetched, 0 not modified, 2 failed"
has "auth: no credentials" err "feed none: $base/auth/reader/$secret/c.rss: HTTP 401: authentication required"
has "auth: wrong password" err "feed wrong: $base/auth/reader/$secret/b.rss: HTTP 401: authentication failed"
hasnt "auth: a 401 is not 'not a feed'" err "not a feed"
is "auth: the good one sent credentials" "$(last_request /auth/reader/$secret/a.rss authorization)" True
fm status -c feeds.ini
has "auth: status says authentication failed" out "authentication failed"
fm check -c feeds.ini
is "check: valid" "$st" 0
has "check: password hidden" out "(hidden)"
has "check: password file named" out "(hidden; read from $tmp/pw.txt)"
has "check: plain http warned" out "# warning: feed good: password sent over plain http://"
grep -v '^url\|auth/' out | grep -qF -- "$secret" && grep -qF "password = $secret" out
is "check never prints a password" $? 1
grep -F -- "not-it" out >/dev/null
is "check never prints the wrong password either" $? 1
fm check -c feeds.ini --json
has "check --json: password a flag" out '"password": true'
grep -qF 'not-it' out
is "check --json never prints a password" $? 1
fm run -c feeds.ini --force -v
for f in state.db state.db-wal; do
	[ -f "$f" ] || continue
	grep -c 'not-it' "$f" >/dev/null
	is "the password is not in $f" $? 1
done
grep -qF 'not-it' out err
is "the password is not in the run's output" $? 1

# --- password_file: unreadable or empty is a config error naming file, line and key.
printf '[feedmerge]\nstate = state.db\n[feed x]\nurl = %s\nusername = u\npassword_file = missing.txt\n' "$base/feed/a.rss" >bad.ini
fm check -c bad.ini
is "missing password_file: config error" "$st" 2
has "missing password_file named" err "bad.ini:6: [feed x] password_file: cannot read the password from $tmp/missing.txt"
printf '[feedmerge]\nstate = state.db\n[feed x]\nurl = %s\npassword = p\n' "$base/feed/a.rss" >bad.ini
fm check -c bad.ini
has "password without username" err "[feed x] username: missing"
printf '[feedmerge]\nstate = state.db\n[feed x]\nurl = %s\nheader = no colon here\n' "$base/feed/a.rss" >bad.ini
fm check -c bad.ini
has "bad header refused" err "bad.ini:5: [feed x] header: expected Name: value"

# --- Headers: repeatable, sent with the request; the value stays out of check.
rm -f state.db*
config "$(feed tok "$base/header/X-Token/t0ken-42/a.rss" "header = X-Token: t0ken-42
header = Cookie: session=abc
")" "$(feed notok "$base/header/X-Token/t0ken-42/b.rss")"
fm run -c feeds.ini
has "header: the protected feed with its header" out "1 fetched, 0 not modified, 1 failed"
has "header: 403 without" err "feed notok: $base/header/X-Token/t0ken-42/b.rss: HTTP 403"
rm -f state.db*
config "$(feed tok "$base/header/Cookie/session=abc/a.rss" "header = X-Token: t0ken-42
header = Cookie: session=abc
")"
fm run -c feeds.ini
is "header: the second header is sent too" "$st" 0
fm check -c feeds.ini
has "check: header names" out "header         = X-Token: (value hidden)"
has "check: both headers" out "header         = Cookie: (value hidden)"
hasnt "check: no header value" out "t0ken-42"

# --- Proxy: requests go through it (absolute form), for a host never resolved.
rm -f state.db*
config "$(feed viaproxy "http://feeds.invalid/feed/a.rss" "proxy = $base
")"
fm run -c feeds.ini
is "proxy: fetched through the proxy" "$st" 0
is "proxy: the server saw a proxied request" "$(last_request http://feeds.invalid/feed/a.rss proxied)" True
printf '[feedmerge]\nstate = state.db\nproxy = %s\n[output o]\npath = o.atom\n[feed viaproxy]\nurl = http://feeds.invalid/feed/b.rss\n' "$base" >proxy.ini
rm -f state.db*
fm run -c proxy.ini
is "proxy: [feedmerge] proxy is every feed's default" "$st" 0
printf '[feedmerge]\nstate = state.db\nproxy = http://u:pw-in-proxy@127.0.0.1:1\n[feed x]\nurl = %s\n' "$base/feed/a.rss" >bad.ini
fm check -c bad.ini
has "check: proxy shown" out "proxy          = http://(hidden)@127.0.0.1:1"
hasnt "check: proxy password hidden" out "pw-in-proxy"

# --- https with a private CA: accepted with ca_file, refused without it.
tls_make tls
is "openssl made a certificate" "$(test -s tls/srv.pem && echo yes)" yes
tls_start "$tmp/root" "$tmp/tls/srv.pem" "$tmp/tls/srv.key"
rm -f state.db*
config "$(feed private "$tls_base/feed/a.rss" "ca_file = tls/ca.pem
")" "$(feed untrusted "$tls_base/feed/b.rss")"
fm run -c feeds.ini
is "tls: one failed" "$st" 1
has "tls: the private CA's feed fetched" out "1 fetched, 0 not modified, 1 failed"
has "tls: refused without ca_file" err "feed untrusted: $tls_base/feed/b.rss:"
has "tls: a certificate problem" err "certificate"
rm -f state.db*
config "$(feed insecure "$tls_base/feed/b.rss" "tls_verify = no
")"
fm run -c feeds.ini
is "tls_verify = no fetches" "$st" 0
fm check -c feeds.ini
has "check warns about tls_verify = no" out "# warning: feed insecure: tls_verify = no"
printf '[feedmerge]\nstate = state.db\nca_file = tls/ca.pem\n[output o]\npath = o.atom\n[feed private]\nurl = %s\n' "$tls_base/feed/a.rss" >ca.ini
rm -f state.db*
fm run -c ca.ini
is "tls: [feedmerge] ca_file is every feed's default" "$st" 0

done_tests
