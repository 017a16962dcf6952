#!/bin/sh
# html.sh BIN TESTS_DIR - the HTML river in a real browser: feedmerge writes
# the page from local feeds (two outlets carrying one story, and a hostile
# feed), headless Chromium loads it, and the DOM it ends up with is checked:
# each story once, both outlets of the shared one, times rewritten by our
# script, nothing of the hostile feed run or left as markup. Screenshots
# (light and dark) are kept as artefacts: BUILD/tests/artefacts/html-river*.png.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
artefacts=$(cd "$(dirname "$bin")" && pwd)/tests/artefacts
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
cd "$tmp"

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
	echo "FAIL: chromium is not installed; the HTML river test needs it (Debian: apt-get install chromium; tools/deps --test installs it)"
	exit 1
fi

now=$(date -u '+%a, %d %b %Y %H:%M:%S GMT')
# item GUID TITLE LINK DESCRIPTION: one RSS item published now (TITLE and DESCRIPTION already escaped for XML).
item() {
	printf '<item><guid>%s</guid><title>%s</title><link>%s</link><pubDate>%s</pubDate><description>%s</description></item>\n' \
		"$1" "$2" "$3" "$now" "$4"
}
# channel TITLE ITEMS...: an RSS document.
channel() {
	t=$1
	shift
	printf '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>%s</title><link>https://%s.example/</link><description>d</description>\n' "$t" "$t"
	for i in "$@"; do printf '%s\n' "$i"; done
	printf '</channel></rss>\n'
}
channel Wire \
	"$(item w1 'Leaders meet in Paris' 'https://news.example/story?id=1' '&lt;p&gt;Leaders met in &lt;b&gt;Paris&lt;/b&gt; on Monday.&lt;/p&gt;')" \
	"$(item w2 'Storm reaches the coast' 'https://wire.example/storm' '&lt;p&gt;A storm reached the coast.&lt;/p&gt;')" >wire.rss
channel Ledger \
	"$(item l1 'Paris talks: what we know' 'https://news.example/story?id=1' 'Leaders met in Paris.')" >ledger.rss

# The hostile feed: every item would, if any of it ran, add an element with
# id "pwned" or change the document's title. The description is CDATA, so
# what the sanitiser sees is exactly this HTML.
pwn="var e=document.createElement('p');e.id='pwned';document.body.appendChild(e);document.title='pwned'"
cat >evil.rss <<EOF
<?xml version="1.0"?>
<rss version="2.0"><channel><title>Evil</title><link>https://evil.example/</link><description>d</description>
<item><guid>e1</guid><title>&lt;script&gt;document.title='pwned'&lt;/script&gt;Evil headline</title>
<link>javascript:$pwn</link><pubDate>$now</pubDate>
<description><![CDATA[<p>Hostile <b onmouseover="$pwn">bold</b></p>
<script>$pwn</script>
<img src=x onerror="$pwn">
<svg onload="$pwn"><script>$pwn</script></svg>
<a href="jav&#x09;ascript:$pwn">tab link</a> <a href=" JaVaScRiPt:$pwn">case link</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data link</a>
<a href="vbscript:msgbox(1)">vb link</a> <a href="https://ok.example/safe">safe link</a>
<iframe srcdoc="<script>$pwn</script>"></iframe>
<object data="javascript:$pwn"></object><embed src="javascript:$pwn">
<form action="javascript:$pwn"><button>press</button></form>
<math><mtext><img src=x onerror="$pwn"></mtext></math>
<style>body { display: none }</style><p style="display:none">styled</p>
<meta http-equiv="refresh" content="0;url=javascript:$pwn"><base href="javascript:/">
<!-- <script>$pwn</script> --></div></article></main><p>after breakout</p>
<details open ontoggle="$pwn">toggled</details><p>unclosed <i>italic]]></description></item>
<item><guid>e2</guid><title>Second evil</title><link>https://evil.example/2</link><pubDate>$now</pubDate>
<description>&lt;/p&gt;&lt;/div&gt;&lt;script&gt;$pwn&lt;/script&gt;&lt;a href="&amp;#106;avascript:$pwn"&gt;entity link&lt;/a&gt;</description></item>
</channel></rss>
EOF

cat >feeds.ini <<EOF
[feedmerge]
state = state.db

[output river]
path = site/river.html
format = html
title = River test
link = https://river.example/

[feed wire]
url = file:wire.rss

[feed ledger]
url = file:ledger.rss

[feed evil]
url = file:evil.rss
EOF
fm check -c feeds.ini
is "check" "$st" 0
is "check names the format" "$(grep -cE '^ +format +=  *html$' out)" 1
fm run -c feeds.ini
is "run" "$st" 0
has "run writes the page" out "1 of 1 outputs written"
before=$(ls -li --time-style=full-iso site/river.html)
fm run -c feeds.ini --force
is "second run" "$st" 0
has "unchanged page not rewritten" out "0 of 1 outputs written"
is "page untouched" "$(ls -li --time-style=full-iso site/river.html)" "$before"

# The CSP names our style and script by hash: check the hashes as a browser computes them.
"$py" - site/river.html >csp.txt <<'EOF'
import base64, hashlib, re, sys
page = open(sys.argv[1], encoding="utf-8").read()
csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page).group(1)
for tag, directive in (("style", "style-src"), ("script", "script-src")):
    bodies = re.findall(r"<%s>(.*?)</%s>" % (tag, tag), page, re.S)
    digest = base64.b64encode(hashlib.sha256(bodies[0].encode("utf-8")).digest()).decode()
    rule = [d.strip() for d in csp.split(";") if d.strip().startswith(directive + " ")]
    print(tag, len(bodies), rule == ["%s 'sha256-%s'" % (directive, digest)])
print("default", "default-src 'none'" in csp)
EOF
is "CSP hashes" "$(cat csp.txt)" "style 1 True
script 1 True
default True"

# chrome ARGS...: runs headless Chromium on the page (TZ and language fixed so our script's rewrite shows).
chrome() {
	HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/home" XDG_CACHE_HOME="$tmp/home" TZ=Asia/Kolkata \
		timeout 60 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
		--no-default-browser-check --disable-background-networking --disable-component-update \
		--disable-sync --disable-extensions --lang=en-US --user-data-dir="$tmp/profile" \
		--enable-logging=stderr --v=0 "$@" "file://$tmp/site/river.html"
}
chrome --dump-dom >dom.html 2>chrome.err
is "chromium dump-dom" "$?" 0
hasnt "no CSP violation" chrome.err "Refused to"

# What the DOM holds after every script that could run has run.
"$py" - dom.html >dom.txt <<'EOF'
import sys
from html.parser import HTMLParser

class Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.stack, self.text = [], [], {}
    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.stack.append(tag)
    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass
    def handle_data(self, data):
        key = self.stack[-1] if self.stack else ""
        self.text.setdefault(key, []).append(data)

d = Dom()
d.feed(open(sys.argv[1], encoding="utf-8").read())
bad_scheme = ("javascript:", "data:", "vbscript:")
out = []
out.append("title %s" % "".join(d.text.get("title", [])).strip())
out.append("pwned %d" % sum(1 for t, a in d.tags if a.get("id") == "pwned"))
out.append("scripts %d" % sum(1 for t, a in d.tags if t == "script"))
out.append("on-attributes %d" % sum(1 for t, a in d.tags for k in a if k.startswith("on")))
out.append("style-attributes %d" % sum(1 for t, a in d.tags if "style" in a))
out.append("bad hrefs %d" % sum(1 for t, a in d.tags for k in ("href", "src", "action", "data")
                                 if (a.get(k) or "").strip().lower().startswith(bad_scheme)))
out.append("foreign %d" % sum(1 for t, a in d.tags
                              if t in ("img", "svg", "math", "iframe", "object", "embed", "form",
                                       "button", "details", "base")))
out.append("meta %d" % sum(1 for t, a in d.tags if t == "meta"))
out.append("articles %d" % sum(1 for t, a in d.tags if t == "article"))
out.append("paris stories %d" % sum(1 for t, a in d.tags if t == "a" and a.get("href") == "https://news.example/story?id=1"))
times = [a for t, a in d.tags if t == "time"]
out.append("times %d" % len(times))
out.append("times rewritten %d" % sum(1 for a in times
                                      if a.get("datetime", "").endswith("Z") and a.get("title", "").endswith(" UTC")))
print("\n".join(out))
EOF
# One story per cluster: the shared one (both outlets), the storm, two hostile ones.
has "title unchanged" dom.txt "title River test"
has "no pwned element" dom.txt "pwned 0"
has "only our script" dom.txt "scripts 1"
has "no on* attributes" dom.txt "on-attributes 0"
has "no style attributes" dom.txt "style-attributes 0"
has "no javascript:/data:/vbscript: links" dom.txt "bad hrefs 0"
has "no embedded content" dom.txt "foreign 0"
has "only our meta elements" dom.txt "meta 4"
has "four stories" dom.txt "articles 4"
# The shared story's headline links there, and so does each of its two outlets: 3 links.
has "shared story: headline and both outlets" dom.txt "paris stories 3"
has "a time per story and the masthead's" dom.txt "times 5"
has "our script rewrote every time" dom.txt "times rewritten 5"
has "the safe link stays" dom.html 'href="https://ok.example/safe" rel="nofollow noopener noreferrer">safe link</a>'
has "hostile title shown as text" dom.html "&lt;script&gt;document.title='pwned'&lt;/script&gt;Evil headline"
has "the shared story lists Wire" dom.html '>Wire</a></li>'
has "the shared story lists Ledger" dom.html '>Ledger</a></li>'
has "text after a breakout stays in its story" dom.html '<p>after breakout</p>'
# The breakout text sits inside the story's text, before that story's outlets.
is "breakout contained" "$("$py" -c '
import sys
d = open(sys.argv[1], encoding="utf-8").read()
i = d.index("after breakout")
print(d.rfind("<div class=\"text\">", 0, i) > d.rfind("</div>", 0, i), d.index("</article>", i) < d.index("</main>"))' dom.html)" "True True"

# Screenshots, kept in the build tree; a PNG of the right size with more than a blank page in it.
mkdir -p "$artefacts"
rm -f "$artefacts/html-river.png" "$artefacts/html-river-dark.png"
chrome --window-size=1200,1600 --screenshot="$artefacts/html-river.png" >/dev/null 2>chrome.err
is "chromium screenshot" "$?" 0
chrome --window-size=1200,1600 --force-dark-mode --screenshot="$artefacts/html-river-dark.png" >/dev/null 2>chrome.err
is "chromium dark screenshot" "$?" 0
# png FILE: width, height and how many distinct byte values the image data holds.
png() {
	"$py" - "$1" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
print(w, h, len(set(raw)) > 32)
EOF
}
is "light screenshot" "$(png "$artefacts/html-river.png")" "1200 1600 True"
is "dark screenshot" "$(png "$artefacts/html-river-dark.png")" "1200 1600 True"
# Dark mode through prefers-color-scheme: the two pictures differ.
if cmp -s "$artefacts/html-river.png" "$artefacts/html-river-dark.png"; then
	is "dark mode changes the page" same different
fi
echo "screenshots: $artefacts/html-river.png $artefacts/html-river-dark.png"

done_tests
