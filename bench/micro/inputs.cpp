#include "inputs.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::bench {
namespace {

// xorshift64: fixed seed, so every run benchmarks the same bytes.
struct rng {
    std::uint64_t state = 0x9e3779b97f4a7c15ull;

    std::uint64_t next() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    }
};

std::string base64_encode_lines(std::string_view data) {
    static constexpr char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve(data.size() * 4 / 3 + data.size() / 25);
    std::size_t column = 0;
    for (std::size_t i = 0; i < data.size(); i += 3) {
        const std::size_t n = std::min<std::size_t>(3, data.size() - i);
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 3; ++k) {
            v = (v << 8) | (k < n ? static_cast<unsigned char>(data[i + k]) : 0u);
        }
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += n > 1 ? alphabet[(v >> 6) & 63] : '=';
        out += n > 2 ? alphabet[v & 63] : '=';
        column += 4;
        if (column == 76) {
            out += "\r\n";
            column = 0;
        }
    }
    out += "\r\n";
    return out;
}

std::string qp_encode_lines(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    std::size_t column = 0;
    for (char c : text) {
        const auto b = static_cast<unsigned char>(c);
        if (c == '\n') {
            out += "\r\n";
            column = 0;
            continue;
        }
        const bool literal = b >= 33 && b <= 126 && c != '=';
        const std::size_t width = literal || c == ' ' ? 1 : 3;
        if (column + width > 75) {
            out += "=\r\n"; // soft line break, RFC 2045 §6.7 rule 5
            column = 0;
        }
        if (literal || c == ' ') {
            out += c;
        } else {
            out += '=';
            out += hex[b >> 4];
            out += hex[b & 15];
        }
        column += width;
    }
    return out;
}

// Latin-1 prose: ASCII words with accented letters (bytes 0xC0-0xFF) mixed in.
std::string make_latin1(std::size_t size) {
    static constexpr std::string_view words[] = {"Gr\xfc\xdf"
                                                 "e",
                                                 "M\xfcnchen",
                                                 "caf\xe9",
                                                 "r\xe9sum\xe9",
                                                 "na\xefve",
                                                 "\xe0 bient\xf4t",
                                                 "Stra\xdf"
                                                 "e",
                                                 "the",
                                                 "message",
                                                 "archive",
                                                 "fa\xe7"
                                                 "ade",
                                                 "\xc9t\xe9",
                                                 "Z\xfcrich",
                                                 "pr\xeate",
                                                 "und",
                                                 "Mail",
                                                 "d\xe9j\xe0",
                                                 "boundary",
                                                 "K\xf6ln",
                                                 "voil\xe0"};
    rng r;
    std::string out;
    std::size_t line = 0;
    while (out.size() < size) {
        const std::string_view w = words[r.next() % std::size(words)];
        out += w;
        line += w.size() + 1;
        if (line > 70) {
            out += '\n';
            line = 0;
        } else {
            out += ' ';
        }
    }
    return out;
}

// Shift_JIS: hiragana are 0x82 0x9F..0xF1, katakana 0x83 0x40..0x96 (no 0x7F);
// ideographic full stop is 0x81 0x42. ASCII spaces and newlines break it up.
std::string make_shift_jis(std::size_t size) {
    rng r;
    std::string out;
    std::size_t line = 0;
    while (out.size() < size) {
        const std::uint64_t x = r.next();
        if (x % 3 == 0) {
            out += '\x83';
            unsigned trail = 0x40 + static_cast<unsigned>((x >> 8) % 0x57);
            if (trail == 0x7f) {
                trail = 0x80;
            }
            out += static_cast<char>(trail);
        } else {
            out += '\x82';
            out += static_cast<char>(0x9f + static_cast<unsigned>((x >> 8) % 0x53));
        }
        line += 2;
        if (x % 17 == 0) {
            out += "\x81\x42";
        }
        if (line > 60) {
            out += '\n';
            line = 0;
        }
    }
    return out;
}

std::string ascii_only(std::string text) {
    for (char& c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) {
            c = 'e';
        }
    }
    return text;
}

const std::string header_block =
    "Return-Path: <list-bounces+jane=example.org@lists.example.com>\r\n"
    "Delivered-To: jane@example.org\r\n"
    "Received: from mx2.example.org (mx2.example.org [192.0.2.25])\r\n"
    "\tby mail.example.org (Postfix) with ESMTPS id 4QWxyz1234\r\n"
    "\tfor <jane@example.org>; Mon, 15 Jan 2024 10:38:12 +0100 (CET)\r\n"
    "Received: from lists.example.com (lists.example.com [198.51.100.7])\r\n"
    "\tby mx2.example.org (Postfix) with ESMTP id 9A8B7C6D5E\r\n"
    "\tfor <jane@example.org>; Mon, 15 Jan 2024 10:38:10 +0100 (CET)\r\n"
    "Received: from [203.0.113.9] (helo=laptop.example.net)\r\n"
    "\tby lists.example.com with esmtpsa (TLS1.3) tls TLS_AES_256_GCM_SHA384\r\n"
    "\t(Exim 4.96) (envelope-from <bob@example.net>) id 1rPq2x-0004Zk-1F;\r\n"
    "\tMon, 15 Jan 2024 09:38:05 +0000\r\n"
    "ARC-Seal: i=1; a=rsa-sha256; t=1705311490; cv=none; d=example.com; s=arc-2024;\r\n"
    "\tb=kR2vQd7lXJx0mC8aPp0yTnBqvGm1dQ5f0hN3sWcY8uV4rZ6eK9iL2oJ7tA1bC3dE5fG7hI9jK\r\n"
    "\t 1lM3nO5pQ7rS9tU1vW3xY5zA7bC9dE1fG3hI5jK7lM9nO1pQ3rS5tU7vW9xY1zA3bC5dE7fG9==\r\n"
    "ARC-Authentication-Results: i=1; mx2.example.org; dkim=pass header.d=example.net;\r\n"
    "\tspf=pass smtp.mailfrom=example.net; dmarc=pass header.from=example.net\r\n"
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.net; s=s2024;\r\n"
    "\tt=1705311485; h=from:to:cc:subject:date:message-id:in-reply-to:references:\r\n"
    "\t mime-version:content-type; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
    "\tb=Vq8yWm3kXb7Lr2Pd0Hs5Jt9Nf1Gc4Ke6Ma8Ob0Qd2Sf4Uh6Wj8Yl0An2Cp4Er6Gt8Iv0Kx2Mz4Ob6\r\n"
    "\t Qd8Sf0Uh2Wj4Yl6An8Cp0Er2Gt4Iv6Kx8Mz0Ob2Qd4Sf6Uh8Wj0Yl2An4Cp6Er8Gt0Iv2Kx4Mz6Ob8\r\n"
    "\t Qd0Sf2Uh4Wj6Yl8An0Cp2Er4Gt6Iv8Kx0Mz2Ob4Qd6Sf8Uh0Wj2Yl4An6Cp8Er0Gt2Iv4Kx6Mz8=\r\n"
    "From: =?utf-8?q?Bj=C3=B6rn_M=C3=BCller?= <bjorn@example.net>\r\n"
    "To: Jane Doe <jane@example.org>, \"Smith, John\" <john.smith@example.org>,\r\n"
    " =?iso-8859-1?q?Fran=E7ois?= <francois@example.fr>, dev-list@lists.example.com\r\n"
    "Cc: ops@example.org, \"Team Lead\" <lead@example.org>\r\n"
    "Subject: =?utf-8?b?UmU6IFtkZXZdIE3DvG5jaGVuIG9mZnNpdGU6IGFnZW5kYSBmb3IgdGhl?=\r\n"
    " =?utf-8?b?IG5leHQgbWVldGluZw==?=\r\n"
    "Date: Mon, 15 Jan 2024 10:38:02 +0100\r\n"
    "Message-ID: <20240115093802.GA12345@laptop.example.net>\r\n"
    "In-Reply-To: <CAF=abc123def456@mail.example.com>\r\n"
    "References: <CAF=aaa111@mail.example.com> <CAF=bbb222@mail.example.com>\r\n"
    " <CAF=ccc333@mail.example.com> <CAF=abc123def456@mail.example.com>\r\n"
    "MIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8; format=flowed\r\n"
    "Content-Transfer-Encoding: 8bit\r\n"
    "List-Id: Developers <dev.lists.example.com>\r\n"
    "List-Unsubscribe: <mailto:dev-leave@lists.example.com>,\r\n"
    " <https://lists.example.com/mailman/options/dev>\r\n"
    "List-Post: <mailto:dev@lists.example.com>\r\n"
    "List-Archive: <https://lists.example.com/archives/dev>\r\n"
    "Precedence: list\r\n"
    "X-Mailer: Mutt 2.2.9\r\n";

std::string multipart_alternative() {
    std::string text = make_latin1(3000);
    return header_block.substr(0, header_block.find("Content-Type:")) +
           "Content-Type: multipart/alternative; boundary=\"=_alt_b1\"\r\n\r\n"
           "This is a multi-part message in MIME format.\r\n"
           "--=_alt_b1\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
           "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
           qp_encode_lines(text) +
           "\r\n--=_alt_b1\r\nContent-Type: text/html; charset=iso-8859-1\r\n"
           "Content-Transfer-Encoding: quoted-printable\r\n\r\n" +
           qp_encode_lines("<html><body><p>" + text + "</p></body></html>") +
           "\r\n--=_alt_b1--\r\n";
}

std::string multipart_mixed() {
    rng r;
    std::string pdf = "%PDF-1.7\n";
    while (pdf.size() < 60000) {
        pdf += static_cast<char>(r.next());
    }
    return "From: a@example.org\r\nTo: b@example.org\r\nSubject: report\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"mix-42\"\r\n\r\n"
           "--mix-42\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           "Hello,\r\nthe report is attached.\r\n\r\n"
           "--mix-42\r\nContent-Type: application/pdf; name=\"report.pdf\"\r\n"
           "Content-Disposition: attachment; filename=\"report.pdf\"\r\n"
           "Content-Transfer-Encoding: base64\r\n\r\n" +
           base64_encode_lines(pdf) + "--mix-42--\r\n";
}

std::string forward() {
    return "From: c@example.org\r\nTo: d@example.org\r\nSubject: Fwd: report\r\n"
           "MIME-Version: 1.0\r\n"
           "Content-Type: multipart/mixed; boundary=\"fwd-1\"\r\n\r\n"
           "--fwd-1\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n\r\n"
           "--fwd-1\r\nContent-Type: message/rfc822\r\n\r\n" +
           multipart_mixed() + "\r\n--fwd-1--\r\n";
}

} // namespace

const std::string& base64_body() {
    static const std::string body = [] {
        rng r;
        std::string raw(768 * 1024, '\0');
        for (char& c : raw) {
            c = static_cast<char>(r.next() >> 24);
        }
        return base64_encode_lines(raw);
    }();
    return body;
}

const std::string& qp_body() {
    static const std::string body = qp_encode_lines(make_latin1(640 * 1024));
    return body;
}

const std::string& latin1_text() {
    static const std::string text = make_latin1(256 * 1024);
    return text;
}

const std::string& shift_jis_text() {
    static const std::string text = make_shift_jis(256 * 1024);
    return text;
}

const std::string& header_only_message() {
    static const std::string message = header_block + "\r\n";
    return message;
}

const std::vector<std::string>& sample_messages() {
    static const std::vector<std::string> messages = {
        header_block + "\r\n" + ascii_only(make_latin1(2000)), multipart_alternative(),
        multipart_mixed(), forward()};
    return messages;
}

} // namespace cairn::bench
