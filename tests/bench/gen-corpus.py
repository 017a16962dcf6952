#!/usr/bin/python3
"""gen-corpus.py - a reproducible corpus of realistic feed files for the parser benchmark.

    gen-corpus.py [--seed N] [--files N] [--total-mb N] DIR
        writes about 300 feed files, about 60 MB in all, into DIR: mostly
        RSS 2.0 (content:encoded, dc:creator, categories, enclosures, CDATA and
        escaped HTML descriptions), Atom 1.0 (html and xhtml content, xml:base),
        RSS 1.0 (RDF), and a few declared windows-1252 or ISO-8859-1. Sizes run
        from 5 KB to 2 MB with a long tail. DIR/MANIFEST.tsv lists them.

    gen-corpus.py --stream MB [--seed N]
        writes one RSS 2.0 feed of about MB megabytes to stdout, item by item
        (for the streaming / peak-RSS test).

All text comes from a synthetic vocabulary built from the seed: nothing is
copied from real feeds. The same seed gives byte-identical output with the
same Python (random.Random's algorithms are stable across 3.x releases).
Every file is well-formed XML, so expat, sfeed and feedparser all read the
whole of it.
"""
import argparse
import math
import os
import random
import sys

# --- vocabulary ---------------------------------------------------------

ONSETS = ["", "b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s",
          "t", "v", "w", "z", "br", "cl", "cr", "dr", "fl", "gr", "pl", "pr", "sh",
          "st", "str", "th", "tr", "ch", "sp", "sk"]
VOWELS = ["a", "e", "i", "o", "u", "a", "e", "o", "ai", "ea", "ou", "io", "y"]
CODAS = ["", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck", "ng", "x", "rt"]

# Accented words and typography: which ones a document gets depends on its charset.
LATIN1_EXTRA = ["café", "naïve", "façade", "résumé", "Zürich", "São", "Øresund", "über",
                "jalapeño", "Málaga", "Ærø", "crème", "brûlée", "señor", "Köln", "déjà"]
CP1252_EXTRA = ["\u201cquoted\u201d", "it\u2019s", "\u2013", "\u2014", "\u2026", "\u20ac12",
                "\u2018single\u2019", "Œuvre", "Šibenik", "\u2122"]
UTF8_EXTRA = ["東京", "Москва", "Αθήνα", "서울", "İstanbul", "Kraków", "Łódź", "\U0001F642",
              "\u2192", "\u00bd", "naïveté"]


class Words:
    """A Zipf-distributed synthetic vocabulary."""

    def __init__(self, rng, n=6000):
        seen = set()
        words = []
        while len(words) < n:
            k = rng.choice((1, 1, 2, 2, 2, 3, 3, 4))
            w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                        for _ in range(k))
            if 1 < len(w) < 15 and w not in seen:
                seen.add(w)
                words.append(w)
        # Short words are the common ones, as in real text.
        words.sort(key=lambda w: (len(w) + rng.random() * 6))
        self.words = words
        acc, cum = 0.0, []
        for r in range(1, n + 1):
            acc += 1.0 / (r + 2.7)  # Zipf-Mandelbrot: the top word is ~4% of text
            cum.append(acc)
        self.cum = cum
        self.names = [w.capitalize() for w in rng.sample(words[200:3000], 400)]


class Text:
    """Sentences, paragraphs and HTML for one charset."""

    def __init__(self, rng, words, charset):
        self.r = rng
        self.w = words
        if charset == "iso-8859-1":
            self.extra = LATIN1_EXTRA
        elif charset == "windows-1252":
            self.extra = LATIN1_EXTRA + CP1252_EXTRA
        else:
            self.extra = LATIN1_EXTRA + CP1252_EXTRA + UTF8_EXTRA

    def words(self, n):
        r = self.r
        ws = r.choices(self.w.words, cum_weights=self.w.cum, k=n)
        for _ in range(n // 40):
            ws[r.randrange(n)] = r.choice(self.extra)
        for _ in range(n // 25):
            ws[r.randrange(n)] = r.choice(self.w.names)
        return ws

    def sentence(self, lo=6, hi=24):
        r = self.r
        ws = self.words(r.randint(lo, hi))
        if len(ws) > 8 and r.random() < 0.5:
            ws[r.randrange(2, len(ws) - 2)] += ","
        s = " ".join(ws)
        return s[0].upper() + s[1:] + r.choice(".......?!")

    def title(self):
        ws = self.words(self.r.randint(4, 11))
        t = " ".join(w.capitalize() if self.r.random() < 0.4 else w for w in ws)
        if self.r.random() < 0.1:
            t += " & " + self.r.choice(self.w.names)
        return t[0].upper() + t[1:]

    def paragraph(self, lo=2, hi=7):
        return " ".join(self.sentence() for _ in range(self.r.randint(lo, hi)))

    def slug(self, n=4):
        return "-".join(self.r.choices(self.w.words[:2000], k=n))

    def html(self, nwords, host, xhtml=False):
        """HTML (XHTML-clean when xhtml) of about nwords words."""
        r = self.r
        out = []
        done = 0
        while done < nwords:
            roll = r.random()
            if roll < 0.07:
                items = "".join("<li>%s</li>" % self.sentence(3, 10) for _ in range(r.randint(2, 6)))
                out.append("<ul>%s</ul>" % items)
                done += 25
            elif roll < 0.11:
                out.append("<blockquote><p>%s</p></blockquote>" % self.paragraph(1, 3))
                done += 40
            elif roll < 0.14:
                code = " ".join(r.choices(self.w.words[:300], k=r.randint(5, 30)))
                out.append("<pre><code>%s(x) &lt; %d &amp;&amp; %s</code></pre>"
                           % (code, r.randint(1, 99), r.choice(self.w.words)))
                done += 20
            elif roll < 0.20:
                src = "https://%s/images/%s.jpg" % (host, self.slug(2))
                alt = self.sentence(2, 6).rstrip(".?!")
                out.append('<p><img src="%s" alt="%s" width="%d" height="%d"%s></p>'
                           % (src, alt, r.choice((640, 800, 1200)), r.choice((360, 480, 675)),
                              " /" if xhtml else ""))
                done += 8
            else:
                sents = [self.sentence() for _ in range(r.randint(2, 7))]
                for _ in range(r.randint(0, 2)):
                    i = r.randrange(len(sents))
                    kind = r.random()
                    if kind < 0.5:
                        href = ("https://%s/%s/" % (r.choice((host, "example.org", "example.net")), self.slug())
                                if r.random() < 0.8 else "/%s/" % self.slug(3))
                        sents[i] = '<a href="%s">%s</a> %s' % (href, " ".join(self.words(2)), sents[i])
                    elif kind < 0.75:
                        sents[i] = "<em>%s</em>" % sents[i]
                    else:
                        sents[i] = "<strong>%s</strong>" % sents[i]
                para = " ".join(sents)
                if not xhtml and r.random() < 0.05:
                    para += "&nbsp;&mdash; " + r.choice(self.w.names)
                out.append("<p>%s</p>" % para)
                done += len(para) // 6
        return "\n".join(out)


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(s):
    return esc(s).replace('"', "&quot;")


def cdata(s):
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
EPOCH = 1717200000  # 2024-06-01


def civil(t):
    """(year, month, day, weekday 0=Mon, h, m, s) for a Unix time, UTC."""
    days, secs = divmod(t, 86400)
    wd = (days + 3) % 7  # 1970-01-01 was a Thursday
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d, wd, secs // 3600, secs // 60 % 60, secs % 60)


def rfc822(t, rng):
    y, m, d, wd, hh, mm, ss = civil(t)
    zone = rng.choice(("+0000", "+0000", "GMT", "-0500", "+0200", "-0800", "+0530"))
    return "%s, %02d %s %d %02d:%02d:%02d %s" % (DAYS[wd], d, MONTHS[m - 1], y, hh, mm, ss, zone)


def rfc3339(t, rng):
    y, m, d, wd, hh, mm, ss = civil(t)
    zone = rng.choice(("Z", "Z", "+00:00", "-05:00", "+02:00"))
    return "%04d-%02d-%02dT%02d:%02d:%02d%s" % (y, m, d, hh, mm, ss, zone)


# --- feeds --------------------------------------------------------------

class Feed:
    """State shared by the writers of one document."""

    def __init__(self, rng, words, charset, style):
        self.r = rng
        self.t = Text(rng, words, charset)
        self.charset = charset
        self.style = style
        self.host = "%s.example.com" % self.t.slug(1)
        self.authors = [(" ".join(rng.sample(words.names, 2)),
                         "%s@%s" % (self.t.slug(1), self.host)) for _ in range(rng.randint(1, 6))]
        self.cats = [" ".join(self.t.words(rng.randint(1, 2))) for _ in range(rng.randint(5, 40))]
        self.now = EPOCH - rng.randrange(86400 * 365)

    def next_time(self):
        self.now -= self.r.randrange(600, 86400 * 3)
        return self.now

    def xmldecl(self):
        return '<?xml version="1.0" encoding="%s"?>\n' % self.charset.upper()


def rss2_head(f):
    r, t = f.r, f.t
    ns = ['xmlns:content="http://purl.org/rss/1.0/modules/content/"',
          'xmlns:dc="http://purl.org/dc/elements/1.1/"',
          'xmlns:atom="http://www.w3.org/2005/Atom"']
    if f.style == "blog":
        ns += ['xmlns:wfw="http://wellformedweb.org/CommentAPI/"',
               'xmlns:slash="http://purl.org/rss/1.0/modules/slash/"']
    if f.style == "podcast":
        ns.append('xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"')
    if f.style == "news":
        ns.append('xmlns:media="http://search.yahoo.com/mrss/"')
    head = [f.xmldecl(), '<rss version="2.0"\n\t%s>\n<channel>\n' % "\n\t".join(ns),
            "<title>%s</title>\n" % esc(t.title()),
            '<atom:link href="https://%s/feed/" rel="self" type="application/rss+xml" />\n' % f.host,
            "<link>https://%s/</link>\n" % f.host,
            "<description>%s</description>\n" % esc(t.sentence()),
            "<lastBuildDate>%s</lastBuildDate>\n" % rfc822(f.now, r),
            "<language>%s</language>\n" % r.choice(("en-US", "en", "de-DE", "fr", "es")),
            "<generator>https://%s/?v=%d.%d</generator>\n" % (f.host, r.randint(1, 6), r.randint(0, 9)),
            "<image>\n\t<url>https://%s/logo.png</url>\n\t<title>%s</title>\n\t<link>https://%s/</link>\n</image>\n"
            % (f.host, esc(t.title()), f.host)]
    if f.style == "podcast":
        head.append('<itunes:author>%s</itunes:author>\n<itunes:explicit>no</itunes:explicit>\n'
                    '<itunes:category text="%s" />\n' % (esc(f.authors[0][0]), attr(r.choice(f.cats))))
    return "".join(head)


def rss2_item(f):
    r, t = f.r, f.t
    when = f.next_time()
    slug = t.slug()
    link = "https://%s/%d/%s/" % (f.host, civil(when)[0], slug)
    name, email = r.choice(f.authors)
    out = ["<item>\n", "\t<title>%s</title>\n" % esc(t.title()), "\t<link>%s</link>\n" % link]
    if f.style == "blog":
        out.append("\t<comments>%s#comments</comments>\n" % link)
    out.append("\t<pubDate>%s</pubDate>\n" % rfc822(when, r))
    if r.random() < 0.8:
        out.append("\t<dc:creator>%s</dc:creator>\n" % cdata(name))
    else:
        out.append("\t<author>%s (%s)</author>\n" % (email, esc(name)))
    for c in r.sample(f.cats, min(len(f.cats), r.choice((0, 1, 2, 2, 3, 4, 6)))):
        out.append("\t<category>%s</category>\n" % cdata(c) if r.random() < 0.6 else
                   "\t<category>%s</category>\n" % esc(c))
    if r.random() < 0.7:
        out.append('\t<guid isPermaLink="false">https://%s/?p=%d</guid>\n' % (f.host, r.randrange(1, 10 ** 6)))
    else:
        out.append("\t<guid>%s</guid>\n" % link)
    if f.style == "blog":
        excerpt = t.paragraph(1, 3)
        out.append("\t<description>%s</description>\n" % cdata(excerpt + " [&#8230;]"))
        body = t.html(int(r.lognormvariate(math.log(600), 0.6)), f.host)
        out.append("\t<content:encoded>%s</content:encoded>\n" % cdata(body))
        out.append("\t<wfw:commentRss>%sfeed/</wfw:commentRss>\n" % link)
        out.append("\t<slash:comments>%d</slash:comments>\n" % r.randrange(40))
    elif f.style == "news":
        body = t.html(int(r.lognormvariate(math.log(90), 0.5)), f.host)
        out.append("\t<description>%s</description>\n" % esc(body))
        if r.random() < 0.5:
            out.append('\t<media:content url="https://%s/img/%s.jpg" medium="image" width="1200" height="675" />\n'
                       % (f.host, t.slug(2)))
    else:  # podcast
        notes = t.html(int(r.lognormvariate(math.log(250), 0.5)), f.host)
        if r.random() < 0.5:
            out.append("\t<description>%s</description>\n" % cdata(notes))
        else:
            out.append("\t<description>%s</description>\n" % esc(notes))
        out.append("\t<itunes:summary>%s</itunes:summary>\n" % esc(t.paragraph(1, 3)))
        out.append('\t<enclosure url="https://media.%s/ep/%s.mp3" length="%d" type="audio/mpeg" />\n'
                   % (f.host, slug, r.randrange(5 * 10 ** 6, 150 * 10 ** 6)))
        out.append("\t<itunes:duration>%d:%02d:%02d</itunes:duration>\n"
                   % (r.randint(0, 2), r.randrange(60), r.randrange(60)))
    out.append("</item>\n")
    return "".join(out)


def rss2_tail(f):
    return "</channel>\n</rss>\n"


def atom_head(f):
    r, t = f.r, f.t
    base = r.random() < 0.3
    f.relative = base
    return "".join([
        f.xmldecl(),
        '<feed xmlns="http://www.w3.org/2005/Atom"%s%s>\n'
        % (' xml:lang="en"' if r.random() < 0.5 else "",
           ' xml:base="https://%s/blog/"' % f.host if base else ""),
        '<title type="text">%s</title>\n' % esc(t.title()),
        '<subtitle type="html">%s</subtitle>\n' % esc("<em>%s</em>" % t.sentence()),
        '<link rel="alternate" type="text/html" href="https://%s/" />\n' % f.host,
        '<link rel="self" type="application/atom+xml" href="https://%s/atom.xml" />\n' % f.host,
        "<id>tag:%s,2005:/feed</id>\n" % f.host,
        "<updated>%s</updated>\n" % rfc3339(f.now, r),
        "<author><name>%s</name><uri>https://%s/</uri></author>\n" % (esc(f.authors[0][0]), f.host),
        '<generator uri="https://%s/gen" version="%d.%d">%s</generator>\n'
        % (f.host, r.randint(1, 9), r.randint(0, 20), esc(t.title())),
    ])


def atom_entry(f):
    r, t = f.r, f.t
    when = f.next_time()
    slug = t.slug()
    path = "%d/%s.html" % (civil(when)[0], slug)
    href = path if f.relative and r.random() < 0.7 else "https://%s/blog/%s" % (f.host, path)
    name, email = r.choice(f.authors)
    out = ["<entry>\n"]
    if r.random() < 0.3:
        out.append('\t<title type="html">%s</title>\n' % esc("<b>%s</b>" % esc(t.title())))
    else:
        out.append("\t<title>%s</title>\n" % esc(t.title()))
    out.append('\t<link rel="alternate" type="text/html" href="%s" />\n' % attr(href))
    if r.random() < 0.3:
        out.append('\t<link rel="replies" type="text/html" href="%s#comments" thr:count="%d"'
                   ' xmlns:thr="http://purl.org/syndication/thread/1.0" />\n' % (attr(href), r.randrange(30)))
    out.append("\t<id>tag:%s,%d:/%s</id>\n" % (f.host, civil(when)[0], slug))
    out.append("\t<published>%s</published>\n" % rfc3339(when, r))
    out.append("\t<updated>%s</updated>\n" % rfc3339(when + r.randrange(0, 86400 * 4), r))
    out.append("\t<author>\n\t\t<name>%s</name>\n%s\t</author>\n"
               % (esc(name), "\t\t<email>%s</email>\n" % email if r.random() < 0.5 else ""))
    for c in r.sample(f.cats, min(len(f.cats), r.choice((0, 1, 2, 3, 5)))):
        out.append('\t<category term="%s" scheme="https://%s/tags/" />\n' % (attr(c), f.host))
    nwords = int(r.lognormvariate(math.log(500), 0.7))
    if r.random() < 0.5:
        out.append('\t<summary type="%s">%s</summary>\n'
                   % (("text", esc(t.paragraph(1, 2))) if r.random() < 0.5
                      else ("html", esc("<p>%s</p>" % t.paragraph(1, 2)))))
    if f.xhtml:
        out.append('\t<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">%s</div></content>\n'
                   % t.html(nwords, f.host, xhtml=True))
    else:
        out.append('\t<content type="html">%s</content>\n' % esc(t.html(nwords, f.host)))
    out.append("</entry>\n")
    return "".join(out)


def atom_tail(f):
    return "</feed>\n"


def rdf_head(f):
    r, t = f.r, f.t
    f.rdf_items = []
    return "".join([
        f.xmldecl(),
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
        '\txmlns="http://purl.org/rss/1.0/"\n'
        '\txmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '\txmlns:content="http://purl.org/rss/1.0/modules/content/"\n'
        '\txmlns:syn="http://purl.org/rss/1.0/modules/syndication/">\n',
        '<channel rdf:about="https://%s/index.rdf">\n' % f.host,
        "\t<title>%s</title>\n\t<link>https://%s/</link>\n" % (esc(t.title()), f.host),
        "\t<description>%s</description>\n" % esc(t.sentence()),
        "\t<dc:language>en</dc:language>\n\t<dc:date>%s</dc:date>\n" % rfc3339(f.now, r),
        "\t<syn:updatePeriod>hourly</syn:updatePeriod>\n",
    ])


def rdf_entry(f):
    r, t = f.r, f.t
    when = f.next_time()
    about = "https://%s/article/%s" % (f.host, t.slug())
    f.rdf_items.append(about)
    out = ['<item rdf:about="%s">\n' % about,
           "\t<title>%s</title>\n\t<link>%s</link>\n" % (esc(t.title()), about),
           "\t<description>%s</description>\n" % esc(t.html(int(r.lognormvariate(math.log(120), 0.5)), f.host)),
           "\t<dc:creator>%s</dc:creator>\n" % esc(r.choice(f.authors)[0]),
           "\t<dc:date>%s</dc:date>\n" % rfc3339(when, r)]
    for c in r.sample(f.cats, min(len(f.cats), r.choice((0, 1, 2)))):
        out.append("\t<dc:subject>%s</dc:subject>\n" % esc(c))
    if f.rdf_content:
        out.append("\t<content:encoded>%s</content:encoded>\n"
                   % cdata(t.html(int(r.lognormvariate(math.log(400), 0.6)), f.host)))
    out.append("</item>\n")
    return "".join(out)


def rdf_seq(f):
    seq = "".join('\t\t<rdf:li rdf:resource="%s" />\n' % a for a in f.rdf_items)
    return '\t<items>\n\t<rdf:Seq>\n%s\t</rdf:Seq>\n\t</items>\n</channel>\n' % seq


def rdf_tail(f):
    return "</rdf:RDF>\n"


KINDS = {
    "rss2": (rss2_head, rss2_item, rss2_tail),
    "atom": (atom_head, atom_entry, atom_tail),
    "rss1": (rdf_head, rdf_entry, rdf_tail),
}


def write_feed(f, kind, target, write, min_items=1):
    """Writes one document of about target bytes (at least min_items items); returns (bytes, items)."""
    head, entry, tail = KINDS[kind]
    enc = f.charset
    total = 0
    n = 0
    held = []

    def put(s):
        nonlocal total
        b = s.encode(enc, "xmlcharrefreplace")
        total += len(b)
        if held is None:
            write(b)
        else:
            held.append(b)

    if kind != "rss1":
        held = None  # RSS 1.0 lists its items in the channel, ahead of them: hold them back
    put(head(f))
    while n < min_items or total < target:
        put(entry(f))
        n += 1
    if held is not None:
        write(held[0])
        seq = rdf_seq(f).encode(enc)
        total += len(seq)
        write(seq)
        for b in held[1:]:
            write(b)
        held = None
    put(tail(f))
    return total, n


def plan(rng, nfiles, total_mb):
    """Per-file (kind, style, charset, xhtml, size) for the whole corpus."""
    lo, hi = 5 * 1024, 2 * 1024 * 1024
    raw = [rng.lognormvariate(0, 1.35) for _ in range(nfiles)]
    want = total_mb * 1e6
    scale = want / sum(raw)
    for _ in range(30):
        sizes = [min(hi, max(lo, int(x * scale))) for x in raw]
        scale *= want / sum(sizes)
    # The tail reaches the cap: make sure a few files are at it.
    order = sorted(range(nfiles), key=lambda i: -sizes[i])
    for i in order[:3]:
        sizes[i] = hi - rng.randrange(4096)
    out = []
    for i in range(nfiles):
        x = rng.random()
        kind = "rss2" if x < 0.66 else "atom" if x < 0.89 else "rss1"
        style = ""
        if kind == "rss2":
            style = rng.choice(("blog", "blog", "blog", "news", "news", "podcast"))
        charset = "utf-8"
        x = rng.random()
        if kind != "rss1" and x < 0.035:
            charset = "windows-1252"
        elif kind != "rss1" and x < 0.06:
            charset = "iso-8859-1"
        out.append((kind, style, charset, rng.random() < 0.4, sizes[i]))
    return out


def make_corpus(args):
    rng = random.Random(args.seed)
    words = Words(rng)
    os.makedirs(args.dir, exist_ok=True)
    manifest = []
    tb = ti = 0
    for i, (kind, style, charset, xhtml, size) in enumerate(plan(rng, args.files, args.total_mb)):
        frng = random.Random("%d/%d" % (args.seed, i))
        f = Feed(frng, words, charset, style or "blog")
        f.xhtml = xhtml
        f.relative = False
        f.rdf_content = frng.random() < 0.3
        name = "%03d-%s%s%s.xml" % (i, kind, "-" + style if style else "",
                                     "-" + charset if charset != "utf-8" else "")
        with open(os.path.join(args.dir, name), "wb") as fp:
            nb, ni = write_feed(f, kind, size, fp.write)
        manifest.append("%s\t%s\t%s\t%s\t%d\t%d\n" % (name, kind, style or "-", charset, nb, ni))
        tb += nb
        ti += ni
    with open(os.path.join(args.dir, "MANIFEST.tsv"), "w") as fp:
        fp.write("# file\tkind\tstyle\tcharset\tbytes\titems\n")
        fp.writelines(manifest)
    print("%d files, %.1f MB, %d items in %s" % (len(manifest), tb / 1e6, ti, args.dir), file=sys.stderr)


def make_stream(args):
    rng = random.Random(args.seed)
    words = Words(rng)
    f = Feed(random.Random("%d/stream" % args.seed), words, "utf-8", "blog")
    out = sys.stdout.buffer
    nb, ni = write_feed(f, "rss2", int(args.stream * 1e6), out.write)
    out.flush()
    print("stream: %.1f MB, %d items" % (nb / 1e6, ni), file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", nargs="?", help="directory to write the corpus into")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--files", type=int, default=300)
    ap.add_argument("--total-mb", type=float, default=60.0)
    ap.add_argument("--stream", type=float, metavar="MB",
                    help="write one RSS 2.0 feed of about MB megabytes to stdout instead")
    args = ap.parse_args()
    if args.stream:
        make_stream(args)
    elif args.dir:
        make_corpus(args)
    else:
        ap.error("give a directory, or --stream MB")


if __name__ == "__main__":
    main()
