#!/usr/bin/env bash
# SMTP receive throughput: Postfix's smtp-source against smtp-sink (the
# ceiling: it reads every message and throws it away) and against `cairn
# serve` on a fresh archive (every message durable before its 250), in one run.
#
#     scripts/bench-smtp.sh                          # 20,000 x 10 KiB, 20 sessions, 5 rounds
#     MESSAGES=2000 RUNS=1 scripts/bench-smtp.sh     # a quick look
#     (SESSIONS, SIZE (payload bytes), SOURCE_OPTS (extra smtp-source options,
#      e.g. -d to keep connections open), CAIRN (a cairn binary; otherwise
#      built in BUILD_DIR, default build-bench), WORK (default /var/tmp/cairn-bench-smtp))
#
# RUNS rounds alternate smtp-sink and cairn; each round times smtp-source
# from start to exit (all messages answered 250) and prints messages/s. The
# medians and their ratio come last. Five rounds by default: smtp-sink's rate
# swings by a third between rounds on a 2-core VM, and three rounds let one
# lucky round decide its median (BENCHMARKS.md, SMTP Runs 8 and 9). Each round
# also gives the receiver's CPU seconds. After each cairn round the script
# checks that the archive holds every message (`cairn count`, polled until the
# deferred full-text index catches up, which is timed too), and reports cairn's
# CPU seconds (in all and by thread), peak RSS, store size and, with perf, the
# number of fsync and fdatasync calls (a group commit makes one, the store's,
# so messages per sync is about the average group size; Xapian and SQLite
# checkpoints add a few).
#
# smtp-source's messages are distinct (each has its own Message-Id and Date),
# so nothing is deduplicated; their payload is a run of 'X' (compresses
# to almost nothing: the store's zstd work is lighter than on real mail).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
messages=${MESSAGES:-20000}
sessions=${SESSIONS:-20}
size=${SIZE:-10240}
runs=${RUNS:-5}
work=${WORK:-/var/tmp/cairn-bench-smtp}
# shellcheck disable=SC2206 # a list of options
source_opts=(${SOURCE_OPTS:-})
# shellcheck source=scripts/bench-lib.sh
source "$root/scripts/bench-lib.sh"

export PATH=$PATH:/usr/sbin
for tool in smtp-source smtp-sink python3; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: scripts/install-deps" >&2; exit 2; }
done
if [[ -n "${CAIRN:-}" ]]; then
    cairn=$CAIRN
else
    build=${BUILD_DIR:-$root/build-bench}
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCAIRN_TESTS=OFF -DCAIRN_BENCH=OFF >/dev/null
    cmake --build "$build" -j2 --target cairn >/dev/null
    cairn=$build/cli/cairn
fi
have_perf=0
if perf stat -e syscalls:sys_enter_fsync true >/dev/null 2>&1; then have_perf=1; fi

rm -rf "$work"
mkdir -p "$work"
server_pid=""
cleanup() { if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s
wait_until() {
    local end=$((SECONDS + $1)); shift
    until "$@"; do
        ((SECONDS < end)) || { echo "timed out: $*" >&2; return 1; }
        sleep 0.1
    done
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# source_run PORT: runs smtp-source, prints the elapsed seconds
source_run() {
    local t0 t1
    t0=$(now)
    smtp-source -4 -s "$sessions" -m "$messages" -l "$size" -M bench.invalid \
        -f sender@bench.invalid -t rcpt@bench.invalid "${source_opts[@]}" "127.0.0.1:$1" \
        >"$work/source.out" 2>&1 || { cat "$work/source.out" >&2; return 1; }
    t1=$(now)
    calc "$t1 - $t0" 3
}
# calc EXPRESSION [DECIMALS]
calc() { awk "BEGIN { printf \"%.${2:-1}f\", $1 }"; }
rate() { calc "$messages / $1"; }

# cpu_seconds STAT: utime + stime from a /proc/PID[/task/TID]/stat file
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / hz }' "$1"; }

# run_sink: writes "RATE CPU_S" to $work/result
run_sink() {
    local port elapsed cpu
    port=$(free_port)
    smtp-sink -u nobody "127.0.0.1:$port" 1024 &
    server_pid=$!
    wait_until 30 listening "$port"
    elapsed=$(source_run "$port")
    cpu=$(cpu_seconds "/proc/$server_pid/stat")
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
    echo "$(rate "$elapsed") $cpu" >"$work/result"
}

count_is() { [[ "$("$cairn" count --archive "$1" "" 2>/dev/null)" == "$messages" ]]; }

# run_cairn ROUND: writes "RATE INDEXED_RATE CPU_S RSS_MB STORE_MB FSYNCS"
run_cairn() {
    local dir=$work/cairn-$1 port elapsed indexed t0 cpu rss store fsyncs=- perf_pid=""
    "$cairn" init "$dir" >/dev/null
    "$cairn" serve --archive "$dir" --smtp 127.0.0.1:0 --log "$dir/serve.log" \
        --hostname bench.invalid 2>"$work/serve.err" &
    server_pid=$!
    wait_until 60 grep -q '^listening smtp' "$work/serve.err"
    port=$(sed -n 's/^listening smtp 127.0.0.1:\([0-9]*\)$/\1/p' "$work/serve.err")
    if ((have_perf)); then
        perf stat -x, -e syscalls:sys_enter_fsync,syscalls:sys_enter_fdatasync \
            -p "$server_pid" -o "$work/perf.out" &
        perf_pid=$!
        sleep 0.5 # perf attaches asynchronously
    fi
    t0=$(now)
    elapsed=$(source_run "$port")
    wait_until 300 count_is "$dir"
    indexed=$(calc "$(now) - $t0" 3)
    # CPU seconds (utime + stime, clock ticks) and peak RSS, before the exit
    cpu=$(cpu_seconds "/proc/$server_pid/stat")
    rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/$server_pid/status")
    for task in "/proc/$server_pid"/task/*; do # per thread: cairn (the sessions), writer, ...
        printf '%s %s  ' "$(cat "$task/comm")" "$(cpu_seconds "$task/stat")"
    done >"$work/threads"
    if [[ -n "$perf_pid" ]]; then
        kill -INT "$perf_pid"; wait "$perf_pid" || true
        fsyncs=$(awk -F, '/sys_enter_f/ { n += $1 } END { print n + 0 }' "$work/perf.out")
    fi
    kill -TERM "$server_pid"; wait "$server_pid"; server_pid=""
    [[ "$(grep -c ' result=250 ' "$dir/serve.log")" == "$messages" ]] ||
        { echo "cairn's log does not have $messages result=250 lines" >&2; return 1; }
    store=$(du -sm "$dir/store" | cut -f1)
    echo "$(rate "$elapsed") $(rate "$indexed") $cpu $rss $store $fsyncs" >"$work/result"
    rm -rf "$dir"
}

host_line
echo "smtp-source -s $sessions -m $messages -l $size ${source_opts[*]} (each round), RUNS=$runs, cairn: $cairn"
sink_rates=()
cairn_rates=()
for ((i = 1; i <= runs; i++)); do
    run_sink
    read -r s sink_cpu <"$work/result"
    sink_rates+=("$s")
    echo "round $i  smtp-sink  $s msg/s  cpu ${sink_cpu}s"
    run_cairn "$i"
    read -r c ci cpu rss store fsyncs <"$work/result"
    cairn_rates+=("$c")
    per_fsync=-
    [[ "$fsyncs" != "-" && "$fsyncs" != 0 ]] && per_fsync=$(calc "$messages / $fsyncs")
    echo "round $i  cairn      $c msg/s (all $messages in the archive: yes; searchable: $ci msg/s)" \
        " cpu ${cpu}s  peak RSS ${rss} MB  store ${store} MB  sync calls $fsyncs ($per_fsync msg per sync)"
    echo "round $i  cairn      CPU seconds by thread: $(cat "$work/threads")"
done
sink=$(printf '%s\n' "${sink_rates[@]}" | median)
ours=$(printf '%s\n' "${cairn_rates[@]}" | median)
echo "median  smtp-sink $sink msg/s  cairn $ours msg/s  ratio cairn/smtp-sink $(calc "$ours / $sink" 2)"
