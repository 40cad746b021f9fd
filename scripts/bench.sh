#!/usr/bin/env bash
# Benchmarks svc on generated repos (see docs/performance.md).
#
#   scripts/bench.sh [SIZES...]        default: 10000 100000 1000000
#
# For each size N it generates a repo with N incidents (once; kept under
# $BENCH_DIR, default /tmp/svc-bench), warms the page cache, then times in the
# same run: the read floor (find | xargs cat: the cost of merely reading the
# files), `svc check`, `svc sla --format json` and `svc report lifecycle`;
# then `svc export incidents` (jsonl, csv) and `svc export backstage` against
# `svc sla --format json`.
# Then, unless CHANGES=0, the same N incidents with $CHANGES changes (default
# 20000) and $PROBLEMS problems (default 5000): the read floor, `svc check`,
# `svc report changes`, `svc report problems` and `svc sla`; the last column
# of those rows is the median over that repo's `svc check`. Then, unless
# REVIEW=0, `svc report review` next to `svc sla` on the first repo.
# Wall time is hyperfine's median over $RUNS runs (default 5); CPU time and
# peak RSS come from one run under /usr/bin/time. Needs hyperfine (Debian
# package `hyperfine`), GNU time (`time`) and awk.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)
bench_dir=${BENCH_DIR:-/tmp/svc-bench}
runs=${RUNS:-5}
changes=${CHANGES:-20000}
problems=${PROBLEMS:-5000}
now="--now=2027-01-01T00:00:00Z"
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "install GNU time (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet --bin svc --example generate --example sla_cost
svc=$PWD/target/release/svc
q_svc=$(printf '%q' "$svc")
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "svc: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"

# generated NAME ARGS...: the path of the benchmark repo NAME under
# $bench_dir, generated once with `--incidents $n` and ARGS.
generated() {
  local repo=$bench_dir/$1
  shift
  if [ ! -f "$repo/svc.toml" ]; then
    mkdir -p "$bench_dir"
    ./target/release/examples/generate --incidents "$n" "$@" --out "$repo" >&2 2>/dev/null
  fi
  printf '%s' "$repo"
}

# time_rows LABEL BASE NAME=COMMAND...: one table row per command; the ratio
# column is the median over that of the command named BASE.
time_rows() {
  local label=$1 base=$2 base_median=
  shift 2
  local entry name cmd csv median stats user sys rss cpu ratio
  for entry in "$@"; do
    name=${entry%%=*}
    cmd=${entry#*=}
    csv=$(mktemp)
    # -i: `svc check` exits 1 on a repo with errors; that is a result, not a failure.
    hyperfine -i --warmup 1 --runs "$runs" --export-csv "$csv" "bash -c $(printf '%q' "$cmd")" >/dev/null 2>&1
    median=$(awk -F, 'NR == 2 { printf "%.2f", $4 }' "$csv")
    rm -f "$csv"
    stats=$( { /usr/bin/time -f '%U %S %M' bash -c "$cmd" 2>&1 >/dev/null; } | tail -1)
    read -r user sys rss <<<"$stats"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
    [ "$name" = "$base" ] && base_median=$median
    ratio=$(awk -v m="$median" -v f="${base_median:-$median}" 'BEGIN { printf "%.2f", m / f }')
    printf '| %s | %s | %s | %s | %d | %s |\n' "$label" "$name" "$median" "$cpu" "$((rss / 1024))" "$ratio"
  done
}

printf '\n| repo | command | median wall (s) | CPU user+sys (s) | peak RSS (MB) | × read floor |\n|---|---|---:|---:|---:|---:|\n'
for n in "${sizes[@]}"; do
  repo=$(generated repo-$n)
  # Quoted once here, so a repo path with spaces survives `bash -c`.
  q_repo=$(printf '%q' "$repo")
  time_rows "$n incidents" "read floor" \
    "read floor=find $q_repo -type f -print0 | xargs -0 cat > /dev/null" \
    "svc check=$q_svc --repo $q_repo $now -q check > /dev/null" \
    "svc sla --format json=$q_svc --repo $q_repo $now sla --format json > /dev/null" \
    "svc report lifecycle=$q_svc --repo $q_repo $now report lifecycle > /dev/null"
done

# Export (docs/performance.md, "Export"): `svc export incidents` in both formats
# next to `svc sla --format json` on the same repo; the last column is the
# median over that of `svc sla --format json` (the budget is 1.2).
printf '\n| repo | command | median wall (s) | CPU user+sys (s) | peak RSS (MB) | × svc sla --format json |\n|---|---|---:|---:|---:|---:|\n'
for n in "${sizes[@]}"; do
  q_repo=$(printf '%q' "$bench_dir/repo-$n")
  time_rows "$n incidents" "svc sla --format json" \
    "svc sla --format json=$q_svc --repo $q_repo $now sla --format json > /dev/null" \
    "svc export incidents=$q_svc --repo $q_repo $now export incidents > /dev/null" \
    "svc export incidents --format csv=$q_svc --repo $q_repo $now export incidents --format csv > /dev/null" \
    "svc export backstage=$q_svc --repo $q_repo $now export backstage > /dev/null"
done

if [ "$changes" -gt 0 ]; then
  printf '\n| repo | command | median wall (s) | CPU user+sys (s) | peak RSS (MB) | × svc check |\n|---|---|---:|---:|---:|---:|\n'
  for n in "${sizes[@]}"; do
    repo=$(generated repo-$n-c$changes-p$problems --changes "$changes" --problems "$problems")
    q_repo=$(printf '%q' "$repo")
    time_rows "$n incidents, $changes changes, $problems problems" "svc check" \
      "svc check=$q_svc --repo $q_repo $now -q check > /dev/null" \
      "read floor=find $q_repo -type f -print0 | xargs -0 cat > /dev/null" \
      "svc report changes --format json=$q_svc --repo $q_repo $now report changes --format json > /dev/null" \
      "svc report problems --format json=$q_svc --repo $q_repo $now report problems --format json > /dev/null" \
      "svc sla --format json=$q_svc --repo $q_repo $now sla --format json > /dev/null"
  done
fi

# The service review (docs/performance.md, "Review"): unless REVIEW=0, the review
# of 2026-Q3 with a six-quarter trend, as HTML, next to `svc sla` on the same
# repo; the last column of those rows is the median over `svc sla`'s.
if [ "${REVIEW:-1}" != 0 ]; then
  printf '\n| repo | command | median wall (s) | CPU user+sys (s) | peak RSS (MB) | × svc sla |\n|---|---|---:|---:|---:|---:|\n'
  for n in "${sizes[@]}"; do
    repo=$(generated repo-$n)
    q_repo=$(printf '%q' "$repo")
    time_rows "$n incidents" "svc sla --format json" \
      "svc sla --format json=$q_svc --repo $q_repo $now sla --format json > /dev/null" \
      "svc report review --period 2026-Q3 --trend 6 --format html=$q_svc --repo $q_repo $now report review --period 2026-Q3 --trend 6 --format html > /dev/null" \
      "svc report review --period 2026-Q3 --trend 6 --format json=$q_svc --repo $q_repo $now report review --period 2026-Q3 --trend 6 --format json > /dev/null"
  done
fi

echo
echo "Counted time for one incident, by how long it has been open:"
./target/release/examples/sla_cost
