#!/usr/bin/env bash
# Times svc on the pathological inputs of issue 11 (see docs/performance.md,
# "Pathological inputs"): each case is a generated repo that once made a rule
# or command quadratic, huge or slow.
#
#   scripts/bench_scale.sh [SVC_BINARY]     default: builds and uses target/release/svc
#
# Repos are generated once under $BENCH_DIR (default /tmp/svc-bench-scale).
# Each command runs $RUNS times (default 3); the table gives the median wall
# time and the peak RSS of the slowest run, both from GNU time. Needs python3,
# GNU time (`apt-get install time`) and awk. Passing an older binary measures
# it on the same repos, for a before/after comparison.
set -euo pipefail
cd "$(dirname "$0")/.."
bench_dir=${BENCH_DIR:-/tmp/svc-bench-scale}
runs=${RUNS:-3}
limit=${LIMIT:-120}
[ -x /usr/bin/time ] || { echo "install GNU time (apt-get install time)" >&2; exit 2; }
if [ $# -gt 0 ]; then
  svc=$1
else
  cargo build --release --quiet --bin svc
  svc=$PWD/target/release/svc
fi
mkdir -p "$bench_dir"

# One generator for every case, so the repos match tests/cli/scale.rs in shape.
python3 - "$bench_dir" <<'PY'
import os, sys
base = sys.argv[1]
def service(i, extra=""):
    return (f"kind: Service\nid: {i}\nowner: t\npolicy: gold\n{extra}lifecycle:\n"
            f"  stage: proposed\n  history: [{{ stage: proposed, at: 2026-01-05T09:00:00Z, by: a }}]\n")
def incident(i, on, opened, extra=""):
    return f"kind: Incident\nid: {i}\nservice: {on}\ntitle: t\npriority: P1\nopened_at: {opened}\n{extra}"
def skeleton(name):
    root = os.path.join(base, name)
    if os.path.exists(os.path.join(root, "svc.toml")):
        return None
    for d in ["services", "policies", "calendars", "incidents/2026"]:
        os.makedirs(os.path.join(root, d), exist_ok=True)
    w(root, "calendars/office.yaml", "kind: Calendar\nid: office\ntimezone: Europe/Berlin\nhours:\n"
      + "".join(f"  {d}: [\"09:00-17:00\"]\n" for d in ["mon", "tue", "wed", "thu", "fri"]))
    w(root, "policies/gold.yaml", "kind: SlaPolicy\nid: gold\ncalendar: office\ntargets:\n"
      "  P1: { response: 15m, resolution: 4h }\n  P2: { response: 1h, resolution: 8h }\n")
    return root
def w(root, f, text):
    with open(os.path.join(root, f), "w") as out:
        out.write(text)
def finish(root):
    # Written last: a repo interrupted half-way is generated again.
    w(root, "svc.toml", "[repo]\nname = \"scale\"\ntimezone = \"Europe/Berlin\"\n")

if (r := skeleton("misspelt-5000")):
    for i in range(5000):
        w(r, f"services/service-{i:04}.yaml", service(f"service-{i:04}", f"depends_on: [servce-{(i + 1) % 5000:04}]\n"))
    finish(r)
if (r := skeleton("duplicates-10000")):
    for i in range(10000):
        w(r, f"services/s-{i:05}.yaml", service("dup"))
    finish(r)
if (r := skeleton("random-deps-2000x10")):
    seed = 7
    def rnd():
        global seed
        seed = (seed * 6364136223846793005 + 1) % 2**64
        return (seed >> 33) % 2000
    for i in range(2000):
        deps = ", ".join(f"s-{rnd():04}" for _ in range(10))
        w(r, f"services/s-{i:04}.yaml", service(f"s-{i:04}", f"depends_on: [{deps}]\n"))
    finish(r)
if (r := skeleton("priorities-2000")):
    w(r, "policies/gold.yaml", "kind: SlaPolicy\nid: gold\ncalendar: office\ntargets:\n"
      + "".join(f"  Prio{p:04}: {{ response: 15m, resolution: 4h }}\n" for p in range(2000)))
    w(r, "services/s-0000.yaml", service("s-0000"))
    for i in range(2000):
        w(r, f"incidents/2026/INC-{i:04}.yaml", incident(f"INC-{i:04}", "s-0000", "2026-09-01T09:00:00Z").replace("P1", f"Prio{i:04}x"))
    finish(r)
if (r := skeleton("open-since-1970-2000")):
    w(r, "services/s-0000.yaml", service("s-0000"))
    for i in range(2000):
        w(r, f"incidents/2026/INC-{i:04}.yaml", incident(f"INC-{i:04}", "s-0000", f"{1970 + i % 120}-01-05T09:00:00Z"))
    finish(r)
PY

# Runs one command $runs times; prints the median wall time and the largest RSS.
measure() {
  local times=() rss=0 out status stats
  stats=$(mktemp)
  for _ in $(seq "$runs"); do
    status=0
    # svc exits 1 on a repo with errors: a result, not a failure.
    timeout "$limit" /usr/bin/time -o "$stats" -f '%e %M' "$@" >/dev/null 2>&1 || status=$?
    out=$(tail -1 "$stats")
    if [ "$status" -eq 124 ] || [ -z "$out" ]; then echo "| > $limit | - |"; rm -f "$stats"; return; fi
    read -r wall kb <<<"$out"
    times+=("$wall")
    [ "$kb" -gt "$rss" ] && rss=$kb
  done
  rm -f "$stats"
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  echo "| $median | $((rss / 1024)) |"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "svc: $svc ($(git rev-parse --short HEAD 2>/dev/null || echo unknown))"
printf '\n| case | command | median wall (s) | peak RSS (MB) |\n|---|---|---:|---:|\n'
row() {
  local case=$1 label=$2; shift 2
  printf '| %s | %s %s\n' "$case" "$label" "$(measure "$svc" --repo "$bench_dir/$case" "$@")"
}
now=--now=2026-10-01T00:00:00Z
row misspelt-5000 "check" $now check --format json
row duplicates-10000 "check" $now check --format json
row random-deps-2000x10 "check" $now check --format json
row priorities-2000 "check" $now check --format json
far=--now=2099-12-31T23:59:59-23:59
row open-since-1970-2000 "check, far --now" $far check --format json
row open-since-1970-2000 "sla, far --now" $far sla --format json
row open-since-1970-2000 "sla --open, far --now" $far sla --open --format json
row open-since-1970-2000 "sla --open, --now 2999" --now=2999-12-31T00:00:00Z sla --open --format json
