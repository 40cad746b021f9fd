//! The values an edit writes — a scalar of a known kind, or a small mapping of
//! scalars such as a history entry — and how each is written as YAML text in a
//! flow or a block layout. The kind decides the quoting: text is quoted where a
//! YAML 1.1 or 1.2 reader would take it for something else, a timestamp stays
//! plain, an integer is always plain (so it reads back as a number).

use super::quoting::{in_style_of, timestamp_scalar, yaml_scalar};
use crate::yaml::Style;

/// A scalar to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// Text, which must read back as this string.
    Text(String),
    /// An RFC 3339 timestamp, written plain where YAML allows.
    Timestamp(String),
    /// A whole number, written plain.
    Integer(i64),
}

impl Scalar {
    /// A text scalar.
    pub fn text(text: impl Into<String>) -> Scalar {
        Scalar::Text(text.into())
    }

    /// A timestamp scalar.
    pub fn timestamp(text: impl Into<String>) -> Scalar {
        Scalar::Timestamp(text.into())
    }

    /// The characters a reader must find.
    pub fn expected(&self) -> String {
        match self {
            Scalar::Text(text) | Scalar::Timestamp(text) => text.clone(),
            Scalar::Integer(n) => n.to_string(),
        }
    }

    /// The scalar written fresh (no old value to match).
    pub fn written(&self) -> String {
        self.written_in(Style::Plain)
    }

    /// The scalar written where a scalar of style `old` stood: a quoted old
    /// value keeps its quotes where they can carry the text; an integer is
    /// always plain, since a quoted one would read back as text.
    pub fn written_in(&self, old: Style) -> String {
        match self {
            Scalar::Text(text) => in_style_of(old, text, yaml_scalar),
            Scalar::Timestamp(text) => in_style_of(old, text, timestamp_scalar),
            Scalar::Integer(n) => n.to_string(),
        }
    }
}

/// An item to append to a sequence: a scalar, or a mapping of scalars in the
/// order they are to be written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A scalar item: `- value`.
    Scalar(Scalar),
    /// A mapping item: `- { key: value, ... }` or block `- key: value` lines.
    Map(Vec<(String, Scalar)>),
}

impl Item {
    /// A mapping item from `(key, value)` pairs.
    pub fn map<K: Into<String>>(pairs: impl IntoIterator<Item = (K, Scalar)>) -> Item {
        Item::Map(pairs.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    /// The item in flow style: the scalar, or `{ k: v, ... }` (`{k: v}` when
    /// not `spaced`). Keys are svc's own (`stage`, `at`), which need no quotes.
    pub fn flow(&self, spaced: bool) -> String {
        match self {
            Item::Scalar(scalar) => scalar.written(),
            Item::Map(pairs) => {
                let body = pairs
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.written()))
                    .collect::<Vec<_>>()
                    .join(", ");
                if spaced {
                    format!("{{ {body} }}")
                } else {
                    format!("{{{body}}}")
                }
            }
        }
    }

    /// The `key: value` lines of a mapping item without indentation (None for a scalar).
    pub fn block_lines(&self) -> Option<Vec<String>> {
        match self {
            Item::Scalar(_) => None,
            Item::Map(pairs) => Some(
                pairs
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.written()))
                    .collect(),
            ),
        }
    }
}
