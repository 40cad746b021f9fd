//! `svc problem new|advance|action|link` through the binary: the improvement
//! loop from a recurring-incidents warning to a verified, closed problem; each
//! refusal naming `problem-state` (or why the link or action cannot be made)
//! and leaving every file as it was; the commit messages.

use std::path::Path;

use crate::common::{copy_repo, example, git, git_init, snapshot, svc};

const NOW: &str = "--now=2026-10-01T00:00:00Z";

fn read(repo: &Path, file: &str) -> String {
    std::fs::read_to_string(repo.join(file)).unwrap()
}

/// Runs a command that must exit with `code` and change nothing; returns stderr.
fn fails(repo: &Path, code: i32, args: &[&str]) -> String {
    let before = snapshot(repo);
    let run = svc(repo, args);
    assert_eq!(run.code, code, "{args:?}\n{}{}", run.stdout, run.stderr);
    assert_eq!(snapshot(repo), before, "{args:?} changed a file");
    run.stderr
}

fn ok(repo: &Path, args: &[&str]) -> String {
    let run = svc(repo, args);
    assert_eq!(run.code, 0, "{args:?}\n{}", run.stderr);
    run.stderr
}

/// The diagnostics of `svc check --format json` at `now`.
fn diagnostics(repo: &Path, now: &str) -> Vec<serde_json::Value> {
    let run = svc(repo, &[now, "check", "--format", "json"]);
    run.json().as_array().unwrap().clone()
}

/// acme with the three `queue-backlog` incidents of tests/fixtures/problems.
fn acme_with_recurring_incidents() -> tempfile::TempDir {
    let repo = copy_repo(&example());
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/problems/recurring");
    for entry in std::fs::read_dir(fixtures).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            repo.path().join("incidents/2026").join(entry.file_name()),
        )
        .unwrap();
    }
    repo
}

#[test]
fn the_improvement_loop_runs_from_a_recurring_warning_to_a_closed_problem() {
    let repo = acme_with_recurring_incidents();
    let root = repo.path();
    git_init(root);
    let found = diagnostics(root, NOW);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["rule"], "recurring-incidents");
    // The help line is the command to run: run it as given.
    let help = found[0]["help"].as_str().unwrap();
    let command = help
        .split('`')
        .nth(1)
        .and_then(|c| c.strip_prefix("svc "))
        .unwrap();
    assert_eq!(
        command,
        "problem new PRB-2026-0006 --service notifications --title \"Recurring queue-backlog\" \
         --incident INC-2026-0074 --incident INC-2026-0075 --incident INC-2026-0076"
    );
    let mut args: Vec<String> = vec![NOW.into()];
    let (before_title, after_title) = command
        .split_once(" --title \"Recurring queue-backlog\"")
        .unwrap();
    args.extend(before_title.split(' ').map(String::from));
    args.extend(["--title".into(), "Recurring queue-backlog".into()]);
    args.extend(after_title.split_whitespace().map(String::from));
    args.extend([
        "--at".into(),
        "2026-10-01T09:00:00+02:00".into(),
        "--commit".into(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(
        ok(root, &args),
        "created problems/PRB-2026-0006.yaml in state `new`\n"
    );
    let file = "problems/PRB-2026-0006.yaml";
    let text = read(root, file);
    for line in [
        "kind: Problem\n",
        "id: PRB-2026-0006\n",
        "service: notifications\n",
        "title: Recurring queue-backlog\n",
        "state: new\n",
        "incidents: [INC-2026-0074, INC-2026-0075, INC-2026-0076]      # more with `svc problem link PRB-2026-0006 --incident ID`\n",
        "history:\n  - { state: new, at: 2026-10-01T09:00:00+02:00, by: tester@example.com }\n",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let later = "--now=2026-11-01T00:00:00Z";
    assert!(
        diagnostics(root, later).is_empty(),
        "linked: the warning is gone"
    );
    let steps: [(&[&str], &str, &str); 8] = [
        (
            &[
                "advance",
                "PRB-2026-0006",
                "--at",
                "2026-10-01T10:00:00+02:00",
            ],
            "advanced `PRB-2026-0006` from `new` to `investigating`\n",
            "svc: problem advance PRB-2026-0006 to investigating",
        ),
        (
            &[
                "advance",
                "PRB-2026-0006",
                "--root-cause",
                "The worker pool is sized for the daytime load: four workers.",
                "--workaround",
                "Scale the workers by hand at 18:00.",
                "--at",
                "2026-10-02T11:00:00+02:00",
            ],
            "advanced `PRB-2026-0006` from `investigating` to `known-error`\n",
            "svc: problem advance PRB-2026-0006 to known-error",
        ),
        (
            &[
                "action",
                "PRB-2026-0006",
                "--add",
                "Autoscale the workers on queue depth",
                "--owner",
                "team-messaging",
                "--due",
                "2026-10-15",
            ],
            "added action `A1` to `PRB-2026-0006`, due 2026-10-15\n",
            "svc: problem action PRB-2026-0006",
        ),
        (
            &[
                "action",
                "PRB-2026-0006",
                "--add",
                "Alert at a queue depth of 1,000",
                "--owner",
                "team-messaging",
                "--due",
                "2026-10-20",
            ],
            "added action `A2` to `PRB-2026-0006`, due 2026-10-20\n",
            "svc: problem action PRB-2026-0006",
        ),
        (
            &[
                "action",
                "PRB-2026-0006",
                "--done",
                "A1",
                "--at",
                "2026-10-13T20:30:00+02:00",
            ],
            "marked action `A1` of `PRB-2026-0006` done\n",
            "svc: problem action PRB-2026-0006",
        ),
        (
            &[
                "action",
                "PRB-2026-0006",
                "--done",
                "A2",
                "--at",
                "2026-10-14T12:00:00+02:00",
            ],
            "marked action `A2` of `PRB-2026-0006` done\n",
            "svc: problem action PRB-2026-0006",
        ),
        (
            &[
                "advance",
                "PRB-2026-0006",
                "--to",
                "resolved",
                "--verified-note",
                "no backlog through two weeks of evening peaks",
                "--at",
                "2026-10-28T10:00:00+01:00",
            ],
            "advanced `PRB-2026-0006` from `known-error` to `resolved`\n",
            "svc: problem advance PRB-2026-0006 to resolved",
        ),
        (
            &[
                "advance",
                "PRB-2026-0006",
                "--at",
                "2026-10-30T10:00:00+01:00",
                "--note",
                "reviewed at the service review",
            ],
            "advanced `PRB-2026-0006` from `resolved` to `closed`\n",
            "svc: problem advance PRB-2026-0006 to closed",
        ),
    ];
    for (args, said, message) in steps {
        let mut full = vec![NOW, "problem"];
        full.extend(args);
        full.push("--commit");
        assert_eq!(ok(root, &full), said);
        assert_eq!(
            git(root, &["log", "--format=%s", "-n", "1"]),
            format!("{message}\n")
        );
        assert_eq!(
            git(root, &["show", "--name-only", "--format=", "HEAD"]),
            format!("{file}\n")
        );
        // Between the steps an action may be overdue at `later`, never an error.
        let errors: Vec<_> = diagnostics(root, later)
            .into_iter()
            .filter(|d| d["severity"] == "error")
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
    }
    assert!(diagnostics(root, later).is_empty());
    let text = read(root, file);
    for line in [
        "state: closed\n",
        "root_cause: \"The worker pool is sized for the daytime load: four workers.\"\n",
        "workaround: Scale the workers by hand at 18:00.\n",
        "actions:\n  - { id: A1, title: Autoscale the workers on queue depth, owner: team-messaging, due: 2026-10-15, done_at: 2026-10-13T20:30:00+02:00 }\n",
        "  - { id: A2, title: \"Alert at a queue depth of 1,000\", owner: team-messaging, due: 2026-10-20, done_at: 2026-10-14T12:00:00+02:00 }\n",
        "verification:\n  at: 2026-10-28T10:00:00+01:00\n  by: tester@example.com\n  note: no backlog through two weeks of evening peaks\n",
        "  - { state: closed, at: 2026-10-30T10:00:00+01:00, by: tester@example.com, note: reviewed at the service review }\n",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let card = svc(root, &[later, "show", "PRB-2026-0006", "--format", "json"]).json();
    assert_eq!(card["state"], "closed");
    assert_eq!(card["incidents"].as_array().unwrap().len(), 3);
    assert_eq!(
        card["verification"]["note"],
        "no backlog through two weeks of evening peaks"
    );
}

#[test]
fn a_known_error_needs_a_root_cause() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let stderr = fails(
        root,
        1,
        &[
            NOW,
            "problem",
            "advance",
            "PRB-2026-0005",
            "--to",
            "known-error",
        ],
    );
    assert_eq!(
        stderr,
        "error: cannot advance problem `PRB-2026-0005` to `known-error`: `svc check` would fail on problems/PRB-2026-0005.yaml\n\
         \x20 - problem-state: problem `PRB-2026-0005` is `known-error` without a `root_cause`\n\
         \x20 help: a known error has a known cause: `svc problem advance PRB-2026-0005 --root-cause \"...\"`\n"
    );
    // A root cause of only spaces is no root cause.
    let stderr = fails(
        root,
        1,
        &[
            NOW,
            "problem",
            "advance",
            "PRB-2026-0005",
            "--to",
            "known-error",
            "--root-cause",
            "  ",
        ],
    );
    assert!(
        stderr.contains(
            "  - problem-state: problem `PRB-2026-0005` is `known-error` without a `root_cause`"
        ),
        "{stderr}"
    );
}

#[test]
fn a_problem_is_not_resolved_while_an_action_is_open_or_before_it_is_verified() {
    let repo = copy_repo(&example());
    let root = repo.path();
    // PRB-2026-0003 is a known error; its action A2 is open.
    let stderr = fails(
        root,
        1,
        &[
            NOW,
            "problem",
            "advance",
            "PRB-2026-0003",
            "--verified-note",
            "quiet for a month",
        ],
    );
    assert_eq!(
        stderr,
        "error: cannot advance problem `PRB-2026-0003` to `resolved`: `svc check` would fail on problems/PRB-2026-0003.yaml\n\
         \x20 - problem-state: problem `PRB-2026-0003` is `resolved`, but action `A2` is not done\n\
         \x20 help: finish it first: `svc problem action PRB-2026-0003 --done A2`\n"
    );
    ok(
        root,
        &[
            NOW,
            "problem",
            "action",
            "PRB-2026-0003",
            "--done",
            "A2",
            "--at",
            "2026-09-30T12:00:00+02:00",
        ],
    );
    let stderr = fails(root, 1, &[NOW, "problem", "advance", "PRB-2026-0003"]);
    assert_eq!(
        stderr,
        "error: cannot advance problem `PRB-2026-0003` to `resolved`: `svc check` would fail on problems/PRB-2026-0003.yaml\n\
         \x20 - problem-state: problem `PRB-2026-0003` is `resolved` without a `verification`\n\
         \x20 help: check that the fix works, then record it: `svc problem advance PRB-2026-0003 --to resolved --verified-note \"...\"`\n"
    );
    ok(
        root,
        &[
            NOW,
            "problem",
            "advance",
            "PRB-2026-0003",
            "--verified-note",
            "quiet for a month",
            "--at",
            "2026-09-30T13:00:00+02:00",
        ],
    );
    // An action added to a resolved problem would be open in a resolved problem.
    let stderr = fails(
        root,
        1,
        &[
            NOW,
            "problem",
            "action",
            "PRB-2026-0003",
            "--add",
            "One more",
            "--owner",
            "team-shop",
            "--due",
            "2026-12-01",
        ],
    );
    assert!(stderr.contains("  - problem-state: problem `PRB-2026-0003` is `resolved`, but action `A3` is not done\n"), "{stderr}");
    assert!(diagnostics(root, NOW).is_empty());
}

#[test]
fn link_appends_an_incident_and_refuses_unknown_or_already_linked_ones() {
    let repo = copy_repo(&example());
    let root = repo.path();
    git_init(root);
    let stderr = fails(
        root,
        1,
        &[
            NOW,
            "problem",
            "link",
            "PRB-2026-0004",
            "--incident",
            "INC-2026-0O18",
        ],
    );
    assert_eq!(
        stderr,
        "error: --incident INC-2026-0O18: no incident `INC-2026-0O18`\n  help: did you mean `INC-2026-0018`?\n"
    );
    let stderr = fails(
        root,
        1,
        &[
            NOW,
            "problem",
            "link",
            "PRB-2026-0004",
            "--incident",
            "INC-2026-0056",
        ],
    );
    assert_eq!(
        stderr,
        "error: incident `INC-2026-0056` is linked to problem `PRB-2026-0004` already: it is in the problem's `incidents` (problems/PRB-2026-0004.yaml)\n  help: nothing to do\n"
    );
    let stderr = fails(
        root,
        1,
        &[
            NOW,
            "problem",
            "link",
            "PRB-2026-0004",
            "--incident",
            "INC-2026-0068",
        ],
    );
    assert_eq!(
        stderr,
        "error: incident `INC-2026-0068` is linked to problem `PRB-2026-0004` already: the incident names it in `problem` (incidents/2026/INC-2026-0068.yaml)\n  help: nothing to do\n"
    );
    assert_eq!(
        ok(
            root,
            &[
                NOW,
                "problem",
                "link",
                "PRB-2026-0004",
                "--incident",
                "INC-2026-0018",
                "--commit"
            ]
        ),
        "linked `INC-2026-0018` to `PRB-2026-0004`\n"
    );
    assert_eq!(
        git(root, &["log", "--format=%s", "-n", "1"]),
        "svc: problem link PRB-2026-0004\n"
    );
    let text = read(root, "problems/PRB-2026-0004.yaml");
    assert!(
        text.contains("incidents: [INC-2026-0056, INC-2026-0057, INC-2026-0018]\n"),
        "{text}"
    );
    assert!(diagnostics(root, NOW).is_empty());
    // An unknown problem is a usage error with a did-you-mean.
    let stderr = fails(
        root,
        2,
        &[
            NOW,
            "problem",
            "link",
            "PRB-2026-0044",
            "--incident",
            "INC-2026-0018",
        ],
    );
    assert_eq!(
        stderr,
        "error: no problem `PRB-2026-0044`\n  help: did you mean `PRB-2026-0004`?\n"
    );
}

#[test]
fn actions_are_numbered_on_and_done_once() {
    let repo = copy_repo(&example());
    let root = repo.path();
    assert_eq!(
        ok(
            root,
            &[
                NOW,
                "problem",
                "action",
                "PRB-2026-0004",
                "--add",
                "Cache addresses for a day",
                "--owner",
                "team-shop",
                "--due",
                "2026-11-30"
            ]
        ),
        "added action `A3` to `PRB-2026-0004`, due 2026-11-30\n"
    );
    let text = read(root, "problems/PRB-2026-0004.yaml");
    assert!(
        text.contains("      due: 2027-06-30 }\n  - { id: A3, title: Cache addresses for a day, owner: team-shop, due: 2026-11-30 }\n"),
        "{text}"
    );
    let stderr = fails(
        root,
        1,
        &[NOW, "problem", "action", "PRB-2026-0004", "--done", "A1"],
    );
    assert_eq!(
        stderr,
        "error: action `A1` of problem `PRB-2026-0004` is done already (2026-09-24T17:00:00+02:00)\n  help: nothing to do\n"
    );
    let stderr = fails(
        root,
        2,
        &[NOW, "problem", "action", "PRB-2026-0004", "--done", "a3"],
    );
    assert_eq!(
        stderr,
        "error: problem `PRB-2026-0004` has no action `a3`\n  help: did you mean `A3`?\n"
    );
    let stderr = fails(
        root,
        2,
        &[
            NOW,
            "problem",
            "action",
            "PRB-2026-0004",
            "--add",
            "x",
            "--owner",
            "o",
            "--due",
            "30.11.2026",
        ],
    );
    assert_eq!(
        stderr,
        "error: invalid --due `30.11.2026`\n  help: give a date in the repo time zone, e.g. `2026-04-01`\n"
    );
    let stderr = fails(root, 2, &[NOW, "problem", "action", "PRB-2026-0004"]);
    assert!(
        stderr.starts_with("error: give --add TITLE (with --owner and --due) or --done ACTION\n"),
        "{stderr}"
    );
    let stderr = fails(
        root,
        2,
        &[
            NOW,
            "problem",
            "action",
            "PRB-2026-0004",
            "--add",
            "x",
            "--owner",
            "o",
            "--due",
            "2026-11-30",
            "--at",
            "2026-10-01T00:00:00Z",
        ],
    );
    assert!(
        stderr.starts_with("error: --at goes with --done"),
        "{stderr}"
    );
    let stderr = fails(
        root,
        2,
        &[
            NOW,
            "problem",
            "action",
            "PRB-2026-0004",
            "--done",
            "A3",
            "--note",
            "x",
        ],
    );
    assert!(
        stderr.starts_with("error: `svc problem action` takes no --note"),
        "{stderr}"
    );
    fails(
        root,
        2,
        &[
            NOW,
            "problem",
            "action",
            "PRB-2026-0004",
            "--add",
            "x",
            "--done",
            "A3",
        ],
    );
    fails(
        root,
        2,
        &[NOW, "problem", "action", "PRB-2026-0004", "--add", "x"],
    );
    ok(
        root,
        &[
            NOW,
            "problem",
            "action",
            "PRB-2026-0004",
            "--done",
            "A3",
            "--at",
            "2026-09-30T18:00:00+02:00",
        ],
    );
    assert!(
        read(root, "problems/PRB-2026-0004.yaml")
            .contains("due: 2026-11-30, done_at: 2026-09-30T18:00:00+02:00 }\n")
    );
    assert!(diagnostics(root, NOW).is_empty());
}

#[test]
fn new_refuses_unknown_or_repeated_incidents_taken_ids_and_unknown_services() {
    let repo = copy_repo(&example());
    let root = repo.path();
    let new = [
        "problem",
        "new",
        "PRB-2026-0006",
        "--service",
        "auth",
        "--title",
        "x",
    ];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut args = vec![NOW];
        args.extend(new);
        args.extend(extra);
        args
    };
    let stderr = fails(root, 1, &with(&["--incident", "INC-2026-9999"]));
    assert!(
        stderr.starts_with("error: --incident INC-2026-9999: no incident `INC-2026-9999`\n"),
        "{stderr}"
    );
    let stderr = fails(
        root,
        1,
        &with(&["--incident", "INC-2026-0011", "--incident", "INC-2026-0011"]),
    );
    assert_eq!(
        stderr,
        "error: --incident INC-2026-0011 is given twice\n  help: name each incident once\n"
    );
    let mut taken = with(&[]);
    taken[3] = "PRB-2026-0005";
    let stderr = fails(root, 1, &taken);
    assert_eq!(
        stderr,
        "error: problem `PRB-2026-0005` already exists (problems/PRB-2026-0005.yaml)\n  help: choose another id, or edit the existing file\n"
    );
    let mut unknown = with(&[]);
    unknown[5] = "auht";
    let stderr = fails(root, 1, &unknown);
    assert_eq!(
        stderr,
        "error: --service auht: no service `auht`\n  help: did you mean `auth`?\n"
    );
    // Without --incident the list is there to be filled by `svc problem link`.
    ok(root, &with(&["--at", "2026-10-01T09:00:00+02:00"]));
    assert!(read(root, "problems/PRB-2026-0006.yaml").contains("incidents: []      # more with"));
    ok(
        root,
        &[
            NOW,
            "problem",
            "link",
            "PRB-2026-0006",
            "--incident",
            "INC-2026-0011",
        ],
    );
    assert!(
        read(root, "problems/PRB-2026-0006.yaml")
            .contains("incidents: [INC-2026-0011]      # more with")
    );
}
