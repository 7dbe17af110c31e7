"""Shared helpers for the interoperability tests: a `cairn serve` under test,
the tools a test needs, and polling with generous deadlines (never fixed
sleeps as synchronisation: CI is a loaded 2-core machine).

Each test script is run by ctest as `python3 SCRIPT /path/to/cairn`.
"""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest

SOURCE_DIR = os.environ.get(
    "CAIRN_SOURCE_DIR", os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
)
TLS_CERT = os.path.join(SOURCE_DIR, "tests", "data", "tls", "cert.pem")
TLS_KEY = os.path.join(SOURCE_DIR, "tests", "data", "tls", "key.pem")
DEADLINE = 60.0  # seconds for anything that should take well under one
SKIP_EXIT = 77  # ctest SKIP_RETURN_CODE

CAIRN = None  # the binary, from argv[1]


def main(requirements):
    """Runs the unittest module. `requirements` is a list of (what, ok)
    pairs; a missing one fails the run with a clear message, unless
    CAIRN_SKIP_INTEROP=1 is set (developers without Postfix or swaks), which
    skips it (exit 77)."""
    global CAIRN
    if len(sys.argv) < 2 or not os.access(sys.argv[1], os.X_OK):
        sys.exit("usage: %s /path/to/cairn [unittest args]" % sys.argv[0])
    CAIRN = os.path.abspath(sys.argv[1])
    missing = [what for what, ok in requirements if not ok]
    if missing:
        message = "interop: missing " + ", ".join(missing)
        if os.environ.get("CAIRN_SKIP_INTEROP") == "1":
            print(message + " (skipped: CAIRN_SKIP_INTEROP=1)")
            sys.exit(SKIP_EXIT)
        sys.exit(message + " (install with scripts/install-deps, or set CAIRN_SKIP_INTEROP=1)")
    unittest.main(argv=[sys.argv[0]] + sys.argv[2:], verbosity=2)


def tool(name):
    """('tool NAME', found) for main()'s requirements."""
    return ("tool " + name, shutil.which(name) is not None)


def poll(what, check, deadline=DEADLINE, interval=0.05):
    """Calls check() until it returns something truthy; fails after `deadline`."""
    end = time.monotonic() + deadline
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > end:
            raise AssertionError("timed out after %.0f s waiting for %s" % (deadline, what))
        time.sleep(interval)
        interval = min(interval * 2, 0.5)


def free_port():
    """A loopback port that was free a moment ago (for programs that cannot
    take port 0 and report it, such as Postfix's master)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CairnServer:
    """`cairn serve` on a fresh archive in a temporary folder, with an SMTP
    listener on a free loopback port and an LMTP unix socket."""

    def __init__(self, *extra, lmtp_tcp=False):
        self.dir = tempfile.mkdtemp(prefix="cairn-interop-")
        os.chmod(self.dir, 0o755)  # Postfix's lmtp client (user postfix) must reach the socket
        self.archive = os.path.join(self.dir, "archive")
        self.socket = os.path.join(self.dir, "lmtp.sock")
        self.log = os.path.join(self.dir, "serve.log")
        self.run("init", self.archive, archive=False)
        args = [CAIRN, "serve", "--archive", self.archive, "--smtp", "127.0.0.1:0",
                "--lmtp", "unix:" + self.socket, "--hostname", "cairn.interop.test",
                "--log", self.log]
        if lmtp_tcp:
            args += ["--lmtp", "127.0.0.1:0"]
        args += list(extra)
        self.proc = subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL)
        self.stderr = []
        ready = threading.Event()
        self.smtp_port = None
        self.lmtp_port = None
        expected = 3 if lmtp_tcp else 2

        def drain():
            for raw in self.proc.stderr:
                line = raw.decode("utf-8", "replace").rstrip("\n")
                self.stderr.append(line)
                if line.startswith("listening smtp 127.0.0.1:"):
                    self.smtp_port = int(line.rsplit(":", 1)[1])
                elif line.startswith("listening lmtp 127.0.0.1:"):
                    self.lmtp_port = int(line.rsplit(":", 1)[1])
                if sum(1 for l in self.stderr if l.startswith("listening ")) >= expected:
                    ready.set()
            ready.set()  # exited early: the check below reports it

        self.drainer = threading.Thread(target=drain, daemon=True)
        self.drainer.start()
        if not ready.wait(DEADLINE) or self.proc.poll() is not None:
            self.stop()
            raise AssertionError("cairn serve did not start: " + "\n".join(self.stderr))

    def run(self, *args, archive=True, check=True):
        """Runs a cairn command on the archive; returns the CompletedProcess."""
        cmd = [CAIRN] + list(args[:1])
        if archive:
            cmd += ["--archive", self.archive]
        cmd += list(args[1:])
        done = subprocess.run(cmd, capture_output=True, timeout=DEADLINE)
        if check and done.returncode not in (0, 1):  # 1: nothing matched
            raise AssertionError("%s failed (%d): %s" % (cmd, done.returncode, done.stderr))
        return done

    def count(self, query=""):
        done = self.run("count", query)
        return int(done.stdout.decode().strip() or "0")

    def ids(self, query):
        done = self.run("search", query, "--format", "ids", "--limit", "0")
        return [int(x) for x in done.stdout.decode().split()]

    def wait_for(self, query, n=1, deadline=DEADLINE):
        """Polls `cairn search` until `query` has n matches; returns their ids."""
        return poll("%d match(es) of %r in the archive" % (n, query),
                    lambda: (lambda ids: ids if len(ids) == n else None)(self.ids(query)),
                    deadline)

    def raw(self, message_id):
        return self.run("show", str(message_id), "--raw").stdout

    def log_lines(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as f:
                return f.read().splitlines()
        except FileNotFoundError:
            return []

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(DEADLINE)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.drainer.join(5)
        self.proc.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def message(sender, tag, word, extra=""):
    """A small ASCII message with CRLF line ends, found by searching `word`."""
    return (
        "From: %s\r\n"
        "To: bob@interop.test\r\n"
        "Subject: %s\r\n"
        "Message-ID: <%s@interop.test>\r\n"
        "\r\n"
        "The search word is %s.\r\n%s" % (sender, tag, tag, word, extra)
    ).encode("ascii")


class ServerTestCase(unittest.TestCase):
    """A fresh `cairn serve` per test accepting @interop.test, with STARTTLS
    on the test certificate; it must exit 0 on SIGTERM."""

    def setUp(self):
        self.server = CairnServer("--accept-domain", "interop.test", "--tls-cert", TLS_CERT,
                                  "--tls-key", TLS_KEY)

    def tearDown(self):
        self.assertEqual(self.server.stop(), 0, "\n".join(self.server.stderr))

    def assert_stored_exactly(self, query, raw):
        """Waits until `query` finds one message; its stored bytes are `raw`."""
        [message_id] = self.server.wait_for(query)
        self.assertEqual(self.server.raw(message_id), raw)
        return message_id
