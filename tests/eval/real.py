#!/usr/bin/python3
"""real.py PRED.jsonl DATA_DIR - scores a clustering of the real dev set.

Prints pairwise precision, recall and F1 (the set's own score.py, its
ignore list honoured), how many of the decided same-event `diff` pairs and
`unrel` pairs the clustering merged, and with -v every missed and every
wrongly merged pair (ids, sources, headlines) for reading one by one.
"""
import collections, itertools, json, sys

args = [a for a in sys.argv[1:] if a != "-v"]
verbose = "-v" in sys.argv[1:]
pred_path, data = args[0], args[1]
sys.path.insert(0, data)
from score import score, load_truth  # noqa: E402  (the set's scorer)

truth, ignore = load_truth(data + "/truth.jsonl", data + "/ignore.jsonl")
pred = {}
for line in open(pred_path):
    p = json.loads(line)
    pred[p["id"]] = p["cluster"]
r = score(truth, ignore, pred)
print("real     items=%5d pairs=%5d  precision=%.3f recall=%.3f F1=%.3f  (TP=%d FP=%d FN=%d)" %
      (r["items"], r["gold_pairs"], r["precision"], r["recall"], r["f1"], r["tp"], r["fp"], r["fn"]))
merged = collections.Counter()
total = collections.Counter()
for line in open(data + "/hardneg.jsonl"):
    h = json.loads(line)
    total[h["kind"]] += 1
    if h["a"] in pred and pred.get(h["a"]) == pred.get(h["b"]):
        merged[h["kind"]] += 1
for k in sorted(total):
    print("%-8s merged %d of %d (%.1f%%)" % (k, merged[k], total[k], 100.0 * merged[k] / total[k]))
if verbose:
    items = {}
    for line in open(data + "/items.jsonl"):
        it = json.loads(line)
        items[it["id"]] = it
    ign = {tuple(sorted(p)) for p in ignore}
    show = lambda i: "%s [%s] %s" % (i, items[i]["source"], items[i]["title"][:90])
    gold = collections.defaultdict(list)
    for i, g in truth.items():
        if g is not None:
            gold[g].append(i)
    for g, ids in gold.items():
        for a, b in itertools.combinations(sorted(ids), 2):
            if pred.get(a, a) != pred.get(b, b):
                print("MISS  %s\n      %s" % (show(a), show(b)))
    byc = collections.defaultdict(list)
    for i, c in pred.items():
        if truth.get(i) is not None:
            byc[c].append(i)
    for c, ids in byc.items():
        for a, b in itertools.combinations(sorted(ids), 2):
            if truth[a] != truth[b] and (a, b) not in ign:
                print("FALSE %s\n      %s" % (show(a), show(b)))
print("F1=%.3f" % r["f1"])
