//! Appending an item to a sequence in the style of its items: a block sequence
//! gets a new `- ...` line (or lines) after its last item, at the same dash
//! column, as a flow mapping with the same brace spacing, a block mapping with
//! the same key alignment, or after a lone `-`; a flow sequence gets `, item`
//! before its closing bracket, or a new line when the bracket stands on a line
//! of its own; an empty `[]` gets its first item; a null (`key: ~`, `key:`)
//! becomes a block sequence below its key; a missing key is added holding a
//! one-item sequence.

use super::set::{Leaf, new_keys};
use super::splice::{Splice, column, line_content_end, line_prefix, lines_after};
use super::{EditError, Item, Layout, Route, Step, after_colon, follow};
use crate::yaml::{Node, Style, Value};

/// The splices that append `item` to the sequence at `route`, and the route
/// with its indexes counted.
pub(super) fn splices(
    text: &str,
    tree: &Node,
    route: &Route,
    item: &Item,
    layout: &Layout,
) -> Result<(Route, Vec<Splice>), EditError> {
    let found = follow(text, tree, route)?;
    let concrete = found.route();
    if !found.missing.is_empty() {
        return Ok((concrete, new_keys(text, &found, &Leaf::Seq(item), layout)?));
    }
    let step = found.last();
    let node = step.node;
    let splices = match &node.value {
        Value::Seq(items) if node.style == Style::Block => block(text, node, items, item, layout)?,
        Value::Seq(items) => flow(text, node, items, item, layout, route)?,
        Value::Scalar { .. } if node.is_null() => null(text, &found, item, layout, route)?,
        _ => {
            return Err(EditError::NotFound(format!(
                "`{route}` is {}, not a list",
                super::describe(text, node)
            )));
        }
    };
    Ok((concrete, splices))
}

/// A new item after the last one of a block sequence.
fn block(
    text: &str,
    seq: &Node,
    items: &[Node],
    item: &Item,
    layout: &Layout,
) -> Result<Vec<Splice>, EditError> {
    let Some(last) = items.last() else {
        return Err(EditError::Unsupported("an empty block sequence".into()));
    };
    // Every dash of a block sequence stands in one column; the sequence starts
    // at its first.
    if !text[seq.range.start..].starts_with('-') {
        return Err(EditError::Unsupported(
            "a block sequence whose first dash svc cannot find".into(),
        ));
    }
    let dash_pad = " ".repeat(column(text, seq.range.start));
    // The last item's dash, when the item starts on the dash's line.
    let before = line_prefix(text, last.range.start);
    let on_dash_line = before.trim_end().ends_with('-') && before.trim().starts_with('-');
    let dash_gap = if on_dash_line {
        let trimmed = before.trim_end_matches([' ', '\t']);
        &before[trimmed.len()..]
    } else {
        " "
    };
    let lines = match (&last.value, item.block_lines()) {
        (Value::Map(entries), Some(pairs)) if last.style == Style::Block => {
            let key_pad = " ".repeat(
                entries
                    .first()
                    .map_or(column(text, last.range.start), |(k, _)| {
                        column(text, k.range.start)
                    }),
            );
            if on_dash_line {
                let mut lines = Vec::new();
                for (i, pair) in pairs.iter().enumerate() {
                    lines.push(if i == 0 {
                        format!("{dash_pad}-{dash_gap}{pair}")
                    } else {
                        format!("{key_pad}{pair}")
                    });
                }
                lines
            } else {
                // A lone `-`: the keys follow on the next lines.
                std::iter::once(format!("{dash_pad}-"))
                    .chain(pairs.iter().map(|p| format!("{key_pad}{p}")))
                    .collect()
            }
        }
        (Value::Map(_), _) if last.style == Style::Flow => {
            vec![format!(
                "{dash_pad}-{dash_gap}{}",
                item.flow(spaced_braces(text, last))
            )]
        }
        _ => vec![format!("{dash_pad}-{dash_gap}{}", item.flow(true))],
    };
    Ok(vec![lines_after(text, seq.range.end, &lines, layout.eol)])
}

/// True when a flow mapping is written `{ a: 1 }` rather than `{a: 1}`.
fn spaced_braces(text: &str, map: &Node) -> bool {
    let source = map.source(text);
    source
        .find('{')
        .is_none_or(|i| source[i + 1..].starts_with([' ', '\t', '\r', '\n']))
}

/// A new item at the end of a flow sequence.
fn flow(
    text: &str,
    seq: &Node,
    items: &[Node],
    item: &Item,
    layout: &Layout,
    route: &Route,
) -> Result<Vec<Splice>, EditError> {
    let spaced = items
        .iter()
        .rev()
        .find(|i| i.is_flow() && matches!(i.value, Value::Map(_)))
        .is_none_or(|i| spaced_braces(text, i));
    let written = item.flow(spaced);
    let Some(last) = items.last() else {
        let source = seq.source(text);
        let well_formed = source.len() >= 2 && source.starts_with('[') && source.ends_with(']');
        if !well_formed || source[1..source.len() - 1].contains(['\n', '#']) {
            return Err(EditError::Unsupported(format!(
                "`{route}` is an empty flow sequence over several lines"
            )));
        }
        // `[]` gets `[item]`; `[ ]` gets `[ item ]`, the spacing kept.
        let inner = &source[1..source.len() - 1];
        let text = if inner.is_empty() {
            written
        } else {
            format!("{written}{inner}")
        };
        return Ok(vec![Splice::insert(seq.range.end - 1, text)]);
    };
    let close = seq.range.end.saturating_sub(1);
    let last_line_end = line_content_end(text, last.range.end);
    if close < last_line_end {
        return Ok(vec![Splice::insert(last.range.end, format!(", {written}"))]);
    }
    // The closing bracket is on a later line: the new item gets a line of its
    // own, indented like the last item's line, after any comment there.
    let indent = line_prefix(text, last.range.start);
    let indent = &indent[..indent.len() - indent.trim_start().len()];
    let after = text[last.range.end..last_line_end].trim_start();
    if after.starts_with(',') {
        return Ok(vec![Splice::insert(
            last_line_end,
            format!("{}{indent}{written},", layout.eol),
        )]);
    }
    Ok(vec![
        Splice::insert(last.range.end, ","),
        Splice::insert(last_line_end, format!("{}{indent}{written}", layout.eol)),
    ])
}

/// A null that becomes a one-item sequence: a block sequence below its key in
/// a block mapping, `[item]` in flow context.
fn null(
    text: &str,
    found: &super::Found,
    item: &Item,
    layout: &Layout,
    route: &Route,
) -> Result<Vec<Splice>, EditError> {
    let Step { key, node } = found.last();
    let in_flow = found.parent().is_some_and(|p| p.node.is_flow());
    if in_flow && node.range.start < node.range.end {
        return Ok(vec![Splice::replace(
            node.range.start..node.range.end,
            format!("[{}]", item.flow(true)),
        )]);
    }
    let (Some(key), false) = (key, in_flow) else {
        return Err(EditError::Unsupported(format!(
            "`{route}` is a null svc cannot replace with a list"
        )));
    };
    let colon = after_colon(text, key)
        .ok_or_else(|| EditError::Unsupported(format!("`{route}` has a key without `:`")))?;
    let mut splices = Vec::new();
    if node.range.start < node.range.end {
        if super::splice::line_start(text, node.range.start)
            != super::splice::line_start(text, key.range.start)
        {
            return Err(EditError::Unsupported(format!(
                "`{route}` is a null on the line after its key"
            )));
        }
        splices.push(Splice::replace(colon..node.range.end, ""));
    }
    let pad = " ".repeat(column(text, key.range.start) + layout.unit);
    let line = format!("{pad}- {}", item.flow(true));
    splices.push(lines_after(text, key.range.start, &[line], layout.eol));
    Ok(splices)
}
