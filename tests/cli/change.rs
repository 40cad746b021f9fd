//! `svc change new|approve|advance|cancel` through the binary: the workflow from
//! request to close (with a rollback), each refusal naming its rule and leaving
//! every file as it was, the commit messages, and hostile text.

use std::path::Path;

use crate::common::{copy_repo, example, git, git_init, put, snapshot, svc};

const NOW: &str = "--now=2026-10-01T00:00:00Z";

fn read(repo: &Path, file: &str) -> String {
    std::fs::read_to_string(repo.join(file)).unwrap()
}

/// Replaces the first `from` in `file` (which must hold it) by `to`.
fn replace(repo: &Path, file: &str, from: &str, to: &str) {
    let text = read(repo, file);
    assert!(text.contains(from), "{file} has no `{from}`");
    put(repo, file, text.replacen(from, to, 1));
}

/// `svc check` at a `--now` after every time these tests record: the summary line.
fn check_summary(repo: &Path) -> String {
    let run = svc(repo, &["--now=2027-01-01T00:00:00Z", "check"]);
    run.stderr
        .lines()
        .chain(run.stdout.lines())
        .find(|l| l.contains(" in ") && l.contains("error"))
        .unwrap_or_default()
        .to_string()
}

/// Runs a command that must be refused with exit 1, proves that nothing
/// changed, and returns stderr.
fn refused(repo: &Path, args: &[&str]) -> String {
    let before = snapshot(repo);
    let run = svc(repo, args);
    assert_eq!(run.code, 1, "{args:?}\n{}{}", run.stdout, run.stderr);
    assert_eq!(snapshot(repo), before, "{args:?} changed a file");
    run.stderr
}

fn ok(repo: &Path, args: &[&str]) -> String {
    let run = svc(repo, args);
    assert_eq!(run.code, 0, "{args:?}\n{}", run.stderr);
    run.stderr
}

const PLANS: [&str; 4] = [
    "--rollback-plan",
    "Restore the previous bundle from the vault.",
    "--verification-plan",
    "Synthetic card payments succeed for 30 minutes.",
];

#[test]
fn a_change_goes_from_request_to_close_with_a_rollback_and_one_commit_each() {
    let repo = copy_repo(&example());
    let root = repo.path();
    git_init(root);
    let mut new = vec![
        NOW,
        "change",
        "new",
        "CHG-2026-0100",
        "--service",
        "payments-api",
        "--title",
        "Rotate the card-gateway certificates",
        "--risk",
        "high",
        "--window",
        "2026-10-05T22:00:00+02:00/2026-10-05T23:00:00+02:00",
        "--at",
        "2026-10-01T09:00:00+02:00",
        "--commit",
    ];
    new.extend(PLANS);
    assert_eq!(
        ok(root, &new),
        "created changes/CHG-2026-0100.yaml in state `requested`\n"
    );
    let text = read(root, "changes/CHG-2026-0100.yaml");
    for line in [
        "kind: Change\n",
        "id: CHG-2026-0100\n",
        "service: payments-api\n",
        "title: Rotate the card-gateway certificates\n",
        "type: normal                  # standard | normal | emergency\n",
        "risk: high                    # low | medium | high\n",
        "state: requested\n",
        "window:\n  start: 2026-10-05T22:00:00+02:00\n  end: 2026-10-05T23:00:00+02:00\n",
        "rollback_plan: Restore the previous bundle from the vault.\n",
        "history:\n  - { state: requested, at: 2026-10-01T09:00:00+02:00, by: tester@example.com }\n",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    assert!(text.starts_with("# Change record (see docs/changes.md)."));
    let steps: [(&[&str], &str, &str); 5] = [
        (
            &[
                "approve",
                "CHG-2026-0100",
                "--by",
                "cab@acme.example",
                "--at",
                "2026-10-02T14:00:00+02:00",
                "--note",
                "CAB 2026-40",
            ],
            "approved `CHG-2026-0100` by cab@acme.example: `requested` to `approved`\n",
            "svc: change approve CHG-2026-0100",
        ),
        (
            &[
                "advance",
                "CHG-2026-0100",
                "--at",
                "2026-10-02T15:00:00+02:00",
            ],
            "advanced `CHG-2026-0100` from `approved` to `scheduled`\n",
            "svc: change advance CHG-2026-0100 to scheduled",
        ),
        (
            &[
                "advance",
                "CHG-2026-0100",
                "--at",
                "2026-10-05T22:04:00+02:00",
            ],
            "advanced `CHG-2026-0100` from `scheduled` to `implemented`\n",
            "svc: change advance CHG-2026-0100 to implemented",
        ),
        (
            &[
                "advance",
                "CHG-2026-0100",
                "--outcome",
                "rolled-back",
                "--at",
                "2026-10-05T22:41:00+02:00",
                "--note",
                "rolled back: payments failed in one region",
            ],
            "advanced `CHG-2026-0100` from `implemented` to `reviewed`\n",
            "svc: change advance CHG-2026-0100 to reviewed",
        ),
        (
            &[
                "advance",
                "CHG-2026-0100",
                "--at",
                "2026-10-06T09:00:00+02:00",
            ],
            "advanced `CHG-2026-0100` from `reviewed` to `closed`\n",
            "svc: change advance CHG-2026-0100 to closed",
        ),
    ];
    for (args, said, message) in steps {
        let mut full = vec![NOW, "change"];
        full.extend(args);
        full.push("--commit");
        assert_eq!(ok(root, &full), said);
        assert_eq!(
            git(root, &["log", "--format=%s", "-n", "1"]),
            format!("{message}\n")
        );
        assert_eq!(
            git(root, &["show", "--name-only", "--format=", "HEAD"]),
            "changes/CHG-2026-0100.yaml\n"
        );
        assert_eq!(check_summary(root), "0 errors, 0 warnings in 109 files");
    }
    assert_eq!(git(root, &["rev-list", "--count", "HEAD"]), "7\n");
    let text = read(root, "changes/CHG-2026-0100.yaml");
    for line in [
        "state: closed\n",
        "approvals:\n  - { by: cab@acme.example, at: 2026-10-02T14:00:00+02:00, note: CAB 2026-40 }\n",
        "implemented:\n  start: 2026-10-05T22:04:00+02:00\n  end: 2026-10-05T22:41:00+02:00\n",
        "outcome: rolled-back\n",
        "  - { state: reviewed, at: 2026-10-05T22:41:00+02:00, by: tester@example.com, note: \"rolled back: payments failed in one region\" }\n",
        "  - { state: closed, at: 2026-10-06T09:00:00+02:00, by: tester@example.com }\n",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let card = svc(root, &[NOW, "show", "CHG-2026-0100", "--format", "json"]).json();
    assert_eq!(card["state"], "closed");
    assert_eq!(card["outcome"], "rolled-back");
    assert_eq!(card["implemented"]["from"], "2026-10-05T22:04:00+02:00");
    assert_eq!(card["approvals"][0]["by"], "cab@acme.example");
    assert_eq!(card["history"].as_array().unwrap().len(), 6);
}

#[test]
fn a_normal_change_without_approval_cannot_be_implemented() {
    let repo = copy_repo(&example());
    let root = repo.path();
    // CHG-2026-0012 is approved; requested again and without its approval,
    // it may not go ahead.
    let file = "changes/CHG-2026-0012.yaml";
    for (from, to) in [
        (
            "approvals:\n  - { by: cab@acme.example, at: 2026-09-29T14:00:00+02:00, note: CAB 2026-39 }\n",
            "",
        ),
        (
            "  - { state: approved, at: 2026-09-29T14:00:00+02:00, by: cab@acme.example }\n",
            "",
        ),
        ("state: approved", "state: requested"),
    ] {
        replace(root, file, from, to);
    }
    let stderr = refused(
        root,
        &[
            NOW,
            "change",
            "advance",
            "CHG-2026-0012",
            "--to",
            "implemented",
        ],
    );
    assert_eq!(
        stderr,
        "error: cannot advance change `CHG-2026-0012` to `implemented`: `svc check` would fail on changes/CHG-2026-0012.yaml\n\
         \x20 - change-approval: normal change `CHG-2026-0012` is `implemented` without an approval: a normal change is approved before it goes ahead\n\
         \x20 help: record the approval with `svc change approve CHG-2026-0012`\n"
    );
    // The next state is `approved`, which needs the approval too.
    let stderr = refused(root, &[NOW, "change", "advance", "CHG-2026-0012"]);
    assert!(
        stderr.contains(
            "  - change-approval: normal change `CHG-2026-0012` is `approved` without an approval"
        ),
        "{stderr}"
    );
}

#[test]
fn no_rollback_or_verification_plan_no_approval() {
    let repo = copy_repo(&example());
    let root = repo.path();
    // CHG-2026-0013 is requested without plans.
    let stderr = refused(
        root,
        &[
            NOW,
            "change",
            "approve",
            "CHG-2026-0013",
            "--at",
            "2026-10-01T10:00:00+02:00",
        ],
    );
    assert_eq!(
        stderr,
        "error: cannot approve change `CHG-2026-0013`: `svc check` would fail on changes/CHG-2026-0013.yaml\n\
         \x20 - change-plan: normal change `CHG-2026-0013` is `approved` without `rollback_plan` and `verification_plan`\n\
         \x20 help: say how to undo the change and how to tell it worked before it is approved\n"
    );
    // One plan is not enough.
    let file = "changes/CHG-2026-0013.yaml";
    replace(
        root,
        file,
        "state: requested",
        "rollback_plan: Turn passkeys off.\nstate: requested",
    );
    let stderr = refused(root, &[NOW, "change", "approve", "CHG-2026-0013"]);
    assert!(stderr.contains("  - change-plan: normal change `CHG-2026-0013` is `approved` without `verification_plan`\n"), "{stderr}");
}

#[test]
fn no_window_no_schedule() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let file = "changes/CHG-2026-0012.yaml";
    let text = read(root, file).replace(
        "window:\n  start: 2026-10-13T20:00:00+02:00\n  end: 2026-10-13T20:30:00+02:00\n",
        "",
    );
    put(root, file, text);
    let stderr = refused(root, &[NOW, "change", "advance", "CHG-2026-0012"]);
    assert_eq!(
        stderr,
        "error: cannot advance change `CHG-2026-0012` to `scheduled`: `svc check` would fail on changes/CHG-2026-0012.yaml\n\
         \x20 - change-window: change `CHG-2026-0012` is `scheduled` without a `window`\n\
         \x20 help: plan the window first: `window: { start: ..., end: ... }`\n"
    );
}

#[test]
fn a_window_in_a_freeze_cannot_be_scheduled_or_requested_unless_emergency() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/changes/freeze/CHG-2026-0901.yaml");
    std::fs::copy(fixture, root.join("changes/CHG-2026-0901.yaml")).unwrap();
    let stderr = refused(root, &[NOW, "change", "advance", "CHG-2026-0901"]);
    assert_eq!(
        stderr,
        "error: cannot advance change `CHG-2026-0901` to `scheduled`: `svc check` would fail on changes/CHG-2026-0901.yaml\n\
         \x20 - change-window: the window of normal change `CHG-2026-0901` (2026-12-21T22:00:00+01:00 to 2026-12-21T23:00:00+01:00) overlaps the freeze from 2026-12-18T00:00:00+01:00 to 2027-01-04T00:00:00+01:00 (year-end freeze)\n\
         \x20 help: move the window out of the freeze, or make it an emergency change if it cannot wait\n"
    );
    // A standard change is held to the freeze from its request on.
    let mut standard = vec![
        NOW,
        "change",
        "new",
        "CHG-2026-0100",
        "--service",
        "payments-api",
        "--title",
        "Rotate",
        "--type",
        "standard",
        "--window",
        "2026-12-31T10:00:00+01:00/2026-12-31T11:00:00+01:00",
    ];
    let stderr = refused(root, &standard);
    assert!(
        stderr.contains("  - change-window: the window of standard change `CHG-2026-0100`"),
        "{stderr}"
    );
    // An emergency change may go ahead in a freeze: a warning, and written.
    standard[9] = "emergency";
    standard.extend(PLANS);
    let stderr = ok(root, &standard);
    assert!(
        stderr.starts_with("warning[change-window]: the window of emergency change `CHG-2026-0100` (2026-12-31T10:00:00+01:00 to 2026-12-31T11:00:00+01:00) overlaps the freeze"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("created changes/CHG-2026-0100.yaml in state `requested`\n"),
        "{stderr}"
    );
    // Cancelling takes a change out of the rule.
    ok(
        root,
        &[
            NOW,
            "change",
            "cancel",
            "CHG-2026-0901",
            "--reason",
            "Moved to January.",
        ],
    );
    let text = read(root, "changes/CHG-2026-0901.yaml");
    assert!(text.contains("state: cancelled\n"), "{text}");
    assert!(
        text.contains("cancel_reason: Moved to January.\n"),
        "{text}"
    );
}

#[test]
fn an_emergency_change_may_be_implemented_first_but_not_reviewed_unapproved() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let mut new = vec![
        NOW,
        "change",
        "new",
        "CHG-2026-0100",
        "--service",
        "auth",
        "--title",
        "Revoke the leaked signing key",
        "--type",
        "emergency",
        "--window",
        "2026-10-01T01:00:00+02:00/2026-10-01T02:00:00+02:00",
        "--at",
        "2026-10-01T00:55:00+02:00",
    ];
    new.extend(PLANS);
    ok(root, &new);
    assert_eq!(
        ok(
            root,
            &[
                NOW,
                "change",
                "advance",
                "CHG-2026-0100",
                "--to",
                "implemented",
                "--at",
                "2026-10-01T01:05:00+02:00"
            ]
        ),
        "advanced `CHG-2026-0100` from `requested` to `implemented`\n"
    );
    let stderr = refused(
        root,
        &[
            NOW,
            "change",
            "advance",
            "CHG-2026-0100",
            "--outcome",
            "successful",
        ],
    );
    assert!(
        stderr.contains("  - change-approval: emergency change `CHG-2026-0100` is `reviewed` without an approval: an emergency change may be implemented first, but it is approved before it is reviewed\n"),
        "{stderr}"
    );
    assert_eq!(
        ok(
            root,
            &[
                NOW,
                "change",
                "approve",
                "CHG-2026-0100",
                "--by",
                "cab@acme.example",
                "--at",
                "2026-10-01T09:00:00+02:00"
            ]
        ),
        "approved `CHG-2026-0100` by cab@acme.example (it stays `implemented`)\n"
    );
    ok(
        root,
        &[
            NOW,
            "change",
            "advance",
            "CHG-2026-0100",
            "--outcome",
            "successful",
            "--at",
            "2026-10-01T10:00:00+02:00",
        ],
    );
    let text = read(root, "changes/CHG-2026-0100.yaml");
    assert!(
        text.contains(
            "implemented:\n  start: 2026-10-01T01:05:00+02:00\n  end: 2026-10-01T10:00:00+02:00\n"
        ),
        "{text}"
    );
    assert_eq!(check_summary(root), "0 errors, 0 warnings in 109 files");
}

#[test]
fn reviewed_needs_an_outcome_and_an_outcome_needs_an_implementation() {
    let repo = copy_repo(&example());
    let root = repo.path();
    // CHG-2026-0010 is implemented.
    let stderr = refused(root, &[NOW, "change", "advance", "CHG-2026-0010"]);
    assert!(
        stderr.contains(
            "  - change-outcome: change `CHG-2026-0010` is `reviewed` without an `outcome`\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: set `outcome: successful`, `failed` or `rolled-back`"),
        "{stderr}"
    );
    let stderr = refused(
        root,
        &[
            NOW,
            "change",
            "advance",
            "CHG-2026-0012",
            "--outcome",
            "failed",
        ],
    );
    assert_eq!(
        stderr,
        "error: change `CHG-2026-0012` would be `scheduled`; only an implemented change has an outcome\n\
         \x20 help: give --outcome when the change is implemented or reviewed\n"
    );
}

#[test]
fn an_implemented_start_already_written_is_kept() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let file = "changes/CHG-2026-0011.yaml";
    let text = read(root, file) + "implemented: { start: 2026-10-06T21:02:00+02:00 }\n";
    put(root, file, text);
    ok(
        root,
        &[
            NOW,
            "change",
            "advance",
            "CHG-2026-0011",
            "--at",
            "2026-10-06T21:30:00+02:00",
        ],
    );
    let text = read(root, file);
    assert!(
        text.ends_with("implemented: { start: 2026-10-06T21:02:00+02:00 }\n"),
        "{text}"
    );
    assert!(
        text.contains("  - { state: implemented, at: 2026-10-06T21:30:00+02:00, by: tester }\n"),
        "{text}"
    );
}

#[test]
fn cancel_records_the_reason_and_is_refused_once_implemented() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let stderr = refused(
        root,
        &[
            NOW,
            "change",
            "cancel",
            "CHG-2026-0010",
            "--reason",
            "too late",
        ],
    );
    assert_eq!(
        stderr,
        "error: change `CHG-2026-0010` is `implemented`; a change that was implemented cannot be cancelled\n\
         \x20 help: record what happened instead, e.g. `svc change advance CHG-2026-0010 --to reviewed --outcome rolled-back`\n"
    );
    let stderr = refused(
        root,
        &[
            NOW,
            "change",
            "cancel",
            "CHG-2026-0007",
            "--reason",
            "again",
        ],
    );
    assert!(
        stderr.contains(
            "error: change `CHG-2026-0007` is `cancelled`, a final state; nothing leaves it"
        ),
        "{stderr}"
    );
    let stderr = refused(
        root,
        &[
            NOW,
            "change",
            "advance",
            "CHG-2026-0013",
            "--to",
            "cancelled",
        ],
    );
    assert!(
        stderr.contains("use `svc change cancel CHG-2026-0013 --reason TEXT`"),
        "{stderr}"
    );
    assert_eq!(
        ok(
            root,
            &[
                NOW,
                "change",
                "cancel",
                "CHG-2026-0013",
                "--reason",
                "Passkeys come with the new IdP.",
                "--at",
                "2026-10-01T09:00:00+02:00",
                "--note",
                "CAB said no"
            ]
        ),
        "cancelled `CHG-2026-0013` (it was `requested`)\n"
    );
    let text = read(root, "changes/CHG-2026-0013.yaml");
    assert!(text.contains("state: cancelled\n"), "{text}");
    assert!(text.ends_with(
        "  - { state: cancelled, at: 2026-10-01T09:00:00+02:00, by: tester, note: CAB said no }\n\
         cancel_reason: Passkeys come with the new IdP.\n"
    ), "{text}");
}

#[test]
fn a_history_time_before_the_last_entry_is_refused_by_the_history_rule() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let stderr = refused(
        root,
        &[
            NOW,
            "change",
            "advance",
            "CHG-2026-0012",
            "--at",
            "2026-09-01T00:00:00+02:00",
        ],
    );
    assert!(
        stderr.contains("  - history: history time 2026-09-01T00:00:00+02:00 is before the previous entry's 2026-09-29T14:00:00+02:00\n"),
        "{stderr}"
    );
}

#[test]
fn unknown_duplicate_and_unloaded_ids() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let before = snapshot(root);
    let run = svc(root, &[NOW, "change", "approve", "CHG-2026-0O13"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: no change `CHG-2026-0O13`\n  help: did you mean `CHG-2026-0013`?\n"
    );
    std::fs::create_dir(root.join("changes/old")).unwrap();
    std::fs::copy(
        root.join("changes/CHG-2026-0013.yaml"),
        root.join("changes/old/CHG-2026-0013.yaml"),
    )
    .unwrap();
    let stderr = refused(root, &[NOW, "change", "approve", "CHG-2026-0013"]);
    assert!(stderr.contains("error: change id `CHG-2026-0013` is used by more than one file: changes/CHG-2026-0013.yaml and changes/old/CHG-2026-0013.yaml"), "{stderr}");
    std::fs::remove_dir_all(root.join("changes/old")).unwrap();
    assert_eq!(snapshot(root), before);
    put(root, "changes/CHG-2026-0012.yaml", "kind: Change\nid: [\n");
    let run = svc(root, &[NOW, "change", "advance", "CHG-2026-0012"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: change `CHG-2026-0012` could not be loaded: changes/CHG-2026-0012.yaml has errors\n  help: run `svc check` and fix the file first\n"
    );
}

#[test]
fn new_refuses_bad_ids_taken_ids_and_unknown_or_retired_services() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let new = |id: &'static str, service: &'static str| {
        vec![
            NOW,
            "change",
            "new",
            id,
            "--service",
            service,
            "--title",
            "x",
        ]
    };
    for id in ["../CHG-1", "CHG/1", ".hidden"] {
        let mut args = new("x", "payments-api");
        args[3] = id;
        let stderr = refused(root, &args);
        assert!(stderr.starts_with("error: malformed change id"), "{stderr}");
    }
    let stderr = refused(root, &new("CHG-2026-0003", "payments-api"));
    assert_eq!(
        stderr,
        "error: change `CHG-2026-0003` already exists (changes/CHG-2026-0003.yaml)\n  help: choose another id, or edit the existing file\n"
    );
    let stderr = refused(root, &new("CHG-2026-0100", "paymnts-api"));
    assert_eq!(
        stderr,
        "error: --service paymnts-api: no service `paymnts-api`\n  help: did you mean `payments-api`?\n"
    );
    let stderr = refused(root, &new("CHG-2026-0100", "legacy-billing"));
    assert_eq!(
        stderr,
        "error: service `legacy-billing` is retired; a change to it cannot be requested\n  help: request the change against the service that replaced it\n"
    );
    let mut window = new("CHG-2026-0100", "payments-api");
    window.extend(["--window", "2026-10-05T22:00:00+02:00"]);
    let run = svc(root, &window);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: invalid --window `2026-10-05T22:00:00+02:00`"),
        "{}",
        run.stderr
    );
    // A window that ends before it starts is the rule's to refuse.
    let mut inverted = new("CHG-2026-0100", "payments-api");
    inverted.extend([
        "--window",
        "2026-10-05T23:00:00+02:00/2026-10-05T22:00:00+02:00",
    ]);
    let stderr = refused(root, &inverted);
    assert!(stderr.contains("  - change-window: the window of change `CHG-2026-0100` ends (2026-10-05T22:00:00+02:00) before it starts (2026-10-05T23:00:00+02:00)\n"), "{stderr}");
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let before = snapshot(root);
    let run = svc(
        root,
        &[
            NOW,
            "change",
            "advance",
            "CHG-2026-0011",
            "--at",
            "2026-10-06T21:02:00+02:00",
            "--dry-run",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(snapshot(root), before);
    for line in [
        "--- a/changes/CHG-2026-0011.yaml\n",
        "-state: scheduled\n",
        "+state: implemented\n",
        "+  - { state: implemented, at: 2026-10-06T21:02:00+02:00, by: tester }\n",
        "+implemented:\n",
        "+  start: 2026-10-06T21:02:00+02:00\n",
    ] {
        assert!(run.stdout.contains(line), "{line}\n{}", run.stdout);
    }
    assert_eq!(run.stderr, "");
    let run = svc(
        root,
        &[
            NOW,
            "change",
            "new",
            "CHG-2026-0100",
            "--service",
            "auth",
            "--title",
            "x",
            "--dry-run",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("+kind: Change\n"), "{}", run.stdout);
    assert_eq!(snapshot(root), before);
    let run = svc(
        root,
        &[
            NOW,
            "--format",
            "json",
            "change",
            "approve",
            "CHG-2026-0013",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(snapshot(root), before);
}

#[test]
fn hostile_titles_and_notes_are_quoted_read_back_exactly_and_never_reach_the_terminal() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let title = "yes: \u{1b}]0;owned\u{7} - [x] #1\nsecond line \u{202e}";
    let note = "- 12:30 \u{1b}[2J \"quoted\" 'single'";
    // `=`: a value that starts with `-` is not taken for a flag.
    let note_flag = format!("--note={note}");
    let mut new = vec![
        NOW,
        "change",
        "new",
        "CHG-2026-0100",
        "--service",
        "payments-api",
        "--title",
        title,
        "--window",
        "2026-10-05T22:00:00+02:00/2026-10-05T23:00:00+02:00",
        &note_flag,
    ];
    new.extend(PLANS);
    let stderr = ok(root, &new);
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    let approve = svc(
        root,
        &[
            NOW,
            "change",
            "approve",
            "CHG-2026-0100",
            "--by",
            "cab\u{1b}[31m@acme.example",
            &note_flag,
        ],
    );
    assert_eq!(approve.code, 0, "{}", approve.stderr);
    assert!(!approve.stderr.contains('\u{1b}'), "{:?}", approve.stderr);
    let text = read(root, "changes/CHG-2026-0100.yaml");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{7}') && !text.contains('\u{202e}'),
        "{text:?}"
    );
    let card = svc(root, &[NOW, "show", "CHG-2026-0100", "--format", "json"]).json();
    assert_eq!(card["title"], title);
    assert_eq!(card["history"][0]["note"], note);
    assert_eq!(card["approvals"][0]["note"], note);
    assert_eq!(card["approvals"][0]["by"], "cab\u{1b}[31m@acme.example");
    let shown = svc(root, &[NOW, "show", "CHG-2026-0100"]);
    assert!(!shown.stdout.contains('\u{1b}'), "{:?}", shown.stdout);
    assert_eq!(check_summary(root), "0 errors, 0 warnings in 109 files");
}
