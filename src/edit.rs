//! Comment-preserving edits of service files, and atomic writes.
//!
//! People write these files by hand and keep them in Git, so svc never
//! re-serialises a document: that would drop comments, reorder keys, change
//! quoting and turn a one-line review diff into a rewrite. Instead each edit
//! finds the lines it must touch by their indentation and keys, changes only
//! those lines (or inserts new ones written in the style of their neighbours),
//! and keeps every other byte: comments, blank lines, quoting, CRLF line ends, a
//! missing final newline, a byte-order mark. Every edit is then checked through
//! the YAML parser (`verify`), and the caller decodes the result as a service
//! before writing it (see `lifecycle::transition::revalidate`).

use std::fmt;
use std::io::Write;
use std::path::Path;

mod verify;

use verify::{Intent, verify};

/// One lifecycle history entry to append.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The stage entered.
    pub stage: String,
    /// RFC 3339 time, written as given.
    pub at: String,
    /// Who made the change.
    pub by: String,
    /// Optional note.
    pub note: Option<String>,
}

/// Retirement fields to set; `None` leaves a field as it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetirementFields {
    /// `retirement.reason`.
    pub reason: String,
    /// `retirement.replaced_by`.
    pub replaced_by: Option<String>,
    /// `retirement.data.backup`.
    pub backup: Option<String>,
    /// `retirement.data.migrated_to`.
    pub migrated_to: Option<String>,
    /// `retirement.data.purged_at`.
    pub purged_at: Option<String>,
}

/// Why an edit could not be made without risking the file's layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    /// A block the edit needs is written in flow style (`key: { ... }`).
    FlowStyle(&'static str),
    /// `lifecycle` exists but has no `stage` line.
    MissingStage,
    /// A layout the editor does not understand.
    Unsupported(String),
    /// The edited text, parsed again, is not the original changed as intended.
    NotVerified(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::FlowStyle(key) => {
                write!(
                    f,
                    "`{key}` is written in flow style (`{{ ... }}`); write it as a block to let svc edit it"
                )
            }
            EditError::MissingStage => f.write_str("`lifecycle` has no `stage` line"),
            EditError::Unsupported(what) => write!(f, "cannot edit this layout: {what}"),
            EditError::NotVerified(what) => {
                write!(f, "the edit did not pass svc's check of its result: {what}")
            }
        }
    }
}

impl std::error::Error for EditError {}

/// A line of the file: its content without the line end, and the line end itself.
#[derive(Clone, Debug)]
struct Line {
    text: String,
    eol: &'static str,
}

/// The file as lines, plus the line end used for new lines.
struct Doc {
    lines: Vec<Line>,
    eol: &'static str,
}

impl Doc {
    fn parse(text: &str) -> Doc {
        let mut lines = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            match rest.find('\n') {
                Some(i) => {
                    let (content, eol) = if i > 0 && rest.as_bytes()[i - 1] == b'\r' {
                        (&rest[..i - 1], "\r\n")
                    } else {
                        (&rest[..i], "\n")
                    };
                    lines.push(Line {
                        text: content.to_string(),
                        eol,
                    });
                    rest = &rest[i + 1..];
                }
                None => {
                    lines.push(Line {
                        text: rest.to_string(),
                        eol: "",
                    });
                    rest = "";
                }
            }
        }
        let eol = lines
            .iter()
            .map(|l| l.eol)
            .find(|e| !e.is_empty())
            .unwrap_or("\n");
        Doc { lines, eol }
    }

    fn render(&self) -> String {
        self.lines
            .iter()
            .flat_map(|l| [l.text.as_str(), l.eol])
            .collect()
    }

    /// Inserts `new` lines after line `after` (or at the start when None). A new
    /// last line takes over a missing final newline.
    fn insert_after(&mut self, after: Option<usize>, new: Vec<String>) {
        if new.is_empty() {
            return;
        }
        let at = after.map_or(0, |i| i + 1);
        let at_end = at == self.lines.len();
        let mut last_eol = self.eol;
        if at_end
            && let Some(last) = self.lines.last_mut()
            && last.eol.is_empty()
        {
            last.eol = self.eol;
            last_eol = "";
        }
        let count = new.len();
        let lines = new.into_iter().enumerate().map(|(i, text)| Line {
            text,
            eol: if at_end && i + 1 == count {
                last_eol
            } else {
                self.eol
            },
        });
        self.lines.splice(at..at, lines);
    }

    /// Content of line `i` without a leading byte-order mark.
    fn content(&self, i: usize) -> &str {
        let text = self.lines[i].text.as_str();
        if i == 0 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        }
    }

    /// Sets the content of line `i`, keeping a byte-order mark on the first line.
    fn set_content(&mut self, i: usize, text: String) {
        self.lines[i].text = if i == 0 && self.lines[0].text.starts_with('\u{feff}') {
            format!("\u{feff}{text}")
        } else {
            text
        };
    }

    /// Removes lines `from..=to`; the line before them takes over the line end
    /// of the last one (which may be a missing final newline).
    fn remove_lines(&mut self, from: usize, to: usize) {
        if from == 0 || from > to {
            return;
        }
        self.lines[from - 1].eol = self.lines[to].eol;
        self.lines.drain(from..=to);
    }

    /// True for lines with nothing but whitespace.
    fn is_blank(&self, i: usize) -> bool {
        self.content(i).trim().is_empty()
    }

    /// True for lines that hold no YAML content (blank or comment only).
    fn is_filler(&self, i: usize) -> bool {
        let t = self.content(i).trim_start();
        t.is_empty() || t.starts_with('#')
    }

    fn indent(&self, i: usize) -> usize {
        let t = self.content(i);
        t.len() - t.trim_start_matches(' ').len()
    }

    /// The line of `key:` at exactly `indent` within `range`.
    fn find_key(&self, range: std::ops::Range<usize>, indent: usize, key: &str) -> Option<usize> {
        range.into_iter().find(|&i| {
            !self.is_filler(i)
                && self.indent(i) == indent
                && key_of(&self.content(i)[indent..]) == Some(key)
        })
    }

    /// The lines after `header` that belong to it: up to the next content line
    /// indented at most `indent`. Returns the last content line of the block.
    fn block_end(&self, header: usize, indent: usize) -> Option<usize> {
        let mut last = None;
        for i in header + 1..self.lines.len() {
            if self.is_filler(i) {
                continue;
            }
            if self.indent(i) <= indent {
                break;
            }
            last = Some(i);
        }
        last
    }

    /// The most common step between nested indents, for new blocks (default 2).
    fn indent_unit(&self) -> usize {
        (0..self.lines.len())
            .filter(|&i| !self.is_filler(i))
            .map(|i| self.indent(i))
            .filter(|&n| n > 0)
            .min()
            .unwrap_or(2)
    }
}

/// The key of a `key: value` or `key:` line (the text after its indentation).
fn key_of(text: &str) -> Option<&str> {
    let colon = text.find(':')?;
    let key = &text[..colon];
    let after = &text[colon + 1..];
    let valid =
        !key.is_empty() && !key.contains([' ', '{', '[', '#', '"', '\'']) && !key.starts_with('-');
    (valid && (after.is_empty() || after.starts_with([' ', '\t']))).then_some(key)
}

/// Where the comment on `text` starts, if it has one. YAML starts a comment at a
/// `#` that begins the text or follows whitespace — a space *or a tab* (a value
/// like `a#b` holds no comment). In a flow collection (`flow`), a `'` or `"` that
/// opens a scalar (after `[`, `{`, `,`, `:` or at the start) hides a `#` until it
/// closes; in a block plain value quotes are ordinary characters. This is the one
/// place the editor tells a value from its comment, so every edit keeps comments
/// the same way.
fn comment_start(text: &str, flow: bool) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut previous: Option<char> = None;
    let mut last_token: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match quote {
            Some('"') if c == '\\' => {
                chars.next();
            }
            Some(q) if c == q => {
                if q == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                    chars.next();
                } else {
                    quote = None;
                }
            }
            Some(_) => {}
            None if c == '#' && previous.is_none_or(|p| p == ' ' || p == '\t') => return Some(i),
            None if flow
                && (c == '"' || c == '\'')
                && last_token.is_none_or(|t| matches!(t, '[' | '{' | ',' | ':')) =>
            {
                quote = Some(c);
            }
            None => {}
        }
        previous = Some(c);
        if !c.is_whitespace() {
            last_token = Some(c);
        }
    }
    None
}

/// `text` without its comment and the whitespace before it.
fn code_of(text: &str, flow: bool) -> &str {
    comment_start(text, flow)
        .map_or(text, |i| &text[..i])
        .trim_end()
}

/// Splits `  key: value  # comment` into (prefix up to the value, value, rest).
fn split_value(line: &str, indent: usize) -> Option<(&str, &str, &str)> {
    let colon = indent + line[indent..].find(':')?;
    let after = &line[colon + 1..];
    let value_start = colon + 1 + (after.len() - after.trim_start().len());
    let rest = &line[value_start..];
    let value_len = match rest.chars().next() {
        None => 0,
        Some(quote @ ('"' | '\'')) => {
            let bytes = rest.as_bytes();
            let mut i = 1;
            loop {
                match bytes.get(i) {
                    None => break rest.len(),
                    Some(b) if *b == quote as u8 => {
                        if quote == '\'' && bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break i + 1;
                    }
                    Some(b'\\') if quote == '"' => i += 2,
                    Some(_) => i += 1,
                }
            }
        }
        Some('#') => 0,
        Some(_) => comment_start(rest, false).unwrap_or(rest.len()),
    };
    let value_len = value_len.min(rest.len());
    let value = rest[..value_len].trim_end();
    Some((&line[..value_start], value, &rest[value.len()..]))
}

/// Writes `text` as a YAML scalar: plain when that reads back as the same
/// string (also inside a flow mapping) in YAML 1.2 *and* in YAML 1.1, else
/// double-quoted with escapes. svc reads `12:30` back as text, but PyYAML,
/// yamllint and older libraries read it as a number (audit #23), and people
/// run those tools on the same files.
pub fn yaml_scalar(text: &str) -> String {
    let reserved = matches!(
        text.to_ascii_lowercase().as_str(),
        "" | "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "<<" | "="
    );
    let numeric = text.parse::<f64>().is_ok()
        || text.starts_with(['.', '+', '-']) && text[1..].parse::<f64>().is_ok();
    if !reserved && !numeric && !yaml11_non_string(text) && plain_is_safe(text) {
        return text.to_string();
    }
    double_quoted(text)
}

/// Writes a timestamp: plain, as timestamps are written everywhere in svc
/// records (`at: 2026-03-02T09:14:00+01:00`), unless YAML needs quotes.
pub fn timestamp_scalar(text: &str) -> String {
    if plain_is_safe(text) {
        text.to_string()
    } else {
        double_quoted(text)
    }
}

/// The writer for the value of `key`: the keys svc fills with timestamps are
/// written as timestamps, everything else as text.
fn scalar_writer(key: &str) -> fn(&str) -> String {
    match key {
        "at" | "purged_at" => timestamp_scalar,
        _ => yaml_scalar,
    }
}

/// True when `text` can be written plain and reads back as these characters
/// (in block and flow context alike), whatever type a reader then gives it.
fn plain_is_safe(text: &str) -> bool {
    let first_ok = text
        .chars()
        .next()
        .is_some_and(|c| !"-?:,[]{}#&*!|>'\"%@`".contains(c) && !c.is_whitespace());
    let body_ok = !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with([':', ' '])
        && !text.contains([',', '[', ']', '{', '}', '\t', '\n', '\r'])
        && !text.chars().any(needs_escape);
    first_ok && body_ok
}

/// True for plain text that a YAML 1.1 reader takes for something other than a
/// string: a number in any of its forms (`0x1F`, `0o17`, `0b101`, `1_000`,
/// `+1`, `.5`, `1e3`, sexagesimal `12:30`, `.inf`, `.nan`) or a date or
/// timestamp (`2026-01-01`). It errs on the side of quoting: anything that
/// starts like a number and holds only what those forms are made of.
fn yaml11_non_string(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if matches!(lower.as_str(), ".inf" | "-.inf" | "+.inf" | ".nan") {
        return true;
    }
    text.starts_with(|c: char| c.is_ascii_digit() || "+-.".contains(c))
        && text.chars().any(|c| c.is_ascii_digit())
        && text
            .chars()
            .all(|c| c.is_ascii_hexdigit() || "xXoO_:.+-tTzZ ".contains(c))
}

/// True for a character that no YAML reader may see raw in a value svc writes
/// (issue 11, finding 10): C0 and C1 controls and DEL (U+0085, NEL, is a line
/// break in YAML 1.1), the line and paragraph separators U+2028 and U+2029
/// (line breaks in YAML 1.1, and in JavaScript-based readers), the byte-order
/// mark U+FEFF and the non-characters U+FFFE and U+FFFF (outside YAML's
/// printable set), and the bidi controls svc never shows raw either
/// ([`crate::render::is_hazard`]). Such text is written double-quoted with the
/// character as a `\uXXXX` escape, which every reader decodes to it.
fn needs_escape(c: char) -> bool {
    crate::render::is_hazard(c) || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// `text` as a double-quoted scalar, with `"`, `\` and [`needs_escape`] characters escaped.
fn double_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Writes `new` in the quoting style of the `old` value token, escaped for that
/// style: a double-quoted value stays double-quoted (with `\` and `"` escaped),
/// a single-quoted one stays single-quoted (with `'` doubled) unless it holds a
/// control character that only double quotes can carry, and anything else is
/// written by `plain` (plain when YAML allows).
fn same_quoting(old: &str, new: &str, plain: fn(&str) -> String) -> String {
    if old.starts_with('"') || old.starts_with('\'') && new.chars().any(needs_escape) {
        double_quoted(new)
    } else if old.starts_with('\'') {
        format!("'{}'", new.replace('\'', "''"))
    } else {
        plain(new)
    }
}

/// The byte index just past the quote that closes a `quote`-quoted scalar in
/// `text`, which starts inside the scalar; None when it does not close on this line.
fn closing_quote(text: &str, quote: char) -> Option<usize> {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if quote == '"' && c == '\\' {
            chars.next();
        } else if c == quote {
            if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') {
                chars.next();
            } else {
                return Some(i + c.len_utf8());
            }
        }
    }
    None
}

/// Replaces the value of the `key:` line `line` (key at `indent`) with `new`, in
/// the old value's quoting style. A value that goes on over the following lines —
/// a `|` or `>` block scalar, a plain or quoted scalar that wraps, or a value that
/// starts on the next line — is replaced with all its lines: a line left behind
/// would merge with the new value (audit critical #3). The comment after the old
/// value is kept. `path` names the value in refusals.
fn replace_value(
    doc: &mut Doc,
    line: usize,
    indent: usize,
    path: &str,
    new: &str,
) -> Result<(), EditError> {
    let text = doc.content(line).to_string();
    let (prefix, old, rest) = split_value(&text, indent)
        .ok_or_else(|| EditError::Unsupported(format!("`{path}` has no `key: value` line")))?;
    if let Some(marker) = old
        .split_whitespace()
        .next()
        .filter(|t| t.starts_with(['&', '*']))
    {
        return Err(EditError::Unsupported(format!(
            "`{path}` carries the YAML anchor or alias `{marker}`; write the value without it to let svc edit it"
        )));
    }
    let stray = |what: &str| {
        EditError::Unsupported(format!(
            "the value of `{path}` spans several lines with {what}; write it on one line to let svc edit it"
        ))
    };
    // The lines after the key line indented deeper than the key: candidates for
    // the rest of the value.
    let mut deeper = Vec::new();
    for i in line + 1..doc.lines.len() {
        if doc.is_blank(i) {
            continue;
        }
        if doc.indent(i) <= indent {
            break;
        }
        deeper.push(i);
    }
    let is_comment = |doc: &Doc, i: usize| doc.content(i).trim_start().starts_with('#');
    let quote = old.chars().next().filter(|c| matches!(c, '"' | '\''));
    let (last, tail) = if old.starts_with(['|', '>']) {
        // A block scalar: its lines are those indented at least as far as its
        // first line (or as its indentation indicator says), even one that starts
        // with `#`; a less indented comment after it is not part of it.
        let content_indent = old
            .chars()
            .find_map(|c| c.to_digit(10))
            .map(|digit| indent + digit as usize)
            .or_else(|| deeper.first().map(|&i| doc.indent(i)))
            .unwrap_or(usize::MAX);
        let last = deeper
            .iter()
            .take_while(|&&i| doc.indent(i) >= content_indent)
            .last()
            .copied()
            .unwrap_or(line);
        (last, rest.to_string())
    } else if let Some(quote) = quote.filter(|&q| closing_quote(&old[1..], q).is_none()) {
        // A quoted scalar that closes on a later line: it ends at the closing quote.
        let close = deeper
            .iter()
            .find_map(|&i| closing_quote(doc.content(i), quote).map(|end| (i, end)))
            .ok_or_else(|| stray("an unterminated quote"))?;
        let after = &doc.content(close.0)[close.1..];
        (close.0, after.to_string())
    } else {
        // A plain scalar that wraps, or a value that starts on the next line. A
        // comment line ends a plain scalar, so one before the value's last line
        // means the layout is not what it seems.
        let content: Vec<usize> = deeper
            .iter()
            .copied()
            .filter(|&i| !is_comment(doc, i))
            .collect();
        let Some(&last) = content.last() else {
            replace_on_line(doc, line, (prefix, old, rest), new, path);
            return Ok(());
        };
        if deeper.iter().any(|&i| i < last && is_comment(doc, i)) {
            return Err(stray("a comment between its lines"));
        }
        let last_text = doc.content(last);
        let after = &last_text[code_of(last_text, true).len()..];
        if !after.trim().is_empty() && !rest.trim().is_empty() {
            return Err(stray("comments on more than one line"));
        }
        let tail = if rest.trim().is_empty() { after } else { rest };
        (last, tail.to_string())
    };
    replace_on_line(doc, line, (prefix, old, &tail), new, path);
    doc.remove_lines(line + 1, last);
    Ok(())
}

/// Writes `prefix` (the key and what precedes the value), `new` in the quoting
/// style of `old`, and `tail` (the whitespace and comment after the value) as
/// line `line`. `path` names the value (its last key decides how it is written).
fn replace_on_line(
    doc: &mut Doc,
    line: usize,
    (prefix, old, tail): (&str, &str, &str),
    new: &str,
    path: &str,
) {
    let key = path.rsplit('.').next().unwrap_or(path);
    let value = same_quoting(old, new, scalar_writer(key));
    let text = if old.is_empty() {
        // `key:` or `key:   # comment`: the value goes after one space, and the
        // comment keeps its distance from the value.
        let key = prefix.trim_end();
        let gap = &prefix[key.len()..];
        if tail.trim().is_empty() {
            format!("{key} {value}")
        } else {
            let gap = if gap.is_empty() { " " } else { gap };
            format!("{key} {value}{gap}{}", tail.trim_start())
        }
    } else {
        format!("{prefix}{value}{tail}")
    };
    doc.set_content(line, text);
}

fn entry_pairs(entry: &HistoryEntry) -> Vec<(&'static str, String)> {
    let mut pairs = vec![
        ("stage", yaml_scalar(&entry.stage)),
        ("at", timestamp_scalar(&entry.at)),
        ("by", yaml_scalar(&entry.by)),
    ];
    if let Some(note) = &entry.note {
        pairs.push(("note", yaml_scalar(note)));
    }
    pairs
}

/// `entry` as a flow mapping, `{ stage: ..., at: ..., by: ..., note: ... }`
/// (`{stage: ...}` when not `spaced`), quoting values only where YAML needs it.
pub fn flow_entry(entry: &HistoryEntry, spaced: bool) -> String {
    let body = entry_pairs(entry)
        .iter()
        .map(|(k, v)| format!("{k}: {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    if spaced {
        format!("{{ {body} }}")
    } else {
        format!("{{{body}}}")
    }
}

/// Sets `lifecycle.stage` to `stage` and appends `entry` to `lifecycle.history`,
/// in the style of the existing entries (flow `- { ... }`, block, compact or a
/// flow sequence). Every other byte of `text` is kept. A layout the line editor
/// does not understand is refused, never mangled: the result must pass
/// the edit check (the new stage, exactly one more history entry, nothing else
/// changed, every comment kept).
pub fn advance_stage(text: &str, stage: &str, entry: &HistoryEntry) -> Result<String, EditError> {
    let edited = advance_stage_lines(text, stage, entry)?;
    let intent = Intent {
        sets: vec![(vec!["lifecycle", "stage"], stage)],
        appended: Some(entry),
    };
    verify(text, &edited, &intent)?;
    Ok(edited)
}

fn advance_stage_lines(text: &str, stage: &str, entry: &HistoryEntry) -> Result<String, EditError> {
    let mut doc = Doc::parse(text);
    let total = doc.lines.len();
    let Some(header) = doc.find_key(0..total, 0, "lifecycle") else {
        let unit = " ".repeat(doc.indent_unit());
        let last = (0..total).rev().find(|&i| !doc.is_filler(i));
        let new = vec![
            "lifecycle:".to_string(),
            format!("{unit}stage: {}", yaml_scalar(stage)),
            format!("{unit}history:"),
            format!("{unit}{unit}- {}", flow_entry(entry, true)),
        ];
        doc.insert_after(last.or(total.checked_sub(1)), new);
        return Ok(doc.render());
    };
    if split_value(doc.content(header), 0).is_some_and(|(_, v, _)| !v.is_empty()) {
        return Err(EditError::FlowStyle("lifecycle"));
    }
    let block_last = doc.block_end(header, 0).ok_or(EditError::MissingStage)?;
    let child = (header + 1..=block_last)
        .find(|&i| !doc.is_filler(i))
        .map_or(2, |i| doc.indent(i));
    let stage_line = doc
        .find_key(header + 1..block_last + 1, child, "stage")
        .ok_or(EditError::MissingStage)?;
    replace_value(&mut doc, stage_line, child, "lifecycle.stage", stage)?;
    // The stage's old value may have spanned lines that are gone now.
    let block_last = doc.block_end(header, 0).unwrap_or(stage_line);

    let pad = " ".repeat(child);
    let Some(history) = doc.find_key(header + 1..block_last + 1, child, "history") else {
        let unit = " ".repeat(doc.indent_unit());
        let stage_end = doc.block_end(stage_line, child).unwrap_or(stage_line);
        doc.insert_after(
            Some(stage_end),
            vec![
                format!("{pad}history:"),
                format!("{pad}{unit}- {}", flow_entry(entry, true)),
            ],
        );
        return Ok(doc.render());
    };
    let history_text = doc.content(history).to_string();
    let (_, value, _) =
        split_value(&history_text, child).ok_or(EditError::Unsupported("history".into()))?;
    if value.starts_with('[') {
        return append_to_flow_sequence(&mut doc, history, child, entry);
    }
    if is_null(value) {
        open_block(&mut doc, history, child, "lifecycle.history")?;
    } else if !value.is_empty() {
        return Err(EditError::Unsupported(format!(
            "`lifecycle.history` is `{value}`, not a list"
        )));
    }
    // Block sequence: items start with `-` at some indent >= child (compact style: == child).
    let first_item = (history + 1..doc.lines.len())
        .find(|&i| !doc.is_filler(i))
        .filter(|&i| doc.indent(i) >= child && doc.content(i)[doc.indent(i)..].starts_with('-'));
    let Some(first_item) = first_item else {
        let unit = " ".repeat(doc.indent_unit());
        doc.insert_after(
            Some(history),
            vec![format!("{pad}{unit}- {}", flow_entry(entry, true))],
        );
        return Ok(doc.render());
    };
    let item_indent = doc.indent(first_item);
    // The last item: the last `-` line at item_indent before the sequence ends.
    let mut last_item = first_item;
    let mut last_line = first_item;
    for i in first_item + 1..doc.lines.len() {
        if doc.is_filler(i) {
            continue;
        }
        let indent = doc.indent(i);
        let is_item = indent == item_indent && doc.content(i)[indent..].starts_with('-');
        if is_item {
            last_item = i;
            last_line = i;
        } else if indent > item_indent {
            last_line = i;
        } else {
            break;
        }
    }
    let item_text = doc.content(last_item)[item_indent..].to_string();
    let after_dash = item_text[1..].trim_start();
    let item_pad = " ".repeat(item_indent);
    // `-` alone on its line (maybe with a comment): the keys follow on the next
    // lines, at the column of the last item's first key.
    let lone_dash_keys = (after_dash.is_empty() || after_dash.starts_with('#'))
        .then(|| (last_item + 1..=last_line).find(|&i| !doc.is_filler(i)))
        .flatten()
        .map(|i| doc.indent(i));
    let new = if let Some(key_column) = lone_dash_keys {
        let key_pad = " ".repeat(key_column);
        std::iter::once(format!("{item_pad}-"))
            .chain(
                entry_pairs(entry)
                    .into_iter()
                    .map(|(k, v)| format!("{key_pad}{k}: {v}")),
            )
            .collect()
    } else if after_dash.starts_with('{') {
        vec![format!(
            "{item_pad}- {}",
            flow_entry(entry, after_dash.starts_with("{ "))
        )]
    } else {
        // Block mapping: the first key follows the dash; the rest align with it.
        let key_column = item_indent + (item_text.len() - after_dash.len());
        let key_pad = " ".repeat(key_column);
        let dash_gap = " ".repeat(key_column - item_indent - 1);
        entry_pairs(entry)
            .into_iter()
            .enumerate()
            .map(|(i, (k, v))| {
                if i == 0 {
                    format!("{item_pad}-{dash_gap}{k}: {v}")
                } else {
                    format!("{key_pad}{k}: {v}")
                }
            })
            .collect()
    };
    doc.insert_after(Some(last_line), new);
    Ok(doc.render())
}

/// True for the plain scalars YAML reads as null.
fn is_null(value: &str) -> bool {
    matches!(value, "~" | "null" | "Null" | "NULL")
}

/// Makes the `key:` line `line` (key at `indent`, named `path`) ready for a
/// block below it: `key: ~` loses its null (the comment stays); a value written
/// in flow style, or any other value, is refused.
fn open_block(
    doc: &mut Doc,
    line: usize,
    indent: usize,
    path: &'static str,
) -> Result<(), EditError> {
    let text = doc.content(line).to_string();
    let Some((prefix, value, rest)) = split_value(&text, indent) else {
        return Ok(());
    };
    if is_null(value) {
        doc.set_content(line, format!("{}{rest}", prefix.trim_end()));
        Ok(())
    } else if value.is_empty() {
        Ok(())
    } else if value.starts_with(['{', '[']) {
        Err(EditError::FlowStyle(path))
    } else {
        Err(EditError::Unsupported(format!(
            "`{path}` is `{value}`, not a mapping"
        )))
    }
}

/// `history: [ {...}, {...} ]`, on one line or several: the new entry goes before
/// the closing bracket.
fn append_to_flow_sequence(
    doc: &mut Doc,
    history: usize,
    child: usize,
    entry: &HistoryEntry,
) -> Result<String, EditError> {
    let close = (history..doc.lines.len())
        .find(|&i| {
            let t = doc.content(i);
            let code = code_of(t, true);
            code.ends_with(']') && (i > history || t.trim_end().len() > child)
        })
        .ok_or(EditError::Unsupported(
            "unterminated flow sequence in `history`".into(),
        ))?;
    let line = doc.lines[close].text.clone();
    let code_len = code_of(&line, true).len();
    let bracket = code_len - 1;
    let before = &line[..bracket];
    let spaced = (history..=close)
        .find_map(|i| {
            let t = &doc.lines[i].text;
            t.find('{').map(|b| t[b + 1..].starts_with(' '))
        })
        .unwrap_or(true);
    let item = flow_entry(entry, spaced);
    let trimmed = before.trim_end();
    if close == history || !trimmed.trim_start().is_empty() {
        // `[...]` ends on a content line: append `, {entry}` (or the first entry).
        let open_empty = trimmed.ends_with('[');
        let separator = if open_empty { "" } else { ", " };
        let inner_space = if before.ends_with(' ') && !open_empty {
            " "
        } else {
            ""
        };
        doc.lines[close].text = format!(
            "{trimmed}{separator}{item}{inner_space}{}",
            &line[bracket..]
        );
        return Ok(doc.render());
    }
    // `]` alone on its line: add a comma to the previous entry and a new entry line.
    let previous = (history..close)
        .rev()
        .find(|&i| !doc.is_filler(i))
        .unwrap_or(history);
    let previous_text = doc.lines[previous].text.clone();
    let previous_code = code_of(&previous_text, true);
    if previous != history && !previous_code.ends_with(',') {
        let (code, comment) = previous_text.split_at(previous_code.len());
        doc.lines[previous].text = format!("{code},{comment}");
    }
    let item_pad = if previous == history {
        " ".repeat(child + doc.indent_unit())
    } else {
        " ".repeat(doc.indent(previous))
    };
    let trailing_comma = if previous_code.ends_with(',') {
        ","
    } else {
        ""
    };
    doc.insert_after(
        Some(previous),
        vec![format!("{item_pad}{item}{trailing_comma}")],
    );
    Ok(doc.render())
}

/// Adds or fills the top-level `retirement:` block (reason, replaced_by and the
/// `data` fields), keeping existing keys, comments and order; given fields that
/// already exist are replaced in place. Like [`advance_stage`], the result must
/// pass the edit check: every given field reads back as given and nothing else changed.
pub fn set_retirement(text: &str, fields: &RetirementFields) -> Result<String, EditError> {
    let edited = set_retirement_lines(text, fields)?;
    let mut sets = vec![(vec!["retirement", "reason"], fields.reason.as_str())];
    let optional = [
        (vec!["retirement", "replaced_by"], &fields.replaced_by),
        (vec!["retirement", "data", "backup"], &fields.backup),
        (
            vec!["retirement", "data", "migrated_to"],
            &fields.migrated_to,
        ),
        (vec!["retirement", "data", "purged_at"], &fields.purged_at),
    ];
    for (path, value) in optional {
        if let Some(value) = value {
            sets.push((path, value.as_str()));
        }
    }
    verify(
        text,
        &edited,
        &Intent {
            sets,
            appended: None,
        },
    )?;
    Ok(edited)
}

fn set_retirement_lines(text: &str, fields: &RetirementFields) -> Result<String, EditError> {
    let mut doc = Doc::parse(text);
    let unit = doc.indent_unit();
    let pad = " ".repeat(unit);
    let top: Vec<(&str, Option<&String>)> = vec![
        ("reason", Some(&fields.reason)),
        ("replaced_by", fields.replaced_by.as_ref()),
    ];
    let data: Vec<(&str, Option<&String>)> = vec![
        ("migrated_to", fields.migrated_to.as_ref()),
        ("backup", fields.backup.as_ref()),
        ("purged_at", fields.purged_at.as_ref()),
    ];
    let total = doc.lines.len();
    let Some(header) = doc.find_key(0..total, 0, "retirement") else {
        let mut new = vec!["retirement:".to_string()];
        for (key, value) in &top {
            if let Some(value) = value {
                new.push(format!("{pad}{key}: {}", scalar_writer(key)(value)));
            }
        }
        if data.iter().any(|(_, v)| v.is_some()) {
            new.push(format!("{pad}data:"));
            for (key, value) in &data {
                if let Some(value) = value {
                    new.push(format!("{pad}{pad}{key}: {}", scalar_writer(key)(value)));
                }
            }
        }
        let last = (0..total).rev().find(|&i| !doc.is_filler(i));
        doc.insert_after(last.or(total.checked_sub(1)), new);
        return Ok(doc.render());
    };
    open_block(&mut doc, header, 0, "retirement")?;
    let child = doc
        .block_end(header, 0)
        .and_then(|_| (header + 1..doc.lines.len()).find(|&i| !doc.is_filler(i)))
        .map_or(unit, |i| doc.indent(i));
    set_keys(&mut doc, (header, "retirement"), 0, child, &top)?;
    if data.iter().all(|(_, v)| v.is_none()) {
        return Ok(doc.render());
    }
    let end = doc.block_end(header, 0).map_or(header + 1, |e| e + 1);
    let data_header = match doc.find_key(header + 1..end, child, "data") {
        Some(line) => {
            open_block(&mut doc, line, child, "retirement.data")?;
            line
        }
        None => {
            let last = doc.block_end(header, 0).unwrap_or(header);
            doc.insert_after(Some(last), vec![format!("{}data:", " ".repeat(child))]);
            last + 1
        }
    };
    let data_child = doc
        .block_end(data_header, child)
        .and_then(|_| (data_header + 1..doc.lines.len()).find(|&i| !doc.is_filler(i)))
        .map_or(child + unit, |i| doc.indent(i));
    set_keys(
        &mut doc,
        (data_header, "retirement.data"),
        child,
        data_child,
        &data,
    )?;
    Ok(doc.render())
}

/// Replaces or adds `key: value` lines at `child` indent inside the block of
/// `header` (indented `indent`, named `parent` in refusals); new keys go after
/// the block's last line.
fn set_keys(
    doc: &mut Doc,
    (header, parent): (usize, &str),
    indent: usize,
    child: usize,
    pairs: &[(&str, Option<&String>)],
) -> Result<(), EditError> {
    for (key, value) in pairs {
        let Some(value) = value else { continue };
        let end = doc.block_end(header, indent).map_or(header + 1, |e| e + 1);
        match doc.find_key(header + 1..end, child, key) {
            Some(line) => replace_value(doc, line, child, &format!("{parent}.{key}"), value)?,
            None => {
                let last = doc.block_end(header, indent).unwrap_or(header);
                // Keep nested blocks (like `data:`) last: insert before the first one.
                let before_nested = (header + 1..=last).find(|&i| {
                    !doc.is_filler(i)
                        && doc.indent(i) == child
                        && split_value(doc.content(i), child).is_some_and(|(_, v, _)| v.is_empty())
                        && doc.block_end(i, child).is_some()
                });
                let after = match before_nested {
                    Some(nested) => (header..nested)
                        .rev()
                        .find(|&i| !doc.is_filler(i))
                        .unwrap_or(header),
                    None => last,
                };
                doc.insert_after(
                    Some(after),
                    vec![format!(
                        "{}{key}: {}",
                        " ".repeat(child),
                        scalar_writer(key)(value)
                    )],
                );
            }
        }
    }
    Ok(())
}

/// A unified diff of `old` and `new` with three lines of context, labelled
/// `a/<label>` and `b/<label>` as Git does.
pub fn unified_diff(label: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{label}"), &format!("b/{label}"))
        .to_string()
}

/// Writes `contents` to `path` atomically: a temporary file in the same
/// directory, flushed to disk, then renamed over the target, so a crash leaves
/// either the old file or the new one, never a truncated mix. The target's
/// permissions are kept.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file")
    })?;
    let prefix = format!(".{}.svc-tmp-", name.to_string_lossy());
    remove_stale_temporaries(dir, &prefix);
    let temp = dir.join(format!("{prefix}{}", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)?;
        if let Ok(metadata) = std::fs::metadata(path) {
            file.set_permissions(metadata.permissions())?;
        }
        #[cfg(debug_assertions)]
        let contents = pause_half_way_for_tests(&mut file, contents)?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)?;
        #[cfg(unix)]
        std::fs::File::open(dir)?.sync_all()?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Removes temporary files that an earlier svc, killed half-way through a
/// write, left beside the target. Callers hold the repo lock, so no other svc
/// process is writing one of them now.
fn remove_stale_temporaries(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(prefix) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The crash test's hook, compiled into debug builds only (the ones `cargo
/// test` runs): with `SVC_TEST_PAUSE_MID_WRITE_MS` set, writes half of
/// `contents`, flushes it to disk and sleeps, so the test can kill svc with the
/// temporary file half-written. Returns what is left to write.
#[cfg(debug_assertions)]
fn pause_half_way_for_tests<'a>(
    file: &mut std::fs::File,
    contents: &'a [u8],
) -> std::io::Result<&'a [u8]> {
    let Some(millis) = std::env::var("SVC_TEST_PAUSE_MID_WRITE_MS")
        .ok()
        .and_then(|v| v.parse().ok())
    else {
        return Ok(contents);
    };
    let (first, rest) = contents.split_at(contents.len() / 2);
    file.write_all(first)?;
    file.sync_all()?;
    std::thread::sleep(std::time::Duration::from_millis(millis));
    Ok(rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> HistoryEntry {
        HistoryEntry {
            stage: "deprecated".into(),
            at: "2026-10-01T09:00:00Z".into(),
            by: "ana@example.com".into(),
            note: None,
        }
    }

    /// Every input line but the stage line survives in order, and exactly
    /// `added` lines are new.
    fn assert_only_stage_and_additions(input: &str, output: &str, added: usize) {
        let old: Vec<&str> = input.lines().collect();
        let new: Vec<&str> = output.lines().collect();
        assert_eq!(new.len(), old.len() + added, "{output}");
        let changed = old.iter().filter(|l| !new.contains(l)).count();
        assert!(changed <= 1, "more than the stage line changed:\n{output}");
    }

    #[test]
    fn flow_history_gets_a_flow_entry() {
        let input = "kind: Service\nid: a  # the id\nlifecycle:\n  stage: operational   # live since January\n  history:\n    - { stage: proposed, at: 2025-11-03T10:00:00Z, by: ana@example.com }\n    - { stage: operational, at: 2026-01-12T08:30:00Z, by: ana@example.com, note: launch }\n\n# owners below\nowner: team\n";
        let output = advance_stage(input, "deprecated", &entry()).unwrap();
        assert_eq!(
            output,
            "kind: Service\nid: a  # the id\nlifecycle:\n  stage: deprecated   # live since January\n  history:\n    - { stage: proposed, at: 2025-11-03T10:00:00Z, by: ana@example.com }\n    - { stage: operational, at: 2026-01-12T08:30:00Z, by: ana@example.com, note: launch }\n    - { stage: deprecated, at: 2026-10-01T09:00:00Z, by: ana@example.com }\n\n# owners below\nowner: team\n"
        );
        assert_only_stage_and_additions(input, &output, 1);
    }

    #[test]
    fn block_history_gets_a_block_entry() {
        let input = "lifecycle:\n  stage: operational\n  history:\n    - stage: proposed\n      at: 2025-11-03T10:00:00Z\n      by: ana@example.com\n      # a comment inside\n    - stage: operational\n      at: 2026-01-12T08:30:00Z\n      by: bo@example.com\nowner: team\n";
        let output = advance_stage(input, "deprecated", &entry()).unwrap();
        assert_eq!(
            output,
            "lifecycle:\n  stage: deprecated\n  history:\n    - stage: proposed\n      at: 2025-11-03T10:00:00Z\n      by: ana@example.com\n      # a comment inside\n    - stage: operational\n      at: 2026-01-12T08:30:00Z\n      by: bo@example.com\n    - stage: deprecated\n      at: 2026-10-01T09:00:00Z\n      by: ana@example.com\nowner: team\n"
        );
    }

    #[test]
    fn compact_history_keeps_its_indent() {
        let input = "lifecycle:\n  stage: design\n  history:\n  - {stage: design, at: 2025-11-03T10:00:00Z, by: ana@example.com}\n";
        let output = advance_stage(
            input,
            "development",
            &HistoryEntry {
                stage: "development".into(),
                ..entry()
            },
        )
        .unwrap();
        assert_eq!(
            output,
            "lifecycle:\n  stage: development\n  history:\n  - {stage: design, at: 2025-11-03T10:00:00Z, by: ana@example.com}\n  - {stage: development, at: 2026-10-01T09:00:00Z, by: ana@example.com}\n"
        );
    }

    #[test]
    fn one_line_flow_sequence_gets_one_more_item() {
        let input = "lifecycle:\n  stage: design\n  history: [{ stage: design, at: 2025-11-03T10:00:00Z, by: a@x.org }]  # short\n";
        let output = advance_stage(
            input,
            "testing",
            &HistoryEntry {
                stage: "testing".into(),
                ..entry()
            },
        )
        .unwrap();
        assert_eq!(
            output,
            "lifecycle:\n  stage: testing\n  history: [{ stage: design, at: 2025-11-03T10:00:00Z, by: a@x.org }, { stage: testing, at: 2026-10-01T09:00:00Z, by: ana@example.com }]  # short\n"
        );
    }

    #[test]
    fn multi_line_flow_sequence_gets_a_new_line() {
        let input = "lifecycle:\n  stage: design\n  history: [\n    { stage: design, at: 2025-11-03T10:00:00Z, by: a@x.org }\n  ]\n";
        let output = advance_stage(
            input,
            "testing",
            &HistoryEntry {
                stage: "testing".into(),
                ..entry()
            },
        )
        .unwrap();
        assert_eq!(
            output,
            "lifecycle:\n  stage: testing\n  history: [\n    { stage: design, at: 2025-11-03T10:00:00Z, by: a@x.org },\n    { stage: testing, at: 2026-10-01T09:00:00Z, by: ana@example.com }\n  ]\n"
        );
    }

    #[test]
    fn empty_flow_sequence_gets_its_first_item() {
        let input = "lifecycle:\n  stage: design\n  history: []\n";
        let output = advance_stage(
            input,
            "testing",
            &HistoryEntry {
                stage: "testing".into(),
                ..entry()
            },
        )
        .unwrap();
        assert_eq!(
            output,
            "lifecycle:\n  stage: testing\n  history: [{ stage: testing, at: 2026-10-01T09:00:00Z, by: ana@example.com }]\n"
        );
    }

    #[test]
    fn missing_history_is_added_after_the_stage() {
        let input = "lifecycle:\n    stage: design\nowner: t\n";
        let output = advance_stage(
            input,
            "testing",
            &HistoryEntry {
                stage: "testing".into(),
                ..entry()
            },
        )
        .unwrap();
        assert_eq!(
            output,
            "lifecycle:\n    stage: testing\n    history:\n        - { stage: testing, at: 2026-10-01T09:00:00Z, by: ana@example.com }\nowner: t\n"
        );
    }

    #[test]
    fn crlf_and_missing_final_newline_are_kept() {
        let input = "kind: Service\r\nlifecycle:\r\n  stage: operational\r\n  history:\r\n    - { stage: operational, at: 2026-01-12T08:30:00Z, by: a@x.org }";
        let output = advance_stage(input, "deprecated", &entry()).unwrap();
        assert_eq!(
            output,
            "kind: Service\r\nlifecycle:\r\n  stage: deprecated\r\n  history:\r\n    - { stage: operational, at: 2026-01-12T08:30:00Z, by: a@x.org }\r\n    - { stage: deprecated, at: 2026-10-01T09:00:00Z, by: ana@example.com }"
        );
    }

    #[test]
    fn quoting_of_the_stage_value_is_kept() {
        let input = "\u{feff}lifecycle:\n  stage: 'operational'\n  history: []\n";
        let output = advance_stage(input, "deprecated", &entry()).unwrap();
        assert!(
            output.starts_with("\u{feff}lifecycle:\n  stage: 'deprecated'\n"),
            "{output}"
        );
        let input = "lifecycle:\n  stage: \"operational\" # quoted\n";
        let output = advance_stage(input, "deprecated", &entry()).unwrap();
        assert!(
            output.starts_with("lifecycle:\n  stage: \"deprecated\" # quoted\n"),
            "{output}"
        );
    }

    #[test]
    fn comment_after_a_tab_on_the_stage_line_is_kept() {
        let input = "lifecycle:\n  stage: design\t# tab comment\n  history:\n    - { stage: design, at: 2026-02-01T10:00:00Z, by: a@x.org }\n";
        let output = advance_stage(input, "deprecated", &entry()).unwrap();
        assert!(
            output.starts_with("lifecycle:\n  stage: deprecated\t# tab comment\n"),
            "{output}"
        );
    }

    #[test]
    fn comment_after_a_tab_on_retirement_keys_is_kept() {
        let input = "retirement:\n  reason: other\t# c\n  data:\n    backup: s3://old\t# c2\n";
        let fields = RetirementFields {
            reason: "regulatory".into(),
            replaced_by: None,
            backup: Some("s3://new".into()),
            migrated_to: None,
            purged_at: None,
        };
        let output = set_retirement(input, &fields).unwrap();
        assert_eq!(
            output,
            "retirement:\n  reason: regulatory\t# c\n  data:\n    backup: s3://new\t# c2\n"
        );
    }

    #[test]
    fn comment_after_a_tab_on_a_flow_history_is_kept() {
        let input = "lifecycle:\n  stage: design\n  history: [{ stage: design, at: 2025-11-03T10:00:00Z, by: a }]\t# c\n";
        let output = advance_stage(input, "deprecated", &entry()).unwrap();
        assert!(
            output.ends_with(
                ", { stage: deprecated, at: 2026-10-01T09:00:00Z, by: ana@example.com }]\t# c\n"
            ),
            "{output}"
        );
    }

    #[test]
    fn comments_start_at_a_hash_after_whitespace_outside_quotes() {
        assert_eq!(comment_start("a # c", false), Some(2));
        assert_eq!(comment_start("a\t# c", false), Some(2));
        assert_eq!(comment_start("# c", false), Some(0));
        assert_eq!(comment_start("a#b", false), None);
        assert_eq!(comment_start("it's # c", false), Some(5));
        assert_eq!(comment_start("[{ note: 'a # b' }] # c", true), Some(20));
        assert_eq!(
            comment_start("[{ note: \"a \\\" # b\" }]\t# c", true),
            Some(23)
        );
        assert_eq!(comment_start("[{ note: 'it''s # b' }]", true), None);
    }

    fn retire_backup(input: &str, backup: &str) -> Result<String, EditError> {
        let fields = RetirementFields {
            reason: "regulatory".into(),
            replaced_by: None,
            backup: Some(backup.into()),
            migrated_to: None,
            purged_at: None,
        };
        set_retirement(input, &fields)
    }

    fn backup_of(text: &str) -> Option<String> {
        let doc = crate::yaml::parse_document(text).ok()??;
        let backup = doc.get("retirement")?.get("data")?.get("backup")?;
        backup.as_str().map(str::to_string)
    }

    #[test]
    fn backslashes_written_into_a_double_quoted_value_are_escaped() {
        let input = "retirement:\n  reason: \"other\"\n  data:\n    backup: \"s3://old\"\n";
        let output = retire_backup(input, "C:\\new\\backup").unwrap();
        assert!(
            output.ends_with("    backup: \"C:\\\\new\\\\backup\"\n"),
            "{output}"
        );
        assert_eq!(backup_of(&output).as_deref(), Some("C:\\new\\backup"));
    }

    #[test]
    fn quotes_written_into_a_quoted_value_are_escaped_not_refused() {
        let double = "retirement:\n  data:\n    backup: \"s3://old\"  # where\n";
        let output = retire_backup(double, "say \"hi\"").unwrap();
        assert!(
            output.ends_with("    backup: \"say \\\"hi\\\"\"  # where\n"),
            "{output}"
        );
        assert_eq!(backup_of(&output).as_deref(), Some("say \"hi\""));
        let single = "retirement:\n  data:\n    backup: 's3://old'\n";
        let output = retire_backup(single, "it's \"here\"").unwrap();
        assert!(
            output.ends_with("    backup: 'it''s \"here\"'\n"),
            "{output}"
        );
        assert_eq!(backup_of(&output).as_deref(), Some("it's \"here\""));
        let output = retire_backup(single, "two\nlines").unwrap();
        assert_eq!(backup_of(&output).as_deref(), Some("two\nlines"));
    }

    #[test]
    fn multi_line_old_values_are_replaced_with_all_their_lines() {
        let cases = [
            // Audit r09: a literal block scalar.
            (
                "    backup: |\n      s3://old\nowner: t\n",
                "    backup: s3://new\nowner: t\n",
            ),
            // Audit r08: a plain scalar on the line after its key.
            (
                "    backup:\n      s3://old\nowner: t\n",
                "    backup: s3://new\nowner: t\n",
            ),
            // A folded block with a comment on its header and one after it.
            (
                "    backup: >-  # folded\n      s3://old\n\n      # not a comment\n  # a comment\nowner: t\n",
                "    backup: s3://new  # folded\n  # a comment\nowner: t\n",
            ),
            // A plain scalar that wraps, with a comment on its last line.
            (
                "    backup: s3://old\n      and more # kept\nowner: t\n",
                "    backup: s3://new # kept\nowner: t\n",
            ),
            // A double-quoted scalar over two lines.
            (
                "    backup: \"s3://old\n      more\"   # kept\nowner: t\n",
                "    backup: \"s3://new\"   # kept\nowner: t\n",
            ),
            // A value on the next line, with the comment on the key line.
            (
                "    backup:   # where\n      s3://old\n",
                "    backup: s3://new   # where\n",
            ),
            // At the end of a file without a final newline.
            ("    backup: |\n      s3://old", "    backup: s3://new"),
        ];
        for (data, expected) in cases {
            let input = format!("retirement:\n  reason: other\n  data:\n{data}");
            let output = retire_backup(&input, "s3://new").unwrap();
            assert_eq!(
                output,
                format!("retirement:\n  reason: regulatory\n  data:\n{expected}"),
                "{input}"
            );
            assert_eq!(backup_of(&output).as_deref(), Some("s3://new"), "{output}");
        }
    }

    #[test]
    fn stage_on_its_own_continuation_line_is_replaced() {
        let input = "lifecycle:\n  stage:\n    operational\n  history: []\n";
        let output = advance_stage(input, "deprecated", &entry()).unwrap();
        assert_eq!(
            output,
            "lifecycle:\n  stage: deprecated\n  history: [{ stage: deprecated, at: 2026-10-01T09:00:00Z, by: ana@example.com }]\n"
        );
    }

    #[test]
    fn multi_line_value_with_a_comment_between_its_lines_is_refused() {
        let input = "retirement:\n  data:\n    backup:\n      # where\n      s3://old\n";
        let error = retire_backup(input, "s3://new").unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`retirement.data.backup` spans several lines"),
            "{error}"
        );
    }

    #[test]
    fn null_history_and_null_retirement_data_are_filled_not_refused() {
        let input = "lifecycle:\n  stage: design\n  history: ~  # none yet\n";
        let output = advance_stage(input, "deprecated", &entry()).unwrap();
        assert_eq!(
            output,
            "lifecycle:\n  stage: deprecated\n  history:  # none yet\n    - { stage: deprecated, at: 2026-10-01T09:00:00Z, by: ana@example.com }\n"
        );
        let input = "retirement:\n  reason: other\n  data: ~\n";
        let output = retire_backup(input, "s3://new").unwrap();
        assert_eq!(
            output,
            "retirement:\n  reason: regulatory\n  data:\n    backup: s3://new\n"
        );
    }

    #[test]
    fn history_items_with_a_lone_dash_get_one_more() {
        let input = "lifecycle:\n  stage: design\n  history:\n    -\n      stage: design\n      at: 2026-02-01T10:00:00Z\n";
        let output = advance_stage(input, "deprecated", &entry()).unwrap();
        assert_eq!(
            output,
            format!(
                "{}    -\n      stage: deprecated\n      at: 2026-10-01T09:00:00Z\n      by: ana@example.com\n",
                input.replace("stage: design\n  history", "stage: deprecated\n  history")
            )
        );
    }

    #[test]
    fn refusals_name_the_real_obstacle() {
        let anchored = "lifecycle:\n  stage: &now design\n  history: []\n";
        let error = advance_stage(anchored, "deprecated", &entry()).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("`lifecycle.stage` carries the YAML anchor or alias `&now`"),
            "{error}"
        );
        let scalar_data = "retirement:\n  data: none\n";
        let error = retire_backup(scalar_data, "s3://x").unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot edit this layout: `retirement.data` is `none`, not a mapping"
        );
    }

    #[test]
    fn notes_that_need_quotes_get_them() {
        let note = HistoryEntry {
            note: Some("go-live: done, #1".into()),
            ..entry()
        };
        let output = advance_stage("lifecycle:\n  stage: operational\n  history:\n    - { stage: operational, at: 2026-01-12T08:30:00Z, by: a }\n", "deprecated", &note).unwrap();
        assert!(output.contains("note: \"go-live: done, #1\" }"), "{output}");
        let parsed = crate::yaml::parse_document(&output).unwrap().unwrap();
        let history = parsed
            .get("lifecycle")
            .and_then(|l| l.get("history"))
            .unwrap();
        let crate::yaml::Value::Seq(items) = &history.value else {
            panic!()
        };
        assert_eq!(
            items[1].get("note").and_then(crate::yaml::Node::as_str),
            Some("go-live: done, #1")
        );
    }

    #[test]
    fn scalars_are_quoted_only_when_needed() {
        assert_eq!(yaml_scalar("ana@example.com"), "ana@example.com");
        assert_eq!(
            timestamp_scalar("2026-10-01T09:00:00Z"),
            "2026-10-01T09:00:00Z"
        );
        assert_eq!(yaml_scalar("s3://backups/x"), "s3://backups/x");
        assert_eq!(yaml_scalar("yes"), "\"yes\"");
        assert_eq!(yaml_scalar("42"), "\"42\"");
        assert_eq!(yaml_scalar("a: b"), "\"a: b\"");
        assert_eq!(yaml_scalar("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
        assert_eq!(yaml_scalar("- x"), "\"- x\"");
        // Line-break-like and invisible characters a YAML 1.1 reader misreads
        // raw are written as escapes (issue 11, finding 10).
        for (c, escape) in [
            ('\u{2028}', "\\u2028"),
            ('\u{2029}', "\\u2029"),
            ('\u{85}', "\\u0085"),
            ('\u{feff}', "\\ufeff"),
            ('\u{202e}', "\\u202e"),
            ('\u{b}', "\\u000b"),
        ] {
            assert_eq!(yaml_scalar(&format!("a{c}b")), format!("\"a{escape}b\""));
            assert_eq!(
                same_quoting("'old'", &format!("a{c}b"), yaml_scalar),
                format!("\"a{escape}b\"")
            );
        }
    }

    #[test]
    fn values_yaml_1_1_reads_as_non_strings_are_quoted() {
        for text in [
            "0x1F",
            "0o17",
            "0b101",
            "2026-01-01",
            "12:30",
            "1_000",
            "+1",
            ".5",
            "1e3",
            ".inf",
            "-.Inf",
            ".NaN",
            "Yes",
            "OFF",
            "y",
            "~",
            "Null",
            "<<",
            "2026-01-01T10:00:00Z",
        ] {
            assert_eq!(yaml_scalar(text), format!("\"{text}\""), "{text}");
        }
        for text in [
            "ana@example.com",
            "s3://b/x",
            "2nd-line",
            "team-a",
            "deadbeef",
        ] {
            assert_eq!(yaml_scalar(text), text);
        }
        // Timestamps svc writes as timestamps stay plain.
        let note = HistoryEntry {
            note: Some("2026-01-01".into()),
            by: "12:30".into(),
            ..entry()
        };
        let output = advance_stage(
            "lifecycle:\n  stage: operational\n  history: []\n",
            "deprecated",
            &note,
        )
        .unwrap();
        assert!(
            output.contains("[{ stage: deprecated, at: 2026-10-01T09:00:00Z, by: \"12:30\", note: \"2026-01-01\" }]"),
            "{output}"
        );
        let fields = RetirementFields {
            reason: "other".into(),
            replaced_by: None,
            backup: Some("1_000".into()),
            migrated_to: None,
            purged_at: Some("2026-09-30T00:00:00Z".into()),
        };
        let output = set_retirement("kind: Service\n", &fields).unwrap();
        assert!(
            output.ends_with("    backup: \"1_000\"\n    purged_at: 2026-09-30T00:00:00Z\n"),
            "{output}"
        );
    }

    #[test]
    fn flow_mapping_continued_on_a_shallower_line_is_refused_not_mangled() {
        // Found by the `edit` fuzz target: a flow entry whose second line is
        // indented less than its dash.
        let input = "lifecycle:\n  stage: development\n  history:\n    - { stage: planning, at: 2025-11-03T10:00:00Z, by: noah }\n    - { stage: deve\n  lopment, at: 2025-12-01T10:00:00Z }\n";
        assert!(crate::yaml::parse_document(input).is_ok());
        let error = advance_stage(input, "testing", &entry()).unwrap_err();
        assert!(matches!(error, EditError::NotVerified(_)), "{error}");
    }

    #[test]
    fn flow_lifecycle_is_refused() {
        let input = "lifecycle: { stage: design }\n";
        assert_eq!(
            advance_stage(input, "testing", &entry()),
            Err(EditError::FlowStyle("lifecycle"))
        );
    }

    #[test]
    fn new_retirement_block_is_appended() {
        let input = "kind: Service\nlifecycle:\n  stage: deprecated\n# trailing comment\n";
        let fields = RetirementFields {
            reason: "replaced".into(),
            replaced_by: Some("payments-v2".into()),
            backup: Some("s3://b/x".into()),
            migrated_to: None,
            purged_at: None,
        };
        let output = set_retirement(input, &fields).unwrap();
        assert_eq!(
            output,
            "kind: Service\nlifecycle:\n  stage: deprecated\nretirement:\n  reason: replaced\n  replaced_by: payments-v2\n  data:\n    backup: s3://b/x\n# trailing comment\n"
        );
    }

    #[test]
    fn partial_retirement_block_is_filled_in_place() {
        let input = "retirement:\n  # why we stop\n  reason: other   # to be decided\n  data:\n    migrated_to: v2\nowner: t\n";
        let fields = RetirementFields {
            reason: "regulatory".into(),
            replaced_by: None,
            backup: Some("s3://b/x".into()),
            migrated_to: None,
            purged_at: Some("2026-12-01T00:00:00Z".into()),
        };
        let output = set_retirement(input, &fields).unwrap();
        assert_eq!(
            output,
            "retirement:\n  # why we stop\n  reason: regulatory   # to be decided\n  data:\n    migrated_to: v2\n    backup: s3://b/x\n    purged_at: 2026-12-01T00:00:00Z\nowner: t\n"
        );
    }

    #[test]
    fn retirement_keys_go_before_the_data_block() {
        let input = "retirement:\n  data:\n    backup: s3://b\n";
        let fields = RetirementFields {
            reason: "replaced".into(),
            replaced_by: Some("v2".into()),
            backup: None,
            migrated_to: None,
            purged_at: None,
        };
        let output = set_retirement(input, &fields).unwrap();
        assert_eq!(
            output,
            "retirement:\n  reason: replaced\n  replaced_by: v2\n  data:\n    backup: s3://b\n"
        );
    }

    #[test]
    fn diff_shows_only_the_changed_lines() {
        let diff = unified_diff("services/a.yaml", "a\nb\nc\n", "a\nB\nc\nd\n");
        assert_eq!(
            diff,
            "--- a/services/a.yaml\n+++ b/services/a.yaml\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n"
        );
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn atomic_write_removes_what_a_killed_write_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "old").unwrap();
        // A half-written file of a killed svc, and one whose pid is ours again.
        std::fs::write(dir.path().join(".a.yaml.svc-tmp-999999"), "ha").unwrap();
        let ours = format!(".a.yaml.svc-tmp-{}", std::process::id());
        std::fs::write(dir.path().join(ours), "half").unwrap();
        std::fs::write(dir.path().join(".b.yaml.svc-tmp-1"), "other file").unwrap();
        write_atomic(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left, [".b.yaml.svc-tmp-1", "a.yaml"]);
    }

    #[test]
    fn atomic_write_into_a_missing_directory_fails_cleanly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing/a.yaml");
        assert!(write_atomic(&path, b"new").is_err());
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    mod properties {
        use proptest::prelude::*;

        use super::super::*;

        #[derive(Clone, Copy, Debug)]
        enum Style {
            FlowSpaced,
            FlowTight,
            Block,
            Compact,
        }

        /// Key order, a comment before each block, history style, CRLF, final
        /// newline, quoted stage, number of history entries.
        type Parts = (
            Vec<usize>,
            Vec<Option<String>>,
            Style,
            bool,
            bool,
            bool,
            usize,
        );

        /// A service file built from parts, with the stage and history as given.
        fn service(parts: &Parts, stage: &str, entries: &[&str]) -> String {
            let (order, comments, style, crlf, final_newline, quoted, _) = parts;
            let eol = if *crlf { "\r\n" } else { "\n" };
            let stage_value = if *quoted {
                format!("'{stage}'")
            } else {
                stage.to_string()
            };
            let mut history = String::new();
            for (i, entry) in entries.iter().enumerate() {
                let at = format!("2025-0{}-01T09:00:00Z", 1 + i % 9);
                history += &match style {
                    Style::FlowSpaced => {
                        format!("    - {{ stage: {entry}, at: {at}, by: a@x.org }}{eol}")
                    }
                    Style::FlowTight => {
                        format!("    - {{stage: {entry}, at: {at}, by: a@x.org}}{eol}")
                    }
                    Style::Block => format!(
                        "    - stage: {entry}{eol}      at: {at}{eol}      by: a@x.org{eol}"
                    ),
                    Style::Compact => {
                        format!("  - {{ stage: {entry}, at: {at}, by: a@x.org }}{eol}")
                    }
                };
            }
            let blocks = [
                format!("kind: Service{eol}"),
                format!("id: x{eol}"),
                format!("owner: team  # the owning team{eol}"),
                format!("links:{eol}  runbook: https://wiki.example.com/x{eol}"),
                format!(
                    "lifecycle:{eol}  stage: {stage_value}   # keep in step{eol}  history:{eol}{history}"
                ),
            ];
            let mut text = String::new();
            for (i, block) in order.iter().enumerate() {
                if let Some(Some(comment)) = comments.get(i) {
                    text += &format!("# {comment}{eol}");
                }
                text += &blocks[*block];
            }
            if !final_newline {
                text.truncate(text.len() - eol.len());
            }
            text
        }

        fn parts() -> impl Strategy<Value = Parts> {
            (
                Just((0..5).collect::<Vec<usize>>()).prop_shuffle(),
                prop::collection::vec(prop::option::of("[a-z :#,-]{0,20}"), 5),
                prop_oneof![
                    Just(Style::FlowSpaced),
                    Just(Style::FlowTight),
                    Just(Style::Block),
                    Just(Style::Compact)
                ],
                any::<bool>(),
                any::<bool>(),
                any::<bool>(),
                1usize..4,
            )
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]

            /// advance changes exactly the stage line and adds exactly the new
            /// entry after the last one, whatever the layout around them.
            #[test]
            fn advance_changes_exactly_the_expected_lines(parts in parts()) {
                let stages = ["proposed", "planning", "design", "development", "testing"];
                let count = parts.6;
                let input = service(&parts, stages[count - 1], &stages[..count]);
                let entry = HistoryEntry {
                    stage: stages[count].to_string(),
                    at: format!("2025-0{}-01T09:00:00Z", 1 + count % 9),
                    by: "a@x.org".to_string(),
                    note: None,
                };
                let output = advance_stage(&input, stages[count], &entry).unwrap();
                let expected = service(&parts, stages[count], &stages[..=count]);
                prop_assert_eq!(output, expected);
            }
        }
    }
}
