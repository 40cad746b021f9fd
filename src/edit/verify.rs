//! The check every edit passes before svc writes it. The edited text is parsed
//! again and compared with the original through the YAML parser, not through
//! the line editor's own scanning, which cannot vouch for itself: the audit of
//! issue 4 found a comment after a tab, a backslash in a double-quoted value and
//! the leftover lines of a multi-line value all slip past a check that looked
//! only at the stage. An edit passes when
//!
//! - every value it meant to set reads back exactly as given;
//! - the history is the old history plus exactly the new entry;
//! - every other value is unchanged (the parsed trees are equal once the edited
//!   keys are left out);
//! - every comment is still there, in order;
//! - every line that changed held one of the edited values.

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::{EditError, HistoryEntry};
use crate::yaml::{self, Node, ScalarSpan, Value};

/// What an edit meant to change.
pub(super) struct Intent<'a> {
    /// Scalars set, by key path, with their new values.
    pub sets: Vec<(Vec<&'a str>, &'a str)>,
    /// The entry appended to `lifecycle.history`, if any.
    pub appended: Option<&'a HistoryEntry>,
}

const HISTORY: [&str; 2] = ["lifecycle", "history"];

/// Refuses `new` unless it is `old` changed exactly as `intent` says.
pub(super) fn verify(old: &str, new: &str, intent: &Intent) -> Result<(), EditError> {
    let fail = |what: String| EditError::NotVerified(what);
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

    for (path, value) in &intent.sets {
        let found = lookup(&new_doc, path);
        if found.and_then(scalar_text) != Some(*value) {
            return Err(fail(format!(
                "`{}` would read {} instead of `{}`",
                path.join("."),
                describe(found),
                value.escape_debug()
            )));
        }
    }

    let mut edited: Vec<&[&str]> = intent.sets.iter().map(|(p, _)| p.as_slice()).collect();
    if let Some(entry) = intent.appended {
        check_history(&old_doc, &new_doc, entry).map_err(fail)?;
        edited.push(&HISTORY);
    }
    compare(Some(&old_doc), Some(&new_doc), &mut Vec::new(), &edited).map_err(|path| {
        fail(format!(
            "`{path}` would change, although svc did not mean to edit it"
        ))
    })?;

    let old_spans = spans(old).map_err(fail)?;
    let new_spans = spans(new).map_err(fail)?;
    let old_comments = comments(old, &old_spans);
    let new_comments = comments(new, &new_spans);
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
    let allowed = editable_lines(&old_doc, &old_spans, &old_lines, intent);
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

fn spans(text: &str) -> Result<Vec<ScalarSpan>, String> {
    yaml::scalar_spans(text).map_err(|e| format!("the text does not parse: {}", e.message))
}

/// The node at `path` in a mapping tree.
fn lookup<'n>(doc: &'n Node, path: &[&str]) -> Option<&'n Node> {
    path.iter().try_fold(doc, |node, key| node.get(key))
}

/// The key node and value node at `path`.
fn lookup_entry<'n>(doc: &'n Node, path: &[&str]) -> Option<(&'n Node, &'n Node)> {
    let (last, parent) = path.split_last()?;
    lookup(doc, parent)?
        .as_map()?
        .iter()
        .find(|(k, _)| k.as_str() == Some(*last))
        .map(|(k, v)| (k, v))
}

/// The text of a scalar that reads as a string (quoted, or plain and not null).
fn scalar_text(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Scalar { text, quoted } if *quoted || !node.is_null() => Some(text),
        _ => None,
    }
}

fn describe(node: Option<&Node>) -> String {
    match node {
        None => "nothing".into(),
        Some(node) => match scalar_text(node) {
            Some(text) => format!("`{}`", text.escape_debug()),
            None => node.type_name().into(),
        },
    }
}

/// The new history must be the old one (null or missing counts as empty) plus
/// exactly `entry`, written with the keys svc writes.
fn check_history(old: &Node, new: &Node, entry: &HistoryEntry) -> Result<(), String> {
    let items = |doc: &Node| -> Result<Vec<Node>, String> {
        match lookup(doc, &HISTORY) {
            None => Ok(Vec::new()),
            Some(node) if node.is_null() => Ok(Vec::new()),
            Some(Node {
                value: Value::Seq(items),
                ..
            }) => Ok(items.clone()),
            Some(node) => Err(format!("`lifecycle.history` is {}", node.type_name())),
        }
    };
    let before = items(old)?;
    let after = items(new)?;
    if after.len() != before.len() + 1 {
        return Err(format!(
            "`lifecycle.history` would have {} entries instead of {}",
            after.len(),
            before.len() + 1
        ));
    }
    if let Some(i) = (0..before.len()).find(|&i| !same(&before[i], &after[i])) {
        return Err(format!(
            "history entry {} would change, although svc only appends one",
            i + 1
        ));
    }
    let mut expected = vec![
        ("stage", entry.stage.as_str()),
        ("at", entry.at.as_str()),
        ("by", entry.by.as_str()),
    ];
    if let Some(note) = &entry.note {
        expected.push(("note", note));
    }
    let written: Option<Vec<(&str, &str)>> = after.last().and_then(Node::as_map).map(|entries| {
        entries
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?, scalar_text(v)?)))
            .collect()
    });
    let fits = after
        .last()
        .and_then(Node::as_map)
        .is_some_and(|entries| entries.len() == expected.len());
    if !fits || written.as_deref() != Some(expected.as_slice()) {
        return Err("the new history entry would not read back as written".into());
    }
    Ok(())
}

/// Structural equality, ignoring where things are written.
fn same(a: &Node, b: &Node) -> bool {
    match (&a.value, &b.value) {
        (Value::Scalar { .. }, Value::Scalar { .. }) => a.value == b.value,
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| same(ka, kb) && same(va, vb))
        }
        _ => false,
    }
}

/// Compares `old` and `new` at `path`, leaving out the `edited` paths. A mapping
/// on the way to an edited path may be missing, null or left empty on either
/// side (svc creates `retirement:` or fills `retirement: ~`). Returns the first
/// path that differs.
fn compare(
    old: Option<&Node>,
    new: Option<&Node>,
    path: &mut Vec<String>,
    edited: &[&[&str]],
) -> Result<(), String> {
    let on_route = |path: &[String]| {
        edited
            .iter()
            .any(|e| e.len() > path.len() && e.iter().zip(path).all(|(a, b)| a == b))
    };
    let is_edited = |path: &[String]| {
        edited
            .iter()
            .any(|e| e.len() == path.len() && e.iter().zip(path).all(|(a, b)| a == b))
    };
    if is_edited(path) {
        return Ok(());
    }
    if !on_route(path) {
        return match (old, new) {
            (Some(a), Some(b)) if same(a, b) => Ok(()),
            (None, None) => Ok(()),
            _ => Err(path.join(".")),
        };
    }
    // A mapping on the route to an edited key: compare its other keys in order.
    let kept = |node: Option<&Node>,
                path: &mut Vec<String>|
     -> Result<Vec<(String, Node)>, String> {
        let Some(node) = node else {
            return Ok(Vec::new());
        };
        if node.is_null() {
            return Ok(Vec::new());
        }
        let entries = node.as_map().ok_or_else(|| path.join("."))?;
        let mut kept = Vec::new();
        for (key, value) in entries {
            let name = key.as_str().unwrap_or_default().to_string();
            path.push(name.clone());
            let skip = is_edited(path) || on_route(path) && is_empty_on_route(value, path, edited);
            path.pop();
            if !skip {
                kept.push((name, value.clone()));
            }
        }
        Ok(kept)
    };
    let before = kept(old, path)?;
    let after = kept(new, path)?;
    let names =
        |entries: &[(String, Node)]| entries.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
    let (old_names, new_names) = (names(&before), names(&after));
    if let Some(i) =
        (0..old_names.len().max(new_names.len())).find(|&i| old_names.get(i) != new_names.get(i))
    {
        let key = old_names
            .get(i)
            .or(new_names.get(i))
            .cloned()
            .unwrap_or_default();
        path.push(key);
        return Err(path.join("."));
    }
    for ((key, a), (_, b)) in before.iter().zip(&after) {
        path.push(key.clone());
        compare(Some(a), Some(b), path, edited)?;
        path.pop();
    }
    Ok(())
}

/// True for a node on the route to an edited key that holds nothing else: null,
/// or a mapping whose entries are all edited or themselves empty on the route.
fn is_empty_on_route(node: &Node, path: &mut Vec<String>, edited: &[&[&str]]) -> bool {
    if node.is_null() {
        return true;
    }
    let Some(entries) = node.as_map() else {
        return false;
    };
    entries.iter().all(|(key, value)| {
        path.push(key.as_str().unwrap_or_default().to_string());
        let matches_edit = |longer: bool| {
            edited.iter().any(|e| {
                (if longer {
                    e.len() > path.len()
                } else {
                    e.len() == path.len()
                }) && e.iter().zip(path.iter()).all(|(a, b)| a == b)
            })
        };
        let empty =
            matches_edit(false) || matches_edit(true) && is_empty_on_route(value, path, edited);
        path.pop();
        empty
    })
}

/// The comments of `text`, in order, with their 0-based lines: each `#` outside
/// every scalar that starts a line or follows whitespace, up to the line end.
fn comments(text: &str, spans: &[ScalarSpan]) -> Vec<(usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut span = spans.iter().peekable();
    let mut line = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        while span.peek().is_some_and(|s| s.end_char <= i) {
            span.next();
        }
        let in_scalar = span.peek().is_some_and(|s| s.start_char <= i);
        let after_space = i == 0 || matches!(chars[i - 1], ' ' | '\t' | '\n' | '\r');
        if c == '#' && !in_scalar && after_space {
            let end = (i..chars.len())
                .find(|&j| matches!(chars[j], '\n' | '\r'))
                .unwrap_or(chars.len());
            found.push((line, chars[i..end].iter().collect()));
            i = end;
            continue;
        }
        if c == '\n' || c == '\r' && chars.get(i + 1) != Some(&'\n') {
            line += 1;
        }
        i += 1;
    }
    found
}

/// The lines of `text` (after a byte-order mark) without their line ends, split
/// where the parser counts lines: at LF, CRLF and a lone CR.
fn lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push(&text[start..i]);
                start = i + 1;
            }
            b'\r' => {
                lines.push(&text[start..i]);
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    lines.push(&text[start..]);
    lines
}

/// The 0-based line ranges of the original that the edit may change: those
/// holding an edited value (from its key to its last line), a null that the edit
/// fills in (`retirement: ~`), and a flow-style history (`[...]`) that gets a
/// new item. A block history only gets lines inserted.
fn editable_lines(
    doc: &Node,
    spans: &[ScalarSpan],
    lines: &[&str],
    intent: &Intent,
) -> Vec<std::ops::RangeInclusive<usize>> {
    let mut allowed = Vec::new();
    let mut routes: Vec<&[&str]> = intent.sets.iter().map(|(p, _)| p.as_slice()).collect();
    if intent.appended.is_some() {
        routes.push(&HISTORY);
    }
    for route in routes {
        for len in 1..=route.len() {
            let Some((key, value)) = lookup_entry(doc, &route[..len]) else {
                break;
            };
            let first = key.pos.line as usize;
            let whole = len == route.len();
            if value.is_null() || whole && route != HISTORY.as_slice() {
                allowed.push(first..=last_line(value, spans).max(first));
            } else if whole && starts_with_bracket(value, lines) {
                // The closing bracket may sit on a later line, up to the next scalar.
                let after = span_end(key, spans).max(span_end(value, spans));
                let last = spans
                    .iter()
                    .find(|s| s.start_char >= after)
                    .map_or(lines.len(), |s| s.start.line as usize)
                    .saturating_sub(1);
                allowed.push(first..=last.max(first));
            }
        }
    }
    allowed
}

/// True when `node` is written in flow style: its text starts with `[` or `{`.
fn starts_with_bracket(node: &Node, lines: &[&str]) -> bool {
    lines
        .get(node.pos.line as usize)
        .and_then(|line| line.chars().nth(node.pos.col as usize))
        .is_some_and(|c| c == '[' || c == '{')
}

/// The span of the scalar that starts where `node` does (spans are in order).
fn span_of<'s>(node: &Node, spans: &'s [ScalarSpan]) -> Option<&'s ScalarSpan> {
    let first = spans.partition_point(|s| s.start < node.pos);
    spans[first..]
        .iter()
        .take_while(|s| s.start == node.pos)
        .last()
}

/// The character offset just past the last scalar in `node`.
fn span_end(node: &Node, spans: &[ScalarSpan]) -> usize {
    descendants(node)
        .filter_map(|n| span_of(n, spans))
        .map(|s| s.end_char)
        .max()
        .unwrap_or(0)
}

/// The last line that a scalar in `node` reaches. A block scalar's span ends at
/// the start of the line after it.
fn last_line(node: &Node, spans: &[ScalarSpan]) -> usize {
    descendants(node)
        .filter_map(|n| span_of(n, spans))
        .map(|s| {
            if s.end.col == 0 && s.end.line > s.start.line {
                s.end.line as usize - 1
            } else {
                s.end.line as usize
            }
        })
        .max()
        .unwrap_or(node.pos.line as usize)
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

    fn entry(stage: &str) -> HistoryEntry {
        HistoryEntry {
            stage: stage.into(),
            at: "2026-03-01T00:00:00Z".into(),
            by: "a@x.org".into(),
            note: None,
        }
    }

    fn advance<'a>(stage: &'a str, entry: &'a HistoryEntry) -> Intent<'a> {
        Intent {
            sets: vec![(vec!["lifecycle", "stage"], stage)],
            appended: Some(entry),
        }
    }

    fn backup(value: &str) -> Intent<'_> {
        Intent {
            sets: vec![
                (vec!["retirement", "reason"], "regulatory"),
                (vec!["retirement", "data", "backup"], value),
            ],
            appended: None,
        }
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
        let entry = entry("development");
        assert_eq!(verify(&old, &new, &advance("development", &entry)), Ok(()));
    }

    /// Audit critical #1: the editor dropped a comment after a tab.
    #[test]
    fn a_lost_comment_is_caught() {
        let old = format!("lifecycle:\n  stage: design\t# tab comment\n{HISTORY_BEFORE}");
        let new = format!("lifecycle:\n  stage: development\n{HISTORY_AFTER}");
        let entry = entry("development");
        let what = refusal(verify(&old, &new, &advance("development", &entry)));
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
        let entry = entry("development");
        let two = format!(
            "lifecycle:\n  stage: development\n{HISTORY_AFTER}    - {{ stage: development, at: 2026-03-01T00:00:00Z, by: a@x.org }}\n"
        );
        assert_eq!(
            refusal(verify(&old, &two, &advance("development", &entry))),
            "`lifecycle.history` would have 3 entries instead of 2"
        );
        let wrong = format!(
            "lifecycle:\n  stage: development\n{HISTORY_BEFORE}    - {{ stage: development, at: 2026-03-01T00:00:00Z, by: b@x.org }}\n"
        );
        assert_eq!(
            refusal(verify(&old, &wrong, &advance("development", &entry))),
            "the new history entry would not read back as written"
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
    fn comments_and_hashes_inside_values_are_told_apart() {
        let text = "a: 'x # y'  # one\nb: |\n  # not a comment\n# two\nc: d#e # three\n";
        let spans = yaml::scalar_spans(text).unwrap();
        let found: Vec<String> = comments(text, &spans).into_iter().map(|c| c.1).collect();
        assert_eq!(found, vec!["# one", "# two", "# three"]);
    }
}
