//! Finding the repo root, reading its files (from the working tree or a Git
//! revision) and decoding them in parallel into a [`Repo`].

pub mod boundary;
mod git;
mod unlisted;
mod walk;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::config::{self, CONFIG_FILE, Config};
use crate::model::{Record, Records, Unloaded, decode_file_with};
use crate::yaml::Pos;

pub use boundary::{Boundary, ReadError, refuse_links};
pub use git::{IndexLock, changed_files, check_can_commit, commit_file, user_email};

/// Largest `svc.toml` read, 1 MiB: it holds settings only, and without a limit a
/// 1 GiB file was a 7.4 GB allocation and an abort (issue 11, finding 5).
pub const MAX_CONFIG_BYTES: u64 = 1 << 20;

use crate::error::UserError;

/// Finds the repo root: `explicit` itself when given (it must hold `svc.toml`),
/// else the nearest directory from `start` upwards that holds `svc.toml`.
pub fn find_root(start: &Path, explicit: Option<&Path>) -> Result<PathBuf, UserError> {
    let help =
        "run `svc init` to create a repo here, or point at one with `--repo DIR` (or `SVC_REPO`)";
    if let Some(dir) = explicit {
        if dir.join(CONFIG_FILE).is_file() {
            return Ok(dir.to_path_buf());
        }
        return Err(UserError::with_help(
            format!("no {CONFIG_FILE} in {}", dir.display()),
            help,
        ));
    }
    start
        .ancestors()
        .find(|dir| dir.join(CONFIG_FILE).is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| {
            UserError::with_help(
                format!(
                    "no {CONFIG_FILE} found in {} or any parent directory",
                    start.display()
                ),
                help,
            )
        })
}

/// One file's bytes as read, or why it could not be read.
pub(crate) struct RawFile {
    /// Path relative to the repo root, `/`-separated.
    pub file: String,
    /// The contents, or a diagnostic saying why they are missing.
    pub contents: Result<Vec<u8>, Diagnostic>,
}

/// Where records are read from.
#[derive(Clone, Debug)]
pub enum Source {
    /// The working tree under the root.
    WorkTree,
    /// A Git revision's tree (`--rev`).
    Revision(String),
}

/// A loaded repo: where it was read from, and its records (configuration, every
/// record that decoded, and every problem found while reading and decoding).
/// Derefs to [`Records`], which is all the pure layers see.
#[derive(Debug)]
pub struct Repo {
    /// The repo root.
    pub root: PathBuf,
    /// Where the records were read from.
    pub source: Source,
    /// The records.
    pub records: Records,
}

impl std::ops::Deref for Repo {
    type Target = Records;
    fn deref(&self) -> &Records {
        &self.records
    }
}

/// How far loading has got, shared with the thread that draws the progress bar.
#[derive(Debug, Default)]
pub struct LoadProgress {
    /// Record files found (0 until the listing is complete).
    pub found: AtomicUsize,
    /// Record files decoded so far.
    pub decoded: AtomicUsize,
}

impl Repo {
    /// Loads the repo at `root` from the working tree, or from `rev` when given.
    pub fn load(root: &Path, rev: Option<&str>) -> Result<Repo, UserError> {
        Repo::load_counting(root, rev, &LoadProgress::default())
    }

    /// Like [`Repo::load`], reporting in `progress` how many files there are
    /// and how many are decoded so far (the command layer draws a bar from it).
    pub fn load_counting(
        root: &Path,
        rev: Option<&str>,
        progress: &LoadProgress,
    ) -> Result<Repo, UserError> {
        let boundary = Boundary::new(root);
        let (config_text, source) = match rev {
            None => (read_config(&boundary, root)?, Source::WorkTree),
            Some(rev) => (
                git::read_config(root, rev)?,
                Source::Revision(rev.to_string()),
            ),
        };
        let (config, mut diagnostics) = config::parse(&config_text);
        // Working-tree files are read inside the parallel pass, so each file's
        // bytes are dropped as soon as it is decoded; a Git tree is read first
        // (libgit2 objects cannot be shared between threads).
        let decode = |raw: RawFile| {
            let decoded = decode_raw(raw, &config);
            progress.decoded.fetch_add(1, Ordering::Relaxed);
            decoded
        };
        let (mut decoded, missing): (Vec<Decoded>, Vec<String>) = match &source {
            Source::WorkTree => {
                let listing = walk::list_files(root, &config);
                check_file_count(listing.files.len(), &config)?;
                progress.found.store(listing.files.len(), Ordering::Relaxed);
                let decoded = listing
                    .files
                    .into_par_iter()
                    .map(|listed| match listed {
                        Ok(file) => {
                            let contents = walk::read_file(&boundary, &file, config.max_file_bytes);
                            decode(RawFile { file, contents })
                        }
                        Err(raw) => decode(raw),
                    })
                    .collect();
                diagnostics.extend(unlisted::find(root, &config));
                diagnostics.extend(linked_folders(&config, &listing.linked));
                (decoded, listing.missing)
            }
            Source::Revision(rev) => {
                let (files, missing) = git::read_files(root, rev, &config)?;
                progress.found.store(files.len(), Ordering::Relaxed);
                (files.into_par_iter().map(decode).collect(), missing)
            }
        };
        diagnostics.extend(missing_folders(&config, &missing));
        decoded.sort_unstable_by(|a, b| a.file.cmp(&b.file));
        let files = decoded.len();
        let mut records = Records {
            config,
            files,
            ..Records::default()
        };
        for mut decoded in decoded {
            diagnostics.append(&mut decoded.diagnostics);
            match decoded.outcome {
                Ok(record) => records.add(decoded.file, record, decoded.digest),
                Err(kind) => records.unloaded.push(Unloaded {
                    file: decoded.file,
                    kind,
                }),
            }
        }
        records.diagnostics = diagnostics;
        Ok(Repo {
            root: root.to_path_buf(),
            source,
            records,
        })
    }

    /// The text of `file` (relative to the root), read again from the same source
    /// and through the same boundary and size limit as when loading (svc.toml
    /// under its own limit); used only to show source lines of files that have
    /// diagnostics. A 1 GiB sparse record was read in full here once (issue 11,
    /// finding 5), and a link out of the repo would have shown its target.
    pub fn read_text(&self, file: &str) -> Option<String> {
        let limit = if file == CONFIG_FILE {
            MAX_CONFIG_BYTES
        } else {
            self.config.max_file_bytes
        };
        let bytes = match &self.source {
            Source::WorkTree => Boundary::new(&self.root).read(file, limit).ok()?,
            Source::Revision(rev) => git::read_blob(&self.root, rev, file, limit).ok()?,
        };
        String::from_utf8(bytes).ok()
    }
}

/// Warnings for `include` folders that do not exist. The four default folders
/// are exempt: a new repo may simply not have incidents yet, and Git does not
/// keep the empty folders `svc init` creates.
fn missing_folders(config: &Config, missing: &[String]) -> Vec<Diagnostic> {
    missing
        .iter()
        .filter(|folder| !config::DEFAULT_INCLUDE.contains(&folder.as_str()))
        .filter_map(|folder| {
            let pos = *config.include_positions.get(folder)?;
            let diagnostic = Diagnostic::warning(
                Rule::Schema,
                CONFIG_FILE,
                pos,
                format!("`include` folder `{folder}` does not exist"),
            );
            Some(
                match crate::diagnostic::did_you_mean(folder, config::DEFAULT_INCLUDE) {
                    Some(best) => diagnostic.with_help(format!("did you mean `{best}`?")),
                    None => diagnostic
                        .with_help("create the folder, or remove it from `include` in svc.toml"),
                },
            )
        })
        .collect()
}

/// `svc.toml` from the working tree: a regular file inside the root, at most
/// [`MAX_CONFIG_BYTES`], UTF-8; anything else is exit 2.
fn read_config(boundary: &Boundary, root: &Path) -> Result<String, UserError> {
    let path = root.join(CONFIG_FILE);
    let bytes = boundary
        .read(CONFIG_FILE, MAX_CONFIG_BYTES)
        .map_err(|error| match error {
            ReadError::TooLarge(size) => UserError::with_help(
                format!(
                    "{} is {size} bytes, over the limit of {MAX_CONFIG_BYTES} bytes for {CONFIG_FILE}",
                    path.display()
                ),
                format!("{CONFIG_FILE} holds settings only; check that it is the right file"),
            ),
            ReadError::Io(e) => UserError::new(format!("cannot read {}: {e}", path.display())),
            other => UserError::with_help(
                format!("cannot read {}: {}", path.display(), other.to_string().replace("the file", CONFIG_FILE)),
                format!("make {CONFIG_FILE} a regular file in the repo root"),
            ),
        })?;
    String::from_utf8(bytes).map_err(|_| {
        UserError::with_help(
            format!("{} is not UTF-8", path.display()),
            format!("save {CONFIG_FILE} as UTF-8"),
        )
    })
}

/// Warnings for `include` folders that are, or lie under, a symbolic link: SPEC
/// §1 does not follow directory links, and a linked folder could point anywhere
/// outside the repo. On the `include` entry when svc.toml lists one, else at its start.
fn linked_folders(config: &Config, linked: &[(String, String)]) -> Vec<Diagnostic> {
    linked
        .iter()
        .map(|(folder, link)| {
            let pos = config
                .include_positions
                .get(folder)
                .copied()
                .unwrap_or_default();
            let what = if folder == link {
                format!("`include` folder `{folder}` is a symbolic link")
            } else {
                format!("`include` folder `{folder}` lies under `{link}`, a symbolic link")
            };
            Diagnostic::warning(
                Rule::Schema,
                CONFIG_FILE,
                pos,
                format!("{what}; skipped: svc does not follow directory links"),
            )
            .with_help(format!(
                "replace `{link}` with a real folder, or list the folder the link points to in `include`"
            ))
        })
        .collect()
}

fn not_utf8(file: &str, bytes: &[u8], valid_up_to: usize) -> Diagnostic {
    let valid = String::from_utf8_lossy(&bytes[..valid_up_to]);
    let pos = config::pos_at(&valid, valid.len());
    Diagnostic::error(
        Rule::Unreadable,
        file,
        pos,
        format!(
            "the file is not UTF-8 (invalid byte 0x{:02x})",
            bytes.get(valid_up_to).copied().unwrap_or(0)
        ),
    )
    .with_help("save the file as UTF-8")
}

/// Refuses a repo with more record files than `[limits] max_files` allows.
pub(crate) fn check_file_count(count: usize, config: &Config) -> Result<(), UserError> {
    if count <= config.max_files {
        return Ok(());
    }
    Err(UserError::with_help(
        format!(
            "the repo holds {count} record files, more than the limit of {}",
            config.max_files
        ),
        "check `include` in svc.toml, or raise `[limits] max_files`",
    ))
}

/// One file after decoding.
struct Decoded {
    /// Path relative to the repo root.
    file: String,
    /// The record, or the `kind` the file declares when it yielded none.
    outcome: Result<Record, Option<String>>,
    /// Its problems.
    diagnostics: Vec<Diagnostic>,
    /// The fingerprint of its bytes (0 when they could not be read).
    digest: u64,
}

/// A fingerprint of a file's bytes: equal bytes, equal fingerprint, and a
/// change to the bytes changes it (with a 64-bit hash, for all practical
/// purposes). Only compared within one process.
pub fn digest(bytes: &[u8]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    bytes.hash(&mut hasher);
    hasher.finish()
}

fn decode_raw(raw: RawFile, config: &crate::model::Config) -> Decoded {
    let file = raw.file;
    let bytes = match raw.contents {
        Ok(bytes) => bytes,
        Err(diagnostic) => {
            return Decoded {
                file,
                outcome: Err(None),
                diagnostics: vec![diagnostic],
                digest: 0,
            };
        }
    };
    let fingerprint = digest(&bytes);
    let (outcome, diagnostics) = match String::from_utf8(bytes) {
        Ok(text) => {
            let (record, diagnostics) = decode_file_with(&file, &text, config);
            // Parsing again only for the rare file that failed.
            let outcome = record.ok_or_else(|| declared_kind(&text, config.max_depth));
            (outcome, diagnostics)
        }
        Err(e) => {
            let diagnostic = not_utf8(&file, e.as_bytes(), e.utf8_error().valid_up_to());
            (Err(None), vec![diagnostic])
        }
    };
    Decoded {
        file,
        outcome,
        diagnostics,
        digest: fingerprint,
    }
}

/// Files larger than this that failed to decode are not parsed a second time
/// for their `kind`: only their top-level `kind:` line is.
const REPARSE_LIMIT: usize = 1 << 20;

/// The `kind:` a document declares, if it parses that far. A large file is
/// not parsed whole again — a 10 MB value made that second parse double the
/// cost of a file that had already failed — but only its first top-level
/// `kind:` line, which yields the same answer for a block mapping.
fn declared_kind(text: &str, max_depth: usize) -> Option<String> {
    let text = if text.len() > REPARSE_LIMIT {
        text.lines().find(|line| line.starts_with("kind:"))?
    } else {
        text
    };
    let root = crate::yaml::parse_document_limited(text, max_depth).ok()??;
    root.get("kind")?.as_str().map(str::to_string)
}

/// The `unreadable` diagnostic for a file that is over the size limit.
pub(crate) fn too_large(file: &str, size: u64, limit: u64) -> Diagnostic {
    Diagnostic::error(
        Rule::Unreadable,
        file,
        Pos::default(),
        format!("the file is {size} bytes, over the limit of {limit} bytes"),
    )
    .with_help("split the record, or raise `limits.max_file_bytes` in svc.toml")
}

/// True for names svc reads as records.
pub(crate) fn is_record_name(name: &str) -> bool {
    !name.starts_with('.') && (name.ends_with(".yaml") || name.ends_with(".yml"))
}

/// Creates `path` with `contents`, refusing to overwrite an existing file.
pub fn write_new_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}
