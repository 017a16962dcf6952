#!/bin/sh
# opml.sh BIN TESTS_DIR - import-opml and export-opml: lists as readers export
# them (folders, missing titles, charsets, duplicates), a valid config out,
# round trips, hostile and broken files.
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d)
lib_sh=$2/httpd/lib.sh
. "$lib_sh"
examples=$(cd "$2/../examples" && pwd)
cd "$tmp"

# A list as feed readers write it: folders in folders, a feed with only
# "text", one with no title at all, a duplicate, a podcast link that is not a
# feed, an ftp URL, odd attribute case.
cat >reader.opml <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="News" title="News">
      <outline text="World">
        <outline type="rss" text="Harbour Times" title="Harbour Times" xmlUrl="https://harbour.example/world.rss" htmlUrl="https://harbour.example/"/>
        <outline type="rss" text="Ledger &amp; Co" xmlUrl="https://ledger.example/feed.atom"/>
      </outline>
      <outline type="rss" xmlUrl="https://www.untitled.example/rss"/>
    </outline>
    <outline type="rss" text="Harbour again" xmlUrl="https://harbour.example/world.rss"/>
    <outline type="link" text="A web page" url="https://page.example/"/>
    <outline type="rss" text="Old FTP" xmlUrl="ftp://old.example/feed"/>
    <outline type="rss" TEXT="Shouty" XMLURL="https://shouty.example/rss"/>
    <outline type="rss" text="Harbour Times" xmlUrl="https://harbour.example/local.rss"/>
  </body>
</opml>
EOF
fm import-opml reader.opml
is "import" "$st" 0
has "name from a title" out "[feed harbour-times]"
has "its url" out "url = https://harbour.example/world.rss"
has "folders as a comment" out "; folder: News / World"
is "folders as groups" "$(grep -A1 -F 'url = https://harbour.example/world.rss' out | sed -n 2p)" \
	"groups = news world"
is "one folder, one group" "$(grep -A1 -F 'url = https://www.untitled.example/rss' out | sed -n 2p)" \
	"groups = news"
is "no folder, no groups" "$(grep -A1 -F 'url = https://shouty.example/rss' out | sed -n 2p)" \
	"; title: Shouty"
has "site as a comment" out "; site: https://harbour.example/"
has "name from text when no title, entity decoded" out "[feed ledger-co]"
has "name from the host when nothing else" out "[feed untitled.example]"
has "attribute case ignored" out "[feed shouty]"
has "names made unique" out "[feed harbour-times-2]"
has "duplicate skipped" out "; skipped (listed twice or unusable): https://harbour.example/world.rss"
has "ftp skipped" out "; skipped (not http, https or file): ftp://old.example/feed"
hasnt "a link outline is no feed" out "page.example"
has "summary" err "5 feeds imported, 2 skipped"

# What it prints is a valid config.
{ printf '[feedmerge]\nstate = s.db\n\n[output o]\npath = o.atom\n\n'; cat out; } >imported.ini
fm check -c imported.ini
is "imported sections are a valid config" "$st" 0
has "check sees them all" out "# ok: 5 feeds (5 enabled), 1 output"

# Round trip: export, import again, same feeds under the same names.
fm export-opml -c imported.ini
is "export" "$st" 0
cp out exported.opml
"$py" -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' exported.opml
is "export is well-formed XML" $? 0
has "OPML 2.0" exported.opml '<opml version="2.0">'
fm import-opml exported.opml
grep '^\[feed \|^url' out >again.txt
grep '^\[feed \|^url' imported.ini >first.txt
is "round trip keeps names and URLs" "$(cat again.txt)" "$(cat first.txt)"

# Charsets: Latin-1 declared, UTF-16 with a BOM.
printf '<?xml version="1.0" encoding="ISO-8859-1"?>\n<opml version="2.0"><body><outline text="Caf\351 Cr\350me" xmlUrl="https://cafe.example/rss"/></body></opml>\n' >latin1.opml
fm import-opml latin1.opml
has "Latin-1 title decoded" out "; title: Café Crème"
has "Latin-1 name" out "[feed caf-cr-me]"
"$py" -c 'import sys; open(sys.argv[1], "wb").write("\ufeff<?xml version=\"1.0\" encoding=\"UTF-16\"?><opml version=\"2.0\"><body><outline text=\"Sixteen\" xmlUrl=\"https://u16.example/rss\"/></body></opml>".encode("utf-16-le"))' utf16.opml
fm import-opml utf16.opml
has "UTF-16 read" out "url = https://u16.example/rss"

# Hostile and broken files.
printf '<?xml version="1.0"?>\n<!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/hostname">]>\n<opml><body><outline text="&x;" xmlUrl="https://x.example/rss"/></body></opml>\n' >xxe.opml
fm import-opml xxe.opml
hasnt "no external entity is loaded" out "$(cat /etc/hostname 2>/dev/null || echo no-hostname-file)"
printf '<rss version="2.0"><channel></channel></rss>\n' >feed.xml
fm import-opml feed.xml
is "not OPML" "$st" 2
has "says so" err "not an OPML document"
printf '<opml><body><outline text="a" xmlUrl="https://a.example/"></body></opml>\n' >broken.opml
fm import-opml broken.opml
is "broken OPML" "$st" 2
has "says where" err "broken.opml: line 1, column"
fm import-opml missing.opml
is "missing file" "$st" 2

# export-opml takes the feeds' own titles from the state.
sed -e "s#\.\./build/demo/#$tmp/demo/#" -e "s#file:feeds/#file:$examples/feeds/#" \
	"$examples/feedmerge.ini" >demo.ini
fm run -q -c demo.ini
fm export-opml -c demo.ini
has "title from the state" out 'text="The Daily Ledger"'

done_tests
