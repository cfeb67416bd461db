#!/usr/bin/env python3
"""server_test.py - `weekly serve` as an HTTP server, on 127.0.0.1: only
files under the output folder (no "..", encoded or not, no hidden files, no
symbolic link out), content types, Cache-Control, HEAD and conditional
requests, 100 clients at once, clients that go away, saves as editors make
them (one build each), and a clean stop that ends the event streams.
Every wait is bounded; the servers are stopped here."""
import http.client
import json
import os
import shutil
import subprocess
import re
import signal
import socket
import sys
import threading
import time
from serving import Server, check, read, scratch, skip, write

SECRET = "not-to-be-served-4f2a"


def get(port, path, method="GET", headers=None, timeout=10):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request(method, path, headers=headers or {})
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, {k.lower(): v for k, v in r.getheaders()}, body


def raw(port, target):
    """The request line sent as it is (no client tidies the path)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return int(data.split(b" ", 2)[1]), data


class Stream:
    """An event stream of page, read on its own thread."""

    def __init__(self, port, page):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.sock.sendall(f"GET /_weekly/events?page={page} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        self.data, self.closed = b"", threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            while chunk := self.sock.recv(65536):
                self.data += chunk
        except OSError:
            pass
        self.closed.set()

    def wait_for(self, text, seconds=10):
        deadline = time.time() + seconds
        while text.encode() not in self.data and time.time() < deadline:
            time.sleep(0.01)
        return text.encode() in self.data

    def close(self):
        """As a browser whose tab closes: the connection ends."""
        self.sock.shutdown(socket.SHUT_RDWR)
        self.sock.close()


def test_files(srv, folder):
    out = os.path.join(folder, "build")
    status, h, body = get(srv.port, "/")
    check("/ is index.html, as HTML", status == 200 and h.get("content-type") == "text/html; charset=utf-8",
          f"{status} {h.get('content-type')}")
    check("pages get the live script, with their ETag, before </body>",
          len(re.findall(rb'<script src="/_weekly/live.js" data-etag="&quot;[0-9a-f-]+&quot;"></script>\n</body>', body)) == 1
          and h.get("etag") and h["etag"].encode().replace(b'"', b"&quot;") in body)
    check("Cache-Control: no-cache", h.get("cache-control") == "no-cache", h.get("cache-control"))
    with open(os.path.join(out, "pixel.png"), "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n")
    with open(os.path.join(out, "data.bin"), "wb") as f:
        f.write(b"\0\1")
    want = {"/015.html": "text/html; charset=utf-8", "/015.md": "text/markdown; charset=utf-8",
            "/feed.xml": "application/xml; charset=utf-8", "/pixel.png": "image/png",
            "/data.bin": "application/octet-stream",
            "/_weekly/live.js": "text/javascript; charset=utf-8"}
    got = {p: get(srv.port, p)[1].get("content-type") for p in want}
    check("content types by extension", got == want, got)
    status, h, body = get(srv.port, "/015.md")
    check("a Markdown output as it is on disk", status == 200 and body == open(os.path.join(out, "015.md"), "rb").read())
    check("nosniff", h.get("x-content-type-options") == "nosniff")
    status, _, body = get(srv.port, "/016.html")
    check("a missing page is 404 and still live", status == 404 and b"/_weekly/live.js" in body, status)
    status, h, _ = get(srv.port, "/015.html", method="POST")
    check("POST is 405 with Allow", status == 405 and h.get("allow") == "GET, HEAD", status)
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    c.request("PUT", "/015.html", body=b"x" * 100000)
    check("PUT with a body is 405", c.getresponse().status == 405)
    c.close()
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    got = []
    for path in ("/015.html", "/015.md", "/feed.xml"):
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        got.append((r.status, r.getheader("Connection")))
    c.close()
    check("connections are kept alive", got == [(200, None)] * 3, got)


def test_traversal(srv, folder):
    with open(os.path.join(folder, "secret.txt"), "w") as f:
        f.write(SECRET)
    out = os.path.join(folder, "build")
    os.makedirs(os.path.join(out, "sub"), exist_ok=True)
    os.symlink(os.path.join(folder, "secret.txt"), os.path.join(out, "out-abs.txt"))
    os.symlink("../secret.txt", os.path.join(out, "out-rel.txt"))
    os.symlink("..", os.path.join(out, "sub", "up"))
    os.symlink("015.md", os.path.join(out, "inside.md"))
    targets = ["/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/..%2fsecret.txt",
               "/sub/../../secret.txt", "/sub/%2e%2e/%2e%2e/secret.txt", "//../secret.txt",
               "/.%2e/secret.txt", "/out-abs.txt", "/out-rel.txt", "/sub/up/secret.txt",
               "/sub/up/issues/015.md", "/.weekly-state", "/%2eweekly-state", "/..\\secret.txt"]
    leaks = []
    for t in targets:
        status, data = raw(srv.port, t)
        if status == 200 or SECRET.encode() in data or b"number: 15" in data:
            leaks.append(f"{t} -> {status}")
    check(f"{len(targets)} ways out of the output folder refused", not leaks, "; ".join(leaks))
    status, _ = raw(srv.port, "/out-abs.txt")
    check("a link out is 403", status == 403, status)
    status, _ = raw(srv.port, "/%2e%2e/secret.txt")
    check("an encoded .. is 403", status == 403, status)
    status, data = raw(srv.port, "/inside.md")
    check("a link that stays inside is served", status == 200 and data.endswith(open(os.path.join(out, "015.md"), "rb").read()), status)
    status, data = raw(srv.port, "/sub")
    check("a folder without its / is redirected", status == 301 and b"Location: /sub/\r\n" in data, status)
    os.makedirs(os.path.join(out, "a b\r\nX-Evil: 1"), exist_ok=True)
    status, data = raw(srv.port, "/a%20b%0D%0AX-Evil:%201")
    check("...with its name encoded", status == 301 and
          b"Location: /a%20b%0D%0AX-Evil:%201/\r\n" in data and b"\r\nX-Evil" not in data, data[:200])
    with open(os.path.join(out, "caf\u00e9.html"), "w") as f:
        f.write("<html><body>caf\u00e9</body></html>")
    status, data = raw(srv.port, "/caf%C3%A9.html")
    check("a page named in UTF-8", status == 200 and "café".encode() in data, status)


def test_conditional(srv, folder):
    status, h, body = get(srv.port, "/015.html")
    status2, h2, body2 = get(srv.port, "/015.html", method="HEAD")
    check("HEAD: the headers of GET, no body",
          status2 == 200 and body2 == b"" and h2.get("content-length") == str(len(body))
          and h2.get("etag") == h.get("etag") and h2.get("content-type") == h.get("content-type"),
          f"{status2} {h2.get('content-length')} vs {len(body)}")
    etag, modified = h.get("etag"), h.get("last-modified")
    status, h3, body3 = get(srv.port, "/015.html", headers={"If-None-Match": etag})
    check("If-None-Match with the ETag: 304, no body", status == 304 and body3 == b"" and h3.get("etag") == etag, status)
    status, _, _ = get(srv.port, "/015.html", headers={"If-None-Match": '"other"'})
    check("If-None-Match with another ETag: 200", status == 200, status)
    status, _, _ = get(srv.port, "/015.html", headers={"If-Modified-Since": modified})
    check("If-Modified-Since its Last-Modified: 304", status == 304, status)
    status, _, _ = get(srv.port, "/015.html", headers={"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"})
    check("If-Modified-Since long ago: 200", status == 200, status)
    write(folder, "issues/015.md", read(folder, "issues/015.md") + "\nA new last line.\n")
    srv.builds()
    status, h4, _ = get(srv.port, "/015.html", headers={"If-None-Match": etag})
    check("after a rebuild the old ETag gets 200", status == 200 and h4.get("etag") != etag, status)


def test_stale_page(srv, folder):
    etag = get(srv.port, "/015.html")[1]["etag"]
    quoted = etag.replace('"', "%22")
    cases = [("the page as it is", f"/015.html&etag={quoted}", "event: state"),
             ("a page changed before its stream opened", "/015.html&etag=%22old%22", "event: reload"),
             ("a page built since it was 'not found'", "/015.html&etag=", "event: reload"),
             ("a page still not there", "/016.html&etag=", "event: state")]
    for name, query, want in cases:
        s = Stream(srv.port, query)
        s.wait_for("event: ")
        first = re.search(rb"event: \w+", s.data)
        check(f"stream of {name}: {want}", first and first.group().decode() == want, s.data[-120:])
        s.close()


def test_many(srv, folder):
    streams = [Stream(srv.port, "/015.html") for _ in range(100)]
    ok = all(s.wait_for("event: state") for s in streams)
    check("100 event streams open at once, each told its state", ok)
    results = []

    def fetch():
        try:
            results.append(get(srv.port, "/015.html")[0])
        except OSError as e:
            results.append(str(e))
    threads = [threading.Thread(target=fetch) for _ in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    check("100 more clients fetch the page meanwhile", results.count(200) == 100,
          f"{results.count(200)} of 100")
    text = read(folder, "issues/015.md")
    write(folder, "issues/015.md", text + "\nOne more line of the last item.\n")
    srv.builds()
    got = sum(s.wait_for("event: reload", 10) for s in streams)
    check("a save reloads all 100 open pages", got == 100, f"{got} of 100")
    before = srv.threads()
    for s in streams:
        s.close()
    deadline = time.time() + 5
    while srv.threads() > before - 100 and time.time() < deadline:
        time.sleep(0.05)
    check("streams whose browsers went away end within a second or so",
          srv.threads() <= before - 100, f"{srv.threads()} threads, {before} before")
    status, _, _ = get(srv.port, "/015.html")
    check("and the server still answers", status == 200)
    for _ in range(20):  # gone in the middle of a response
        with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
            s.sendall(b"GET /015.html HTTP/1.1\r\nHost: x\r\n\r\n")
            s.recv(10)
    check("clients gone in the middle of a page cost nothing", get(srv.port, "/")[0] == 200)


def test_saves(srv, folder):
    issue = os.path.join(folder, "issues", "015.md")
    text = read(folder, "issues/015.md")

    def vim_save(new):   # vim's backupcopy=no: the file renamed away, written, the backup gone
        probe = os.path.join(folder, "issues", "4913")
        open(probe, "w").close()
        os.unlink(probe)
        os.rename(issue, issue + "~")
        write(folder, "issues/015.md", new)
        os.unlink(issue + "~")
        write(folder, "issues/.015.md.swp", "swap")

    vim_save(text.replace("15", "15", 1) + "\nSaved as vim saves.\n")
    first = srv.builds()
    check("a save as vim makes it builds", first is not None and "issues/015.md" in first, first)
    check("...once", srv.quiet_builds(0.6) == [])
    tmp = os.path.join(folder, "issues", ".015.md.tmp123")
    with open(tmp, "w") as f:
        f.write(text + "\nSaved by a rename.\n")
    os.rename(tmp, issue)
    line = srv.builds()
    check("an atomic rename builds once", line is not None and srv.quiet_builds(0.6) == [], line)
    check("only what the issue touches is written: its pages and the feed that carries it",
          line is not None and line.endswith("(015.html 015.md feed.xml feed.json)"), line)
    editors = [("sed -i", ["sed", "-i", "s/Saved by a rename./Saved by sed./", issue], "Saved by sed."),
               ("vim", ["vim", "-u", "NONE", "-i", "NONE", "-N", "-n", "-es", "-c",
                        "%s/Saved by sed./Saved by vim./", "-c", "wq", issue], "Saved by vim.")]
    last_good = "Saved by a rename."
    for name, cmd, said in editors:
        if not shutil.which(cmd[0]):
            skip(f"a save by {name} builds once", f"{cmd[0]} is not installed")
            continue
        subprocess.run(cmd, timeout=30, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        line = srv.builds()
        check(f"a save by {name} builds once", line is not None and srv.quiet_builds(0.6) == []
              and said.encode() in get(srv.port, "/015.html")[2], line)
        last_good = said
    write(folder, "issues/.015.md.swp", "more swap")
    write(folder, "issues/015.md~", "backup")
    write(folder, "issues/notes.txt", "notes")
    check("editors' own files build nothing", srv.quiet_builds(0.6) == [])
    write(folder, "issues/015.md", text[: len(text) // 3])
    line = srv.builds()
    check("a half-written issue is built (and fails) without harm", line is not None, line)
    check("the last good page stays", last_good.encode() in get(srv.port, "/015.html")[2])
    write(folder, "issues/015.md", text.replace("number: 15", "number: 15\ndraft: true", 1))
    srv.builds()
    hint = srv.next_line(5)
    check("a saved draft, not built without --drafts, says so",
          hint == "issues/015.md is a draft: weekly serve --drafts builds drafts too", hint)
    write(folder, "issues/015.md", text)
    srv.builds()
    os.unlink(issue)
    line = srv.builds()
    check("a deleted issue builds once", line is not None and "issues/015.md" in line
          and srv.quiet_builds(0.6) == [], line)
    write(folder, "issues/015.md", text)
    srv.builds()
    tmpl = os.path.join(folder, "templates", "issue.md.mustache")
    with open(tmpl, "a") as f:
        f.write("Edited.\n")
    line = srv.builds()
    check("a changed template rebuilds its format's outputs only",
          line is not None and re.search(r" templates: 2 outputs written in \d+ ms \(002.md 015.md\)$", line),
          line)
    odd = "issues/016-\x1b]0;x\x07.md"   # a file name that would retitle a terminal
    write(folder, odd, text.replace("number: 15", "number: 16", 1))
    line = srv.builds()
    check("a file name's control characters are escaped in the log",
          line is not None and " issues/016-\\x1b]0;x\\x07.md: " in line and "\x1b" not in line, line)
    os.unlink(os.path.join(folder, odd))
    srv.builds()


def last_state(stream, seconds=10, where=lambda s: True):
    """The newest state the stream was told that satisfies where."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        states = re.findall(rb"event: state\ndata: (.*)\n\n", stream.data)
        if states and where(json.loads(states[-1])):
            return json.loads(states[-1])
        time.sleep(0.02)
    return None


def test_newsletter_errors(srv, folder):
    stream = Stream(srv.port, "/015.html")
    tmpl, settings = "templates/issue.html.mustache", "issues/newsletter.yaml"
    good_tmpl, good_settings = read(folder, tmpl), read(folder, settings)
    n = good_tmpl.count("\n")
    write(folder, tmpl, good_tmpl + "{{#unclosed}}\n")
    srv.builds()
    st = last_state(stream, where=lambda s: s["all"] is not None)
    diags = st and st["all"]["diagnostics"]
    check("a template's error is told to the pages, once",
          diags and len(diags) == 1 and diags[0]["file"] == tmpl and diags[0]["line"] == n + 1
          and diags[0]["column"] == 1 and diags[0]["severity"] == "error"
          and diags[0]["rule"] == "template" and diags[0]["source"] == "{{#unclosed}}"
          and "unclosed" in diags[0]["message"], diags)
    write(folder, tmpl, good_tmpl)
    srv.builds()
    check("and forgotten once fixed", last_state(stream, where=lambda s: s["all"] is None) is not None)
    write(folder, settings, good_settings + "sections: []\n")
    srv.builds()
    st = last_state(stream, where=lambda s: s["all"] is not None)
    diags = st and st["all"]["diagnostics"]
    check("broken settings are told to the pages",
          diags and diags[0]["file"] == settings and diags[0]["line"] == good_settings.count("\n") + 1,
          diags)
    write(folder, settings, good_settings)
    srv.builds()
    check("until fixed", last_state(stream, where=lambda s: s["all"] is None) is not None)
    stream.close()


def test_listen(folder):
    srv = Server(folder)
    try:
        with open("/proc/net/tcp") as f:
            rows = [l.split() for l in f.read().splitlines()[1:]]
        mine = [r[1] for r in rows if r[3] == "0A" and int(r[1].split(":")[1], 16) == srv.port]
        check("listens on 127.0.0.1 only by default", mine == ["0100007F:%04X" % srv.port], mine)
        check("says the URL", srv.url == f"http://127.0.0.1:{srv.port}/", srv.url)
        taken = Server.__new__(Server)
        import subprocess
        from serving import WEEKLY
        r = subprocess.run([WEEKLY, "serve", "--port", str(srv.port)], cwd=folder, timeout=30,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        check("a port in use: exit 3 and why", r.returncode == 3 and
              f"cannot listen on 127.0.0.1 port {srv.port}: Address already in use" in r.stderr,
              f"{r.returncode} {r.stderr.strip()[-200:]}")
        del taken
    finally:
        srv.stop()
    if socket.has_ipv6:
        try:
            srv = Server(folder, "--bind", "::1")
            check("--bind ::1", srv.url.startswith("http://[::1]:") and
                  get_v6(srv.port) == 200, srv.url)
            srv.stop()
        except (RuntimeError, OSError) as e:
            check("--bind ::1", "Cannot assign" in str(e) or "not available" in str(e), e)


def get_v6(port):
    c = http.client.HTTPConnection("::1", port, timeout=10)
    c.request("GET", "/")
    return c.getresponse().status


def test_stop(folder, sig):
    srv = Server(folder)
    streams = [Stream(srv.port, "/015.html") for _ in range(5)]
    for s in streams:
        s.wait_for("event: state")
    t0 = time.time()
    srv.signal(sig)
    try:
        rc = srv.proc.wait(10)
    except Exception:
        rc = None
    took = time.time() - t0
    name = signal.Signals(sig).name
    check(f"{name}: exits 0 within 2 s", rc == 0 and took < 2, f"exit {rc} after {took:.2f} s")
    check(f"{name}: each open stream is told 'bye' and closed",
          all(s.closed.wait(2) and b"event: bye" in s.data for s in streams))
    srv.stop()


def main():
    folder = scratch()
    try:
        srv = Server(folder)
        try:
            check("builds what is stale at start", srv.log[0].startswith("built: 17 outputs written"), srv.log[:1])
            test_files(srv, folder)
            test_traversal(srv, folder)
            test_conditional(srv, folder)
            test_stale_page(srv, folder)
            test_many(srv, folder)
            test_saves(srv, folder)
            test_newsletter_errors(srv, folder)
            check("no thread left behind by 200 clients", srv.threads() < 10, srv.threads())
        finally:
            rc = srv.stop()
        check("SIGTERM stops it with status 0", rc == 0, rc)
        test_listen(folder)
        test_stop(folder, signal.SIGINT)
        test_stop(folder, signal.SIGTERM)
    finally:
        import shutil
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if __import__("serving").failures else 0


if __name__ == "__main__":
    sys.exit(main())
