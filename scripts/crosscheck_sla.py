#!/usr/bin/env python3
"""Cross-check svc's counted business time against an independent implementation.

Generates a few hundred incidents on business calendars (lunch breaks, a short
Friday, public holidays, spans across the 2026 DST changes in Europe/Berlin and
America/New_York, pauses across nights and weekends), asks svc for their counted
resolution time (`svc sla --format json`), and computes the same durations with
businesstimedelta (PyPI) and pytz. Any difference is printed and fails the run.

businesstimedelta has no pauses, so a pause's working time is subtracted from
the span's, after merging and clipping the pauses, which is SPEC 3.1's
definition. Working ranges are kept away from the night hours in which DST
changes happen: there the two libraries define different rules (svc counts a
range's true elapsed length; businesstimedelta's pytz localisation assumes
standard time), and those rules are covered by svc's own unit tests.

Usage: crosscheck_sla.py PATH_TO_SVC [CASES]
"""
import datetime as dt
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import businesstimedelta as btd
import pytz

CALENDARS = {
    "berlin": {
        "zone": "Europe/Berlin",
        "days": {0: [("09:00", "12:30"), ("13:30", "18:00")], 1: [("09:00", "12:30"), ("13:30", "18:00")],
                 2: [("09:00", "18:00")], 3: [("09:00", "18:00")], 4: [("09:00", "16:00")]},
        "holidays": ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-01", "2026-10-03", "2026-12-24", "2026-12-25"],
    },
    "newyork": {
        "zone": "America/New_York",
        "days": {0: [("08:00", "20:00")], 1: [("08:00", "20:00")], 2: [("08:00", "20:00")],
                 3: [("08:00", "20:00")], 4: [("08:00", "20:00")], 5: [("10:00", "14:00")]},
        "holidays": ["2026-01-19", "2026-05-25", "2026-07-03", "2026-09-07", "2026-11-26"],
    },
}
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def clock(text):
    return dt.time(int(text[:2]), int(text[3:]))


def reference_rules(cal):
    tz = pytz.timezone(cal["zone"])
    rules = []
    for day, ranges in cal["days"].items():
        for start, end in ranges:
            rules.append(btd.WorkDayRule(start_time=clock(start), end_time=clock(end), working_days=[day], tz=tz))
    # A far sentinel: businesstimedelta looks for the next holiday at most five
    # years ahead and fails when there is none.
    days_off = [dt.date.fromisoformat(day) for day in cal["holidays"]] + [dt.date(2030, 1, 1)]
    rules.append(btd.HolidayRule(days_off, tz=tz))
    return btd.Rules(rules)


def business_seconds(rules, a, b):
    if b <= a:
        return 0
    delta = rules.difference(a, b)
    return delta.hours * 3600 + delta.seconds


def merged(windows):
    out = []
    for start, end in sorted(windows):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def expected(rules, a, b, pauses):
    total = business_seconds(rules, a, b)
    for start, end in merged(pauses):
        start, end = max(start, a), min(end, b)
        if start < end:
            total -= business_seconds(rules, start, end)
    return total


def stamp(moment, zone):
    return moment.astimezone(pytz.timezone(zone)).isoformat()


def random_instant(rng):
    # Around the DST changes half of the time, anywhere in 2026 otherwise.
    anchors = [dt.datetime(2026, 3, 8, tzinfo=dt.timezone.utc), dt.datetime(2026, 3, 29, tzinfo=dt.timezone.utc),
               dt.datetime(2026, 10, 25, tzinfo=dt.timezone.utc), dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc)]
    if rng.random() < 0.5:
        base = rng.choice(anchors) + dt.timedelta(days=rng.uniform(-4, 4))
    else:
        base = dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc) + dt.timedelta(days=rng.uniform(0, 350))
    return base.replace(second=0, microsecond=0) + dt.timedelta(seconds=rng.randrange(60))


def write_repo(root, cases):
    (root / "svc.toml").write_text('[repo]\nname = "crosscheck"\n')
    for folder in ["calendars", "policies", "services", "incidents"]:
        (root / folder).mkdir()
    for name, cal in CALENDARS.items():
        hours = "\n".join(
            f"  {WEEKDAYS[d]}: [{', '.join(repr(f'{s}-{e}').replace(chr(39), chr(34)) for s, e in r)}]"
            for d, r in sorted(cal["days"].items()))
        holiday_lines = "\n".join(f"  - {h}" for h in cal["holidays"])
        (root / "calendars" / f"{name}.yaml").write_text(
            f"kind: Calendar\nid: {name}\ntimezone: {cal['zone']}\nhours:\n{hours}\nholidays:\n{holiday_lines}\n")
        (root / "policies" / f"{name}.yaml").write_text(
            f"kind: SlaPolicy\nid: {name}\ncalendar: {name}\ntargets:\n  P1: {{ response: 1000h, resolution: 1000h }}\n")
        (root / "services" / f"svc-{name}.yaml").write_text(
            f"kind: Service\nid: svc-{name}\nowner: t\npolicy: {name}\nlifecycle:\n  stage: proposed\n")
    for case in cases:
        zone = CALENDARS[case["calendar"]]["zone"]
        lines = [
            "kind: Incident", f"id: {case['id']}", f"service: svc-{case['calendar']}", "title: cross-check",
            "priority: P1", f"opened_at: {stamp(case['a'], zone)}", f"resolved_at: {stamp(case['b'], zone)}",
        ]
        if case["pauses"]:
            lines.append("paused:")
            lines += [f"  - {{ from: {stamp(s, 'UTC')}, to: {stamp(e, 'UTC')} }}" for s, e in case["pauses"]]
        (root / "incidents" / f"{case['id']}.yaml").write_text("\n".join(lines) + "\n")


def main():
    svc = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    rng = random.Random(20261122)
    cases = []
    for i in range(count):
        a = random_instant(rng)
        b = a + dt.timedelta(seconds=rng.randrange(60, 12 * 86400))
        pauses = []
        for _ in range(rng.choice([0, 0, 1, 2])):
            start = (a + (b - a) * rng.random()).replace(microsecond=0)
            end = min(b, start + dt.timedelta(seconds=rng.randrange(600, 3 * 86400)))
            if start < end:
                pauses.append((start, end))
        # Pauses must not overlap (svc check's rule), so keep them merged.
        cases.append({"id": f"X-{i:04d}", "calendar": rng.choice(list(CALENDARS)), "a": a, "b": b, "pauses": merged(pauses)})
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_repo(root, cases)
        run = subprocess.run(
            [svc, "--repo", str(root), "--now", "2027-06-01T00:00:00Z", "sla", "--format", "json",
             "--since", "2025-01-01", "--until", "2028-01-01"],
            capture_output=True, text=True, check=False)
        if run.returncode != 0:
            sys.exit(f"svc failed ({run.returncode}):\n{run.stderr}")
        counted = {i["id"]: i["resolution"]["counted_seconds"] for i in json.loads(run.stdout)["incidents"]}
    rules = {name: reference_rules(cal) for name, cal in CALENDARS.items()}
    failures = 0
    for case in cases:
        want = expected(rules[case["calendar"]], case["a"], case["b"], case["pauses"])
        got = counted.get(case["id"])
        if got != want:
            failures += 1
            print(f"MISMATCH {case['id']} {case['calendar']} {case['a']} -> {case['b']} pauses={case['pauses']}: "
                  f"svc {got}, businesstimedelta {want}")
    print(f"{len(cases) - failures} passed, {failures} failed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
