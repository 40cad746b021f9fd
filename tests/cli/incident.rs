//! `svc incident open|ack|pause|resume|resolve|close|outage` through the binary:
//! golden before/after files per verb and layout (in LF, CRLF and with a
//! byte-order mark), id allocation under the lock with concurrent processes,
//! the bounded lock wait, every refusal leaving the repo byte-identical, and
//! hostile text written quoted, read back exactly and never shown raw.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::{Run, command, copy_repo, example, git, git_init, snapshot, svc};

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
/// the repo must be unchanged); an optional `svc.toml` replaces the example's.
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
            let repo = copy_repo(&example());
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
