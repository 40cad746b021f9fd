//! The rustc-like diagnostic format: a headline, the location, the source line with
//! a caret under the offending value, the help line and a summary.

use std::collections::HashMap;
use std::io::{self, Write};

use unicode_width::UnicodeWidthChar;

use super::sanitize;
use crate::diagnostic::{Diagnostic, Severity};

/// ANSI styles, or none.
#[derive(Clone, Copy, Debug)]
pub struct Style {
    /// Whether to emit colour codes.
    pub color: bool,
}

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// A file's text and where each of its lines starts, so that the source line
/// of every diagnostic is found without rescanning the file (a file can carry
/// tens of thousands of diagnostics).
pub struct SourceText {
    text: String,
    line_starts: Vec<usize>,
}

impl SourceText {
    /// Indexes `text` (a leading byte-order mark is not part of line 1).
    pub fn new(text: String) -> SourceText {
        let first = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let line_starts = std::iter::once(first)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        SourceText { text, line_starts }
    }

    /// Line `index` (0-based) without its line ending.
    fn line(&self, index: usize) -> Option<&str> {
        let start = *self.line_starts.get(index)?;
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        let line = self.text.get(start..end)?;
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// Writes every diagnostic, then (unless `quiet`) a summary line
/// "N errors, M warnings in K files" where K is the number of files checked.
pub fn render(
    out: &mut impl Write,
    diagnostics: &[Diagnostic],
    sources: &HashMap<String, SourceText>,
    files_checked: usize,
    style: Style,
    quiet: bool,
) -> io::Result<()> {
    // Diagnostics come sorted by file and line: one line's characters serve
    // every diagnostic on it (a long flow mapping can carry thousands).
    let mut current: Option<(&str, u32, Vec<char>)> = None;
    for diagnostic in diagnostics {
        let (file, line) = (diagnostic.file.as_str(), diagnostic.pos.line);
        if current
            .as_ref()
            .is_none_or(|(f, l, _)| (*f, *l) != (file, line))
        {
            current = sources
                .get(file)
                .and_then(|source| source.line(line as usize))
                .map(|text| (file, line, text.chars().collect()));
        }
        let chars = current.as_ref().map(|(_, _, chars)| chars.as_slice());
        render_one(out, diagnostic, chars, style)?;
    }
    if quiet {
        return Ok(());
    }
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diagnostics.len() - errors;
    let summary = format!(
        "{}, {} in {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(files_checked, "file")
    );
    let summary = match (errors, warnings) {
        (0, 0) => style.paint("1;32", &summary),
        (0, _) => style.paint("1;33", &summary),
        _ => style.paint("1;31", &summary),
    };
    writeln!(out, "{summary}")
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn render_one(
    out: &mut impl Write,
    d: &Diagnostic,
    source_line: Option<&[char]>,
    style: Style,
) -> io::Result<()> {
    let (severity, code) = match d.severity {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let line_no = (d.pos.line + 1).to_string();
    let gutter = " ".repeat(line_no.len());
    writeln!(
        out,
        "{}{} {}",
        style.paint(code, &format!("{severity}[{}]", d.rule)),
        style.paint("1", ":"),
        style.paint("1", &sanitize(&d.message))
    )?;
    writeln!(
        out,
        "{gutter}{} {}:{}:{}",
        style.paint("1;34", "-->"),
        sanitize(&d.file),
        d.pos.line + 1,
        d.pos.col + 1
    )?;
    if let Some(line) = source_line {
        let excerpt = Excerpt::new(line, d.pos.col as usize);
        let pipe = style.paint("1;34", "|");
        writeln!(out, "{gutter} {pipe}")?;
        writeln!(
            out,
            "{} {pipe} {}",
            style.paint("1;34", &line_no),
            excerpt.text
        )?;
        writeln!(
            out,
            "{gutter} {pipe} {}{}",
            " ".repeat(excerpt.caret_at),
            style.paint(code, &"^".repeat(excerpt.caret_width))
        )?;
    }
    if let Some(help) = &d.help {
        writeln!(
            out,
            "{gutter} {} {}",
            style.paint("1;34", "="),
            style.paint("1", &format!("help: {}", sanitize(help)))
        )?;
    }
    writeln!(out)
}

/// Most characters of one source line shown; a longer line is cut around the
/// caret, with `…` where text was left out.
const SHOWN_CHARS: usize = 200;
/// Characters shown before the caret when a long line is cut.
const SHOWN_BEFORE: usize = 60;
/// Columns a tab is shown as (tabs are expanded so the caret lines up).
const TAB_WIDTH: usize = 4;

/// A source line as shown: expanded tabs, hazards escaped ([`super::sanitize`]), cut
/// to [`SHOWN_CHARS`], and where the caret goes, in terminal columns.
struct Excerpt {
    text: String,
    caret_at: usize,
    caret_width: usize,
}

impl Excerpt {
    fn new(chars: &[char], col: usize) -> Excerpt {
        let col = col.min(chars.len());
        let token_end = (col + token_width(chars, col)).min(chars.len());
        let mut start = col.saturating_sub(SHOWN_BEFORE);
        let end = (start + SHOWN_CHARS).min(chars.len());
        start = start.min(end.saturating_sub(SHOWN_CHARS));
        let mut text = String::new();
        let mut width = 0;
        let mut caret_at = 0;
        let mut caret_width = 0;
        if start > 0 {
            text.push('…');
            width += 1;
        }
        for (index, c) in chars.iter().enumerate().take(end).skip(start) {
            if index == col {
                caret_at = width;
            }
            let before = width;
            if *c == '\t' {
                text.push_str(&" ".repeat(TAB_WIDTH));
                width += TAB_WIDTH;
            } else if super::is_hazard(*c) {
                // Shown escaped (`\u{1b}`), as in every other output; the
                // escape is ASCII, one column per byte.
                let escaped = sanitize(c.encode_utf8(&mut [0; 4])).into_owned();
                width += escaped.len();
                text.push_str(&escaped);
            } else {
                text.push(*c);
                width += c.width().unwrap_or(0);
            }
            if (col..token_end).contains(&index) {
                caret_width += width - before;
            }
        }
        if col >= end {
            caret_at = width;
        }
        if end < chars.len() {
            text.push('…');
        }
        Excerpt {
            text,
            caret_at,
            caret_width: caret_width.max(1),
        }
    }
}

/// Width of the token starting at `col`: up to the next space or flow punctuation,
/// quoted strings to their closing quote; at least 1. Only what an excerpt can
/// show is looked at.
fn token_width(line: &[char], col: usize) -> usize {
    let rest = line.get(col..).unwrap_or_default();
    let rest = &rest[..rest.len().min(SHOWN_CHARS)];
    let width = match rest.first() {
        Some(&quote @ ('"' | '\'')) => rest[1..]
            .iter()
            .position(|c| *c == quote)
            .map_or(rest.len(), |i| i + 2),
        Some(_) => rest
            .iter()
            .position(|c| c.is_whitespace() || matches!(c, ',' | '}' | ']' | '#'))
            .unwrap_or(rest.len()),
        None => 1,
    };
    let width = if rest.get(width.saturating_sub(1)) == Some(&':') && width > 1 {
        width - 1
    } else {
        width
    };
    width.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Rule;
    use crate::yaml::Pos;

    #[test]
    fn caret_spans_the_value() {
        let d = Diagnostic::error(
            Rule::UnknownReference,
            "services/a.yaml",
            Pos { line: 1, col: 8 },
            "`policy` names SlaPolicy `gld`, which does not exist",
        )
        .with_help("did you mean `gold`?");
        let sources = HashMap::from([(
            "services/a.yaml".to_string(),
            SourceText::new("\u{feff}kind: Service\r\npolicy: gld # typo\r\n".to_string()),
        )]);
        let mut out = Vec::new();
        render(&mut out, &[d], &sources, 3, Style { color: false }, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "error[unknown-reference]: `policy` names SlaPolicy `gld`, which does not exist\n --> services/a.yaml:2:9\n  |\n2 | policy: gld # typo\n  |         ^^^\n  = help: did you mean `gold`?\n\n1 error, 0 warnings in 3 files\n"
        );
    }

    #[test]
    fn tabs_wide_characters_and_long_lines_keep_the_caret_aligned() {
        let chars = |text: &str| text.chars().collect::<Vec<char>>();
        let tab = Excerpt::new(&chars("\tkey: x"), 6);
        assert_eq!(tab.text, "    key: x");
        assert_eq!((tab.caret_at, tab.caret_width), (9, 1));
        let wide = Excerpt::new(&chars("名前: 値x"), 4);
        assert_eq!((wide.caret_at, wide.caret_width), (6, 3));
        let long = format!("{}: {}", "k".repeat(1000), "v".repeat(1000));
        let cut = Excerpt::new(&chars(&long), 1002);
        assert_eq!(cut.text.chars().count(), SHOWN_CHARS + 2);
        assert!(cut.text.starts_with('…') && cut.text.ends_with('…'));
        assert_eq!(cut.text.chars().nth(cut.caret_at), Some('v'));
    }

    #[test]
    fn keys_are_underlined_without_the_colon() {
        let width = |text: &str, col| token_width(&text.chars().collect::<Vec<char>>(), col);
        assert_eq!(width("  ownr: x", 2), 4);
        assert_eq!(width("a: \"quoted value\" # c", 3), 14);
        assert_eq!(width("", 0), 1);
    }
}
