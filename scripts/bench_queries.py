#!/usr/bin/env python3
"""Query latency of `cairn search` against `notmuch search`, whole process.

    bench_queries.py --cairn BIN --archive DIR --notmuch-config FILE \
                     --queries bench/queries.txt [--runs 21]

Each query runs --runs times per tool, the two tools alternating, each run a
fresh process (what a user or a script pays). Both print the newest 50 matches:
cairn in its default text format (date, sender, subject, id from the catalog),
notmuch as --output=messages (ids only: less work than cairn's). One warm-up
run of each comes first. Prints a Markdown table: median and p95 in ms and
the match counts (from `cairn count` / `notmuch count`) so a reader can see
the two answer the same question.
"""
import argparse
import os
import statistics
import subprocess
import time


def load_queries(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            label, cairn_q, notmuch_q = line.rstrip("\n").split("\t")
            rows.append((label, cairn_q, notmuch_q))
    return rows


def timed(argv, env):
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode not in (0, 1):  # 1: cairn found nothing
        raise SystemExit(f"{argv[0]} failed ({done.returncode}): {done.stderr.decode()}")
    return elapsed


def count(argv, env):
    out = subprocess.run(argv, env=env, capture_output=True, text=True)
    return out.stdout.strip() or "?"


def p95(samples):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cairn", required=True)
    ap.add_argument("--archive", required=True)
    ap.add_argument("--notmuch-config", required=True)
    ap.add_argument("--queries", required=True)
    ap.add_argument("--runs", type=int, default=21)
    ap.add_argument("--pin", default="0", help="CPU for taskset ('' = no pinning)")
    args = ap.parse_args()

    env = dict(os.environ, NOTMUCH_CONFIG=args.notmuch_config, XAPIAN_CJK_NGRAM="1")
    pin = ["taskset", "-c", args.pin] if args.pin else []
    print("| query | cairn | notmuch | cairn median ms | cairn p95 ms "
          "| notmuch median ms | notmuch p95 ms | median ratio |")
    print("|---|---|---|---|---|---|---|---|")
    worst_p95 = 0.0
    ratios = []
    for label, cq, nq in load_queries(args.queries):
        cairn = pin + [args.cairn, "search", "--archive", args.archive, "--limit", "50", cq]
        notmuch = pin + ["notmuch", "search", "--output=messages", "--limit=50", nq]
        timed(cairn, env)
        timed(notmuch, env)
        c_ms, n_ms = [], []
        for _ in range(args.runs):
            c_ms.append(timed(cairn, env))
            n_ms.append(timed(notmuch, env))
        c_count = count([args.cairn, "count", "--archive", args.archive, cq], env)
        n_count = count(["notmuch", "count", nq], env)
        c_med, n_med = statistics.median(c_ms), statistics.median(n_ms)
        worst_p95 = max(worst_p95, p95(c_ms))
        ratios.append(n_med / c_med)
        print(f"| {label}: `{cq}` | {c_count} | {n_count} | {c_med:.1f} | {p95(c_ms):.1f} "
              f"| {n_med:.1f} | {p95(n_ms):.1f} | {n_med / c_med:.2f}x |")
    print()
    print(f"cairn worst p95: {worst_p95:.1f} ms; notmuch/cairn median ratio: "
          f"geometric mean {statistics.geometric_mean(ratios):.2f}x over {len(ratios)} queries")


if __name__ == "__main__":
    main()
