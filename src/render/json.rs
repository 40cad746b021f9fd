//! JSON output: one document, stable key order, no colour, and no character
//! that drives a terminal (issue 11, finding 9). serde_json escapes C0 controls
//! but writes DEL, C1 controls, bidi controls and U+2028/U+2029 raw; svc writes
//! those as `\uXXXX` escapes too, so `svc sla --format json` in a terminal is
//! as safe as the table, and the value a JSON reader gets is unchanged.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::json;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

use crate::diagnostic::Diagnostic;

/// Writes `value` as pretty JSON followed by a newline.
pub fn write(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut *out, Escaping(PrettyFormatter::new()));
    value.serialize(&mut serializer)?;
    writeln!(out)
}

/// Writes `value` as compact JSON on one line followed by a newline: one line
/// of JSON Lines (`svc export incidents`), escaped as [`write`] escapes.
pub fn write_line(out: &mut impl Write, value: &impl Serialize) -> io::Result<()> {
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut *out, Escaping(CompactFormatter));
    value.serialize(&mut serializer)?;
    out.write_all(b"\n")
}

/// serde_json's pretty (or compact) layout, with every [`super::is_hazard`]
/// character in a string written as a `\uXXXX` escape.
struct Escaping<F>(F);

impl<F: Formatter> Formatter for Escaping<F> {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (at, c) in fragment.char_indices() {
            if super::is_hazard(c) {
                writer.write_all(&fragment.as_bytes()[start..at])?;
                // Every hazard lies in the Basic Multilingual Plane: one escape.
                write!(writer, "\\u{:04x}", u32::from(c))?;
                start = at + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_array(writer)
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object(writer)
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.0.end_object_value(writer)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_every_hazard_and_reads_back_unchanged() {
        let text = "a\u{1b}]0;x\u{7}b\u{9b}c\u{202e}d\u{2028}e\u{7f}f é";
        let mut out = Vec::new();
        write(&mut out, &serde_json::json!({ "title": text })).unwrap();
        let written = String::from_utf8(out).unwrap();
        assert!(
            !written
                .chars()
                .any(|c| crate::render::is_hazard(c) && c != '\n'),
            "{written:?}"
        );
        assert!(
            written.contains("\\u009b")
                && written.contains("\\u202e")
                && written.contains("\\u2028")
        );
        let back: serde_json::Value = serde_json::from_str(&written).unwrap();
        assert_eq!(back["title"], text);
        assert_eq!(
            written,
            "{\n  \"title\": \"a\\u001b]0;x\\u0007b\\u009bc\\u202ed\\u2028e\\u007ff é\"\n}\n"
        );
    }
}
