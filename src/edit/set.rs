//! Setting a scalar: replacing the bytes of the old value (all its lines, for a
//! value that spans several) in its quoting style, or adding the key — and any
//! missing mappings above it — to the end of its mapping in that mapping's
//! style: a block mapping gets lines at its keys' indentation after its last
//! entry, a flow mapping gets `, key: value` before its closing brace, and a
//! null (`key: ~` or `key:`) becomes the mapping. Adding a key holding a new
//! sequence, for `append`, goes the same way.

use super::splice::{Splice, column, line_content_end, line_start, lines_after};
use super::{EditError, Found, Item, Layout, Route, Scalar, Step, after_colon, follow};
use crate::yaml::{Node, Style, Value};

/// The splices that set `route` to `value`, and the route with its indexes counted.
pub(super) fn splices(
    text: &str,
    tree: &Node,
    route: &Route,
    value: &Scalar,
    layout: &Layout,
) -> Result<(Route, Vec<Splice>), EditError> {
    let found = follow(text, tree, route)?;
    let concrete = found.route();
    if found.missing.is_empty() {
        let step = found.last();
        if !matches!(step.node.value, Value::Scalar { .. }) {
            return Err(EditError::Unsupported(format!(
                "`{route}` is {}, not a single value",
                step.node.type_name()
            )));
        }
        let splices = replace_scalar(text, step, value, route)?;
        return Ok((concrete, splices));
    }
    let splices = new_keys(text, &found, &Leaf::Scalar(value.written()), layout)?;
    Ok((concrete, splices))
}

/// What the last of the new keys holds.
pub(super) enum Leaf<'a> {
    /// A scalar, already written.
    Scalar(String),
    /// A sequence of one item.
    Seq(&'a Item),
}

/// The new keys `found.missing` under the last node that exists, the last
/// of them holding `leaf`.
pub(super) fn new_keys(
    text: &str,
    found: &Found,
    leaf: &Leaf,
    layout: &Layout,
) -> Result<Vec<Splice>, EditError> {
    let step = found.last();
    let node = step.node;
    let here = &found.reached;
    match &node.value {
        Value::Map(entries) if node.style == Style::Block => {
            let Some((first, _)) = entries.first() else {
                return Err(unsupported(here, "an empty block mapping"));
            };
            let lines = block_keys(
                column(text, first.range.start),
                &found.missing,
                leaf,
                layout,
            );
            Ok(vec![lines_after(text, node.range.end, &lines, layout.eol)])
        }
        Value::Map(entries) => {
            let body = flow_keys(&found.missing, leaf);
            match entries.last() {
                Some((_, last)) if last.range.start == last.range.end => Err(unsupported(
                    here,
                    "a flow mapping whose last key has no value",
                )),
                Some((_, last)) => Ok(vec![Splice::insert(last.range.end, format!(", {body}"))]),
                None if node.source(text).contains(['\n', '#']) => Err(unsupported(
                    here,
                    "an empty flow mapping over several lines",
                )),
                None => Ok(vec![Splice::replace(
                    node.range.start..node.range.end,
                    format!("{{ {body} }}"),
                )]),
            }
        }
        Value::Scalar { .. } if node.is_null() => fill_null(text, found, leaf, layout),
        _ => Err(unsupported(here, "not a mapping")),
    }
}

/// A null that becomes a mapping: in a block mapping the null (if written)
/// goes and the keys follow on new lines below its key, which keeps its
/// comment; in flow context the null is replaced by `{ ... }`.
fn fill_null(
    text: &str,
    found: &Found,
    leaf: &Leaf,
    layout: &Layout,
) -> Result<Vec<Splice>, EditError> {
    let Step { key, node } = found.last();
    let here = &found.reached;
    let parent = found.parent().map(|p| p.node);
    let in_flow = parent.is_some_and(Node::is_flow);
    if in_flow {
        if node.range.start == node.range.end {
            return Err(unsupported(here, "a flow mapping key without a value"));
        }
        let body = flow_keys(&found.missing, leaf);
        return Ok(vec![Splice::replace(
            node.range.start..node.range.end,
            format!("{{ {body} }}"),
        )]);
    }
    let Some(key) = key else {
        return Err(unsupported(here, "a null that is not the value of a key"));
    };
    let colon = after_colon(text, key).ok_or_else(|| unsupported(here, "a key without `:`"))?;
    let mut splices = Vec::new();
    if node.range.start < node.range.end {
        if line_start(text, node.range.start) != line_start(text, key.range.start) {
            return Err(unsupported(here, "a null on the line after its key"));
        }
        splices.push(Splice::replace(colon..node.range.end, ""));
    }
    let indent = column(text, key.range.start) + layout.unit;
    let lines = block_keys(indent, &found.missing, leaf, layout);
    splices.push(lines_after(text, key.range.start, &lines, layout.eol));
    Ok(splices)
}

/// `keys` nested as block mappings from column `indent`, the last holding `leaf`.
fn block_keys(indent: usize, keys: &[String], leaf: &Leaf, layout: &Layout) -> Vec<String> {
    let mut lines = Vec::new();
    for (depth, key) in keys.iter().enumerate() {
        let pad = " ".repeat(indent + depth * layout.unit);
        if depth + 1 < keys.len() {
            lines.push(format!("{pad}{key}:"));
            continue;
        }
        match leaf {
            Leaf::Scalar(value) => lines.push(format!("{pad}{key}: {value}")),
            Leaf::Seq(item) => {
                lines.push(format!("{pad}{key}:"));
                let pad = " ".repeat(indent + (depth + 1) * layout.unit);
                lines.push(format!("{pad}- {}", item.flow(true)));
            }
        }
    }
    lines
}

/// `keys` nested as flow mappings, `k1: { k2: value }`, the last holding `leaf`.
fn flow_keys(keys: &[String], leaf: &Leaf) -> String {
    let mut body = match leaf {
        Leaf::Scalar(value) => value.clone(),
        Leaf::Seq(item) => format!("[{}]", item.flow(true)),
    };
    for (depth, key) in keys.iter().enumerate().rev() {
        body = if depth + 1 == keys.len() {
            format!("{key}: {body}")
        } else {
            format!("{key}: {{ {body} }}")
        };
    }
    body
}

/// Replaces the scalar of `step` with `value`. A block scalar keeps its header
/// line's comment and loses its content lines; a plain or quoted scalar over
/// several lines is replaced with all of them; an empty value (`key:`) gets
/// the value after its colon, before any comment.
fn replace_scalar(
    text: &str,
    step: &Step,
    value: &Scalar,
    route: &Route,
) -> Result<Vec<Splice>, EditError> {
    let Step { key, node } = *step;
    let written = if node.is_null() {
        value.written()
    } else {
        value.written_in(node.style)
    };
    let range = node.range;
    if let Some(key) = key {
        // Kept from the line editor, whose users rely on it: a comment on a line
        // of its own between a key and its value may describe the old value.
        let gap = text.get(key.range.end..range.start).unwrap_or_default();
        if gap
            .split('\n')
            .skip(1)
            .any(|line| line.trim_start().starts_with('#'))
        {
            return Err(EditError::Unsupported(format!(
                "the value of `{route}` spans several lines with a comment between its lines; write it on one line to let svc edit it"
            )));
        }
    }
    match node.style {
        Style::Literal | Style::Folded => {
            let header_end = line_content_end(text, range.start);
            let indicator_end = range.start
                + 1
                + text[range.start + 1..header_end]
                    .bytes()
                    .take_while(|b| b.is_ascii_digit() || *b == b'+' || *b == b'-')
                    .count();
            let mut splices = vec![Splice::replace(range.start..indicator_end, written)];
            if range.end > header_end {
                // The content lines go, with the trailing blanks of the last one.
                let last_line_end = line_content_end(text, range.end);
                let end = if text[range.end..last_line_end].trim().is_empty() {
                    last_line_end
                } else {
                    range.end
                };
                splices.push(Splice::replace(header_end..end, ""));
            }
            Ok(splices)
        }
        _ if range.start == range.end => {
            let Some(colon) = key.and_then(|k| after_colon(text, k)) else {
                return Err(EditError::Unsupported(format!(
                    "`{route}` has no value to replace and no `:` to write one after"
                )));
            };
            Ok(vec![Splice::insert(colon, format!(" {written}"))])
        }
        _ => Ok(vec![Splice::replace(range.start..range.end, written)]),
    }
}

fn unsupported(route: &Route, what: &str) -> EditError {
    let route = if route.segments.is_empty() {
        "the document".to_string()
    } else {
        format!("`{route}`")
    };
    EditError::Unsupported(format!("{route} is {what}"))
}

#[cfg(test)]
mod tests {
    use super::super::Edit;
    use super::*;

    fn set(text: &str, route: &str, value: Scalar) -> Result<String, EditError> {
        let mut edit = Edit::new(text)?;
        edit.set(&route.parse()?, value)?;
        edit.finish()
    }

    #[test]
    fn nested_missing_keys_are_written_in_block_and_flow() {
        assert_eq!(
            set("a: 1\n", "b.c.d", Scalar::text("x")).unwrap(),
            "a: 1\nb:\n  c:\n    d: x\n"
        );
        assert_eq!(
            set("a: { b: 1 }\n", "a.c.d", Scalar::text("x")).unwrap(),
            "a: { b: 1, c: { d: x } }\n"
        );
        assert_eq!(
            set("a: {}\n", "a.c", Scalar::Integer(4)).unwrap(),
            "a: { c: 4 }\n"
        );
    }

    #[test]
    fn a_scalar_value_is_not_a_mapping() {
        let error = set(
            "retirement:\n  data: none\n",
            "retirement.data.backup",
            Scalar::text("x"),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot edit this layout: `retirement.data` is `none`, not a mapping"
        );
    }
}
