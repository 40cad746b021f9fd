//! Splices: every edit is a short list of `(byte range, new text)` replacements
//! at the byte ranges the parser recorded, applied in one pass, so every byte
//! outside them is kept exactly — comments, blank lines, quoting, CRLF line
//! ends, tabs, a byte-order mark, a missing final newline. Also the few facts
//! about lines that placing new text needs: where a line starts and ends, which
//! line end the file uses, how far a node is indented.

use std::ops::Range;

use super::EditError;

/// Replace the bytes `range` of the text with `text` (an empty range inserts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    /// The bytes replaced.
    pub range: Range<usize>,
    /// What replaces them.
    pub text: String,
}

impl Splice {
    /// Inserts `text` at byte `at`.
    pub fn insert(at: usize, text: impl Into<String>) -> Splice {
        Splice {
            range: at..at,
            text: text.into(),
        }
    }

    /// Replaces the bytes `range` with `text`.
    pub fn replace(range: Range<usize>, text: impl Into<String>) -> Splice {
        Splice {
            range,
            text: text.into(),
        }
    }
}

/// Applies `splices` to `text`. They may come in any order but must not
/// overlap (two insertions at one place keep their order) and must fall on
/// character boundaries; anything else is a bug in the editor, refused rather
/// than applied.
pub fn apply(text: &str, splices: &[Splice]) -> Result<String, EditError> {
    let mut order: Vec<&Splice> = splices.iter().collect();
    order.sort_by_key(|s| (s.range.start, s.range.end));
    let mut out =
        String::with_capacity(text.len() + splices.iter().map(|s| s.text.len()).sum::<usize>());
    let mut at = 0;
    for splice in order {
        let Range { start, end } = splice.range.clone();
        let valid = at <= start
            && start <= end
            && end <= text.len()
            && text.is_char_boundary(start)
            && text.is_char_boundary(end);
        if !valid {
            return Err(EditError::Unsupported(format!(
                "svc computed overlapping changes at byte {start}; this is a bug in svc"
            )));
        }
        out.push_str(&text[at..start]);
        out.push_str(&splice.text);
        at = end;
    }
    out.push_str(&text[at..]);
    Ok(out)
}

/// The line end new lines get: the file's first one, else LF.
pub fn line_end_of(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// The byte where the line holding byte `at` starts.
pub fn line_start(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

/// The byte where the line holding byte `at` ends, before its line end (LF or CRLF).
pub fn line_content_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let lf = bytes[at.min(bytes.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| at + i);
    if lf > 0 && lf < bytes.len() && bytes[lf - 1] == b'\r' {
        lf - 1
    } else {
        lf
    }
}

/// The byte where the line after the one holding byte `at` starts; None when
/// that line is the last and has no line end.
pub fn next_line_start(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    bytes[at.min(bytes.len())..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| at + i + 1)
}

/// The text before byte `at` on its line (a byte-order mark left out).
pub fn line_prefix(text: &str, at: usize) -> &str {
    let prefix = &text[line_start(text, at)..at.min(text.len())];
    prefix.strip_prefix('\u{feff}').unwrap_or(prefix)
}

/// The column of byte `at` as a number of spaces: the characters before it
/// on its line (indentation, or `- ` dashes that a key follows).
pub fn column(text: &str, at: usize) -> usize {
    line_prefix(text, at).chars().count()
}

/// Text that inserts `lines` (each without line end) after the line holding
/// byte `at`, with the file's line end `eol`, as one splice. At the end of a
/// file without a final newline the new lines come after a line end and the
/// last of them gets none, so the file still ends without one.
pub fn lines_after(text: &str, at: usize, lines: &[String], eol: &str) -> Splice {
    match next_line_start(text, at) {
        Some(start) => {
            let body: String = lines.iter().map(|l| format!("{l}{eol}")).collect();
            Splice::insert(start, body)
        }
        None => {
            let body: String = lines.iter().map(|l| format!("{eol}{l}")).collect();
            Splice::insert(text.len(), body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splices_apply_in_order_and_refuse_overlaps() {
        let text = "abcdef";
        let out = apply(
            text,
            &[
                Splice::replace(4..5, "E"),
                Splice::insert(0, ">"),
                Splice::replace(1..3, ""),
            ],
        )
        .unwrap();
        assert_eq!(out, ">adEf");
        assert!(
            apply(
                text,
                &[Splice::replace(1..3, "x"), Splice::replace(2..4, "y")]
            )
            .is_err()
        );
        assert!(apply("é", &[Splice::insert(1, "x")]).is_err());
    }

    #[test]
    fn lines_are_found_with_crlf_and_without_a_final_newline() {
        let text = "a: 1\r\nb: 2";
        assert_eq!(line_end_of(text), "\r\n");
        assert_eq!(line_content_end(text, 0), 4);
        assert_eq!(next_line_start(text, 0), Some(6));
        assert_eq!(next_line_start(text, 7), None);
        assert_eq!(line_start(text, 9), 6);
        let add = lines_after(text, 7, &["c: 3".to_string()], "\r\n");
        assert_eq!(apply(text, &[add]).unwrap(), "a: 1\r\nb: 2\r\nc: 3");
        assert_eq!(column("\u{feff}  k: v", 5), 2);
    }
}
