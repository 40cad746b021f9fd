//! `svc check` tells the whole truth once (issue 12): every independent problem of
//! a file in one run, no cascades from one broken value, reports that never rest
//! on a record with errors, the new warnings, the priority matrix, and a repo
//! that trips every rule of the closed set.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::common::{base, put as write, svc};

const NOW: &str = "--now=2026-10-01T00:00:00Z";

/// `(rule, line, message)` of every diagnostic of `file`.
fn diagnostics_of(repo: &Path, file: &str) -> Vec<(String, u64, String)> {
    let run = svc(repo, &[NOW, "check", "--format", "json"]);
    let all: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    all.iter()
        .filter(|d| d["file"] == file)
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn rules(found: &[(String, u64, String)]) -> Vec<&str> {
    found.iter().map(|(rule, _, _)| rule.as_str()).collect()
}

#[test]
fn a_broken_opened_at_does_not_hide_the_other_checks_of_the_incident() {
    let repo = base();
    write(
        repo.path(),
        "incidents/2026/INC-0100.yaml",
        "kind: Incident\nid: INC-0100\nservice: payments-api\ntitle: Checkout down\npriority: P9\n\
         opened_at: 2026-09-20T10:00:00\nacknowleged_at: 2026-09-20T10:05:00+02:00\n\
         resolved_at: 2026-09-20T12:00:00+02:00\nstatus: open\n",
    );
    let found = diagnostics_of(repo.path(), "incidents/2026/INC-0100.yaml");
    // The offset, the typo, the unknown priority and the status: all in one run.
    assert_eq!(
        rules(&found),
        ["missing-target", "timestamp", "schema", "timestamp"],
        "{found:#?}"
    );
    assert!(found[1].2.contains("no UTC offset"), "{found:#?}");
    assert!(found[3].2.contains("`status` is `open`"), "{found:#?}");
}

#[test]
fn a_malformed_opened_at_does_not_hide_an_unknown_service() {
    let repo = base();
    write(
        repo.path(),
        "incidents/2026/INC-0101.yaml",
        "kind: Incident\nid: INC-0101\nservice: chekout\ntitle: Slow\npriority: p1\nopened_at: 2026-10-21 10:00\n",
    );
    let found = diagnostics_of(repo.path(), "incidents/2026/INC-0101.yaml");
    assert_eq!(rules(&found), ["unknown-reference", "schema"], "{found:#?}");
    assert_eq!(found[0].1, 3);
}

#[test]
fn a_broken_policy_target_is_one_diagnostic_not_one_per_incident() {
    let repo = base();
    write(
        repo.path(),
        "policies/gold.yaml",
        "kind: SlaPolicy\nid: gold\ncalendar: office\ntargets:\n  P1: { response: 15m, resolution: 4 hours }\n  P2: { response: 1h, resolution: 8h }\n",
    );
    let run = svc(repo.path(), &[NOW, "check", "--format", "json"]);
    let all: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let errors: Vec<(&str, &str)> = all
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| (d["rule"].as_str().unwrap(), d["file"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, [("schema", "policies/gold.yaml")], "{all:#?}");
}

#[test]
fn sla_leaves_out_records_with_errors_and_says_so() {
    let repo = base();
    // Three problems of its own: an id that differs from the file name, a
    // rating out of range and an outage that ends before it starts.
    write(
        repo.path(),
        "incidents/2026/INC-0102.yaml",
        "kind: Incident\nid: INC-0999\nservice: payments-api\ntitle: Card errors\npriority: P1\n\
         opened_at: 2026-09-02T09:00:00Z\nresolved_at: 2026-09-02T10:00:00Z\nsatisfaction: 7\n\
         outage:\n  - { from: 2026-09-02T09:30:00Z, to: 2026-09-02T09:00:00Z }\n",
    );
    // A lifecycle error does not take a service's SLA away.
    let service = std::fs::read_to_string(repo.path().join("services/payments-api.yaml")).unwrap();
    write(
        repo.path(),
        "services/payments-api.yaml",
        service.replace("  runbook: https://wiki.example.com/payments\n", ""),
    );
    let check = svc(repo.path(), &[NOW, "check", "--format", "json"]);
    let all: Vec<Value> = serde_json::from_str(&check.stdout).unwrap();
    assert!(all.iter().any(|d| d["rule"] == "gate"), "{all:#?}");
    let files_with_errors: BTreeSet<&str> = all
        .iter()
        .filter(|d| d["severity"] == "error" && d["rule"] != "gate")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    let run = svc(
        repo.path(),
        &[NOW, "sla", "--period", "2026-09", "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = run.json();
    let own: BTreeSet<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["reason"] != "depends-on-skipped")
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert_eq!(own, files_with_errors);
    assert_eq!(
        report["skipped"][0],
        serde_json::json!({"id": "INC-0999", "file": "incidents/2026/INC-0102.yaml", "reason": "id-mismatch"})
    );
    assert!(
        report["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != "INC-0999"),
        "a record with errors is never half-counted"
    );
    let payments = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "payments-api");
    assert!(payments.is_some(), "a gate error keeps the service's SLA");
    assert!(
        run.stderr
            .contains("1 record left out for its own errors (INC-0999)"),
        "{}",
        run.stderr
    );
}

#[test]
fn incidents_of_a_left_out_policy_are_left_out_with_it_and_counted_apart() {
    let repo = base();
    write(
        repo.path(),
        "policies/gold.yaml",
        "kind: SlaPolicy\nid: gold\ncalendar: office\nownr: x\ntargets:\n  P1: { response: 15m, resolution: 4h }\n",
    );
    write(
        repo.path(),
        "incidents/2026/INC-0103.yaml",
        "kind: Incident\nid: INC-0103\nservice: payments-api\ntitle: Slow\npriority: P1\nopened_at: 2026-09-02T09:00:00Z\n",
    );
    let run = svc(
        repo.path(),
        &[NOW, "sla", "--period", "2026-09", "--format", "json"],
    );
    let skipped = run.json()["skipped"].clone();
    assert!(
        skipped.as_array().unwrap().contains(
            &serde_json::json!({"id": "gold", "file": "policies/gold.yaml", "reason": "schema"})
        ),
        "{skipped:#?}"
    );
    assert!(
        skipped.as_array().unwrap().contains(
            &serde_json::json!({"id": "INC-0103", "file": "incidents/2026/INC-0103.yaml", "reason": "depends-on-skipped"})
        ),
        "{skipped:#?}"
    );
    assert!(
        run.stderr.contains("left out for its own errors (gold)")
            && run
                .stderr
                .contains("left out with a record it depends on (INC-0103)"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_misspelt_link_is_a_warning_and_the_gate_names_it() {
    let repo = base();
    write(
        repo.path(),
        "services/search.yaml",
        "kind: Service\nid: search\nowner: team-search\npolicy: gold\ncontacts:\n  oncall: s@example.com\n\
         links:\n  runbok: https://wiki.example.com/search\n  dashboard: https://grafana/search\n  wiki: https://wiki\n\
         lifecycle:\n  stage: testing\n  history:\n    - { stage: testing, at: 2026-01-01T00:00:00Z }\n",
    );
    let found = diagnostics_of(repo.path(), "services/search.yaml");
    assert_eq!(
        rules(&found),
        ["unknown-link"],
        "`wiki` is allowed: {found:#?}"
    );
    assert_eq!(found[0].1, 8);
    let run = svc(repo.path(), &[NOW, "--format", "json", "check"]);
    assert!(
        run.stdout.contains("did you mean `runbook`?"),
        "{}",
        run.stdout
    );
    let advance = svc(repo.path(), &[NOW, "advance", "search"]);
    assert_eq!(advance.code, 1);
    assert!(
        advance
            .stderr
            .contains("(there is `links.runbok`: misspelt?)")
            && advance
                .stderr
                .contains("rename `links.runbok` to `links.runbook`"),
        "{}",
        advance.stderr
    );
}

#[test]
fn records_in_a_folder_left_out_of_include_are_reported_once_per_folder() {
    let repo = base();
    for id in ["INC-0200", "INC-0201"] {
        write(
            repo.path(),
            &format!("incident/2026/{id}.yaml"),
            format!(
                "kind: Incident\nid: {id}\nservice: payments-api\ntitle: x\npriority: P1\nopened_at: 2026-09-01T00:00:00Z\n"
            ),
        );
    }
    write(repo.path(), "docs/notes.yaml", "title: not a record\n");
    let run = svc(repo.path(), &[NOW, "check", "--format", "json"]);
    assert_eq!(run.code, 0, "a warning alone exits 0: {}", run.stdout);
    let all: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let unlisted: Vec<&Value> = all
        .iter()
        .filter(|d| d["rule"] == "unlisted-folder")
        .collect();
    assert_eq!(unlisted.len(), 1, "{all:#?}");
    assert_eq!(unlisted[0]["file"], "incident/2026/INC-0200.yaml");
    assert_eq!(unlisted[0]["help"], "did you mean `incidents`?");
}

#[test]
fn the_priority_matrix_stands_in_for_priority() {
    let repo = base();
    let config = std::fs::read_to_string(repo.path().join("svc.toml")).unwrap();
    write(
        repo.path(),
        "svc.toml",
        config
            + "[priority]\nmatrix = [[\"P1\", \"P2\", \"P2\"], [\"P2\", \"P2\", \"P2\"], [\"P2\", \"P2\", \"P9\"]]\n",
    );
    let incident = |id: &str, fields: &str| {
        format!(
            "kind: Incident\nid: {id}\nservice: payments-api\ntitle: x\n{fields}opened_at: 2026-09-01T09:00:00Z\nresolved_at: 2026-09-01T10:00:00Z\n"
        )
    };
    write(
        repo.path(),
        "incidents/2026/M-1.yaml",
        incident("M-1", "impact: 1\nurgency: 1\n"),
    );
    write(
        repo.path(),
        "incidents/2026/M-2.yaml",
        incident("M-2", "impact: 1\nurgency: 1\npriority: P2\n"),
    );
    write(
        repo.path(),
        "incidents/2026/M-3.yaml",
        incident("M-3", "impact: 3\nurgency: 3\n"),
    );
    write(repo.path(), "incidents/2026/M-4.yaml", incident("M-4", ""));
    assert_eq!(diagnostics_of(repo.path(), "incidents/2026/M-1.yaml"), []);
    let two = diagnostics_of(repo.path(), "incidents/2026/M-2.yaml");
    assert_eq!(rules(&two), ["priority-matrix"], "{two:#?}");
    assert!(two[0].2.contains("gives `P1` for impact 1 and urgency 1"));
    // The looked-up priority has no target: reported at `impact`.
    let three = diagnostics_of(repo.path(), "incidents/2026/M-3.yaml");
    assert_eq!(rules(&three), ["missing-target"], "{three:#?}");
    assert_eq!(three[0].1, 5);
    assert!(three[0].2.contains("from the priority matrix"));
    let four = diagnostics_of(repo.path(), "incidents/2026/M-4.yaml");
    assert_eq!(rules(&four), ["schema"]);
    assert!(four[0].2.contains("or both `impact` and `urgency`"));
    // Grouping uses the effective priority.
    let run = svc(
        repo.path(),
        &[
            NOW,
            "sla",
            "--period",
            "2026-09",
            "--group-by",
            "priority",
            "--format",
            "json",
        ],
    );
    let groups: Vec<(String, u64)> = run.json()["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["priority"].as_str().unwrap().to_string(),
                g["incidents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(groups.contains(&("P1".to_string(), 1)), "{groups:?}");
    assert!(groups.contains(&("P2".to_string(), 1)), "{groups:?}");
}

#[test]
fn a_malformed_matrix_is_one_error_in_svc_toml() {
    let repo = base();
    let config = std::fs::read_to_string(repo.path().join("svc.toml")).unwrap();
    write(
        repo.path(),
        "svc.toml",
        config + "[priority]\nmatrix = [[\"P1\", \"P2\"], [\"P2\", \"P3\", \"P4\"]]\n",
    );
    write(
        repo.path(),
        "incidents/2026/M-1.yaml",
        "kind: Incident\nid: M-1\nservice: payments-api\ntitle: x\npriority: P1\nimpact: 1\nurgency: 1\nopened_at: 2026-09-01T09:00:00Z\n",
    );
    let run = svc(repo.path(), &[NOW, "check", "--format", "json"]);
    let all: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let errors: Vec<&str> = all
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(errors, ["svc.toml"], "{all:#?}");
}

#[test]
fn formats_a_command_does_not_take_are_usage_errors_naming_the_ones_it_does() {
    let repo = base();
    let run = svc(repo.path(), &["check", "--format", "table"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("[possible values: human, json, github, junit, sarif]"),
        "{}",
        run.stderr
    );
    let run = svc(repo.path(), &["--format", "sarif", "sla"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("use one of: table, json, csv, markdown"),
        "{}",
        run.stderr
    );
    let help = svc(repo.path(), &["sla", "-h"]);
    assert!(
        help.stdout
            .contains("[possible values: table, json, csv, markdown]"),
        "{}",
        help.stdout
    );
    let edit = svc(repo.path(), &["--format", "json", "advance", "idea"]);
    assert_eq!(edit.code, 2);
    assert!(edit.stderr.contains("takes no --format"), "{}", edit.stderr);
}

/// Writes a repo in which every rule of the closed set finds something.
fn every_rule_repo() -> tempfile::TempDir {
    let repo = base();
    let root = repo.path();
    let config = std::fs::read_to_string(root.join("svc.toml")).unwrap();
    write(
        root,
        "svc.toml",
        config
            + "[priority]\nmatrix = [[\"P1\", \"P2\", \"P2\"], [\"P2\", \"P2\", \"P2\"], [\"P2\", \"P2\", \"P2\"]]\n\
               [incidents]\npostmortem = { priorities = [\"P1\"], within_days = 5 }\n\
               [problems]\nrecurring = { count = 3, days = 30 }\n\
               [[changes.freeze]]\nfrom = 2026-12-18T00:00:00+01:00\nto = 2027-01-04T00:00:00+01:00\n",
    );
    let service = |id: &str, extra: &str, stage: &str| {
        format!("kind: Service\nid: {id}\nowner: t\n{extra}lifecycle:\n  stage: {stage}\n")
    };
    write(root, "services/broken.yaml", "kind: Service\nid: [\n");
    write(
        root,
        "services/typo.yaml",
        service("typo", "ownr: x\n", "design"),
    );
    write(
        root,
        "services/other-name.yaml",
        service("renamed", "", "design"),
    );
    write(
        root,
        "services/cycle-a.yaml",
        service("cycle-a", "depends_on: [cycle-b]\n", "design"),
    );
    write(
        root,
        "services/cycle-b.yaml",
        service("cycle-b", "depends_on: [cycle-a]\n", "design"),
    );
    write(
        root,
        "services/latin1.yaml",
        b"kind: Service\nid: caf\xe9\n".as_slice(),
    );
    write(root, "services/odd.yaml", service("odd", "", "opertional"));
    write(
        root,
        "services/back.yaml",
        "kind: Service\nid: back\nowner: t\nlifecycle:\n  stage: design\n  history:\n    - { stage: testing, at: 2026-01-01T00:00:00Z }\n    - { stage: design, at: 2026-02-01T00:00:00Z }\n",
    );
    write(
        root,
        "services/live.yaml",
        service("live", "policy: gold\n", "operational"),
    );
    write(
        root,
        "services/gone.yaml",
        "kind: Service\nid: gone\nowner: t\nretirement:\n  reason: other\n  data:\n    backup: s3://b\nlifecycle:\n  stage: retired\n  history:\n    - { stage: retired, at: 2026-01-01T00:00:00Z }\n",
    );
    write(
        root,
        "services/linky.yaml",
        service("linky", "links:\n  runbok: https://x\n", "design"),
    );
    write(
        root,
        "policies/dup-a.yaml",
        "kind: SlaPolicy\nid: dup\ntargets:\n  P1: { response: 1h, resolution: 4h }\n",
    );
    write(
        root,
        "policies/dup.yaml",
        "kind: SlaPolicy\nid: dup\ntargets:\n  P1: { response: 1h, resolution: 4h }\n",
    );
    write(
        root,
        "policies/days.yaml",
        "kind: SlaPolicy\nid: days\ncalendar: office\ntargets:\n  P1: { response: 1h, resolution: 3d }\n",
    );
    let incident = |id: &str, fields: &str| {
        format!("kind: Incident\nid: {id}\nservice: payments-api\ntitle: t\n{fields}")
    };
    write(
        root,
        "incidents/2026/R-1.yaml",
        "kind: Incident\nid: R-1\nservice: chekout\ntitle: t\npriority: P1\nopened_at: 2026-09-01T00:00:00Z\n",
    );
    write(
        root,
        "incidents/2026/R-2.yaml",
        incident("R-2", "priority: P1\nopened_at: 2026-09-01T00:00:00\n"),
    );
    write(
        root,
        "incidents/2026/R-3.yaml",
        incident("R-3", "priority: P9\nopened_at: 2026-09-01T00:00:00Z\n"),
    );
    write(
        root,
        "incidents/2026/R-4.yaml",
        "kind: Incident\nid: R-4\nservice: gone\ntitle: t\npriority: P1\nopened_at: 2026-02-01T00:00:00Z\nresolved_at: 2026-02-01T01:00:00Z\n",
    );
    write(
        root,
        "incidents/2026/R-5.yaml",
        incident("R-5", "priority: P1\nopened_at: 2027-01-01T00:00:00Z\n"),
    );
    write(
        root,
        "incidents/2026/R-6.yaml",
        incident(
            "R-6",
            "priority: P2\nimpact: 1\nurgency: 1\nopened_at: 2026-09-01T00:00:00Z\nresolved_at: 2026-09-01T01:00:00Z\nroot_cause: x\n",
        ),
    );
    write(
        root,
        "incidents/2026/R-7.yaml",
        incident(
            "R-7",
            "priority: P1\nopened_at: 2026-08-01T00:00:00Z\nresolved_at: 2026-08-01T01:00:00Z\n",
        ),
    );
    for (n, day) in [(8, 10), (9, 12), (10, 14)] {
        write(
            root,
            &format!("incidents/2026/R-{n}.yaml"),
            incident(
                &format!("R-{n}"),
                &format!(
                    "priority: P2\ncategory: database\nopened_at: 2026-09-{day}T00:00:00Z\nresolved_at: 2026-09-{day}T01:00:00Z\n"
                ),
            ),
        );
    }
    write(
        root,
        "incident/R-11.yaml",
        incident("R-11", "priority: P1\nopened_at: 2026-09-01T00:00:00Z\n"),
    );
    let change = |id: &str, fields: &str| {
        format!("kind: Change\nid: {id}\nservice: payments-api\ntitle: t\n{fields}")
    };
    write(
        root,
        "changes/C-1.yaml",
        change(
            "C-1",
            "type: normal\nstate: implemented\nrollback_plan: r\nverification_plan: v\nwindow: { start: 2026-09-01T00:00:00Z, end: 2026-09-01T01:00:00Z }\nimplemented: { start: 2026-09-01T00:00:00Z }\n",
        ),
    );
    write(
        root,
        "changes/C-2.yaml",
        change(
            "C-2",
            "type: normal\nstate: approved\napprovals:\n  - { by: cab@example.com, at: 2026-09-01T00:00:00Z }\n",
        ),
    );
    write(
        root,
        "changes/C-3.yaml",
        change("C-3", "type: standard\nstate: scheduled\n"),
    );
    write(
        root,
        "changes/C-4.yaml",
        change(
            "C-4",
            "type: standard\nstate: reviewed\nwindow: { start: 2026-09-01T00:00:00Z, end: 2026-09-01T01:00:00Z }\nimplemented: { start: 2026-09-01T00:00:00Z, end: 2026-09-01T01:00:00Z }\n",
        ),
    );
    write(
        root,
        "changes/C-5.yaml",
        change(
            "C-5",
            "type: standard\nstate: requested\nwindow: { start: 2026-10-05T00:00:00Z, end: 2026-10-05T02:00:00Z }\n",
        ),
    );
    write(
        root,
        "changes/C-6.yaml",
        change(
            "C-6",
            "type: standard\nstate: requested\nwindow: { start: 2026-10-05T01:00:00Z, end: 2026-10-05T03:00:00Z }\n",
        ),
    );
    let problem = |id: &str, fields: &str| {
        format!("kind: Problem\nid: {id}\nservice: payments-api\ntitle: t\n{fields}")
    };
    write(
        root,
        "problems/P-1.yaml",
        problem("P-1", "state: known-error\n"),
    );
    write(
        root,
        "problems/P-2.yaml",
        problem(
            "P-2",
            "state: investigating\nactions:\n  - { id: A1, title: t, owner: o, due: 2026-09-01 }\n",
        ),
    );
    repo
}

#[test]
fn a_repo_can_trip_every_rule_and_sarif_lists_exactly_those_rules() {
    let repo = every_rule_repo();
    let run = svc(repo.path(), &[NOW, "check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let all: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let found: BTreeSet<&str> = all.iter().map(|d| d["rule"].as_str().unwrap()).collect();
    let sarif = svc(repo.path(), &[NOW, "check", "--format", "sarif"]).json();
    let declared: BTreeSet<&str> = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(found, declared, "{all:#?}");
    assert_eq!(declared.len(), 27);
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        assert!(
            !rule["help"]["markdown"].as_str().unwrap().is_empty(),
            "{rule}"
        );
        assert!(rule.get("helpUri").is_none(), "no relative helpUri");
    }
}
