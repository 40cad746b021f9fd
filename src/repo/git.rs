//! Reading a repo as of a Git revision (`--rev`), without a checkout, and finding
//! the files changed since a revision (`--changed-since`).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use git2::{ObjectType, Repository, Tree, TreeWalkMode, TreeWalkResult};

use super::{RawFile, is_record_name, too_large};
use crate::diagnostic::{Diagnostic, Rule};
use crate::error::UserError;
use crate::model::Config;
use crate::model::config::CONFIG_FILE;
use crate::yaml::Pos;

/// The Git repository holding `root`, and `root`'s path inside its work tree.
fn open(root: &Path) -> Result<(Repository, PathBuf), UserError> {
    let repo = Repository::discover(root).map_err(|e| {
        UserError::new(format!(
            "{} is not inside a Git repository: {}",
            root.display(),
            e.message()
        ))
    })?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| UserError::new("the Git repository is bare; svc needs a work tree"))?;
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canonical_workdir = workdir
        .canonicalize()
        .unwrap_or_else(|_| workdir.to_path_buf());
    let prefix = canonical_root
        .strip_prefix(&canonical_workdir)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Ok((repo, prefix))
}

fn tree_of<'r>(repo: &'r Repository, rev: &str) -> Result<Tree<'r>, UserError> {
    repo.revparse_single(rev)
        .and_then(|object| object.peel_to_tree())
        .map_err(|e| {
            UserError::with_help(
                format!("cannot resolve Git revision `{rev}`: {}", e.message()),
                "name a commit, branch or tag, e.g. `HEAD~1` or `main`",
            )
        })
}

fn git_path(prefix: &Path, file: &str) -> String {
    let prefix = prefix.to_string_lossy().replace('\\', "/");
    if prefix.is_empty() {
        file.to_string()
    } else {
        format!("{prefix}/{file}")
    }
}

/// Git's file mode for a symbolic link; the blob holds the link's target path.
const LINK_MODE: i32 = 0o120000;
/// Most links followed for one path, as the kernel's limit for the working tree.
const MAX_LINK_HOPS: usize = 40;

/// What a path in a Git tree names once symbolic links are followed. A commit
/// holds links as text, so svc resolves them itself, within the commit's tree,
/// the way the working tree would (docs/format.md, "Symbolic links").
enum Resolved {
    /// A file's contents.
    Blob(git2::Oid),
    /// A directory (a link to one is not followed when walking).
    Directory(git2::Oid),
    /// Nothing at that path (or a submodule), including a dangling link.
    Missing,
    /// A link whose target lies outside the Git repository (or is absolute): the
    /// commit does not hold it.
    Outside(String),
    /// Links that loop or chain too long.
    TooManyLinks,
}

fn resolve(repo: &Repository, tree: &Tree, path: &str) -> Resolved {
    let mut path = path.to_string();
    for _ in 0..MAX_LINK_HOPS {
        if path.is_empty() {
            return Resolved::Directory(tree.id());
        }
        let Ok(entry) = tree.get_path(Path::new(&path)) else {
            return Resolved::Missing;
        };
        match entry.kind() {
            Some(ObjectType::Tree) => return Resolved::Directory(entry.id()),
            Some(ObjectType::Blob) if entry.filemode() == LINK_MODE => {
                let Ok(blob) = repo.find_blob(entry.id()) else {
                    return Resolved::Missing;
                };
                let target = String::from_utf8_lossy(blob.content()).into_owned();
                match link_target(&path, &target) {
                    Some(next) => path = next,
                    None => return Resolved::Outside(target),
                }
            }
            Some(ObjectType::Blob) => return Resolved::Blob(entry.id()),
            _ => return Resolved::Missing,
        }
    }
    Resolved::TooManyLinks
}

/// The tree path a link at `link` with text `target` points to, or `None` when
/// the target is absolute or climbs out of the tree.
fn link_target(link: &str, target: &str) -> Option<String> {
    if target.starts_with('/') || target.starts_with('\\') {
        return None;
    }
    let mut parts: Vec<&str> = link.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

/// Reads one file (relative to the repo root) from `rev`, following symbolic
/// links, refusing one over `limit` bytes before its content is copied.
pub(super) fn read_blob(
    root: &Path,
    rev: &str,
    file: &str,
    limit: u64,
) -> Result<Vec<u8>, UserError> {
    let (repo, prefix) = open(root)?;
    let tree = tree_of(&repo, rev)?;
    let id = match resolve(&repo, &tree, &git_path(&prefix, file)) {
        Resolved::Blob(id) => id,
        Resolved::Missing => {
            return Err(UserError::new(format!(
                "{file} does not exist at revision `{rev}`"
            )));
        }
        Resolved::Directory(_) => {
            return Err(UserError::new(format!(
                "{file} is a directory at revision `{rev}`"
            )));
        }
        Resolved::Outside(target) => {
            return Err(UserError::new(format!(
                "{file} at `{rev}` is a symbolic link to `{target}`, outside the Git repository"
            )));
        }
        Resolved::TooManyLinks => {
            return Err(UserError::new(format!(
                "{file} at `{rev}`: too many levels of symbolic links"
            )));
        }
    };
    let blob = repo
        .find_blob(id)
        .map_err(|e| UserError::new(format!("cannot read {file} at `{rev}`: {}", e.message())))?;
    if blob.size() as u64 > limit {
        return Err(UserError::with_help(
            format!(
                "{file} at `{rev}` is {} bytes, over the limit of {limit} bytes",
                blob.size()
            ),
            "check that the revision holds the right file",
        ));
    }
    Ok(blob.content().to_vec())
}

/// `svc.toml` as of `rev`.
pub(super) fn read_config(root: &Path, rev: &str) -> Result<String, UserError> {
    let bytes =
        read_blob(root, rev, CONFIG_FILE, super::MAX_CONFIG_BYTES).map_err(|e| UserError {
            help: Some("the revision must hold the repo's svc.toml".into()),
            ..e
        })?;
    String::from_utf8(bytes).map_err(|_| {
        UserError::with_help(
            format!("{CONFIG_FILE} at `{rev}` is not UTF-8"),
            format!("save {CONFIG_FILE} as UTF-8"),
        )
    })
}

/// The record files under the configured folders as of `rev`, sorted by path,
/// and the `include` folders that revision does not have.
pub(super) fn read_files(
    root: &Path,
    rev: &str,
    config: &Config,
) -> Result<(Vec<RawFile>, Vec<String>), UserError> {
    let (repo, prefix) = open(root)?;
    let tree = tree_of(&repo, rev)?;
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for folder in &config.include {
        let subtree = match resolve(&repo, &tree, &git_path(&prefix, folder)) {
            Resolved::Directory(id) => repo.find_tree(id).ok(),
            _ => None,
        };
        let Some(subtree) = subtree else {
            missing.push(folder.clone());
            continue;
        };
        let mut blobs = Vec::new();
        let walked = subtree.walk(TreeWalkMode::PreOrder, |dir, entry| {
            let name = entry.name().unwrap_or("");
            if name.starts_with('.') {
                return TreeWalkResult::Skip;
            }
            if entry.kind() == Some(ObjectType::Blob) && is_record_name(name) {
                let is_link = entry.filemode() == LINK_MODE;
                blobs.push((format!("{folder}/{dir}{name}"), entry.id(), is_link));
            }
            TreeWalkResult::Ok
        });
        walked.map_err(|e| {
            UserError::new(format!(
                "cannot walk `{folder}` at `{rev}`: {}",
                e.message()
            ))
        })?;
        super::check_file_count(files.len() + blobs.len(), config)?;
        for (file, id, is_link) in blobs {
            let id = if is_link {
                match resolve(&repo, &tree, &git_path(&prefix, &file)) {
                    Resolved::Blob(id) => id,
                    // Not followed, as in the working tree.
                    Resolved::Directory(_) => continue,
                    unusable => {
                        files.push(RawFile {
                            contents: Err(unusable_link(&file, rev, unusable)),
                            file,
                        });
                        continue;
                    }
                }
            } else {
                id
            };
            let contents = match repo.find_blob(id) {
                Ok(blob) if blob.size() as u64 > config.max_file_bytes => {
                    Err(too_large(&file, blob.size() as u64, config.max_file_bytes))
                }
                Ok(blob) => Ok(blob.content().to_vec()),
                Err(e) => Err(Diagnostic::error(
                    Rule::Unreadable,
                    &file,
                    Pos::default(),
                    format!("cannot read the blob: {}", e.message()),
                )),
            };
            files.push(RawFile { file, contents });
        }
    }
    files.sort_by(|a, b| a.file.cmp(&b.file));
    Ok((files, missing))
}

/// The diagnostic for a record that is a symbolic link svc cannot follow in a
/// commit. A link out of the repository is a warning: the working tree may well
/// read it, but the commit does not hold its target.
fn unusable_link(file: &str, rev: &str, resolved: Resolved) -> Diagnostic {
    match resolved {
        Resolved::Outside(target) => Diagnostic::warning(
            Rule::Unreadable,
            file,
            Pos::default(),
            format!(
                "skipped: a symbolic link to `{target}`, outside the Git repository, which revision `{rev}` does not hold"
            ),
        )
        .with_help("commit the record itself, or link to a file inside the repository"),
        Resolved::TooManyLinks => Diagnostic::error(
            Rule::Unreadable,
            file,
            Pos::default(),
            "cannot read: too many levels of symbolic links",
        ),
        _ => Diagnostic::error(
            Rule::Unreadable,
            file,
            Pos::default(),
            format!("cannot read: a symbolic link whose target does not exist at revision `{rev}`"),
        ),
    }
}

/// Files (relative to the repo root) that differ between `since` and the state
/// being checked: the working tree (with untracked files), or revision `until`.
pub fn changed_files(
    root: &Path,
    since: &str,
    until: Option<&str>,
) -> Result<BTreeSet<String>, UserError> {
    let (repo, prefix) = open(root)?;
    let old = tree_of(&repo, since)?;
    let diff = match until {
        Some(rev) => {
            let new = tree_of(&repo, rev)?;
            repo.diff_tree_to_tree(Some(&old), Some(&new), None)
        }
        None => {
            let mut options = git2::DiffOptions::new();
            options.include_untracked(true).recurse_untracked_dirs(true);
            repo.diff_tree_to_workdir_with_index(Some(&old), Some(&mut options))
        }
    }
    .map_err(|e| UserError::new(format!("cannot compare with `{since}`: {}", e.message())))?;
    let mut changed = BTreeSet::new();
    for delta in diff.deltas() {
        for file in [delta.old_file().path(), delta.new_file().path()]
            .into_iter()
            .flatten()
        {
            if let Ok(rel) = file.strip_prefix(&prefix) {
                changed.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    Ok(changed)
}

/// Git's `user.email` for the repo at `root` (repo, global or system config).
pub fn user_email(root: &Path) -> Option<String> {
    let config = match Repository::discover(root) {
        Ok(repo) => repo.config().ok()?,
        Err(_) => git2::Config::open_default().ok()?,
    };
    config
        .get_string("user.email")
        .ok()
        .filter(|e| !e.trim().is_empty())
}

/// Git's lock on the index, taken the way Git takes it (creating
/// `index.lock` exclusively) when `--commit` is checked, before svc writes
/// anything, and held while the file is written: a Git process that starts
/// meanwhile waits for svc instead of svc finding the index locked half-way
/// (issue 11, finding 6). Removed when dropped, unless already released; svc
/// never removes a lock it did not take.
#[derive(Debug)]
pub struct IndexLock {
    path: PathBuf,
    held: bool,
}

impl IndexLock {
    /// Takes the lock of `repo`'s index, refusing when another process holds it.
    fn take(repo: &Repository) -> Result<IndexLock, UserError> {
        let path = repo.path().join("index.lock");
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(_) => Ok(IndexLock { path, held: true }),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(UserError::refused(
                "the Git index is locked (.git/index.lock exists): another Git process is running",
                "wait for it to finish, or remove .git/index.lock if no Git process is running",
            )),
            Err(e) => Err(UserError::refused(
                format!("cannot lock the Git index ({}): {e}", path.display()),
                "check the permissions of the .git folder, or leave out --commit",
            )),
        }
    }

    /// Gives the lock up, so that libgit2 can take it to write the index.
    fn release(&mut self) {
        if self.held {
            let _ = std::fs::remove_file(&self.path);
            self.held = false;
        }
    }
}

impl Drop for IndexLock {
    fn drop(&mut self) {
        self.release();
    }
}

/// Checks, before anything is written, that `file` (relative to `root`) can be
/// committed alone: a work tree, HEAD on a branch, an identity, and no
/// uncommitted changes to that file — which must be committed already, unless
/// it does not exist yet (`svc new`). Returns the index lock, to be handed to
/// [`commit_file`].
pub fn check_can_commit(root: &Path, file: &str) -> Result<IndexLock, UserError> {
    let (repo, prefix) = open(root)?;
    if repo.path().join("index.lock").exists() {
        return Err(UserError::refused(
            "the Git index is locked (.git/index.lock exists): another Git process is running",
            "wait for it to finish, or remove .git/index.lock if no Git process is running",
        ));
    }
    if repo.head_detached().unwrap_or(false) {
        return Err(UserError::refused(
            "HEAD is detached, so --commit has no branch to commit to",
            "check out a branch first, or leave out --commit",
        ));
    }
    repo.signature().map_err(|e| {
        UserError::refused(
            format!("Git has no identity to commit with: {}", e.message()),
            "set it with `git config user.name` and `git config user.email`",
        )
    })?;
    let path = git_path(&prefix, file);
    // A file Git does not know yet is uncommitted as a whole: a commit of svc's
    // change would carry everything else in it too (audit #5).
    let never_committed = git2::Status::WT_NEW | git2::Status::INDEX_NEW;
    let committable = match repo.status_file(Path::new(&path)) {
        Ok(status) if status.is_empty() => Ok(()),
        Ok(status) if status.intersects(never_committed) => Err(UserError::refused(
            format!(
                "{file} is not committed yet, so svc's commit would hold the whole file, not just its change"
            ),
            format!(
                "commit the file first (`git add {file}` and `git commit`), or run without --commit"
            ),
        )),
        Ok(_) => Err(UserError::refused(
            format!("{file} has uncommitted changes"),
            "commit or stash them first, so the svc commit holds only svc's change",
        )),
        // A file that does not exist yet (svc new) has no status to conflict with.
        Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(()),
        Err(e) => Err(UserError::refused(
            format!("cannot read the Git status of {file}: {}", e.message()),
            "",
        )),
    };
    committable?;
    IndexLock::take(&repo)
}

/// Commits the current contents of `file` alone on top of HEAD (other staged
/// changes stay staged and out of the commit), and stages the file.
///
/// The blob is made the way `git add` makes it, through Git's filters
/// (`core.autocrlf`, `.gitattributes` `text` and `eol`): a CRLF file in a repo
/// that stores LF must not be committed as raw CRLF bytes, which would rewrite
/// every line and leave the file modified in `git status` (audit #4).
///
/// The index is written *before* HEAD moves: HEAD moved first once, the index
/// write then failed on another process's `index.lock`, and Git showed a staged
/// reversal of svc's own commit (issue 11, finding 6). Each failure says what
/// happened: the file is written in every case; whether it is staged; HEAD moves
/// only in the last step, and only if everything before it succeeded.
pub fn commit_file(
    root: &Path,
    file: &str,
    message: &str,
    mut lock: IndexLock,
) -> Result<git2::Oid, UserError> {
    let not_staged = |what: &str, e: git2::Error| {
        UserError::with_help(
            format!(
                "{file} was written, but not committed: {what}: {}",
                e.message()
            ),
            format!(
                "HEAD and the Git index are unchanged; commit the file with `git add {file}` and `git commit`"
            ),
        )
    };
    let staged_only = |what: &str, e: git2::Error| {
        UserError::with_help(
            format!(
                "{file} was written and staged, but not committed: {what}: {}",
                e.message()
            ),
            "HEAD is unchanged; commit the staged file with `git commit`",
        )
    };
    let (repo, prefix) = open(root)?;
    let path = git_path(&prefix, file);
    let signature = repo
        .signature()
        .map_err(|e| not_staged("no Git identity", e))?;
    let parent = match repo.head() {
        Ok(head) => Some(
            head.peel_to_commit()
                .map_err(|e| not_staged("cannot read HEAD", e))?,
        ),
        Err(e) if e.code() == git2::ErrorCode::UnbornBranch => None,
        Err(e) => return Err(not_staged("cannot read HEAD", e)),
    };
    let mut real_index = repo
        .index()
        .map_err(|e| not_staged("cannot read the index", e))?;
    real_index
        .add_path(Path::new(&path))
        .map_err(|e| not_staged("cannot store the file in Git", e))?;
    let Some(staged) = real_index.get_path(Path::new(&path), 0) else {
        return Err(UserError::with_help(
            format!(
                "{file} was written, but not committed: it is not in the index after staging it"
            ),
            "HEAD and the Git index are unchanged; commit the file by hand",
        ));
    };
    // libgit2 takes the index lock itself to write: svc's own is given up only now.
    lock.release();
    real_index
        .write()
        .map_err(|e| not_staged("cannot update the Git index", e))?;
    // A commit of HEAD's tree plus this one file, so other staged changes stay out.
    let mut index = git2::Index::new().map_err(|e| staged_only("cannot build the commit", e))?;
    if let Some(parent) = &parent {
        let tree = parent
            .tree()
            .map_err(|e| staged_only("cannot read HEAD's tree", e))?;
        index
            .read_tree(&tree)
            .map_err(|e| staged_only("cannot read HEAD's tree", e))?;
    }
    index
        .add(&staged)
        .map_err(|e| staged_only("cannot build the commit", e))?;
    let tree_id = index
        .write_tree_to(&repo)
        .map_err(|e| staged_only("cannot write the tree", e))?;
    let tree = repo
        .find_tree(tree_id)
        .map_err(|e| staged_only("cannot write the tree", e))?;
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    // Git's own commit messages end with a newline (audit #20).
    let message = format!("{}\n", message.trim_end_matches('\n'));
    repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        &message,
        &tree,
        &parents,
    )
    .map_err(|e| staged_only("cannot commit", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) -> String {
        let output = std::process::Command::new("git")
            .current_dir(dir)
            .args(["-c", "user.name=T", "-c", "user.email=t@example.com"])
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "git {args:?}");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// Another Git process takes `index.lock` after svc checked `--commit`
    /// and wrote the file: HEAD must not move, and the message must say the
    /// file was written but neither staged nor committed.
    #[test]
    fn a_lock_taken_by_another_process_meanwhile_never_moves_head() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "-q", "-b", "main"]);
        git(root, &["config", "user.name", "T"]);
        git(root, &["config", "user.email", "t@example.com"]);
        std::fs::write(root.join("a.yaml"), "old\n").unwrap();
        git(root, &["add", "a.yaml"]);
        git(root, &["commit", "-q", "-m", "initial"]);
        let head = git(root, &["rev-parse", "HEAD"]);
        let mut lock = check_can_commit(root, "a.yaml").unwrap();
        // While svc holds the lock, no other process can take it.
        assert!(IndexLock::take(&Repository::open(root).unwrap()).is_err());
        std::fs::write(root.join("a.yaml"), "new\n").unwrap();
        // The race: the lock changes hands between svc's release and libgit2's write.
        lock.release();
        std::fs::write(root.join(".git/index.lock"), "").unwrap();
        let error = commit_file(root, "a.yaml", "svc: edit", lock).unwrap_err();
        assert!(
            error
                .message
                .starts_with("a.yaml was written, but not committed: cannot update the Git index"),
            "{}",
            error.message
        );
        assert_eq!(git(root, &["rev-parse", "HEAD"]), head);
        // The other process's lock is still there; without it, Git shows
        // an unstaged change only (no staged reversal of a commit).
        assert!(root.join(".git/index.lock").exists());
        std::fs::remove_file(root.join(".git/index.lock")).unwrap();
        assert_eq!(git(root, &["status", "--porcelain"]), " M a.yaml\n");
    }

    #[test]
    fn a_commit_releases_the_lock_and_stages_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "-q", "-b", "main"]);
        std::fs::write(root.join("a.yaml"), "old\n").unwrap();
        git(root, &["add", "a.yaml"]);
        git(root, &["commit", "-q", "-m", "initial"]);
        git(root, &["config", "user.name", "T"]);
        git(root, &["config", "user.email", "t@example.com"]);
        let lock = check_can_commit(root, "a.yaml").unwrap();
        std::fs::write(root.join("a.yaml"), "new\n").unwrap();
        commit_file(root, "a.yaml", "svc: edit", lock).unwrap();
        assert!(!root.join(".git/index.lock").exists());
        assert_eq!(git(root, &["status", "--porcelain"]), "");
        assert_eq!(git(root, &["log", "--format=%s", "-1"]), "svc: edit\n");
    }
}
