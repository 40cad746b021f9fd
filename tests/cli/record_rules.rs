//! The rules of changes and problems through `svc check`, one test per rule,
//! each diagnostic with its exact line, column, message and help: `change-*`,
//! `problem-state`, `action-overdue` (at the local midnight after `due`),
//! `recurring-incidents` (the window's edges, a link either way), `postmortem`
//! (at `within_days` after resolution), `unknown-reference` between incidents,
//! changes and problems, and `history` and `retired-service` for changes. Each
//! runs on a copy of acme, which is clean on its own.

use std::path::Path;

use serde_json::Value;

use crate::common::{copy_repo, example, put, svc};

const NOW: &str = "--now=2026-10-01T00:00:00Z";

/// One expected diagnostic: rule, line, column, message, help.
type Expected<'a> = (&'a str, u64, u64, &'a str, &'a str);

/// Every diagnostic `svc check --now` reports in `file`, in output order.
fn found_in(repo: &Path, now: &str, file: &str) -> Vec<Value> {
    let run = svc(repo, &[now, "check", "--format", "json"]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .cloned()
        .collect()
}

/// Asserts that `file` has exactly the `expected` diagnostics at `now`.
fn assert_found(repo: &Path, now: &str, file: &str, expected: &[Expected]) {
    let found = found_in(repo, now, file);
    let found: Vec<(String, u64, u64, String, String)> = found
        .iter()
        .map(|d| {
            (
                d["rule"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["column"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
                d["help"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let expected: Vec<(String, u64, u64, String, String)> = expected
        .iter()
        .map(|(r, l, c, m, h)| (r.to_string(), *l, *c, m.to_string(), h.to_string()))
        .collect();
    assert_eq!(found, expected, "{file} at {now}");
}

/// A change of `service` with `body` from line 5 on (1 kind, 2 id, 3 service, 4 title).
fn change(repo: &Path, id: &str, service: &str, body: &str) -> String {
    let file = format!("changes/{id}.yaml");
    put(
        repo,
        &file,
        format!("kind: Change\nid: {id}\nservice: {service}\ntitle: T\n{body}"),
    );
    file
}

/// A problem of `checkout-web` with `body` from line 5 on.
fn problem(repo: &Path, id: &str, body: &str) -> String {
    let file = format!("problems/{id}.yaml");
    put(
        repo,
        &file,
        format!("kind: Problem\nid: {id}\nservice: checkout-web\ntitle: T\n{body}"),
    );
    file
}

const PLANNED: &str = "window: { start: 2026-09-01T22:00:00+02:00, end: 2026-09-01T23:00:00+02:00 }\n\
                       rollback_plan: R\nverification_plan: V\n";

#[test]
fn rule_change_approval() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let unapproved = change(
        root,
        "CHG-2026-0801",
        "payments-api",
        &format!(
            "type: normal\nstate: implemented\n{PLANNED}\
             implemented: {{ start: 2026-09-01T22:05:00+02:00 }}\nhistory:\n\
             \x20 - {{ state: requested, at: 2026-08-30T10:00:00+02:00 }}\n\
             \x20 - {{ state: implemented, at: 2026-09-01T22:05:00+02:00 }}\n"
        ),
    );
    assert_found(
        root,
        NOW,
        &unapproved,
        &[(
            "change-approval",
            6,
            8,
            "normal change `CHG-2026-0801` is `implemented` without an approval: a normal change is approved before it goes ahead",
            "record the approval with `svc change approve CHG-2026-0801`",
        )],
    );
    let late = change(
        root,
        "CHG-2026-0802",
        "payments-api",
        &format!(
            "type: normal\nstate: implemented\n{PLANNED}\
             implemented: {{ start: 2026-09-01T22:05:00+02:00 }}\napprovals:\n\
             \x20 - {{ by: cab@acme.example, at: 2026-09-02T10:00:00+02:00 }}\nhistory:\n\
             \x20 - {{ state: requested, at: 2026-08-30T10:00:00+02:00 }}\n\
             \x20 - {{ state: implemented, at: 2026-09-01T22:05:00+02:00 }}\n"
        ),
    );
    assert_found(
        root,
        NOW,
        &late,
        &[(
            "change-approval",
            12,
            33,
            "normal change `CHG-2026-0802` was approved only after its implementation began (2026-09-01T22:05:00+02:00)",
            "a normal change needs an approval at or before `implemented.start`; if it had to go ahead first, make it `type: emergency`",
        )],
    );
    let emergency = change(
        root,
        "CHG-2026-0803",
        "payments-api",
        &format!(
            "type: emergency\nstate: reviewed\n{PLANNED}outcome: successful\n\
             implemented: {{ start: 2026-09-01T22:05:00+02:00, end: 2026-09-01T22:30:00+02:00 }}\nhistory:\n\
             \x20 - {{ state: implemented, at: 2026-09-01T22:05:00+02:00 }}\n\
             \x20 - {{ state: reviewed, at: 2026-09-02T10:00:00+02:00 }}\n"
        ),
    );
    assert_found(
        root,
        NOW,
        &emergency,
        &[(
            "change-approval",
            6,
            8,
            "emergency change `CHG-2026-0803` is `reviewed` without an approval: an emergency change may be implemented first, but it is approved before it is reviewed",
            "record the approval with `svc change approve CHG-2026-0803`",
        )],
    );
    // Implemented, not yet reviewed: an emergency change may wait for its approval.
    let waiting = change(
        root,
        "CHG-2026-0804",
        "payments-api",
        &format!(
            "type: emergency\nstate: implemented\n{PLANNED}\
             implemented: {{ start: 2026-09-01T22:05:00+02:00 }}\nhistory:\n\
             \x20 - {{ state: implemented, at: 2026-09-01T22:05:00+02:00 }}\n"
        ),
    );
    assert_found(root, NOW, &waiting, &[]);
    // Standard changes are pre-approved; cancelled ones are exempt.
    let standard = change(
        root,
        "CHG-2026-0805",
        "payments-api",
        "type: standard\nstate: closed\nwindow: { start: 2026-09-01T22:00:00+02:00, end: 2026-09-01T23:00:00+02:00 }\n\
         implemented: { start: 2026-09-01T22:05:00+02:00, end: 2026-09-01T22:30:00+02:00 }\noutcome: successful\n\
         history:\n  - { state: closed, at: 2026-09-02T10:00:00+02:00 }\n",
    );
    assert_found(root, NOW, &standard, &[]);
    let cancelled = change(
        root,
        "CHG-2026-0806",
        "payments-api",
        "type: normal\nstate: cancelled\nhistory:\n  - { state: cancelled, at: 2026-09-02T10:00:00+02:00 }\n",
    );
    assert_found(root, NOW, &cancelled, &[]);
}

#[test]
fn rule_change_plan() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let file = change(
        root,
        "CHG-2026-0801",
        "payments-api",
        "type: normal\nstate: approved\nrollback_plan: R\nverification_plan: \"  \"\napprovals:\n\
         \x20 - { by: cab@acme.example, at: 2026-09-02T10:00:00+02:00 }\nhistory:\n\
         \x20 - { state: approved, at: 2026-09-02T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &file,
        &[(
            "change-plan",
            6,
            8,
            "normal change `CHG-2026-0801` is `approved` without `verification_plan`",
            "say how to undo the change and how to tell it worked before it is approved",
        )],
    );
    let emergency = change(
        root,
        "CHG-2026-0802",
        "payments-api",
        "type: emergency\nstate: approved\napprovals:\n\
         \x20 - { by: cab@acme.example, at: 2026-09-02T10:00:00+02:00 }\nhistory:\n\
         \x20 - { state: approved, at: 2026-09-02T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &emergency,
        &[(
            "change-plan",
            6,
            8,
            "emergency change `CHG-2026-0802` is `approved` without `rollback_plan` and `verification_plan`",
            "say how to undo the change and how to tell it worked before it is approved",
        )],
    );
    let requested = change(
        root,
        "CHG-2026-0803",
        "payments-api",
        "type: normal\nstate: requested\nhistory:\n  - { state: requested, at: 2026-09-02T10:00:00+02:00 }\n",
    );
    assert_found(root, NOW, &requested, &[]);
}

#[test]
fn rule_change_window() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let standard = |id: &str, state: &str, window: &str| {
        change(
            root,
            id,
            "payments-api",
            &format!(
                "type: standard\nstate: {state}\n{window}history:\n  - {{ state: {state}, at: 2026-09-02T10:00:00+02:00 }}\n"
            ),
        )
    };
    let inverted = standard(
        "CHG-2026-0801",
        "requested",
        "window: { start: 2026-10-05T23:00:00+02:00, end: 2026-10-05T22:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &inverted,
        &[(
            "change-window",
            7,
            50,
            "the window of change `CHG-2026-0801` ends (2026-10-05T22:00:00+02:00) before it starts (2026-10-05T23:00:00+02:00)",
            "swap `start` and `end`",
        )],
    );
    let unplanned = standard("CHG-2026-0802", "scheduled", "");
    assert_found(
        root,
        NOW,
        &unplanned,
        &[(
            "change-window",
            6,
            8,
            "change `CHG-2026-0802` is `scheduled` without a `window`",
            "plan the window first: `window: { start: ..., end: ... }`",
        )],
    );
    let open_ended = standard(
        "CHG-2026-0803",
        "scheduled",
        "window: { start: 2026-10-05T22:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &open_ended,
        &[(
            "change-window",
            7,
            9,
            "change `CHG-2026-0803` is `scheduled` without `window.end`",
            "plan the window first: `window: { start: ..., end: ... }`",
        )],
    );
    // The fixture of docs/changes.md: a normal change inside the year-end freeze.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/changes/freeze/CHG-2026-0901.yaml");
    std::fs::copy(fixture, root.join("changes/CHG-2026-0901.yaml")).unwrap();
    assert_found(
        root,
        NOW,
        "changes/CHG-2026-0901.yaml",
        &[(
            "change-window",
            10,
            3,
            "the window of normal change `CHG-2026-0901` (2026-12-21T22:00:00+01:00 to 2026-12-21T23:00:00+01:00) overlaps the freeze from 2026-12-18T00:00:00+01:00 to 2027-01-04T00:00:00+01:00 (year-end freeze)",
            "move the window out of the freeze, or make it an emergency change if it cannot wait",
        )],
    );
    let run = svc(root, &[NOW, "check"]);
    assert_eq!(run.code, 1, "a freeze overlap is an error");
    // A window that touches the freeze's start is outside it (`to` and `end` are exclusive).
    let touching = standard(
        "CHG-2026-0804",
        "scheduled",
        "window: { start: 2026-12-17T23:00:00+01:00, end: 2026-12-18T00:00:00+01:00 }\n",
    );
    assert_found(root, NOW, &touching, &[]);
    // An emergency change in the freeze: a warning. Once implemented: nothing.
    let emergency = change(
        root,
        "CHG-2026-0805",
        "payments-api",
        "type: emergency\nstate: requested\nwindow: { start: 2027-01-03T23:00:00+01:00, end: 2027-01-04T01:00:00+01:00 }\n\
         history:\n  - { state: requested, at: 2026-09-02T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &emergency,
        &[(
            "change-window",
            7,
            9,
            "the window of emergency change `CHG-2026-0805` (2027-01-03T23:00:00+01:00 to 2027-01-04T01:00:00+01:00) overlaps the freeze from 2026-12-18T00:00:00+01:00 to 2027-01-04T00:00:00+01:00 (year-end freeze)",
            "an emergency change may go ahead in a freeze; make sure it must",
        )],
    );
    let done = change(
        root,
        "CHG-2026-0806",
        "payments-api",
        "type: standard\nstate: implemented\nwindow: { start: 2026-12-20T22:00:00+01:00, end: 2026-12-20T23:00:00+01:00 }\n\
         implemented: { start: 2026-09-20T22:00:00+02:00 }\n\
         history:\n  - { state: implemented, at: 2026-09-20T22:00:00+02:00 }\n",
    );
    assert_found(root, NOW, &done, &[]);
}

#[test]
fn rule_change_outcome() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let unstarted = change(
        root,
        "CHG-2026-0801",
        "payments-api",
        "type: standard\nstate: implemented\nwindow: { start: 2026-09-01T22:00:00+02:00, end: 2026-09-01T23:00:00+02:00 }\n\
         history:\n  - { state: implemented, at: 2026-09-01T22:05:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &unstarted,
        &[(
            "change-outcome",
            6,
            8,
            "change `CHG-2026-0801` is `implemented` without `implemented.start`",
            "record when the work began (`svc change advance` sets it on entering `implemented`)",
        )],
    );
    let unreviewed = change(
        root,
        "CHG-2026-0802",
        "payments-api",
        "type: standard\nstate: closed\nwindow: { start: 2026-09-01T22:00:00+02:00, end: 2026-09-01T23:00:00+02:00 }\n\
         implemented: { start: 2026-09-01T22:05:00+02:00, end: 2026-09-01T22:30:00+02:00 }\n\
         history:\n  - { state: closed, at: 2026-09-02T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &unreviewed,
        &[(
            "change-outcome",
            6,
            8,
            "change `CHG-2026-0802` is `closed` without an `outcome`",
            "set `outcome: successful`, `failed` or `rolled-back` (`svc change advance --outcome ...`)",
        )],
    );
}

#[test]
fn rule_change_conflict_on_the_fixture_pair() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/changes/conflict");
    for id in ["CHG-2026-0902", "CHG-2026-0903"] {
        std::fs::copy(
            fixtures.join(format!("{id}.yaml")),
            root.join(format!("changes/{id}.yaml")),
        )
        .unwrap();
    }
    for (id, other) in [
        ("CHG-2026-0902", "CHG-2026-0903"),
        ("CHG-2026-0903", "CHG-2026-0902"),
    ] {
        assert_found(
            root,
            NOW,
            &format!("changes/{id}.yaml"),
            &[(
                "change-conflict",
                10,
                3,
                &format!(
                    "the window of change `{id}` overlaps open change `{other}` of service `search`"
                ),
                "move one of the windows, or combine the changes",
            )],
        );
    }
    let run = svc(root, &[NOW, "check"]);
    assert_eq!(run.code, 0, "a conflict is a warning");
    // Once one of them is cancelled, they no longer conflict.
    let file = root.join("changes/CHG-2026-0903.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("state: requested", "state: cancelled")).unwrap();
    assert_found(root, NOW, "changes/CHG-2026-0902.yaml", &[]);
}

#[test]
fn rule_history_for_changes() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let standard = |id: &str, state: &str, history: &str| {
        change(
            root,
            id,
            "payments-api",
            &format!("type: standard\nstate: {state}\nhistory:\n{history}"),
        )
    };
    let backwards = standard(
        "CHG-2026-0801",
        "requested",
        "  - { state: approved, at: 2026-09-01T10:00:00+02:00 }\n  - { state: requested, at: 2026-09-02T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &backwards,
        &[(
            "history",
            9,
            14,
            "history goes from `approved` back to `requested`",
            "states only move forward; history entries are listed oldest first",
        )],
    );
    let after_final = standard(
        "CHG-2026-0802",
        "approved",
        "  - { state: cancelled, at: 2026-09-01T10:00:00+02:00 }\n  - { state: approved, at: 2026-09-02T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &after_final,
        &[(
            "history",
            9,
            14,
            "history goes on after the final state `cancelled` (to `approved`)",
            "nothing leaves `cancelled`; remove the later entries",
        )],
    );
    let earlier = standard(
        "CHG-2026-0803",
        "approved",
        "  - { state: requested, at: 2026-09-02T10:00:00+02:00 }\n  - { state: approved, at: 2026-09-01T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &earlier,
        &[(
            "history",
            9,
            28,
            "history time 2026-09-01T10:00:00+02:00 is before the previous entry's 2026-09-02T10:00:00+02:00",
            "history entries are listed oldest first",
        )],
    );
    let behind = standard(
        "CHG-2026-0804",
        "approved",
        "  - { state: requested, at: 2026-09-02T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &behind,
        &[(
            "history",
            6,
            8,
            "`state` is `approved`, but the last history entry is `requested`",
            "use the `svc change` and `svc problem` commands to change states: they keep the state and history in step",
        )],
    );
}

#[test]
fn rule_retired_service_for_changes() {
    let repo = copy_repo(&example());
    let root = repo.path();
    // legacy-billing was retired 2026-03-31T18:00:00+02:00.
    let after = change(
        root,
        "CHG-2026-0801",
        "legacy-billing",
        "type: standard\nstate: requested\nhistory:\n  - { state: requested, at: 2026-04-10T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &after,
        &[(
            "retired-service",
            8,
            29,
            "change requested 2026-04-10T10:00:00+02:00 on service `legacy-billing`, which was retired 2026-03-31T18:00:00+02:00",
            "did it happen on the successor `payments-api`?",
        )],
    );
    let before = change(
        root,
        "CHG-2026-0802",
        "legacy-billing",
        "type: standard\nstate: requested\nhistory:\n  - { state: requested, at: 2026-03-31T18:00:00+02:00 }\n",
    );
    assert_found(root, NOW, &before, &[]);
}

#[test]
fn rule_unknown_reference_between_incidents_changes_and_problems() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let changed = change(
        root,
        "CHG-2026-0801",
        "paymnts-api",
        "type: standard\nstate: requested\nhistory:\n  - { state: requested, at: 2026-09-02T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &changed,
        &[(
            "unknown-reference",
            3,
            10,
            "`service` names service `paymnts-api`, which does not exist",
            "did you mean `payments-api`?",
        )],
    );
    let incident = "incidents/2026/INC-2026-0801.yaml";
    put(
        root,
        incident,
        "kind: Incident\nid: INC-2026-0801\nservice: checkout-web\ntitle: T\npriority: P3\n\
         opened_at: 2026-09-01T10:00:00+02:00\nresolved_at: 2026-09-01T11:00:00+02:00\n\
         caused_by_change: chg-2026-0003\nproblem: PRB-2026-0O04\n",
    );
    assert_found(
        root,
        NOW,
        incident,
        &[
            (
                "unknown-reference",
                8,
                19,
                "`caused_by_change` names change `chg-2026-0003`, which does not exist",
                "did you mean `CHG-2026-0003`?",
            ),
            (
                "unknown-reference",
                9,
                10,
                "`problem` names problem `PRB-2026-0O04`, which does not exist",
                "did you mean `PRB-2026-0004`?",
            ),
        ],
    );
    let problem_file = problem(
        root,
        "PRB-2026-0801",
        "state: new\nincidents: [INC-2026-0018, inc-2026-0018]\nfix_change: CHG-2026-0O11\n\
         history:\n  - { state: new, at: 2026-09-01T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &problem_file,
        &[
            (
                "unknown-reference",
                6,
                28,
                "`incidents` names incident `inc-2026-0018`, which does not exist",
                "did you mean `INC-2026-0018`?",
            ),
            (
                "unknown-reference",
                7,
                13,
                "`fix_change` names change `CHG-2026-0O11`, which does not exist",
                "did you mean `CHG-2026-0011`?",
            ),
        ],
    );
}

#[test]
fn rule_problem_state() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let known = problem(
        root,
        "PRB-2026-0802",
        "state: known-error\nhistory:\n  - { state: known-error, at: 2026-09-01T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &known,
        &[(
            "problem-state",
            5,
            8,
            "problem `PRB-2026-0802` is `known-error` without a `root_cause`",
            "a known error has a known cause: `svc problem advance PRB-2026-0802 --root-cause \"...\"`",
        )],
    );
    let resolved = problem(
        root,
        "PRB-2026-0803",
        "state: resolved\nroot_cause: R\nactions:\n  - { id: A1, title: X, owner: o, due: 2026-12-20 }\n\
         history:\n  - { state: resolved, at: 2026-09-01T10:00:00+02:00 }\n",
    );
    assert_found(
        root,
        NOW,
        &resolved,
        &[
            (
                "problem-state",
                5,
                8,
                "problem `PRB-2026-0803` is `resolved` without a `verification`",
                "check that the fix works, then record it: `svc problem advance PRB-2026-0803 --to resolved --verified-note \"...\"`",
            ),
            (
                "problem-state",
                8,
                11,
                "problem `PRB-2026-0803` is `resolved`, but action `A1` is not done",
                "finish it first: `svc problem action PRB-2026-0803 --done A1`",
            ),
        ],
    );
}

#[test]
fn rule_action_overdue_from_the_local_midnight_after_due() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let file = problem(
        root,
        "PRB-2026-0804",
        "state: investigating\nactions:\n  - { id: A1, title: X, owner: o, due: 2026-09-30 }\n\
         \x20 - { id: A2, title: Y, owner: o, due: 2026-09-29, done_at: 2026-09-29T10:00:00+02:00 }\n\
         history:\n  - { state: investigating, at: 2026-09-01T10:00:00+02:00 }\n",
    );
    // Berlin is at +02:00: the day after 2026-09-30 begins at 22:00 UTC.
    assert_found(root, "--now=2026-09-30T21:59:59Z", &file, &[]);
    let overdue: Expected = (
        "action-overdue",
        7,
        40,
        "action `A1` of problem `PRB-2026-0804` (owner o) was due 2026-09-30 and is not done",
        "finish it (`svc problem action PRB-2026-0804 --done A1`) or agree a new `due` date",
    );
    assert_found(root, "--now=2026-09-30T22:00:00Z", &file, &[overdue]);
    // In another repo time zone the same due date ends at another instant.
    let config = root.join("svc.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace(
            "timezone = \"Europe/Berlin\"",
            "timezone = \"America/New_York\"",
        ),
    )
    .unwrap();
    assert_found(root, "--now=2026-10-01T03:59:59Z", &file, &[]);
    assert_found(root, "--now=2026-10-01T04:00:00Z", &file, &[overdue]);
}

/// Three incidents of `search` in category `slow-queries`, opened at the times given.
fn recurring(root: &Path, opened: [&str; 3]) -> [String; 3] {
    let mut files = [String::new(), String::new(), String::new()];
    for (i, at) in opened.iter().enumerate() {
        let id = format!("INC-2026-081{}", i + 1);
        let file = format!("incidents/2026/{id}.yaml");
        put(
            root,
            &file,
            format!(
                "kind: Incident\nid: {id}\nservice: search\ntitle: Slow queries\ncategory: slow-queries\n\
                 priority: P3\nopened_at: {at}\n"
            ),
        );
        files[i] = file;
    }
    files
}

#[test]
fn rule_recurring_incidents_window_edges_and_links_either_way() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let now = "--now=2026-10-02T00:00:00Z";
    // The first and the last exactly 30 × 24 h apart: within the window.
    let files = recurring(
        root,
        [
            "2026-09-01T10:00:00+02:00",
            "2026-09-15T10:00:00+02:00",
            "2026-10-01T10:00:00+02:00",
        ],
    );
    let warning: Expected = (
        "recurring-incidents",
        5,
        11,
        "3 incidents of service `search` in category `slow-queries` within 30 days (INC-2026-0811, INC-2026-0812, INC-2026-0813), none linked to a problem",
        "find the cause they share: `svc problem new PRB-2026-0006 --service search --title \"Recurring slow-queries\" --incident INC-2026-0811 --incident INC-2026-0812 --incident INC-2026-0813`",
    );
    assert_found(root, now, &files[2], &[warning]);
    assert_found(root, now, &files[0], &[]);
    // One second more and the first falls out.
    recurring(
        root,
        [
            "2026-09-01T10:00:00+02:00",
            "2026-09-15T10:00:00+02:00",
            "2026-10-01T10:00:01+02:00",
        ],
    );
    assert_found(root, now, &files[2], &[]);
    let files = recurring(
        root,
        [
            "2026-09-01T10:00:00+02:00",
            "2026-09-15T10:00:00+02:00",
            "2026-10-01T10:00:00+02:00",
        ],
    );
    assert_found(root, now, &files[2], &[warning]);
    // Linked from the incident: no longer recurring without a problem.
    let text = std::fs::read_to_string(root.join(&files[1])).unwrap();
    put(root, &files[1], format!("{text}problem: PRB-2026-0002\n"));
    assert_found(root, now, &files[2], &[]);
    put(root, &files[1], text);
    assert_found(root, now, &files[2], &[warning]);
    // Linked from the problem: the same.
    let problem_file = root.join("problems/PRB-2026-0002.yaml");
    let problem_text = std::fs::read_to_string(&problem_file).unwrap();
    std::fs::write(
        &problem_file,
        problem_text.replace(
            "incidents: [INC-2026-0055, INC-2026-0061]",
            "incidents: [INC-2026-0055, INC-2026-0061, INC-2026-0811]",
        ),
    )
    .unwrap();
    assert_found(root, now, &files[2], &[]);
}

#[test]
fn rule_postmortem_after_within_days() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let file = "incidents/2026/INC-2026-0801.yaml";
    let text = "kind: Incident\nid: INC-2026-0801\nservice: checkout-web\ntitle: Checkout down\npriority: P1\n\
                opened_at: 2026-09-20T09:00:00+02:00\nresolved_at: 2026-09-20T10:00:00+02:00\n";
    put(root, file, text);
    // Five days of 24 h after 08:00 UTC on the 20th.
    assert_found(root, "--now=2026-09-25T08:00:00Z", file, &[]);
    assert_found(
        root,
        "--now=2026-09-25T08:00:01Z",
        file,
        &[(
            "postmortem",
            7,
            14,
            "P1 incident resolved 2026-09-20T10:00:00+02:00 has neither `root_cause` nor `postmortem` after 5 days",
            "add `root_cause: ...` or `postmortem: <link to the write-up>` to the incident",
        )],
    );
    put(root, file, format!("{text}root_cause: A full disk.\n"));
    assert_found(root, "--now=2026-09-25T08:00:01Z", file, &[]);
    // Other priorities are not asked for one.
    put(root, file, text.replace("priority: P1", "priority: P2"));
    assert_found(root, "--now=2026-09-25T08:00:01Z", file, &[]);
}
