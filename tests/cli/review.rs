//! `svc report review` through the binary: the `sla` object against `svc sla`,
//! the trend against `svc sla` of an earlier period, the error budget and the
//! breaches worked by hand, escaping, empty sections, a repo of services and
//! incidents only, `--service`, `--trend`, `--output`, relative periods at month,
//! quarter and year boundaries in a DST zone, Markdown and self-contained HTML.

use std::path::Path;

use serde_json::Value;

use crate::common::{example, put, svc};

const ACME_NOW: &str = "--now=2026-10-02T08:00:00Z";

fn json_of(repo: &Path, args: &[&str]) -> Value {
    let run = svc(repo, args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    run.json()
}

fn review_json(repo: &Path, now: &str, args: &[&str]) -> Value {
    let mut all = vec![now, "report", "review", "--format", "json"];
    all.extend_from_slice(args);
    json_of(repo, &all)
}

fn sla_json(repo: &Path, now: &str, args: &[&str]) -> Value {
    let mut all = vec![now, "sla", "--format", "json"];
    all.extend_from_slice(args);
    json_of(repo, &all)
}

/// A Berlin repo: one 24x7 policy with compliance and availability objectives,
/// one service on it, and the given incidents (id, YAML body).
fn gold_repo(incidents: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    put(
        repo,
        "svc.toml",
        "[repo]\nname = \"t\"\ntimezone = \"Europe/Berlin\"\n",
    );
    put(
        repo,
        "policies/gold.yaml",
        "kind: SlaPolicy\nid: gold\ntargets:\n  P1: { response: 15m, resolution: 4h }\nobjectives:\n  compliance: 95%\n  availability: 99.9%\n",
    );
    put(
        repo,
        "services/payments-api.yaml",
        "kind: Service\nid: payments-api\nname: Payments API\nowner: team\npolicy: gold\ncontacts: { oncall: a@x.org }\nlinks: { runbook: r, dashboard: d }\nlifecycle:\n  stage: operational\n  history: [{ stage: operational, at: 2025-01-01T00:00:00Z, by: a }]\n",
    );
    for (id, body) in incidents {
        put(
            repo,
            &format!("incidents/2026/{id}.yaml"),
            format!("kind: Incident\nid: {id}\nservice: payments-api\npriority: P1\n{body}"),
        );
    }
    dir
}

/// Met both targets; a 95-minute outage (SPEC §1's example incident).
const MET: (&str, &str) = (
    "INC-2026-0042",
    "title: Card payments failing for Visa\nopened_at: 2026-03-02T09:14:00+01:00\nacknowledged_at: 2026-03-02T09:20:00+01:00\nresolved_at: 2026-03-02T11:02:00+01:00\npaused:\n  - { from: 2026-03-02T10:00:00+01:00, to: 2026-03-02T10:30:00+01:00, reason: awaiting-customer }\noutage:\n  - { from: 2026-03-02T09:10:00+01:00, to: 2026-03-02T10:45:00+01:00 }\nsatisfaction: 4\nfeedback: Quick fix, thanks\n",
);

/// Response 30 min against 15 min (900 s over); resolution 3 h, met.
const LATE_RESPONSE: (&str, &str) = (
    "INC-2026-0043",
    "title: \"<script>alert(1)</script>\"\nopened_at: 2026-03-10T10:00:00Z\nacknowledged_at: 2026-03-10T10:30:00Z\nresolved_at: 2026-03-10T13:00:00Z\nroot_cause: Pager routing rule\npostmortem: PM-7\nsatisfaction: 2\n",
);

/// Response met; resolution 5 h against 4 h (3600 s over).
const LATE_RESOLUTION: (&str, &str) = (
    "INC-2026-0044",
    "title: Slow refunds\nopened_at: 2026-03-12T08:00:00Z\nacknowledged_at: 2026-03-12T08:05:00Z\nresolved_at: 2026-03-12T13:00:00Z\n",
);

#[test]
fn the_sla_object_is_what_svc_sla_gives_for_every_service_and_period() {
    let acme = example();
    for period in [
        vec!["--period", "2026-Q3"],
        vec!["--period", "2026-03"],
        vec!["--period", "2026-W10"],
        vec!["--period", "2026"],
        vec!["--period", "last-quarter"],
        vec!["--since", "2026-02-10", "--until", "2026-05-20"],
        vec![],
    ] {
        let review = review_json(&acme, ACME_NOW, &period);
        let sla = sla_json(&acme, ACME_NOW, &period);
        assert_eq!(review["period"], sla["period"], "{period:?}");
        assert_eq!(review["now"], sla["now"]);
        let services = review["services"].as_array().unwrap();
        let expected = sla["services"].as_array().unwrap();
        assert!(!expected.is_empty(), "{period:?}");
        assert_eq!(services.len(), expected.len(), "{period:?}");
        for (s, e) in services.iter().zip(expected) {
            assert_eq!(s["service"], e["service"]);
            assert_eq!(&s["sla"], e, "{period:?}");
        }
        assert_eq!(review["skipped"], sla["skipped"]);
        let keys = crate::common::keys(&services[0]);
        assert_eq!(
            keys,
            [
                "service",
                "sla",
                "trend",
                "error_budget",
                "breaches",
                "feedback",
                "changes",
                "problems",
                "lifecycle"
            ]
        );
    }
}

#[test]
fn a_trend_period_has_the_figures_svc_sla_gives_for_that_period() {
    let acme = example();
    for (period, trend, earlier) in [
        ("2026-Q3", "3", "2026-Q2"),
        ("2026-09", "2", "2026-08"),
        ("2026-W36", "1", "2026-W35"),
    ] {
        let review = review_json(&acme, ACME_NOW, &["--period", period, "--trend", trend]);
        let sla = sla_json(&acme, ACME_NOW, &["--period", earlier]);
        let mut compared = 0;
        for service in review["services"].as_array().unwrap() {
            let points = service["trend"].as_array().unwrap();
            assert_eq!(points.len(), trend.parse::<usize>().unwrap());
            let last = points.last().unwrap();
            assert_eq!(last["since"], sla["period"]["since"], "{period}");
            assert_eq!(last["until"], sla["period"]["until"], "{period}");
            let Some(figures) = sla["services"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["service"] == service["service"])
            else {
                assert_eq!(last["incidents"], 0);
                continue;
            };
            for key in [
                "incidents",
                "compliance_pct",
                "availability_pct",
                "mttr_seconds",
            ] {
                assert_eq!(
                    last[key], figures[key],
                    "{period} {key} {}",
                    service["service"]
                );
            }
            compared += 1;
        }
        assert!(compared > 0, "{period}");
    }
    // Oldest first, back to back, of the same unit.
    let review = review_json(&acme, ACME_NOW, &["--period", "2026-Q3"]);
    let points = review["services"][0]["trend"].as_array().unwrap();
    assert_eq!(points.len(), 6);
    assert_eq!(points[0]["since"], "2025-01-01T00:00:00+01:00");
    assert_eq!(points[5]["until"], "2026-07-01T00:00:00+02:00");
    for pair in points.windows(2) {
        assert_eq!(pair[0]["until"], pair[1]["since"]);
    }
}

#[test]
fn the_error_budget_is_the_objective_over_the_elapsed_period_minus_the_outage() {
    let repo = gold_repo(&[MET]);
    // March 2026 in Berlin: 31 days less the hour DST takes = 2,674,800 s;
    // 0.1 % of it is 2674.8 s, rounded 2675; the outage is 95 min = 5700 s.
    let review = review_json(
        repo.path(),
        "--now=2026-06-01T00:00:00Z",
        &["--period", "2026-03"],
    );
    let budget = &review["services"][0]["error_budget"];
    assert_eq!(budget["allowed_seconds"], 2675);
    assert_eq!(budget["used_seconds"], 5700);
    assert_eq!(budget["remaining_seconds"], -3025);
    // Mid-period, the budget is of the elapsed part: 10 days = 864,000 s → 864 s.
    let review = review_json(
        repo.path(),
        "--now=2026-03-10T23:00:00Z",
        &["--period", "2026-03"],
    );
    let budget = &review["services"][0]["error_budget"];
    assert_eq!(budget["allowed_seconds"], 864);
    assert_eq!(budget["remaining_seconds"], 864 - 5700);
    // A period wholly after now has no elapsed part: no budget.
    let review = review_json(
        repo.path(),
        "--now=2026-03-10T23:00:00Z",
        &["--period", "2026-05"],
    );
    assert_eq!(review["services"][0]["error_budget"], Value::Null);
}

#[test]
fn breaches_say_which_target_was_missed_and_by_how_much() {
    let repo = gold_repo(&[MET, LATE_RESPONSE, LATE_RESOLUTION]);
    put(
        repo.path(),
        "problems/PRB-2026-0001.yaml",
        "kind: Problem\nid: PRB-2026-0001\nservice: payments-api\ntitle: Paging is slow\nstate: investigating\nincidents: [INC-2026-0043]\nactions:\n  - { id: A1, title: Fix routing, owner: team, due: 2026-03-20 }\nhistory:\n  - { state: new, at: 2026-03-11T09:00:00Z, by: a }\n  - { state: investigating, at: 2026-03-12T09:00:00Z, by: a }\n",
    );
    let now = "--now=2026-04-02T00:00:00Z";
    let review = review_json(repo.path(), now, &["--period", "2026-03"]);
    let service = &review["services"][0];
    let breaches = service["breaches"].as_array().unwrap();
    assert_eq!(breaches.len(), 2);
    assert_eq!(breaches[0]["id"], "INC-2026-0043");
    assert_eq!(breaches[0]["title"], "<script>alert(1)</script>");
    assert_eq!(breaches[0]["priority"], "P1");
    assert_eq!(breaches[0]["missed"], serde_json::json!(["response"]));
    assert_eq!(
        breaches[0]["over_seconds"],
        serde_json::json!({"response": 900, "resolution": null})
    );
    assert_eq!(breaches[0]["root_cause"], "Pager routing rule");
    assert_eq!(breaches[0]["postmortem"], "PM-7");
    assert_eq!(breaches[0]["problem"], "PRB-2026-0001");
    assert_eq!(breaches[1]["missed"], serde_json::json!(["resolution"]));
    assert_eq!(
        breaches[1]["over_seconds"],
        serde_json::json!({"response": null, "resolution": 3600})
    );
    assert_eq!(breaches[1]["problem"], Value::Null);
    assert_eq!(
        service["feedback"],
        serde_json::json!([
            {"id": "INC-2026-0042", "satisfaction": 4, "feedback": "Quick fix, thanks"},
            {"id": "INC-2026-0043", "satisfaction": 2, "feedback": null}
        ])
    );
    let problems = &service["problems"];
    assert_eq!(problems["opened"][0]["problem"], "PRB-2026-0001");
    assert_eq!(problems["resolved"], serde_json::json!([]));
    assert_eq!(problems["open"][0]["actions_overdue"], 1);
    assert_eq!(problems["overdue_actions"][0]["action"], "A1");
    assert_eq!(problems["overdue_actions"][0]["due"], "2026-03-20");
    assert_eq!(service["lifecycle"]["stage"], "operational");
    assert_eq!(service["lifecycle"]["stale"], false);
}

#[test]
fn record_text_is_escaped_in_html_and_markdown() {
    let repo = gold_repo(&[MET, LATE_RESPONSE]);
    let now = "--now=2026-04-02T00:00:00Z";
    let html = svc(
        repo.path(),
        &[now, "report", "review", "--period", "2026-03"],
    );
    assert_eq!(html.code, 0, "{}", html.stderr);
    // askama writes `<` and `>` as numeric character references.
    assert!(
        html.stdout
            .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{}",
        html.stdout
    );
    assert!(!html.stdout.to_lowercase().contains("<script"));
    let markdown = svc(
        repo.path(),
        &[
            now, "report", "review", "--period", "2026-03", "--format", "markdown",
        ],
    );
    assert!(
        markdown
            .stdout
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(!markdown.stdout.contains("<script"));
}

#[test]
fn the_html_is_one_self_contained_file() {
    // No record here holds a URL: every `http` would be svc's own.
    let repo = gold_repo(&[MET, LATE_RESPONSE, LATE_RESOLUTION]);
    let run = svc(
        repo.path(),
        &[
            "--now=2026-04-02T00:00:00Z",
            "report",
            "review",
            "--period",
            "2026-03",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let html = run.stdout.to_lowercase();
    assert!(html.starts_with("<!doctype html>"));
    for banned in [
        "http",
        "<script",
        "@import",
        "url(",
        "<link",
        "@font-face",
        "src=",
    ] {
        assert!(!html.contains(banned), "the page holds {banned}");
    }
    assert!(html.contains("<style>") && html.contains("@media print"));
    assert!(html.contains("@page") && html.contains("break-before: page"));
    // Four charts per service, each with a title and its figures table.
    assert_eq!(html.matches("<svg class=\"chart\"").count(), 4);
    assert_eq!(html.matches("<title id=").count(), 4);
    assert_eq!(html.matches("<table class=\"alt\">").count(), 4);
    assert!(html.contains("data-service=\"payments-api\""));
}

#[test]
fn a_section_with_nothing_to_show_is_null() {
    let repo = gold_repo(&[MET]);
    let review = review_json(
        repo.path(),
        "--now=2026-04-02T00:00:00Z",
        &["--period", "2026-03", "--trend", "0"],
    );
    let service = &review["services"][0];
    for key in ["trend", "breaches", "changes", "problems"] {
        assert_eq!(service[key], Value::Null, "{key}");
    }
    assert!(service["feedback"].is_array());
    assert!(service["error_budget"].is_object());
    // A quiet period: nothing breached, rated or commented.
    let review = review_json(
        repo.path(),
        "--now=2026-04-02T00:00:00Z",
        &["--period", "2026-02"],
    );
    let service = &review["services"][0];
    assert_eq!(service["feedback"], Value::Null);
    assert_eq!(service["breaches"], Value::Null);
    assert_eq!(service["sla"]["incidents"], 0);
}

#[test]
fn a_repo_of_services_and_incidents_only_is_reviewed() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    put(repo, "svc.toml", "[repo]\ntimezone = \"UTC\"\n");
    put(
        repo,
        "services/web.yaml",
        "kind: Service\nid: web\nowner: team\nlifecycle:\n  stage: development\n  history: [{ stage: development, at: 2026-01-01T00:00:00Z, by: a }]\n",
    );
    put(
        repo,
        "incidents/2026/INC-1.yaml",
        "kind: Incident\nid: INC-1\nservice: web\ntitle: Down\npriority: P2\nopened_at: 2026-03-03T10:00:00Z\nresolved_at: 2026-03-03T12:00:00Z\nsatisfaction: 5\n",
    );
    let check = svc(repo, &["check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    let now = "--now=2026-04-01T00:00:00Z";
    let review = review_json(repo, now, &["--period", "2026-03"]);
    let sla = sla_json(repo, now, &["--period", "2026-03"]);
    let service = &review["services"][0];
    assert_eq!(service["sla"], sla["services"][0]);
    assert_eq!(service["sla"]["mttr_seconds"], 7200);
    for key in ["error_budget", "breaches", "changes", "problems"] {
        assert_eq!(service[key], Value::Null, "{key}");
    }
    assert_eq!(service["lifecycle"]["stage"], "development");
    for format in ["html", "markdown"] {
        let run = svc(
            repo,
            &[
                now, "report", "review", "--period", "2026-03", "--format", format,
            ],
        );
        assert_eq!(run.code, 0, "{format}: {}", run.stderr);
        assert!(run.stdout.contains("web"));
        // A repo that records no changes or problems shows no such section.
        assert!(!run.stdout.contains("Changes"), "{format}");
        assert!(!run.stdout.contains("Problems and improvement"), "{format}");
        assert!(run.stdout.contains("Customer feedback"), "{format}");
    }
}

#[test]
fn service_narrows_and_trend_sets_the_number_of_periods() {
    let acme = example();
    let review = review_json(
        &acme,
        ACME_NOW,
        &["--period", "2026-Q3", "--service", "auth", "--trend", "2"],
    );
    let services = review["services"].as_array().unwrap();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0]["service"], "auth");
    assert_eq!(services[0]["trend"].as_array().unwrap().len(), 2);
    let sla = sla_json(
        &acme,
        ACME_NOW,
        &["--period", "2026-Q3", "--service", "auth"],
    );
    assert_eq!(services[0]["sla"], sla["services"][0]);
    let unknown = svc(
        &acme,
        &[
            ACME_NOW,
            "report",
            "review",
            "--service",
            "nope",
            "--format",
            "json",
        ],
    );
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    let bad_format = svc(&acme, &[ACME_NOW, "report", "review", "--format", "csv"]);
    assert_eq!(bad_format.code, 2);
    let too_long = svc(
        &acme,
        &[ACME_NOW, "report", "review", "--trend", "4000000000"],
    );
    assert_eq!(too_long.code, 2, "{}", too_long.stderr);
    assert!(
        too_long.stderr.contains("at most 1000"),
        "{}",
        too_long.stderr
    );
}

#[test]
fn output_writes_the_file_and_nothing_to_stdout() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("review.html");
    let run = svc(
        &example(),
        &[
            ACME_NOW,
            "report",
            "review",
            "--period",
            "last-quarter",
            "--output",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.contains("Service review 2026-Q3"));
    let leftovers: Vec<_> = std::fs::read_dir(out.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "a temporary file was left behind");
    let missing = svc(
        &example(),
        &[
            ACME_NOW,
            "report",
            "review",
            "--output",
            "/nonexistent/dir/r.html",
        ],
    );
    assert_eq!(missing.code, 2, "{}", missing.stderr);
}

/// `--now` just after (and just before) local midnight at a boundary, in a
/// zone where the offset differs from UTC's and DST changes between periods.
#[test]
fn relative_periods_at_month_quarter_and_year_boundaries_in_berlin() {
    let repo = gold_repo(&[MET, LATE_RESPONSE]);
    let repo = repo.path();
    put(
        repo,
        "changes/CHG-1.yaml",
        "kind: Change\nid: CHG-1\nservice: payments-api\ntitle: t\ntype: standard\nstate: closed\nwindow: { start: 2026-03-05T22:00:00+01:00, end: 2026-03-05T23:00:00+01:00 }\nimplemented: { start: 2026-03-05T22:04:00+01:00, end: 2026-03-05T22:31:00+01:00 }\noutcome: successful\nhistory:\n  - { state: requested, at: 2026-02-27T09:00:00+01:00, by: a }\n  - { state: closed, at: 2026-03-06T09:00:00+01:00, by: a }\n",
    );
    let cases = [
        // 00:30 on 1 April in Berlin is still 31 March in UTC.
        (
            "--now=2026-04-01T00:30:00+02:00",
            "last-month",
            "2026-03-01T00:00:00+01:00",
            "2026-04-01T00:00:00+02:00",
            ("2026-02-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00"),
        ),
        (
            "--now=2026-03-31T23:30:00+02:00",
            "this-month",
            "2026-03-01T00:00:00+01:00",
            "2026-04-01T00:00:00+02:00",
            ("2026-02-01T00:00:00+01:00", "2026-03-01T00:00:00+01:00"),
        ),
        (
            "--now=2026-04-01T00:30:00+02:00",
            "this-month",
            "2026-04-01T00:00:00+02:00",
            "2026-05-01T00:00:00+02:00",
            ("2026-03-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00"),
        ),
        (
            "--now=2026-04-01T00:30:00+02:00",
            "last-quarter",
            "2026-01-01T00:00:00+01:00",
            "2026-04-01T00:00:00+02:00",
            ("2025-10-01T00:00:00+02:00", "2026-01-01T00:00:00+01:00"),
        ),
        (
            "--now=2026-04-01T00:30:00+02:00",
            "this-quarter",
            "2026-04-01T00:00:00+02:00",
            "2026-07-01T00:00:00+02:00",
            ("2026-01-01T00:00:00+01:00", "2026-04-01T00:00:00+02:00"),
        ),
        // 00:30 on 1 January 2027 in Berlin is 2026 in UTC.
        (
            "--now=2027-01-01T00:30:00+01:00",
            "last-year",
            "2026-01-01T00:00:00+01:00",
            "2027-01-01T00:00:00+01:00",
            ("2025-01-01T00:00:00+01:00", "2026-01-01T00:00:00+01:00"),
        ),
        (
            "--now=2027-01-01T00:30:00+01:00",
            "this-year",
            "2027-01-01T00:00:00+01:00",
            "2028-01-01T00:00:00+01:00",
            ("2026-01-01T00:00:00+01:00", "2027-01-01T00:00:00+01:00"),
        ),
        (
            "--now=2026-12-31T23:30:00+01:00",
            "this-year",
            "2026-01-01T00:00:00+01:00",
            "2027-01-01T00:00:00+01:00",
            ("2025-01-01T00:00:00+01:00", "2026-01-01T00:00:00+01:00"),
        ),
    ];
    for (now, period, since, until, (trend_since, trend_until)) in cases {
        let expected = serde_json::json!({"since": since, "until": until});
        let sla = sla_json(repo, now, &["--period", period]);
        assert_eq!(sla["period"], expected, "svc sla {period} at {now}");
        let changes = json_of(
            repo,
            &[
                now, "report", "changes", "--period", period, "--format", "json",
            ],
        );
        assert_eq!(
            changes["period"], expected,
            "report changes {period} at {now}"
        );
        let review = review_json(repo, now, &["--period", period, "--trend", "1"]);
        assert_eq!(review["period"], expected, "review {period} at {now}");
        let trend = &review["services"][0]["trend"][0];
        assert_eq!(
            (trend["since"].as_str(), trend["until"].as_str()),
            (Some(trend_since), Some(trend_until)),
            "review trend {period} at {now}"
        );
        // Each relative period is exactly its absolute form.
        let absolute = svc(
            repo,
            &[
                now, "sla", "--format", "json", "--since", since, "--until", until,
            ],
        );
        assert_eq!(
            absolute.json()["services"],
            sla["services"],
            "{period} at {now}"
        );
    }
    // The change of March is in last-month's review at 00:30 on 1 April.
    let review = review_json(
        repo,
        "--now=2026-04-01T00:30:00+02:00",
        &["--period", "last-month"],
    );
    assert_eq!(review["services"][0]["changes"]["changes"], 1);
    assert_eq!(review["services"][0]["sla"]["incidents"], 2);
}

#[test]
fn markdown_has_the_same_content_with_charts_as_tables() {
    let repo = gold_repo(&[MET, LATE_RESPONSE, LATE_RESOLUTION]);
    let run = svc(
        repo.path(),
        &[
            "--now=2026-04-02T00:00:00Z",
            "report",
            "review",
            "--period",
            "2026-03",
            "--trend",
            "2",
            "--format",
            "markdown",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let md = run.stdout;
    assert!(md.starts_with("# Service review 2026-03 (t)"), "{md}");
    assert!(md.contains("## Summary"));
    assert!(
        md.contains("| payments-api | team | 3 | 2 | 33.33% (missed, objective ≥ 95.00%) |"),
        "{md}"
    );
    assert!(md.contains("## Payments API (payments-api)"));
    // The trend charts as tables: one column per period, the review's last.
    assert!(
        md.contains("| period | 2026-01 | 2026-02 | 2026-03 |"),
        "{md}"
    );
    assert!(md.contains("| SLA compliance | - | - | 33.33% |"), "{md}");
    assert!(
        md.contains("| priority | P1 |\n|---|---|\n| incidents | 3 |"),
        "{md}"
    );
    assert!(
        md.contains("| INC-2026-0044 | Slow refunds | P1 | resolution +1h 00m |"),
        "{md}"
    );
    assert!(
        md.contains("| allowed downtime | 44m 35s |") || md.contains("allowed downtime"),
        "{md}"
    );
    assert!(
        md.contains("| INC-2026-0042 | 4/5 | Quick fix, thanks |"),
        "{md}"
    );
    assert!(!md.contains("<svg"));
}
