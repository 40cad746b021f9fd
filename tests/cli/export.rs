//! `svc export incidents` and `svc export backstage` through the binary (SPEC
//! §10): the export's figures are `svc sla`'s, both formats carry the same
//! columns, CSV cells are safe, the period and the skipped records follow `svc
//! sla`, and the Backstage entities map stages, links and dependencies.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{example, put, svc};

const NOW: &str = "--now=2026-12-01T00:00:00Z";

/// The columns in their documented order (docs/warehouse.md).
const COLUMNS: [&str; 38] = [
    "id",
    "service",
    "owner",
    "title",
    "priority",
    "priority_source",
    "impact",
    "urgency",
    "category",
    "status",
    "opened_at",
    "acknowledged_at",
    "effective_acknowledged_at",
    "resolved_at",
    "closed_at",
    "pauses",
    "paused_seconds",
    "outages",
    "outage_seconds",
    "satisfaction",
    "feedback",
    "problem",
    "caused_by_change",
    "root_cause",
    "postmortem",
    "policy",
    "business_hours",
    "response_target_seconds",
    "response_counted_seconds",
    "response_state",
    "resolution_target_seconds",
    "resolution_counted_seconds",
    "resolution_state",
    "state",
    "time_to_acknowledge_seconds",
    "time_to_resolve_seconds",
    "evaluated_at",
    "external",
];

fn jsonl(repo: &Path, args: &[&str]) -> Vec<Value> {
    let mut all = vec![NOW, "export", "incidents"];
    all.extend_from_slice(args);
    let run = svc(repo, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// The CSV export as header and records.
fn csv_rows(repo: &Path, args: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut all = vec![NOW, "export", "incidents", "--format", "csv"];
    all.extend_from_slice(args);
    let run = svc(repo, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

fn sla(repo: &Path, args: &[&str]) -> Value {
    let mut all = vec![NOW, "sla", "--format", "json"];
    all.extend_from_slice(args);
    let run = svc(repo, &all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()
}

/// A small repo: a 24x7 policy, one service with it, one without, and `incidents`.
fn repo_with(incidents: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(
        root,
        "svc.toml",
        "[repo]\nname = \"t\"\ntimezone = \"Europe/Berlin\"\n",
    );
    put(
        root,
        "policies/gold.yaml",
        "kind: SlaPolicy\nid: gold\ntargets:\n  P1: { response: 15m, resolution: 4h }\n",
    );
    let service = |id: &str, policy: &str| {
        format!(
            "kind: Service\nid: {id}\nowner: team-{id}\n{policy}contacts: {{ oncall: a@x.org }}\nlinks: {{ runbook: r, dashboard: d }}\nlifecycle:\n  stage: operational\n  history: [{{ stage: operational, at: 2025-01-01T00:00:00Z, by: a }}]\n"
        )
    };
    put(
        root,
        "services/payments-api.yaml",
        service("payments-api", "policy: gold\n"),
    );
    put(root, "services/wiki.yaml", service("wiki", ""));
    for (id, body) in incidents {
        put(
            root,
            &format!("incidents/2026/{id}.yaml"),
            format!("kind: Incident\nid: {id}\n{body}"),
        );
    }
    dir
}

/// SPEC §1's example incident, hand-worked: response 6 min, resolution 108 min
/// wall-clock less a 30 min pause = 78 min counted; outage 95 min.
const SPEC_INCIDENT: (&str, &str) = (
    "INC-2026-0042",
    "service: payments-api\ntitle: Card payments failing for Visa\npriority: P1\nopened_at: 2026-03-02T09:14:00+01:00\nacknowledged_at: 2026-03-02T09:20:00+01:00\nresolved_at: 2026-03-02T11:02:00+01:00\npaused:\n  - { from: 2026-03-02T10:00:00+01:00, to: 2026-03-02T10:30:00+01:00, reason: awaiting-customer }\noutage:\n  - { from: 2026-03-02T09:10:00+01:00, to: 2026-03-02T10:45:00+01:00 }\n  - { from: 2026-03-02T10:30:00+01:00, to: 2026-03-02T10:50:00+01:00 }\nsatisfaction: 4\nexternal: { servicenow_number: INC0000045 }\n",
);

#[test]
fn figures_per_service_are_those_of_svc_sla_on_acme() {
    for period in [&[][..], &["--period", "2026-Q3"][..]] {
        let rows = jsonl(&example(), period);
        let report = sla(&example(), period);
        let mut counts: BTreeMap<&str, [usize; 7]> = BTreeMap::new();
        for row in &rows {
            let entry = counts.entry(row["service"].as_str().unwrap()).or_default();
            entry[0] += 1;
            for (i, (key, value)) in [
                ("state", "met"),
                ("state", "breached"),
                ("response_state", "met"),
                ("response_state", "breached"),
                ("resolution_state", "met"),
                ("resolution_state", "breached"),
            ]
            .iter()
            .enumerate()
            {
                entry[i + 1] += usize::from(row[*key] == *value);
            }
        }
        let pct = |met: usize, breached: usize| {
            (met + breached > 0)
                .then(|| ((met as f64 * 10_000.0 / (met + breached) as f64).round()) / 100.0)
        };
        let services = report["services"].as_array().unwrap();
        for service in services {
            let name = service["service"].as_str().unwrap();
            let ours = counts.get(name).copied().unwrap_or_default();
            assert_eq!(service["incidents"], ours[0], "{name}");
            assert_eq!(service["met"], ours[1], "{name}");
            assert_eq!(service["breached"], ours[2], "{name}");
            assert_eq!(
                service["response_met_pct"].as_f64(),
                pct(ours[3], ours[4]),
                "{name}"
            );
            assert_eq!(
                service["resolution_met_pct"].as_f64(),
                pct(ours[5], ours[6]),
                "{name}"
            );
        }
        assert!(
            counts
                .keys()
                .all(|k| services.iter().any(|s| s["service"] == *k))
        );
        // Every incident svc sla lists is a row with the same evaluation.
        let listed = report["incidents"].as_array().unwrap();
        assert_eq!(listed.len(), rows.len());
        for (row, incident) in rows.iter().zip(listed) {
            assert_eq!(row["id"], incident["id"]);
            assert_eq!(row["state"], incident["state"]);
            for target in ["response", "resolution"] {
                for key in ["counted_seconds", "target_seconds", "state"] {
                    assert_eq!(
                        row[format!("{target}_{key}")],
                        incident[target][key],
                        "{} {target} {key}",
                        row["id"]
                    );
                }
            }
        }
    }
}

#[test]
fn each_row_carries_the_record_fields_and_wall_clock_lengths() {
    let repo = repo_with(&[SPEC_INCIDENT]);
    let rows = jsonl(repo.path(), &[]);
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    let keys = crate::common::keys(row);
    assert_eq!(keys, COLUMNS);
    let expect = serde_json::json!({
        "id": "INC-2026-0042", "service": "payments-api", "owner": "team-payments-api",
        "title": "Card payments failing for Visa", "priority": "P1",
        "priority_source": "written", "impact": null, "urgency": null, "category": null,
        "status": "resolved",
        "opened_at": "2026-03-02T08:14:00Z", "acknowledged_at": "2026-03-02T08:20:00Z",
        "effective_acknowledged_at": "2026-03-02T08:20:00Z",
        "resolved_at": "2026-03-02T10:02:00Z", "closed_at": null,
        "pauses": 1, "paused_seconds": 1800, "outages": 2, "outage_seconds": 6000,
        "satisfaction": 4, "feedback": null, "problem": null, "caused_by_change": null,
        "root_cause": null, "postmortem": null, "policy": "gold", "business_hours": false,
        "response_target_seconds": 900, "response_counted_seconds": 360,
        "response_state": "met", "resolution_target_seconds": 14400,
        "resolution_counted_seconds": 4680, "resolution_state": "met", "state": "met",
        "time_to_acknowledge_seconds": 360, "time_to_resolve_seconds": 6480,
        "evaluated_at": "2026-12-01T00:00:00Z",
        "external": { "servicenow_number": "INC0000045" },
    });
    assert_eq!(row, &expect);
    let (header, csv) = csv_rows(repo.path(), &[]);
    assert_eq!(header, COLUMNS);
    assert_eq!(csv[0][16], "1800");
    assert_eq!(csv[0][26], "false");
    assert_eq!(csv[0][37], r#"{"servicenow_number":"INC0000045"}"#);
    // A missing value is an empty cell.
    assert_eq!(csv[0][14], "");
}

#[test]
fn pending_and_unevaluated_incidents_are_rows_with_what_is_known() {
    let repo = repo_with(&[
        (
            "INC-1",
            "service: payments-api\ntitle: t\npriority: P1\nopened_at: 2026-11-30T23:58:00Z\npaused:\n  - { from: 2026-11-30T23:59:00Z }\n",
        ),
        (
            "INC-2",
            "service: wiki\ntitle: t\npriority: P3\nopened_at: 2026-11-02T09:00:00Z\nresolved_at: 2026-11-02T10:00:00Z\n",
        ),
    ]);
    let rows = jsonl(repo.path(), &[]);
    assert_eq!(rows.len(), 2);
    let open = &rows[0];
    assert_eq!(open["status"], "open");
    assert_eq!(open["state"], "pending");
    assert_eq!(open["response_state"], "pending");
    // One minute counted before the running pause, which lasts until now.
    assert_eq!(open["response_counted_seconds"], 60);
    assert_eq!(open["paused_seconds"], 60);
    assert_eq!(open["effective_acknowledged_at"], Value::Null);
    assert_eq!(open["time_to_acknowledge_seconds"], Value::Null);
    // A service without a policy: counted in MTTR, no targets.
    let wiki = &rows[1];
    assert_eq!(wiki["service"], "wiki");
    for key in ["policy", "business_hours", "response_state", "state"] {
        assert_eq!(wiki[key], Value::Null, "{key}");
    }
    assert_eq!(wiki["time_to_resolve_seconds"], 3600);
    assert_eq!(wiki["effective_acknowledged_at"], "2026-11-02T10:00:00Z");
    let report = sla(repo.path(), &[]);
    let wiki_sla = report["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == "wiki")
        .unwrap();
    assert_eq!(wiki_sla["mttr_seconds"], wiki["time_to_resolve_seconds"]);
}

#[test]
fn csv_quotes_and_defuses_record_text() {
    let repo = repo_with(&[
        (
            "INC-1",
            "service: payments-api\ntitle: \"=HYPERLINK(\\\"http://evil\\\"), \\\"quoted\\\"\"\ncategory: \"-2+3\"\nroot_cause: \"line one\\nline two\"\npriority: P1\nopened_at: 2026-03-02T09:00:00Z\n",
        ),
        (
            "INC-2",
            "service: payments-api\ntitle: \"@SUM(A1)\\u001b[31m\"\npriority: P1\nopened_at: 2026-03-03T09:00:00Z\n",
        ),
    ]);
    let run = svc(
        repo.path(),
        &[NOW, "export", "incidents", "--format", "csv"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // RFC 4180: a cell with a quote or a comma is quoted, quotes doubled.
    assert!(
        run.stdout
            .contains(r#""'=HYPERLINK(""http://evil""), ""quoted""""#),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains('\u{1b}'));
    let (_, rows) = csv_rows(repo.path(), &[]);
    assert_eq!(rows[0][3], r#"'=HYPERLINK("http://evil"), "quoted""#);
    assert_eq!(rows[0][8], "'-2+3");
    // Line breaks in CSV text are escaped like every control character (the
    // CSV safety rule of docs/reliability.md); JSON Lines keeps them.
    assert_eq!(rows[0][23], "line one\\u{a}line two");
    assert_eq!(rows[1][3], "'@SUM(A1)\\u{1b}[31m");
    // JSON Lines keeps the text as written (escaped, read back unchanged).
    let lines = jsonl(repo.path(), &[]);
    assert_eq!(lines[0]["title"], r#"=HYPERLINK("http://evil"), "quoted""#);
    assert_eq!(lines[1]["title"], "@SUM(A1)\u{1b}[31m");
    assert_eq!(lines[0]["root_cause"], "line one\nline two");
    assert!(
        !svc(repo.path(), &[NOW, "export", "incidents"])
            .stdout
            .contains('\u{1b}')
    );
}

#[test]
fn the_period_selects_incidents_by_opening_in_the_repo_time_zone() {
    let opened = |id: &str, at: &str| {
        (
            id.to_string(),
            format!(
                "service: payments-api\ntitle: t\npriority: P1\nopened_at: {at}\nresolved_at: 2026-06-01T00:00:00Z\n"
            ),
        )
    };
    // 2026-02-28T23:30Z is already March in Berlin.
    let list = [
        opened("INC-1", "2026-02-28T22:30:00Z"),
        opened("INC-2", "2026-02-28T23:30:00Z"),
        opened("INC-3", "2026-03-31T21:59:00Z"),
        opened("INC-4", "2026-03-31T22:00:00Z"),
    ];
    let borrowed: Vec<(&str, &str)> = list.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let repo = repo_with(&borrowed);
    let ids = |args: &[&str]| -> Vec<String> {
        jsonl(repo.path(), args)
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["--period", "2026-03"]), ["INC-2", "INC-3"]);
    assert_eq!(
        ids(&["--since", "2026-03-01", "--until", "2026-04-02"]),
        ["INC-2", "INC-3", "INC-4"]
    );
    assert_eq!(ids(&[]).len(), 4);
    let (_, rows) = csv_rows(repo.path(), &["--period", "2026-03"]);
    assert_eq!(rows.len(), 2);
    let sla_ids: Vec<Value> = sla(repo.path(), &["--period", "2026-03"])["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].clone())
        .collect();
    assert_eq!(sla_ids, ["INC-2", "INC-3"]);
    let bad = svc(
        repo.path(),
        &[NOW, "export", "incidents", "--period", "2026-13"],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn records_left_out_are_reported_as_svc_sla_reports_them() {
    let repo = repo_with(&[
        SPEC_INCIDENT,
        (
            "INC-2",
            "service: payments-api\ntitle: t\npriority: P9\nopened_at: 2026-03-03T09:00:00Z\n",
        ),
        (
            "INC-3",
            "service: gone\ntitle: t\npriority: P1\nopened_at: 2026-03-03T09:00:00Z\n",
        ),
    ]);
    let export = svc(repo.path(), &[NOW, "export", "incidents"]);
    let report = svc(repo.path(), &[NOW, "sla", "--format", "json"]);
    assert_eq!(export.code, 0);
    assert_eq!(export.stderr, report.stderr);
    assert!(
        export.stderr.contains("INC-2") && export.stderr.contains("INC-3"),
        "{}",
        export.stderr
    );
    let lines: Vec<&str> = export.stdout.lines().collect();
    assert_eq!(lines.len(), 1);
    assert!(
        lines[0].starts_with(r#"{"id":"INC-2026-0042","#),
        "{}",
        lines[0]
    );
    assert_eq!(report.json()["skipped"].as_array().unwrap().len(), 2);
    let quiet = svc(repo.path(), &[NOW, "-q", "export", "incidents"]);
    assert_eq!(quiet.stderr, "");
}

#[test]
fn formats_the_export_does_not_take_are_usage_errors() {
    let run = svc(
        &example(),
        &[NOW, "--format", "json", "export", "incidents"],
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("jsonl, csv"), "{}", run.stderr);
    let run = svc(&example(), &[NOW, "--format", "csv", "export", "incidents"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("id,service,owner,title,"));
    let run = svc(&example(), &["--format", "json", "export", "backstage"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("yaml"), "{}", run.stderr);
}

#[test]
fn an_empty_repo_exports_nothing_but_the_csv_header() {
    let dir = tempfile::tempdir().unwrap();
    put(dir.path(), "svc.toml", "[repo]\nname = \"empty\"\n");
    let mid_month = "--now=2026-12-15T00:00:00Z";
    let run = svc(dir.path(), &[mid_month, "export", "incidents"]);
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
    let run = svc(
        dir.path(),
        &[mid_month, "export", "incidents", "--format", "csv"],
    );
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, format!("{}\n", COLUMNS.join(",")));
    // The default period is svc sla's: on the first of the month it is empty,
    // which is the same usage error there.
    let empty = svc(dir.path(), &[NOW, "export", "incidents"]);
    let sla = svc(dir.path(), &[NOW, "sla"]);
    assert_eq!((empty.code, &empty.stderr), (2, &sla.stderr));
    let run = svc(dir.path(), &[NOW, "export", "backstage"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
}

/// The entities of `svc export backstage`, parsed by svc's own YAML reader.
fn entities(repo: &Path) -> Vec<svc::yaml::Node> {
    let run = svc(repo, &[NOW, "export", "backstage"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("---\n") || run.stdout.is_empty());
    run.stdout
        .split("---\n")
        .filter(|d| !d.is_empty())
        .map(|d| {
            svc::yaml::parse_document(d)
                .unwrap_or_else(|e| panic!("{e:?}:\n{d}"))
                .unwrap()
        })
        .collect()
}

fn text<'a>(node: &'a svc::yaml::Node, path: &str) -> Option<&'a str> {
    let mut at = node;
    for key in path.split('.') {
        at = at.get(key)?;
    }
    at.as_str()
}

#[test]
fn backstage_maps_every_stage_links_and_dependencies() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, "svc.toml", "[repo]\nname = \"t\"\n");
    let stages = [
        ("proposed", "experimental"),
        ("planning", "experimental"),
        ("design", "experimental"),
        ("development", "experimental"),
        ("testing", "experimental"),
        ("operational", "production"),
        ("deprecated", "deprecated"),
        ("retired", "deprecated"),
    ];
    for (stage, _) in stages {
        let retirement = if stage == "retired" {
            "retirement: { reason: other, data: { backup: b } }\n"
        } else {
            ""
        };
        put(
            root,
            &format!("services/s-{stage}.yaml"),
            format!(
                "kind: Service\nid: s-{stage}\nname: S {stage}\nowner: team-{stage}\ndepends_on: [s-proposed, s-planning]\ncontacts: {{ oncall: a@x.org }}\nlinks:\n  runbook: https://r.example/{stage}\n  dashboard: https://d.example/{stage}\n  notes: \"\"\nlifecycle:\n  stage: {stage}\n  history: [{{ stage: {stage}, at: 2025-01-01T00:00:00Z, by: a }}]\n{retirement}"
            ),
        );
    }
    let all = entities(root);
    assert_eq!(all.len(), stages.len());
    for (stage, lifecycle) in stages {
        let name = format!("s-{stage}");
        let entity = all
            .iter()
            .find(|e| text(e, "metadata.name") == Some(name.as_str()))
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(text(entity, "apiVersion"), Some("backstage.io/v1alpha1"));
        assert_eq!(text(entity, "kind"), Some("Component"));
        assert_eq!(text(entity, "spec.type"), Some("service"));
        assert_eq!(text(entity, "spec.lifecycle"), Some(lifecycle), "{stage}");
        let owner = format!("team-{stage}");
        assert_eq!(text(entity, "spec.owner"), Some(owner.as_str()));
        let depends: Vec<&str> = entity
            .get("spec")
            .unwrap()
            .get("dependsOn")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .filter_map(|n| n.as_str())
            .collect();
        assert_eq!(depends, ["component:s-proposed", "component:s-planning"]);
        let links: Vec<(Option<&str>, Option<&str>)> = entity
            .get("metadata")
            .unwrap()
            .get("links")
            .unwrap()
            .as_seq()
            .unwrap()
            .iter()
            .map(|l| (text(l, "url"), text(l, "title")))
            .collect();
        let runbook = format!("https://r.example/{stage}");
        let dashboard = format!("https://d.example/{stage}");
        // An empty link has no URL to give and is left out.
        assert_eq!(
            links,
            [
                (Some(runbook.as_str()), Some("runbook")),
                (Some(dashboard.as_str()), Some("dashboard"))
            ]
        );
    }
}

#[test]
fn backstage_titles_that_are_hostile_to_yaml_survive() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, "svc.toml", "[repo]\nname = \"t\"\n");
    let titles = [
        "Payments: EU #2",
        "yes",
        "null",
        "- dash",
        "It's \"quoted\"",
        "12:30",
        "{a: [b]}, c",
        "trailing colon:",
        "tab\tand bell\u{7}",
    ];
    for (i, title) in titles.iter().enumerate() {
        let quoted = serde_json::to_string(title).unwrap();
        put(
            root,
            &format!("services/s{i}.yaml"),
            format!(
                "kind: Service\nid: s{i}\nname: {quoted}\ndescription: {quoted}\nowner: \"team: a # b\"\nlifecycle:\n  stage: proposed\n  history: [{{ stage: proposed, at: 2025-01-01T00:00:00Z, by: a }}]\n"
            ),
        );
    }
    let all = entities(root);
    for (i, title) in titles.iter().enumerate() {
        let entity = &all[i];
        assert_eq!(
            text(entity, "metadata.name"),
            Some(format!("s{i}").as_str())
        );
        assert_eq!(text(entity, "metadata.title"), Some(*title), "{title:?}");
        assert_eq!(text(entity, "metadata.description"), Some(*title));
        assert_eq!(text(entity, "spec.owner"), Some("team: a # b"));
        assert_eq!(text(entity, "spec.lifecycle"), Some("experimental"));
    }
    let raw = svc(root, &[NOW, "export", "backstage"]).stdout;
    assert!(!raw.contains('\u{7}'), "{raw}");
}

#[test]
fn backstage_names_fit_backstage_and_broken_services_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    put(root, "svc.toml", "[repo]\nname = \"t\"\n");
    let long = format!("{}-end", "long-name".repeat(8));
    assert!(long.len() > 63);
    let service = |id: &str, extra: &str| {
        format!(
            "kind: Service\nid: {id}\nowner: o\n{extra}lifecycle:\n  stage: proposed\n  history: [{{ stage: proposed, at: 2025-01-01T00:00:00Z, by: a }}]\n"
        )
    };
    put(root, &format!("services/{long}.yaml"), service(&long, ""));
    put(
        root,
        "services/app.yaml",
        service("app", &format!("depends_on: [{long}]\n")),
    );
    put(
        root,
        "services/broken.yaml",
        service("broken", "colour: red\n"),
    );
    let run = svc(root, &[NOW, "export", "backstage"]);
    assert!(run.stderr.contains("broken"), "{}", run.stderr);
    let all = entities(root);
    assert_eq!(all.len(), 2);
    let long_entity = all
        .iter()
        .find(|e| text(e, "metadata.annotations.svc/id") == Some(long.as_str()))
        .unwrap();
    let name = text(long_entity, "metadata.name").unwrap();
    assert!(name.len() <= 63 && name.starts_with("long-name"), "{name}");
    let app = all
        .iter()
        .find(|e| text(e, "metadata.name") == Some("app"))
        .unwrap();
    let depends = app
        .get("spec")
        .unwrap()
        .get("dependsOn")
        .unwrap()
        .as_seq()
        .unwrap();
    assert_eq!(
        depends[0].as_str(),
        Some(format!("component:{name}").as_str())
    );
}
