#!/usr/bin/env python3
"""python_oracle.py FILE... — what Python 3's email package makes of each message.

Prints one JSON object per line (one per FILE, in order) with the shape of
`cairn parse --json` (docs/parse-json.md), computed with
`email.message_from_bytes(data, policy=email.policy.default)`, so the two can be
compared field by field (scripts/compare-python.sh).

Each field is computed on its own: when Python raises on one, that field gets its
empty value and the object gets an "error" entry ("field: Exception: message"), so
one bad header never hides the rest of the message. A file that cannot be read at
all gives {"file": ..., "error": ...}.

Known approximations (the oracle is a second opinion, not a reference):
  * "text" for an HTML-only body is a crude tag strip (script/style dropped, tags
    removed, entities unescaped); cairn's HTML-to-text is expected to differ in
    spacing, so compare it after collapsing white space, and still expect noise.
  * Python decodes text with the charset as labelled (iso-8859-1 stays Latin-1, not
    windows-1252) and does not unwrap format=flowed.
"""
import email
import email.policy
import hashlib
import html
import json
import re
import sys
import email.utils

ADDRESS_FIELDS = ("from", "sender", "reply_to", "to", "cc", "bcc")
MSGID_RE = re.compile(r"<([^<>]*)>")


class Collector:
    """Runs one field computation at a time and records failures instead of raising."""

    def __init__(self):
        self.errors = []

    def run(self, name, fn, default):
        try:
            return fn()
        except Exception as e:  # the oracle must never crash on a message
            self.errors.append(f"{name}: {type(e).__name__}: {e}")
            return default


def mailboxes(msg, field):
    header = msg[field.replace("_", "-")]
    if header is None:
        return []
    out = []
    # .addresses flattens groups: members of every group, plus bare mailboxes.
    for addr in header.addresses:
        name = addr.display_name or None
        out.append({"name": name, "address": addr.addr_spec})
    return out


def fallback_mailboxes(data, field):
    """When the modern parser raises (it does on some groups), ask the compat32 one."""
    old = email.message_from_bytes(data, policy=email.policy.compat32)
    values = [str(v) for v in old.get_all(field.replace("_", "-"), [])]
    return [{"name": name or None, "address": addr}
            for name, addr in email.utils.getaddresses(values) if addr]


def date_of(msg):
    header = msg["date"]
    if header is None:
        return None
    dt = header.datetime
    if dt is None:
        return None
    if dt.tzinfo is None:
        # Python returns a naive datetime for "-0000" (zone unknown, RFC 5322 3.3);
        # cairn writes that as "-00:00", so do the same.
        return dt.isoformat() + "-00:00"
    return dt.isoformat()


def ids_in(value):
    if value is None:
        return []
    ids = [m.strip() for m in MSGID_RE.findall(str(value)) if m.strip()]
    if not ids and str(value).split():
        # no angle brackets at all: take the first token as the id
        ids = [str(value).split()[0]]
    return ids


def first_id(msg, field):
    ids = ids_in(msg[field])
    return ids[0] if ids else None


def part_summary(part, col):
    def payload():
        data = part.get_payload(decode=True)
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        return data or b""

    data = col.run("part.payload", payload, b"")

    def encoding():
        cte = part.get("content-transfer-encoding")
        return str(cte).strip().lower() if cte is not None else None

    return {
        "content_type": col.run("part.content_type", part.get_content_type, "text/plain"),
        "charset": col.run("part.charset", part.get_content_charset, None),
        "encoding": col.run("part.encoding", encoding, None),
        "disposition": col.run("part.disposition", part.get_content_disposition, None),
        "filename": col.run("part.filename", part.get_filename, None),
        "size": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "defects": [type(d).__name__ for d in getattr(part, "defects", [])],
    }


SCRIPT_STYLE_RE = re.compile(r"<(script|style|head|title)\b.*?</\1\s*>", re.I | re.S)
BLOCK_RE = re.compile(r"<(br|/p|/div|/li|/tr|/h[1-6]|p|div|li|tr|h[1-6])\b[^>]*>", re.I)
TAG_RE = re.compile(r"<[^>]*>", re.S)


def crude_html_text(markup):
    """Approximate: drop head/script/style, turn block tags into newlines, strip the rest."""
    markup = SCRIPT_STYLE_RE.sub(" ", markup)
    markup = re.sub(r"<!--.*?-->", " ", markup, flags=re.S)
    markup = BLOCK_RE.sub("\n", markup)
    markup = TAG_RE.sub(" ", markup)
    return html.unescape(markup)


def body_text(msg):
    body = msg.get_body(("plain", "html"))
    if body is None:
        return ""
    content = body.get_content()
    if isinstance(content, bytes):
        content = content.decode("utf-8", "replace")
    if body.get_content_subtype() == "html":
        content = crude_html_text(content)
    return content.replace("\r\n", "\n")


def clean(value):
    """Python keeps undecodable header bytes as lone surrogates (surrogateescape); show
    them as U+FFFD, which is what any UTF-8 reader of the JSON would see."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value


def summarize(path):
    with open(path, "rb") as f:
        data = f.read()
    msg = email.message_from_bytes(data, policy=email.policy.default)
    col = Collector()
    out = {}

    def subject():
        value = msg["subject"]
        return None if value is None else str(value)

    out["subject"] = col.run("subject", subject, None)
    for field in ADDRESS_FIELDS:
        out[field] = col.run(field, lambda f=field: mailboxes(msg, f), None)
        if out[field] is None:
            out[field] = col.run(field + " (fallback)", lambda f=field: fallback_mailboxes(data, f), [])
    out["date"] = col.run("date", lambda: date_of(msg), None)
    out["message_id"] = col.run("message_id", lambda: first_id(msg, "message-id"), None)
    out["in_reply_to"] = col.run("in_reply_to", lambda: first_id(msg, "in-reply-to"), None)
    out["references"] = col.run("references", lambda: ids_in(msg["references"]), [])

    def parts():
        return [part_summary(p, col) for p in msg.walk() if not p.is_multipart()]

    out["parts"] = col.run("parts", parts, [])
    out["text"] = col.run("text", lambda: body_text(msg), "")
    out["defects"] = col.run("defects", lambda: [type(d).__name__ for d in msg.defects], [])
    if col.errors:
        out["error"] = "; ".join(col.errors)
    return clean(out)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write("usage: python_oracle.py FILE...\n")
        return 2
    for path in argv[1:]:
        try:
            obj = summarize(path)
        except Exception as e:  # unreadable file or a parser crash outside any field
            obj = {"file": path, "error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
