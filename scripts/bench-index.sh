#!/usr/bin/env bash
# Indexing speed, archive size and query latency: `cairn index` against
# `notmuch new`, and `cairn search` against `notmuch search`, in one run.
#
#     scripts/bench-index.sh                 # both corpora, 3 alternating rounds
#     RUNS=5 CORPORA=5k QUERY_RUNS=21 scripts/bench-index.sh
#     (BUILD_DIR overrides build-bench; WORK overrides /tmp/cairn-bench-work)
#
# 1. Generates the synthetic corpora if absent (scripts/bench-lib.sh) and builds
#    `cairn` in Release.
# 2. Per corpus, RUNS rounds alternating notmuch and cairn, each on a fresh
#    database and pinned to CPU 0 (taskset -c 0; cairn with --threads 1), under
#    /usr/bin/time -v: messages per second (wall) and peak RSS. notmuch runs
#    with XAPIAN_CJK_NGRAM=1 so it does the CJK n-gram work cairn does, and its
#    database lives outside the mail (database.path apart from mail_root).
#    Each round also runs cairn on every core (no taskset, default threads):
#    notmuch new is single-threaded, cairn parses and writes its two index
#    shards in parallel, and both ratios are printed.
# 3. Sizes: notmuch's whole database folder against cairn's catalog.db (with
#    its WAL) plus index/ — the same job; cairn's store/ (the compressed raw
#    copy notmuch does not keep) is reported apart.
# 4. Query latency: the 20 queries of bench/queries.txt through
#    scripts/bench_queries.py (whole process, alternating, median and p95).
#
# Needs notmuch (apt-get install notmuch) and GNU time.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-bench}
runs=${RUNS:-3}
query_runs=${QUERY_RUNS:-21}
corpora=${CORPORA:-"5k 50k"}
work=${WORK:-/tmp/cairn-bench-work}
# shellcheck source=scripts/bench-lib.sh
source "$root/scripts/bench-lib.sh"
command -v notmuch >/dev/null || { echo "notmuch is missing: apt-get install -y notmuch" >&2; exit 2; }
# shellcheck disable=SC2086 # a list of names
ensure_corpora $corpora

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target cairn >/dev/null
cairn=$build/cli/cairn
export XAPIAN_CJK_NGRAM=1

bytes_of() { du -sb "$@" | awk '{ s += $1 } END { print s }'; }

# index_notmuch CORPUS TAG / index_cairn CORPUS TAG pinned|all: one fresh,
# timed indexing run; the database stays in $work/TAG for the size and the
# queries; time -v output in $work/TAG.time.
index_notmuch() {
    rm -rf "${work:?}/$2" && mkdir -p "$work/$2/db"
    printf '[database]\npath=%s\nmail_root=%s\n[new]\ntags=inbox\n[search]\nexclude_tags=\n' \
        "$work/$2/db" "$1" >"$work/$2/config"
    NOTMUCH_CONFIG=$work/$2/config /usr/bin/time -v -o "$work/$2.time" \
        taskset -c 0 notmuch new --quiet >/dev/null
}
index_cairn() { # CORPUS TAG pinned|all
    rm -rf "${work:?}/$2"
    "$cairn" init "$work/$2" >/dev/null
    local how=()
    [[ $3 == pinned ]] && how=(taskset -c 0)
    /usr/bin/time -v -o "$work/$2.time" "${how[@]}" "$cairn" index --archive "$work/$2" \
        $([[ $3 == pinned ]] && echo --threads 1) "$1" >"$work/$2.out" 2>&1
}

mkdir -p "$work"
host_line
for c in $corpora; do
    dir=$(corpus_dir "$c")
    n=$(corpus_count "$c")
    rm -f "$work"/*.rate "$work"/*.rss
    for ((i = 1; i <= runs; i++)); do
        index_notmuch "$dir" notmuch
        index_cairn "$dir" cairn pinned
        index_cairn "$dir" cairn-all-cores all
        for t in notmuch cairn cairn-all-cores; do
            awk -v n="$n" -v s="$(wall_s "$work/$t.time")" 'BEGIN { printf "%.1f\n", n / s }' >>"$work/$t.rate"
            rss_kb "$work/$t.time" >>"$work/$t.rss"
        done
    done
    echo "corpus $c ($n messages, $(bytes_of "$dir") bytes), index, $runs alternating rounds" \
        "(notmuch and cairn on CPU 0, then cairn on all $(nproc) cores):"
    for t in notmuch cairn cairn-all-cores; do
        printf '  %-15s median %7.1f msg/s (runs: %s)  peak RSS %6.1f MiB\n' "$t" \
            "$(median <"$work/$t.rate")" "$(tr '\n' ' ' <"$work/$t.rate" | sed 's/ $//')" \
            "$(max <"$work/$t.rss" | awk '{ print $1 / 1024 }')"
    done
    # notmuch new is single-threaded: all cores is what a user of each gets.
    for t in cairn cairn-all-cores; do
        awk -v a="$(median <"$work/$t.rate")" -v b="$(median <"$work/notmuch.rate")" -v t="$t" \
            'BEGIN { printf "  ratio %s/notmuch: %.2fx messages per second\n", t, a / b }'
    done
    echo "  cairn summary: $(tail -1 "$work/cairn.out")"

    nm=$(bytes_of "$work/notmuch/db")
    cat_idx=$(bytes_of "$work/cairn/catalog.db"* "$work/cairn/index")
    store=$(bytes_of "$work/cairn/store")
    printf '  size: notmuch database %d bytes (%.0f B/msg); cairn catalog+index %d bytes (%.0f B/msg, %.2fx notmuch); cairn store %d bytes (%.0f B/msg, %.2fx the corpus)\n' \
        "$nm" "$(awk -v b="$nm" -v n="$n" 'BEGIN { print b / n }')" \
        "$cat_idx" "$(awk -v b="$cat_idx" -v n="$n" 'BEGIN { print b / n }')" \
        "$(awk -v a="$cat_idx" -v b="$nm" 'BEGIN { print a / b }')" \
        "$store" "$(awk -v b="$store" -v n="$n" 'BEGIN { print b / n }')" \
        "$(awk -v a="$store" -v b="$(bytes_of "$dir")" 'BEGIN { print a / b }')"

    echo "  queries ($query_runs runs each, whole process, CPU 0):"
    python3 "$root/scripts/bench_queries.py" --cairn "$cairn" --archive "$work/cairn" \
        --notmuch-config "$work/notmuch/config" --queries "$root/bench/queries.txt" \
        --runs "$query_runs"
done
