"""swaks (the Swiss Army Knife for SMTP) delivers to the real `cairn serve`
binary over SMTP (plain, pipelined, STARTTLS with certificate verification)
and LMTP (unix socket); the archive gives the bytes back exactly."""

import os
import re
import subprocess

import interop


def message(tag, word):
    return interop.message("swaks@example.com", "swaks-" + tag, word,
                           ".A dot-started line (swaks stuffs it, cairn must unstuff it).\r\n")


class SwaksTest(interop.ServerTestCase):
    def swaks(self, raw, *args):
        """Runs swaks with `raw` as the DATA; returns its transcript. swaks
        exits non-zero when any step of the transaction fails."""
        path = os.path.join(self.server.dir, "message.eml")
        with open(path, "wb") as f:
            # swaks sends its DATA followed by CRLF "." CRLF: leave the last
            # CRLF to it, so what it sends is exactly `raw`.
            f.write(raw[:-2])
        done = subprocess.run(
            ["swaks", "--from", "swaks@example.com", "--ehlo", "client.interop.test",
             "--data", "@" + path, "--timeout", str(int(interop.DEADLINE))] + list(args),
            capture_output=True, timeout=2 * interop.DEADLINE)
        transcript = done.stdout.decode("utf-8", "replace") + done.stderr.decode("utf-8", "replace")
        self.assertEqual(done.returncode, 0, transcript)
        return transcript

    def test_smtp_two_recipients(self):
        raw = message("smtp", "narwhal")
        out = self.swaks(raw, "--server", "127.0.0.1:%d" % self.server.smtp_port,
                         "--to", "bob@interop.test,carol@interop.test")
        self.assertRegex(out, r"<-  220 cairn\.interop\.test")
        self.assertEqual(len(re.findall(r"<-  250 2\.1\.5", out)), 2, out)
        self.assertRegex(out, r"<-  250 2\.0\.0 Ok: queued as")
        self.assert_stored_exactly("narwhal", raw)

    def test_smtp_pipelined(self):
        raw = message("pipeline", "quetzal")
        out = self.swaks(raw, "--server", "127.0.0.1:%d" % self.server.smtp_port,
                         "--to", "bob@interop.test", "--pipeline")
        self.assertRegex(out, r"<-  250 2\.0\.0 Ok: queued as")
        self.assert_stored_exactly("quetzal", raw)

    def test_smtp_refused_recipient_stops_the_transaction(self):
        raw = message("refused", "wolverine")
        path = os.path.join(self.server.dir, "message.eml")
        with open(path, "wb") as f:
            f.write(raw)
        done = subprocess.run(
            ["swaks", "--server", "127.0.0.1:%d" % self.server.smtp_port,
             "--to", "nobody@elsewhere.example", "--data", "@" + path],
            capture_output=True, timeout=2 * interop.DEADLINE)
        out = done.stdout.decode("utf-8", "replace")
        self.assertNotEqual(done.returncode, 0, out)
        self.assertRegex(out, r"<\*\* 550 5\.1\.1")
        self.assertNotIn("-> DATA", out)  # swaks gives up: no recipient was accepted
        self.assertEqual(self.server.log_lines(), [])  # nothing was archived

    def test_smtp_starttls_verified(self):
        raw = message("starttls", "ocelot")
        # The test certificate is self-signed for CN=localhost: swaks checks
        # the chain against it as the only CA (a wrong CA fails the run).
        out = self.swaks(raw, "--server", "localhost:%d" % self.server.smtp_port, "-4",
                         "--to", "bob@interop.test", "--tls", "--tls-verify",
                         "--tls-ca-path", interop.TLS_CERT)
        self.assertIn("STARTTLS", out)
        self.assertRegex(out, r"TLS started with cipher")
        self.assertRegex(out, r"~> MAIL FROM")  # the transaction went over TLS
        self.assertRegex(out, r"<~  250 2\.0\.0 Ok: queued as")
        self.assert_stored_exactly("ocelot", raw)
        self.assertTrue(any(" tls " in l for l in self.server.log_lines()))

    def test_lmtp_unix_socket_reply_per_recipient(self):
        raw = message("lmtp", "tapir")
        out = self.swaks(raw, "--socket", self.server.socket, "--protocol", "LMTP",
                         "--to", "bob@interop.test,dave@interop.test")
        self.assertIn("LHLO client.interop.test", out)
        self.assertEqual(len(re.findall(r"<-  250 2\.0\.0 Ok: queued as", out)), 2, out)
        self.assert_stored_exactly("tapir", raw)


if __name__ == "__main__":
    interop.main([interop.tool("swaks")])
