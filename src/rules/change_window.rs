//! `change-window`: a window that ends before it starts; a change at or past
//! `scheduled` without a window; a normal or standard change whose planned
//! window overlaps a `[[changes.freeze]]` period of svc.toml (an emergency one:
//! a warning, since it may have to go ahead). Freezes are checked only for
//! changes not yet implemented; a cancelled change is exempt.

use super::Context;
use crate::diagnostic::{Diagnostic, Rule};
use crate::model::Change;
use crate::model::config::Freeze;

pub(super) fn check(context: &Context, out: &mut Vec<Diagnostic>) {
    let freezes = &context.records.config.freezes;
    for change in &context.records.changes {
        out.extend(problems(&change.record, &change.file, freezes));
    }
}

/// The `change-window` diagnostics of one change.
pub fn problems(change: &Change, file: &str, freezes: &[Freeze]) -> Vec<Diagnostic> {
    let Some(progress) = &change.progress else {
        return Vec::new();
    };
    if change.is_cancelled() || change.invalid.has("window") {
        return Vec::new();
    }
    let id = &change.id.value;
    let mut out = Vec::new();
    let window = change.window.as_ref();
    if let Some(w) = window
        && let (Some(start), Some(end)) = (&w.start, &w.end)
        && end.value < start.value
    {
        out.push(
            Diagnostic::error(
                Rule::ChangeWindow,
                file,
                end.pos,
                format!(
                    "the window of change `{id}` ends ({}) before it starts ({})",
                    end.value.to_rfc3339(),
                    start.value.to_rfc3339()
                ),
            )
            .with_help("swap `start` and `end`"),
        );
        return out;
    }
    let span = window.and_then(|w| w.span());
    if change.reached("scheduled") && span.is_none() {
        let missing = match window {
            None => "without a `window`".to_string(),
            Some(w) if w.start.is_none() => "without `window.start`".to_string(),
            Some(_) => "without `window.end`".to_string(),
        };
        out.push(
            Diagnostic::error(
                Rule::ChangeWindow,
                file,
                window.map_or(progress.state.pos, |w| w.pos),
                format!("change `{id}` is `{}` {missing}", progress.state.value),
            )
            .with_help("plan the window first: `window: { start: ..., end: ... }`"),
        );
    }
    let Some((start, end)) = span else {
        return out;
    };
    if change.reached("implemented") {
        return out;
    }
    let emergency = change.change_type.value == "emergency";
    for freeze in freezes {
        if start < freeze.to && freeze.from < end {
            let reason = freeze
                .reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            let message = format!(
                "the window of {} change `{id}` ({} to {}) overlaps the freeze from {} to {}{reason}",
                change.change_type.value,
                start.to_rfc3339(),
                end.to_rfc3339(),
                freeze.from.to_rfc3339(),
                freeze.to.to_rfc3339()
            );
            let pos = window.map_or(progress.state.pos, |w| w.pos);
            let diagnostic = if emergency {
                Diagnostic::warning(Rule::ChangeWindow, file, pos, message)
                    .with_help("an emergency change may go ahead in a freeze; make sure it must")
            } else {
                Diagnostic::error(Rule::ChangeWindow, file, pos, message)
                    .with_help("move the window out of the freeze, or make it an emergency change if it cannot wait")
            };
            out.push(diagnostic);
        }
    }
    out
}
