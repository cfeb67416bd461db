#!/usr/bin/env python3
"""linkserver.py - a local HTTP server whose paths misbehave on purpose, for
the link checker's tests and benchmark. Listens on 127.0.0.1 only.

Prints one line, "PORTS p1 p2 ... CLOSED pc [TLS pt]", then serves until
standard input ends, --lifetime seconds pass or --max-requests are served.

Paths (any path takes ?delay=SECONDS, waited before the reply):
  /ok                      200, a short body
  /status/N                status N, a short body
  /redirect/N/REST         status N, Location: /REST  (chains compose)
  /to?url=URL              302, Location: URL
  /loop/a, /loop/b         302 to each other
  /many/N                  302 to /many/N-1; /many/0 is 200
  /get-only                405 to HEAD, 200 to GET
  /retry/KEY, /retry503/KEY  429 (503) with Retry-After: 1 the first time, then 200
  /always429               429 with Retry-After: 1, always
  /retry-long              429 with Retry-After: 120
  /reset                   the connection is reset, nothing is sent
  /empty                   the connection is closed, nothing is sent
  /big, /big-chunked       200 with a 50 MB body (length given, or chunked),
                           sent until the client goes away
  /slow-body               headers at once, a 100-byte body over 5 seconds
  /bench/...               200 after --delay seconds
  /cookie                  302 to itself with a cookie; 200 once it comes back
  /ua?want=AGENT           200 when the User-Agent starts with AGENT, else 403
  /page/NAME               tests/add/NAME.html as text/html (?charset=C adds
                           it to the header, ?encode=C sends the page in C,
                           ?retry=KEY answers 429 with Retry-After: 1 the
                           first time)
  /, /login, /posts/NAME   200 pages titled Home, Sign in, and as /page/blog
  /bighead                 a page whose <head> is 10 MB of <meta> tags
  /gh/repos/OWNER/REPO     tests/add/gh-REPO.json (GitHub's REST API); REPO
                           badjson: invalid JSON; limited: 403 with a spent
                           rate limit resetting in 1 s the first time;
                           limited-long: the same, resetting in an hour;
                           private: 404 unless the token "sekrit" is sent
  /pypi/NAME/json          tests/add/pypi-NAME.json (PyPI's JSON API)
  /wayback/available?url=U an archive service's availability API: a
                           snapshot of U unless U says never-archived
  /stats                   JSON: requests per path, most requests in flight
                           at once, connections, bytes of /big sent;
                           /stats?reset=1 then starts counting afresh

With --fast only /bench, /ok and /stats are served, by two processes with an
asyncio loop each, which keep up with hundreds of requests at once (for the
benchmark); /stats then counts all requests together.
"""
import argparse
import asyncio
import json
import os
import socket
import ssl
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

BIG = 50 * 1024 * 1024
CHUNK = 64 * 1024


class Stats:
    def __init__(self, max_requests):
        self.lock = threading.Lock()
        self.requests = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.connections = 0
        self.big_bytes = 0
        self.total = 0
        self.max_requests = max_requests
        self.seen = set()
        self.generation = 0

    def begin(self, path):
        with self.lock:
            self.requests[path] = self.requests.get(path, 0) + 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
            self.total += 1
            return self.total, self.generation

    def reset(self):
        # requests still running from before are no longer counted in flight
        with self.lock:
            self.generation += 1
            self.requests = {}
            self.in_flight = 0
            self.max_in_flight = 0
            self.connections = 0
            self.big_bytes = 0

    def end(self, generation):
        with self.lock:
            if generation == self.generation:
                self.in_flight -= 1

    def first_time(self, key):
        with self.lock:
            if key in self.seen:
                return False
            self.seen.add(key)
            return True

    def as_json(self):
        with self.lock:
            return json.dumps({"requests": self.requests,
                               "max_in_flight": self.max_in_flight,
                               "connections": self.connections,
                               "big_bytes": self.big_bytes}, sort_keys=True)


FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "add")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "linkserver"
    # headers and body go out in two writes: without this, Nagle's algorithm
    # holds the second until the client's delayed ACK, ~40 ms per reused
    # connection
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        with STATS.lock:
            STATS.connections += 1

    def reply(self, status, body=b"ok\n", headers=(), ctype="text/plain"):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def redirect(self, status, location):
        self.reply(status, b"moved\n", [("Location", location)])

    def do_HEAD(self):
        self.serve()

    def do_GET(self):
        self.serve()

    def serve(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/stats":
            with STATS.lock:
                STATS.connections -= 1  # not this request's own
            body = STATS.as_json().encode()
            if "reset" in query:
                STATS.reset()
            return self.reply(200, body)
        n, generation = STATS.begin(self.path)
        try:
            if "delay" in query:
                time.sleep(min(float(query["delay"][0]), 30))
        finally:
            # over before its reply goes out: a client that starts its next
            # request on the reply must not find this one still counted
            STATS.end(generation)
        try:
            self.route(url.path, query)
        finally:
            if n >= STATS.max_requests:
                threading.Timer(0.2, os._exit, [0]).start()

    def route(self, path, query):
        parts = path.strip("/").split("/")
        head = parts[0]
        if path == "/ok":
            self.reply(200)
        elif path == "/":
            self.reply(200, b"<!DOCTYPE html><title>Home</title>", ctype="text/html")
        elif path == "/login":
            self.reply(200, b"<!DOCTYPE html><title>Sign in</title>", ctype="text/html")
        elif head == "bench":
            time.sleep(ARGS.delay)
            self.reply(200)
        elif head == "status" and len(parts) == 2:
            self.reply(int(parts[1]), b"status\n")
        elif head == "redirect" and len(parts) >= 2:
            self.redirect(int(parts[1]), "/" + "/".join(parts[2:]))
        elif path == "/to":
            self.redirect(302, query["url"][0])
        elif head == "loop":
            self.redirect(302, "/loop/b" if path == "/loop/a" else "/loop/a")
        elif head == "many" and len(parts) == 2:
            left = int(parts[1])
            if left > 0:
                self.redirect(302, "/many/%d" % (left - 1))
            else:
                self.reply(200)
        else:
            self.route_odd(path, head, parts)

    def route_odd(self, path, head, parts):
        if path == "/wayback/available":
            self.wayback()
        elif head in ("page", "gh", "pypi", "posts") or path == "/bighead":
            self.route_meta(path, head, parts)
        elif path == "/cookie":
            if "seen=1" in self.headers.get("Cookie", ""):
                self.reply(200)
            else:
                self.reply(302, b"again\n", [("Location", "/cookie"), ("Set-Cookie", "seen=1")])
        elif path == "/ua":
            want = parse_qs(urlsplit(self.path).query).get("want", [""])[0]
            self.reply(200 if self.headers.get("User-Agent", "").startswith(want) else 403)
        elif path == "/get-only":
            self.reply(405 if self.command == "HEAD" else 200)
        elif head in ("retry", "retry503"):
            status = 429 if head == "retry" else 503
            if STATS.first_time(path):
                self.reply(status, b"later\n", [("Retry-After", "1")])
            else:
                self.reply(200)
        elif path == "/always429":
            self.reply(429, b"later\n", [("Retry-After", "1")])
        elif path == "/retry-long":
            self.reply(429, b"later\n", [("Retry-After", "120")])
        elif path == "/reset":
            self.reset()
        elif path == "/empty":
            self.close_connection = True
        elif path in ("/big", "/big-chunked"):
            self.big(path == "/big-chunked")
        elif path == "/slow-body":
            self.slow_body()
        else:
            self.reply(404, b"not found\n")

    def fixture(self, name):
        try:
            with open(os.path.join(FIXTURES, os.path.basename(name)), "rb") as f:
                return f.read()
        except OSError:
            return None

    def route_meta(self, path, head, parts):
        query = parse_qs(urlsplit(self.path).query)
        if "retry" in query and STATS.first_time("retry:" + query["retry"][0]):
            return self.reply(429, b"later\n", [("Retry-After", "1")])
        if path == "/bighead":
            return self.bighead()
        if head == "posts":  # where /page/blog's canonical link points
            return self.reply(200, b"<!DOCTYPE html><title>Profiling async code in FastAPI</title>",
                              ctype="text/html")
        if head == "page" and len(parts) == 2:
            body = self.fixture(parts[1] + ".html")
            ctype = "text/html"
            if body is not None and "encode" in query:
                body = body.decode("utf-8").encode(query["encode"][0])
            if "charset" in query:
                ctype += "; charset=" + query["charset"][0]
            if body is None:
                return self.reply(404, b"<title>Not here</title>", ctype="text/html")
            return self.reply(200, body, ctype=ctype)
        if head == "gh" and len(parts) == 4 and parts[1] == "repos":
            return self.github(parts[3])
        if head == "pypi" and len(parts) == 3 and parts[2] == "json":
            body = self.fixture("pypi-%s.json" % parts[1])
            if body is None:
                return self.reply(404, b'{"message": "Not Found"}', ctype="application/json")
            return self.reply(200, body, ctype="application/json")
        self.reply(404, b"not found\n")

    def wayback(self):
        """An archive service's availability API: a snapshot of every URL
        but those that say never-archived."""
        url = parse_qs(urlsplit(self.path).query).get("url", [""])[0]
        if "never-archived" in url:
            body = {"url": url, "archived_snapshots": {}}
        else:
            body = {"url": url, "archived_snapshots": {"closest": {
                "status": "200", "available": True, "timestamp": "20200102030405",
                "url": "http://archive.example/web/20200102030405/" + url}}}
        self.reply(200, json.dumps(body).encode(), ctype="application/json")

    def github(self, repo):
        if repo == "badjson":
            return self.reply(200, b'{"name": "badjson", "description": ', ctype="application/json")
        if repo in ("limited", "limited-long") and (repo == "limited-long" or STATS.first_time("gh:" + repo)):
            reset = int(time.time()) + (1 if repo == "limited" else 3600)
            return self.reply(403, b'{"message": "API rate limit exceeded"}',
                              [("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", str(reset))],
                              ctype="application/json")
        if repo == "private" and self.headers.get("Authorization") != "Bearer sekrit":
            return self.reply(404, b'{"message": "Not Found"}', ctype="application/json")
        body = self.fixture("gh-%s.json" % repo)
        if body is None:
            return self.reply(404, b'{"message": "Not Found"}', ctype="application/json")
        self.reply(200, body, [("X-RateLimit-Remaining", "59")], ctype="application/json")

    def bighead(self):
        filler = b'<meta name="filler" content="' + b"x" * 1000 + b'">\n'
        count = 10 * 1024
        head = b'<!DOCTYPE html><html lang="en"><head><title>A big head</title>\n'
        tail = b'<meta name="description" content="too far to be read"></head><body><h1>Body</h1></body></html>\n'
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(head) + len(filler) * count + len(tail)))
        self.end_headers()
        self.close_connection = True
        sent = 0
        try:
            self.wfile.write(head)
            for _ in range(count):
                self.wfile.write(filler)
                sent += len(filler)
            self.wfile.write(tail)
        except OSError:
            pass
        with STATS.lock:
            STATS.big_bytes += sent

    def reset(self):
        # close the descriptor itself, before the server's shutdown() sends a FIN
        sock = socket.socket(fileno=self.connection.detach())
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
        self.close_connection = True

    def big(self, chunked):
        self.send_response(200)
        self.send_header("Content-Type", "application/octet-stream")
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(BIG))
        self.end_headers()
        self.close_connection = True
        if self.command == "HEAD":
            return
        data = b"x" * CHUNK
        frame = b"%x\r\n%s\r\n" % (CHUNK, data) if chunked else data
        sent = 0
        try:
            while sent < BIG:
                self.wfile.write(frame)
                sent += CHUNK
        except OSError:
            pass
        with STATS.lock:
            STATS.big_bytes += sent

    def slow_body(self):
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        self.close_connection = True
        try:
            for _ in range(10):
                self.wfile.write(b"x" * 10)
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], OSError):  # clients that hang up are fine
            super().handle_error(request, client_address)


class SharedStats:
    """--fast: the counters of Stats, shared by the worker processes."""

    def __init__(self):
        import multiprocessing as mp
        self.lock = mp.Lock()
        self.v = {k: mp.RawValue("q", 0) for k in (
            "requests", "in_flight", "max_in_flight", "connections", "generation")}

    def add(self, key, n):
        with self.lock:
            self.v[key].value += n

    def begin(self, path):
        with self.lock:
            v = self.v
            v["requests"].value += 1
            v["in_flight"].value += 1
            v["max_in_flight"].value = max(v["max_in_flight"].value, v["in_flight"].value)
            return v["generation"].value

    def end(self, generation):
        with self.lock:
            if generation == self.v["generation"].value:
                self.v["in_flight"].value -= 1

    def as_json(self, reset):
        with self.lock:
            v = self.v
            text = json.dumps({"requests": {"/bench": v["requests"].value},
                               "max_in_flight": v["max_in_flight"].value,
                               "connections": v["connections"].value,
                               "big_bytes": 0}, sort_keys=True)
            if reset:
                for k in ("requests", "in_flight", "max_in_flight", "connections"):
                    v[k].value = 0
                v["generation"].value += 1
            return text


async def fast_handle(reader, writer):
    """--fast: /bench/... (after --delay), /ok and /stats."""
    STATS.add("connections", 1)
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            method, target, version = head.split(b"\r\n", 1)[0].split(b" ", 2)
            keep = version == b"HTTP/1.1" and b"connection: close" not in head.lower()
            path = target.decode("latin-1")
            if path.startswith("/stats"):
                STATS.add("connections", -1)  # not this request's own
                status, body = 200, STATS.as_json("reset" in path).encode()
            else:
                generation = STATS.begin(path)
                if path.startswith("/bench/"):
                    await asyncio.sleep(ARGS.delay)
                STATS.end(generation)
                status, body = (200, b"ok\n") if path.startswith(("/bench/", "/ok")) else (404, b"no\n")
            writer.write(b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
                         b"Connection: %s\r\n\r\n%s" % (
                             status, b"OK" if status == 200 else b"Not Found", len(body),
                             b"keep-alive" if keep else b"close",
                             b"" if method == b"HEAD" else body))
            await writer.drain()
            if not keep:
                break
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError, ValueError):
        pass
    writer.close()


async def fast_worker(socks, parent):
    for s in socks:
        await asyncio.start_server(fast_handle, sock=s, backlog=1024)
    while os.getppid() == parent:  # stop with the parent
        await asyncio.sleep(0.2)


def fast_servers(count, workers=2):
    """Listening sockets shared by forked workers, one asyncio loop each."""
    global STATS
    STATS = SharedStats()
    socks = [socket.create_server(("127.0.0.1", 0), backlog=1024) for _ in range(count)]
    parent = os.getpid()
    for _ in range(workers):
        if os.fork() == 0:
            asyncio.run(fast_worker(socks, parent))
            os._exit(0)
    return [s.getsockname()[1] for s in socks]


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def tls_server(cert, key):
    server = Server(("127.0.0.1", 0), Handler)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
    return start(server)


def main():
    global ARGS, STATS
    p = argparse.ArgumentParser()
    p.add_argument("--ports", type=int, default=1)
    p.add_argument("--delay", type=float, default=0.05)
    p.add_argument("--lifetime", type=float, default=60)
    p.add_argument("--max-requests", type=int, default=20000)
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--fast", action="store_true",
                   help="serve only /bench, /ok and /stats, from two asyncio processes")
    ARGS = p.parse_args()
    STATS = Stats(ARGS.max_requests)
    if ARGS.fast:
        ports = fast_servers(ARGS.ports)
    else:
        ports = [start(Server(("127.0.0.1", 0), Handler)) for _ in range(ARGS.ports)]
    line = "PORTS %s CLOSED %d" % (" ".join(map(str, ports)), closed_port())
    if ARGS.tls:
        line += " TLS %d" % tls_server(*ARGS.tls)
    print(line, flush=True)
    threading.Timer(ARGS.lifetime, os._exit, [0]).start()
    sys.stdin.read()  # until the test closes it
    os._exit(0)


if __name__ == "__main__":
    main()
