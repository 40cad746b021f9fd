//! Hostile and broken input never crashes or hangs svc, and no edit loses data:
//! the corpus in tests/fixtures/hostile, generated extremes, Git edge cases for
//! `--commit`, and writes that fail half-way.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::common::{copy_repo, git, git_init, snapshot, svc};

const NOW: &str = "--now=2026-10-01T00:00:00Z";

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn copy_into(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if rel != Path::new("expected.txt") {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Runs svc and asserts it neither panicked (101) nor took long. The bound is
/// generous (a debug build on a loaded 2-core machine takes a few seconds for
/// the biggest inputs here): it catches a hang or a quadratic blow-up, which
/// take minutes, not a slow second. Speed is measured by scripts/bench*.sh.
fn run_bounded(repo: &Path, args: &[&str]) -> crate::common::Run {
    let started = Instant::now();
    let run = svc(repo, args);
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{args:?} took {:?}",
        started.elapsed()
    );
    assert!(
        matches!(run.code, 0..=2),
        "{args:?} exited {}: {}",
        run.code,
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

#[test]
fn hostile_corpus_gets_located_diagnostics_and_no_crash() {
    let repo = copy_repo(&fixtures().join("base"));
    copy_into(&fixtures().join("hostile"), repo.path());
    let expected = std::fs::read_to_string(fixtures().join("hostile/expected.txt")).unwrap();
    let run = run_bounded(repo.path(), &[NOW, "check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let diagnostics = run.json();
    let diagnostics = diagnostics.as_array().unwrap();
    let mut cases = 0;
    for line in expected
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let (file, rule) = line.split_once(' ').unwrap();
        let found: Vec<&serde_json::Value> =
            diagnostics.iter().filter(|d| d["file"] == file).collect();
        if rule == "clean" {
            assert!(found.is_empty(), "{file} should be clean: {found:#?}");
        } else {
            assert!(
                found.iter().any(|d| d["rule"] == rule),
                "{file}: no `{rule}` in {found:#?}"
            );
            assert!(found.iter().all(|d| d["line"].as_u64().unwrap() >= 1 && d["column"].as_u64().unwrap() >= 1));
        }
        cases += 1;
    }
    assert!(cases >= 65, "the corpus holds {cases} cases");
    // The base records are still checked and still clean.
    assert!(
        diagnostics
            .iter()
            .all(|d| d["file"] != "services/auth.yaml"
                && d["file"] != "incidents/2026/INC-0001.yaml")
    );
    for args in [
        vec![NOW, "sla", "--format", "json"],
        vec![NOW, "sla", "--open"],
        vec![NOW, "report", "lifecycle"],
        vec![NOW, "list", "incidents"],
        vec![NOW, "show", "payments-api"],
        vec![NOW, "check", "--format", "github"],
    ] {
        run_bounded(repo.path(), &args);
    }
}

#[test]
fn ten_megabyte_single_line_value_is_refused() {
    let repo = copy_repo(&fixtures().join("base"));
    let text = format!(
        "kind: Service\nid: huge\nowner: t\ndescription: {}\n",
        "x".repeat(10_000_000)
    );
    std::fs::write(repo.path().join("services/huge.yaml"), text).unwrap();
    let run = run_bounded(repo.path(), &[NOW, "check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let diagnostic = run.json()[0].clone();
    assert_eq!(
        (diagnostic["rule"].as_str(), diagnostic["line"].as_u64()),
        (Some("yaml-syntax"), Some(4))
    );
}

fn chain(repo: &Path, length: usize, close_the_loop: bool) {
    for i in 0..length {
        let dependency = if i > 0 {
            format!("[link-{:05}]", i - 1)
        } else if close_the_loop {
            format!("[link-{:05}]", length - 1)
        } else {
            "[]".to_string()
        };
        let text = format!(
            "kind: Service\nid: link-{i:05}\nowner: t\ndepends_on: {dependency}\nlifecycle:\n  stage: proposed\n  history: [{{ stage: proposed, at: 2026-01-05T09:00:00Z, by: a }}]\n"
        );
        std::fs::write(repo.join(format!("services/link-{i:05}.yaml")), text).unwrap();
    }
}

#[test]
fn ten_thousand_service_dependency_chain() {
    let repo = copy_repo(&fixtures().join("base"));
    chain(repo.path(), 10_000, false);
    let run = run_bounded(repo.path(), &[NOW, "check", "--format", "json"]);
    assert_eq!((run.code, run.stdout.trim()), (0, "[]"));
    chain(repo.path(), 10_000, true);
    let run = run_bounded(repo.path(), &[NOW, "check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let cycles = run.json();
    // One diagnostic per service in the cycle, each bounded: the cycle is shown
    // from that service, shortened in the middle (issue 11, finding 11).
    assert_eq!(cycles.as_array().unwrap().len(), 10_000);
    assert_eq!(
        cycles[0]["message"],
        "`depends_on` forms a cycle of 10000 services: link-00000 -> link-09999 -> link-09998 -> link-09997 -> link-09996 -> link-09995 -> link-09994 -> link-09993 -> … -> link-00002 -> link-00001 -> link-00000"
    );
    assert_eq!(
        cycles[1]["message"],
        "`depends_on` forms a cycle of 10000 services: link-00001 -> link-00000 -> link-09999 -> link-09998 -> link-09997 -> link-09996 -> link-09995 -> link-09994 -> … -> link-00003 -> link-00002 -> link-00001"
    );
    assert!(
        cycles
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["message"].as_str().unwrap().len() < 400)
    );
    assert!(run.stdout.len() < 6_000_000, "{} bytes", run.stdout.len());
}

#[test]
fn repo_on_a_path_with_spaces_and_non_ascii() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("Dienste répo mit Leerzeichen");
    std::fs::create_dir_all(&root).unwrap();
    copy_into(&fixtures().join("base"), &root);
    assert_eq!(run_bounded(&root, &[NOW, "check"]).code, 0);
    let run = run_bounded(&root, &[NOW, "advance", "idea"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    git_init(&root);
    let run = run_bounded(&root, &[NOW, "advance", "idea", "--commit"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        git(&root, &["show", "--name-only", "--format=%s", "HEAD"]),
        "svc: advance idea to design\n\nservices/idea.yaml\n"
    );
}

// --- `--commit` edge cases: a clear error and nothing half-done.

#[test]
fn commit_refuses_a_locked_index_and_a_detached_head() {
    let repo = copy_repo(&fixtures().join("base"));
    git_init(repo.path());
    std::fs::write(repo.path().join(".git/index.lock"), "").unwrap();
    let before = snapshot(repo.path());
    let run = svc(repo.path(), &[NOW, "advance", "idea", "--commit"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("index is locked"), "{}", run.stderr);
    assert_eq!(snapshot(repo.path()), before);
    std::fs::remove_file(repo.path().join(".git/index.lock")).unwrap();

    git(repo.path(), &["checkout", "-q", "--detach"]);
    let run = svc(repo.path(), &[NOW, "advance", "idea", "--commit"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("HEAD is detached"), "{}", run.stderr);
    assert_eq!(snapshot(repo.path()), before);
}

#[test]
fn commit_in_a_repo_without_commits() {
    let repo = copy_repo(&fixtures().join("base"));
    git(repo.path(), &["init", "-q", "-b", "main"]);
    git(repo.path(), &["config", "user.name", "Tester"]);
    git(repo.path(), &["config", "user.email", "tester@example.com"]);
    // Nothing is committed yet, so an edit of an existing file is refused...
    let before = snapshot(repo.path());
    let run = svc(repo.path(), &[NOW, "advance", "idea", "--commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("not committed yet"), "{}", run.stderr);
    assert_eq!(snapshot(repo.path()), before);
    // ...while a new service becomes the first commit, holding that file alone.
    let run = svc(
        repo.path(),
        &[
            NOW, "new", "fresh", "--name", "Fresh", "--owner", "t", "--commit",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(git(repo.path(), &["rev-list", "--count", "HEAD"]), "1\n");
    assert_eq!(
        git(repo.path(), &["show", "--name-only", "--format=%s", "HEAD"]),
        "svc: new fresh\n\nservices/fresh.yaml\n"
    );
}

#[test]
fn commit_outside_a_git_repository_is_a_clear_error() {
    let repo = copy_repo(&fixtures().join("base"));
    let before = snapshot(repo.path());
    let run = svc(repo.path(), &[NOW, "advance", "idea", "--commit"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not inside a Git repository"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(repo.path()), before);
}

// --- Writes that fail half-way leave the original intact.

/// Makes `path` immutable with chattr (which stops even root); false where the
/// file system does not support it.
fn immutable(path: &Path, on: bool) -> bool {
    std::process::Command::new("chattr")
        .arg(if on { "+i" } else { "-i" })
        .arg(path)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn failed_rename_or_unwritable_directory_leaves_the_file_intact() {
    let repo = copy_repo(&fixtures().join("base"));
    let file = repo.path().join("services/idea.yaml");
    let services = repo.path().join("services");
    let before = snapshot(repo.path());
    if !immutable(&file, true) {
        eprintln!("chattr is not supported here; fault injection skipped");
        return;
    }
    let run = svc(repo.path(), &[NOW, "advance", "idea"]);
    immutable(&file, false);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot write services/idea.yaml"),
        "{}",
        run.stderr
    );
    assert_eq!(
        snapshot(repo.path()),
        before,
        "no temporary file is left behind either"
    );

    assert!(immutable(&services, true));
    let run = svc(repo.path(), &[NOW, "advance", "idea"]);
    immutable(&services, false);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(snapshot(repo.path()), before);
}

/// Inputs that once crashed a fuzz target (tests/fixtures/fuzz/<target>/) are
/// replayed through exactly the code and property of that target
/// (`fuzz/harness.rs`).
#[test]
fn fuzz_regressions_do_not_crash() {
    type Target = fn(&[u8]);
    let targets: [(&str, Target); 5] = [
        ("record", crate::harness::record),
        ("parsers", crate::harness::parsers),
        ("edit", crate::harness::edit),
        ("record_edit", crate::harness::record_edit),
        ("servicenow", crate::harness::servicenow),
    ];
    let mut replayed = 0;
    for (target, run) in targets {
        let dir = fixtures().join("fuzz").join(target);
        // A target that never crashed has no folder.
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let bytes = std::fs::read(&path).unwrap();
            if let Err(panic) = std::panic::catch_unwind(|| run(&bytes)) {
                std::panic::resume_unwind(Box::new(format!(
                    "{} broke the {target} target again: {panic:?}",
                    path.display()
                )));
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 2, "the regression inputs are missing");
}

/// The `record` target's seeds, the example repo's records and the hostile
/// corpus, pass through its body (every check, report and export in each
/// format), so a fuzz run starts from inputs that are known not to crash.
#[test]
fn record_target_runs_on_example_and_hostile_records() {
    let mut fed = 0;
    for root in [crate::common::example(), fixtures().join("hostile")] {
        for entry in walkdir::WalkDir::new(root) {
            let entry = entry.unwrap();
            if entry.path().extension().is_some_and(|e| e == "yaml") {
                crate::harness::record(&std::fs::read(entry.path()).unwrap());
                fed += 1;
            }
        }
    }
    assert!(fed > 100, "only {fed} records fed");
}

#[test]
fn file_count_and_nesting_limits_come_from_svc_toml() {
    let repo = copy_repo(&fixtures().join("base"));
    let config = repo.path().join("svc.toml");
    std::fs::write(
        &config,
        "[repo]\ntimezone = \"Europe/Berlin\"\n[limits]\nmax_files = 3\n",
    )
    .unwrap();
    let run = svc(repo.path(), &[NOW, "check"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("7 record files, more than the limit of 3"),
        "{}",
        run.stderr
    );
    std::fs::write(
        &config,
        "[repo]\ntimezone = \"Europe/Berlin\"\n[limits]\nmax_depth = 2\n",
    )
    .unwrap();
    let run = svc(repo.path(), &[NOW, "check", "--format", "json"]);
    assert_eq!(run.code, 1);
    let messages: Vec<String> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    // Every file but the flat incident nests deeper than two levels.
    assert_eq!(
        messages
            .iter()
            .filter(|m| *m == "nesting deeper than 2 levels")
            .count(),
        6,
        "{messages:?}"
    );
}

/// `kill -9` in the middle of `svc advance`: the debug build's hook
/// (`SVC_TEST_PAUSE_MID_WRITE_MS`) stops svc with the temporary file half
/// written, the test kills it there, and the service file must be the old one,
/// byte for byte. The next edit clears the half-written file and lands whole.
#[cfg(unix)]
#[test]
fn kill_during_advance_never_leaves_a_truncated_file() {
    let args = [NOW, "advance", "idea"];
    let reference = copy_repo(&fixtures().join("base"));
    assert_eq!(svc(reference.path(), &args).code, 0);
    let advanced = std::fs::read(reference.path().join("services/idea.yaml")).unwrap();

    let repo = copy_repo(&fixtures().join("base"));
    let services = repo.path().join("services");
    let before = std::fs::read(services.join("idea.yaml")).unwrap();
    let temporaries = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(&services)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".svc-tmp-"))
            .collect()
    };
    let mut child = crate::common::command()
        .arg("--repo")
        .arg(repo.path())
        .args(args)
        .env("SVC_TEST_PAUSE_MID_WRITE_MS", "30000")
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !temporaries()
        .iter()
        .any(|t| std::fs::metadata(t).is_ok_and(|m| m.len() > 0))
    {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "svc never started writing"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(
        std::fs::read(services.join("idea.yaml")).unwrap(),
        before,
        "killed mid-write, the file must be the old one"
    );
    let half = temporaries();
    assert_eq!(half.len(), 1, "the killed write left its temporary file");
    assert!(std::fs::read(&half[0]).unwrap().len() < advanced.len());

    let run = svc(repo.path(), &args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read(services.join("idea.yaml")).unwrap(), advanced);
    assert!(temporaries().is_empty(), "{:?}", temporaries());
}

/// A full disk: the repo sits on a small tmpfs that is filled up first. The write
/// of the temporary file fails, and the original stays intact. Needs the right to
/// mount (root); skipped where mounting is not allowed.
#[cfg(target_os = "linux")]
#[test]
fn full_disk_leaves_the_file_intact() {
    let mount_point = tempfile::tempdir().unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"])
        .arg(mount_point.path())
        .output()
        .is_ok_and(|o| o.status.success());
    if !mounted {
        eprintln!("cannot mount a tmpfs here; full-disk test skipped");
        return;
    }
    let root = mount_point.path().join("repo");
    std::fs::create_dir(&root).unwrap();
    copy_into(&fixtures().join("base"), &root);
    // Fill every remaining byte.
    let mut filler = std::fs::File::create(mount_point.path().join("filler")).unwrap();
    let block = vec![0u8; 4096];
    while std::io::Write::write_all(&mut filler, &block).is_ok() {}
    let _ = std::io::Write::write_all(&mut filler, &[0u8]);
    drop(filler);
    let before = snapshot(&root);
    let run = svc(&root, &[NOW, "advance", "idea"]);
    let after = snapshot(&root);
    let _ = std::process::Command::new("umount")
        .arg(mount_point.path())
        .output();
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot write services/idea.yaml"),
        "{}",
        run.stderr
    );
    assert_eq!(
        after, before,
        "the original is intact and no temporary file is left"
    );
}

#[test]
fn commit_in_a_bare_repository_is_a_clear_error() {
    let outer = tempfile::tempdir().unwrap();
    let root = outer.path().join("bare.git");
    std::fs::create_dir(&root).unwrap();
    git(&root, &["init", "-q", "--bare"]);
    copy_into(&fixtures().join("base"), &root);
    let before = snapshot(&root);
    let run = svc(&root, &[NOW, "advance", "idea", "--commit"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("bare"), "{}", run.stderr);
    assert_eq!(snapshot(&root), before);
}

/// A file svc may not read (permissions) is an `unreadable` error at that file,
/// and every other file is still checked. Root reads everything, so svc runs
/// as `nobody` through `setpriv` (util-linux); the test is skipped where that
/// is impossible.
#[test]
fn file_without_read_permission_is_unreadable_and_the_rest_is_checked() {
    use std::os::unix::fs::PermissionsExt;
    let repo = copy_repo(&fixtures().join("base"));
    for entry in walkdir::WalkDir::new(repo.path()).into_iter().flatten() {
        let mode = if entry.file_type().is_dir() {
            0o755
        } else {
            0o644
        };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let secret = repo.path().join("calendars/office.yaml");
    assert!(
        secret.exists(),
        "the base fixture has calendars/office.yaml"
    );
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    let output = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_svc"))
        .arg("--repo")
        .arg(repo.path())
        .args([NOW, "check", "--format", "json"])
        .env_remove("SVC_REPO")
        .output();
    let Ok(output) = output else {
        eprintln!("skipped: setpriv is not available");
        return;
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("setpriv:") {
        eprintln!("skipped: cannot change user here: {stderr}");
        return;
    }
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    let diagnostics: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let diagnostics = diagnostics.as_array().unwrap();
    let unreadable: Vec<&serde_json::Value> = diagnostics
        .iter()
        .filter(|d| d["rule"] == "unreadable")
        .collect();
    assert_eq!(unreadable.len(), 1, "{diagnostics:?}");
    assert_eq!(unreadable[0]["file"], "calendars/office.yaml");
    assert_eq!(unreadable[0]["line"], 1);
    assert!(
        unreadable[0]["message"]
            .as_str()
            .unwrap()
            .contains("Permission denied"),
        "{diagnostics:?}"
    );
}

/// Tens of thousands of diagnostics in one file, on separate lines or all on
/// one long flow line, cost linear time, and every excerpt stays short.
#[test]
fn thousands_of_diagnostics_in_one_file_stay_fast_and_short() {
    let repo = copy_repo(&fixtures().join("base"));
    let block: String = (0..10_000).map(|i| format!("unknown{i}: {i}\n")).collect();
    std::fs::write(
        repo.path().join("services/many.yaml"),
        format!("kind: Service\nid: many\nowner: t\n{block}"),
    )
    .unwrap();
    let flow: Vec<String> = (0..10_000).map(|i| format!("u{i}: {i}")).collect();
    std::fs::write(
        repo.path().join("services/flow.yaml"),
        format!(
            "{{kind: Service, id: flow, owner: t, {}}}\n",
            flow.join(", ")
        ),
    )
    .unwrap();
    let run = run_bounded(repo.path(), &[NOW, "check"]);
    assert_eq!(run.code, 1);
    let unknown = run.stdout.matches("unknown field").count();
    assert_eq!(unknown, 20_000, "{}", &run.stdout[..2_000]);
    // Each diagnostic shows at most a 200-character excerpt of its line.
    assert!(
        run.stdout.lines().all(|line| line.chars().count() < 400),
        "an excerpt was not cut"
    );
}

#[test]
fn the_record_edit_fuzz_property_holds_on_every_acme_incident_and_change() {
    let acme = crate::common::example();
    let mut checked = 0;
    for folder in ["incidents/2026", "changes"] {
        for entry in std::fs::read_dir(acme.join(folder)).unwrap() {
            let bytes = std::fs::read(entry.unwrap().path()).unwrap();
            for choice in 0u8..8 {
                let mut input = vec![choice];
                input.extend_from_slice(&bytes);
                crate::harness::record_edit(&input);
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked}");
}
