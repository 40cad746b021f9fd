//! Shared helpers: run the svc binary, copy the example repo into a temporary
//! directory, create temporary Git repositories.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The result of one svc run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// A `svc` command with a clean environment: no repo or colour settings and no
/// global Git identity (HOME is an empty folder), so `by` falls back to `$USER`.
pub fn command() -> Command {
    let home = std::env::temp_dir().join("svc-tests-empty-home");
    std::fs::create_dir_all(&home).expect("test home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_svc"));
    command
        .env_remove("SVC_REPO")
        .env_remove("NO_COLOR")
        .env_remove("XDG_CONFIG_HOME")
        .env("HOME", &home)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("USER", "tester");
    command
}

/// Runs svc with `args` against the repo at `repo`.
pub fn svc(repo: &Path, args: &[&str]) -> Run {
    command()
        .arg("--repo")
        .arg(repo)
        .args(args)
        .output()
        .expect("svc runs")
        .into()
}

/// The bundled example repo.
pub fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme")
}

/// A private copy of a repo folder.
pub fn copy_repo(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(from, dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `git` in `dir` with a fixed identity.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=Tester",
            "-c",
            "user.email=tester@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Makes `dir` a Git repository with everything committed and an identity configured.
pub fn git_init(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "user.name", "Tester"]);
    git(dir, &["config", "user.email", "tester@example.com"]);
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "initial"]);
}

/// Every file under `dir` (relative path, bytes), to prove a refused command changed nothing.
#[derive(PartialEq)]
pub struct Snapshot(Vec<(PathBuf, Vec<u8>)>);

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self
            .0
            .iter()
            .map(|(p, b)| format!("{} ({} bytes)", p.display(), b.len()))
            .collect();
        f.debug_list().entries(names).finish()
    }
}

pub fn snapshot(dir: &Path) -> Snapshot {
    let mut files: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| {
            e.file_type().is_file() && !e.path().components().any(|c| c.as_os_str() == ".git")
        })
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    Snapshot(files)
}

/// Writes `text` to `file` under `repo`, creating its folders.
pub fn put(repo: &Path, file: &str, text: impl AsRef<[u8]>) {
    let path = repo.join(file);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A private copy of the `base` fixture repo (tests/fixtures/base).
pub fn base() -> tempfile::TempDir {
    copy_repo(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/base"))
}

/// Replaces the first `from` in `file` of `repo` with `to` (the text must be there).
pub fn replace_in(repo: &Path, file: &str, from: &str, to: &str) {
    let path = repo.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The keys of a JSON object, in document order (the output contract's order).
pub fn keys(value: &serde_json::Value) -> Vec<&str> {
    value
        .as_object()
        .expect("a JSON object")
        .keys()
        .map(String::as_str)
        .collect()
}
