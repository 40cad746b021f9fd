//! Reading record files from the working tree.

use std::path::Path;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::{RawFile, is_record_name, too_large};
use crate::diagnostic::Diagnostic;
use crate::model::Config;
use crate::yaml::Pos;

/// Every record file under the configured folders, read in parallel, sorted by path.
/// Hidden entries are skipped and symbolic links to directories are not followed.
pub(super) fn read_files(root: &Path, config: &Config) -> Vec<RawFile> {
    let mut found: Vec<Result<String, RawFile>> = Vec::new();
    for folder in &config.include {
        let walker = WalkDir::new(root.join(folder))
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
            });
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let is_file_like = !entry.file_type().is_dir();
                    if is_file_like && is_record_name(&entry.file_name().to_string_lossy()) {
                        found.push(Ok(relative(root, entry.path())));
                    }
                }
                Err(e)
                    if e.depth() == 0
                        && e.io_error()
                            .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) => {}
                Err(e) => {
                    let file = e
                        .path()
                        .map_or_else(|| folder.clone(), |p| relative(root, p));
                    let message = format!(
                        "cannot read: {}",
                        e.io_error()
                            .map_or_else(|| e.to_string(), ToString::to_string)
                    );
                    found.push(Err(RawFile {
                        contents: Err(Diagnostic::error(
                            "unreadable",
                            &file,
                            Pos::default(),
                            message,
                        )),
                        file,
                    }));
                }
            }
        }
    }
    let mut files: Vec<RawFile> = found
        .into_par_iter()
        .map(|item| match item {
            Ok(file) => {
                let contents =
                    read_limited(&root.join(&file), config.max_file_bytes).map_err(|problem| {
                        match problem {
                            ReadProblem::TooLarge(size) => {
                                too_large(&file, size, config.max_file_bytes)
                            }
                            ReadProblem::Io(e) => Diagnostic::error(
                                "unreadable",
                                &file,
                                Pos::default(),
                                format!("cannot read the file: {e}"),
                            ),
                        }
                    });
                RawFile { file, contents }
            }
            Err(raw) => raw,
        })
        .collect();
    files.sort_by(|a, b| a.file.cmp(&b.file));
    files
}

enum ReadProblem {
    TooLarge(u64),
    Io(std::io::Error),
}

fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, ReadProblem> {
    let size = std::fs::metadata(path).map_err(ReadProblem::Io)?.len();
    if size > limit {
        return Err(ReadProblem::TooLarge(size));
    }
    std::fs::read(path).map_err(ReadProblem::Io)
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
