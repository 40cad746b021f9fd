//! Applying an edit to one service file, shared by `new`, `advance` and `retire`:
//! the repo lock, `--dry-run`, the "changed under you" check, the atomic write and
//! `--commit`. A refusal at any step leaves every file byte-identical.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use chrono::{DateTime, SecondsFormat};

use super::Context;
use crate::cli::ChangeArgs;
use crate::edit;
use crate::error::UserError;
use crate::model::Located;
use crate::repo;

/// Holds the repo's advisory lock until dropped, so two svc processes editing the
/// same repo take turns and neither update is lost. The lock is taken on
/// `svc.toml` itself: every repo has one, and no lock file is left behind to
/// show up in `git status` or to break "a refused command changes nothing".
pub struct RepoLock {
    _file: File,
}

/// How long an edit waits for the repo lock before it gives up (SPEC §4).
pub const LOCK_WAIT: Duration = Duration::from_secs(10);

/// The environment variable that replaces [`LOCK_WAIT`], in milliseconds: the
/// tests use it to see a busy lock fail fast; a script may wait longer.
pub const LOCK_WAIT_VARIABLE: &str = "SVC_LOCK_TIMEOUT_MS";

/// How often a busy lock is tried again.
const LOCK_RETRY: Duration = Duration::from_millis(25);

/// The wait for the lock: [`LOCK_WAIT_VARIABLE`] when set, else [`LOCK_WAIT`].
/// A value that is not a whole number of milliseconds is a usage error.
pub fn lock_wait() -> Result<Duration, UserError> {
    match std::env::var(LOCK_WAIT_VARIABLE) {
        Err(std::env::VarError::NotPresent) => Ok(LOCK_WAIT),
        Ok(text) if text.trim().is_empty() => Ok(LOCK_WAIT),
        Ok(text) => text
            .trim()
            .parse::<u64>()
            .map(Duration::from_millis)
            .map_err(|_| {
                UserError::with_help(
                    format!("invalid {LOCK_WAIT_VARIABLE} `{text}`"),
                    "give the lock wait in milliseconds, e.g. `10000`",
                )
            }),
        Err(std::env::VarError::NotUnicode(_)) => Err(UserError::with_help(
            format!("invalid {LOCK_WAIT_VARIABLE}: not UTF-8"),
            "give the lock wait in milliseconds, e.g. `10000`",
        )),
    }
}

/// Takes the repo's edit lock, waiting at most `wait` while another process
/// holds it; unless `quiet`, says so on stderr first, so a wait never looks like
/// a hang (audit #17). A lock still busy after `wait` is exit 2, naming the
/// file and, where the system tells, the process that holds it (SPEC §4): an
/// edit must never wait forever behind a hung editor.
pub fn lock(root: &Path, quiet: bool, wait: Duration) -> Result<RepoLock> {
    let name = crate::model::config::CONFIG_FILE;
    let path = root.join(name);
    // Through the boundary: svc.toml swapped for a FIFO must not block the open.
    let file = repo::Boundary::new(root)
        .open(name)
        .map_err(|e| anyhow::anyhow!("cannot open {} to lock the repo: {e}", path.display()))?;
    let deadline = Instant::now() + wait;
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(RepoLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(
                    anyhow::Error::new(e).context(format!("cannot lock {}", path.display()))
                );
            }
        }
        if !said && !quiet {
            eprintln!("waiting for another svc process to finish editing…");
            said = true;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            let holder = lock_holder(&file)
                .map(|(pid, command)| format!(" by process {pid} ({command})"))
                .unwrap_or_default();
            return Err(UserError::with_help(
                format!(
                    "the repo is busy: {name} is locked{holder}; gave up after {}",
                    waited(wait)
                ),
                format!(
                    "another svc command is editing this repo; run yours again when it is done, \
                     or end that process if it hangs (the lock is released with it; \
                     {LOCK_WAIT_VARIABLE} sets the wait in milliseconds)"
                ),
            )
            .into());
        }
        std::thread::sleep(left.min(LOCK_RETRY));
    }
}

/// `wait` for a message: whole seconds where it is, else milliseconds.
fn waited(wait: Duration) -> String {
    if wait.subsec_millis() == 0 {
        format!("{} s", wait.as_secs())
    } else {
        format!("{} ms", wait.as_millis())
    }
}

/// The process holding the lock on `file`, with its command name, where the
/// system says: Linux lists every `flock` lock in `/proc/locks` by device and
/// inode. Elsewhere, or when the entry cannot be matched, None (the message
/// still names the file).
#[cfg(target_os = "linux")]
fn lock_holder(file: &File) -> Option<(u32, String)> {
    use std::io::Read as _;
    use std::os::unix::fs::MetadataExt as _;
    let meta = file.metadata().ok()?;
    let mut locks = String::new();
    // The kernel's table is small; the bound keeps a strange system from
    // making svc read without end.
    File::open("/proc/locks")
        .ok()?
        .take(1 << 20)
        .read_to_string(&mut locks)
        .ok()?;
    let pid = flock_holder(&locks, meta.dev(), meta.ino())?;
    let mut command = String::new();
    File::open(format!("/proc/{pid}/comm"))
        .ok()?
        .take(256)
        .read_to_string(&mut command)
        .ok()?;
    Some((pid, crate::render::sanitize(command.trim()).into_owned()))
}

#[cfg(not(target_os = "linux"))]
fn lock_holder(_file: &File) -> Option<(u32, String)> {
    None
}

/// The pid that holds a `flock` lock on device `dev`, inode `ino` in the text of
/// `/proc/locks` (`1: FLOCK  ADVISORY  WRITE 8174 fe:00:10010648 0 EOF`, the
/// device as hexadecimal major:minor). Waiting processes (`->` lines) are not holders.
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
fn flock_holder(locks: &str, dev: u64, ino: u64) -> Option<u32> {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    locks.lines().find_map(|line| {
        let fields: Vec<&str> = line.split_whitespace().collect();
        if fields.get(1) != Some(&"FLOCK") {
            return None;
        }
        let (pid, place) = (fields.get(4)?, fields.get(5)?);
        let mut parts = place.split(':');
        let (maj, min, inode) = (parts.next()?, parts.next()?, parts.next()?);
        let same = u64::from_str_radix(maj, 16).ok()? == major
            && u64::from_str_radix(min, 16).ok()? == minor
            && inode.parse::<u64>().ok()? == ino;
        if same { pid.parse().ok() } else { None }
    })
}

/// A repo opened for editing: the working tree's records, loaded after the edit
/// lock was taken, so what svc decides on is what it edits. The lock is held
/// until the session is dropped.
pub struct Session {
    /// The repo root.
    pub root: std::path::PathBuf,
    /// The loaded records.
    pub repo: crate::repo::Repo,
    _lock: RepoLock,
}

/// Takes the edit lock and loads the working tree (edits never use `--rev`).
pub fn begin(context: &Context) -> Result<Session> {
    context.require_work_tree()?;
    let root = context.root()?;
    let lock = lock(&root, context.global.quiet, lock_wait()?)?;
    let repo = context.load_root(&root)?;
    Ok(Session {
        root,
        repo,
        _lock: lock,
    })
}

impl Session {
    /// The bytes of `located`'s file as they are now, refused unless they are
    /// the bytes the record was loaded from: svc decided on the loaded record
    /// (its stage, its gates), so it must not apply that decision to a file an
    /// editor or `git pull` changed in between (audit #17).
    pub fn read<T>(&self, located: &Located<T>) -> Result<Vec<u8>> {
        let file = &located.file;
        let bytes = repo::Boundary::new(&self.root)
            .read(file, self.repo.config.max_file_bytes)
            .map_err(|e| read_failure(file, e))?;
        if repo::digest(&bytes) != located.digest {
            return Err(UserError::refused(
                format!("{file} changed after svc loaded it; nothing was written"),
                "run the command again",
            )
            .into());
        }
        Ok(bytes)
    }
}

/// The error for a file the boundary would not read while editing: it was
/// readable when loaded, so it changed in between.
fn read_failure(file: &str, error: repo::ReadError) -> anyhow::Error {
    match error {
        repo::ReadError::Io(e) => anyhow::Error::new(e).context(format!("cannot read {file}")),
        other => UserError::refused(
            format!("cannot read {file}: {other}; nothing was written"),
            "run `svc check` and fix the file first",
        )
        .into(),
    }
}

/// The refusal for an edit the span-based editor cannot make safely.
pub fn cannot_edit(file: &str, error: edit::EditError) -> UserError {
    UserError::refused(format!("cannot edit {file}: {error}"), error.help())
}

/// One file edit, ready to apply.
pub struct Change<'a> {
    /// File relative to the repo root.
    pub file: String,
    /// The bytes the edit was computed from (None: the file must not exist yet).
    pub original: Option<&'a [u8]>,
    /// The new contents.
    pub text: String,
    /// The commit message for `--commit`.
    pub message: String,
}

/// The `by` of a history entry: Git's `user.email`, else `$USER`.
pub fn author(root: &Path) -> String {
    repo::user_email(root)
        .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| "unknown".to_string())
}

/// The history timestamp: `--at` as given (a date is local midnight in the
/// repo time zone, as `--since` takes it), else the clock (`--now`) in UTC.
pub fn history_time(args: &ChangeArgs, context: &Context) -> Result<String> {
    match &args.at {
        None => Ok(context.now.to_rfc3339_opts(SecondsFormat::Secs, true)),
        Some(text) => Ok(given_time("--at", text, context.zone())?),
    }
}

/// A timestamp flag's value, checked to be RFC 3339 with an offset and then
/// kept exactly as the user wrote it: its offset and fractional seconds are
/// what they meant to record (audit #10), and svc reads it back the same way.
pub fn given_timestamp(flag: &str, text: &str) -> Result<String, UserError> {
    given_time(flag, text, None)
}

/// [`given_timestamp`], and with a `zone` also a date (`2026-11-01`): local
/// midnight there, written with the zone's offset (`2026-11-01T00:00:00+01:00`).
/// Either way the year must lie in svc's range. `svc incident` reads its
/// `--at`, `--from` and `--to` through it.
pub fn given_time(
    flag: &str,
    text: &str,
    zone: Option<chrono_tz::Tz>,
) -> Result<String, UserError> {
    if DateTime::parse_from_rfc3339(text).is_ok() {
        return super::flag_timestamp(flag, text).map(|_| text.to_string());
    }
    let date = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    if let (Some(date), Some(zone)) = (date, zone) {
        let midnight = crate::sla::period::start_of_day(date, zone).with_timezone(&zone);
        let written = midnight.to_rfc3339_opts(SecondsFormat::Secs, true);
        return super::flag_timestamp(flag, &written).map(|_| written);
    }
    let help = if zone.is_some() {
        "give a date like `2026-10-01` (midnight in the repo time zone) or an RFC 3339 timestamp with an offset, e.g. `2026-10-01T09:00:00+02:00`"
    } else {
        "give an RFC 3339 timestamp with an offset, e.g. `2026-10-01T09:00:00+02:00`"
    };
    Err(UserError::with_help(
        format!("invalid {flag} `{text}`"),
        help,
    ))
}

/// Refuses, before anything is written, when `file` is no longer what svc
/// read (`original`; `None`: it did not exist): another writer got there
/// meanwhile. Reads at most the original's length.
pub fn refuse_if_changed(
    root: &Path,
    file: &str,
    original: Option<&[u8]>,
    help: &str,
) -> Result<()> {
    // Read no more than the original's length: a longer file changed anyway.
    let limit = original.map_or(0, |o| o.len() as u64);
    let unchanged = match repo::Boundary::new(root).read(file, limit) {
        Ok(bytes) => original == Some(bytes.as_slice()),
        Err(repo::ReadError::Io(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            original.is_none()
        }
        Err(repo::ReadError::TooLarge(_)) => false,
        Err(e) => return Err(read_failure(file, e)),
    };
    if !unchanged {
        return Err(UserError::refused(
            format!("{file} changed while svc was working on it; nothing was written"),
            help,
        )
        .into());
    }
    Ok(())
}

/// Applies `change` under `args`: prints a diff for `--dry-run`; otherwise checks
/// the file did not change since it was read, writes it atomically and commits it
/// for `--commit`. Returns true when the file was written.
pub fn apply(root: &Path, change: &Change, args: &ChangeArgs) -> Result<bool> {
    // The one write path: no file and no folder on the way to it may be a
    // link, whatever the command (issue 11, findings 1 and 2).
    repo::refuse_links(root, &change.file)?;
    if args.dry_run {
        let old = change
            .original
            .map(String::from_utf8_lossy)
            .unwrap_or_default();
        let diff = edit::unified_diff(&change.file, &old, &change.text);
        // The diff shows the file's own lines: a comment holding an OSC
        // sequence was once sent to the terminal live (issue 11, finding 9).
        let diff = crate::render::sanitize_lines(&diff);
        let mut out = super::output::stdout();
        out.write_all(diff.as_bytes())?;
        out.flush()?;
        return Ok(false);
    }
    // Taken now, before anything is written, and held through the write.
    let index_lock = if args.commit {
        Some(repo::check_can_commit(root, &change.file)?)
    } else {
        None
    };
    let path = root.join(&change.file);
    refuse_if_changed(root, &change.file, change.original, "run the command again")?;
    // A new file's folder (`services/`) is made only now that svc writes for
    // real: a dry run or a refusal must leave no trace (audit #7).
    let new_folder = match path.parent() {
        Some(dir) if change.original.is_none() && !dir.exists() => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            Some(dir)
        }
        _ => None,
    };
    if let Err(e) = edit::write_atomic(&path, change.text.as_bytes()) {
        if let Some(dir) = new_folder {
            let _ = std::fs::remove_dir(dir);
        }
        return Err(anyhow::Error::new(e).context(format!("cannot write {}", change.file)));
    }
    if let Some(lock) = index_lock {
        repo::commit_file(root, &change.file, &change.message, lock)?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> ChangeArgs {
        ChangeArgs {
            dry_run: false,
            commit: false,
            at: None,
            note: None,
        }
    }

    #[test]
    fn a_file_changed_after_loading_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("svc.toml"), "[repo]\nname = \"t\"\n").unwrap();
        std::fs::create_dir(root.join("services")).unwrap();
        let file = root.join("services/a.yaml");
        let text = "kind: Service\nid: a\nowner: t\nlifecycle:\n  stage: design\n";
        std::fs::write(&file, text).unwrap();
        let session = Session {
            root: root.to_path_buf(),
            repo: crate::repo::Repo::load(root, None).unwrap(),
            _lock: lock(root, true, LOCK_WAIT).unwrap(),
        };
        let located = &session.repo.services[0];
        assert_eq!(session.read(located).unwrap(), text.as_bytes());
        // An editor moves the stage on between svc's load and its re-read.
        std::fs::write(&file, text.replace("design", "testing")).unwrap();
        let error = session.read(located).unwrap_err();
        let refusal = error.downcast_ref::<UserError>().unwrap();
        assert_eq!(refusal.code, 1);
        assert_eq!(
            refusal.message,
            "services/a.yaml changed after svc loaded it; nothing was written"
        );
    }

    #[test]
    fn a_busy_lock_gives_up_after_the_wait_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("svc.toml"), "[repo]\n").unwrap();
        let held = File::open(dir.path().join("svc.toml")).unwrap();
        held.lock().unwrap();
        let started = Instant::now();
        let error = lock(dir.path(), true, Duration::from_millis(200))
            .err()
            .unwrap();
        assert!(started.elapsed() >= Duration::from_millis(200));
        let refusal = error.downcast_ref::<UserError>().unwrap();
        assert_eq!(refusal.code, 2);
        assert!(
            refusal
                .message
                .starts_with("the repo is busy: svc.toml is locked")
                && refusal.message.ends_with("; gave up after 200 ms"),
            "{}",
            refusal.message
        );
        // flock locks belong to the open file, so this process holds it.
        #[cfg(target_os = "linux")]
        assert!(
            refusal
                .message
                .contains(&format!("by process {} (", std::process::id())),
            "{}",
            refusal.message
        );
        held.unlock().unwrap();
        assert!(lock(dir.path(), true, Duration::ZERO).is_ok());
    }

    #[test]
    fn the_lock_holder_is_read_from_proc_locks() {
        let locks = "1: FLOCK  ADVISORY  WRITE 8174 fe:00:10010648 0 EOF\n\
                     1: -> FLOCK  ADVISORY  WRITE 9000 fe:00:10010648 0 EOF\n\
                     2: POSIX  ADVISORY  WRITE 77 fe:00:42 0 EOF\n\
                     3: FLOCK  ADVISORY  WRITE 55 08:01:42 0 EOF\n";
        // st_dev 0xfe00 is major 0xfe, minor 0; 0x0801 is 8:1.
        assert_eq!(flock_holder(locks, 0xfe00, 10010648), Some(8174));
        assert_eq!(flock_holder(locks, 0x0801, 42), Some(55));
        assert_eq!(flock_holder(locks, 0xfe00, 42), None);
        assert_eq!(flock_holder("garbage\n1: FLOCK\n", 0xfe00, 42), None);
    }

    #[test]
    fn the_lock_wait_is_ten_seconds_unless_the_variable_says_otherwise() {
        assert_eq!(LOCK_WAIT, Duration::from_secs(10));
        assert_eq!(waited(Duration::from_secs(10)), "10 s");
        assert_eq!(waited(Duration::from_millis(1500)), "1500 ms");
    }

    #[test]
    fn a_file_changed_since_it_was_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "edited by someone else\n").unwrap();
        let change = Change {
            file: "a.yaml".into(),
            original: Some(b"what svc read\n"),
            text: "svc's edit\n".into(),
            message: String::new(),
        };
        let error = apply(dir.path(), &change, &args()).unwrap_err();
        let refusal = error.downcast_ref::<UserError>().unwrap();
        assert_eq!(refusal.code, 1);
        assert!(
            refusal
                .message
                .contains("changed while svc was working on it")
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("a.yaml")).unwrap(),
            "edited by someone else\n"
        );
    }

    #[test]
    fn a_new_file_that_appeared_meanwhile_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.yaml"), "someone was faster\n").unwrap();
        let change = Change {
            file: "b.yaml".into(),
            original: None,
            text: "svc's new file\n".into(),
            message: String::new(),
        };
        assert!(apply(dir.path(), &change, &args()).is_err());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("b.yaml")).unwrap(),
            "someone was faster\n"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_file_under_a_linked_folder_is_not_written_even_with_commit() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("c.yaml"), "what svc read\n").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("services")).unwrap();
        let change = Change {
            file: "services/c.yaml".into(),
            original: Some(b"what svc read\n"),
            text: "svc's edit\n".into(),
            message: String::new(),
        };
        for commit in [false, true] {
            let args = ChangeArgs { commit, ..args() };
            let error = apply(dir.path(), &change, &args).unwrap_err();
            let refusal = error.downcast_ref::<UserError>().unwrap();
            assert_eq!(refusal.code, 1);
            assert!(
                refusal
                    .message
                    .contains("lies under `services`, a symbolic link"),
                "{}",
                refusal.message
            );
        }
        assert_eq!(
            std::fs::read_to_string(outside.path().join("c.yaml")).unwrap(),
            "what svc read\n"
        );
    }

    #[test]
    fn an_unchanged_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("c.yaml"), "what svc read\n").unwrap();
        let change = Change {
            file: "c.yaml".into(),
            original: Some(b"what svc read\n"),
            text: "svc's edit\n".into(),
            message: String::new(),
        };
        assert!(apply(dir.path(), &change, &args()).unwrap());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("c.yaml")).unwrap(),
            "svc's edit\n"
        );
    }
}
