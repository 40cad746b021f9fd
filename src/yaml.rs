//! A YAML document as a small tree of nodes that remember where they were written.
//!
//! svc reports every problem at the exact line and column of the offending key or
//! value, so the typed model is decoded from this tree rather than through serde:
//! serde stops at the first error and forgets positions. The tree is built from
//! saphyr-parser's event stream in one pass, without recursion, and enforces the
//! budgets that protect an unattended CI run from hostile input: a nesting depth
//! limit and a node budget that alias expansion ("billion laughs") cannot escape.

use std::borrow::Cow;
use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// Deepest nesting of sequences and mappings accepted in one record, unless
/// `[limits] max_depth` in svc.toml says otherwise.
pub const MAX_DEPTH: usize = 64;
/// Most nodes one record may expand to, aliases included.
pub const MAX_NODES: usize = 100_000;
/// Longest scalar accepted in a record (64 KiB): no field of a record needs more,
/// and a multi-megabyte value is a mistake or an attack.
pub const MAX_SCALAR_BYTES: usize = 64 * 1024;

/// A 0-based line and column (in characters) in a source file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pos {
    /// 0-based line.
    pub line: u32,
    /// 0-based column, counted in characters.
    pub col: u32,
}

/// One node of a parsed document with the position it starts at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the node's text starts.
    pub pos: Pos,
    /// What the node holds.
    pub value: Value,
}

/// The content of a node.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar with its text and whether it was quoted (quoted scalars are always strings).
    Scalar { text: String, quoted: bool },
    /// A sequence of nodes.
    Seq(Vec<Node>),
    /// A mapping, in the order written; keys are unique.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A human name for the node's type, used in "expected X, found Y" messages.
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar { .. } if self.is_null() => "null",
            Value::Scalar { .. } => "a scalar",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// True for the plain scalars YAML reads as null (`~`, `null`, nothing).
    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, quoted: false }
            if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// The scalar text, if this is a non-null scalar.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } if !self.is_null() => Some(text),
            _ => None,
        }
    }

    /// The entries of a mapping node.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The value stored under `key` in a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    }
}

/// Why a text is not one acceptable YAML document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YamlError {
    /// Where the problem was found.
    pub pos: Pos,
    /// Lower-case description.
    pub message: String,
}

/// Parses `text` as exactly one YAML document. `Ok(None)` means the file holds no
/// document at all (empty, or only comments).
pub fn parse_document(text: &str) -> Result<Option<Node>, YamlError> {
    parse_document_limited(text, MAX_DEPTH)
}

/// [`parse_document`] with a nesting limit of `max_depth` levels.
pub fn parse_document_limited(text: &str, max_depth: usize) -> Result<Option<Node>, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut builder = Builder {
        max_depth,
        ..Builder::default()
    };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| YamlError {
            pos: Pos {
                line: to_u32(e.marker().line().saturating_sub(1)),
                col: to_u32(e.marker().col()),
            },
            // The scanner reads flow collections (`[[[`) ahead of the events and
            // stops at 255 levels before the builder sees the depth; say what the
            // builder would have said, so deep nesting reads the same either way.
            message: if e.info() == "recursion limit exceeded" {
                format!("nesting deeper than {max_depth} levels")
            } else {
                e.info().to_string()
            },
        })?;
        if builder.event(event, span)? {
            break;
        }
    }
    Ok(builder.root)
}

/// Where one scalar (a key or a value) is written: from its first character to
/// just past its last, as 0-based positions and as character offsets into the
/// text (after a byte-order mark). For a block scalar (`|`, `>`) the span covers
/// its content lines, not the indicator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScalarSpan {
    /// The first character.
    pub start: Pos,
    /// Just past the last character.
    pub end: Pos,
    /// `start` as a character offset.
    pub start_char: usize,
    /// `end` as a character offset.
    pub end_char: usize,
}

/// Every scalar of `text` with its span, in document order. The edit check uses
/// them to tell comments from values without relying on the line editor.
pub fn scalar_spans(text: &str) -> Result<Vec<ScalarSpan>, YamlError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let chars: Vec<char> = text.chars().collect();
    let mut spans = Vec::new();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| YamlError {
            pos: Pos {
                line: to_u32(e.marker().line().saturating_sub(1)),
                col: to_u32(e.marker().col()),
            },
            message: e.info().to_string(),
        })?;
        let Event::Scalar(_, style, ..) = event else {
            continue;
        };
        let start = pos_of(&span);
        let start_char = span.start.index();
        let (end, end_char) = match style {
            // The parser's end of a quoted scalar runs on over the whitespace
            // and comment after it: find the closing quote instead.
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                quoted_end(&chars, start, start_char)
            }
            _ => (
                Pos {
                    line: to_u32(span.end.line().saturating_sub(1)),
                    col: to_u32(span.end.col()),
                },
                span.end.index(),
            ),
        };
        spans.push(ScalarSpan {
            start,
            end,
            start_char,
            end_char,
        });
    }
    Ok(spans)
}

/// The end of the quoted scalar whose opening quote is `chars[start_char]`.
fn quoted_end(chars: &[char], start: Pos, start_char: usize) -> (Pos, usize) {
    let quote = chars.get(start_char).copied().unwrap_or('"');
    let mut pos = start;
    let mut i = start_char;
    let mut closed = false;
    while i < chars.len() && !closed {
        let c = chars[i];
        let escape = i > start_char
            && (quote == '"' && c == '\\'
                || quote == '\'' && c == '\'' && chars.get(i + 1) == Some(&'\''));
        closed = i > start_char && !escape && c == quote;
        let end = (i + if escape { 2 } else { 1 }).min(chars.len());
        for j in i..end {
            match chars[j] {
                '\n' => {
                    pos = Pos {
                        line: pos.line + 1,
                        col: 0,
                    }
                }
                '\r' if chars.get(j + 1) != Some(&'\n') => {
                    pos = Pos {
                        line: pos.line + 1,
                        col: 0,
                    }
                }
                '\r' => {}
                _ => pos.col += 1,
            }
        }
        i = end;
    }
    (pos, i)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn pos_of(span: &Span) -> Pos {
    Pos {
        line: to_u32(span.start.line().saturating_sub(1)),
        col: to_u32(span.start.col()),
    }
}

/// A collection being filled; a mapping alternates between waiting for a key and a value.
enum Open {
    Seq(Node, usize),
    Map(Node, usize, Option<Node>, KeyIndex),
}

/// Mappings with more keys than this look up duplicates in a hash index
/// instead of scanning: a file of 50,000 keys must not take quadratic time.
const KEY_SCAN_LIMIT: usize = 32;

/// The scalar keys of a large mapping and the line each was first written on.
#[derive(Default)]
struct KeyIndex(Option<HashMap<String, u32>>);

impl KeyIndex {
    /// The line of an earlier key equal to `key` in `entries`, if any. Scalar
    /// keys are equal when their text is (`a` and `"a"` are the same key).
    fn earlier(&mut self, entries: &[(Node, Node)], key: &Node) -> Option<u32> {
        let same = |k: &Node| match (&k.value, &key.value) {
            (Value::Scalar { text: a, .. }, Value::Scalar { text: b, .. }) => a == b,
            (a, b) => a == b,
        };
        let Value::Scalar { text, .. } = &key.value else {
            return entries
                .iter()
                .find(|(k, _)| same(k))
                .map(|(k, _)| k.pos.line);
        };
        if entries.len() < KEY_SCAN_LIMIT {
            return entries
                .iter()
                .find(|(k, _)| same(k))
                .map(|(k, _)| k.pos.line);
        }
        let index = self.0.get_or_insert_with(|| {
            let mut index = HashMap::with_capacity(entries.len() * 2);
            for (k, _) in entries {
                if let Value::Scalar { text, .. } = &k.value {
                    index.entry(text.clone()).or_insert(k.pos.line);
                }
            }
            index
        });
        match index.get(text) {
            Some(line) => Some(*line),
            None => {
                index.insert(text.clone(), key.pos.line);
                None
            }
        }
    }
}

#[derive(Default)]
struct Builder {
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    documents: usize,
    nodes: usize,
    max_depth: usize,
}

impl Builder {
    /// Feeds one event; returns true once the document is complete and parsing may stop.
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<bool, YamlError> {
        let pos = pos_of(&span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(YamlError {
                        pos,
                        message: "more than one YAML document in the file (found a second `---`)"
                            .into(),
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                reject_tag(tag.as_deref(), pos)?;
                if text.len() > MAX_SCALAR_BYTES {
                    return Err(YamlError {
                        pos,
                        message: format!("a value longer than {} KiB", MAX_SCALAR_BYTES / 1024),
                    });
                }
                let quoted = !matches!(style, ScalarStyle::Plain);
                let node = Node {
                    pos,
                    value: Value::Scalar {
                        text: Cow::into_owned(text),
                        quoted,
                    },
                };
                self.push(node, anchor, 1)?;
            }
            Event::SequenceStart(anchor, tag) => {
                reject_tag(tag.as_deref(), pos)?;
                self.open(pos)?;
                self.stack.push(Open::Seq(
                    Node {
                        pos,
                        value: Value::Seq(Vec::new()),
                    },
                    anchor,
                ));
            }
            Event::MappingStart(anchor, tag) => {
                reject_tag(tag.as_deref(), pos)?;
                self.open(pos)?;
                self.stack.push(Open::Map(
                    Node {
                        pos,
                        value: Value::Map(Vec::new()),
                    },
                    anchor,
                    None,
                    KeyIndex::default(),
                ));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Open::Seq(node, anchor) | Open::Map(node, anchor, _, _)) =
                    self.stack.pop()
                {
                    self.push(node, anchor, 0)?;
                }
            }
            Event::Alias(id) => {
                let Some(node) = self.anchors.get(&id).cloned() else {
                    return Err(YamlError {
                        pos,
                        message: "alias refers to an unknown anchor".into(),
                    });
                };
                let size = count_nodes(&node);
                self.push(node, 0, size)?;
            }
            Event::StreamEnd => return Ok(true),
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
        Ok(false)
    }

    fn open(&mut self, pos: Pos) -> Result<(), YamlError> {
        if self.stack.len() >= self.max_depth {
            return Err(YamlError {
                pos,
                message: format!("nesting deeper than {} levels", self.max_depth),
            });
        }
        self.charge(pos, 1)
    }

    fn charge(&mut self, pos: Pos, nodes: usize) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > MAX_NODES {
            return Err(YamlError {
                pos,
                message: format!(
                    "the document expands to more than {MAX_NODES} nodes (alias bomb?)"
                ),
            });
        }
        Ok(())
    }

    /// Attaches a finished node to its parent (or makes it the root).
    fn push(&mut self, node: Node, anchor: usize, cost: usize) -> Result<(), YamlError> {
        self.charge(node.pos, cost)?;
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Seq(seq, _)) => {
                if let Value::Seq(items) = &mut seq.value {
                    items.push(node);
                }
            }
            Some(Open::Map(map, _, pending, index)) => match pending.take() {
                None => *pending = Some(node),
                Some(key) => {
                    if let Value::Map(entries) = &mut map.value {
                        if let Some(line) = index.earlier(entries, &key) {
                            return Err(YamlError {
                                pos: key.pos,
                                message: format!(
                                    "duplicate key `{}` (first written on line {})",
                                    key.as_str().unwrap_or("?"),
                                    line + 1
                                ),
                            });
                        }
                        entries.push((key, node));
                    }
                }
            },
        }
        Ok(())
    }
}

/// Records are plain data: a tag (`!!binary`, `!custom`) would change how a value
/// is read, so it is refused rather than ignored.
fn reject_tag(tag: Option<&saphyr_parser::Tag>, pos: Pos) -> Result<(), YamlError> {
    match tag {
        None => Ok(()),
        Some(tag) => {
            let written = match tag.handle.as_str() {
                "tag:yaml.org,2002:" => format!("!!{}", tag.suffix),
                handle => format!("{handle}{}", tag.suffix),
            };
            Err(YamlError {
                pos,
                message: format!("YAML tags such as `{written}` are not supported in svc records"),
            })
        }
    }
}

fn count_nodes(node: &Node) -> usize {
    let mut count = 0usize;
    let mut todo = vec![node];
    while let Some(n) = todo.pop() {
        count += 1;
        match &n.value {
            Value::Scalar { .. } => {}
            Value::Seq(items) => todo.extend(items),
            Value::Map(entries) => todo.extend(entries.iter().flat_map(|(k, v)| [k, v])),
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Option<Node>, YamlError> {
        parse_document(text)
    }

    #[test]
    fn positions_are_zero_based_lines_and_columns() {
        let doc = parse("kind: Service\nid:  payments\n").unwrap().unwrap();
        let id = doc.get("id").unwrap();
        assert_eq!(id.pos, Pos { line: 1, col: 5 });
        assert_eq!(id.as_str(), Some("payments"));
    }

    #[test]
    fn empty_and_comment_only_files_hold_no_document() {
        assert_eq!(parse("").unwrap(), None);
        assert_eq!(parse("# nothing here\n").unwrap(), None);
    }

    #[test]
    fn second_document_is_rejected_at_its_marker() {
        let err = parse("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(err.pos.line, 1);
        assert!(err.message.contains("more than one"));
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let doc = parse("\u{feff}kind: Service\r\nid: x\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(doc.get("id").and_then(Node::as_str), Some("x"));
        assert_eq!(doc.get("id").unwrap().pos, Pos { line: 1, col: 4 });
    }

    #[test]
    fn duplicate_keys_are_rejected_at_the_second_key() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.pos, Pos { line: 2, col: 0 });
        assert!(err.message.contains("first written on line 1"));
        let err = parse("a: 1\n\"a\": 2\n").unwrap_err();
        assert!(err.message.contains("duplicate key `a`"), "{}", err.message);
    }

    #[test]
    fn duplicate_keys_are_found_in_large_mappings() {
        // 40,000 keys and values stay inside the node budget.
        let mut text: String = (0..40_000).map(|i| format!("k{i}: {i}\n")).collect();
        assert!(parse(&text).is_ok());
        text.push_str("k30000: again\n");
        let err = parse(&text).unwrap_err();
        assert_eq!(err.pos.line, 40_000);
        assert!(
            err.message.contains("first written on line 30001"),
            "{}",
            err.message
        );
    }

    #[test]
    fn alias_bomb_is_stopped_by_the_node_budget() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
        for pair in names.windows(2) {
            let refs = vec![format!("*{}", pair[0]); 9].join(", ");
            text.push_str(&format!("{}: &{} [{refs}]\n", pair[1], pair[1]));
        }
        let err = parse(&text).unwrap_err();
        assert!(err.message.contains("alias bomb"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_rejected_without_overflowing_the_stack() {
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        let err = parse(&text).unwrap_err();
        assert_eq!(err.message, "nesting deeper than 64 levels");
    }

    #[test]
    fn tags_and_huge_values_are_refused() {
        let err = parse("a: !!binary aGVsbG8=\n").unwrap_err();
        assert_eq!(err.pos, Pos { line: 0, col: 3 });
        assert!(err.message.contains("`!!binary`"), "{}", err.message);
        assert!(parse("a: !team x\n").is_err());
        assert!(parse("a: !!map {}\n").is_err());
        let long = format!("a: {}\n", "x".repeat(MAX_SCALAR_BYTES + 1));
        assert!(parse(&long).unwrap_err().message.contains("longer than"));
    }

    #[test]
    fn quoted_null_is_a_string() {
        let doc = parse("a: 'null'\nb: null\nc:\n").unwrap().unwrap();
        assert_eq!(doc.get("a").and_then(Node::as_str), Some("null"));
        assert!(doc.get("b").unwrap().is_null());
        assert!(doc.get("c").unwrap().is_null());
    }
}
