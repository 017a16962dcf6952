#!/usr/bin/env python3
"""Writes the charset fixtures of tests/test_decode.c.

Each NAME gets NAME (the raw input) and NAME.expected (the UTF-8 the decoder
must produce: the same text without BOM or leading whitespace). Run it from
any directory; it writes next to itself.
"""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def decl(enc):
    return '<?xml version="1.0" encoding="%s"?>\n' % enc


def doc(enc, body):
    return decl(enc) + '<rss><title>%s</title></rss>\n' % body


FIXTURES = {}


def add(name, raw, expected):
    FIXTURES[name] = (raw, expected)


def add_text(name, text, codec, prefix=b''):
    add(name, prefix + text.encode(codec), text.lstrip(' \t\r\n\ufeff'))


BODY = 'caf\u00e9 \u2014 \u65e5\u672c \U0001F600'

# Byte order marks, and the XML 1.0 Appendix F patterns without them.
add_text('bom-utf8.xml', doc('utf-8', BODY), 'utf-8', b'\xef\xbb\xbf')
add_text('bom-utf16le.xml', doc('UTF-16', BODY), 'utf-16-le', b'\xff\xfe')
add_text('bom-utf16be.xml', doc('UTF-16', BODY), 'utf-16-be', b'\xfe\xff')
add_text('bom-utf32le.xml', doc('UTF-32', BODY), 'utf-32-le', b'\xff\xfe\0\0')
add_text('bom-utf32be.xml', doc('UTF-32', BODY), 'utf-32-be', b'\0\0\xfe\xff')
add_text('utf16le.xml', doc('UTF-16', BODY), 'utf-16-le')
add_text('utf16be.xml', doc('UTF-16', BODY), 'utf-16-be')
add_text('utf32le.xml', doc('UTF-32', BODY), 'utf-32-le')
add_text('utf32be.xml', doc('UTF-32', BODY), 'utf-32-be')
# UTF-16 with a lone high surrogate: U+FFFD in its place.
raw = doc('UTF-16', 'a@b').encode('utf-16-le').replace('@'.encode('utf-16-le'), b'\x3d\xd8')
add('utf16le-lone-surrogate.xml', b'\xff\xfe' + raw, doc('UTF-16', 'a\ufffdb'))

# Single-byte charsets.
add_text('latin1.xml', doc('ISO-8859-1', 'caf\u00e9 na\u00efve \u00bd'), 'latin-1')
text = doc('iso-8859-1', '@quoted@ \u00e9')
add('latin1-smart-quotes.xml',
    text.replace('@quoted@', '\x93quoted\x94').encode('latin-1'),
    text.replace('@quoted@', '\u201cquoted\u201d'))
add_text('cp1252-smart-quotes.xml', doc('windows-1252', '\u201cquoted\u201d \u20ac5 \u00e9'), 'cp1252')
add_text('koi8r.xml', doc('KOI8-R', '\u041f\u0440\u0438\u0432\u0435\u0442, \u043c\u0438\u0440'), 'koi8-r')
add_text('iso8859-7.xml', doc('ISO-8859-7', '\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac'), 'iso8859-7')
add_text('iso8859-15.xml', doc('iso-8859-15', '\u20acuro \u0153uvre \u017d'), 'iso8859-15')
add_text('macroman.xml', doc('macintosh', 'Caf\u00e9 \u201cquoted\u201d \u2122'), 'mac-roman')

# Multibyte charsets (CJK).
add_text('shift_jis.xml', doc('Shift_JIS', '\u65e5\u672c\u8a9e\u306e\u30d5\u30a3\u30fc\u30c9 C:\\path \uff71'), 'cp932')
add_text('euc-jp.xml', doc('EUC-JP', '\u6771\u4eac\u90fd\u3067\u3059'), 'euc-jp')
add_text('gb2312.xml', doc('GB2312', '\u4e2d\u6587\u65b0\u95fb'), 'gb2312')
add_text('big5.xml', doc('Big5', '\u7e41\u9ad4\u4e2d\u6587'), 'big5')

# UTF-8 with stray windows-1252 bytes: 0xE9 is at byte 54, 0x92 at 60.
text = doc('utf-8', 'caf@ don@t \u00e9')
raw = text.encode('utf-8').replace(b'@', b'\xe9', 1).replace(b'@', b'\x92', 1)
add('utf8-stray-cp1252.xml', raw, text.replace('@', '\u00e9', 1).replace('@', '\u2019', 1))

# Labels: HTTP over the declaration, BOM over both, forced over all.
add_text('http-over-decl.xml', doc('iso-8859-1', 'caf\u00e9'), 'utf-8')
add_text('bom-over-labels.xml', doc('iso-8859-1', 'caf\u00e9'), 'utf-8', b'\xef\xbb\xbf')
add_text('forced-koi8r.xml', doc('windows-1251', '\u041c\u0438\u0440'), 'koi8-r')
add_text('unknown-charset.xml', doc('x-no-such-charset', 'caf\u00e9'), 'utf-8')
add_text('utf16-label-on-ascii.xml', doc('UTF-16', 'caf\u00e9'), 'utf-8')
add_text('us-ascii-utf8.xml', doc('us-ascii', 'caf\u00e9'), 'utf-8')

# Characters XML 1.0 forbids; C1 controls and DEL stay.
text = doc('utf-8', 'a@b@c@d@e\x7f\u0085f')
raw = text.encode('utf-8')
for bad in (b'\x01', b'\x0b', b'\x00', b'\xef\xbf\xbe'):
    raw = raw.replace(b'@', bad, 1)
add('controls.xml', raw, text.replace('@', ''))

# Whitespace and BOMs in front of the declaration; JSON Feed.
add('ws-bom-decl.xml', b' \r\n\t\xef\xbb\xbf' + doc('utf-8', 'x').encode(), doc('utf-8', 'x'))
add('bom-ws-decl.xml', b'\xef\xbb\xbf \n\n' + doc('utf-8', 'x').encode(), doc('utf-8', 'x'))
json = '{"version":"https://jsonfeed.org/version/1.1","title":"caf\u00e9 <b>","items":[]}\n'
add('feed.json', ('\n  ' + json).encode(), json)

for name, (raw, expected) in FIXTURES.items():
    with open(os.path.join(HERE, name), 'wb') as f:
        f.write(raw)
    with open(os.path.join(HERE, name + '.expected'), 'wb') as f:
        f.write(expected.encode('utf-8'))
