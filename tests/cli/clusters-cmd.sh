#!/bin/sh
# clusters-cmd.sh BIN TESTS_DIR - `feedmerge clusters`: listing, JSON, --since, --explain.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
examples=$(cd "$2/../examples" && pwd)
cd "$tmp"
sed -e "s#\.\./build/demo/#$tmp/demo/#" -e "s#file:feeds/#file:$examples/feeds/#" \
	"$examples/feedmerge.ini" >feeds.ini

fm clusters -c feeds.ini
is "no state yet" "$st" 3
has "no state yet says so" err "no state yet; run 'feedmerge run' first"
fm run -c feeds.ini
has "the wire stories joined" out "21 new items, 0 changed, 8 joined a story"

fm clusters -c feeds.ini
is "clusters" "$st" 0
has "one story, four outlets" out "4 members"
has "representative: the priority feed" out "* harbour-times    Nations agree to treat plastic pellet spills as hazardous cargo"
has "the copy, with its distance" out "- daily-ledger     Geneva deal: shippers must seal and report lost plastic 'nurdles'"
has "distance and overlap" out "distance 0, 100% of text in common"
hasnt "singletons hidden" out "City council approves new budget"
fm clusters -c feeds.ini --all
has "--all lists singletons" out "City council approves new budget"

fm clusters -c feeds.ini --json
is "json" "$("$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); c=[c for c in d["clusters"] if len(c["members"]) == 4][0]; print(len(d["clusters"]), c["members"][0]["feed"], sorted(m["feed"] for m in c["members"][1:]), sorted({m["distance"] for m in c["members"][1:]}), c["members"][0]["representative"])' out)" \
	"4 harbour-times ['daily-ledger', 'meridian-observer', 'northgate-courier'] [0] True"
# --since reads the story's time: the demo's stories are from June 2026.
fm clusters -c feeds.ini --since 1h
hasnt "--since a duration: older stories left out" out "members"
fm clusters -c feeds.ini --since 36500d
has "--since a duration" out "4 members"
fm clusters -c feeds.ini --since 2000-01-01T00:00:00Z --json
is "--since a date" "$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["clusters"]))' out)" 4
fm clusters -c feeds.ini --since yesterday-ish
is "--since garbage" "$st" 2

fm clusters -c feeds.ini --explain "tag:dailyledger.example.org,2026:world/90412" \
	https://harbour-times.example.com/world/2026/06/09/plastic-pellet-accord
is "explain" "$st" 0
has "explain: merged" out "verdict: merged: most of the text in common, both ways"
has "explain: distance" out "lead SimHash distance: 0 (threshold 5)"
has "explain: keys" out "candidates by: lead text "
has "explain: headline words" out "headline words in common: 1 ("
fm clusters -c feeds.ini --explain "daily-ledger:tag:dailyledger.example.org,2026:world/90412" \
	"tag:dailyledger.example.org,2026:city/90360"
has "explain: a look-alike stays apart" out "verdict: not merged: "
has "explain: different clusters" out "now: in different clusters"
fm clusters -c feeds.ini --explain nope x
is "explain: unknown item" "$st" 2
has "explain: says which" err "no item 'nope' in the state"
fm clusters -c feeds.ini --explain onlyone
is "explain needs two" "$st" 2

done_tests
