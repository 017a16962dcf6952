#!/bin/sh
# eval-all.sh [FEEDMERGE] - the five clustering figures of the issue, each
# through `feedmerge run`: the real dev set (P/R/F1, same-event pairs
# merged), and the synthetic set's full stories, summary-only and pages
# variants (P/R/F1, borrowed-paragraph hard negatives joined).
#   data from ../shared/data (DATA=... to change)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-$here/../../build-rel/feedmerge}
data=${DATA:-$here/../../../shared/data}
for set in feeds feeds-summary feeds-pages; do
	sh "$here/eval.sh" "$bin" "$data/dedup-dev" "$set" | grep -v '^F1='
done
sh "$here/eval.sh" "$bin" "$data/dedup-real-dev" feeds | grep -v '^F1='
