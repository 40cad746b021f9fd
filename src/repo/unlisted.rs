//! `unlisted-folder` (warning): a folder at the repo root that `include` leaves out
//! but that holds svc records (`incident/` for `incidents/`). Its records would
//! otherwise be ignored without a word. Each such folder is reported once, at the
//! `kind` line of the first record found in it.
//!
//! Only the working tree is looked at, and only cheaply: the first few KiB of
//! each `*.yaml`/`*.yml` file, up to a bounded number of entries per folder, so a
//! large unrelated folder (`docs/`, `node_modules/`) costs little.

use std::io::Read as _;
use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Rule};
use crate::model::config::{CONFIG_FILE, Config};
use crate::model::{FOLDERS, KINDS};
use crate::yaml::Pos;

/// Most directory entries looked at under one unlisted folder.
const MAX_ENTRIES: usize = 10_000;
/// Bytes read from each candidate file to find its `kind`.
const HEAD_BYTES: u64 = 8 * 1024;

/// The `unlisted-folder` warnings for the working tree at `root`.
pub(super) fn find(root: &Path, config: &Config) -> Vec<Diagnostic> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut folders: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter(|name| !name.starts_with('.') && name != "target")
        .filter(|name| {
            !config
                .include
                .iter()
                .any(|included| included == name || included.starts_with(&format!("{name}/")))
        })
        .collect();
    folders.sort();
    folders
        .into_iter()
        .filter_map(|folder| {
            let (file, pos, kind) = first_record(root, &folder)?;
            let candidates: Vec<&str> = FOLDERS
                .iter()
                .copied()
                .chain(config.include.iter().map(String::as_str))
                .collect();
            let fallback = format!(
                "add `{folder}` to `include` in {CONFIG_FILE}, or move its records into a folder that is"
            );
            Some(
                Diagnostic::warning(
                    Rule::UnlistedFolder,
                    &file,
                    pos,
                    format!(
                        "folder `{folder}/` is not in `include`, so svc does not check its records (this file is `kind: {kind}`)"
                    ),
                )
                .with_suggestion_or(&folder, candidates, fallback),
            )
        })
        .collect()
}

/// The first file under `folder` that declares an svc kind: its path, the
/// position of the kind and the kind.
fn first_record(root: &Path, folder: &str) -> Option<(String, Pos, &'static str)> {
    let walker = WalkDir::new(root.join(folder))
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .take(MAX_ENTRIES);
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file()
            || !super::is_record_name(&entry.file_name().to_string_lossy())
        {
            continue;
        }
        let mut head = Vec::new();
        let opened = std::fs::File::open(entry.path());
        if opened
            .and_then(|f| f.take(HEAD_BYTES).read_to_end(&mut head))
            .is_err()
        {
            continue;
        }
        let text = String::from_utf8_lossy(&head);
        if let Some((line, col, kind)) = declared_kind(&text) {
            let file = entry
                .path()
                .strip_prefix(root)
                .ok()?
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            return Some((file, Pos { line, col }, kind));
        }
    }
    None
}

/// The svc kind a top-level `kind:` line declares, with its 0-based position.
fn declared_kind(text: &str) -> Option<(u32, u32, &'static str)> {
    for (index, line) in text.lines().enumerate() {
        let Some(rest) = line.strip_prefix("kind:") else {
            continue;
        };
        let value = rest.split('#').next().unwrap_or("").trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        let kind = KINDS.iter().find(|k| **k == value)?;
        let col = line.len() - rest.trim_start().len();
        return Some((
            u32::try_from(index).unwrap_or(u32::MAX),
            u32::try_from(col).unwrap_or(u32::MAX),
            kind,
        ));
    }
    None
}
