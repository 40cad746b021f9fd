//! `svc check` through the binary: one test per rule on the `base` fixture, the
//! bad inputs of the foundation issue, the output formats, and Git revisions.

use std::path::Path;

use serde_json::Value;

use crate::common::{base, command, git, git_init, put as write, svc};

const NOW: &str = "--now=2026-10-01T00:00:00Z";

fn replace(repo: &Path, file: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(repo.join(file)).unwrap();
    assert!(text.contains(from), "{file} has no `{from}`");
    write(repo, file, text.replacen(from, to, 1));
}

/// Runs `svc check --format json` and returns the exit code and diagnostics.
fn check(repo: &Path) -> (i32, Vec<Value>) {
    let run = svc(repo, &[NOW, "check", "--format", "json"]);
    assert!(
        run.code == 0 || run.code == 1,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    (run.code, run.json().as_array().unwrap().clone())
}

/// The file of each diagnostic in a `--format json` run, in output order.
fn files_of(run: &crate::common::Run) -> Vec<String> {
    run.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect()
}

/// The one diagnostic of `rule`, asserting where it points.
fn expect(diagnostics: &[Value], rule: &str, file: &str, line: u64, column: u64) -> Value {
    let found: Vec<&Value> = diagnostics
        .iter()
        .filter(|d| d["rule"] == rule && d["file"] == file)
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one `{rule}` in {file} expected, got: {diagnostics:#?}"
    );
    let d = found[0].clone();
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(line), Some(column)),
        "{d:#}"
    );
    d
}

#[test]
fn base_fixture_is_clean() {
    let repo = base();
    let run = svc(repo.path(), &[NOW, "check", "--color", "never"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.stdout, "0 errors, 0 warnings in 7 files\n");
}

#[test]
fn rule_yaml_syntax() {
    let repo = base();
    write(
        repo.path(),
        "services/idea.yaml",
        "kind: Service\nid: [idea\nowner: x\n",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "yaml-syntax", "services/idea.yaml", 3, 6);
    assert_eq!(diagnostic["severity"], "error");
    // The rest of the repo is still checked and still clean.
    assert_eq!(d.len(), 1, "{d:#?}");
}

#[test]
fn rule_schema_unknown_field_with_suggestion() {
    let repo = base();
    replace(
        repo.path(),
        "services/idea.yaml",
        "owner: team-labs",
        "ownr: team-labs",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let unknown = d
        .iter()
        .find(|d| d["message"] == "unknown field `ownr`")
        .unwrap();
    assert_eq!(
        (unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(unknown["help"], "did you mean `owner`?");
    assert!(
        d.iter()
            .any(|d| d["message"] == "missing required field `owner`")
    );
}

#[test]
fn rule_schema_wrong_type_range_and_enum() {
    let repo = base();
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "tier: 1",
        "tier: [1]",
    );
    replace(
        repo.path(),
        "services/auth.yaml",
        "owner: team-identity",
        "owner: team-identity\ntier: 9",
    );
    replace(
        repo.path(),
        "incidents/2026/INC-0001.yaml",
        "priority: P1",
        "priority: P1\nstatus: resolvd\nsatisfaction: 7",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let wrong_type = expect(&d, "schema", "services/payments-api.yaml", 5, 7);
    assert_eq!(
        wrong_type["message"],
        "`tier` must be a whole number, found a list"
    );
    let range = expect(&d, "schema", "services/auth.yaml", 4, 7);
    assert_eq!(range["message"], "`tier` must be between 1 and 4, found 9");
    let status = d
        .iter()
        .find(|d| d["line"] == 6 && d["file"] == "incidents/2026/INC-0001.yaml")
        .unwrap();
    assert_eq!(status["help"], "did you mean `resolved`?");
    let satisfaction = d
        .iter()
        .find(|d| d["line"] == 7 && d["file"] == "incidents/2026/INC-0001.yaml")
        .unwrap();
    assert_eq!(
        satisfaction["message"],
        "`satisfaction` must be between 1 and 5, found 7"
    );
}

#[test]
fn rule_id_mismatch() {
    let repo = base();
    replace(repo.path(), "services/idea.yaml", "id: idea", "id: ideas");
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "id-mismatch", "services/idea.yaml", 2, 5);
    assert_eq!(
        diagnostic["help"],
        "rename the file to `ideas.yaml` or set `id: idea`"
    );
    replace(
        repo.path(),
        "services/idea.yaml",
        "id: ideas",
        "id: Idea_One",
    );
    let (_, d) = check(repo.path());
    let diagnostic = expect(&d, "id-mismatch", "services/idea.yaml", 2, 5);
    assert_eq!(
        diagnostic["message"],
        "id `Idea_One` is not lower-case kebab case"
    );
}

#[test]
fn rule_duplicate_id_names_both_places() {
    let repo = base();
    let text = std::fs::read_to_string(repo.path().join("incidents/2026/INC-0001.yaml")).unwrap();
    write(repo.path(), "incidents/2025/INC-0001.yaml", text);
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "duplicate-id", "incidents/2026/INC-0001.yaml", 2, 5);
    assert_eq!(
        diagnostic["message"],
        "incident id `INC-0001` is also used by incidents/2025/INC-0001.yaml:2:5"
    );
}

#[test]
fn rule_unknown_reference_with_suggestion() {
    let repo = base();
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "policy: gold",
        "policy: gld",
    );
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "depends_on: [auth]",
        "depends_on: [auth, ledger]",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let policy = d
        .iter()
        .find(|d| d["rule"] == "unknown-reference" && d["line"] == 6)
        .unwrap();
    assert_eq!(policy["column"], 9);
    assert_eq!(policy["help"], "did you mean `gold`?");
    let dependency = d
        .iter()
        .find(|d| d["rule"] == "unknown-reference" && d["line"] == 7)
        .unwrap();
    assert_eq!(dependency["column"], 20);
    assert_eq!(
        dependency["message"],
        "`depends_on` names service `ledger`, which does not exist"
    );
}

#[test]
fn rule_dependency_cycle_prints_the_cycle() {
    let repo = base();
    replace(
        repo.path(),
        "services/auth.yaml",
        "policy: platinum",
        "policy: platinum\ndepends_on: [payments-api]",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "dependency-cycle", "services/auth.yaml", 5, 14);
    assert_eq!(
        diagnostic["message"],
        "`depends_on` forms a cycle: auth -> payments-api -> auth"
    );
}

#[test]
fn rule_unreadable_for_non_utf8() {
    let repo = base();
    write(
        repo.path(),
        "services/latin1.yaml",
        b"kind: Service\nid: latin1\nname: Caf\xe9\n".as_slice(),
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "unreadable", "services/latin1.yaml", 3, 10);
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("not UTF-8"),
        "{diagnostic}"
    );
    assert_eq!(d.len(), 1);
}

#[test]
fn rule_timestamp_offset_order_and_pauses() {
    let repo = base();
    replace(
        repo.path(),
        "incidents/2026/INC-0001.yaml",
        "opened_at: 2026-03-02T09:14:00+01:00",
        "opened_at: 2026-03-02T09:14:00",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let offset = expect(&d, "timestamp", "incidents/2026/INC-0001.yaml", 6, 12);
    assert!(
        offset["help"]
            .as_str()
            .unwrap()
            .contains("2026-03-02T09:14:00Z"),
        "{offset}"
    );

    let repo = base();
    replace(
        repo.path(),
        "incidents/2026/INC-0001.yaml",
        "resolved_at: 2026-03-02T11:02:00+01:00",
        "resolved_at: 2026-03-02T09:00:00+01:00\npaused:\n  - { from: 2026-03-02T09:30:00+01:00, to: 2026-03-02T10:30:00+01:00 }\n  - { from: 2026-03-02T10:00:00+01:00, to: 2026-03-02T10:40:00+01:00 }",
    );
    let (_, d) = check(repo.path());
    let order = d.iter().find(|d| d["line"] == 8).unwrap();
    assert_eq!(
        order["message"],
        "`resolved_at` (2026-03-02T09:00:00+01:00) is before `acknowledged_at` (2026-03-02T09:20:00+01:00)"
    );
    assert!(d.iter().any(|d| d["line"] == 10
        && d["message"] == "the pause lies outside the incident (opened_at to resolved_at)"));
    assert!(
        d.iter()
            .any(|d| d["line"] == 11 && d["message"] == "pauses overlap")
    );
}

#[test]
fn rule_unknown_stage_with_suggestion() {
    let repo = base();
    replace(
        repo.path(),
        "services/idea.yaml",
        "stage: proposed\n",
        "stage: proposd\n",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "unknown-stage", "services/idea.yaml", 5, 10);
    assert_eq!(diagnostic["help"], "did you mean `proposed`?");
}

#[test]
fn rule_history_order_and_last_stage() {
    let repo = base();
    replace(
        repo.path(),
        "services/auth.yaml",
        "    - { stage: proposed, at: 2025-01-06T09:00:00Z, by: ana@example.com }",
        "    - { stage: testing, at: 2025-01-06T09:00:00Z, by: ana@example.com }\n    - { stage: design, at: 2025-01-05T09:00:00Z, by: ana@example.com }",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let backwards = d
        .iter()
        .find(|d| d["rule"] == "history" && d["column"] == 16)
        .unwrap();
    assert_eq!(backwards["line"], 14);
    assert_eq!(
        backwards["message"],
        "history goes from `testing` back to `design`"
    );
    assert!(
        d.iter()
            .any(|d| d["rule"] == "history" && d["line"] == 14 && d["column"] == 28)
    );
    replace(
        repo.path(),
        "services/idea.yaml",
        "stage: proposed\n",
        "stage: planning\n",
    );
    let (_, d) = check(repo.path());
    let last = expect(&d, "history", "services/idea.yaml", 5, 10);
    assert_eq!(
        last["message"],
        "`lifecycle.stage` is `planning`, but the last history entry is `proposed`"
    );
}

#[test]
fn rule_gate_on_a_deprecated_service() {
    let repo = base();
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "  runbook: https://wiki.example.com/payments\n",
        "",
    );
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "  stage: operational",
        "  stage: deprecated",
    );
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "by: ana@example.com }",
        "by: ana@example.com }\n    - { stage: deprecated, at: 2026-06-01T09:00:00Z, by: ana@example.com }",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "gate", "services/payments-api.yaml", 13, 10);
    assert_eq!(
        diagnostic["message"],
        "service `payments-api` is `deprecated`, but the `operational` gate requires `links.runbook`, which is missing or empty"
    );
}

#[test]
fn rule_gate_for_retired_with_open_incidents_and_dependents() {
    let repo = base();
    replace(
        repo.path(),
        "services/auth.yaml",
        "  stage: operational",
        "  stage: retired",
    );
    replace(
        repo.path(),
        "services/auth.yaml",
        "    - { stage: operational, at: 2025-03-03T09:00:00Z, by: ana@example.com }",
        "    - { stage: retired, at: 2026-03-03T09:00:00Z, by: ana@example.com }\nretirement:\n  reason: other\n  data:\n    backup: s3://b/auth",
    );
    write(
        repo.path(),
        "incidents/2026/INC-0002.yaml",
        "kind: Incident\nid: INC-0002\nservice: auth\ntitle: t\npriority: P1\nopened_at: 2026-01-02T09:00:00Z\n",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let gates: Vec<&str> = d
        .iter()
        .filter(|d| d["rule"] == "gate")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        gates,
        [
            "service `auth` is `retired`, but the `retired` gate requires no active dependents, but 1 service depends on it: payments-api",
            "service `auth` is `retired`, but the `retired` gate requires no open incidents, but 1 open: INC-0002",
        ]
    );
}

#[test]
fn rule_missing_target() {
    let repo = base();
    replace(
        repo.path(),
        "incidents/2026/INC-0001.yaml",
        "priority: P1",
        "priority: P3",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "missing-target", "incidents/2026/INC-0001.yaml", 5, 11);
    assert_eq!(
        diagnostic["message"],
        "priority `P3` has no target in policy `gold` of service `payments-api`"
    );
}

#[test]
fn rule_retired_service_is_a_warning() {
    let repo = base();
    write(
        repo.path(),
        "services/old-billing.yaml",
        "kind: Service\nid: old-billing\nowner: t\npolicy: platinum\ncontacts: { oncall: a@b.c }\nlinks: { runbook: r, dashboard: d }\nlifecycle:\n  stage: retired\n  history: [{ stage: retired, at: 2026-02-01T00:00:00Z, by: a }]\nretirement: { reason: replaced, replaced_by: payments-api, data: { backup: s3://b } }\n",
    );
    write(
        repo.path(),
        "incidents/2026/INC-0003.yaml",
        "kind: Incident\nid: INC-0003\nservice: old-billing\ntitle: t\npriority: P1\nopened_at: 2026-03-01T00:00:00Z\nresolved_at: 2026-03-01T01:00:00Z\n",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 0, "{d:#?}");
    let diagnostic = expect(&d, "retired-service", "incidents/2026/INC-0003.yaml", 6, 12);
    assert_eq!(diagnostic["severity"], "warning");
    assert_eq!(
        diagnostic["help"],
        "did it happen on the successor `payments-api`?"
    );
}

#[test]
fn rule_business_days_is_a_warning() {
    let repo = base();
    replace(
        repo.path(),
        "policies/gold.yaml",
        "resolution: 8h",
        "resolution: 3d",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 0);
    let diagnostic = expect(&d, "business-days", "policies/gold.yaml", 6, 35);
    assert_eq!(diagnostic["help"], "write `72h` to say so explicitly");
}

#[test]
fn rule_future_timestamp_is_a_warning() {
    let repo = base();
    write(
        repo.path(),
        "incidents/2026/INC-0004.yaml",
        "kind: Incident\nid: INC-0004\nservice: auth\ntitle: t\npriority: P1\nopened_at: 2026-12-01T00:00:00Z\nresolved_at: 2026-12-01T01:00:00Z\n",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 0);
    assert_eq!(
        d.iter().filter(|d| d["rule"] == "future-timestamp").count(),
        2
    );
    assert!(d.iter().all(|d| d["severity"] == "warning"));
}

#[test]
fn config_problems_are_located_with_suggestions() {
    let repo = base();
    write(
        repo.path(),
        "svc.toml",
        "[repo]\nname = \"base\"\ntimzone = \"Europe/Berlin\"\n",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "schema", "svc.toml", 3, 1);
    assert_eq!(diagnostic["help"], "did you mean `timezone`?");
    replace(
        repo.path(),
        "calendars/office.yaml",
        "Europe/Berlin",
        "Europe/Berln",
    );
    let (_, d) = check(repo.path());
    let zone = expect(&d, "schema", "calendars/office.yaml", 3, 11);
    assert_eq!(zone["help"], "did you mean `Europe/Berlin`?");
}

// --- Bad input: a located diagnostic, the rest still checked, never a panic or hang.

fn assert_rest_still_checked(d: &[Value]) {
    assert!(
        d.iter().all(|d| d["file"] != "services/payments-api.yaml"),
        "{d:#?}"
    );
}

#[test]
fn empty_file_and_comment_only_file() {
    let repo = base();
    write(repo.path(), "services/empty.yaml", "");
    write(repo.path(), "services/comments.yaml", "# nothing yet\n");
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    expect(&d, "schema", "services/empty.yaml", 1, 1);
    expect(&d, "schema", "services/comments.yaml", 1, 1);
    assert_rest_still_checked(&d);
}

#[test]
fn two_documents_in_one_file() {
    let repo = base();
    let text = std::fs::read_to_string(repo.path().join("services/idea.yaml")).unwrap();
    write(
        repo.path(),
        "services/idea.yaml",
        format!("{text}---\n{text}"),
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "yaml-syntax", "services/idea.yaml", 8, 1);
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("more than one YAML document")
    );
}

#[test]
fn bom_and_crlf_are_accepted() {
    let repo = base();
    let text = std::fs::read_to_string(repo.path().join("services/idea.yaml")).unwrap();
    write(
        repo.path(),
        "services/idea.yaml",
        format!("\u{feff}{}", text.replace('\n', "\r\n")),
    );
    let (code, d) = check(repo.path());
    assert_eq!((code, d.len()), (0, 0), "{d:#?}");
}

#[test]
fn alias_bomb_is_refused_quickly() {
    let repo = base();
    let mut bomb = String::from("kind: Service\nid: bomb\na: &a [x, x, x, x, x, x, x, x, x]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        bomb.push_str(&format!(
            "{}: &{} [{}]\n",
            pair[1],
            pair[1],
            vec![format!("*{}", pair[0]); 9].join(", ")
        ));
    }
    write(repo.path(), "services/bomb.yaml", bomb);
    let started = std::time::Instant::now();
    let (code, d) = check(repo.path());
    assert!(started.elapsed().as_secs() < 10);
    assert_eq!(code, 1);
    let diagnostic = d
        .iter()
        .find(|d| d["file"] == "services/bomb.yaml")
        .unwrap();
    assert_eq!(diagnostic["rule"], "yaml-syntax");
    assert_rest_still_checked(&d);
}

#[test]
fn deep_nesting_is_refused_without_a_crash() {
    let repo = base();
    write(
        repo.path(),
        "services/deep.yaml",
        format!(
            "kind: Service\nid: deep\nx: {}{}\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        ),
    );
    write(
        repo.path(),
        "services/deep-block.yaml",
        "- ".repeat(100_000) + "x\n",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    assert_eq!(
        d.iter()
            .find(|d| d["file"] == "services/deep.yaml")
            .unwrap()["rule"],
        "yaml-syntax"
    );
    assert_eq!(
        d.iter()
            .find(|d| d["file"] == "services/deep-block.yaml")
            .unwrap()["rule"],
        "yaml-syntax"
    );
    assert_rest_still_checked(&d);
}

#[test]
fn files_over_the_size_limit_are_not_read() {
    let repo = base();
    write(
        repo.path(),
        "svc.toml",
        "[repo]\ntimezone = \"Europe/Berlin\"\n[limits]\nmax_file_bytes = 1000\n",
    );
    write(
        repo.path(),
        "services/huge.yaml",
        format!("kind: Service\nid: huge\nname: {}\n", "x".repeat(2000)),
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "unreadable", "services/huge.yaml", 1, 1);
    assert!(
        diagnostic["message"]
            .as_str()
            .unwrap()
            .contains("over the limit of 1000 bytes")
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_do_not_hang() {
    let repo = base();
    let services = repo.path().join("services");
    std::os::unix::fs::symlink("b.yaml", services.join("a.yaml")).unwrap();
    std::os::unix::fs::symlink("a.yaml", services.join("b.yaml")).unwrap();
    std::os::unix::fs::symlink("..", services.join("loop")).unwrap();
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    expect(&d, "unreadable", "services/a.yaml", 1, 1);
    expect(&d, "unreadable", "services/b.yaml", 1, 1);
    assert_eq!(d.len(), 2, "the directory link is not followed: {d:#?}");
}

#[test]
fn missing_config_is_exit_2_with_help() {
    let dir = tempfile::tempdir().unwrap();
    let run: crate::common::Run = command()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no svc.toml found"), "{}", run.stderr);
    assert!(
        run.stderr.contains("svc init") && run.stderr.contains("--repo"),
        "{}",
        run.stderr
    );
    let run = svc(dir.path(), &["check"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("help:"), "{}", run.stderr);
}

#[test]
fn root_is_found_from_a_subfolder_and_from_svc_repo() {
    let repo = base();
    let run: crate::common::Run = command()
        .current_dir(repo.path().join("incidents/2026"))
        .args([NOW, "check"])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run: crate::common::Run = command()
        .env("SVC_REPO", repo.path())
        .args([NOW, "check"])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn closed_stdout_ends_quietly() {
    let repo = base();
    for i in 0..2000 {
        write(
            repo.path(),
            &format!("incidents/2025/INC-9{i:04}.yaml"),
            format!(
                "kind: Incident\nid: INC-9{i:04}\nservice: auth\ntitle: t\npriority: P1\nopened_at: 2025-06-01T00:00:00Z\nresolved_at: 2025-06-01T01:00:00Z\n"
            ),
        );
    }
    let mut child = command()
        .arg("--repo")
        .arg(repo.path())
        .args(["list", "incidents"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

// --- Output formats.

fn broken_repo() -> tempfile::TempDir {
    let repo = base();
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "policy: gold",
        "policy: gld",
    );
    replace(
        repo.path(),
        "services/idea.yaml",
        "owner: team-labs",
        "ownr: team-labs",
    );
    replace(
        repo.path(),
        "policies/gold.yaml",
        "resolution: 8h",
        "resolution: 3d",
    );
    repo
}

#[test]
fn human_output_snapshot() {
    let repo = broken_repo();
    let run = svc(repo.path(), &[NOW, "--color", "never", "check"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("check_human", run.stdout);
}

#[test]
fn github_output_snapshot() {
    let repo = broken_repo();
    let run = svc(repo.path(), &[NOW, "check", "--format", "github"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!("check_github", run.stdout);
}

#[test]
fn colour_follows_the_flag_and_no_color() {
    let repo = broken_repo();
    let always = svc(repo.path(), &[NOW, "--color", "always", "check"]);
    assert!(always.stdout.contains("\x1b[1;31m"), "{}", always.stdout);
    let run: crate::common::Run = command()
        .env("NO_COLOR", "1")
        .arg("--repo")
        .arg(repo.path())
        .args([NOW, "--color", "auto", "check"])
        .output()
        .unwrap()
        .into();
    assert!(!run.stdout.contains('\x1b'));
    let json = svc(
        repo.path(),
        &[NOW, "--color", "always", "check", "--format", "json"],
    );
    assert!(!json.stdout.contains('\x1b'));
}

#[test]
fn quiet_leaves_out_the_summary() {
    let repo = base();
    let run = svc(repo.path(), &[NOW, "-q", "check"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
}

// --- Git revisions.

#[test]
fn rev_reads_the_committed_tree_without_a_checkout() {
    let repo = base();
    git_init(repo.path());
    // Broken only in the working tree, and a file deleted from it.
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "policy: gold",
        "policy: gld",
    );
    std::fs::remove_file(repo.path().join("services/auth.yaml")).unwrap();
    let worktree = svc(repo.path(), &[NOW, "check", "--format", "json"]);
    assert_eq!(worktree.code, 1);
    let committed = svc(
        repo.path(),
        &[NOW, "--rev", "HEAD", "check", "--format", "json"],
    );
    assert_eq!(committed.code, 0, "{}", committed.stdout);
    let list = svc(
        repo.path(),
        &["--rev", "HEAD", "list", "services", "--format", "json"],
    )
    .json();
    assert_eq!(list.as_array().unwrap().len(), 3);
    let missing = svc(repo.path(), &[NOW, "--rev", "no-such-rev", "check"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("no-such-rev"), "{}", missing.stderr);
}

#[test]
fn changed_since_reports_only_changed_files_but_resolves_against_all() {
    let repo = base();
    // A problem that exists before the change and is left alone.
    replace(
        repo.path(),
        "services/idea.yaml",
        "owner: team-labs",
        "ownr: team-labs",
    );
    git_init(repo.path());
    replace(
        repo.path(),
        "incidents/2026/INC-0001.yaml",
        "priority: P1",
        "priority: P3",
    );
    write(
        repo.path(),
        "incidents/2026/INC-0005.yaml",
        "kind: Incident\nid: INC-0005\nservice: auth\ntitle: t\npriority: P1\nopened_at: 2026-03-02T09:00:00Z\n",
    );
    let run = svc(
        repo.path(),
        &[NOW, "check", "--changed-since", "HEAD", "--format", "json"],
    );
    assert_eq!(run.code, 1);
    let files = files_of(&run);
    assert_eq!(files, ["incidents/2026/INC-0001.yaml"]);
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "more"]);
    let run = svc(
        repo.path(),
        &[
            NOW,
            "check",
            "--changed-since",
            "HEAD~1",
            "--rev",
            "HEAD",
            "--format",
            "json",
        ],
    );
    let files = files_of(&run);
    assert_eq!(files, ["incidents/2026/INC-0001.yaml"]);
}

// --- list and init.

#[test]
fn list_filters_and_formats() {
    let repo = base();
    let services = svc(repo.path(), &["list", "services", "--format", "json"]).json();
    let keys = crate::common::keys(&services[0]);
    assert_eq!(
        keys,
        ["id", "name", "stage", "owner", "tier", "policy", "file"]
    );
    let operational = svc(
        repo.path(),
        &[
            "list",
            "services",
            "--stage",
            "operational",
            "--format",
            "json",
        ],
    )
    .json();
    let ids: Vec<&str> = operational
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["auth", "payments-api"]);
    let owned = svc(
        repo.path(),
        &[
            "list",
            "incidents",
            "--owner",
            "team-payments",
            "--format",
            "json",
        ],
    )
    .json();
    assert_eq!(owned.as_array().unwrap().len(), 1);
    let none = svc(
        repo.path(),
        &["list", "incidents", "--service", "auth", "--format", "json"],
    )
    .json();
    assert_eq!(none, serde_json::json!([]));
    let table = svc(repo.path(), &["list", "policies"]);
    assert!(
        table.stdout.contains("platinum") && table.stdout.contains("24x7"),
        "{}",
        table.stdout
    );
    assert_eq!(
        svc(repo.path(), &["list", "calendars", "--format", "yaml"]).code,
        2
    );
}

#[test]
fn init_creates_a_clean_repo_and_refuses_twice() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new repo");
    let run: crate::common::Run = command().arg("init").arg(&target).output().unwrap().into();
    assert_eq!(run.code, 0, "{}", run.stderr);
    for folder in ["services", "policies", "calendars", "incidents"] {
        assert!(target.join(folder).is_dir());
    }
    let config = std::fs::read(target.join("svc.toml")).unwrap();
    assert_eq!(svc(&target, &["check"]).code, 0);
    let again: crate::common::Run = command().arg("init").arg(&target).output().unwrap().into();
    assert_eq!(again.code, 2);
    assert_eq!(std::fs::read(target.join("svc.toml")).unwrap(), config);
}

#[test]
fn terminal_escapes_in_user_text_are_neutralised() {
    let repo = base();
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "name: Payments API",
        "name: \"Pay\\e[31mments\\u0007\"",
    );
    let table = svc(repo.path(), &["list", "services"]);
    assert_eq!(table.code, 0);
    assert!(
        !table.stdout.contains('\x1b') && !table.stdout.contains('\x07'),
        "{:?}",
        table.stdout
    );
    assert!(
        table.stdout.contains("Pay\\u{1b}[31mments\\u{7}"),
        "{}",
        table.stdout
    );
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "policy: gold",
        "policy: \"g\\e]0;owned\\u0007\"",
    );
    let human = svc(repo.path(), &[NOW, "--color", "never", "check"]);
    assert!(
        !human.stdout.contains('\x1b') && !human.stdout.contains('\x07'),
        "{:?}",
        human.stdout
    );
}

#[test]
fn filtered_service_list_names_the_right_files() {
    let repo = base();
    let list = svc(
        repo.path(),
        &[
            "list",
            "services",
            "--owner",
            "team-payments",
            "--format",
            "json",
        ],
    )
    .json();
    assert_eq!(list[0]["id"], "payments-api");
    assert_eq!(list[0]["file"], "services/payments-api.yaml");
}

// --- Regressions from the audit of `svc check`, `svc list` and `svc init`.

/// A repo made of exactly these files.
fn repo_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (file, text) in files {
        write(dir.path(), file, text);
    }
    dir
}

fn messages<'a>(d: &'a [Value], file: &str) -> Vec<(&'a str, &'a str)> {
    d.iter()
        .filter(|d| d["file"] == file)
        .map(|d| (d["rule"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect()
}

/// A retired service that passes the operational gate but has no `retirement`.
const RETIRED_WITHOUT_RETIREMENT: &str = "kind: Service\nid: old\nowner: t\npolicy: gold\ncontacts: { oncall: a }\nlinks: { runbook: r, dashboard: d }\nlifecycle:\n  stage: retired\n  history:\n    - { stage: retired, at: 2025-02-01T00:00:00Z }\n";

#[test]
fn terminal_service_without_retirement_is_a_schema_error_whatever_the_gates() {
    let repo = base();
    write(
        repo.path(),
        "svc.toml",
        "[repo]\nname = \"base\"\n[lifecycle.gates.retired]\nrequire = []\n",
    );
    write(repo.path(), "services/old.yaml", RETIRED_WITHOUT_RETIREMENT);
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "schema", "services/old.yaml", 8, 10);
    assert_eq!(diagnostic["message"], "missing required field `retirement`");
    assert_eq!(d.len(), 1, "{d:#?}");
    write(
        repo.path(),
        "services/old.yaml",
        format!("{RETIRED_WITHOUT_RETIREMENT}retirement:\n  data: {{ backup: s3://b }}\n"),
    );
    let (_, d) = check(repo.path());
    let diagnostic = expect(&d, "schema", "services/old.yaml", 12, 3);
    assert_eq!(
        diagnostic["message"],
        "missing required field `reason` in `retirement`"
    );
    write(
        repo.path(),
        "services/old.yaml",
        format!("{RETIRED_WITHOUT_RETIREMENT}retirement:\n  reason: replaced\n"),
    );
    let (_, d) = check(repo.path());
    let diagnostic = expect(&d, "schema", "services/old.yaml", 12, 11);
    assert_eq!(
        diagnostic["message"],
        "`retirement.replaced_by` is required when the reason is `replaced`"
    );
}

#[test]
fn default_retired_gate_applies_to_a_custom_terminal_stage() {
    let repo = repo_with(&[
        (
            "svc.toml",
            "[lifecycle]\nstages = [\"idea\", \"live\", \"gone\"]\n",
        ),
        (
            "services/live-one.yaml",
            "kind: Service\nid: live-one\nowner: t\ndepends_on: [gone-one]\nlifecycle:\n  stage: live\n",
        ),
        (
            "services/gone-one.yaml",
            "kind: Service\nid: gone-one\nowner: t\nlifecycle:\n  stage: gone\n",
        ),
    ]);
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    assert_eq!(
        messages(&d, "services/gone-one.yaml"),
        [
            (
                "gate",
                "service `gone-one` is `gone`, but the `gone` gate requires `retirement.data.backup`, which is missing or empty"
            ),
            (
                "gate",
                "service `gone-one` is `gone`, but the `gone` gate requires `retirement.reason`, which is missing or empty"
            ),
            (
                "gate",
                "service `gone-one` is `gone`, but the `gone` gate requires no active dependents, but 1 service depends on it: live-one"
            ),
            ("schema", "missing required field `retirement`"),
        ]
    );
    // No stage is called `operational`, so its default gate applies nowhere.
    assert_eq!(messages(&d, "services/live-one.yaml"), []);
}

#[test]
fn duplicate_id_is_reported_at_both_files_so_changed_since_sees_it() {
    let repo = base();
    git_init(repo.path());
    let text = std::fs::read_to_string(repo.path().join("incidents/2026/INC-0001.yaml")).unwrap();
    // The new copy sorts before the committed one.
    write(repo.path(), "incidents/2025/INC-0001.yaml", text);
    let (_, d) = check(repo.path());
    let new = expect(&d, "duplicate-id", "incidents/2025/INC-0001.yaml", 2, 5);
    assert_eq!(
        new["message"],
        "incident id `INC-0001` is also used by incidents/2026/INC-0001.yaml:2:5"
    );
    expect(&d, "duplicate-id", "incidents/2026/INC-0001.yaml", 2, 5);
    let run = svc(
        repo.path(),
        &[NOW, "check", "--changed-since", "HEAD", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stdout);
    let files = files_of(&run);
    assert_eq!(files, ["incidents/2025/INC-0001.yaml"]);
}

#[test]
fn references_to_records_that_failed_to_load_are_not_unknown() {
    let repo = base();
    let mut bytes = std::fs::read(repo.path().join("services/payments-api.yaml")).unwrap();
    bytes.push(0xff);
    write(repo.path(), "services/payments-api.yaml", bytes);
    let text = std::fs::read_to_string(repo.path().join("services/auth.yaml")).unwrap();
    write(repo.path(), "services/auth.yaml", format!("{text}x: [\n"));
    write(
        repo.path(),
        "svc.toml",
        "[repo]\ntimezone = \"Europe/Berlin\"\n[limits]\nmax_file_bytes = 1000\n",
    );
    let text = std::fs::read_to_string(repo.path().join("calendars/office.yaml")).unwrap();
    write(
        repo.path(),
        "calendars/office.yaml",
        format!("{text}# {}\n", "x".repeat(1000)),
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let rules: Vec<(&str, &str)> = d
        .iter()
        .map(|d| (d["file"].as_str().unwrap(), d["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rules,
        [
            ("calendars/office.yaml", "unreadable"),
            ("services/auth.yaml", "yaml-syntax"),
            ("services/payments-api.yaml", "unreadable"),
        ]
    );
}

#[test]
fn one_config_mistake_keeps_the_other_settings() {
    let repo = repo_with(&[
        (
            "svc.toml",
            "[repo]\nname = \"x\"\ntimezon = \"UTC\"\n[lifecycle]\nstages = [\"idea\", \"live\", \"gone\"]\n",
        ),
        (
            "services/a.yaml",
            "kind: Service\nid: a\nowner: t\nlifecycle:\n  stage: live\n",
        ),
    ]);
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "schema", "svc.toml", 3, 1);
    assert_eq!(diagnostic["message"], "unknown key `timezon` in `[repo]`");
    assert_eq!(d.len(), 1, "{d:#?}");
    write(repo.path(), "svc.toml", b"[repo]\nname = \"caf\xe9\"\n");
    let run = svc(repo.path(), &[NOW, "check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("svc.toml is not UTF-8") && run.stderr.contains("help:"),
        "{}",
        run.stderr
    );
}

#[test]
fn dependency_cycle_is_reported_on_every_service_so_changed_since_sees_it() {
    let repo = base();
    replace(
        repo.path(),
        "services/auth.yaml",
        "policy: platinum",
        "policy: platinum\ndepends_on: [payments-api]",
    );
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "depends_on: [auth]",
        "depends_on: []",
    );
    git_init(repo.path());
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "depends_on: []",
        "depends_on: [auth]",
    );
    let (_, d) = check(repo.path());
    let auth = expect(&d, "dependency-cycle", "services/auth.yaml", 5, 14);
    assert_eq!(
        auth["message"],
        "`depends_on` forms a cycle: auth -> payments-api -> auth"
    );
    let payments = expect(&d, "dependency-cycle", "services/payments-api.yaml", 7, 14);
    assert_eq!(
        payments["message"],
        "`depends_on` forms a cycle: payments-api -> auth -> payments-api"
    );
    let run = svc(
        repo.path(),
        &[NOW, "check", "--changed-since", "HEAD", "--format", "json"],
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.json().as_array().unwrap().len(), 1);
}

#[test]
fn init_names_a_new_folder_after_itself() {
    let dir = tempfile::tempdir().unwrap();
    let run: crate::common::Run = command()
        .current_dir(dir.path())
        .args(["init", "newdir"])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let config = std::fs::read_to_string(dir.path().join("newdir/svc.toml")).unwrap();
    assert!(config.contains("name = \"newdir\""), "{config}");
}

#[cfg(unix)]
#[test]
fn rev_reads_symlinked_records_like_the_working_tree() {
    let repo = base();
    let services = repo.path().join("services");
    std::os::unix::fs::symlink("../policies/gold.yaml", services.join("goldlink.yaml")).unwrap();
    std::os::unix::fs::symlink("../policies", services.join("dirlink.yaml")).unwrap();
    git_init(repo.path());
    let worktree = svc(repo.path(), &[NOW, "--color", "never", "check"]);
    let committed = svc(
        repo.path(),
        &[NOW, "--color", "never", "--rev", "HEAD", "check"],
    );
    assert!(
        worktree.stdout.contains("services/goldlink.yaml"),
        "{}",
        worktree.stdout
    );
    assert_eq!(committed.stdout, worktree.stdout);
    // A link out of the repository cannot be read from a commit: skipped with a warning.
    let outside = tempfile::tempdir().unwrap();
    let idea = std::fs::read_to_string(services.join("idea.yaml")).unwrap();
    write(
        outside.path(),
        "far.yaml",
        idea.replace("id: idea", "id: far"),
    );
    std::os::unix::fs::symlink(outside.path().join("far.yaml"), services.join("far.yaml")).unwrap();
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "far"]);
    let run = svc(
        repo.path(),
        &[NOW, "--rev", "HEAD", "check", "--format", "json"],
    );
    let d = run.json();
    let d = d.as_array().unwrap();
    let far = expect(d, "unreadable", "services/far.yaml", 1, 1);
    assert_eq!(far["severity"], "warning");
    assert!(
        far["message"].as_str().unwrap().starts_with("skipped:"),
        "{far}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_to_a_directory_named_like_a_record_is_skipped() {
    let repo = base();
    std::os::unix::fs::symlink(".", repo.path().join("services/dirlink.yaml")).unwrap();
    let (code, d) = check(repo.path());
    assert_eq!((code, d.len()), (0, 0), "{d:#?}");
}

#[test]
fn include_entries_must_stay_inside_the_repo_and_exist() {
    let repo = base();
    let config = "[repo]\ninclude = [\"../outside\", \"/tmp\", \"services\", \"policies\", \"calendars\", \"incidents\", \"servics\", \"services/2026\"]\n";
    write(repo.path(), "svc.toml", config);
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let column = |entry: &str| config.find(&format!("\"{entry}\"")).unwrap() as u64 - 6;
    let outside = expect_at(&d, "svc.toml", 2, column("../outside"));
    assert_eq!(outside["severity"], "error");
    let absolute = expect_at(&d, "svc.toml", 2, column("/tmp"));
    assert_eq!(absolute["severity"], "error");
    let typo = expect_at(&d, "svc.toml", 2, column("servics"));
    assert_eq!(
        (&typo["severity"], &typo["message"], &typo["help"]),
        (
            &Value::from("warning"),
            &Value::from("`include` folder `servics` does not exist"),
            &Value::from("did you mean `services`?")
        )
    );
    let nested = expect_at(&d, "svc.toml", 2, column("services/2026"));
    assert_eq!(nested["severity"], "warning");
    // The records are read once each (no duplicate-id against themselves).
    assert_eq!(d.len(), 4, "{d:#?}");
}

/// The one diagnostic at `line`:`column` of `file`.
fn expect_at(d: &[Value], file: &str, line: u64, column: u64) -> Value {
    let found: Vec<&Value> = d
        .iter()
        .filter(|d| d["file"] == file && d["line"] == line && d["column"] == column)
        .collect();
    assert_eq!(found.len(), 1, "one at {file}:{line}:{column}: {d:#?}");
    found[0].clone()
}

#[test]
fn closed_without_resolved_is_a_timestamp_error() {
    let repo = base();
    write(
        repo.path(),
        "incidents/2026/INC-0002.yaml",
        "kind: Incident\nid: INC-0002\nservice: auth\ntitle: t\npriority: P1\nopened_at: 2026-03-02T09:00:00Z\nclosed_at: 2026-03-02T10:00:00Z\nstatus: closed\n",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let diagnostic = expect(&d, "timestamp", "incidents/2026/INC-0002.yaml", 7, 12);
    assert_eq!(
        diagnostic["message"],
        "`closed_at` without `resolved_at`: an incident is resolved before it is closed"
    );
}

#[test]
fn business_days_is_quiet_about_a_calendar_that_does_not_exist() {
    let repo = base();
    replace(
        repo.path(),
        "policies/gold.yaml",
        "calendar: office",
        "calendar: offce",
    );
    replace(
        repo.path(),
        "policies/gold.yaml",
        "resolution: 8h",
        "resolution: 3d",
    );
    let (_, d) = check(repo.path());
    assert_eq!(
        messages(&d, "policies/gold.yaml"),
        [(
            "unknown-reference",
            "`calendar` names calendar `offce`, which does not exist"
        )]
    );
}

#[test]
fn list_filters_are_checked_and_stage_filters_incidents() {
    let repo = base();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["list"];
        all.extend(args);
        all.extend(["--format", "json"]);
        let run = svc(repo.path(), &all);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|row| row["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["incidents", "--stage", "operational"]), ["INC-0001"]);
    assert!(ids(&["incidents", "--stage", "proposed"]).is_empty());
    let refused = |args: &[&str], wanted: &str| {
        let mut all = vec!["list"];
        all.extend(args);
        let run = svc(repo.path(), &all);
        assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{}", run.stderr);
        assert!(run.stderr.contains(wanted), "{}", run.stderr);
    };
    refused(
        &["policies", "--owner", "team-payments"],
        "`--owner` does not apply to policies",
    );
    refused(
        &["calendars", "--stage", "operational"],
        "`--stage` does not apply to calendars",
    );
    refused(
        &["services", "--stage", "operatonal"],
        "did you mean `operational`?",
    );
    refused(
        &["incidents", "--service", "paymets-api"],
        "did you mean `payments-api`?",
    );
    refused(
        &["services", "--owner", "team-payment"],
        "did you mean `team-payments`?",
    );
}

#[test]
fn messages_quote_values_and_avoid_internal_names() {
    let repo = base();
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "tier: 1",
        "tier: \"2\"",
    );
    write(repo.path(), "services/listed.yaml", "- a\n- b\n");
    replace(
        repo.path(),
        "services/auth.yaml",
        "    - { stage: operational,",
        "    - { stage: proposed, at: 2025-01-07T09:00:00Z }\n    - { stage: operational,",
    );
    write(
        repo.path(),
        "services/deep.yaml",
        format!("x: {}{}\n", "[".repeat(300), "]".repeat(300)),
    );
    write(
        repo.path(),
        "services/Bad Name.yaml",
        "kind: Service\nid: bad-name\nowner: t\nlifecycle:\n  stage: proposed\n",
    );
    write(
        repo.path(),
        "svc.toml",
        "[repo]\ntimezone = \"Europe/Berlin\"\n[lifecycle]\nstale_after_days = { design = 9, c = 5 }\n",
    );
    let (_, d) = check(repo.path());
    let tier = expect(&d, "schema", "services/payments-api.yaml", 5, 7);
    assert_eq!(
        tier["message"],
        "`tier` must be a whole number, found \"2\""
    );
    let listed = expect(&d, "schema", "services/listed.yaml", 1, 1);
    assert_eq!(
        listed["message"],
        "the file must hold a mapping (`kind: ...` and its fields), found a list"
    );
    let repeated = expect(&d, "history", "services/auth.yaml", 14, 16);
    assert_eq!(
        repeated["message"],
        "`proposed` appears twice in a row in history"
    );
    let deep = expect(&d, "yaml-syntax", "services/deep.yaml", 1, 259);
    assert_eq!(deep["message"], "nesting deeper than 64 levels");
    let mismatch = expect(&d, "id-mismatch", "services/Bad Name.yaml", 2, 5);
    assert_eq!(mismatch["help"], "rename the file to `bad-name.yaml`");
    let stale = expect(&d, "schema", "svc.toml", 4, 34);
    assert_eq!(
        stale["message"],
        "`stale_after_days` names unknown stage `c`"
    );
}

#[test]
fn human_output_expands_tabs_aligns_wide_characters_and_cuts_long_lines() {
    let repo = base();
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "depends_on: [auth]",
        "depends_on: [auth, 認証,\tledger]",
    );
    replace(
        repo.path(),
        "services/payments-api.yaml",
        "policy: gold",
        &format!("policy: gld # {}", "long comment ".repeat(100)),
    );
    let run = svc(repo.path(), &[NOW, "--color", "never", "check"]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let headline = lines
        .iter()
        .position(|l| l.contains("names service `ledger`"))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    let (source, caret) = (lines[headline + 3], lines[headline + 4]);
    assert!(source.contains("ledger]"), "{}", run.stdout);
    assert!(
        !source.contains('\t') && !source.contains('\u{fffd}'),
        "{source}"
    );
    // Display columns: the wide characters take two columns each, the tab four.
    let ledger_at =
        unicode_width::UnicodeWidthStr::width(&source[..source.find("ledger").unwrap()]);
    assert_eq!(caret.find('^'), Some(ledger_at), "{}", run.stdout);
    assert!(caret.ends_with("^^^^^^"), "{caret:?}");
    let long = lines.iter().find(|l| l.contains("policy: gld")).unwrap();
    assert!(long.chars().count() < 220 && long.ends_with('…'), "{long}");
}

#[test]
fn empty_svc_repo_is_treated_as_unset() {
    let repo = base();
    let run: crate::common::Run = command()
        .env("SVC_REPO", "")
        .current_dir(repo.path().join("services"))
        .args([NOW, "check"])
        .output()
        .unwrap()
        .into();
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn empty_required_values_and_self_replacement_are_schema_errors() {
    let repo = base();
    replace(
        repo.path(),
        "services/idea.yaml",
        "owner: team-labs",
        "owner: \"\"",
    );
    write(
        repo.path(),
        "services/old.yaml",
        format!(
            "{RETIRED_WITHOUT_RETIREMENT}retirement: {{ reason: replaced, replaced_by: old, data: {{ backup: b }} }}\n"
        ),
    );
    write(
        repo.path(),
        "policies/empty.yaml",
        "kind: SlaPolicy\nid: empty\ntargets: {}\n",
    );
    replace(
        repo.path(),
        "policies/platinum.yaml",
        "targets:",
        "escalation:\n  - { after: 150%, notify: head-of-ops }\n  - { after: 50%, notify: '' }\ntargets:",
    );
    let (_, d) = check(repo.path());
    assert_eq!(
        messages(&d, "services/idea.yaml"),
        [("schema", "`owner` must not be empty")]
    );
    assert_eq!(
        messages(&d, "services/old.yaml"),
        [(
            "schema",
            "`retirement.replaced_by` names the service itself (`old`)"
        )]
    );
    assert_eq!(
        messages(&d, "policies/empty.yaml"),
        [("schema", "a policy needs at least one priority target")]
    );
    // Escalating after the breach (150%) is fine; an empty `notify` is not.
    assert_eq!(
        messages(&d, "policies/platinum.yaml"),
        [("schema", "`notify` must not be empty")]
    );
}

#[test]
fn zero_limits_and_impossible_gate_paths_are_config_errors() {
    let repo = base();
    write(
        repo.path(),
        "svc.toml",
        "[repo]\ntimezone = \"Europe/Berlin\"\n[limits]\nmax_file_bytes = 0\nmax_files = 0\nmax_depth = 0\n[lifecycle.gates.operational]\nrequire = [\"owner\", \"nosuch.field\", \"contacts.oncal\"]\n",
    );
    let (code, d) = check(repo.path());
    assert_eq!(code, 1);
    let lines: Vec<u64> = d.iter().map(|d| d["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [4, 5, 6, 8, 8], "{d:#?}");
    assert!(d.iter().all(|d| d["file"] == "svc.toml"), "{d:#?}");
    let oncall = expect_at(&d, "svc.toml", 8, 37);
    assert_eq!(oncall["help"], "did you mean `oncall`?");
}

#[test]
fn status_resolved_agrees_with_a_closed_incident_but_a_stale_status_does_not() {
    // SPEC's own example incident: `status: resolved` beside a `closed_at`.
    let repo = base();
    replace(
        repo.path(),
        "incidents/2026/INC-0001.yaml",
        "resolved_at: 2026-03-02T11:02:00+01:00",
        "resolved_at: 2026-03-02T11:02:00+01:00\nclosed_at: 2026-03-03T10:00:00+01:00\nstatus: resolved",
    );
    let (code, diagnostics) = check(repo.path());
    assert_eq!((code, diagnostics.len()), (0, 0), "{diagnostics:#?}");
    replace(
        repo.path(),
        "incidents/2026/INC-0001.yaml",
        "status: resolved",
        "status: acknowledged",
    );
    let (code, diagnostics) = check(repo.path());
    assert_eq!(code, 1);
    let d = expect(
        &diagnostics,
        "timestamp",
        "incidents/2026/INC-0001.yaml",
        10,
        9,
    );
    assert_eq!(
        d["message"],
        "`status` is `acknowledged`, but the timestamps say `closed`"
    );
}

#[test]
fn file_name_that_is_not_utf8_is_unreadable_not_missing() {
    use std::os::unix::ffi::OsStrExt;
    let repo = base();
    let name = std::ffi::OsStr::from_bytes(b"bad\xff.yaml");
    std::fs::copy(
        repo.path().join("services/auth.yaml"),
        repo.path().join("services").join(name),
    )
    .unwrap();
    let (code, diagnostics) = check(repo.path());
    assert_eq!(code, 1);
    let d = expect(
        &diagnostics,
        "unreadable",
        "services/bad\u{fffd}.yaml",
        1,
        1,
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("file name is not UTF-8"),
        "{d:#}"
    );
}
