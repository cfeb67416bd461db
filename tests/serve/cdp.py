"""cdp.py - headless chromium driven through its DevTools protocol, with
Debian's python3-websocket: start it with a fresh profile, open pages,
evaluate script in them, wait for events. For the tests and the benchmark
of `weekly serve`."""
import json
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-port=0"]


def find_chromium():
    for name in ("chromium", "chromium-browser"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def unavailable():
    """Why the browser cannot run here, or None."""
    if not find_chromium():
        return "chromium is not installed (apt-get install chromium)"
    try:
        import websocket  # noqa: F401
    except ImportError:
        return "python3-websocket is not installed"
    return None


class Browser:
    def __init__(self, width=1280, height=800):
        import websocket
        self.profile = tempfile.mkdtemp(prefix="weekly-chromium.")
        self.proc = subprocess.Popen([find_chromium(), *FLAGS, f"--user-data-dir={self.profile}",
                                      f"--window-size={width},{height}", "about:blank"],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True)
        hostport, deadline = None, time.time() + 30
        while time.time() < deadline and not hostport:
            line = self.proc.stderr.readline()
            if not line:
                break
            m = re.search(r"DevTools listening on ws://([^/]+)/", line)
            hostport = m and m.group(1)
        if not hostport:
            self.close()
            raise RuntimeError("chromium did not open its DevTools port")
        self.ws = websocket.create_connection(self._page(hostport), timeout=30,
                                              suppress_origin=True)
        self.last_id, self.events, self.errors = 0, [], []
        for domain in ("Page", "Runtime", "Network"):
            self.call(f"{domain}.enable")

    def _page(self, hostport):
        for _ in range(100):
            with urllib.request.urlopen(f"http://{hostport}/json/list", timeout=10) as r:
                pages = [t for t in json.load(r) if t.get("type") == "page"]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.1)
        raise RuntimeError("chromium has no page")

    def _receive(self, timeout):
        import websocket
        self.ws.settimeout(max(timeout, 0.001))
        try:
            msg = json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            return None
        msg["at"] = time.time()
        if "method" in msg:
            self.events.append(msg)
            if msg["method"] == "Runtime.exceptionThrown":
                d = msg["params"]["exceptionDetails"]
                self.errors.append(d.get("exception", {}).get("description") or d.get("text"))
        return msg

    def call(self, method, **params):
        self.last_id += 1
        mine = self.last_id
        self.ws.send(json.dumps({"id": mine, "method": method, "params": params}))
        deadline = time.time() + 30
        while time.time() < deadline:
            msg = self._receive(deadline - time.time())
            if msg and msg.get("id") == mine:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error'].get('message')}")
                return msg.get("result", {})
        raise RuntimeError(f"{method}: no answer")

    def event(self, method, seconds=10, where=lambda p: True):
        """The first event method (whose params satisfy where) not taken
        yet, waiting up to seconds; None if none came."""
        deadline = time.time() + seconds
        while True:
            for i, e in enumerate(self.events):
                if e["method"] == method and where(e["params"]):
                    del self.events[i]
                    return e
            if time.time() > deadline:
                return None
            self._receive(deadline - time.time())

    def forget_events(self):
        while self._receive(0.001):
            pass
        self.events = []

    def open(self, url, seconds=15):
        self.forget_events()
        self.call("Page.navigate", url=url)
        return self.event("Page.loadEventFired", seconds) is not None

    def eval(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True,
                      awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression[:60]}: {r['exceptionDetails'].get('text')}")
        return r["result"].get("value")

    def until(self, expression, seconds=10):
        """Evaluate expression until it is true (or seconds pass); its last value."""
        deadline = time.time() + seconds
        while True:
            try:
                value = self.eval(expression)
            except RuntimeError:  # the page is being replaced
                value = None
            if value or time.time() > deadline:
                return value
            time.sleep(0.02)

    def close(self):
        if getattr(self, "ws", None):
            self.ws.close()
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)
