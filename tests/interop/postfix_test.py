"""Postfix delivers to the real `cairn serve` binary over LMTP.

The test starts a private Postfix instance (its own config, queue and data
directories under a temporary folder; the system instance and /etc/postfix
are never touched): smtpd on a free loopback port, two test domains routed by
a transport map to cairn's LMTP unix socket and to its LMTP TCP listener.
Mail submitted to that Postfix over SMTP must arrive in the archive with
Postfix's Received header on top of the submitted bytes, and Postfix must log
it status=sent. Needs root (Postfix's master) and the `postfix` user that the
Debian package creates."""

import os
import pwd
import re
import shutil
import smtplib
import subprocess
import tempfile
import unittest

import interop

SBIN = "/usr/sbin:/usr/lib/postfix/sbin:" + os.environ.get("PATH", "")

# A minimal master.cf: no chroot (the queue is a temporary folder without the
# files a chroot needs), smtpd on one loopback port, postlogd for maillog_file.
MASTER_CF = """\
127.0.0.1:{port} inet n - n - - smtpd
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n - 0 cleanup
qmgr       unix  n - n 300 1 qmgr
rewrite    unix  - - n - - trivial-rewrite
bounce     unix  - - n - 0 bounce
defer      unix  - - n - 0 bounce
trace      unix  - - n - 0 bounce
verify     unix  - - n - 1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n - - proxymap
proxywrite unix  - - n - 1 proxymap
smtp       unix  - - n - - smtp
relay      unix  - - n - - smtp
showq      unix  n - n - - showq
error      unix  - - n - - error
retry      unix  - - n - - error
discard    unix  - - n - - discard
lmtp       unix  - - n - - lmtp
anvil      unix  - - n - 1 anvil
scache     unix  - - n - 1 scache
postlog    unix-dgram n - n - 1 postlogd
"""


def have_postfix_user():
    try:
        pwd.getpwnam("postfix")
        return True
    except KeyError:
        return False


class PostfixInstance:
    """A private Postfix: `postfix -c DIR/etc start`, stopped by stop()."""

    def __init__(self, transports):
        self.dir = tempfile.mkdtemp(prefix="cairn-postfix-")
        os.chmod(self.dir, 0o755)  # the postfix user must reach its queue
        self.etc = os.path.join(self.dir, "etc")
        self.queue = os.path.join(self.dir, "queue")
        self.maillog = os.path.join(self.dir, "maillog")
        self.port = interop.free_port()
        os.mkdir(self.etc)
        os.mkdir(self.queue)  # root-owned, as `postfix check` wants; post-install fills it
        with open(os.path.join(self.etc, "master.cf"), "w") as f:
            f.write(MASTER_CF.format(port=self.port))
        with open(os.path.join(self.etc, "transport"), "w") as f:
            f.writelines("%s %s\n" % item for item in transports.items())
        settings = {
            "compatibility_level": "3.6",
            "queue_directory": self.queue,
            # Created by `postfix start` (post-install create-missing) owned
            # by mail_owner; a pre-made root-owned one makes master fail.
            "data_directory": os.path.join(self.dir, "data"),
            "mail_owner": "postfix",
            "setgid_group": "postdrop",
            "myhostname": "mx.interop.test",
            "mydomain": "interop.test",
            "myorigin": "$myhostname",
            "mydestination": ", ".join(transports),
            "inet_interfaces": "127.0.0.1",
            "inet_protocols": "ipv4",
            "mynetworks": "127.0.0.0/8",
            "local_recipient_maps": "",  # any user of the test domains
            "alias_maps": "",
            "alias_database": "",
            "transport_maps": "texthash:" + os.path.join(self.etc, "transport"),
            "maillog_file": self.maillog,
            "maillog_file_prefixes": self.dir,
            "smtputf8_enable": "yes",
            "biff": "no",
        }
        with open(os.path.join(self.etc, "main.cf"), "w") as f:
            f.writelines("%s = %s\n" % kv for kv in settings.items())
        started = self.postfix("start")
        if started.returncode != 0:
            log = self.log()
            self.stop()
            raise AssertionError("postfix start failed: %s\n%s" % (started.stdout, log))

    def run(self, *args):
        return subprocess.run(list(args), capture_output=True, text=True,
                              env=dict(os.environ, PATH=SBIN), timeout=2 * interop.DEADLINE)

    def postfix(self, command):
        done = self.run("postfix", "-c", self.etc, command)
        done.stdout += done.stderr
        return done

    def log(self):
        try:
            with open(self.maillog, encoding="utf-8", errors="replace") as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def master_pid(self):
        try:
            with open(os.path.join(self.queue, "pid", "master.pid")) as f:
                return int(f.read().split()[0])
        except (FileNotFoundError, ValueError, IndexError):
            return None

    def stop(self):
        pid = self.master_pid()
        self.postfix("stop")
        if pid is not None:
            def gone():
                try:
                    os.kill(pid, 0)
                    return False
                except ProcessLookupError:
                    return True
            interop.poll("Postfix master %d to exit" % pid, gone)
        shutil.rmtree(self.dir, ignore_errors=True)


class PostfixTest(unittest.TestCase):
    def setUp(self):
        self.cairn = interop.CairnServer("--accept-domain", "unix.interop.test",
                                         "--accept-domain", "inet.interop.test", lmtp_tcp=True)
        self.addCleanup(self.cairn.stop)
        # Postfix's lmtp client runs as the postfix user: it must be able to
        # write to the socket (in production: run cairn as a user in a group
        # Postfix shares, or put the socket where Postfix can reach it).
        os.chmod(self.cairn.socket, 0o666)
        self.postfix = PostfixInstance({
            "unix.interop.test": "lmtp:unix:" + self.cairn.socket,
            "inet.interop.test": "lmtp:inet:127.0.0.1:%d" % self.cairn.lmtp_port,
        })
        self.addCleanup(self.postfix.stop)

    def wait_for_postfix(self, queue_id, recipients):
        """Polls Postfix's log until every recipient of `queue_id` is
        status=sent; fails at once on deferred or bounced."""
        def delivered():
            log = self.postfix.log()
            lines = [l for l in log.splitlines() if queue_id + ": to=<" in l]
            failed = [l for l in lines if "status=sent" not in l]
            if failed:
                raise AssertionError("Postfix did not deliver:\n" + log)
            sent = {re.search(r"to=<([^>]*)>", l).group(1) for l in lines}
            return sent == set(recipients) and lines
        try:
            return interop.poll("Postfix to log status=sent for " + queue_id, delivered)
        except AssertionError as e:
            raise AssertionError("%s\n--- maillog:\n%s" % (e, self.postfix.log())) from None

    def test_postfix_delivers_over_lmtp_unix_socket_and_tcp(self):
        raw = (
            "From: Alice <alice@example.com>\r\n"
            "To: bob@unix.interop.test, carol@inet.interop.test\r\n"
            "Subject: Postfix to cairn over LMTP\r\n"
            "Date: Wed, 01 May 2024 10:00:00 +0000\r\n"
            "Message-ID: <postfix-lmtp@interop.test>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n"
            "\r\n"
            "Relayed by Postfix, the word is wallaby. Grüße!\r\n"
        ).encode("utf-8")
        recipients = ["bob@unix.interop.test", "carol@inet.interop.test"]
        with smtplib.SMTP("127.0.0.1", self.postfix.port, timeout=interop.DEADLINE) as c:
            c.ehlo("client.interop.test")
            self.assertEqual(c.mail("alice@example.com", ["BODY=8BITMIME"])[0], 250)
            for r in recipients:
                self.assertEqual(c.rcpt(r)[0], 250)
            code, text = c.data(raw)
            self.assertEqual(code, 250, text)
        queue_id = re.search(rb"queued as ([0-9A-Za-z]+)", text).group(1).decode()

        lines = self.wait_for_postfix(queue_id, recipients)
        # One delivery through each transport, each answered by cairn.
        self.assertTrue(any("[" + self.cairn.socket + "]" in l for l in lines),
                        lines)
        self.assertTrue(any("relay=127.0.0.1[127.0.0.1]:%d" % self.cairn.lmtp_port in l
                            for l in lines), lines)
        self.assertTrue(all("Ok: queued as" in l for l in lines), lines)

        # Both deliveries carry the same bytes: stored once, two sources.
        [message_id] = self.cairn.wait_for("wallaby", deadline=2 * interop.DEADLINE)
        stored = self.cairn.raw(message_id)
        self.assertTrue(stored.endswith(raw), stored)
        added = stored[:-len(raw)].decode("ascii")
        self.assertRegex(added, r"^Received: from client\.interop\.test \([^\[\]]* ?\[127\.0\.0\.1\]\)"
                                r"\r\n\tby mx\.interop\.test \(Postfix\) with E?SMTP id " + queue_id)
        self.assertNotIn("\n", added.replace("\r\n", ""))  # CRLF line ends only
        archived = [l for l in self.cairn.log_lines() if "result=250" in l]
        self.assertEqual(len(archived), 2, archived)
        self.assertEqual(self.cairn.count("subject:postfix"), 1)


if __name__ == "__main__":
    interop.main([
        ("tool postfix", shutil.which("postfix", path=SBIN) is not None),
        ("the postfix user (Debian's postfix package creates it)", have_postfix_user()),
        ("root (Postfix's master must start as root)", os.geteuid() == 0),
    ])
