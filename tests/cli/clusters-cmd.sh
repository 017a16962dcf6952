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
has "the wire story joined" out "4 new items, 0 changed, 1 joined a story"

fm clusters -c feeds.ini
is "clusters" "$st" 0
has "one story, two outlets" out "2 members"
has "representative: the priority feed" out "* harbour-times    Kerry seeks Ukraine talks with Lavrov"
has "the copy, with its distance" out "- daily-ledger     US, Russia top diplomats to meet in Paris over Ukraine crisis"
has "distance and overlap" out "distance 0, 100% of text in common"
hasnt "singletons hidden" out "City council approves new budget"
fm clusters -c feeds.ini --all
has "--all lists singletons" out "City council approves new budget"

fm clusters -c feeds.ini --json
is "json" "$("$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["clusters"][0]; print(len(d["clusters"]), [m["feed"] for m in c["members"]], c["members"][1]["distance"], c["members"][0]["representative"])' out)" \
	"1 ['harbour-times', 'daily-ledger'] 0 True"
fm clusters -c feeds.ini --since 1h
has "--since a duration" out "2 members"
fm clusters -c feeds.ini --since 2000-01-01T00:00:00Z --json
is "--since a date" "$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["clusters"]))' out)" 1
fm clusters -c feeds.ini --since yesterday-ish
is "--since garbage" "$st" 2

fm clusters -c feeds.ini --explain "tag:dailyledger.example,2014:world/81234" \
	https://harbour-times.example/world/2014/03/kerry-lavrov-talks
is "explain" "$st" 0
has "explain: merged" out "verdict: merged: same lead and enough text in common"
has "explain: distance" out "lead SimHash distance: 0 (threshold 5)"
fm clusters -c feeds.ini --explain "daily-ledger:tag:dailyledger.example,2014:world/81234" \
	"tag:dailyledger.example,2014:city/81200"
has "explain: a look-alike stays apart" out "verdict: not merged: "
has "explain: different clusters" out "now: in different clusters"
fm clusters -c feeds.ini --explain nope x
is "explain: unknown item" "$st" 2
has "explain: says which" err "no item 'nope' in the state"
fm clusters -c feeds.ini --explain onlyone
is "explain needs two" "$st" 2

done_tests
