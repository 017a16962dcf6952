#!/bin/sh
# polite.sh BIN TESTS_DIR - feeds are polled no more often than their
# publisher asks: Cache-Control max-age/s-maxage (no-cache: no floor),
# Expires against the response's Date, RSS <ttl>, sy:updatePeriod, skipHours
# across midnight, the same in a UTF-16 feed (read by the parser, not by a
# byte scanner); max_interval caps a lying max-age; interval = auto from
# the posting rhythm; a 304 keeps the 200's floor unless it brings its own;
# run --force still fetches everything. The clock is moved with
# $FEEDMERGE_TEST_NOW (a test-only hook of run and status).
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

# chan TITLE EXTRA N STEP: an RSS feed with channel elements EXTRA and N items STEP seconds apart.
chan() {
	printf '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel><title>%s</title><link>https://example.org/</link><description>d</description>%s\n' "$1" "$2"
	i=0
	while [ "$i" -lt "$3" ]; do
		printf '<item><title>%s %d</title><guid>%s-%d</guid><pubDate>%s</pubDate><description>Story %d of %s, with its own words.</description></item>\n' \
			"$1" "$i" "$1" "$i" "$(date -u -d "@$((T0 - 600 - i * $4))" '+%a, %d %b %Y %H:%M:%S GMT')" "$i" "$1"
		i=$((i + 1))
	done
	printf '</channel></rss>\n'
}
# pfeed NAME URL INTERVAL: one [feed] section.
pfeed() {
	printf '[feed %s]\nurl = %s\ninterval = %s\n' "$1" "$2" "$3"
}

# 2024-01-01 (a Monday) 22:55 UTC: the pass's clock.
T0=1704149700
mkdir -p "$tmp/root"
cd "$tmp/root"
chan plain "" 2 3600 >plain.rss
chan ttl "<ttl>90</ttl>" 2 3600 >ttl.rss
chan sy "<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>4</sy:updateFrequency>" 2 3600 >sy.rss
chan skip "<skipHours><hour>23</hour><hour>0</hour><hour>1</hour></skipHours>" 2 3600 >skip.rss
chan often "" 20 600 >often.rss
chan rare "" 6 259200 >rare.rss
chan item-ttl "" 1 60 | sed 's|<item>|<item><ttl>600</ttl>|' >itemttl.rss
chan utf16 "<ttl>120</ttl><skipDays><day>Monday</day></skipDays>" 2 3600 | sed 's|encoding="utf-8"|encoding="utf-16"|' |
	"$py" -c 'import sys; sys.stdout.buffer.write(sys.stdin.read().encode("utf-16"))' >utf16.rss
srv_start "$tmp/root"
cd "$tmp"
exp=$(date -u -d "@$(($(date +%s) + 7200))" '+%a,%%20%d%%20%b%%20%Y%%20%H:%M:%S%%20GMT')
config "$(pfeed plain "$base/headers/plain.rss" 10m)" \
	"$(pfeed cc "$base/headers/plain.rss?h=Cache-Control:%20public,%20max-age=3600" 10m)" \
	"$(pfeed smax "$base/headers/plain.rss?h=Cache-Control:%20max-age=60,%20s-maxage=5400" 10m)" \
	"$(pfeed nocache "$base/headers/ttl.rss?h=Cache-Control:%20no-cache" 10m)" \
	"$(pfeed exp "$base/headers/plain.rss?h=Expires:%20$exp" 10m)" \
	"$(pfeed ttl "$base/headers/ttl.rss" 10m)" \
	"$(pfeed sy "$base/headers/sy.rss" 10m)" \
	"$(pfeed skip "$base/headers/skip.rss" 10m)" \
	"$(pfeed liar "$base/headers/plain.rss?h=Cache-Control:%20max-age=31536000" 10m)" \
	"$(pfeed keep "$base/headers/plain.rss?h200=Cache-Control:%20max-age=7200" 10m)" \
	"$(pfeed renew "$base/headers/plain.rss?h200=Cache-Control:%20max-age=7200&h304=Cache-Control:%20max-age=10800" 10m)" \
	"$(pfeed often "$base/headers/often.rss" auto)" \
	"$(pfeed rare "$base/headers/rare.rss" auto)" \
	"$(pfeed itemttl "$base/headers/itemttl.rss" 10m)" \
	"$(pfeed utf16 "$base/headers/utf16.rss" 10m)"

# plan FEED: "SECONDS-AFTER-T0 WHY" from status --json.
plan() {
	FEEDMERGE_TEST_NOW=$T0 "$bin" status -c feeds.ini --json >status.json
	"$py" - "$1" "$T0" <<'EOP'
import json, sys, datetime
d = json.load(open("status.json"))
f = [x for x in d["feeds"] if x["name"] == sys.argv[1]][0]
t = datetime.datetime.strptime(f["next_due"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
print(int(t.timestamp()) - int(sys.argv[2]), f["next_why"])
EOP
}
# within NAME FEED LOW HIGH WHY: the next poll lies LOW..HIGH seconds after T0, for WHY.
within() {
	r=$(plan "$2")
	got=${r%% *} why=${r#* }
	ntests=$((ntests + 1))
	if [ "$got" -lt "$3" ] || [ "$got" -gt "$4" ] || [ "$why" != "$5" ]; then
		echo "FAIL $1: next poll +$got s ($why), want +$3..$4 s ($5)"
		fail=1
	fi
}

FEEDMERGE_TEST_NOW=$T0 fm run -c feeds.ini
is "first pass" "$st" 0
has "all fetched" out "15 fetched, 0 not modified, 0 failed"
within "no floor: the interval" plain 600 660 "interval 10m"
within "Cache-Control max-age" cc 3600 3960 "Cache-Control max-age=3600"
within "s-maxage wins over max-age" smax 5400 5940 "Cache-Control s-maxage=5400"
within "no-cache: no HTTP floor (the ttl still counts)" nocache 5400 5940 "ttl 90m"
within "Expires against the response's Date" exp 7190 7930 "Expires"
within "ttl in minutes" ttl 5400 5940 "ttl 90m"
within "sy:updatePeriod / updateFrequency" sy 21600 23760 "sy:updatePeriod 6h"
within "skipHours across midnight: 23:05 moves to 02:00" skip 11100 11100 "skipHours"
within "a lying max-age is capped by max_interval" liar 86400 95040 "max_interval 1d (Cache-Control max-age=31536000)"
within "interval = auto, a post every 10 min: 15m" often 900 990 "auto: 15m"
within "interval = auto, a post every 3 days: max_interval" rare 86400 95040 "auto: 1d"
within "a ttl inside an item is not the channel's" itemttl 600 660 "interval 10m"
within "a UTF-16 feed's ttl" utf16 7200 7920 "ttl 2h"
FEEDMERGE_TEST_NOW=$T0 fm status -c feeds.ini
has "status shows why" out "next: Cache-Control max-age=3600"
has "status shows skipHours" out "next: skipHours"

# --- Polled exactly when the floor allows: not before, and at it.
n_cc=$(requests "/headers/plain.rss?h=Cache-Control:%20public")
n_ttl=$(requests /headers/ttl.rss)
n_plain=$(requests /headers/plain.rss?h=)
FEEDMERGE_TEST_NOW=$((T0 + 3599)) fm run -c feeds.ini
is "before max-age=3600 ran out: not polled" "$(requests "/headers/plain.rss?h=Cache-Control:%20public")" "$n_cc"
is "before the ttl: not polled" "$(requests /headers/ttl.rss)" "$n_ttl"
FEEDMERGE_TEST_NOW=$((T0 + 3961)) fm run -c feeds.ini
is "after max-age (and its jitter): polled once" "$(requests "/headers/plain.rss?h=Cache-Control:%20public")" "$((n_cc + 1))"
n_skip=$(requests /headers/skip.rss)
FEEDMERGE_TEST_NOW=$((T0 + 11099)) fm run -c feeds.ini
is "not during the skipped hours" "$(requests /headers/skip.rss)" "$n_skip"
FEEDMERGE_TEST_NOW=$((T0 + 11100)) fm run -c feeds.ini
is "at 02:00 UTC it is polled" "$(requests /headers/skip.rss)" "$((n_skip + 1))"

# --- A 304 keeps the 200's floor unless it carries its own.
FEEDMERGE_TEST_NOW=$((T0 + 60)) fm run -c feeds.ini --force
has "--force still fetches everything (as 304s)" out "0 fetched, 15 not modified, 0 failed"
within "a 304 without Cache-Control keeps the 200's floor" keep 7260 8000 "Cache-Control max-age=7200"
within "a 304 with its own Cache-Control replaces it" renew 10860 11940 "Cache-Control max-age=10800"
within "a 304 keeps the ttl the 200 set" ttl 5460 6000 "ttl 90m"
within "a 304 keeps skipHours" skip 11100 11100 "skipHours"

# --- The keys.
printf '[feedmerge]\nmax_interval = 2h\ninterval = auto\n[feed a]\nurl = %s\n[feed b]\nurl = %s\ninterval = 5m\nmax_interval = 3h\n' \
	"$base/feed/plain.rss" "$base/feed/plain.rss" >keys.ini
fm check -c keys.ini
has "check: auto inherited" out "interval       = auto (from its posting rhythm, 15m to max_interval)"
has "check: max_interval" out "max_interval   = 2h"
has "check: a feed's own" out "max_interval   = 3h"
has "check: a feed's own interval is not auto" out "interval       = 5m"
printf '[feedmerge]\ninterval = sometimes\n' >bad.ini
fm check -c bad.ini
has "bad interval" err "bad.ini:2: [feedmerge] interval: expected a duration like 15m or 2h"

done_tests
