//! `svc report problems` through the binary, on a hand-made repo: ages, links
//! made either way (each incident once), open and overdue actions with the
//! overdue instant at the local midnight after `due` in a DST zone, the order
//! of attention, the records left out, every format; and the problem counts of
//! `svc sla` and `svc show`.

use std::path::Path;

use serde_json::json;

use crate::common::{put as write, svc};

fn service(id: &str) -> String {
    format!(
        "kind: Service\nid: {id}\nowner: team\npolicy: gold\ncontacts: {{ oncall: a@x.org }}\nlinks: {{ runbook: r, dashboard: d }}\nlifecycle:\n  stage: operational\n  history: [{{ stage: operational, at: 2025-01-01T00:00:00Z, by: a }}]\n"
    )
}

fn problem(id: &str, service: &str, state: &str, created: Option<&str>, rest: &str) -> String {
    let history = created.map_or_else(String::new, |at| {
        format!("history:\n  - {{ state: {state}, at: {at}, by: a }}\n")
    });
    format!(
        "kind: Problem\nid: {id}\nservice: {service}\ntitle: Problem {id}\nstate: {state}\n{rest}{history}"
    )
}

fn incident(id: &str, service: &str, extra: &str) -> String {
    format!(
        "kind: Incident\nid: {id}\nservice: {service}\ntitle: t\npriority: P1\n\
         opened_at: 2026-03-05T10:00:00Z\nresolved_at: 2026-03-05T11:00:00Z\n{extra}"
    )
}

/// Berlin time. DST begins on 2026-03-29, so the local midnight after a `due`
/// of 2026-03-29 is 2026-03-30T00:00+02:00 = 2026-03-29T22:00Z (not 23:00Z).
///
/// - PA (pay, investigating, since 03-01T00:00Z): A1 due 03-29 open, A2 done,
///   A3 due 2027-01-01 open; lists I1 and I2, and I2 and I3 name it: 3 incidents.
/// - PB (pay, new, since 01-01T00:00Z): nothing linked; I4 names it but has an
///   error of its own, so it adds nothing and is listed as left out.
/// - PC (pay, known-error, since 02-01T00:00Z): A1 due 02-01 and A2 due 02-02,
///   both open and overdue.
/// - PD (pay, closed): lists I5; not reported.
/// - PE (web, resolved, since 03-10T00:00Z).
/// - PF has an error of its own, PG's service `broken` has one.
/// - PH (web, new) has no history: age unknown.
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
        "kind: SlaPolicy\nid: gold\ntargets:\n  P1: { response: 1h, resolution: 4h }\n",
    );
    write(root, "services/pay.yaml", service("pay"));
    write(root, "services/web.yaml", service("web"));
    write(
        root,
        "services/broken.yaml",
        format!("{}colour: blue\n", service("broken")),
    );
    let done = "done_at: 2026-03-02T00:00:00Z";
    let problems = [
        problem(
            "PA",
            "pay",
            "investigating",
            Some("2026-03-01T00:00:00Z"),
            &format!(
                "incidents: [I1, I2]\nactions:\n  - {{ id: A1, title: a, owner: o, due: 2026-03-29 }}\n  - {{ id: A2, title: b, owner: o, due: 2026-03-01, {done} }}\n  - {{ id: A3, title: c, owner: o, due: 2027-01-01 }}\n"
            ),
        ),
        problem("PB", "pay", "new", Some("2026-01-01T00:00:00Z"), ""),
        problem(
            "PC",
            "pay",
            "known-error",
            Some("2026-02-01T00:00:00Z"),
            "root_cause: known\nactions:\n  - { id: A1, title: a, owner: o, due: 2026-02-01 }\n  - { id: A2, title: b, owner: o, due: 2026-02-02 }\n",
        ),
        problem(
            "PD",
            "pay",
            "closed",
            Some("2026-01-15T00:00:00Z"),
            "incidents: [I5]\nroot_cause: known\nverification: { at: 2026-03-01T00:00:00Z, by: a }\n",
        ),
        problem(
            "PE",
            "web",
            "resolved",
            Some("2026-03-10T00:00:00Z"),
            "root_cause: known\nverification: { at: 2026-03-11T00:00:00Z, by: a }\n",
        ),
        problem(
            "PF",
            "pay",
            "investigatin",
            Some("2026-03-01T00:00:00Z"),
            "",
        ),
        problem("PG", "broken", "new", Some("2026-03-01T00:00:00Z"), ""),
        problem("PH", "web", "new", None, ""),
    ];
    for text in problems {
        let id = text
            .lines()
            .find_map(|l| l.strip_prefix("id: "))
            .unwrap()
            .to_string();
        write(root, &format!("problems/{id}.yaml"), &text);
    }
    write(root, "incidents/2026/I1.yaml", incident("I1", "pay", ""));
    write(
        root,
        "incidents/2026/I2.yaml",
        incident("I2", "pay", "problem: PA\n"),
    );
    write(
        root,
        "incidents/2026/I3.yaml",
        incident("I3", "pay", "problem: PA\n"),
    );
    write(
        root,
        "incidents/2026/I4.yaml",
        incident("I4", "pay", "problem: PB\nseverity: high\n"),
    );
    write(root, "incidents/2026/I5.yaml", incident("I5", "pay", ""));
    dir
}

/// One second before A1 of PA is overdue, and the instant it is.
const BEFORE: &str = "--now=2026-03-29T21:59:59Z";
const AT: &str = "--now=2026-03-29T22:00:00Z";

fn report(repo: &Path, now: &str, args: &[&str]) -> serde_json::Value {
    let mut all = vec![now, "report", "problems", "--format", "json"];
    all.extend_from_slice(args);
    let run = svc(repo, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

fn order(report: &serde_json::Value) -> Vec<&str> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["problem"].as_str().unwrap())
        .collect()
}

#[test]
fn the_fixture_has_exactly_the_intended_errors() {
    let repo = repo();
    let run = svc(repo.path(), &[AT, "check", "--format", "json"]);
    let errors: Vec<String> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            format!(
                "{} {}",
                d["file"].as_str().unwrap(),
                d["rule"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        errors,
        [
            "incidents/2026/I4.yaml schema",
            "problems/PF.yaml schema",
            "services/broken.yaml schema"
        ],
        "{}",
        run.stdout
    );
}

#[test]
fn rows_are_counts_in_the_order_of_attention() {
    let repo = repo();
    let report = report(repo.path(), AT, &[]);
    let top = crate::common::keys(&report);
    assert_eq!(top, ["problems", "skipped"]);
    assert_eq!(
        report["problems"],
        json!([
            {"problem": "PC", "service": "pay", "state": "known-error", "age_days": 56,
             "incidents": 0, "actions_open": 2, "actions_overdue": 2},
            {"problem": "PA", "service": "pay", "state": "investigating", "age_days": 28,
             "incidents": 3, "actions_open": 2, "actions_overdue": 1},
            {"problem": "PB", "service": "pay", "state": "new", "age_days": 87,
             "incidents": 0, "actions_open": 0, "actions_overdue": 0},
            {"problem": "PE", "service": "web", "state": "resolved", "age_days": 19,
             "incidents": 0, "actions_open": 0, "actions_overdue": 0},
            {"problem": "PH", "service": "web", "state": "new", "age_days": null,
             "incidents": 0, "actions_open": 0, "actions_overdue": 0},
        ])
    );
}

#[test]
fn an_action_is_overdue_from_the_local_midnight_after_due_across_dst() {
    let repo = repo();
    let before = report(repo.path(), BEFORE, &[]);
    let pa = &before["problems"].as_array().unwrap()[2];
    assert_eq!(pa["problem"], "PA");
    assert_eq!(pa["actions_overdue"], 0);
    // Not yet overdue, PA sorts by age, after the older PB.
    assert_eq!(order(&before), ["PC", "PB", "PA", "PE", "PH"]);
    let at = report(repo.path(), AT, &[]);
    assert_eq!(at["problems"][1]["problem"], "PA");
    assert_eq!(at["problems"][1]["actions_overdue"], 1);
    // `svc check` agrees at both instants: the rule and the report share the test.
    let warnings = |now: &str| {
        let run = svc(repo.path(), &[now, "check", "--format", "json"]);
        run.json()
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["rule"] == "action-overdue")
            .count()
    };
    assert_eq!(warnings(BEFORE), 2);
    assert_eq!(warnings(AT), 3);
}

#[test]
fn service_filter_and_left_out_records() {
    let repo = repo();
    let all = report(repo.path(), AT, &[]);
    assert_eq!(
        all["skipped"],
        json!([
            {"id": "I4", "file": "incidents/2026/I4.yaml", "reason": "schema"},
            {"id": "PF", "file": "problems/PF.yaml", "reason": "schema"},
            {"id": "PG", "file": "problems/PG.yaml", "reason": "depends-on-skipped"},
            {"id": "broken", "file": "services/broken.yaml", "reason": "schema"},
        ])
    );
    let web = report(repo.path(), AT, &["--service", "web"]);
    assert_eq!(order(&web), ["PE", "PH"]);
    assert_eq!(web["skipped"], json!([]));
    let run = svc(repo.path(), &[AT, "report", "problems"]);
    assert!(
        run.stderr
            .contains("3 records left out for their own errors (I4, PF, broken)"),
        "{}",
        run.stderr
    );
}

#[test]
fn table_csv_and_markdown() {
    let repo = repo();
    let run = svc(repo.path(), &[AT, "-q", "report", "problems"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let rows: Vec<Vec<&str>> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with('│'))
        .map(|l| {
            l.split(['│', '┆'])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .collect()
        })
        .collect();
    assert_eq!(
        rows,
        [
            vec![
                "problem",
                "service",
                "state",
                "age (days)",
                "incidents",
                "open actions",
                "overdue actions",
                "title"
            ],
            vec![
                "PC",
                "pay",
                "known-error",
                "56",
                "0",
                "2",
                "2",
                "Problem PC"
            ],
            vec![
                "PA",
                "pay",
                "investigating",
                "28",
                "3",
                "2",
                "1",
                "Problem PA"
            ],
            vec!["PB", "pay", "new", "87", "0", "0", "0", "Problem PB"],
            vec!["PE", "web", "resolved", "19", "0", "0", "0", "Problem PE"],
            vec!["PH", "web", "new", "-", "0", "0", "0", "Problem PH"],
        ]
    );
    let run = svc(
        repo.path(),
        &[AT, "-q", "report", "problems", "--format", "csv"],
    );
    assert_eq!(
        run.stdout,
        "problem,service,state,age_days,incidents,actions_open,actions_overdue,title\n\
         PC,pay,known-error,56,0,2,2,Problem PC\n\
         PA,pay,investigating,28,3,2,1,Problem PA\n\
         PB,pay,new,87,0,0,0,Problem PB\n\
         PE,web,resolved,19,0,0,0,Problem PE\n\
         PH,web,new,,0,0,0,Problem PH\n"
    );
    let run = svc(
        repo.path(),
        &[AT, "-q", "report", "problems", "--format", "markdown"],
    );
    assert!(
        run.stdout.starts_with(
            "## Open problems\n\n| problem | service | state | age (days) | incidents | open actions | overdue actions | title |\n|---|"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("| PA | pay | investigating | 28 | 3 | 2 | 1 | Problem PA |"),
        "{}",
        run.stdout
    );
    // No open problem: the table says so.
    let run = svc(
        repo.path(),
        &[AT, "-q", "report", "problems", "--service", "broken"],
    );
    assert_eq!(run.stdout, "no open problem\n");
}

#[test]
fn sla_and_show_count_the_problems_linked_to_a_services_incidents() {
    let repo = repo();
    // pay's March incidents: I1, I2, I3 (PA, open) and I5 (PD, closed); I4 is
    // left out.
    let run = svc(
        repo.path(),
        &[AT, "-q", "sla", "--period", "2026-03", "--format", "csv"],
    );
    let header: Vec<&str> = run.stdout.lines().next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let pay: Vec<&str> = run
        .stdout
        .lines()
        .find(|l| l.starts_with("pay,"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(pay[column("problems")], "2");
    assert_eq!(pay[column("problems_open")], "1");
    let run = svc(repo.path(), &[AT, "-q", "sla", "--period", "2026-03"]);
    let line = run.stdout.lines().find(|l| l.contains(" pay ")).unwrap();
    assert!(line.contains("2 (1 open)"), "{line}");
    let run = svc(
        repo.path(),
        &[
            AT, "-q", "sla", "--period", "2026-03", "--format", "markdown",
        ],
    );
    assert!(run.stdout.contains("| 2 (1 open) |"), "{}", run.stdout);
    // The JSON keys of SPEC §3.4 stay as they are.
    let run = svc(
        repo.path(),
        &[AT, "sla", "--period", "2026-03", "--format", "json"],
    );
    assert!(run.json()["services"][0].get("problems").is_none());
    let run = svc(repo.path(), &[AT, "-q", "show", "pay"]);
    assert!(
        run.stdout
            .contains("problems linked to its incidents: 2 (1 open)"),
        "{}",
        run.stdout
    );
    let run = svc(repo.path(), &[AT, "show", "pay", "--format", "json"]);
    assert_eq!(run.json()["problems"], json!({"linked": 2, "open": 1}));
    let run = svc(repo.path(), &[AT, "-q", "show", "web"]);
    assert!(
        run.stdout
            .contains("problems linked to its incidents: 0 (0 open)"),
        "{}",
        run.stdout
    );
}

#[test]
fn csv_neutralises_record_text_that_a_spreadsheet_would_run() {
    let repo = repo();
    let path = repo.path().join("problems/PE.yaml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "title: Problem PE",
        "title: \"=HYPERLINK(\\\"http://x\\\")\"",
    );
    std::fs::write(&path, text).unwrap();
    let run = svc(
        repo.path(),
        &[AT, "-q", "report", "problems", "--format", "csv"],
    );
    assert!(
        run.stdout
            .contains("PE,web,resolved,19,0,0,0,\"'=HYPERLINK(\"\"http://x\"\")\"\n"),
        "{}",
        run.stdout
    );
}
