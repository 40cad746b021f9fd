//! Output renderers. Each is a pure function of its input writing to `impl Write`;
//! the same result feeds every format, so the formats cannot disagree.

pub mod changes;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod lifecycle;
pub mod problems;
pub mod sarif;
pub mod show;
pub mod sla;
pub mod table;

/// Replaces control characters in user-written text so a record cannot drive the
/// terminal (no escape-sequence injection through a title or an id).
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| if c.is_control() { '\u{fffd}' } else { c })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// Writes the characters that could drive a terminal or reorder text — C0 and
/// C1 controls other than line feed and tab, DEL, and the Unicode bidi controls
/// — as visible `\u{..}` escapes, keeping line structure.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let hostile = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hostile) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if hostile(c) {
                format!("\\u{{{:x}}}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
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
