#!/usr/bin/env bash
# compare-python.sh DIR|FILE... — per-field agreement of `cairn parse --json` with
# Python's email package (scripts/python_oracle.py) over every message under DIRs.
# The cairn binary is $CAIRN, else build/cli/cairn. Extra options (--limit N,
# --width N, --json FILE, --timeout S) are passed to scripts/compare_python.py.
# Example:
#   CAIRN=build-samples/cli/cairn scripts/compare-python.sh samples/eml
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
if [ $# -eq 0 ]; then
    echo "usage: $0 DIR|FILE... [--limit N] [--width N] [--json FILE]" >&2
    exit 2
fi
exec python3 "$here/compare_python.py" --cairn "${CAIRN:-build/cli/cairn}" "$@"
