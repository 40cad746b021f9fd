//! Comment-preserving edits of record files, for every record kind.
//!
//! People write these files by hand and keep them in Git, so svc never
//! re-serialises a document: that would drop comments, reorder keys, change
//! quoting and turn a one-line review diff into a rewrite. An [`Edit`] instead
//! turns each operation — [`Edit::set`] a scalar, [`Edit::append`] an item to a
//! sequence — into a few splices at the byte ranges the parser recorded for
//! every key and value (`crate::yaml::ByteRange`), writing new text in the style
//! of its neighbours (flow or block, quoting, indentation, line ends). Nothing
//! is found again by reading indentation. [`Edit::finish`] then checks the
//! result through the parser (`verify`): every value set reads back as given,
//! every item appended is there, everything else — values, comments, lines — is
//! as it was. A layout the editor cannot change safely is refused, never
//! mangled, and a refused edit writes nothing.
//!
//! Operations apply in order, each to the text the one before left (parsed
//! again), so a later one sees the keys an earlier one created.
//!
//! ```
//! use svc::edit::{Edit, Item, Scalar};
//!
//! let text = "kind: Incident  # ours\npaused:\n  - { from: 2026-03-02T10:00:00+01:00 }\n";
//! let mut edit = Edit::new(text)?;
//! edit.set(&"paused[-1].to".parse()?, Scalar::timestamp("2026-03-02T10:30:00+01:00"))?;
//! edit.append(
//!     &"outage".parse()?,
//!     Item::map([("from", Scalar::timestamp("2026-03-02T09:10:00+01:00"))]),
//! )?;
//! assert_eq!(
//!     edit.finish()?,
//!     "kind: Incident  # ours\npaused:\n  - { from: 2026-03-02T10:00:00+01:00, to: 2026-03-02T10:30:00+01:00 }\n\
//!      outage:\n  - { from: 2026-03-02T09:10:00+01:00 }\n"
//! );
//! # Ok::<(), svc::edit::EditError>(())
//! ```

use std::fmt;

mod append;
mod atomic;
mod diff;
mod history;
pub mod quoting;
mod route;
mod set;
mod splice;
mod value;
mod verify;

pub use atomic::{write_atomic, write_atomic_all};
pub use diff::unified_diff;
pub use history::{
    CHANGE_STATE, HistoryEntry, PROBLEM_STATE, SERVICE_STAGE, StateFields, move_to_state,
};
pub use route::{Route, Segment};
pub use value::{Item, Scalar};

use crate::yaml::{self, Anchor, Node, Style, Value};
use splice::Splice;

/// Why an edit was refused. Nothing is written after any of them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    /// The text to edit is not one YAML document svc can read.
    Unreadable(String),
    /// A route that does not parse (`a[x]`).
    BadRoute(String),
    /// A route through something that is not there or is not a collection.
    NotFound(String),
    /// A layout the editor cannot change without risking the file.
    Unsupported(String),
    /// The edited text, parsed again, is not the original changed as intended.
    NotVerified(String),
}

impl EditError {
    /// What the user can do about it.
    pub fn help(&self) -> &'static str {
        match self {
            EditError::Unreadable(_) => "run `svc check` and fix the file first",
            EditError::BadRoute(_) => "this is a bug in svc; please report it",
            EditError::NotFound(_) | EditError::Unsupported(_) | EditError::NotVerified(_) => {
                "edit the file by hand"
            }
        }
    }
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::Unreadable(what) => write!(f, "the file cannot be edited: {what}"),
            EditError::BadRoute(route) => write!(f, "malformed key path `{route}`"),
            EditError::NotFound(what) | EditError::Unsupported(what) => {
                write!(f, "cannot edit this layout: {what}")
            }
            EditError::NotVerified(what) => {
                write!(f, "the edit did not pass svc's check of its result: {what}")
            }
        }
    }
}

impl std::error::Error for EditError {}

/// One operation, recorded for the check at [`Edit::finish`], with its route
/// resolved (negative indexes counted) against the text it applied to.
#[derive(Clone, Debug)]
enum Change {
    Set(Route, Scalar),
    Append(Route, Item),
}

/// An edit of one document in progress.
pub struct Edit {
    original: String,
    text: String,
    tree: Node,
    changes: Vec<Change>,
}

/// How new text is laid out in this file.
struct Layout {
    /// The line end of new lines.
    eol: &'static str,
    /// The indentation step of new nested blocks.
    unit: usize,
}

impl Edit {
    /// Starts an edit of `text`, which must hold one YAML document.
    pub fn new(text: &str) -> Result<Edit, EditError> {
        // A bare CR is a line break to YAML but not to the line placement here;
        // rather than guess, such files are refused (found by the `edit` fuzz target).
        if text.replace("\r\n", "").contains('\r') {
            return Err(EditError::Unsupported(
                "the file ends lines with bare carriage returns; save it with LF or CRLF line ends"
                    .into(),
            ));
        }
        let tree = parse(text).map_err(EditError::Unreadable)?;
        Ok(Edit {
            original: text.to_string(),
            text: text.to_string(),
            tree,
            changes: Vec::new(),
        })
    }

    /// The text as the operations so far left it (not yet checked).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Sets the scalar at `route` to `value`: in place, in its quoting style where
    /// that style can carry the value, or as a new key at the end of its mapping
    /// (creating missing mappings on the way) in the style of that mapping.
    pub fn set(&mut self, route: &Route, value: Scalar) -> Result<&mut Edit, EditError> {
        self.make(Change::Set(route.clone(), value))
    }

    /// Appends `item` to the sequence at `route`, in the style of its items (or
    /// as its first item, or as a new key holding a one-item sequence).
    pub fn append(&mut self, route: &Route, item: Item) -> Result<&mut Edit, EditError> {
        self.make(Change::Append(route.clone(), item))
    }

    /// Makes one change: its splices, computed from the current tree, applied;
    /// the change recorded with its route resolved, for the check.
    fn make(&mut self, change: Change) -> Result<&mut Edit, EditError> {
        let layout = Layout {
            eol: splice::line_end_of(&self.text),
            unit: indent_unit(&self.text, &self.tree),
        };
        let (text, tree) = (self.text.as_str(), &self.tree);
        let (resolved, splices) = match change {
            Change::Set(route, value) => {
                let (found, splices) = set::splices(text, tree, &route, &value, &layout)?;
                (Change::Set(found, value), splices)
            }
            Change::Append(route, item) => {
                let (found, splices) = append::splices(text, tree, &route, &item, &layout)?;
                (Change::Append(found, item), splices)
            }
        };
        self.apply(&splices)?;
        self.changes.push(resolved);
        Ok(self)
    }

    /// Checks the edited text against the original (see `verify`) and returns it.
    pub fn finish(self) -> Result<String, EditError> {
        verify::verify(&self.original, &self.text, &self.changes)?;
        Ok(self.text)
    }

    fn apply(&mut self, splices: &[Splice]) -> Result<(), EditError> {
        let text = splice::apply(&self.text, splices)?;
        self.tree = parse(&text).map_err(|what| {
            EditError::NotVerified(format!("the edited text would not parse: {what}"))
        })?;
        self.text = text;
        Ok(())
    }
}

/// The document in `text`, or why there is none.
fn parse(text: &str) -> Result<Node, String> {
    match yaml::parse_document(text) {
        Ok(Some(tree)) => Ok(tree),
        Ok(None) => Err("it holds no YAML document".into()),
        Err(e) => Err(format!("line {}: {}", e.pos.line + 1, e.message)),
    }
}

/// A node met while following a route, with the key it stands under in its
/// mapping (None for the root and for sequence items).
struct Step<'n> {
    key: Option<&'n Node>,
    node: &'n Node,
}

/// How far a route leads into a tree: the nodes that exist, from the root,
/// the route of the last of them with its indexes counted, and the keys after
/// it that do not exist yet.
struct Found<'n> {
    steps: Vec<Step<'n>>,
    reached: Route,
    missing: Vec<String>,
}

impl<'n> Found<'n> {
    /// The last node that exists.
    fn last(&self) -> &Step<'n> {
        // `steps` always holds the root.
        &self.steps[self.steps.len() - 1]
    }

    /// The whole route with its indexes counted: what exists, then the missing keys.
    fn route(&self) -> Route {
        self.missing
            .iter()
            .fold(self.reached.clone(), |route, key| route.key(key))
    }

    /// The node before the last one (its parent), if any.
    fn parent(&self) -> Option<&Step<'n>> {
        self.steps.len().checked_sub(2).map(|i| &self.steps[i])
    }
}

/// Follows `route` into `tree` as far as it exists. Past a missing key or a
/// null, the rest must be keys (svc creates mappings, never list items);
/// anything else on the way — an index out of range, a key into a scalar or a
/// list, an anchor or alias — is refused.
fn follow<'n>(text: &str, tree: &'n Node, route: &Route) -> Result<Found<'n>, EditError> {
    let mut found = Found {
        steps: vec![Step {
            key: None,
            node: tree,
        }],
        reached: Route::root(),
        missing: Vec::new(),
    };
    let mut segments = route.segments.iter();
    for segment in segments.by_ref() {
        let node = found.last().node;
        let here = found.reached.to_string();
        let next = match (segment, &node.value) {
            (Segment::Key(key), Value::Map(_)) => match node.entry(key) {
                Some((k, v)) => Step {
                    key: Some(k),
                    node: v,
                },
                None => {
                    found.missing.push(key.clone());
                    break;
                }
            },
            (Segment::Key(key), _) if node.is_null() => {
                found.missing.push(key.clone());
                break;
            }
            (Segment::Index(index), Value::Seq(items)) => {
                let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                let at = if *index < 0 { len + index } else { *index };
                let Some(item) = usize::try_from(at).ok().and_then(|i| items.get(i)) else {
                    return Err(EditError::NotFound(format!(
                        "`{route}` does not exist: `{here}` has {} item(s)",
                        items.len()
                    )));
                };
                found.reached = found.reached.clone().index(at);
                found.steps.push(Step {
                    key: None,
                    node: item,
                });
                continue;
            }
            (Segment::Key(_), _) => {
                return Err(EditError::NotFound(format!(
                    "`{here}` is {}, not a mapping",
                    describe(text, node)
                )));
            }
            (Segment::Index(_), _) => {
                return Err(EditError::NotFound(format!(
                    "`{here}` is {}, not a list",
                    describe(text, node)
                )));
            }
        };
        if let Segment::Key(key) = segment {
            found.reached = found.reached.clone().key(key);
        }
        found.steps.push(next);
    }
    for segment in segments {
        match segment {
            Segment::Key(key) => found.missing.push(key.clone()),
            Segment::Index(_) => {
                return Err(EditError::NotFound(format!(
                    "`{route}` does not exist: `{}` is missing",
                    found.reached.clone().key(&found.missing[0])
                )));
            }
        }
    }
    refuse_anchors(text, &found)?;
    Ok(found)
}

/// An anchored value, or an alias, on the route: changing it would change (or
/// would not change) every alias of it too, so svc leaves it to a person.
fn refuse_anchors(text: &str, found: &Found) -> Result<(), EditError> {
    let mut route = Route::root();
    let mut steps = found.steps.iter();
    steps.next();
    for (step, segment) in steps.zip(&found.reached.segments) {
        route.segments.push(segment.clone());
        if step.node.anchor == Anchor::None {
            continue;
        }
        let token = anchor_token(text, step.node);
        return Err(EditError::Unsupported(format!(
            "`{route}` carries the YAML anchor or alias `{token}`; write the value without it to let svc edit it"
        )));
    }
    Ok(())
}

/// The `&name` or `*name` written at `node` (before a block scalar's indicator).
fn anchor_token<'t>(text: &'t str, node: &Node) -> &'t str {
    let start = node.range.start;
    let from = if text[start..].starts_with(['&', '*']) {
        start
    } else {
        let line = splice::line_start(text, start);
        text[line..start].rfind('&').map_or(start, |i| line + i)
    };
    let token = &text[from..];
    let end = token.find(char::is_whitespace).unwrap_or(token.len());
    &token[..end]
}

/// `node` for a message: its text if it is a short scalar, else its type.
fn describe(text: &str, node: &Node) -> String {
    match &node.value {
        Value::Scalar { .. } if !node.is_null() => {
            let source = node.source(text);
            if source.len() <= 40 && !source.contains('\n') {
                format!("`{source}`")
            } else {
                node.type_name().to_string()
            }
        }
        _ => node.type_name().to_string(),
    }
}

/// The indentation step of the file: the smallest step from a block mapping's
/// keys to the keys of a block mapping (or the dashes of a block sequence)
/// nested under one of them; 2 when the file has none.
fn indent_unit(text: &str, tree: &Node) -> usize {
    let mut unit: Option<usize> = None;
    let mut todo = vec![tree];
    while let Some(node) = todo.pop() {
        match &node.value {
            Value::Map(entries) if node.style == Style::Block => {
                for (key, value) in entries {
                    let nested = value.style == Style::Block
                        && matches!(value.value, Value::Map(_) | Value::Seq(_));
                    if nested {
                        let step = splice::column(text, value.range.start)
                            .saturating_sub(splice::column(text, key.range.start));
                        if step > 0 {
                            unit = Some(unit.map_or(step, |u| u.min(step)));
                        }
                    }
                    todo.push(value);
                }
            }
            Value::Map(entries) => todo.extend(entries.iter().map(|(_, v)| v)),
            Value::Seq(items) => todo.extend(items),
            Value::Scalar { .. } => {}
        }
    }
    unit.unwrap_or(2)
}

/// Where the value of the block-mapping entry whose key is `key` may go:
/// just after the `:` that follows the key on its line. None when the colon is
/// not there (an explicit `? key` entry).
fn after_colon(text: &str, key: &Node) -> Option<usize> {
    let rest = &text[key.range.end..splice::line_content_end(text, key.range.end)];
    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    rest[gap..]
        .starts_with(':')
        .then_some(key.range.end + gap + 1)
}

#[cfg(test)]
mod tests;
