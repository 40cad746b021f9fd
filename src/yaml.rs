//! A YAML document as a small tree of nodes that remember where they were written.
//!
//! svc reports every problem at the exact line and column of the offending key or
//! value, so the typed model is decoded from this tree rather than through serde:
//! serde stops at the first error and forgets positions. The tree is built from
//! saphyr-parser's event stream in one pass, without recursion, and enforces the
//! budgets that protect an unattended CI run from hostile input: a nesting depth
//! limit and a node budget that alias expansion ("billion laughs") cannot escape.
//!
//! Every node also knows the bytes it was written in ([`ByteRange`]) and how it
//! was written ([`Style`]), so the editor (`crate::edit`) can change a value by
//! splicing those bytes instead of rediscovering the layout from indentation.

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

/// Where a node is written, in bytes: `text[start..end]` of the text given to
/// [`parse_document`], a byte-order mark included (a file that starts with one
/// has its first node at byte 3 or later; `Pos` columns, by contrast, do not count
/// the mark). `start` is the node's first character (its anchor `&name` if it has
/// one; the `|` or `>` of a block scalar); `end` is just past its last character:
/// the closing quote of a quoted scalar, the closing bracket of a flow collection,
/// the last character of a block scalar's last non-blank line, the end of the last
/// entry of a block collection. Trailing spaces and comments are never included.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct ByteRange {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset just past the last character.
    pub end: usize,
}

/// How a node is written: the five scalar styles and the two collection styles.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Style {
    /// A plain scalar: `stage: design`.
    #[default]
    Plain,
    /// A single-quoted scalar: `'design'`.
    SingleQuoted,
    /// A double-quoted scalar: `"design"`.
    DoubleQuoted,
    /// A literal block scalar: `|`.
    Literal,
    /// A folded block scalar: `>`.
    Folded,
    /// A flow collection: `[a, b]` or `{ a: 1 }`.
    Flow,
    /// A block collection: `- a` items or `key: value` lines.
    Block,
}

/// Whether a node carries an anchor or stands for one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// Neither anchored nor an alias.
    #[default]
    None,
    /// The node defines an anchor (`&name value`).
    Defined,
    /// The node is an alias (`*name`): a copy of the anchored node whose own range
    /// is the alias; the ranges inside the copy point at the anchored text.
    Alias,
}

/// One node of a parsed document with the position it starts at.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Where the node's text starts.
    pub pos: Pos,
    /// The bytes the node is written in.
    pub range: ByteRange,
    /// How the node is written.
    pub style: Style,
    /// Whether the node is anchored or an alias.
    pub anchor: Anchor,
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
        self.entry(key).map(|(_, v)| v)
    }

    /// The key node and the value node stored under `key` in a mapping node.
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(k, v)| (k, v))
    }

    /// The items of a sequence node.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// True for a collection written in flow style (`[...]`, `{...}`).
    pub fn is_flow(&self) -> bool {
        self.style == Style::Flow
    }

    /// The text the node is written in, out of the `text` it was parsed from.
    pub fn source<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.range.start..self.range.end)
            .unwrap_or_default()
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
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut builder = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        documents: 0,
        nodes: 0,
        max_depth,
        offsets: Offsets::new(text, body),
        previous_end: text.len() - body.len(),
    };
    for event in Parser::new_from_str(body) {
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

/// Turns saphyr-parser's character offsets into byte offsets of the whole text
/// (a byte-order mark included). Pure ASCII, by far the common case, needs no
/// work; otherwise a cursor walks from the last offset asked for, and since the
/// events come in document order the walk over a file is linear.
struct Offsets<'t> {
    whole: &'t str,
    body: &'t str,
    /// Bytes before `body` (a byte-order mark).
    base: usize,
    ascii: bool,
    char_at: usize,
    byte_at: usize,
}

impl<'t> Offsets<'t> {
    fn new(text: &'t str, body: &'t str) -> Self {
        Offsets {
            whole: text,
            body,
            base: text.len() - body.len(),
            ascii: body.is_ascii(),
            char_at: 0,
            byte_at: 0,
        }
    }

    /// The byte offset, in the whole text, of character `index` of the body.
    #[inline]
    fn byte(&mut self, index: usize) -> usize {
        if self.ascii {
            return self.base + index.min(self.body.len());
        }
        while self.char_at < index {
            let Some(c) = self.body[self.byte_at..].chars().next() else {
                break;
            };
            self.byte_at += c.len_utf8();
            self.char_at += 1;
        }
        while self.char_at > index {
            let Some(c) = self.body[..self.byte_at].chars().next_back() else {
                break;
            };
            self.byte_at -= c.len_utf8();
            self.char_at -= 1;
        }
        self.base + self.byte_at
    }
}

/// Just past the quote that closes the quoted scalar whose text (an anchor
/// perhaps first) starts at byte `start`. The parser's own end runs on over the
/// spaces and the comment after the scalar, which would hide that comment from
/// the edit check and from the editor.
fn quoted_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let Some(open) = (start..bytes.len()).find(|&i| matches!(bytes[i], b'\'' | b'"')) else {
        return bytes.len();
    };
    let quote = bytes[open];
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The byte range of a block scalar (`|` or `>`) whose content the parser placed
/// at `content..span_end`: from its indicator, on the last non-blank line before
/// the content and after `previous_end` (the end of the key or item before it),
/// to the end of its last non-blank content line. The parser's span starts at
/// the content and ends wherever the next token starts, which may be inside the
/// indentation of a later comment.
fn block_scalar_range(
    text: &str,
    previous_end: usize,
    content: usize,
    span_end: usize,
) -> ByteRange {
    let bytes = text.as_bytes();
    let line_start = |at: usize| {
        bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    };
    // The header is on the nearest line before the content's line with anything on it.
    let mut header_end = line_start(content.min(bytes.len()));
    let mut header_start = header_end;
    while header_start > 0 {
        header_end = header_start - 1;
        header_start = line_start(header_end);
        if bytes[header_start..header_end]
            .iter()
            .any(|b| !b" \t\r".contains(b))
        {
            break;
        }
    }
    let from = previous_end.clamp(header_start, header_end);
    let chomping = |at: usize| {
        text.get(at..header_end).map_or(0, |rest| {
            rest.bytes()
                .take_while(|b| b.is_ascii_digit() || *b == b'+' || *b == b'-')
                .count()
        })
    };
    let indicator = text[from..header_end]
        .char_indices()
        .filter(|&(_, c)| c == '|' || c == '>')
        .map(|(i, _)| from + i)
        .find(|&i| {
            let rest =
                text[i + 1 + chomping(i + 1)..header_end].trim_start_matches([' ', '\t', '\r']);
            rest.is_empty() || rest.starts_with('#')
        });
    let Some(indicator) = indicator else {
        return ByteRange {
            start: content,
            end: span_end.max(content),
        };
    };
    let indicator_end = indicator + 1 + chomping(indicator + 1);
    // The content is the lines from the first one that are blank or indented
    // at least as far as it; a less indented line (a comment) is not part of it.
    let indent = content - line_start(content.min(bytes.len()));
    let mut end = content;
    let mut at = line_start(content.min(bytes.len()));
    while at < span_end.min(bytes.len()) {
        let line_end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| at + i);
        let line = &bytes[at..line_end];
        let blank = line.iter().all(|b| b" \t\r".contains(b));
        if !blank {
            if line.iter().take_while(|&&b| b == b' ').count() < indent {
                break;
            }
            end = line_end;
        }
        at = line_end + 1;
    }
    while end > content && bytes[end - 1].is_ascii_whitespace() {
        end -= 1;
    }
    ByteRange {
        start: indicator,
        // Only blank lines: the header is all there is of the scalar.
        end: if end == content { indicator_end } else { end },
    }
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

struct Builder<'t> {
    stack: Vec<Open>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    documents: usize,
    nodes: usize,
    max_depth: usize,
    offsets: Offsets<'t>,
    /// The byte just past the last scalar or flow bracket seen: where the text
    /// before a block scalar's indicator ends.
    previous_end: usize,
}

impl<'t> Builder<'t> {
    /// The whole text, a byte-order mark included.
    fn text(&self) -> &'t str {
        self.offsets.whole
    }

    /// Feeds one event; returns true once the document is complete and parsing may stop.
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<bool, YamlError> {
        let pos = pos_of(&span);
        let start = self.offsets.byte(span.start.index());
        // Only scalars, aliases and flow brackets need their end.
        let end_index = span.end.index();
        let is_seq = matches!(event, Event::SequenceStart(..));
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
                let end = self.offsets.byte(end_index);
                let (style, range) = match style {
                    ScalarStyle::Plain => (Style::Plain, ByteRange { start, end }),
                    ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => {
                        let style = if style == ScalarStyle::SingleQuoted {
                            Style::SingleQuoted
                        } else {
                            Style::DoubleQuoted
                        };
                        let end = quoted_end(self.text(), start);
                        (style, ByteRange { start, end })
                    }
                    ScalarStyle::Literal | ScalarStyle::Folded => {
                        let style = if style == ScalarStyle::Literal {
                            Style::Literal
                        } else {
                            Style::Folded
                        };
                        let range = block_scalar_range(self.text(), self.previous_end, start, end);
                        (style, range)
                    }
                };
                self.previous_end = range.end;
                let node = Node {
                    pos,
                    range,
                    style,
                    anchor: if anchor == 0 {
                        Anchor::None
                    } else {
                        Anchor::Defined
                    },
                    value: Value::Scalar {
                        quoted: matches!(
                            style,
                            Style::SingleQuoted
                                | Style::DoubleQuoted
                                | Style::Literal
                                | Style::Folded
                        ),
                        text: Cow::into_owned(text),
                    },
                };
                self.push(node, anchor, 1)?;
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                reject_tag(tag.as_deref(), pos)?;
                self.open(pos)?;
                let value = if is_seq {
                    Value::Seq(Vec::new())
                } else {
                    Value::Map(Vec::new())
                };
                let written = end_index > span.start.index();
                let node = self.collection(pos, (start, written), anchor, value);
                self.stack.push(if is_seq {
                    Open::Seq(node, anchor)
                } else {
                    Open::Map(node, anchor, None, KeyIndex::default())
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some(Open::Seq(mut node, anchor) | Open::Map(mut node, anchor, _, _)) =
                    self.stack.pop()
                {
                    if node.style == Style::Flow {
                        // Just past the closing bracket, which the event starts
                        // at; its own end may run on over a comment after it.
                        node.range.end = (start + 1).min(self.text().len());
                        self.previous_end = node.range.end;
                    }
                    self.push(node, anchor, 0)?;
                }
            }
            Event::Alias(id) => {
                let Some(mut node) = self.anchors.get(&id).cloned() else {
                    return Err(YamlError {
                        pos,
                        message: "alias refers to an unknown anchor".into(),
                    });
                };
                let size = count_nodes(&node);
                node.pos = pos;
                let end = self.offsets.byte(end_index);
                node.range = ByteRange { start, end };
                node.anchor = Anchor::Alias;
                self.previous_end = end;
                self.push(node, 0, size)?;
            }
            Event::StreamEnd => return Ok(true),
            Event::Nothing | Event::StreamStart | Event::DocumentEnd => {}
        }
        Ok(false)
    }

    /// A new, empty collection whose start event the parser placed at
    /// `start` (`written`: with some text, as flow starts and anchors have; a
    /// block collection's start event is empty): flow when a bracket opens it
    /// (after its anchor, if any),
    /// else block. A block sequence starts at its first dash, which the parser
    /// skips for a sequence written at its key's indentation (`key:\n- a`).
    fn collection(
        &mut self,
        pos: Pos,
        (start, written): (usize, bool),
        anchor: usize,
        value: Value,
    ) -> Node {
        let text = self.text();
        let head = if written {
            text.get(start..).unwrap_or_default()
        } else {
            ""
        };
        let head = if anchor == 0 {
            head
        } else {
            head.trim_start_matches(|c: char| !c.is_whitespace())
        };
        let head = head.trim_start_matches([' ', '\t']);
        let flow = head.starts_with(['[', '{']);
        let mut first = start;
        if !flow && matches!(value, Value::Seq(_)) && !text[start..].starts_with('-') {
            let before = text[..start].trim_end_matches(|c: char| c.is_ascii_whitespace());
            if before.ends_with('-') {
                first = before.len() - 1;
            }
        }
        if flow {
            self.previous_end = start + 1;
        }
        Node {
            pos,
            range: ByteRange {
                start: first,
                end: first,
            },
            style: if flow { Style::Flow } else { Style::Block },
            anchor: if anchor == 0 {
                Anchor::None
            } else {
                Anchor::Defined
            },
            value,
        }
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
        if let Some(Open::Seq(parent, _) | Open::Map(parent, _, _, _)) = self.stack.last_mut()
            && parent.style == Style::Block
        {
            // A block collection ends where its last entry does.
            parent.range.end = parent.range.end.max(node.range.end);
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

    /// The source text of the node at `path` (keys; `#n` for a sequence index).
    fn source<'t>(text: &'t str, path: &[&str]) -> &'t str {
        let doc = parse(text).unwrap().unwrap();
        let mut node = &doc;
        for step in path {
            node = match step.strip_prefix('#') {
                Some(i) => &node.as_seq().unwrap()[i.parse::<usize>().unwrap()],
                None => node.get(step).unwrap(),
            };
        }
        &text[node.range.start..node.range.end]
    }

    #[test]
    fn every_node_knows_its_bytes() {
        let text = "a: 'x'  # c\nb: \"d\\\"q\"\t# c\nc: plain  # c\nd: { k: v, k2: 'q' }\ne: [1, \"2\" , 3]\ng:\n  - x\n  - k: v\n    k2: v2\n  # after\nh:\n- y\nj:\nl: >-  # folded\n  one\n  two  \n\n# c\nm: |\nn: end\n";
        assert_eq!(source(text, &["a"]), "'x'");
        assert_eq!(source(text, &["b"]), "\"d\\\"q\"");
        assert_eq!(source(text, &["c"]), "plain");
        assert_eq!(source(text, &["d"]), "{ k: v, k2: 'q' }");
        assert_eq!(source(text, &["d", "k2"]), "'q'");
        assert_eq!(source(text, &["e"]), "[1, \"2\" , 3]");
        assert_eq!(source(text, &["e", "#1"]), "\"2\"");
        assert_eq!(source(text, &["g"]), "- x\n  - k: v\n    k2: v2");
        assert_eq!(source(text, &["g", "#1"]), "k: v\n    k2: v2");
        assert_eq!(source(text, &["h"]), "- y");
        assert_eq!(source(text, &["j"]), "");
        assert_eq!(source(text, &["l"]), ">-  # folded\n  one\n  two");
        assert_eq!(source(text, &["m"]), "|");
        let doc = parse(text).unwrap().unwrap();
        let style = |key: &str| doc.get(key).unwrap().style;
        assert_eq!(
            ["a", "b", "c", "d", "g", "l", "m"].map(style),
            [
                Style::SingleQuoted,
                Style::DoubleQuoted,
                Style::Plain,
                Style::Flow,
                Style::Block,
                Style::Folded,
                Style::Literal
            ]
        );
        let (key, _) = doc.entry("n").unwrap();
        assert_eq!(&text[key.range.start..key.range.end], "n");
    }

    #[test]
    fn ranges_are_bytes_of_the_whole_text_after_a_bom_and_non_ascii() {
        let text = "\u{feff}é: \"ü\"  # ç\r\nk:\r\n  - { a: ñ }  # ç\r\n  - [ x ]\t# ç\r\n";
        assert_eq!(source(text, &["é"]), "\"ü\"");
        assert_eq!(source(text, &["k", "#0"]), "{ a: ñ }");
        assert_eq!(source(text, &["k", "#0", "a"]), "ñ");
        assert_eq!(source(text, &["k", "#1"]), "[ x ]");
        assert_eq!(source(text, &["k"]), "- { a: ñ }  # ç\r\n  - [ x ]");
        let doc = parse(text).unwrap().unwrap();
        let (key, value) = doc.entry("é").unwrap();
        assert_eq!(key.range.start, 3);
        // Pos columns do not count the byte-order mark.
        assert_eq!(
            (key.pos, value.pos),
            (Pos { line: 0, col: 0 }, Pos { line: 0, col: 3 })
        );
    }

    #[test]
    fn a_sequence_at_its_keys_indentation_with_flow_items_is_block() {
        let text = "h:\n- {a: 1}\n- [b]\n";
        let doc = parse(text).unwrap().unwrap();
        let h = doc.get("h").unwrap();
        assert_eq!((h.style, h.source(text)), (Style::Block, "- {a: 1}\n- [b]"));
        assert_eq!(h.as_seq().unwrap()[0].style, Style::Flow);
    }

    #[test]
    fn anchors_and_aliases_are_marked() {
        let text = "a: &x v\nb: *x\nc: &m\n  k: 1\n";
        let doc = parse(text).unwrap().unwrap();
        assert_eq!(doc.get("a").unwrap().anchor, Anchor::Defined);
        let alias = doc.get("b").unwrap();
        assert_eq!((alias.anchor, alias.source(text)), (Anchor::Alias, "*x"));
        assert_eq!(alias.as_str(), Some("v"));
        assert_eq!(doc.get("c").unwrap().anchor, Anchor::Defined);
    }
}
