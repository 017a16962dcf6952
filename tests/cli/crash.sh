#!/bin/sh
# crash.sh BIN TESTS_DIR - `feedmerge run` survives kill -9 at any moment,
# two runs at once, a daemon beside a run, --dry-run, unchanged outputs.
#
# 1. Crash safety: FEEDMERGE_CRASH_KILLS (default 20) runs over 40 slow
#    feeds that change between runs are killed with SIGKILL, at a random
#    time, just as the state's WAL grows (a commit) or just as a temporary
#    output file appears (an output being written). After each kill: the
#    lock is free, the state passes integrity_check and opens with
#    `feedmerge status`, every feed's stored items are exactly those of the
#    version its stored ETag names (one transaction per feed), and every
#    output is either the version seen before or a complete new one that
#    lists exactly the state's clusters. Finally a --force run completes and
#    matches a state built by one uninterrupted run over the final feeds.
#    The seed is printed; FEEDMERGE_CRASH_SEED=N replays a sequence.
# 2. Two runs started together: both succeed (long lock_wait), or one
#    exits 4 naming the lock file (lock_wait 1s against a longer run).
# 3. The daemon: first pass, a run beside it while it sleeps, SIGTERM.
# 4. --dry-run changes neither the state nor the outputs.
# 5. Unchanged outputs are not rewritten (same inode, mtime and bytes).
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"

bg_pids=""
# cleanup: ends the feedmerge processes this script started in the background.
cleanup() {
	for p in $bg_pids; do kill -9 "$p" 2>/dev/null; done
}
trap 'cleanup; srv_stop; rm -rf "$tmp"' EXIT

seed=${FEEDMERGE_CRASH_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
kills=${FEEDMERGE_CRASH_KILLS:-20}
echo "crash.sh: seed $seed (replay with FEEDMERGE_CRASH_SEED=$seed), $kills kills"

cat >"$tmp/crash.py" <<'EOF'
# crash.py - the Python side of crash.sh: feeds, kills, state and output checks.
import fcntl, hashlib, json, os, random, re, shutil, signal, sqlite3, subprocess, sys, time
import xml.etree.ElementTree as ET

# The state schema this feedmerge writes (PRAGMA user_version).
SCHEMA_VERSION = 13
ATOM = "{http://www.w3.org/2005/Atom}"
OUTPUTS = (("all.atom", "atom"), ("all.rss", "rss"), ("all.json", "json"))
TAILS = {"atom": b"</feed>\n", "rss": b"</rss>\n", "json": b"}\n"}
TEMP = re.compile(r"^\.all\.(atom|rss|json)\.[a-z0-5]{6}$")
WORDS = ("harbour council budget vote storm ferry school strike museum rail "
         "market election bridge festival court hospital water energy port").split()


def jload(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except FileNotFoundError:
        return default


def jsave(path, obj):
    with open(path + ".tmp", "w") as f:
        json.dump(obj, f)
    os.replace(path + ".tmp", path)


# --- Feeds: names f01..fNN; keys only ever grow, titles change by revision.

def render(name, n, rev):
    out = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
           '<title>Feed %s</title><link>https://example.org/%s/</link>'
           '<description>d</description>\n' % (name, name)]
    items = {}
    for i in range(n, 0, -1):
        r = rev.get(str(i), 0)
        title = "%s story %d" % (name, i) + (" (update %d)" % r if r else "")
        link = "https://example.org/%s/%d" % (name, i)
        # Each story its own words: unrelated stories must not look like copies.
        pick = random.Random("%s-%d" % (name, i))
        words = " ".join(pick.choice(WORDS) for k in range(40))
        out.append('<item><title>%s</title><guid isPermaLink="false">%s-%d</guid>'
                   '<link>%s</link><pubDate>%s</pubDate>'
                   '<description>Story %d of %s: %s &amp; more %s.</description></item>\n'
                   % (title, name, i, link,
                      time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(1700000000 + i * 3600)),
                      i, name, words, words.upper()))
        items["%s-%d" % (name, i)] = [title, link]
    out.append("</channel></rss>\n")
    return "".join(out).encode(), items


def write_feed(work, name, f, hist):
    body, items = render(name, f["n"], f["rev"])
    path = os.path.join(work, "root", name + ".rss")
    with open(path + ".tmp", "wb") as fh:
        fh.write(body)
    os.replace(path + ".tmp", path)  # the server's cache sees a new inode
    hist.setdefault(name, {})['"%s"' % hashlib.sha256(body).hexdigest()[:32]] = items


def cmd_init(work, seed, nfeeds, port):
    rnd = random.Random("%s-init" % seed)
    os.makedirs(os.path.join(work, "root"), exist_ok=True)
    feeds, hist, sections = {}, {}, []
    for k in range(1, int(nfeeds) + 1):
        name = "f%02d" % k
        feeds[name] = {"n": rnd.randint(15, 35), "rev": {}}
        write_feed(work, name, feeds[name], hist)
        host = "127.0.0.1" if k % 2 else "localhost"
        ms = rnd.choice((5, 15, 30, 60, 120))
        sections.append("[feed %s]\nurl = http://%s:%s/slow/%d/%s.rss\ninterval = 1h\n"
                        % (name, host, port, ms, name))
    jsave(os.path.join(work, "feeds.json"), feeds)
    jsave(os.path.join(work, "history.json"), hist)
    print("\n".join(sections))


def mutate(work, seed, it, feeds, hist):
    """Changes a few feeds: new items, and new titles for old ones."""
    rnd = random.Random("%s-mutate-%s" % (seed, it))
    for name in rnd.sample(sorted(feeds), rnd.randint(3, 8)):
        f = feeds[name]
        f["n"] += rnd.randint(1, 4)
        for _ in range(rnd.choice((0, 1, 2))):
            i = str(rnd.randint(1, f["n"]))
            f["rev"][i] = f["rev"].get(i, 0) + 1
        write_feed(work, name, f, hist)


def cmd_mutate(work, seed, it):
    feeds = jload(os.path.join(work, "feeds.json"))
    hist = jload(os.path.join(work, "history.json"))
    mutate(work, seed, it, feeds, hist)
    jsave(os.path.join(work, "feeds.json"), feeds)
    jsave(os.path.join(work, "history.json"), hist)


# --- Kills.

def drive(seed, it, dur, rundir, cmd):
    """Runs cmd in rundir and kills it with SIGKILL at a moment chosen by mode
    (dur: how long a whole run is expected to take, in seconds).
    Returns (ok, killed, seconds it ran, what happened)."""
    rnd = random.Random("%s-kill-%s" % (seed, it))
    mode = ("time", "wal", "tmp")[int(it) % 3]
    wal = os.path.join(rundir, "state.db-wal")
    outdir = os.path.join(rundir, "out")
    if mode == "time":  # anywhere in the run
        at = rnd.uniform(0.0, dur)
        what = "at %.0f ms" % (at * 1000)
    elif mode == "wal":  # as a feed's transaction is being committed
        nth = rnd.randint(1, 40)
        what = "at WAL change %d" % nth
    else:  # as an output is being written
        which = rnd.choice(OUTPUTS)[0]
        lag = rnd.choice((0, 0, 0.0005, 0.001, 0.003))
        what = "%.1f ms after a new .%s.XXXXXX appears" % (lag * 1000, which)
        try:
            old = set(os.listdir(outdir))
        except FileNotFoundError:
            old = set()
    with open(os.path.join(rundir, "run.out"), "w") as so, open(os.path.join(rundir, "run.err"), "w") as se:
        p = subprocess.Popen(cmd, stdout=so, stderr=se, cwd=rundir)
    t0 = time.monotonic()
    kill = False
    if mode == "time":
        try:
            p.wait(timeout=at)
        except subprocess.TimeoutExpired:
            kill = True
    else:
        last, seen = None, 0
        deadline = t0 + 120
        while p.poll() is None and time.monotonic() < deadline:
            if mode == "wal":
                try:
                    s = os.stat(wal)
                    cur = (s.st_ino, s.st_size, s.st_mtime_ns)
                except FileNotFoundError:
                    cur = None
                if cur is not None and cur != last:
                    if last is not None:
                        seen += 1
                    last = cur
                    if seen >= nth:
                        kill = True
                        break
            else:
                try:
                    names = os.listdir(outdir)
                except FileNotFoundError:
                    names = ()
                if any(n.startswith("." + which + ".") and n not in old for n in names):
                    if lag:
                        time.sleep(lag)
                    kill = True
                    break
            time.sleep(0.0002)
    if kill and p.poll() is None:
        os.kill(p.pid, signal.SIGKILL)
    rc = p.wait()
    ran = time.monotonic() - t0
    ms = ran * 1000
    if rc == -signal.SIGKILL:
        return True, True, ran, "run %s: %s kill %s: killed after %.0f ms" % (it, mode, what, ms)
    line = "run %s: %s kill %s: the run ended first (exit %d, %.0f ms)" % (it, mode, what, rc, ms)
    if rc != 0:
        with open(os.path.join(rundir, "run.err")) as f:
            line += "\n" + f.read()
    return rc == 0, False, ran, line


def cmd_kills(work, seed, kills, dur_ms, rundir, binary):
    """The crash loop: change feeds, run and kill, check; one "result N: ok|FAIL" line per kill."""
    nkilled = bad = 0
    dur = float(dur_ms) / 1000 * 0.9  # the first run creates the state: a little slower
    feeds = jload(os.path.join(work, "feeds.json"))
    hist = jload(os.path.join(work, "history.json"))
    it = 0
    while nkilled < int(kills) and it < 2 * int(kills):  # runs that end first don't count
        it += 1
        mutate(work, seed, it, feeds, hist)
        ok, killed, ran, line = drive(seed, it, dur, rundir,
                                      [binary, "run", "-q", "--force", "-c", "feeds.ini"])
        if not killed:
            dur = ran  # time kills aim within the length of the last whole run
        nkilled += killed
        print(line, flush=True)
        ok = check(work, rundir, "  after kill %d" % it, binary, hist) == 0 and ok
        bad += not ok
        print("result %d: %s" % (it, "ok" if ok else "FAIL"), flush=True)
    jsave(os.path.join(work, "feeds.json"), feeds)
    jsave(os.path.join(work, "history.json"), hist)
    print("crash.sh: %d of %d runs were killed" % (nkilled, it))
    print("killed %d" % nkilled)
    return 1 if bad else 0


# --- Checks.

def lock_free(path):
    if not os.path.exists(path):
        return True
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def cmd_lockfree(path, wait_s="0"):
    """Exit 0 once nobody holds the lock at path (polled up to wait_s seconds)."""
    deadline = time.monotonic() + float(wait_s)
    while True:
        if lock_free(path):
            return 0
        if time.monotonic() >= deadline:
            print("%s: still locked" % path)
            return 1
        time.sleep(0.02)


def snapshot_state(rundir, chkdir):
    """Copies the state as a crash left it (db and WAL, not the shm index) and opens the copy."""
    shutil.rmtree(chkdir, ignore_errors=True)
    os.makedirs(chkdir)
    for suffix in ("", "-wal"):
        src = os.path.join(rundir, "state.db" + suffix)
        if os.path.exists(src):
            shutil.copyfile(src, os.path.join(chkdir, "state.db" + suffix))
    shutil.copyfile(os.path.join(rundir, "feeds.ini"), os.path.join(chkdir, "feeds.ini"))
    return os.path.join(chkdir, "state.db")


def read_state(db):
    con = sqlite3.connect(db)
    try:
        integrity = con.execute("PRAGMA integrity_check").fetchall()
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        feeds = {r[0]: r[1] for r in con.execute("SELECT name, etag FROM feeds")}
        items = {}
        for feed, guid, title, link in con.execute("SELECT feed, guid, title, link FROM items"):
            items.setdefault(feed, {})[guid] = [title, link]
        clusters = {}
        for uid, title in con.execute(
                "SELECT c.uid, i.title FROM clusters c JOIN items i ON i.cluster = c.id"):
            clusters.setdefault(uid, set()).add(title)
        version = con.execute("PRAGMA user_version").fetchone()[0]
        # An item and its fingerprint are written in one transaction: never one alone.
        unpaired = con.execute(
            "SELECT (SELECT count(*) FROM items i WHERE NOT EXISTS"
            " (SELECT 1 FROM fingerprints f WHERE f.item = i.id)),"
            " (SELECT count(*) FROM fingerprints f WHERE NOT EXISTS"
            " (SELECT 1 FROM items i WHERE i.id = f.item))").fetchone()
    finally:
        con.close()
    return integrity, fk, feeds, items, clusters, version, unpaired


def parse_output(path, fmt):
    """The [(id, title)] of an output file; raises ValueError when it is not complete."""
    with open(path, "rb") as f:
        data = f.read()
    if not data.endswith(TAILS[fmt]):
        raise ValueError("does not end with %r (%d bytes): %r" % (TAILS[fmt], len(data), data[-60:]))
    if fmt == "json":
        doc = json.loads(data)
        if doc.get("version") != "https://jsonfeed.org/version/1.1":
            raise ValueError("not JSON Feed 1.1")
        return [(it["id"], it.get("title")) for it in doc["items"]], data
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise ValueError("not well-formed: %s" % e)
    if fmt == "atom":
        if root.tag != ATOM + "feed":
            raise ValueError("root is %s" % root.tag)
        return [(e.findtext(ATOM + "id"), e.findtext(ATOM + "title")) for e in root.iter(ATOM + "entry")], data
    if root.tag != "rss":
        raise ValueError("root is %s" % root.tag)
    return [(e.findtext("guid"), e.findtext("title")) for e in root.iter("item")], data


def cmd_check(work, rundir, label, status_bin=None):
    return check(work, rundir, label, status_bin, jload(os.path.join(work, "history.json")))


def check(work, rundir, label, status_bin, hist):
    """After a kill: lock free, state sound and per-feed atomic, outputs old or complete and new.
    hist: every version of every feed by ETag, or None (feeds not made by init: not checked)."""
    problems = []
    snaps_path = os.path.join(rundir, "snapshots.json")
    snaps = jload(snaps_path, {})
    if not lock_free(os.path.join(rundir, "state.db.lock")):
        problems.append("the lock is still held after the run died")
    db = snapshot_state(rundir, os.path.join(work, "chk"))
    nitems = nclusters = 0
    clusters = {}
    if os.path.exists(db):
        integrity, fk, feeds, items, clusters, version, unpaired = read_state(db)
        nclusters = len(clusters)
        nitems = sum(len(v) for v in items.values())
        if integrity != [("ok",)]:
            problems.append("integrity_check: %r" % integrity[:5])
        if fk:
            problems.append("foreign_key_check: %r" % fk[:5])
        if version != SCHEMA_VERSION:
            problems.append("user_version %r" % version)
        if unpaired != (0, 0):
            problems.append("%d items without a fingerprint, %d fingerprints without an item" % unpaired)
        for name in sorted(set(feeds) | set(items)):
            etag = feeds.get(name)
            got = items.get(name, {})
            if hist is None:
                continue
            if etag is None:
                if got:
                    problems.append("feed %s: %d items but no stored ETag" % (name, len(got)))
                continue
            want = hist.get(name, {}).get(etag)
            if want is None:
                problems.append("feed %s: stored ETag %s is no version ever served" % (name, etag))
            elif got != want:
                miss = sorted(set(want) - set(got))[:3]
                extra = sorted(set(got) - set(want))[:3]
                diff = sorted(k for k in set(got) & set(want) if got[k] != want[k])[:3]
                problems.append("feed %s: items do not match the version of ETag %s "
                                "(missing %s, extra %s, different %s)" % (name, etag, miss, extra, diff))
        if status_bin:
            r = subprocess.run([status_bin, "status", "-c", "feeds.ini"], cwd=os.path.dirname(db),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            if r.returncode != 0:
                problems.append("feedmerge status on the crashed state: exit %d: %s"
                                % (r.returncode, r.stderr.decode(errors="replace").strip()))
    outs = []
    for fname, fmt in OUTPUTS:
        path = os.path.join(rundir, "out", fname)
        if not os.path.exists(path):
            if fname in snaps:
                problems.append("output %s vanished" % fname)
            outs.append("%s none" % fmt)
            continue
        with open(path, "rb") as f:
            sha = hashlib.sha256(f.read()).hexdigest()
        if snaps.get(fname, {}).get("sha") == sha:
            outs.append("%s old" % fmt)
            continue
        try:
            entries, data = parse_output(path, fmt)
        except (ValueError, KeyError, TypeError) as e:
            problems.append("output %s is not a complete %s file: %s" % (fname, fmt, e))
            continue
        ids = [e[0] for e in entries]
        if len(set(ids)) != len(ids):
            problems.append("output %s: duplicate entry ids" % fname)
        # A new version was written by the run just killed, after its last commit.
        if set(ids) != set(clusters):
            problems.append("output %s: %d entries, the state has %d clusters (%d not in the state, %d left out)"
                            % (fname, len(ids), len(clusters), len(set(ids) - set(clusters)),
                               len(set(clusters) - set(ids))))
        else:
            bad = [e for e in entries if e[1] not in clusters[e[0]]]
            if bad:
                problems.append("output %s: titles not in the state, e.g. %r" % (fname, bad[:2]))
        prev = snaps.get(fname, {}).get("n", 0)
        if len(ids) < prev:
            problems.append("output %s shrank from %d to %d entries" % (fname, prev, len(ids)))
        snaps[fname] = {"sha": sha, "n": len(ids)}
        outs.append("%s new (%d)" % (fmt, len(ids)))
    jsave(snaps_path, snaps)
    temps = [n for n in os.listdir(os.path.join(rundir, "out")) if TEMP.match(n)] \
        if os.path.isdir(os.path.join(rundir, "out")) else []
    print("%s: state %s (%d items, %d clusters); outputs %s; %d temporary files"
          % (label, "ok" if not problems else "BAD", nitems, nclusters, ", ".join(outs), len(temps)),
          flush=True)
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


def cmd_waitrows(db, n, wait_s):
    """Exit 0 once the state at db has n feeds stored (polled up to wait_s seconds)."""
    deadline = time.monotonic() + float(wait_s)
    got = 0
    while time.monotonic() < deadline:
        try:
            con = sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=5)
            got = con.execute("SELECT count(*) FROM feeds").fetchone()[0]
            con.close()
        except sqlite3.Error:
            pass
        if got >= int(n):
            return 0
        time.sleep(0.05)
    print("%s: %d feeds stored after %s s, want %s" % (db, got, wait_s, n))
    return 1


def cmd_temps(rundir):
    print(len([n for n in os.listdir(os.path.join(rundir, "out")) if TEMP.match(n)]))
    return 0


def outputs_of(rundir):
    res = {}
    for fname, fmt in OUTPUTS:
        entries, _ = parse_output(os.path.join(rundir, "out", fname), fmt)
        res[fname] = set(entries)
    return res


def cmd_compare(dir_a, dir_b):
    """The crashed-and-finished state against the uninterrupted one."""
    problems = []
    _, _, feeds_a, items_a, _, _, _ = read_state(os.path.join(dir_a, "state.db"))
    _, _, feeds_b, items_b, _, _, _ = read_state(os.path.join(dir_b, "state.db"))
    rows = lambda items: {(f, g, t, l) for f, v in items.items() for g, (t, l) in v.items()}
    ra, rb = rows(items_a), rows(items_b)
    if ra != rb:
        problems.append("items differ: %d only after the crashes, e.g. %s; %d only in the reference, e.g. %s"
                        % (len(ra - rb), sorted(ra - rb)[:2], len(rb - ra), sorted(rb - ra)[:2]))
    ea = {(n, e) for n, e in feeds_a.items() if e is not None}
    eb = {(n, e) for n, e in feeds_b.items() if e is not None}
    if ea != eb:
        problems.append("feeds' ETags differ: %s vs %s" % (sorted(ea - eb)[:3], sorted(eb - ea)[:3]))
    if set(feeds_a) != set(feeds_b):
        problems.append("feed names differ")
    oa, ob = outputs_of(dir_a), outputs_of(dir_b)
    for fname, _ in OUTPUTS:
        if oa[fname] != ob[fname]:
            problems.append("output %s: %d entries only after the crashes (%s), %d only in the reference (%s)"
                            % (fname, len(oa[fname] - ob[fname]), sorted(oa[fname] - ob[fname])[:2],
                               len(ob[fname] - oa[fname]), sorted(ob[fname] - oa[fname])[:2]))
    print("compare: %d items, %d feeds with an ETag, outputs %s"
          % (len(ra), len(ea), ", ".join("%s %d" % (k, len(v)) for k, v in sorted(oa.items()))))
    for p in problems:
        print("  " + p)
    return 1 if problems else 0


def cmd_fingerprint(rundir):
    """One line that changes when the state or an output changes: bytes, inodes, mtimes, item count."""
    parts = []
    for name in ("state.db", "state.db-wal"):
        p = os.path.join(rundir, name)
        if os.path.exists(p):
            s = os.stat(p)
            with open(p, "rb") as f:
                parts.append("%s:%s:%d:%d" % (name, hashlib.sha256(f.read()).hexdigest()[:16], s.st_ino, s.st_mtime_ns))
    con = sqlite3.connect("file:%s?mode=ro" % os.path.join(rundir, "state.db"), uri=True)
    parts.append("items:%d" % con.execute("SELECT count(*) FROM items").fetchone()[0])
    con.close()
    for fname, _ in OUTPUTS:
        p = os.path.join(rundir, "out", fname)
        s = os.stat(p)
        with open(p, "rb") as f:
            parts.append("%s:%s:%d:%d" % (fname, hashlib.sha256(f.read()).hexdigest()[:16], s.st_ino, s.st_mtime_ns))
    print(" ".join(parts))
    return 0


if __name__ == "__main__":
    cmd = sys.argv[1].replace("-", "_")
    sys.exit(globals()["cmd_" + cmd](*sys.argv[2:]) or 0)
EOF

# pyc CMD ARGS...: runs a crash.py command; its output in $tmp/out and $tmp/err, status in $st.
pyc() {
	"$py" "$tmp/crash.py" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
}

# mkconfig DIR LOCK_WAIT FEED_SECTIONS: DIR/feeds.ini with three unlimited outputs.
mkconfig() {
	mkdir -p "$1"
	{
		printf '[feedmerge]\nstate = state.db\ntimeout = 20s\nlock_wait = %s\n' "$2"
		printf 'concurrency = 8\nper_host = 4\n\n'
		for f in atom rss json; do
			printf '[output %s]\npath = out/all.%s\nformat = %s\nmax_items = 0\n\n' "$f" "$f" "$f"
		done
		printf '%s\n' "$3"
	} >"$1/feeds.ini"
}

# now_ms: a wall clock in milliseconds.
now_ms() {
	"$py" -c 'import time; print(int(time.time() * 1000))'
}

t_start=$(now_ms)
mkdir -p "$tmp/root"
srv_start "$tmp/root"

# --- 1. kill -9 at random moments: mid-fetch, mid-commit, mid-output-write.
work=$tmp
pyc init "$work" "$seed" 40 "$port"
is "crash: feeds generated" "$st" 0
sections=$(cat "$tmp/out")
mkconfig "$tmp/crash" 0s "$sections"
t0=$(now_ms)
fm run -c "$tmp/crash/feeds.ini"
dur=$(($(now_ms) - t0))
is "crash: the first run" "$st" 0
echo "crash.sh: an uninterrupted run over 40 feeds takes $dur ms"
pyc check "$work" "$tmp/crash" "first run"
is "crash: the first run's state and outputs" "$st" 0
"$py" "$tmp/crash.py" kills "$work" "$seed" "$kills" "$dur" "$tmp/crash" "$bin" >"$tmp/kills.log" 2>&1
kst=$?
: >"$tmp/out"; : >"$tmp/err" # the log below says what went wrong
grep -v '^result \|^killed ' "$tmp/kills.log"
is "crash: the kill loop" "$kst" 0
for r in $(sed -n 's/^result \([0-9]*\): \(.*\)/\1:\2/p' "$tmp/kills.log"); do
	is "crash: state and outputs after run ${r%%:*}" "${r#*:}" ok
done
is "crash: at least $kills runs killed" "$(sed -n 's/^killed //p' "$tmp/kills.log")" "$kills"
ntemp=$("$py" "$tmp/crash.py" temps "$tmp/crash")
echo "crash.sh: $ntemp temporary output files (.all.FORMAT.XXXXXX) left behind by the kills"

# The next run takes the lock at once (lock_wait 0s), finishes, and matches an uninterrupted run.
fm run --force -c "$tmp/crash/feeds.ini"
is "crash: the run after the kills" "$st" 0
pyc check "$work" "$tmp/crash" "final run"
is "crash: the final state and outputs" "$st" 0
mkconfig "$tmp/ref" 0s "$sections"
fm run --force -c "$tmp/ref/feeds.ini"
is "crash: the reference run" "$st" 0
pyc compare "$tmp/crash" "$tmp/ref"
is "crash: the same state as an uninterrupted run" "$st" 0
cat "$tmp/out"
t_crash=$(now_ms)

# --- 2. Two runs started together.
mkdir -p "$tmp/root2"
for n in 1 2 3 4 5 6; do rss "Two$n" 20 >"$tmp/root2/t$n.rss"; done
cp "$tmp/root2"/*.rss "$tmp/root/"
two=""
for n in 1 2 3 4 5 6; do
	two="$two$(feed "t$n" "$base/slow/$((n * 60))/t$n.rss")

"
done
# lock_wait long enough: the second waits for the first, both succeed.
mkconfig "$tmp/two" 30s "$two"
cp "$tmp/two/feeds.ini" "$tmp/two/b.ini"
( cd "$tmp/two" && "$bin" run -q --force -c feeds.ini >a.out 2>a.err; echo $? >a.st ) &
pa=$!
( cd "$tmp/two" && "$bin" run -q --force -c b.ini >b.out 2>b.err; echo $? >b.st ) &
pb=$!
wait $pa
wait $pb
is "together: the first run" "$(cat "$tmp/two/a.st") $(cat "$tmp/two/a.err")" "0 "
is "together: the second run waits and succeeds" "$(cat "$tmp/two/b.st") $(cat "$tmp/two/b.err")" "0 "
pyc lockfree "$tmp/two/state.db.lock"
is "together: the lock is free afterwards" "$st" 0
pyc check "$tmp/two" "$tmp/two" "two runs"
is "together: state and outputs" "$st" 0

# lock_wait 1s against a run that takes longer: one of the two gives up with status 4.
rm -rf "$tmp/two"
mkconfig "$tmp/two" 1s "$two$(feed slow "$base/slow/2000/t1.rss")"
cp "$tmp/two/feeds.ini" "$tmp/two/b.ini"
( cd "$tmp/two" && "$bin" run -q --force -c feeds.ini >a.out 2>a.err; echo $? >a.st ) &
pa=$!
( cd "$tmp/two" && "$bin" run -q --force -c b.ini >b.out 2>b.err; echo $? >b.st ) &
pb=$!
wait $pa
wait $pb
sts=$(cat "$tmp/two/a.st" "$tmp/two/b.st" | sort | tr '\n' ' ')
is "together, lock_wait 1s: one runs, the other exits 4" "$sts" "0 4 "
loser=a
[ "$(cat "$tmp/two/b.st")" = 4 ] && loser=b
has "together: the loser names the lock file" "$tmp/two/$loser.err" "$tmp/two/state.db.lock"
has "together: the loser says why" "$tmp/two/$loser.err" "another feedmerge run holds the lock"
pyc check "$tmp/two" "$tmp/two" "lock_wait 1s"
is "together, lock_wait 1s: state and outputs" "$st" 0
t_two=$(now_ms)

# --- 3. The daemon: a pass, then a run beside it while it sleeps, then SIGTERM.
mkconfig "$tmp/daemon" 1s "$two"
( cd "$tmp/daemon" && exec "$bin" daemon -q -c feeds.ini >d.out 2>d.err ) &
dpid=$!
bg_pids="$bg_pids $dpid"
n=0
while [ ! -s "$tmp/daemon/out/all.json" ] && [ $n -lt 600 ] && kill -0 $dpid 2>/dev/null; do
	sleep 0.05
	n=$((n + 1))
done
is "daemon: the first pass writes the outputs" "$(test -s "$tmp/daemon/out/all.json" && echo yes)" yes
pyc lockfree "$tmp/daemon/state.db.lock" 10
is "daemon: the lock is released after the pass" "$st" 0
fm run --force -c "$tmp/daemon/feeds.ini"
is "daemon: a run beside the sleeping daemon gets the lock" "$st" 0
is "daemon: still running" "$(kill -0 $dpid 2>/dev/null && echo yes)" yes
kill -TERM $dpid
n=0
while kill -0 $dpid 2>/dev/null && [ $n -lt 100 ]; do
	sleep 0.05
	n=$((n + 1))
done
if kill -0 $dpid 2>/dev/null; then
	is "daemon: SIGTERM ends it within 5 s" "still running" "exited"
	kill -9 $dpid
fi
wait $dpid
is "daemon: exit status after SIGTERM" "$? $(cat "$tmp/daemon/d.err")" "0 "
pyc check "$tmp/daemon" "$tmp/daemon" "daemon"
is "daemon: state and outputs" "$st" 0

# SIGTERM during a pass: the daemon saves what is complete and exits 0.
rm -rf "$tmp/daemon"
mkconfig "$tmp/daemon" 1s "$two$(feed slow "$base/slow/30000/t1.rss")"
( cd "$tmp/daemon" && exec "$bin" daemon -q -c feeds.ini >d.out 2>d.err ) &
dpid=$!
bg_pids="$bg_pids $dpid"
pyc waitrows "$tmp/daemon/state.db" 6 20 # the fast feeds are stored, the slow one is still waited for
is "daemon: the fast feeds stored" "$st" 0
kill -TERM $dpid
n=0
while kill -0 $dpid 2>/dev/null && [ $n -lt 100 ]; do
	sleep 0.05
	n=$((n + 1))
done
if kill -0 $dpid 2>/dev/null; then
	is "daemon: SIGTERM mid-pass ends it within 5 s" "still running" "exited"
	kill -9 $dpid
fi
wait $dpid
is "daemon: exit status after SIGTERM mid-pass" "$?" 0
pyc lockfree "$tmp/daemon/state.db.lock"
is "daemon: the lock is free after SIGTERM mid-pass" "$st" 0
pyc check "$tmp/daemon" "$tmp/daemon" "daemon stopped mid-pass"
is "daemon: state after SIGTERM mid-pass" "$st" 0
t_daemon=$(now_ms)

# --- 4. --dry-run changes neither the state nor the outputs.
mkdir -p "$tmp/root/dry"
rss Dry 5 >"$tmp/root/dry/d.rss"
mkconfig "$tmp/dry" 1s "$(feed d "$base/feed/dry/d.rss")
$(feed n "$base/noval/dry/d.rss")
$(feed t1 "$base/feed/t1.rss")"
fm run -c "$tmp/dry/feeds.ini"
is "dry run: the first run" "$st" 0
pyc fingerprint "$tmp/dry"
before=$(cat "$tmp/out")
rss Dry 9 >"$tmp/root/dry/d.rss.new" && mv "$tmp/root/dry/d.rss.new" "$tmp/root/dry/d.rss"
fm run --dry-run --force -c "$tmp/dry/feeds.ini"
is "dry run: exit status" "$st" 0
has "dry run: says so" "$tmp/out" "dry run: 2 fetched, 1 not modified"
pyc fingerprint "$tmp/dry"
is "dry run: state and outputs untouched" "$(cat "$tmp/out")" "$before"

# --- 5. Unchanged outputs are not rewritten: same inode, mtime and bytes.
fm run --force -c "$tmp/dry/feeds.ini"
is "unchanged: a forced run takes the new items" "$st" 0
has "unchanged: the new items" "$tmp/out" "8 new items"
pyc fingerprint "$tmp/dry"
sed 's/state\.db[^ ]* //g; s/items:[0-9]* //' "$tmp/out" >"$tmp/fp1"
sleep 0.02 # a later mtime tick for any rewrite
fm run --force -c "$tmp/dry/feeds.ini"
is "unchanged: second forced run" "$st" 0
has "unchanged: nothing written" "$tmp/out" "0 new items, 0 changed, 0 joined a story; 0 of 3 outputs written"
fm run --force -c "$tmp/dry/feeds.ini"
has "unchanged: third forced run writes nothing" "$tmp/out" "0 of 3 outputs written"
pyc fingerprint "$tmp/dry"
sed 's/state\.db[^ ]* //g; s/items:[0-9]* //' "$tmp/out" >"$tmp/fp2"
is "unchanged: outputs keep inode, mtime and bytes" "$(cat "$tmp/fp2")" "$(cat "$tmp/fp1")"
t_end=$(now_ms)

echo "crash.sh: times: kills $((t_crash - t_start)) ms, two runs $((t_two - t_crash)) ms, daemon $((t_daemon - t_two)) ms, rest $((t_end - t_daemon)) ms"
done_tests
