//! JSON output: one document, stable key order, no colour.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::json;

use crate::diagnostic::Diagnostic;

/// Writes `value` as pretty JSON followed by a newline.
pub fn write(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// The `svc check --format json` array (SPEC §2), 1-based lines and columns.
pub fn diagnostics(out: &mut impl Write, diagnostics: &[Diagnostic]) -> io::Result<()> {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            json!({
                "rule": d.rule,
                "severity": d.severity.as_str(),
                "file": d.file,
                "line": d.pos.line + 1,
                "column": d.pos.col + 1,
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    write(out, &items)
}
