#!/usr/bin/env python3
"""faultserver.py - a hostile HTTP/1.1 server for tests: every path answers
with a fault a real server on the web may send (raw bytes written straight
to the socket, not through an HTTP library that would tidy them up).
Listens on 127.0.0.1 only; each connection serves requests until the reply
says to close. Stops by itself: when standard input ends, after --lifetime
seconds, or after --max-requests requests. No reply takes longer than
--slow seconds to send (headers that never end stop then).

Prints one line, "PORTS p CLOSED pc", as tests/linkserver.py does.

Paths (see ROUTES below for the full list):
  /ok, /page/NAME          a short page; NAME is one of PAGES
  /reset-head, /reset-body the connection reset in the headers / in the body
  /endless-head            header lines, one every 50 ms, never a blank line
  /huge-header             one header line of 10 MB
  /longer, /shorter        a body longer / shorter than its Content-Length
  /trickle                 the page's head at once, the rest a byte at a time
  /bom-split?p=NAME        page NAME of PAGES, its first three bytes one at a time
  /big.pdf                 50 MB of a PDF, sent as fast as it is read
  /chunk-bad, /chunk-huge, /chunk-cut   broken chunked encodings
  /gzip-bad, /br-bad, /gzip-bomb, /gzip-bomb-json   broken or explosive bodies
  /loop, /chain/N          a redirect loop; N redirects, then a page
  /to?u=URL                302 to URL (as given: relative, //host, file:, ...)
  /perm?u=URL              301 to URL
  /info                    100, 103 and 102 interim answers, then the page
  /204-body, /304-body     statuses that have no body, with one
  /status-garbage, /status-999, /status-000, /no-reason, /lf-only, /http09,
  /two-lengths             malformed status lines and headers
  /location-empty, /location-missing, /location-blank, /location-controls
                           3xx with a Location empty, missing, padded, or
                           with control bytes
  /retry/KIND, /retry503/KIND  429 (503) with Retry-After of KIND (retry_value)
  /head-405                405 to HEAD, a page to GET
  /gh/repos/OWNER/REPO     GitHub's API answering REPO (see github())
  /pypi/NAME/json          PyPI's API answering NAME (see pypi())
  /wayback/available       an archive service answering with wrong types
"""
import argparse
import email.utils
import gzip
import json
import os
import socket
import socketserver
import struct
import sys
import threading
import time
import zlib
from urllib.parse import parse_qs, urlsplit

from linkserver import closed_port


def page(title_part, head="", body="", lang="en"):
    return ('<!DOCTYPE html><html lang="%s"><head>%s%s</head><body>%s</body></html>\n'
            % (lang, title_part, head, body)).encode()


# Pages whose markup or encoding is odd; bytes, with the charset the
# Content-Type header names (None: not named).
PAGES = {
    "entities": (page("<title>Caf&eacute; &amp; cr&egrave;me &#x2014; &lt;b&gt;bold&lt;/b&gt;&nbsp;&#128512;&#0;&#xD800;</title>"), None),
    "nul": (b"<!DOCTYPE html><html><head><title>Before\x00after NUL</title></head></html>", None),
    "badutf8": (b"<!DOCTYPE html><html><head><meta charset=utf-8><title>Bad \xff\xfe bytes \xc3(</title></head></html>", "utf-8"),
    "gbk-meta": ('<!DOCTYPE html><html lang="zh"><head><meta charset="gbk"><title>中文标题：元标签</title></head></html>'.encode("gbk"), None),
    "gbk-header-vs-meta": ('<!DOCTYPE html><html lang="zh"><head><meta charset="utf-8"><title>中文标题：响应头</title></head></html>'.encode("gbk"), "gbk"),
    "sjis": ('<!DOCTYPE html><html lang="ja"><head><meta http-equiv="Content-Type" content="text/html; charset=shift_jis"><title>日本語のタイトル</title></head></html>'.encode("shift_jis"), None),
    "utf16-bom": ('\ufeff<!DOCTYPE html><html lang="en"><head><title>Sixteen bits wide</title></head></html>'.encode("utf-16-le"), None),
    "utf16-bom-vs-header": ('\ufeff<!DOCTYPE html><html lang="en"><head><meta charset="gbk"><title>The BOM wins</title></head></html>'.encode("utf-16-le"), "iso-8859-1"),
    "utf16-not-found": ('\ufeff<!DOCTYPE html><html><head><title>Page not found</title></head></html>'.encode("utf-16-be"), None),
    "utf8-bom-vs-header": ('\ufeff<!DOCTYPE html><html lang="zh"><head><title>字节顺序标记</title></head></html>'.encode("utf-8"), "gbk"),
    "og-empty": (page('<title>The real title</title>', '<meta property="og:title" content=""><meta property="og:description" content="  ">'), None),
    "two-titles": (page("<title>First title</title><title>Second title</title>"), None),
    "svg-title": (b'<!DOCTYPE html><html><head></head><body><svg><title>An icon</title></svg><h1>The heading</h1></body></html>', None),
    "svg-in-head": (b'<!DOCTYPE html><html><head><svg><title>Icon</title></svg><title>Page after an svg</title></head></html>', None),
    "empty-title": (page("<title>   </title>", body="<h1>Heading instead</h1>"), None),
    "canonical-js": (page("<title>Canonical to javascript</title>", '<link rel="canonical" href="javascript:alert(1)">'), None),
    "canonical-ftp": (page("<title>Canonical to ftp</title>", '<link rel="canonical" href="ftp://127.0.0.1/file">'), None),
    "canonical-file": (page("<title>Canonical to file</title>", '<link rel="canonical" href="file:///etc/passwd">'), None),
    "canonical-paren": (page("<title>Canonical with parentheses</title>", '<link rel="canonical" href="/page/canonical-paren?v=(1)">'), None),
    "canonical-odd": (page("<title>Canonical with odd bytes</title>", '<link rel="canonical" href="/ok?q=a b(c)&lt;d&gt;">'), None),
    "long-title": (page("<title>" + "A very long title " * 20000 + "</title>"), None),
    "newline-title": (page("<title>Line one\n\n- line two\n## three</title>", '<meta name="description" content="Desc\n\n# not a heading\n\n1. not a list">'), None),
    "not-found-200": (page("<title>Page not found</title>"), None),
}


def gzip_bomb(size, prefix=b""):
    """A gzip member of prefix and then size zero bytes (about 1,000 to 1)."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [c.compress(prefix)]
    block = b"\0" * (1 << 20)
    for _ in range(size >> 20):
        out.append(c.compress(block))
    out.append(c.flush())
    return b"".join(out)


BOMBS = {}
BOMB_LOCK = threading.Lock()


def bomb(name, prefix):
    with BOMB_LOCK:
        if name not in BOMBS:
            BOMBS[name] = gzip_bomb(64 << 20, prefix)  # 64 MiB unpacked: past every limit
        return BOMBS[name]


# Retry-After values: /retry/KIND answers 429 (/retry503/KIND: 503).
def retry_value(kind):
    now = time.time()
    return {
        "huge": "99999999999999999999999999",
        "big": "9999999999",
        "negative": "-5",
        "garbage": "soon",
        "date-future": email.utils.formatdate(now + 10 * 365 * 86400, usegmt=True),
        "date-past": email.utils.formatdate(now - 86400, usegmt=True),
        "date-far": "Fri, 31 Dec 9999 23:59:59 GMT",
        "one": "1",
    }.get(kind, "1")


# GitHub's REST API answering repository REPO (with the headers it sends).
def github(repo):
    now = int(time.time())
    good = {"name": "faulty", "description": "A repository", "stargazers_count": 1234,
            "archived": False, "pushed_at": "2024-01-02T03:04:05Z",
            "license": {"spdx_id": "MIT"}, "html_url": "https://github.com/someone/faulty"}
    if repo == "wrong-types":
        body = {"name": 42, "description": ["a", "list"], "stargazers_count": "many",
                "archived": "yes", "pushed_at": 7, "license": "MIT", "html_url": {"a": 1}}
    elif repo == "nulls":
        body = {k: None for k in good}
        body["name"] = "nulls"
    elif repo == "all-null":
        body = {k: None for k in good}
    elif repo == "huge-numbers":
        return 200, [], ('{"name": "huge", "description": "Big", "stargazers_count": '
                         '1e400, "archived": false}').encode()
    elif repo == "huge-int":
        return 200, [], ('{"name": "huge", "description": "Big", "stargazers_count": '
                         '99999999999999999999999999999, "archived": false}').encode()
    elif repo == "negative-stars":
        body = dict(good, stargazers_count=-3)
    elif repo == "deep":
        return 200, [], b'{"name": "deep", "x": ' + b"[" * 100000 + b"]" * 100000 + b"}"
    elif repo == "deep-object":
        return 200, [], b'{"name": "deep", "x": ' + b'{"a": ' * 100000 + b"1" + b"}" * 100000 + b"}"
    elif repo == "list":
        body = [good]
    elif repo == "html-url-js":
        body = dict(good, html_url="javascript:alert(1)")
    elif repo == "html-url-other":
        body = dict(good, html_url="https://evil.example/phish")
    elif repo == "control-name":
        body = dict(good, name="evil\x1b[2J\nname", description="line\none\r\n## two")
    elif repo == "reset-past":
        return 403, [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", str(now - 3600))], \
            b'{"message": "API rate limit exceeded"}'
    elif repo == "reset-future":
        return 403, [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", str(now + 86400 * 365))], \
            b'{"message": "API rate limit exceeded"}'
    elif repo == "reset-huge":
        return 403, [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "99999999999999999999999")], \
            b'{"message": "API rate limit exceeded"}'
    elif repo == "reset-garbage":
        return 403, [("X-RateLimit-Remaining", "zero"), ("X-RateLimit-Reset", "later")], \
            b'{"message": "API rate limit exceeded"}'
    elif repo == "retry-huge":
        return 429, [("Retry-After", "99999999999999999999999")], b'{"message": "slow down"}'
    elif repo == "retry-date":
        return 429, [("Retry-After", retry_value("date-future"))], b'{"message": "slow down"}'
    elif repo == "secondary-limit":
        return 403, [("Retry-After", "100000")], b'{"message": "secondary rate limit"}'
    else:
        body = good
    return 200, [("X-RateLimit-Remaining", "59")], json.dumps(body).encode()


def pypi(name):
    if name == "wrong-types":
        body = {"info": {"name": ["x"], "summary": 5, "version": None, "license": {"a": 1}}}
    elif name == "nulls":
        body = {"info": {"name": "nulls", "summary": None, "version": None, "license": None}}
    elif name == "info-list":
        body = {"info": ["name"]}
    elif name == "no-info":
        body = {"releases": {}}
    elif name == "deep":
        return b'{"info": {"name": "deep"}, "x": ' + b"[" * 100000 + b"]" * 100000 + b"}"
    else:
        body = {"info": {"name": name, "summary": "A project", "version": "1.0", "license": "MIT"}}
    return json.dumps(body).encode()


def wayback(kind):
    if kind == "wrong-types":
        return {"archived_snapshots": {"closest": {"available": "yes", "url": 5, "timestamp": []}}}
    if kind == "nulls":
        return {"archived_snapshots": {"closest": None}}
    if kind == "list":
        return {"archived_snapshots": [1, 2]}
    if kind == "js":
        return {"archived_snapshots": {"closest": {"available": True, "status": "200",
                                                   "url": "javascript:alert(1)",
                                                   "timestamp": "20200101000000"}}}
    if kind == "fine":
        return {"archived_snapshots": {"closest": {"available": True, "status": "200",
                                                   "url": "http://archive.example/web/2020/fine",
                                                   "timestamp": "20200101000000"}}}
    if kind == "controls":
        return {"archived_snapshots": {"closest": {"available": True, "status": "200",
                                                   "url": "http://archive.example/\x1b[2J\nx",
                                                   "timestamp": "20200101000000"}}}
    return None


class Stop(Exception):
    """The reply closes the connection."""


class Handler(socketserver.BaseRequestHandler):
    def setup(self):
        self.sock = self.request
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.sock.settimeout(ARGS.slow)
        self.pending = b""

    def handle(self):
        try:
            while self.one():
                pass
        except (OSError, Stop):
            pass

    def read_head(self):
        while b"\r\n\r\n" not in self.pending:
            if len(self.pending) > 65536:
                return None
            data = self.sock.recv(65536)
            if not data:
                return None
            self.pending += data
        head, self.pending = self.pending.split(b"\r\n\r\n", 1)
        return head.decode("latin-1")

    def one(self):
        head = self.read_head()
        if head is None:
            return False
        lines = head.split("\r\n")
        self.method, self.target = lines[0].split(" ")[:2]
        self.headers = {}
        for line in lines[1:]:
            k, _, v = line.partition(":")
            self.headers[k.strip().lower()] = v.strip()
        served = STATS.count()
        if served >= ARGS.max_requests:
            threading.Timer(0.2, os._exit, [0]).start()
        url = urlsplit(self.target)
        self.path, self.query = url.path, parse_qs(url.query)
        self.base = "http://%s" % self.headers.get("host", "127.0.0.1")
        route = ROUTES.get(self.path)
        if route is None:
            for prefix, r in PREFIXES:
                if self.path.startswith(prefix):
                    route = r
                    break
        if route is None:
            route = Handler.not_found
        return route(self) is not False and self.headers.get("connection") != "close"

    # ---- writing ----

    def send(self, data):
        self.sock.sendall(data)

    def reply(self, status, body=b"", headers=(), ctype="text/html", reason="X"):
        h = "HTTP/1.1 %d %s\r\n" % (status, reason)
        if ctype:
            h += "Content-Type: %s\r\n" % ctype
        for k, v in headers:
            h += "%s: %s\r\n" % (k, v)
        h += "Content-Length: %d\r\n\r\n" % len(body)
        self.send(h.encode("latin-1") + (b"" if self.method == "HEAD" else body))

    def reset(self):
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()
        raise Stop()

    def slowly(self, piece, every=0.05):
        """piece, again and again, until the client goes or --slow passes."""
        end = time.time() + ARGS.slow
        while time.time() < end:
            self.send(piece)
            time.sleep(every)
        raise Stop()

    # ---- the routes ----

    def not_found(self):
        self.reply(404, page("<title>Nothing here</title>"))

    def ok(self):
        self.reply(200, page("<title>Fine</title>", '<meta name="description" content="A fine page.">'))

    def page(self):
        name = self.path.rsplit("/", 1)[1]
        if name not in PAGES:
            return self.not_found()
        body, charset = PAGES[name]
        self.reply(200, body, ctype="text/html" + ("; charset=" + charset if charset else ""))

    def reset_head(self):
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/ht")
        time.sleep(0.05)
        self.reset()

    def reset_body(self):
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5000\r\n\r\n"
                  b"<!DOCTYPE html><html><head><title>Cut off")
        time.sleep(0.05)
        self.reset()

    def endless_head(self):
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        self.slowly(b"X-Filler: more headers are coming\r\n")

    def huge_header(self):
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Huge: ")
        chunk = b"h" * 65536
        for _ in range(160):  # 10 MB
            self.send(chunk)
        self.send(b"\r\nContent-Length: 30\r\n\r\n<title>After a huge</title>\n\n")
        return False

    def longer(self):
        body = page("<title>Longer than said</title>")
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 20\r\n\r\n" +
                  body + b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n" + b"garbage" * 100)
        return False

    def shorter(self):
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n" +
                  page("<title>Shorter than said</title>"))
        if "hang" in self.query:
            self.slowly(b"", 0.2)
        raise Stop()

    def endless_1xx(self):
        self.slowly(b"HTTP/1.1 102 Processing\r\n\r\n")

    def charset(self):
        """A page whose header names the charset of the query's c."""
        c = self.query.get("c", [""])[0]
        self.send(("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=%s\r\n"
                   "Content-Length: 60\r\n\r\n" % c).encode("latin-1") +
                  b"<!DOCTYPE html><title>Plain ASCII title</title>".ljust(60))
        return False

    def trickle(self):
        """The page's head at once, then the rest a byte at a time."""
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n" +
                  b"<!DOCTYPE html><html><head><title>Trickling</title></head><body><h1>Body")
        self.slowly(b"x", 0.05)

    def bom_split(self):
        """A page of PAGES (?p=NAME) whose first bytes, a byte order mark,
        come one at a time."""
        body, charset = PAGES.get(self.query.get("p", [""])[0], (b"", None))
        self.send(("HTTP/1.1 200 OK\r\nContent-Type: text/html%s\r\nContent-Length: %d\r\n\r\n"
                   % ("; charset=" + charset if charset else "", len(body))).encode("latin-1"))
        for k in range(3):
            time.sleep(0.05)
            self.send(body[k:k + 1])
        self.send(body[3:])
        return False

    def big_pdf(self):
        """A large body that is no page."""
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\nContent-Length: 50000000\r\n\r\n")
        self.slowly(b"%PDF" * 16384, 0.01)

    def chunk_bad(self):
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                  b"zz\r\n<title>Bad chunk</title>\r\n0\r\n\r\n")
        raise Stop()

    def chunk_huge(self):
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                  b"ffffffffffffffffffffffff\r\n<title>Huge chunk</title>\r\n0\r\n\r\n")
        raise Stop()

    def chunk_cut(self):
        self.send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
                  b"1000\r\n<!DOCTYPE html><title>Chunk cut short</title>")
        raise Stop()

    def encoded(self, encoding, body, ctype="text/html"):
        self.send(("HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Encoding: %s\r\n"
                   "Content-Length: %d\r\n\r\n" % (ctype, encoding, len(body))).encode() + body)
        return False

    def gzip_bad(self):
        good = gzip.compress(page("<title>Broken gzip</title>"))
        return self.encoded("gzip", good[:20] + b"\xde\xad\xbe\xef" * 8 + good[20:])

    def br_bad(self):
        return self.encoded("br", b"\x8b\x03\x80This is not brotli at all\x03" * 20)

    def gzip_bomb_html(self):
        return self.encoded("gzip", bomb("html", b"<!DOCTYPE html><html><head><title>Bomb</title><meta name=x content=\""))

    def gzip_bomb_json(self):
        return self.encoded("gzip", bomb("json", b'{"name": "bomb", "description": "'), "application/json")

    def loop(self):
        self.reply(302, b"", [("Location", "/loop")])

    def chain(self):
        left = int(self.path.rsplit("/", 1)[1])
        if left <= 0:
            return self.ok()
        self.reply(302, b"", [("Location", "/chain/%d" % (left - 1))])

    def to(self):
        self.reply(302, b"", [("Location", self.query.get("u", ["/ok"])[0])])

    def perm(self):
        self.reply(301, b"", [("Location", self.query.get("u", ["/ok"])[0])])

    def info(self):
        self.send(b"HTTP/1.1 100 Continue\r\n\r\n"
                  b"HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
                  b"HTTP/1.1 102 Processing\r\n\r\n")
        self.ok()

    def no_body_with_body(self):
        status = 204 if self.path == "/204-body" else 304
        self.send(b"HTTP/1.1 %d X\r\nContent-Type: text/html\r\n\r\n%s" % (
            status, page("<title>A body where none may be</title>")))

    def raw(self):
        """A reply whose status line or headers are malformed."""
        body = page("<title>Raw</title>")
        heads = {
            "/status-garbage": b"HTTP/1.1 abc Nonsense\r\nContent-Type: text/html\r\n",
            "/status-999": b"HTTP/1.1 999 Beyond\r\nContent-Type: text/html\r\n",
            "/status-000": b"HTTP/1.1 000 Zero\r\nContent-Type: text/html\r\n",
            "/no-reason": b"HTTP/1.1 200\r\nContent-Type: text/html\r\n",
            "/lf-only": b"HTTP/1.1 200 OK\nContent-Type: text/html\n",
            "/two-lengths": b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n",
            "/location-empty": b"HTTP/1.1 302 Found\r\nLocation: \r\n",
            "/location-missing": b"HTTP/1.1 301 Moved\r\n",
            "/location-blank": b"HTTP/1.1 302 Found\r\nLocation:    /ok   \r\n",
            "/location-controls": b"HTTP/1.1 301 Moved\r\nLocation: /ok\x01\x7f\xff?x=\x1b[2J\r\n",
        }
        if self.path == "/http09":
            self.send(body)
            raise Stop()
        eol = b"\n" if self.path == "/lf-only" else b"\r\n"
        self.send(heads[self.path] + b"Content-Length: %d" % len(body) + eol + eol + body)
        raise Stop()

    def retry(self):
        kind = self.path.rsplit("/", 1)[1]
        status = 503 if self.path.startswith("/retry503/") else 429
        self.reply(status, b"later\n", [("Retry-After", retry_value(kind))], ctype="text/plain")

    def head_405(self):
        if self.method == "HEAD":
            return self.reply(405, b"")
        self.ok()

    def gh(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 4 or parts[1] != "repos":
            return self.not_found()
        if parts[3] == "bomb":
            return self.gzip_bomb_json()
        status, headers, body = github(parts[3])
        self.reply(status, body, headers, ctype="application/json")

    def pypi(self):
        parts = self.path.strip("/").split("/")
        if len(parts) != 3 or parts[2] != "json":
            return self.not_found()
        self.reply(200, pypi(parts[1]), ctype="application/json")

    def wayback(self):
        url = self.query.get("url", [""])[0]
        kind = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
        body = wayback(kind)
        if body is None:
            if kind == "badjson":
                return self.reply(200, b'{"archived_snapshots": {', ctype="application/json")
            if kind == "deep":
                return self.reply(200, b"[" * 100000, ctype="application/json")
            body = {"archived_snapshots": {}}
        self.reply(200, json.dumps(body).encode(), ctype="application/json")


ROUTES = {
    "/ok": Handler.ok, "/reset-head": Handler.reset_head, "/reset-body": Handler.reset_body,
    "/endless-head": Handler.endless_head, "/huge-header": Handler.huge_header,
    "/endless-1xx": Handler.endless_1xx, "/charset": Handler.charset,
    "/longer": Handler.longer, "/trickle": Handler.trickle, "/bom-split": Handler.bom_split,
    "/big.pdf": Handler.big_pdf, "/shorter": Handler.shorter,
    "/chunk-bad": Handler.chunk_bad, "/chunk-huge": Handler.chunk_huge,
    "/chunk-cut": Handler.chunk_cut, "/gzip-bad": Handler.gzip_bad, "/br-bad": Handler.br_bad,
    "/gzip-bomb": Handler.gzip_bomb_html, "/gzip-bomb-json": Handler.gzip_bomb_json,
    "/loop": Handler.loop, "/to": Handler.to, "/perm": Handler.perm, "/info": Handler.info,
    "/204-body": Handler.no_body_with_body, "/304-body": Handler.no_body_with_body,
    "/head-405": Handler.head_405,
    **{p: Handler.raw for p in ("/status-garbage", "/status-999", "/status-000", "/no-reason",
                                "/lf-only", "/two-lengths", "/location-empty",
                                "/location-missing", "/location-blank", "/location-controls",
                                "/http09")}, "/wayback/available": Handler.wayback,
}
PREFIXES = [("/page/", Handler.page), ("/chain/", Handler.chain), ("/retry/", Handler.retry),
            ("/retry503/", Handler.retry), ("/gh/", Handler.gh), ("/pypi/", Handler.pypi)]


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.total = 0

    def count(self):
        with self.lock:
            self.total += 1
            return self.total


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (OSError, Stop)):
            super().handle_error(request, client_address)


def main():
    global ARGS, STATS
    p = argparse.ArgumentParser()
    p.add_argument("--lifetime", type=float, default=60)
    p.add_argument("--max-requests", type=int, default=5000)
    p.add_argument("--slow", type=float, default=15,
                   help="seconds a reply that never ends goes on")
    ARGS = p.parse_args()
    STATS = Stats()
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("PORTS %d CLOSED %d" % (server.server_address[1], closed_port()), flush=True)
    threading.Timer(ARGS.lifetime, os._exit, [0]).start()
    sys.stdin.read()  # until the test closes it
    os._exit(0)


if __name__ == "__main__":
    main()
