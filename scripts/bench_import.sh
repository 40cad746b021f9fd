#!/usr/bin/env bash
# Benchmarks `svc import servicenow` on the real event log (see docs/performance.md,
# section "Import").
#
#   scripts/bench_import.sh [EXPORT]     default: ../shared/data/servicenow-incident-event-log.zip
#
# Times, as hyperfine medians over $RUNS runs (default 5): the import into a
# fresh `svc init` repo (each run gets a new repo), the re-import of the same
# export into the imported repo (nothing written), and, for scale, `svc check`
# and `svc sla --format json` on the imported repo. CPU time and peak RSS come
# from one run under /usr/bin/time. Needs hyperfine and GNU time (Debian
# packages `hyperfine` and `time`).
set -euo pipefail
cd "$(dirname "$0")/.."
export_file=$(realpath "${1:-${SVC_DATA_DIR:-../shared/data}/servicenow-incident-event-log.zip}")
runs=${RUNS:-5}
work=${BENCH_DIR:-/tmp/svc-bench-import}
command -v hyperfine >/dev/null || { echo "install hyperfine (apt-get install hyperfine)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "install GNU time (apt-get install time)" >&2; exit 2; }
[ -f "$export_file" ] || { echo "no export at $export_file" >&2; exit 2; }

cargo build --release --quiet --bin svc
svc=$PWD/target/release/svc
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "svc: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "export: $export_file"
rm -rf "$work" && mkdir -p "$work"
fresh="$work/fresh"
repo="$work/repo"
import=(import servicenow "$export_file" --create-services --policy standard)
q() { printf '%q ' "$@"; }

make_fresh() { rm -rf "$fresh" && mkdir -p "$fresh" && (cd "$fresh" && "$svc" init >/dev/null 2>&1); }
mkdir -p "$repo" && (cd "$repo" && "$svc" init >/dev/null 2>&1)
"$svc" --repo "$repo" "${import[@]}"

row() { # LABEL CSV_FILE PREPARE? COMMAND...
  local label=$1 csv=$2
  shift 2
  local median stats
  median=$(awk -F, 'NR==2 {printf "%.2f", $4}' "$csv")
  stats=$(/usr/bin/time -f '%U %S %M' "$@" 2>&1 >/dev/null | tail -1)
  awk -v label="$label" -v median="$median" -v stats="$stats" 'BEGIN {
    split(stats, s, " "); printf "| %s | %s | %.2f | %d |\n", label, median, s[1] + s[2], s[3] / 1024 }'
}

echo
echo "| command | median wall (s) | CPU user+sys (s) | peak RSS (MB) |"
echo "|---|---:|---:|---:|"
hyperfine --runs "$runs" --style none --export-csv "$work/import.csv" \
  --prepare "rm -rf $(q "$fresh") && mkdir -p $(q "$fresh") && cd $(q "$fresh") && $(q "$svc") init >/dev/null 2>&1" \
  "$(q "$svc" --repo "$fresh" "${import[@]}")" >/dev/null
make_fresh
row "import into a fresh repo" "$work/import.csv" "$svc" --repo "$fresh" "${import[@]}"
hyperfine --runs "$runs" --warmup 1 --style none --export-csv "$work/again.csv" \
  "$(q "$svc" --repo "$repo" "${import[@]}")" >/dev/null
row "re-import, no change" "$work/again.csv" "$svc" --repo "$repo" "${import[@]}"
hyperfine --runs "$runs" --warmup 1 --style none --export-csv "$work/check.csv" \
  "$(q "$svc" --repo "$repo" check)" >/dev/null
row "svc check (imported repo)" "$work/check.csv" "$svc" --repo "$repo" check
hyperfine --runs "$runs" --warmup 1 --style none --export-csv "$work/sla.csv" \
  "$(q "$svc" --repo "$repo" sla --format json --now 2017-01-01T00:00:00Z)" >/dev/null
row "svc sla --format json (imported repo)" "$work/sla.csv" "$svc" --repo "$repo" sla --format json --now 2017-01-01T00:00:00Z
