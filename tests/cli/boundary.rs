//! Issue 11, the repo boundary: nothing is read or written outside the repo,
//! only regular files are read, every read is bounded, and `--commit` never
//! leaves Git half-done. Each test is named after what broke.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{base, command, copy_repo, example, git, git_init, snapshot, svc};

const NOW: &str = "--now=2026-10-01T12:00:00Z";

/// Runs svc with `args` under a time limit, killing it when it is exceeded;
/// stdin is a pipe that stays open (a record linked to /dev/stdin must not wait for it).
fn run_with_deadline(repo: &Path, args: &[&str], limit: Duration) -> crate::common::Run {
    let mut child = command()
        .arg("--repo")
        .arg(repo)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _stdin = child.stdin.take();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > limit {
            child.kill().unwrap();
            panic!("svc {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap().into()
}

fn json_diagnostics(run: &crate::common::Run) -> Vec<serde_json::Value> {
    run.json().as_array().unwrap().clone()
}

fn find<'a>(d: &'a [serde_json::Value], rule: &str, file: &str) -> &'a serde_json::Value {
    d.iter()
        .find(|d| d["rule"] == rule && d["file"] == file)
        .unwrap_or_else(|| panic!("no {rule} on {file} in {d:#?}"))
}

#[cfg(unix)]
#[test]
fn a_linked_record_folder_is_not_scanned_and_not_written() {
    let outer = tempfile::tempdir().unwrap();
    let repo = outer.path().join("repo");
    let outside = outer.path().join("outside");
    std::fs::create_dir_all(&repo).unwrap();
    let example_copy = copy_repo(&example());
    for entry in std::fs::read_dir(example_copy.path()).unwrap() {
        let entry = entry.unwrap();
        std::fs::rename(entry.path(), repo.join(entry.file_name())).unwrap();
    }
    std::fs::rename(repo.join("services"), &outside).unwrap();
    std::os::unix::fs::symlink("../outside", repo.join("services")).unwrap();
    git_init(&repo);
    let check = svc(&repo, &[NOW, "check", "--format", "json"]);
    let d = json_diagnostics(&check);
    let skipped = find(&d, "schema", "svc.toml");
    assert_eq!(skipped["severity"], "warning");
    assert!(
        skipped["message"]
            .as_str()
            .unwrap()
            .contains("`include` folder `services` is a symbolic link; skipped"),
        "{skipped}"
    );
    assert!(
        d.iter()
            .all(|d| !d["file"].as_str().unwrap().starts_with("services/")),
        "{d:#?}"
    );
    let (repo_before, outside_before) = (snapshot(&repo), snapshot(&outside));
    let head = git(&repo, &["rev-parse", "HEAD"]);
    for extra in [&[][..], &["--commit"][..], &["--dry-run"][..]] {
        let mut args = vec![NOW, "new", "fresh", "--name", "Fresh", "--owner", "t"];
        args.extend(extra);
        let run = svc(&repo, &args);
        assert_eq!(run.code, 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains(
                "services/fresh.yaml lies under `services`, a symbolic link (to ../outside)"
            ),
            "{}",
            run.stderr
        );
    }
    assert!(!outside.join("fresh.yaml").exists());
    // The records behind the link are not loaded, so there is nothing to advance.
    let advance = svc(&repo, &[NOW, "advance", "search"]);
    assert_ne!(advance.code, 0);
    assert_eq!(snapshot(&repo), repo_before);
    assert_eq!(snapshot(&outside), outside_before);
    assert_eq!(git(&repo, &["rev-parse", "HEAD"]), head);
    assert_eq!(git(&repo, &["status", "--porcelain"]), "");
}

#[cfg(unix)]
#[test]
fn an_include_folder_below_a_linked_folder_is_not_scanned() {
    let repo = base();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir(outside.path().join("teams")).unwrap();
    std::fs::copy(
        repo.path().join("services/auth.yaml"),
        outside.path().join("teams/auth.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("data")).unwrap();
    let config = "[repo]\nname = \"base\"\ntimezone = \"Europe/Berlin\"\ninclude = [\"services\", \"policies\", \"calendars\", \"incidents\", \"data/teams\"]\n";
    std::fs::write(repo.path().join("svc.toml"), config).unwrap();
    let run = svc(repo.path(), &[NOW, "check", "--format", "json"]);
    let d = json_diagnostics(&run);
    let skipped = find(&d, "schema", "svc.toml");
    assert!(
        skipped["message"]
            .as_str()
            .unwrap()
            .contains("`include` folder `data/teams` lies under `data`, a symbolic link"),
        "{skipped}"
    );
    // At the `include` entry that names it (1-based line 4).
    assert_eq!(skipped["line"], 4);
    assert!(d.iter().all(|d| d["rule"] != "duplicate-id"), "{d:#?}");
}

#[cfg(unix)]
#[test]
fn a_record_linked_outside_the_repo_shows_none_of_its_content() {
    let repo = base();
    let outside = tempfile::tempdir().unwrap();
    // A credentials file that also reads as a broken record, so a decoder that
    // got hold of it would quote it in yaml-syntax, schema and id-mismatch
    // messages and the human renderer would show its lines.
    let secret = outside.path().join("credentials");
    std::fs::write(
        &secret,
        "[default]\naws_secret_access_key = SECRETVALUE\nkind: Service\nid: SECRETVALUE\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, repo.path().join("services/x.yaml")).unwrap();
    std::fs::write(
        outside.path().join("far.yaml"),
        "kind: Service\nid: SECRETVALUE\nowner: [SECRETVALUE\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("far.yaml"),
        repo.path().join("services/far.yaml"),
    )
    .unwrap();
    for format in ["human", "json", "github"] {
        let run = svc(
            repo.path(),
            &[NOW, "--color", "never", "check", "--format", format],
        );
        assert_eq!(run.code, 1, "{format}: {}", run.stdout);
        assert!(
            !run.stdout.contains("SECRETVALUE") && !run.stderr.contains("SECRETVALUE"),
            "{format} leaked the target:\n{}{}",
            run.stdout,
            run.stderr
        );
        assert!(run.stdout.contains("services/x.yaml"), "{}", run.stdout);
    }
    let d = json_diagnostics(&svc(repo.path(), &[NOW, "check", "--format", "json"]));
    for file in ["services/x.yaml", "services/far.yaml"] {
        let unreadable = find(&d, "unreadable", file);
        assert_eq!(unreadable["severity"], "error");
        assert!(
            unreadable["message"]
                .as_str()
                .unwrap()
                .contains("symbolic link to a file outside the repo"),
            "{unreadable}"
        );
    }
    // Links inside the repo still work (a policy file linked into services/
    // is read as that policy); only the outside one and the far one fail.
    let errors: Vec<&serde_json::Value> = d.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    // The other commands leave the file out, and say nothing of its content either.
    for args in [
        &["list", "services"][..],
        &["sla"][..],
        &["report", "lifecycle"][..],
    ] {
        let mut full = vec![NOW];
        full.extend(args);
        let run = svc(repo.path(), &full);
        assert!(!run.stdout.contains("SECRETVALUE") && !run.stderr.contains("SECRETVALUE"));
    }
}

#[cfg(unix)]
#[test]
fn a_record_linked_into_the_git_folder_is_not_read() {
    let repo = base();
    git_init(repo.path());
    git(
        repo.path(),
        &[
            "config",
            "remote.origin.url",
            "https://user:TOKENVALUE@example.com/r",
        ],
    );
    std::os::unix::fs::symlink("../.git/config", repo.path().join("services/cfg.yaml")).unwrap();
    let run = svc(repo.path(), &[NOW, "--color", "never", "check"]);
    assert_eq!(run.code, 1);
    assert!(!run.stdout.contains("TOKENVALUE"), "{}", run.stdout);
    assert!(run.stdout.contains("error[unreadable]"), "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn fifos_sockets_and_devices_are_unreadable_and_never_hang() {
    let repo = base();
    let services = repo.path().join("services");
    let fifo = services.join("fifo.yaml");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success(),
        "mkfifo"
    );
    let _socket = std::os::unix::net::UnixListener::bind(services.join("socket.yaml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", services.join("zero.yaml")).unwrap();
    std::os::unix::fs::symlink("/dev/stdin", services.join("stdin.yaml")).unwrap();
    std::os::unix::fs::symlink("/dev/urandom", services.join("random.yaml")).unwrap();
    let run = run_with_deadline(
        repo.path(),
        &[NOW, "check", "--format", "json"],
        Duration::from_secs(20),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let d = json_diagnostics(&run);
    for file in ["fifo", "socket", "zero", "stdin", "random"] {
        let unreadable = find(&d, "unreadable", &format!("services/{file}.yaml"));
        assert_eq!(unreadable["severity"], "error", "{unreadable}");
    }
    let fifo_message = find(&d, "unreadable", "services/fifo.yaml")["message"].clone();
    assert!(
        fifo_message.as_str().unwrap().contains("FIFO"),
        "{fifo_message}"
    );
    // The human renderer reads files again for their source lines: no hang there either.
    let human = run_with_deadline(repo.path(), &[NOW, "check"], Duration::from_secs(20));
    assert_eq!(human.code, 1);
}

/// A guard rather than a regression test: the root search already wanted a
/// regular svc.toml; the read through the boundary keeps it so if that changes.
#[cfg(unix)]
#[test]
fn a_svc_toml_that_is_not_a_regular_file_is_refused_without_a_hang() {
    let repo = base();
    std::fs::remove_file(repo.path().join("svc.toml")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", repo.path().join("svc.toml")).unwrap();
    let run = run_with_deadline(repo.path(), &[NOW, "check"], Duration::from_secs(20));
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("svc.toml"), "{}", run.stderr);
    std::fs::remove_file(repo.path().join("svc.toml")).unwrap();
    assert!(
        Command::new("mkfifo")
            .arg(repo.path().join("svc.toml"))
            .status()
            .unwrap()
            .success()
    );
    let run = run_with_deadline(repo.path(), &[NOW, "check"], Duration::from_secs(20));
    assert_eq!(run.code, 2, "{}", run.stderr);
}

/// Runs svc under an address-space limit of `megabytes` (`ulimit -v` in a
/// shell that then execs svc): an unbounded read of a 1 GiB file fails there.
fn run_with_memory_limit(repo: &Path, args: &[&str], megabytes: u64) -> crate::common::Run {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {}; exec \"$0\" \"$@\"",
            megabytes * 1024
        ))
        .arg(env!("CARGO_BIN_EXE_svc"))
        .arg("--repo")
        .arg(repo)
        .args(args)
        .env_remove("SVC_REPO")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap()
        .into()
}

#[cfg(unix)]
#[test]
fn an_oversized_sparse_record_is_never_read_in_full() {
    let repo = base();
    let huge = std::fs::File::create(repo.path().join("services/huge.yaml")).unwrap();
    huge.set_len(1 << 30).unwrap();
    // The human format reads files with diagnostics again for their source
    // lines; that read was unbounded and aborted svc at 3.1 GB. Under a 2 GiB
    // limit the unbounded read itself succeeds (so it is really attempted),
    // and showing its one 1 GiB line then aborts.
    for format in ["human", "json"] {
        let run = run_with_memory_limit(
            repo.path(),
            &[NOW, "--color", "never", "check", "--format", format],
            2048,
        );
        assert_eq!(run.code, 1, "{format}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout
                .contains("1073741824 bytes, over the limit of 10485760 bytes"),
            "{}",
            run.stdout
        );
    }
}

#[cfg(unix)]
#[test]
fn an_oversized_svc_toml_is_a_clear_error() {
    let repo = base();
    let config = std::fs::OpenOptions::new()
        .append(true)
        .open(repo.path().join("svc.toml"))
        .unwrap();
    config.set_len(1 << 30).unwrap();
    let run = run_with_memory_limit(repo.path(), &[NOW, "check"], 400);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("is 1073741824 bytes, over the limit of 1048576 bytes for svc.toml"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("help:"), "{}", run.stderr);
}

#[test]
fn a_foreign_index_lock_is_refused_and_left_in_place() {
    let repo = copy_repo(&example());
    git_init(repo.path());
    let before = snapshot(repo.path());
    let head = git(repo.path(), &["rev-parse", "HEAD"]);
    std::fs::write(repo.path().join(".git/index.lock"), "").unwrap();
    let run = svc(repo.path(), &[NOW, "advance", "search", "--commit"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("index is locked"), "{}", run.stderr);
    assert_eq!(snapshot(repo.path()), before);
    assert_eq!(git(repo.path(), &["rev-parse", "HEAD"]), head);
    // svc never removes a lock it did not take.
    assert!(repo.path().join(".git/index.lock").exists());
}

/// Writes to svc's stdout go to a pipe whose read end is closed before svc
/// writes (as `svc check | head -c1` does once head has its byte).
fn run_into_closed_pipe(repo: &Path, args: &[&str]) -> i32 {
    let mut child = command()
        .arg("--repo")
        .arg(repo)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait().unwrap().code().unwrap_or(-1)
}

#[test]
fn a_closed_stdout_keeps_the_exit_code() {
    let repo = base();
    std::fs::write(
        repo.path().join("services/broken.yaml"),
        "kind: Service\nid: broken\nowner: t\npolicy: nosuch\nlifecycle:\n  stage: proposed\n",
    )
    .unwrap();
    for format in ["human", "json", "github"] {
        assert_eq!(
            run_into_closed_pipe(repo.path(), &[NOW, "check", "--format", format]),
            1,
            "svc check --format {format} into a closed pipe"
        );
    }
    // Success stays success, and a refusal stays a refusal.
    assert_eq!(
        run_into_closed_pipe(repo.path(), &[NOW, "list", "services"]),
        0
    );
    assert_eq!(
        run_into_closed_pipe(repo.path(), &[NOW, "sla", "--format", "json"]),
        0
    );
    assert_eq!(
        run_into_closed_pipe(
            repo.path(),
            &[NOW, "report", "lifecycle", "--format", "csv"]
        ),
        0
    );
    assert_eq!(
        run_into_closed_pipe(repo.path(), &[NOW, "show", "nosuch"]),
        2
    );
    // `head -c1` reads one byte and closes; the shell's pipefail sees svc's code.
    let mut child = command()
        .arg("--repo")
        .arg(repo.path())
        .args([NOW, "check"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 1];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    assert_eq!(child.wait().unwrap().code(), Some(1));
}
