//! `svc report changes` through the binary, on a hand-made repo whose figures are
//! worked out by hand below: counts by type and outcome, the change failure rate,
//! odd and even median lead times (with a half second), incidents caused, null
//! figures, the period's bounds, the upcoming window [now, now + 14 d) with its
//! conflicts, the records left out; every format; and the `change_failure_rate`
//! objective of `svc sla` with `--fail-on-breach`.

use std::path::Path;

use serde_json::json;

use crate::common::{put as write, svc};

/// 2026-03-20T12:00:00Z: the upcoming window is [this, 2026-04-03T12:00:00Z).
const NOW: &str = "--now=2026-03-20T12:00:00Z";

fn service(id: &str, policy: &str) -> String {
    format!(
        "kind: Service\nid: {id}\nowner: team\npolicy: {policy}\ncontacts: {{ oncall: a@x.org }}\nlinks: {{ runbook: r, dashboard: d }}\nlifecycle:\n  stage: operational\n  history: [{{ stage: operational, at: 2025-01-01T00:00:00Z, by: a }}]\n"
    )
}

/// A closed change that was implemented from `start` to `end` (None: not yet
/// ended, so it stays `implemented`), first recorded at `first`.
fn implemented(
    id: &str,
    service: &str,
    change_type: &str,
    outcome: Option<&str>,
    [first, start, end]: [Option<&str>; 3],
) -> String {
    let first = first.unwrap_or("2026-01-01T00:00:00Z");
    let start = start.unwrap();
    let mut text = format!(
        "kind: Change\nid: {id}\nservice: {service}\ntitle: Change {id}\ntype: {change_type}\n\
         window: {{ start: {start}, end: 2026-06-30T00:00:00Z }}\n\
         rollback_plan: undo\nverification_plan: look\n\
         approvals: [{{ by: cab@x.org, at: {first} }}]\n"
    );
    match end {
        Some(end) => text.push_str(&format!("implemented: {{ start: {start}, end: {end} }}\n")),
        None => text.push_str(&format!("implemented: {{ start: {start} }}\n")),
    }
    let state = match outcome {
        Some(outcome) => {
            text.push_str(&format!("outcome: {outcome}\n"));
            "closed"
        }
        None => "implemented",
    };
    text.push_str(&format!(
        "state: {state}\nhistory:\n  - {{ state: requested, at: {first}, by: a }}\n  - {{ state: {state}, at: 2026-06-30T00:00:00Z, by: a }}\n"
    ));
    text
}

/// An open change with a window.
fn planned(id: &str, service: &str, state: &str, start: &str, end: &str) -> String {
    let approvals = if state == "requested" {
        String::new()
    } else {
        "approvals: [{ by: cab@x.org, at: 2026-03-01T00:00:00Z }]\n".to_string()
    };
    format!(
        "kind: Change\nid: {id}\nservice: {service}\ntitle: Planned {id}\ntype: normal\n\
         window: {{ start: {start}, end: {end} }}\nrollback_plan: undo\nverification_plan: look\n\
         {approvals}state: {state}\nhistory:\n  - {{ state: {state}, at: 2026-03-01T00:00:00Z, by: a }}\n"
    )
}

fn incident(id: &str, service: &str, caused_by: &str, extra: &str) -> String {
    format!(
        "kind: Incident\nid: {id}\nservice: {service}\ntitle: t\npriority: P1\n\
         opened_at: 2026-03-05T10:00:00Z\nresolved_at: 2026-03-05T11:00:00Z\ncaused_by_change: {caused_by}\n{extra}"
    )
}

/// The repo of the worked figures (Berlin time; March 2026 runs from
/// 2026-02-28T23:00Z to 2026-03-31T22:00Z).
///
/// `pay` (policy gold, objective 40 %), changes started in March:
/// - C1 normal, successful: 03-01T10:00Z → end 03-02T11:00Z, lead 90,000 s
/// - C2 standard, failed: 03-03T00:00Z → 03-03T06:00:01Z, lead 21,601 s
/// - C3 emergency, rolled back: 03-04T00:00Z → 03-04T03:00:00.5Z, lead 10,800.5 s
/// - C4 normal, no outcome, no end (no lead)
/// - C5 normal, successful, started exactly at 2026-03-01T00:00+01:00 (the
///   period's first instant): 02-28T00:00+01:00 → 03-01T01:00+01:00, lead 90,000 s
/// - C6 failed, started at 2026-04-01T00:00+02:00 (the period's end: not counted)
/// - C7 has a schema error (left out), C8's service `broken` has one (left out with it)
///
/// So `pay`: 5 changes, 1 standard, 3 normal, 1 emergency, 2 successful,
/// 1 failed, 1 rolled back, failure rate 2 / 4 = 50 %, lead times 10,800.5,
/// 21,601, 90,000, 90,000: median (21,601 + 90,000) / 2 = 55,800.5 → 55,801.
/// Incidents caused: I1 (C2) and I2 (C3, on `web`); I3 names C6 (outside the
/// period), I4 names C1 but has an error of its own.
///
/// `web` (policy silver, objective 50 %): W1 successful (lead 10 s), W2 failed
/// (20 s), W3 standard with no outcome (100 s): 3 changes, failure rate 1 / 2 =
/// 50 % (at the objective: met), median lead 20 s (odd count).
fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "svc.toml",
        "[repo]\nname = \"t\"\ntimezone = \"Europe/Berlin\"\n",
    );
    write(
        root,
        "policies/gold.yaml",
        "kind: SlaPolicy\nid: gold\ntargets:\n  P1: { response: 1h, resolution: 4h }\nobjectives:\n  change_failure_rate: 40%\n",
    );
    write(
        root,
        "policies/silver.yaml",
        "kind: SlaPolicy\nid: silver\ntargets:\n  P1: { response: 1h, resolution: 4h }\nobjectives:\n  change_failure_rate: 50%\n",
    );
    write(root, "services/pay.yaml", service("pay", "gold"));
    write(root, "services/web.yaml", service("web", "silver"));
    write(root, "services/quiet.yaml", service("quiet", "silver"));
    write(
        root,
        "services/broken.yaml",
        format!("{}colour: blue\n", service("broken", "silver")),
    );
    let changes = [
        (
            "C1",
            implemented(
                "C1",
                "pay",
                "normal",
                Some("successful"),
                [
                    Some("2026-03-01T10:00:00Z"),
                    Some("2026-03-02T10:00:00Z"),
                    Some("2026-03-02T11:00:00Z"),
                ],
            ),
        ),
        (
            "C2",
            implemented(
                "C2",
                "pay",
                "standard",
                Some("failed"),
                [
                    Some("2026-03-03T00:00:00Z"),
                    Some("2026-03-03T06:00:00Z"),
                    Some("2026-03-03T06:00:01Z"),
                ],
            ),
        ),
        (
            "C3",
            implemented(
                "C3",
                "pay",
                "emergency",
                Some("rolled-back"),
                [
                    Some("2026-03-04T00:00:00Z"),
                    Some("2026-03-04T01:00:00Z"),
                    Some("2026-03-04T03:00:00.5Z"),
                ],
            ),
        ),
        (
            "C4",
            implemented(
                "C4",
                "pay",
                "normal",
                None,
                [None, Some("2026-03-10T00:00:00Z"), None],
            ),
        ),
        (
            "C5",
            implemented(
                "C5",
                "pay",
                "normal",
                Some("successful"),
                [
                    Some("2026-02-28T00:00:00+01:00"),
                    Some("2026-03-01T00:00:00+01:00"),
                    Some("2026-03-01T01:00:00+01:00"),
                ],
            ),
        ),
        (
            "C6",
            implemented(
                "C6",
                "pay",
                "normal",
                Some("failed"),
                [
                    None,
                    Some("2026-04-01T00:00:00+02:00"),
                    Some("2026-04-01T01:00:00+02:00"),
                ],
            ),
        ),
        (
            "C7",
            implemented(
                "C7",
                "pay",
                "normal",
                Some("failed"),
                [None, Some("2026-03-12T00:00:00Z"), None],
            )
            .replace("type: normal", "type: normal\nrisk: extreme"),
        ),
        (
            "C8",
            implemented(
                "C8",
                "broken",
                "normal",
                Some("failed"),
                [
                    None,
                    Some("2026-03-12T00:00:00Z"),
                    Some("2026-03-12T01:00:00Z"),
                ],
            ),
        ),
        (
            "W1",
            implemented(
                "W1",
                "web",
                "normal",
                Some("successful"),
                [
                    Some("2026-03-05T00:00:00Z"),
                    Some("2026-03-05T00:00:05Z"),
                    Some("2026-03-05T00:00:10Z"),
                ],
            ),
        ),
        (
            "W2",
            implemented(
                "W2",
                "web",
                "normal",
                Some("failed"),
                [
                    Some("2026-03-06T00:00:00Z"),
                    Some("2026-03-06T00:00:05Z"),
                    Some("2026-03-06T00:00:20Z"),
                ],
            ),
        ),
        (
            "W3",
            implemented(
                "W3",
                "web",
                "standard",
                None,
                [
                    Some("2026-03-07T00:00:00Z"),
                    Some("2026-03-07T00:00:05Z"),
                    Some("2026-03-07T00:01:40Z"),
                ],
            ),
        ),
        // Upcoming: [2026-03-20T12:00Z, 2026-04-03T12:00Z).
        (
            "U1",
            planned(
                "U1",
                "pay",
                "scheduled",
                "2026-03-20T12:00:00Z",
                "2026-03-20T14:00:00Z",
            ),
        ),
        (
            "U2",
            planned(
                "U2",
                "pay",
                "approved",
                "2026-03-20T13:00:00Z",
                "2026-03-20T15:00:00Z",
            ),
        ),
        (
            "U3",
            planned(
                "U3",
                "web",
                "requested",
                "2026-04-03T12:00:00Z",
                "2026-04-03T13:00:00Z",
            ),
        ),
        (
            "U4",
            planned(
                "U4",
                "web",
                "requested",
                "2026-04-03T11:59:59Z",
                "2026-04-03T13:00:00Z",
            ),
        ),
        (
            "U5",
            planned(
                "U5",
                "pay",
                "scheduled",
                "2026-03-20T11:00:00Z",
                "2026-03-20T12:30:00Z",
            ),
        ),
        (
            "X1",
            "kind: Change\nid: X1\nservice: pay\ntitle: cancelled\nwindow: { start: 2026-03-21T00:00:00Z, end: 2026-03-21T01:00:00Z }\nstate: cancelled\nhistory:\n  - { state: requested, at: 2026-03-01T00:00:00Z, by: a }\n  - { state: cancelled, at: 2026-03-02T00:00:00Z, by: a }\n".to_string(),
        ),
    ];
    for (id, text) in changes {
        write(root, &format!("changes/{id}.yaml"), &text);
    }
    write(
        root,
        "incidents/2026/I1.yaml",
        incident("I1", "pay", "C2", ""),
    );
    write(
        root,
        "incidents/2026/I2.yaml",
        incident("I2", "web", "C3", ""),
    );
    write(
        root,
        "incidents/2026/I3.yaml",
        incident("I3", "pay", "C6", ""),
    );
    write(
        root,
        "incidents/2026/I4.yaml",
        incident("I4", "pay", "C1", "severity: high\n"),
    );
    dir
}

fn changes_json(repo: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec![NOW, "report", "changes", "--format", "json"];
    all.extend_from_slice(args);
    let run = svc(repo, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

#[test]
fn the_fixture_has_exactly_the_intended_errors() {
    let repo = repo();
    let run = svc(repo.path(), &[NOW, "check", "--format", "json"]);
    let errors: Vec<(String, String)> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            ("changes/C7.yaml".to_string(), "schema".to_string()),
            ("incidents/2026/I4.yaml".to_string(), "schema".to_string()),
            ("services/broken.yaml".to_string(), "schema".to_string()),
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn figures_per_service_are_the_worked_ones() {
    let repo = repo();
    let report = changes_json(repo.path(), &["--period", "2026-03"]);
    let top = crate::common::keys(&report);
    assert_eq!(top, ["period", "now", "services", "upcoming", "skipped"]);
    assert_eq!(
        report["period"],
        json!({"since": "2026-03-01T00:00:00+01:00", "until": "2026-04-01T00:00:00+02:00"})
    );
    assert_eq!(report["now"], "2026-03-20T12:00:00Z");
    assert_eq!(
        report["services"],
        json!([
            {"service": "pay", "changes": 5, "standard": 1, "normal": 3, "emergency": 1,
             "successful": 2, "failed": 1, "rolled_back": 1, "change_failure_rate_pct": 50.0,
             "lead_time_median_seconds": 55801, "incidents_caused": 2},
            {"service": "web", "changes": 3, "standard": 1, "normal": 2, "emergency": 0,
             "successful": 1, "failed": 1, "rolled_back": 0, "change_failure_rate_pct": 50.0,
             "lead_time_median_seconds": 20, "incidents_caused": 0},
        ])
    );
}

#[test]
fn a_service_without_changes_has_null_figures() {
    let repo = repo();
    let report = changes_json(repo.path(), &["--period", "2026-03", "--service", "quiet"]);
    assert_eq!(
        report["services"],
        json!([{"service": "quiet", "changes": 0, "standard": 0, "normal": 0, "emergency": 0,
             "successful": 0, "failed": 0, "rolled_back": 0, "change_failure_rate_pct": null,
             "lead_time_median_seconds": null, "incidents_caused": 0}])
    );
    // Changes with neither an outcome nor an end: counted, but no rate and no lead time.
    let report = changes_json(
        repo.path(),
        &[
            "--since",
            "2026-03-10T00:00:00Z",
            "--until",
            "2026-03-11T00:00:00Z",
        ],
    );
    assert_eq!(report["services"][0]["service"], "pay");
    assert_eq!(report["services"][0]["changes"], 1);
    assert_eq!(
        report["services"][0]["change_failure_rate_pct"],
        json!(null)
    );
    assert_eq!(
        report["services"][0]["lead_time_median_seconds"],
        json!(null)
    );
}

#[test]
fn the_period_end_is_exclusive_and_its_start_inclusive() {
    let repo = repo();
    // April holds only C6, which started at its first instant.
    let april = changes_json(repo.path(), &["--period", "2026-04"]);
    assert_eq!(april["services"].as_array().unwrap().len(), 1);
    assert_eq!(april["services"][0]["changes"], 1);
    assert_eq!(april["services"][0]["failed"], 1);
    assert_eq!(april["services"][0]["incidents_caused"], 1);
    // A one-second period at March's first instant holds C5 alone.
    let until = changes_json(
        repo.path(),
        &[
            "--since",
            "2026-03-01",
            "--until",
            "2026-03-01T00:00:01+01:00",
        ],
    );
    assert_eq!(until["services"][0]["changes"], 1, "C5 alone: {until}");
    assert_eq!(until["services"][0]["lead_time_median_seconds"], 90000);
}

#[test]
fn upcoming_is_the_next_fortnight_with_every_conflict_whatever_the_service() {
    let repo = repo();
    // U3 starts at the window's exclusive end, U5 before now, X1 is cancelled;
    // U3 and U5 still conflict with the upcoming ones.
    let report = changes_json(repo.path(), &["--period", "2026-03", "--service", "web"]);
    assert_eq!(report["services"].as_array().unwrap().len(), 1);
    assert_eq!(
        report["upcoming"],
        json!([
            {"change": "U1", "service": "pay", "state": "scheduled",
             "window": {"start": "2026-03-20T13:00:00+01:00", "end": "2026-03-20T15:00:00+01:00"},
             "conflicts": ["U5", "U2"]},
            {"change": "U2", "service": "pay", "state": "approved",
             "window": {"start": "2026-03-20T14:00:00+01:00", "end": "2026-03-20T16:00:00+01:00"},
             "conflicts": ["U1"]},
            {"change": "U4", "service": "web", "state": "requested",
             "window": {"start": "2026-04-03T13:59:59+02:00", "end": "2026-04-03T15:00:00+02:00"},
             "conflicts": ["U3"]},
        ])
    );
}

#[test]
fn records_with_errors_are_left_out_and_listed() {
    let repo = repo();
    let run = svc(
        repo.path(),
        &[
            NOW, "report", "changes", "--period", "2026-03", "--format", "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.json()["skipped"],
        json!([
            {"id": "C7", "file": "changes/C7.yaml", "reason": "schema"},
            {"id": "C8", "file": "changes/C8.yaml", "reason": "depends-on-skipped"},
            {"id": "I4", "file": "incidents/2026/I4.yaml", "reason": "schema"},
            {"id": "broken", "file": "services/broken.yaml", "reason": "schema"},
        ])
    );
    assert!(
        run.stderr
            .contains("3 records left out for their own errors (C7, I4, broken)")
            && run
                .stderr
                .contains("1 record left out with a record it depends on (C8)"),
        "{}",
        run.stderr
    );
    // Outside the period the left-out changes could not have counted.
    let february = changes_json(repo.path(), &["--period", "2026-02"]);
    assert_eq!(
        february["skipped"],
        json!([{"id": "broken", "file": "services/broken.yaml", "reason": "schema"}])
    );
    // A service left out has no figures; it and its change are listed.
    let broken = changes_json(repo.path(), &["--period", "2026-03", "--service", "broken"]);
    assert_eq!(broken["services"], json!([]));
    assert_eq!(
        broken["skipped"],
        json!([
            {"id": "C8", "file": "changes/C8.yaml", "reason": "depends-on-skipped"},
            {"id": "broken", "file": "services/broken.yaml", "reason": "schema"},
        ])
    );
    // With --service, another service's left-out records are not listed.
    let web = changes_json(repo.path(), &["--period", "2026-03", "--service", "web"]);
    assert_eq!(web["skipped"], json!([]));
}

#[test]
fn an_unknown_service_is_a_usage_error_with_a_suggestion() {
    let repo = repo();
    let run = svc(
        repo.path(),
        &[NOW, "report", "changes", "--service", "quite"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no service `quite`"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `quiet`?"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    let run = svc(
        repo.path(),
        &[NOW, "report", "problems", "--service", "qiuet"],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `quiet`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn table_shows_the_figures_and_the_upcoming_changes() {
    let repo = repo();
    let run = svc(
        repo.path(),
        &[NOW, "-q", "report", "changes", "--period", "2026-03"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.starts_with(
            "Change report 2026-03-01T00:00:00+01:00 to 2026-04-01T00:00:00+02:00 (now 2026-03-20T12:00:00Z)\n"
        ),
        "{out}"
    );
    let pay = out.lines().find(|l| l.contains(" pay ")).unwrap();
    let cells: Vec<&str> = pay
        .split(['│', '┆'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    assert_eq!(
        cells,
        [
            "pay", "5", "1", "3", "1", "2", "1", "1", "50.00%", "15h 30m", "2"
        ]
    );
    assert!(out.contains("Upcoming changes (next 14 days)"), "{out}");
    let u1 = out.lines().find(|l| l.contains(" U1 ")).unwrap();
    assert!(u1.contains("U5, U2") && u1.contains("Planned U1"), "{u1}");
    // A period with nothing in it says so.
    let run = svc(
        repo.path(),
        &[NOW, "-q", "report", "changes", "--period", "2025-03"],
    );
    assert!(
        run.stdout
            .contains("no change was implemented in this period"),
        "{}",
        run.stdout
    );
}

#[test]
fn csv_has_raw_figures_then_the_upcoming_changes() {
    let repo = repo();
    let run = svc(
        repo.path(),
        &[
            NOW, "-q", "report", "changes", "--period", "2026-03", "--format", "csv",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "service,changes,standard,normal,emergency,successful,failed,rolled_back,change_failure_rate_pct,lead_time_median_seconds,incidents_caused\n\
         pay,5,1,3,1,2,1,1,50,55801,2\n\
         web,3,1,2,0,1,1,0,50,20,0\n\
         \n\
         change,service,state,window_start,window_end,conflicts,title\n\
         U1,pay,scheduled,2026-03-20T13:00:00+01:00,2026-03-20T15:00:00+01:00,U5 U2,Planned U1\n\
         U2,pay,approved,2026-03-20T14:00:00+01:00,2026-03-20T16:00:00+01:00,U1,Planned U2\n\
         U4,web,requested,2026-04-03T13:59:59+02:00,2026-04-03T15:00:00+02:00,U3,Planned U4\n"
    );
}

#[test]
fn markdown_has_both_tables() {
    let repo = repo();
    let run = svc(
        repo.path(),
        &[
            NOW, "-q", "report", "changes", "--period", "2026-03", "--format", "markdown",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.starts_with("## Changes 2026-03-01T00:00:00+01:00 to 2026-04-01T00:00:00+02:00\n\n| service | changes |"),
        "{out}"
    );
    assert!(
        out.contains("| web | 3 | 1 | 2 | 0 | 1 | 1 | 0 | 50.00% | 20s | 0 |"),
        "{out}"
    );
    assert!(
        out.contains("### Upcoming changes (14 days from 2026-03-20T12:00:00Z)"),
        "{out}"
    );
    assert!(
        out.contains("| U4 | web | requested | 2026-04-03T13:59:59+02:00 | 2026-04-03T15:00:00+02:00 | U3 | Planned U4 |"),
        "{out}"
    );
}

#[test]
fn the_default_period_starts_in_the_month_of_the_first_implementation() {
    let repo = repo();
    // C5 started on 2026-03-01 (Berlin): the first implementation.
    let report = changes_json(repo.path(), &[]);
    assert_eq!(
        report["period"],
        json!({"since": "2026-03-01T00:00:00+01:00", "until": "2026-03-20T13:00:00+01:00"})
    );
}

fn objective(report: &serde_json::Value, service: &str) -> serde_json::Value {
    report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == service)
        .unwrap()["objectives"]["change_failure_rate"]
        .clone()
}

#[test]
fn change_failure_rate_objective_in_sla_and_fail_on_breach() {
    let repo = repo();
    let run = svc(
        repo.path(),
        &[NOW, "sla", "--period", "2026-03", "--format", "json"],
    );
    let report = run.json();
    // pay: 2 of 4 failed, against at most 40 %: missed.
    assert_eq!(
        objective(&report, "pay"),
        json!({"target": 40.0, "actual": 50.0, "ok": false})
    );
    // web: 1 of 2, exactly the 50 % allowed: met (lower is better).
    assert_eq!(
        objective(&report, "web"),
        json!({"target": 50.0, "actual": 50.0, "ok": true})
    );
    // quiet: no change, nothing measured.
    assert_eq!(
        objective(&report, "quiet"),
        json!({"target": 50.0, "actual": null, "ok": null})
    );
    let run = svc(
        repo.path(),
        &[NOW, "-q", "sla", "--period", "2026-03", "--fail-on-breach"],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("change_failure_rate 50.00%/40.00% MISSED"),
        "{}",
        run.stdout
    );
    // Without pay the other services meet theirs.
    let run = svc(
        repo.path(),
        &[
            NOW,
            "-q",
            "sla",
            "--period",
            "2026-03",
            "--service",
            "web",
            "--fail-on-breach",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    // February: no change with an outcome started, so nothing is missed.
    let run = svc(
        repo.path(),
        &[NOW, "-q", "sla", "--period", "2026-02", "--fail-on-breach"],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    // Grouped by policy, gold's figure is pay's.
    let run = svc(
        repo.path(),
        &[
            NOW,
            "sla",
            "--period",
            "2026-03",
            "--group-by",
            "policy",
            "--format",
            "json",
        ],
    );
    let report = run.json();
    let gold = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["policy"] == "gold")
        .unwrap();
    assert_eq!(
        gold["objectives"]["change_failure_rate"],
        json!({"target": 40.0, "actual": 50.0, "ok": false})
    );
}
