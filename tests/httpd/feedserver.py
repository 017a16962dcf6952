#!/usr/bin/python3
"""feedserver: a scripted HTTP/1.1 server for feedmerge's fetcher tests.

Python 3 standard library only (plus Debian's python3-brotli for /br/).
Binds 127.0.0.1 only. See README.md beside this file for the routes.

    feedserver.py --root DIR [--port 0] [--portfile FILE] [--log FILE]
"""

import argparse
import base64
import datetime
import email.utils
import gzip
import hashlib
import html
import http.server
import json
import os
import re
import select
import signal
import socket
import socketserver
import ssl
import stat
import struct
import sys
import threading
import time
import traceback
import urllib.parse
import zlib

try:
    if os.environ.get("FEEDSERVER_DISABLE_BROTLI"):  # test hook: act as if missing
        raise ImportError("disabled by FEEDSERVER_DISABLE_BROTLI")
    import brotli  # Debian: python3-brotli
    BROTLI_ERROR = None
except ImportError as e:  # the /br/ route answers 500, everything else works
    brotli = None
    BROTLI_ERROR = str(e)

BIND_ADDRESS = "127.0.0.1"  # never anything else
STOP = threading.Event()    # set on SIGTERM/SIGINT: hang/trickle/slow loops end

RSS_PREFIX = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<rss version="2.0"><channel><title>feedserver filler</title>'
    b"<link>http://feedserver.invalid/</link>"
    b"<description>generated</description>\n"
    b"<item><title>filler</title><guid>feedserver-filler</guid><description>"
)

CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".xml": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/feed+json",
}

SIZE_RE = re.compile(r"^(\d+)([kKmMgG]?)$")
SIZE_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
MAX_SIZE = 1 << 40


class BadRequest(Exception):
    """Answered with 400 and the message."""


def parse_size(text):
    m = SIZE_RE.match(text)
    if not m:
        raise BadRequest("bad size %r (want digits with an optional K, M or G suffix)" % text)
    n = int(m.group(1)) * SIZE_UNITS[m.group(2).lower()]
    if n > MAX_SIZE:
        raise BadRequest("size too large")
    return n


def header_safe(value):
    if any(c in value for c in "\r\n\0"):
        raise BadRequest("CR, LF or NUL in a header value")
    return value


def host_key(host_header):
    """Host header value -> host name without port, lower case."""
    h = (host_header or "").strip().lower()
    if h.startswith("["):
        end = h.find("]")
        return h[: end + 1] if end >= 0 else h
    if ":" in h:
        h = h.rsplit(":", 1)[0]
    return h


# --------------------------------------------------------------------------
# Date header cache (one formatdate per second, not per request)

_date_cache = [0, ""]


def http_date_now():
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[1] = email.utils.formatdate(now, usegmt=True)
        _date_cache[0] = now
    return _date_cache[1]


# --------------------------------------------------------------------------
# File cache: content, ETag, Last-Modified and compressed forms, keyed by the
# file's identity (inode, mtime_ns, size) so a rewritten file is re-read.

class Entry:
    __slots__ = ("key", "content", "ctype", "etag", "last_modified", "mtime", "encoded", "lock")

    def __init__(self, key, content, mtime, path):
        self.key = key
        self.ctype = CONTENT_TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")
        self.content = content
        self.etag = '"%s"' % hashlib.sha256(content).hexdigest()[:32]
        self.last_modified = email.utils.formatdate(mtime, usegmt=True)
        self.mtime = int(mtime)
        self.encoded = {}
        self.lock = threading.Lock()

    def encode(self, enc):
        with self.lock:
            body = self.encoded.get(enc)
            if body is None:
                if enc == "gzip":
                    body = gzip.compress(self.content, 9, mtime=0)
                elif enc == "deflate":  # HTTP "deflate" is the zlib format (RFC 1950)
                    body = zlib.compress(self.content, 9)
                elif enc == "br":
                    body = brotli.compress(self.content)
                else:
                    raise ValueError(enc)
                self.encoded[enc] = body
            return body


class FileCache:
    def __init__(self):
        self.lock = threading.Lock()
        self.entries = {}

    def get(self, path):
        """Return the Entry for path, or None if it is missing or not a file."""
        try:
            st = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        key = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self.lock:
            e = self.entries.get(path)
        if e is not None and e.key == key:
            return e
        with open(path, "rb") as f:
            content = f.read()
        e = Entry(key, content, st.st_mtime, path)
        with self.lock:
            self.entries[path] = e
        return e


# --------------------------------------------------------------------------
# Stats

class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.inflight = 0
        self.host_inflight = {}
        self.reset_locked()

    def reset_locked(self):
        self.requests = 0
        self.connections = 0
        self.inflight_max = self.inflight
        self.per_host_max = {h: n for h, n in self.host_inflight.items() if n > 0}
        self.per_host_requests = {}
        self.paths = {}
        self.status = {}

    def reset(self):
        with self.lock:
            self.reset_locked()

    def connection(self):
        with self.lock:
            self.connections += 1

    def enter(self, host, path):
        with self.lock:
            self.requests += 1
            self.paths[path] = self.paths.get(path, 0) + 1
            self.per_host_requests[host] = self.per_host_requests.get(host, 0) + 1
            self.inflight += 1
            if self.inflight > self.inflight_max:
                self.inflight_max = self.inflight
            n = self.host_inflight.get(host, 0) + 1
            self.host_inflight[host] = n
            if n > self.per_host_max.get(host, 0):
                self.per_host_max[host] = n

    def leave(self, host, status):
        with self.lock:
            self.inflight -= 1
            self.host_inflight[host] -= 1
            k = str(status) if status is not None else "none"
            self.status[k] = self.status.get(k, 0) + 1

    def snapshot(self):
        with self.lock:
            return {
                "requests": self.requests,
                "inflight": self.inflight,
                "inflight_max": self.inflight_max,
                "per_host_max": dict(self.per_host_max),
                "per_host_requests": dict(self.per_host_requests),
                "paths": dict(self.paths),
                "status": dict(self.status),
                "connections": self.connections,
            }


# --------------------------------------------------------------------------
# Request log: one JSON object per line, flushed, under a lock.

class RequestLog:
    def __init__(self, path):
        self.lock = threading.Lock()
        self.f = open(path, "a", encoding="utf-8") if path else None

    def write(self, record):
        if self.f is None:
            return
        line = json.dumps(record, separators=(",", ":")) + "\n"
        with self.lock:
            self.f.write(line)
            self.f.flush()


# --------------------------------------------------------------------------
# Gzip bomb: deflate blocks separated by full flushes are independent, so the
# compressed form of one 1 MiB filler chunk is computed once and repeated.
# Only the CRC needs a pass over the (virtual) data; it is cached per size.

BOMB_CHUNK = 1 << 20
_bomb_cache = {}
_bomb_lock = threading.Lock()


def bomb_plan(size, fill):
    key = (size, fill)
    with _bomb_lock:
        plan = _bomb_cache.get(key)
    if plan is not None:
        return plan
    prefix = RSS_PREFIX[:size]
    rest = size - len(prefix)
    n, r = divmod(rest, BOMB_CHUNK)
    chunk = fill * BOMB_CHUNK
    c = zlib.compressobj(9, zlib.DEFLATED, -15, 9)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(chunk) + c.flush(zlib.Z_FULL_FLUSH)
    if block != again:  # would make the stream invalid; never seen with zlib
        raise RuntimeError("deflate blocks after a full flush differ")
    tail = c.compress(chunk[:r]) + c.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(chunk[:r], crc)
    gz_header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    trailer = struct.pack("<II", crc & 0xFFFFFFFF, size & 0xFFFFFFFF)
    first = gz_header + head
    last = tail + trailer
    length = len(first) + n * len(block) + len(last)
    plan = (first, block, n, last, length)
    with _bomb_lock:
        if len(_bomb_cache) > 64:
            _bomb_cache.clear()
        _bomb_cache[key] = plan
    return plan


def fill_byte(query):
    v = query.get("fill", ["space"])[-1]
    if v == "space":
        return b" "
    if v == "zero":
        return b"\0"
    raise BadRequest("fill must be space or zero")


# --------------------------------------------------------------------------

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "feedserver"
    sys_version = ""
    disable_nagle_algorithm = True

    # set by main()
    root = None
    cache = None
    stats = None
    reqlog = None
    conn_counter = [0]
    conn_lock = threading.Lock()

    def setup(self):
        super().setup()
        with self.conn_lock:
            self.conn_counter[0] += 1
            self.conn_id = self.conn_counter[0]
        self.stats.connection()

    def log_message(self, format, *args):  # the JSON log replaces stderr chatter
        pass

    def do_GET(self):
        self.dispatch()

    def do_HEAD(self):
        self.dispatch()

    # -- plumbing ----------------------------------------------------------

    def send(self, code, headers=(), body=b"", close=False, length=None):
        """Send status line and headers, and body (unless HEAD or bodyless).

        length: Content-Length to announce when it differs from len(body)
        (streams that write the rest themselves)."""
        reason = self.responses.get(code, ("",))[0]
        out = ["HTTP/1.1 %d %s\r\nServer: feedserver\r\nDate: %s\r\n" % (code, reason, http_date_now())]
        for k, v in headers:
            out.append("%s: %s\r\n" % (k, v))
        bodyless = code in (204, 304) or code < 200
        if not bodyless:
            out.append("Content-Length: %d\r\n" % (len(body) if length is None else length))
        if close or self.close_connection:
            self.close_connection = True
            out.append("Connection: close\r\n")
        elif self.request_version == "HTTP/1.0":
            out.append("Connection: keep-alive\r\n")
        out.append("\r\n")
        data = "".join(out).encode("latin-1")
        if body and not bodyless and self.command != "HEAD":
            data += body
            self.bytes_sent += len(body)
        self.headers_sent = True
        self.status_sent = code
        self.wfile.write(data)

    def write_body(self, data):
        self.wfile.write(data)
        self.bytes_sent += len(data)

    def simple(self, code, message, headers=(), content_type="text/html; charset=utf-8"):
        reason = self.responses.get(code, ("",))[0]
        body = ("<!DOCTYPE html>\n<html><head><title>%d %s</title></head>"
                "<body><h1>%d %s</h1><p>%s</p></body></html>\n" % (
                    code, reason, code, reason, html.escape(message))).encode("utf-8")
        if not content_type.startswith("text/html"):
            body = (message + "\n").encode("utf-8")
        self.send(code, [("Content-Type", content_type)] + list(headers), body)

    def dispatch(self):
        self.headers_sent = False
        self.status_sent = None
        self.bytes_sent = 0
        self.logged = False
        self.t0 = time.time()
        split = urllib.parse.urlsplit(self.path)
        # A request in absolute form came through us as a proxy: serve its path.
        self.proxied = bool(split.scheme)
        self.req_path = split.path
        self.query = urllib.parse.parse_qs(split.query, keep_blank_values=True)
        # one pass over the headers (Message.get is a linear scan each time)
        self.hdr = hdr = {}
        for k, v in self.headers.items():
            hdr.setdefault(k.lower(), v)
        self.host = host_key(hdr.get("host"))
        counted = self.req_path not in ("/_stats", "/_reset")
        if counted:
            self.stats.enter(self.host, self.req_path)
        try:
            self.route()
        except BadRequest as e:
            if not self.headers_sent:
                self.simple(400, str(e))
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            self.close_connection = True
        except Exception:
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            if not self.headers_sent:
                try:
                    self.simple(500, "internal error in feedserver", content_type="text/plain; charset=utf-8")
                except OSError:
                    pass
        finally:
            if counted:
                self.stats.leave(self.host, self.status_sent)
            if not self.logged:
                self.log_request_json()

    def log_request_json(self):
        self.logged = True
        if self.reqlog.f is None:
            return
        now = time.time()
        h = self.hdr
        self.reqlog.write({
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(self.t0)) + ".%03dZ" % (int(self.t0 * 1000) % 1000),
            "ts": round(self.t0, 6),
            "method": self.command,
            "path": self.path,
            "host": h.get("host"),
            "user_agent": h.get("user-agent"),
            "if_none_match": h.get("if-none-match"),
            "if_modified_since": h.get("if-modified-since"),
            "authorization": h.get("authorization") is not None,
            "proxied": self.proxied,
            "accept_encoding": h.get("accept-encoding"),
            "status": self.status_sent,
            "bytes": self.bytes_sent,
            "duration_ms": round((now - self.t0) * 1000, 3),
            "conn": self.conn_id,
        })

    def resolve(self, raw_name):
        """URL path remainder -> absolute file path under root (400 on '..')."""
        name = urllib.parse.unquote(raw_name)
        if "\0" in name or "\\" in name:
            raise BadRequest("bad character in name")
        parts = name.split("/")
        if ".." in parts:
            raise BadRequest("'..' is not allowed in a name")
        parts = [p for p in parts if p not in ("", ".")]
        if not parts:
            raise BadRequest("missing NAME")
        path = os.path.join(self.root, *parts)
        real = os.path.realpath(path)
        if real != self.root and not real.startswith(self.root + os.sep):
            raise BadRequest("name resolves outside the root")
        return real

    def entry_or_404(self, raw_name):
        path = self.resolve(raw_name)
        e = self.cache.get(path)
        if e is None:
            self.simple(404, "no such feed file")
        return e

    def not_modified(self, etag, mtime):
        inm = self.hdr.get("if-none-match")
        if inm is not None:
            if etag is None:
                return False
            for tag in inm.split(","):
                tag = tag.strip()
                if tag == "*" or tag == etag:
                    return True
            return False
        ims = self.hdr.get("if-modified-since")
        if ims is not None and mtime is not None:
            try:
                dt = email.utils.parsedate_to_datetime(ims)
            except (TypeError, ValueError, IndexError):
                return False
            if dt is None:
                return False
            if dt.tzinfo is None:
                dt = dt.replace(tzinfo=datetime.timezone.utc)
            return dt.timestamp() >= mtime
        return False

    def serve_entry(self, e, validators=True, content_type=None, encoding=None):
        if content_type is None:
            content_type = e.ctype
        headers = []
        if content_type != "-":
            headers.append(("Content-Type", content_type))
        etag = None
        if validators:
            etag = e.etag if encoding is None else e.etag[:-1] + "-" + encoding + '"'
            headers.append(("ETag", etag))
            headers.append(("Last-Modified", e.last_modified))
        if encoding is not None:
            headers.append(("Content-Encoding", encoding))
            headers.append(("Vary", "Accept-Encoding"))
        if validators and self.not_modified(etag, e.mtime):
            self.send(304, headers)
            return
        body = e.content if encoding is None else e.encode(encoding)
        self.send(200, headers, body)

    # -- routes --------------------------------------------------------------

    def route(self):
        segs = self.req_path.split("/")
        # segs[0] == "" for an origin-form path
        name = segs[1] if len(segs) > 1 else ""
        rest = "/".join(segs[2:])
        fn = ROUTES.get(name)
        if fn is None:
            self.simple(404, "unknown route")
            return
        fn(self, segs, rest)

    def r_feed(self, segs, rest):
        e = self.entry_or_404(rest)
        if e:
            self.serve_entry(e)

    def r_noval(self, segs, rest):
        e = self.entry_or_404(rest)
        if e:
            self.serve_entry(e, validators=False)

    def r_encoded(self, segs, rest):
        enc = segs[1]
        if enc == "br" and brotli is None:
            # fail loudly, but resolve first so '..' is still a 400
            self.resolve(rest)
            msg = ("feedserver: /br/ needs the Python brotli module (Debian package "
                   "python3-brotli), which is not available: %s" % BROTLI_ERROR)
            print(msg, file=sys.stderr, flush=True)
            self.simple(500, msg, content_type="text/plain; charset=utf-8")
            return
        e = self.entry_or_404(rest)
        if e:
            self.serve_entry(e, encoding=enc)

    def r_type(self, segs, rest):
        # /type/MIME/NAME where MIME is "type/subtype" (two segments) or one
        # segment with %2F; "-" alone means: send no Content-Type at all.
        if len(segs) < 4:
            raise BadRequest("use /type/MIME/NAME")
        first = urllib.parse.unquote(segs[2])
        if "/" in first or first == "-":
            mime, name_segs = first, segs[3:]
        else:
            if len(segs) < 5:
                raise BadRequest("use /type/MIME/NAME")
            mime, name_segs = first + "/" + urllib.parse.unquote(segs[3]), segs[4:]
        header_safe(mime)
        e = self.entry_or_404("/".join(name_segs))
        if e:
            self.serve_entry(e, content_type=mime)

    def r_slow(self, segs, rest):
        if len(segs) < 4 or not segs[2].isdigit():
            raise BadRequest("use /slow/MS/NAME")
        ms = int(segs[2])
        path = self.resolve("/".join(segs[3:]))
        if self.client_gone_within(ms / 1000.0):
            self.close_connection = True
            return
        e = self.cache.get(path)
        if e is None:
            self.simple(404, "no such feed file")
        else:
            self.serve_entry(e)

    def r_redirect(self, segs, rest):
        # /redirect/CODE/N/NAME
        if len(segs) < 5 or not segs[2].isdigit() or not segs[3].isdigit():
            raise BadRequest("use /redirect/CODE/N/NAME")
        code, n = int(segs[2]), int(segs[3])
        name = "/".join(segs[4:])
        self.resolve(name)
        if n <= 0:
            e = self.entry_or_404(name)
            if e:
                self.serve_entry(e)
            return
        if n == 1:
            loc = "/feed/" + name
        else:
            loc = "/redirect/%d/%d/%s" % (code, n - 1, name)
        self.redirect(code, loc)

    def r_loop(self, segs, rest):
        if len(segs) < 3 or not segs[2].isdigit():
            raise BadRequest("use /loop/CODE")
        self.redirect(int(segs[2]), self.req_path)

    def r_redirect_to(self, segs, rest):
        if len(segs) < 3 or not segs[2].isdigit():
            raise BadRequest("use /redirect-to/CODE?to=PATH")
        to = self.query.get("to", [None])[-1]
        if not to:
            raise BadRequest("missing to=PATH")
        header_safe(to)
        target = urllib.parse.urlsplit(to)
        if target.scheme or target.netloc:
            # absolute URLs only to this machine's loopback names
            if target.scheme not in ("http", "https") or \
                    (target.hostname or "") not in ("127.0.0.1", "localhost", "::1"):
                raise BadRequest("to= must be a path, or a URL on 127.0.0.1/localhost")
        elif not to.startswith("/"):
            raise BadRequest("to= must start with /")
        self.redirect(int(segs[2]), to)

    def r_moved(self, segs, rest):
        # /moved/NAME: the feed, until NAME.location names where it went (301)
        if len(segs) < 3:
            raise BadRequest("use /moved/NAME")
        name = "/".join(segs[2:])
        path = self.resolve(name)
        try:
            with open(path + ".location", encoding="utf-8") as f:
                to = f.read().strip()
        except FileNotFoundError:
            e = self.entry_or_404(name)
            if e:
                self.serve_entry(e)
            return
        header_safe(to)
        if not to.startswith("/"):
            raise BadRequest("NAME.location must hold a path starting with /")
        self.redirect(301, to)

    def r_auth(self, segs, rest):
        # /auth/USER/PASS/NAME: HTTP basic authentication (RFC 7617) first.
        if len(segs) < 5:
            raise BadRequest("use /auth/USER/PASS/NAME")
        want = "%s:%s" % (urllib.parse.unquote(segs[2]), urllib.parse.unquote(segs[3]))
        got = self.hdr.get("authorization", "")
        ok = False
        if got[:6].lower() == "basic ":
            try:
                ok = base64.b64decode(got[6:].strip(), validate=True).decode("utf-8") == want
            except (ValueError, UnicodeDecodeError):
                ok = False
        if not ok:
            self.simple(401, "authentication required",
                        headers=[("WWW-Authenticate", 'Basic realm="feedserver"')])
            return
        e = self.entry_or_404("/".join(segs[4:]))
        if e:
            self.serve_entry(e)

    def r_header(self, segs, rest):
        # /header/NAME/VALUE/FILE: 403 unless the request carries NAME: VALUE.
        if len(segs) < 5:
            raise BadRequest("use /header/NAME/VALUE/FILE")
        name, value = urllib.parse.unquote(segs[2]).lower(), urllib.parse.unquote(segs[3])
        if self.hdr.get(name) != value:
            self.simple(403, "missing or wrong %s header" % name)
            return
        e = self.entry_or_404("/".join(segs[4:]))
        if e:
            self.serve_entry(e)

    def r_headers(self, segs, rest):
        # /headers/NAME?h=Name:%20value&h=...: the file (with validators),
        # plus each h= as a response header, verbatim (on the 200 and on a
        # 304); h200= only on a 200, h304= only on a 304.
        e = self.entry_or_404(rest)
        if not e:
            return

        def parse(key):
            out = []
            for h in self.query.get(key, []):
                k, sep, v = header_safe(h).partition(":")
                if not sep or not k.strip():
                    raise BadRequest("%s= must be Name: value" % key)
                out.append((k.strip(), v.strip()))
            return out
        extra, only200, only304 = parse("h"), parse("h200"), parse("h304")
        etag = e.etag
        headers = [("Content-Type", e.ctype), ("ETag", etag), ("Last-Modified", e.last_modified)] + extra
        if self.not_modified(etag, e.mtime):
            self.send(304, headers + only304)
            return
        self.send(200, headers + only200, e.content)

    def redirect(self, code, location):
        if not 300 <= code <= 399:
            raise BadRequest("redirect CODE must be 3xx")
        self.simple(code, "redirecting to %s" % location,
                    headers=[("Location", location)])

    def r_status(self, segs, rest):
        if len(segs) != 3 or not segs[2].isdigit() or not 200 <= int(segs[2]) <= 599:
            raise BadRequest("use /status/CODE with CODE in 200..599")
        code = int(segs[2])
        headers = []
        ra = self.query.get("retry_after")
        if ra is not None:
            headers.append(("Retry-After", header_safe(ra[-1])))
        self.simple(code, "scripted status %d" % code, headers=headers)

    def client_gone_within(self, timeout):
        """Wait up to timeout seconds; True as soon as the client closes the
        connection or the server is stopping (so concurrency counts drop when
        a client gives up, not at the next write)."""
        deadline = time.monotonic() + timeout
        sock = self.connection
        while True:
            if STOP.is_set():
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                r, _, _ = select.select([sock], [], [], min(left, 0.25))
                if r:
                    if not sock.recv(1, socket.MSG_PEEK):
                        return True
                    # a pipelined request: leave it for the next round
                    return STOP.wait(max(0.0, deadline - time.monotonic()))
            except (OSError, ValueError):
                return True

    def r_hang(self, segs, rest):
        # The request has been read; never answer. Log it now (status null),
        # then wait for the client to go away or for the server to stop.
        self.log_request_json()
        self.close_connection = True
        sock = self.connection
        while not STOP.is_set():
            try:
                r, _, _ = select.select([sock], [], [], 0.25)
                if r and not sock.recv(65536):
                    break
            except (OSError, ValueError):
                break

    def r_trickle(self, segs, rest):
        try:
            delay = float(self.query.get("delay", ["1"])[-1])
        except ValueError:
            raise BadRequest("bad delay")
        if not 0 <= delay <= 3600:
            raise BadRequest("bad delay")
        e = self.entry_or_404(rest)
        if not e:
            return
        ct = e.ctype
        self.send(200, [("Content-Type", ct)], b"", length=len(e.content))
        if self.command == "HEAD":
            return
        for i in range(len(e.content)):
            if self.client_gone_within(delay):
                self.close_connection = True
                return
            self.write_body(e.content[i:i + 1])

    def r_truncated(self, segs, rest):
        e = self.entry_or_404(rest)
        if not e:
            return
        ct = e.ctype
        half = e.content[: len(e.content) // 2]
        self.send(200, [("Content-Type", ct)], b"", length=len(e.content), close=True)
        if self.command != "HEAD":
            self.write_body(half)
            try:
                self.connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass

    def r_big(self, segs, rest):
        if len(segs) != 3:
            raise BadRequest("use /big/SIZE")
        size = parse_size(segs[2])
        fill = fill_byte(self.query)
        self.send(200, [("Content-Type", "application/rss+xml")], b"", length=size)
        if self.command == "HEAD":
            return
        prefix = RSS_PREFIX[:size]
        self.write_body(prefix)
        left = size - len(prefix)
        chunk = memoryview(fill * (256 << 10))
        while left > 0:
            k = min(left, len(chunk))
            self.write_body(chunk[:k])
            left -= k

    def r_bomb(self, segs, rest):
        if len(segs) != 3:
            raise BadRequest("use /bomb/SIZE")
        size = parse_size(segs[2])
        fill = fill_byte(self.query)
        first, block, n, last, length = bomb_plan(size, fill)
        self.send(200, [("Content-Type", "application/rss+xml"),
                        ("Content-Encoding", "gzip")], b"", length=length)
        if self.command == "HEAD":
            return
        self.write_body(first)
        group = 64
        if n >= group:
            many = block * group
            for _ in range(n // group):
                self.write_body(many)
        for _ in range(n % group if n >= group else n):
            self.write_body(block)
        self.write_body(last)

    def r_stats(self, segs, rest):
        body = json.dumps(self.stats.snapshot(), sort_keys=True).encode() + b"\n"
        self.send(200, [("Content-Type", "application/json"), ("Cache-Control", "no-store")], body)

    def r_reset(self, segs, rest):
        self.stats.reset()
        self.send(200, [("Content-Type", "application/json"), ("Cache-Control", "no-store")],
                  b'{"ok":true}\n')


ROUTES = {
    "feed": Handler.r_feed,
    "noval": Handler.r_noval,
    "gzip": Handler.r_encoded,
    "br": Handler.r_encoded,
    "deflate": Handler.r_encoded,
    "type": Handler.r_type,
    "slow": Handler.r_slow,
    "redirect": Handler.r_redirect,
    "loop": Handler.r_loop,
    "redirect-to": Handler.r_redirect_to,
    "moved": Handler.r_moved,
    "status": Handler.r_status,
    "auth": Handler.r_auth,
    "header": Handler.r_header,
    "headers": Handler.r_headers,
    "hang": Handler.r_hang,
    "trickle": Handler.r_trickle,
    "truncated": Handler.r_truncated,
    "big": Handler.r_big,
    "bomb": Handler.r_bomb,
    "_stats": Handler.r_stats,
    "_reset": Handler.r_reset,
}


class Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET
    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 1024

    def server_bind(self):
        # skip HTTPServer.server_bind's getfqdn() (a DNS lookup)
        socketserver.TCPServer.server_bind(self)
        self.server_name = BIND_ADDRESS
        self.server_port = self.server_address[1]

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


def write_portfile(path, port):
    d = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(d, ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Scripted HTTP server for feedmerge fetcher tests (127.0.0.1 only).")
    ap.add_argument("--root", required=True, help="directory of feed files served by NAME")
    ap.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = ephemeral, the default)")
    ap.add_argument("--portfile", help="write the chosen port here (atomically)")
    ap.add_argument("--log", help="append one JSON line per request here")
    ap.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate (chain)")
    ap.add_argument("--tls-key", help="the private key of --tls-cert (PEM)")
    args = ap.parse_args(argv)

    root = os.path.realpath(args.root)
    if not os.path.isdir(root):
        ap.error("--root %s is not a directory" % args.root)
    if brotli is None:
        print("feedserver: warning: brotli module missing (%s); /br/ will answer 500. "
              "Install python3-brotli." % BROTLI_ERROR, file=sys.stderr, flush=True)

    threading.stack_size(512 << 10)
    Handler.root = root
    Handler.cache = FileCache()
    Handler.stats = Stats()
    Handler.reqlog = RequestLog(args.log)

    server = Server((BIND_ADDRESS, args.port), Handler)
    port = server.server_address[1]
    if args.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.tls_cert, args.tls_key)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)

    def on_signal(signum, frame):
        if not STOP.is_set():
            STOP.set()
            threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    if args.portfile:
        write_portfile(args.portfile, port)
    sys.stdout.write("%d\n" % port)
    sys.stdout.flush()

    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        STOP.set()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
