//! Output renderers. Each is a pure function of its input writing to `impl Write`;
//! the same result feeds every format, so the formats cannot disagree.

pub mod github;
pub mod human;
pub mod json;
pub mod lifecycle;
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
