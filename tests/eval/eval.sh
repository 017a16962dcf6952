#!/bin/sh
# eval.sh [FEEDMERGE [DATA_DIR [feeds|feeds-summary]]] - near-duplicate
# clustering measured through the real pipeline: `feedmerge run` over the
# labelled set's feeds (file:// URLs), clusters read from the JSON Feed
# output's _feedmerge.members, scored per level by levels.py.
#   defaults: build-rel/feedmerge, ../shared/data/dedup-dev, feeds
# Extra [dedup] lines can be passed in $DEDUP (e.g. DEDUP="threshold = 7").
# A set with hardneg.jsonl (the real dev set) is scored by real.py
# (VERBOSE=1 lists every miss and false merge); KEEP=FILE keeps the
# predicted clustering; KEEPDIR=DIR runs in DIR and leaves the config and
# state there (for `feedmerge clusters --explain`).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build-rel/feedmerge}
data=$(cd "${2:-$here/../../../shared/data/dedup-dev}" && pwd)
set=${3:-feeds}
if [ -n "${KEEPDIR:-}" ]; then
	tmp=$KEEPDIR && mkdir -p "$tmp" && rm -f "$tmp"/state.db*
else
	tmp=$(mktemp -d) && trap 'rm -rf "$tmp"' EXIT
fi
{
	printf '[feedmerge]\nstate = state.db\nkeep = 0\nconcurrency = 4\n\n[dedup]\n%s\n\n' "${DEDUP:-}"
	printf '[output all]\npath = all.json\nformat = json\nmax_items = 0\n\n'
	for f in "$data/$set"/*.xml; do
		name=$(basename "$f" .xml)
		printf '[feed %s]\nurl = file://%s\n\n' "$name" "$f"
	done
} >"$tmp/feeds.ini"
start=$(date +%s.%N)
"$bin" run -c "$tmp/feeds.ini"
end=$(date +%s.%N)
/usr/bin/python3 - "$tmp/all.json" >"$tmp/pred.jsonl" <<'PY'
import json, sys
for item in json.load(open(sys.argv[1]))["items"]:
    for m in item["_feedmerge"]["members"]:
        print(json.dumps({"id": m["id"], "cluster": item["id"]}))
PY
echo "set: $set ($(wc -l <"$tmp/pred.jsonl") items in the output); run took $(echo "$end - $start" | bc) s"
[ -n "${KEEP:-}" ] && cp "$tmp/pred.jsonl" "$KEEP"
if [ -f "$data/hardneg.jsonl" ]; then
	/usr/bin/python3 "$here/real.py" ${VERBOSE:+-v} "$tmp/pred.jsonl" "$data"
else
	/usr/bin/python3 "$here/levels.py" "$tmp/pred.jsonl" "$data"
fi
