#!/bin/bash
# run-bench.sh - `feedmerge run` over 1,000 feeds from a loopback server: a cold
# run, a warm run (every answer a 304) and a run where 10% of the feeds
# changed, against sfeed_update on the same feeds and curl --parallel (the
# floor: the requests alone), in one session. Each feedmerge run is made
# twice, back to back: with near-duplicate clustering (the default, `fm.ini`)
# and with `cluster = no` on every feed (`fm-nocl.ini`, its own state and
# outputs: the baseline), which one goes first alternating per repetition,
# and the clustering / no-clustering ratios are printed (goal <= 1.5).
#
#     tests/bench/run-bench.sh        # build, make the feeds if missing, measure
#
# Environment (all optional):
#     BUILD=DIR       build directory (default: <repo>/build-runbench)
#     FEEDSET=DIR     the generated feeds, kept between runs (default: $BUILD/runfeeds)
#     FEEDS=N         how many feeds (default 1000)
#     CHANGED=N       how many change between the warm and the "10%" run (default FEEDS/10)
#     REPS=N          repetitions; medians are reported (default 3)
#     CONC=N          transfers at once, all tools: feedmerge `concurrency`,
#                     sfeed_update `maxjobs`, curl --parallel-max (default 16)
#     PER_HOST=N      feedmerge `per_host` (default CONC/2: the feeds are split
#                     evenly over two host names, so it never holds them back)
#     SEED=N          generator seed (default 20240601)
#     SKIP_BUILD=1    use the feedmerge already in $BUILD
#     SKIP_SFEED=1    leave sfeed_update out (it is the slowest part)
#     SKIP_NOCLUSTER=1  leave out the `cluster = no` baseline runs
#     KEEP=DIR        copy the configs and the last repetition's states to DIR
#                     (for perf: see README.md)
#
# Every measured command runs under /usr/bin/time -f '%e %U %S %M': cpu is
# user+sys of the command and every child it waited for, maxrss the largest
# single process among them (for sfeed_update: its biggest child, not the
# sum). Wall time is taken with date +%s.%N around it. The server's own cpu
# time (from /proc/PID/stat) and its /_stats are recorded for every command.
# Nothing leaves 127.0.0.1: the feeds are http://127.0.0.1:PORT/... and
# http://localhost:PORT/... (curl tries ::1 first for localhost, where nothing
# listens, and falls back at once).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-runbench}
FEEDSET=${FEEDSET:-$BUILD/runfeeds}
FEEDS=${FEEDS:-1000}
CHANGED=${CHANGED:-$((FEEDS / 10))}
REPS=${REPS:-3}
CONC=${CONC:-16}
PER_HOST=${PER_HOST:-$(((CONC + 1) / 2))}
SEED=${SEED:-20240601}
PY=/usr/bin/python3
FM=$BUILD/feedmerge
TIME=/usr/bin/time
TMP=$(mktemp -d "${TMPDIR:-/tmp}/run-bench.XXXXXX")
SPID=""

cleanup() {
	if [ -n "$SPID" ]; then
		kill "$SPID" 2>/dev/null || true
		wait "$SPID" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

need() {
	command -v "$1" >/dev/null 2>&1 || { echo "run-bench: $1 is missing (apt-get install $2)" >&2; exit 2; }
}

# Configures and builds feedmerge (Release); other people's half-written files may break it for a moment.
build() {
	local try
	mkdir -p "$BUILD"
	for try in 1 2 3 4 5 6; do
		if cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DFEEDMERGE_TESTS=OFF \
			>"$BUILD/bench-build.log" 2>&1 &&
			cmake --build "$BUILD" -j2 >>"$BUILD/bench-build.log" 2>&1; then
			return 0
		fi
		echo "run-bench: build failed (try $try of 6), retrying in 30 s; see $BUILD/bench-build.log" >&2
		sleep 30
	done
	return 1
}

# median: the middle of the numbers on stdin (lower middle for an even count).
median() {
	sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# The server's user+sys cpu time so far, in clock ticks.
srv_ticks() {
	awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$SPID/stat"
}

# Microseconds so far during which some task waited for a cpu (PSI), or "-".
psi_us() {
	sed -n 's/^some .*total=//p' /proc/pressure/cpu 2>/dev/null | grep . || echo -
}

stats_get() {
	curl -s --max-time 10 -o "$1" "http://127.0.0.1:$PORT/_stats"
}

stats_reset() {
	curl -s --max-time 10 -o /dev/null "http://127.0.0.1:$PORT/_reset"
}

# measure NAME CMD...: runs CMD (stdout to $TMP/NAME.out, stderr to $TMP/NAME.err);
# appends "wall cpu maxrss_kb server_cpu requests n200 n304 nother per_host_max connections cpu_psi% exit"
# to $TMP/NAME.runs (cpu_psi%: the share of the wall time during which some task on the machine
# waited for a cpu, from /proc/pressure/cpu; high means the machine was busy and wall times are inflated).
measure() {
	local name=$1 t0 t1 s0 s1 p0 p1 rc=0
	shift
	stats_reset
	s0=$(srv_ticks)
	p0=$(psi_us)
	t0=$(date +%s.%N)
	"$TIME" -f '%e %U %S %M' -o "$TMP/time" "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" || rc=$?
	t1=$(date +%s.%N)
	p1=$(psi_us)
	s1=$(srv_ticks)
	stats_get "$TMP/stats.json"
	"$PY" - "$TMP/stats.json" "$TMP/time" "$t0" "$t1" "$s0" "$s1" "$CLK_TCK" "$rc" "$p0" "$p1" >>"$TMP/$name.runs" <<'EOF'
import json, sys
st = json.load(open(sys.argv[1]))
tl = [l for l in open(sys.argv[2]).read().split("\n") if l.strip()][-1].split()
t0, t1, s0, s1, tck, rc = float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
psi = "%.0f" % ((int(sys.argv[10]) - int(sys.argv[9])) / 1e4 / (t1 - t0)) if sys.argv[9] != "-" else "-"
s = st.get("status", {})
n200, n304 = s.get("200", 0), s.get("304", 0)
other = sum(v for k, v in s.items() if k not in ("200", "304"))
phm = max(st.get("per_host_max", {}).values() or [0])
print("%.3f %.2f %s %.2f %d %d %d %d %d %d %s %s" % (t1 - t0, float(tl[1]) + float(tl[2]), tl[3],
      (s1 - s0) / tck, st.get("requests", 0), n200, n304, other, phm, st.get("connections", 0), psi, rc))
EOF
	echo "   $name: $(tail -1 "$TMP/$name.runs")" >&2
}

# check NAME WHAT EXPECTED ACTUAL: a sanity check on the last run of NAME.
check() {
	if [ "$3" != "$4" ]; then
		echo "run-bench: $1: $2: expected $3, got $4" >&2
		BAD=$((BAD + 1))
	fi
}

# col NAME N: column N of NAME's last run.
col() {
	tail -1 "$TMP/$1.runs" | awk -v c="$2" '{ print $c }'
}

need cmake cmake
need cc gcc
need curl curl
need sfeed_update sfeed
[ -x "$TIME" ] || { echo "run-bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 2; }
[ -x "$PY" ] || { echo "run-bench: $PY is missing (apt-get install python3)" >&2; exit 2; }
CLK_TCK=$(getconf CLK_TCK)

if [ "${SKIP_BUILD:-0}" != 1 ]; then
	echo "== building feedmerge (Release) in $BUILD" >&2
	build
fi
[ -x "$FM" ] || { echo "run-bench: $FM is missing (run without SKIP_BUILD=1)" >&2; exit 2; }
# The kept set must still be what its manifest says: a file of another size
# (a change pass run on the set itself) has it made again.
feedset_intact() {
	[ -f "$FEEDSET/MANIFEST.tsv" ] && [ "$(cat "$FEEDSET/.params" 2>/dev/null)" = "$SEED $FEEDS" ] &&
		"$PY" "$HERE/gen-feeds.py" --check "$FEEDSET"
}
if ! feedset_intact; then
	echo "== generating $FEEDS feeds in $FEEDSET (seed $SEED)" >&2
	rm -rf "$FEEDSET"
	"$PY" "$HERE/gen-feeds.py" --seed "$SEED" --feeds "$FEEDS" "$FEEDSET"
	echo "$SEED $FEEDS" >"$FEEDSET/.params"
fi
NAMES=($(awk -F'\t' '!/^#/ { print $1 }' "$FEEDSET/MANIFEST.tsv"))
BYTES=$(awk -F'\t' '!/^#/ { n += $5 } END { print n }' "$FEEDSET/MANIFEST.tsv")
ITEMS=$(awk -F'\t' '!/^#/ { n += $6 } END { print n }' "$FEEDSET/MANIFEST.tsv")

# --- the server -------------------------------------------------------------
mkdir -p "$TMP/root"
"$PY" "$ROOT/tests/httpd/feedserver.py" --root "$TMP/root" --portfile "$TMP/port" >/dev/null 2>"$TMP/server.err" &
SPID=$!
for i in $(seq 100); do
	[ -s "$TMP/port" ] && break
	sleep 0.1
done
[ -s "$TMP/port" ] || { echo "run-bench: the server did not start:" >&2; cat "$TMP/server.err" >&2; exit 1; }
PORT=$(cat "$TMP/port")

# URLs: odd feeds on 127.0.0.1, even ones on localhost (two host names, one server).
url_of() { # url_of INDEX NAME
	if [ $(($1 % 2)) = 1 ]; then echo "http://127.0.0.1:$PORT/feed/feeds/$2"; else echo "http://localhost:$PORT/feed/feeds/$2"; fi
}
: >"$TMP/urls"
for i in "${!NAMES[@]}"; do
	url_of "$i" "${NAMES[$i]}" >>"$TMP/urls"
done

# feedmerge's config: the two hosts, three outputs (each with the default 100 entries).
{
	printf '[feedmerge]\nstate = state/feedmerge.db\ninterval = 1h\ntimeout = 60s\n'
	printf 'concurrency = %d\nper_host = %d\n\n' "$CONC" "$PER_HOST"
	for f in atom rss json; do
		printf '[output all-%s]\npath = out/all.%s\nformat = %s\n\n' "$f" "$f" "$f"
	done
	paste -d' ' <(printf '%s\n' "${NAMES[@]}") "$TMP/urls" |
		awk '{ n = $1; sub(/\.[a-z]+$/, "", n); printf "[feed %s]\nurl = %s\n\n", n, $2 }'
} >"$TMP/fm.ini"
"$FM" check -c "$TMP/fm.ini" >/dev/null
# The baseline: the same feeds with clustering off, in its own state and outputs.
sed -e 's|^state = state/|state = state-nocl/|' -e 's|^path = out/|path = out-nocl/|' \
	-e 's|^url = .*|&\ncluster = no|' "$TMP/fm.ini" >"$TMP/fm-nocl.ini"
"$FM" check -c "$TMP/fm-nocl.ini" >/dev/null
[ "$(grep -c '^cluster = no$' "$TMP/fm-nocl.ini")" = "$FEEDS" ] || { echo "run-bench: fm-nocl.ini: cluster = no missing" >&2; exit 1; }

# sfeed_update's config: the same URLs, the same parallelism.
{
	printf 'sfeedpath="%s/sfeed/feeds"\nmaxjobs=%d\n\nfeeds() {\n' "$TMP" "$CONC"
	paste -d' ' <(printf '%s\n' "${NAMES[@]}") "$TMP/urls" |
		awk '{ n = $1; sub(/\.[a-z]+$/, "", n); printf "\tfeed \"%s\" \"%s\"\n", n, $2 }'
	printf '}\n'
} >"$TMP/sfeedrc"

# curl configs: plain GETs, and GETs with each feed's ETag (made per repetition).
curl_cfg() { # curl_cfg ETAGFILE|- > config
	paste -d'\t' "$TMP/urls" <(if [ "$1" = - ]; then printf '%s\n' "${NAMES[@]}"; else cat "$1"; fi) |
		awk -F'\t' -v cond="$([ "$1" = - ] && echo 0 || echo 1)" '{
			if (NR > 1) print "next"
			printf "url = \"%s\"\noutput = \"/dev/null\"\nwrite-out = \"%%{http_code}\\n\"\n", $1
			if (cond) { gsub(/"/, "\\\"", $2); printf "header = \"If-None-Match: %s\"\n", $2 }
		}'
}
curl_cfg - >"$TMP/curl-get.cfg"
CURL=(curl -s --no-progress-meter --parallel --parallel-max "$CONC")

echo "== $FEEDS feeds ($((BYTES / 1000)) KB, $ITEMS items) from 127.0.0.1:$PORT and localhost:$PORT; $CHANGED change per repetition" >&2
echo "   concurrency $CONC (feedmerge per_host $PER_HOST, sfeed_update maxjobs $CONC, curl --parallel-max $CONC); median of $REPS" >&2
echo "   machine: $(nproc) cpus, load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

BAD=0
SF=1
[ "${SKIP_SFEED:-0}" = 1 ] && SF=0
NC=1
[ "${SKIP_NOCLUSTER:-0}" = 1 ] && NC=0
RUNS="curl_get fm_cold curl_304 fm_warm fm_changed"
[ $NC = 1 ] && RUNS="$RUNS fmn_cold fmn_warm fmn_changed"
[ $SF = 1 ] && RUNS="$RUNS sf_cold sf_warm sf_changed"

# fm_pair PHASE REP ARGS...: feedmerge with clustering (fm_PHASE, fm.ini) and
# without (fmn_PHASE, fm-nocl.ini), in turn; odd repetitions start with
# clustering, even ones without, so neither always runs on the warmer cache.
fm_pair() {
	local phase=$1 r=$2 first second
	shift 2
	if [ $NC = 0 ]; then
		measure "fm_$phase" "$FM" run "$@" -c "$TMP/fm.ini"
		return
	fi
	if [ $((r % 2)) = 1 ]; then first=fm second=fmn; else first=fmn second=fm; fi
	for v in $first $second; do
		measure "${v}_$phase" "$FM" run "$@" -c "$TMP/$([ $v = fm ] && echo fm || echo fm-nocl).ini"
	done
}
# fm_checks PHASE CHECKFN: CHECKFN NAME for fm_PHASE and, if measured, fmn_PHASE.
fm_checks() {
	"$2" "fm_$1"
	[ $NC = 0 ] || "$2" "fmn_$1"
}
for t in $RUNS; do : >"$TMP/$t.runs"; done
LOAD0=$(cut -d' ' -f1 /proc/loadavg)

for rep in $(seq "$REPS"); do
	echo "-- repetition $rep of $REPS (load $(cut -d' ' -f1-3 /proc/loadavg))" >&2
	# Fresh copies of the feeds (new inodes: the server hashes them again), empty states.
	rm -rf "$TMP/root/feeds" "$TMP/state" "$TMP/out" "$TMP/state-nocl" "$TMP/out-nocl" "$TMP/sfeed"
	cp -a "$FEEDSET" "$TMP/root/feeds"
	mkdir -p "$TMP/sfeed"
	"$PY" "$HERE/gen-feeds.py" --etags "$TMP/root/feeds" | cut -f2 >"$TMP/etags"
	curl_cfg "$TMP/etags" >"$TMP/curl-304.cfg"
	# Not measured: warms the server's file cache and the page cache.
	"${CURL[@]}" -K "$TMP/curl-get.cfg" >/dev/null

	# The floor for a cold run: every feed fetched whole by curl.
	measure curl_get "${CURL[@]}" -K "$TMP/curl-get.cfg"
	check curl_get "200s" "$FEEDS" "$(grep -c '^200$' "$TMP/curl_get.out" || true)"

	fm_pair cold "$rep"
	chk_cold() {
		check "$1" "exit status" 0 "$(col "$1" 12)"
		check "$1" "summary" "$FEEDS fetched, 0 not modified, 0 failed, 0 skipped; $ITEMS new items" \
			"$(grep -o '^[0-9]* fetched, [0-9]* not modified, [0-9]* failed, [0-9]* skipped; [0-9]* new items' "$TMP/$1.out")"
		check "$1" "server 200s" "$FEEDS" "$(col "$1" 6)"
		[ "$(col "$1" 9)" -le "$PER_HOST" ] || check "$1" "per_host_max <= $PER_HOST" "$PER_HOST" "$(col "$1" 9)"
	}
	fm_checks cold chk_cold
	[ $NC = 0 ] || check fmn_cold "joined a story" "0 joined" "$(grep -o '[0-9]* joined' "$TMP/fmn_cold.out")"

	if [ $SF = 1 ]; then
		measure sf_cold sfeed_update "$TMP/sfeedrc"
		check sf_cold "exit status" 0 "$(col sf_cold 12)"
		check sf_cold "server 200s" "$FEEDS" "$(col sf_cold 6)"
		check sf_cold "items stored" "$ITEMS" "$(cat "$TMP"/sfeed/feeds/* | wc -l)"
	fi

	# The floor for a warm run: the same URLs, each with its ETag, all 304.
	measure curl_304 "${CURL[@]}" -K "$TMP/curl-304.cfg"
	check curl_304 "304s" "$FEEDS" "$(grep -c '^304$' "$TMP/curl_304.out" || true)"
	check curl_304 "server 304s" "$FEEDS" "$(col curl_304 7)"

	fm_pair warm "$rep" --force
	chk_warm() {
		check "$1" "exit status" 0 "$(col "$1" 12)"
		check "$1" "summary" "0 fetched, $FEEDS not modified, 0 failed, 0 skipped; 0 new items" \
			"$(grep -o '^[0-9]* fetched, [0-9]* not modified, [0-9]* failed, [0-9]* skipped; [0-9]* new items' "$TMP/$1.out")"
		check "$1" "server 304s" "$FEEDS" "$(col "$1" 7)"
	}
	fm_checks warm chk_warm

	if [ $SF = 1 ]; then
		measure sf_warm sfeed_update "$TMP/sfeedrc"
		check sf_warm "exit status" 0 "$(col sf_warm 12)"
		check sf_warm "items stored" "$ITEMS" "$(cat "$TMP"/sfeed/feeds/* | wc -l)"
	fi

	# 10% of the feeds get 1-5 new items each.
	"$PY" "$HERE/gen-feeds.py" --seed "$SEED" --change "$CHANGED" --round "$rep" "$TMP/root/feeds" >"$TMP/changed"
	NEW=$("$FM" parse --summary $(sed "s|^|$TMP/root/feeds/|" "$TMP/changed") | awk -F'\t' '{ n += $3 } END { print n }')
	OLD=$(awk -F'\t' 'NR == FNR { c[$1] = 1; next } ($1 in c) { n += $6 } END { print n }' "$TMP/changed" "$FEEDSET/MANIFEST.tsv")
	fm_pair changed "$rep" --force
	chk_changed() {
		check "$1" "exit status" 0 "$(col "$1" 12)"
		check "$1" "summary" "$CHANGED fetched, $((FEEDS - CHANGED)) not modified, 0 failed, 0 skipped" \
			"$(grep -o '^[0-9]* fetched, [0-9]* not modified, [0-9]* failed, [0-9]* skipped' "$TMP/$1.out")"
		check "$1" "server 200s/304s" "$CHANGED/$((FEEDS - CHANGED))" "$(col "$1" 6)/$(col "$1" 7)"
	}
	fm_checks changed chk_changed
	FM_NEW=$(grep -o '[0-9]* new items' "$TMP/fm_changed.out" | cut -d' ' -f1)
	[ $NC = 0 ] || check fmn_changed "new items (as with clustering)" "$FM_NEW" "$(grep -o '[0-9]* new items' "$TMP/fmn_changed.out" | cut -d' ' -f1)"
	if [ $SF = 1 ]; then
		measure sf_changed sfeed_update "$TMP/sfeedrc"
		check sf_changed "exit status" 0 "$(col sf_changed 12)"
		SF_NEW=$(($(cat "$TMP"/sfeed/feeds/* | wc -l) - ITEMS))
	fi
	echo "   changed feeds: $CHANGED, items in them $OLD -> $NEW; new items: feedmerge $FM_NEW${SF_NEW:+, sfeed $SF_NEW}" >&2
	echo "   feedmerge: $(cat "$TMP/fm_changed.out")" >&2
	[ $NC = 0 ] || echo "   feedmerge, cluster = no: $(cat "$TMP/fmn_changed.out")" >&2
done
if [ -n "${KEEP:-}" ]; then
	mkdir -p "$KEEP"
	rm -rf "$KEEP/state" "$KEEP/state-nocl" "$KEEP/out" "$KEEP/out-nocl"
	cp -a "$TMP/state" "$KEEP/"
	[ $NC = 0 ] || cp -a "$TMP/state-nocl" "$KEEP/"
	sed "s|^\(url = http://[a-z0-9.]*\):$PORT/|\1:PORT/|" "$TMP/fm.ini" >"$KEEP/fm.ini"
	sed "s|^\(url = http://[a-z0-9.]*\):$PORT/|\1:PORT/|" "$TMP/fm-nocl.ini" >"$KEEP/fm-nocl.ini"
	echo "   kept the configs (URLs with PORT to fill in) and states in $KEEP" >&2
fi
LOAD1=$(cut -d' ' -f1 /proc/loadavg)

# --- report -------------------------------------------------------------------
med() { # med NAME COL
	awk -v c="$2" '{ print $c }' "$TMP/$1.runs" | median
}
# paired A B COL: median over the repetitions of A's COL over B's.
paired() {
	paste -d' ' "$TMP/$1.runs" "$TMP/$2.runs" | awk -v c="$3" '{ printf "%.4f\n", $c / $(c + 12) }' | median
}
row() { # row LABEL NAME
	[ -s "$TMP/$2.runs" ] || return 0
	local w c m s p
	w=$(med "$2" 1) c=$(med "$2" 2) m=$(med "$2" 3) s=$(med "$2" 4) p=$(med "$2" 11)
	awk -v l="$1" -v w="$w" -v c="$c" -v m="$m" -v s="$s" -v p="$p" -v n="$FEEDS" -v req="$(tail -1 "$TMP/$2.runs" | awk '{ printf "%d/%d/%d/%d %5d", $5, $6, $7, $8, $10 }')" 'BEGIN {
		printf "%-26s %7.3f %7.2f %7.1f %7.2f %7.2f %7.2f %4s  %s\n", l, w, c, m / 1024, w / n * 1000, c / n * 1000, s, p, req }'
}
ratio() { # ratio A B COL: A's median over B's
	awk -v a="$(med "$1" "$3")" -v b="$(med "$2" "$3")" 'BEGIN { printf "%.3f", a / b }'
}

echo
echo "$FEEDS feeds, $BYTES bytes, $ITEMS items; $CHANGED changed per repetition; median of $REPS"
echo "concurrency $CONC for every tool (feedmerge per_host $PER_HOST, 2 host names); $(nproc) cpus, load $LOAD0 -> $LOAD1"
printf "%-26s %7s %7s %7s %7s %7s %7s %4s  %s\n" run wall_s cpu_s rss_MB ms/feed ms_cpu/f srv_cpu psi% "requests/200/304/other conns"
row "curl GET (floor, cold)" curl_get
row "feedmerge cold" fm_cold
row "  cluster = no" fmn_cold
row "sfeed_update cold" sf_cold
row "curl 304 (floor, warm)" curl_304
row "feedmerge warm (304s)" fm_warm
row "  cluster = no" fmn_warm
row "sfeed_update warm" sf_warm
row "feedmerge 10% changed" fm_changed
row "  cluster = no" fmn_changed
row "sfeed_update 10% changed" sf_changed
echo
echo "ratios (median over median; paired: median of per-repetition ratios)      wall    cpu    rss"
r3() { printf "  %-58s %6s %6s %6s\n" "$1" "$(ratio "$2" "$3" 1)" "$(ratio "$2" "$3" 2)" "$(ratio "$2" "$3" 3)"; }
p2() { printf "  %-58s %6s %6s\n" "$1" "$(paired "$2" "$3" 1)" "$(paired "$2" "$3" 2)"; }
if [ $SF = 1 ]; then
	r3 "feedmerge / sfeed_update, cold      (goal < 1)" fm_cold sf_cold
	p2 "  paired" fm_cold sf_cold
	r3 "feedmerge / sfeed_update, warm      (goal < 1)" fm_warm sf_warm
	p2 "  paired" fm_warm sf_warm
	r3 "feedmerge / sfeed_update, 10% changed (goal < 1)" fm_changed sf_changed
	p2 "  paired" fm_changed sf_changed
fi
if [ $NC = 1 ]; then
	r3 "clustering / cluster = no, cold     (goal <= 1.5)" fm_cold fmn_cold
	p2 "  paired" fm_cold fmn_cold
	r3 "clustering / cluster = no, warm     (goal <= 1.5)" fm_warm fmn_warm
	p2 "  paired" fm_warm fmn_warm
	r3 "clustering / cluster = no, 10% changed (goal <= 1.5)" fm_changed fmn_changed
	p2 "  paired" fm_changed fmn_changed
fi
r3 "feedmerge warm / curl 304 floor     (goal wall <= 2)" fm_warm curl_304
p2 "  paired" fm_warm curl_304
r3 "feedmerge cold / curl GET floor" fm_cold curl_get
p2 "  paired" fm_cold curl_get
awk -v a="$(med fm_warm 1)" -v b="$(med curl_304 1)" -v c="$(med fm_warm 2)" -v d="$(med curl_304 2)" -v n="$FEEDS" 'BEGIN {
	printf "  feedmerge warm over the curl 304 floor, per feed: %.2f ms wall, %.2f ms cpu\n", (a - b) / n * 1000, (c - d) / n * 1000 }'
RSS_MAX=$(cat "$TMP"/fm_*.runs | awk '{ print $3 }' | sort -n | tail -1)
echo "  feedmerge peak RSS, the largest of all its runs: $((RSS_MAX / 1024)) MB (goal < 64 MB)"
echo
echo "per-run (wall_s/cpu_s/maxrss_kb/server_cpu_s/per_host_max/cpu_psi%):"
for t in $RUNS; do
	printf "  %-10s %s\n" "$t" "$(awk '{ printf "%s/%s/%s/%s/%s/%s  ", $1, $2, $3, $4, $9, $11 }' "$TMP/$t.runs")"
done
echo
echo "commands: $FM run [--force] -c fm.ini (and fm-nocl.ini: every feed cluster = no); sfeed_update sfeedrc (maxjobs=$CONC);"
echo "          curl -s --parallel --parallel-max $CONC -K cfg (url, output /dev/null[, header If-None-Match])"
if [ "$BAD" -gt 0 ]; then
	echo "run-bench: $BAD sanity checks failed (see above)" >&2
	exit 1
fi
