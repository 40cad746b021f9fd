//! `svc incident open|ack|pause|resume|resolve|close|outage` through the binary:
//! golden before/after files per verb and layout (in LF, CRLF and with a
//! byte-order mark), id allocation under the lock with concurrent processes,
//! the bounded lock wait, every refusal leaving the repo byte-identical, and
//! hostile text written quoted, read back exactly and never shown raw.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::{Run, base, command, copy_repo, example, git, git_init, snapshot, svc};

const NOW: &str = "--now=2026-10-01T12:00:00Z";

/// The incident the golden cases edit.
const FILE: &str = "incidents/2026/INC-2026-0900.yaml";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/incident")
}

/// The LF text in the other forms svc must edit alike: CRLF line ends, a
/// byte-order mark, no final newline.
fn variants(text: &str) -> [(&'static str, String); 4] {
    [
        ("LF", text.to_string()),
        ("CRLF", text.replace('\n', "\r\n")),
        ("BOM", format!("\u{feff}{text}")),
        (
            "no final newline",
            text.strip_suffix('\n').unwrap_or(text).to_string(),
        ),
    ]
}

/// The diagnostics `svc check` reports on `file`.
fn diagnostics_of(repo: &Path, file: &str) -> Vec<serde_json::Value> {
    let check = svc(repo, &[NOW, "check", "--format", "json"]);
    check
        .json()
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["file"] == file)
        .cloned()
        .collect()
}

/// Each case under `tests/fixtures/incident/<case>/`: `args` (one argument a
/// line), `before.yaml` (the incident file, absent for `open`), and either
/// `after.yaml` (the exact result) or `refused.txt` (what stderr must hold;
/// the repo must be unchanged); an optional `svc.toml` replaces the base repo's
/// (`tests/fixtures/base`).
/// `SVC_BLESS=1` writes a missing `after.yaml` for review.
#[test]
fn golden_before_and_after_files_of_every_verb() {
    let bless = std::env::var_os("SVC_BLESS").is_some();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    let mut ran = 0;
    for dir in &cases {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let args_text = std::fs::read_to_string(dir.join("args")).unwrap();
        let mut args = vec![NOW, "incident"];
        args.extend(args_text.lines());
        let before = std::fs::read_to_string(dir.join("before.yaml")).ok();
        let refused = std::fs::read_to_string(dir.join("refused.txt")).ok();
        let forms: Vec<(&str, Option<String>)> = match &before {
            Some(text) => variants(text)
                .into_iter()
                .map(|(form, text)| (form, Some(text)))
                .collect(),
            None => vec![("new file", None)],
        };
        for (form, input) in forms {
            let repo = base();
            if let Ok(toml) = std::fs::read(dir.join("svc.toml")) {
                std::fs::write(repo.path().join("svc.toml"), toml).unwrap();
            }
            if let Some(input) = &input {
                std::fs::write(repo.path().join(FILE), input).unwrap();
            }
            let untouched = snapshot(repo.path());
            let run = svc(repo.path(), &args);
            ran += 1;
            let context = format!("{name} ({form}): exit {}\n{}", run.code, run.stderr);
            if let Some(expected) = &refused {
                if run.code != 1 || !run.stderr.contains(expected.trim_end()) {
                    failures.push(format!("{context}\nwanted on stderr:\n{expected}"));
                }
                if snapshot(repo.path()) != untouched {
                    failures.push(format!("{context}\na refused command changed a file"));
                }
                continue;
            }
            if run.code != 0 {
                failures.push(context);
                continue;
            }
            let file = match &input {
                Some(_) => FILE.to_string(),
                None => format!("incidents/2026/{}.yaml", run.stdout.trim()),
            };
            let out = std::fs::read_to_string(repo.path().join(&file)).unwrap();
            let after_path = dir.join("after.yaml");
            if bless && matches!(form, "LF" | "new file") && !after_path.exists() {
                std::fs::write(&after_path, &out).unwrap();
            }
            let after = std::fs::read_to_string(&after_path)
                .unwrap_or_else(|_| panic!("{name}: no after.yaml (SVC_BLESS=1 writes it)"));
            let want = match form {
                "new file" => after,
                _ => variants(&after)
                    .into_iter()
                    .find(|(f, _)| *f == form)
                    .map(|(_, text)| text)
                    .unwrap(),
            };
            if out != want {
                failures.push(format!("{context}\ngot:\n{out}\nwanted:\n{want}"));
            }
            // What the command wrote passes `svc check` without a word (the
            // other forms give the same record).
            if !matches!(form, "LF" | "new file") {
                continue;
            }
            let said = diagnostics_of(repo.path(), &file);
            if !said.is_empty() {
                failures.push(format!("{context}\nsvc check on the result: {said:?}"));
            }
        }
    }
    assert!(ran >= 120, "only {ran} runs");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// `svc incident open` on payments-api at P2, with `extra` arguments.
fn open(repo: &Path, extra: &[&str]) -> Run {
    let mut args = vec![
        NOW,
        "incident",
        "open",
        "--service",
        "payments-api",
        "--title",
        "Card payments failing",
        "--priority",
        "P2",
    ];
    args.extend(extra);
    svc(repo, &args)
}

/// An incident file as a person would write it.
fn incident_file(id: &str, extra: &str) -> String {
    format!(
        "kind: Incident\nid: {id}\nservice: payments-api\ntitle: Card errors\npriority: P2\n\
         opened_at: 2026-09-30T08:00:00+02:00\n{extra}"
    )
}

#[test]
fn open_takes_the_next_id_of_the_year_and_never_fills_a_gap() {
    let repo = copy_repo(&example());
    let first = open(repo.path(), &["--at", "2026-09-30T08:00:00+02:00"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(first.stdout, "INC-2026-0074\n");
    assert!(
        first
            .stderr
            .contains("opened INC-2026-0074 on payments-api (incidents/2026/INC-2026-0074.yaml)"),
        "{}",
        first.stderr
    );
    // A gap below the highest number stays a gap; a file that does not load
    // still holds its number.
    let incidents = repo.path().join("incidents/2026");
    std::fs::write(
        incidents.join("INC-2026-0100.yaml"),
        incident_file("INC-2026-0100", ""),
    )
    .unwrap();
    assert_eq!(open(repo.path(), &[]).stdout, "INC-2026-0101\n");
    std::fs::write(
        incidents.join("INC-2026-0200.yaml"),
        "kind: Incident\nid: [\n",
    )
    .unwrap();
    assert_eq!(open(repo.path(), &[]).stdout, "INC-2026-0201\n");
    std::fs::remove_file(incidents.join("INC-2026-0200.yaml")).unwrap();
    // The year is the year of --at in the repo time zone (Berlin): 23:30 UTC
    // on New Year's Eve is already 2027 there.
    let new_year = open(repo.path(), &["--at", "2026-12-31T23:30:00Z"]);
    assert_eq!(new_year.code, 0, "{}", new_year.stderr);
    assert_eq!(new_year.stdout, "INC-2027-0001\n");
    assert!(
        repo.path()
            .join("incidents/2027/INC-2027-0001.yaml")
            .exists()
    );
    let next = open(repo.path(), &["--at", "2027-01-02"]);
    assert_eq!(next.stdout, "INC-2027-0002\n");
    let text =
        std::fs::read_to_string(repo.path().join("incidents/2027/INC-2027-0002.yaml")).unwrap();
    assert!(
        text.contains("\nopened_at: 2027-01-02T00:00:00+01:00\n"),
        "{text}"
    );
    // The last year's numbers go on where they were.
    assert_eq!(
        open(repo.path(), &["--at", "2026-12-31T12:00:00+01:00"]).stdout,
        "INC-2026-0202\n"
    );
    let check = svc(repo.path(), &[NOW, "check"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn open_follows_the_id_format_of_svc_toml() {
    let repo = copy_repo(&example());
    let toml = std::fs::read_to_string(repo.path().join("svc.toml")).unwrap();
    std::fs::write(
        repo.path().join("svc.toml"),
        toml.replace(
            "[incidents]\n",
            "[incidents]\nid_format = \"OPS-{year}-{seq}\"\n",
        ),
    )
    .unwrap();
    assert_eq!(open(repo.path(), &[]).stdout, "OPS-2026-1\n");
    assert_eq!(open(repo.path(), &[]).stdout, "OPS-2026-2\n");
    // Ids of another shape do not count, and an explicit id is kept as given.
    let given = open(repo.path(), &["--id", "OPS-2026-9"]);
    assert_eq!(given.code, 0, "{}", given.stderr);
    assert_eq!(open(repo.path(), &[]).stdout, "OPS-2026-10\n");
}

#[test]
fn open_with_impact_and_urgency_writes_those_and_needs_a_matrix() {
    let repo = copy_repo(&example());
    let before = snapshot(repo.path());
    let args = [
        NOW,
        "incident",
        "open",
        "--service",
        "search",
        "--title",
        "Search slow",
        "--impact",
        "2",
        "--urgency",
        "1",
    ];
    let refused = svc(repo.path(), &args);
    assert_eq!(refused.code, 1);
    assert!(
        refused
            .stderr
            .contains("--impact and --urgency need a `[priority] matrix` in svc.toml"),
        "{}",
        refused.stderr
    );
    assert_eq!(snapshot(repo.path()), before);
    std::fs::write(
        repo.path().join("svc.toml"),
        std::fs::read_to_string(fixtures().join("open-matrix/svc.toml")).unwrap(),
    )
    .unwrap();
    let run = svc(repo.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text =
        std::fs::read_to_string(repo.path().join("incidents/2026/INC-2026-0074.yaml")).unwrap();
    assert!(text.contains("\nimpact: 2\nurgency: 1\n"), "{text}");
    assert!(!text.contains("priority"), "{text}");
    let shown = svc(
        repo.path(),
        &[NOW, "show", "INC-2026-0074", "--format", "json"],
    )
    .json();
    assert_eq!(shown["priority"], "P2");
    assert_eq!(shown["priority_from_matrix"], true);
    // Neither a priority nor impact and urgency: a usage error.
    let none = svc(
        repo.path(),
        &[
            NOW,
            "incident",
            "open",
            "--service",
            "search",
            "--title",
            "T",
        ],
    );
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("needs a priority"), "{}", none.stderr);
}

#[test]
fn open_refuses_malformed_ids_and_ids_that_leave_the_folder() {
    let repo = copy_repo(&example());
    let outside = repo.path().parent().unwrap().to_path_buf();
    let before = snapshot(repo.path());
    let long = "I".repeat(129);
    for id in [
        "../evil",
        "../../../evil",
        "a/b",
        "..",
        ".hidden",
        "",
        "INC 1",
        "a\\b",
        "x\u{1b}[2J",
        "-INC",
        long.as_str(),
    ] {
        let run = open(repo.path(), &[&format!("--id={id}")]);
        assert_eq!(run.code, 1, "{id:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("malformed incident id"),
            "{id:?}: {}",
            run.stderr
        );
        crate::output_safety::assert_run_clean(&["open", "--id"], &run);
    }
    assert_eq!(snapshot(repo.path()), before);
    assert!(!outside.join("evil.yaml").exists());
    assert!(!repo.path().join("incidents/evil.yaml").exists());
}

#[test]
fn open_refuses_an_existing_id_and_an_unknown_or_retired_service() {
    let repo = copy_repo(&example());
    let before = snapshot(repo.path());
    let taken = open(repo.path(), &["--id", "INC-2026-0001"]);
    assert_eq!(taken.code, 1);
    assert!(
        taken.stderr.contains(
            "incident `INC-2026-0001` already exists (incidents/2026/INC-2026-0001.yaml)"
        ),
        "{}",
        taken.stderr
    );
    // Taken in any year's folder.
    let elsewhere = open(
        repo.path(),
        &["--id", "INC-2026-0001", "--at", "2027-02-01"],
    );
    assert_eq!(elsewhere.code, 1, "{}", elsewhere.stderr);
    let unknown = svc(
        repo.path(),
        &[
            NOW,
            "incident",
            "open",
            "--service",
            "paymnts-api",
            "--title",
            "T",
            "--priority",
            "P1",
        ],
    );
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("no service `paymnts-api`")
            && unknown.stderr.contains("did you mean `payments-api`?"),
        "{}",
        unknown.stderr
    );
    let retired = svc(
        repo.path(),
        &[
            NOW,
            "incident",
            "open",
            "--service",
            "legacy-billing",
            "--title",
            "T",
            "--priority",
            "P1",
        ],
    );
    assert_eq!(retired.code, 1);
    assert!(
        retired
            .stderr
            .contains("service `legacy-billing` is retired (replaced by `payments-api`)"),
        "{}",
        retired.stderr
    );
    let no_target = svc(
        repo.path(),
        &[
            NOW,
            "incident",
            "open",
            "--service",
            "search",
            "--title",
            "T",
            "--priority",
            "P5",
        ],
    );
    assert_eq!(no_target.code, 1);
    assert!(
        no_target.stderr.contains(
            "`svc check` would fail on incidents/2026/INC-2026-0074.yaml\n  - missing-target: "
        ) && no_target
            .stderr
            .contains("priority `P5` has no target in policy `gold` of service `search`"),
        "{}",
        no_target.stderr
    );
    let empty_title = svc(
        repo.path(),
        &[
            NOW,
            "incident",
            "open",
            "--service",
            "search",
            "--title",
            " ",
            "--priority",
            "P1",
        ],
    );
    assert_eq!(empty_title.code, 1, "{}", empty_title.stderr);
    assert!(
        empty_title.stderr.contains("\n  - schema: "),
        "{}",
        empty_title.stderr
    );
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn incident_commands_take_no_format_and_no_rev() {
    let repo = copy_repo(&example());
    let before = snapshot(repo.path());
    for args in [
        &[NOW, "--format", "json", "incident", "ack", "INC-2026-0073"][..],
        &[NOW, "incident", "ack", "INC-2026-0073", "--format", "json"],
        &[NOW, "--rev", "HEAD", "incident", "ack", "INC-2026-0073"],
        &[NOW, "incident", "ack", "INC-2026-0073", "--at", "yesterday"],
        &[
            NOW,
            "incident",
            "ack",
            "INC-2026-0073",
            "--at",
            "2026-09-30T10:00:00",
        ],
        &[
            NOW,
            "incident",
            "close",
            "INC-2026-0042",
            "--satisfaction",
            "6",
        ],
        &[NOW, "incident", "pause", "INC-2026-0073", "--reason", " "],
        &[
            NOW,
            "incident",
            "open",
            "--service",
            "search",
            "--title",
            "T",
            "--priority",
            "P1",
            "--impact",
            "1",
            "--urgency",
            "1",
        ],
        &[
            NOW,
            "incident",
            "open",
            "--service",
            "search",
            "--title",
            "T",
            "--impact",
            "1",
        ],
    ] {
        let run = svc(repo.path(), args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    }
    assert_eq!(snapshot(repo.path()), before);
}

/// Runs `svc incident open` in `processes` processes at once, `rounds` times,
/// and returns the ids they printed.
fn open_concurrently(repo: &Path, processes: usize, rounds: usize, extra: &[&str]) -> Vec<String> {
    let mut ids = Vec::new();
    for round in 0..rounds {
        let children: Vec<_> = (0..processes)
            .map(|p| {
                command()
                    .arg("--repo")
                    .arg(repo)
                    .args([NOW, "-q", "incident", "open", "--service", "auth"])
                    .args(["--priority", "P1", "--title"])
                    .arg(format!("round {round} process {p}"))
                    .args(extra)
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let run = Run::from(child.wait_with_output().unwrap());
            assert_eq!(run.code, 0, "round {round}: {}", run.stderr);
            ids.push(run.stdout.trim().to_string());
        }
    }
    ids
}

#[test]
fn concurrent_opens_never_share_an_id_or_lose_a_file() {
    const PROCESSES: usize = 3;
    const ROUNDS: usize = 12;
    let repo = base();
    let mut ids = open_concurrently(repo.path(), PROCESSES, ROUNDS, &[]);
    assert_eq!(ids.len(), PROCESSES * ROUNDS);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), PROCESSES * ROUNDS, "two opens got one id");
    // Every id is one file holding its own title, and the numbers run from 1
    // without a gap.
    let expected: Vec<String> = (1..1 + PROCESSES * ROUNDS)
        .map(|n| format!("INC-2026-{n:04}"))
        .collect();
    assert_eq!(ids, expected);
    let listed = svc(
        repo.path(),
        &[
            NOW,
            "list",
            "incidents",
            "--service",
            "auth",
            "--format",
            "json",
        ],
    )
    .json();
    let titles: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["title"].as_str())
        .filter(|t| t.starts_with("round "))
        .collect();
    assert_eq!(titles.len(), PROCESSES * ROUNDS, "a file was lost");
    let check = svc(repo.path(), &[NOW, "check"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
}

#[test]
fn concurrent_opens_with_commit_each_make_one_commit() {
    let repo = base();
    git_init(repo.path());
    let ids = open_concurrently(repo.path(), 2, 4, &["--commit"]);
    let log = git(repo.path(), &["log", "--format=%s"]);
    for id in &ids {
        assert!(
            log.lines().any(|l| l == format!("svc: incident open {id}")),
            "{id}: {log}"
        );
    }
    assert_eq!(log.lines().count(), 1 + ids.len(), "{log}");
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), "");
}

/// Holds the repo's edit lock, as another svc process would.
fn hold_lock(repo: &Path) -> std::fs::File {
    let held = std::fs::File::open(repo.join("svc.toml")).unwrap();
    held.lock().unwrap();
    held
}

#[test]
fn a_busy_lock_gives_up_after_the_wait_and_names_the_holder() {
    let repo = copy_repo(&example());
    let _held = hold_lock(repo.path());
    let before = snapshot(repo.path());
    for args in [
        &[NOW, "incident", "ack", "INC-2026-0073"][..],
        &[
            NOW,
            "incident",
            "open",
            "--service",
            "search",
            "--title",
            "T",
            "--priority",
            "P3",
        ],
    ] {
        let started = Instant::now();
        let run: Run = command()
            .arg("--repo")
            .arg(repo.path())
            .args(args)
            .env("SVC_LOCK_TIMEOUT_MS", "300")
            .output()
            .unwrap()
            .into();
        let took = started.elapsed();
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(took >= Duration::from_millis(300), "{took:?}");
        assert!(took < Duration::from_secs(8), "{took:?}");
        assert!(
            run.stderr
                .starts_with("waiting for another svc process to finish editing…\n"),
            "{}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("error: the repo is busy: svc.toml is locked")
                && run.stderr.contains("; gave up after 300 ms"),
            "{}",
            run.stderr
        );
        #[cfg(target_os = "linux")]
        assert!(
            run.stderr
                .contains(&format!("locked by process {} (", std::process::id())),
            "{}",
            run.stderr
        );
    }
    assert_eq!(snapshot(repo.path()), before);
    let bad = command()
        .arg("--repo")
        .arg(repo.path())
        .args([NOW, "incident", "ack", "INC-2026-0073"])
        .env("SVC_LOCK_TIMEOUT_MS", "soon")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("invalid SVC_LOCK_TIMEOUT_MS `soon`"));
}

#[test]
fn the_lock_wait_is_ten_seconds_by_default() {
    let repo = copy_repo(&example());
    let _held = hold_lock(repo.path());
    let started = Instant::now();
    let run = svc(
        repo.path(),
        &[NOW, "-q", "incident", "ack", "INC-2026-0073"],
    );
    let took = started.elapsed();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("; gave up after 10 s"),
        "{}",
        run.stderr
    );
    assert!(took >= Duration::from_secs(10), "{took:?}");
    assert!(took < Duration::from_secs(30), "{took:?}");
}

/// Starts `args` with the debug build's pause before the write, waits until
/// svc says it is there, runs `meanwhile`, and returns the finished run.
fn run_with_change_before_write(repo: &Path, args: &[&str], meanwhile: impl FnOnce()) -> Run {
    use std::io::BufRead as _;
    let mut child = command()
        .arg("--repo")
        .arg(repo)
        .args(args)
        .env("SVC_TEST_PAUSE_BEFORE_WRITE_MS", "1500")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    while !said.contains("svc-test: paused before writing") {
        let mut line = String::new();
        assert!(
            stderr.read_line(&mut line).unwrap() > 0,
            "svc ended: {said}"
        );
        said += &line;
    }
    meanwhile();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: said + &rest,
    }
}

#[test]
fn a_file_changed_while_svc_works_on_it_is_not_overwritten() {
    let repo = copy_repo(&example());
    let file = repo.path().join("incidents/2026/INC-2026-0073.yaml");
    let theirs = format!(
        "{}# a note someone saved meanwhile\n",
        std::fs::read_to_string(&file).unwrap()
    );
    let run = run_with_change_before_write(
        repo.path(),
        &[NOW, "incident", "ack", "INC-2026-0073"],
        || std::fs::write(&file, &theirs).unwrap(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "incidents/2026/INC-2026-0073.yaml changed while svc was working on it; nothing was written"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), theirs);
    // A new incident's file that appeared meanwhile is not replaced either.
    let new = repo.path().join("incidents/2026/INC-2026-0074.yaml");
    let run = run_with_change_before_write(
        repo.path(),
        &[
            NOW,
            "incident",
            "open",
            "--service",
            "search",
            "--title",
            "T",
            "--priority",
            "P3",
        ],
        || std::fs::write(&new, "written by hand\n").unwrap(),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(std::fs::read_to_string(&new).unwrap(), "written by hand\n");
}

#[cfg(unix)]
#[test]
fn an_incident_file_that_is_a_link_is_not_edited() {
    let repo = copy_repo(&example());
    let archive = repo.path().join("archive");
    std::fs::create_dir(&archive).unwrap();
    let file = repo.path().join("incidents/2026/INC-2026-0073.yaml");
    std::fs::rename(&file, archive.join("INC-2026-0073.yaml")).unwrap();
    std::os::unix::fs::symlink("../../archive/INC-2026-0073.yaml", &file).unwrap();
    let before = snapshot(repo.path());
    for args in [
        &[NOW, "incident", "ack", "INC-2026-0073"][..],
        &[
            NOW,
            "incident",
            "pause",
            "INC-2026-0073",
            "--reason",
            "r",
            "--dry-run",
        ],
        &[
            NOW,
            "incident",
            "outage",
            "INC-2026-0073",
            "--from",
            "2026-09-28T09:00:00-04:00",
            "--to",
            "2026-09-28T10:00:00-04:00",
        ],
    ] {
        let run = svc(repo.path(), args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("is a symbolic link"),
            "{args:?}: {}",
            run.stderr
        );
    }
    assert!(file.symlink_metadata().unwrap().file_type().is_symlink());
    assert_eq!(snapshot(repo.path()), before);
}

#[cfg(unix)]
#[test]
fn a_new_incident_is_not_written_through_a_linked_year_folder() {
    let repo = copy_repo(&example());
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("incidents/2027")).unwrap();
    let run = open(repo.path(), &["--at", "2027-03-01"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("a symbolic link"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
}

#[test]
fn an_incident_with_errors_is_refused_until_svc_check_passes() {
    let repo = copy_repo(&example());
    let incidents = repo.path().join("incidents/2026");
    std::fs::write(
        incidents.join("INC-2026-0950.yaml"),
        incident_file("INC-2026-0950", "").replace("+02:00", ""),
    )
    .unwrap();
    std::fs::write(
        incidents.join("INC-2026-0951.yaml"),
        "kind: Incident\nid: [\n",
    )
    .unwrap();
    let before = snapshot(repo.path());
    // A record that loaded with errors of its own is refused (exit 1); a file
    // that did not load at all cannot be read (exit 2), as for every kind.
    for (id, code, says) in [
        (
            "INC-2026-0950",
            1,
            "incident `INC-2026-0950` has errors in incidents/2026/INC-2026-0950.yaml",
        ),
        (
            "INC-2026-0951",
            2,
            "incident `INC-2026-0951` could not be loaded: incidents/2026/INC-2026-0951.yaml has errors",
        ),
    ] {
        let run = svc(repo.path(), &[NOW, "incident", "ack", id]);
        assert_eq!(run.code, code, "{id}: {}", run.stderr);
        assert!(
            run.stderr.contains(says)
                && run
                    .stderr
                    .contains("help: run `svc check` and fix the file first"),
            "{id}: {}",
            run.stderr
        );
    }
    let unknown = svc(repo.path(), &[NOW, "incident", "resolve", "INC-2026-0O73"]);
    assert_eq!(unknown.code, 2);
    assert!(
        unknown.stderr.contains("no incident `INC-2026-0O73`")
            && unknown.stderr.contains("did you mean `INC-2026-0073`?"),
        "{}",
        unknown.stderr
    );
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn an_error_the_file_had_before_does_not_block_the_next_step() {
    // Acknowledged before it was opened: `svc check` reports it, but recording
    // the resolution adds no new error, so it goes ahead; the old one stays.
    let repo = copy_repo(&example());
    std::fs::write(
        repo.path().join(FILE),
        incident_file(
            "INC-2026-0900",
            "acknowledged_at: 2026-09-30T07:00:00+02:00\n",
        ),
    )
    .unwrap();
    let run = svc(
        repo.path(),
        &[
            NOW,
            "incident",
            "resolve",
            "INC-2026-0900",
            "--at",
            "2026-09-30T09:00:00+02:00",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let said = diagnostics_of(repo.path(), FILE);
    assert_eq!(said.len(), 1, "{said:?}");
    assert_eq!(said[0]["rule"], "timestamp");
}

#[test]
fn dry_run_prints_the_diff_and_commit_records_one_commit() {
    let repo = copy_repo(&example());
    git_init(repo.path());
    let before = snapshot(repo.path());
    let dry = svc(
        repo.path(),
        &[
            NOW,
            "incident",
            "ack",
            "INC-2026-0073",
            "--dry-run",
            "--at",
            "2026-09-28T09:30:00-04:00",
        ],
    );
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    assert!(
        dry.stdout
            .contains("+acknowledged_at: 2026-09-28T09:30:00-04:00\n"),
        "{}",
        dry.stdout
    );
    let dry_open = open(repo.path(), &["--dry-run", "--at", "2028-02-01"]);
    assert_eq!(dry_open.code, 0, "{}", dry_open.stderr);
    assert!(
        dry_open
            .stdout
            .contains("incidents/2028/INC-2028-0001.yaml"),
        "{}",
        dry_open.stdout
    );
    assert!(
        dry_open.stdout.contains("+kind: Incident\n"),
        "{}",
        dry_open.stdout
    );
    assert_eq!(snapshot(repo.path()), before);
    assert!(!repo.path().join("incidents/2028").exists());
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), "");

    let steps: [&[&str]; 6] = [
        &["ack", "INC-2026-0073", "--at", "2026-09-28T09:30:00-04:00"],
        &[
            "pause",
            "INC-2026-0073",
            "--reason",
            "awaiting-customer",
            "--at",
            "2026-09-28T10:00:00-04:00",
        ],
        &[
            "resume",
            "INC-2026-0073",
            "--at",
            "2026-09-28T11:00:00-04:00",
        ],
        &[
            "outage",
            "INC-2026-0073",
            "--from",
            "2026-09-28T09:00:00-04:00",
            "--to",
            "2026-09-28T09:45:00-04:00",
        ],
        &[
            "resolve",
            "INC-2026-0073",
            "--at",
            "2026-09-28T12:00:00-04:00",
            "--root-cause",
            "FCM key rotated",
        ],
        &[
            "close",
            "INC-2026-0073",
            "--at",
            "2026-09-29T12:00:00-04:00",
            "--satisfaction",
            "5",
        ],
    ];
    for step in steps {
        let mut args = vec![NOW, "incident"];
        args.extend(step);
        args.push("--commit");
        let run = svc(repo.path(), &args);
        assert_eq!(run.code, 0, "{step:?}: {}", run.stderr);
        assert_eq!(
            git(repo.path(), &["log", "-1", "--format=%s"]).trim(),
            format!("svc: incident {} INC-2026-0073", step[0])
        );
        assert_eq!(
            git(repo.path(), &["show", "--name-only", "--format=", "HEAD"]).trim(),
            "incidents/2026/INC-2026-0073.yaml"
        );
    }
    let opened = open(repo.path(), &["--commit"]);
    assert_eq!(opened.code, 0, "{}", opened.stderr);
    assert_eq!(
        git(repo.path(), &["log", "-1", "--format=%s"]).trim(),
        "svc: incident open INC-2026-0074"
    );
    assert_eq!(git(repo.path(), &["status", "--porcelain"]), "");
    let shown = svc(
        repo.path(),
        &[NOW, "show", "INC-2026-0073", "--format", "json"],
    )
    .json();
    assert_eq!(shown["status"], "closed");
    assert_eq!(shown["paused"][0]["to"], "2026-09-28T11:00:00-04:00");
    assert_eq!(shown["outage"][0]["to"], "2026-09-28T09:45:00-04:00");
    assert_eq!(shown["root_cause"], "FCM key rotated");
    assert_eq!(shown["satisfaction"], 5);
    assert_eq!(svc(repo.path(), &[NOW, "check"]).code, 0);
}

/// Text that YAML 1.1 or 1.2 readers would take for something else, that
/// breaks lines in some readers, or that drives a terminal.
const HOSTILE: [&str; 24] = [
    "yes",
    "Off",
    "~",
    "null",
    "12:30",
    "0x1F",
    "1_000",
    "2026-01-01",
    "- item",
    "# not a comment",
    "key: value #x",
    "'single' and \"double\"",
    " leading and trailing ",
    "two\nlines\r\n",
    "tab\there",
    "esc\u{1b}[31mred\u{1b}[0m",
    "osc\u{1b}]0;owned\u{7}",
    "c1\u{9b}2J and del\u{7f}",
    "bidi\u{202e}evil\u{2066}",
    "line\u{2028}para\u{2029}nel\u{85}",
    "\u{feff}bom and back\\slash",
    "[flow], {map}",
    "*alias &anchor !tag %directive @at `tick",
    "ünïcödé ✓",
];

#[test]
fn hostile_text_is_written_quoted_reads_back_exactly_and_is_never_shown_raw() {
    let repo = base();
    for (n, text) in HOSTILE.iter().enumerate() {
        // `--flag=value`, so a text starting with `-` is a value, not a flag.
        let flag = |name: &str| format!("--{name}={text}");
        let (title, category) = (flag("title"), flag("category"));
        let opened = svc(
            repo.path(),
            &[
                NOW,
                "incident",
                "open",
                "--service",
                "auth",
                "--priority",
                "P1",
                &title,
                &category,
                "--at",
                "2026-09-30T08:00:00+02:00",
            ],
        );
        crate::output_safety::assert_run_clean(&["open"], &opened);
        assert_eq!(opened.code, 0, "{text:?}: {}", opened.stderr);
        let id = opened.stdout.trim().to_string();
        assert_eq!(id, format!("INC-2026-{:04}", 1 + n));
        let (reason, root_cause, postmortem, feedback) = (
            flag("reason"),
            flag("root-cause"),
            flag("postmortem"),
            flag("feedback"),
        );
        let at = |time: &str| format!("--at=2026-09-30T{time}:00+02:00");
        let (at9, at10, at11) = (at("09:00"), at("10:00"), at("11:00"));
        for step in [
            &["pause", id.as_str(), &reason, &at9][..],
            &["resolve", &id, &at10, &root_cause, &postmortem],
            &["close", &id, &at11, &feedback, "--dry-run"],
            &["close", &id, &at11, &feedback],
        ] {
            let mut args = vec![NOW, "incident"];
            args.extend(step);
            let run = svc(repo.path(), &args);
            crate::output_safety::assert_run_clean(&args, &run);
            assert_eq!(run.code, 0, "{text:?} {step:?}: {}", run.stderr);
        }
        let file = repo.path().join(format!("incidents/2026/{id}.yaml"));
        let written = std::fs::read_to_string(&file).unwrap();
        // Every value svc wrote is quoted, unless it is plain-safe text, and a
        // character a YAML 1.1 reader takes for a line break or that no reader
        // may see raw is an escape.
        for key in [
            "title: ",
            "category: ",
            "reason: ",
            "root_cause: ",
            "postmortem: ",
            "feedback: ",
        ] {
            let value = written
                .lines()
                .find_map(|line| line.split_once(key).map(|(_, v)| v))
                .unwrap_or_else(|| panic!("{text:?}: no {key}in\n{written}"));
            // The corpus's one text that every reader takes as it is.
            let plain_safe = *text == "ünïcödé ✓";
            assert!(
                value.starts_with('"') || (plain_safe && value.starts_with(text)),
                "{text:?}: {key}{value}"
            );
        }
        for c in written.chars() {
            let raw_break_or_control = (c.is_control() && c != '\n')
                || matches!(
                    c,
                    '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{feff}' | '\u{202e}' | '\u{2066}'
                );
            assert!(!raw_break_or_control, "{text:?}: raw {c:?} in\n{written}");
        }
        let shown = svc(repo.path(), &[NOW, "show", &id, "--format", "json"]);
        crate::output_safety::assert_run_clean(&["show"], &shown);
        let card = shown.json();
        for key in ["title", "category", "root_cause", "postmortem", "feedback"] {
            assert_eq!(card[key], *text, "{key}");
        }
        assert_eq!(card["paused"][0]["reason"], *text);
        let human = svc(repo.path(), &[NOW, "show", &id]);
        crate::output_safety::assert_run_clean(&["show"], &human);
        let listed = svc(
            repo.path(),
            &[NOW, "list", "incidents", "--service", "auth"],
        );
        crate::output_safety::assert_run_clean(&["list"], &listed);
    }
    let check = svc(repo.path(), &[NOW, "check"]);
    assert_eq!(check.code, 0, "{}", check.stdout);
}

/// The ids `svc list incidents` gives with `filters`, as JSON.
fn listed(repo: &Path, filters: &[&str]) -> Vec<String> {
    let mut args = vec![NOW, "list", "incidents", "--format", "json"];
    args.extend(filters);
    let run = svc(repo, &args);
    assert_eq!(run.code, 0, "{filters:?}: {}", run.stderr);
    run.json()
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn list_incidents_filters_by_status_priority_and_period_and_shows_titles() {
    let repo = copy_repo(&example());
    let id = open(repo.path(), &["--at", "2026-09-30T23:30:00+02:00"]).stdout;
    let id = id.trim();
    assert_eq!(
        listed(
            repo.path(),
            &["--status", "open", "--service", "payments-api"]
        ),
        ["INC-2026-0071", id]
    );
    svc(
        repo.path(),
        &[
            NOW,
            "-q",
            "incident",
            "ack",
            id,
            "--at",
            "2026-10-01T08:00:00+02:00",
        ],
    );
    assert_eq!(
        listed(
            repo.path(),
            &["--status", "open", "--service", "payments-api"]
        ),
        ["INC-2026-0071"]
    );
    assert!(listed(repo.path(), &["--status", "acknowledged"]).contains(&id.to_string()));
    let p2_in_q3 = listed(repo.path(), &["--priority", "P2", "--period", "2026-Q3"]);
    assert!(p2_in_q3.contains(&id.to_string()), "{p2_in_q3:?}");
    assert!(
        !listed(repo.path(), &["--priority", "P1", "--period", "2026-Q3"])
            .contains(&id.to_string())
    );
    // Periods are in the repo time zone: 23:30 in Berlin on 30 September is
    // September there (and 21:30 UTC).
    assert!(listed(repo.path(), &["--period", "2026-09"]).contains(&id.to_string()));
    assert!(!listed(repo.path(), &["--period", "2026-10"]).contains(&id.to_string()));
    assert_eq!(
        listed(
            repo.path(),
            &["--since", "2026-09-28", "--until", "2026-09-29"]
        ),
        ["INC-2026-0071", "INC-2026-0072", "INC-2026-0073"]
    );
    let october = open(repo.path(), &["--at", "2026-10-01T09:00:00+02:00"]).stdout;
    assert_eq!(
        listed(repo.path(), &["--period", "this-month"]),
        [october.trim()]
    );
    let table = svc(repo.path(), &[NOW, "list", "incidents", "--status", "open"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let header = table.stdout.lines().nth(1).unwrap();
    for column in ["id", "service", "priority", "status", "opened_at", "title"] {
        assert!(header.contains(column), "{header}");
    }
    assert!(
        table
            .stdout
            .contains("Push notifications not delivered on Android"),
        "{}",
        table.stdout
    );
    let json = svc(
        repo.path(),
        &[
            NOW,
            "list",
            "incidents",
            "--format",
            "json",
            "--status",
            "acknowledged",
        ],
    )
    .json();
    let mine = json
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap();
    assert_eq!(mine["title"], "Card payments failing");
    assert_eq!(mine["opened_at"], "2026-09-30T23:30:00+02:00");
    for (flag, value, help) in [
        ("--status", "acknowleged", "did you mean `acknowledged`?"),
        ("--priority", "P9", "the priorities are: P1, P2, P3, P4"),
        ("--period", "2026-13", "period"),
    ] {
        let run = svc(repo.path(), &[NOW, "list", "incidents", flag, value]);
        assert_eq!(run.code, 2, "{flag} {value}: {}", run.stderr);
        assert!(run.stderr.contains(help), "{flag} {value}: {}", run.stderr);
    }
}
