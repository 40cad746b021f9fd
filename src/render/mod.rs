//! Output renderers. Each is a pure function of its input writing to `impl Write`;
//! the same result feeds every format, so the formats cannot disagree.
//!
//! Record text is hostile (issue 11, finding 9): no output may carry a
//! character that drives a terminal or reorders text. [`sanitize`] escapes them
//! for every text format, [`json`] escapes them inside JSON strings (the value
//! read back is unchanged), and [`csv_text`] also defuses spreadsheet formulas.

use std::borrow::Cow;

pub mod backstage;
pub mod changes;
pub mod export;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod lifecycle;
pub mod problems;
pub mod review;
pub mod sarif;
pub mod show;
pub mod sla;
pub mod table;

/// True for a character that must not reach an output raw: C0 controls
/// (ESC starts every terminal escape sequence, BEL ends OSC ones), DEL, C1
/// controls (U+009B is a one-character CSI on many terminals), the Unicode
/// bidirectional controls that reorder displayed text ("Trojan Source":
/// U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) and the line and
/// paragraph separators U+2028 and U+2029, which some viewers and JavaScript
/// take for line breaks.
pub fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202a}'..='\u{202e}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200e}'
                | '\u{200f}'
                | '\u{061c}'
                | '\u{2028}'
                | '\u{2029}'
        )
}

/// Appends `c` as svc shows a hazard: `\u{1b}`, its code point in lower-case
/// hex in Rust's escape notation (docs/reliability.md).
fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// `text` with every [`is_hazard`] character escaped as `\u{1b}`, so a record
/// cannot drive the terminal or reorder what is shown. Text without any is
/// returned as it is.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    escape_where(text, is_hazard)
}

/// Like [`sanitize`], but keeps line feeds (and a carriage return right before
/// one) as line breaks: for multi-line output such as the `--dry-run` diff of a
/// CRLF file and error messages svc itself breaks into lines.
pub fn sanitize_lines(text: &str) -> Cow<'_, str> {
    // A carriage return is kept only before a line feed: the full pass decides.
    if !text.chars().any(|c| is_hazard(c) && c != '\n') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let line_break = c == '\n' || (c == '\r' && chars.peek() == Some(&'\n'));
        if is_hazard(c) && !line_break {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` with the characters `hazard` picks escaped.
fn escape_where(text: &str, hazard: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&hazard) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hazard(c) {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A CSV cell for text that comes from records (an owner, a priority key, a
/// `notify`, an id): [`sanitize`]d, and neutralised as OWASP recommends against
/// CSV formula injection — a cell that starts with `=`, `+`, `-`, `@`, TAB or
/// CR gets a leading `'`, so a spreadsheet shows it as text instead of running
/// it (`=HYPERLINK(...)`, `@SUM(...)`, `-2+3`). Figures svc computes itself
/// (counted seconds, which may be negative) are written as they are, not through
/// this function. Every CSV writer (sla, report, and the exports to come) uses it.
pub fn csv_text(text: &str) -> Cow<'_, str> {
    let clean = sanitize(text);
    if clean.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{clean}"))
    } else {
        clean
    }
}

/// `1 error`, `2 errors`: a count with the noun it takes.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// An instant in `tz` as RFC 3339, to the second (`Z` for UTC): how reports
/// show `now`, period bounds and record times. Sub-second clock noise
/// (`21:02:47.490201185`) is never shown; a record that wrote fractions keeps
/// them in its own file.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> String {
    use chrono::SecondsFormat;
    if tz == chrono_tz::Tz::UTC {
        at.to_rfc3339_opts(SecondsFormat::Secs, true)
    } else {
        at.with_timezone(&tz)
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hazards_are_escaped_and_other_text_is_kept() {
        assert_eq!(
            sanitize("a\u{1b}[31mb\u{7}c\u{9b}d\u{202e}e\u{2028}f\u{7f}"),
            "a\\u{1b}[31mb\\u{7}c\\u{9b}d\\u{202e}e\\u{2028}f\\u{7f}"
        );
        assert!(matches!(sanitize("Zahlungen – 名前 ✓"), Cow::Borrowed(_)));
        for c in [
            '\u{200e}', '\u{200f}', '\u{061c}', '\u{2066}', '\u{2069}', '\u{202a}', '\u{85}',
        ] {
            assert!(is_hazard(c), "{c:?}");
        }
        assert!(!is_hazard('\u{200b}') && !is_hazard('é'));
    }

    #[test]
    fn line_breaks_survive_sanitize_lines() {
        assert_eq!(sanitize_lines("a\r\nb\nc"), "a\r\nb\nc");
        assert_eq!(
            sanitize_lines("a\rb\n\u{1b}]0;x\u{7}"),
            "a\\u{d}b\n\\u{1b}]0;x\\u{7}"
        );
        assert_eq!(sanitize_lines("x\r\ny\rz"), "x\r\ny\\u{d}z");
    }

    #[test]
    fn csv_text_defuses_formulas() {
        for (given, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1", "'+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "\\u{9}=1"),
            ("team-a", "team-a"),
            ("", ""),
        ] {
            assert_eq!(csv_text(given), written, "{given:?}");
        }
    }
}
