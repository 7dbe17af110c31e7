#!/usr/bin/env python3
"""compare_python.py [options] DIR|FILE... — cairn vs Python's email package, field by field.

For every message file under the given folders, runs `cairn parse --json FILE` and the
Python oracle (scripts/python_oracle.py, imported) and counts, per field, how often the
two agree. Prints a table `field  agree/total  pct`, then every disagreement with both
values shortened, so each can be investigated. scripts/compare-python.sh is the wrapper.

Comparison rules (what "agree" means):
  subject, message_id, in_reply_to  equal strings (null only equals null)
  from, to, cc                      equal lists of (name, address); address compared
                                    case-insensitively, empty name == null
  date                              the same instant: both parsed with
                                    datetime.fromisoformat and compared as UTC
                                    timestamps ("-00:00" reads as "+00:00"); null == null
  references                        equal lists
  parts                             equal count of leaf parts
  part.*                            content_type, charset (case-insensitive), encoding,
                                    disposition, filename, size, sha256 — compared part
                                    by part, only for messages whose part counts agree
  text                              equal after collapsing all white space (the oracle's
                                    HTML text is a crude tag strip: expect noise there)
"""
import argparse
import datetime
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import python_oracle  # noqa: E402

SKIP_NAMES = {"COPYING", "README", ".gitkeep", "SOURCE.md", "MANIFEST.json", "MANIFEST.sha256"}
SKIP_EXTS = (".md", ".json", ".py", ".sha256", ".sh")
TOP_FIELDS = ["subject", "from", "to", "cc", "date", "message_id", "in_reply_to", "references",
              "parts", "text"]
PART_FIELDS = ["content_type", "charset", "encoding", "disposition", "filename", "size",
               "sha256"]


def message_files(paths):
    for root in paths:
        if os.path.isfile(root):
            yield root
            continue
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                if name in SKIP_NAMES or name.endswith(SKIP_EXTS):
                    continue
                yield os.path.join(folder, name)


def run_cairn(cairn, path, timeout):
    try:
        proc = subprocess.run([cairn, "parse", "--json", path], capture_output=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timeout after {timeout}s"
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return None, f"exit {proc.returncode}: {err[-1] if err else ''}"
    try:
        return json.loads(proc.stdout.decode("utf-8", "replace")), None
    except json.JSONDecodeError as e:
        return None, f"invalid JSON: {e}"


def norm_boxes(boxes):
    return [((b.get("name") or None), (b.get("address") or "").lower()) for b in boxes or []]


def instant(value):
    if value is None:
        return None
    try:
        dt = datetime.datetime.fromisoformat(value.replace("-00:00", "+00:00"))
    except ValueError:
        return ("unparseable", value)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


def collapse(text):
    return " ".join((text or "").split())


def lower_or_none(value):
    return value.lower() if isinstance(value, str) else value


NORMALIZE = {
    "from": norm_boxes, "to": norm_boxes, "cc": norm_boxes,
    "date": instant,
    "text": collapse,
    "parts": lambda parts: len(parts or []),
    "part.charset": lower_or_none,
    "part.content_type": lower_or_none,
}


def same(field, a, b):
    fn = NORMALIZE.get(field, lambda v: v)
    return fn(a) == fn(b)


def short(value, width):
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def compare(files, cairn, timeout):
    stats = {f: [0, 0] for f in TOP_FIELDS + ["part." + p for p in PART_FIELDS]}
    disagreements = []  # (file, field, cairn value, python value)
    failures = []  # (file, side, error)
    for path in files:
        mine, err = run_cairn(cairn, path, timeout)
        if err:
            failures.append((path, "cairn", err))
            continue
        try:
            theirs = python_oracle.summarize(path)
        except Exception as e:  # summarize guards every field; this is file-level
            failures.append((path, "python", f"{type(e).__name__}: {e}"))
            continue
        if "error" in theirs:
            failures.append((path, "python (field, kept)", theirs["error"]))
        for field in TOP_FIELDS:
            a, b = mine.get(field), theirs.get(field)
            stats[field][1] += 1
            if same(field, a, b):
                stats[field][0] += 1
            else:
                if field == "parts":
                    a, b = len(a or []), len(b or [])
                disagreements.append((path, field, a, b))
        mparts, tparts = mine.get("parts") or [], theirs.get("parts") or []
        if len(mparts) != len(tparts):
            continue
        for i, (mp, tp) in enumerate(zip(mparts, tparts)):
            for pf in PART_FIELDS:
                key = "part." + pf
                stats[key][1] += 1
                if same(key, mp.get(pf), tp.get(pf)):
                    stats[key][0] += 1
                else:
                    disagreements.append((path, f"part[{i}].{pf}", mp.get(pf), tp.get(pf)))
    return stats, disagreements, failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="+", help="folders (searched recursively) or files")
    ap.add_argument("--cairn", default=os.environ.get("CAIRN", "build/cli/cairn"))
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--width", type=int, default=100, help="shorten values to this width")
    ap.add_argument("--limit", type=int, default=0, help="list at most N disagreements (0: all)")
    ap.add_argument("--json", metavar="FILE", help="also write every disagreement, unshortened")
    args = ap.parse_args()

    files = list(message_files(args.paths))
    if not files:
        sys.exit("compare_python: no message files under " + " ".join(args.paths))
    if not os.access(args.cairn, os.X_OK):
        sys.exit(f"compare_python: cairn binary not found at {args.cairn} (set $CAIRN)")
    stats, disagreements, failures = compare(files, args.cairn, args.timeout)

    print(f"files: {len(files)}   cairn: {args.cairn}")
    print(f"{'field':<18} {'agree/total':>13} {'pct':>7}")
    for field, (agree, total) in stats.items():
        pct = f"{100.0 * agree / total:6.1f}%" if total else "     -"
        print(f"{field:<18} {f'{agree}/{total}':>13} {pct:>7}")

    if failures:
        print(f"\nfailures ({len(failures)}):")
        for path, side, err in failures:
            print(f"  {path}  [{side}]  {err[:args.width * 2]}")
    print(f"\ndisagreements ({len(disagreements)}):")
    shown = disagreements[: args.limit] if args.limit else disagreements
    for path, field, a, b in shown:
        print(f"  {path}  {field}")
        print(f"      cairn:  {short(a, args.width)}")
        print(f"      python: {short(b, args.width)}")
    if len(shown) < len(disagreements):
        print(f"  … {len(disagreements) - len(shown)} more (use --limit 0)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump([{"file": p, "field": fl, "cairn": a, "python": b}
                       for p, fl, a, b in disagreements], f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
