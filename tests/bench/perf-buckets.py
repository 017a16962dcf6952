#!/usr/bin/python3
"""perf-buckets.py - where a `feedmerge run` spends its time, by pipeline stage.

    perf script -i perf.data -F ip,sym,symoff | perf-buckets.py FEEDMERGE_BINARY HZ

Reads `perf script` call chains (recorded with --call-graph dwarf, so a
Release build without frame pointers unwinds) and files every sample under
the first matching stage: loading the clusterer, the boilerplate-learning
pass (ingest_learn_all's fm_fingerprint_item call), the fingerprinting pass
(run__ingest's own call), each split into qsort (fp_shingles), SQLite
boilerplate lookups and the rest; the clusterer's query and add; the
store's item save and commit; parsing; outputs; the rest. ingest_learn_all
is usually inlined into run__ingest, so the two fm_fingerprint_item calls
are told apart by their call sites, found with objdump in the binary.
Prints share, seconds (samples / HZ) and the stage.
"""
import collections
import re
import subprocess
import sys


def call_sites(binary):
    """run__ingest+OFF (as perf prints a caller frame: return address - 1) of the learn and fp calls."""
    dis = subprocess.run(["objdump", "-d", "--no-show-raw-insn", binary], capture_output=True,
                         text=True, check=True).stdout
    m = re.search(r"^([0-9a-f]+) <run__ingest>:\n(.*?)\n\n", dis, re.S | re.M)
    if not m:
        return None, None
    base = int(m.group(1), 16)
    calls = []  # (address of the next instruction, callee)
    lines = m.group(2).split("\n")
    for i, line in enumerate(lines):
        c = re.match(r"\s*([0-9a-f]+):\s+call\s+[0-9a-f]+ <([^>]+)>", line)
        if c:
            nxt = re.match(r"\s*([0-9a-f]+):", lines[i + 1]) if i + 1 < len(lines) else None
            calls.append((int(nxt.group(1), 16) if nxt else int(c.group(1), 16) + 5, c.group(2)))
    learn = fp = None
    for i, (ret, callee) in enumerate(calls):
        if callee not in ("fm_fingerprint_item", "fm_fp_compute"):
            continue
        after = [c for _, c in calls[i + 1:i + 4]]
        off = "run__ingest+0x%x" % (ret - 1 - base)
        if "fm_store_item_save" in after or "fm_store_item_save_packed" in after:
            fp = off
        else:
            learn = off
    return learn, fp


def bucket(st, raw, learn_site, fp_site):
    def has(f):
        # Clones keep their base name: fm_simindex_query.popcnt is fm_simindex_query.
        return f in st or any(g.startswith(f + ".") for g in st)
    qsort = has("__GI___qsort_r") or has("msort_with_tmp.part.0") or has("fp_shingles")
    if has("run__clusterer_open") or has("fm_clusterer_open"):
        return "clusterer_open: load the window's fingerprints into the index"
    if has("prep_main"):
        return "text preparation (worker thread): fm_fp_text_new"
    if has("ingest_learn_all") or (learn_site and learn_site in raw):
        if has("ingest_learn"):
            return "learn pass: boilerplate counts written to SQLite"
        return "learn pass: fm_fingerprint_item: fp_shingles qsort" if qsort else "learn pass: fm_fingerprint_item: the rest"
    if has("fm_fingerprint_item") or has("fm_fp_compute"):
        if has("ingest_is_boiler"):
            return "fp pass: is_boiler SQLite lookups"
        return "fp pass: fm_fingerprint_item: fp_shingles qsort" if qsort else "fp pass: fm_fingerprint_item: the rest"
    if has("run__cluster_add") or has("fm_clusterer_add"):
        if has("fm_store_fingerprint"):
            return "cluster_add: candidates' fingerprints from SQLite"
        if has("fm_simindex_query"):
            return "cluster_add: lead index query"
        if has("fm_postings_query"):
            return "cluster_add: text/headline/link postings query"
        if has("fm_dedup_match"):
            return "cluster_add: the rules (fm_dedup_match)"
        if has("fm_store_cluster_merge"):
            return "cluster_add: merges applied to the state"
        return "cluster_add: the rest (index add, plan)"
    if has("run__cluster_refresh"):
        return "cluster_refresh: re-fingerprint, split, join"
    if has("fm_store_item_save") or has("fm_store_item_save_packed"):
        return "store: fm_store_item_save"
    if has("fm_store_commit"):
        return "store: fm_store_commit"
    if has("fm_parser_push") or has("fm_parser_finish"):
        return "parse"
    if has("run__write_outputs"):
        return "outputs"
    if has("run__ingest"):
        return "run__ingest: other"
    return "other (fetch, curl, kernel, start-up, prune)"


def main():
    binary, hz = sys.argv[1], float(sys.argv[2])
    learn_site, fp_site = call_sites(binary)
    cnt = collections.Counter()
    st, raw = [], set()

    def flush():
        if st:
            cnt[bucket(st, raw, learn_site, fp_site)] += 1

    for line in sys.stdin:
        line = line.rstrip("\n")
        if not line.strip():
            flush()
            st, raw = [], set()
            continue
        if line[0] not in " \t":
            flush()
            st, raw = [], set()
            continue
        parts = line.split()
        if len(parts) >= 2:
            st.append(parts[1].split("+")[0])
            raw.add(parts[1])
    flush()
    total = sum(cnt.values()) or 1
    for k, v in sorted(cnt.items(), key=lambda x: -x[1]):
        print("  %5.1f%% %6.2f s  %s" % (100.0 * v / total, v / hz, k))
    print("  total %d samples, %.2f s of cpu (call sites: learn %s, fp %s)" % (total, total / hz, learn_site, fp_site))


if __name__ == "__main__":
    main()
