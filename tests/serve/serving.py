"""serving.py - what the tests of `weekly serve` share: a scratch newsletter
(the example's settings, templates and issues), a server started on a free
port of 127.0.0.1 and always stopped, its log read as it comes, and
PASS/FAIL/SKIP lines for tests/serve.sh to count."""
import os
import queue
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WEEKLY = os.environ.get("WEEKLY") or os.path.join(ROOT, "weekly")
failures = 0


def check(name, good, detail=""):
    global failures
    if good:
        print(f"PASS {name}", flush=True)
    else:
        failures += 1
        print(f"FAIL {name}{': ' + str(detail) if detail else ''}", flush=True)
    return good


def skip(name, why):
    print(f"SKIP {name}: {why}", flush=True)


def scratch(issues=("002.md", "015.md")):
    """A newsletter in a fresh folder: the example's settings and templates."""
    d = tempfile.mkdtemp(prefix="weekly-serve.")
    shutil.copytree(os.path.join(ROOT, "templates"), os.path.join(d, "templates"))
    os.mkdir(os.path.join(d, "issues"))
    for name in ("newsletter.yaml",) + tuple(issues):
        shutil.copy(os.path.join(ROOT, "issues", name), os.path.join(d, "issues", name))
    return d


class Server:
    """weekly serve in folder, on a free port; the URL it says it serves."""

    def __init__(self, folder, *args, timeout=60):
        self.folder = folder
        self.proc = subprocess.Popen([WEEKLY, "serve", "--port", "0", *args], cwd=folder,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True)
        self.lines = queue.Queue()
        self.log = []
        self.errors = []
        threading.Thread(target=self._read, args=(self.proc.stdout, self.lines), daemon=True).start()
        threading.Thread(target=self._read, args=(self.proc.stderr, None), daemon=True).start()
        self.url = None
        line = self.next_line(timeout)
        while line is not None and not line.startswith("serving "):
            line = self.next_line(timeout)
        if line is None:
            self.stop()
            raise RuntimeError("weekly serve did not say where it serves: "
                               + " | ".join(self.log + self.errors)[-400:])
        self.url = re.match(r"serving (\S+)", line).group(1)
        self.port = int(re.search(r":(\d+)/$", self.url).group(1))

    def _read(self, stream, into):
        for line in stream:
            line = line.rstrip("\n")
            (self.log if into is not None else self.errors).append(line)
            if into is not None:
                into.put(line)
        if into is not None:
            into.put(None)

    def next_line(self, timeout=10):
        """The server's next line of standard output (None: over or timed out)."""
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            return None

    def builds(self, timeout=10):
        """The next log line of a build after a save."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = self.next_line(deadline - time.time())
            if line is None:
                return None
            if re.search(r": \d+ outputs? written in \d+ ms( \(.*\))?$", line):
                return line
        return None

    def quiet_builds(self, seconds):
        """Build lines that come within seconds (expected: none)."""
        got, deadline = [], time.time() + seconds
        while time.time() < deadline:
            line = self.next_line(max(deadline - time.time(), 0.01))
            if line and " written in " in line:
                got.append(line)
        return got

    def threads(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            return int(re.search(r"^Threads:\s+(\d+)", f.read(), re.M).group(1))

    def signal(self, sig=signal.SIGINT):
        self.proc.send_signal(sig)

    def stop(self, timeout=10):
        """Stop it (SIGTERM, then SIGKILL); its exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return self.proc.returncode


def write(folder, path, text):
    """Save as an editor that writes in place does."""
    with open(os.path.join(folder, path), "w", encoding="utf-8") as f:
        f.write(text)


def read(folder, path):
    with open(os.path.join(folder, path), encoding="utf-8") as f:
        return f.read()
