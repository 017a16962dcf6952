#!/usr/bin/env python3
"""Runs python-feedparser's test cases against `feedmerge parse --json`.

feedparser's suite is a folder of small feeds, each opening with a comment
that names what it tests and a Python expression over feedparser's result
("Expect: not bozo and feed['title'] == 'Example feed'"). This runner reads
those comments, parses each feed with feedmerge, builds from the JSON a
result shaped like feedparser's (same keys, same aliases), evaluates the
expression and prints passed / failed / disagree / unmodelled per folder.

The cases are not part of this repository: give the path of feedparser's
extracted `tests` folder, or of a git mirror of feedparser (its HEAD is
read with `git archive`), as the argument or in FEEDPARSER_TESTS.

    tests/conformance/feedparser-cases.py [-v] [-k SUBSTR] [--feedmerge BIN] PATH

A case is not run when its expression reads a field feedmerge does not
model (UNMODELLED: counted as unmodelled) or when it is one of the
deliberate disagreements (DISAGREE, each with its reason: counted as
disagree). Exit status: 0 when nothing failed.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
import time
import datetime
import io

# Folders of feedparser's suite that are read, and whether a case there must parse without bozo.
FOLDERS = ("wellformed", "illformed", "encoding", "entities")

# Keys of feedparser's result that feedmerge does not model: a case reading one is skipped.
UNMODELLED = {
    "cloud", "textinput", "textInput", "image", "docs", "ttl", "info", "info_detail",
    "rights", "rights_detail", "copyright", "copyright_detail", "publisher",
    "publisher_detail", "source", "comments", "expired", "expired_parsed",
    "validity_start", "validity_start_parsed", "validity_end", "validity_end_parsed",
    "where", "coordinates", "psc_chapters", "chapters", "start_parsed", "license",
    "wfw_comment", "wfw_commentrss", "icon", "logo", "abcdefg", "madeup_element",
    "namespaces", "headers", "etag", "status",
    "created", "created_parsed", "xmlns", "width", "height", "registerprocedure",
    "protocol", "port", "path", "domain", "ref", "role", "relationship", "src",
    "geo", "guidislink", "hreflang", "newlocation",
}
# Key prefixes of namespaced extensions feedmerge does not model.
UNMODELLED_PREFIXES = ("itunes_", "media_", "georss_", "gml_", "psc_", "dc_", "dcterms_",
                       "admin_", "sy_", "cc_", "creativecommons_", "feedburner_", "foo_")

# Cases feedmerge deliberately answers differently: path (under tests/) -> reason.
_RESERIALISE = ("feedmerge keeps HTML as the feed wrote it (links made absolute); feedparser "
                "re-serialises it through its sanitiser (attribute order, <br /> for <br>, "
                "escaped & and < in attributes, references rewritten)")
_ID = ("an id is an identity, kept as written: resolving a relative one against a base that "
       "can move (Content-Location, a mirror) would make one entry two")
DISAGREE = {
    "wellformed/atom10/qna.xml": _RESERIALISE,
    "wellformed/atom10/tag_in_attr.xml": _RESERIALISE,
    "wellformed/atom10/missing_quote_in_attr.xml": _RESERIALISE,
    "wellformed/rss/item_description_br.xml": _RESERIALISE,
    "wellformed/rss/item_description_br_shorttag.xml": _RESERIALISE,
    "wellformed/rss/item_description_not_a_doctype.xml": _RESERIALISE,
    "wellformed/sgml/charref_uppercase_x.xml": _RESERIALISE,
    "encoding/demoronize-3.xml": _RESERIALISE,
    "wellformed/namespace/atommathml.xml": _RESERIALISE,
    "wellformed/namespace/atomsvg.xml": _RESERIALISE,
    "wellformed/namespace/atomsvgdesc.xml": _RESERIALISE,
    "wellformed/namespace/atomsvgtitle.xml": _RESERIALISE,
    "wellformed/namespace/atomxlink.xml": _RESERIALISE,
    "wellformed/namespace/rss2.0mathml.xml": _RESERIALISE,
    "wellformed/namespace/rss2.0svg.xml": _RESERIALISE,
    "wellformed/namespace/rss2.0svg5.xml": _RESERIALISE,
    "wellformed/namespace/rss2.0svgtitle.xml": _RESERIALISE,
    "wellformed/namespace/rss2.0xlink.xml": _RESERIALISE,
    "wellformed/atom10/entry_content_div_escaped_markup.xml":
        "type=\"html\" content is escaped HTML: an XHTML div element inside it is naked markup, "
        "kept as written, not unwrapped and unescaped",
    "encoding/double-encoded-html.xml":
        "references are kept as written; guessing that &#226;&#128;&#166; was UTF-8 read as "
        "Latin-1 would damage text that means exactly that",
    "encoding/bozo_double-encoded-html.xml":
        "references are kept as written (see double-encoded-html)",
    "encoding/bozo_linenoise.xml":
        "an invalid byte is repaired alone (as windows-1252, flagged bozo) and the valid UTF-8 "
        "around it kept; feedparser re-reads the whole document as windows-1252",
    "encoding/bozo_http_text_plain.xml":
        "a served media type (text/plain) says nothing wrong about the bytes: not bozo",
    "encoding/bozo_http_text_plain_charset.xml":
        "a served media type (text/plain) says nothing wrong about the bytes: not bozo",
    "entities/lang.xml": "&lang; is HTML5's U+27E8, as browsers read it; feedparser has HTML 4's U+2329",
    "entities/rang.xml": "&rang; is HTML5's U+27E9, as browsers read it; feedparser has HTML 4's U+232A",
    "wellformed/base/http_entry_id_base_content_location.xml": _ID,
    "wellformed/base/http_entry_id_base_docuri.xml": _ID,
    "wellformed/base/http_feed_id_base_content_location.xml": _ID,
    "wellformed/base/http_feed_id_base_docuri.xml": _ID,
    "wellformed/rss/channel_description_shorttag.xml":
        "an empty element is an absent value (null), not an empty string",
    "wellformed/rss/item_description_and_summary.xml":
        "RSS has no <summary>; its description is the summary, never moved to content",
    "wellformed/rss/item_summary_and_description.xml":
        "RSS has no <summary>; its description is the summary, never moved to content",
}
# Whole folders feedmerge deliberately leaves to others: folder prefix -> reason.
DISAGREE_FOLDERS = {
    "wellformed/sanitize": "feedmerge keeps HTML as the feed wrote it; sanitising is the "
                           "HTML river writer's job, not the parser's",
}

VERSIONS = {
    "rss0.90": "rss090", "rss0.91u": "rss091u", "rss0.91n": "rss091n",
    "rss0.92": "rss092", "rss0.93": "rss093", "rss0.94": "rss094", "rss2.0": "rss20",
    "rss": "rss", "rss1.0": "rss10", "atom0.3": "atom03", "atom1.0": "atom10",
    "atom": "atom", "cdf": "cdf", "jsonfeed": "json1", "": "",
}

DESC_RE = re.compile(r"Description:\s*(.*?)\s*Expect:\s*(.*)\s*-->")
HEADER_RE = re.compile(r"^\s*Header:\s+([^:]+):(.*)$", re.MULTILINE)
KEY_RE = re.compile(r"""(?:\[|\.get\()\s*u?['"]([A-Za-z0-9_:]+)['"]\s*[\],)]|\.([A-Za-z_][A-Za-z0-9_]*)""")


class Result(dict):
    """A dict with feedparser's aliases (guid is id, description is summary or subtitle...)."""

    ALIASES = {
        "channel": ["feed"], "items": ["entries"], "guid": ["id"], "date": ["updated", "published"],
        "date_parsed": ["updated_parsed", "published_parsed"],
        "description": ["summary", "subtitle"],
        "description_detail": ["summary_detail", "subtitle_detail"],
        "url": ["href"], "modified": ["updated"], "modified_parsed": ["updated_parsed"], "issued": ["published"], "issued_parsed": ["published_parsed"],
        "tagline": ["subtitle"], "tagline_detail": ["subtitle_detail"],
        "updated": ["updated", "published"], "updated_parsed": ["updated_parsed", "published_parsed"],
    }

    def __getitem__(self, key):
        if key == "category":
            tags = dict.get(self, "tags") or []
            if not tags:
                raise KeyError(key)
            return tags[0]["term"]
        if key == "enclosures" and dict.__contains__(self, "links"):
            return [Result((k, v) for k, v in link.items() if k != "rel")
                    for link in dict.__getitem__(self, "links") if link.get("rel") == "enclosure"]
        for real in self.ALIASES.get(key, [key]):
            if dict.__contains__(self, real):
                return dict.__getitem__(self, real)
        return dict.__getitem__(self, key)

    def __contains__(self, key):
        try:
            self[key]
        except (KeyError, IndexError):
            return False
        return True

    def has_key(self, key):
        return key in self

    def get(self, key, default=None):
        try:
            return self[key]
        except (KeyError, IndexError):
            return default

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key)


class Charset(str):
    """A charset name: IANA names compare without regard to case ("Big5" is "big5")."""

    def __eq__(self, other):
        return isinstance(other, str) and self.lower() == other.lower()

    def __ne__(self, other):
        return not self == other

    __hash__ = str.__hash__


def case_info(text):
    """Returns (description, expression) from a case's leading comment, or None."""
    m = DESC_RE.search(text)
    if not m:
        return None
    return m.group(1).strip(), m.group(2).strip()


def read_text(data):
    """Decodes a case file the way feedparser's own test helper does, to read its comment."""
    for bom, enc in ((b"\x00\x00\xfe\xff", "utf-32be"), (b"\xff\xfe\x00\x00", "utf-32le"),
                     (b"\x00\x00\x00\x3c", "utf-32be"), (b"\x3c\x00\x00\x00", "utf-32le"),
                     (b"\x00\x3c\x00\x3f", "utf-16be"), (b"\x3c\x00\x3f\x00", "utf-16le")):
        if data.startswith(bom):
            return data.decode(enc, errors="ignore")
    if data[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return data[2:].decode("utf-16be" if data[:2] == b"\xfe\xff" else "utf-16le", errors="ignore")
    return data.decode("utf-8", errors="ignore")


def to_time(s):
    """Returns a struct_time (UTC) for an RFC 3339 string from feedmerge, or None."""
    if not s:
        return None
    t = datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    return time.gmtime(t.timestamp())


def detail(value, det, default_type="text/plain"):
    """Builds a *_detail dict from feedmerge's detail object (or the bare value)."""
    d = Result(type=default_type, value=value, base="", language=None)
    for k, v in (det or {}).items():
        if v is not None:
            d[k] = v
    d["value"] = value
    return d


def person(p):
    """Builds feedparser's author_detail from feedmerge's person; None when empty."""
    if not p or not any(p.get(k) for k in ("name", "email", "uri")):
        return None
    d = Result()
    if p.get("name"):
        d["name"] = p["name"]
    if p.get("email"):
        d["email"] = p["email"]
    if p.get("uri"):
        d["href"] = p["uri"]
    return d


def person_string(d):
    """feedparser's author string: "Name (email)", the name, or the email."""
    if d.get("name") and d.get("email"):
        return "%s (%s)" % (d["name"], d["email"])
    return d.get("name") or d.get("email") or ""


def common(out, src):
    """Fills the fields feeds and entries share."""
    for key in ("title", "subtitle", "summary"):
        if src.get(key) is not None:
            out[key] = src[key]
            out[key + "_detail"] = detail(src[key], src.get(key + "_detail"),
                                          "text/html" if key == "summary" and "summary_detail" not in src
                                          else "text/plain")
    if src.get("id") is not None:
        out["id"] = src["id"]
    if src.get("link") is not None:
        out["link"] = src["link"]
    links = []
    for l in src.get("links") or []:
        link = Result((k, v) for k, v in l.items() if v is not None)
        # feedparser's default types: a feed's self link is Atom, anything else HTML.
        link.setdefault("type", "application/atom+xml" if link.get("rel") == "self" else "text/html")
        links.append(link)
    if src.get("link") and not any(l.get("rel") == "alternate" and l.get("href") == src["link"] for l in links):
        links.insert(0, Result(rel="alternate", type="text/html", href=src["link"]))
    for e in src.get("enclosures") or []:
        if not any(l.get("rel") == "enclosure" and l.get("href") == e.get("url") for l in links):
            links.append(Result(rel="enclosure", href=e.get("url"), type=e.get("type") or "",
                                length=e.get("length") or ""))
    if links:
        out["links"] = links
    for key in ("published", "updated"):
        if src.get(key):
            # feedparser's date strings are as the feed wrote them.
            out[key] = src.get(key + "_text") or src[key]
            out[key + "_parsed"] = to_time(src[key])
    a = person(src.get("author"))
    authors = [person(p) for p in src.get("authors") or []]
    authors = [p for p in authors if p is not None]
    if a is None and authors:
        a = authors[0]
    if a is not None:
        out["author_detail"] = a
        out["author"] = person_string(a)
        out["authors"] = authors or [a]
    contributors = [person(p) for p in src.get("contributors") or []]
    if any(contributors):
        out["contributors"] = [p for p in contributors if p]
    tags = []
    for c in src.get("tags") or []:
        tags.append(Result(term=c.get("term"), scheme=c.get("scheme"), label=c.get("label")))
    if not tags:
        tags = [Result(term=c, scheme=None, label=None) for c in src.get("categories") or []]
    if tags:
        out["tags"] = tags
    for key in ("language", "generator"):
        if src.get(key) is not None:
            out[key] = src[key]
    g = src.get("generator_detail") or {}
    if any(g.values()):
        out["generator_detail"] = Result((("href" if k == "uri" else k), v) for k, v in g.items() if v)


def result_of(js):
    """Builds a feedparser-shaped result from feedmerge's JSON."""
    feed = Result()
    common(feed, js)
    entries = []
    for it in js.get("items") or []:
        e = Result()
        common(e, it)
        content = it.get("contents")
        if content is None and it.get("content") is not None:
            content = [dict(it.get("content_detail") or {"type": "text/html"}, value=it["content"])]
        if content:
            e["content"] = [detail(c["value"], c, "text/html") for c in content]
        entries.append(e)
    return Result(bozo=1 if js.get("bozo") else 0, feed=feed, entries=entries,
                  encoding=Charset(js.get("encoding") or ""), version=VERSIONS.get(js.get("format") or "", js.get("format")),
                  bozo_exception=js.get("error"))


STRING_RE = re.compile(r"u?'(?:[^'\\]|\\.)*'|u?\"(?:[^\"\\]|\\.)*\"")
# Top-level names of feedparser's result feedmerge has no use for (HTTP metadata, its exception classes).
BARE_RE = re.compile(r"(?<![\w'\".\[])(etag|headers|modified|modified_parsed|status|href|namespaces|feedparser)\b(?!['\"])")


def skip_reason(rel, expr):
    """Returns why a case is skipped, or None."""
    if rel in DISAGREE:
        return "disagree: " + DISAGREE[rel]
    for prefix, why in DISAGREE_FOLDERS.items():
        if rel.startswith(prefix + "/"):
            return "disagree: " + why
    code = STRING_RE.sub("''", expr)  # names inside string literals are data, not keys
    m = BARE_RE.search(code)
    if m:
        return "unmodelled: " + m.group(1)
    keys = [m.group(1) for m in KEY_RE.finditer(expr) if m.group(1)]
    keys += [m.group(2) for m in KEY_RE.finditer(code) if m.group(2)]
    for key in keys:
        if key in UNMODELLED or key.startswith(UNMODELLED_PREFIXES) or ":" in key:
            return "unmodelled: " + key
    return None


def run_case(binary, root, rel):
    """Runs one case; returns (status, detail) with status 'pass', 'fail', 'disagree' or 'skip'."""
    path = os.path.join(root, rel)
    with open(path, "rb") as f:
        data = f.read()
    text = read_text(data)
    info = case_info(text)
    if not info:
        return "skip", "no Expect comment"
    desc, expr = info
    why = skip_reason(rel, expr)
    if why:
        return ("disagree" if why.startswith("disagree") else "skip"), why
    args = [binary, "parse", "--json"]
    http = "http" in rel
    if http:
        headers = {k.strip().lower(): v.strip() for k, v in HEADER_RE.findall(text)}
        args += ["--url", "http://127.0.0.1:8097/tests/" + rel,
                 "--content-type", headers.get("content-type", "text/xml")]
        if "content-location" in headers:
            args += ["--content-location", headers["content-location"]]
        if "content-language" in headers:
            args += ["--content-language", headers["content-language"]]
    args.append(path)
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    try:
        js = json.loads(p.stdout.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        return "fail", "bad JSON (%s), exit %d: %s" % (e, p.returncode, p.stderr.decode("utf-8", "replace")[:200])
    env = result_of(js)
    # feedparser's entity cases expect bozo from its strict parser and none from its loose one.
    want_clean = rel.startswith("wellformed/")
    try:
        ok = bool(eval(expr, {"datetime": datetime, "__builtins__": __builtins__}, env))
    except Exception as e:  # a missing key is a failure like any other
        ok = False
        expr = "%s  [%s: %s]" % (expr, type(e).__name__, e)
    if ok and want_clean and env["bozo"]:
        return "fail", "bozo: %s | %s" % (js.get("error"), expr)
    return ("pass", "") if ok else ("fail", expr)


def extract(path):
    """Returns the folder holding the cases: path itself, or a temporary copy from a git mirror."""
    if os.path.isdir(os.path.join(path, "wellformed")):
        return path, None
    if os.path.isdir(os.path.join(path, "tests", "wellformed")):
        return os.path.join(path, "tests"), None
    tmp = tempfile.TemporaryDirectory(prefix="fm-feedparser-")
    tar = subprocess.run(["git", "--git-dir", path, "archive", "HEAD", "tests"],
                         stdout=subprocess.PIPE, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        t.extractall(tmp.name)
    return os.path.join(tmp.name, "tests"), tmp


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tests", nargs="?", default=os.environ.get("FEEDPARSER_TESTS"),
                    help="feedparser's tests folder or git mirror (or FEEDPARSER_TESTS)")
    ap.add_argument("--feedmerge", default=os.environ.get("FEEDMERGE",
                    os.path.join(here, "..", "..", "build-rel", "feedmerge")))
    ap.add_argument("-k", dest="filter", help="only cases whose path contains this")
    ap.add_argument("-v", action="store_true", help="list every failure")
    ap.add_argument("--skips", action="store_true", help="list every skipped case and why")
    a = ap.parse_args()
    if not a.tests:
        ap.error("give feedparser's tests folder or mirror (or set FEEDPARSER_TESTS)")
    root, tmp = extract(a.tests)
    cases = []
    for top in FOLDERS:
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith(".xml"):
                    rel = os.path.relpath(os.path.join(dirpath, f), root)
                    if not a.filter or a.filter in rel:
                        cases.append(rel)
    cases.sort()
    per = {}
    failed = 0
    for rel in cases:
        folder = os.path.dirname(rel)
        status, why = run_case(a.feedmerge, root, rel)
        per.setdefault(folder, {"pass": 0, "fail": 0, "disagree": 0, "skip": 0})[status] += 1
        if status == "fail":
            failed += 1
            if a.v:
                print("FAIL %s: %s" % (rel, why))
        elif status in ("skip", "disagree") and a.skips:
            print("SKIP %s: %s" % (rel, why))
    tot = {"pass": 0, "fail": 0, "disagree": 0, "skip": 0}
    row = "%-28s %7s %7s %9s %11s"
    print(row % ("folder", "passed", "failed", "disagree", "unmodelled"))
    for folder in sorted(per):
        c = per[folder]
        print(row % (folder, c["pass"], c["fail"], c["disagree"], c["skip"]))
        for k in tot:
            tot[k] += c[k]
    print(row % ("total", tot["pass"], tot["fail"], tot["disagree"], tot["skip"]))
    if tmp:
        tmp.cleanup()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
