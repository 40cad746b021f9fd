#!/usr/bin/env bash
# Instruction counts (valgrind's callgrind) of `svc check` and `svc report
# changes` on the benchmark repos, the figures behind docs/performance.md,
# "Instruction counts". Counts, unlike times, do not move with the load of a
# shared machine. Needs valgrind (Debian package `valgrind`).
#
#   scripts/bench_instructions.sh [BEFORE_SVC]
#
# BEFORE_SVC: another svc binary (say, a release build of an earlier commit)
# whose `svc check` on the 100k repo is counted first, for the before/after row.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "install valgrind (apt-get install valgrind)" >&2; exit 2; }
cargo build --release --quiet --bin svc --example generate
svc=$PWD/target/release/svc
bench_dir=${BENCH_DIR:-/tmp/svc-bench}
now=--now=2027-01-01T00:00:00Z
mkdir -p "$bench_dir"

# repo NAME ARGS...: the 100k-incident repo NAME, generated once with ARGS.
repo() {
  local dir=$bench_dir/$1
  shift
  [ -f "$dir/svc.toml" ] ||
    ./target/release/examples/generate --incidents 100000 "$@" --out "$dir" >&2 2>/dev/null
  printf '%s' "$dir"
}

# count LABEL COMMAND...: one table row with the instructions COMMAND executed.
count() {
  local label=$1
  shift
  local total
  total=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
    awk '/Collected/ { print $4 }')
  printf '| %s | %s |\n' "$label" "$total"
}

plain=$(repo repo-100000)
changes=$(repo repo-100000-c20000-p0 --changes 20000 --problems 0)
problems=$(repo repo-100000-c0-p5000 --changes 0 --problems 5000)
both=$(repo repo-100000-c20000-p5000 --changes 20000 --problems 5000)
for dir in "$plain" "$changes" "$problems" "$both"; do
  echo "$(basename "$dir"): $(find "$dir" -type f -print0 | xargs -0 cat | wc -c) bytes" >&2
done
printf '| command | instructions |\n|---|---:|\n'
[ $# -gt 0 ] && count "svc check, 100k incidents (before: $1)" "$1" --repo "$plain" $now -q check
count "svc check, 100k incidents" "$svc" --repo "$plain" $now -q check
count "svc check, + 5,000 problems" "$svc" --repo "$problems" $now -q check
count "svc check, + 20,000 changes" "$svc" --repo "$changes" $now -q check
count "svc report changes --format json, + 20,000 changes" "$svc" --repo "$changes" $now report changes --format json
count "svc check, + 20,000 changes and 5,000 problems" "$svc" --repo "$both" $now -q check
