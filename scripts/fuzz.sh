#!/usr/bin/env bash
# Runs every libFuzzer target for a share of a time budget.
#
#     scripts/fuzz.sh SECONDS [TARGET...]
#
# Configures a clang build in build-fuzz (CAIRN_FUZZ=ON: ASan + UBSan, libmime
# coverage-instrumented, assertions on), builds the fuzzers, and runs each one
# for SECONDS / number-of-targets with -max_len=65536 -rss_limit_mb=2048
# -timeout=10. Each target keeps its corpus in build-fuzz/corpus/TARGET (new
# inputs are written there only) and is seeded from fuzz/seeds/TARGET, tests/data,
# samples and ../shared/corpora/conformance (when present). Crash inputs land
# in build-fuzz/crashes/TARGET/, logs in build-fuzz/logs/TARGET.log.
# Exits non-zero when any target found a crash, a timeout or an OOM.
# FUZZ_EXTRA_FLAGS (environment) is added to the sanitizer flags, to step over a
# known, reported finding until it is fixed, e.g.
#     FUZZ_EXTRA_FLAGS=-fno-sanitize=nonnull-attribute scripts/fuzz.sh 600
# Needs clang 14 and libclang-rt-14-dev (libFuzzer).
set -euo pipefail

usage() { echo "usage: scripts/fuzz.sh SECONDS [TARGET...]" >&2; exit 2; }
[[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || usage
total=$1
shift

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-fuzz}
if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    targets=(parse_fuzzer split_fuzzer address_fuzzer encoded_word_fuzzer decoders_fuzzer
             smtp_session_fuzzer text_indexer_fuzzer)
fi

# -O1 -g without NDEBUG, so libmime's assertions fire under the fuzzer.
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DCAIRN_FUZZ=ON -DCAIRN_TESTS=OFF \
    -DCAIRN_BENCH=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" \
    -DCAIRN_FUZZ_EXTRA_FLAGS="${FUZZ_EXTRA_FLAGS:-}" >/dev/null
cmake --build "$build" -j2 --target "${targets[@]}"

seeds=()
for dir in "$root/tests/data" "$root/samples" "$root/../shared/corpora/conformance"; do
    [[ -d $dir ]] && seeds+=("$(cd "$dir" && pwd)")
done

share=$((total / ${#targets[@]}))
((share > 0)) || share=1
mkdir -p "$build/logs"
failed=()
for t in "${targets[@]}"; do
    mkdir -p "$build/corpus/$t" "$build/crashes/$t"
    echo "== $t: ${share}s (corpus $build/corpus/$t)" >&2
    own=()
    [[ -d $root/fuzz/seeds/$t ]] && own=("$root/fuzz/seeds/$t")
    # The first directory receives new inputs; the seed folders are only read.
    if "$build/fuzz/$t" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
        -max_total_time="$share" -print_final_stats=1 \
        -artifact_prefix="$build/crashes/$t/" \
        "$build/corpus/$t" "${own[@]}" "${seeds[@]}" >"$build/logs/$t.log" 2>&1; then
        grep -E '^stat::number_of_executed_units|^Done' "$build/logs/$t.log" | tr '\n' ' ' >&2
        echo >&2
    else
        failed+=("$t")
        echo "!! $t failed; see $build/logs/$t.log and $build/crashes/$t/" >&2
        grep -E -A25 '^==[0-9]+==ERROR|fuzz check failed|differs|runtime error' \
            "$build/logs/$t.log" | head -40 >&2 || true
    fi
done

if ((${#failed[@]} > 0)); then
    echo "FAILED: ${failed[*]}" >&2
    exit 1
fi
echo "all ${#targets[@]} targets ran ${share}s each without a crash ($((share * ${#targets[@]})) CPU-seconds)" >&2
