"""Python's smtplib (an independent SMTP/LMTP client) delivers to the real
`cairn serve` binary over SMTP (TCP, STARTTLS) and LMTP (unix socket); the
archive gives the bytes back exactly and finds them by full-text search."""

import os
import smtplib
import ssl

import interop

# CRLF line ends, raw 8-bit UTF-8 in a header and the body (RFC 6531/6152),
# and lines starting with "." that the client must dot-stuff and the server
# un-stuff (RFC 5321 §4.5.2).
MESSAGE_8BIT = (
    "From: Jörg Müller <jörg@bücher.example>\r\n"
    "To: Zoë <zoe@interop.test>, bob@interop.test\r\n"
    "Subject: Grüße aus Köln — smtplib interop\r\n"
    "Message-ID: <smtplib-8bit@interop.test>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "\r\n"
    "Schöne Grüße, the word is capybara.\r\n"
    ".a line that starts with a dot\r\n"
    "..and one with two\r\n"
    "日本語のテキスト\r\n"
).encode("utf-8")


def plain_message(tag, word):
    return interop.message("alice@example.com", tag, word)


class SmtplibTest(interop.ServerTestCase):
    def test_smtp_8bit_utf8_to_several_recipients(self):
        with smtplib.SMTP("127.0.0.1", self.server.smtp_port, timeout=interop.DEADLINE) as c:
            code, _ = c.ehlo("client.interop.test")
            self.assertEqual(code, 250)
            for extension in ("smtputf8", "8bitmime", "pipelining", "size", "starttls",
                              "enhancedstatuscodes"):
                self.assertTrue(c.has_extn(extension), extension)
            c.command_encoding = "utf-8"  # SMTPUTF8: UTF-8 addresses in commands
            self.assertEqual(c.mail("jörg@bücher.example", ["SMTPUTF8", "BODY=8BITMIME"])[0], 250)
            self.assertEqual(c.rcpt("zoë@interop.test")[0], 250)
            self.assertEqual(c.rcpt("bob@interop.test")[0], 250)
            code, text = c.rcpt("carol@elsewhere.example")  # not an accepted domain
            self.assertEqual(code, 550, text)
            self.assertTrue(text.startswith(b"5.1.1"), text)
            code, text = c.data(MESSAGE_8BIT)
            self.assertEqual(code, 250, text)
            self.assertIn(b"queued as", text)
        self.assert_stored_exactly("capybara", MESSAGE_8BIT)
        # The UTF-8 subject is searchable as words too.
        self.server.wait_for("subject:köln")
        [line] = [l for l in self.server.log_lines() if "result=250" in l]
        self.assertIn("rcpt=2", line)
        self.assertIn("from=<jörg@bücher.example>", line)

    def test_smtp_sendmail_after_starttls(self):
        # The test certificate is self-signed for CN=localhost: verified
        # against itself as the only CA, and the name smtplib checks is the
        # host it connected to.
        context = ssl.create_default_context(cafile=interop.TLS_CERT)
        with smtplib.SMTP("localhost", self.server.smtp_port, timeout=interop.DEADLINE) as c:
            c.ehlo("client.interop.test")
            code, _ = c.starttls(context=context)
            self.assertEqual(code, 220)
            c.ehlo("client.interop.test")
            self.assertFalse(c.has_extn("starttls"))  # not offered twice (RFC 3207 §4.2)
            refused = c.sendmail("alice@example.com", ["bob@interop.test", "dave@interop.test"],
                                 plain_message("smtplib-tls", "okapi"))
            self.assertEqual(refused, {})
        self.assert_stored_exactly("okapi", plain_message("smtplib-tls", "okapi"))
        self.assertTrue(any(" tls " in l and "result=250" in l for l in self.server.log_lines()))

    def test_several_messages_in_one_session(self):
        words = ["aardvark", "bonobo", "chinchilla"]
        with smtplib.SMTP("127.0.0.1", self.server.smtp_port, timeout=interop.DEADLINE) as c:
            for word in words:
                self.assertEqual(c.sendmail("alice@example.com", ["bob@interop.test"],
                                            plain_message("many-" + word, word)), {})
                c.rset()
        for word in words:
            self.assert_stored_exactly(word, plain_message("many-" + word, word))
        self.assertEqual(self.server.count(), 3)

    def test_lmtp_over_unix_socket_one_reply_per_recipient(self):
        raw = plain_message("smtplib-lmtp", "pangolin")
        with smtplib.LMTP(self.server.socket, timeout=interop.DEADLINE) as c:
            code, _ = c.ehlo("client.interop.test")  # smtplib sends LHLO
            self.assertEqual(code, 250)
            self.assertTrue(c.has_extn("pipelining"))
            # smtplib.LMTP.sendmail reads only the first of the per-recipient
            # replies (RFC 2033 §4.2), so drive the transaction by hand.
            self.assertEqual(c.mail("alice@example.com")[0], 250)
            self.assertEqual(c.rcpt("bob@interop.test")[0], 250)
            self.assertEqual(c.rcpt("erin@interop.test")[0], 250)
            self.assertEqual(c.rcpt("mallory@elsewhere.example")[0], 550)
            c.putcmd("data")
            self.assertEqual(c.getreply()[0], 354)
            c.send(raw + b".\r\n")
            for _ in range(2):  # one reply per accepted recipient
                code, text = c.getreply()
                self.assertEqual(code, 250, text)
            self.assertEqual(c.noop()[0], 250)  # and nothing more in between
        self.assert_stored_exactly("pangolin", raw)
        self.assertTrue(os.path.exists(self.server.socket))


if __name__ == "__main__":
    interop.main([])
