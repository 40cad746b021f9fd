//! `svc sla` through the binary: arithmetic on hand-worked incidents, the JSON
//! contract of SPEC §3.4, every output format, `--open` and `--fail-on-breach`.

use std::path::Path;

use crate::common::{example, svc};

const NOW: &str = "--now=2026-10-01T00:00:00Z";

/// A repo with one 24x7 policy, one business-hours policy and the given incidents.
fn repo_with(incidents: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "svc.toml",
        "[repo]\nname = \"t\"\ntimezone = \"Europe/Berlin\"\n",
    );
    write(
        "calendars/office.yaml",
        "kind: Calendar\nid: office\ntimezone: Europe/Berlin\nhours:\n  mon: [\"09:00-18:00\"]\n  tue: [\"09:00-18:00\"]\n  wed: [\"09:00-18:00\"]\n  thu: [\"09:00-18:00\"]\n  fri: [\"09:00-18:00\"]\n",
    );
    write(
        "policies/gold.yaml",
        "kind: SlaPolicy\nid: gold\ntargets:\n  P1: { response: 15m, resolution: 4h }\nobjectives:\n  compliance: 95%\n  availability: 99.9%\nescalation:\n  - { after: 50%, notify: team-lead }\n  - { after: 100%, notify: head-of-ops }\n",
    );
    write(
        "policies/office.yaml",
        "kind: SlaPolicy\nid: office\ncalendar: office\ntargets:\n  P2: { response: 1h, resolution: 2h }\n",
    );
    let service = |id: &str, policy: &str| {
        format!(
            "kind: Service\nid: {id}\nowner: team\npolicy: {policy}\ncontacts: {{ oncall: a@x.org }}\nlinks: {{ runbook: r, dashboard: d }}\nlifecycle:\n  stage: operational\n  history: [{{ stage: operational, at: 2025-01-01T00:00:00Z, by: a }}]\n"
        )
    };
    write(
        "services/payments-api.yaml",
        &service("payments-api", "gold"),
    );
    write("services/backoffice.yaml", &service("backoffice", "office"));
    for (id, body) in incidents {
        write(
            &format!("incidents/2026/{id}.yaml"),
            &format!("kind: Incident\nid: {id}\ntitle: t\n{body}"),
        );
    }
    dir
}

const SPEC_INCIDENT: (&str, &str) = (
    "INC-2026-0042",
    "service: payments-api\npriority: P1\nopened_at: 2026-03-02T09:14:00+01:00\nacknowledged_at: 2026-03-02T09:20:00+01:00\nresolved_at: 2026-03-02T11:02:00+01:00\npaused:\n  - { from: 2026-03-02T10:00:00+01:00, to: 2026-03-02T10:30:00+01:00, reason: awaiting-customer }\noutage:\n  - { from: 2026-03-02T09:10:00+01:00, to: 2026-03-02T10:45:00+01:00 }\nsatisfaction: 4\n",
);

fn sla_json(repo: &Path, args: &[&str]) -> serde_json::Value {
    let mut all = vec![NOW, "sla", "--format", "json"];
    all.extend_from_slice(args);
    let run = svc(repo, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

#[test]
fn spec_example_incident_counts_pauses_out() {
    let repo = repo_with(&[SPEC_INCIDENT]);
    let report = sla_json(repo.path(), &["--period", "2026-03"]);
    assert_eq!(
        report["incidents"][0],
        serde_json::json!({"id": "INC-2026-0042", "service": "payments-api", "priority": "P1",
            "response": {"counted_seconds": 360, "target_seconds": 900, "state": "met"},
            "resolution": {"counted_seconds": 4680, "target_seconds": 14400, "state": "met"},
            "state": "met"})
    );
    // 95 minutes of outage in March (31 days, DST starts on the 29th: 44,580 minutes in Berlin).
    let service = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "payments-api")
        .unwrap();
    assert_eq!(service["availability_pct"], 99.79);
    assert_eq!(service["mtta_seconds"], 360);
    assert_eq!(service["mttr_seconds"], 6480);
    assert_eq!(service["csat_pct"], 100.0);
    assert_eq!(
        report["period"],
        serde_json::json!({"since": "2026-03-01T00:00:00+01:00", "until": "2026-04-01T00:00:00+02:00"})
    );
    assert_eq!(report["now"], "2026-10-01T00:00:00Z");
}

#[test]
fn json_keys_are_exactly_the_spec_keys_in_order() {
    let report = sla_json(&example(), &["--period", "2026-Q1"]);
    let top = crate::common::keys(&report);
    assert_eq!(top, ["period", "now", "services", "incidents", "skipped"]);
    let service = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "payments-api")
        .unwrap();
    let keys = crate::common::keys(service);
    assert_eq!(
        keys,
        [
            "service",
            "policy",
            "incidents",
            "met",
            "breached",
            "pending",
            "compliance_pct",
            "response_met_pct",
            "resolution_met_pct",
            "mtta_seconds",
            "mttr_seconds",
            "availability_pct",
            "csat_pct",
            "objectives"
        ]
    );
    let objective = &service["objectives"]["compliance"];
    let keys = crate::common::keys(objective);
    assert_eq!(keys, ["target", "actual", "ok"]);
    let incident = &report["incidents"][0];
    let keys = crate::common::keys(incident);
    assert_eq!(
        keys,
        [
            "id",
            "service",
            "priority",
            "response",
            "resolution",
            "state"
        ]
    );
    let ids: Vec<&str> = report["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "incidents are in id order");
}

#[test]
fn business_hours_stop_the_clock_overnight() {
    // Monday 17:00 to Tuesday 10:00 on 09:00-18:00 is 2 h; response by 17:30 is 30 min.
    let repo = repo_with(&[(
        "INC-1",
        "service: backoffice\npriority: P2\nopened_at: 2026-03-02T17:00:00+01:00\nacknowledged_at: 2026-03-02T17:30:00+01:00\nresolved_at: 2026-03-03T10:00:00+01:00\n",
    )]);
    let report = sla_json(repo.path(), &["--period", "2026-03"]);
    assert_eq!(report["incidents"][0]["response"]["counted_seconds"], 1800);
    assert_eq!(
        report["incidents"][0]["resolution"]["counted_seconds"],
        7200
    );
    assert_eq!(report["incidents"][0]["resolution"]["state"], "met");
}

#[test]
fn figures_with_nothing_to_divide_are_null_and_no_outage_is_full_availability() {
    let repo = repo_with(&[(
        "INC-1",
        "service: payments-api\npriority: P1\nopened_at: 2026-09-30T21:50:00Z\n",
    )]);
    let run = svc(
        repo.path(),
        &[
            "--now=2026-09-30T22:00:00Z",
            "sla",
            "--period",
            "2026-09",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let service = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "payments-api")
        .unwrap();
    assert_eq!(service["pending"], 1);
    assert_eq!(service["compliance_pct"], serde_json::Value::Null);
    assert_eq!(service["mtta_seconds"], serde_json::Value::Null);
    assert_eq!(service["csat_pct"], serde_json::Value::Null);
    assert_eq!(service["availability_pct"], 100.0);
    assert_eq!(
        service["objectives"]["compliance"]["ok"],
        serde_json::Value::Null
    );
    // The pending target's counted time runs to --now.
    assert_eq!(report["incidents"][0]["response"]["counted_seconds"], 600);
    assert_eq!(report["incidents"][0]["response"]["state"], "pending");
}

#[test]
fn fail_on_breach_exits_1_only_when_an_objective_is_missed() {
    let breached = repo_with(&[(
        "INC-1",
        "service: payments-api\npriority: P1\nopened_at: 2026-03-02T09:00:00Z\nresolved_at: 2026-03-02T15:00:00Z\n",
    )]);
    let run = svc(
        breached.path(),
        &[NOW, "sla", "--period", "2026-03", "--fail-on-breach"],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(
        svc(breached.path(), &[NOW, "sla", "--period", "2026-03"]).code,
        0
    );
    let fine = repo_with(&[SPEC_INCIDENT]);
    let run = svc(
        fine.path(),
        &[
            NOW,
            "sla",
            "--period",
            "2026-03",
            "--fail-on-breach",
            "--service",
            "backoffice",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn incidents_without_a_target_are_reported_and_left_out() {
    let repo = repo_with(&[
        SPEC_INCIDENT,
        (
            "INC-2",
            "service: payments-api\npriority: P9\nopened_at: 2026-03-03T09:00:00Z\n",
        ),
    ]);
    let run = svc(
        repo.path(),
        &[NOW, "sla", "--period", "2026-03", "--format", "json"],
    );
    assert_eq!(run.code, 0);
    assert!(
        run.stderr
            .contains("1 record left out for its own errors (INC-2)"),
        "{}",
        run.stderr
    );
    let report = run.json();
    assert_eq!(report["incidents"].as_array().unwrap().len(), 1);
    assert_eq!(
        report["skipped"],
        serde_json::json!([{"id": "INC-2", "file": "incidents/2026/INC-2.yaml", "reason": "missing-target"}])
    );
}

#[test]
fn open_view_lists_most_urgent_first_with_escalation() {
    let repo = repo_with(&[
        (
            "INC-1",
            "service: payments-api\npriority: P1\nopened_at: 2026-09-30T22:00:00Z\nacknowledged_at: 2026-09-30T22:05:00Z\n",
        ),
        (
            "INC-2",
            "service: payments-api\npriority: P1\nopened_at: 2026-09-30T23:55:00Z\n",
        ),
        SPEC_INCIDENT,
    ]);
    let run = svc(repo.path(), &[NOW, "sla", "--open", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let open = run.json()["open"].clone();
    let ids: Vec<&str> = open
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    // INC-2 breaches its response target in 10 minutes; INC-1 its resolution in 2 hours.
    assert_eq!(ids, ["INC-2", "INC-1"]);
    assert_eq!(open[0]["response"]["left_seconds"], 600);
    assert_eq!(open[0]["escalation"], serde_json::Value::Null);
    // INC-1: 2 h of a 4 h resolution target: the 50% step is due.
    assert_eq!(open[1]["resolution"]["left_seconds"], 7200);
    assert_eq!(open[1]["response"], serde_json::Value::Null);
    assert_eq!(open[1]["escalation"]["notify"], "team-lead");
}

#[test]
fn bad_period_is_a_usage_error() {
    let run = svc(&example(), &[NOW, "sla", "--period", "2026-13"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("2026-Q1"), "{}", run.stderr);
    assert_eq!(svc(&example(), &[NOW, "sla", "--format", "xml"]).code, 2);
}

#[test]
fn every_format_renders_the_example_repo() {
    for (format, name) in [
        ("table", "sla_table"),
        ("csv", "sla_csv"),
        ("markdown", "sla_markdown"),
    ] {
        let run = svc(
            &example(),
            &[
                NOW, "--color", "never", "sla", "--period", "2026-Q3", "--detail", "--format",
                format,
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(name, run.stdout);
    }
    let json = svc(
        &example(),
        &[NOW, "sla", "--period", "2026-Q3", "--format", "json"],
    );
    insta::assert_snapshot!("sla_json", json.stdout);
    let open = svc(&example(), &[NOW, "--color", "never", "sla", "--open"]);
    insta::assert_snapshot!("sla_open", open.stdout);
}

#[test]
fn group_by_policy_sums_incidents_per_policy() {
    let report = sla_json(&example(), &["--period", "2026-Q3", "--group-by", "policy"]);
    // The top-level keys of SPEC §3.4 hold whatever the grouping.
    let keys: Vec<&String> = report.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["period", "now", "services", "incidents", "skipped"]);
    let groups = report["services"].as_array().unwrap();
    let names: Vec<&str> = groups
        .iter()
        .map(|g| g["policy"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["gold", "platinum", "silver"]);
    let per_service = sla_json(&example(), &["--period", "2026-Q3"]);
    let total: u64 = per_service["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["incidents"].as_u64().unwrap())
        .sum();
    let grouped: u64 = groups
        .iter()
        .map(|g| g["incidents"].as_u64().unwrap())
        .sum();
    assert_eq!(total, grouped);
}

#[test]
fn sub_second_timestamps_count_exactly_and_round_half_away_from_zero() {
    let repo = repo_with(&[
        // 899.2 s on 24x7: shown as 899, met.
        (
            "INC-1",
            "service: payments-api\npriority: P1\nopened_at: 2026-03-02T09:00:00.900Z\nacknowledged_at: 2026-03-02T09:15:00.100Z\nresolved_at: 2026-03-02T10:00:00.400Z\n",
        ),
        // 900.4 s against a 900 s target: a breach, although shown as 900.
        (
            "INC-2",
            "service: payments-api\npriority: P1\nopened_at: 2026-03-03T09:00:00Z\nacknowledged_at: 2026-03-03T09:15:00.400Z\nresolved_at: 2026-03-03T10:00:00Z\n",
        ),
        // Opened 0.4 s before the office opens: 600.6 s of working time.
        (
            "INC-3",
            "service: backoffice\npriority: P2\nopened_at: 2026-03-04T08:59:59.600+01:00\nacknowledged_at: 2026-03-04T09:10:00.600+01:00\nresolved_at: 2026-03-04T09:30:00+01:00\n",
        ),
    ]);
    let report = sla_json(repo.path(), &["--period", "2026-03"]);
    let incident = |i: usize| &report["incidents"][i];
    assert_eq!(incident(0)["response"]["counted_seconds"], 899);
    assert_eq!(incident(0)["response"]["state"], "met");
    assert_eq!(incident(0)["resolution"]["counted_seconds"], 3600);
    assert_eq!(incident(1)["response"]["counted_seconds"], 900);
    assert_eq!(incident(1)["response"]["state"], "breached");
    assert_eq!(incident(2)["response"]["counted_seconds"], 601);
    // Resolution 1800.4 s: rounds down.
    assert_eq!(incident(2)["resolution"]["counted_seconds"], 1800);
    // MTTA over 899.2 s and 900.4 s is 899.8 s: 900, not a mean of truncated seconds.
    let payments = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "payments-api")
        .unwrap();
    assert_eq!(payments["mtta_seconds"], 900);
    // MTTR over 3599.5 s and 3600 s is 3599.75 s.
    assert_eq!(payments["mttr_seconds"], 3600);
}

#[test]
fn objective_is_missed_when_the_unrounded_figure_is_below_target() {
    // 2,700 s down in March 2026 (2,674,800 s in Berlin): 99.899 %, shown as
    // 99.90 but below the 99.9 % objective.
    let repo = repo_with(&[(
        "INC-1",
        "service: payments-api\npriority: P1\nopened_at: 2026-03-02T09:00:00Z\nacknowledged_at: 2026-03-02T09:05:00Z\nresolved_at: 2026-03-02T09:45:00Z\noutage:\n  - { from: 2026-03-02T09:00:00Z, to: 2026-03-02T09:45:00Z }\n",
    )]);
    let report = sla_json(repo.path(), &["--period", "2026-03"]);
    let availability = &report["services"][1]["objectives"]["availability"];
    assert_eq!(report["services"][1]["service"], "payments-api");
    assert_eq!(
        *availability,
        serde_json::json!({"target": 99.9, "actual": 99.9, "ok": false})
    );
    let run = svc(
        repo.path(),
        &[NOW, "sla", "--period", "2026-03", "--fail-on-breach"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
}

#[test]
fn service_without_policy_appears_with_its_incident_figures() {
    let repo = repo_with(&[(
        "INC-1",
        "service: intranet\npriority: P3\nopened_at: 2026-03-02T09:00:00Z\nacknowledged_at: 2026-03-02T09:10:00Z\nresolved_at: 2026-03-02T10:00:00Z\nsatisfaction: 5\n",
    )]);
    std::fs::write(
        repo.path().join("services/intranet.yaml"),
        "kind: Service\nid: intranet\nowner: team\nlifecycle:\n  stage: development\n",
    )
    .unwrap();
    let run = svc(
        repo.path(),
        &[NOW, "sla", "--period", "2026-03", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "1 incident of intranet with no SLA policy counted in the figures but not evaluated"
        ),
        "{}",
        run.stderr
    );
    let report = run.json();
    let intranet = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "intranet")
        .expect("a service with incidents in the period is listed");
    assert_eq!(intranet["policy"], serde_json::Value::Null);
    assert_eq!(intranet["incidents"], 1);
    assert_eq!(intranet["met"], 0);
    assert_eq!(intranet["compliance_pct"], serde_json::Value::Null);
    assert_eq!(intranet["mtta_seconds"], 600);
    assert_eq!(intranet["mttr_seconds"], 3600);
    assert_eq!(intranet["csat_pct"], 100.0);
    assert_eq!(intranet["objectives"], serde_json::json!({}));
    // It has no targets, so it is not in the per-incident list.
    assert_eq!(report["incidents"], serde_json::json!([]));
}

#[test]
fn fail_on_breach_judges_services_under_any_grouping() {
    let repo = repo_with(&[(
        "INC-1",
        "service: payments-api\npriority: P1\nopened_at: 2026-03-02T09:00:00Z\nacknowledged_at: 2026-03-02T10:00:00Z\nresolved_at: 2026-03-02T11:00:00Z\n",
    )]);
    for group_by in ["service", "policy", "owner", "priority"] {
        let run = svc(
            repo.path(),
            &[
                NOW,
                "sla",
                "--period",
                "2026-03",
                "--group-by",
                group_by,
                "--fail-on-breach",
            ],
        );
        assert_eq!(run.code, 1, "--group-by {group_by}: {}", run.stderr);
    }
}

#[test]
fn open_fail_on_breach_exits_1_only_when_an_open_incident_is_breached() {
    let repo = repo_with(&[(
        "INC-1",
        "service: payments-api\npriority: P1\nopened_at: 2026-03-02T09:00:00Z\n",
    )]);
    let open = |now: &str| {
        svc(
            repo.path(),
            &[now, "sla", "--open", "--fail-on-breach", "--format", "csv"],
        )
    };
    let early = open("--now=2026-03-02T09:10:00Z");
    assert_eq!(early.code, 0, "{}", early.stderr);
    // Raw seconds in CSV: 600 counted, 300 left to respond, 13,800 to resolve.
    assert!(early.stdout.contains(",600,300,13800,"), "{}", early.stdout);
    let late = open("--now=2026-03-02T09:20:00Z");
    assert_eq!(late.code, 1, "{}", late.stderr);
}

#[test]
fn unknown_service_and_loose_periods_are_usage_errors() {
    let repo = repo_with(&[SPEC_INCIDENT]);
    let run = svc(repo.path(), &[NOW, "sla", "--service", "payments-apl"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `payments-api`?"),
        "{}",
        run.stderr
    );
    for period in ["2026-3", "2026-W9", "+2026-03", "2026-Q01", "0000"] {
        let run = svc(repo.path(), &[NOW, "sla", "--period", period]);
        assert_eq!(run.code, 2, "--period {period}");
    }
    let run = svc(repo.path(), &[NOW, "sla", "--open", "--period", "2026-03"]);
    assert_eq!(run.code, 2, "--open takes no period");
    // No dates were given: the help must not say to swap them.
    let run = svc(repo.path(), &["--now=2026-01-01T00:00:00Z", "sla"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("give --since"), "{}", run.stderr);
}

#[test]
fn color_always_colours_breaches_in_a_pipe() {
    let repo = repo_with(&[(
        "INC-1",
        "service: payments-api\npriority: P1\nopened_at: 2026-03-02T09:00:00Z\nacknowledged_at: 2026-03-02T10:00:00Z\nresolved_at: 2026-03-02T11:00:00Z\n",
    )]);
    let always = svc(
        repo.path(),
        &[NOW, "--color", "always", "sla", "--period", "2026-03"],
    );
    assert!(always.stdout.contains('\u{1b}'), "{}", always.stdout);
    let never = svc(
        repo.path(),
        &[NOW, "--color", "never", "sla", "--period", "2026-03"],
    );
    assert!(!never.stdout.contains('\u{1b}'));
}

#[test]
fn terminal_escapes_never_reach_stderr() {
    // `\e` in a double-quoted YAML string is ESC.
    let repo = repo_with(&[(
        "INC-1",
        "service: \"pay\\e[31mments\"\npriority: P1\nopened_at: 2026-03-02T09:00:00Z\n",
    )]);
    let run = svc(repo.path(), &[NOW, "sla", "--period", "2026-03"]);
    assert!(run.stderr.contains("left out"), "{}", run.stderr);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    let run = svc(repo.path(), &[NOW, "sla", "--service", "x\u{1b}[2J"]);
    assert_eq!(run.code, 2);
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
    let run = svc(repo.path(), &[NOW, "check", "--format", "github"]);
    assert!(!run.stdout.contains('\u{1b}'), "{:?}", run.stdout);
}
