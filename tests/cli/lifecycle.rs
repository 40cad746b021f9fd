//! `svc new`, `advance`, `retire` and `report lifecycle` through the binary.

use crate::common::{copy_repo, example, git, git_init, snapshot, svc};

const NOW: &str = "--now=2026-10-01T12:00:00Z";

fn changed_lines(before: &str, after: &str) -> (Vec<String>, Vec<String>) {
    let old: Vec<&str> = before.lines().collect();
    let new: Vec<&str> = after.lines().collect();
    let removed = old
        .iter()
        .filter(|l| !new.contains(l))
        .map(|l| l.to_string())
        .collect();
    let added = new
        .iter()
        .filter(|l| !old.contains(l))
        .map(|l| l.to_string())
        .collect();
    (removed, added)
}

#[test]
fn advance_changes_only_the_stage_line_and_appends_one_flow_entry() {
    let repo = copy_repo(&example());
    let file = repo.path().join("services/checkout-web.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    let run = svc(
        repo.path(),
        &[
            NOW,
            "advance",
            "checkout-web",
            "--note",
            "replaced by the new shop",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = std::fs::read_to_string(&file).unwrap();
    let (removed, added) = changed_lines(&before, &after);
    assert_eq!(removed, vec!["  stage: operational"]);
    assert_eq!(
        added,
        vec![
            "  stage: deprecated",
            "    - { stage: deprecated, at: 2026-10-01T12:00:00Z, by: tester, note: replaced by the new shop }"
        ]
    );
    assert_eq!(svc(repo.path(), &[NOW, "check"]).code, 0);
}

#[test]
fn advance_appends_block_entries_in_block_style() {
    let repo = copy_repo(&example());
    let file = repo.path().join("services/payments-api.yaml");
    let before = std::fs::read_to_string(&file).unwrap();
    let run = svc(
        repo.path(),
        &[
            NOW,
            "advance",
            "payments-api",
            "--at",
            "2026-10-01T09:00:00+02:00",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = std::fs::read_to_string(&file).unwrap();
    let expected_tail = "      note: replaces legacy-billing for card payments\n    - stage: deprecated\n      at: 2026-10-01T09:00:00+02:00\n      by: tester\n";
    assert!(after.ends_with(expected_tail), "{after}");
    assert_eq!(
        after
            .replace(
                "stage: deprecated\n  history",
                "stage: operational\n  history"
            )
            .replace(
                expected_tail,
                "      note: replaces legacy-billing for card payments\n"
            ),
        before
    );
}

#[test]
fn refused_gate_names_what_is_missing_and_changes_nothing() {
    let repo = copy_repo(&example());
    let before = snapshot(repo.path());
    let run = svc(repo.path(), &[NOW, "advance", "analytics-platform"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("the `operational` gate requires `links.runbook`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("help:"), "{}", run.stderr);
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn moving_backwards_or_out_of_the_terminal_stage_is_refused() {
    let repo = copy_repo(&example());
    let before = snapshot(repo.path());
    let back = svc(repo.path(), &[NOW, "advance", "search", "--to", "design"]);
    assert_eq!(back.code, 1);
    assert!(back.stderr.contains("backwards"), "{}", back.stderr);
    let terminal = svc(repo.path(), &[NOW, "advance", "legacy-billing"]);
    assert_eq!(terminal.code, 1);
    assert!(
        terminal.stderr.contains("terminal stage"),
        "{}",
        terminal.stderr
    );
    let unknown = svc(repo.path(), &[NOW, "advance", "search", "--to", "retird"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `retired`?"),
        "{}",
        unknown.stderr
    );
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn advance_to_a_later_stage_checks_every_gate_on_the_way() {
    let repo = copy_repo(&example());
    let run = svc(repo.path(), &[NOW, "advance", "loyalty", "--to", "testing"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let refused = svc(
        repo.path(),
        &[NOW, "advance", "loyalty", "--to", "deprecated"],
    );
    assert_eq!(refused.code, 1);
    for missing in [
        "`policy`",
        "`contacts.oncall`",
        "`links.runbook`",
        "`links.dashboard`",
    ] {
        assert!(
            refused.stderr.contains(missing),
            "{missing}: {}",
            refused.stderr
        );
    }
}

#[test]
fn dry_run_prints_a_diff_and_writes_nothing() {
    let repo = copy_repo(&example());
    let before = snapshot(repo.path());
    let run = svc(repo.path(), &[NOW, "advance", "search", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("--- a/services/search.yaml\n+++ b/services/search.yaml\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("-  stage: operational\n+  stage: deprecated\n"),
        "{}",
        run.stdout
    );
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn new_writes_a_commented_template_in_the_first_stage() {
    let repo = copy_repo(&example());
    let run = svc(
        repo.path(),
        &[
            NOW,
            "new",
            "gift-cards",
            "--name",
            "Gift cards",
            "--owner",
            "team-shop",
            "--policy",
            "gold",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(repo.path().join("services/gift-cards.yaml")).unwrap();
    assert!(
        text.contains(
            "#   before operational: owner, policy, contacts.oncall, links.runbook, links.dashboard"
        ),
        "{text}"
    );
    assert!(text.contains("  stage: proposed\n"), "{text}");
    assert!(
        text.contains("- { stage: proposed, at: 2026-10-01T12:00:00Z, by: tester }"),
        "{text}"
    );
    assert_eq!(svc(repo.path(), &[NOW, "check"]).code, 0);
    let list = svc(
        repo.path(),
        &[
            "list", "services", "--stage", "proposed", "--format", "json",
        ],
    )
    .json();
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["gift-cards", "partner-portal"]);
}

#[test]
fn new_refuses_existing_and_malformed_ids_and_paths() {
    let repo = copy_repo(&example());
    let before = snapshot(repo.path());
    for id in [
        "auth", "../../x", "a/b", "a\\b", "/tmp/x", "..", "Payments", "a--b", "",
    ] {
        let run = svc(repo.path(), &["new", id, "--name", "X", "--owner", "t"]);
        assert_eq!(run.code, 1, "{id}: {}", run.stderr);
    }
    let unknown_policy = svc(
        repo.path(),
        &[
            "new", "fresh", "--name", "X", "--owner", "t", "--policy", "gld",
        ],
    );
    assert_eq!(unknown_policy.code, 1);
    assert!(
        unknown_policy.stderr.contains("did you mean `gold`?"),
        "{}",
        unknown_policy.stderr
    );
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn retire_lists_blocking_incidents_then_fills_the_retirement_block() {
    let repo = copy_repo(&example());
    let before = snapshot(repo.path());
    let args = [
        NOW,
        "retire",
        "reporting",
        "--reason",
        "replaced",
        "--replaced-by",
        "analytics-platform",
        "--backup",
        "s3://acme-backups/reporting",
    ];
    let refused = svc(repo.path(), &args);
    assert_eq!(refused.code, 1);
    assert!(
        refused
            .stderr
            .contains("no open incidents, but 1 open: INC-2026-0067"),
        "{}",
        refused.stderr
    );
    assert_eq!(snapshot(repo.path()), before);

    std::fs::remove_file(repo.path().join("incidents/2026/INC-2026-0067.yaml")).unwrap();
    let run = svc(repo.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(repo.path().join("services/reporting.yaml")).unwrap();
    assert!(text.contains("  stage: retired\n"), "{text}");
    assert!(text.ends_with(
        "    - { stage: retired, at: 2026-10-01T12:00:00Z, by: tester }\nretirement:\n  reason: replaced\n  replaced_by: analytics-platform\n  data:\n    backup: s3://acme-backups/reporting\n"
    ), "{text}");
    assert!(text.starts_with("# Nightly sales reports."), "{text}");
    assert_eq!(svc(repo.path(), &[NOW, "check"]).code, 0);
}

#[test]
fn retire_refuses_active_dependents_and_a_retired_successor() {
    let repo = copy_repo(&example());
    let before = snapshot(repo.path());
    let dependents = svc(
        repo.path(),
        &[
            NOW, "retire", "search", "--reason", "other", "--backup", "s3://b",
        ],
    );
    assert_eq!(dependents.code, 1);
    assert!(
        dependents.stderr.contains("analytics-platform, reporting"),
        "{}",
        dependents.stderr
    );
    let successor = svc(
        repo.path(),
        &[
            NOW,
            "retire",
            "search",
            "--reason",
            "replaced",
            "--replaced-by",
            "legacy-billing",
            "--backup",
            "s3://b",
        ],
    );
    assert_eq!(successor.code, 1);
    assert!(
        successor.stderr.contains("retired itself"),
        "{}",
        successor.stderr
    );
    let missing = svc(
        repo.path(),
        &[NOW, "retire", "search", "--reason", "replaced"],
    );
    assert_eq!(missing.code, 1);
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn commit_records_one_commit_of_that_file_alone() {
    let repo = copy_repo(&example());
    git_init(repo.path());
    // An unrelated staged change must stay out of svc's commit.
    std::fs::write(repo.path().join("notes.txt"), "draft\n").unwrap();
    git(repo.path(), &["add", "notes.txt"]);
    let run = svc(repo.path(), &[NOW, "advance", "search", "--commit"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        git(repo.path(), &["log", "--format=%s", "-n", "1"]),
        "svc: advance search to deprecated\n"
    );
    assert_eq!(
        git(repo.path(), &["show", "--name-only", "--format=", "HEAD"]),
        "services/search.yaml\n"
    );
    assert_eq!(git(repo.path(), &["rev-list", "--count", "HEAD"]), "2\n");
    assert_eq!(
        git(repo.path(), &["status", "--porcelain"]),
        "A  notes.txt\n"
    );
    let text = std::fs::read_to_string(repo.path().join("services/search.yaml")).unwrap();
    assert!(
        text.contains("by: tester@example.com"),
        "by comes from Git's user.email: {text}"
    );
}

#[test]
fn commit_refuses_a_file_with_uncommitted_changes() {
    let repo = copy_repo(&example());
    git_init(repo.path());
    let file = repo.path().join("services/search.yaml");
    let edited = std::fs::read_to_string(&file)
        .unwrap()
        .replace("Product search", "Product search v2");
    std::fs::write(&file, &edited).unwrap();
    let before = snapshot(repo.path());
    let run = svc(repo.path(), &[NOW, "advance", "search", "--commit"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("uncommitted changes"), "{}", run.stderr);
    assert_eq!(snapshot(repo.path()), before);
    assert_eq!(git(repo.path(), &["rev-list", "--count", "HEAD"]), "1\n");
}

#[test]
fn two_concurrent_advances_both_land() {
    let repo = copy_repo(&example());
    let run = svc(
        repo.path(),
        &[NOW, "new", "race", "--name", "Race", "--owner", "t"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let spawn = || {
        crate::common::command()
            .arg("--repo")
            .arg(repo.path())
            .args([NOW, "advance", "race"])
            .spawn()
            .unwrap()
    };
    let (mut a, mut b) = (spawn(), spawn());
    assert!(a.wait().unwrap().success());
    assert!(b.wait().unwrap().success());
    let text = std::fs::read_to_string(repo.path().join("services/race.yaml")).unwrap();
    assert!(text.contains("  stage: design\n"), "{text}");
    assert_eq!(text.matches("- { stage: ").count(), 3, "{text}");
}

#[test]
fn lifecycle_report_json_has_the_spec_keys() {
    let report = svc(
        &example(),
        &[NOW, "report", "lifecycle", "--format", "json"],
    )
    .json();
    assert_eq!(
        report["stages"],
        serde_json::json!({"proposed": 1, "planning": 1, "design": 1, "development": 1, "testing": 1,
                           "operational": 5, "deprecated": 1, "retired": 1})
    );
    let services = report["services"].as_array().unwrap();
    let loyalty = services.iter().find(|s| s["service"] == "loyalty").unwrap();
    assert_eq!(
        loyalty,
        &serde_json::json!({"service": "loyalty", "stage": "design", "since": "2026-03-02T10:00:00+01:00",
            "days_in_stage": 213, "stale": true, "next_stage": "development", "next_gate_ok": true, "missing": []})
    );
    let analytics = services
        .iter()
        .find(|s| s["service"] == "analytics-platform")
        .unwrap();
    assert_eq!(analytics["next_gate_ok"], false);
    assert_eq!(analytics["missing"], serde_json::json!(["links.runbook"]));
    let stale = svc(
        &example(),
        &[NOW, "report", "lifecycle", "--stale", "--format", "json"],
    )
    .json();
    let ids: Vec<&str> = stale["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec!["loyalty", "mobile-bff"]);
}

#[test]
fn show_prints_the_service_card() {
    let run = svc(&example(), &[NOW, "show", "payments-api"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for expected in [
        "Payments API (payments-api)",
        "owner team-payments, tier 1, policy platinum on 24x7",
        "stage: operational",
        "2026-01-12T08:30:00+01:00  operational  ana@acme.example",
        "  deprecated   ok",
        "  retired      missing retirement.reason, retirement.data.backup",
        "  P1   response 0h 15m     resolution 4h 00m",
        "open incidents: 1",
        "last 90 days:",
    ] {
        assert!(
            run.stdout.contains(expected),
            "missing {expected:?} in:\n{}",
            run.stdout
        );
    }
    let json = svc(
        &example(),
        &[NOW, "show", "payments-api", "--format", "json"],
    )
    .json();
    assert_eq!(json["stage"], "operational");
    assert_eq!(json["open_incidents"][0]["id"], "INC-2026-0071");
    assert_eq!(json["gates_ahead"][1]["ok"], false);
    let unknown = svc(&example(), &[NOW, "show", "payment-api"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("did you mean `payments-api`?"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn lifecycle_report_formats_render_the_example_repo() {
    for (format, name) in [
        ("table", "lifecycle_table"),
        ("csv", "lifecycle_csv"),
        ("markdown", "lifecycle_markdown"),
    ] {
        let run = svc(
            &example(),
            &[NOW, "report", "lifecycle", "--format", format],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        insta::assert_snapshot!(name, run.stdout);
    }
}

#[test]
fn commit_goes_through_git_filters_with_core_autocrlf() {
    let repo = copy_repo(&example());
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["config", "user.name", "Tester"]);
    git(repo.path(), &["config", "user.email", "tester@example.com"]);
    git(repo.path(), &["config", "core.autocrlf", "true"]);
    let file = repo.path().join("services/search.yaml");
    let crlf = std::fs::read_to_string(&file)
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&file, &crlf).unwrap();
    git(repo.path(), &["add", "-A"]);
    git(repo.path(), &["commit", "-q", "-m", "initial"]);
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), "");

    let run = svc(repo.path(), &[NOW, "advance", "search", "--commit"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("  stage: deprecated\r\n"),
        "the working file keeps its CRLF line ends"
    );
    // Only svc's change: the stage line and one history entry.
    assert_eq!(
        git(repo.path(), &["show", "--numstat", "--format=", "HEAD"]),
        "2\t1\tservices/search.yaml\n"
    );
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), "");
    let blob = git(
        repo.path(),
        &["cat-file", "-p", "HEAD:services/search.yaml"],
    );
    assert!(
        !blob.contains('\r'),
        "the blob is stored with LF, as Git would"
    );
}

#[test]
fn commit_message_ends_with_a_newline() {
    let repo = copy_repo(&example());
    git_init(repo.path());
    let run = svc(repo.path(), &[NOW, "advance", "search", "--commit"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let commit = git(repo.path(), &["cat-file", "commit", "HEAD"]);
    assert!(
        commit.ends_with("\n\nsvc: advance search to deprecated\n"),
        "{commit:?}"
    );
}

#[test]
fn commit_refuses_a_file_that_was_never_committed() {
    let repo = copy_repo(&example());
    git_init(repo.path());
    let hand = std::fs::read_to_string(repo.path().join("services/search.yaml"))
        .unwrap()
        .replace("id: search", "id: hand");
    std::fs::write(repo.path().join("services/hand.yaml"), hand).unwrap();
    let before = snapshot(repo.path());
    let run = svc(repo.path(), &[NOW, "advance", "hand", "--commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("error: services/hand.yaml is not committed yet"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("or run without --commit"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(repo.path()), before);
    assert_eq!(git(repo.path(), &["rev-list", "--count", "HEAD"]), "1\n");
    // Staged but never committed is the same.
    git(repo.path(), &["add", "services/hand.yaml"]);
    let run = svc(repo.path(), &[NOW, "advance", "hand", "--commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("not committed yet"), "{}", run.stderr);
}

/// A repo with nothing but `svc.toml`.
fn bare_repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("svc.toml"), config).unwrap();
    dir
}

#[test]
fn new_writes_the_note_into_the_first_history_entry() {
    let repo = bare_repo("[repo]\nname = \"t\"\n");
    let run = svc(
        repo.path(),
        &[
            NOW,
            "new",
            "x2",
            "--name",
            "N",
            "--owner",
            "o",
            "--note",
            "kick: off",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(repo.path().join("services/x2.yaml")).unwrap();
    assert!(
        text.contains(
            "    - { stage: proposed, at: 2026-10-01T12:00:00Z, by: tester, note: \"kick: off\" }\n"
        ),
        "{text}"
    );
    assert_eq!(svc(repo.path(), &[NOW, "check"]).code, 0);
}

#[test]
fn new_dry_run_and_refused_commit_leave_no_services_folder() {
    let repo = bare_repo("[repo]\nname = \"t\"\n");
    let args = [NOW, "new", "foo", "--name", "X", "--owner", "t"];
    let dry = svc(repo.path(), &[&args[..], &["--dry-run"]].concat());
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout.contains("+++ b/services/foo.yaml"),
        "{}",
        dry.stdout
    );
    assert!(!repo.path().join("services").exists());
    // A Git repository without an identity: --commit is refused before any write.
    git(repo.path(), &["init", "-q", "-b", "main"]);
    let refused = svc(repo.path(), &[&args[..], &["--commit"]].concat());
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(refused.stderr.contains("identity"), "{}", refused.stderr);
    assert!(!repo.path().join("services").exists());
}

#[test]
fn new_refuses_a_first_stage_gate_it_cannot_meet_and_names_the_flags() {
    let config = "[repo]\nname = \"t\"\n[lifecycle.gates.proposed]\nrequire = [\"description\", \"policy\"]\n";
    let repo = bare_repo(config);
    std::fs::create_dir(repo.path().join("policies")).unwrap();
    std::fs::write(
        repo.path().join("policies/gold.yaml"),
        "kind: SlaPolicy\nid: gold\ntargets:\n  P1: { response: 15m, resolution: 4h }\n",
    )
    .unwrap();
    let before = crate::common::snapshot(repo.path());
    let refused = svc(
        repo.path(),
        &[NOW, "new", "foo", "--name", "Foo", "--owner", "t"],
    );
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    for expected in [
        "cannot create `foo` in `proposed`: 2 gate checks failed",
        "the `proposed` gate requires `description`",
        "the `proposed` gate requires `policy`",
        "help: give --description TEXT; give --policy ID",
    ] {
        assert!(
            refused.stderr.contains(expected),
            "{expected}: {}",
            refused.stderr
        );
    }
    assert_eq!(crate::common::snapshot(repo.path()), before);

    let run = svc(
        repo.path(),
        &[
            NOW,
            "new",
            "foo",
            "--name",
            "Foo",
            "--owner",
            "t",
            "--policy",
            "gold",
            "--description",
            "Does foo.",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(repo.path().join("services/foo.yaml")).unwrap();
    assert!(
        text.contains("#   in proposed (now): description, policy\n"),
        "the template names the first stage's gate too:\n{text}"
    );
    let check = svc(repo.path(), &[NOW, "check"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}

#[test]
fn new_template_has_no_gate_header_when_no_gate_requires_anything() {
    let config = "[repo]\nname = \"t\"\n[lifecycle.gates.operational]\nrequire = []\n[lifecycle.gates.retired]\nrequire = []\n";
    let repo = bare_repo(config);
    let run = svc(
        repo.path(),
        &[NOW, "new", "foo", "--name", "X", "--owner", "t"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(repo.path().join("services/foo.yaml")).unwrap();
    assert!(
        text.starts_with(
            "# Service record (see docs/format.md). Move it on with `svc advance foo`.\nkind: Service\n"
        ),
        "{text}"
    );
}

#[test]
fn at_and_purged_at_are_written_exactly_as_given() {
    let repo = copy_repo(&example());
    std::fs::remove_file(repo.path().join("incidents/2026/INC-2026-0067.yaml")).unwrap();
    let run = svc(
        repo.path(),
        &[
            NOW,
            "retire",
            "reporting",
            "--reason",
            "other",
            "--backup",
            "s3://b",
            "--purged-at",
            "2026-09-30T00:00:00.5Z",
            "--at",
            "2026-10-01T10:00:00.250+02:00",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(repo.path().join("services/reporting.yaml")).unwrap();
    assert!(
        text.contains("- { stage: retired, at: 2026-10-01T10:00:00.250+02:00, by: tester }"),
        "{text}"
    );
    assert!(
        text.contains("    purged_at: 2026-09-30T00:00:00.5Z\n"),
        "{text}"
    );
    let bad = svc(
        repo.path(),
        &[NOW, "advance", "search", "--at", "2026-10-01T10:00:00"],
    );
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(bad.stderr.contains("invalid --at"), "{}", bad.stderr);
}

#[test]
fn retire_refuses_while_incident_records_failed_to_load() {
    let repo = copy_repo(&example());
    let incidents = repo.path().join("incidents/2026");
    std::fs::remove_file(incidents.join("INC-2026-0067.yaml")).unwrap();
    // An open incident whose `service` does not decode: svc cannot tell
    // whether it is the open incident on `reporting`.
    std::fs::write(
        incidents.join("INC-2026-0099.yaml"),
        "kind: Incident\nid: INC-2026-0099\nservice: [reporting]\ntitle: Nightly run failed\npriority: P3\nopened_at: 2026-09-25T10:00:00+02:00\n",
    )
    .unwrap();
    // A broken policy proves nothing either way and is no obstacle.
    std::fs::write(
        repo.path().join("policies/broken.yaml"),
        "kind: SlaPolicy\nid: broken\ntargets: 5\n",
    )
    .unwrap();
    let before = snapshot(repo.path());
    let args = [
        NOW,
        "retire",
        "reporting",
        "--reason",
        "other",
        "--backup",
        "s3://x",
    ];
    let refused = svc(repo.path(), &args);
    assert_eq!(refused.code, 1, "{}", refused.stderr);
    assert!(
        refused.stderr.contains(
            "cannot move `reporting` to `retired`: 1 record file could not be loaded, so svc cannot prove that it has no open incident and no active dependent\n  - incidents/2026/INC-2026-0099.yaml\n"
        ),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("help: run `svc check`"),
        "{}",
        refused.stderr
    );
    assert_eq!(snapshot(repo.path()), before);
    // A move whose gates prove no absence is not held up.
    let advance = svc(repo.path(), &[NOW, "advance", "loyalty"]);
    assert_eq!(advance.code, 0, "{}", advance.stderr);

    std::fs::remove_file(incidents.join("INC-2026-0099.yaml")).unwrap();
    let run = svc(repo.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn advance_to_the_current_stage_says_it_is_already_there() {
    let repo = copy_repo(&example());
    let run = svc(repo.path(), &[NOW, "advance", "loyalty", "--to", "design"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("error: service `loyalty` is already `design`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("backwards"), "{}", run.stderr);
}

#[test]
fn duplicate_service_ids_are_refused_naming_both_files() {
    let repo = copy_repo(&example());
    std::fs::create_dir(repo.path().join("services/sub")).unwrap();
    std::fs::copy(
        repo.path().join("services/search.yaml"),
        repo.path().join("services/sub/search.yaml"),
    )
    .unwrap();
    let before = snapshot(repo.path());
    let run = svc(repo.path(), &[NOW, "advance", "search"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "service id `search` is used by more than one file: services/search.yaml and services/sub/search.yaml"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn a_broken_service_file_is_blamed_only_for_its_own_id() {
    let repo = copy_repo(&example());
    let file = repo.path().join("services/payments-api.yaml");
    std::fs::write(&file, "kind: Service\nid: payments-api\nlifecycle: [\n").unwrap();
    for id in ["pay", "api"] {
        let run = svc(repo.path(), &[NOW, "advance", id]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("error: no service `{id}`")),
            "{}",
            run.stderr
        );
    }
    let run = svc(repo.path(), &[NOW, "advance", "payments-api"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "service `payments-api` could not be loaded: services/payments-api.yaml has errors"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn replaced_by_problems_are_refusals_that_name_the_flag() {
    let repo = copy_repo(&example());
    let before = snapshot(repo.path());
    let unknown = svc(
        repo.path(),
        &[
            NOW,
            "retire",
            "search",
            "--reason",
            "replaced",
            "--replaced-by",
            "nosuch",
        ],
    );
    assert_eq!(unknown.code, 1, "{}", unknown.stderr);
    assert!(
        unknown
            .stderr
            .contains("error: --replaced-by nosuch: no service `nosuch`"),
        "{}",
        unknown.stderr
    );
    let unknown_service = svc(repo.path(), &[NOW, "retire", "nosuch", "--reason", "other"]);
    assert_eq!(unknown_service.code, 2, "{}", unknown_service.stderr);
    assert_eq!(snapshot(repo.path()), before);
}

#[cfg(unix)]
#[test]
fn a_symlinked_service_file_is_refused_and_stays_a_link() {
    let repo = copy_repo(&example());
    std::fs::create_dir(repo.path().join("shared")).unwrap();
    std::fs::rename(
        repo.path().join("services/search.yaml"),
        repo.path().join("shared/search.yaml"),
    )
    .unwrap();
    let link = repo.path().join("services/search.yaml");
    std::os::unix::fs::symlink("../shared/search.yaml", &link).unwrap();
    let before = snapshot(repo.path());
    for extra in [None, Some("--dry-run")] {
        let mut args = vec![NOW, "advance", "search"];
        args.extend(extra);
        let run = svc(repo.path(), &args);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains(
                "error: services/search.yaml is a symbolic link (to ../shared/search.yaml); svc does not edit through links"
            ),
            "{}",
            run.stderr
        );
    }
    assert!(link.symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn a_busy_lock_says_that_svc_is_waiting() {
    let repo = copy_repo(&example());
    let held = std::fs::File::open(repo.path().join("svc.toml")).unwrap();
    held.lock().unwrap();
    let child = crate::common::command()
        .arg("--repo")
        .arg(repo.path())
        .args([NOW, "advance", "search"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    held.unlock().unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.starts_with("waiting for another svc process to finish editing…\n"),
        "{stderr}"
    );
}

#[test]
fn show_has_notes_retirement_overdue_and_singular_incidents() {
    let card = |id: &str| {
        let run = svc(&example(), &[NOW, "show", id]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        run.stdout
    };
    let legacy = card("legacy-billing");
    for expected in [
        "2026-03-31T18:00:00+02:00  retired      ana@acme.example  note: last card batch migrated\n",
        "retirement: replaced, replaced by payments-api\n",
        "  backup      s3://acme-backups/legacy-billing/2026-03-31\n",
        "  migrated to payments-api\n",
        "  no SLA figures (retired before these 90 days, and no incidents in them)\n",
    ] {
        assert!(
            legacy.contains(expected),
            "missing {expected:?} in:\n{legacy}"
        );
    }
    let payments = card("payments-api");
    assert!(
        payments.contains("  INC-2026-0071 P1 resolution overdue by 3d 09h 20m\n"),
        "{payments}"
    );
    assert!(!payments.contains("left -"), "{payments}");
    assert!(card("reporting").contains("  1 incident (0 met,"));
    // Gates ahead are cumulative, as in the lifecycle report's next_gate_ok.
    assert!(card("loyalty").contains(
        "  deprecated   missing policy, contacts.oncall, links.runbook, links.dashboard\n"
    ));

    let json = svc(
        &example(),
        &[NOW, "show", "legacy-billing", "--format", "json"],
    )
    .json();
    assert_eq!(json["history"][2]["note"], "last card batch migrated");
    assert_eq!(json["history"][2]["at"], "2026-03-31T18:00:00+02:00");
    assert_eq!(json["retirement"]["reason"], "replaced");
    assert_eq!(json["retirement"]["replaced_by"], "payments-api");
    assert_eq!(
        json["retirement"]["backup"],
        "s3://acme-backups/legacy-billing/2026-03-31"
    );
}

#[test]
fn lifecycle_report_days_never_negative_and_since_as_written() {
    let report = svc(
        &example(),
        &[
            "--now=2026-01-01T00:00:00Z",
            "report",
            "lifecycle",
            "--format",
            "json",
        ],
    )
    .json();
    let services = report["services"].as_array().unwrap();
    let row = |id: &str| services.iter().find(|s| s["service"] == id).unwrap();
    // partner-portal entered its stage on 2026-09-14, after this --now.
    assert_eq!(row("partner-portal")["days_in_stage"], 0);
    assert!(
        services
            .iter()
            .all(|s| s["days_in_stage"].as_i64().is_none_or(|d| d >= 0))
    );
    assert_eq!(row("loyalty")["since"], "2026-03-02T10:00:00+01:00");
}

#[test]
fn edits_the_editor_cannot_make_safely_change_no_file() {
    let repo = copy_repo(&example());
    let search = repo.path().join("services/search.yaml");
    let text = std::fs::read_to_string(&search).unwrap();
    assert!(text.contains("  stage: operational\n"), "{text}");
    std::fs::write(
        &search,
        text.replace("  stage: operational\n", "  stage: &now operational\n"),
    )
    .unwrap();
    let reporting = repo.path().join("services/reporting.yaml");
    let text = std::fs::read_to_string(&reporting).unwrap()
        + "retirement:\n  reason: other\n  data:\n    backup:\n      # where\n      s3://old\n";
    std::fs::write(&reporting, text).unwrap();
    std::fs::remove_file(repo.path().join("incidents/2026/INC-2026-0067.yaml")).unwrap();
    let before = snapshot(repo.path());
    let anchored = svc(repo.path(), &[NOW, "advance", "search"]);
    assert_eq!(anchored.code, 1, "{}", anchored.stderr);
    assert!(
        anchored
            .stderr
            .contains("`lifecycle.stage` carries the YAML anchor or alias `&now`"),
        "{}",
        anchored.stderr
    );
    let commented = svc(
        repo.path(),
        &[
            NOW,
            "retire",
            "reporting",
            "--reason",
            "other",
            "--backup",
            "s3://new",
        ],
    );
    assert_eq!(commented.code, 1, "{}", commented.stderr);
    assert!(
        commented
            .stderr
            .contains("the value of `retirement.data.backup` spans several lines with a comment between its lines"),
        "{}",
        commented.stderr
    );
    assert_eq!(snapshot(repo.path()), before);
}
