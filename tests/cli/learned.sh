#!/bin/sh
# learned.sh BIN TESTS_DIR - a fresh feed's boilerplate and fingerprints are
# the same whether the text worker learns them (two cores) or the writer
# does (one core: no worker): same fingerprints, boilerplate counts and
# stories in the state, over the wire-story feeds and 80 generated ones.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tests=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0

/usr/bin/python3 "$tests/bench/gen-feeds.py" --seed 3 --feeds 80 "$tmp/gen" >/dev/null 2>&1 || exit 1
for mode in one two; do
	{
		printf '[feedmerge]\nstate = %s/state.db\nconcurrency = 8\n\n' "$mode"
		printf '[output all]\npath = %s/all.json\nformat = json\nmax_items = 0\n\n' "$mode"
		for f in "$tests"/data/dedup/*.rss "$tests"/data/dedup/*.atom "$tmp"/gen/*.rss "$tmp"/gen/*.atom; do
			[ -f "$f" ] || continue
			n=$(basename "$f" | tr -c 'A-Za-z0-9_.\n-' _)
			printf '[feed %s]\nurl = file://%s\n\n' "$n" "$f"
		done
	} >"$mode.ini"
done
if ! taskset -c 0 "$bin" run -c one.ini >one.out 2>one.err; then
	echo "learned: the one-core pass failed: $(cat one.err)"
	fail=1
fi
if ! "$bin" run -c two.ini >two.out 2>two.err; then
	echo "learned: the pass failed: $(cat two.err)"
	fail=1
fi
[ "$(nproc)" -gt 1 ] || echo "learned: one CPU here: both passes learn on the writer"
/usr/bin/python3 - one/state.db two/state.db <<'EOF' || fail=1
import sqlite3, sys

def dump(path):
    db = sqlite3.connect(path)
    fps = db.execute("SELECT i.feed, i.guid, i.link, f.simhash, f.fp FROM fingerprints f"
                     " JOIN items i ON i.id = f.item ORDER BY 1, 2, 3").fetchall()
    boiler = db.execute("SELECT feed, counts FROM feed_boiler ORDER BY feed").fetchall()
    stories = {}
    for feed, guid, link, cluster in db.execute("SELECT feed, guid, link, cluster FROM items"):
        stories.setdefault(cluster, set()).add((feed, guid, link))
    return fps, boiler, {frozenset(v) for v in stories.values()}

a, b = dump(sys.argv[1]), dump(sys.argv[2])
ok = True
for what, x, y in zip(("fingerprints", "boilerplate counts", "stories"), a, b):
    if x != y:
        print("learned: the %s differ (one core: %d, two: %d)" % (what, len(x), len(y)))
        ok = False
if len(a[0]) < 500 or not a[1]:
    print("learned: too little learnt to compare (%d fingerprints, %d boilerplate rows)" % (len(a[0]), len(a[1])))
    ok = False
sys.exit(0 if ok else 1)
EOF
[ $fail = 0 ] && echo "learned: ok"
exit $fail
