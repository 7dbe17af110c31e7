#!/usr/bin/env bash
# Parse throughput of cairn-bench against its GMime peer (bench/peers/gmime_bench.c).
#
#     scripts/bench-parse.sh            # both corpora, 5 timed runs each
#     RUNS=9 CORPORA=5k scripts/bench-parse.sh
#     (BUILD_DIR overrides build-bench; COMMIT labels a tree exported with git archive)
#
# 1. Generates the synthetic corpora if absent (python3, stdlib only):
#      /tmp/cairn-bench-5k   5,000 messages, 146 MB  (~4 s)
#      /tmp/cairn-bench-50k 50,000 messages, 1.5 GB  (~70 s)
# 2. Builds Release in build-bench (gmime-bench needs libgmime-3.0-dev).
# 3. Per corpus: one untimed warm-up run of each program (fills the page cache),
#    then RUNS rounds that run gmime-bench and cairn-bench alternately, both
#    pinned to CPU 0 (taskset -c 0), each under /usr/bin/time -v.
# 4. Prints the median MB/s of each (wall time of the parse loop, and bytes per
#    CPU-second from time -v, which is steadier on a shared machine), the ratios
#    cairn/gmime from the same rounds, and the largest "Maximum resident set size".
#
# Needs GNU time at /usr/bin/time (Debian: `apt-get install time`; the bash
# builtin `time` has no -v). If cairn-bench does not build yet (libmime
# unfinished), GMime is measured alone and the script says so.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-bench}
runs=${RUNS:-5}
corpora=${CORPORA:-"5k 50k"}
# shellcheck source=scripts/bench-lib.sh
source "$root/scripts/bench-lib.sh"
# shellcheck disable=SC2086 # a list of names
ensure_corpora $corpora

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCAIRN_BENCH=ON -DCAIRN_TESTS=OFF >/dev/null
cmake --build "$build" -j2 --target gmime-bench >/dev/null
tools="gmime"
if cmake --build "$build" -j2 --target cairn-bench >"$build/cairn-bench-build.log" 2>&1; then
    tools="gmime cairn"
else
    echo "NOTE: cairn-bench does not build yet (see $build/cairn-bench-build.log); measuring GMime only" >&2
fi
# shellcheck disable=SC2034 # read indirectly by run() through ${!bin}
bin_gmime=$build/bench/gmime-bench
# shellcheck disable=SC2034
bin_cairn=$build/bench/cairn-bench

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run TOOL DIR TAG: one pinned run; stdout line → $tmp/TAG.out, time -v → $tmp/TAG.time
run() {
    local bin=bin_$1
    /usr/bin/time -v -o "$tmp/$3.time" taskset -c 0 "${!bin}" parse "$2" >"$tmp/$3.out" 2>"$tmp/$3.err"
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" "$2"; }
# MB per CPU-second (user + system, from time -v): steadier than wall time when
# other processes share the core, though it includes listing DIR and start-up.
cpu_mbps() {
    awk -v b="$2" '/User time/ { u = $NF } /System time/ { s = $NF } END { printf "%.1f\n", b / 1e6 / (u + s) }' "$1"
}

host_line
for c in $corpora; do
    dir=$(corpus_dir "$c")
    for t in $tools; do run "$t" "$dir" "warm-$t"; done
    for ((i = 1; i <= runs; i++)); do
        for t in $tools; do
            run "$t" "$dir" "$t-$i"
            field MBps "$tmp/$t-$i.out" >>"$tmp/$t.mbps"
            rss_kb "$tmp/$t-$i.time" >>"$tmp/$t.rss"
            cpu_mbps "$tmp/$t-$i.time" "$(field bytes "$tmp/$t-$i.out")" >>"$tmp/$t.cpu"
        done
    done
    echo "corpus $c: $(sed 's/ seconds=.*//' "$tmp/gmime-1.out")"
    for t in $tools; do
        printf '  %-6s median %7.1f MB/s wall (runs: %s)  %7.1f MB/CPU-s (runs: %s)  peak RSS %6.1f MiB\n' "$t" \
            "$(median <"$tmp/$t.mbps")" "$(tr '\n' ' ' <"$tmp/$t.mbps" | sed 's/ $//')" \
            "$(median <"$tmp/$t.cpu")" "$(tr '\n' ' ' <"$tmp/$t.cpu" | sed 's/ $//')" \
            "$(max <"$tmp/$t.rss" | awk '{ print $1 / 1024 }')"
        echo "         work: $(sed 's/^[a-z-]*: //' "$tmp/$t-$runs.err")"
    done
    if [[ $tools == *cairn* ]]; then
        # Ratio of medians, both taken from the same alternating rounds.
        ratio() { awk -v a="$(median <"$tmp/cairn.$1")" -v b="$(median <"$tmp/gmime.$1")" 'BEGIN { print a / b }'; }
        printf '  ratio cairn/gmime: %.2fx wall, %.2fx CPU\n' "$(ratio mbps)" "$(ratio cpu)"
    fi
    rm -f "$tmp"/*.mbps "$tmp"/*.rss "$tmp"/*.cpu
done
