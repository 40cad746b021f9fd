#!/usr/bin/env python3
"""Load `svc export incidents` into DuckDB and check it against `svc sla`.

For each period asked (with `--now` fixed, so the run is reproducible), exports
the repo as JSON Lines and as CSV, loads both into DuckDB (PyPI `duckdb`), and
checks that a `GROUP BY service` gives what `svc sla --format json` prints for
the same period: incidents, met, breached, pending, compliance, and for both
targets the met share (response_met_pct, resolution_met_pct), with MTTA and
MTTR from the wall-clock columns. Every incident's states and counted seconds
are compared with the `incidents` list of `svc sla` too, and the two formats
with each other. Any difference is printed and fails the run (exit 1).
The tables are loaded by scripts/warehouse/duckdb_load.sql and the queries
of docs/warehouse.md are scripts/warehouse/*_per_*.sql, run here for real:
compliance per month is checked against `svc sla --period YYYY-MM`, MTTR per
priority against `svc sla --group-by priority`.

Usage: duckdb_check.py PATH_TO_SVC [REPO] [NOW] [PERIOD...]
       (default: examples/acme, 2026-12-01T00:00:00Z, the default period,
        2026 and 2026-Q3)
"""
import decimal
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb

COLUMNS = [
    "id", "service", "owner", "title", "priority", "priority_source", "impact",
    "urgency", "category", "status", "opened_at", "acknowledged_at",
    "effective_acknowledged_at", "resolved_at", "closed_at", "pauses",
    "paused_seconds", "outages", "outage_seconds", "satisfaction", "feedback",
    "problem", "caused_by_change", "root_cause", "postmortem", "policy",
    "business_hours", "response_target_seconds", "response_counted_seconds",
    "response_state", "resolution_target_seconds", "resolution_counted_seconds",
    "resolution_state", "state", "time_to_acknowledge_seconds",
    "time_to_resolve_seconds", "evaluated_at", "external",
]

WAREHOUSE = Path(__file__).resolve().parent / "warehouse"


def sql(name):
    """A statement file of scripts/warehouse, as docs/warehouse.md shows it."""
    return (WAREHOUSE / name).read_text()


def pct(part, whole):
    """A percentage rounded to 2 decimals, halves away from zero (SPEC 3.4)."""
    if whole == 0:
        return None
    value = decimal.Decimal(100 * part) / decimal.Decimal(whole)
    return float(value.quantize(decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP))


def run(svc, repo, now, *args):
    command = [svc, "--repo", repo, "--now", now, *args]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} exited {result.returncode}: {result.stderr}")
    return result.stdout


def load(con, work):
    """Both exports, `incidents.jsonl` and `incidents.csv` in `work`, as tables
    `incidents` and `incidents_csv`, by the documented load script."""
    here = Path.cwd()
    os.chdir(work)
    try:
        con.execute(sql("duckdb_load.sql"))
    finally:
        os.chdir(here)
    for table in ("incidents", "incidents_csv"):
        names = [row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()]
        if names != COLUMNS:
            raise SystemExit(f"{table}: columns {names} are not {COLUMNS}")


def check_period(svc, repo, now, period, work):
    label = " ".join(period) or "(default period)"
    failures = []
    jsonl = work / "incidents.jsonl"
    csv = work / "incidents.csv"
    jsonl.write_text(run(svc, repo, now, "export", "incidents", *period))
    csv.write_text(run(svc, repo, now, "export", "incidents", "--format", "csv", *period))
    sla = json.loads(run(svc, repo, now, "sla", "--format", "json", *period))
    con = duckdb.connect()
    load(con, work)

    grouped = {}
    for table in ("incidents", "incidents_csv"):
        rows = con.execute(f"""
            SELECT service, count(*),
                   count(*) FILTER (WHERE state = 'met'),
                   count(*) FILTER (WHERE state = 'breached'),
                   count(*) FILTER (WHERE state = 'pending'),
                   count(*) FILTER (WHERE response_state = 'met'),
                   count(*) FILTER (WHERE response_state = 'breached'),
                   count(*) FILTER (WHERE resolution_state = 'met'),
                   count(*) FILTER (WHERE resolution_state = 'breached'),
                   avg(time_to_acknowledge_seconds),
                   avg(time_to_resolve_seconds)
            FROM {table} GROUP BY service ORDER BY service""").fetchall()
        grouped[table] = {row[0]: row[1:] for row in rows}
    if grouped["incidents"] != grouped["incidents_csv"]:
        failures.append("JSON Lines and CSV give different figures")

    exported = grouped["incidents"]
    for service in sla["services"]:
        name = service["service"]
        if service["incidents"] == 0:
            if name in exported:
                failures.append(f"{name}: svc sla has no incident, the export has some")
            continue
        row = exported.get(name)
        if row is None:
            failures.append(f"{name}: {service['incidents']} incidents in svc sla, none exported")
            continue
        count, met, breached, pending, r_met, r_breached, s_met, s_breached, mtta, mttr = row
        ours = {
            "incidents": count,
            "met": met,
            "breached": breached,
            "pending": pending,
            "compliance_pct": pct(met, met + breached),
            "response_met_pct": pct(r_met, r_met + r_breached),
            "resolution_met_pct": pct(s_met, s_met + s_breached),
        }
        for key, value in ours.items():
            if service[key] != value:
                failures.append(f"{name} {key}: svc sla {service[key]}, DuckDB {value}")
        # The export's wall-clock seconds are whole: their mean may differ from
        # svc sla's mean of exact durations by less than a second.
        for key, value in (("mtta_seconds", mtta), ("mttr_seconds", mttr)):
            theirs = service[key]
            if (theirs is None) != (value is None) or (
                theirs is not None and abs(theirs - value) > 1
            ):
                failures.append(f"{name} {key}: svc sla {theirs}, DuckDB {value}")
    names = {s["service"] for s in sla["services"]}
    for name in exported:
        if name not in names:
            failures.append(f"{name}: exported but not in svc sla")

    by_id = {
        row[0]: row[1:]
        for row in con.execute("""
            SELECT id, response_counted_seconds, response_target_seconds, response_state,
                   resolution_counted_seconds, resolution_target_seconds, resolution_state,
                   state
            FROM incidents WHERE policy IS NOT NULL""").fetchall()
    }
    listed = {
        i["id"]: (
            i["response"]["counted_seconds"], i["response"]["target_seconds"],
            i["response"]["state"], i["resolution"]["counted_seconds"],
            i["resolution"]["target_seconds"], i["resolution"]["state"], i["state"],
        )
        for i in sla["incidents"]
    }
    if by_id != listed:
        differ = sorted(set(by_id.items()) ^ set(listed.items()))[:5]
        failures.append(f"incident evaluations differ from svc sla: {differ}")

    # The documented queries, against svc sla's own figures.
    for month, _, met, breached, pending, compliance in con.execute(
        sql("compliance_per_month.sql")
    ).fetchall():
        report = json.loads(run(svc, repo, now, "sla", "--format", "json", "--period", month))
        theirs = [sum(s[k] for s in report["services"]) for k in ("met", "breached", "pending")]
        if theirs != [met, breached, pending] or pct(theirs[0], theirs[0] + theirs[1]) != compliance:
            failures.append(f"{month}: svc sla {theirs}, DuckDB {[met, breached, pending]} {compliance}")
    by_priority = {
        g["priority"]: g
        for g in json.loads(
            run(svc, repo, now, "sla", "--format", "json", "--group-by", "priority", *period)
        )["services"]
    }
    for priority, incidents, _, mtta, mttr, _, resolution_met in con.execute(
        sql("mttr_per_priority.sql")
    ).fetchall():
        theirs = by_priority.get(priority, {})
        if theirs.get("incidents") != incidents or theirs.get("resolution_met_pct") != resolution_met:
            failures.append(f"{priority}: svc sla {theirs}, DuckDB {incidents} {resolution_met}")
        for key, value in (("mtta_seconds", mtta), ("mttr_seconds", mttr)):
            if (theirs.get(key) is None) != (value is None) or (
                value is not None and abs(theirs[key] - value) > 1
            ):
                failures.append(f"{priority} {key}: svc sla {theirs.get(key)}, DuckDB {value}")
    total = sum(row[0] for row in exported.values())
    print(f"{label}: {total} incidents, {len(exported)} services checked against svc sla")
    return failures


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    svc = sys.argv[1]
    repo = sys.argv[2] if len(sys.argv) > 2 else "examples/acme"
    now = sys.argv[3] if len(sys.argv) > 3 else "2026-12-01T00:00:00Z"
    periods = [["--period", p] for p in sys.argv[4:]] or [[], ["--period", "2026"], ["--period", "2026-Q3"]]
    failures = []
    with tempfile.TemporaryDirectory() as work:
        for period in periods:
            failures += [f"{' '.join(period) or 'default'}: {f}" for f in check_period(svc, repo, now, period, Path(work))]
    for failure in failures:
        print(f"FAIL {failure}", file=sys.stderr)
    print(f"{len(periods) - len({f.split(':')[0] for f in failures})} passed, "
          f"{len({f.split(':')[0] for f in failures})} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
