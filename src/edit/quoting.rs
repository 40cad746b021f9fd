//! How svc writes a scalar so that every YAML reader reads back exactly the text
//! svc meant: plain where that is safe in YAML 1.2 *and* YAML 1.1 (PyYAML and
//! yamllint read `12:30`, `yes` and `0x1F` as numbers and booleans, and people
//! run them on the same files), double-quoted with escapes otherwise, and in the
//! quoting style of the value being replaced where that style can carry the text.
//! [`plain_is_safe`] and [`yaml11_non_string`] together are the one quoting
//! predicate; every value the editor writes goes through [`yaml_scalar`] or
//! [`timestamp_scalar`].

use crate::yaml::Style;

/// Writes `text` as a YAML scalar: plain when that reads back as the same
/// string (also inside a flow mapping) in YAML 1.2 *and* in YAML 1.1, else
/// double-quoted with escapes. svc reads `12:30` back as text, but PyYAML,
/// yamllint and older libraries read it as a number (audit #23), and people
/// run those tools on the same files.
pub fn yaml_scalar(text: &str) -> String {
    if text_needs_quotes(text) {
        double_quoted(text)
    } else {
        text.to_string()
    }
}

/// The quoting predicate for text: true unless `text` written plain reads back
/// as this same *string* in YAML 1.2 and in YAML 1.1 — not as null, a boolean,
/// a number or a date, and not as other characters.
pub fn text_needs_quotes(text: &str) -> bool {
    let reserved = matches!(
        text.to_ascii_lowercase().as_str(),
        "" | "~" | "null" | "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "<<" | "="
    );
    let numeric = text.parse::<f64>().is_ok()
        || text.starts_with(['.', '+', '-']) && text[1..].parse::<f64>().is_ok();
    reserved || numeric || yaml11_non_string(text) || !plain_is_safe(text)
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

/// True when `text` can be written plain and reads back as these characters
/// (in block and flow context alike), whatever type a reader then gives it.
pub fn plain_is_safe(text: &str) -> bool {
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
pub fn yaml11_non_string(text: &str) -> bool {
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
pub fn needs_escape(c: char) -> bool {
    crate::render::is_hazard(c) || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// `text` as a double-quoted scalar, with `"`, `\` and control characters escaped.
pub fn double_quoted(text: &str) -> String {
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

/// Writes `new` where a scalar written in `old` style stood, escaped for that
/// style: a double-quoted value stays double-quoted (with `\\` and `"` escaped),
/// a single-quoted one stays single-quoted (with `'` doubled) unless it holds a
/// control character that only double quotes can carry, and anything else (a
/// plain or block scalar) is written by `plain` (plain when YAML allows).
pub fn in_style_of(old: Style, new: &str, plain: fn(&str) -> String) -> String {
    match old {
        Style::DoubleQuoted => double_quoted(new),
        Style::SingleQuoted if new.chars().any(needs_escape) => double_quoted(new),
        Style::SingleQuoted => format!("'{}'", new.replace('\'', "''")),
        _ => plain(new),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    }

    #[test]
    fn a_replaced_value_keeps_a_quoting_style_that_can_carry_it() {
        assert_eq!(
            in_style_of(Style::DoubleQuoted, "C:\\x", yaml_scalar),
            "\"C:\\\\x\""
        );
        assert_eq!(
            in_style_of(Style::SingleQuoted, "it's", yaml_scalar),
            "'it''s'"
        );
        assert_eq!(
            in_style_of(Style::SingleQuoted, "a\nb", yaml_scalar),
            "\"a\\nb\""
        );
        assert_eq!(in_style_of(Style::Plain, "yes", yaml_scalar), "\"yes\"");
        assert_eq!(in_style_of(Style::Literal, "x", yaml_scalar), "x");
    }
}

#[cfg(test)]
mod escape_tests {
    use super::*;

    #[test]
    fn line_break_like_and_invisible_characters_are_escaped() {
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
        }
    }
}
