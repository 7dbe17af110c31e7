# Shared by the benchmark scripts (source it): corpora, GNU time, statistics.
# shellcheck shell=bash

generator=$root/../shared/corpora/bench-5k/generate.py

if [[ ! -x /usr/bin/time ]]; then
    echo "GNU time is missing: installing it (apt-get install -y time)" >&2
    apt-get install -y time >/dev/null
fi

corpus_dir() { echo "/tmp/cairn-bench-$1"; }
corpus_count() { case $1 in 5k) echo 5000 ;; 50k) echo 50000 ;; *) echo "unknown corpus $1" >&2; exit 2 ;; esac; }

# ensure_corpora NAME...: generates /tmp/cairn-bench-NAME unless complete
# (python3, stdlib only; ~4 s for 5k, ~70 s for 50k).
ensure_corpora() {
    local c dir want have
    for c in "$@"; do
        dir=$(corpus_dir "$c")
        want=$(corpus_count "$c")
        have=$(find "$dir/cur" -name '*.eml' 2>/dev/null | wc -l || true)
        if [[ "$have" != "$want" ]]; then
            echo "generating $dir ($want messages)..." >&2
            rm -rf "$dir"
            python3 "$generator" --count "$want" --out "$dir"
        fi
    done
}

rss_kb() { sed -n 's/.*Maximum resident set size (kbytes): //p' "$1"; }
wall_s() { sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
max() { sort -n | tail -1; }
host_line() {
    local os
    os=$(sed -n 's/^PRETTY_NAME="\(.*\)"/\1/p' /etc/os-release)
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  host: $(nproc) cores, $os  commit: ${COMMIT:-$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)}"
}
