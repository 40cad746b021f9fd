//! The check every edit passes before svc writes it: the safety net under the
//! splices. The edited text is parsed again and compared with the original
//! through the parser, independently of how the splices were computed (the
//! audit of issue 4 found a comment after a tab, a backslash in a double-quoted
//! value and the leftover lines of a multi-line value slipping past a check
//! that looked only at the edited value). An edit passes when
//!
//! - the edited document is the original one with exactly the intended
//!   changes made: the operations are replayed on the original *tree* (a value
//!   set, a missing mapping created, an item appended) and the result must
//!   equal the edited text's tree, every other scalar with its style;
//! - every value set reads back exactly as given (text as a string, an integer
//!   as a plain number);
//! - every comment is still there, in order;
//! - every line that changed held one of the edited values, or a flow
//!   collection or null that the edit extended; other changes only insert lines.

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::{Change, EditError, Item, Route, Scalar, Segment};
use crate::yaml::{self, Anchor, ByteRange, Node, Pos, Style, Value};

/// Refuses `new` unless it is `old` changed exactly by `changes`.
pub(super) fn verify(old: &str, new: &str, changes: &[Change]) -> Result<(), EditError> {
    let fail = EditError::NotVerified;
    let parse = |text: &str, which: &str| match yaml::parse_document(text) {
        Ok(Some(doc)) => Ok(doc),
        Ok(None) => Err(fail(format!("the {which} text holds no document"))),
        Err(e) => Err(fail(format!(
            "the {which} text is not valid YAML at line {}: {}",
            e.pos.line + 1,
            e.message
        ))),
    };
    let old_doc = parse(old, "original")?;
    let new_doc = parse(new, "edited")?;

    let mut intent = Intent {
        expected: old_doc.clone(),
        written: Vec::new(),
        appended: Vec::new(),
    };
    for change in changes {
        intent.replay(change).map_err(fail)?;
    }
    intent
        .compare(&intent.expected, &new_doc, &mut Route::root())
        .map_err(fail)?;

    let old_comments = comments(old, &old_doc);
    let new_comments = comments(new, &new_doc);
    let differs = (0..old_comments.len().max(new_comments.len()))
        .find(|&i| old_comments.get(i).map(|c| &c.1) != new_comments.get(i).map(|c| &c.1));
    if let Some(i) = differs {
        return Err(fail(match old_comments.get(i) {
            Some((line, lost)) => format!(
                "the comment `{}` on line {} would be lost",
                lost.escape_debug(),
                line + 1
            ),
            None => "the edit would add a comment".to_string(),
        }));
    }

    let old_lines = lines(old);
    let allowed = editable_lines(old, &old_doc, changes);
    let new_lines = lines(new);
    for op in capture_diff_slices(Algorithm::Myers, &old_lines, &new_lines) {
        let (tag, old_range, _) = op.as_tag_tuple();
        if !matches!(tag, DiffTag::Delete | DiffTag::Replace) {
            continue;
        }
        let outside = old_range
            .clone()
            .find(|i| !allowed.iter().any(|r| r.contains(i)));
        if let Some(line) = outside {
            return Err(fail(format!(
                "line {} (`{}`) would change, although it holds nothing svc meant to edit",
                line + 1,
                old_lines[line].trim().escape_debug()
            )));
        }
    }
    Ok(())
}

/// The original tree with the operations replayed on it, and what svc wrote.
struct Intent {
    expected: Node,
    /// Scalars svc wrote, by route, with what they must read back as: svc
    /// chose their quoting, so only their reading is compared.
    written: Vec<(Route, Scalar)>,
    /// Sequences appended to, with their original length.
    appended: Vec<(Route, usize)>,
}

impl Intent {
    fn replay(&mut self, change: &Change) -> Result<(), String> {
        match change {
            Change::Set(route, value) => {
                *place(&mut self.expected, route)? = written_node(value);
                self.written.push((route.clone(), value.clone()));
            }
            Change::Append(route, item) => {
                let seq = place(&mut self.expected, route)?;
                if seq.is_null() {
                    seq.value = Value::Seq(Vec::new());
                }
                let Value::Seq(items) = &mut seq.value else {
                    return Err(format!("`{route}` is not a list"));
                };
                let index = items.len();
                if !self.appended.iter().any(|(r, _)| r == route) {
                    self.appended.push((route.clone(), index));
                }
                let at = route
                    .clone()
                    .index(i64::try_from(index).unwrap_or(i64::MAX));
                match item {
                    Item::Scalar(value) => {
                        items.push(written_node(value));
                        self.written.push((at, value.clone()));
                    }
                    Item::Map(pairs) => {
                        let entries = pairs
                            .iter()
                            .map(|(k, v)| (key_node(k), written_node(v)))
                            .collect();
                        items.push(synthetic(Value::Map(entries)));
                        for (key, value) in pairs {
                            self.written.push((at.clone().key(key), value.clone()));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Compares the expected tree with the edited one at `route`; the first
    /// difference is the refusal.
    fn compare(&self, expected: &Node, actual: &Node, route: &mut Route) -> Result<(), String> {
        if let Some((_, value)) = self.written.iter().find(|(r, _)| r == route) {
            return match value {
                _ if reads_as(actual, value) => Ok(()),
                Scalar::Integer(n) if scalar_text(actual).is_some() => Err(format!(
                    "`{route}` would read the text {} instead of the number {n}",
                    describe(actual)
                )),
                _ => Err(format!(
                    "`{route}` would read {} instead of `{}`",
                    describe(actual),
                    value.expected().escape_debug()
                )),
            };
        }
        let changed = || self.changed(route);
        match (&expected.value, &actual.value) {
            (Value::Scalar { .. }, Value::Scalar { .. }) => {
                if expected.value == actual.value && expected.style == actual.style {
                    Ok(())
                } else {
                    Err(changed())
                }
            }
            (Value::Map(x), Value::Map(y)) => {
                let differs = (0..x.len().max(y.len())).find(|&i| {
                    x.get(i).map(|(k, _)| k.as_str()) != y.get(i).map(|(k, _)| k.as_str())
                });
                if let Some(i) = differs {
                    let key = x.get(i).or(y.get(i)).and_then(|(k, _)| k.as_str());
                    let mut at = route.clone();
                    at.segments
                        .push(Segment::Key(key.unwrap_or("?").to_string()));
                    return Err(self.changed(&at));
                }
                for ((key, a), (_, b)) in x.iter().zip(y) {
                    route
                        .segments
                        .push(Segment::Key(key.as_str().unwrap_or("?").to_string()));
                    self.compare(a, b, route)?;
                    route.segments.pop();
                }
                Ok(())
            }
            (Value::Seq(x), Value::Seq(y)) => {
                if x.len() != y.len() {
                    return Err(match self.appended.iter().find(|(r, _)| r == route) {
                        Some(_) => format!(
                            "`{route}` would have {} entries instead of {}",
                            y.len(),
                            x.len()
                        ),
                        None => changed(),
                    });
                }
                for (i, (a, b)) in x.iter().zip(y).enumerate() {
                    route
                        .segments
                        .push(Segment::Index(i64::try_from(i).unwrap_or(i64::MAX)));
                    self.compare(a, b, route)?;
                    route.segments.pop();
                }
                Ok(())
            }
            _ => Err(changed()),
        }
    }

    /// The refusal for a difference at `route`: in an item svc appended, that
    /// item does not read back; anywhere else, svc changed what it did not mean to.
    fn changed(&self, route: &Route) -> String {
        for (seq, count) in &self.appended {
            if let Some(Segment::Index(i)) = route.segments.get(seq.segments.len())
                && route.starts_with(seq)
                && usize::try_from(*i).is_ok_and(|i| i >= *count)
            {
                return format!("the new entry of `{seq}` would not read back as written");
            }
        }
        format!("`{route}` would change, although svc did not mean to edit it")
    }
}

/// The node at `route` in `tree`, created (as null) along the way where keys
/// are missing; a null on the way becomes a mapping.
fn place<'n>(tree: &'n mut Node, route: &Route) -> Result<&'n mut Node, String> {
    let mut node = tree;
    for segment in &route.segments {
        if node.is_null() && matches!(segment, Segment::Key(_)) {
            node.value = Value::Map(Vec::new());
        }
        node = match (segment, &mut node.value) {
            (Segment::Key(key), Value::Map(entries)) => {
                let at = match entries.iter().position(|(k, _)| k.as_str() == Some(key)) {
                    Some(at) => at,
                    None => {
                        entries.push((key_node(key), synthetic(null())));
                        entries.len() - 1
                    }
                };
                &mut entries[at].1
            }
            (Segment::Index(index), Value::Seq(items)) => usize::try_from(*index)
                .ok()
                .and_then(|i| items.get_mut(i))
                .ok_or_else(|| format!("`{route}` does not exist in the original"))?,
            _ => return Err(format!("`{route}` does not exist in the original")),
        };
    }
    Ok(node)
}

fn null() -> Value {
    Value::Scalar {
        text: String::new(),
        quoted: false,
    }
}

fn synthetic(value: Value) -> Node {
    Node {
        pos: Pos::default(),
        range: ByteRange::default(),
        style: Style::Plain,
        anchor: Anchor::None,
        value,
    }
}

fn key_node(key: &str) -> Node {
    synthetic(Value::Scalar {
        text: key.to_string(),
        quoted: false,
    })
}

fn written_node(value: &Scalar) -> Node {
    synthetic(Value::Scalar {
        text: value.expected(),
        quoted: false,
    })
}

/// True when `node` reads back as `value`: text and timestamps as a string
/// (quoted, or plain and not null), an integer as a plain number.
fn reads_as(node: &Node, value: &Scalar) -> bool {
    match value {
        Scalar::Text(text) | Scalar::Timestamp(text) => scalar_text(node) == Some(text.as_str()),
        Scalar::Integer(n) => {
            node.style == Style::Plain && node.as_str() == Some(n.to_string().as_str())
        }
    }
}

/// The text of a scalar that reads as a string (quoted, or plain and not null).
fn scalar_text(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Scalar { text, quoted } if *quoted || !node.is_null() => Some(text),
        _ => None,
    }
}

fn describe(node: &Node) -> String {
    match scalar_text(node) {
        Some(text) => format!("`{}`", text.escape_debug()),
        None => node.type_name().into(),
    }
}

/// The comments of `text`, in order, with their 0-based lines: each `#` outside
/// every scalar of `doc` that starts a line or follows whitespace, up to the
/// line end.
fn comments(text: &str, doc: &Node) -> Vec<(usize, String)> {
    let mut scalars: Vec<ByteRange> = descendants(doc)
        .filter(|n| matches!(n.value, Value::Scalar { .. }))
        .map(|n| match n.style {
            // A block scalar's header line may end in a comment; its content
            // starts on the next line.
            Style::Literal | Style::Folded => ByteRange {
                start: super::splice::line_content_end(text, n.range.start),
                end: n.range.end,
            },
            _ => n.range,
        })
        .collect();
    scalars.sort_by_key(|r| r.start);
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut scalar = scalars.iter().peekable();
    let mut line = 0;
    let mut i = 0;
    while i < bytes.len() {
        while scalar.peek().is_some_and(|s| s.end <= i) {
            scalar.next();
        }
        let in_scalar = scalar.peek().is_some_and(|s| s.start <= i);
        let after_space = i == 0
            || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r')
            || i == 3 && text.starts_with('\u{feff}');
        if bytes[i] == b'#' && !in_scalar && after_space {
            let end = (i..bytes.len())
                .find(|&j| matches!(bytes[j], b'\n' | b'\r'))
                .unwrap_or(bytes.len());
            found.push((line, text[i..end].to_string()));
            i = end;
            continue;
        }
        if bytes[i] == b'\n' {
            line += 1;
        }
        i += 1;
    }
    found
}

/// The lines of `text` (after a byte-order mark) without their line ends.
fn lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect()
}

/// The 0-based line of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The 0-based line ranges of the original that the changes may rewrite: for
/// each change, the deepest node of its route that the original has — when it
/// is a scalar (the value replaced, or a null filled in) or a flow collection
/// (extended in place), from its key's line to its last line. A block
/// collection only gets lines inserted.
fn editable_lines(
    text: &str,
    doc: &Node,
    changes: &[Change],
) -> Vec<std::ops::RangeInclusive<usize>> {
    let mut allowed = Vec::new();
    for change in changes {
        let (Change::Set(route, _) | Change::Append(route, _)) = change;
        let mut node = doc;
        let mut first = line_of(text, node.range.start);
        for segment in &route.segments {
            let next = match (segment, &node.value) {
                (Segment::Key(key), Value::Map(_)) => node.entry(key),
                (Segment::Index(index), Value::Seq(items)) => usize::try_from(*index)
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|item| (item, item)),
                _ => None,
            };
            let Some((key, value)) = next else { break };
            first = line_of(text, key.range.start);
            node = value;
        }
        if matches!(node.value, Value::Scalar { .. }) || node.is_flow() {
            allowed.push(first..=line_of(text, node.range.end).max(first));
        }
    }
    allowed
}

/// `node` and everything below it (keys included), without recursion.
fn descendants(node: &Node) -> impl Iterator<Item = &Node> {
    let mut todo = vec![node];
    std::iter::from_fn(move || {
        let next = todo.pop()?;
        match &next.value {
            Value::Scalar { .. } => {}
            Value::Seq(items) => todo.extend(items),
            Value::Map(entries) => todo.extend(entries.iter().flat_map(|(k, v)| [k, v])),
        }
        Some(next)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history_entry(stage: &str, by: &str) -> Item {
        Item::map([
            ("stage", Scalar::text(stage)),
            ("at", Scalar::timestamp("2026-03-01T00:00:00Z")),
            ("by", Scalar::text(by)),
        ])
    }

    fn advance(stage: &str) -> Vec<Change> {
        vec![
            Change::Set("lifecycle.stage".parse().unwrap(), Scalar::text(stage)),
            Change::Append(
                "lifecycle.history".parse().unwrap(),
                history_entry(stage, "a@x.org"),
            ),
        ]
    }

    fn backup(value: &str) -> Vec<Change> {
        vec![
            Change::Set(
                "retirement.reason".parse().unwrap(),
                Scalar::text("regulatory"),
            ),
            Change::Set(
                "retirement.data.backup".parse().unwrap(),
                Scalar::text(value),
            ),
        ]
    }

    fn refusal(result: Result<(), EditError>) -> String {
        match result {
            Err(EditError::NotVerified(what)) => what,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    const HISTORY_BEFORE: &str =
        "  history:\n    - { stage: design, at: 2026-02-01T10:00:00Z, by: a@x.org }\n";
    const HISTORY_AFTER: &str = "  history:\n    - { stage: design, at: 2026-02-01T10:00:00Z, by: a@x.org }\n    - { stage: development, at: 2026-03-01T00:00:00Z, by: a@x.org }\n";

    #[test]
    fn an_intended_edit_passes() {
        let old = format!(
            "id: t  # the id\nlifecycle:\n  stage: design\t# tab comment\n{HISTORY_BEFORE}"
        );
        let new = format!(
            "id: t  # the id\nlifecycle:\n  stage: development\t# tab comment\n{HISTORY_AFTER}"
        );
        assert_eq!(verify(&old, &new, &advance("development")), Ok(()));
    }

    /// Audit critical #1: the editor dropped a comment after a tab.
    #[test]
    fn a_lost_comment_is_caught() {
        let old = format!("lifecycle:\n  stage: design\t# tab comment\n{HISTORY_BEFORE}");
        let new = format!("lifecycle:\n  stage: development\n{HISTORY_AFTER}");
        let what = refusal(verify(&old, &new, &advance("development")));
        assert_eq!(what, "the comment `# tab comment` on line 2 would be lost");
    }

    /// Audit critical #2: a backslash written raw into a double-quoted value.
    #[test]
    fn a_value_that_reads_back_differently_is_caught() {
        let old = "retirement:\n  reason: other\n  data:\n    backup: \"s3://old\"\n";
        let new = "retirement:\n  reason: regulatory\n  data:\n    backup: \"C:\\new\\backup\"\n";
        let what = refusal(verify(old, new, &backup("C:\\new\\backup")));
        assert!(
            what.starts_with("`retirement.data.backup` would read `C:\\new"),
            "{what}"
        );
    }

    /// Audit critical #3: the old continuation line of a value stayed behind.
    #[test]
    fn a_leftover_continuation_line_is_caught() {
        let old = "retirement:\n  reason: other\n  data:\n    backup: |\n      s3://old\n";
        let new =
            "retirement:\n  reason: regulatory\n  data:\n    backup: s3://new\n      s3://old\n";
        let what = refusal(verify(old, new, &backup("s3://new")));
        assert_eq!(
            what,
            "`retirement.data.backup` would read `s3://new s3://old` instead of `s3://new`"
        );
    }

    #[test]
    fn a_change_outside_the_edited_keys_is_caught() {
        let old = "owner: team\nretirement:\n  reason: other\n  data:\n    backup: s3://old\n";
        let new =
            "owner: other-team\nretirement:\n  reason: regulatory\n  data:\n    backup: s3://new\n";
        assert_eq!(
            refusal(verify(old, new, &backup("s3://new"))),
            "`owner` would change, although svc did not mean to edit it"
        );
        let requoted =
            "owner: 'team'\nretirement:\n  reason: regulatory\n  data:\n    backup: s3://new\n";
        assert_eq!(
            refusal(verify(old, requoted, &backup("s3://new"))),
            "`owner` would change, although svc did not mean to edit it"
        );
        let moved =
            "owner:   team\nretirement:\n  reason: regulatory\n  data:\n    backup: s3://new\n";
        assert_eq!(
            refusal(verify(old, moved, &backup("s3://new"))),
            "line 1 (`owner: team`) would change, although it holds nothing svc meant to edit"
        );
    }

    #[test]
    fn a_history_that_is_not_the_old_one_plus_the_entry_is_caught() {
        let old = format!("lifecycle:\n  stage: design\n{HISTORY_BEFORE}");
        let two = format!(
            "lifecycle:\n  stage: development\n{HISTORY_AFTER}    - {{ stage: development, at: 2026-03-01T00:00:00Z, by: a@x.org }}\n"
        );
        assert_eq!(
            refusal(verify(&old, &two, &advance("development"))),
            "`lifecycle.history` would have 3 entries instead of 2"
        );
        let wrong = format!(
            "lifecycle:\n  stage: development\n{HISTORY_BEFORE}    - {{ stage: development, at: 2026-03-01T00:00:00Z, by: b@x.org }}\n"
        );
        assert_eq!(
            refusal(verify(&old, &wrong, &advance("development"))),
            "`lifecycle.history[1].by` would read `b@x.org` instead of `a@x.org`"
        );
        let extra = format!(
            "lifecycle:\n  stage: development\n{HISTORY_BEFORE}    - {{ stage: development, at: 2026-03-01T00:00:00Z, by: a@x.org, x: 1 }}\n"
        );
        assert_eq!(
            refusal(verify(&old, &extra, &advance("development"))),
            "the new entry of `lifecycle.history` would not read back as written"
        );
    }

    #[test]
    fn created_and_filled_blocks_pass() {
        let old = "kind: Service\nretirement: ~  # later\n";
        let new = "kind: Service\nretirement:  # later\n  reason: regulatory\n  data:\n    backup: s3://new\n";
        assert_eq!(verify(old, new, &backup("s3://new")), Ok(()));
        let old = "kind: Service\n";
        let new =
            "kind: Service\nretirement:\n  reason: regulatory\n  data:\n    backup: s3://new\n";
        assert_eq!(verify(old, new, &backup("s3://new")), Ok(()));
    }

    #[test]
    fn an_integer_must_read_back_as_a_number() {
        let set = [Change::Set(
            "satisfaction".parse().unwrap(),
            Scalar::Integer(4),
        )];
        assert_eq!(verify("a: 1\n", "a: 1\nsatisfaction: 4\n", &set), Ok(()));
        assert_eq!(
            refusal(verify("a: 1\n", "a: 1\nsatisfaction: \"4\"\n", &set)),
            "`satisfaction` would read the text `4` instead of the number 4"
        );
    }

    #[test]
    fn comments_and_hashes_inside_values_are_told_apart() {
        let text = "a: 'x # y'  # one\nb: |  # header\n  # not a comment\n# two\nc: d#e # three\n";
        let doc = yaml::parse_document(text).unwrap().unwrap();
        let found: Vec<String> = comments(text, &doc).into_iter().map(|c| c.1).collect();
        assert_eq!(found, vec!["# one", "# header", "# two", "# three"]);
    }
}
