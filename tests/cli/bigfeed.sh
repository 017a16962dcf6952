#!/bin/sh
# bigfeed.sh BIN TESTS_DIR - a feed whose pass rewrites megabytes of stored
# items is stored whole: its savepoint journals every page it changes (held
# in memory), over a state other feeds already filled.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
fail=0

# feed NAME ITEMS VERSION: an RSS feed of ITEMS items, ~1.5 KB of text each.
feed() {
	awk -v name="$1" -v n="$2" -v ver="$3" 'BEGIN {
		print "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>" name "</title><link>https://" name ".example/</link>"
		for (i = 1; i <= n; i++) {
			printf "<item><title>%s story %d, version %s</title><link>https://%s.example/%d</link><guid>%s-%d</guid>", name, i, ver, name, i, name, i
			printf "<pubDate>Mon, 07 Dec 2026 %02d:%02d:00 GMT</pubDate><description>", i % 24, i % 60
			for (w = 0; w < 180; w++)
				printf " %s%d word%d", ver, (i * 7 + w * 13) % 997, w
			print "</description></item>"
		}
		print "</channel></rss>" }' >"$1.xml"
}

{
	printf '[feedmerge]\nstate = state/feeds.db\n\n[output all]\npath = out/all.atom\nformat = atom\n\n'
	for f in other1 other2 other3 big; do
		printf '[feed %s]\nurl = file://%s/%s.xml\n\n' "$f" "$tmp" "$f"
	done
} >feeds.ini
for f in other1 other2 other3; do
	feed "$f" 300 a
done
feed big 3000 a
if ! "$bin" run -c feeds.ini >run1.out 2>run1.err; then
	echo "bigfeed: the first pass failed: $(cat run1.err)"
	fail=1
fi
grep -q "3900 new items" run1.out || { echo "bigfeed: first pass: $(cat run1.out)"; fail=1; }
# Every item of the big feed changes: the pass rewrites its 3,000 rows.
feed big 3000 b
if ! "$bin" run --force -c feeds.ini >run2.out 2>run2.err; then
	echo "bigfeed: the second pass failed: $(cat run2.err)"
	fail=1
fi
grep -q "3000 changed" run2.out || { echo "bigfeed: second pass: $(cat run2.out) $(cat run2.err)"; fail=1; }
[ -s run2.err ] && { echo "bigfeed: the second pass complained: $(cat run2.err)"; fail=1; }
[ $fail = 0 ] && echo "bigfeed: ok"
exit $fail
