//! JUnit XML for GitLab, Jenkins and Azure Pipelines (SPEC §2): one
//! `<testsuite name="svc check">` with one `<testcase>` per file checked, named by
//! its path. Those tools show one failure per test case, so a file with errors has
//! exactly one `<failure>` whose `message` counts them and whose text lists every
//! error as `line:col rule message`; warnings go in `<system-out>`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::diagnostic::{Diagnostic, Severity};

/// Writes the report for `files` (every file checked, relative to the root) and
/// their `diagnostics`.
pub fn render(out: &mut impl Write, files: &[&str], diagnostics: &[Diagnostic]) -> io::Result<()> {
    let mut by_file: BTreeMap<&str, Vec<&Diagnostic>> =
        files.iter().map(|f| (*f, Vec::new())).collect();
    for d in diagnostics {
        by_file.entry(d.file.as_str()).or_default().push(d);
    }
    let failures = by_file
        .values()
        .filter(|ds| ds.iter().any(|d| d.severity == Severity::Error))
        .count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="svc check" tests="{}" failures="{failures}" errors="0">"#,
        by_file.len()
    )?;
    writeln!(
        out,
        r#"  <testsuite name="svc check" tests="{}" failures="{failures}" errors="0" skipped="0">"#,
        by_file.len()
    )?;
    for (file, diagnostics) in &by_file {
        let line = |d: &Diagnostic| {
            let mut text = format!(
                "{}:{} {} {}",
                d.pos.line + 1,
                d.pos.col + 1,
                d.rule,
                d.message
            );
            if let Some(help) = &d.help {
                text.push_str(&format!(" (help: {help})"));
            }
            text
        };
        let errors: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| line(d))
            .collect();
        let warnings: Vec<String> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .map(|d| format!("warning: {}", line(d)))
            .collect();
        write!(
            out,
            r#"    <testcase name="{}" classname="svc check" file="{}""#,
            escape(file),
            escape(file)
        )?;
        if errors.is_empty() && warnings.is_empty() {
            writeln!(out, "/>")?;
            continue;
        }
        writeln!(out, ">")?;
        if !errors.is_empty() {
            let count = super::count(errors.len(), "error", "errors");
            writeln!(
                out,
                r#"      <failure message="{count}" type="svc check">{}</failure>"#,
                escape(&errors.join("\n"))
            )?;
        }
        if !warnings.is_empty() {
            writeln!(
                out,
                "      <system-out>{}</system-out>",
                escape(&warnings.join("\n"))
            )?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

/// Escapes text for an XML attribute or element. Characters XML 1.0 cannot
/// hold at all (most C0 controls) and those that could drive a terminal or
/// reorder text are written as visible escapes.
fn escape(text: &str) -> String {
    let text = super::sanitize_lines(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
