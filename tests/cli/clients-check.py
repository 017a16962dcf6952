"""clients-check.py - the checks tests/cli/clients.sh runs over feedmerge's
outputs, one subcommand each. Every subcommand prints one line per problem
found and nothing when all is well (the shell test asserts on that), so a
crash, whose traceback is output too, fails the test as well.

    atom-rules FILE...            RFC 4287 rules RELAX NG cannot express
    rss FILE                      RSS 2.0 basics
    jsonfeed FILE                 JSON Feed 1.1 rules, and our members
    feedparser ATOM RSS JSON NAME=URL...
                                  python3-feedparser reads all three alike
    newsboat CACHE FEED_URL JSON  what newsboat stored equals the JSON Feed

Run with Debian's /usr/bin/python3 (feedparser, sqlite3).
"""
import calendar
import email.utils
import html
import json
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET
from datetime import datetime

ATOM = "{http://www.w3.org/2005/Atom}"
problems = []


def bad(msg):
    problems.append(msg)


# RFC 3339 date-time (section 5.6), as JSON Feed 1.1 and Atom ask for.
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def rfc3339(s):
    """The Unix time of an RFC 3339 date-time, or None when s is not one."""
    if not isinstance(s, str) or not RFC3339.match(s):
        return None
    try:
        t = datetime.fromisoformat(re.sub(r"[Zz]$", "+00:00", s.replace("t", "T")))
    except ValueError:
        return None
    return int(t.timestamp())


def rfc822(s):
    """The Unix time of an RFC 822 date (RFC 2822 section 3.3), or None."""
    try:
        t = email.utils.parsedate_to_datetime(s)
    except (TypeError, ValueError):
        return None
    if t is None or t.tzinfo is None:
        return None
    return int(t.timestamp())


# ---------------------------------------------------------------- atom-rules

def atom_alternates(where, parent):
    """Section 4.1.1 / 4.1.2: at most one rel="alternate" link per type and hreflang."""
    seen = set()
    for link in parent.findall(ATOM + "link"):
        if link.get("rel", "alternate") != "alternate":
            continue
        key = (link.get("type"), link.get("hreflang"))
        if key in seen:
            bad("%s: two alternate links with type=%s hreflang=%s (RFC 4287 4.1.1/4.1.2)" % (where, key[0], key[1]))
        seen.add(key)


def atom_rules(path):
    root = ET.parse(path).getroot()
    name = path.split("/")[-1]
    entries = root.findall(ATOM + "entry") if root.tag == ATOM + "feed" else [root]
    feed_author = root.tag == ATOM + "feed" and root.find(ATOM + "author") is not None
    if root.tag == ATOM + "feed":
        atom_alternates(name + ": feed", root)
    seen = {}
    for i, e in enumerate(entries):
        where = "%s: entry %d (%s)" % (name, i + 1, e.findtext(ATOM + "id"))
        src = e.find(ATOM + "source")
        # 4.1.2: an author on the entry, its source, or the feed.
        if (e.find(ATOM + "author") is None and not feed_author and
                (src is None or src.find(ATOM + "author") is None)):
            bad("%s: no author, and neither its source nor the feed has one (RFC 4287 4.1.2)" % where)
        atom_alternates(where, e)
        content = e.find(ATOM + "content")
        alternates = [l for l in e.findall(ATOM + "link") if l.get("rel", "alternate") == "alternate"]
        if content is None and not alternates:
            bad("%s: no content and no alternate link (RFC 4287 4.1.2)" % where)
        if content is not None and e.find(ATOM + "summary") is None:
            t = content.get("type", "text")
            base64 = "/" in t and not (t.startswith("text/") or re.search(r"[/+]xml(;|$)", t))
            if content.get("src") is not None or base64:
                bad("%s: out-of-line or base64 content without a summary (RFC 4287 4.1.2)" % where)
        key = (e.findtext(ATOM + "id"), e.findtext(ATOM + "updated"))
        if key in seen:
            bad("%s: same id and updated as entry %d (RFC 4287 4.1.1)" % (where, seen[key]))
        seen[key] = i + 1


# ---------------------------------------------------------------- rss

def rss_basics(path):
    root = ET.parse(path).getroot()
    if root.tag != "rss" or root.get("version") != "2.0":
        bad("root is <%s version=%s>, not <rss version=2.0>" % (root.tag, root.get("version")))
        return
    ch = root.find("channel")
    if ch is None:
        bad("no channel")
        return
    for k in ("title", "link", "description"):
        if not (ch.findtext(k) or "").strip():
            bad("channel: no %s (required)" % k)
    for k in ("lastBuildDate", "pubDate"):
        v = ch.findtext(k)
        if v is not None and rfc822(v) is None:
            bad("channel: %s %r is no RFC 822 date" % (k, v))
    guids = set()
    for i, it in enumerate(ch.findall("item")):
        where = "item %d" % (i + 1)
        if not (it.findtext("title") or "").strip() and not (it.findtext("description") or "").strip():
            bad("%s: neither title nor description" % where)
        g = it.find("guid")
        if g is None or not (g.text or "").strip():
            bad("%s: no guid" % where)
        else:
            if g.get("isPermaLink") != "false":
                bad("%s: guid without isPermaLink=\"false\" (ours are cluster ids, not links)" % where)
            if g.text in guids:
                bad("%s: guid %s twice" % (where, g.text))
            guids.add(g.text)
        d = it.findtext("pubDate")
        if d is None or rfc822(d) is None:
            bad("%s: pubDate %r does not parse with email.utils" % (where, d))
        src = it.find("source")
        if src is not None and not src.get("url"):
            bad("%s: source without url (required)" % where)
        enc = it.findall("enclosure")
        for en in enc:
            if not en.get("url") or not (en.get("length") or "").isdigit() or "/" not in (en.get("type") or ""):
                bad("%s: enclosure needs url, length and type" % where)


# ---------------------------------------------------------------- jsonfeed

def json_url(where, key, u):
    """A URL field: a string with no white space or other character no URL may hold."""
    if u is not None and (not isinstance(u, str) or re.search(r'[\s<>"{}|\\^`]', u)):
        bad("%s: %s %r is no URL" % (where, key, u))


def jsonfeed(path):
    d = json.load(open(path, encoding="utf-8"))
    json_url("feed", "home_page_url", d.get("home_page_url"))
    if d.get("version") != "https://jsonfeed.org/version/1.1":
        bad("version is %r" % d.get("version"))
    if not isinstance(d.get("title"), str):
        bad("no title (required)")
    for k in ("home_page_url", "feed_url"):
        if k in d and not isinstance(d[k], str):
            bad("%s is not a string" % k)
    if not isinstance(d.get("items"), list):
        bad("no items array (required)")
        return
    ids = set()
    for i, it in enumerate(d["items"]):
        where = "item %d" % (i + 1)
        if not isinstance(it.get("id"), str) or not it["id"]:
            bad("%s: id missing or not a string" % where)
        elif it["id"] in ids:
            bad("%s: id %s twice" % (where, it["id"]))
        ids.add(it.get("id"))
        if not isinstance(it.get("content_html"), str) and not isinstance(it.get("content_text"), str):
            bad("%s: neither content_html nor content_text" % where)
        for k in ("url", "external_url", "title", "summary", "image", "banner_image", "language"):
            if k in it and not isinstance(it[k], str):
                bad("%s: %s is not a string" % (where, k))
        for k in ("date_published", "date_modified"):
            if k in it and rfc3339(it[k]) is None:
                bad("%s: %s %r is not RFC 3339" % (where, k, it[k]))
        if "author" in it:
            bad("%s: JSON Feed 1.1 has authors, not author" % where)
        json_url(where, "url", it.get("url"))
        for a in it.get("authors", []):
            json_url(where, "author url", a.get("url"))
            if not any(isinstance(a.get(k), str) for k in ("name", "url", "avatar")):
                bad("%s: an author with neither name, url nor avatar" % where)
        if "tags" in it and not all(isinstance(t, str) for t in it["tags"]):
            bad("%s: tags must be strings" % where)
        for a in it.get("attachments", []):
            if not isinstance(a.get("url"), str) or not isinstance(a.get("mime_type"), str):
                bad("%s: an attachment needs url and mime_type" % where)
            json_url(where, "attachment url", a.get("url"))
            if "size_in_bytes" in a and not isinstance(a["size_in_bytes"], int):
                bad("%s: size_in_bytes is not a number" % where)
        for k in it:
            if k not in ("id", "url", "external_url", "title", "content_html", "content_text", "summary",
                         "image", "banner_image", "date_published", "date_modified", "authors", "tags",
                         "language", "attachments") and not k.startswith("_"):
                bad("%s: unknown key %s (extensions start with _)" % (where, k))
        # Ours: the extension lists the members, representative first.
        fm = it.get("_feedmerge")
        if not isinstance(fm, dict) or fm.get("cluster") != it.get("id") or not fm.get("members"):
            bad("%s: _feedmerge missing, or its cluster is not the item id" % where)
            continue
        rep = fm["members"][0]
        if rep["url"] != it.get("url") or (it.get("title") is not None and rep["title"] != it["title"]):
            bad("%s: url/title are not the representative's" % where)
        for m in fm["members"]:
            json_url(where, "member url", m.get("url"))
            if sorted(m) != ["date_published", "feed", "id", "title", "url"]:
                bad("%s: member keys %s" % (where, sorted(m)))
            elif m["date_published"] is not None and rfc3339(m["date_published"]) is None:
                bad("%s: member date %r is not RFC 3339" % (where, m["date_published"]))


# ---------------------------------------------------------------- feedparser

def html_text(s):
    """The text of an HTML fragment: scripts and tags out, entities decoded, space collapsed."""
    s = re.sub(r"(?is)<script\b.*?</script>", " ", s or "")
    s = re.sub(r"<[^>]*>", " ", s)
    return " ".join(html.unescape(s).replace("\xa0", " ").split())


def fp_url(u):
    """A URL as feedparser gives it back: it drops the empty authority of file:/// URLs."""
    return u.replace("file:///", "file://") if isinstance(u, str) else u


def fp_time(e, key):
    t = e.get(key + "_parsed")
    return calendar.timegm(t) if t else None


def feedparser_check(atom, rss, jsonf, feeds):
    import feedparser

    j = json.load(open(jsonf, encoding="utf-8"))
    items = j["items"]
    docs = {"atom": feedparser.parse(atom), "rss": feedparser.parse(rss)}
    try:  # feedparser reads JSON Feed from 6.1 on; Debian 12 has 6.0.
        import feedparser.parsers.json  # noqa: F401
        docs["json"] = feedparser.parse(jsonf)
    except ImportError:
        pass
    want_version = {"atom": "atom10", "rss": "rss20", "json": "json11"}
    for fmt, d in docs.items():
        if d.bozo:
            bad("%s: bozo=1: %s" % (fmt, d.get("bozo_exception")))
        if d.version != want_version[fmt]:
            bad("%s: version %r" % (fmt, d.version))
        if d.feed.get("title") != j["title"]:
            bad("%s: feed title %r, JSON Feed has %r" % (fmt, d.feed.get("title"), j["title"]))
        if len(d.entries) != len(items):
            bad("%s: %d entries, the JSON Feed has %d" % (fmt, len(d.entries), len(items)))
            continue
        for i, (e, it) in enumerate(zip(d.entries, items)):
            where = "%s: entry %d (%s)" % (fmt, i + 1, it["id"])
            members = it["_feedmerge"]["members"]
            rep = members[0]
            if e.get("id") != it["id"]:
                bad("%s: id %r, JSON Feed has %r (order or id differs)" % (where, e.get("id"), it["id"]))
            # An untitled story takes its feed's title in Atom and RSS (both require one).
            title = it.get("title")
            if title is None:
                title = e.get("source", {}).get("title")
            # A title with markup is Atom's type="html": its text is the JSON Feed's title.
            got = e.get("title")
            if fmt == "atom" and e.get("title_detail", {}).get("type") == "text/html":
                got = html_text(got)
            if got != title:
                bad("%s: title %r, want %r" % (where, got, title))
            alt = [l["href"] for l in e.get("links", []) if l.get("rel") == "alternate"]
            if fmt == "rss":
                alt = [e["link"]] if e.get("link") else []
            alt = [fp_url(x) for x in alt]
            if alt != ([fp_url(it["url"])] if "url" in it else []):
                bad("%s: alternate link %r, JSON Feed url %r" % (where, alt, it.get("url")))
            related = [(fp_url(l["href"]), l.get("title")) for l in e.get("links", []) if l.get("rel") == "related"]
            want = [(fp_url(m["url"]), m["title"]) for m in members[1:] if m["url"]]
            if related != want:
                bad("%s: related links %r, other members %r" % (where, related, want))
            # <source>: Atom's id, RSS's url attribute.
            src = e.get("source", {})
            got = (src.get("id") if fmt == "atom" else src.get("href")) or ""
            if fp_url(got) != fp_url(feeds.get(rep["feed"], "?")):
                bad("%s: source %r is not the representative's feed %s" % (where, got, feeds.get(rep["feed"])))
            if fp_time(e, "published") != rfc3339(it["date_published"]):
                bad("%s: published %r, JSON Feed %s" % (where, e.get("published"), it["date_published"]))
            if fmt == "atom" and fp_time(e, "updated") != rfc3339(it["date_modified"]):
                bad("%s: updated %r, JSON Feed %s" % (where, e.get("updated"), it["date_modified"]))
            authors = [a["name"] for a in it.get("authors", []) if "name" in a]
            got = e.get("author_detail", {}).get("name")
            # feedparser digs e-mail addresses out of RSS author names: skip those.
            if authors and got != authors[0] and not (fmt == "rss" and "@" in authors[0]):
                bad("%s: author %r, JSON Feed %r" % (where, got, authors[0]))
            # The story's text survives the trip, entities and all (feedparser drops scripts).
            body = e.get("content", [{}])[0].get("value") if e.get("content") else e.get("summary")
            if html_text(body) != html_text(it.get("content_html") or it.get("content_text")):
                bad("%s: text differs:\n  %r\n  %r" % (where, html_text(body), html_text(it.get("content_html"))))
            encl = [fp_url(x["href"]) for x in e.get("enclosures", [])]
            want_encl = [fp_url(a["url"]) for a in it.get("attachments", [])]
            if (encl != want_encl) if fmt == "atom" else (encl != want_encl[:1]):
                bad("%s: enclosures %r, attachments %r" % (where, encl, want_encl))
        newest = max((rfc3339(it["date_modified"]) for it in items), default=0)
        if fmt == "atom" and fp_time(d.feed, "updated") != newest:
            bad("atom: feed updated %r is not the newest entry's" % d.feed.get("updated"))


# ---------------------------------------------------------------- newsboat

def newsboat_check(cache, url, jsonf):
    items = {it["id"]: it for it in json.load(open(jsonf, encoding="utf-8"))["items"]}
    db = sqlite3.connect(cache)
    feeds = db.execute("select rssurl from rss_feed").fetchall()
    if [f[0] for f in feeds] != [url]:
        bad("newsboat knows the feeds %r, want [%r]" % (feeds, url))
    rows = db.execute("select guid, title, url, pubDate, feedurl from rss_item where deleted = 0").fetchall()
    if len(rows) != len(items):
        bad("newsboat stored %d items, the JSON Feed has %d" % (len(rows), len(items)))
    for guid, title, link, date, feedurl in rows:
        it = items.get(guid)
        if it is None:
            bad("newsboat item %r (%s) is no JSON Feed item" % (guid, title))
            continue
        if feedurl != url:
            bad("%s: stored under %s" % (guid, feedurl))
        want = it.get("title") or title  # untitled: the format's stand-in, checked by feedparser
        if title != want or not title:
            bad("%s: title %r, JSON Feed %r" % (guid, title, it.get("title")))
        if link != it.get("url", ""):
            bad("%s: link %r, JSON Feed %r" % (guid, link, it.get("url")))
        if date != rfc3339(it["date_published"]):
            bad("%s: date %r, JSON Feed %s" % (guid, date, it["date_published"]))


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "atom-rules":
        for p in args:
            atom_rules(p)
    elif cmd == "rss":
        rss_basics(args[0])
    elif cmd == "jsonfeed":
        jsonfeed(args[0])
    elif cmd == "feedparser":
        feedparser_check(args[0], args[1], args[2], dict(a.split("=", 1) for a in args[3:]))
    elif cmd == "newsboat":
        newsboat_check(args[0], args[1], args[2])
    else:
        raise SystemExit("unknown check " + cmd)
    for p in problems:
        print(p)


if __name__ == "__main__":
    main(sys.argv)
