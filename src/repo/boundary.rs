//! The repo boundary (issue 11): svc reads only regular files that lie inside
//! the repo root, never more than a limit, and writes nothing through a
//! symbolic link. Every read of a record or of svc.toml from the working tree
//! and every write goes through this module, so commands added later inherit
//! the guarantees instead of re-implementing them.
//!
//! A repo is often checked in CI on content anyone can push, so its files are
//! hostile: a record may be a link to `~/.aws/credentials` (whose content would
//! land in a CI log), a FIFO (a read that never returns), `/dev/zero` (a read
//! that never ends), or a folder may be a link out of the repo (an edit that
//! lands elsewhere).

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::UserError;

/// Why a file was not read. None of the variants carries any of the file's content.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// Not a regular file: what it is instead (`a FIFO`, `a socket`, `a device`, `a directory`).
    NotRegular(&'static str),
    /// A symbolic link whose target lies outside the repo root, or in a hidden
    /// folder of it (`.git/config` may hold credentials).
    Outside,
    /// Larger than the limit; its size in bytes.
    TooLarge(u64),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read the file: {e}"),
            ReadError::NotRegular(kind) => {
                write!(f, "the file is {kind}, not a regular file; svc reads only regular files")
            }
            ReadError::Outside => f.write_str(
                "the file is a symbolic link to a file outside the repo (or in a hidden folder); svc does not read it",
            ),
            ReadError::TooLarge(size) => write!(f, "the file is {size} bytes"),
        }
    }
}

/// The repo root, as given and (once a link must be judged) as resolved.
#[derive(Debug)]
pub struct Boundary {
    root: PathBuf,
    canonical: OnceLock<Option<PathBuf>>,
}

impl Boundary {
    /// The boundary of the repo at `root`.
    pub fn new(root: &Path) -> Boundary {
        Boundary {
            root: root.to_path_buf(),
            canonical: OnceLock::new(),
        }
    }

    /// The root with every link resolved; only computed when a link is met.
    fn canonical_root(&self) -> Option<&Path> {
        self.canonical
            .get_or_init(|| self.root.canonicalize().ok())
            .as_deref()
    }

    /// True when `target` (resolved) lies inside the root and outside its hidden folders.
    fn is_inside(&self, target: &Path) -> bool {
        let Some(root) = self.canonical_root() else {
            return false;
        };
        target.strip_prefix(root).is_ok_and(|rest| {
            rest.components()
                .all(|c| !c.as_os_str().to_string_lossy().starts_with('.'))
        })
    }

    /// Opens `file` (relative to the root) for reading: a regular file, and if
    /// it is a symbolic link, one whose target is inside the repo. The open
    /// never blocks (a FIFO is opened non-blocking and then refused by the type
    /// of the opened handle, so one swapped in after a check cannot hang svc).
    pub fn open(&self, file: &str) -> Result<File, ReadError> {
        self.open_with_metadata(file).map(|(handle, _)| handle)
    }

    /// [`Boundary::open`], with the metadata of the opened file (one `fstat`,
    /// which both the type check and the size limit use).
    fn open_with_metadata(&self, file: &str) -> Result<(File, std::fs::Metadata), ReadError> {
        let path = self.root.join(file);
        let handle = match open_without_following(&path) {
            Ok(handle) => handle,
            Err(error) => {
                let Ok(meta) = std::fs::symlink_metadata(&path) else {
                    return Err(ReadError::Io(error));
                };
                if !meta.file_type().is_symlink() {
                    return Err(match kind_of(&meta.file_type()) {
                        Some(kind) => ReadError::NotRegular(kind),
                        None => ReadError::Io(error),
                    });
                }
                // A link: follow it only to a place inside the repo. The
                // resolved path has no links left, so it is opened without
                // following again.
                let target = path.canonicalize().map_err(ReadError::Io)?;
                if !self.is_inside(&target) {
                    return Err(ReadError::Outside);
                }
                open_without_following(&target).map_err(ReadError::Io)?
            }
        };
        let meta = handle.metadata().map_err(ReadError::Io)?;
        match kind_of(&meta.file_type()) {
            Some(kind) => Err(ReadError::NotRegular(kind)),
            None => Ok((handle, meta)),
        }
    }

    /// Reads `file` (relative to the root) through [`Boundary::open`], refusing
    /// one over `limit` bytes without reading more than `limit + 1` of them.
    pub fn read(&self, file: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        let (mut handle, meta) = self.open_with_metadata(file)?;
        let size = meta.len();
        if size > limit {
            return Err(ReadError::TooLarge(size));
        }
        // Sized once from the opened file (at most `limit`, so bounded).
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
        (&mut handle)
            .take(limit.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(ReadError::Io)?;
        // The file grew after the size was taken.
        if bytes.len() as u64 > limit {
            return Err(ReadError::TooLarge(bytes.len() as u64));
        }
        Ok(bytes)
    }
}

/// What a file type is when it is not a regular file (None for a regular file).
fn kind_of(file_type: &std::fs::FileType) -> Option<&'static str> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return Some("a FIFO (named pipe)");
        }
        if file_type.is_socket() {
            return Some("a socket");
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return Some("a device");
        }
    }
    if file_type.is_symlink() {
        return Some("a symbolic link");
    }
    Some("not a regular file")
}

/// Opens `path` read-only, non-blocking, and without following a link in its
/// last component (the caller decides about links).
#[cfg(unix)]
fn open_without_following(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
        .open(path)
}

/// Opens `path` read-only (no FIFOs or link flags to care about off Unix).
#[cfg(not(unix))]
fn open_without_following(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// The first symbolic link on the way from `root` to `rel` (a `/`-separated path
/// inside it), its own component included: the link's path relative to the
/// root and its target as written. Components that do not exist end the search
/// (nothing below them can be a link yet).
pub fn first_link(root: &Path, rel: &str) -> std::io::Result<Option<(String, String)>> {
    let mut path = root.to_path_buf();
    let mut walked: Vec<&str> = Vec::new();
    for part in rel.split('/').filter(|p| !p.is_empty() && *p != ".") {
        path.push(part);
        walked.push(part);
        match std::fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)
                    .map(|t| t.display().to_string())
                    .unwrap_or_default();
                return Ok(Some((walked.join("/"), target)));
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        }
    }
    Ok(None)
}

/// Refuses (exit 1) a write to `file` (relative to `root`) when the file or any
/// folder between the root and it is a symbolic link, or when the path could
/// leave the root (`..`). The atomic write renames a new file over the path:
/// through a linked folder it would land outside the repo, and over a linked
/// file it would replace the link and leave its target stale (audit #16;
/// issue 11, findings 1 and 2). Every writer calls this before it writes
/// anything, `--commit` included.
pub fn refuse_links(root: &Path, file: &str) -> Result<(), UserError> {
    if file
        .split('/')
        .any(|part| part == ".." || part.is_empty() || part.contains('\\'))
        || Path::new(file).is_absolute()
    {
        return Err(UserError::refused(
            format!(
                "{} is not a path inside the repo; nothing was written",
                file.escape_debug()
            ),
            "name a file below the repo root",
        ));
    }
    let link = first_link(root, file).map_err(|e| {
        UserError::refused(
            format!("cannot inspect the path {file}: {e}; nothing was written"),
            "check the permissions of the repo's folders",
        )
    })?;
    let Some((link, target)) = link else {
        return Ok(());
    };
    let target = if target.is_empty() {
        String::new()
    } else {
        format!(" (to {target})")
    };
    if link == file {
        return Err(UserError::refused(
            format!("{file} is a symbolic link{target}; svc does not edit through links"),
            "edit the link's target by hand, or replace the link with the file itself",
        ));
    }
    Err(UserError::refused(
        format!(
            "{file} lies under `{link}`, a symbolic link{target}; svc does not write through links, so nothing was written"
        ),
        format!("replace `{link}` with a real folder, or edit the file by hand"),
    ))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_on_the_way_to_a_file_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("real/sub")).unwrap();
        std::os::unix::fs::symlink("real", root.join("linked")).unwrap();
        assert_eq!(first_link(root, "real/sub/a.yaml").unwrap(), None);
        assert_eq!(
            first_link(root, "linked/sub/a.yaml").unwrap(),
            Some(("linked".to_string(), "real".to_string()))
        );
        assert!(refuse_links(root, "real/sub/a.yaml").is_ok());
        let refusal = refuse_links(root, "linked/sub/a.yaml").unwrap_err();
        assert_eq!(refusal.code, 1);
        assert!(
            refusal.message.contains("lies under `linked`"),
            "{}",
            refusal.message
        );
        assert!(refuse_links(root, "../x.yaml").is_err());
        assert!(refuse_links(root, "/etc/x.yaml").is_err());
    }

    #[test]
    fn only_regular_files_inside_the_root_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::write(root.join("a.yaml"), "a").unwrap();
        std::fs::write(outside.path().join("secret"), "secret").unwrap();
        std::fs::create_dir(root.join(".git")).unwrap();
        std::fs::write(root.join(".git/config"), "token").unwrap();
        std::os::unix::fs::symlink("a.yaml", root.join("in.yaml")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), root.join("out.yaml")).unwrap();
        std::os::unix::fs::symlink(".git/config", root.join("git.yaml")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("zero.yaml")).unwrap();
        let boundary = Boundary::new(root);
        assert_eq!(boundary.read("a.yaml", 10).unwrap(), b"a");
        assert_eq!(boundary.read("in.yaml", 10).unwrap(), b"a");
        assert!(matches!(
            boundary.read("out.yaml", 10),
            Err(ReadError::Outside)
        ));
        assert!(matches!(
            boundary.read("git.yaml", 10),
            Err(ReadError::Outside)
        ));
        assert!(matches!(
            boundary.read("zero.yaml", 10),
            Err(ReadError::Outside)
        ));
        assert!(matches!(
            boundary.read("a.yaml", 0),
            Err(ReadError::TooLarge(1))
        ));
        assert!(matches!(
            boundary.read(".git", 10),
            Err(ReadError::NotRegular(_))
        ));
    }
}
