#!/usr/bin/python3
"""levels.py PRED.jsonl DATA_DIR - scores a clustering of the dedup-dev set per level.

Prints pairwise precision, recall and F1 over all items, then per level
(easy, medium, hard: the originals with the variants of that level), and
how many borrowed-paragraph hard negatives landed in the cluster of the
story they borrow from. Uses the set's own score.py for the arithmetic.
"""
import collections, json, sys

pred_path, data = sys.argv[1], sys.argv[2]
sys.path.insert(0, data)
from score import score  # noqa: E402  (the set's scorer)

truth = {}
kind = {}
level = {}
for line in open(data + "/truth.jsonl"):
    t = json.loads(line)
    truth[t["id"]] = t["cluster"]
    kind[t["id"]] = t["kind"]
    level[t["id"]] = t.get("level", "")
pred = {}
for line in open(pred_path):
    p = json.loads(line)
    pred[p["id"]] = p["cluster"]


def show(name, subset):
    r = score({i: truth[i] for i in subset}, [], pred)
    print("%-8s items=%5d pairs=%5d  precision=%.3f recall=%.3f F1=%.3f" %
          (name, r["items"], r["gold_pairs"], r["precision"], r["recall"], r["f1"]))
    return r


show("all", truth)
for lv in ("easy", "medium", "hard"):
    show(lv, [i for i in truth if kind[i] == "original" or (kind[i] == "variant" and level[i] == lv)])

# A hard negative "X-hnN" borrows a paragraph from story sNNNN: it must not join that story.
members = collections.defaultdict(set)
for i, c in pred.items():
    members[c].add(i)
joined = 0
hns = [i for i in truth if kind[i].startswith("hardneg")]
for h in hns:
    lender = "s%04d" % int(h.rsplit("-hn", 1)[1])
    if any(truth.get(o) == lender for o in members[pred.get(h, h)] if o != h):
        joined += 1
print("hard negatives joined to the story they borrow from: %d of %d (%.1f%%)" %
      (joined, len(hns), 100.0 * joined / max(1, len(hns))))
r = score(truth, [], pred)
print("F1=%.3f" % r["f1"])
